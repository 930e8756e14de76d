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
