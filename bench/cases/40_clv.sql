-- CLV: model fits and the follower comparison.  Targets (README.md, "Benchmarks"):
-- bgnbd_fit under 100 ms on CDNOW and under 10 s on 1,000,000 customers.

-- case: bgnbd_fit CDNOW (2,357 customers)
SELECT bgnbd_fit(frequency, recency, t) FROM bench_cdnow;

-- case: scan 1M customers (floor)
SELECT sum(frequency + recency + t) FROM bench_clv_customers;

-- case: bgnbd_fit 1M customers
-- floor: scan 1M customers (floor)
SELECT bgnbd_fit(frequency, recency, t) FROM bench_clv_customers;

-- case: bgnbd_fit 1M customers, serial
-- set: max_parallel_workers_per_gather = 0
-- floor: scan 1M customers (floor)
SELECT bgnbd_fit(frequency, recency, t) FROM bench_clv_customers;

-- case: plain SQL means and stddevs by follower
SELECT follows_brand, count(*), avg(value), stddev_samp(value)
FROM bench_clv_customers GROUP BY follows_brand;

-- case: clv_compare 1M rows
-- compare: plain SQL means and stddevs by follower
SELECT clv_compare(follows_brand, value) FROM bench_clv_customers;

-- More customer-base models (issue 17): each fit on 1,000,000 customers
-- (patterns collapsed in the state) under 2x the BG/NBD fit, and Pareto/NBD
-- on CDNOW under 100 ms.

-- case: pareto_nbd_fit CDNOW (2,357 customers)
SELECT pareto_nbd_fit(frequency, recency, t) FROM bench_cdnow;

-- case: mbgnbd_fit CDNOW (2,357 customers)
SELECT mbgnbd_fit(frequency, recency, t) FROM bench_cdnow;

-- The synthetic customers above drop out with a fixed chance per purchase:
-- Pareto/NBD's dropout rates then do not vary and the fit stops with 22023
-- (s -> infinity).  Pareto/NBD is timed on customers from its own story,
-- against BG/NBD on the same rows.

-- case: bgnbd_fit 1M Pareto/NBD-story customers
SELECT bgnbd_fit(frequency, recency, t) FROM bench_pareto_customers;

-- case: pareto_nbd_fit 1M Pareto/NBD-story customers
-- floor: bgnbd_fit 1M Pareto/NBD-story customers
SELECT pareto_nbd_fit(frequency, recency, t) FROM bench_pareto_customers;

-- case: mbgnbd_fit 1M customers
-- floor: bgnbd_fit 1M customers
SELECT mbgnbd_fit(frequency, recency, t) FROM bench_clv_customers;

-- case: bgbb_fit 1M customers (52 opportunities)
-- floor: bgnbd_fit 1M customers
SELECT bgbb_fit(frequency, recency, n_periods) FROM bench_bgbb_customers;

-- case: sbg_fit 1M subscribers
-- floor: bgnbd_fit 1M customers
SELECT sbg_fit(periods_survived, churned) FROM bench_subscribers;

-- case: bgnbd_compare 1M customers (three fits)
-- floor: bgnbd_fit 1M customers
SELECT bgnbd_compare(follows_brand, frequency, recency, t) FROM bench_clv_customers;

-- case: sbg_compare 1M subscribers (three fits)
-- floor: bgnbd_fit 1M customers
SELECT sbg_compare(follows_brand, periods_survived, churned) FROM bench_subscribers;
