#!/usr/bin/env bash
# Packaging: validate META.json, build the PGXN zip (make dist) and the Debian
# packages (debian/, pg_buildext: one postgresql-NN-socroi per version of
# debian/pgversions that this machine supports -- Debian 12: 15; with
# apt.postgresql.org configured: 15-18 -- each build running installcheck
# against the packaged files), install each .deb with apt, then run the whole
# test suite against each installed package.  Output in .build/packages/.
source "$(dirname "$0")/lib.sh"
socroi_deps debhelper postgresql-all dpkg-dev fakeroot
cd "$SOCROI_ROOT"

out=$SOCROI_ROOT/.build/packages
rm -rf "$out" && mkdir -p "$out"
make -s >/dev/null
/usr/bin/python3 scripts/validate_meta.py META.json

say "make dist"
make -s dist >/dev/null
mv socroi-*.zip "$out/"

say "building the Debian package (pg_buildext; runs installcheck)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git archive --format=tar --prefix=src/ HEAD | tar -x -C "$work"
# debian/control: a package per supported version of debian/pgversions
(cd "$work/src" && pg_buildext updatecontrol && dpkg-buildpackage -us -uc -b >"$out/dpkg-buildpackage.log" 2>&1) \
    || { tail -40 "$out/dpkg-buildpackage.log" >&2; exit 1; }
grep -E '^### |^test |tests passed|failed' "$out/dpkg-buildpackage.log" | sed 's/^/    /' >&2 || true
cp "$work"/*.deb "$out/"
trap - EXIT
rm -rf "$work"

for deb in "$out"/postgresql-*-socroi_*.deb; do
    pkg=$(dpkg-deb -f "$deb" Package)
    major=${pkg#postgresql-}; major=${major%-socroi}
    say "installing $(basename "$deb")"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --reinstall "$deb" >/dev/null
    dpkg -s "$pkg" | grep -E '^(Package|Status|Version):' >&2
    say "running the test suite against the installed $pkg"
    SOCROI_USE_INSTALLED=1 PG_CONFIG=/usr/lib/postgresql/$major/bin/pg_config "$SOCROI_ROOT/scripts/test.sh"
done
ls -l "$out"
