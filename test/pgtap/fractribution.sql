-- pgTAP: the fractribution model equals an independent implementation
-- (test/reference/fractribution_reference.py: 700 seeded rows, 334 distinct
-- paths up to 90 touches long, expected credits in
-- test/data/fractribution_expected.csv) for both fallbacks and for
-- frequency paths totalled with frequency_suffix=drop -- serially, in a
-- forced parallel plan, partitionwise, and through the text form of
-- partial states merged in either order (their path records widen as
-- longer paths arrive).
BEGIN;
\ir lib/helpers.psql
SELECT plan(19);

CREATE TABLE fp (path text[], conversions float8, non_conversions float8, value float8);
\copy fp FROM 'test/data/fractribution_paths.csv' CSV HEADER
ALTER TABLE fp ADD COLUMN id serial;
CREATE TABLE fexp (variant text, channel text, conversions float8, value float8);
\copy fexp FROM 'test/data/fractribution_expected.csv' CSV HEADER
ANALYZE fp;

CREATE TABLE variants (variant text, model attribution_model, frequency boolean);
INSERT INTO variants VALUES
    ('fractribution', 'fractribution', false),
    ('fractribution(fallback=linear)', 'fractribution(fallback=linear)', false),
    ('fractribution(frequency_suffix=drop) over frequency paths', 'fractribution(frequency_suffix=drop)', true);

CREATE FUNCTION pg_temp.credits(tab text, v text) RETURNS channel_credit[] LANGUAGE plpgsql AS $$
DECLARE
    r channel_credit[];
    m attribution_model;
    f boolean;
BEGIN
    SELECT model, frequency INTO m, f FROM variants WHERE variant = v;
    EXECUTE format('SELECT attribution(%s, conversions, value, non_conversions, %L) FROM %s',
                   CASE WHEN f THEN 'path_transform(path, ''frequency'')' ELSE 'path' END, m, tab)
        INTO r;
    RETURN r;
END $$;

-- every expected channel matches (1e-9 relative), and no other channel appears
CREATE FUNCTION pg_temp.matches(r channel_credit[], v text) RETURNS boolean LANGUAGE sql AS $$
    SELECT cardinality(r) = (SELECT count(*) FROM fexp WHERE variant = v)
       AND (SELECT bool_and(pg_temp.rel_eq(c.conversions, e.conversions) AND pg_temp.rel_eq(c.value, e.value))
            FROM unnest(r) c JOIN fexp e ON e.channel = c.channel AND e.variant = v) $$;

SET LOCAL max_parallel_workers_per_gather = 0;
SELECT ok(pg_temp.matches(pg_temp.credits('fp', variant), variant), 'serial: ' || variant || ' equals the reference')
FROM variants ORDER BY variant;
SELECT ok((SELECT sum(c.conversions) FROM unnest(pg_temp.credits('fp', 'fractribution')) c)
          - (SELECT sum(conversions) FROM fp) BETWEEN -1e-9 AND 1e-9,
          'credits add up to the conversions');
SELECT is((SELECT max(cardinality(path)) FROM fp), 90, 'paths up to 90 touches');

SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL parallel_leader_participation = off;
SELECT ok(pg_temp.plan_of($$SELECT attribution(path, conversions, value, non_conversions, 'fractribution') FROM fp$$)
          LIKE '%Partial Aggregate%', 'forced parallel plan');
SELECT ok(pg_temp.matches(pg_temp.credits('fp', variant), variant), 'parallel: ' || variant || ' equals the reference')
FROM variants ORDER BY variant;
SET LOCAL max_parallel_workers_per_gather = 0;

CREATE TABLE fp_parts (LIKE fp) PARTITION BY HASH (id);
CREATE TABLE fp_parts_0 PARTITION OF fp_parts FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE fp_parts_1 PARTITION OF fp_parts FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE fp_parts_2 PARTITION OF fp_parts FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO fp_parts SELECT * FROM fp;
ANALYZE fp_parts;
SET LOCAL enable_partitionwise_aggregate = on;
SELECT ok(pg_temp.matches(pg_temp.credits('fp_parts', variant), variant), 'partitioned: ' || variant || ' equals the reference')
FROM variants ORDER BY variant;
RESET enable_partitionwise_aggregate;

-- partial states: slice 0 holds the short paths only, slice 1 the long ones
CREATE AGGREGATE pg_temp.partial(text[], float8, float8, float8, attribution_model) (
    SFUNC = attribution_accum, STYPE = attribution_state);
CREATE AGGREGATE pg_temp.merge(attribution_state) (
    SFUNC = attribution_combine, STYPE = attribution_state, FINALFUNC = attribution_final);
CREATE TEMP TABLE fslices AS
SELECT (cardinality(path) > 12)::int AS slice,
       pg_temp.partial(path, conversions, value, non_conversions, 'fractribution')::text AS state
FROM fp GROUP BY 1;
SELECT ok(bool_and(state::attribution_state::text = state), 'state text round-trips exactly') FROM fslices;
SELECT ok(pg_temp.matches((SELECT pg_temp.merge(state::attribution_state ORDER BY slice) FROM fslices), 'fractribution'),
          'short-path state first, long-path state merged into it: equals the reference');
SELECT ok(pg_temp.matches((SELECT pg_temp.merge(state::attribution_state ORDER BY slice DESC) FROM fslices), 'fractribution'),
          'long-path state first: equals the reference');

-- limits and errors
SELECT throws_ok($$SELECT attribution((SELECT array_agg('a'::text) FROM generate_series(1, 257)), 1, 1, 0, 'fractribution')$$,
                 '54000', NULL, 'a path of 257 touches: 54000 (program_limit_exceeded)');
SELECT lives_ok($$SELECT attribution((SELECT array_agg('a' || i % 3) FROM generate_series(1, 256) i), 1, 1, 0, 'fractribution')$$,
                'a path of 256 touches is accepted');
SELECT is((SELECT c.conversions FROM unnest((SELECT attribution(p, 1, 1, 0, 'fractribution')
           FROM (VALUES ((SELECT array_agg('x'::text) FROM generate_series(1, 200))), ('{x}')) v(p))) c),
          2::float8, 'a 200-touch path of one channel credits that channel');
SELECT throws_ok($$SELECT 'fractribution(lookback=3 days)'::attribution_model$$, '22023', NULL,
                 'fractribution takes no lookback (22023)');

SELECT * FROM finish();
ROLLBACK;
