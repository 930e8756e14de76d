-- pgTAP: data-driven attribution -- markov (orders 1 to 4), shapley and
-- markov_transitions().  Published examples, small chains worked by hand
-- (the arithmetic beside each assertion), a medium example checked against
-- an independent dense solver, determinism, totals, rare channels, limits
-- and errors.
BEGIN;
\ir lib/helpers.psql
SELECT plan(89);

-- one field of one channel of an aggregate result
CREATE FUNCTION pg_temp.f(r channel_credit[], ch text, field text) RETURNS float8
    LANGUAGE sql AS $$
    SELECT CASE field WHEN 'conversions' THEN c.conversions WHEN 'value' THEN c.value
                      WHEN 'share' THEN c.conversion_share WHEN 're' THEN c.removal_effect
                      WHEN 'touched' THEN c.touched WHEN 'first' THEN c.first_touches
                      WHEN 'last' THEN c.last_touches WHEN 'assists' THEN c.assists END
    FROM unnest(r) AS c WHERE c.channel = ch $$;
-- x within 1e-12 relative (or absolute below 1) of want
CREATE FUNCTION pg_temp.near(x float8, want float8) RETURNS boolean
    LANGUAGE sql AS $$ SELECT x IS NOT NULL AND abs(x - want) <= 1e-12 * greatest(1, abs(want)) $$;
-- x within rel relative of want

