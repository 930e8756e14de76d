-- pgTAP: attribution -- per-touch weights of every heuristic model on short
-- and long paths, the published vectors, aggregates worked by hand, and
-- errors with their SQLSTATEs.  Derivations beside every expected value.
BEGIN;
\ir lib/helpers.psql
SELECT plan(84);

-- per-touch credits of one path for value 1, as an array in touch order
CREATE FUNCTION pg_temp.w(p text[], m attribution_model) RETURNS float8[]
    LANGUAGE sql AS $$ SELECT array_agg(credit ORDER BY touch) FROM attribute(p, 1, m) $$;
-- the same with touch times given as ages in days before a conversion
CREATE FUNCTION pg_temp.wt(p text[], age_days float8[], m attribution_model) RETURNS float8[]
    LANGUAGE sql AS $$
    SELECT array_agg(credit ORDER BY touch)
    FROM attribute(p,
                   (SELECT array_agg(timestamptz '2024-06-30 12:00+00' - a * interval '1 day' ORDER BY i)
                    FROM unnest(age_days) WITH ORDINALITY AS u(a, i)),
                   timestamptz '2024-06-30 12:00+00', 1, m) $$;
-- arrays equal within 1e-12
CREATE FUNCTION pg_temp.near(a float8[], b float8[]) RETURNS boolean
    LANGUAGE sql AS $$
    SELECT cardinality(a) = cardinality(b)
       AND coalesce(bool_and(coalesce(abs(x - y) <= 1e-12, false)), true)   -- a NULL element never matches
    FROM unnest(a, b) AS u(x, y) $$;
-- one field of one channel of an aggregate result
CREATE FUNCTION pg_temp.f(r channel_credit[], ch text, field text) RETURNS float8
    LANGUAGE sql AS $$
    SELECT CASE field WHEN 'conversions' THEN c.conversions WHEN 'value' THEN c.value
                      WHEN 'share' THEN c.conversion_share WHEN 'touched' THEN c.touched
                      WHEN 'first' THEN c.first_touches WHEN 'last' THEN c.last_touches
                      WHEN 'assists' THEN c.assists END
    FROM unnest(r) AS c WHERE c.channel = ch $$;

-- ---- published vectors ----
-- Snowplow: Direct > Organic_Search > Direct, revenue 140; position based
-- 40/20/40 -> 0.4*140 = 56, 0.2*140 = 28, 56; linear 140/3 = 46.67 each
SELECT ok(pg_temp.near((SELECT array_agg(credit ORDER BY touch)
                        FROM attribute('{Direct,Organic_Search,Direct}', 140, 'position_based')),
                       '{56,28,56}'), 'Snowplow position_based 56/28/56');
SELECT ok(pg_temp.near((SELECT array_agg(credit ORDER BY touch)
                        FROM attribute('{Direct,Organic_Search,Direct}', 140, 'linear')),
                       ARRAY[140/3.0, 140/3.0, 140/3.0]::float8[]), 'Snowplow linear 46.67 each');
-- aggregated, the repeated channel sums its touches: Direct 56 + 56 = 112
SELECT ok(abs(pg_temp.f(attribution('{Direct,Organic_Search,Direct}'::text[], 1, 140, 'position_based'),
                        'Direct', 'value') - 112) < 1e-9, 'Snowplow aggregated: Direct 112');
-- Adobe: $50, touches 9, 6, 0, 0 days before the conversion, 7-day
-- half-life: w = 2^(-9/7), 2^(-6/7), 1, 1 = 0.4101677, 0.5520448, 1, 1;
-- sum 2.9622124 -> 6.9233333, 9.3181156, 16.8792756, 16.8792756
-- (published rounded: 6.92 / 9.32 / 16.88 / 16.88)
SELECT ok(pg_temp.near((SELECT array_agg(round(credit::numeric, 2)::float8 ORDER BY touch)
                        FROM attribute('{display,social,search,email}',
                                       ARRAY['2024-03-01', '2024-03-04', '2024-03-10', '2024-03-10']::timestamptz[],
                                       '2024-03-10', 50, 'time_decay(half_life=7 days)')),
                       '{6.92,9.32,16.88,16.88}'), 'Adobe time decay 6.92/9.32/16.88/16.88');
