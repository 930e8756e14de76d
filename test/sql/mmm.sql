-- Marketing mix modeling: transforms on published and hand-worked examples,
-- and every documented error with its message and hint.  Reference values:
-- test/reference/mmm_reference.py (numpy / scipy.stats, no shared code).
-- Floats are rounded to 10 decimals so libm's last bits do not matter.
SET extra_float_digits = 0;

-- ---------- geometric adstock ----------
-- Robyn's documented example, adstock_geometric(rep(100, 5), theta = 0.5):
-- 100, 100 + 50, 100 + 75, 100 + 87.5, 100 + 93.75
SELECT adstock_geometric('{100,100,100,100,100}', 0.5);
SELECT adstock_geometric('{}', 0.5), adstock_geometric('{7}', 0);
-- a window of 3 lags: the impulse is gone after lag 2; normalised by
-- 1 + 0.5 + 0.25 = 1.75 (PyMC-Marketing's GeometricAdstock(l_max=3, normalize=True))
SELECT adstock_geometric('{100,0,0,0}', 0.5, 3, false);
SELECT array(SELECT round(v::numeric, 10) FROM unnest(adstock_geometric('{100,0,0,0}', 0.5, 3, true)) v);
-- PyMC-Marketing's test: x = linspace(0, 1, 50), alpha 0.8, l_max 3, normalised;
-- last value (1 + 0.8 * 48/49 + 0.64 * 47/49) / 2.44 = 0.9826028772
SELECT round((adstock_geometric(array(SELECT i / 49.0 FROM generate_series(0, 49) i)::float8[], 0.8, 3, true))[50]::numeric, 10);
-- a long window slides: equal to the direct sum
SELECT round(max(abs(a - b))::numeric, 10) AS max_difference
FROM unnest(adstock_geometric(array(SELECT (i % 7) * 10.0 FROM generate_series(1, 300) i)::float8[], 0.9, 100, false),
            array(SELECT sum(((i - l) % 7) * 10.0 * 0.9 ^ l)::float8 FROM generate_series(1, 300) i,
                  generate_series(0, 99) l WHERE i - l >= 1 GROUP BY i ORDER BY i)) u(a, b);

-- ---------- Weibull adstock ----------
-- Robyn's documented examples adstock_weibull(rep(100, 5), shape = 0.5,
-- scale = 0.5, type = "CDF" / "PDF"): Robyn's scale 0.5 of a 5-period window
-- is round(quantile(1:5, 0.5)) = 3 periods.
SELECT array(SELECT round(v::numeric, 10) FROM unnest(adstock_weibull('{100,100,100,100,100}', 0.5, 3, 'cdf', 5)) v);
SELECT array(SELECT round(v::numeric, 10) FROM unnest(adstock_weibull('{100,100,100,100,100}', 0.5, 3, 'PDF', 5)) v);
-- the kernel itself: an impulse, shape 2, scale 3, 8 lags (peak at lag 1)
SELECT array(SELECT round(v::numeric, 10) FROM unnest(adstock_weibull('{1,0,0,0,0,0,0,0}', 2, 3, 'pdf', 8)) v);
-- PyMC-Marketing's weibull_adstock(ones(10), lam=0.5, k=0.8, l_max=7): PDF
-- with max_lag = l_max, CDF with max_lag = l_max + 1 (its kernel has l_max + 1 weights)
SELECT array(SELECT round(v::numeric, 10) FROM unnest(adstock_weibull(array_fill(1::float8, ARRAY[10]), 0.8, 0.5, 'pdf', 7)) v);
SELECT array(SELECT round(v::numeric, 10) FROM unnest(adstock_weibull(array_fill(1::float8, ARRAY[10]), 0.8, 0.5, 'cdf', 8)) v);
-- a one-period window keeps the series
SELECT adstock_weibull('{3,1,2}', 2, 3, 'pdf', 1), adstock_weibull('{3,1,2}', 2, 3, 'cdf', 1);

