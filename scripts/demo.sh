#!/usr/bin/env bash
# The demo: installs what is missing, builds and installs socroi, starts a
# throwaway cluster, loads a generated sample warehouse
# (scripts/demo/warehouse/*.sql, fixed setseed) and prints the reports
# (scripts/demo/reports/*.sql).  The cluster is removed on exit.
source "$(dirname "$0")/lib.sh"

socroi_deps
socroi_build_install
socroi_cluster_start
cd "$SOCROI_ROOT"

say "loading the sample warehouse"
socroi_load_demo socroi_demo
export PGDATABASE=socroi_demo
say "reports"
for f in scripts/demo/reports/*.sql; do
    psql -Xq -v ON_ERROR_STOP=1 -P pager=off -P footer=off -f "$f"
done
socroi_check_no_crash >/dev/null
say "the same reports as charts, built and checked in a browser: ./scripts/dashboard.sh"
