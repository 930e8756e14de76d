-- Follower comparisons over 1,000,000 deals: rates, Kaplan-Meier quartiles
-- and the log-rank test, against a scan and the same answers in plain SQL.

-- case: scan 1M deals (floor)
SELECT count(*) FILTER (WHERE closed), sum(days_open) FROM bench_deals;

-- case: plain SQL rates by follower
SELECT follows_brand, count(*), avg(won::int) FROM bench_deals GROUP BY follows_brand;

-- case: compare_rates 1M rows
-- floor: scan 1M deals (floor)
-- compare: plain SQL rates by follower
SELECT compare_rates(follows_brand, won) FROM bench_deals;

-- case: plain SQL Kaplan-Meier median (window functions)
WITH per_day AS (
    SELECT days_open, count(*) FILTER (WHERE closed) AS d, count(*) AS m
    FROM bench_deals GROUP BY days_open
), at_risk AS (
    SELECT days_open, d, sum(m) OVER (ORDER BY days_open DESC) AS n FROM per_day
), curve AS (
    SELECT days_open, exp(sum(ln(greatest(1 - d::float8 / n, 1e-300))) OVER (ORDER BY days_open)) AS s
    FROM at_risk WHERE d > 0
)
SELECT min(days_open) FILTER (WHERE s <= 0.75), min(days_open) FILTER (WHERE s <= 0.5),
       min(days_open) FILTER (WHERE s <= 0.25)
FROM curve;

-- case: time_to_convert 1M rows
-- floor: scan 1M deals (floor)
-- compare: plain SQL Kaplan-Meier median (window functions)
SELECT time_to_convert(days_open, closed) FROM bench_deals;

-- case: time_to_convert 1M rows, serial
-- set: max_parallel_workers_per_gather = 0
-- floor: scan 1M deals (floor)
SELECT time_to_convert(days_open, closed) FROM bench_deals;

-- case: compare_time_to_convert 1M rows
-- floor: scan 1M deals (floor)
SELECT compare_time_to_convert(follows_brand, days_open, closed) FROM bench_deals;