-- ---------- saturation ----------
-- Robyn's saturation_hill(c(100, 150, 170, 190, 200), alpha = 3, gamma = 0.5):
-- inflexion = 0.5 * 100 + 0.5 * 200 = 150
SELECT x, round(hill(x, 150, 3)::numeric, 10) FROM unnest('{100,150,170,190,200}'::float8[]) x;
SELECT hill(0, 10, 0.5), hill(10, 10, 7), hill(1e300, 1, 2), hill(1e-300, 1, 2);
-- PyMC-Marketing: logistic_saturation(1, lam=1) = (1 - e^-1) / (1 + e^-1); lam = 0 gives 0
SELECT round(logistic_saturation(1, 1)::numeric, 10), round(logistic_saturation(0.5, 4)::numeric, 10),
       logistic_saturation(5, 0), logistic_saturation(0, 3);
-- Robyn's mic_men(x = 5:10, Vmax = 5, Km = 0.5)
SELECT x, round(michaelis_menten(x, 5, 0.5)::numeric, 10) FROM generate_series(5, 10) x;

-- ---------- adstock(x, decay) as a window function ----------
SELECT channel, week, adstock(spend, 0.5) OVER (PARTITION BY channel ORDER BY week)
FROM (VALUES ('tv', 1, 100.0), ('tv', 2, 0), ('tv', 3, 0), ('tv', 4, 100),
             ('radio', 1, 10), ('radio', 2, 10)) v(channel, week, spend)
ORDER BY channel, week;
-- the same as an ordered aggregate; NULL spend rows are skipped
SELECT adstock(spend, 0.5 ORDER BY week)
FROM (VALUES (1, 100.0), (2, NULL), (3, 0), (4, 100)) v(week, spend);
SELECT adstock(x, 0.5) FROM (VALUES (1.0)) v(x) WHERE false;

-- ---------- transform errors ----------
SELECT adstock_geometric('{1,2}', 1);
SELECT adstock_geometric('{1,2}', -0.1);
SELECT adstock_geometric('{1,2}', 'NaN');
SELECT adstock_geometric('{1,-2}', 0.5);
SELECT adstock_geometric('{1,NULL}', 0.5);
SELECT adstock_geometric('{{1,2},{3,4}}', 0.5);
SELECT adstock_geometric('{1,2}', 0.5, 0, true);
SELECT adstock_weibull('{1,2}', 1, 2, 'exp', 3);
SELECT adstock_weibull('{1,2}', 0, 2, 'cdf', 3);
SELECT adstock_weibull('{1,2}', 1, 'Infinity', 'cdf', 3);
SELECT hill(-1, 1, 1);
SELECT hill(1, 0, 1);
SELECT hill(1, 1, 0);
SELECT logistic_saturation(1, -1);
SELECT michaelis_menten(1, 5, 0);
SELECT michaelis_menten('NaN', 5, 1);
SELECT adstock(x, d) FROM (VALUES (1.0, 0.5), (2.0, 0.6)) v(x, d);

-- ---------- mmm_fit: bad input gets 22023 naming the period or variable ----------
CREATE TEMP TABLE weekly AS
SELECT date '2024-01-01' + 7 * i AS week, v.variable, v.value, v.role
FROM generate_series(0, 59) i
CROSS JOIN LATERAL (VALUES
    ('revenue', 20000 + 30 * i + 1.5 * ((i * 37) % 11) * 100 + 0.8 * ((i * 53) % 7) * 150, 'kpi'),
    ('social', ((i * 37) % 11) * 100.0, 'media'),
    ('search', ((i * 53) % 7) * 150.0, 'media')) v(variable, value, role);
