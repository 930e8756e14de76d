-- Follower comparisons (doc/compare.md): exact outputs and error messages.
-- Expected values (see test/reference/compare_reference.py): Newcombe 1998
-- Table II method 10, and the AML data with exact rational arithmetic.
\pset null '(null)'

-- Newcombe (a): 56/70 vs 48/80 -> 0.2, 95 % CI 0.0524 .. 0.3339, z 2.6502, p 0.0080
SELECT followers, non_followers, follower_successes, non_follower_successes,
       round(difference::numeric, 4) AS difference, round(lift::numeric, 4) AS lift,
       round(z_statistic::numeric, 4) AS z, round(p_value::numeric, 4) AS p,
       round(ci_low::numeric, 4) AS ci_low, round(ci_high::numeric, 4) AS ci_high
FROM (SELECT (compare_rates(f, s)).*
      FROM (SELECT true, i <= 56 FROM generate_series(1, 70) AS i
            UNION ALL SELECT false, i <= 48 FROM generate_series(1, 80) AS i) AS t(f, s)) AS r;

-- Newcombe (e) 0/10 vs 0/20: pooled rate 0 -> no z-test, no lift; CI -0.1611 .. 0.2775
SELECT follower_rate, non_follower_rate, difference, lift, z_statistic, p_value,
       round(ci_low::numeric, 4) AS ci_low, round(ci_high::numeric, 4) AS ci_high
FROM (SELECT (compare_rates(f, false)).*
      FROM (SELECT i <= 10 FROM generate_series(1, 30) AS i) AS t(f)) AS r;

-- one group empty
SELECT (compare_rates(true, s)).*
FROM (VALUES (true), (false), (true), (NULL)) AS t(s);

-- errors
SELECT compare_rates(true, true, 1.5);
SELECT compare_rates(f, true, c) FROM (VALUES (true, 0.9), (false, 0.8)) AS t(f, c);

-- AML (doc/compare.md): medians 31 and 23, expected 10.69 and 7.31 (observed 7
-- and 11), chi-square 3.396, p 0.0653, hazard ratio 0.4352
SELECT followers, non_followers, follower_conversions, non_follower_conversions,
       follower_median, non_follower_median,
       round(follower_expected::numeric, 2) AS e1, round(non_follower_expected::numeric, 2) AS e0,
       round(hazard_ratio::numeric, 4) AS hr, round(chi_square::numeric, 3) AS chi2,
       round(p_value::numeric, 4) AS p
FROM (SELECT (compare_time_to_convert(m, rtrim(w, '+')::float8, w NOT LIKE '%+')).*
      FROM (SELECT true, unnest('{9,13,13+,18,23,28+,31,34,45+,48,161+}'::text[])
            UNION ALL
            SELECT false, unnest('{5,5,8,8,12,16+,23,27,30,33,43,45}'::text[])) AS aml(m, w)) AS r;

-- Kaplan-Meier quartiles: all converted, none converted, one subject
SELECT (time_to_convert(d, true)).* FROM generate_series(1, 4) AS d;
SELECT (time_to_convert(d, false)).* FROM generate_series(1, 4) AS d;
SELECT (time_to_convert(2.5, true)).*;

-- states: sorted durations, exact floats
SELECT time_to_convert_transfn(time_to_convert_transfn(time_to_convert_transfn(NULL, 0.1, true), 3, false), 0.1, false);
SELECT compare_time_to_convert_transfn(compare_time_to_convert_transfn(NULL, false, 7, true), true, 7, false);
SELECT compare_rates_transfn(NULL, false, true, 0.8);

-- errors
SELECT time_to_convert('NaN', true);
SELECT time_to_convert(-3, false);
SELECT compare_time_to_convert(true, 'Infinity', false);
SELECT 'time_to_convert:1 2 [ 3 1 0 3 0 1 ]'::time_to_convert_state;
SELECT 'compare_time_to_convert:1 1 [ 3 0 0 0 0 ]'::compare_time_to_convert_state;
SELECT 'compare_rates:1 0.95 | 2 3 | 0 0'::compare_rates_state;
