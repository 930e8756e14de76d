-- pgTAP: compare_rates -- rates, pooled z-test and Newcombe's hybrid score
-- interval against independent values, edge cases, errors, and the same
-- answer serially, in parallel, over partitions and after merging partial
-- states through their text form.
--
-- Independent values: test/reference/compare_reference.py (mpmath at 40
-- digits for Newcombe 1998 method 10 in his published form
-- d - sqrt((p1 - l1)^2 + (u2 - p2)^2), Wilson limits by the quadratic
-- formula; scipy.stats.norm and chi2_contingency for the z-test).  The
-- 4-decimal values are Newcombe's own Table II, method 10.
BEGIN;
\ir lib/helpers.psql
SELECT plan(53);

-- x1 of n1 followers succeed, x0 of n0 others
CREATE FUNCTION pg_temp.rows(x1 int, n1 int, x0 int, n0 int) RETURNS TABLE (follower boolean, success boolean)
LANGUAGE sql AS $$
    SELECT true, i <= x1 FROM generate_series(1, n1) AS i
    UNION ALL
    SELECT false, i <= x0 FROM generate_series(1, n0) AS i $$;

-- ======================= Newcombe's example (a) =======================
CREATE TEMP TABLE ex_a AS SELECT (compare_rates(follower, success)).* FROM pg_temp.rows(56, 70, 48, 80);
SELECT ok(followers = 70 AND non_followers = 80 AND follower_successes = 56 AND non_follower_successes = 48,
          '56/70 vs 48/80: counts') FROM ex_a;
SELECT ok(pg_temp.rel(follower_rate, 0.8) < 1e-15 AND pg_temp.rel(non_follower_rate, 0.6) < 1e-15,
          'rates 0.8 and 0.6') FROM ex_a;
SELECT ok(pg_temp.rel(difference, 0.2) < 1e-14, 'difference 0.2') FROM ex_a;
-- lift = 0.2 / 0.6
SELECT ok(pg_temp.rel(lift, 1.0 / 3) < 1e-14, 'lift 1/3') FROM ex_a;
SELECT is(round(ci_low::numeric, 4), 0.0524, 'Newcombe (1998) Table II (a), method 10: lower 0.0524') FROM ex_a;
SELECT is(round(ci_high::numeric, 4), 0.3339, 'Newcombe (1998) Table II (a), method 10: upper 0.3339') FROM ex_a;
-- mpmath, 40 digits: 0.052431472402364892, 0.33387265403690596
SELECT ok(pg_temp.rel(ci_low, 0.052431472402364892) < 1e-12
          AND pg_temp.rel(ci_high, 0.33387265403690596) < 1e-12, 'the interval to 1e-12 (mpmath)') FROM ex_a;
-- pooled p = 104/150; z = 0.2 / sqrt(p (1-p) (1/70 + 1/80)) = 2.6501719512585326;
-- p = 2 sf(z) = 0.0080450813681965847 = chi2_contingency(correction=False) p
SELECT ok(pg_temp.rel(z_statistic, 2.6501719512585326) < 1e-13, 'pooled z = 2.65017195125853') FROM ex_a;
SELECT ok(pg_temp.rel(p_value, 0.0080450813681965847) < 1e-12, 'two-sided p = 0.00804508136819658') FROM ex_a;
-- the same at 90 %: mpmath 0.076564191544071928, 0.3136445835829438
SELECT ok(pg_temp.rel(ci_low, 0.076564191544071928) < 1e-12
          AND pg_temp.rel(ci_high, 0.3136445835829438) < 1e-12, '90 % interval (mpmath)')
FROM (SELECT (compare_rates(follower, success, 0.9)).* FROM pg_temp.rows(56, 70, 48, 80)) AS r;

-- ======================= Newcombe's examples (b)-(h) ==================
CREATE TEMP TABLE newcombe (ex text, x1 int, n1 int, x0 int, n0 int, lo4 numeric, hi4 numeric,
                            lo float8, hi float8, z float8);
-- published 4-decimal limits (Table II, method 10); 17-digit limits and z by mpmath
INSERT INTO newcombe VALUES
    ('b', 9, 10, 3, 10, 0.1705, 0.8090, 0.17052272393450292, 0.80901797353548797, 2.7386127875258306),
    ('c', 6, 7, 2, 7, 0.0582, 0.8062, 0.058227927482312246, 0.80624963752422775, 2.1602468994692867),
    ('d', 5, 56, 0, 29, -0.0381, 0.1926, -0.038137147903536884, 0.19256001385511161, 1.6586488692392285),
    ('e', 0, 10, 0, 20, -0.1611, 0.2775, -0.16112515805281936, 0.27753279986288921, NULL),
    ('f', 0, 10, 0, 10, -0.2775, 0.2775, -0.27753279986288921, 0.27753279986288921, NULL),
    ('g', 10, 10, 0, 20, 0.6791, 1.0000, 0.67908603714191472, 1.0, 5.4772255750516611),
    ('h', 10, 10, 0, 10, 0.6075, 1.0000, 0.60750935043052422, 1.0, 4.4721359549995794);
