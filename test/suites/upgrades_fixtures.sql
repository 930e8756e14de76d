-- Sample values of EVERY type of the extension, for test/suites/upgrades.sh
-- (dump/restore, pg_upgrade across PostgreSQL majors, socroi's own updates).
--
-- The suite lists the extension's types from the catalog (members of the
-- extension in pg_type, and their array types) and FAILS naming any type
-- without a block here: whoever adds a type adds its sample values.  An
-- array type without a block of its own gets one made from its element's
-- values (all of them, an empty array, and one with a NULL element).
--
-- Blocks:
--   -- setup                      SQL run once in every sample database,
--   -- since: <version>           before the blocks (helper tables and the
--   <statements>                  state-only aggregates the blocks use)
--
--   -- type: <format_type name>   one SELECT whose column v holds sample
--   -- since: <version>           values of the type; used for databases of
--   -- final: <expression of v>   that socroi version or later (so the
--   SELECT ... AS v ...;          values of old releases can be written by
--                                 their own libraries); state types (those
--                                 of an aggregate) must name the final step,
--                                 and other types may name a use (a
--                                 prediction from a stored model): the
--                                 suite compares its result too
-- Several blocks may give values of one type.  Every block starts after
-- setseed(0.5).  Keep values small (a few per block) but varied: the
-- awkward strings, NaN, infinities, -0, denormals and NULL attributes are
-- what a dump and a restore must carry exactly.

-- setup
-- since: 0.1.0
CREATE SCHEMA upg;
-- journeys: paths (with awkward channel names), touch times, conversions
CREATE TABLE upg.journeys AS
SELECT i, i % 3 AS g, date '2026-03-01' + (i % 9) AS day,
       (SELECT array_agg((ARRAY['email', 'social', 'search', 'display', 'direct',
                                'e-mail "news"', 'ünï ✓', 'a b|c', 'back\slash', ''])
                         [1 + (i * 7 + k * 13 + k * k) % CASE WHEN i % 11 = 0 THEN 10 ELSE 5 END]
                         ORDER BY k)
        FROM generate_series(1, 1 + i % 6) k) AS path,
       (SELECT array_agg(timestamptz '2026-03-20 12:00+00' - ((1 + i % 6 - k) * 2 + i % 3) * interval '1 day'
                         ORDER BY k)
        FROM generate_series(1, 1 + i % 6) k) AS touch_times,
       timestamptz '2026-03-20 12:00+00' AS conversion_time,
       (i % 3 > 0)::int::float8 AS conversions, ((i * 37) % 500 + 0.25)::float8 AS value,
       (i % 4)::float8 AS non_conversions
FROM generate_series(1, 400) i;
CREATE AGGREGATE upg.attr_state(text[], float8, float8, attribution_model)
    (SFUNC = attribution_accum, STYPE = attribution_state);
CREATE AGGREGATE upg.attr_state(text[], float8, float8, float8, attribution_model)
    (SFUNC = attribution_accum, STYPE = attribution_state);
CREATE AGGREGATE upg.attr_state(text[], timestamptz[], timestamptz, float8, attribution_model)
    (SFUNC = attribution_accum, STYPE = attribution_state);

-- setup
-- since: 0.2.0
CREATE AGGREGATE upg.markov_transitions_state(text[], float8, float8, int4)
    (SFUNC = markov_transitions_accum, STYPE = attribution_state);
CREATE AGGREGATE upg.clv_compare_state(boolean, float8, float8)
    (SFUNC = clv_compare_transfn, STYPE = clv_compare_state);
CREATE AGGREGATE upg.customer_summary_state(timestamptz, float8, timestamptz, interval)
    (SFUNC = customer_summary_transfn, STYPE = customer_summary_state);
CREATE AGGREGATE upg.bgnbd_fit_state(float8, float8, float8, float8)
    (SFUNC = bgnbd_fit_transfn, STYPE = bgnbd_fit_state);
CREATE AGGREGATE upg.gamma_gamma_fit_state(float8, float8)
    (SFUNC = gamma_gamma_fit_transfn, STYPE = gamma_gamma_fit_state);
CREATE AGGREGATE upg.compare_rates_state(boolean, boolean, float8)
    (SFUNC = compare_rates_transfn, STYPE = compare_rates_state);
CREATE AGGREGATE upg.time_to_convert_state(float8, boolean)
    (SFUNC = time_to_convert_transfn, STYPE = time_to_convert_state);
CREATE AGGREGATE upg.compare_time_to_convert_state(boolean, float8, boolean)
    (SFUNC = compare_time_to_convert_transfn, STYPE = compare_time_to_convert_state);
-- orders of 40 customers over 60 days (several on some days)
CREATE TABLE upg.orders AS
SELECT 1 + i % 40 AS customer, timestamptz '2026-01-01 00:00+00' + ((i * 7) % 60) * interval '1 day'
           + ((i * 3571) % 86400) * interval '1 second' AS ordered_at,
       round((5 + (i * 53) % 200 / 2.0)::numeric, 2)::float8 AS amount
