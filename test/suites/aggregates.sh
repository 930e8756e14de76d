#!/usr/bin/env bash
# Every aggregate: parallel == serial, partitionwise == serial, Citus-style
# text round-trip merge == single pass, and crafted states (text and binary)
# give errors, never crashes.  See aggregates.py.
set -euo pipefail
cd "$(dirname "$0")"
psql -XAtq -d postgres -c 'DROP DATABASE IF EXISTS socroi_aggs' -c 'CREATE DATABASE socroi_aggs' >/dev/null
psql -XAtq -d socroi_aggs -c 'CREATE EXTENSION socroi' >/dev/null
PGDATABASE=socroi_aggs /usr/bin/python3 aggregates.py