CREATE TEMP TABLE newcombe_got AS
SELECT n.*, r.* FROM newcombe AS n
CROSS JOIN LATERAL (SELECT (compare_rates(follower, success)).* FROM pg_temp.rows(n.x1, n.n1, n.x0, n.n0)) AS r;
SELECT is((SELECT string_agg(ex, ',' ORDER BY ex) FROM newcombe_got
           WHERE round(ci_low::numeric, 4) = lo4 AND round(ci_high::numeric, 4) = hi4),
          'b,c,d,e,f,g,h', 'Newcombe Table II (b)-(h): published 4-decimal limits');
SELECT is((SELECT string_agg(ex, ',' ORDER BY ex) FROM newcombe_got
           WHERE pg_temp.rel(ci_low, lo) < 1e-12 AND pg_temp.rel(ci_high, hi) < 1e-12),
          'b,c,d,e,f,g,h', 'Newcombe Table II (b)-(h): limits to 1e-12 (mpmath)');
SELECT is((SELECT string_agg(ex, ',' ORDER BY ex) FROM newcombe_got
           WHERE (z IS NULL AND z_statistic IS NULL AND p_value IS NULL)
              OR pg_temp.rel(z_statistic, z) < 1e-13),
          'b,c,d,e,f,g,h', 'pooled z of (b)-(h); NULL when nobody succeeded (e, f)');
-- an interval that touches 1 is exactly 1 (10/10 vs 0/n: the Wilson limits are 1 and 0)
SELECT ok(ci_high = 1, '(g) upper limit exactly 1') FROM newcombe_got WHERE ex = 'g';
SELECT ok(lift IS NULL AND difference = 1, 'lift is NULL when the non-follower rate is 0 (g)')
FROM newcombe_got WHERE ex = 'g';
SELECT ok(lift IS NULL AND difference = 0 AND follower_rate = 0 AND non_follower_rate = 0,
          'nobody succeeded (e): rates 0, difference 0, lift NULL') FROM newcombe_got WHERE ex = 'e';
-- (g) z = 1 / sqrt(1/3 * 2/3 * (1/10 + 1/20)) = sqrt(30) = 5.477225575051661;
-- p = erfc(sqrt(15)) = 4.3204630578274973e-8
SELECT ok(pg_temp.rel(p_value, 4.3204630578274973e-8) < 1e-12, '(g) p = 4.32e-8') FROM newcombe_got WHERE ex = 'g';

-- ======================= edge cases ===================================
-- pooled rate 1: everybody succeeded -> no z-test; Wilson-based interval still defined
-- (mpmath: -0.43448246478317477, 0.56149703175504548)
CREATE TEMP TABLE all_success AS SELECT (compare_rates(follower, success)).* FROM pg_temp.rows(5, 5, 3, 3);
SELECT ok(z_statistic IS NULL AND p_value IS NULL, 'pooled rate 1: z and p are NULL') FROM all_success;
SELECT ok(difference = 0 AND lift = 0, 'pooled rate 1: difference 0, lift 0') FROM all_success;
SELECT ok(pg_temp.rel(ci_low, -0.43448246478317477) < 1e-12 AND pg_temp.rel(ci_high, 0.56149703175504548) < 1e-12,
          'pooled rate 1: interval (mpmath)') FROM all_success;
-- one group without subjects
CREATE TEMP TABLE only_followers AS SELECT (compare_rates(follower, success)).* FROM pg_temp.rows(3, 4, 0, 0);
SELECT ok(followers = 4 AND non_followers = 0 AND follower_successes = 3 AND non_follower_successes = 0,
          'no non-followers: counts') FROM only_followers;
SELECT ok(follower_rate = 0.75 AND non_follower_rate IS NULL, 'no non-followers: follower rate 0.75, other rate NULL')
FROM only_followers;
SELECT ok(difference IS NULL AND lift IS NULL AND z_statistic IS NULL AND p_value IS NULL
          AND ci_low IS NULL AND ci_high IS NULL, 'no non-followers: no comparison') FROM only_followers;
SELECT ok(followers = 0 AND follower_rate IS NULL AND non_follower_rate = 0.5 AND difference IS NULL,
          'no followers: mirror image')