SELECT ok(abs((pg_temp.wt('{a,b,c,d}', '{9,6,0,0}', 'time_decay'))[1] * 50 - 6.9233332690718) < 1e-9,
          'Adobe time decay, first touch to 1e-9');
-- the same as an aggregate over one conversion
SELECT ok(abs(pg_temp.f(attribution('{display,social,search,email}'::text[],
                                    ARRAY['2024-03-01', '2024-03-04', '2024-03-10', '2024-03-10']::timestamptz[],
                                    '2024-03-10'::timestamptz, 50::float8, 'time_decay'),
                        'social', 'value') - 9.3181155805017) < 1e-9, 'Adobe time decay aggregated');

-- ---- one touch: every model gives it everything ----
SELECT ok(pg_temp.near(pg_temp.w('{a}', 'first_touch'), '{1}'), 'n=1 first_touch');
SELECT ok(pg_temp.near(pg_temp.w('{a}', 'last_touch'), '{1}'), 'n=1 last_touch');
SELECT ok(pg_temp.near(pg_temp.w('{a}', 'last_non_direct'), '{1}'), 'n=1 last_non_direct');
SELECT ok(pg_temp.near(pg_temp.w('{direct}', 'last_non_direct'), '{1}'), 'n=1 last_non_direct, direct only');
SELECT ok(pg_temp.near(pg_temp.w('{a}', 'linear'), '{1}'), 'n=1 linear');
SELECT ok(pg_temp.near(pg_temp.w('{a}', 'position_based'), '{1}'), 'n=1 position_based');
SELECT ok(pg_temp.near(pg_temp.w('{a}', 'position_based(first=0.3,last=0.1)'), '{1}'), 'n=1 custom position_based');
SELECT ok(pg_temp.near(pg_temp.wt('{a}', '{12}', 'time_decay'), '{1}'), 'n=1 time_decay');

-- ---- two touches ----
SELECT ok(pg_temp.near(pg_temp.w('{a,b}', 'first_touch'), '{1,0}'), 'n=2 first_touch');
SELECT ok(pg_temp.near(pg_temp.w('{a,b}', 'last_touch'), '{0,1}'), 'n=2 last_touch');
SELECT ok(pg_temp.near(pg_temp.w('{a,b}', 'last_non_direct'), '{0,1}'), 'n=2 last_non_direct');
SELECT ok(pg_temp.near(pg_temp.w('{a,direct}', 'last_non_direct'), '{1,0}'), 'n=2 last_non_direct skips direct');
SELECT ok(pg_temp.near(pg_temp.w('{a,b}', 'linear'), '{0.5,0.5}'), 'n=2 linear');
-- n = 2: f/(f+l), l/(f+l): 0.4/0.8 = 0.5 each; 0.3/0.4 = 0.75 and 0.1/0.4 = 0.25
SELECT ok(pg_temp.near(pg_temp.w('{a,b}', 'position_based'), '{0.5,0.5}'), 'n=2 position_based 0.4/0.4');
SELECT ok(pg_temp.near(pg_temp.w('{a,b}', 'position_based(first=0.3,last=0.1)'), '{0.75,0.25}'),
          'n=2 position_based 0.3/0.1 -> 0.75/0.25');
SELECT ok(pg_temp.near(pg_temp.w('{a,b}', 'position_based(first=1,last=0)'), '{1,0}'),
          'n=2 position_based 1/0 -> all first');
SELECT ok(pg_temp.near(pg_temp.w('{a,b}', 'position_based(first=0,last=0)'), '{0.5,0.5}'),
          'n=2 position_based 0/0 -> even split');
-- ages 7 and 0 days, half-life 7 days: w = 0.5, 1 -> 1/3, 2/3
SELECT ok(pg_temp.near(pg_temp.wt('{a,b}', '{7,0}', 'time_decay'), ARRAY[1/3.0, 2/3.0]::float8[]),
          'n=2 time_decay one half-life apart');
SELECT ok(pg_temp.near(pg_temp.wt('{a,b}', '{3,3}', 'time_decay'), '{0.5,0.5}'),
          'n=2 time_decay same time');
-- 36-hour half-life, ages 1.5 and 0.5 days: w = 2^-1, 2^(-1/3) = 0.5, 0.7937005;
-- sum 1.2937005 -> 0.3864882, 0.6135118
SELECT ok(pg_temp.near(pg_temp.wt('{a,b}', '{1.5,0.5}', 'time_decay(half_life=36 hours)'),
                       ARRAY[0.5 / (0.5 + 2 ^ (-1/3.0)), 2 ^ (-1/3.0) / (0.5 + 2 ^ (-1/3.0))]::float8[]),
          'n=2 time_decay 36 hours');

