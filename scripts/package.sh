#!/usr/bin/env bash
# Packaging: validate META.json, build the PGXN zip (make dist) and the Debian
# package (debian/, pg_buildext; its build runs installcheck against the
# packaged files), install the .deb with apt, then run the whole test suite
# against the installed package.  Output in .build/packages/.
source "$(dirname "$0")/lib.sh"
socroi_deps debhelper postgresql-server-dev-all dpkg-dev fakeroot
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
(cd "$work/src" && dpkg-buildpackage -us -uc -b >"$out/dpkg-buildpackage.log" 2>&1) \
    || { tail -40 "$out/dpkg-buildpackage.log" >&2; exit 1; }
grep -E '^test |tests passed|failed' "$out/dpkg-buildpackage.log" | sed 's/^/    /' >&2 || true
cp "$work"/*.deb "$out/"
deb=$(ls "$out"/postgresql-15-socroi_*.deb)

say "installing $(basename "$deb")"
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --reinstall "$deb" >/dev/null
dpkg -s postgresql-15-socroi | grep -E '^(Package|Status|Version):' >&2

say "running the test suite against the installed package"
trap - EXIT
rm -rf "$work"
SOCROI_USE_INSTALLED=1 "$SOCROI_ROOT/scripts/test.sh"
ls -l "$out"
