#!/usr/bin/env bash
# Random-query fuzzing with sqlsmith (Debian package): a database with socroi
# and the demo warehouse, sqlsmith connected as an unprivileged role (so it
# cannot terminate backends or reload configuration), N queries with a fixed
# seed; fails if any backend crashed.
#
#   scripts/sqlsmith.sh [queries=5000] [seed=42]
source "$(dirname "$0")/lib.sh"
queries=${1:-5000}
seed=${2:-42}

socroi_deps sqlsmith
socroi_build_install
socroi_cluster_start
cd "$SOCROI_ROOT"

export PGDATABASE=smith
socroi_fresh_db smith
for f in scripts/demo/warehouse/*.sql; do
    psql -Xq -v ON_ERROR_STOP=1 -f "$f" >/dev/null
done
psql -XAtq -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
CREATE ROLE smith LOGIN;
GRANT USAGE ON SCHEMA public TO smith;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO smith;
ALTER ROLE smith SET statement_timeout = '5s';
ALTER SYSTEM SET track_functions = 'all';
SELECT pg_reload_conf();
SQL

say "sqlsmith: $queries queries, seed $seed"
start=$(date +%s)
sqlsmith --target="host=$PGHOST port=$PGPORT user=smith dbname=smith" \
    --seed="$seed" --max-queries="$queries" --exclude-catalog --verbose \
    >"$SOCROI_TMP/sqlsmith.out" 2>"$SOCROI_TMP/sqlsmith.err" || true
tail -5 "$SOCROI_TMP/sqlsmith.err" >&2
sleep 1  # let the statistics collector catch up
calls=$(psql -XAtq -c "
    SELECT format('%s calls of %s distinct socroi functions', coalesce(sum(s.calls), 0), count(*))
    FROM pg_stat_user_functions s
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = s.funcid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'socroi'")
say "sqlsmith finished in $(( $(date +%s) - start )) s: $calls"
grep -o 'ERROR:  [^"]*' "$SOCROI_SERVER_LOG" | sort | uniq -c | sort -rn | head -15 >&2 || true
socroi_check_no_crash