-- ---- longer paths, custom weights ----
-- first=0.3,last=0.3, n=4: middles share 0.4 -> 0.2 each
SELECT ok(pg_temp.near(pg_temp.w('{a,b,c,d}', 'position_based(first=0.3,last=0.3)'), '{0.3,0.2,0.2,0.3}'),
          'n=4 position_based 0.3/0.3');
-- first=0.1,last=0.2, n=3: middle 0.7
SELECT ok(pg_temp.near(pg_temp.w('{a,b,c}', 'position_based(first=0.1,last=0.2)'), '{0.1,0.7,0.2}'),
          'n=3 position_based 0.1/0.2');
-- first + last = 1: middles get nothing
SELECT ok(pg_temp.near(pg_temp.w('{a,b,c,d,e}', 'position_based(first=0.5,last=0.5)'), '{0.5,0,0,0,0.5}'),
          'n=5 position_based 0.5/0.5');
SELECT ok(pg_temp.near(pg_temp.w('{a,b,c,d,e}', 'linear'), '{0.2,0.2,0.2,0.2,0.2}'), 'n=5 linear');
-- first=0,last=0: all to the middle, (1 - 0 - 0)/3 each
SELECT ok(pg_temp.near(pg_temp.w('{a,b,c,d,e}', 'position_based(first=0,last=0)'),
                       ARRAY[0, 1/3.0, 1/3.0, 1/3.0, 0]::float8[]), 'n=5 position_based 0/0');

-- ---- last_non_direct ----
SELECT ok(pg_temp.near(pg_temp.w('{direct,direct,direct}', 'last_non_direct'), '{0,0,1}'),
          'every touch direct: credit to the last touch');
SELECT ok(pg_temp.near(pg_temp.w('{a,direct,b,direct}', 'last_non_direct'), '{0,0,1,0}'),
          'last non-direct touch is touch 3');
SELECT ok(pg_temp.near(pg_temp.w('{google,(direct)}', 'last_non_direct(direct="(direct)")'), '{1,0}'),
          'custom direct channel name');
SELECT ok(pg_temp.near(pg_temp.w('{google,(direct)}', 'last_non_direct'), '{0,1}'),
          'the default direct name is "direct" only');
SELECT ok(abs(pg_temp.f(attribution('{email,direct}'::text[], 2, 10, 'last_non_direct'), 'email', 'conversions') - 2) < 1e-12,
          'last_non_direct aggregated: email gets the 2 conversions');

-- ---- lookback ----
-- ages 40, 20, 1 days with lookback 30 days: touch 1 dropped
SELECT ok(pg_temp.near(pg_temp.wt('{a,b,c}', '{40,20,1}', 'first_touch(lookback=30 days)'), '{0,1,0}'),
          'lookback: first_touch moves to the oldest kept touch');
SELECT ok(pg_temp.near(pg_temp.wt('{a,b,c}', '{40,20,1}', 'position_based(lookback=30 days)'), '{0,0.5,0.5}'),
          'lookback: two touches left -> the n=2 rule');
SELECT ok(pg_temp.near(pg_temp.wt('{a,b,c}', '{40,20,1}', 'linear(lookback=30 days)'), '{0,0.5,0.5}'),
          'lookback: linear over the kept touches');
-- half-life 1 day, lookback 2 days; ages 3, 1, 0 -> drop touch 1; w = 0.5, 1
SELECT ok(pg_temp.near(pg_temp.wt('{a,b,c}', '{3,1,0}', 'time_decay(half_life=1 day,lookback=2 days)'),
                       ARRAY[0, 1/3.0, 2/3.0]::float8[]), 'lookback with time_decay');
SELECT ok(pg_temp.near(pg_temp.wt('{a,b}', '{40,31}', 'last_touch(lookback=30 days)'), '{0,0}'),
          'lookback drops every touch: no credit');
-- in the aggregate the dropped channel earns nothing and plays no role
SELECT is(cardinality(attribution('{a,b}'::text[],
                                  ARRAY['2024-01-01', '2024-06-01']::timestamptz[],
                                  '2024-06-02'::timestamptz, 10::float8, 'linear(lookback=7 days)')),
          1, 'lookback in the aggregate: only the kept channel is listed');

