-- pgTAP: journeys() equals an independent implementation of its rules
-- (test/reference/journeys_reference.py: 2,114 seeded events of 160
-- customers, ties on purpose, 9 option sets, expected journeys in
-- test/data/journeys_expected.csv), with the rows in their order and
-- shuffled, in forced parallel plans, over a partitioned table with
-- partitionwise aggregation, and when partial states computed on disjoint
-- slices travel through their text and binary forms and are merged.
BEGIN;
\ir lib/helpers.psql
SELECT plan(48);

-- the reference counts calendar days in this zone (lookback_days)
SET LOCAL TimeZone = 'America/New_York';

CREATE TABLE ev (customer_id int, event_time timestamptz, channel text, conversion_value float8);
\copy ev FROM 'test/data/journeys_events.csv' CSV HEADER
CREATE TABLE expected (option_set text, customer_id int, journey_no int, path text[],
                       touch_times timestamptz[], converted boolean,
                       conversion_time timestamptz, value float8);
\copy expected FROM 'test/data/journeys_expected.csv' CSV HEADER
ALTER TABLE ev ADD COLUMN event_no serial;
ANALYZE ev;

CREATE TABLE option_sets (option_set text, options text);
INSERT INTO option_sets VALUES
    ('default', NULL),
    ('never', 'reset=never'),
    ('lookback', 'lookback=3 days'),
    ('never_days_max', 'reset=never, lookback_days=2, max_touches=4'),
    ('days1', 'lookback_days=1'),
    ('session', 'session=2 hours'),
    ('session_direct', 'session=3 hours, direct=direct, direct_override=false'),
    ('max2', 'max_touches=2'),
    ('never_lookback_session', 'reset=never, lookback=2 days, session=90 minutes');

SELECT is((SELECT count(*) FROM ev), 2114::int8, '2,114 reference events loaded');
SELECT is((SELECT count(DISTINCT option_set) FROM expected), 9::int8, '9 option sets of expected journeys');

-- the journeys of every customer of table tab as rows
CREATE FUNCTION pg_temp.actual(tab text, options text)
RETURNS TABLE (customer_id int, journey_no int, path text[], touch_times timestamptz[],
               converted boolean, conversion_time timestamptz, value float8)
LANGUAGE plpgsql AS $$
BEGIN
    IF options IS NULL THEN
        RETURN QUERY EXECUTE format(
            'SELECT s.customer_id, j.* FROM (SELECT customer_id, journeys(event_time, channel, conversion_value) AS js
                                             FROM %s GROUP BY customer_id) s, unnest(s.js) j', tab);
    ELSE
        RETURN QUERY EXECUTE format(
            'SELECT s.customer_id, j.* FROM (SELECT customer_id, journeys(event_time, channel, conversion_value, %L) AS js
                                             FROM %s GROUP BY customer_id) s, unnest(s.js) j', options, tab);
    END IF;
END $$;

-- rows that differ between the actual and the expected journeys (0 = equal)
CREATE FUNCTION pg_temp.differences(tab text, set_name text) RETURNS int8 LANGUAGE sql AS $$
    WITH a AS (SELECT * FROM pg_temp.actual(tab, (SELECT options FROM option_sets WHERE option_set = set_name))),
         e AS (SELECT customer_id, journey_no, path, touch_times, converted, conversion_time, value
               FROM expected WHERE option_set = set_name)
    SELECT (SELECT count(*) FROM (SELECT * FROM a EXCEPT ALL SELECT * FROM e) x)
         + (SELECT count(*) FROM (SELECT * FROM e EXCEPT ALL SELECT * FROM a) y) $$;

-- ---------- serial, rows in their order ----------
SET LOCAL max_parallel_workers_per_gather = 0;
SELECT is(pg_temp.differences('ev', o.option_set), 0::int8,
          'serial: journeys equal the reference, options ' || coalesce(o.options, '(none)'))
FROM option_sets o ORDER BY o.option_set;

-- ---------- rows shuffled ----------
CREATE TABLE ev_shuffled AS SELECT * FROM ev ORDER BY md5(event_no::text || 'shuffle');
ANALYZE ev_shuffled;
SELECT is(pg_temp.differences('ev_shuffled', o.option_set), 0::int8,
          'shuffled rows: equal to the reference, options ' || coalesce(o.options, '(none)'))
FROM option_sets o ORDER BY o.option_set;