-- ---- the published toy (Anderl et al.; ChannelAttribution's example) ----
-- google ads: 2 conversions, 1 null; mailing: 1, 0; google ads > mailing: 1, 0.
-- Transitions: (start) -> google ads 3 + 1 = 4, (start) -> mailing 1;
-- google ads -> (conversion) 2, -> (null) 1, -> mailing 1; mailing -> (conversion) 2.
-- x(mailing) = 1; x(google ads) = 2/4 + 1/4 * 1 = 0.75; P = 4/5 * 0.75 + 1/5 * 1 = 0.8.
-- Without google ads: P = 1/5 * 1 = 0.2 -> RE = 1 - 0.2/0.8 = 0.75.
-- Without mailing: x(google ads) = 2/4 -> P = 4/5 * 0.5 = 0.4 -> RE = 0.5.
-- Credits of 4 conversions: 4 * 0.75/1.25 = 2.4 and 4 * 0.5/1.25 = 1.6; value
-- 200 + 100 + 100 = 400 -> 240 and 160.
CREATE TEMP TABLE toy (path text[], conversions float8, non_conversions float8, value float8);
INSERT INTO toy VALUES ('{google ads}', 2, 1, 200), ('{mailing}', 1, 0, 100),
                       ('{google ads,mailing}', 1, 0, 100);
CREATE TEMP TABLE toy_r AS
SELECT attribution(path, conversions, value, non_conversions, 'markov') AS r FROM toy;
SELECT ok(pg_temp.near(pg_temp.f(r, 'google ads', 're'), 0.75), 'toy: RE(google ads) = 0.75') FROM toy_r;
SELECT ok(pg_temp.near(pg_temp.f(r, 'mailing', 're'), 0.5), 'toy: RE(mailing) = 0.5') FROM toy_r;
SELECT ok(pg_temp.near(pg_temp.f(r, 'google ads', 'conversions'), 2.4), 'toy: google ads 2.4 conversions') FROM toy_r;
SELECT ok(pg_temp.near(pg_temp.f(r, 'mailing', 'conversions'), 1.6), 'toy: mailing 1.6 conversions') FROM toy_r;
SELECT ok(pg_temp.near(pg_temp.f(r, 'google ads', 'value'), 240), 'toy: google ads value 240') FROM toy_r;
SELECT ok(pg_temp.near(pg_temp.f(r, 'mailing', 'value'), 160), 'toy: mailing value 160') FROM toy_r;
-- shares 2.4/4 and 1.6/4; sorted by value: google ads first
SELECT ok(pg_temp.near(pg_temp.f(r, 'google ads', 'share'), 0.6) AND r[1].channel = 'google ads',
          'toy: share 0.6, listed first') FROM toy_r;
-- roles as for the heuristics (conversions only): google ads touched 2 + 1,
-- first 3, last 2, assists 1; mailing touched 2, first 1, last 2, assists 0
SELECT is(ARRAY[pg_temp.f(r, 'google ads', 'touched'), pg_temp.f(r, 'google ads', 'first'),
                pg_temp.f(r, 'google ads', 'last'), pg_temp.f(r, 'google ads', 'assists'),
                pg_temp.f(r, 'mailing', 'touched'), pg_temp.f(r, 'mailing', 'first'),
                pg_temp.f(r, 'mailing', 'last'), pg_temp.f(r, 'mailing', 'assists')],
          '{3,3,2,1,2,1,2,0}'::float8[], 'toy: role counts') FROM toy_r;
-- one row per journey gives the same chain as the counted rows
SELECT ok(pg_temp.near(pg_temp.f(attribution(p, c, v, n, 'markov'), 'google ads', 're'), 0.75),
          'toy as single journeys: RE 0.75')
FROM (VALUES ('{google ads}'::text[], 1::float8, 0::float8, 100::float8), ('{google ads}', 1, 0, 100),
             ('{google ads}', 0, 1, 0), ('{mailing}', 1, 0, 100), ('{google ads,mailing}', 1, 0, 100)) t(p, c, n, v);

-- ---- markov_transitions() on the toy ----
-- probabilities: (start) 4/5, 1/5; google ads: mailing 1/4, (conversion) 2/4,
-- (null) 1/4; mailing: (conversion) 2/2.  Order: from (start), then channels
-- by name; to-states channels first, then (conversion), (null).
SELECT is((SELECT array_agg(format('%s|%s|%s|%s', t.from_state, t.to_state, t.transitions, t.probability))
           FROM unnest((SELECT markov_transitions(path, conversions, non_conversions) FROM toy)) t),
          ARRAY['(start)|google ads|4|0.8', '(start)|mailing|1|0.2',
                'google ads|mailing|1|0.25', 'google ads|(conversion)|2|0.5', 'google ads|(null)|1|0.25',
                'mailing|(conversion)|2|1'],
          'markov_transitions on the toy');
-- order 2: google ads > mailing is its own state; mailing alone converts 1 of 1
SELECT is((SELECT array_agg(format('%s|%s|%s|%s', t.from_state, t.to_state, t.transitions, t.probability))
           FROM unnest((SELECT markov_transitions(path, conversions, non_conversions, 2) FROM toy)) t),
          ARRAY['(start)|google ads|4|0.8', '(start)|mailing|1|0.2',
                'google ads|google ads > mailing|1|0.25', 'google ads|(conversion)|2|0.5',
                'google ads|(null)|1|0.25', 'mailing|(conversion)|1|1',
                'google ads > mailing|(conversion)|1|1'],
          'markov_transitions order 2 on the toy');
-- repeats: a > a > b (1 conversion) -- order 1 has the self-loop a -> a;
-- a: a 1/2, b 1/2; b: (conversion) 1
SELECT is((SELECT array_agg(format('%s|%s|%s', t.from_state, t.to_state, t.probability))
           FROM unnest((SELECT markov_transitions('{a,a,b}'::text[], 1, 0))) t),
          ARRAY['(start)|a|1', 'a|a|0.5', 'a|b|0.5', 'b|(conversion)|1'], 'a self-loop is listed');
-- order 3 on a > a > b > c: states a, a > a, a > a > b, a > b > c
SELECT is((SELECT array_agg(t.from_state || '|' || t.to_state)
           FROM unnest((SELECT markov_transitions('{a,a,b,c}'::text[], 0, 1, 3))) t),
          ARRAY['(start)|a', 'a|a > a', 'a > a|a > a > b', 'a > a > b|a > b > c', 'a > b > c|(null)'],
          'order 3 state names, the window slides');
-- no rows: NULL; rows with only NULL inputs: NULL
SELECT is((SELECT markov_transitions(path, conversions, non_conversions) FROM toy WHERE false), NULL,
          'markov_transitions over no rows is NULL');
SELECT is((SELECT markov_transitions(p, 1, 0, o) FROM (VALUES (NULL::text[], 1), ('{a}', NULL::int)) v(p, o)),
          NULL, 'rows with a NULL input are skipped');
-- probabilities of every from-state add up to 1; the (start) transitions
-- count every journey (20,000 rows of 1 + i % 3 journeys)
CREATE TEMP TABLE rnd AS
SELECT i, (SELECT array_agg(('{direct,email,social,search,display}'::text[])[1 + floor(power(random(), 1.3) * 5)::int])
           FROM generate_series(1, 1 + (i * 7) % 9) WHERE i > 0) AS path,
       (i % 3 = 0)::int::float8 AS conversions, (i % 3)::float8 AS non_conversions,
       round((random() * 300)::numeric, 2)::float8 * (i % 3 = 0)::int AS value
FROM (SELECT setseed(0.77)) s, generate_series(1, 20000) i;
SELECT ok(bool_and(abs(total - 1) < 1e-12), 'probabilities of each from-state add up to 1, order ' || o)
FROM (SELECT o, t.from_state, sum(t.probability) AS total
      FROM generate_series(1, 3) o, unnest((SELECT markov_transitions(path, conversions, non_conversions, o) FROM rnd)) t
      GROUP BY o, t.from_state) s
GROUP BY o ORDER BY o;
SELECT is((SELECT sum(t.transitions) FROM unnest((SELECT markov_transitions(path, conversions, non_conversions) FROM rnd)) t
           WHERE t.from_state = '(start)'),
          (SELECT sum(conversions + non_conversions) FROM rnd), '(start) transitions count every journey');
SELECT is((SELECT sum(t.transitions) FROM unnest((SELECT markov_transitions(path, conversions, non_conversions, 2) FROM rnd)) t
           WHERE t.to_state = '(conversion)'),
          (SELECT sum(conversions) FROM rnd), '(conversion) transitions count every conversion');
-- a markov_transitions state is an attribution_state of markov(order=k):
-- its final attribution equals the aggregate's
SELECT ok(attribution_final(markov_transitions_accum(NULL, '{a,b}', 1, 1, 2))
          = attribution('{a,b}'::text[], 1, 0, 1, 'markov(order=2)'),
          'markov_transitions state = attribution state of markov(order=2)');

-- ---- order 2 worked by hand ----
-- a > b: 1 conversion, 1 null;  c > b: 0 conversions, 2 null.
-- Order 1 merges both b's: (start) -> a 2, -> c 2; a -> b 2; c -> b 2;
--   b -> (conversion) 1, (null) 3.  x(b) = 1/4, P = 1/4.
--   Without a: (start) -> a goes to (null): P = 2/4 * 1/4 = 1/8, RE(a) = 1/2.
--   Without c: likewise RE(c) = 1/2.  Without b: P = 0, RE(b) = 1.
--   Sum RE = 2: credits of 1 conversion a 1/4, b 1/2, c 1/4.
-- Order 2 keeps where b came from: (start) -> a 2, -> c 2; a -> a > b 2;
--   c -> c > b 2; a > b -> (conversion) 1, (null) 1; c > b -> (null) 2.
--   P = 1/2 * 1/2 + 1/2 * 0 = 1/4 (the same P: it is the conversion rate).
--   Without a: only c > b is left, P = 0, RE(a) = 1.  Without c: P = 1/4,
--   RE(c) = 0.  Without b: RE(b) = 1.  Sum 2: a 1/2, b 1/2, c 0.
CREATE TEMP TABLE o2 (path text[], conversions float8, non_conversions float8);
INSERT INTO o2 VALUES ('{a,b}', 1, 1), ('{c,b}', 0, 2);
SELECT is((SELECT array_agg(c.channel || ' ' || c.conversions || ' ' || c.removal_effect ORDER BY c.channel)
           FROM unnest((SELECT attribution(path, conversions, conversions, non_conversions, 'markov') FROM o2)) c),
          '{"a 0.25 0.5","b 0.5 1","c 0.25 0.5"}', 'order 1 by hand: a 1/4, b 1/2, c 1/4');
SELECT is((SELECT array_agg(c.channel || ' ' || c.conversions || ' ' || c.removal_effect ORDER BY c.channel)
           FROM unnest((SELECT attribution(path, conversions, conversions, non_conversions, 'markov(order=2)') FROM o2)) c),
          '{"a 0.5 1","b 0.5 1","c 0 0"}', 'order 2 by hand: a 1/2, b 1/2, c 0');

-- ---- a loop worked by hand (order 1) ----
-- a > b > a > b: 1 conversion;  b: 1 null.
-- (start) -> a 1, -> b 1; a -> b 2; b -> a 1, -> (conversion) 1, -> (null) 1.
-- x(a) = x(b); x(b) = (x(a) + 1)/3 -> x(b) = 1/2; P = 1/2.
-- Without a: b -> a goes to (null): x(b) = 1/3, (start) -> a lost:
--   P = 1/2 * 1/3 = 1/6, RE(a) = 1 - (1/6)/(1/2) = 2/3.  Without b: P = 0, RE 1.
-- Sum 5/3: credits a 2/3 / 5/3 = 0.4, b 0.6.
CREATE TEMP TABLE loop_r AS
SELECT attribution(p, c, c, n, 'markov') AS r
FROM (VALUES ('{a,b,a,b}'::text[], 1::float8, 0::float8), ('{b}', 0, 1)) v(p, c, n);
SELECT ok(pg_temp.near(pg_temp.f(r, 'a', 're'), 2/3.0) AND pg_temp.near(pg_temp.f(r, 'b', 're'), 1),
          'loop: RE(a) = 2/3, RE(b) = 1') FROM loop_r;
SELECT ok(pg_temp.near(pg_temp.f(r, 'a', 'conversions'), 0.4) AND pg_temp.near(pg_temp.f(r, 'b', 'conversions'), 0.6),
          'loop: credits 0.4 / 0.6') FROM loop_r;

-- ---- a medium example against an independent solver ----
-- 10 path rows, 72 journeys, 16 conversions; orders 1 to 4.  Expected values
-- from a dense absorbing-chain solver written separately in numpy
-- (test/reference/attribution_reference.py)
-- (x = (I - Q)^-1 r per removal, with Q built from the same paths), not
-- from socroi.  Orders 2 to 4 come out rational: order 2 RE display 1/8,
-- email 1/2, search 7/8, social 7/16 (sum 31/16, so display gets
-- 16 * 2/31 = 32/31); orders 3 and 4 RE 1/8, 9/16, 7/8, 7/16 (sum 2:
-- credits 1, 4.5, 7, 3.5).
CREATE TEMP TABLE med (path text[], conversions float8, non_conversions float8, value float8);
INSERT INTO med VALUES
    ('{email,social,search}', 3, 5, 360), ('{social,search}', 2, 10, 150), ('{search}', 4, 6, 400),
    ('{social}', 0, 12, 0), ('{email,email,search}', 2, 1, 210), ('{display,social,social,email}', 1, 6, 90),
    ('{search,email,search}', 2, 2, 220), ('{display}', 0, 9, 0),
    ('{social,display,search,social}', 1, 3, 80), ('{email}', 1, 2, 100);
CREATE TEMP TABLE med_want (o int, channel text, re float8, conversions float8, value float8);
INSERT INTO med_want VALUES
    (1, 'display', 0.16721316797610553, 1.4241426340124208, 143.30435254749983),
    (1, 'email', 0.3377184071515643, 2.876323603796779, 289.43006263205086),
    (1, 'search', 0.8443726937269374, 7.191462052224738, 723.6408690051143),
    (1, 'social', 0.5293072014585233, 4.508071709966062, 453.624715815335),
    (2, 'display', 0.125, 32/31.0, 103.87096774193549),
    (2, 'email', 0.5, 128/31.0, 415.48387096774195),
    (2, 'search', 0.875, 224/31.0, 727.0967741935484),
    (2, 'social', 0.4375, 112/31.0, 363.5483870967742),
    (3, 'display', 0.125, 1, 100.625), (3, 'email', 0.5625, 4.5, 452.8125),
    (3, 'search', 0.875, 7, 704.375), (3, 'social', 0.4375, 3.5, 352.1875),
    (4, 'display', 0.125, 1, 100.625), (4, 'email', 0.5625, 4.5, 452.8125),
    (4, 'search', 0.875, 7, 704.375), (4, 'social', 0.4375, 3.5, 352.1875);
CREATE TEMP TABLE med_got AS
SELECT o, c.* FROM generate_series(1, 4) o
CROSS JOIN LATERAL unnest((SELECT attribution(path, conversions, value, non_conversions,
                                              format('markov(order=%s)', o)::attribution_model) FROM med)) c;
SELECT ok(bool_and(pg_temp.rel(g.removal_effect, w.re, 1e-12) AND pg_temp.rel(g.conversions, w.conversions, 1e-12)
                   AND pg_temp.rel(g.value, w.value, 1e-12)) AND count(*) = 4,
          'medium example, order ' || o || ': removal effects and credits to 1e-12')
FROM med_got g JOIN med_want w USING (o, channel) GROUP BY o ORDER BY o;
-- P = 16 / 72 for every order: credits add up to the 16 conversions and value 1610
SELECT ok(pg_temp.rel(sum(conversions), 16, 1e-12) AND pg_temp.rel(sum(value), 1610, 1e-12),
          'medium example, order ' || o || ': credits add up to the totals')
FROM med_got GROUP BY o ORDER BY o;

-- ---- rare channels get their true, small credit ----
-- a: 5000 conversions, 95000 null; r > a: 1 null journey.  Every journey
-- reaches a: P = x(a) = 5000/100001.  Without r, 1/100001 of the journeys
-- are lost before a: RE(r) = 1/100001 (RE(a) = 1).  Credits of 5000:
-- r 5000 * (1/100001) / (1 + 1/100001) = 5000/100002.
CREATE TEMP TABLE rare_r AS
SELECT attribution(p, c, c, n, 'markov') AS r
FROM (VALUES ('{a}'::text[], 5000::float8, 95000::float8), ('{r,a}', 0, 1)) v(p, c, n);
SELECT ok(pg_temp.rel(pg_temp.f(r, 'r', 're'), 1/100001.0, 1e-9), 'rare channel: RE = 1/100001') FROM rare_r;
SELECT ok(pg_temp.rel(pg_temp.f(r, 'r', 'conversions'), 5000/100002.0, 1e-9), 'rare channel: 5000/100002 conversions')
FROM rare_r;
-- rarer still: one touch in ten million journeys keeps 1e-7 relative credit
SELECT ok(pg_temp.rel(pg_temp.f(attribution(p, c, c, n, 'markov'), 'r', 're'), 1/10000001.0, 1e-9),
          'one in ten million: RE = 1/10000001')
FROM (VALUES ('{a}'::text[], 5e5::float8, 9.5e6::float8), ('{r,a}', 0, 1)) v(p, c, n);

-- ---- a loop of 121 states, and weights of any unit ----
-- Paths c_i > c_(i+1) (i = 1..121, c_122 = c_1), each 1 conversion and 1 null:
-- one strongly connected component of 121 states (Gauss-Seidel, not dense
-- elimination).  Every c_j: -> c_(j+1) 2, -> (conversion) 1, -> (null) 1, so
-- x = (2x + 1)/4 = 1/2 = P.  Without c_k: the journeys that start at c_k
-- (1/121) are lost (x = 1/2 each), and c_(k-m) loses d_m = 1/4 * 2^-(m-1)
-- (d_1 = (1/2 - (2*0 + 1)/4), d_m = d_(m-1)/2): P - P_-k =
-- (1/121)(1/2 + 1/2 (1 - 2^-120)), RE = 2/121 (1 - 2^-121) = 2/121 for every
-- channel.  The same with weights of 1e-312 (subnormal: 1/weight overflows
-- unless the solver rescales).
SELECT ok(count(*) = 121 AND bool_and(pg_temp.rel(c.removal_effect, 2/121.0, 1e-9))
          AND pg_temp.rel(sum(c.conversions), 121 * w, 1e-9),
          'loop of 121 states, weights ' || w || ': RE = 2/121 for every channel')
FROM (VALUES (1::float8), (1e-312::float8)) AS u(w),
     LATERAL unnest((SELECT attribution(ARRAY['c' || i, 'c' || (i % 121 + 1)], w, 0, w, 'markov')
                     FROM generate_series(1, 121) i)) AS c
GROUP BY w ORDER BY w;

-- ---- credits add up, determinism, 4-argument and touch-time forms ----
CREATE TEMP TABLE rnd_r AS
SELECT m::text AS model, (SELECT attribution(path, conversions, value, non_conversions, m) FROM rnd) AS r
FROM unnest('{markov,markov(order=2),markov(order=3),markov(order=4),shapley}'::attribution_model[]) m;
SELECT ok(pg_temp.rel((SELECT sum(c.conversions) FROM unnest(r) c), (SELECT sum(conversions) FROM rnd), 1e-9)
          AND pg_temp.rel((SELECT sum(c.value) FROM unnest(r) c), (SELECT sum(value) FROM rnd), 1e-9),
          model || ': credits add up to total conversions and value (1e-9)')
FROM rnd_r ORDER BY model;
SELECT ok(r = (SELECT attribution(path, conversions, value, non_conversions, model::attribution_model) FROM rnd),
          model || ': the same input gives the identical result')
FROM rnd_r ORDER BY model;
-- row order does not change the answer (beyond rounding)
SELECT ok(bool_and(pg_temp.rel(c.conversions, d.conversions, 1e-12)) AND count(*) = 5,
          model || ': rows in reverse order give the same credits')
FROM rnd_r,
     unnest(r) c
     JOIN unnest((SELECT attribution(path, conversions, value, non_conversions, model::attribution_model ORDER BY i DESC)
                  FROM rnd)) d USING (channel)
GROUP BY model ORDER BY model;
-- 4-argument form: every journey converted, P = 1.  Toy as conversions only:
-- (start) -> google ads 3, -> mailing 1; google ads -> (conversion) 2, -> mailing 1;
-- mailing -> (conversion) 2.  Without google ads: P = 1/4, RE 0.75; without
-- mailing: x(google ads) = 2/3, P = 3/4 * 2/3 = 1/2, RE 0.5.
SELECT ok(pg_temp.near(pg_temp.f(attribution(path, conversions, value, 'markov'), 'google ads', 're'), 0.75)
          AND pg_temp.near(pg_temp.f(attribution(path, conversions, value, 'markov'), 'mailing', 're'), 0.5),
          '4-argument form: RE 0.75 / 0.5 with P = 1') FROM toy;
-- the touch-time form: one conversion per row, the times are checked only
SELECT ok(attribution(p, t, '2024-02-01'::timestamptz, 10::float8, 'markov(order=2)')
          = attribution(p, 1, 10, 'markov(order=2)'), 'touch-time form = 4-argument form with 1 conversion')
FROM (VALUES ('{a,b}'::text[], '{2024-01-01,2024-01-02}'::timestamptz[]),
             ('{b}', '{2024-01-05}'), ('{c,a,b}', '{2024-01-03,2024-01-04,2024-01-06}')) v(p, t);

-- ---- P = 0, empty input ----
-- nothing converts: P = 0, no removal effect, no credit, no share
SELECT is((SELECT array_agg(ROW(c.channel, c.conversions, c.value, c.conversion_share, c.removal_effect)::text)
           FROM unnest((SELECT attribution('{a,b}'::text[], 0, 0, 3, 'markov'))) c),
          '{"(a,0,0,,)","(b,0,0,,)"}', 'P = 0: credits 0, share and removal effect NULL');
SELECT is((SELECT attribution(path, conversions, value, non_conversions, 'markov') FROM toy WHERE false), NULL,
          'markov over no rows is NULL');
SELECT is(attribution('{}'::text[], 5, 5, 5, 'shapley'), '{}', 'only empty paths: an empty array');

-- ---- shapley ----
-- doc/attribution.md: A (10 conversions, 90 null), B (5, 95), A > B (6, 14),
-- B > A (2, 8).  v(A) = 0.1, v(B) = 0.05, v(AB) = 8/30.  For {A,B}:
-- phi_A = 1/2 v(A) + 1/2 (v(AB) - v(B)) = 0.05 + 0.108333 = 0.158333,
-- phi_B = 1/2 v(B) + 1/2 (v(AB) - v(A)) = 0.025 + 0.083333 = 0.108333;
-- shares 0.59375 / 0.40625 of 8 conversions: 4.75 / 3.25.
-- Totals A 10 + 4.75 = 14.75, B 5 + 3.25 = 8.25.
CREATE TEMP TABLE sh_r AS
SELECT attribution(p, c, c * 10, n, 'shapley') AS r
FROM (VALUES ('{A}'::text[], 10::float8, 90::float8), ('{B}', 5, 95), ('{A,B}', 6, 14), ('{B,A}', 2, 8)) v(p, c, n);
SELECT ok(pg_temp.near(pg_temp.f(r, 'A', 'conversions'), 14.75), 'shapley: A 14.75') FROM sh_r;
SELECT ok(pg_temp.near(pg_temp.f(r, 'B', 'conversions'), 8.25), 'shapley: B 8.25') FROM sh_r;
-- value 10 per conversion: 147.5 / 82.5
SELECT ok(pg_temp.near(pg_temp.f(r, 'A', 'value'), 147.5) AND pg_temp.near(pg_temp.f(r, 'B', 'value'), 82.5),
          'shapley: values 147.5 / 82.5') FROM sh_r;
SELECT ok(pg_temp.f(r, 'A', 're') IS NULL, 'shapley: removal_effect is NULL') FROM sh_r;
-- three channels: {A} (1, 1) v = 1/2; {B} (1, 3) v = 1/4; {A,B,C} (3, 1) v = 3/4;
-- other subsets 0.  s = 3, weights w(t) = t!(2-t)!/3! = 1/3, 1/6, 1/3.
-- phi_C = w(1)(v(AC) - v(A)) + w(1)(v(BC) - v(B)) + w(2)(v(ABC) - v(AB))
--       = 1/6 (0 - 1/2) + 1/6 (0 - 1/4) + 1/3 * 3/4 = 1/8;
-- phi_A = 1/3 v(A) + 1/6 (v(AB) - v(B)) + 1/6 (v(AC) - v(C)) + 1/3 (v(ABC) - v(BC))
--       = 1/6 - 1/24 + 0 + 1/4 = 3/8;  phi_B = 1/12 - 1/12 + 0 + 1/4 = 1/4.
-- Shares 1/2, 1/3, 1/6 of 3 conversions: 1.5, 1, 0.5; with {A} and {B}:
-- A 2.5, B 2, C 0.5.
SELECT is((SELECT array_agg(c.channel || ' ' || round(c.conversions::numeric, 12) ORDER BY c.channel)
           FROM unnest((SELECT attribution(p, c, c, n, 'shapley')
                        FROM (VALUES ('{A}'::text[], 1::float8, 1::float8), ('{B}', 1, 3), ('{C,B,A,C}', 3, 1)) v(p, c, n))) c),
          '{"A 2.500000000000","B 2.000000000000","C 0.500000000000"}', 'shapley, three channels by hand');
-- clipping: {A} (1, 1) v = 1/2; {B} (0, 2) v = 0; {A,B} (1, 3) v = 1/4.
-- phi_A = 1/2 * 1/2 + 1/2 (1/4 - 0) = 3/8; phi_B = 1/2 * 0 + 1/2 (1/4 - 1/2) = -1/8 -> 0:
-- A takes all of {A,B}: A 2, B 0
SELECT is((SELECT array_agg(c.channel || ' ' || c.conversions ORDER BY c.channel)
           FROM unnest((SELECT attribution(p, c, c, n, 'shapley')
                        FROM (VALUES ('{A}'::text[], 1::float8, 1::float8), ('{B}', 0, 2), ('{A,B}', 1, 3)) v(p, c, n))) c),
          '{"A 2","B 0"}', 'shapley: negative values are clipped to 0');
-- equal split when every value is 0: {C,D} with value 10 but no journey
-- counted (0 conversions, 0 non-conversions): v = 0 everywhere -> 5 / 5
SELECT is((SELECT array_agg(c.channel || ' ' || c.value ORDER BY c.channel)
           FROM unnest((SELECT attribution('{C,D}'::text[], 0, 10, 0, 'shapley'))) c),
          '{"C 5","D 5"}', 'shapley: an equal split when all values are 0');
-- the medium example against an independent brute-force Shapley (every
-- coalition of every set, test/reference/attribution_reference.py; display
-- is clipped to 0)
SELECT ok(pg_temp.rel(pg_temp.f(r, 'email', 'conversions'), 4.939515331355094, 1e-12)
          AND pg_temp.rel(pg_temp.f(r, 'search', 'conversions'), 10.906638514798754, 1e-12)
          AND pg_temp.rel(pg_temp.f(r, 'social', 'conversions'), 0.15384615384615385, 1e-12)
          AND pg_temp.f(r, 'display', 'conversions') = 0
          AND pg_temp.rel(pg_temp.f(r, 'search', 'value'), 1077.0338012630298, 1e-12),
          'shapley: medium example = brute force')
FROM (SELECT attribution(path, conversions, value, non_conversions, 'shapley') AS r FROM med) s;
-- 20 distinct channels per path are allowed (2^20 coalitions), 21 are not.
-- 20 channels in one converting path: every coalition but the full set is
-- unobserved, so phi = v(S)/20 each: 1/20 of the conversion each
SELECT ok(pg_temp.near((attribution(p, 1, 1, 0, 'shapley'))[1].conversions, 0.05), 'shapley: 20 distinct channels')
FROM (SELECT array_agg('c' || i) p FROM generate_series(1, 20) i) s;
-- repeats do not count: 40 touches over 20 channels
SELECT ok(pg_temp.near((attribution(p || p, 1, 1, 0, 'shapley'))[1].conversions, 0.05), 'shapley: 40 touches, 20 channels')
FROM (SELECT array_agg('c' || i) p FROM generate_series(1, 20) i) s;
SELECT throws_ok($$SELECT attribution(p, 1, 1, 0, 'shapley') FROM (SELECT array_agg('c' || i) p FROM generate_series(1, 21) i) s$$,
                 '54000', 'shapley attribution takes at most 20 distinct channels per path, got a path with 21',
                 'shapley: 21 distinct channels -> 54000');
-- many distinct sets: sets of up to 12 of 16 channels, subsets looked up by
-- enumeration or by scanning, whichever is cheaper; credits still add up
SELECT ok(pg_temp.rel((SELECT sum(x.conversions) FROM unnest(r) x), total, 1e-9),
          'shapley: 3000 sets of up to 12 channels, credits add up')
FROM (SELECT attribution(p, c, c, n, 'shapley') AS r, sum(c) AS total FROM (SELECT (SELECT array_agg('k' || ((i * 31 + j * j * 7) % 16)) FROM generate_series(1, 1 + i % 12) j WHERE i > 0) p,
             (i % 4)::float8 c, (i % 5)::float8 n
      FROM generate_series(1, 3000) i) s) s;

-- ---- many channels and higher orders stay fast and exact enough ----
-- 300 channels, 5,000 journeys, order 2: credits add up
SELECT ok(pg_temp.rel((SELECT sum(c.conversions) FROM unnest(r) c), 5000 * 0.3, 1e-9)
          AND (SELECT count(*) FROM unnest(r)) = 300, '300 channels, order 2')
FROM (SELECT attribution(p, (i % 10 < 3)::int, 1, (i % 10 >= 3)::int, 'markov(order=2)') AS r
      FROM (SELECT i, (SELECT array_agg('ch' || ((i * 13 + j * 101 + j * j) % 300)) FROM generate_series(1, 1 + i % 6) j WHERE i > 0) p
            FROM generate_series(1, 5000) i) s) s;

-- ---- errors ----
SELECT throws_ok($$SELECT * FROM attribute('{a}', 1, 'markov(order=3)')$$, '22023', NULL,
                 'attribute() with markov: 22023');
SELECT throws_ok($$SELECT attribution(p, 1, 1, n, 'markov') FROM (VALUES ('{a}'::text[], 1e308::float8), ('{a}', 1e308)) v(p, n)$$,
                 '22003', NULL, 'transition weights overflowing float8: 22003');
SELECT throws_ok($$SELECT attribution(p, 1, 1, n, 'shapley') FROM (VALUES ('{a}'::text[], 1e308::float8), ('{a}', 1e308)) v(p, n)$$,
                 '22003', NULL, 'shapley counters overflowing float8: 22003');
SELECT throws_ok($$SELECT attribution('{a,NULL}'::text[], 1, 1, 0, 'shapley')$$, '22004', NULL, 'NULL touch: 22004');
SELECT throws_ok($$SELECT attribution('{a}'::text[], 1, 1, -1, 'markov')$$, '22023', NULL, 'negative non_conversions');
SELECT throws_ok($$SELECT markov_transitions('{a}'::text[], 1, 0, 5)$$, '22023',
                 'markov_transitions order must be between 1 and 4, got 5', 'order 5: 22023');
SELECT throws_ok($$SELECT markov_transitions('{a}'::text[], 1, 0, 0)$$, '22023', NULL, 'order 0: 22023');
SELECT throws_ok($$SELECT markov_transitions(p, 1, 0, o) FROM (VALUES ('{a}'::text[], 1), ('{b}', 2)) v(p, o)$$,
                 '22023', 'markov_transitions order must be the same on every row of a group, got 1 and 2',
                 'mixed orders in one group: 22023');
SELECT throws_ok($$SELECT markov_transitions('{a}'::text[], 'NaN', 0)$$, '22023', NULL, 'NaN conversions: 22023');
SELECT throws_ok($$SELECT markov_transitions_final(attribution_accum(NULL, '{a}', 1, 1, 'linear'))$$, '22023',
                 'markov_transitions needs the state of a markov model, got linear', 'final of a linear state: 22023');
SELECT throws_ok($$SELECT attribution(p, 1, 1, 0, m) FROM (VALUES ('{a}'::text[], 'markov'::attribution_model), ('{b}', 'markov(order=2)')) v(p, m)$$,
                 '22023', NULL, 'markov orders mixed in one attribution() group: 22023');
SELECT throws_ok($$SELECT attribution_combine(attribution_accum(NULL, '{a}', 1, 1, 0, 'markov'), attribution_accum(NULL, '{a}', 1, 1, 0, 'shapley'))$$,
                 '22023', NULL, 'combining markov and shapley states: 22023');
-- Two loops of n channels each, a0 .. a(n-1) and b0 .. b(n-1), as a state
-- text: (start) -> a0 and -> b0 with weight 1; every step round a loop
-- with weight w; a(n/2-1) -> (null), a(n-1) -> b0, b(n-1) -> a0 and
-- b(n-1) -> (conversion) with weight 1.
CREATE FUNCTION pg_temp.two_loops(n int, w text) RETURNS text LANGUAGE sql AS $$
SELECT format('attribution_state:1 "markov(order=1)" 1 0 0 0 %s %s { %s %s }', 2 * n,
              (SELECT string_agg(format('| "%s" 0 0 0 0 0 0 0 0 0 0 0 0', c), ' ' ORDER BY k)
               FROM (SELECT k, CASE WHEN k < n THEN 'a' || k ELSE 'b' || (k - n) END AS c
                     FROM generate_series(0, 2 * n - 1) k) c),
              2 * n + 6,
              format('| 1 0 1 0 | 1 %s 1 0 ', n) ||
              (SELECT string_agg(format('| 2 %s %s %s 0', k, CASE WHEN k IN (n - 1, 2 * n - 1) THEN k - n + 1 ELSE k + 1 END, w), ' ' ORDER BY k)
               FROM generate_series(0, 2 * n - 1) k) ||
              format(' | 2 %s %s 1 0 | 2 %s 0 1 0 | 2 %s -1 1 0 | 2 %s -2 1 0', n - 1, n, 2 * n - 1, 2 * n - 1, n / 2 - 1)) $$;
-- a chain whose loops almost never end cannot be solved to the promised
-- precision: two loops of 60 channels with weight 1e15 per step, left by
-- weight 1; the sweeps change nothing above rounding long before the
-- answer (RE(a) about 1/2) is reached, and the error bound says so.
SELECT lives_ok($$SELECT pg_temp.two_loops(60, '1e15')::attribution_state$$, 'the nearly closed chain is a valid state');
SELECT throws_ok($$SELECT attribution_final(pg_temp.two_loops(60, '1e15')::attribution_state)$$, '54000', NULL,
                 'a chain that cannot be solved precisely: 54000, not a wrong number');
-- the same two loops of 60 channels left ten times more slowly than they
-- are followed (weight 10 per step, 1 per exit) are solved by the sweeps,
-- certified from the last sweep only after the target has been tightened.
-- By hand: one pass round loop a leaves to (null) at a29 w.p. 1/11, else
-- to b at a59 w.p. 1/11, so from a0 P(b) = (10/121) / (1 - 100/121) =
-- 10/21; loop b converts or goes back to a0 with 1/2 each; x_b = 1/2 +
-- x_a / 2, x_a = 10/21 x_b: x_b = 21/32, x_a = 5/16, P = 31/64.  Every
-- journey through loop a meets a5 and a40 before it can leave it but to
-- (null), so P without either = 1/2 * 1/2 and RE = 1 - (1/4) / (31/64)
-- = 15/31; every conversion passes b5: RE = 1.
SELECT ok(pg_temp.rel(pg_temp.f(r, 'a5', 're'), 15/31.0, 1e-9) AND pg_temp.rel(pg_temp.f(r, 'a40', 're'), 15/31.0, 1e-9)
          AND pg_temp.rel(pg_temp.f(r, 'b5', 're'), 1, 1e-9),
          'slowly left loops of 120 states, solved by sweeps: RE 15/31 and 1')
FROM (SELECT attribution_final(pg_temp.two_loops(60, '10')::attribution_state) AS r) s;
-- the same loops followed with weight W = 100 and 1000 per step (journeys
-- stay about 3,000 and 30,000 steps): the certificate's bound needs more
-- than its first 60 sweeps here, and gets them.  With q = 1/(W + 1) the
-- exit weight of a29 and of a59, P(b before (null) | a0) = r = (1 - q) /
-- (2 - q) = W / (2W + 1); x_b = 1/2 + r x_b / 2 = 1 / (2 - r), x_a = r x_b,
-- P = (x_a + x_b) / 2 = (1 + r) / (2 (2 - r)); without a5, P = 1/4, so
-- RE(a5) = 1 - (2 - r) / (2 (1 + r)) = 3W / (6W + 2): 150/301 and
-- 1500/3001 (W = 10 gives the 15/31 above); RE(b5) = 1.
SELECT ok(pg_temp.rel(pg_temp.f(r, 'a5', 're'), 3 * w / (6 * w + 2), 1e-9) AND pg_temp.rel(pg_temp.f(r, 'b5', 're'), 1, 1e-9),
          format('loops followed with weight %s, left with 1: RE 3W / (6W + 2) and 1', w))
FROM (SELECT w, attribution_final(pg_temp.two_loops(60, w::text)::attribution_state) AS r
      FROM (VALUES (100.0::float8), (1000.0)) v(w)) s
ORDER BY w;
-- the same two loops with 40 channels each go to the direct solver, which
-- is exact here: RE(a) = 1/2 (half the journeys reach b only through the
-- a loop), RE(b) = 1
SELECT ok(pg_temp.rel(pg_temp.f(r, 'a5', 're'), 0.5, 1e-9) AND pg_temp.rel(pg_temp.f(r, 'b5', 're'), 1, 1e-9),
          'nearly closed loops of 40 channels: RE 1/2 and 1')
FROM (SELECT attribution_final(pg_temp.two_loops(40, '1e15')::attribution_state) AS r) s;

SELECT * FROM finish();
ROLLBACK;
