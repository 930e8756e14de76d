#!/usr/bin/env bash
# Stored values outlive upgrades (README "Upgrading PostgreSQL and socroi").
# A database with a table for EVERY type of the extension (and its array
# type), filled from test/suites/upgrades_fixtures.sql -- the suite fails
# naming any type without sample values -- goes through:
#
#  1. pg_dump / restore, plain and custom format, into fresh databases:
#     every value's text, binary form and final step (states; a use of
#     stored models) equal.  States carrying a newer format version than the
#     library reads (text, binary, stored bytes), and models of a later kind,
#     raise 0A000, never a number.
#  2. socroi's own updates:
#     a. live, when the git history has the releases: 0.1.0 and 0.2.0 built
#        from their commits and installed into a private copy of PostgreSQL
#        15, values written by each, the library replaced by the next one
#        (as a package upgrade does), ALTER EXTENSION socroi UPDATE, values
#        compared after each step;
#     b. the values socroi 0.1.0 and 0.2.0 wrote with their own libraries
#        (frozen in test/suites/upgrades_frozen/ by part a: their stored
#        bytes, text and binary forms, and what their final steps returned)
#        read by the current library, before and after ALTER EXTENSION
#        socroi UPDATE; their text and binary forms through today's input
#        and receive functions; each old database dumped and restored under
#        the current version.
#  3. pg_upgrade across PostgreSQL majors, --copy and --link, from the
#     oldest installation to the newest one by one (15 -> 16 -> 17 -> 18),
#     socroi built and installed into each: every value (text, final step,
#     binary form, stored bytes) equal on every version, the binary forms
#     written by the first version received by every later one, and
#     ALTER EXTENSION socroi UPDATE of a 0.2.0 installation on the last.
#
# Installations for part 3: SOCROI_PG_CONFIGS="pg_config ..." (the version
# matrix sets it), else Debian's PostgreSQL 15 and the releases among
# SOCROI_PG_ARCHIVES/pgNN.tar.xz (default ../shared/pg next to the
# repository), extracted under .build/upgrades/.  Fewer than two
# installations: part 3 is skipped with a line saying so.
#
#   test/suites/upgrades.sh           (from scripts/test.sh, cluster running)
#   test/suites/upgrades.sh --freeze  also rewrite upgrades_frozen/*.json from
#                                     the live run of part 2a
#   SOCROI_UPGRADES_PARTS="1 2a 2b"   only these parts (default all: 1 2a 2b 3;
#                                     e.g. a matrix run that is not the one
#                                     doing the chain leaves out 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PY=/usr/bin/python3
UPG=$ROOT/test/suites/upgrades.py
FROZEN=$ROOT/test/suites/upgrades_frozen
W=$ROOT/.build/upgrades              # kept between runs: private installs, old builds
cur_version=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" socroi.control)
# releases, the commit each was released from (0.1.0: the tree frozen as
# 0.1.0; 0.2.0: the last commit before 0.3.0 began)
OLD_RELEASES=("0.1.0 69f3dd57b63351b9de775e7db755d894a8f37ef7"
              "0.2.0 2d4e7961d3266456a091ccf2d555c28c96be0a0d")
DEBIAN_PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
freeze=0
[ "${1:-}" = --freeze ] && freeze=1
parts=" ${SOCROI_UPGRADES_PARTS:-1 2a 2b 3} "
want() { [[ $parts == *" $1 "* ]]; }

