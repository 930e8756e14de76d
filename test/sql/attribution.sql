-- Attribution: model literals, per-touch credits, path transforms, a small
-- aggregate worked by hand, and the error messages.  Every expected number
-- is derived in the comment beside the query.

-- ---- attribution_model: canonical output spells every option ----
SELECT m::text AS literal, m::attribution_model AS canonical
FROM unnest(ARRAY[
    'first_touch', 'last_touch', 'last_non_direct', 'linear', 'position_based',
    'time_decay', 'markov', 'shapley',
    '  Position_Based ( first = 0.3 , last = 0.3 )  ',
    'position_based(last=0.1)',           -- first keeps its default 0.4
    'time_decay(half_life=3 days)',
    'time_decay(half_life=36 hours, lookback=P1W)',   -- ISO 8601 week = 7 days
    'time_decay(half_life=1 day 12:00:00)',           -- = 36 hours
    'time_decay(half_life=90 minutes)',
    'time_decay(half_life=1.5 seconds)',
    'linear(lookback=30 days)',
    'first_touch()',
    'last_non_direct(direct="(direct)")',
    'last_non_direct(direct="say ""hi""", lookback=2 weeks)',
    'markov(order=3)',
    'position_based(first=0,last=-0)'     -- -0 is stored as 0
]) AS m;
-- output -> input -> output is stable
SELECT m::attribution_model::text::attribution_model::text = m::attribution_model::text AS round_trip
FROM unnest(ARRAY['position_based(first=0.1,last=0.7,lookback=1 hour)',
                  'last_non_direct(direct=" x, y ")', 'time_decay(half_life=0.000001 seconds)']) AS m;
-- binary form is the canonical text
SELECT convert_from(attribution_model_send('time_decay(half_life=2 days)'), 'UTF8');

-- ---- model errors ----
SELECT 'u_shaped'::attribution_model;
SELECT 'linear(first=0.2)'::attribution_model;
SELECT 'position_based(first=0.7,last=0.4)'::attribution_model;
SELECT 'position_based(first=1.5)'::attribution_model;
SELECT 'position_based(first=NaN)'::attribution_model;
SELECT 'position_based(first=abc)'::attribution_model;
SELECT 'position_based(first=0.1,first=0.2)'::attribution_model;
SELECT 'time_decay(half_life=1 month)'::attribution_model;
SELECT 'time_decay(half_life=0 days)'::attribution_model;
SELECT 'time_decay(half_life=-2 hours)'::attribution_model;
SELECT 'time_decay(half_life=soon)'::attribution_model;
SELECT 'markov(order=5)'::attribution_model;
SELECT 'markov(lookback=30 days)'::attribution_model;
SELECT 'shapley(order=2)'::attribution_model;
SELECT 'linear(lookback=30 days'::attribution_model;
SELECT 'linear lookback'::attribution_model;
SELECT 'last_non_direct(direct="")'::attribution_model;
-- a bare value stops at "," or ")": names with parentheses need quotes
SELECT 'last_non_direct(direct=(none))'::attribution_model;

-- ---- attribute(): per-touch credits ----
-- Snowplow's example: Direct > Organic_Search > Direct, revenue 140.
-- position_based 40/20/40: 0.4 * 140 = 56, 0.2 * 140 = 28, 56.
-- (1 - 0.4 - 0.4 in binary is 0.19999999999999996, hence round)
SELECT touch, channel, round(credit::numeric, 9) AS credit
FROM attribute('{Direct,Organic_Search,Direct}', 140, 'position_based');
-- linear: 140 / 3 = 46.666666667 each
SELECT touch, channel, round(credit::numeric, 9) AS credit
FROM attribute('{Direct,Organic_Search,Direct}', 140, 'linear');
-- Adobe's time-decay example: $50, touches 9, 6, 0, 0 days before the
-- conversion, 7-day half-life: weights 2^(-9/7) = 0.410168, 2^(-6/7) =
-- 0.552045, 1, 1; sum 2.962212; credits 50 * w / sum = 6.923333,
-- 9.318116, 16.879276, 16.879276 (published: 6.92 / 9.32 / 16.88 / 16.88)
SELECT touch, channel, round(credit::numeric, 6) AS credit
FROM attribute('{display,social,search,email}',
               ARRAY['2024-03-01', '2024-03-04', '2024-03-10', '2024-03-10']::timestamptz[],
               '2024-03-10', 50, 'time_decay(half_life=7 days)');
