#!/usr/bin/env bash
# Every aggregate: parallel == serial, partitionwise == serial, Citus-style
# text round-trip merge == single pass, and crafted states (text and binary)
# give errors, never crashes.  See aggregates.py.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$(dirname "$0")"
socroi_fresh_db socroi_aggs
PGDATABASE=socroi_aggs /usr/bin/python3 aggregates.py
