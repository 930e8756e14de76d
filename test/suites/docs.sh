#!/usr/bin/env bash
# Doc examples and cookbook queries (README.md, doc/*.md) against the demo
# warehouse; cookbook queries go through psycopg2 as BI tools do.  docs.py.
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$SOCROI_ROOT"
socroi_load_demo socroi_docs
export PGDATABASE=socroi_docs
/usr/bin/python3 test/suites/docs.py