-- lookback: touches 40, 30 and 1 days old, linear(lookback=30 days): the
-- 40-day touch is dropped (credit 0), the one exactly 30 days old is kept,
-- the other two split 100: 50 / 50
SELECT touch, channel, credit
FROM attribute('{a,b,c}', ARRAY['2024-01-01', '2024-01-11', '2024-02-09']::timestamptz[],
               '2024-02-10', 100, 'linear(lookback=30 days)');
-- every touch older than the lookback: no credit at all
SELECT touch, channel, credit
FROM attribute('{a,b}', ARRAY['2024-01-01', '2024-01-02']::timestamptz[],
               '2024-02-10', 100, 'first_touch(lookback=1 day)');
-- empty path: no rows
SELECT count(*) FROM attribute('{}', 100, 'linear');

-- ---- path_transform ----
-- exposure collapses consecutive repeats; first keeps first occurrences;
-- unique is the identity; frequency counts each channel's occurrences
SELECT how, path_transform('{a,a,b,a,c,c,b}', how)
FROM unnest(ARRAY['exposure', 'first', 'unique', 'frequency', 'EXPOSURE']) AS how;
SELECT path_transform('{}', 'frequency') AS empty, path_transform('{x}', 'exposure') AS single;
SELECT path_transform('{a,b}', 'collapse');
SELECT path_transform('{a,NULL}', 'first');

-- ---- the aggregate over a small table worked by hand ----
CREATE TABLE attr_paths (path text[], conversions float8, value float8);
INSERT INTO attr_paths VALUES
    ('{facebook,email,direct}', 2, 300),
    ('{google,facebook}',       1,  80),
    ('{direct}',                1,  50),
    ('{email,email,google}',    3, 240),
    ('{}',                      5, 500),   -- empty path: contributes nothing
    ('{facebook}',              0,   0),   -- did not convert: ignored
    (NULL,                      1, 100);   -- NULL path: row skipped
-- linear, by hand:
--   row 1: 1/3 each: facebook, email, direct 2/3 conv, 100 value each
--   row 2: 1/2 each: google, facebook 0.5 conv, 40 value each
--   row 3: direct 1 conv, 50 value
--   row 4: email 2/3 * 3 = 2 conv, 160 value; google 1 conv, 80 value
--   email 2.666667 conv / 260; direct 1.666667 / 150; facebook 1.166667 / 140;
--   google 1.5 / 120.  Credited conversions 7 -> shares 0.380952, 0.238095,
--   0.166667, 0.214286.
-- roles in conversions (row weight = its conversions):
--   touched:  email 2+3 = 5, direct 2+1 = 3, facebook 2+1 = 3, google 1+3 = 4
--   first:    facebook 2 (row 1), google 1 (row 2), direct 1 (row 3), email 3 (row 4)
--   last:     direct 2+1 = 3, facebook 1, google 3, email 0
--   assists:  in the path but not the last touch's channel: facebook 2 (row 1),
--             email 2 + 3 = 5, google 1 (row 2), direct 0
SELECT c.channel, round(c.conversions::numeric, 6) AS conversions,
       round(c.value::numeric, 6) AS value,
       round(c.conversion_share::numeric, 6) AS share,
       c.touched, c.first_touches, c.last_touches, c.assists, c.removal_effect
