-- pgTAP: the data-driven models (markov orders 1-3, shapley) and
-- markov_transitions() give the same answer (1e-9 relative, same order)
-- serially, with 2 parallel workers, over a hash-partitioned table with
-- partitionwise aggregation, and when partial states computed on disjoint
-- slices travel through their text or binary form and are merged with the
-- combine function (channel ids differ between the slices, so every record
-- is remapped).  60,000 random journeys, converting or not (fixed seed).
BEGIN;
\ir lib/helpers.psql
SELECT plan(46);

SELECT setseed(0.3141);
CREATE TABLE dd_touch AS
SELECT j AS id, k, 'ch' || lpad(floor(12 * power(random(), 1.8))::int::text, 2, '0') AS channel
FROM generate_series(1, 60000) AS j, generate_series(1, 8) AS k
WHERE k <= 1 + (j * 7919) % 8;
CREATE TABLE dd AS
SELECT s.id, s.path,
       floor(3 * random())::float8 AS conversions,
       round((400 * random())::numeric, 2)::float8 AS value,
       floor(5 * random())::float8 AS non_conversions
FROM (SELECT id, array_agg(channel ORDER BY k) AS path FROM dd_touch GROUP BY id) AS s;
UPDATE dd SET value = 0 WHERE conversions = 0;
ANALYZE dd;


CREATE TEMP TABLE q (name text, sql text);
INSERT INTO q VALUES
    ('markov(order=1)', $$SELECT attribution(path, conversions, value, non_conversions, 'markov') FROM %s$$),
    ('markov(order=2)', $$SELECT attribution(path, conversions, value, non_conversions, 'markov(order=2)') FROM %s$$),
    ('markov(order=3)', $$SELECT attribution(path, conversions, value, non_conversions, 'markov(order=3)') FROM %s$$),
    ('shapley', $$SELECT attribution(path, conversions, value, non_conversions, 'shapley') FROM %s$$),
    ('markov(order=2), 4 arguments', $$SELECT attribution(path, conversions, value, 'markov(order=2)') FROM %s$$);
CREATE FUNCTION pg_temp.run(name text, tab text) RETURNS channel_credit[] LANGUAGE plpgsql AS $$
DECLARE
    r channel_credit[];
BEGIN
    EXECUTE format((SELECT sql FROM q WHERE q.name = run.name), tab) INTO r;
    RETURN r;
END $$;
CREATE FUNCTION pg_temp.transitions(tab text) RETURNS markov_transition[] LANGUAGE plpgsql AS $$
DECLARE
    r markov_transition[];
BEGIN
    EXECUTE format('SELECT markov_transitions(path, conversions, non_conversions, 2) FROM %s', tab) INTO r;
    RETURN r;
END $$;

-- serial answers
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS SELECT name, pg_temp.run(name, 'dd') AS r FROM q;
CREATE TEMP TABLE serial_t AS SELECT pg_temp.transitions('dd') AS r;
SELECT is((SELECT count(*) FROM serial WHERE cardinality(r) = 12), 5::bigint, 'every model credits the 12 channels');
-- the credits of every model add up to the conversions and value of the paths
SELECT ok(bool_and(pg_temp.rel_eq((SELECT sum(c.conversions) FROM unnest(r) c), (SELECT sum(conversions) FROM dd))
                   AND pg_temp.rel_eq((SELECT sum(c.value) FROM unnest(r) c), (SELECT sum(value) FROM dd))),
          'credits add up to the totals in every model') FROM serial;

-- parallel answers
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SELECT matches(pg_temp.plan_of(format(sql, 'dd')), 'Workers Launched: [12](.|\n)*Partial Aggregate',
               'parallel plan: ' || name)
FROM q ORDER BY name;
SELECT ok(pg_temp.same(pg_temp.run(name, 'dd'), r), 'parallel = serial: ' || name)
FROM serial ORDER BY name;
SELECT matches(pg_temp.plan_of('SELECT markov_transitions(path, conversions, non_conversions, 2) FROM dd'),
               'Partial Aggregate', 'parallel plan: markov_transitions');
SELECT ok(pg_temp.same_t(pg_temp.transitions('dd'), r), 'parallel = serial: markov_transitions') FROM serial_t;

