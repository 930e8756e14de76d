-- pgTAP: incremental rollups (README "Rollups"; doc/attribution.md and
-- doc/clv.md).  States stored per day -- attribution_partial per day and
-- model, customer_summary_partial per customer and day -- merged over a date
-- range with attribution_merge / customer_summary_merge and finished with
-- attribution_result / customer_summary_result equal the one-pass aggregate
-- over that range's rows to 1e-12 relative, for every model, for 21 date
-- ranges, serially and in parallel plans; a rollup of rollups (weeks from
-- days) equals the rollup of the days; hand-worked small cases; errors.
BEGIN;
\ir lib/helpers.psql
SELECT plan(38);
SET LOCAL TimeZone = 'UTC';

-- largest relative difference between two attribution results (every field
-- of every channel); infinity when the channels or their order differ
CREATE FUNCTION pg_temp.maxrel(a channel_credit[], b channel_credit[]) RETURNS float8
    LANGUAGE sql AS $$
    SELECT CASE WHEN a IS NULL OR b IS NULL THEN CASE WHEN a IS NULL AND b IS NULL THEN 0 ELSE 'Infinity'::float8 END
                WHEN cardinality(a) <> cardinality(b) OR bool_or(x.channel IS DISTINCT FROM y.channel)
                     OR bool_or((x.removal_effect IS NULL) <> (y.removal_effect IS NULL)) THEN 'Infinity'::float8
                ELSE coalesce(max(greatest(
                    abs(x.conversions - y.conversions) / greatest(abs(x.conversions), abs(y.conversions), 1e-300),
                    abs(x.value - y.value) / greatest(abs(x.value), abs(y.value), 1e-300),
                    abs(x.conversion_share - y.conversion_share) / greatest(abs(x.conversion_share), abs(y.conversion_share), 1e-300),
                    abs(x.touched - y.touched) / greatest(abs(x.touched), abs(y.touched), 1e-300),
                    abs(x.first_touches - y.first_touches) / greatest(abs(x.first_touches), abs(y.first_touches), 1e-300),
                    abs(x.last_touches - y.last_touches) / greatest(abs(x.last_touches), abs(y.last_touches), 1e-300),
                    abs(x.assists - y.assists) / greatest(abs(x.assists), abs(y.assists), 1e-300),
                    coalesce(abs(x.removal_effect - y.removal_effect)
                             / greatest(abs(x.removal_effect), abs(y.removal_effect), 1e-300), 0))), 0) END
    FROM unnest(a) WITH ORDINALITY AS x FULL JOIN unnest(b) WITH ORDINALITY AS y USING (ordinality) $$;

-- ------------------------------------------------------------ hand-worked

-- day 1: path {a,b}, 1 conversion worth 100; day 2: path {b}, 1 conversion
-- worth 50.  Linear: a gets 1/2 conversion and 50, b 1/2 + 1 = 3/2 and
-- 50 + 50 = 100; shares 1/4 and 3/4; b touched 2, a 1.
CREATE TEMP TABLE hand_daily AS
SELECT day, attribution_partial(path, 1, value, 'linear') AS state
FROM (VALUES (1, '{a,b}'::text[], 100::float8), (2, '{b}', 50)) AS j(day, path, value)
GROUP BY day;
SELECT is((SELECT array_agg(row(c.channel, c.conversions, c.value, c.conversion_share, c.touched)::text ORDER BY c.channel)
           FROM unnest((SELECT attribution_result(attribution_merge(state)) FROM hand_daily)) c),
          ARRAY['(a,0.5,50,0.25,1)', '(b,1.5,100,0.75,2)'],
          'two stored days merged: linear credits worked by hand');
SELECT ok((SELECT attribution_result(attribution_merge(state)) FROM hand_daily WHERE day > 5) IS NULL,
          'no stored day in the range: NULL, as attribution() over no rows');

