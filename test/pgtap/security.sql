-- pgTAP: install-script security and catalog hygiene, checked over every
-- object the extension owns (so new functions are covered automatically).
-- PostgreSQL docs, "Security Considerations for Extensions"; CRAFT.md.
BEGIN;
\ir lib/helpers.psql
SELECT plan(14);

CREATE TEMP VIEW socroi_functions AS
SELECT p.oid, p.oid::regprocedure AS signature, p.prokind, p.prolang, p.prosecdef,
       p.provolatile, p.proparallel, p.proconfig
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid
JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND d.refclassid = 'pg_catalog.pg_extension'::regclass
WHERE e.extname = 'socroi' AND d.deptype = 'e';

-- auto_array: the automatic array type foo[] of one of the extension's types.
-- PostgreSQL 17 and later record those as extension members too (15 and 16
-- do not); they are PostgreSQL's, with no COMMENT of their own.
CREATE TEMP VIEW socroi_types AS
SELECT t.oid, t.oid::regtype AS name, t.typtype, t.typalign, t.typstorage, t.typsend, t.typreceive,
       t.typarray,
       EXISTS (SELECT FROM pg_catalog.pg_type el WHERE el.typarray = t.oid) AS auto_array
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid
JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND d.refclassid = 'pg_catalog.pg_extension'::regclass
WHERE e.extname = 'socroi' AND d.deptype = 'e';

SELECT cmp_ok((SELECT count(*) FROM socroi_functions), '>', 0::bigint, 'the extension owns functions');
SELECT is_empty('SELECT signature FROM socroi_functions WHERE prosecdef',
                'no SECURITY DEFINER function');
SELECT is_empty($$SELECT signature FROM socroi_functions f JOIN pg_catalog.pg_language l ON l.oid = f.prolang
                  WHERE f.prokind = 'f' AND l.lanname <> 'c'$$,
                'every plain function is written in C (no search_path-dependent SQL bodies)');
SELECT is_empty($$SELECT signature FROM socroi_functions WHERE provolatile = 'v'$$,
                'no function is VOLATILE (all are IMMUTABLE or STABLE)');
SELECT is_empty($$SELECT signature FROM socroi_functions WHERE proparallel <> 's'$$,
                'every function and aggregate is PARALLEL SAFE');
SELECT is_empty($$SELECT signature FROM socroi_functions
                  WHERE pg_catalog.obj_description(oid, 'pg_proc') IS NULL$$,
                'every function and aggregate has a COMMENT');
SELECT is_empty($$SELECT name FROM socroi_types WHERE typtype IN ('b', 'c') AND NOT auto_array
                  AND pg_catalog.obj_description(oid, 'pg_type') IS NULL$$,
                'every type has a COMMENT');
SELECT set_eq($$SELECT name::text FROM socroi_types WHERE auto_array$$,
              $$SELECT typarray::regtype::text FROM socroi_types
                WHERE NOT auto_array AND typarray <> 0
                  AND pg_catalog.current_setting('server_version_num')::int >= 170000$$,
              'array types among the members: exactly the automatic arrays of our types on '
              || 'PostgreSQL 17+, none on 15 and 16');
SELECT is_empty($$SELECT a.aggfnoid::regprocedure FROM pg_catalog.pg_aggregate a
                  JOIN socroi_functions f ON f.oid = a.aggfnoid
                  WHERE a.aggtranstype = 'pg_catalog.internal'::pg_catalog.regtype
                     OR a.aggcombinefn = 0$$,
                'every aggregate has a concrete state type and a combine function (Citus pushdown)');
SELECT is_empty($$SELECT t.name FROM pg_catalog.pg_aggregate a
                  JOIN socroi_functions f ON f.oid = a.aggfnoid
                  JOIN socroi_types t ON t.oid = a.aggtranstype
                  WHERE t.typsend = 0 OR t.typreceive = 0 OR t.typalign <> 'd' OR t.typstorage <> 'x'$$,
                'aggregate state types have send/recv, double alignment and extended storage');
SELECT is_empty($$SELECT signature FROM socroi_functions WHERE proconfig IS NOT NULL$$,
                'no function changes settings (SET clauses)');

-- relocatable: everything keeps working after ALTER EXTENSION ... SET SCHEMA with
-- a search_path that does not contain the extension's schema
CREATE SCHEMA socroi_moved;
ALTER EXTENSION socroi SET SCHEMA socroi_moved;
SET LOCAL search_path = pg_catalog, public;  -- public keeps pgTAP, no longer socroi
SELECT is(socroi_moved.roi(45000::numeric, 20000::numeric), 1.25::numeric,
          'roi works from the new schema with socroi_moved off the search_path');
SELECT is(socroi_moved.lead_pool(80), 'fast', 'defaults still resolve after relocation');
SELECT is((SELECT count(*) FROM socroi_functions f
           JOIN pg_catalog.pg_proc p ON p.oid = f.oid
           WHERE p.pronamespace <> 'socroi_moved'::regnamespace), 0::bigint,
          'every function moved with the extension');

SELECT * FROM finish();
ROLLBACK;
