-- Data-driven attribution: the published examples as full rows, a chain of
-- order 2 worked by hand, markov_transitions() output, and the messages and
-- hints of the errors.  Derivations beside each query.

-- ---- markov: the published toy ----
-- google ads (2 conversions, 1 null), mailing (1, 0), google ads > mailing
-- (1, 0).  x(mailing) = 1, x(google ads) = 2/4 + 1/4 = 0.75, P = 4/5 * 0.75
-- + 1/5 = 0.8.  RE(google ads) = 1 - 0.2/0.8 = 0.75, RE(mailing) = 1 -
-- 0.4/0.8 = 0.5.  Credits of 4 conversions / 400: 2.4 / 240, 1.6 / 160;
-- shares 0.6 / 0.4.  Roles: google ads touched 3, first 3, last 2, assists
-- 1; mailing 2, 1, 2, 0.
CREATE TABLE mk_toy (path text[], conversions float8, value float8, non_conversions float8);
INSERT INTO mk_toy VALUES ('{google ads}', 2, 200, 1), ('{mailing}', 1, 100, 0),
                          ('{google ads,mailing}', 1, 100, 0);
SELECT c.channel, round(c.conversions::numeric, 9) AS conversions, round(c.value::numeric, 9) AS value,
       round(c.conversion_share::numeric, 9) AS share, c.touched, c.first_touches, c.last_touches,
       c.assists, round(c.removal_effect::numeric, 9) AS removal_effect
FROM unnest((SELECT attribution(path, conversions, value, non_conversions, 'markov') FROM mk_toy)) AS c;

-- ---- markov(order=2) worked by hand ----
-- a > b (1 conversion, 1 null), c > b (0, 2).  Order 1 merges the two b's
-- (x(b) = 1/4): RE a 1/2, b 1, c 1/2 -> credits 1/4, 1/2, 1/4.  Order 2
-- keeps a > b (x = 1/2) apart from c > b (x = 0): RE a 1, b 1, c 0 ->
-- credits 1/2, 1/2, 0.
SELECT m AS model, c.channel, round(c.conversions::numeric, 9) AS conversions,
       round(c.removal_effect::numeric, 9) AS removal_effect
FROM (VALUES ('markov'::attribution_model), ('markov(order=2)')) AS v(m)
CROSS JOIN LATERAL unnest((SELECT attribution(p, c, c, n, v.m)
                           FROM (VALUES ('{a,b}'::text[], 1::float8, 1::float8), ('{c,b}', 0, 2)) AS r(p, c, n))) AS c
ORDER BY m, c.channel;

-- ---- markov_transitions ----
-- the toy: (start) -> google ads 4/5, mailing 1/5; google ads -> mailing
-- 1/4, (conversion) 2/4, (null) 1/4; mailing -> (conversion) 2/2
SELECT t.* FROM unnest((SELECT markov_transitions(path, conversions, non_conversions) FROM mk_toy)) AS t;
-- order 2: google ads > mailing is a state of its own
SELECT t.* FROM unnest((SELECT markov_transitions(path, conversions, non_conversions, 2) FROM mk_toy)) AS t;

-- ---- shapley: the example of doc/attribution.md ----
-- A (10, 90), B (5, 95), A > B (6, 14), B > A (2, 8): v(A) = 0.1, v(B) =
-- 0.05, v(AB) = 8/30; {A,B} splits 8 as 4.75 / 3.25: A 14.75, B 8.25.
-- Value 10 per conversion.
SELECT c.channel, c.conversions, c.value, round(c.conversion_share::numeric, 9) AS share,
       c.touched, c.removal_effect
FROM unnest((SELECT attribution(p, c, 10 * c, n, 'shapley')
             FROM (VALUES ('{A}'::text[], 10::float8, 90::float8), ('{B}', 5, 95),
                          ('{A,B}', 6, 14), ('{B,A}', 2, 8)) AS r(p, c, n))) AS c;

