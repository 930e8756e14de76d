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
