-- CLV (doc/clv.md): formula CLV, clv_compare, customer_summary,
-- BG/NBD and Gamma-Gamma on the CDNOW sample, edge cases and error messages.
-- Expected numbers are worked by hand or published (Fader, Hardie & Lee
-- 2005) and noted beside each query; test/reference/clv_reference.py
-- recomputes the fits independently with scipy.
SET extra_float_digits = 0;

-- ---------- formula CLV ----------
SELECT clv(70, 3, 3, 0.3) AS seed_example;            -- 70 * 3 * 3 * 0.3 = 189
SELECT clv(100, 2, 2, 1, 0.1) AS two_years_10pct;     -- 200 * (1/1.1 + 1/1.21) = 347.107438016529
SELECT round(clv(100, 2, 2.5, 1, 0.1)::numeric, 6) AS fractional;
                                                      -- 200 * (1 - 1.1^-2.5) / 0.1 = 424.028778
SELECT clv(80, 1.5, 0) AS no_lifespan,                -- 0
       clv(80, 1.5, 4, -0.1) AS loss_maker;           -- -0.1 * 80 * 1.5 * 4 = -48
SELECT clv('NaN', 3, 3);
SELECT clv(70, -1, 3);
SELECT clv(70, 3, 'Infinity');
SELECT clv(70, 3, 3, 1, -1);

-- ---------- clv_compare ----------
-- doc/clv.md check vector: (20.3, 22.1, 21.9) vs (18.9, 20.3, 19):
-- means 21.4333 / 19.4, t = 2.79887195322, df = 3.79990, p = 0.0518073603,
-- 95 % CI (-0.0262943467, 4.0929610133); lift = 2.0333 / 19.4 = 0.104811
SELECT followers, non_followers,
       round(follower_mean::numeric, 10) AS f_mean, round(non_follower_mean::numeric, 10) AS nf_mean,
       round(difference::numeric, 10) AS diff, round(lift::numeric, 10) AS lift,
       round(t_statistic::numeric, 10) AS t, round(degrees_of_freedom::numeric, 10) AS df,
       round(p_value::numeric, 10) AS p, round(ci_low::numeric, 10) AS ci_low,
       round(ci_high::numeric, 10) AS ci_high
FROM (SELECT (clv_compare(f, v)).*
      FROM (VALUES (true, 20.3), (true, 22.1), (true, 21.9),
                   (false, 18.9), (false, 20.3), (false, 19)) AS x(f, v)) AS s;
-- a group of one: means and difference, no standard deviation or test
SELECT followers, non_followers, follower_mean, non_follower_mean, follower_stddev,
       non_follower_stddev, difference, t_statistic IS NULL AS no_t, p_value IS NULL AS no_p
FROM (SELECT (clv_compare(f, v)).* FROM (VALUES (true, 5.0), (false, 3.0), (false, 4.0)) AS x(f, v)) AS s;
-- an empty group: everything that needs it is NULL
SELECT followers, non_followers, follower_mean, non_follower_mean, difference, lift
FROM (SELECT (clv_compare(f, v)).* FROM (VALUES (true, 5.0), (true, 7.0)) AS x(f, v)) AS s;
-- identical values in both groups: zero variance, no test, no division by zero
SELECT follower_stddev, non_follower_stddev, difference, lift, t_statistic, degrees_of_freedom,
       p_value, ci_low, ci_high
FROM (SELECT (clv_compare(f, 2.5)).* FROM (VALUES (true), (true), (false), (false)) AS x(f)) AS s;
-- zero variance in one group only: df = n - 1 of the other group (3 - 1 = 2)
SELECT degrees_of_freedom, round(t_statistic::numeric, 10) AS t
FROM (SELECT (clv_compare(f, v)).* FROM (VALUES (true, 1.0), (true, 2.0), (true, 3.0),
                                                (false, 0.0), (false, 0.0)) AS x(f, v)) AS s;
-- t = 2 / sqrt(1/3) = 3.4641016151
-- NULL inputs are skipped; no rows at all gives NULL
SELECT followers, non_followers FROM (SELECT (clv_compare(f, v)).*
    FROM (VALUES (true, 1.0), (NULL, 2.0), (false, NULL), (false, 4.0)) AS x(f, v)) AS s;
SELECT clv_compare(true, v) IS NULL AS no_rows FROM (SELECT 1.0::float8 AS v WHERE false) AS s;
-- lift is NULL when the non-follower mean is 0
SELECT difference, lift FROM (SELECT (clv_compare(f, v)).*
    FROM (VALUES (true, 1.0), (false, -1.0), (false, 1.0)) AS x(f, v)) AS s;
