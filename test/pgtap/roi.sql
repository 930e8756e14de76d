-- pgTAP: ROI arithmetic and lead pools -- values with tolerances and SQLSTATEs.
BEGIN;
\ir lib/helpers.psql
SELECT plan(45);

-- seed example: revenue 45,000, cost 20,000 -> ROI 1.25, 125 %
SELECT is(roi(45000::numeric, 20000::numeric), 1.25::numeric, 'roi numeric, seed example');
SELECT is(roi_percent(45000::numeric, 20000::numeric), 125::numeric, 'roi_percent numeric, seed example');
SELECT ok(abs(roi(45000::float8, 20000::float8) - 1.25) < 1e-12, 'roi float8, seed example');
SELECT ok(abs(roi_percent(45000::float8, 20000::float8) - 125) < 1e-9, 'roi_percent float8, seed example');
SELECT is(roas(45000::numeric, 20000::numeric), 2.25::numeric, 'roas = 45000/20000');
SELECT ok(abs(roas(1::float8, 3::float8) - 1.0/3) < 1e-15, 'roas float8 1/3');
-- zero cost -> NULL
SELECT is(roi(100::numeric, 0::numeric), NULL, 'roi NULL when cost = 0 (numeric)');
SELECT is(roi(100::float8, 0::float8), NULL, 'roi NULL when cost = 0 (float8)');
SELECT is(roi_percent(100::float8, 0::float8), NULL, 'roi_percent NULL when cost = 0');
SELECT is(roas(100::float8, 0::float8), NULL, 'roas NULL when cost = 0');
SELECT is(roi(NULL::numeric, 1::numeric), NULL, 'roi is strict');
-- exactness: 20 significant digits; (3e19 + 7 - 1e19) / 1e19 = 2.0000000000000000007
SELECT is(roi(30000000000000000007::numeric, 10000000000000000000::numeric),
          2.0000000000000000007::numeric, 'roi numeric keeps 20 significant digits');
SELECT is(roi_percent(30000000000000000007::numeric, 10000000000000000000::numeric),
          200.00000000000000007::numeric, 'roi_percent numeric keeps them too');
-- a non-terminating quotient keeps 25 decimals here (>= 24 significant digits): 1/3
SELECT is(roi(4::numeric, 3::numeric), 0.3333333333333333333333333::numeric, 'roi numeric 1/3 to 25 places');
-- growth
SELECT is(growth_rate(120::numeric, 100::numeric), 0.2::numeric, 'growth_rate +20 %');
SELECT is(growth_rate(0::numeric, 0::numeric), NULL, 'growth_rate NULL when previous = 0');
SELECT is(growth_rate(5::float8, 0::float8), NULL, 'growth_rate float8 NULL when previous = 0');
SELECT ok(abs(growth_rate(90::float8, 120::float8) + 0.25) < 1e-15, 'growth_rate -25 %');
-- effort cost
SELECT is(effort_cost(37.5::numeric, 48.20::numeric), 1807.500::numeric, '37.5 h at 48.20 = 1807.50');
SELECT is(effort_cost(0::float8, 99::float8), 0::float8, 'no hours, no cost');

-- errors with SQLSTATEs
SELECT throws_ok('SELECT roi(1::numeric, -1::numeric)', '22023', NULL, 'negative cost (numeric)');
SELECT throws_ok('SELECT roi(1::float8, -1::float8)', '22023', NULL, 'negative cost (float8)');
SELECT throws_ok('SELECT roi(''NaN''::float8, 1::float8)', '22023', NULL, 'NaN revenue');
SELECT throws_ok('SELECT roi(1::numeric, ''NaN''::numeric)', '22023', NULL, 'NaN cost (numeric)');
SELECT throws_ok('SELECT roi(1::numeric, ''Infinity''::numeric)', '22023', NULL, 'infinite cost (numeric)');
SELECT throws_ok('SELECT roas(1::float8, ''-Infinity''::float8)', '22023', NULL, 'infinite cost (roas)');
SELECT throws_ok('SELECT growth_rate(''NaN''::float8, 1::float8)', '22023', NULL, 'NaN growth');
SELECT throws_ok('SELECT effort_cost(-1::numeric, 1::numeric)', '22023', NULL, 'negative hours');
SELECT throws_ok('SELECT effort_cost(1::float8, ''NaN''::float8)', '22023', NULL, 'NaN rate');
SELECT throws_ok('SELECT roi(1e308::float8, 1e-300::float8)', '22003', NULL, 'float overflow');

-- lead pools at every boundary with the defaults
SELECT is(lead_pool(49.99), 'slow', '49.99 -> slow');
SELECT is(lead_pool(50), 'medium', '50 -> medium');
SELECT is(lead_pool(74.99), 'medium', '74.99 -> medium');
SELECT is(lead_pool(75), 'fast', '75 -> fast');
SELECT is(lead_pool_index(74.99), 1, 'index of 74.99 is 1');
SELECT is(lead_pool_index(75), 2, 'index of 75 is 2');
-- custom bounds and labels
SELECT is(lead_pool(0.5, '{0.25,0.5,0.75}', '{q1,q2,q3,q4}'), 'q3', 'custom quartiles, on a bound');
SELECT is(lead_pool_index(-5, '{0}'), 0, 'below the only bound');
-- bad bounds and labels
SELECT throws_ok('SELECT lead_pool(1, ''{75,50}'')', '22023', NULL, 'descending bounds');
SELECT throws_ok('SELECT lead_pool(1, ''{50,NULL}'')', '22004', NULL, 'NULL bound');
SELECT throws_ok('SELECT lead_pool(1, ''{NaN,50}'')', '22023', NULL, 'NaN bound');
SELECT throws_ok('SELECT lead_pool(1, ''{{1,2},{3,4}}'')', '2202E', NULL, '2-D bounds');
SELECT throws_ok('SELECT lead_pool(1, ''{50,75}'', ''{a,b}'')', '2202E', NULL, 'label count mismatch');
SELECT throws_ok('SELECT lead_pool(''NaN'')', '22023', NULL, 'NaN score');
SELECT throws_ok('SELECT lead_pool_index(1, ''{1,NULL}'')', '22004', NULL, 'NULL bound (index)');

SELECT * FROM finish();
ROLLBACK;
