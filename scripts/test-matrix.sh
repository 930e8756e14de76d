#!/usr/bin/env bash
# The test command on several PostgreSQL installations, one after the other:
# scripts/test.sh with PG_CONFIG set to each (it builds with -Werror for that
# version, installs into it and tests its own server), then a summary of the
# server version each run tested, its result and time, and a check that the
# docs suite's outputs (every documented example and cookbook query, read
# through psql and psycopg2) are identical on every version.  Exits non-zero
# when any run fails or the outputs differ.
#
#   scripts/test-matrix.sh [INSTALLATION...] [--archives DIR] [-- TEST...]
#
#   INSTALLATION   `debian` (Debian's PostgreSQL 15: the test command without
#                  PG_CONFIG) or the path of an installation's pg_config, e.g.
#                  /usr/lib/postgresql/17/bin/pg_config; none named: debian
#   --archives DIR also every DIR/*.tar.xz: a relocatable PostgreSQL build
#                  (one directory with bin/pg_config inside), extracted into a
#                  temporary directory the postgres user can read, tested with
#                  the extension installed into that copy, removed afterwards
#   -- TEST...     only these tests (as scripts/test.sh TEST...)
#
#   scripts/test-matrix.sh debian /usr/lib/postgresql/{16,17,18}/bin/pg_config
#
# Logs: .build/matrix/<version>.log (also printed as they run).
# SOCROI_PRIVATE_PG=1 applies to the named installations; extracted archives
# are private copies already.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

installs=()
archives=()
tests=()
while [ $# -gt 0 ]; do
    case "$1" in
        --archives) [ $# -ge 2 ] || { echo "--archives needs a directory" >&2; exit 2; }
                    archives+=("$2"); shift 2 ;;
        --) shift; tests=("$@"); break ;;
        -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
        *) installs+=("$1"); shift ;;
    esac
