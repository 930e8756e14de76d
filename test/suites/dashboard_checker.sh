#!/usr/bin/env bash
# The dashboard's key-number checker, without the browser: its comparisons,
# and every key number of dashboard/checks.sql (and the deliberately wrong
# ones of its self-test) run on the demo warehouse.  dashboard_checker.py.
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$SOCROI_ROOT"
socroi_load_demo socroi_dashboard
PGDATABASE=socroi_dashboard /usr/bin/python3 test/suites/dashboard_checker.py