FROM unnest((SELECT attribution(path, conversions, value, 'linear') FROM attr_paths)) AS c;
-- first_touch: facebook 2 conv / 300, google 1 / 80, direct 1 / 50, email 3 / 240
-- sorted by value: facebook 300, email 240, google 80, direct 50
SELECT c.channel, c.conversions, c.value, round(c.conversion_share::numeric, 6) AS share
FROM unnest((SELECT attribution(path, conversions, value, 'first_touch') FROM attr_paths)) AS c;
-- the same with non_conversions: heuristic models ignore them
SELECT attribution(path, conversions, value, 10, 'first_touch') =
       attribution(path, conversions, value, 'first_touch') AS nonconv_ignored
FROM attr_paths;
-- no rows -> NULL; only rows without credit -> empty array
SELECT attribution(path, conversions, value, 'linear') IS NULL AS no_rows
FROM attr_paths WHERE false;
SELECT attribution(path, conversions, value, 'linear') AS nothing_credited
FROM attr_paths WHERE cardinality(path) = 0 OR conversions = 0;
-- ties on value are listed by channel (byte order)
-- (every channel earns 5; "B" < "a" < "b" < "c" in bytes)
SELECT c.channel, c.value
FROM unnest((SELECT attribution(p, 1, 10, 'linear')
             FROM (VALUES ('{b,a}'::text[]), ('{B,c}')) AS v(p))) AS c;
-- one model per group: grouping by the model compares them side by side
-- (first_touch: facebook 300; last_touch: direct 300 + 50 = 350 vs google
-- 240; linear: email 260 (above); position_based: email 204, see pgTAP)
SELECT m AS model, (attribution(path, conversions, value, m))[1].channel AS top_channel
FROM attr_paths
CROSS JOIN unnest('{position_based,first_touch,last_touch,linear}'::attribution_model[]) AS m
GROUP BY m ORDER BY m;
-- models compare equal when their options are equal after defaults, and
-- sort by kind (first_touch, last_touch, last_non_direct, linear,
-- position_based, time_decay, markov, shapley), then canonical text
SELECT 'position_based'::attribution_model = 'position_based(first=0.4,last=0.4)' AS defaults_equal,
       'time_decay(half_life=168 hours)'::attribution_model = 'time_decay' AS same_half_life,
       'linear'::attribution_model <> 'linear(lookback=30 days)' AS lookback_differs,
       'shapley'::attribution_model > 'markov(order=4)' AS shapley_after_markov;
SELECT DISTINCT m FROM unnest('{shapley,linear,time_decay,linear,"position_based(last=0.2)",first_touch}'::attribution_model[]) AS m
ORDER BY m;

-- ---- aggregate errors ----
SELECT attribution(p, 1, 1, m)
FROM (VALUES ('{a}'::text[], 'linear'::attribution_model), ('{b}', 'first_touch')) v(p, m);
SELECT attribution('{a,NULL}'::text[], 1, 1, 'linear');
SELECT attribution('{{a,b},{c,d}}'::text[], 1, 1, 'linear');
SELECT attribution('{a,b}'::text[], '{2024-01-01}'::timestamptz[], '2024-02-01'::timestamptz,
                   1::float8, 'linear');
SELECT attribution('{a,b}'::text[], 1, 1, 'time_decay');
SELECT attribution('{a,b}'::text[], 1, 1, 'linear(lookback=7 days)');
SELECT attribution('{a,b}'::text[], -1, 1, 'linear');
SELECT attribution('{a,b}'::text[], 1, 'NaN', 'linear');
SELECT attribution('{a,b}'::text[], 1, 1, -2, 'linear');
SELECT attribution('{a,b}'::text[], '{2024-01-01,2024-03-01}'::timestamptz[],
                   '2024-02-01'::timestamptz, 1::float8, 'linear');
SELECT attribution('{a}'::text[], '{infinity}'::timestamptz[], 'infinity'::timestamptz,
                   1::float8, 'linear');
SELECT * FROM attribute('{a,b}', 1, 'markov(order=2)');
SELECT * FROM attribute('{a,b}', 1, 'time_decay');
SELECT * FROM attribute('{a,b}', -5, 'linear');