-- ---- repeated channels and empty paths ----
SELECT ok(pg_temp.near(pg_temp.w('{a,b,a}', 'linear'), ARRAY[1/3.0, 1/3.0, 1/3.0]::float8[]),
          'attribute keeps one row per touch');
-- position_based a,b,a value 100: a = 40 + 40 = 80, b = 20
SELECT ok(abs(pg_temp.f(attribution('{a,b,a}'::text[], 1, 100, 'position_based'), 'a', 'value') - 80) < 1e-9,
          'repeated channel sums its touches (80)');
SELECT ok(abs(pg_temp.f(attribution('{a,b,a}'::text[], 1, 100, 'position_based'), 'b', 'value') - 20) < 1e-9,
          'the middle touch keeps 20');
-- roles count a conversion once per channel: a touched 1, first 1, last 1, assists 0
SELECT is(ARRAY[pg_temp.f(r, 'a', 'touched'), pg_temp.f(r, 'a', 'first'), pg_temp.f(r, 'a', 'last'),
                pg_temp.f(r, 'a', 'assists'), pg_temp.f(r, 'b', 'assists')],
          '{1,1,1,0,1}'::float8[], 'roles with a repeated channel')
FROM (SELECT attribution('{a,b,a}'::text[], 1, 100, 'linear') AS r) s;
SELECT is((SELECT count(*) FROM attribute('{}', 10, 'linear')), 0::bigint, 'empty path: no touches');
SELECT is(attribution(p, 1, 10, 'linear'), '{}'::channel_credit[], 'only empty paths: empty result')
FROM (VALUES ('{}'::text[]), ('{}')) AS v(p);
SELECT is(cardinality(attribution(p, 1, 10, 'linear')), 2, 'an empty path adds nothing to the others')
FROM (VALUES ('{}'::text[]), ('{x,y}')) AS v(p);

-- ---- aggregate over a small table worked by hand ----
CREATE TEMP TABLE paths (path text[], conversions float8, value float8);
INSERT INTO paths VALUES
    ('{facebook,email,direct}', 2, 300),
    ('{google,facebook}',       1,  80),
    ('{direct}',                1,  50),
    ('{email,email,google}',    3, 240),
    ('{}',                      5, 500),
    ('{facebook}',              0,   0),
    (NULL,                      1, 100);
-- position_based 0.4/0.2/0.4:
--   row 1 (x2, 300): facebook 0.8 conv 120; email 0.4 conv 60; direct 0.8 conv 120
--   row 2 (x1, 80):  n = 2 -> 0.5 each: google 0.5 / 40; facebook 0.5 / 40
--   row 3 (x1, 50):  direct 1 / 50
--   row 4 (x3, 240): email 0.4 + 0.2 = 0.6 -> 1.8 conv / 144; google 0.4 -> 1.2 / 96
--   facebook 1.3 / 160, email 2.2 / 204, direct 1.8 / 170, google 1.7 / 136
--   credited conversions 7: shares 0.1857143, 0.3142857, 0.2571429, 0.2428571
CREATE TEMP TABLE pb AS SELECT attribution(path, conversions, value, 'position_based') AS r FROM paths;
SELECT is((SELECT array_agg(c.channel) FROM pb, unnest(r) AS c),
          '{email,direct,facebook,google}', 'sorted by value: 204, 170, 160, 136');
SELECT ok(pg_temp.near((SELECT array_agg(c.conversions) FROM pb, unnest(r) AS c), '{2.2,1.8,1.3,1.7}'),
          'credited conversions 2.2, 1.8, 1.3, 1.7');
SELECT ok(pg_temp.near((SELECT array_agg(c.value) FROM pb, unnest(r) AS c), '{204,170,160,136}'),
          'credited value 204, 170, 160, 136');
SELECT ok(pg_temp.near((SELECT array_agg(c.conversion_share) FROM pb, unnest(r) AS c),
                       ARRAY[2.2/7, 1.8/7, 1.3/7, 1.7/7]::float8[]), 'conversion shares');