-- ---------- parallel: every customer's rows split between workers ----------
-- one group holding every event (customer 0) makes the workers' partial
-- states meet in the combine function; per-customer groups test the rest
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL parallel_leader_participation = off;
SELECT ok(pg_temp.plan_of($$SELECT journeys(event_time, channel, conversion_value, 'reset=never') FROM ev$$)
          LIKE '%Partial Aggregate%',
          'forced parallel plan: Partial Aggregate in the workers');
SELECT ok(pg_temp.plan_of($$SELECT journeys(event_time, channel, conversion_value, 'reset=never') FROM ev$$)
          LIKE '%Workers Launched: 2%', 'two workers launched');
-- all events as one customer: the parallel answer equals the serial one
CREATE TEMP TABLE one_group_parallel AS
SELECT o.option_set, CASE WHEN o.options IS NULL THEN (SELECT journeys(event_time, channel, conversion_value) FROM ev)
                          ELSE (SELECT journeys(event_time, channel, conversion_value, o.options) FROM ev) END AS js
FROM option_sets o;
SELECT is(pg_temp.differences('ev', o.option_set), 0::int8,
          'parallel plans allowed: per customer equal to the reference, options ' || coalesce(o.options, '(none)'))
FROM option_sets o WHERE o.option_set IN ('default', 'never_days_max', 'session_direct') ORDER BY o.option_set;
SET LOCAL max_parallel_workers_per_gather = 0;
SELECT ok(bool_and(p.js::text = (CASE WHEN o.options IS NULL
                                      THEN (SELECT journeys(event_time, channel, conversion_value) FROM ev)
                                      ELSE (SELECT journeys(event_time, channel, conversion_value, o.options) FROM ev) END)::text),
          'all events as one group: 2 parallel workers give the serial answer for every option set')
FROM one_group_parallel p JOIN option_sets o USING (option_set);

-- ---------- partitioned, partitionwise: each customer spans partitions ----------
CREATE TABLE ev_parts (LIKE ev) PARTITION BY HASH (event_no);
CREATE TABLE ev_parts_0 PARTITION OF ev_parts FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE ev_parts_1 PARTITION OF ev_parts FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE ev_parts_2 PARTITION OF ev_parts FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO ev_parts SELECT * FROM ev;
ANALYZE ev_parts;
SET LOCAL enable_partitionwise_aggregate = on;
SELECT ok(pg_temp.plan_of($$SELECT customer_id, journeys(event_time, channel, conversion_value) FROM ev_parts GROUP BY 1$$)
          ~ 'Partial (Hash|Group)Aggregate',
          'partitionwise plan: partial aggregation per partition');
SELECT is(pg_temp.differences('ev_parts', o.option_set), 0::int8,
          'partitionwise: equal to the reference, options ' || coalesce(o.options, '(none)'))
FROM option_sets o WHERE o.option_set IN ('default', 'never', 'days1', 'session_direct') ORDER BY o.option_set;
RESET enable_partitionwise_aggregate;

-- ---------- partial states through text and binary, merged ----------
CREATE AGGREGATE pg_temp.journeys_partial(timestamptz, text, float8, text) (
    SFUNC = journeys_accum, STYPE = journeys_state);
CREATE AGGREGATE pg_temp.journeys_merge(journeys_state) (
    SFUNC = journeys_combine, STYPE = journeys_state, FINALFUNC = journeys_final);
CREATE TEMP TABLE slices AS
SELECT o.option_set, e.customer_id, e.event_no % 4 AS slice,
       pg_temp.journeys_partial(e.event_time, e.channel, e.conversion_value, coalesce(o.options, ''))::text AS state
FROM ev e CROSS JOIN option_sets o
GROUP BY 1, 2, 3;
CREATE TEMP TABLE merged AS
SELECT option_set, customer_id, pg_temp.journeys_merge(state::journeys_state ORDER BY slice DESC) AS js
FROM slices GROUP BY 1, 2;
SELECT is((SELECT count(*) FROM (
              SELECT m.customer_id, j.* FROM merged m, unnest(m.js) j WHERE m.option_set = o.option_set
              EXCEPT ALL
              SELECT customer_id, journey_no, path, touch_times, converted, conversion_time, value
              FROM expected e WHERE e.option_set = o.option_set) x)
          + (SELECT count(*) FROM (
              SELECT customer_id, journey_no, path, touch_times, converted, conversion_time, value
              FROM expected e WHERE e.option_set = o.option_set
              EXCEPT ALL
              SELECT m.customer_id, j.* FROM merged m, unnest(m.js) j WHERE m.option_set = o.option_set) y),
          0::int8, 'text round trip of 4 partial states, merged: equal to the reference, options '
                   || coalesce(o.options, '(none)'))
