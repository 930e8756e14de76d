#!/usr/bin/env bash
# Upgrade paths: install each earlier release (its frozen install script),
# run ALTER EXTENSION socroi UPDATE, and compare the extension's catalog with a
# fresh install of the current version: functions (signature, C symbol,
# volatility, strictness, parallel safety, defaults, result), aggregates
# (support functions, state type), types (I/O functions, alignment, storage,
# composite attributes), operators, operator classes, casts and every comment.
#
# Version difference: PostgreSQL 17 and later record the automatic array type
# of each of the extension's types (foo[]) as an extension member; 15 and 16
# do not.  Those are listed as such ("automatic array of foo"), must be there
# exactly on 17+ (fresh install checked below, the upgraded one through the
# comparison) and are never filtered out.
set -euo pipefail
cd "$(dirname "$0")/../.."
cur=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" socroi.control)

catalog() {
    psql -XAt -v ON_ERROR_STOP=1 -d "$1" <<'SQL'
WITH members AS (
    SELECT d.classid, d.objid FROM pg_depend d
    JOIN pg_extension e ON e.oid = d.refobjid AND d.refclassid = 'pg_extension'::regclass
    WHERE e.extname = 'socroi' AND d.deptype = 'e'
)
SELECT 'function ' || p.oid::regprocedure || ' -> ' || pg_get_function_result(p.oid)
       || ' kind=' || p.prokind::text || ' lang=' || l.lanname || ' src=' || coalesce(p.prosrc, '')
       || ' vol=' || p.provolatile::text || ' strict=' || p.proisstrict || ' par=' || p.proparallel::text
       || ' secdef=' || p.prosecdef || ' args=' || pg_get_function_arguments(p.oid)
       || ' cost=' || p.procost || ' rows=' || p.prorows
       || ' comment=' || coalesce(obj_description(p.oid, 'pg_proc'), '<none>')
FROM members m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
JOIN pg_language l ON l.oid = p.prolang
UNION ALL
SELECT 'aggregate ' || a.aggfnoid::regprocedure || ' sfunc=' || a.aggtransfn::regproc
       || ' combine=' || a.aggcombinefn::regproc || ' final=' || a.aggfinalfn::regproc
       || ' stype=' || format_type(a.aggtranstype, NULL) || ' sspace=' || a.aggtransspace
       || ' init=' || coalesce(a.agginitval, '<null>') || ' modify=' || a.aggfinalmodify::text
FROM members m JOIN pg_aggregate a ON m.classid = 'pg_proc'::regclass AND a.aggfnoid = m.objid
UNION ALL
SELECT 'type ' || format_type(t.oid, NULL) || ' automatic array of ' || format_type(t.typelem, NULL)
FROM members m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
WHERE EXISTS (SELECT FROM pg_type el WHERE el.typarray = t.oid)
UNION ALL
SELECT 'type ' || format_type(t.oid, NULL) || ' typtype=' || t.typtype::text || ' len=' || t.typlen
       || ' in=' || t.typinput::regproc || ' out=' || t.typoutput::regproc
       || ' recv=' || t.typreceive::regproc || ' send=' || t.typsend::regproc
       || ' align=' || t.typalign::text || ' storage=' || t.typstorage::text
       || ' attrs=' || coalesce((SELECT string_agg(a.attname || ':' || format_type(a.atttypid, a.atttypmod), ',' ORDER BY a.attnum)
                                 FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0), '')
       || ' comment=' || coalesce(obj_description(t.oid, 'pg_type'), '<none>')
FROM members m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
WHERE NOT EXISTS (SELECT FROM pg_type el WHERE el.typarray = t.oid)
UNION ALL
SELECT 'operator ' || o.oid::regoperator || ' proc=' || o.oprcode::regproc
       || ' comment=' || coalesce(obj_description(o.oid, 'pg_operator'), '<none>')
FROM members m JOIN pg_operator o ON m.classid = 'pg_operator'::regclass AND o.oid = m.objid
UNION ALL
SELECT 'opclass ' || am.amname || ' ' || c.opcname || ' for ' || format_type(c.opcintype, NULL)
       || ' default=' || c.opcdefault
FROM members m JOIN pg_opclass c ON m.classid = 'pg_opclass'::regclass AND c.oid = m.objid
JOIN pg_am am ON am.oid = c.opcmethod
UNION ALL
SELECT 'opfamily ' || f.opfname || ' members=' ||
       (SELECT count(*) FROM pg_amop WHERE amopfamily = f.oid) || '/' ||
       (SELECT count(*) FROM pg_amproc WHERE amprocfamily = f.oid)
FROM members m JOIN pg_opfamily f ON m.classid = 'pg_opfamily'::regclass AND f.oid = m.objid
UNION ALL
SELECT 'cast ' || format_type(c.castsource, NULL) || ' -> ' || format_type(c.casttarget, NULL)
       || ' ' || c.castcontext::text
FROM members m JOIN pg_cast c ON m.classid = 'pg_cast'::regclass AND c.oid = m.objid
UNION ALL
SELECT 'members ' || count(*) FROM members
ORDER BY 1;
SQL
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
psql -XAtq -d postgres -c 'DROP DATABASE IF EXISTS socroi_up_new' -c 'CREATE DATABASE socroi_up_new' >/dev/null
psql -XAtq -d socroi_up_new -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION socroi' >/dev/null
catalog socroi_up_new >"$tmp/fresh"

failed=0
# the automatic array types: members on 17+, not before
n_types=$(grep -c '^type .* typtype=' "$tmp/fresh" || true)
n_arrays=$(grep -c '^type .* automatic array of ' "$tmp/fresh" || true)
n_arrays_want=$(psql -XAtq -d socroi_up_new -c "
    SELECT CASE WHEN current_setting('server_version_num')::int >= 170000 THEN count(*) ELSE 0 END
    FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND d.refclassid = 'pg_extension'::regclass
    JOIN pg_type t ON d.classid = 'pg_type'::regclass AND t.oid = d.objid
    WHERE e.extname = 'socroi' AND d.deptype = 'e' AND t.typarray <> 0
      AND NOT EXISTS (SELECT FROM pg_type el WHERE el.typarray = t.oid)")
if [ "$n_arrays" != "$n_arrays_want" ]; then
    echo "upgrade: a fresh install on PostgreSQL $(psql -XAtqc 'SHOW server_version') has $n_arrays automatic array types as members, expected $n_arrays_want (17+: the array of each of its $n_types types; 15, 16: none)" >&2
    failed=1
else
    echo "upgrade: fresh install on PostgreSQL $(psql -XAtqc 'SHOW server_version'): $n_types types, $n_arrays of their automatic array types recorded as members (as expected)"
fi
for script in sql/socroi--*.sql; do
    old=${script#sql/socroi--}; old=${old%.sql}
    case "$old" in *--*|"$cur") continue ;; esac    # upgrade scripts, the current version
    psql -XAtq -d postgres -c 'DROP DATABASE IF EXISTS socroi_up_old' -c 'CREATE DATABASE socroi_up_old' >/dev/null
    psql -XAtq -d socroi_up_old -v ON_ERROR_STOP=1 -c "CREATE EXTENSION socroi VERSION '$old'" >/dev/null
    # the old installation works with the current library before the update
    psql -XAtq -d socroi_up_old -v ON_ERROR_STOP=1 -c "SELECT roi(45000::numeric, 20000::numeric)" >/dev/null
    # model values stored by the old version (before the se_* attributes)
    have_models=$(psql -XAtq -d socroi_up_old -c "SELECT to_regtype('bgnbd_model') IS NOT NULL")
    if [ "$have_models" = t ]; then
        psql -XAtq -d socroi_up_old -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
CREATE TABLE stored_models AS
SELECT ROW(0.243, 4.414, 0.793, 2.426, -9582.4, 2357)::bgnbd_model AS bg,
       ROW(6.25, 3.74, 15.44, -4055.9, 946)::gamma_gamma_model AS gg;
SQL
    fi
    psql -XAtq -d socroi_up_old -v ON_ERROR_STOP=1 -c 'ALTER EXTENSION socroi UPDATE' >/dev/null
    [ "$have_models" = t ] && stored=$(psql -XAtq -d socroi_up_old -v ON_ERROR_STOP=1 -c "
        SELECT bg::text || ' ' || gg::text || ' ' || ((bg).se_r IS NULL AND (gg).se_v IS NULL)
               || ' ' || round(bgnbd_conditional_purchases(bg, 39, 2, 30.43, 38.86)::numeric, 3)
               || ' ' || round(predicted_clv(bg, gg, 2, 30.43, 38.86, 22.35, 12, 0.01, 4.345)::numeric, 2)
        FROM stored_models")
    if [ "$have_models" = t ] && [ "$stored" != "(0.243,4.414,0.793,2.426,-9582.4,2357,,,,) (6.25,3.74,15.44,-4055.9,946,,,) true 1.226 36.29" ]; then
        echo "upgrade: model values stored by $old do not read as expected after the update: $stored" >&2
        failed=1; continue
    fi
    v_after=$(psql -XAtq -d socroi_up_old -c "SELECT extversion FROM pg_extension WHERE extname = 'socroi'")
    catalog socroi_up_old >"$tmp/upgraded"
    if [ "$v_after" != "$cur" ]; then
        echo "upgrade: expected version $cur after updating $old, got $v_after" >&2
        failed=1; continue
    fi
    if ! diff -u "$tmp/fresh" "$tmp/upgraded" >&2; then
        echo "upgrade: $old -> $v_after differs from a fresh $cur install (diff above: - fresh, + upgraded)" >&2
        failed=1; continue
    fi
    echo "upgrade: $old -> $v_after equals a fresh $cur install ($(wc -l <"$tmp/fresh") catalog entries compared)"
done
psql -XAtq -d postgres -c 'DROP DATABASE socroi_up_old' -c 'DROP DATABASE socroi_up_new' >/dev/null
exit $failed