-- roles (each row counts its conversions):
--   touched  email 2+3, direct 2+1, facebook 2+1, google 1+3
--   first    email 3, direct 1, facebook 2, google 1
--   last     email 0, direct 2+1, facebook 1, google 3
--   assists  email 2+3, direct 0, facebook 2, google 1
SELECT is((SELECT array_agg(c.touched) FROM pb, unnest(r) AS c), '{5,3,3,4}'::float8[], 'touched');
SELECT is((SELECT array_agg(c.first_touches) FROM pb, unnest(r) AS c), '{3,1,2,1}'::float8[], 'first touches');
SELECT is((SELECT array_agg(c.last_touches) FROM pb, unnest(r) AS c), '{0,3,1,3}'::float8[], 'last touches');
SELECT is((SELECT array_agg(c.assists) FROM pb, unnest(r) AS c), '{5,0,2,1}'::float8[], 'assists');
SELECT ok((SELECT bool_and(c.removal_effect IS NULL) FROM pb, unnest(r) AS c), 'removal_effect NULL for heuristics');

-- ---- non_conversions are ignored by heuristic models ----
-- linear: {a,b} x2 value 100 -> a 1 conv 50, b 1 conv 50; {c,a} x1 value 30
-- -> c 0.5 / 15, a 0.5 / 15.  a 1.5 / 65, b 1 / 50, c 0.5 / 15; d (only in
-- non-converting journeys) is not listed.
CREATE TEMP TABLE nc (path text[], conversions float8, value float8, non_conversions float8);
INSERT INTO nc VALUES ('{a,b}', 2, 100, 8), ('{b}', 0, 0, 50), ('{c,a}', 1, 30, 0), ('{d}', 0, 0, 100);
SELECT is((SELECT array_agg(c.channel) FROM unnest((SELECT attribution(path, conversions, value, non_conversions, 'linear') FROM nc)) c),
          '{a,b,c}', 'channels of converting paths only');
SELECT ok(pg_temp.near((SELECT array_agg(c.value) FROM unnest((SELECT attribution(path, conversions, value, non_conversions, 'linear') FROM nc)) c),
                       '{65,50,15}'), 'values 65, 50, 15');
SELECT is((SELECT attribution(path, conversions, value, non_conversions, 'position_based') FROM nc),
          (SELECT attribution(path, conversions, value, 'position_based') FROM nc),
          'same answer as without non_conversions');

-- ---- aggregates as window functions and called directly ----
-- running linear credit of a: row 1 {a,b} 0.5, row 2 {a} +1 = 1.5
SELECT is(array_agg(pg_temp.f(r, 'a', 'conversions') ORDER BY i), '{0.5,1.5}'::float8[],
          'window aggregate: running totals')
FROM (SELECT i, attribution(p, 1, 1, 'linear') OVER (ORDER BY i) AS r
      FROM (VALUES (1, '{a,b}'::text[]), (2, '{a}')) AS v(i, p)) s;
-- (in plpgsql, so both calls run: in SQL the planner folds the unused one away)
CREATE FUNCTION pg_temp.accum_leaves_input_alone() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    s1 attribution_state := attribution_accum(NULL, '{a}', 1, 1, 'linear');
    before text := s1::text;
    s2 attribution_state := attribution_accum(s1, '{b}', 1, 1, 'linear');
BEGIN
    IF s2::text = before THEN
        RETURN 'the second call did not add its row';
    END IF;
    RETURN s1::text;
END $$;
SELECT is(pg_temp.accum_leaves_input_alone(), attribution_accum(NULL, '{a}', 1, 1, 'linear')::text,
          'transition called outside an aggregate leaves its input alone');
SELECT is(attribution_final(attribution_accum(attribution_accum(NULL, '{a,b}', 1, 10, 'linear'),
                                              '{b}', 1, 10, 'linear')),
          attribution(p, 1, 10, 'linear'), 'transition + final by hand = the aggregate')
FROM (VALUES ('{a,b}'::text[]), ('{b}')) AS v(p);

-- ---- errors ----
SELECT throws_ok($$SELECT attribution('{a,NULL}'::text[], 1, 1, 'linear')$$, '22004', NULL,
                 'NULL touch in the aggregate');
SELECT throws_ok($$SELECT * FROM attribute('{a,NULL,b}', 1, 'linear')$$, '22004', NULL,
                 'NULL touch in attribute()');
SELECT throws_ok($$SELECT attribution('{{a,b},{c,d}}'::text[], 1, 1, 'linear')$$, '2202E', NULL,
                 '2-D path');
