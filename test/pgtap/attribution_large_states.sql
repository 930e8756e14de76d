-- pgTAP: large attribution states.  A state of 256 kB or more is held in an
-- expanded object while its aggregate runs (so it grows in place instead of
-- being copied by the executor at each growth).  These tests run such states
-- through every way an aggregate can be executed -- serial, parallel, hashed
-- grouping sets, merged partial states, window frames that restart, and
-- results passed on to other functions -- and compare the transition
-- counts with the same counts taken by plain SQL from the journeys.
BEGIN;
\ir lib/helpers.psql
SELECT plan(14);

-- 48,000 journeys of two touches over 8,000 channels: the pair repeats
-- every 8,000 rows (7 * 8000 = 56000), so there are 8,000 distinct second
-- steps, and a touch never repeats in its journey (6i + 3 is odd, so
-- i and 7i + 3 differ mod 8000).  Every third journey converts.
CREATE TABLE big AS   -- not TEMP: parallel workers scan it
SELECT i, i % 2 AS g,
       ARRAY['n' || (i % 8000), 'n' || ((7 * i + 3) % 8000)] AS path,
       (i % 3 = 0)::int::float8 AS conv,
       (i % 3 <> 0)::int::float8 AS nonconv
FROM generate_series(1, 48000) AS i;
ANALYZE big;

-- the order-1 transitions of the journeys with i in [lo, hi] and g in gs,
-- counted by plain SQL: (start) -> first, first -> second, second -> the end
CREATE FUNCTION pg_temp.expected(lo int, hi int, gs int[])
    RETURNS TABLE (from_state text, to_state text, transitions float8) LANGUAGE sql AS $$
    WITH j AS (SELECT * FROM big WHERE i BETWEEN lo AND hi AND g = ANY (gs))
    SELECT '(start)', path[1], sum(conv + nonconv) FROM j GROUP BY 2
    UNION ALL SELECT path[1], path[2], sum(conv + nonconv) FROM j GROUP BY 1, 2
    UNION ALL SELECT path[2], '(conversion)', sum(conv) FROM j GROUP BY 1 HAVING sum(conv) > 0
    UNION ALL SELECT path[2], '(null)', sum(nonconv) FROM j GROUP BY 1 HAVING sum(nonconv) > 0 $$;

-- rows of a markov_transitions() result that differ from the expected ones
-- (missing, extra, or another count), 0 when they are the same
CREATE FUNCTION pg_temp.mismatches(r markov_transition[], lo int, hi int, gs int[])
    RETURNS bigint LANGUAGE sql AS $$
    SELECT count(*)
    FROM unnest(r) AS t
         FULL JOIN pg_temp.expected(lo, hi, gs) AS e USING (from_state, to_state)
    WHERE t.transitions IS DISTINCT FROM e.transitions $$;

-- the counts themselves, worked out: 48,000 journeys from (start) in all
SELECT is((SELECT sum(transitions) FROM pg_temp.expected(1, 48000, '{0,1}')
           WHERE from_state = '(start)'), 48000::float8, 'the reference counts 48,000 journeys');

-- ---- serial and parallel ----
SET LOCAL max_parallel_workers_per_gather = 0;
SELECT is(pg_temp.mismatches(markov_transitions(path, conv, nonconv), 1, 48000, '{0,1}'), 0::bigint,
          'serial aggregate: every transition counted')
FROM big;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL parallel_leader_participation = off;   -- the workers build the states
SELECT matches(pg_temp.plan_of('SELECT markov_transitions(path, conv, nonconv) FROM big'),
               'Workers Launched: [12]', 'parallel workers ran');
SELECT is(pg_temp.mismatches(markov_transitions(path, conv, nonconv), 1, 48000, '{0,1}'), 0::bigint,
          'parallel aggregate: partial states merged')
FROM big;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;

-- ---- hashed grouping sets: one state per group and one for all ----
SET LOCAL enable_sort = off;
SELECT is(count(*) FILTER (WHERE pg_temp.mismatches(r, 1, 48000,
                                                   CASE WHEN g IS NULL THEN '{0,1}'::int[] ELSE ARRAY[g] END) = 0),
          3::bigint, 'hashed grouping sets: g = 0, g = 1 and all')