-- errors
SELECT clv_compare(true, 'NaN'::float8);
SELECT clv_compare(f, v) FROM (VALUES (true, 1.0), (false, '-Infinity'::float8)) AS x(f, v);
SELECT clv_compare(true, 1.0, 1.0);
SELECT clv_compare(true, 1.0, 0);
SELECT clv_compare(f, 1.0, c) FROM (VALUES (true, 0.95), (false, 0.9)) AS x(f, c);

-- ---------- CDNOW: the published data ----------
CREATE TEMP TABLE cdnow_raw (line text);
\copy cdnow_raw FROM 'test/data/CDNOW_sample.txt'
-- columns: master_id sample_id yyyymmdd number_of_cds dollars
CREATE TEMP TABLE cdnow_orders AS
SELECT split_part(l, ' ', 2)::int AS id, to_date(split_part(l, ' ', 3), 'YYYYMMDD') AS day,
       split_part(l, ' ', 5)::float8 AS dollars
FROM (SELECT btrim(regexp_replace(line, '\s+', ' ', 'g')) AS l FROM cdnow_raw) AS s;
CREATE TEMP TABLE cdnow_ref (id int, x float8, t_x float8, t float8, zbar float8);
\copy cdnow_ref FROM 'test/data/cdnow_customers_summary_with_transactions.csv' CSV HEADER
CREATE TEMP TABLE cdnow_summary (id int, frequency float8, recency float8, t float8);
\copy cdnow_summary FROM 'test/data/cdnow_customers_summary.csv' CSV HEADER
SELECT count(*) AS orders, count(DISTINCT id) AS customers FROM cdnow_orders; -- 6919, 2357

-- the 39-week calibration summary, rebuilt from the orders
CREATE TEMP TABLE cdnow_rfm AS
SELECT id, (customer_summary(day, dollars, '1997-09-30', '7 days')).*
FROM cdnow_orders WHERE day <= '1997-09-30' GROUP BY id;
-- every customer of the published summary, every value to 2 decimals: no mismatch
SELECT count(*) AS customers,
       count(*) FILTER (WHERE m.id IS NULL
                        OR round(m.frequency::numeric, 2) <> round(r.x::numeric, 2)
                        OR round(m.recency::numeric, 2) <> round(r.t_x::numeric, 2)
                        OR round(m.t::numeric, 2) <> round(r.t::numeric, 2)
                        OR round(m.monetary_value::numeric, 2) <> round(r.zbar::numeric, 2)) AS mismatches
FROM cdnow_ref AS r LEFT JOIN cdnow_rfm AS m USING (id);
-- customer 1: orders 1997-01-01 29.33, 01-18 29.73, 08-02 14.96 (and 12-12, after the end):
-- x = 2, t_x = 213/7 = 30.43, T = 272/7 = 38.86, zbar = (29.73 + 14.96)/2 = 22.345
SELECT frequency, round(recency::numeric, 6) AS recency, round(t::numeric, 6) AS t,
       monetary_value, orders, total
FROM cdnow_rfm WHERE id = 1;

-- BG/NBD, FHL 2005: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4
CREATE TEMP TABLE cdnow_bg AS
SELECT bgnbd_fit(frequency, recency, t) AS m FROM cdnow_summary;
SELECT round((m).r::numeric, 3) AS r, round((m).alpha::numeric, 3) AS alpha,
       round((m).a::numeric, 3) AS a, round((m).b::numeric, 3) AS b,
       round((m).log_likelihood::numeric, 1) AS ll, (m).customers
FROM cdnow_bg;
-- the same from the summaries rebuilt from the orders (exact days / 7)
SELECT round(r::numeric, 3) AS r, round(alpha::numeric, 3) AS alpha, round(a::numeric, 3) AS a,
       round(b::numeric, 3) AS b, round(log_likelihood::numeric, 1) AS ll
FROM (SELECT (bgnbd_fit(frequency, recency, t)).* FROM cdnow_rfm) AS s;
-- E[X(1)] = 0.0532, E[X(78)] = 1.8576 (published; +-1e-3), customer 1: E[Y(39)] = 1.226
SELECT round(bgnbd_expected_purchases(m, 1)::numeric, 4) AS ex1,
       abs(bgnbd_expected_purchases(m, 78) - 1.8576) < 1e-3 AS ex78_within_1e3,
       round(bgnbd_conditional_purchases(m, 39, 2, 30.43, 38.86)::numeric, 3) AS customer1,
       round(bgnbd_p_alive(m, 2, 30.43, 38.86)::numeric, 4) AS customer1_alive