FROM generate_series(1, 600) i;
-- BG/NBD customers (Fader, Hardie & Lee 2005, the model's own story), as in
-- aggregate_fixtures.sql: 1,500 customers observed for 39 weeks
CREATE TABLE upg.rfm AS
WITH c AS (
    SELECT i, (-ln(1 - random()) - ln(1 - random())) / 10 AS lambda, 0.6 * random() AS p
    FROM generate_series(1, 1500) i
), d AS (
    SELECT i, lambda, floor(ln(1 - random()) / ln(1 - p)) + 1 AS repeats_before_dropout FROM c
), ev AS (
    SELECT d.i, k, d.repeats_before_dropout,
           sum(-ln(1 - random()) / d.lambda) OVER (PARTITION BY d.i ORDER BY k) AS at
    FROM d CROSS JOIN generate_series(1, 30) k
)
SELECT i, i % 2 AS g,
       count(*) FILTER (WHERE at <= 39 AND k <= repeats_before_dropout)::float8 AS frequency,
       round(coalesce(max(at) FILTER (WHERE at <= 39 AND k <= repeats_before_dropout), 0)::numeric, 0)::float8 AS recency,
       39::float8 AS t
FROM ev GROUP BY i;
-- repeat buyers' mean spends for Gamma-Gamma
CREATE TABLE upg.spend AS
SELECT i, i % 2 AS g, (1 + i % 6)::float8 AS frequency,
       round(20 + 80 * ((i * 104729) % 997 / 997.0) ^ 2 + 10 * (1 + i % 6))::float8 AS monetary_value
FROM generate_series(1, 1200) i;
-- deals: follower flag, won, days to close (open deals censored)
CREATE TABLE upg.deals AS
SELECT i, i % 3 AS g, i % 3 = 0 AS follower, (i * 7) % 10 < 4 AS won,
       ((i * 31) % 90 + (i % 7) / 10.0)::float8 AS days, (i * 13) % 10 < 7 AS closed,
       (40 + (i * 97) % 300 + (i % 3 = 0)::int * 25)::float8 AS value
FROM generate_series(1, 300) i;

-- setup
-- since: 0.3.0
CREATE AGGREGATE upg.journeys_state(timestamptz, text, float8, text)
    (SFUNC = journeys_accum, STYPE = journeys_state);
CREATE AGGREGATE upg.markov_order_state(text[], float8, float8)
    (SFUNC = markov_order_selection_accum, STYPE = attribution_state);
-- event streams of 12 customers: touches, and conversions (a value) now and then
CREATE TABLE upg.events AS
SELECT 1 + i % 12 AS customer, timestamptz '2026-02-01 00:00+00' + (i * 7 % 500) * interval '1 hour' AS event_time,
       CASE WHEN i % 9 = 0 THEN NULL
            ELSE (ARRAY['email', 'social', 'search', 'direct', 'ünï "q"'])[1 + (i * 13) % 5] END AS channel,
       CASE WHEN i % 7 = 0 THEN (i % 50) + 0.5 END::float8 AS conversion_value
FROM generate_series(1, 600) i;

-- setup
-- since: 0.3.0
CREATE AGGREGATE upg.adstock_state(float8, float8)
    (SFUNC = adstock_transfn, STYPE = adstock_state);
CREATE AGGREGATE upg.mmm_fit_state(date, text, float8, text)
    (SFUNC = mmm_fit_transfn, STYPE = mmm_fit_state);
-- a year of weeks: revenue from two channels (decays 0.5 and 0.2), a trend
-- and a wave, in the long rows mmm_fit reads; g splits it into two markets
CREATE TABLE upg.mmm_weeks AS
WITH w AS (
    SELECT i, date '2025-01-06' + 7 * i AS week,
           CASE WHEN (i / 3) % 4 = 3 THEN 0 ELSE 1000 + 400 * ((i * 37) % 5) END::float8 AS social,
           CASE WHEN (i / 5) % 3 = 2 THEN 0 ELSE 2000 + 300 * ((i * 53) % 7) END::float8 AS search
    FROM generate_series(0, 51) AS i
), e AS (
    SELECT *, adstock(social, 0.5) OVER (ORDER BY i) AS a_social,
              adstock(search, 0.2) OVER (ORDER BY i) AS a_search
    FROM w
)
SELECT g, week, v.variable, v.value * (1 + g) AS value, v.role
FROM e CROSS JOIN generate_series(0, 1) AS g CROSS JOIN LATERAL (VALUES
    ('revenue', 50000 + 20 * i + 3000 * sin(2 * pi() * i / 52.18)
                + 6000 * hill(a_social, 2000, 1.5) + 7000 * hill(a_search, 2500, 1.2)
                + ((i * 7919 + g * 31) % 997 - 498) * 0.5, 'kpi'),
    ('social', social, 'media'),
    ('search', search, 'media')) AS v(variable, value, role);

-- setup
-- since: 0.3.0
CREATE AGGREGATE upg.pareto_nbd_fit_state(float8, float8, float8)
    (SFUNC = pareto_nbd_fit_transfn, STYPE = pareto_nbd_fit_state);
CREATE AGGREGATE upg.mbgnbd_fit_state(float8, float8, float8, float8, float8)
    (SFUNC = mbgnbd_fit_transfn, STYPE = mbgnbd_fit_state);
CREATE AGGREGATE upg.bgbb_fit_state(float8, float8, float8, float8)
    (SFUNC = bgbb_fit_transfn, STYPE = bgbb_fit_state);
CREATE AGGREGATE upg.sbg_fit_state(int4, boolean, float8)
    (SFUNC = sbg_fit_transfn, STYPE = sbg_fit_state);
CREATE AGGREGATE upg.bgnbd_compare_state(boolean, float8, float8, float8, float8)
    (SFUNC = bgnbd_compare_transfn, STYPE = bgnbd_compare_state);
CREATE AGGREGATE upg.pareto_nbd_compare_state(boolean, float8, float8, float8)
    (SFUNC = pareto_nbd_compare_transfn, STYPE = pareto_nbd_compare_state);
CREATE AGGREGATE upg.sbg_compare_state(boolean, int4, boolean, float8)
    (SFUNC = sbg_compare_transfn, STYPE = sbg_compare_state);
CREATE AGGREGATE upg.customer_summary_holdout_state(timestamptz, float8, timestamptz, timestamptz, text)
    (SFUNC = customer_summary_holdout_transfn, STYPE = customer_summary_holdout_state);
-- Pareto/NBD customers (Schmittlein, Morrison & Colombo 1987, the model's
-- own story, r = s = 1): purchase rate ~ Exp(rate 10), lifetime rate
-- ~ Exp(rate 12); purchases of the active part of 39 weeks
CREATE TABLE upg.pnbd AS
WITH d AS (
    SELECT i, 12 * (1 / (1 - random()) - 1) AS lifetime, random() AS u1, random() AS u2
    FROM generate_series(1, 2000) AS i
), a AS (
    SELECT i, least(lifetime, 39) AS active, u1, u2 FROM d
), c AS (
    SELECT i, active, u2,
           CASE WHEN active <= 0 THEN 0 ELSE floor(ln(1 - u1) / ln(active / (10 + active))) END::float8 AS frequency
    FROM a
)
SELECT i, i % 2 AS g, frequency,
       CASE WHEN frequency = 0 THEN 0 ELSE floor(active * power(u2, 1 / frequency)) END::float8 AS recency,
       39::float8 AS t
FROM c;
-- BG/BB donors (Fader, Hardie & Shang 2010): 6 yearly opportunities; a
-- donor gives with probability p ~ U(0, 1) while alive, and stays alive for
-- a geometric number of years with dropout probability theta ~ Beta(1/2, 1)
CREATE TABLE upg.donors AS
WITH d AS (
    SELECT i, random() AS p, random() ^ 2 AS theta, random() AS u FROM generate_series(1, 1500) AS i
), y AS (
    SELECT d.i, k, random() < d.p AS gave,
           k <= 1 + floor(ln(1 - d.u) / ln(1 - least(d.theta, 0.999999))) AS alive
    FROM d CROSS JOIN generate_series(1, 6) AS k
)
SELECT i, i % 2 AS g,
       count(*) FILTER (WHERE gave AND alive)::float8 AS frequency,
       coalesce(max(k) FILTER (WHERE gave AND alive), 0)::float8 AS recency,
       6::float8 AS n_periods
FROM y GROUP BY i;
-- subscriptions: the cohorts of Fader & Hardie (2007, "How to project
-- customer retention"), high end (g 0) and regular (g 1): of 1,000
-- subscribers, those lost after k renewals, and those active after 7 years
CREATE TABLE upg.cohorts AS
SELECT g, l.periods_survived, l.churned, l.customers::float8 AS customers
FROM (VALUES (0, ARRAY[1000, 869, 743, 653, 593, 551, 517, 491]),
             (1, ARRAY[1000, 631, 468, 382, 326, 289, 262, 241])) AS c(g, alive),
     LATERAL (SELECT k - 1 AS periods_survived, true AS churned, alive[k] - alive[k + 1] AS customers
              FROM generate_series(1, 7) AS k
              UNION ALL SELECT 7, false, alive[8]) AS l;
-- the same, one row per subscriber
CREATE TABLE upg.subscribers AS
SELECT g, periods_survived, churned FROM upg.cohorts, generate_series(1, customers::int);

-- ---------------------------------------------------------------- attribution

-- type: attribution_model
-- since: 0.1.0
-- final: (SELECT attribution(p, t, timestamptz '2026-01-10', 100, v) FROM (VALUES (ARRAY['a', 'organic', 'b'], ARRAY[timestamptz '2026-01-01', '2026-01-04', '2026-01-05']), (ARRAY['b', 'c', 'a'], ARRAY[timestamptz '2025-12-20', '2026-01-02', '2026-01-09']), (ARRAY['c', 'c', 'organic'], ARRAY[timestamptz '2026-01-06', '2026-01-07', '2026-01-08'])) x(p, t))
SELECT m::attribution_model AS v
FROM unnest(ARRAY['first_touch', 'last_touch', 'last_non_direct', 'last_non_direct(direct=organic)',
                  'linear', 'linear(lookback=30 days)', 'position_based',
                  'position_based(first=0.25,last=0.5)', 'position_based(first=0,last=1)',
                  'time_decay', 'time_decay(half_life=36 hours,lookback=20 days)',
                  'first_touch(lookback=1 day)']) m;

-- type: attribution_model
-- since: 0.2.0
-- final: (SELECT attribution(p, t, timestamptz '2026-01-10', 100, v) FROM (VALUES (ARRAY['a', '(direct)', 'b'], ARRAY[timestamptz '2026-01-01', '2026-01-04', '2026-01-05']), (ARRAY['b', 'c', 'a'], ARRAY[timestamptz '2025-12-20', '2026-01-02', '2026-01-09']), (ARRAY['c', 'c', '(direct)'], ARRAY[timestamptz '2026-01-06', '2026-01-07', '2026-01-08'])) x(p, t))
SELECT m::attribution_model AS v
FROM unnest(ARRAY['markov', 'markov(order=2)', 'markov(order=4)', 'shapley',
                  'last_non_direct(direct="(direct)")', 'last_non_direct(direct="a ""b"", c")']) m;

-- type: attribution_model
-- since: 0.3.0
-- final: (SELECT attribution(p, 1, 100, n, v) FROM (VALUES (ARRAY['a', 'b'], 0), (ARRAY['b', 'c', 'a'], 2), (ARRAY['c'], 1), (ARRAY['a', 'c'], 0)) x(p, n))
SELECT m::attribution_model AS v
FROM unnest(ARRAY['markov(order=auto)', 'markov(value=removal)', 'markov(order=2,value=removal)']) m;

-- heuristic states written by the transition function itself (the only way
-- before attribution_partial existed)
-- type: attribution_state
-- since: 0.1.0
-- final: attribution_final(v)
SELECT upg.attr_state(path, conversions, value, m::attribution_model) AS v
FROM upg.journeys, unnest(ARRAY['linear', 'first_touch', 'position_based(first=0.3,last=0.5)']) m
GROUP BY m, g;

-- type: attribution_state
-- since: 0.1.0
-- final: attribution_final(v)
SELECT upg.attr_state(path, conversions, value, non_conversions, 'last_non_direct'::attribution_model) AS v
FROM upg.journeys GROUP BY g
UNION ALL
SELECT upg.attr_state(path, touch_times, conversion_time, value,
                      'time_decay(half_life=3 days,lookback=9 days)'::attribution_model)
FROM upg.journeys GROUP BY g;

-- data-driven states (records: Markov transitions, Shapley channel sets)
-- type: attribution_state
-- since: 0.2.0
-- final: attribution_final(v)
SELECT upg.attr_state(path, conversions, value, non_conversions, m::attribution_model) AS v
FROM upg.journeys, unnest(ARRAY['markov', 'markov(order=2)', 'shapley']) m
WHERE i % 11 <> 0 OR m <> 'shapley'
GROUP BY m, g;

-- type: attribution_state
-- since: 0.2.0
-- final: markov_transitions_final(v)
SELECT upg.markov_transitions_state(path, conversions, non_conversions, o) AS v
FROM upg.journeys, generate_series(1, 3) o GROUP BY o;

-- the records markov_order_selection() keeps (order 4, every lower order by suffix)
-- type: attribution_state
-- since: 0.3.0
-- final: markov_order_selection_final(v)
SELECT upg.markov_order_state(path, conversions, non_conversions) AS v FROM upg.journeys GROUP BY g;

-- the rollup surface: daily states, and states merged from them
-- type: attribution_state
-- since: 0.3.0
-- final: attribution_result(v)
SELECT attribution_partial(path, conversions, value, non_conversions, m::attribution_model) AS v
FROM upg.journeys, unnest(ARRAY['linear', 'markov', 'shapley']) m
WHERE day < date '2026-03-03' AND (i % 11 <> 0 OR m <> 'shapley')
GROUP BY m, day
UNION ALL
SELECT attribution_merge(s) FROM (
    SELECT m, day, attribution_partial(path, touch_times, conversion_time, value, m::attribution_model) AS s
    FROM upg.journeys, unnest(ARRAY['time_decay(half_life=2 days)', 'linear(lookback=5 days)']) m
    GROUP BY m, day) d
GROUP BY m;

-- type: channel_credit
-- since: 0.1.0
SELECT c AS v FROM (SELECT unnest(attribution(path, conversions, value, 'position_based'::attribution_model)) AS c
                    FROM upg.journeys) s
UNION ALL
SELECT ROW(x.channel, x.a, x.b, x.c, x.d, x.e, x.f, x.g, x.h)::channel_credit
FROM (VALUES ('email', 1.5::float8, -0.0::float8, 'NaN'::float8, 'Infinity'::float8, '-Infinity'::float8,
              5e-324::float8, 1.7976931348623157e308::float8, NULL::float8),
             ('quote"comma,paren)(back\slash', 0.1, 0.2, 0.30000000000000004, 1e-300, 123456789.125, 0, 2, 1),
             ('', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
             (NULL, 1, 2, 3, 4, 5, 6, 7, 8),
             (E'tab\there\nnewline ünï ✓', 3, 3, 1, 3, 3, 3, 0, 0.5)) x(channel, a, b, c, d, e, f, g, h);

-- type: channel_credit
-- since: 0.2.0
SELECT unnest(attribution(path, conversions, value, non_conversions, 'markov'::attribution_model)) AS v
FROM upg.journeys;

-- snapshots of attribution() results, as users keep them
-- type: channel_credit[]
-- since: 0.1.0
SELECT attribution(path, conversions, value, m::attribution_model) AS v
FROM upg.journeys, unnest(ARRAY['linear', 'last_touch']) m GROUP BY m
UNION ALL
SELECT '{}'::channel_credit[]
UNION ALL
SELECT ARRAY[NULL, ROW('x', 1, 2, 0.5, 1, 1, 0, 0, NULL)::channel_credit];

-- type: channel_credit[]
-- since: 0.2.0
SELECT attribution(path, conversions, value, non_conversions, m::attribution_model) AS v
FROM upg.journeys, unnest(ARRAY['markov(order=2)', 'shapley']) m
WHERE i % 11 <> 0 GROUP BY m;

-- type: markov_transition
-- since: 0.2.0
SELECT t AS v FROM (SELECT unnest(markov_transitions(path, conversions, non_conversions)) AS t FROM upg.journeys) s
UNION ALL
SELECT ROW('(start)', '(null)', 0, NULL)::markov_transition
UNION ALL
SELECT ROW('a > "b"', E'c\\d', 'NaN', 1e-320)::markov_transition;

-- type: markov_transition[]
-- since: 0.2.0
SELECT markov_transitions(path, conversions, non_conversions, o) AS v
FROM upg.journeys, generate_series(1, 2) o GROUP BY o;

-- type: markov_order_fit
-- since: 0.3.0
SELECT f AS v FROM (SELECT unnest(markov_order_selection(path, conversions, non_conversions)) AS f
                    FROM upg.journeys) s
UNION ALL
SELECT ROW(1, 0, 'NaN', 0, '-Infinity', NULL, NULL)::markov_order_fit;

-- type: markov_order_fit[]
-- since: 0.3.0
SELECT markov_order_selection(path, conversions, non_conversions) AS v FROM upg.journeys GROUP BY g;

-- ---------------------------------------------------------------- journeys

-- type: journeys_state
-- since: 0.3.0
-- final: journeys_final(v)
SELECT upg.journeys_state(event_time, channel, conversion_value, o) AS v
FROM upg.events, unnest(ARRAY['reset=conversion', 'reset=never, lookback=5 days, max_touches=4, session=3 hours']) o
WHERE customer <= 3 GROUP BY customer, o;

-- type: journey
-- since: 0.3.0
SELECT j AS v FROM (SELECT unnest(journeys(event_time, channel, conversion_value)) AS j
                    FROM upg.events WHERE customer <= 2 GROUP BY customer) s
UNION ALL
SELECT ROW(1, '{}'::text[], '{}'::timestamptz[], false, NULL, NULL)::journey
UNION ALL
SELECT ROW(2, ARRAY['a,b', NULL, '"'], ARRAY[timestamptz '2026-01-01 00:00+00', '-infinity', 'infinity'], true,
           timestamptz '2026-01-02 12:34:56.789012+00', -0.0)::journey;

-- snapshots of journeys, as a table of sessions keeps them
-- type: journey[]
-- since: 0.3.0
SELECT journeys(event_time, channel, conversion_value, 'lookback=3 days') AS v FROM upg.events GROUP BY customer;

-- type: timed_path
-- since: 0.3.0
SELECT path_transform(path, touch_times, h) AS v
FROM upg.journeys, unnest(ARRAY['exposure', 'first', 'frequency', 'unique']) h WHERE i <= 5
UNION ALL
SELECT ROW(NULL, NULL)::timed_path;

-- ---------------------------------------------------------------- channels

-- type: utm_params
-- since: 0.1.0
SELECT utm(u) AS v
FROM unnest(ARRAY['https://shop.example/?utm_source=Facebook&utm_medium=paid+social&utm_campaign=spring%2C%20sale&fbclid=x',
                  'https://shop.example/?utm_source=news&utm_medium=email&utm_term=a%22b&utm_content=%5C&utm_id=9&gclid=x',
                  'https://shop.example/landing',
                  'https://shop.example/?utm_source=%C3%BCn%C3%AF&utm_medium=(none)&ttclid=1']) u
UNION ALL
SELECT ROW(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::utm_params;

-- type: traffic_source
-- since: 0.1.0
SELECT traffic_source(u, r) AS v
FROM (VALUES ('https://shop.example/?utm_source=Face%20book&utm_medium=paid+social&utm_campaign=x,y', NULL),
             ('https://shop.example/', 'https://www.google.com/'),
             ('https://shop.example/?gclid=abc', NULL),
             ('https://shop.example/', NULL),
             ('https://shop.example/', 'https://l.instagram.com/')) x(u, r)
UNION ALL
SELECT ROW('(direct)', '(none)', NULL)::traffic_source;

-- ---------------------------------------------------------------- clv

-- type: clv_compare_state
-- since: 0.2.0
-- final: clv_compare_finalfn(v)
SELECT upg.clv_compare_state(follower, value, c) AS v
FROM upg.deals, unnest(ARRAY[0.9, 0.95]) c GROUP BY g, c;

-- type: clv_comparison
-- since: 0.2.0
SELECT clv_compare(follower, value) AS v FROM upg.deals GROUP BY g
UNION ALL
SELECT ROW(0, 0, NULL, 'NaN', '-Infinity', -0.0, 1e-310, NULL, 1, 2, 3, 4, 5)::clv_comparison;

-- type: customer_summary_state
-- since: 0.2.0
-- final: customer_summary_finalfn(v)
SELECT upg.customer_summary_state(ordered_at, amount, timestamptz '2026-03-31 00:00+00', u) AS v
FROM upg.orders, unnest(ARRAY[interval '1 day', interval '7 days', interval '6 hours']) u
WHERE customer <= 4 GROUP BY customer, u;

-- the rollup surface: one state per customer and day, and merged ones
-- type: customer_summary_state
-- since: 0.3.0
-- final: customer_summary_result(v, '2026-03-31 00:00+00')
SELECT customer_summary_partial(ordered_at, amount, (ordered_at::date + 1)::timestamptz) AS v
FROM upg.orders WHERE customer <= 2 AND ordered_at < timestamptz '2026-01-15 00:00+00'
GROUP BY customer, ordered_at::date
UNION ALL
SELECT customer_summary_merge(s) FROM (
    SELECT customer, customer_summary_partial(ordered_at, amount, (ordered_at::date + 1)::timestamptz) AS s
    FROM upg.orders WHERE customer BETWEEN 5 AND 7 GROUP BY customer, ordered_at::date) d
GROUP BY customer;

-- type: customer_rfm
-- since: 0.2.0
SELECT customer_summary(ordered_at, amount, timestamptz '2026-03-31 00:00+00') AS v
FROM upg.orders WHERE customer <= 6 GROUP BY customer
UNION ALL
SELECT ROW(0, 0, 0, 0, 1, 'NaN')::customer_rfm
UNION ALL
SELECT ROW(NULL, NULL, NULL, NULL, NULL, NULL)::customer_rfm;

-- type: bgnbd_fit_state
-- since: 0.2.0
-- final: bgnbd_fit_finalfn(v)
SELECT upg.bgnbd_fit_state(frequency, recency, t, 1 + i % 3) AS v FROM upg.rfm GROUP BY g;

-- fitted models kept to predict from (e.g. one per month): their
-- predictions must stay the same.  Literals through jsonb_populate_record:
-- the type has 6 attributes in 0.2.0 and 10 (se_*) from 0.3.0 on
-- type: bgnbd_model
-- since: 0.2.0
-- final: ARRAY[bgnbd_expected_purchases(v, 39), bgnbd_conditional_purchases(v, 39, 2, 30.43, 38.86), bgnbd_p_alive(v, 2, 30.43, 38.86)]
SELECT bgnbd_fit(frequency, recency, t) AS v FROM upg.rfm GROUP BY g
UNION ALL
SELECT jsonb_populate_record(NULL::bgnbd_model, '{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "log_likelihood": -9582.4, "customers": 2357}');

-- type: bgnbd_model
-- since: 0.2.0
SELECT jsonb_populate_record(NULL::bgnbd_model, '{"r": null, "alpha": "Infinity", "a": -0.0, "b": 5e-324, "log_likelihood": "NaN", "customers": 0}') AS v;

-- type: gamma_gamma_fit_state
-- since: 0.2.0
-- final: gamma_gamma_fit_finalfn(v)
SELECT upg.gamma_gamma_fit_state(frequency, monetary_value) AS v FROM upg.spend GROUP BY g;

-- type: gamma_gamma_model
-- since: 0.2.0
-- final: ARRAY[gamma_gamma_expected_spend(v, 2, 50), gamma_gamma_expected_spend(v, 0, 0), predicted_clv(jsonb_populate_record(NULL::bgnbd_model, '{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "log_likelihood": -9582.4, "customers": 2357}'), v, 2, 30.43, 38.86, 50, 12, 0.01, 4.345)]
SELECT gamma_gamma_fit(frequency, monetary_value) AS v FROM upg.spend GROUP BY g
UNION ALL
SELECT jsonb_populate_record(NULL::gamma_gamma_model, '{"p": 6.25, "q": 3.74, "v": 15.44, "log_likelihood": -0.0, "customers": 946}');

-- type: gamma_gamma_model
-- since: 0.2.0
SELECT jsonb_populate_record(NULL::gamma_gamma_model, '{"p": null, "q": null, "v": "NaN", "log_likelihood": "-Infinity", "customers": 1e308}') AS v;

-- the models of 0.3.0
-- type: pareto_nbd_fit_state
-- since: 0.3.0
-- final: pareto_nbd_fit_finalfn(v)
SELECT upg.pareto_nbd_fit_state(frequency, recency, t) AS v FROM upg.pnbd GROUP BY g;

-- type: pareto_nbd_model
-- since: 0.3.0
-- final: ARRAY[pareto_nbd_expected_purchases(v, 39), pareto_nbd_conditional_purchases(v, 39, 2, 30, 39), pareto_nbd_p_alive(v, 2, 30, 39)]
SELECT pareto_nbd_fit(frequency, recency, t) AS v FROM upg.pnbd GROUP BY g
UNION ALL
SELECT ROW(0.5533, 10.5780, 0.6062, 11.6690, -9594.98, 2357, 0.048, 0.84, 0.19, 6.6)::pareto_nbd_model;

-- type: pareto_nbd_model
-- since: 0.3.0
SELECT ROW(NULL, 'Infinity', -0.0, 5e-324, 'NaN', 0, NULL, NULL, 'NaN', 1e308)::pareto_nbd_model AS v;

-- type: mbgnbd_fit_state
-- since: 0.3.0
-- final: mbgnbd_fit_finalfn(v)
-- (BG/NBD's story: MBG/NBD's dropout heterogeneity needs the penalizer)
SELECT upg.mbgnbd_fit_state(frequency, recency, t, 1 + i % 2, p) AS v
FROM upg.rfm, unnest(ARRAY[0.01, 0.05]) AS p GROUP BY g, p;

-- type: mbgnbd_model
-- since: 0.3.0
-- final: ARRAY[mbgnbd_expected_purchases(v, 39), mbgnbd_conditional_purchases(v, 39, 2, 30.43, 38.86), mbgnbd_p_alive(v, 2, 30.43, 38.86), mbgnbd_p_alive(v, 0, 0, 38.86)]
SELECT mbgnbd_fit(frequency, recency, t, 1, 0.01) AS v FROM upg.rfm GROUP BY g
UNION ALL
SELECT ROW(0.5248, 6.1830, 0.8914, 1.6140, -9582.13, 2357, NULL, NULL, NULL, NULL)::mbgnbd_model;

-- type: bgbb_fit_state
-- since: 0.3.0
-- final: bgbb_fit_finalfn(v)
SELECT upg.bgbb_fit_state(frequency, recency, n_periods, 1 + i % 3) AS v FROM upg.donors GROUP BY g;

-- type: bgbb_model
-- since: 0.3.0
-- final: ARRAY[bgbb_expected_purchases(v, 5), bgbb_conditional_purchases(v, 5, 3, 5, 6), bgbb_p_alive(v, 3, 5, 6), bgbb_p_alive(v, 0, 0, 6)]
SELECT bgbb_fit(frequency, recency, n_periods) AS v FROM upg.donors GROUP BY g
UNION ALL
SELECT ROW(1.2035, 0.7497, 0.6567, 2.7834, -33225.58, 11104, 0.0, -0.0, 1e-300, 'Infinity')::bgbb_model;

-- type: sbg_fit_state
-- since: 0.3.0
-- final: sbg_fit_finalfn(v)
SELECT upg.sbg_fit_state(periods_survived, churned, customers) AS v FROM upg.cohorts GROUP BY g;

-- type: sbg_model
-- since: 0.3.0
-- final: ARRAY[sbg_survival(v, 12), sbg_retention_rate(v, 3), sbg_expected_lifetime(v, 12), sbg_derl(v, 3, 0.1)]
SELECT sbg_fit(periods_survived, churned, customers) AS v FROM upg.cohorts GROUP BY g
UNION ALL
SELECT ROW(0.668, 3.806, -1611.16, 1000, NULL, NULL)::sbg_model;

-- type: bgnbd_compare_state
-- since: 0.3.0
-- final: bgnbd_compare_finalfn(v)
SELECT upg.bgnbd_compare_state(g = 0, frequency, recency, t, h) AS v
FROM upg.rfm, unnest(ARRAY[0, 52]) AS h GROUP BY h;

-- type: bgnbd_comparison
-- since: 0.3.0
SELECT bgnbd_compare(g = 0, frequency, recency, t, 52) AS v FROM upg.rfm
UNION ALL
SELECT ROW(NULL, NULL, NULL, 'NaN', 4, 1, 0, NULL, NULL, NULL, NULL)::bgnbd_comparison;

-- type: pareto_nbd_compare_state
-- since: 0.3.0
-- final: pareto_nbd_compare_finalfn(v)
SELECT upg.pareto_nbd_compare_state(g = 0, frequency, recency, t) AS v FROM upg.pnbd;

-- type: pareto_nbd_comparison
-- since: 0.3.0
SELECT pareto_nbd_compare(g = 0, frequency, recency, t, 39) AS v FROM upg.pnbd;

-- type: sbg_compare_state
-- since: 0.3.0
-- final: sbg_compare_finalfn(v)
SELECT upg.sbg_compare_state(g = 0, periods_survived, churned, h) AS v
FROM upg.subscribers, unnest(ARRAY[1.0, 12.0]) AS h GROUP BY h;

-- type: sbg_comparison
-- since: 0.3.0
SELECT sbg_compare(g = 0, periods_survived, churned, 12) AS v FROM upg.subscribers
UNION ALL
SELECT sbg_compare(g = 0, periods_survived, churned) FROM upg.subscribers;

-- calibration and holdout summaries (lifetimes' calibration_and_holdout_data)
-- type: customer_summary_holdout_state
-- since: 0.3.0
-- final: customer_summary_holdout_finalfn(v)
SELECT upg.customer_summary_holdout_state(ordered_at, amount, timestamptz '2026-02-15 00:00+00',
                                          timestamptz '2026-03-31 00:00+00', u) AS v
FROM upg.orders, unnest(ARRAY['day', 'week', 'month', '6 hours']) AS u
WHERE customer <= 4 GROUP BY customer, u;

-- type: customer_rfm_holdout
-- since: 0.3.0
SELECT customer_summary_holdout(ordered_at, amount, timestamptz '2026-02-15 00:00+00',
                                timestamptz '2026-03-31 00:00+00', '7 days'::interval) AS v
FROM upg.orders WHERE customer <= 6 GROUP BY customer
UNION ALL
SELECT ROW(0, 0, 0, 0, 1, 'NaN', -0.0, 'Infinity', NULL)::customer_rfm_holdout;

-- ---------------------------------------------------------------- compare

-- type: compare_rates_state
-- since: 0.2.0
-- final: compare_rates_finalfn(v)
SELECT upg.compare_rates_state(follower, won, c) AS v
FROM upg.deals, unnest(ARRAY[0.95, 0.8]) c GROUP BY g, c;

-- type: rate_comparison
-- since: 0.2.0
SELECT compare_rates(follower, won) AS v FROM upg.deals GROUP BY g
UNION ALL
SELECT ROW(1, 0, 1, 0, 1, NULL, NULL, NULL, 'NaN', 1, -0.0, 'Infinity')::rate_comparison;

-- type: time_to_convert_state
-- since: 0.2.0
-- final: time_to_convert_finalfn(v)
SELECT upg.time_to_convert_state(days, closed) AS v FROM upg.deals GROUP BY g;

-- type: conversion_time_summary
-- since: 0.2.0
SELECT time_to_convert(days, closed) AS v FROM upg.deals GROUP BY g
UNION ALL
SELECT ROW(3, 0, NULL, NULL, NULL)::conversion_time_summary;

-- type: compare_time_to_convert_state
-- since: 0.2.0
-- final: compare_time_to_convert_finalfn(v)
SELECT upg.compare_time_to_convert_state(follower, days, closed) AS v FROM upg.deals GROUP BY g;

-- type: time_comparison
-- since: 0.2.0
SELECT compare_time_to_convert(follower, days, closed) AS v FROM upg.deals GROUP BY g
UNION ALL
SELECT ROW(1, 1, 0, 0, NULL, NULL, 0, 0, 'NaN', 0, 1)::time_comparison;

-- ---------------------------------------------------------------- mmm

-- adstock carried over a channel's weeks (the window aggregate's state)
-- type: adstock_state
-- since: 0.3.0
-- final: adstock_finalfn(v)
SELECT upg.adstock_state(value, d) AS v
FROM upg.mmm_weeks, unnest(ARRAY[0.0, 0.5, 0.9]) d
WHERE role = 'media' AND g = 0 GROUP BY variable, d;

-- type: mmm_fit_state
-- since: 0.3.0
-- final: mmm_fit_finalfn(v)
SELECT upg.mmm_fit_state(week, variable, value, role) AS v FROM upg.mmm_weeks GROUP BY g;

-- fitted models kept to plan budgets with: their curves must stay the same
-- type: mmm_model
-- since: 0.3.0
-- final: ARRAY[mmm_response(v, 'social', 1500), mmm_response(v, 'search', 0), mmm_marginal_roi(v, 'search', 2500)]
SELECT mmm_fit(week, variable, value, role) AS v FROM upg.mmm_weeks GROUP BY g
UNION ALL
SELECT mmm_fit(week, variable, value, role, 'holdout=8, adstock=weibull_cdf') FROM upg.mmm_weeks WHERE g = 1;

-- type: mmm_statistics
-- since: 0.3.0
SELECT mmm_fit_stats(m) AS v FROM (SELECT mmm_fit(week, variable, value, role) AS m FROM upg.mmm_weeks GROUP BY g) f
UNION ALL
SELECT ROW(1, 0, 'NaN', '-Infinity', 0, -0.0, NULL, 5e-324, 1e308, 0, NULL, date '2026-01-05', NULL, 'ünï ✓')::mmm_statistics;