FROM (SELECT g, markov_transitions(path, conv, nonconv) AS r
      FROM big GROUP BY GROUPING SETS ((g), ())) s;
RESET enable_sort;

-- ---- partial states merged by attribution_merge ----
SELECT is(pg_temp.mismatches(markov_transitions_final(attribution_merge(s)), 1, 48000, '{0,1}'), 0::bigint,
          'attribution_merge of two large partial states')
FROM (SELECT attribution_partial(path, conv, 0, nonconv, 'markov') AS s FROM big GROUP BY g) p;

-- ---- window frames ----
-- each row is one journey through 3,000 channels of its own: 3,001
-- transitions ((start) to its first touch, 2,999 between touches, its last
-- touch to (conversion)).  A running frame grows one state row by row; a
-- frame of two rows restarts the aggregate at every row.
CREATE TEMP TABLE long_journeys AS
SELECT k, array_agg('r' || k || ':' || t ORDER BY t) AS p
FROM generate_series(1, 4) AS k, generate_series(1, 3000) AS t GROUP BY k;
SELECT is(array_agg(cardinality(r) ORDER BY k), '{3001,6002,9003,12004}'::int[],
          'window aggregate, running frame over journeys of 3,000 channels')
FROM (SELECT k, markov_transitions(p, 1, 0) OVER (ORDER BY k) AS r FROM long_journeys) w;
SELECT is(array_agg(cardinality(r) ORDER BY k), '{3001,6002,6002,6002}'::int[],
          'window frame of two rows, restarted at every row')
FROM (SELECT k, markov_transitions(p, 1, 0) OVER (ORDER BY k ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS r
      FROM long_journeys) w;

-- ---- an aggregate's result passed on: read, never modified ----
CREATE TEMP TABLE passed AS
SELECT markov_transitions_final(attribution_accum(s, '{zz1,zz2}', 1, 0, 0, 'markov')) AS added,
       markov_transitions_final(s) AS kept,
       markov_transitions_final(attribution_combine(s, s)) AS doubled,
       markov_transitions_final(s) AS kept_again
FROM (SELECT attribution_partial(path, conv, 0, nonconv, 'markov') AS s FROM big OFFSET 0) q;
SELECT is(pg_temp.mismatches(kept, 1, 48000, '{0,1}'), 0::bigint,
          'the state after a transition call on it is unchanged') FROM passed;
SELECT is(pg_temp.mismatches(kept_again, 1, 48000, '{0,1}'), 0::bigint,
          'the state after a combine call on it is unchanged') FROM passed;
-- one journey zz1 > zz2 that converts: (start) > zz1, zz1 > zz2, zz2 > (conversion)
SELECT is(cardinality(added) - cardinality(kept), 3, 'the transition call added its journey') FROM passed;
SELECT is((SELECT sum(t.transitions) FROM unnest(added) AS t
           WHERE t.from_state IN ('zz1', 'zz2') OR t.to_state = 'zz1'), 3::float8,
          'with weight 1 on each of its three transitions') FROM passed;
SELECT ok(cardinality(doubled) = cardinality(kept)
          AND (SELECT bool_and(d.transitions = 2 * k.transitions AND d.from_state = k.from_state
                               AND d.to_state = k.to_state)
               FROM unnest(doubled) WITH ORDINALITY AS d JOIN unnest(kept) WITH ORDINALITY AS k USING (ordinality)),
          'combining the state with itself doubles every count') FROM passed;

-- ---- the solved model on a large state: serial = parallel ----
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE solved_serial AS SELECT attribution(path, conv, 0, nonconv, 'markov') AS r FROM big;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SELECT ok(pg_temp.same(p.r, s.r), 'markov attribution of a large state: parallel = serial')
FROM solved_serial s, (SELECT attribution(path, conv, 0, nonconv, 'markov') AS r FROM big) p;

SELECT * FROM finish();
ROLLBACK;