done
[ ${#installs[@]} -gt 0 ] || [ ${#archives[@]} -gt 0 ] || installs=(debian)

out=$ROOT/.build/matrix
rm -rf "$out" && mkdir -p "$out"

# (PG_CONFIG or "debian") TAB private-copy-setting, in the order given
runs=()
for i in "${installs[@]}"; do
    if [ "$i" = debian ]; then
        runs+=("debian	${SOCROI_PRIVATE_PG:-0}")
    else
        [ -x "$i" ] || { echo "no pg_config at $i" >&2; exit 2; }
        runs+=("$(cd "$(dirname "$i")" && pwd)/$(basename "$i")	${SOCROI_PRIVATE_PG:-0}")
    fi
done
extract_dir=
cleanup() { [ -z "$extract_dir" ] || rm -rf "$extract_dir"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
for dir in "${archives[@]}"; do
    found=0
    for a in "$dir"/*.tar.xz; do
        [ -e "$a" ] || continue
        found=1
        if [ -z "$extract_dir" ]; then
            extract_dir=$(mktemp -d "${TMPDIR:-/tmp}/socroi-pg.XXXXXX")
            chmod 755 "$extract_dir"
        fi
        name=$(basename "$a" .tar.xz)
        mkdir -p "$extract_dir/$name"
        say "extracting $a"
        tar -xJf "$a" -C "$extract_dir/$name"
        chmod -R a+rX "$extract_dir/$name"
        pgc=$(ls "$extract_dir/$name"/*/bin/pg_config 2>/dev/null | head -1)
        [ -n "$pgc" ] || { echo "$a holds no */bin/pg_config" >&2; exit 2; }
        runs+=("$pgc	0")
    done
    [ $found = 1 ] || say "no *.tar.xz in $dir"
done

[ ${#runs[@]} -gt 0 ] || { say "matrix: no installation to test"; exit 1; }
# tee that outlives Ctrl-C / TERM: the run it logs is still stopping its
# cluster (whose binaries may be in the extraction removed on exit)
logto() { (trap '' INT TERM; exec tee "$1"); }

labels=()
results=()
failed=0
t_all=$SECONDS
for r in "${runs[@]}"; do
    pgc=${r%%	*}; private=${r#*	}
    if [ "$pgc" = debian ]; then
        label=debian15
    else
        label=pg$(sed -e 's/^PostgreSQL //' -e 's/ .*//' <<<"$("$pgc" --version)")
    fi
    n=1; base=$label
    while [ -e "$out/$label.log" ]; do n=$((n + 1)); label=$base-$n; done
    say "matrix: $label (${pgc/#debian/Debian\'s PostgreSQL 15, no PG_CONFIG})"
    t0=$SECONDS
    set +e
    if [ "$pgc" = debian ]; then
        env -u PG_CONFIG SOCROI_PRIVATE_PG="$private" SOCROI_DOCS_OUT="$out/$label.docs" \
            "$ROOT/scripts/test.sh" "${tests[@]}" 2>&1 | logto "$out/$label.log"
    else
        # the upgrades suite's parts 2a and 2b (releases built for Debian's 15)
        # and 3 (the pg_upgrade chain over every major) run once, in the Debian
        # run; here its part 1, dump and restore on this version
        env PG_CONFIG="$pgc" SOCROI_PRIVATE_PG="$private" SOCROI_DOCS_OUT="$out/$label.docs" \
            SOCROI_UPGRADES_PARTS="${SOCROI_UPGRADES_PARTS:-1}" \
            "$ROOT/scripts/test.sh" "${tests[@]}" 2>&1 | logto "$out/$label.log"
    fi
    rc=${PIPESTATUS[0]}
    set -e
    secs=$((SECONDS - t0))
    # the server the run tested (its version()), which must be pg_config's
    tested=$(sed -n 's/.*testing against: \(PostgreSQL .*\)\x1b\[0m$/\1/p' "$out/$label.log" | head -1)
    if [ "$pgc" = debian ]; then
        want=$(/usr/lib/postgresql/15/bin/pg_config --version 2>/dev/null || echo "PostgreSQL 15")
    else
        want=$("$pgc" --version)
    fi
    verdict=passed
    if [ "$rc" != 0 ]; then
        verdict=FAILED; failed=1
    elif [[ $tested != "$want on "* ]]; then
        verdict="FAILED (tested '${tested:-no server}', wanted '$want')"; failed=1
    fi
    labels+=("$label")
    results+=("$(printf '%-12s %-7s %4d s  %s' "$label" "${verdict%% *}" "$secs" "${tested:-(no server)}")")
    [ "${verdict%% *}" = passed ] || say "matrix: $label: $verdict"
done

# the documented examples and cookbook results must not depend on the version
docs=()
for l in "${labels[@]}"; do [ -s "$out/$l.docs" ] && docs+=("$out/$l.docs"); done
if [ ${#labels[@]} -lt 2 ]; then
    docs_note="docs outputs: one version, nothing to compare"
elif [ ${#docs[@]} != ${#labels[@]} ]; then
    docs_note="docs outputs: not compared (the docs suite did not run on every version)"
else
    docs_note="docs outputs: identical on all ${#docs[@]} versions ($(wc -l <"${docs[0]}") lines)"
    for d in "${docs[@]:1}"; do
        if ! cmp -s "${docs[0]}" "$d"; then
            diff -u "${docs[0]}" "$d" | head -80 >&2 || true
            docs_note="docs outputs: $(basename "$d" .docs) differs from $(basename "${docs[0]}" .docs) (diff above): FAILED"
            failed=1
        fi
    done
fi

say "matrix summary ($((SECONDS - t_all)) s; logs in $out)"
printf '  %s\n' "${results[@]}" >&2
say "$docs_note"
if [ $failed != 0 ]; then
    say "matrix FAILED"
    exit 1
fi
say "matrix passed on ${#labels[@]} installation(s)"
