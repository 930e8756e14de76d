#!/usr/bin/env bash
# The test command: installs what is missing, builds with -Werror, installs
# the extension, starts a throwaway cluster, runs the pg_regress suite
# (installcheck) and every pgTAP suite (pg_prove), checks that no backend
# crashed, and stops the cluster.  Exits non-zero on any failure.
#
#   scripts/test.sh                 everything
#   scripts/test.sh roi attribution only these pg_regress tests / pgTAP files
#                                   / suites (an unknown name fails)
#   scripts/test.sh --no-setup ...  use the running server of PGHOST/PGPORT
#                                   (scripts/valgrind.sh)
#
#   PG_CONFIG=/usr/lib/postgresql/17/bin/pg_config scripts/test.sh
#                                   build for, install into and test against
#                                   that installation (its initdb, pg_ctl,
#                                   postgres, psql, pg_regress and pgTAP);
#                                   without PG_CONFIG, Debian's PostgreSQL 15.
#                                   The log names the server it tested
#                                   ("testing against: PostgreSQL ..."); a
#                                   server of another version is refused.
#                                   scripts/test-matrix.sh runs several.
source "$(dirname "$0")/lib.sh"
t_start=$SECONDS

if [ "${1:-}" = --no-setup ]; then
    shift
    socroi_pg_select
    socroi_check_server_version
else
    socroi_deps
    socroi_build_install
    socroi_cluster_start
fi
cd "$SOCROI_ROOT"

failed=0
only=("$@")
# a name that matches no test is a typo, not a pass
for t in "${only[@]}"; do
    if [ ! -f "test/sql/$t.sql" ] && [ ! -f "test/pgtap/$t.sql" ] && [ ! -f "test/suites/$t.sh" ]; then
        echo "no pg_regress test, pgTAP file or suite is named '$t'" >&2
        failed=1
    fi
done

say "pg_regress (make installcheck)"
t0=$SECONDS
if [ ${#only[@]} -gt 0 ]; then
    regress=()
    for t in "${only[@]}"; do [ -f "test/sql/$t.sql" ] && regress+=("$t"); done
else
    regress=(default)
fi
if [ "${regress[*]}" = default ]; then
    make -s installcheck PG_CONFIG="$PG_CONFIG" || failed=1
elif [ ${#regress[@]} -gt 0 ]; then
    make -s installcheck PG_CONFIG="$PG_CONFIG" REGRESS="${regress[*]}" || failed=1
fi
if [ $failed = 1 ] && [ -f regression.diffs ]; then head -200 regression.diffs >&2; fi
say "  pg_regress: $((SECONDS - t0)) s"

say "pgTAP (pg_prove)"
t0=$SECONDS
tap=()
for f in test/pgtap/*.sql; do
    [ -e "$f" ] || continue
    if [ ${#only[@]} -gt 0 ]; then
        b=$(basename "$f" .sql)
        keep=0
        for t in "${only[@]}"; do [ "$b" = "$t" ] && keep=1; done
        [ $keep = 1 ] || continue
    fi
    tap+=("$f")
done
if [ ${#tap[@]} -gt 0 ]; then
    # pgTAP is the installation's own (postgresql-NN-pgtap, or installed
    # into a source build); pg_prove is Debian's, driving the installation's psql
    if [ "$(psql -XAtqc "SELECT count(*) FROM pg_available_extensions WHERE name = 'pgtap'")" != 1 ]; then
        say "FAIL: pgTAP is not installed in $SOCROI_PG_VERSION ($("$PG_CONFIG" --sharedir)/extension)"
        exit 1
    fi
    psql -XAtq -c 'DROP DATABASE IF EXISTS socroi_tap' -c 'CREATE DATABASE socroi_tap' >/dev/null
    psql -XAtq -d socroi_tap -v ON_ERROR_STOP=1 \
        -c 'CREATE EXTENSION socroi' -c 'CREATE EXTENSION pgtap' >/dev/null
    pg_prove --psql-bin "$SOCROI_BINDIR/psql" --ext .sql -d socroi_tap -U postgres "${tap[@]}" || failed=1
fi
say "  pgTAP: $((SECONDS - t0)) s"

# further suites (adversarial inputs, upgrade path, client library, ...)
for s in test/suites/*.sh; do
    [ -e "$s" ] || continue
    [ "${SOCROI_SKIP_SUITES:-0}" = 1 ] && break
    if [ ${#only[@]} -gt 0 ]; then
        b=$(basename "$s" .sh); keep=0
        for t in "${only[@]}"; do [ "$b" = "$t" ] && keep=1; done
        [ $keep = 1 ] || continue
    fi
    say "suite $(basename "$s")"
    t0=$SECONDS
    bash "$s" || failed=1
    say "  $(basename "$s"): $((SECONDS - t0)) s"
done

socroi_check_no_crash || failed=1

if [ $failed != 0 ]; then
    say "FAILED on $SOCROI_PG_VERSION ($((SECONDS - t_start)) s)"
    exit 1
fi
say "all tests passed on $SOCROI_PG_VERSION ($((SECONDS - t_start)) s)"