say() { printf '%s\n' "$*"; }
step() { printf '\033[1m  -- %s\033[0m\n' "$*"; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

mkdir -p "$W"
chmod a+rx "$ROOT/.build" "$W" 2>/dev/null || true
T=$(mktemp -d "${TMPDIR:-/tmp}/socroi-upgrades.XXXXXX")
chmod 755 "$T"
[ "$(id -u)" = 0 ] && chown postgres: "$T"
started=()          # "bindir datadir" of the clusters this suite started
cleanup() {
    local rc=$? c
    for c in "${started[@]}"; do
        # shellcheck disable=SC2086
        set -- $c
        [ -f "$2/postmaster.pid" ] && as_pg "$1/pg_ctl" -D "$2" -m immediate -w stop >/dev/null 2>&1 || true
    done
    [ "${SOCROI_KEEP:-0}" = 1 ] && say "upgrades: kept $T" || rm -rf "$T"
    return $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

failed=0
t_all=$SECONDS

# the test cluster's tools (matching its server), else what PATH has
TB=${SOCROI_BINDIR:-}
tool() { if [ -n "$TB" ] && [ -x "$TB/$1" ]; then echo "$TB/$1"; else command -v "$1"; fi; }
PSQL=$(tool psql)

fresh_db() {   # NAME [VERSION]: a new database with socroi installed
    "$PSQL" -XAtq -d postgres -c 'SET client_min_messages = warning' -c "DROP DATABASE IF EXISTS $1" \
        -c "CREATE DATABASE $1" >/dev/null
    if [ -n "${2:-}" ]; then
        "$PSQL" -XAtq -d "$1" -v ON_ERROR_STOP=1 -c "CREATE EXTENSION socroi VERSION '$2'" >/dev/null
    else
        "$PSQL" -XAtq -d "$1" -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION socroi' >/dev/null
    fi
}
upg() { PGDATABASE=$1 "$PY" "$UPG" "${@:2}"; }
update_ext() {   # DB [VERSION]: ALTER EXTENSION socroi UPDATE reaches VERSION (default: the current)
    local v want=${2:-$cur_version}
    "$PSQL" -XAtq -d "$1" -v ON_ERROR_STOP=1 -c 'SET client_min_messages = warning' \
        -c 'ALTER EXTENSION socroi UPDATE' >/dev/null
    v=$("$PSQL" -XAtq -d "$1" -c "SELECT extversion FROM pg_extension WHERE extname = 'socroi'")
    if [ "$v" != "$want" ]; then
        say "  FAIL $1: ALTER EXTENSION socroi UPDATE left version $v, expected $want" >&2
        return 1
    fi
    say "  $1: ALTER EXTENSION socroi UPDATE -> $v"
}

# ============================================================ private installations
# A private copy of an installation (same absolute paths under $1) with the
# current socroi built in a scratch copy of the tree and installed into it.
# Prints the copy's bindir.
pg_major() { "$1" --version | sed -n 's/^PostgreSQL \([0-9][0-9]*\).*/\1/p'; }
private_install() {   # PG_CONFIG ROOTDIR [SOURCE_DIR]
    local pgc=$1 root=$2 src=${3:-} bindir d build
    bindir=$("$pgc" --bindir)
    if [ ! -x "$root$bindir/postgres" ]; then
        rm -rf "$root"
        for d in "$(dirname "$bindir")" "$("$pgc" --sharedir)" "$("$pgc" --pkglibdir)"; do
            [ -e "$root$d" ] && continue
            mkdir -p "$root$(dirname "$d")"
            cp -a "$d" "$root$(dirname "$d")/"
        done
        chmod -R a+rX "$root"
    fi
    if [ -z "$src" ]; then
        # the current tree, built in a scratch copy per major (object files
        # of different versions never mix)
        build=$W/build/$(pg_major "$pgc")
        mkdir -p "$build/src"
        cp -a Makefile socroi.control "$build/"
        rm -rf "$build/sql" && cp -a sql "$build/"
        # sources only (mtimes kept, so make rebuilds what changed); drop
        # the objects of sources that are gone
        (cd src && find . -name '*.[ch]' -print0) | (cd src && xargs -0 cp -a --parents -t "$build/src")
        (cd "$build/src" && find . -name '*.c') | while read -r f; do
            [ -f "src/$f" ] || rm -f "$build/src/$f" "$build/src/${f%.c}.o" "$build/src/${f%.c}.bc"
        done
        src=$build
    fi
    make -C "$src" -s -j"$(nproc 2>/dev/null || echo 2)" PG_CONFIG="$pgc" >"$T/build.log" 2>&1 \
        || { cat "$T/build.log" >&2; return 1; }
    make -C "$src" -s install PG_CONFIG="$pgc" DESTDIR="$root" >"$T/build.log" 2>&1 \
        || { cat "$T/build.log" >&2; return 1; }
    echo "$root$bindir"
}
port=55430
new_cluster() {   # BINDIR DATADIR: initdb (checksums on every version, as 18 defaults to)
    as_pg "$1/initdb" -D "$2" -U postgres --auth=trust --encoding=UTF8 --locale=C -k >"$T/initdb.log" 2>&1 \
        || { cat "$T/initdb.log" >&2; return 1; }
    cat >>"$2/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$T'
fsync = off
lc_messages = 'C'
max_parallel_workers_per_gather = 2
EOF
}
start_cluster() {   # BINDIR DATADIR: start on a port of its own; exports PGHOST/PGPORT
    port=$((port + 1))
    as_pg "$1/pg_ctl" -D "$2" -o "-p $port" -l "$2.log" -w start >/dev/null \
        || { cat "$2.log" >&2; return 1; }
    started+=("$1 $2")
    export PGHOST=$T PGPORT=$port PGUSER=postgres
}
stop_cluster() {
    as_pg "$1/pg_ctl" -D "$2" -m fast -w stop >/dev/null
    if grep -E 'terminated by signal|was terminated by exception' "$2.log" >&2; then
        say "  FAIL a backend crashed (log $2.log)" >&2; return 1
    fi
}

# Debian's PostgreSQL 15.20 records a version in every column's attoptions
# (pg_attver=<LSN>; with it the server refuses composite values whose row
# type was altered after they were written).  PostgreSQL 16.14 predates
# that: pg_upgrade's dump copies the option and the new server rejects it
# ('unrecognized parameter "pg_attver"') for ANY database with a table, with
# or without socroi.  When the old cluster has the option and the new server
# does not know it, the old cluster's copy loses it before pg_upgrade (and
# the suite says so); composite values keep their bytes, the newer servers
# read them as before (named row types ignore the typmod field it lives in).
attver_workaround() {   # OLD_BINDIR OLD_DATA NEW_BINDIR NEW_DATA MAJOR_OLD MAJOR_NEW
    local n known db
    start_cluster "$1" "$2"
    n=$("$PSQL" -XAtq -d postgres -c "SELECT count(*) FROM pg_attribute WHERE attoptions::text LIKE '%pg_attver=%'")
    if [ "$n" = 0 ]; then stop_cluster "$1" "$2"; return 0; fi
    as_pg "$1/pg_ctl" -D "$2" -m fast -w stop >/dev/null
    start_cluster "$3" "$4"
    known=$("$PSQL" -XAtq -d postgres -v ON_ERROR_STOP=1 -c 'CREATE TEMP TABLE t (a int)' \
        -c 'ALTER TABLE t ALTER COLUMN a SET (pg_attver = 1)' -c 'SELECT 1' 2>/dev/null || true)
    stop_cluster "$3" "$4"
    start_cluster "$1" "$2"
    if [ "$known" != 1 ]; then
        say "  note: PostgreSQL $5 records column versions (attoptions pg_attver) that $6 does not know;"
        say "        pg_upgrade fails on them for any table: removed from the old cluster's copy first"
        for db in $("$PSQL" -XAtq -d postgres -c "SELECT datname FROM pg_database WHERE datallowconn"); do
            "$PSQL" -XAtq -d "$db" -v ON_ERROR_STOP=1 -c "UPDATE pg_attribute SET attoptions =
                NULLIF(array(SELECT o FROM unnest(attoptions) o WHERE o NOT LIKE 'pg_attver=%'), '{}')
                WHERE attoptions::text LIKE '%pg_attver=%'" >/dev/null
        done
    fi
    stop_cluster "$1" "$2"
}

# ============================================================ 1. dump / restore
t0=$SECONDS
if want 1; then
step "1. pg_dump / restore (plain and custom format) on $("$PSQL" -XAtqc 'SHOW server_version')"
fresh_db socroi_upg_src
upg socroi_upg_src load || failed=1
upg socroi_upg_src snapshot "$T/src.json" || failed=1
"$(tool pg_dump)" -Fp -d socroi_upg_src >"$T/plain.sql"
"$(tool pg_dump)" -Fc -d socroi_upg_src >"$T/custom.dump"
"$PSQL" -XAtq -d postgres -c 'SET client_min_messages = warning' \
    -c 'DROP DATABASE IF EXISTS socroi_upg_plain' -c 'CREATE DATABASE socroi_upg_plain' \
    -c 'DROP DATABASE IF EXISTS socroi_upg_custom' -c 'CREATE DATABASE socroi_upg_custom' >/dev/null
"$PSQL" -Xq -d socroi_upg_plain -v ON_ERROR_STOP=1 -f "$T/plain.sql" >/dev/null
"$(tool pg_restore)" --exit-on-error -d socroi_upg_custom "$T/custom.dump"
for f in plain custom; do
    upg socroi_upg_$f snapshot "$T/$f.json" >/dev/null || failed=1
    upg socroi_upg_$f compare "$T/src.json" "$T/$f.json" --label "restored from a $f dump" \
        --binary base || failed=1
done
step "   states with a newer format version"
upg socroi_upg_src newer || failed=1
say "  (part 1: $((SECONDS - t0)) s)"
fi

# ============================================================ 2a. old libraries, live
t0=$SECONDS
step "2a. socroi 0.1.0 and 0.2.0 libraries write values; library replaced; ALTER EXTENSION UPDATE"
live=1
if ! want 2a; then
    say "  skipped: not in SOCROI_UPGRADES_PARTS"; live=0
elif ! command -v git >/dev/null || ! git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
    say "  skipped: not a git checkout (the frozen values of part 2b cover the releases)"; live=0
else
    for rel in "${OLD_RELEASES[@]}"; do
        if ! git -C "$ROOT" cat-file -e "${rel#* }^{commit}" 2>/dev/null; then
            say "  skipped: the git history lacks commit ${rel#* } (release ${rel%% *}); a shallow clone?"
            say "  (the frozen values of part 2b cover the releases)"
            live=0; break
        fi
    done
fi
if [ $live = 1 ] && [ ! -x "$DEBIAN_PG_CONFIG" ]; then
    say "  skipped: no PostgreSQL 15 at $DEBIAN_PG_CONFIG to build the releases for"; live=0
fi
if [ $live = 1 ]; then
    (   # in a subshell: PGHOST/PGPORT of the private cluster stay here
    set -e
    oroot=$W/root-releases
    # the releases, built once from their commits
    for rel in "${OLD_RELEASES[@]}"; do
        v=${rel%% *}; rev=${rel#* }
        b=$W/release/$v-${rev:0:12}
        if [ ! -f "$b/socroi.so" ]; then
            rm -rf "$b" && mkdir -p "$b"
            git -C "$ROOT" archive "$rev" | tar -x -C "$b"
        fi
    done
    rb() { echo "$W/release/$1-$(for r in "${OLD_RELEASES[@]}"; do [ "${r%% *}" = "$1" ] && echo "${r#* }"; done | cut -c1-12)"; }
    bin=$(private_install "$DEBIAN_PG_CONFIG" "$oroot" "$(rb 0.1.0)")
    data=$T/releases
    new_cluster "$bin" "$data"
    rc=0
    start_cluster "$bin" "$data"
    fresh_db socroi_upg_010
    upg socroi_upg_010 load || rc=1
    upg socroi_upg_010 snapshot "$T/live-0.1.0.json" --raw >/dev/null || rc=1
    stop_cluster "$bin" "$data"

    private_install "$DEBIAN_PG_CONFIG" "$oroot" "$(rb 0.2.0)" >/dev/null
    start_cluster "$bin" "$data"
    upg socroi_upg_010 snapshot "$T/live-010-lib020.json" >/dev/null || rc=1
    upg socroi_upg_010 compare "$T/live-0.1.0.json" "$T/live-010-lib020.json" --binary all --raw \
        --label "0.1.0's values under the 0.2.0 library" >"$T/cmp.out" || { cat "$T/cmp.out"; rc=1; }
    head -1 "$T/cmp.out"
    update_ext socroi_upg_010 0.2.0 || rc=1
    fresh_db socroi_upg_020
    upg socroi_upg_020 load || rc=1
    upg socroi_upg_020 snapshot "$T/live-0.2.0.json" --raw >/dev/null || rc=1
    stop_cluster "$bin" "$data"

    private_install "$DEBIAN_PG_CONFIG" "$oroot" >/dev/null
    start_cluster "$bin" "$data"
    for v in 0.1.0 0.2.0; do
        db=socroi_upg_${v//./}
        upg "$db" snapshot "$T/live-$v-lib.json" >/dev/null || rc=1
        upg "$db" compare "$T/live-$v.json" "$T/live-$v-lib.json" --binary all --raw \
            --label "values written by the $v library, read by the current one" || rc=1
        update_ext "$db" || rc=1
        upg "$db" snapshot "$T/live-$v-updated.json" >/dev/null || rc=1
        upg "$db" compare "$T/live-$v.json" "$T/live-$v-updated.json" --binary all --raw \
            --label "the same after ALTER EXTENSION socroi UPDATE" >"$T/cmp.out" || { cat "$T/cmp.out"; rc=1; }
        head -1 "$T/cmp.out"
        # what the release writes today vs its frozen values
        "$PY" "$UPG" freeze "$T/live-$v.json" "$T/frozen-$v.json" >/dev/null
        if [ $freeze = 1 ]; then
            mkdir -p "$FROZEN" && cp "$T/frozen-$v.json" "$FROZEN/$v.json"
            say "  froze $FROZEN/$v.json"
        elif ! cmp -s "$T/frozen-$v.json" "$FROZEN/$v.json"; then
            say "  note: the $v library now writes other values than upgrades_frozen/$v.json holds"
            say "        (the fixture blocks for $v changed?); regenerate with upgrades.sh --freeze"
        else
            say "  the $v library writes exactly the frozen values (upgrades_frozen/$v.json)"
        fi
    done
    stop_cluster "$bin" "$data"
    exit $rc
    ) || failed=1
fi
say "  (part 2a: $((SECONDS - t0)) s)"

# ============================================================ 2b. frozen values of old releases
t0=$SECONDS
if want 2b; then
step "2b. values written by earlier releases' libraries (upgrades_frozen/)"
for rel in "${OLD_RELEASES[@]}"; do
    v=${rel%% *}; db=socroi_upg_frozen_${v//./}
    fz=$FROZEN/$v.json
    if [ ! -f "$fz" ]; then
        say "  FAIL no frozen values for $v ($fz): run test/suites/upgrades.sh --freeze" >&2
        failed=1; continue
    fi
    fresh_db "$db" "$v"
    upg "$db" load --frozen "$fz" || failed=1
    upg "$db" snapshot "$T/frozen-$v-before.json" >/dev/null || failed=1
    upg "$db" compare "$fz" "$T/frozen-$v-before.json" --label "socroi $v's values, current library, extension still $v" \
        --binary base >/dev/null || failed=1
    # a dump of the old installation restored as the README says: into a
    # database where the dump's socroi version is created first (a composite
    # type that gained attributes, like bgnbd_model's se_* in 0.3.0, reads the
    # dump's rows only in its old shape), then updated
    "$(tool pg_dump)" -Fc -d "$db" >"$T/frozen-$v.dump"
    "$PSQL" -XAtq -d postgres -c 'SET client_min_messages = warning' -c "DROP DATABASE IF EXISTS ${db}_restored" \
        -c "CREATE DATABASE ${db}_restored" >/dev/null
    "$PSQL" -XAtq -d "${db}_restored" -c "CREATE EXTENSION socroi VERSION '$v'" >/dev/null
    "$(tool pg_restore)" --exit-on-error -d "${db}_restored" "$T/frozen-$v.dump" || failed=1
    update_ext "${db}_restored" || failed=1
    upg "${db}_restored" snapshot "$T/frozen-$v-restored.json" >/dev/null || failed=1
    upg "${db}_restored" compare "$fz" "$T/frozen-$v-restored.json" \
        --label "socroi $v's values dumped, restored into socroi $v and updated to $cur_version" --binary base || failed=1
    update_ext "$db" || failed=1
    upg "$db" snapshot "$T/frozen-$v-after.json" >/dev/null || failed=1
    upg "$db" compare "$fz" "$T/frozen-$v-after.json" \
        --label "socroi $v's stored values after ALTER EXTENSION socroi UPDATE" --binary base || failed=1
    upg "$db" frozen-inputs "$fz" || failed=1
    "$PSQL" -XAtq -d postgres -c "DROP DATABASE ${db}_restored" >/dev/null
done
say "  (part 2b: $((SECONDS - t0)) s)"
fi

# ============================================================ 3. pg_upgrade across majors
t0=$SECONDS
step "3. pg_upgrade across PostgreSQL majors (--copy and --link)"
configs=()
if ! want 3; then
    say "  skipped: not in SOCROI_UPGRADES_PARTS"
elif [ -n "${SOCROI_PG_CONFIGS:-}" ]; then
    read -r -a configs <<<"$SOCROI_PG_CONFIGS"
else
    [ -x "$DEBIAN_PG_CONFIG" ] && configs+=("$DEBIAN_PG_CONFIG")
    arch=${SOCROI_PG_ARCHIVES:-$ROOT/../shared/pg}
    for a in "$arch"/pg[0-9][0-9].tar.xz; do          # releases; betas only by SOCROI_PG_CONFIGS
        [ -e "$a" ] || continue
        name=$(basename "$a" .tar.xz)
        x=$W/pgm/$name
        if [ ! -x "$x/$name/bin/pg_config" ] || [ "$a" -nt "$x/.extracted" ]; then
            rm -rf "$x" && mkdir -p "$x"
            tar -xJf "$a" -C "$x" && touch "$x/.extracted"
            chmod -R a+rX "$x"
        fi
        pgc=$(ls "$x"/*/bin/pg_config 2>/dev/null | head -1)
        [ -n "$pgc" ] && configs+=("$pgc")
    done
fi
# one per major, ascending
if [ ${#configs[@]} -gt 0 ]; then
    mapfile -t configs < <(for c in "${configs[@]}"; do echo "$(pg_major "$c") $c"; done | sort -n -u -k1,1 | cut -d' ' -f2-)
fi
if want 3 && [ ${#configs[@]} -lt 2 ]; then
    say "  skipped: fewer than two PostgreSQL installations (set SOCROI_PG_CONFIGS=\"pg_config ...\","
    say "  or put the pgNN.tar.xz builds in ${SOCROI_PG_ARCHIVES:-../shared/pg})"
elif [ ${#configs[@]} -ge 2 ]; then
    (
    set -e
    rc=0
    bins=(); majors=()
    for c in "${configs[@]}"; do
        m=$(pg_major "$c")
        tb=$SECONDS
        bins+=("$(private_install "$c" "$W/root/$m")")
        majors+=("$m")
        say "  PostgreSQL $("$c" --version | cut -d' ' -f2): socroi built and installed into a private copy ($((SECONDS - tb)) s)"
    done
    say "  chain: ${majors[*]}"
    # the first cluster: current values, and 0.2.0's values in a 0.2.0 installation
    d0=$T/pg${majors[0]}
    new_cluster "${bins[0]}" "$d0"
    start_cluster "${bins[0]}" "$d0"
    fresh_db socroi_upg_cur
    upg socroi_upg_cur load >/dev/null || rc=1
    upg socroi_upg_cur snapshot "$T/chain-cur-0.json" >/dev/null || rc=1
    fresh_db socroi_upg_old 0.2.0
    upg socroi_upg_old load --frozen "$FROZEN/0.2.0.json" >/dev/null || rc=1
    upg socroi_upg_old snapshot "$T/chain-old-0.json" >/dev/null || rc=1
    upg socroi_upg_old compare "$FROZEN/0.2.0.json" "$T/chain-old-0.json" --binary base \
        --label "0.2.0's values (frozen) in a 0.2.0 installation on PostgreSQL ${majors[0]}" >"$T/cmp.out" \
        || { cat "$T/cmp.out"; rc=1; }
    head -1 "$T/cmp.out"
    stop_cluster "${bins[0]}" "$d0"
    for mode in copy link; do
        prev=$T/$mode-${majors[0]}
        cp -a "$d0" "$prev"
        for ((i = 1; i < ${#bins[@]}; i++)); do
            next=$T/$mode-${majors[i]}
            new_cluster "${bins[i]}" "$next"
            work=$T/work-$mode-${majors[i]}
            mkdir -p "$work" && { [ "$(id -u)" != 0 ] || chown postgres: "$work"; }
            tu=$SECONDS
            attver_workaround "${bins[i-1]}" "$prev" "${bins[i]}" "$next" "${majors[i-1]}" "${majors[i]}"
            if ! (cd "$work" && as_pg "${bins[i]}/pg_upgrade" -b "${bins[i-1]}" -B "${bins[i]}" \
                    -d "$prev" -D "$next" -U postgres -s "$T" -p 55401 -P 55402 "--$mode" \
                    >"$work/out.log" 2>&1); then
                cat "$work/out.log" >&2
                find "$next/pg_upgrade_output.d" -name '*.log' -exec tail -n 20 {} + >&2 || true
                say "  FAIL pg_upgrade --$mode ${majors[i-1]} -> ${majors[i]}" >&2
                exit 1
            fi
            start_cluster "${bins[i]}" "$next"
            say "  pg_upgrade --$mode ${majors[i-1]} -> ${majors[i]}: $((SECONDS - tu)) s"
            for db in cur old; do
                upg socroi_upg_$db snapshot "$T/chain-$db-$mode-${majors[i]}.json" >/dev/null || rc=1
                upg socroi_upg_$db compare "$T/chain-$db-0.json" "$T/chain-$db-$mode-${majors[i]}.json" \
                    --binary all --raw --label "PostgreSQL ${majors[0]} -> ${majors[i]} (--$mode), socroi_upg_$db" \
                    >"$T/cmp.out" || { cat "$T/cmp.out"; rc=1; }
                head -1 "$T/cmp.out"
            done
            upg socroi_upg_cur recv "$T/chain-cur-0.json" \
                --label "binary forms sent by PostgreSQL ${majors[0]}, received by ${majors[i]}" || rc=1
            if [ $((i + 1)) -lt ${#bins[@]} ]; then
                stop_cluster "${bins[i]}" "$next"
            fi
            prev=$next
        done
        # on the newest version: socroi's own update after the upgrade
        update_ext socroi_upg_old || rc=1
        update_ext socroi_upg_cur || rc=1
        for db in cur old; do
            upg socroi_upg_$db snapshot "$T/chain-$db-$mode-updated.json" >/dev/null || rc=1
            upg socroi_upg_$db compare "$T/chain-$db-0.json" "$T/chain-$db-$mode-updated.json" \
                --binary all --raw --label "after ALTER EXTENSION socroi UPDATE on PostgreSQL ${majors[-1]} (--$mode), socroi_upg_$db" \
                || rc=1
        done
        [ $mode = copy ] && { upg socroi_upg_cur newer || rc=1; }
        stop_cluster "${bins[-1]}" "$prev"
    done
    exit $rc
    ) || failed=1
fi
say "  (part 3: $((SECONDS - t0)) s)"

"$PSQL" -XAtq -d postgres -c 'SET client_min_messages = warning' \
    -c 'DROP DATABASE IF EXISTS socroi_upg_src' -c 'DROP DATABASE IF EXISTS socroi_upg_plain' \
    -c 'DROP DATABASE IF EXISTS socroi_upg_custom' -c 'DROP DATABASE IF EXISTS socroi_upg_frozen_010' \
    -c 'DROP DATABASE IF EXISTS socroi_upg_frozen_020' >/dev/null
say "upgrades: $((SECONDS - t_all)) s"
exit $failed
