-- Markov attribution at campaign scale (bench/data/25_campaigns.sql):
-- 200,000 journeys of 1-10 touches over 300, 1,000 and 3,000 names of skewed
-- popularity, every journey (converting or not), orders 1 to 3.  The final
-- function solves one exact loss system per name.  Default plan settings
-- (2 parallel workers accumulate; socroi.threads = 2 in the final function).

-- case: floor: bare scan, 200,000 journeys (1,000 names)
SELECT sum(cardinality(path)) FROM bench_campaigns_1000;

-- case: markov order 1, 300 names
-- floor: floor: bare scan, 200,000 journeys (1,000 names)
SELECT attribution(path, converted::int, value, (NOT converted)::int, 'markov') FROM bench_campaigns_300;

-- case: markov order 2, 300 names
SELECT attribution(path, converted::int, value, (NOT converted)::int, 'markov(order=2)') FROM bench_campaigns_300;

-- case: markov order 3, 300 names
SELECT attribution(path, converted::int, value, (NOT converted)::int, 'markov(order=3)') FROM bench_campaigns_300;

-- case: markov order 1, 1,000 names
SELECT attribution(path, converted::int, value, (NOT converted)::int, 'markov') FROM bench_campaigns_1000;

-- case: markov order 2, 1,000 names
SELECT attribution(path, converted::int, value, (NOT converted)::int, 'markov(order=2)') FROM bench_campaigns_1000;

-- case: markov order 2, 1,000 names, one thread
-- runs: 1
-- set: socroi.threads = 1
SELECT attribution(path, converted::int, value, (NOT converted)::int, 'markov(order=2)') FROM bench_campaigns_1000;

-- case: markov order 1, 3,000 names
SELECT attribution(path, converted::int, value, (NOT converted)::int, 'markov') FROM bench_campaigns_3000;

-- case: markov order 2, 3,000 names
-- runs: 1
SELECT attribution(path, converted::int, value, (NOT converted)::int, 'markov(order=2)') FROM bench_campaigns_3000;

-- case: markov_order_selection, 1,000 names
SELECT markov_order_selection(path, converted::int, (NOT converted)::int) FROM bench_campaigns_1000;