FROM cdnow_bg;
-- Gamma-Gamma on the 946 repeat buyers (exact mean spends): p = 6.25, q = 3.74, v = 15.44
SELECT round(p::numeric, 2) AS p, round(q::numeric, 2) AS q, round(v::numeric, 2) AS v, customers
FROM (SELECT (gamma_gamma_fit(frequency, monetary_value)).* FROM cdnow_rfm) AS s;

-- ---------- customer_summary edge cases ----------
-- one order: frequency 0, recency 0, monetary value 0; T = 10 days
SELECT (customer_summary(o, 12.5, '2024-01-11')).*
FROM (VALUES ('2024-01-01 10:00'::timestamptz)) AS x(o);
-- orders on the same day merge: one purchase period of 30 + 5, then 20 three days later
SELECT (customer_summary(o, a, '2024-01-10')).*
FROM (VALUES ('2024-01-01 09:00'::timestamptz, 30.0), ('2024-01-01 18:30', 5.0),
             ('2024-01-04 12:00', 20.0)) AS x(o, a);
-- the same in hours: periods are whole local hours, 09:00 -> hour 9, 18:30 -> hour 18,
-- 01-04 12:00 -> hour 72 + 12 = 84: frequency 2, recency 84 - 9 = 75, T = 9 * 24 - 9 = 207,
-- monetary value (5 + 20) / 2 = 12.5
SELECT (customer_summary(o, a, '2024-01-10', '1 hour')).*
FROM (VALUES ('2024-01-01 09:00'::timestamptz, 30.0), ('2024-01-01 18:30', 5.0),
             ('2024-01-04 12:00', 20.0)) AS x(o, a);
-- orders in any order give the same summary; a month unit counts 365.25/12 days
SELECT frequency, recency, round(t::numeric, 6) AS t, monetary_value
FROM (SELECT (customer_summary(o, 10, '2024-03-01', '1 month')).*
      FROM (VALUES ('2024-02-01'::timestamptz), ('2024-01-01'), ('2024-01-16')) AS x(o)) AS s;
-- recency = 31 days / 30.4375 = 1.018480, T = 60 / 30.4375 = 1.971253
-- errors
SELECT customer_summary('2024-02-01', 10, '2024-01-31');
SELECT customer_summary('2024-01-01', 10, '2024-01-31', '0 days');
SELECT customer_summary('2024-01-01', 10, '2024-01-31', '-1 day');
SELECT customer_summary('2024-01-01', -10, '2024-01-31');
SELECT customer_summary('2024-01-01', 'NaN', '2024-01-31');
SELECT customer_summary('infinity', 10, '2024-01-31');
SELECT customer_summary(o, 10, e) FROM (VALUES ('2024-01-01'::timestamptz, '2024-01-31'::timestamptz),
                                               ('2024-01-02', '2024-02-29')) AS x(o, e);

