#!/usr/bin/env bash
# Runs the regression suites (pg_regress and pgTAP) with the server under
# valgrind memcheck (--trace-children=yes, suppressions in
# test/valgrind/postgres.supp) and reports every invalid read/write, use of
# uninitialised memory or invalid free whose stack has a socroi frame.
# Fails when there is one.
#
#   scripts/valgrind.sh [test names...]    (as scripts/test.sh)
source "$(dirname "$0")/lib.sh"
socroi_deps valgrind
socroi_build_install
cd "$SOCROI_ROOT"

SOCROI_TMP=$(mktemp -d "${TMPDIR:-/tmp}/socroi-vg.XXXXXX")
trap socroi_cluster_stop EXIT
[ "$(id -u)" = 0 ] && chown postgres: "$SOCROI_TMP"
chmod 755 "$SOCROI_TMP"
as_pg "$SOCROI_BINDIR/initdb" -D "$SOCROI_TMP/data" -U postgres --auth=trust \
    --encoding=UTF8 --locale=C >/dev/null
cat >>"$SOCROI_TMP/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$SOCROI_TMP'
fsync = off
max_parallel_workers_per_gather = 2
lc_messages = 'C'
jit = off
CONF
mkdir -p "$SOCROI_TMP/vg" && chmod 777 "$SOCROI_TMP/vg"
say "starting postgres under valgrind (slow)"
as_pg valgrind --quiet --trace-children=yes --track-origins=yes --num-callers=40 \
    --error-limit=no --read-var-info=no \
    --suppressions="$SOCROI_ROOT/test/valgrind/postgres.supp" \
    --log-file="$SOCROI_TMP/vg/%p.log" \
    "$SOCROI_BINDIR/postgres" -D "$SOCROI_TMP/data" >"$SOCROI_TMP/server.log" 2>&1 &
export PGHOST=$SOCROI_TMP PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
for _ in $(seq 1 120); do pg_isready -q && break; sleep 1; done
SOCROI_SERVER_LOG=$SOCROI_TMP/server.log
SOCROI_POSTMASTER_START=$(psql -XAtqc 'SELECT pg_postmaster_start_time()')
export SOCROI_SERVER_LOG SOCROI_POSTMASTER_START SOCROI_BINDIR

# pg_regress and pgTAP (the shell suites would take hours under valgrind;
# name them to include them: scripts/valgrind.sh aggregates)
SOCROI_SKIP_SUITES=$([ $# -eq 0 ] && echo 1 || echo 0) ./scripts/test.sh --no-setup "$@" || say "(test failures under valgrind are listed above)"

as_pg "$SOCROI_BINDIR/pg_ctl" -D "$SOCROI_TMP/data" -m fast -w -t 300 stop >/dev/null || true
/usr/bin/python3 - "$SOCROI_TMP/vg" <<'PY'
import glob, re, sys
errors = 0
total = 0
for path in glob.glob(sys.argv[1] + "/*.log"):
    text = open(path, errors="replace").read()
    # memcheck separates error reports with blank lines after "==pid== "
    blocks = re.split(r"\n==\d+== \n", text)
    for b in blocks:
        if not re.search(r"(Invalid (read|write|free)|uninitialised|Mismatched free|overlap)", b):
            continue
        total += 1
        if "socroi" in b:
            errors += 1
            print(b.strip() + "\n", file=sys.stderr)
print(f"valgrind: {total} memcheck reports in the server, {errors} with a socroi frame")
sys.exit(1 if errors else 0)
PY