FROM (SELECT (compare_rates(follower, success)).* FROM pg_temp.rows(0, 0, 1, 2)) AS r;
-- one subject per group: 1/1 vs 0/1 -> pooled 1/2, z = 1 / sqrt(1/4 * 2) = sqrt(2);
-- mpmath: interval (-0.12210872068194178, 1)
SELECT ok(pg_temp.rel(z_statistic, sqrt(2)) < 1e-15 AND ci_high = 1
          AND pg_temp.rel(ci_low, -0.12210872068194178) < 1e-12,
          'one subject per group: z = sqrt 2, interval (-0.1221, 1]')
FROM (SELECT (compare_rates(follower, success)).* FROM pg_temp.rows(1, 1, 0, 1)) AS r;
SELECT is((SELECT compare_rates(f, s) FROM (VALUES (true, true)) v(f, s) WHERE false), NULL, 'no rows: NULL');
SELECT is((SELECT compare_rates(f, s) FROM (VALUES (NULL::boolean, true), (true, NULL)) v(f, s)), NULL,
          'only rows with NULLs: NULL (they are skipped)');
SELECT ok(followers = 1 AND non_followers = 1, 'rows with a NULL follower or success are skipped')
FROM (SELECT (compare_rates(f, s)).* FROM (VALUES (true, true), (NULL, true), (false, NULL), (false, false),
                                                  (true, NULL), (NULL, NULL)) v(f, s)) AS r;
SELECT ok(followers = 2, 'a row with a NULL confidence is skipped')
FROM (SELECT (compare_rates(f, true, c)).* FROM (VALUES (true, 0.9), (true, NULL), (true, 0.9)) v(f, c)) AS r;

-- ======================= errors =======================================
SELECT throws_ok($$SELECT compare_rates(true, true, 1)$$, '22023', NULL, 'confidence 1 -> 22023');
SELECT throws_ok($$SELECT compare_rates(true, true, 0)$$, '22023', NULL, 'confidence 0 -> 22023');
SELECT throws_ok($$SELECT compare_rates(true, true, 'NaN')$$, '22023', NULL, 'confidence NaN -> 22023');
SELECT throws_ok($$SELECT compare_rates(true, true, '-Infinity')$$, '22023', NULL, 'confidence -Infinity -> 22023');
SELECT throws_ok($$SELECT compare_rates(f, true, c) FROM (VALUES (true, 0.9), (false, 0.95)) v(f, c)$$,
                 '22023', 'confidence must be the same on every row of a group: got 0.95 after 0.9',
                 'a confidence that changes between rows -> 22023');
SELECT throws_ok($$SELECT compare_rates_combinefn(compare_rates_transfn(NULL, true, true, 0.9),
                                                  compare_rates_transfn(NULL, true, true, 0.95))$$,
                 '22023', NULL, 'merging states of different confidence levels -> 22023');
SELECT throws_ok($$SELECT compare_rates_combinefn('compare_rates:1 0.95 | 9223372036854775807 0 | 0 0',
                                                  'compare_rates:1 0.95 | 1 1 | 0 0')$$,
                 '22003', NULL, 'a merged count beyond 64 bits -> 22003');

-- ======================= state I/O ====================================
SELECT is(compare_rates_transfn(compare_rates_transfn(NULL, true, true), false, false)::text,
          'compare_rates:1 0.95 | 1 1 | 1 0', 'text form: confidence | followers n x | others n x');
SELECT is('compare_rates:1 0.9 | 70 56 | 80 48'::compare_rates_state::text,
          'compare_rates:1 0.9 | 70 56 | 80 48', 'text form round-trips');
SELECT throws_ok($$SELECT 'compare_rates:1 0.95 | 3 4 | 0 0'::compare_rates_state$$, '22P02', NULL,
                 'more successes than subjects -> 22P02');
SELECT throws_ok($$SELECT 'compare_rates:1 0.95 | -1 0 | 0 0'::compare_rates_state$$, '22P02', NULL,
                 'a negative count -> 22P02');
SELECT throws_ok($$SELECT 'compare_rates:1 1.5 | 1 0 | 0 0'::compare_rates_state$$, '22P02', NULL,
                 'a confidence outside (0, 1) -> 22P02');
SELECT throws_ok($$SELECT 'compare_rates:1 0.95 | 1 0 | 0'::compare_rates_state$$, '22P02', NULL,
                 'a truncated state -> 22P02');
SELECT throws_ok($$SELECT 'clv_compare:1 0.95 | 1 0 | 0 0'::compare_rates_state$$, '22P02', NULL,
                 'another aggregate''s tag -> 22P02');
-- outside an aggregate the transition function copies its input
SELECT is(s::text || ' -> ' || compare_rates_transfn(s, true, true)::text,
          'compare_rates:1 0.95 | 1 0 | 0 0 -> compare_rates:1 0.95 | 2 1 | 0 0',
          'a direct call leaves its state argument alone')