FROM option_sets o WHERE o.option_set IN ('default', 'never_lookback_session', 'session_direct', 'days1')
ORDER BY o.option_set;
SELECT ok(bool_and(state::journeys_state::text = state), 'state text round-trips exactly')
FROM slices;
CREATE TEMP TABLE bin (s journeys_state);
INSERT INTO bin SELECT state::journeys_state FROM slices WHERE option_set = 'session_direct';
\! mkdir -p results
\copy bin TO 'results/journeys_states.bin' (FORMAT binary)
CREATE TEMP TABLE bin_back (s journeys_state);
\copy bin_back FROM 'results/journeys_states.bin' (FORMAT binary)
SELECT is((SELECT array_agg(s::text ORDER BY s::text) FROM bin_back),
          (SELECT array_agg(s::text ORDER BY s::text) FROM bin),
          'binary send/receive round-trips every state');

-- ---------- the final function is STABLE, the rest IMMUTABLE ----------
SELECT is((SELECT provolatile FROM pg_proc WHERE oid = 'journeys_final(journeys_state)'::regprocedure),
          's'::"char", 'journeys_final is STABLE (lookback_days reads TimeZone)');
SELECT is((SELECT array_agg(DISTINCT provolatile) FROM pg_proc
           WHERE proname IN ('journeys_accum', 'journeys_combine')),
          ARRAY['i']::"char"[], 'transition and combine functions are IMMUTABLE');

-- lookback_days follows the session time zone: 2026-03-02 23:30 in New York
-- is March 3 in UTC
SET LOCAL TimeZone = 'UTC';
SELECT is((SELECT (j[1]).path FROM (SELECT journeys(t, ch, v, 'lookback_days=0') AS j
           FROM (VALUES (timestamptz '2026-03-03 04:30+00', 'email', NULL::float8),
                        (timestamptz '2026-03-03 05:00+00', NULL, 1)) x(t, ch, v)) s),
          '{email}'::text[], 'lookback_days=0 in UTC: touch and purchase on the same day (March 3)');
SET LOCAL TimeZone = 'America/New_York';
SELECT is((SELECT (j[1]).path FROM (SELECT journeys(t, ch, v, 'lookback_days=0') AS j
           FROM (VALUES (timestamptz '2026-03-03 04:30+00', 'email', NULL::float8),
                        (timestamptz '2026-03-03 05:00+00', NULL, 1)) x(t, ch, v)) s),
          '{}'::text[], 'lookback_days=0 in New York: the touch was on March 2, the purchase on March 3');

-- ---------- bad input: SQLSTATEs ----------
SELECT throws_ok($$SELECT journeys(now(), 'a', 'NaN')$$, '22023', NULL, 'NaN conversion_value: 22023');
SELECT throws_ok($$SELECT journeys(now(), 'a', -0.01)$$, '22023', NULL, 'negative conversion_value: 22023');
SELECT throws_ok($$SELECT journeys(now(), 'a', 'Infinity')$$, '22023', NULL, 'infinite conversion_value: 22023');
SELECT throws_ok($$SELECT journeys('infinity', 'a', NULL)$$, '22023', NULL, 'infinite event_time: 22023');
SELECT throws_like($$SELECT journeys(now(), 'a', NULL, 'lookbak=3 days')$$, '%unknown journeys option "lookbak"%',
                   'unknown option: 22023 naming it');
SELECT ok((SELECT journeys(t, 'a', NULL) FROM (VALUES (NULL::timestamptz), (NULL)) v(t)) IS NULL
          AND cardinality((SELECT journeys(t, 'a', NULL) FROM (VALUES (NULL::timestamptz), (now())) v(t))) = 1,
          'rows without event_time are skipped; no row left gives NULL');
SELECT is((SELECT count(*) FROM (SELECT journeys(event_time, channel, conversion_value, 'lookbak=1') FROM ev WHERE false) x),
          1::int8, 'no rows: one NULL result, the options never parsed');

SELECT * FROM finish();
ROLLBACK;
