-- pgTAP: decisions from a marketing mix model -- mmm_response and
-- mmm_marginal_roi (the curve mmm_channels' parameters describe),
-- mmm_optimize (a closed-form two-channel optimum worked by hand, and scipy's
-- SLSQP from several starts on S-shaped curves: test/reference/mmm_reference.py),
-- bootstrap intervals (deterministic for a seed), and one GROUP BY over 20
-- geos giving byte for byte the models of 20 separate fits.
BEGIN;
\ir lib/helpers.psql
SELECT plan(29);

CREATE TABLE gt (dataset text, week date, variable text, value float8, role text);
\copy gt FROM 'test/data/mmm_ground_truth.csv' CSV HEADER

CREATE TABLE m AS
SELECT mmm_fit(week, variable, value, role) AS model FROM gt WHERE dataset = 'w156_c4';

-- ======================= response curves ================================
-- mmm_response = coefficient * hill(spend / (1 - decay), half_saturation, slope)
SELECT ok(bool_and(pg_temp.rel(mmm_response(m.model, c.channel, s),
                               c.coefficient * hill(s / (1 - c.decay), c.half_saturation, c.slope)) < 1e-12),
          'mmm_response is the formula with mmm_channels'' decay, half_saturation, slope, coefficient')
FROM m, mmm_channels(m.model) c, unnest('{0.5,100,1000,5000,20000,1e6}'::float8[]) s;
SELECT ok(bool_and(mmm_response(m.model, c.channel, 0) = 0), 'no spend, no response')
FROM m, mmm_channels(m.model) c;
-- the same holds for the logistic curve (lam = ln 3 / half_saturation) and a
-- Weibull adstock (decay = the geometric one with the same carry-over)
CREATE TABLE m_other AS
SELECT mmm_fit(week, variable, value, role, 'adstock=weibull_cdf, saturation=logistic, max_lag=6') AS model
FROM gt WHERE dataset = 'w104_c3';
SELECT ok(bool_and(pg_temp.rel(mmm_response(m_other.model, c.channel, s),
                               c.coefficient * logistic_saturation(s / (1 - c.decay), ln(3) / c.half_saturation)) < 1e-9),
          'logistic saturation with a Weibull adstock: the formula holds too')
FROM m_other, mmm_channels(m_other.model) c, unnest('{10,1000,8000}'::float8[]) s;
-- marginal ROI: the slope of the response curve, minus 1 (central differences)
SELECT ok(bool_and(abs(mmm_marginal_roi(m.model, c.channel, s)
                       - ((mmm_response(m.model, c.channel, s + 0.01) - mmm_response(m.model, c.channel, s - 0.01)) / 0.02 - 1))
                   < 1e-5 * (1 + abs(mmm_marginal_roi(m.model, c.channel, s)))),
          'mmm_marginal_roi = d response / d spend - 1')
FROM m, mmm_channels(m.model) c, unnest('{50,1500,9000}'::float8[]) s;
-- response curves as rows for a BI chart
SELECT is((SELECT count(*) FROM m, mmm_channels(m.model) c, generate_series(0, 20000, 500) s
           WHERE mmm_response(m.model, c.channel, s) >= 0), 164::bigint,
          'a response curve per channel from generate_series');
SELECT throws_ok($$SELECT mmm_response(model, 'tv_spot', 100) FROM m$$, '22023',
                 'the model has no channel "tv_spot"', 'an unknown channel is named');
SELECT throws_ok($$SELECT mmm_response(model, 'tv', -1) FROM m$$, '22023', NULL, 'negative spend');

-- ======================= the optimiser: hand-worked closed form ==========
-- decay 0 and slope 1 fixed: R_j(s) = b_j s / (k_j + s).  Equal marginal
-- returns b_j k_j / (k_j + s_j)^2 = mu and s_1 + s_2 = B give
--   s_j = sqrt(b_j k_j) (B + k_1 + k_2) / (sqrt(b_1 k_1) + sqrt(b_2 k_2)) - k_j
-- (when both are positive).
CREATE TABLE mm AS
SELECT mmm_fit(week, variable, value, role, 'decay=0, slope=1, seasonality=yearly(order=1)') AS model
FROM gt WHERE dataset = 'w104_c3' AND variable IN ('revenue', 'paid_social', 'organic_social');
CREATE TABLE closed AS
WITH p AS (
    SELECT channel, coefficient AS b, half_saturation AS k FROM mm, mmm_channels(mm.model)
), budget AS (SELECT 9000::float8 AS total_budget)
SELECT p.channel,
       sqrt(p.b * p.k) * (total_budget + (SELECT sum(k) FROM p)) / (SELECT sum(sqrt(b * k)) FROM p) - p.k AS s,
       p.b, p.k
FROM p, budget;
SELECT ok(bool_and(s > 0), 'the closed form puts both channels inside their bounds') FROM closed;
SELECT ok(bool_and(pg_temp.rel(o.optimal_spend, c.s) < 1e-9), 'mmm_optimize = the closed-form allocation (1e-9)')
FROM mm, mmm_optimize(mm.model, 9000) o JOIN closed c USING (channel);
SELECT ok(max(marginal_roi) - min(marginal_roi) < 1e-9, 'equal marginal ROI at the optimum')
FROM mm, mmm_optimize(mm.model, 9000);
SELECT ok(bool_and(pg_temp.rel(optimal_kpi, mmm_response(mm.model, channel, optimal_spend)) < 1e-15
                   AND pg_temp.rel(current_kpi, mmm_response(mm.model, channel, current_spend)) < 1e-15),
          'optimal and current KPI are the response curve at those spends')
FROM mm, mmm_optimize(mm.model, 9000);
SELECT ok(bool_and(pg_temp.rel(current_spend, c.spend / 104) < 1e-12),
          'current spend = the mean spend per fitted week')
FROM mm, mmm_optimize(mm.model, 9000) o JOIN mmm_channels(mm.model) c USING (channel);

-- ======================= the optimiser against scipy's SLSQP ============
-- S-shaped curves (Hill slopes 2.5, 1.2, 3): local optima.  Every nonlinear
-- parameter fixed so the reference can rebuild the curves (the coefficients
-- = scipy's bounded least squares, test/pgtap/mmm.sql checks the same kind).
CREATE TABLE ms AS
SELECT mmm_fit(week, variable, value, role,
       'decay(organic_social)=0.2, half_saturation(organic_social)=6000, slope(organic_social)=2.5, '
       'decay(paid_social)=0.4, half_saturation(paid_social)=5000, slope(paid_social)=1.2, '
       'decay(search)=0.3, half_saturation(search)=7000, slope(search)=3, ridge=0.01, '
       'seasonality=yearly(order=2)') AS model
FROM gt WHERE dataset = 'w104_c3';
SELECT ok(bool_and(CASE channel WHEN 'organic_social' THEN pg_temp.rel(coefficient, 19245.350082367382) < 1e-9
                                WHEN 'paid_social' THEN pg_temp.rel(coefficient, 27271.29945203205) < 1e-9
                                ELSE pg_temp.rel(coefficient, 16967.71310328922) < 1e-9 END),
          'the S-shaped model''s coefficients = scipy''s (1e-9)')
FROM ms, mmm_channels(ms.model);
-- best of 12 SLSQP starts (equal split, then Dirichlet draws)
CREATE TABLE slsqp (budget float8, total float8);
INSERT INTO slsqp VALUES (2000, 10382.31239074823), (6000, 19000.744875030276), (12000, 31547.44805825028);
CREATE TABLE opt AS
SELECT s.budget, s.total AS slsqp_total, sum(o.optimal_kpi) AS total, sum(o.optimal_spend) AS spent
FROM slsqp s, ms, mmm_optimize(ms.model, s.budget) o GROUP BY s.budget, s.total;
SELECT ok(bool_and(total >= slsqp_total * (1 - 1e-12)), 'at least SLSQP''s total response at budgets 2,000, 6,000, 12,000')
FROM opt;
SELECT ok(bool_and(abs(spent - budget) <= 1e-9 * budget), 'the budget is spent exactly') FROM opt;
SELECT diag(string_agg(format('budget %s: socroi %s, SLSQP %s', budget, total, slsqp_total), '; ' ORDER BY budget)) FROM opt;
-- bounds: organic 1,000..3,000, paid 0..9,000, search 2,500..9,000 of 9,000; SLSQP 22762.196719396856
CREATE TABLE opt_b AS
SELECT o.* FROM ms, mmm_optimize(ms.model, 9000, '{organic_social,paid_social,search}',
                                 '{1000,0,2500}', '{3000,9000,9000}') o;
SELECT ok(sum(optimal_kpi) >= 22762.196719396856 * (1 - 1e-12) AND abs(sum(optimal_spend) - 9000) <= 9000 * 1e-9,
          'with bounds: at least SLSQP''s total, budget spent exactly') FROM opt_b;
SELECT ok(bool_and(CASE channel WHEN 'organic_social' THEN optimal_spend BETWEEN 1000 AND 3000
                                WHEN 'paid_social' THEN optimal_spend BETWEEN 0 AND 9000
                                ELSE optimal_spend BETWEEN 2500 AND 9000 END),
          'every bound kept') FROM opt_b;
SELECT is((SELECT count(*) FROM ms, mmm_optimize(ms.model, 500, '{search}', '{0}', '{800}')), 1::bigint,
          'a subset of channels: one row per listed channel');
-- input errors
SELECT throws_ok($$SELECT * FROM ms, mmm_optimize(ms.model, 1000, '{search,tv}', '{0,0}', '{1000,1000}')$$,
                 '22023', 'the model has no channel "tv"', 'unknown channel');
SELECT throws_ok($$SELECT * FROM ms, mmm_optimize(ms.model, 1000, '{search,paid_social}', '{800,800}', '{1000,1000}')$$,
                 '22023', 'the minimum spends add up to 1600, above the budget 1000', 'infeasible minimums');
SELECT throws_ok($$SELECT * FROM ms, mmm_optimize(ms.model, 5000, '{search,paid_social}', '{0,0}', '{1000,1000}')$$,
                 '22023', 'the maximum spends add up to 2000, below the budget 5000', 'infeasible maximums');
SELECT throws_ok($$SELECT * FROM ms, mmm_optimize(ms.model, 1000, '{search,paid_social}', '{0}', '{1000,1000}')$$,
                 '2202E', NULL, 'arrays of different lengths');
SELECT throws_ok($$SELECT * FROM ms, mmm_optimize(ms.model, 1000, '{search,NULL}', '{0,0}', '{1000,1000}')$$,
                 '22004', NULL, 'a NULL channel');
SELECT throws_ok($$SELECT * FROM ms, mmm_optimize(ms.model, -5)$$, '22023', NULL, 'a negative budget');

-- ======================= bootstrap ======================================
CREATE TABLE boot AS
SELECT mmm_fit(week, variable, value, role, 'bootstrap=40, seed=3') AS model FROM gt WHERE dataset = 'w104_c3';
SELECT ok(bool_and(roi_low < roi_high AND contribution_low < contribution_high
                   AND roi_low <= roi + 0.5 AND roi_high >= roi - 0.5),
          'bootstrap=40: an interval per channel around the estimate') FROM boot, mmm_channels(boot.model);
SELECT is((SELECT mmm_fit(week, variable, value, role, 'bootstrap=40, seed=3')::text FROM gt WHERE dataset = 'w104_c3'),
          (SELECT model::text FROM boot), 'the same seed gives the identical model and intervals');
SELECT isnt((SELECT array_agg(roi_low ORDER BY channel) FROM mmm_channels(
                 (SELECT mmm_fit(week, variable, value, role, 'bootstrap=40, seed=4') FROM gt WHERE dataset = 'w104_c3'))),
            (SELECT array_agg(roi_low ORDER BY channel) FROM boot, mmm_channels(boot.model)),
            'another seed draws other blocks');
SELECT ok(bool_and(kpi_change_low <= kpi_change_high AND kpi_change_low IS NOT NULL),
          'mmm_optimize reports the bootstrap interval of each KPI change')
FROM boot, mmm_optimize(boot.model, 12000);

-- ======================= many geos in one GROUP BY ======================
CREATE TABLE geo_rows AS
WITH w AS (
    SELECT g, i, date '2024-01-01' + 7 * i AS week,
           CASE WHEN (i / 4 + g) % 5 = 0 THEN 0 ELSE 800 + 60 * g + 300 * ((i * 37 + g) % 7) END::float8 AS social,
           CASE WHEN (i / 3 + g) % 4 = 1 THEN 0 ELSE 1500 + 40 * g + 250 * ((i * 53 + 3 * g) % 5) END::float8 AS search
    FROM generate_series(1, 20) AS g, generate_series(0, 59) AS i
), e AS (
    SELECT *, adstock(social, 0.3 + g / 100.0) OVER (PARTITION BY g ORDER BY i) AS a1,
              adstock(search, 0.2) OVER (PARTITION BY g ORDER BY i) AS a2
    FROM w
)
SELECT 'geo_' || g AS geo, week, v.variable, v.value, v.role
FROM e CROSS JOIN LATERAL (VALUES
    ('revenue', 20000 + 100 * g + 15 * i + 4000 * hill(a1, 1500, 1.4) + 5000 * hill(a2, 2500, 1.2)
                + ((i * 7919 + g * 31) % 997 - 498) * 0.4, 'kpi'),
    ('social', social, 'media'), ('search', search, 'media')) AS v(variable, value, role);
CREATE TABLE geo_grouped AS
SELECT geo, mmm_fit(week, variable, value, role, 'seasonality=none')::text AS model FROM geo_rows GROUP BY geo;
CREATE TABLE geo_single (geo text, model text);
DO $$
DECLARE
    g text;
BEGIN
    FOR g IN SELECT DISTINCT geo FROM geo_rows LOOP
        INSERT INTO geo_single
        SELECT g, mmm_fit(week, variable, value, role, 'seasonality=none')::text FROM geo_rows WHERE geo = g;
    END LOOP;
END $$;
SELECT is((SELECT count(*) FROM geo_grouped JOIN geo_single USING (geo) WHERE geo_grouped.model = geo_single.model),
          20::bigint, 'one GROUP BY over 20 geos = 20 separate fits, byte for byte');

SELECT * FROM finish();
ROLLBACK;
