-- CLV bench data: the CDNOW calibration summary (from test/data) and one
-- million synthetic customers with BG/NBD-like histories.
--
-- Synthetic customers (days): first purchase 1..730 days before the end,
-- purchase rate ~ Exponential(mean 1/30 per day), dropout after each
-- purchase with probability 0.15..0.5; x repeat purchases, the last one at
-- t_x (the largest of x uniform times), whole days.  follows_brand marks a
-- third of them, whose rate is higher, and value is a spend-like figure.
SELECT setseed(0.40);

DROP TABLE IF EXISTS bench_cdnow;
CREATE TABLE bench_cdnow (id int, frequency float8, recency float8, t float8);
\copy bench_cdnow FROM 'test/data/cdnow_customers_summary.csv' CSV HEADER

DROP TABLE IF EXISTS bench_clv_customers;
CREATE TABLE bench_clv_customers AS
WITH draws AS (
    SELECT i,
           i % 3 = 0 AS follows_brand,
           1 + floor(random() * 730) AS t,
           -ln(1 - random()) / 30 * CASE WHEN i % 3 = 0 THEN 1.5 ELSE 1 END AS rate,
           0.15 + 0.35 * random() AS dropout,
           random() AS u1, random() AS u2, random() AS u3
    FROM generate_series(1, 1000000) AS i
), counts AS (
    SELECT i, follows_brand, t, u3,
           -- purchases before dropping out (geometric) vs. in the window
           least(floor(ln(1 - u1) / ln(1 - dropout)),
                 floor(rate * t * 2 * u2)) AS x
    FROM draws
)
SELECT i AS customer_id, follows_brand, x AS frequency,
       CASE WHEN x = 0 THEN 0 ELSE floor(t * power(u3, 1 / x)) END AS recency,
       t,
       (20 + 80 * u3) * (1 + x) * CASE WHEN follows_brand THEN 1.2 ELSE 1 END AS value
FROM counts;

-- BG/BB: one million donors with 52 weekly opportunities; transaction
-- probability ~ Beta(1.2, 0.75)-like, dropout after each opportunity with
-- a per-donor probability in 0.01 .. 0.21.
DROP TABLE IF EXISTS bench_bgbb_customers;
CREATE TABLE bench_bgbb_customers AS
WITH d AS (
    SELECT i, power(random(), 0.8) AS p, 0.01 + 0.2 * random() AS theta, random() AS u1, random() AS u2
    FROM generate_series(1, 1000000) AS i
), life AS (
    SELECT i, p, least(52, floor(ln(1 - u1) / ln(1 - theta))) AS alive_periods, u2 FROM d
), x AS (
    SELECT i, alive_periods, least(alive_periods, floor(p * alive_periods + u2)) AS frequency FROM life
)
SELECT i AS customer_id, frequency,
       CASE WHEN frequency = 0 THEN 0 ELSE greatest(frequency, alive_periods - floor((alive_periods - frequency) * random())) END AS recency,
       52::float8 AS n_periods
FROM x;

-- sBG: one million subscribers, churn probability ~ Beta(0.7, 2) per
-- subscriber, observed for up to 24 monthly renewals; a third follow the
-- brand and churn a third less often.
DROP TABLE IF EXISTS bench_subscribers;
CREATE TABLE bench_subscribers AS
WITH d AS (
    SELECT i, i % 3 = 0 AS follows_brand,
           least(0.999, greatest(0.0005, power(random(), 1.6) * 0.8 * CASE WHEN i % 3 = 0 THEN 0.67 ELSE 1 END)) AS theta,
           1 + floor(random() * 24) AS observed
    FROM generate_series(1, 1000000) AS i
), s AS (
    SELECT i, follows_brand, observed, floor(ln(1 - random()) / ln(1 - theta)) AS life FROM d
)
SELECT i AS subscriber_id, follows_brand, least(life, observed)::int AS periods_survived,
       life < observed AS churned
FROM s;

-- Pareto/NBD story (Schmittlein et al. 1987) with r = s = 1, alpha = 10,
-- beta = 12 weeks: purchase rate lambda ~ Exp(rate 10), lifetime rate
-- mu ~ Exp(rate 12), so the lifetime is Lomax: 12 (1/U - 1); purchases in
-- the active part of T (1..104 weeks) are geometric given it; the last one
-- at the largest of x uniform times, whole weeks.
DROP TABLE IF EXISTS bench_pareto_customers;
CREATE TABLE bench_pareto_customers AS
WITH d AS (
    SELECT i, 1 + floor(random() * 104) AS t, 12 * (1 / (1 - random()) - 1) AS lifetime,
           random() AS u1, random() AS u2
    FROM generate_series(1, 1000000) AS i
), a AS (
    SELECT i, t, least(lifetime, t) AS active, u1, u2 FROM d
), x AS (
    SELECT i, t, active, u2,
           CASE WHEN active <= 0 THEN 0 ELSE floor(ln(1 - u1) / ln(active / (10 + active))) END AS frequency
    FROM a
)
SELECT i AS customer_id, frequency,
       CASE WHEN frequency = 0 THEN 0 ELSE floor(active * power(u2, 1 / frequency)) END AS recency, t
FROM x;
