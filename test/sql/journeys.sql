-- journeys(), the Snowplow and fractribution parity features: hand-worked
-- examples (derivations beside each query), then the errors with their
-- messages and hints.
SET TimeZone = 'UTC';

-- ---- one customer, default options ----
-- Rows out of order.  Sorted: 01-01 email, 01-02 social, 01-03 10:00
-- direct (touch), search (touch of the conversion row), then the purchase
-- of 50 (touches before conversions; direct < search in byte order);
-- 01-05 email; 01-06 purchase of 20 without a channel; 01-07 display.
-- Journey 1: email, social, direct, search -> 50.  Journey 2: email -> 20.
-- Journey 3: display, not converted (conversion_time and value NULL).
CREATE TABLE stream (customer int, t timestamptz, channel text, value float8);
INSERT INTO stream VALUES
    (1, '2026-01-05 10:00+00', 'email', NULL),
    (1, '2026-01-03 10:00+00', 'search', 50),
    (1, '2026-01-07 10:00+00', 'display', NULL),
    (1, '2026-01-01 10:00+00', 'email', NULL),
    (1, '2026-01-06 10:00+00', NULL, 20),
    (1, '2026-01-03 10:00+00', 'direct', NULL),
    (1, '2026-01-02 10:00+00', 'social', NULL);
SELECT j.* FROM unnest((SELECT journeys(t, channel, value) FROM stream)) j;

-- ---- reset=never and lookback ----
-- reset=never: journey 2 has every earlier touch: email, social, direct,
-- search, email -> 20; with lookback=3 days only the touches within 3 days
-- of 01-06 10:00 (01-03 10:00 on, inclusive): direct, search, email.  The
-- tail is every touch, cut at 3 days before its last touch (01-07 10:00,
-- so from 01-04 10:00): email, display.
SELECT j.journey_no, j.path, j.converted, j.value
FROM unnest((SELECT journeys(t, channel, value, 'reset=never, lookback=3 days') FROM stream)) j;

-- Snowplow's calendar-day lookback: lookback_days=1 keeps the touches of
-- the purchase's day and the day before.  Purchase 01-03 10:00: touches of
-- 01-02 and 01-03 (social, direct, search); purchase 01-06: 01-05 email;
-- tail 01-07: display (01-06 has no touch).
SELECT j.journey_no, j.path FROM unnest((SELECT journeys(t, channel, value, 'lookback_days=1') FROM stream)) j;

-- max_touches=2 keeps the last two touches of each journey
SELECT j.journey_no, j.path FROM unnest((SELECT journeys(t, channel, value, 'max_touches=2') FROM stream)) j;

-- ---- ties ----
-- Two purchases at the same instant as a touch: the touch comes first, the
-- purchases by value (5 before 7).  The first purchase gets the touch, the
-- second an empty path.  Two touches at one instant sort by channel.
SELECT j.journey_no, j.path, j.value
FROM unnest((SELECT journeys(t, channel, value)
             FROM (VALUES (timestamptz '2026-02-01 12:00+00', NULL::text, 7::float8),
                          ('2026-02-01 12:00+00', 'b', NULL),
                          ('2026-02-01 12:00+00', NULL, 5),
                          ('2026-02-01 11:00+00', 'z', NULL),
                          ('2026-02-01 11:00+00', 'a', NULL)) v(t, channel, value))) j;

-- ---- sessions: GA4's direct rule ----
-- session=30 minutes: 10:00 ads, 10:10 ads (collapsed into 10:00), 10:20
-- direct, 10:45 ads.  Without direct_override=false the direct touch is
-- kept (a new channel), and 10:45 ads follows direct: ads, direct, ads.
-- With direct_override=false the direct touch 10 minutes after ads does not
-- replace it, and 10:45 ads is 25 minutes after the previous touch
-- (10:20): collapsed too -- one ads touch at 10:00.
CREATE TABLE ga4 (t timestamptz, channel text, value float8);
INSERT INTO ga4 VALUES ('2026-03-01 10:00+00', 'ads', NULL), ('2026-03-01 10:10+00', 'ads', NULL),
                       ('2026-03-01 10:20+00', 'direct', NULL), ('2026-03-01 10:45+00', 'ads', NULL),
                       ('2026-03-01 11:00+00', NULL, 30);
SELECT o AS options, (j[1]).path, (j[1]).touch_times
FROM (VALUES ('session=30 minutes'), ('session=30 minutes, direct_override=false')) v(o),
     LATERAL (SELECT journeys(t, channel, value, v.o) AS j FROM ga4) s;