-- ---------- model errors ----------
SELECT bgnbd_fit(f, r, t) FROM (VALUES (0.0, 0.0, 10.0), (0.0, 0.0, 20.0), (0.0, 0.0, 30.0)) AS x(f, r, t);
SELECT bgnbd_fit(f, r, t) FROM (VALUES (1.0, 2.0, 10.0), (0.0, 0.0, 20.0)) AS x(f, r, t);
-- nobody ever drops out (every last purchase at the end): the optimum is on the boundary
-- (terse: the detail holds the last estimate, whose digits depend on the platform's libm)
\set VERBOSITY terse
SELECT bgnbd_fit(f, r, t) FROM (VALUES (1.0, 10.0, 10.0), (2.0, 20.0, 20.0), (3.0, 30.0, 30.0), (1, 5, 5)) AS x(f, r, t);
\set VERBOSITY default
SELECT bgnbd_fit(1.5, 2, 10);
SELECT bgnbd_fit(1, 12, 10);
SELECT bgnbd_fit(0, 3, 10);
SELECT bgnbd_fit(1, 'NaN', 10);
SELECT bgnbd_fit(1, 2, 10, -1);
SELECT gamma_gamma_fit(2, 0);
SELECT gamma_gamma_fit(f, m) FROM (VALUES (0.0, 0.0), (0.0, 5.0)) AS x(f, m);
SELECT bgnbd_expected_purchases(ROW(0.243, -4.414, 0.793, 2.426, NULL, NULL, NULL, NULL, NULL, NULL)::bgnbd_model, 10);
SELECT bgnbd_expected_purchases(ROW(0.243, NULL, 0.793, 2.426, NULL, NULL, NULL, NULL, NULL, NULL)::bgnbd_model, 10);
SELECT bgnbd_expected_purchases(ROW(0.243, 4.414, 0.793, 2.426, NULL, NULL, NULL, NULL, NULL, NULL)::bgnbd_model, -1);
SELECT predicted_clv(ROW(0.243, 4.414, 0.793, 2.426, NULL, NULL, NULL, NULL, NULL, NULL)::bgnbd_model,
                     ROW(6.25, 3.74, 15.44, NULL, NULL, NULL, NULL, NULL)::gamma_gamma_model, 2, 30, 38, 20, 12, 0.01, 0);
SELECT gamma_gamma_expected_spend(ROW(6.25, 0.5, 15.44, NULL, NULL, NULL, NULL, NULL)::gamma_gamma_model, 0, 0);

-- ---------- states: text form, binary round trip, crafted input ----------
SELECT clv_compare_transfn(clv_compare_transfn(NULL, true, 3), false, 1.5)::text;
SELECT customer_summary_transfn(NULL, '2000-01-03 12:00+00', 9.5, '2000-01-10 00:00+00')::text;
SELECT bgnbd_fit_transfn(bgnbd_fit_transfn(NULL, 1, 2, 3), 0, 0, 5)::text;
SELECT gamma_gamma_fit_transfn(gamma_gamma_fit_transfn(NULL, 0, 0), 2, 7.25)::text;
CREATE TEMP TABLE states AS
SELECT clv_compare_transfn(clv_compare_transfn(NULL, true, 3), false, 1.5) AS c,
       customer_summary_transfn(NULL, '2000-01-03 12:00+00', 9.5, '2000-01-10 00:00+00') AS s,
       bgnbd_fit_transfn(bgnbd_fit_transfn(NULL, 1, 2, 3), 0, 0, 5) AS b,
       gamma_gamma_fit_transfn(NULL, 2, 7.25) AS g;
\copy states TO 'results/clv_states.bin' (FORMAT binary)
CREATE TEMP TABLE states_back (LIKE states);
\copy states_back FROM 'results/clv_states.bin' (FORMAT binary)
SELECT a.c::text = b.c::text AND a.s::text = b.s::text AND a.b::text = b.b::text
       AND a.g::text = b.g::text AS binary_round_trip
FROM states AS a, states_back AS b;
SELECT 'clv_compare:1 1.5 | 1 3 0 | 0 0 0'::clv_compare_state;
SELECT 'clv_compare:1 0.95 | 1 3 0.5 | 0 0 0'::clv_compare_state;
SELECT 'clv_compare:1 0.95 | -1 3 0 | 0 0 0'::clv_compare_state;
SELECT 'clv_compare:1 0.95 | 1 3 0'::clv_compare_state;
SELECT 'customer_summary:2 0 0 1 0 0 2 10 2 [ -5 1 -5 9 ]'::customer_summary_state;
-- a period before any timestamp (recency would be 9.2e18 days)
SELECT 'customer_summary:2 0 0 1 0 0 2 1 2 [ -9223372036854775808 1 -5 1 ]'::customer_summary_state;
SELECT 'customer_summary:2 0 0 0 0 0 1 10 1 [ 5 10 ]'::customer_summary_state;
SELECT 'customer_summary:2 0 0 1 0 0 1 10 2 [ 5 1 6 9 ]'::customer_summary_state;
SELECT 'bgnbd_fit:2 0 -1 1 [ 0 1 5 1 ]'::bgnbd_fit_state;
SELECT 'bgnbd_fit:2 0 -1 2 [ 1 2 3 1 1 2 3 4 ]'::bgnbd_fit_state;
SELECT 'bgnbd_fit:2 0 -1 99 [ 1 2 3 1 ]'::bgnbd_fit_state;
SELECT 'bgnbd_fit:2 0 -1 1 [ 1 2 3 0 ]'::bgnbd_fit_state;
SELECT 'bgnbd_fit:2 0 -1 1 [ 1 2 NaN 1 ]'::bgnbd_fit_state;
SELECT 'gamma_gamma_fit:2 0 -1 1 [ 2 -1 1 ]'::gamma_gamma_fit_state;
SELECT 'gamma_gamma_fit:2 0 -1 1 [ 2 3 1 ] x'::gamma_gamma_fit_state;