SELECT throws_ok($$SELECT attribution('{a,b}'::text[], '{2024-01-01}'::timestamptz[], '2024-02-01'::timestamptz, 1::float8, 'linear')$$,
                 '2202E', NULL, 'path and touch_times of different lengths');
SELECT throws_ok($$SELECT * FROM attribute('{a,b}', '{2024-01-01,2024-01-02,2024-01-03}', '2024-02-01', 1, 'linear')$$,
                 '2202E', NULL, 'length mismatch in attribute()');
SELECT throws_ok($$SELECT 'w_shaped'::attribution_model$$, '22023', NULL, 'unknown model');
SELECT throws_ok($$SELECT attribution('{a,b}'::text[], 1, 1, 'time_decay')$$, '22023', NULL,
                 'time decay without touch times (aggregate)');
SELECT throws_ok($$SELECT * FROM attribute('{a,b}', 1, 'time_decay')$$, '22023', NULL,
                 'time decay without touch times (attribute)');
SELECT throws_ok($$SELECT attribution(p, 1, 1, m) FROM (VALUES ('{a}'::text[], 'linear'::attribution_model), ('{b}', 'first_touch')) v(p, m)$$,
                 '22023', NULL, 'mixed models in one group');
SELECT throws_ok($$SELECT attribution_combine(attribution_accum(NULL, '{a}', 1, 1, 'linear'), attribution_accum(NULL, '{a}', 1, 1, 'last_touch'))$$,
                 '22023', NULL, 'combining states of different models');
SELECT throws_ok($$SELECT attribution('{a}'::text[], -1, 1, 'linear')$$, '22023', NULL, 'negative conversions');
SELECT throws_ok($$SELECT attribution('{a}'::text[], 1, 'NaN', 'linear')$$, '22023', NULL, 'NaN value');
SELECT throws_ok($$SELECT * FROM attribute('{a}', 1, 'shapley')$$, '22023', NULL, 'data-driven model in attribute()');
-- one path {a}, converting: removing a leaves nothing, RE(a) = 1 - 0 / 1 = 1
SELECT is((attribution('{a}'::text[], 1, 1, 0, 'markov'))[1].removal_effect, 1::float8,
          'markov in the aggregate: one channel, removal effect 1');
SELECT throws_ok($$SELECT * FROM attribute('{a}', '{2024-02-02}', '2024-02-01', 1, 'linear')$$, '22023', NULL,
                 'touch after the conversion');
SELECT throws_ok($$SELECT path_transform('{a}', 'dedupe')$$, '22023', NULL, 'unknown path transform');
SELECT throws_ok($$SELECT attribution(p, 1, 1e308, 'linear') FROM (VALUES ('{a}'::text[]), ('{b}')) v(p)$$,
                 '22003', NULL, 'value totals overflowing float8');

-- ---- after ALTER EXTENSION ... SET SCHEMA, nothing depends on search_path ----
CREATE SCHEMA attr_moved;
ALTER EXTENSION socroi SET SCHEMA attr_moved;
SET LOCAL search_path = public;
-- linear: {x,y} -> x 5, y 5; {x} -> x 10
SELECT is((SELECT array_agg(c.channel || ' ' || c.value)
           FROM unnest((SELECT attr_moved.attribution(p, 1, 10, 'linear'::attr_moved.attribution_model)
                        FROM (VALUES ('{x,y}'::text[]), ('{x}')) AS v(p))) AS c),
          '{"x 15","y 5"}', 'relocated: aggregate and its channel_credit[] result');
-- first_touch over {x,y}, {y}: x 10, y 10, the tie goes to x; linear: y 15
SELECT is((SELECT array_agg(m::text || ' ' || top ORDER BY m)
           FROM (SELECT m, (attr_moved.attribution(p, 1, 10, m))[1].channel AS top
                 FROM (VALUES ('{x,y}'::text[]), ('{y}')) AS v(p)
                 CROSS JOIN unnest('{linear,first_touch}'::attr_moved.attribution_model[]) AS m
                 GROUP BY m) AS s),
          '{"first_touch x","linear y"}', 'relocated: GROUP BY and ORDER BY a model');
SELECT is((SELECT array_agg(credit) FROM attr_moved.attribute('{a,b}', 1, 'first_touch'::attr_moved.attribution_model)),
          '{1,0}'::float8[], 'relocated: attribute()');

SELECT * FROM finish();
ROLLBACK;