-- ---- NULLs ----
-- rows without a time, or with neither channel nor value, are skipped; no
-- row left -> NULL
SELECT journeys(t, channel, value) IS NULL AS no_rows
FROM (VALUES (NULL::timestamptz, 'a', NULL::float8), ('2026-01-01', NULL, NULL)) v(t, channel, value);
-- NULL options skip the row too
SELECT cardinality(journeys(t, 'a', NULL, o)) AS journeys
FROM (VALUES ('2026-01-01'::timestamptz, NULL::text), ('2026-01-02', 'reset=never')) v(t, o);

-- ---- options: canonical form in the state, defaults ----
SELECT journeys_accum(NULL, '2026-01-01 00:00+00', 'a', NULL,
                      ' SESSION = 1 day 12:00 ,Direct="(direct)", direct_override=off, reset=Never')::text;
SELECT journeys_accum(NULL, '2026-01-01 00:00+00', NULL, 0, '')::text;

-- ---- path_transform: Snowplow's transforms and spellings ----
-- Snowplow's examples: [D, A, B, B, C, D, C, C] -> unique as is, exposure
-- D A B C D C, first D A B C, frequency D(2) A(1) B(2) C(3); target A:
-- A > B > A > A -> remove_if_not_all B, remove_if_last_and_not_all A > B;
-- a path of only A stays.
SELECT how, path_transform('{D,A,B,B,C,D,C,C}', how) AS transformed
FROM unnest('{unique_path,exposure_path,first_path,frequency_path,EXPOSURE,Frequency}'::text[]) AS how;
SELECT path_transform('{A,B,A,A}', 'remove_if_not_all(channel=A)') AS remove_if_not_all,
       path_transform('{A,B,A,A}', 'remove_if_last_and_not_all(channel=A)') AS remove_if_last_and_not_all,
       path_transform('{A,A,A}', 'remove_if_not_all(channel=A)') AS only_a_1,
       path_transform('{A,A,A}', 'remove_if_last_and_not_all(channel=A)') AS only_a_2,
       path_transform('{}', 'remove_if_not_all(channel=A)') AS empty;
-- chains apply left to right: exposure of D A B B C D C C is D A B C D C,
-- then the trailing C goes: D A B C D; the other order removes C C first
-- (D A B B C D) and then collapses B B: D A B C D as well.
SELECT path_transform('{D,A,B,B,C,D,C,C}', 'exposure_path, remove_if_last_and_not_all(channel=C)') AS a,
       path_transform('{D,A,B,B,C,D,C,C}', 'remove_if_last_and_not_all(channel=C), exposure') AS b,
       path_transform('{"(direct)",x,"(direct)"}', 'remove_if_last_and_not_all(channel="(direct)")') AS quoted;

-- ---- path_transform with touch times ----
-- every output touch keeps the time of the first touch it stands for:
-- exposure of a a b a at days 1 2 3 4 -> a(1) b(3) a(4); first -> a(1)
-- b(3); frequency -> a(3) at 1, b(1) at 3; remove_if_last_and_not_all(a)
-- drops the last a (day 4).
SELECT how, (p).path, (p).touch_times
FROM unnest('{exposure,first,frequency,remove_if_last_and_not_all(channel=a),unique}'::text[]) AS how,
     LATERAL (SELECT path_transform('{a,a,b,a}',
                                    '{2026-01-01,2026-01-02,2026-01-03,2026-01-04}'::timestamptz[],
                                    how) AS p) x;
-- the transformed path works with time_decay (before, a transformed path
-- had no times to go with it): a and b at days 1 and 3 of a purchase on
-- day 4, half-life 1 day: weights 2^-3 : 2^-1 = 1 : 4 -> 20 and 80 of 100
SELECT c.channel, round(c.value::numeric, 6) AS value
FROM unnest((SELECT attribution((p).path, (p).touch_times, '2026-01-04', 100, 'time_decay(half_life=1 day)')
             FROM (SELECT path_transform('{a,a,b}', '{2026-01-01,2026-01-02,2026-01-03}'::timestamptz[], 'first') AS p) x)) c;

-- ---- fractribution: the worked example ----
-- A (10 conversions, 90 not), B (5, 95), A > B (6, 14), B > A (2, 8):
-- rates 0.1, 0.05, 0.3, 0.2.  A > B: A contributes 0.3 - r(B) = 0.25, B
-- 0.3 - r(A) = 0.2: 6 conversions split 3.3333 / 2.6667.  B > A: B 0.2 -
-- r(A) = 0.1, A 0.2 - r(B) = 0.15: 2 split 0.8 / 1.2.  Single touches get
-- their path.  A = 10 + 3.3333 + 1.2 = 14.5333, B = 5 + 2.6667 + 0.8 =
-- 8.4667; value 100 per conversion likewise.
CREATE TABLE fr (path text[], conversions float8, value float8, non_conversions float8);
INSERT INTO fr VALUES ('{A}', 10, 1000, 90), ('{B}', 5, 500, 95), ('{A,B}', 6, 600, 14), ('{B,A}', 2, 200, 8);
SELECT c.channel, round(c.conversions::numeric, 4) AS conversions, round(c.value::numeric, 2) AS value,
       round(c.conversion_share::numeric, 6) AS share, c.touched, c.first_touches, c.last_touches, c.assists,
       c.removal_effect
