#!/usr/bin/env bash
# Memory bounds (README.md, "Benchmarks"): aggregate state grows with distinct
# channels / states / sets / patterns, never with rows.  1,000,000 rows in
# 1,000 groups, hash aggregation: EXPLAIN ANALYZE must report one batch (no
# spill) and a memory use that does not grow when the same groups hold 10x
# more rows (100 -> 1,000 rows per group).
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
socroi_fresh_db socroi_mem
export PGDATABASE=socroi_mem
psql -XAtq -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
SELECT setseed(0.25);
CREATE TABLE mem_rows AS
SELECT i % 1000 AS g, i,
       (ARRAY['email','social','search','display','direct','video','affiliate','sms'])
           [1 + (i * 7 + (i / 1000)) % 8 : 1 + (i * 7 + (i / 1000)) % 8 + (i % 4)] AS path,
       (i % 3)::float8 AS conversions, (i % 100)::float8 AS value, (i % 2)::float8 AS non_conversions
FROM generate_series(1, 1000000) i;
ANALYZE mem_rows;
CREATE SCHEMA memtest;
-- state-only twins of the model fits: their final functions need data a
-- model can be fitted to, while this suite measures the states
CREATE AGGREGATE memtest.bgnbd_fit_state_only(float8, float8, float8)
    (SFUNC = bgnbd_fit_transfn, STYPE = bgnbd_fit_state);
CREATE AGGREGATE memtest.gamma_gamma_fit_state_only(float8, float8)
    (SFUNC = gamma_gamma_fit_transfn, STYPE = gamma_gamma_fit_state);
CREATE AGGREGATE memtest.pareto_nbd_fit_state_only(float8, float8, float8)
    (SFUNC = pareto_nbd_fit_transfn, STYPE = pareto_nbd_fit_state);
CREATE AGGREGATE memtest.bgbb_fit_state_only(float8, float8, float8)
    (SFUNC = bgbb_fit_transfn, STYPE = bgbb_fit_state);
CREATE AGGREGATE memtest.sbg_fit_state_only(int, boolean)
    (SFUNC = sbg_fit_transfn, STYPE = sbg_fit_state);
CREATE AGGREGATE memtest.bgnbd_compare_state_only(boolean, float8, float8, float8)
    (SFUNC = bgnbd_compare_transfn, STYPE = bgnbd_compare_state);
CREATE AGGREGATE memtest.sbg_compare_state_only(boolean, int, boolean)
    (SFUNC = sbg_compare_transfn, STYPE = sbg_compare_state);
CREATE AGGREGATE memtest.mmm_fit_state_only(date, text, float8, text)
    (SFUNC = mmm_fit_transfn, STYPE = mmm_fit_state);
SQL

# name | aggregate call over mem_rows (append one line per aggregate type)
calls=(
  "attribution (linear)|attribution(path, conversions, value, 'linear')"
  "attribution (position_based, non-conversions)|attribution(path, conversions, value, non_conversions, 'position_based')"
)
[ -f "$(dirname "$0")/memory_calls.txt" ] && while IFS= read -r line; do
    case "$line" in ''|'#'*) ;; *) calls+=("$line") ;; esac
done <"$(dirname "$0")/memory_calls.txt"

fail=0
usage() {  # $1 = call, $2 = row filter; prints "batches kB"
    psql -XAtq -c "SET work_mem = '64MB'; SET enable_sort = off; SET max_parallel_workers_per_gather = 0;" \
         -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT g, $1 FROM mem_rows WHERE $2 GROUP BY g" |
        sed -n 's/.*Batches: \([0-9]*\)  Memory Usage: \([0-9]*\)kB.*/\1 \2/p' | head -1
}
for c in "${calls[@]}"; do
    name=${c%%|*}; call=${c#*|}
    read -r b_small kb_small <<<"$(usage "$call" "i <= 100000")"
    read -r b_big kb_big <<<"$(usage "$call" "true")"
    if [ -z "${kb_big:-}" ]; then
        echo "memory: $name: no HashAggregate memory line in the plan" >&2; fail=1; continue
    fi
    verdict=ok
    if [ "$b_big" != 1 ] || [ $((kb_big * 10)) -gt $((kb_small * 15)) ]; then verdict=FAIL; fail=1; fi
    echo "memory: $name: 1,000 groups x 100 rows ${kb_small} kB, x 1,000 rows ${kb_big} kB (batches $b_big) $verdict"
done
# journeys() keeps every event of its group (it must sort them): its state
# grows with the group's events and nothing else -- at most 96 bytes per
# event here (a 32-byte record, doubling slack, the hash table's share)
journeys_call="journeys(timestamptz '2026-01-01' + i * interval '1 minute', path[1], CASE WHEN i % 7 = 0 THEN value END)"
read -r b_small kb_small <<<"$(usage "$journeys_call IS NOT NULL" "i <= 100000")"
read -r b_big kb_big <<<"$(usage "$journeys_call IS NOT NULL" "true")"
verdict=ok
if [ -z "${kb_big:-}" ] || [ "$b_big" != 1 ] || [ $((kb_big * 1024)) -gt $((1000000 * 96)) ] \
   || [ $((kb_big * 10)) -lt $((kb_small * 5)) ]; then verdict=FAIL; fail=1; fi
echo "memory: journeys (grows with events only): 1,000 groups x 100 events ${kb_small} kB, x 1,000 events ${kb_big} kB (batches ${b_big:-?}; limit 96 bytes per event) $verdict"
exit $fail