FROM (SELECT 'compare_rates:1 0.95 | 1 0 | 0 0'::compare_rates_state AS s) AS c;

-- ======================= 20,000 rows: values and plans ================
-- follower = i % 5 < 2; success = (i * 7919) % 1000 < 430 (followers) or 370:
-- 3440/8000 vs 4440/12000 (counted in python); mpmath: z = 8.5072157316864302,
-- p = 1.7815985528486285e-17, 95 % (0.046135359916487027, 0.073865371406736371),
-- 99 % (0.041781488011464861, 0.078219758587333687)
CREATE TABLE rates_big AS
SELECT i, i % 5 < 2 AS follower, (i * 7919) % 1000 < CASE WHEN i % 5 < 2 THEN 430 ELSE 370 END AS success
FROM generate_series(1, 20000) AS i;
ANALYZE rates_big;
CREATE TEMP TABLE rates_serial AS SELECT (compare_rates(follower, success, 0.99)).* FROM rates_big;
SELECT ok(follower_successes = 3440 AND followers = 8000 AND non_follower_successes = 4440 AND non_followers = 12000,
          '20,000 rows: counts') FROM rates_serial;
SELECT ok(pg_temp.rel(z_statistic, 8.5072157316864302) < 1e-12 AND pg_temp.rel(p_value, 1.7815985528486285e-17) < 1e-10,
          '20,000 rows: z = 8.507, p = 1.78e-17 far in the tail (1e-10 relative)') FROM rates_serial;
SELECT ok(pg_temp.rel(ci_low, 0.041781488011464861) < 1e-12 AND pg_temp.rel(ci_high, 0.078219758587333687) < 1e-12,
          '20,000 rows: 99 % interval (mpmath)') FROM rates_serial;
SELECT ok(pg_temp.rel(ci_low, 0.046135359916487027) < 1e-12 AND pg_temp.rel(ci_high, 0.073865371406736371) < 1e-12,
          '20,000 rows: 95 % interval (mpmath)')
FROM (SELECT (compare_rates(follower, success)).* FROM rates_big) AS r;

-- partial states merged through text = one pass
CREATE AGGREGATE pg_temp.rates_partial(boolean, boolean, float8) (
    SFUNC = compare_rates_transfn, STYPE = compare_rates_state);
SELECT ok((SELECT m IS NOT DISTINCT FROM s
           FROM (SELECT row(r.*)::text AS s FROM rates_serial AS r) AS single,
                (SELECT row((compare_rates_finalfn(compare_rates_combinefn(
                            compare_rates_combinefn(a::text::compare_rates_state, b::text::compare_rates_state),
                            c::text::compare_rates_state))).*)::text AS m
                 FROM (SELECT pg_temp.rates_partial(follower, success, 0.99) FILTER (WHERE i % 3 = 0) AS a,
                              pg_temp.rates_partial(follower, success, 0.99) FILTER (WHERE i % 3 = 1) AS b,
                              pg_temp.rates_partial(follower, success, 0.99) FILTER (WHERE i % 3 = 2) AS c
                       FROM rates_big) AS p) AS merged),
          'three partial states merged through text give the single-pass result, bit for bit');

SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL parallel_leader_participation = off;
SELECT ok(pg_temp.plan_of('SELECT compare_rates(follower, success, 0.99) FROM rates_big') LIKE '%Partial Aggregate%',
          'compare_rates runs as a parallel partial aggregate');
SELECT is((SELECT row(r.*)::text FROM (SELECT (compare_rates(follower, success, 0.99)).* FROM rates_big) AS r),
          (SELECT row(r.*)::text FROM rates_serial AS r), 'parallel = serial, bit for bit');
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
CREATE TABLE rates_parts (i int, follower boolean, success boolean) PARTITION BY HASH (i);
CREATE TABLE rates_parts_0 PARTITION OF rates_parts FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE rates_parts_1 PARTITION OF rates_parts FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE rates_parts_2 PARTITION OF rates_parts FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO rates_parts SELECT * FROM rates_big;
ANALYZE rates_parts;
SET LOCAL enable_partitionwise_aggregate = on;
SELECT ok(pg_temp.plan_of('SELECT compare_rates(follower, success, 0.99) FROM rates_parts')
          LIKE '%Partial Aggregate%Partial Aggregate%', 'partial aggregation per partition');
SELECT is((SELECT row(r.*)::text FROM (SELECT (compare_rates(follower, success, 0.99)).* FROM rates_parts) AS r),
          (SELECT row(r.*)::text FROM rates_serial AS r), 'partitionwise = serial, bit for bit');
RESET enable_partitionwise_aggregate;

SELECT * FROM finish();
ROLLBACK;
