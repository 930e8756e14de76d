-- pgTAP: CLV aggregates and predictions -- values against independent
-- computations, and the same answer serially, in parallel, over partitions
-- and after merging partial states through their text form.
--
-- Independent values come from test/reference/clv_reference.py (scipy and
-- mpmath on /usr/bin/python3, not the extension's code): it refits BG/NBD
-- and Gamma-Gamma with scipy.optimize (Nelder-Mead, then BFGS), evaluates
-- FHL 2005 eq. 9/10 with mpmath's exact 2F1, and runs scipy.stats.ttest_ind
-- (equal_var=False) on the deterministic Welch sample built below.
BEGIN;
\ir lib/helpers.psql
SELECT plan(72);

-- ======================= clv_compare ==================================
-- doc/clv.md check vector
CREATE TEMP TABLE welch3 AS
SELECT (clv_compare(f, v)).*
FROM (VALUES (true, 20.3), (true, 22.1), (true, 21.9),
             (false, 18.9), (false, 20.3), (false, 19)) AS x(f, v);
SELECT ok(pg_temp.rel(t_statistic, 2.7988719532211235) < 1e-9, 'Welch t of the check vector (1e-9)') FROM welch3;
-- df: (v1 + v0)^2 / (v1^2/2 + v0^2/2) with v = s^2/3 = 3.7999040024252 (numpy)
SELECT ok(pg_temp.rel(degrees_of_freedom, 3.7999040024252033) < 1e-9, 'Welch-Satterthwaite df') FROM welch3;
SELECT ok(pg_temp.rel(p_value, 0.051807360348581945) < 1e-9, 'two-sided p of the check vector') FROM welch3;
SELECT ok(pg_temp.rel(ci_low, -0.026294346671631885) < 1e-9
          AND pg_temp.rel(ci_high, 4.092961013338302) < 1e-9, '95 % CI of the check vector') FROM welch3;
SELECT ok(pg_temp.rel(follower_stddev, 0.9865765724632493) < 1e-12
          AND pg_temp.rel(non_follower_stddev, 0.7810249675906663) < 1e-12, 'sample standard deviations') FROM welch3;

-- 3,000 followers and 2,000 others, deterministic values (libm sin/cos as in numpy);
-- scipy.stats.ttest_ind(equal_var=False): t = 13.16790652708132, p = 6.238886414824318e-39,
-- df = 4834.416042547978; 90 % CI by stats.t.ppf(0.95, df): (10.517618630961922, 13.5209429085356)
CREATE TABLE welch_big AS
SELECT true AS follower, i, 100 + 50 * sin(i) + (i % 17) AS v FROM generate_series(1, 3000) AS i
UNION ALL
SELECT false, i, 90 + 40 * cos(i) + (i % 13) FROM generate_series(1, 2000) AS i;
ANALYZE welch_big;
CREATE TEMP TABLE welch_big_serial AS SELECT (clv_compare(follower, v, 0.9)).* FROM welch_big;
SELECT is(followers, 3000::int8, '3000 followers') FROM welch_big_serial;
SELECT ok(pg_temp.rel(follower_mean, 108.02263043319316) < 1e-12
          AND pg_temp.rel(non_follower_mean, 96.0033496634444) < 1e-12
          AND pg_temp.rel(follower_stddev, 35.70060402352816) < 1e-10
          AND pg_temp.rel(non_follower_stddev, 28.576430303428562) < 1e-10,
          'means and standard deviations of 5,000 values (numpy)') FROM welch_big_serial;
SELECT ok(pg_temp.rel(t_statistic, 13.16790652708132) < 1e-9
          AND pg_temp.rel(degrees_of_freedom, 4834.416042547978) < 1e-9,
          'Welch t and df for n in the thousands (scipy)') FROM welch_big_serial;
SELECT ok(pg_temp.rel(p_value, 6.238886414824318e-39) < 1e-9, 'p = 6.24e-39 to 1e-9 relative (scipy)')
FROM welch_big_serial;
SELECT ok(pg_temp.rel(ci_low, 10.517618630961922) < 1e-9 AND pg_temp.rel(ci_high, 13.5209429085356) < 1e-9,
          '90 % confidence interval (scipy)') FROM welch_big_serial;

-- partial states merged through text = one pass
CREATE AGGREGATE pg_temp.clv_compare_partial(boolean, float8, float8) (
    SFUNC = clv_compare_transfn, STYPE = clv_compare_state);
SELECT ok((SELECT pg_temp.rel(m.t_statistic, s.t_statistic) < 1e-12
                  AND pg_temp.rel(m.ci_low, s.ci_low) < 1e-12
                  AND m.followers = s.followers AND m.non_followers = s.non_followers
           FROM welch_big_serial AS s,
                (SELECT (clv_compare_finalfn(clv_compare_combinefn(a::text::clv_compare_state,
                                                                   b::text::clv_compare_state))).*
                 FROM (SELECT pg_temp.clv_compare_partial(follower, v, 0.9) FILTER (WHERE i % 3 = 0) AS a,
                              pg_temp.clv_compare_partial(follower, v, 0.9) FILTER (WHERE i % 3 <> 0) AS b
                       FROM welch_big) AS p) AS m),
          'clv_compare: partial states merged through text give the single-pass result');
SELECT throws_ok($$SELECT clv_compare_combinefn(clv_compare_transfn(NULL, true, 1, 0.9),
                                                clv_compare_transfn(NULL, true, 1, 0.95))$$,
                 '22023', NULL, 'merging states of different confidence levels is an error');

-- ======================= parallel plans ===============================
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL parallel_leader_participation = off;
SELECT ok(pg_temp.plan_of('SELECT clv_compare(follower, v, 0.9) FROM welch_big') LIKE '%Partial Aggregate%',
          'clv_compare runs as a parallel partial aggregate');
CREATE TABLE welch_big_parallel AS SELECT (clv_compare(follower, v, 0.9)).* FROM welch_big;
SELECT ok((SELECT pg_temp.rel(p.t_statistic, s.t_statistic) < 1e-12
                  AND pg_temp.rel(p.p_value, s.p_value) < 1e-9
                  AND pg_temp.rel(p.follower_stddev, s.follower_stddev) < 1e-12
           FROM welch_big_serial AS s, welch_big_parallel AS p),
          'clv_compare: parallel = serial');
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
-- partitionwise
CREATE TABLE welch_parts (follower boolean, i int, v float8) PARTITION BY LIST (follower);
CREATE TABLE welch_parts_f PARTITION OF welch_parts FOR VALUES IN (false);
CREATE TABLE welch_parts_t PARTITION OF welch_parts FOR VALUES IN (true);
INSERT INTO welch_parts SELECT follower, i, v FROM welch_big;
ANALYZE welch_parts;
SET LOCAL enable_partitionwise_aggregate = on;
SELECT ok(pg_temp.plan_of('SELECT clv_compare(follower, v, 0.9) FROM welch_parts') LIKE '%Partial Aggregate%',
          'clv_compare aggregates partitions separately (partitionwise)');
CREATE TABLE welch_big_parts AS SELECT (clv_compare(follower, v, 0.9)).* FROM welch_parts;
SELECT ok((SELECT pg_temp.rel(p.t_statistic, s.t_statistic) < 1e-12
                  AND pg_temp.rel(p.degrees_of_freedom, s.degrees_of_freedom) < 1e-12
                  AND pg_temp.rel(p.ci_high, s.ci_high) < 1e-12
           FROM welch_big_serial AS s, welch_big_parts AS p),
          'clv_compare: partitionwise = serial');
RESET enable_partitionwise_aggregate;

-- ======================= CDNOW data ===================================
CREATE TEMP TABLE cdnow_raw (line text);
\copy cdnow_raw FROM 'test/data/CDNOW_sample.txt'
CREATE TABLE cdnow_orders AS
SELECT row_number() OVER () AS n, split_part(l, ' ', 2)::int AS id,
       to_date(split_part(l, ' ', 3), 'YYYYMMDD') AS day, split_part(l, ' ', 5)::float8 AS dollars
FROM (SELECT btrim(regexp_replace(line, '\s+', ' ', 'g')) AS l FROM cdnow_raw) AS s;
CREATE TABLE cdnow_summary (id int, frequency float8, recency float8, t float8);
\copy cdnow_summary FROM 'test/data/cdnow_customers_summary.csv' CSV HEADER
ANALYZE cdnow_orders;
ANALYZE cdnow_summary;

-- ======================= customer_summary =============================
CREATE TABLE rfm_serial AS
SELECT id, (customer_summary(day, dollars, '1997-09-30', '7 days')).*
FROM cdnow_orders WHERE day <= '1997-09-30' GROUP BY id;
-- independent SQL for the same definitions: distinct days, first day, repeat-day spend
CREATE TEMP TABLE rfm_sql AS
WITH days AS (
    SELECT id, day, sum(dollars) AS spend, min(day) OVER (PARTITION BY id) AS first_day
    FROM cdnow_orders WHERE day <= '1997-09-30' GROUP BY id, day
)
SELECT id, count(*) - 1 AS frequency, (max(day) - min(day)) / 7.0 AS recency,
       ('1997-09-30'::date - min(day)) / 7.0 AS t,
       coalesce(sum(spend) FILTER (WHERE day > first_day) / nullif(count(*) - 1, 0), 0) AS monetary_value
FROM days GROUP BY id;
SELECT is((SELECT count(*) FROM rfm_sql AS q JOIN rfm_serial AS s USING (id)
           WHERE s.frequency = q.frequency AND abs(s.recency - q.recency) < 1e-12
             AND abs(s.t - q.t) < 1e-12 AND abs(s.monetary_value - q.monetary_value) < 1e-9),
          2357::int8, 'customer_summary = the same definitions in plain SQL, all 2357 customers');
SELECT is((SELECT count(*) FROM rfm_serial AS s
           JOIN (SELECT id, (customer_summary(day, dollars, '1997-09-30', '7 days' ORDER BY day DESC, n)).*
                 FROM cdnow_orders WHERE day <= '1997-09-30' GROUP BY id) AS r USING (id)
           WHERE (s.frequency, s.recency, s.t, s.orders) = (r.frequency, r.recency, r.t, r.orders)
             AND pg_temp.rel(r.monetary_value, s.monetary_value) < 1e-12),
          2357::int8, 'customer_summary: orders in reverse time order give the same summaries');
-- one customer with 20,000 orders on 2,000 distinct days, fed in a scrambled order
CREATE TEMP TABLE many_orders AS
SELECT timestamptz '2020-01-01 08:00' + ((i * 7919) % 2000) * interval '1 day' + (i % 5) * interval '1 hour' AS o,
       (i % 97)::float8 AS a
FROM generate_series(1, 20000) AS i;
SELECT ok((SELECT s.frequency = 1999 AND s.recency = 1999 AND s.t = 2000 AND s.orders = 20000
                  AND pg_temp.rel(s.total, (SELECT sum(a) FROM many_orders)) < 1e-12
                  AND pg_temp.rel(s.monetary_value,
                                  (SELECT sum(a) / 1999 FROM many_orders WHERE o >= '2020-01-02')) < 1e-12
           FROM (SELECT (customer_summary(o, a, '2025-06-23 08:00', '1 day')).* FROM many_orders) AS s),
          '20,000 scrambled orders on 2,000 days: frequency 1999, recency 1999, t 2000');
-- partial states through text
CREATE AGGREGATE pg_temp.summary_partial(timestamptz, float8, timestamptz, interval) (
    SFUNC = customer_summary_transfn, STYPE = customer_summary_state);
SELECT is((SELECT count(*) FROM rfm_serial AS s JOIN (
               SELECT id, (customer_summary_finalfn(customer_summary_combinefn(a::text::customer_summary_state,
                                                                               b::text::customer_summary_state))).*
               FROM (SELECT id,
                            pg_temp.summary_partial(day, dollars, '1997-09-30', '7 days') FILTER (WHERE n % 2 = 0) AS a,
                            pg_temp.summary_partial(day, dollars, '1997-09-30', '7 days') FILTER (WHERE n % 2 = 1) AS b
                     FROM cdnow_orders WHERE day <= '1997-09-30' GROUP BY id) AS p
               WHERE a IS NOT NULL AND b IS NOT NULL) AS m USING (id)
           WHERE (s.frequency, s.recency, s.t, s.orders) = (m.frequency, m.recency, m.t, m.orders)
             AND pg_temp.rel(m.monetary_value, s.monetary_value) < 1e-12
             AND pg_temp.rel(m.total, s.total) < 1e-12),
          (SELECT count(*) FROM (SELECT id FROM cdnow_orders WHERE day <= '1997-09-30' GROUP BY id
                                 HAVING count(*) FILTER (WHERE n % 2 = 0) > 0
                                    AND count(*) FILTER (WHERE n % 2 = 1) > 0) AS c),
          'customer_summary: split orders merged through text = single pass, every customer');
SELECT throws_ok($$SELECT customer_summary_combinefn(
                     customer_summary_transfn(NULL, '2020-01-01', 1, '2020-02-01', '1 day'),
                     customer_summary_transfn(NULL, '2020-01-01', 1, '2020-02-01', '7 days'))$$,
                 '22023', NULL, 'merging summaries with different units is an error');

-- ======================= BG/NBD fit ===================================
CREATE TEMP TABLE bg_serial AS SELECT (bgnbd_fit(frequency, recency, t)).* FROM cdnow_summary;
-- scipy.optimize on FHL 2005 eq. 6: r = 0.2425929041595354, alpha = 4.413531521226014,
-- a = 0.7928862268638269, b = 2.425754005716127, LL = -9582.42556056736
SELECT ok(pg_temp.rel(r, 0.2425929041595354) < 1e-5 AND pg_temp.rel(alpha, 4.413531521226014) < 1e-5
          AND pg_temp.rel(a, 0.7928862268638269) < 1e-5 AND pg_temp.rel(b, 2.425754005716127) < 1e-5,
          'BG/NBD CDNOW parameters = an independent scipy fit (1e-5)') FROM bg_serial;
SELECT ok(abs(log_likelihood - (-9582.42556056736)) < 1e-6, 'BG/NBD log-likelihood -9582.4256 (scipy)') FROM bg_serial;
SELECT ok(round(r::numeric, 3) = 0.243 AND round(alpha::numeric, 3) = 4.414 AND round(a::numeric, 3) = 0.793
          AND round(b::numeric, 3) = 2.426 AND round(log_likelihood::numeric, 1) = -9582.4,
          'BG/NBD matches FHL 2005 to the printed digits') FROM bg_serial;
SELECT is(customers, 2357::float8, 'customers fitted') FROM bg_serial;
SELECT ok((SELECT row(g.*)::text = row(s.*)::text
           FROM bg_serial AS s,
                (SELECT (bgnbd_fit(frequency, recency, t, n)).*
                 FROM (SELECT frequency, recency, t, count(*)::float8 AS n FROM cdnow_summary GROUP BY 1, 2, 3) AS p) AS g),
          'BG/NBD: GROUP BY patterns with customer counts = row-level input, bit for bit');
SELECT ok((SELECT pg_temp.rel(w.r, s.r) < 1e-9 AND pg_temp.rel(w.b, s.b) < 1e-9
                  AND pg_temp.rel(w.log_likelihood, 2 * s.log_likelihood) < 1e-12 AND w.customers = 4714
           FROM bg_serial AS s, (SELECT (bgnbd_fit(frequency, recency, t, 2)).* FROM cdnow_summary) AS w),
          'BG/NBD: doubling every weight keeps the estimates and doubles the log-likelihood');
-- the unit of time: with t_x, T and alpha scaled by c, each customer's likelihood
-- (FHL 2005 eq. 6) gains the factor c^-x, so the estimates are r, c alpha, a, b and
-- LL - ln(c) sum(x).  Weeks -> 1e-7 weeks; and weights of 1e-50 scale LL only.
SELECT ok((SELECT pg_temp.rel(u.r, s.r) < 1e-5 AND pg_temp.rel(u.alpha, 1e7 * s.alpha) < 1e-5
                  AND pg_temp.rel(u.a, s.a) < 1e-5 AND pg_temp.rel(u.b, s.b) < 1e-5
                  AND abs(u.log_likelihood - (s.log_likelihood - ln(1e7) * x.sum_x)) < 1e-5
           FROM bg_serial AS s, (SELECT sum(frequency) AS sum_x FROM cdnow_summary) AS x,
                (SELECT (bgnbd_fit(frequency, recency * 1e7, t * 1e7)).* FROM cdnow_summary) AS u),
          'BG/NBD: times in a 1e7 times smaller unit give alpha x 1e7, the same r, a, b');
SELECT ok((SELECT pg_temp.rel(w.r, s.r) < 1e-9 AND pg_temp.rel(w.alpha, s.alpha) < 1e-9
                  AND pg_temp.rel(w.log_likelihood, 1e-50 * s.log_likelihood) < 1e-9
           FROM bg_serial AS s, (SELECT (bgnbd_fit(frequency, recency, t, 1e-50)).* FROM cdnow_summary) AS w),
          'BG/NBD: weights of 1e-50 keep the estimates');
SELECT ok((SELECT row(z.*)::text = row(s.*)::text
           FROM bg_serial AS s,
                (SELECT (bgnbd_fit(frequency, recency, t, CASE WHEN id > 2357 THEN 0 ELSE 1 END)).*
                 FROM (SELECT * FROM cdnow_summary UNION ALL SELECT 9999, 3, 1, 2) AS u) AS z),
          'BG/NBD: rows with 0 customers are ignored');
CREATE AGGREGATE pg_temp.bgnbd_partial(float8, float8, float8) (
    SFUNC = bgnbd_fit_transfn, STYPE = bgnbd_fit_state);
SELECT ok((SELECT row(m.*)::text = row(s.*)::text
           FROM bg_serial AS s,
                (SELECT (bgnbd_fit_finalfn(bgnbd_fit_combinefn(a::text::bgnbd_fit_state,
                                                               b::text::bgnbd_fit_state))).*
                 FROM (SELECT pg_temp.bgnbd_partial(frequency, recency, t) FILTER (WHERE id % 2 = 0) AS a,
                              pg_temp.bgnbd_partial(frequency, recency, t) FILTER (WHERE id % 2 = 1) AS b
                       FROM cdnow_summary) AS p) AS m),
          'BG/NBD: partial states merged through text = single pass, bit for bit');
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
SELECT ok(pg_temp.plan_of('SELECT bgnbd_fit(frequency, recency, t) FROM cdnow_summary') LIKE '%Partial Aggregate%',
          'bgnbd_fit runs as a parallel partial aggregate');
CREATE TABLE bg_parallel AS SELECT (bgnbd_fit(frequency, recency, t)).* FROM cdnow_summary;
SELECT ok((SELECT row(p.*)::text = row(s.*)::text FROM bg_serial AS s, bg_parallel AS p),
          'BG/NBD: parallel = serial, bit for bit');
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
-- partitionwise
CREATE TABLE cdnow_parts (id int, frequency float8, recency float8, t float8) PARTITION BY HASH (id);
CREATE TABLE cdnow_parts_0 PARTITION OF cdnow_parts FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE cdnow_parts_1 PARTITION OF cdnow_parts FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE cdnow_parts_2 PARTITION OF cdnow_parts FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO cdnow_parts SELECT * FROM cdnow_summary;
ANALYZE cdnow_parts;
SET LOCAL enable_partitionwise_aggregate = on;
SELECT ok(pg_temp.plan_of('SELECT bgnbd_fit(frequency, recency, t) FROM cdnow_parts') LIKE '%Partial Aggregate%',
          'bgnbd_fit aggregates partitions separately (partitionwise)');
SELECT ok((SELECT row(p.*)::text = row(s.*)::text
           FROM bg_serial AS s, (SELECT (bgnbd_fit(frequency, recency, t)).* FROM cdnow_parts) AS p),
          'BG/NBD: partitionwise = serial, bit for bit');
RESET enable_partitionwise_aggregate;

-- ======================= Gamma-Gamma fit ==============================
CREATE TEMP TABLE gg_serial AS SELECT (gamma_gamma_fit(frequency, monetary_value)).* FROM rfm_serial;
-- scipy.optimize on the 946 repeaters (summaries rebuilt in Python from CDNOW_sample.txt):
-- p = 6.24957296, q = 3.74422476, v = 15.44351977, LL = -4055.9176948018676
SELECT ok(pg_temp.rel(p, 6.24957296) < 1e-6 AND pg_temp.rel(q, 3.74422476) < 1e-6
          AND pg_temp.rel(v, 15.44351977) < 1e-6, 'Gamma-Gamma parameters = an independent scipy fit')
FROM gg_serial;
SELECT ok(abs(log_likelihood - (-4055.9176948018676)) < 1e-6 AND customers = 946,
          'Gamma-Gamma log-likelihood and the 946 repeat buyers') FROM gg_serial;
SELECT ok(round(p::numeric, 2) = 6.25 AND round(q::numeric, 2) = 3.74 AND round(v::numeric, 2) = 15.44,
          'Gamma-Gamma matches FHL 2005 (p 6.25, q 3.74, v 15.44)') FROM gg_serial;
-- the unit of money: with m and v scaled by c, each repeat buyer's density of
-- the mean spend gains 1/c (Colombo & Jiang 1999 as in FHL 2005), so p, q stay,
-- v becomes c v and LL drops by 946 ln c.  Euros -> micro-euros:
SELECT ok((SELECT pg_temp.rel(u.p, s.p) < 1e-5 AND pg_temp.rel(u.q, s.q) < 1e-5
                  AND pg_temp.rel(u.v, 1e6 * s.v) < 1e-5
                  AND abs(u.log_likelihood - (s.log_likelihood - 946 * ln(1e6))) < 1e-5
           FROM gg_serial AS s,
                (SELECT (gamma_gamma_fit(frequency, monetary_value * 1e6)).* FROM rfm_serial) AS u),
          'Gamma-Gamma: spend in micro-units gives v x 1e6, the same p and q');
CREATE AGGREGATE pg_temp.gg_partial(float8, float8) (
    SFUNC = gamma_gamma_fit_transfn, STYPE = gamma_gamma_fit_state);
SELECT ok((SELECT row(m.*)::text = row(s.*)::text
           FROM gg_serial AS s,
                (SELECT (gamma_gamma_fit_finalfn(gamma_gamma_fit_combinefn(a::text::gamma_gamma_fit_state,
                                                                           b::text::gamma_gamma_fit_state))).*
                 FROM (SELECT pg_temp.gg_partial(frequency, monetary_value) FILTER (WHERE id % 2 = 0) AS a,
                              pg_temp.gg_partial(frequency, monetary_value) FILTER (WHERE id % 2 = 1) AS b
                       FROM rfm_serial) AS p) AS m),
          'Gamma-Gamma: partial states merged through text = single pass');
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
CREATE TABLE gg_parallel AS SELECT (gamma_gamma_fit(frequency, monetary_value)).* FROM rfm_serial;
SELECT ok((SELECT row(p.*)::text = row(s.*)::text FROM gg_serial AS s, gg_parallel AS p),
          'Gamma-Gamma: parallel = serial');
-- customer_summary in parallel: 8 customers with 5,000 orders each (many rows per group,
-- so the planner aggregates partially in the workers)
CREATE TABLE busy_orders AS
SELECT i % 8 AS customer, timestamptz '2021-03-01 10:00' + ((i * 7919) % 900) * interval '1 day' AS o,
       (i % 89) + 0.25 AS a
FROM generate_series(1, 40000) AS i;
ANALYZE busy_orders;
SELECT ok(pg_temp.plan_of($q$SELECT customer, customer_summary(o, a, '2024-01-01', '7 days')
                           FROM busy_orders GROUP BY customer$q$) LIKE '%Partial%Aggregate%',
          'customer_summary runs as a parallel partial aggregate');
CREATE TABLE busy_parallel AS
SELECT customer, (customer_summary(o, a, '2024-01-01', '7 days')).* FROM busy_orders GROUP BY customer;
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TABLE busy_serial AS
SELECT customer, (customer_summary(o, a, '2024-01-01', '7 days')).* FROM busy_orders GROUP BY customer;
SELECT is((SELECT count(*) FROM busy_parallel AS p JOIN busy_serial AS s USING (customer)
           WHERE (s.frequency, s.recency, s.t, s.orders) = (p.frequency, p.recency, p.t, p.orders)
             AND pg_temp.rel(p.monetary_value, s.monetary_value) < 1e-12
             AND pg_temp.rel(p.total, s.total) < 1e-12),
          8::int8, 'customer_summary: parallel = serial for every customer');
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
SELECT throws_ok($$SELECT gamma_gamma_fit(f, m) FROM (VALUES (1.0, 5.0), (2.0, 6.0)) AS x(f, m)$$,
                 '22023', NULL, 'Gamma-Gamma needs at least 3 distinct patterns');

-- ======================= predictions ==================================
-- mpmath, 40 digits, FHL 2005 eq. 9/10 with the exact 2F1 (a = 1: the limit)
CREATE TEMP TABLE models AS
SELECT ROW(0.243, 4.414, 0.793, 2.426, NULL, NULL, NULL, NULL, NULL, NULL)::bgnbd_model AS cd,
       ROW(1.5, 2, 0.3, 0.4, NULL, NULL, NULL, NULL, NULL, NULL)::bgnbd_model AS m2,
       ROW(0.8, 10, 1, 3, NULL, NULL, NULL, NULL, NULL, NULL)::bgnbd_model AS m3,
       ROW(6.25, 3.74, 15.44, NULL, NULL, NULL, NULL, NULL)::gamma_gamma_model AS gg;
SELECT ok(pg_temp.rel(bgnbd_expected_purchases(cd, 1), 0.053267891171658279927) < 1e-10
          AND pg_temp.rel(bgnbd_expected_purchases(cd, 78), 1.8605190579427685363) < 1e-10
          AND pg_temp.rel(bgnbd_expected_purchases(cd, 2000), 8.6363127941929040998) < 1e-10,
          'E[X(t)] for t = 1, 78, 2000 (mpmath, 1e-10)') FROM models;
SELECT ok(pg_temp.rel(bgnbd_conditional_purchases(cd, 39, 2, 30.43, 38.86), 1.2260281747671444463) < 1e-10
          AND pg_temp.rel(bgnbd_conditional_purchases(cd, 39, 0, 0, 38.86), 0.19509805201126263869) < 1e-10
          AND pg_temp.rel(bgnbd_conditional_purchases(cd, 10, 15, 20, 30), 0.401626031628535617) < 1e-10
          AND pg_temp.rel(bgnbd_conditional_purchases(cd, 52, 1, 5, 38), 0.39889808699313428791) < 1e-10,
          'E[Y(t) | x, t_x, T] for four histories (mpmath, 1e-10)') FROM models;
SELECT ok(pg_temp.rel(bgnbd_conditional_purchases(cd, 50, 200, 90, 100), 0.000036482161710513210592) < 1e-9,
          'E[Y(t)] of a customer with 200 purchases, long gone (large 2F1 parameters)') FROM models;
SELECT ok(pg_temp.rel(bgnbd_expected_purchases(m2, 5), 2.0929077950887334485) < 1e-10
          AND pg_temp.rel(bgnbd_conditional_purchases(m2, 5, 3, 4, 6), 1.7315544058261357472) < 1e-10,
          'a + b < 1 (2F1 with c < 0 in eq. 9) (mpmath)') FROM models;
SELECT ok(pg_temp.rel(bgnbd_expected_purchases(m3, 20), 1.166645512505938502) < 1e-10
          AND pg_temp.rel(bgnbd_conditional_purchases(m3, 20, 4, 30, 35), 1.4311313931033770546) < 1e-10,
          'a = 1, where eq. 10 is 0/0 (mpmath limit)') FROM models;
SELECT ok(pg_temp.rel(bgnbd_p_alive(cd, 2, 30.43, 38.86), 0.72657857008067291068) < 1e-12
          AND pg_temp.rel(bgnbd_p_alive(cd, 15, 20, 30), 0.099550697067269238878) < 1e-12
          AND bgnbd_p_alive(cd, 0, 0, 38.86) = 1, 'P(alive)') FROM models;
-- p (v + x m) / (p x + q - 1): 6.25 (15.44 + 44.7) / 15.24 = 24.6637139107611; 6.25 * 15.44 / 2.74 = 35.2189781021898
SELECT ok(pg_temp.rel(gamma_gamma_expected_spend(gg, 2, 22.35), 24.663713910761154856) < 1e-14
          AND pg_temp.rel(gamma_gamma_expected_spend(gg, 0, 0), 35.218978102189781022) < 1e-14
          AND gamma_gamma_expected_spend(gg, 0, 99) = gamma_gamma_expected_spend(gg, 0, 0),
          'Gamma-Gamma expected spend (by hand)') FROM models;
-- sum over 12 months of E[M] (E[Y(4.345 k)] - E[Y(4.345 (k-1))]) / 1.01^k (mpmath)
SELECT ok(pg_temp.rel(predicted_clv(cd, gg, 2, 30.43, 38.86, 22.35, 12, 0.01, 4.345), 36.289211125599215956) < 1e-10
          AND pg_temp.rel(predicted_clv(cd, gg, 0, 0, 38.86, 0, 12, 0, 4.345), 8.8987642617277547523) < 1e-10,
          'predicted_clv, 12 months (mpmath)') FROM models;
SELECT ok(predicted_clv(cd, gg, 2, 30.43, 38.86, 22.35, 0, 0.01, 4.345) = 0
          AND bgnbd_expected_purchases(cd, 0) = 0 AND bgnbd_conditional_purchases(cd, 0, 2, 30, 38) = 0,
          'zero horizons give zero') FROM models;
-- undiscounted 1 month = spend * E[Y(u)] exactly
SELECT ok(pg_temp.rel(predicted_clv(cd, gg, 2, 30.43, 38.86, 22.35, 1, 0, 4.345),
                      gamma_gamma_expected_spend(gg, 2, 22.35) * bgnbd_conditional_purchases(cd, 4.345, 2, 30.43, 38.86)) < 1e-14,
          'one undiscounted month = expected spend x expected purchases') FROM models;
SELECT throws_ok($$SELECT bgnbd_conditional_purchases(ROW(0.243, 4.414, 0.793, 2.426, NULL, NULL, NULL, NULL, NULL, NULL)::bgnbd_model, 1, 2.5, 1, 2)$$,
                 '22023', NULL, 'fractional frequency');
SELECT throws_ok($$SELECT bgnbd_p_alive(ROW(0.243, 4.414, 0.793, 2.426, NULL, NULL, NULL, NULL, NULL, NULL)::bgnbd_model, 2, 5, 4)$$,
                 '22023', NULL, 'recency above t');
SELECT throws_ok($$SELECT bgnbd_p_alive(ROW(0.243, 'NaN', 0.793, 2.426, NULL, NULL, NULL, NULL, NULL, NULL)::bgnbd_model, 2, 3, 4)$$,
                 '22023', NULL, 'NaN model parameter');
SELECT throws_ok($$SELECT bgnbd_p_alive(ROW(0.243, NULL, 0.793, 2.426, NULL, NULL, NULL, NULL, NULL, NULL)::bgnbd_model, 2, 3, 4)$$,
                 '22004', NULL, 'NULL model parameter');
SELECT throws_ok($$SELECT predicted_clv(cd, gg, 2, 3, 4, 10, -1, 0, 30) FROM models$$,
                 '22023', NULL, 'negative months');
SELECT throws_ok($$SELECT predicted_clv(cd, gg, 2, 3, 4, 10, 12, -1, 30) FROM models$$,
                 '22023', NULL, 'monthly discount of -100 %');
SELECT is(bgnbd_expected_purchases(NULL, 5), NULL, 'NULL model gives NULL (strict)');

-- ======================= input validation =============================
SELECT throws_ok($$SELECT clv_compare(true, 'Infinity'::float8)$$, '22023', NULL, 'clv_compare: infinite value');
SELECT throws_ok($$SELECT clv_compare(true, 1, 'NaN')$$, '22023', NULL, 'clv_compare: NaN confidence');
SELECT throws_ok($$SELECT customer_summary('2024-01-01', 'Infinity', '2024-02-01')$$, '22023', NULL,
                 'customer_summary: infinite amount');
SELECT throws_ok($$SELECT customer_summary('2024-01-01', 1, '2024-02-01', '1 day -25 hours')$$, '22023', NULL,
                 'customer_summary: negative unit');
SELECT throws_ok($$SELECT bgnbd_fit(-1, 0, 3)$$, '22023', NULL, 'bgnbd_fit: negative frequency');
SELECT throws_ok($$SELECT bgnbd_fit(1, -0.5, 3)$$, '22023', NULL, 'bgnbd_fit: negative recency');
SELECT throws_ok($$SELECT bgnbd_fit(1, 1, 'Infinity')$$, '22023', NULL, 'bgnbd_fit: infinite t');
SELECT throws_ok($$SELECT bgnbd_fit(1, 1, 3, 'NaN')$$, '22023', NULL, 'bgnbd_fit: NaN customers');
SELECT throws_ok($$SELECT gamma_gamma_fit(1, 'NaN')$$, '22023', NULL, 'gamma_gamma_fit: NaN spend');
SELECT throws_ok($$SELECT 'bgnbd_fit:2 0 -1 1 [ 1 2 3 ]'::bgnbd_fit_state$$, '22P02', NULL, 'truncated bgnbd state');
SELECT throws_ok($$SELECT 'customer_summary:2 0 0 1 0 0 1 -5 1 [ 5 1 ]'::customer_summary_state$$, '22P02', NULL,
                 'negative total in a summary state');

SELECT * FROM finish();
ROLLBACK;
