#!/usr/bin/env bash
# Doc examples and cookbook queries (README.md, doc/*.md) against the demo
# warehouse; cookbook queries go through psycopg2 as BI tools do.  docs.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
psql -XAtq -d postgres -c 'DROP DATABASE IF EXISTS socroi_docs' -c 'CREATE DATABASE socroi_docs' >/dev/null
export PGDATABASE=socroi_docs
psql -XAtq -c 'CREATE EXTENSION socroi' >/dev/null
for f in scripts/demo/warehouse/*.sql; do
    psql -Xq -v ON_ERROR_STOP=1 -f "$f" >/dev/null
done
/usr/bin/python3 test/suites/docs.py