-- ---- errors ----
SELECT attribution(p, 1, 1, 0, 'shapley')
FROM (SELECT array_agg('c' || i) AS p FROM generate_series(1, 25) i) AS s;
SELECT * FROM attribute('{a}', 1, 'shapley');
SELECT markov_transitions('{a}'::text[], 1, 0, 7);
SELECT markov_transitions(p, 1, 0, o) FROM (VALUES ('{a}'::text[], 1), ('{b}', 3)) AS v(p, o);
SELECT markov_transitions_final(attribution_accum(NULL, '{a}', 1, 1, 'position_based'));
SELECT attribution(p, 1, 1, n, 'markov') FROM (VALUES ('{a}'::text[], 1e308::float8), ('{a}', 1e308)) AS v(p, n);
SELECT 'attribution_state:1 "markov(order=1)" 0 0 0 0 1 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 { 1 | 3 0 0 0 1 0 }'::attribution_state;
SELECT 'attribution_state:1 "shapley" 1 0 1 0 2 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 | "b" 0 0 0 0 0 0 0 0 0 0 0 0 { 1 | 2 1 0 1 0 0 0 1 0 }'::attribution_state;
-- totals whose compensation overflows; channel sets that add up to more than the totals
SELECT attribution_final('attribution_state:1 "shapley" 1.7e308 1.7e308 0 0 2 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 | "b" 0 0 0 0 0 0 0 0 0 0 0 0 { 2 | 2 0 1 1.7e308 1.7e308 1 0 0 0 | 1 0 1e308 0 1 0 0 0 }');
SELECT attribution_final('attribution_state:1 "shapley" 1 0 0 0 2 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 | "b" 0 0 0 0 0 0 0 0 0 0 0 0 { 2 | 1 0 1 0 0 0 0 0 | 1 1 1 0 0 0 0 0 }');

-- ---- markov options: order=auto, value=removal ----
SELECT m::attribution_model AS model
FROM (VALUES ('markov(order=auto)'), ('MARKOV(Order=Auto, Value=Removal)'), ('markov(value=conversions)'),
             ('markov(order=3,value=removal)')) AS v(m);
SELECT 'markov(value=revenue)'::attribution_model;
SELECT 'markov(value=removal,value=removal)'::attribution_model;
SELECT 'linear(value=removal)'::attribution_model;
-- the toy with value=removal: value 200, 100, 100 on the three paths.
-- Value rewards: google ads 200 over weight 4 leaving it, mailing 200 over
-- 2: x(mailing) = 100, x(google ads) = (200 + 1 * 100) / 4 = 75, P = (4 * 75
-- + 100) / 5 = 80 (400 over 5 journeys).  Without google ads 100 / 5 = 20:
-- RE 0.75; without mailing x(google ads) = 50, P = 40: RE 0.5 -- the same as
-- the conversions' here (one value per conversion), so 240 / 160.
SELECT c.channel, round(c.conversions::numeric, 9) AS conversions, round(c.value::numeric, 9) AS value,
       round(c.removal_effect::numeric, 9) AS removal_effect
FROM unnest((SELECT attribution(path, conversions, conversions * 100, non_conversions, 'markov(value=removal)')
             FROM mk_toy)) AS c;
-- a state of markov(order=auto,value=removal) through its text form
SELECT attribution_accum(NULL, '{a,b}', 1, 10, 1, 'markov(order=auto,value=removal)')::text;
SELECT attribution_accum(NULL, '{a,b}', 1, 10, 1, 'markov(order=auto,value=removal)')::text::attribution_state::text
     = attribution_accum(NULL, '{a,b}', 1, 10, 1, 'markov(order=auto,value=removal)')::text AS round_trip;
-- fold symbols only in order=auto states
SELECT 'attribution_state:1 "markov(order=1)" 1 0 0 0 1 | "a" 0 0 0 0 1 0 1 0 1 0 0 0 { 2 | 1 0 1 0 | 2 0 -3 1 0 }'::attribution_state;
-- markov_order_selection: the toy.  Order 1: (start) -> google ads 4,
-- mailing 1; google ads -> (conversion) 2, (null) 1, mailing 1; mailing ->
-- (conversion) 2.  LL = 4 ln 4/5 + ln 1/5 + 2 ln 1/2 + 2 ln 1/4 + 0 =
-- -6.660895201, parameters 1 + 2 + 0 = 3, N = 11 transitions (5 journeys,
-- 6 touches), BIC = 13.321790402 + 3 ln 11 = 20.515476220.  Order 2 adds
-- the state google ads > mailing, whose only successor is (conversion):
-- the same LL and parameters, 4 states; orders 3 and 4 likewise.  The tie
-- goes to order 1 (AUC: see the pgTAP file).
SELECT f.markov_order, f.states, round(f.log_likelihood::numeric, 9) AS log_likelihood, f.parameters,
       round(f.bic::numeric, 9) AS bic, f.selected
FROM unnest((SELECT markov_order_selection(path, conversions, non_conversions) FROM mk_toy)) AS f;
SELECT markov_order_selection(p, 1, 0) FROM (VALUES ('{}'::text[])) AS v(p);
SELECT markov_order_selection(p, 1, 0) FROM (VALUES (NULL::text[])) AS v(p);