-- hash-partitioned, partitionwise aggregation
CREATE TABLE dd_part (LIKE dd) PARTITION BY HASH (id);
CREATE TABLE dd_part_0 PARTITION OF dd_part FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE dd_part_1 PARTITION OF dd_part FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE dd_part_2 PARTITION OF dd_part FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE dd_part_3 PARTITION OF dd_part FOR VALUES WITH (MODULUS 4, REMAINDER 3);
INSERT INTO dd_part SELECT * FROM dd;
ANALYZE dd_part;
SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 0;
SELECT matches(pg_temp.plan_of(format(sql, 'dd_part')), 'Partial Aggregate(.|\n)*Partial Aggregate',
               'partitionwise plan: ' || name)
FROM q ORDER BY name;
SELECT ok(pg_temp.same(pg_temp.run(name, 'dd_part'), r), 'partitionwise = serial: ' || name)
FROM serial ORDER BY name;
SELECT ok(pg_temp.same_t(pg_temp.transitions('dd_part'), r), 'partitionwise = serial: markov_transitions')
FROM serial_t;
SET max_parallel_workers_per_gather = 2;
SELECT ok(pg_temp.same(pg_temp.run(name, 'dd_part'), r), 'partitionwise + parallel = serial: ' || name)
FROM serial ORDER BY name;
RESET enable_partitionwise_aggregate;

-- partial states of disjoint slices, through text, merged, finalised; the
-- slices are ordered differently so their channel ids differ
SET max_parallel_workers_per_gather = 0;
CREATE AGGREGATE pg_temp.dd_partial(text[], float8, float8, float8, attribution_model) (
    SFUNC = attribution_accum, STYPE = attribution_state);
CREATE AGGREGATE pg_temp.dd_merge(attribution_state) (
    SFUNC = attribution_combine, STYPE = attribution_state, FINALFUNC = attribution_final);
CREATE AGGREGATE pg_temp.dd_merge_t(attribution_state) (
    SFUNC = attribution_combine, STYPE = attribution_state, FINALFUNC = markov_transitions_final);
CREATE TEMP TABLE slices AS
SELECT m::text AS model, id % 7 AS slice,
       pg_temp.dd_partial(path, conversions, value, non_conversions, m
                          ORDER BY CASE WHEN id % 2 = 0 THEN id ELSE -id END)::text AS state
FROM dd CROSS JOIN unnest('{markov,markov(order=2),markov(order=3),shapley}'::attribution_model[]) m
GROUP BY m, id % 7;
SELECT is((SELECT count(*) FROM slices), 28::bigint, 'seven partial states per model');
SELECT ok(pg_temp.same((SELECT pg_temp.dd_merge(state::attribution_state ORDER BY slice) FROM slices s WHERE s.model = serial.name), r),
          'text round trip of 7 partial states, merged = single pass: ' || name)
FROM serial WHERE name NOT LIKE '%4 arguments' ORDER BY name;
SELECT ok(pg_temp.same((SELECT pg_temp.dd_merge(state::attribution_state ORDER BY slice DESC) FROM slices s WHERE s.model = serial.name), r),
          'merge order does not matter: ' || name)
FROM serial WHERE name NOT LIKE '%4 arguments' ORDER BY name;
SELECT ok(pg_temp.same_t((SELECT pg_temp.dd_merge_t(state::attribution_state ORDER BY slice) FROM slices WHERE model = 'markov(order=2)'), r),
          'markov_transitions of merged partial states = single pass') FROM serial_t;
SELECT is((SELECT count(*) FROM slices WHERE state::attribution_state::text <> state), 0::bigint,
          'state text round trip is exact (records included)');
-- the binary form (send/recv) through COPY BINARY
CREATE TEMP TABLE slices_bin (model text, slice int, state attribution_state);
DO $$
DECLARE
    f text := current_setting('data_directory') || '/socroi_dd_states.bin';
BEGIN
    EXECUTE format('COPY (SELECT model, slice, state::attribution_state FROM slices) TO %L (FORMAT binary)', f);
    EXECUTE format('COPY slices_bin FROM %L (FORMAT binary)', f);
END $$;
SELECT ok(pg_temp.same((SELECT pg_temp.dd_merge(state ORDER BY slice) FROM slices_bin b WHERE b.model = serial.name), r),
          'binary round trip of 7 partial states, merged = single pass: ' || name)
FROM serial WHERE name NOT LIKE '%4 arguments' ORDER BY name;
SELECT is((SELECT count(*) FROM slices s JOIN slices_bin b USING (model, slice) WHERE b.state::text <> s.state),
          0::bigint, 'binary round trip is exact');

SELECT * FROM finish();
ROLLBACK;