FROM unnest((SELECT attribution(path, conversions, value, non_conversions, 'fractribution') FROM fr)) c;
-- no touch contributes: C > D (1, 9) has rate 0.1, below C (1, 1) and D
-- (1, 1) at 0.5.  fractribution gives the path to its last touch, D;
-- fallback=linear splits it: C and D get 1.5 each (1 of their own + 0.5).
SELECT m AS model, c.channel, c.conversions
FROM unnest('{fractribution,fractribution(fallback=linear)}'::attribution_model[]) m,
     LATERAL unnest((SELECT attribution(path, conversions, 0, non_conversions, m)
                     FROM (VALUES ('{C,D}'::text[], 1, 9), ('{C}', 1, 1), ('{D}', 1, 1)) v(path, conversions, non_conversions))) c
ORDER BY 1, 2;
-- a repeated channel: A > A (1, 0) rate 1; removing either A leaves A (1,
-- 1) at 0.5: both touches contribute 0.5, A gets the whole conversion.
-- The shorter path is taken literally: A > B > A without B is A > A.
SELECT c.channel, c.conversions
FROM unnest((SELECT attribution(path, conversions, 0, non_conversions, 'fractribution')
             FROM (VALUES ('{A,A}'::text[], 1, 0), ('{A}', 1, 1)) v(path, conversions, non_conversions))) c;

-- ---- frequency_suffix=drop ----
-- frequency paths a(2) b(1) and a(1) c(1) with linear: a(2) 0.5, b(1) 0.5,
-- a(1) 0.5, c(1) 0.5; dropping the suffix totals a = 1 (touched 2).  A
-- channel whose own name ends in "(...)" that is not a count is kept.
SELECT m AS model, c.channel, c.conversions, c.touched
FROM unnest('{linear,linear(frequency_suffix=drop)}'::attribution_model[]) m,
     LATERAL unnest((SELECT attribution(path_transform(path, 'frequency'), 1, 1, m)
                     FROM (VALUES ('{a,b,a}'::text[]), ('{a,c}'), ('{(direct)}')) v(path))) c
ORDER BY 1, 3 DESC, 2;

-- ---- models print with every option ----
SELECT 'fractribution'::attribution_model AS a, ' FRACTRIBUTION ( fallback = LINEAR ) '::attribution_model AS b,
       'markov(frequency_suffix=drop)'::attribution_model AS c,
       'fractribution' > 'shapley'::attribution_model AS sorts_after_shapley;

-- ---- errors ----
\set VERBOSITY default
SELECT journeys(t, 'a', v) FROM (VALUES ('2026-01-01'::timestamptz, 'NaN'::float8)) x(t, v);
SELECT journeys(t, 'a', v) FROM (VALUES ('2026-01-01'::timestamptz, -1::float8)) x(t, v);
SELECT journeys(t, 'a', v) FROM (VALUES ('infinity'::timestamptz, NULL::float8)) x(t, v);
SELECT journeys(now(), 'a', NULL, 'lookback=1 month');
SELECT journeys(now(), 'a', NULL, 'window=3 days');
SELECT journeys(now(), 'a', NULL, 'reset=sometimes');
SELECT journeys(now(), 'a', NULL, 'max_touches=0');
SELECT journeys(now(), 'a', NULL, 'direct_override=false');
SELECT journeys(now(), 'a', NULL, 'reset=never, reset=never');
SELECT journeys(t, 'a', NULL, o) FROM (VALUES (now(), 'reset=never'), (now(), 'max_touches=3')) v(t, o);
SELECT path_transform('{a}', 'remove_if_not_all');
SELECT path_transform('{a}', 'exposure(channel=a)');
SELECT path_transform('{a}', 'first, ');
SELECT path_transform('{a,b}', '{2026-01-01}'::timestamptz[], 'first');
SELECT path_transform('{a,b}', '{2026-01-01,NULL}'::timestamptz[], 'first');
SELECT 'shapley(fallback=linear)'::attribution_model;
SELECT 'linear(frequency_suffix=maybe)'::attribution_model;
SELECT attribute('{a,b}', 10, 'fractribution');
SELECT journeys_final('journeys_state:1 "" 1 | 0 NaN 0'::journeys_state);