\set VERBOSITY default
-- a gap in the kpi: the first missing week is named
SELECT mmm_fit(week, variable, value, role) FROM weekly WHERE NOT (variable = 'revenue' AND week IN ('2024-03-04', '2024-04-01'));
-- a week that is not on the grid
SELECT mmm_fit(week, variable, value, role) FROM (SELECT * FROM weekly UNION ALL SELECT date '2024-02-07', 'social', 5, 'media') w;
-- negative spend and NaN: variable and period named
SELECT mmm_fit(week, variable, CASE WHEN variable = 'search' AND week = '2024-02-05' THEN -5 ELSE value END, role) FROM weekly;
SELECT mmm_fit(week, variable, CASE WHEN variable = 'social' AND week = '2024-02-12' THEN 'NaN' ELSE value END, role) FROM weekly;
-- two kpi variables, no kpi, no media
SELECT mmm_fit(week, variable, value, CASE WHEN variable = 'search' THEN 'kpi' ELSE role END) FROM weekly;
SELECT mmm_fit(week, variable, value, role) FROM weekly WHERE role <> 'kpi';
SELECT mmm_fit(week, variable, value, role) FROM weekly WHERE role = 'kpi';
-- a channel with no spend
SELECT mmm_fit(week, variable, CASE WHEN variable = 'search' THEN 0 ELSE value END, role) FROM weekly;
-- too few periods for the parameters
SELECT mmm_fit(week, variable, value, role) FROM weekly WHERE week < '2024-05-01';
-- unknown role, cost without media, one name in two roles
SELECT mmm_fit(week, variable, value, 'spend') FROM weekly;
SELECT mmm_fit(week, variable, value, CASE WHEN variable = 'search' THEN 'cost' ELSE role END) FROM weekly;
SELECT mmm_fit(week, variable, value, role) FROM (SELECT * FROM weekly UNION ALL SELECT week, 'social', 1, 'control' FROM weekly WHERE variable = 'revenue') w;
-- infinite dates, options differing between rows
SELECT mmm_fit(week, variable, value, role) FROM (SELECT * FROM weekly UNION ALL SELECT 'infinity', 'social', 1, 'media') w;
SELECT mmm_fit(week, variable, value, role, CASE WHEN variable = 'search' THEN 'holdout=4' ELSE '' END) FROM weekly;
-- options: unknown key (lists the valid ones), bad values, misplaced keys
SELECT mmm_fit(week, variable, value, role, 'hold_out=4') FROM weekly;
SELECT mmm_fit(week, variable, value, role, 'holdout=-1') FROM weekly;
SELECT mmm_fit(week, variable, value, role, 'decay=0.5..0.2') FROM weekly;
SELECT mmm_fit(week, variable, value, role, 'decay=0..1') FROM weekly;
SELECT mmm_fit(week, variable, value, role, 'adstock=weibull_cdf, decay=0.1..0.5') FROM weekly;
SELECT mmm_fit(week, variable, value, role, 'saturation=logistic, slope(social)=2') FROM weekly;
SELECT mmm_fit(week, variable, value, role, 'seasonality=monthly') FROM weekly;
SELECT mmm_fit(week, variable, value, role, 'seasonality=yearly(order=30)') FROM weekly;
SELECT mmm_fit(week, variable, value, role, 'holdout=4, holdout=5') FROM weekly;
SELECT mmm_fit(week, variable, value, role, 'half_saturation=1000') FROM weekly;
SELECT mmm_fit(week, variable, value, role, 'decay(tv)=0.3') FROM weekly;
SELECT mmm_fit(week, variable, value, role, 'holdout') FROM weekly;
SELECT mmm_fit(week, variable, value, role, 'ridge=-1') FROM weekly;
SELECT mmm_fit(week, variable, value, role, 'holdout=60') FROM weekly;
SELECT mmm_fit(week, variable, value, role, 'seasonality=weekly(order=2)') FROM weekly;
-- limits: 1,000 variables, 40 media channels (54000)
SELECT mmm_fit(date '2024-01-01', 'v' || i, 1, 'control') FROM generate_series(1, 1001) i;
SELECT mmm_fit(date '2024-01-01' + 7 * w, CASE WHEN c = 0 THEN 'revenue' ELSE 'ch' || c END, 1 + w,
               CASE WHEN c = 0 THEN 'kpi' ELSE 'media' END)
FROM generate_series(0, 2) w, generate_series(0, 41) c;
-- NULL rows are skipped; no rows give NULL
SELECT mmm_fit(week, variable, value, role) IS NULL FROM weekly WHERE false;
SELECT mmm_fit(NULL::date, variable, value, role) IS NULL FROM weekly;
\set VERBOSITY terse