-- one customer: day 1 orders of 10 and 5 (one purchase period), day 3 an
-- order of 20; as of day 10: frequency 1, recency 2, t 9, monetary value 20
-- (the repeat period's spend), 3 orders, total 35
CREATE TEMP TABLE hand_orders (ordered_at timestamptz, amount float8);
INSERT INTO hand_orders VALUES ('2026-01-01 09:00+00', 10), ('2026-01-01 17:00+00', 5), ('2026-01-03 12:00+00', 20);
CREATE TEMP TABLE hand_customer_daily AS
SELECT ordered_at::date AS day, customer_summary_partial(ordered_at, amount, (ordered_at::date + 1)::timestamptz) AS state
FROM hand_orders GROUP BY 1;
SELECT is((SELECT customer_summary_result(customer_summary_merge(state), '2026-01-10 00:00+00')::text FROM hand_customer_daily),
          '(1,2,9,20,3,35)', 'two stored days of one customer merged, as of day 10: RFM worked by hand');
SELECT is((SELECT customer_summary_result(customer_summary_merge(state))::text FROM hand_customer_daily),
          '(1,2,3,20,3,35)', 'without an observation end: as of the latest stored one (the end of day 3)');

-- ------------------------------------------------------------ attribution, 30 days

SELECT setseed(0.2121);
CREATE TABLE roll_journeys AS
SELECT j AS id, date '2026-06-01' + (j % 30) AS day, p.path, p.times,
       (date '2026-06-01' + (j % 30))::timestamptz + interval '20 hours' AS conversion_time,
       floor(3 * random())::float8 AS conversions, round((400 * random())::numeric, 2)::float8 AS value,
       floor(4 * random())::float8 AS non_conversions
FROM generate_series(1, 6000) AS j
CROSS JOIN LATERAL (
    SELECT array_agg('ch' || floor(9 * power(random(), 1.6))::int ORDER BY k) AS path,
           array_agg((date '2026-06-01' + (j % 30))::timestamptz + interval '20 hours'
                     - ((1 + j % 6 - k) * 1.5 + random()) * interval '1 day' ORDER BY k) AS times
    FROM generate_series(1, 1 + j % 6) AS k) AS p;
ANALYZE roll_journeys;

CREATE TABLE roll_models (name text, kind text);
INSERT INTO roll_models VALUES
    ('linear', 'plain'), ('position_based(first=0.3,last=0.5)', 'plain'), ('last_non_direct(direct=ch0)', 'plain'),
    ('markov', 'nonconv'), ('markov(order=2)', 'nonconv'), ('shapley', 'nonconv'),
    ('time_decay(half_life=2 days,lookback=6 days)', 'times');

-- the stored states: one per day and model
CREATE TABLE attribution_daily AS
SELECT day, name AS model, attribution_partial(path, conversions, value, name::attribution_model) AS state
FROM roll_journeys CROSS JOIN roll_models WHERE kind = 'plain' GROUP BY day, name
UNION ALL
SELECT day, name, attribution_partial(path, conversions, value, non_conversions, name::attribution_model)
FROM roll_journeys CROSS JOIN roll_models WHERE kind = 'nonconv' GROUP BY day, name
UNION ALL
SELECT day, name, attribution_partial(path, times, conversion_time, value, name::attribution_model)
FROM roll_journeys CROSS JOIN roll_models WHERE kind = 'times' GROUP BY day, name;
ANALYZE attribution_daily;

CREATE FUNCTION pg_temp.one_pass(model text, d0 date, d1 date) RETURNS channel_credit[] LANGUAGE plpgsql AS $$
DECLARE
    k text := (SELECT kind FROM roll_models WHERE name = model);
    r channel_credit[];
BEGIN
    IF k = 'plain' THEN
        SELECT attribution(path, conversions, value, model::attribution_model) INTO r
        FROM roll_journeys WHERE day BETWEEN d0 AND d1;
    ELSIF k = 'nonconv' THEN
        SELECT attribution(path, conversions, value, non_conversions, model::attribution_model) INTO r
        FROM roll_journeys WHERE day BETWEEN d0 AND d1;
    ELSE
        SELECT attribution(path, times, conversion_time, value, model::attribution_model) INTO r
        FROM roll_journeys WHERE day BETWEEN d0 AND d1;
    END IF;
    RETURN r;
END $$;
CREATE FUNCTION pg_temp.rollup(m text, d0 date, d1 date) RETURNS channel_credit[] LANGUAGE sql AS $$
    SELECT attribution_result(attribution_merge(state)) FROM attribution_daily
    WHERE model = m AND day BETWEEN d0 AND d1 $$;

-- 21 ranges: every pair of the days 1, 2, 8, 15, 22 and 30 (single days included)
CREATE TEMP TABLE roll_ranges AS
SELECT date '2026-05-31' + a AS d0, date '2026-05-31' + b AS d1
FROM unnest(ARRAY[1, 2, 8, 15, 22, 30]) a, unnest(ARRAY[1, 2, 8, 15, 22, 30]) b WHERE a <= b;

SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE roll_serial AS
SELECT m.name, r.d0, r.d1, pg_temp.one_pass(m.name, r.d0, r.d1) AS one_pass, pg_temp.rollup(m.name, r.d0, r.d1) AS rollup
FROM roll_models m CROSS JOIN roll_ranges r;
SELECT is((SELECT count(*) FROM roll_serial WHERE cardinality(one_pass) >= 9), 147::bigint,
          '147 one-pass answers (7 models x 21 date ranges), each crediting the 9 channels');
SELECT cmp_ok((SELECT max(pg_temp.maxrel(one_pass, rollup)) FROM roll_serial WHERE name = m), '<=', 1e-12::float8,
              format('%s: rollup of the stored days = one pass, 21 ranges, 1e-12 relative', m))
FROM unnest(ARRAY['linear', 'position_based(first=0.3,last=0.5)', 'last_non_direct(direct=ch0)',
                  'markov', 'markov(order=2)', 'shapley', 'time_decay(half_life=2 days,lookback=6 days)']) m;
SELECT ok((SELECT bool_and(removal_effect IS NOT NULL) FROM roll_serial, unnest(rollup) c
           WHERE name = 'markov(order=2)'), 'the merged markov states give removal effects');

-- parallel plans: the merge runs in workers (Partial Aggregate), the one
-- pass too; same answers
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL parallel_leader_participation = off;
SELECT matches(pg_temp.plan_of($$SELECT attribution_result(attribution_merge(state)) FROM attribution_daily WHERE model = 'markov'$$),
               'Partial Aggregate', 'attribution_merge runs as a partial aggregate in parallel workers');
SELECT matches(pg_temp.plan_of($$SELECT attribution_partial(path, conversions, value, 'linear') FROM roll_journeys$$),
               'Partial Aggregate', 'attribution_partial runs as a partial aggregate in parallel workers');
CREATE TEMP TABLE roll_parallel AS
SELECT m.name, r.d0, r.d1, pg_temp.one_pass(m.name, r.d0, r.d1) AS one_pass, pg_temp.rollup(m.name, r.d0, r.d1) AS rollup
FROM roll_models m CROSS JOIN roll_ranges r;
SELECT cmp_ok((SELECT max(greatest(pg_temp.maxrel(p.rollup, s.one_pass), pg_temp.maxrel(p.one_pass, s.one_pass)))
               FROM roll_parallel p JOIN roll_serial s USING (name, d0, d1)), '<=', 1e-12::float8,
              'parallel plans: rollups and one passes equal the serial one pass (147 answers, 1e-12)');
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;

-- a rollup of rollups: weekly states merged from the daily ones, then the
-- month from the weeks
CREATE TEMP TABLE attribution_weekly AS
SELECT date_trunc('week', day)::date AS week, model, attribution_merge(state) AS state
FROM attribution_daily GROUP BY 1, 2;
SELECT cmp_ok((SELECT max(pg_temp.maxrel(
                   (SELECT attribution_result(attribution_merge(state)) FROM attribution_weekly w WHERE w.model = m.name),
                   s.one_pass))
               FROM roll_models m JOIN roll_serial s ON s.name = m.name
               WHERE s.d0 = date '2026-06-01' AND s.d1 = date '2026-06-30'), '<=', 1e-12::float8,
              'weeks merged from days, the month from the weeks: = one pass over the month');
-- the stored states through their text form (a dump) merge the same
SELECT cmp_ok((SELECT max(pg_temp.maxrel(
                   (SELECT attribution_result(attribution_merge(state::text::attribution_state))
                    FROM attribution_daily d WHERE d.model = s.name AND d.day BETWEEN s.d0 AND s.d1),
                   s.one_pass)) FROM roll_serial s), '<=', 1e-12::float8,
              'states through their text form (a dump and restore) merge to the same answers');
-- the matrix of stored markov states
SELECT ok(pg_temp.same_t((SELECT markov_transitions_final(attribution_merge(state)) FROM attribution_daily
                          WHERE model = 'markov(order=2)' AND day BETWEEN '2026-06-08' AND '2026-06-22'),
                         (SELECT markov_transitions(path, conversions, non_conversions, 2) FROM roll_journeys
                          WHERE day BETWEEN '2026-06-08' AND '2026-06-22')),
          'markov_transitions_final of merged markov states = markov_transitions() over the range');

-- errors
SELECT throws_ok($$SELECT attribution_merge(state) FROM attribution_daily WHERE model IN ('linear', 'shapley')$$,
                 '22023', NULL, 'merging states of different models: 22023');
SELECT ok((SELECT attribution_merge(state) FROM attribution_daily WHERE false) IS NULL,
          'attribution_merge over no rows: NULL');
SELECT ok(attribution_result(NULL) IS NULL, 'attribution_result(NULL) is NULL (strict)');

-- ------------------------------------------------------------ customer_summary, 90 days

SELECT setseed(0.3131);
CREATE TABLE roll_orders AS
SELECT 1 + floor(200 * power(random(), 1.5))::int AS customer_id,
       timestamptz '2026-01-01 00:00+00' + random() * 90 * interval '1 day' AS ordered_at,
       round((5 + 150 * random())::numeric, 2)::float8 AS amount
FROM generate_series(1, 5000);
ANALYZE roll_orders;
-- stored: one state per customer and day (its end as the observation end),
-- in days and in weeks
CREATE TABLE customer_daily AS
SELECT customer_id, ordered_at::date AS day,
       customer_summary_partial(ordered_at, amount, (ordered_at::date + 1)::timestamptz) AS state,
       customer_summary_partial(ordered_at, amount, (ordered_at::date + 1)::timestamptz, '7 days') AS state_weeks
FROM roll_orders GROUP BY 1, 2;
ANALYZE customer_daily;

-- largest relative difference between two sets of (customer, rfm)
CREATE FUNCTION pg_temp.rfm_maxrel(a text, b text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    d float8;
BEGIN
    EXECUTE format($q$
        SELECT CASE WHEN count(*) FILTER (WHERE x.customer_id IS NULL OR y.customer_id IS NULL) > 0
                    THEN 'Infinity'::float8 ELSE coalesce(max(greatest(
            abs((x.r).frequency - (y.r).frequency) / greatest(abs((x.r).frequency), 1e-300),
            abs((x.r).recency - (y.r).recency) / greatest(abs((x.r).recency), 1e-300),
            abs((x.r).t - (y.r).t) / greatest(abs((x.r).t), 1e-300),
            abs((x.r).monetary_value - (y.r).monetary_value) / greatest(abs((x.r).monetary_value), 1e-300),
            abs((x.r).orders - (y.r).orders) / greatest(abs((x.r).orders), 1),
            abs((x.r).total - (y.r).total) / greatest(abs((x.r).total), 1e-300))), 0) END
        FROM (%s) x(customer_id, r) FULL JOIN (%s) y(customer_id, r) USING (customer_id)$q$, a, b) INTO d;
    RETURN d;
END $$;
CREATE FUNCTION pg_temp.rfm_ranges_maxrel(weeks boolean) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    worst float8 := 0;
    r record;
BEGIN
    FOR r IN SELECT date '2025-12-31' + a AS d0, date '2025-12-31' + b AS d1
             FROM unnest(ARRAY[1, 2, 30, 45, 80, 90]) a, unnest(ARRAY[1, 2, 30, 45, 80, 90]) b WHERE a <= b LOOP
        worst := greatest(worst, pg_temp.rfm_maxrel(
            format($q$SELECT customer_id, customer_summary(ordered_at, amount, %L::timestamptz + interval '1 day' - interval '1 microsecond'%s)
                      FROM roll_orders WHERE ordered_at::date BETWEEN %L AND %L GROUP BY 1$q$,
                   r.d1, CASE WHEN weeks THEN ', ''7 days''' ELSE '' END, r.d0, r.d1),
            format($q$SELECT customer_id, customer_summary_result(customer_summary_merge(%s), %L::timestamptz + interval '1 day' - interval '1 microsecond')
                      FROM customer_daily WHERE day BETWEEN %L AND %L GROUP BY 1$q$,
                   CASE WHEN weeks THEN 'state_weeks' ELSE 'state' END, r.d1, r.d0, r.d1)));
    END LOOP;
    RETURN worst;
END $$;
SELECT is((SELECT count(DISTINCT customer_id) FROM customer_daily), 200::bigint, '200 customers stored day by day');
SELECT cmp_ok(pg_temp.rfm_ranges_maxrel(false), '<=', 1e-12::float8,
              'customer_summary: rollup of the stored days = one pass per customer, 21 ranges (as of the end of each range''s last day), 1e-12');
SELECT cmp_ok(pg_temp.rfm_ranges_maxrel(true), '<=', 1e-12::float8,
              'customer_summary in weeks: rollup = one pass, 21 ranges, 1e-12');
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL parallel_leader_participation = off;
SELECT matches(pg_temp.plan_of($$SELECT customer_summary_merge(state) FROM customer_daily$$),
               'Partial Aggregate', 'customer_summary_merge runs as a partial aggregate in parallel workers');
SELECT cmp_ok(pg_temp.rfm_ranges_maxrel(false), '<=', 1e-12::float8,
              'parallel plans: customer_summary rollups = one pass, 21 ranges, 1e-12');
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;

-- months from days, then the half year from the months; and the
-- one-customer-at-a-time form through the text of the states
CREATE TEMP TABLE customer_monthly AS
SELECT customer_id, date_trunc('month', day)::date AS month, customer_summary_merge(state) AS state
FROM customer_daily GROUP BY 1, 2;
SELECT cmp_ok(pg_temp.rfm_maxrel(
    $$SELECT customer_id, customer_summary(ordered_at, amount, '2026-04-15 00:00+00') FROM roll_orders GROUP BY 1$$,
    $$SELECT customer_id, customer_summary_result(customer_summary_merge(state), '2026-04-15 00:00+00') FROM customer_monthly GROUP BY 1$$),
    '<=', 1e-12::float8, 'months merged from days, the quarter from the months: = one pass (as of a later end)');
SELECT cmp_ok(pg_temp.rfm_maxrel(
    $$SELECT customer_id, customer_summary(ordered_at, amount, '2026-04-30 00:00+00') FROM roll_orders GROUP BY 1$$,
    $$SELECT customer_id, customer_summary_result(customer_summary_merge(state::text::customer_summary_state), '2026-04-30 00:00+00')
      FROM customer_daily GROUP BY 1$$),
    '<=', 1e-12::float8, 'states through their text form, as of a later end: = one pass');
SELECT is((SELECT (customer_summary_result(customer_summary_merge(state))).t FROM customer_daily WHERE customer_id = 1),
          (SELECT (customer_summary(ordered_at, amount,
                    (SELECT (max(ordered_at)::date + 1)::timestamptz FROM roll_orders WHERE customer_id = 1))).t
           FROM roll_orders WHERE customer_id = 1),
          'the merged state keeps the latest observation end (the end of the last stored day)');

-- errors and NULLs
SELECT throws_ok($$SELECT customer_summary_merge(s) FROM (SELECT state AS s FROM customer_daily WHERE customer_id = 1
                   UNION ALL SELECT state_weeks FROM customer_daily WHERE customer_id = 1) x$$,
                 '22023', 'time_unit must be the same for every order of a customer',
                 'merging states of different time units: 22023');
SELECT throws_ok($$SELECT customer_summary_result(customer_summary_merge(state), '2026-01-15')
                   FROM customer_daily WHERE customer_id = 1$$,
                 '22023', NULL, 'an observation end before the last stored order: 22023');
SELECT throws_ok($$SELECT customer_summary_result(state, 'infinity') FROM customer_daily LIMIT 1$$,
                 '22023', NULL, 'an infinite observation end: 22023');
SELECT ok((SELECT customer_summary_merge(state) FROM customer_daily WHERE false) IS NULL,
          'customer_summary_merge over no rows: NULL');
SELECT ok(customer_summary_result(NULL::customer_summary_state, now()) IS NULL,
          'customer_summary_result(NULL, end) is NULL (strict)');
SELECT is((SELECT customer_summary_mergefn(a.state, b.state)::text FROM customer_daily a, customer_daily b
           WHERE a.customer_id = 1 AND b.customer_id = 1 AND a.day < b.day ORDER BY a.day, b.day LIMIT 1),
          (SELECT customer_summary_merge(state)::text FROM (SELECT state FROM customer_daily WHERE customer_id = 1
           ORDER BY day LIMIT 2) x),
          'the merge function called directly (outside an aggregate) = the aggregate over the two states');
-- direct calls leave the stored states as they were
CREATE TEMP TABLE stored_before AS SELECT customer_id, day, state::text AS s FROM customer_daily WHERE customer_id <= 3;
SELECT count(customer_summary_mergefn(a.state, b.state)) FROM customer_daily a JOIN customer_daily b USING (customer_id)
WHERE customer_id <= 3 AND a.day < b.day \g /dev/null
SELECT customer_summary_merge(state) FROM customer_daily WHERE customer_id <= 3 GROUP BY customer_id \g /dev/null
SELECT is((SELECT count(*) FROM customer_daily d JOIN stored_before s USING (customer_id, day) WHERE d.state::text <> s.s),
          0::bigint, 'direct calls and merges leave the stored states unchanged');
SELECT is((SELECT count(*) FROM pg_proc WHERE proname IN ('attribution_partial', 'attribution_merge', 'attribution_result',
           'customer_summary_partial', 'customer_summary_merge', 'customer_summary_mergefn', 'customer_summary_result')
           AND obj_description(oid, 'pg_proc') IS NULL), 0::bigint, 'every rollup object has a comment');

SELECT * FROM finish();
ROLLBACK;
