-- ROI arithmetic and lead pools: values and error messages.
-- Every expected number below is worked by hand in the comment beside it.

-- the seed example: revenue 45,000, cost 20,000
SELECT roi(45000::numeric, 20000::numeric) AS roi,          -- 25000/20000 = 1.25
       roi_percent(45000::numeric, 20000::numeric) AS pct, -- 125
       roas(45000::numeric, 20000::numeric) AS roas;       -- 2.25
SELECT roi(45000::float8, 20000::float8) AS roi,
       roi_percent(45000::float8, 20000::float8) AS pct,
       roas(45000::float8, 20000::float8) AS roas;
-- integer arguments resolve to the float8 overload (float8 is numeric's preferred type)
SELECT pg_typeof(roi(45000, 20000)), pg_typeof(roi(45000.00, 20000));

-- losses and zero cost
SELECT roi(5000::numeric, 20000::numeric) AS loss,         -- -15000/20000 = -0.75
       roi(0::numeric, 0::numeric) IS NULL AS zero_cost_is_null,
       roi(10::float8, 0::float8) IS NULL AS zero_cost_is_null_f,
       roas(10::numeric, 0::numeric) IS NULL AS roas_null;

-- numeric stays exact where float8 cannot: revenue has 20 significant digits
-- gain = 1.00, cost = 1e19 -> roi = 1e-19 exactly; in float8 1e19 + 1 = 1e19
SELECT roi(10000000000000000001.00::numeric, 10000000000000000000.00::numeric) AS roi_numeric,
       roi(10000000000000000001.00::float8, 10000000000000000000.00::float8) AS roi_float8;
-- effort_cost is an exact product: 1234567890.123456789 * 98765.4321
--   = 121932631124828.5321112635269 (checked with Python decimal, 60 digits)
SELECT effort_cost(1234567890.123456789::numeric, 98765.4321::numeric);
SELECT effort_cost(12.5::float8, 40::float8), effort_cost(0::numeric, 55::numeric);

-- growth
SELECT growth_rate(120::numeric, 100::numeric) AS up,      -- 0.2
       growth_rate(50::float8, 100::float8) AS down,       -- -0.5
       growth_rate(7::numeric, 0::numeric) IS NULL AS from_zero_is_null;

-- errors
SELECT roi(100::numeric, -1::numeric);
SELECT roi(100::float8, -0.01::float8);
SELECT roi('NaN'::float8, 1::float8);
SELECT roi(1::numeric, 'NaN'::numeric);
SELECT roas('Infinity'::float8, 1::float8);
SELECT effort_cost(-2::float8, 30::float8);
SELECT effort_cost(2::numeric, -30::numeric);
SELECT roi(1e308::float8, 1e-308::float8);

-- lead pools with the defaults {50,75} / {slow,medium,fast}
SELECT s AS score, lead_pool(s) AS pool, lead_pool_index(s) AS idx
FROM unnest(ARRAY[-1e300, 0, 49.99, 50, 74.99, 75, 100, 'Infinity', '-Infinity']::float8[]) AS s;
-- custom bounds and labels, a non-1-based bounds array, a single pool
SELECT lead_pool(25, '{10,20,30}', '{cold,cool,warm,hot}'),      -- 20 <= 25 < 30 -> warm
       lead_pool(30, '{10,20,30}', '{cold,cool,warm,hot}'),      -- hot
       lead_pool(9.999, '[0:2]={10,20,30}', '{cold,cool,warm,hot}'), -- cold
       lead_pool(5, '{}', '{everyone}');
-- errors
SELECT lead_pool(60, '{75,50}');
SELECT lead_pool(60, '{50,50}');
SELECT lead_pool(60, '{50,NULL}');
SELECT lead_pool(60, '{50,NaN}');
SELECT lead_pool(60, '{{50,75},{80,90}}');
SELECT lead_pool(60, '{50,75}', '{slow,fast}');
SELECT lead_pool(60, '{50,75}', '{slow,NULL,fast}');
SELECT lead_pool('NaN', '{50,75}');
SELECT lead_pool_index(NULL) IS NULL AS strict_null;
