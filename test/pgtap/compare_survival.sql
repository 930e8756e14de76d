-- pgTAP: time_to_convert (Kaplan-Meier quantiles) and compare_time_to_convert
-- (log-rank) against independent values, edge cases, errors, crafted
-- states, and the same answer serially, in parallel, over partitions and
-- after merging partial states through their text form.
--
-- Independent values: test/reference/compare_reference.py -- Kaplan-Meier
-- and log-rank in exact rational arithmetic (python fractions; at-risk sets
-- "duration >= t", so events come before censorings at a tie; the p-th time
-- is the first event time with S(t) <= 1 - p as lifelines'
-- qth_survival_time; the hypergeometric variance of R's survdiff), and
-- p = erfc(sqrt(chi^2 / 2)) in mpmath.  The AML check values are those of
-- doc/compare.md (R: survdiff(Surv(time, status) ~ x, data = aml)
-- prints expected 10.69 and 7.31, chi-square 3.4 on 1 df).
BEGIN;
\ir lib/helpers.psql
SELECT plan(62);

-- '13+' is a subject still open (censored) at 13
CREATE FUNCTION pg_temp.subjects(follower boolean, spec text)
RETURNS TABLE (follower boolean, duration float8, converted boolean) LANGUAGE sql AS $$
    SELECT follower, rtrim(s, '+')::float8, s NOT LIKE '%+'
    FROM unnest(string_to_array(spec, ',')) AS s $$;

-- ======================= the AML data (doc/compare.md) ================
CREATE TABLE aml AS
SELECT * FROM pg_temp.subjects(true, '9,13,13+,18,23,28+,31,34,45+,48,161+')
UNION ALL
SELECT * FROM pg_temp.subjects(false, '5,5,8,8,12,16+,23,27,30,33,43,45');
CREATE TEMP TABLE aml_cmp AS SELECT (compare_time_to_convert(follower, duration, converted)).* FROM aml;
SELECT ok(followers = 11 AND non_followers = 12 AND follower_conversions = 7 AND non_follower_conversions = 11,
          'AML: 11 maintained (7 events) vs 12 others (11 events)') FROM aml_cmp;
-- maintained: S(23) = 54/88 > 1/2, S(31) = 27/55 <= 1/2; others: S(12) = 7/12, S(23) = 35/72
SELECT ok(follower_median = 31 AND non_follower_median = 23, 'AML: medians 31 and 23') FROM aml_cmp;
SELECT ok(round(follower_expected::numeric, 2) = 10.69 AND round(non_follower_expected::numeric, 2) = 7.31,
          'AML: expected 10.69 and 7.31 (as published)') FROM aml_cmp;
-- exact: E1 = 28616575739/2677114440 = 10.689335992300725, E0 = 18 - E1
SELECT ok(pg_temp.rel(follower_expected, 28616575739.0 / 2677114440) < 1e-13
          AND pg_temp.rel(non_follower_expected, 18 - 28616575739.0 / 2677114440) < 1e-13,
          'AML: expected counts to 1e-13 (exact fractions)') FROM aml_cmp;
SELECT is(round(chi_square::numeric, 3), 3.396, 'AML: chi-square 3.396') FROM aml_cmp;
SELECT is(round(p_value::numeric, 4), 0.0653, 'AML: p 0.0653') FROM aml_cmp;
-- exact chi^2 = 3.396388698977602; p = erfc(sqrt(chi^2/2)) = 0.065339322040504936 (mpmath)
SELECT ok(pg_temp.rel(chi_square, 3.396388698977602) < 1e-12 AND pg_temp.rel(p_value, 0.065339322040504936) < 1e-12,
          'AML: chi-square and p to 1e-12') FROM aml_cmp;
-- (7 / 10.689...) / (11 / 7.310...) = 0.4352226120989334
SELECT ok(pg_temp.rel(hazard_ratio, 0.4352226120989334) < 1e-13, 'AML: hazard ratio 0.4352') FROM aml_cmp;
-- Kaplan-Meier per group: maintained S(18) = 63/88 <= 3/4, S(48) = 81/440 <= 1/4;
-- others S(8) = 2/3, S(33) = 7/36
SELECT is((SELECT string_agg(format('%s:%s/%s/%s/%s/%s', follower, subjects, conversions, p25_time, median_time, p75_time),
                             ' ' ORDER BY follower)
           FROM (SELECT follower, (time_to_convert(duration, converted)).* FROM aml GROUP BY follower) AS k),
          'f:12/11/8/23/33 t:11/7/18/31/48', 'AML: time_to_convert per group (p25/median/p75)');
-- the groups swapped: same chi-square and p, hazard ratio inverted, expected swapped
SELECT ok(pg_temp.rel(s.chi_square, a.chi_square) < 1e-14 AND pg_temp.rel(s.hazard_ratio, 1 / a.hazard_ratio) < 1e-14
          AND pg_temp.rel(s.follower_expected, a.non_follower_expected) < 1e-14
          AND s.follower_median = a.non_follower_median,
          'swapping the groups swaps the result')
FROM aml_cmp AS a, (SELECT (compare_time_to_convert(NOT follower, duration, converted)).* FROM aml) AS s;

-- ======================= ties =========================================
-- events before censorings: 5, 5+, 9 -> at 5 three at risk, S = 2/3 > 1/2; at 9
-- one at risk, S = 0: median 9 (censorings first would give S(5) = 1/2, median 5)
SELECT ok(p25_time = 5 AND median_time = 9 AND p75_time = 9 AND subjects = 3 AND conversions = 2,
          'a conversion and an open subject at the same time: the open one is at risk then')
FROM (SELECT (time_to_convert(duration, converted)).* FROM pg_temp.subjects(NULL, '5,5+,9')) AS k;
-- followers 2,2,2+,4,5+,6,6+ vs others 1,2,2+,3,3,4+,6,6 (exact: E1 = 1552/315,
-- chi^2 = 0.47461977241260156, p = 0.49086949922894345, HR = 0.686426116838488;
-- KM followers 2/6/NULL, others 2/3/6)
CREATE TEMP TABLE ties AS
SELECT (compare_time_to_convert(follower, duration, converted)).*
FROM (SELECT * FROM pg_temp.subjects(true, '2,2,2+,4,5+,6,6+')
      UNION ALL SELECT * FROM pg_temp.subjects(false, '1,2,2+,3,3,4+,6,6')) AS s;
SELECT ok(pg_temp.rel(follower_expected, 1552.0 / 315) < 1e-14 AND pg_temp.rel(non_follower_expected, 10 - 1552.0 / 315) < 1e-14,
          'ties: expected counts (exact)') FROM ties;
SELECT ok(pg_temp.rel(chi_square, 0.47461977241260156) < 1e-12 AND pg_temp.rel(p_value, 0.49086949922894345) < 1e-12
          AND pg_temp.rel(hazard_ratio, 0.686426116838488) < 1e-13, 'ties: chi-square, p and hazard ratio') FROM ties;
SELECT ok(follower_median = 6 AND non_follower_median = 3, 'ties: medians 6 and 3') FROM ties;
SELECT is((SELECT format('%s/%s/%s', p25_time, median_time, p75_time)
           FROM (SELECT (time_to_convert(duration, converted)).* FROM pg_temp.subjects(true, '2,2,2+,4,5+,6,6+')) AS k),
          '2/6/', 'ties: a curve that never reaches 1/4 has no p75 (NULL)');

-- ======================= edge cases ===================================
-- 4 conversions one after another: S = 3/4, 1/2, 1/4, 0 -- each quantile is reached
-- exactly however the product rounds
SELECT is((SELECT format('%s/%s/%s/%s/%s', subjects, conversions, p25_time, median_time, p75_time)
           FROM (SELECT (time_to_convert(d, true)).* FROM generate_series(1, 4) AS d) AS k),
          '4/4/1/2/3', 'all converted, 1..4: p25 1, median 2, p75 3 (S exactly 3/4, 1/2, 1/4)');
-- 12 subjects converting at 1..12: S(k) = (12 - k)/12 -> 3, 6, 9 (products of 3 to 9 rounded factors)
SELECT is((SELECT format('%s/%s/%s', p25_time, median_time, p75_time)
           FROM (SELECT (time_to_convert(d, true)).* FROM generate_series(1, 12) AS d) AS k),
          '3/6/9', 'all converted, 1..12: 3, 6, 9');
SELECT is((SELECT format('%s/%s/[%s][%s][%s]', subjects, conversions, p25_time, median_time, p75_time)
           FROM (SELECT (time_to_convert(d, false)).* FROM generate_series(1, 5) AS d) AS k),
          '5/0/[][][]', 'none converted: quantiles NULL');
SELECT is((SELECT format('%s/%s/%s/%s/%s', subjects, conversions, p25_time, median_time, p75_time)
           FROM (SELECT (time_to_convert(7, true)).*) AS k),
          '1/1/7/7/7', 'one subject, converted at 7: every quantile is 7');
SELECT is((SELECT format('%s/%s/[%s]', subjects, conversions, median_time)
           FROM (SELECT (time_to_convert(7, false)).*) AS k),
          '1/0/[]', 'one subject, still open: no median');
SELECT is((SELECT format('%s/%s', p25_time, median_time)
           FROM (SELECT (time_to_convert(d, true)).* FROM (VALUES (0.0::float8), ('-0'), (3)) AS v(d)) AS k),
          '0/0', 'duration 0 and -0 are the same time (S(0) = 1/3)');
-- none converted in either group: no events, no test
SELECT ok(follower_conversions = 0 AND non_follower_conversions = 0 AND follower_median IS NULL
          AND non_follower_median IS NULL AND follower_expected = 0 AND non_follower_expected = 0
          AND hazard_ratio IS NULL AND chi_square IS NULL AND p_value IS NULL,
          'compare, none converted: expected 0, no hazard ratio, no test')
FROM (SELECT (compare_time_to_convert(i % 2 = 0, i, false)).* FROM generate_series(1, 6) AS i) AS c;
-- all converted: followers 1,3,5 vs others 2,4,6 -- E1 = 3/6 + 2/5 + 2/4 + 1/3 + 1/2 + 0 = 67/30,
-- V = 1/4 + 6/25 + 1/4 + 2/9 + 1/4 = 1091/900 (one event each time: (n - d)/(n - 1) = 1)
SELECT ok(follower_median = 3 AND non_follower_median = 4
          AND pg_temp.rel(follower_expected, 67.0 / 30) < 1e-14
          AND pg_temp.rel(chi_square, (3 - 67.0 / 30)^2 / (1091.0 / 900)) < 1e-13,
          'compare, all converted: medians, expected, chi-square (by hand)')
FROM (SELECT (compare_time_to_convert(i % 2 = 1, i, true)).* FROM generate_series(1, 6) AS i) AS c;
-- a group with no subjects: the other group carries every expected event; no test
SELECT ok(followers = 0 AND non_followers = 12 AND follower_conversions = 0 AND follower_median IS NULL
          AND non_follower_median = 23 AND follower_expected = 0 AND non_follower_expected = 11
          AND hazard_ratio IS NULL AND chi_square IS NULL AND p_value IS NULL,
          'compare, no followers: others'' median 23, expected = observed 11, no test')
FROM (SELECT (compare_time_to_convert(follower, duration, converted)).* FROM aml WHERE NOT follower) AS c;
-- one subject: converted at 3, alone at risk -> E1 = 1, V = 0 (n = 1)
SELECT ok(followers = 1 AND non_followers = 0 AND follower_median = 3 AND follower_expected = 1
          AND non_follower_expected = 0 AND chi_square IS NULL AND hazard_ratio IS NULL,
          'compare, one subject')
FROM (SELECT (compare_time_to_convert(true, 3, true)).*) AS c;
-- followers never convert (O1 = 0): hazard ratio 0; exact E1 = 25364609/4144140,
-- chi^2 = 14.336811114160408
SELECT ok(hazard_ratio = 0 AND pg_temp.rel(follower_expected, 25364609.0 / 4144140) < 1e-14
          AND pg_temp.rel(chi_square, 14.336811114160408) < 1e-12,
          'compare: followers who never convert have hazard ratio 0')
FROM (SELECT (compare_time_to_convert(follower, duration, converted AND NOT follower)).* FROM aml) AS c;
SELECT is((SELECT time_to_convert(d, c) FROM (VALUES (1.0::float8, true)) v(d, c) WHERE false), NULL,
          'time_to_convert: no rows -> NULL');
SELECT is((SELECT compare_time_to_convert(f, d, c) FROM (VALUES (NULL::boolean, 1.0::float8, true), (true, NULL, true),
                                                             (true, 2.0, NULL)) v(f, d, c)), NULL,
          'compare: rows with a NULL are skipped (only such rows -> NULL)');
SELECT ok(subjects = 2 AND conversions = 1, 'time_to_convert: rows with a NULL are skipped')
FROM (SELECT (time_to_convert(d, c)).* FROM (VALUES (1.0::float8, true), (NULL, true), (3.0, NULL), (4.0, false)) v(d, c)) AS k;

-- ======================= errors =======================================
SELECT throws_ok($$SELECT time_to_convert('NaN', true)$$, '22023', 'duration must be a finite number, not NaN',
                 'time_to_convert: NaN duration -> 22023');
SELECT throws_ok($$SELECT time_to_convert(-1, false)$$, '22023', 'duration must not be negative, got -1',
                 'time_to_convert: negative duration -> 22023');
SELECT throws_ok($$SELECT time_to_convert('Infinity', false)$$, '22023', NULL,
                 'time_to_convert: infinite duration -> 22023');
SELECT throws_ok($$SELECT compare_time_to_convert(true, 'NaN', true)$$, '22023', NULL,
                 'compare: NaN duration -> 22023');
SELECT throws_ok($$SELECT compare_time_to_convert(false, -0.5, true)$$, '22023', NULL,
                 'compare: negative duration -> 22023');
SELECT throws_ok($$SELECT compare_time_to_convert(true, '-Infinity', false)$$, '22023', NULL,
                 'compare: -Infinity duration -> 22023');

-- ======================= state I/O ====================================
SELECT is((SELECT time_to_convert_transfn(time_to_convert_transfn(time_to_convert_transfn(NULL, 9, true), 2, false), 9, true)::text),
          'time_to_convert:1 2 [ 2 0 1 9 2 0 ]', 'text form: durations sorted, "events censored" each');
SELECT is((SELECT compare_time_to_convert_transfn(compare_time_to_convert_transfn(NULL, true, 4.5, true), false, 4.5, false)::text),
          'compare_time_to_convert:1 1 [ 4.5 1 0 0 1 ]', 'text form: followers'' counts first');
SELECT throws_ok($$SELECT 'time_to_convert:1 2 [ 9 1 0 2 0 1 ]'::time_to_convert_state$$, '22P02', NULL,
                 'durations out of order -> 22P02');
SELECT throws_ok($$SELECT 'time_to_convert:1 2 [ 2 1 0 2 0 1 ]'::time_to_convert_state$$, '22P02', NULL,
                 'a duplicate duration -> 22P02');
SELECT throws_ok($$SELECT 'time_to_convert:1 1 [ 2 0 0 ]'::time_to_convert_state$$, '22P02', NULL,
                 'a duration without subjects -> 22P02');
SELECT throws_ok($$SELECT 'time_to_convert:1 1 [ -2 1 0 ]'::time_to_convert_state$$, '22P02', NULL,
                 'a negative duration -> 22P02');
SELECT throws_ok($$SELECT 'time_to_convert:1 1 [ NaN 1 0 ]'::time_to_convert_state$$, '22P02', NULL,
                 'a NaN duration -> 22P02');
SELECT throws_ok($$SELECT 'time_to_convert:1 1 [ 2 -1 3 ]'::time_to_convert_state$$, '22P02', NULL,
                 'a negative count -> 22P02');
SELECT throws_ok($$SELECT 'time_to_convert:1 2 [ 1 9223372036854775807 0 2 1 0 ]'::time_to_convert_state$$, '22P02', NULL,
                 'counts whose total exceeds 64 bits -> 22P02');
SELECT throws_ok($$SELECT 'time_to_convert:1 3 [ 1 1 0 2 1 0 ]'::time_to_convert_state$$, '22P02', NULL,
                 'a count larger than the entries present -> 22P02');
SELECT throws_ok($$SELECT 'time_to_convert:1 1 [ 2 1 0 0 0 ]'::time_to_convert_state$$, '22P02', NULL,
                 'a compare_time_to_convert entry in a time_to_convert state -> 22P02');
SELECT throws_ok($$SELECT time_to_convert_combinefn('time_to_convert:1 1 [ 1 9223372036854775807 0 ]',
                                                    'time_to_convert:1 1 [ 2 1 0 ]')$$,
                 '22003', NULL, 'a merged count beyond 64 bits -> 22003');
SELECT is(s::text || ' -> ' || time_to_convert_transfn(s, 1, true)::text,
          'time_to_convert:1 1 [ 5 1 0 ] -> time_to_convert:1 2 [ 1 1 0 5 1 0 ]',
          'a direct call leaves its state argument alone')
FROM (SELECT 'time_to_convert:1 1 [ 5 1 0 ]'::time_to_convert_state AS s) AS c;

-- ======================= 12,000 rows: values and plans ================
-- follower = i % 3 = 0; duration = (37 i) % 150 (followers) or % 170; converted when
-- (53 i) % 100 < 65 (followers) or 60.  Exact (fractions): KM medians 96 and 116,
-- E1 = 1939.2135780269573, E0 = 5460.786421973043, HR = 1.525322435901185,
-- chi^2 = 324.2574057988984, p = 1.7122410458991856e-72 (mpmath)
CREATE TABLE surv_big AS
SELECT i, i % 3 = 0 AS follower, ((i * 37) % CASE WHEN i % 3 = 0 THEN 150 ELSE 170 END)::float8 AS duration,
       (i * 53) % 100 < CASE WHEN i % 3 = 0 THEN 65 ELSE 60 END AS converted
FROM generate_series(1, 12000) AS i;
ANALYZE surv_big;
CREATE TEMP TABLE surv_serial AS SELECT (compare_time_to_convert(follower, duration, converted)).* FROM surv_big;
SELECT ok(followers = 4000 AND non_followers = 8000 AND follower_conversions = 2600 AND non_follower_conversions = 4800
          AND follower_median = 96 AND non_follower_median = 116, '12,000 rows: counts and medians') FROM surv_serial;
SELECT ok(pg_temp.rel(follower_expected, 1939.2135780269573) < 1e-13 AND pg_temp.rel(non_follower_expected, 5460.786421973043) < 1e-13
          AND pg_temp.rel(hazard_ratio, 1.525322435901185) < 1e-13, '12,000 rows: expected counts and hazard ratio')
FROM surv_serial;
SELECT ok(pg_temp.rel(chi_square, 324.2574057988984) < 1e-12 AND pg_temp.rel(p_value, 1.7122410458991856e-72) < 1e-10,
          '12,000 rows: chi-square 324.26, p = 1.71e-72 far in the tail (1e-10 relative)') FROM surv_serial;
SELECT is((SELECT string_agg(format('%s:%s/%s/%s', follower, p25_time, median_time, p75_time), ' ' ORDER BY follower)
           FROM (SELECT follower, (time_to_convert(duration, converted)).* FROM surv_big GROUP BY follower) AS k),
          'f:64/116/153 t:48/96/132', '12,000 rows: Kaplan-Meier quartiles per group (exact fractions)');

-- partial states merged through text = one pass
CREATE AGGREGATE pg_temp.cmp_partial(boolean, float8, boolean) (
    SFUNC = compare_time_to_convert_transfn, STYPE = compare_time_to_convert_state);
CREATE AGGREGATE pg_temp.ttc_partial(float8, boolean) (
    SFUNC = time_to_convert_transfn, STYPE = time_to_convert_state);
SELECT is((SELECT row((compare_time_to_convert_finalfn(compare_time_to_convert_combinefn(
                      compare_time_to_convert_combinefn(a::text::compare_time_to_convert_state,
                                                        b::text::compare_time_to_convert_state),
                      c::text::compare_time_to_convert_state))).*)::text
           FROM (SELECT pg_temp.cmp_partial(follower, duration, converted) FILTER (WHERE i % 3 = 0) AS a,
                        pg_temp.cmp_partial(follower, duration, converted) FILTER (WHERE i % 5 = 1 AND i % 3 <> 0) AS b,
                        pg_temp.cmp_partial(follower, duration, converted) FILTER (WHERE i % 5 <> 1 AND i % 3 <> 0) AS c
                 FROM surv_big) AS p),
          (SELECT row(s.*)::text FROM surv_serial AS s),
          'compare: three partial states merged through text = single pass, bit for bit');
SELECT is((SELECT row((time_to_convert_finalfn(time_to_convert_combinefn(a::text::time_to_convert_state,
                                                                         b::text::time_to_convert_state))).*)::text
           FROM (SELECT pg_temp.ttc_partial(duration, converted) FILTER (WHERE i <= 7000) AS a,
                        pg_temp.ttc_partial(duration, converted) FILTER (WHERE i > 7000) AS b
                 FROM surv_big) AS p),
          (SELECT row(k.*)::text FROM (SELECT (time_to_convert(duration, converted)).* FROM surv_big) AS k),
          'time_to_convert: partial states merged through text = single pass');
-- partial states of parallel workers share most durations: merging a state of
-- 1,000 durations with itself adds none, so it needs no larger table
SELECT is(pg_column_size(time_to_convert_combinefn(s, s)), pg_column_size(s),
          'merging states with the same durations does not grow the table')
FROM (SELECT pg_temp.ttc_partial(i, i % 2 = 0) AS s FROM generate_series(1, 1000) i) AS p;
SELECT is(('time_to_convert:1 2 [ 1 1 0 3 0 2 ]'::time_to_convert_state)::text, 'time_to_convert:1 2 [ 1 1 0 3 0 2 ]',
          'text form round-trips');

SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL parallel_leader_participation = off;
SELECT ok(pg_temp.plan_of('SELECT compare_time_to_convert(follower, duration, converted) FROM surv_big') LIKE '%Partial Aggregate%',
          'compare_time_to_convert runs as a parallel partial aggregate');
SELECT is((SELECT row(r.*)::text FROM (SELECT (compare_time_to_convert(follower, duration, converted)).* FROM surv_big) AS r),
          (SELECT row(s.*)::text FROM surv_serial AS s), 'compare: parallel = serial, bit for bit');
SELECT ok(pg_temp.plan_of('SELECT time_to_convert(duration, converted) FROM surv_big') LIKE '%Partial Aggregate%',
          'time_to_convert runs as a parallel partial aggregate');
SELECT is((SELECT row(r.*)::text FROM (SELECT (time_to_convert(duration, converted)).* FROM surv_big) AS r),
          '(12000,7400,60,108,145)', 'time_to_convert in parallel: the quartiles of all 12,000 (exact fractions: 60/108/145)');
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
CREATE TABLE surv_parts (LIKE surv_big) PARTITION BY HASH (i);
CREATE TABLE surv_parts_0 PARTITION OF surv_parts FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE surv_parts_1 PARTITION OF surv_parts FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE surv_parts_2 PARTITION OF surv_parts FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO surv_parts SELECT * FROM surv_big;
ANALYZE surv_parts;
SET LOCAL enable_partitionwise_aggregate = on;
SELECT ok(pg_temp.plan_of('SELECT compare_time_to_convert(follower, duration, converted) FROM surv_parts')
          LIKE '%Partial Aggregate%Partial Aggregate%', 'compare: partial aggregation per partition');
SELECT is((SELECT row(r.*)::text FROM (SELECT (compare_time_to_convert(follower, duration, converted)).* FROM surv_parts) AS r),
          (SELECT row(s.*)::text FROM surv_serial AS s), 'compare: partitionwise = serial, bit for bit');
RESET enable_partitionwise_aggregate;

SELECT * FROM finish();
ROLLBACK;
