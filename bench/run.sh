#!/usr/bin/env bash
# Benchmarks: generate the bench data (bench/data/*.sql) in a throwaway
# cluster, then time every case of bench/cases/*.sql (best of 3, same run) and
# print a table of milliseconds and ratios.  Not part of the test command.
#
#   bench/run.sh                 all case files
#   bench/run.sh attribution     only bench/cases/*attribution*.sql
source "$(dirname "$0")/../scripts/lib.sh"

socroi_deps
socroi_build_install
socroi_cluster_start
cd "$SOCROI_ROOT"

export PGDATABASE=socroi_bench
psql -XAtq -d postgres -c 'CREATE DATABASE socroi_bench' >/dev/null
psql -XAtq -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION socroi' >/dev/null
say "generating bench data"
for f in bench/data/*.sql; do
    [ -e "$f" ] || continue
    say "  $(basename "$f")"
    psql -Xq -v ON_ERROR_STOP=1 -f "$f" >/dev/null
done
psql -XAtq -c 'VACUUM ANALYZE' >/dev/null
say "timing (best of 3)"
/usr/bin/python3 bench/timing.py "$@"
# comparisons with tools outside the database (bench/*.py other than timing.py)
for s in bench/*.py; do
    [ "$(basename "$s")" = timing.py ] && continue
    run=0
    [ $# -eq 0 ] && run=1
    for p in "$@"; do case "$(basename "$s")" in *"$p"*) run=1 ;; esac; done
    [ $run = 1 ] || continue
    say "  $(basename "$s")"
    /usr/bin/python3 "$s"
done
