-- pgTAP: marketing mix modeling (mmm_fit, mmm_model and its readers).
--
--   * ground truth: seeded synthetic weekly revenue (104 and 156 weeks,
--     3-5 channels, 1 % noise, flighted spend, trend, yearly seasonality)
--     from known decays, Hill saturations and ROAS
--     (test/reference/mmm_reference.py writes test/data/mmm_ground_truth.csv
--     and mmm_truth.csv);
--   * the linear part against scipy's bounded least squares with every
--     nonlinear parameter fixed (values printed by the same script);
--   * decomposition adds up to fitted; the same model from rows in any
--     order, in parallel, over partitions and through the text form of the
--     partial states; cost rows, controls, holdout, other adstocks and
--     saturations, monthly and daily periods; crafted model literals.
BEGIN;
\ir lib/helpers.psql
SELECT plan(42);

CREATE TABLE gt (dataset text, week date, variable text, value float8, role text);
\copy gt FROM 'test/data/mmm_ground_truth.csv' CSV HEADER
CREATE TABLE truth (dataset text, noise float8, channel text, decay float8, half_saturation float8,
                    slope float8, coefficient float8, roas float8, contribution float8, spend float8);
\copy truth FROM 'test/data/mmm_truth.csv' CSV HEADER

-- ======================= ground truth ===================================
CREATE TABLE models AS
SELECT dataset, mmm_fit(week, variable, value, role) AS model FROM gt GROUP BY dataset;
CREATE TABLE fitted AS
SELECT m.dataset, c.*, t.roas AS true_roas, t.decay AS true_decay, s.cv_rmse, s.r_squared
FROM models m CROSS JOIN LATERAL mmm_channels(m.model) c
JOIN truth t ON t.dataset = m.dataset AND t.channel = c.channel
CROSS JOIN LATERAL mmm_fit_stats(m.model) s;

SELECT is((SELECT count(*) FROM fitted), 17::bigint, 'four datasets, 17 channels fitted');
SELECT ok(bool_and(r_squared > 0.98), 'R^2 above 0.98 on 1 % noise') FROM fitted;
SELECT is((SELECT count(*) FROM fitted WHERE abs(roas / true_roas - 1) < 0.2), 17::bigint,
          'every channel''s ROAS within 20 % of the truth');
SELECT diag('ROAS relative errors: ' || string_agg(dataset || '/' || channel || ' ' || round((roas / true_roas - 1)::numeric, 3),
                                                  ', ' ORDER BY dataset, channel)) FROM fitted;
-- A decay is either within 0.1 of the truth, or the data themselves prefer
-- the fitted one: refitted with its decay fixed at the truth, the model's
-- cross-validated error is larger (an identifiability limit of the data at
-- this noise, not a search failure).
CREATE TABLE decay_check AS
SELECT f.dataset, f.channel, f.decay, f.true_decay, f.cv_rmse,
       CASE WHEN abs(f.decay - f.true_decay) < 0.1 THEN NULL ELSE
           (SELECT s.cv_rmse FROM (SELECT mmm_fit(week, variable, value, role,
                   format('decay(%s)=%s', f.channel, f.true_decay)) AS m
                   FROM gt WHERE gt.dataset = f.dataset) r, mmm_fit_stats(r.m) s) END AS cv_at_true_decay
FROM fitted f;
SELECT is((SELECT count(*) FROM decay_check
           WHERE abs(decay - true_decay) < 0.1 OR cv_at_true_decay > cv_rmse), 17::bigint,
          'every decay within 0.1 of the truth, or the truth fits the data worse');
SELECT diag('decays within 0.1: ' || count(*) FILTER (WHERE abs(decay - true_decay) < 0.1) || ' of ' || count(*)
            || coalesce('; ' || string_agg(format('%s/%s fitted %s, true %s, cv rmse %s vs %s at the true decay',
                    dataset, channel, round(decay::numeric, 3), round(true_decay::numeric, 3),
                    round(cv_rmse::numeric), round(cv_at_true_decay::numeric)), '; ')
                    FILTER (WHERE abs(decay - true_decay) >= 0.1), ''))
FROM decay_check;

-- ======================= the linear part against scipy ==================
-- every nonlinear parameter fixed, ridge given: only the ridge-NNLS remains
CREATE TABLE lin AS
SELECT mmm_fit(week, variable, value, role,
       'decay(organic_social)=0.2, half_saturation(organic_social)=6000, slope(organic_social)=1.5, '
       'decay(paid_social)=0.4, half_saturation(paid_social)=5000, slope(paid_social)=1.2, '
       'decay(search)=0.3, half_saturation(search)=7000, slope(search)=2, ridge=0.01, '
       'seasonality=yearly(order=2)') AS model
FROM gt WHERE dataset = 'w104_c3';
-- scipy.optimize.lsq_linear on [Z/sqrt(n); sqrt(0.01) I] with media >= 0
SELECT ok(bool_and(CASE channel
              WHEN 'organic_social' THEN pg_temp.rel(coefficient, 22137.35034037347) < 1e-9
                                         AND pg_temp.rel(contribution, 907225.572244601) < 1e-9
              WHEN 'paid_social' THEN pg_temp.rel(coefficient, 27417.97680679233) < 1e-9
                                      AND pg_temp.rel(contribution, 1325912.6786883886) < 1e-9
              WHEN 'search' THEN pg_temp.rel(coefficient, 19308.71239557652) < 1e-9
                                 AND pg_temp.rel(roas, 1.8756935397103986) < 1e-9 END),
          'fixed transforms, ridge 0.01: media coefficients and contributions = scipy (1e-9)')
FROM lin, mmm_channels(lin.model);
SELECT ok(pg_temp.rel((SELECT value FROM mmm_decomposition(model) WHERE component = 'intercept' LIMIT 1), 101287.9229095268) < 1e-9
          AND pg_temp.rel((SELECT value FROM mmm_decomposition(model) WHERE component = 'trend' AND period = '2022-01-10'), 76.20698855193659) < 1e-9,
          'fixed transforms: intercept and trend per week = scipy (1e-9)')
FROM lin;
-- a channel that lowers revenue: the non-negative coefficient is held at 0
CREATE TABLE lin_neg AS
SELECT mmm_fit(week, variable, value, role,
       'decay(organic_social)=0.2, half_saturation(organic_social)=6000, slope(organic_social)=1.5, '
       'decay(paid_social)=0.4, half_saturation(paid_social)=5000, slope(paid_social)=1.2, '
       'decay(search)=0.3, half_saturation(search)=7000, slope(search)=2, ridge=0.0001, '
       'seasonality=yearly(order=1)') AS model
FROM (SELECT g.week, g.variable, g.role,
             g.value - CASE WHEN g.role = 'kpi' THEN 2 * s.value ELSE 0 END AS value
      FROM gt g JOIN gt s ON s.dataset = g.dataset AND s.week = g.week AND s.variable = 'search'
      WHERE g.dataset = 'w104_c3') d;
SELECT ok(bool_and(CASE channel
              WHEN 'organic_social' THEN pg_temp.rel(coefficient, 23045.073869390795) < 1e-9
              WHEN 'paid_social' THEN pg_temp.rel(coefficient, 26358.969508772832) < 1e-9
              WHEN 'search' THEN coefficient = 0 AND contribution = 0 AND roi = -1 END),
          'a harmful channel gets coefficient 0 (NNLS), the others = scipy (1e-9)')
FROM lin_neg, mmm_channels(lin_neg.model);

-- ======================= decomposition ==================================
SELECT is((SELECT count(*) FROM (
    SELECT m.dataset, d.period,
           sum(d.value) FILTER (WHERE d.component NOT IN ('actual', 'fitted')) AS parts,
           max(d.value) FILTER (WHERE d.component = 'fitted') AS fitted
    FROM models m, mmm_decomposition(m.model) d GROUP BY 1, 2) x
    WHERE abs(parts - fitted) > 1e-9 * abs(fitted)), 0::bigint,
    'components add up to fitted in every period (1e-9)');
SELECT ok(bool_and(pg_temp.rel(c.contribution, (SELECT sum(d.value) FROM mmm_decomposition(m.model) d
                                                WHERE d.component = c.channel)) < 1e-12),
          'a channel''s contribution is the sum of its decomposition rows')
FROM models m, mmm_channels(m.model) c;
SELECT is((SELECT array_agg(DISTINCT component ORDER BY component) FROM mmm_decomposition(model)),
          '{actual,display,fitted,intercept,organic_social,paid_social,search,seasonality,trend,tv}'::text[],
          'components: actual, fitted, intercept, trend, seasonality and every channel')
FROM models WHERE dataset = 'w104_c5';
SELECT ok(abs(sum(contribution_share) - 1) < 1e-12 AND abs(sum(spend_share) - 1) < 1e-12
          AND bool_and(pg_temp.rel(roi, roas - 1) < 1e-12 OR abs(roi - (roas - 1)) < 1e-12),
          'shares add up to 1 and roi = roas - 1')
FROM models m, mmm_channels(m.model) c WHERE m.dataset = 'w156_c5';
SELECT ok(bool_and(marginal_roi < roi), 'marginal ROI below average ROI: diminishing returns')
FROM models m, mmm_channels(m.model) c WHERE m.dataset = 'w156_c4';

-- ======================= the same model, however computed ===============
CREATE TABLE one AS SELECT week, variable, value, role FROM gt WHERE dataset = 'w156_c5';
CREATE TABLE reference AS SELECT mmm_fit(week, variable, value, role)::text AS model FROM one;
SELECT is((SELECT mmm_fit(week, variable, value, role)::text FROM (SELECT * FROM one ORDER BY random()) s),
          (SELECT model FROM reference), 'rows in random order: the identical model');
SELECT is((SELECT mmm_fit(week, variable, value, role)::text FROM (SELECT * FROM one ORDER BY week DESC, variable DESC) s),
          (SELECT model FROM reference), 'rows in reverse order: the identical model');
-- daily rows summed into weeks by the aggregate: the same sums, any split
SELECT is((SELECT mmm_fit(week, variable, part, role)::text FROM
             (SELECT week, variable, role, value * f AS part FROM one, unnest('{0.25,0.5,0.25}'::float8[]) f) s),
          (SELECT model FROM reference), 'a value split into rows that add up to it: the identical model');
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
SELECT matches(pg_temp.plan_of('SELECT mmm_fit(week, variable, value, role) FROM one'), 'Partial Aggregate',
               'forced parallel plan has a Partial Aggregate');
SELECT is((SELECT mmm_fit(week, variable, value, role)::text FROM one), (SELECT model FROM reference),
          'parallel workers: the identical model');
RESET ALL;
CREATE TABLE parts (LIKE gt) PARTITION BY HASH (week);
CREATE TABLE parts_0 PARTITION OF parts FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE parts_1 PARTITION OF parts FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE parts_2 PARTITION OF parts FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO parts SELECT * FROM gt;
ANALYZE parts;
SET enable_partitionwise_aggregate = on;
SELECT matches(pg_temp.plan_of('SELECT dataset, mmm_fit(week, variable, value, role) FROM parts GROUP BY dataset'),
               'Partial', 'partitioned by week: partial aggregation per partition');
SELECT is((SELECT count(*) FROM (SELECT dataset, mmm_fit(week, variable, value, role)::text AS model
                                 FROM parts GROUP BY dataset) p
                          JOIN models m USING (dataset) WHERE p.model = m.model::text), 4::bigint,
          'partitionwise: the identical models for all four datasets');
RESET enable_partitionwise_aggregate;
-- Citus ships partial states through their text form
CREATE AGGREGATE pg_temp.mmm_partial(date, text, float8, text) (SFUNC = mmm_fit_transfn, STYPE = mmm_fit_state);
CREATE AGGREGATE pg_temp.mmm_merge(mmm_fit_state) (SFUNC = mmm_fit_combinefn, STYPE = mmm_fit_state,
                                                   FINALFUNC = mmm_fit_finalfn);
CREATE TABLE slices AS
SELECT s, pg_temp.mmm_partial(week, variable, value, role)::text AS state
FROM (SELECT *, (hashtext(variable || week) & 3) AS s FROM one) x GROUP BY s;
SELECT is((SELECT count(*) FROM slices WHERE state::mmm_fit_state::text <> state), 0::bigint,
          'partial state text round trip is exact');
SELECT is((SELECT pg_temp.mmm_merge(state::mmm_fit_state ORDER BY s)::text FROM slices),
          (SELECT model FROM reference), 'partial states through text, merged: the identical model');
SELECT is((SELECT pg_temp.mmm_merge(state::mmm_fit_state ORDER BY s DESC)::text FROM slices),
          (SELECT model FROM reference), 'merged in the other order: the identical model');
-- the model's own text form
SELECT is((SELECT model::mmm_model::text FROM reference), (SELECT model FROM reference),
          'model text round trip is exact');
-- the binary form (send/recv) through COPY BINARY
CREATE TABLE models_bin (dataset text, model mmm_model);
DO $$
DECLARE
    f text := current_setting('data_directory') || '/socroi_mmm_models.bin';
BEGIN
    EXECUTE format('COPY (SELECT dataset, model FROM models) TO %L (FORMAT binary)', f);
    EXECUTE format('COPY models_bin FROM %L (FORMAT binary)', f);
END $$;
SELECT is((SELECT count(*) FROM models_bin b JOIN models m USING (dataset) WHERE b.model::text = m.model::text),
          4::bigint, 'model binary round trip (send/recv) is exact');
SELECT ok((SELECT bool_and(a.roas = b.roas AND a.decay = b.decay AND a.coefficient = b.coefficient)
           FROM mmm_channels((SELECT model::mmm_model FROM reference)) a
           JOIN mmm_channels((SELECT mmm_fit(week, variable, value, role) FROM one)) b USING (channel)),
          'a model read back from text reports the same channels');

-- ======================= options and roles ==============================
-- holdout: the last 8 weeks are predicted, not fitted
CREATE TABLE held AS SELECT mmm_fit(week, variable, value, role, 'holdout=8') AS model FROM one;
SELECT ok(periods = 148 AND holdout_periods = 8 AND holdout_mape < 0.05 AND first_period = '2022-01-03'
          AND last_period = '2024-12-23', 'holdout=8: 148 fitted weeks, holdout MAPE below 5 %')
FROM held, mmm_fit_stats(held.model);
SELECT is((SELECT count(DISTINCT period) FROM mmm_decomposition(model)), 156::bigint,
          'the decomposition covers the held-out weeks too') FROM held;
SELECT ok(options = 'adstock=geometric, saturation=hill, trend=linear, seasonality=yearly(order=2), holdout=8, '
                    'bootstrap=0, seed=0, confidence=0.9, ridge=auto, decay=0..0.9, slope=1..3, saturation_range=0.2..5',
          'options spelled out, seasonality resolved') FROM held, mmm_fit_stats(held.model);
-- impressions with cost rows: the same model in money terms
CREATE TABLE impressions AS
SELECT week, variable, CASE WHEN role = 'media' THEN value * 250 ELSE value END AS value, role FROM one
UNION ALL SELECT week, variable, value, 'cost' FROM one WHERE role = 'media';
SELECT ok(bool_and(pg_temp.rel(a.roas, b.roas) < 1e-6 AND pg_temp.rel(a.spend, b.spend) < 1e-12
                   AND pg_temp.rel(a.half_saturation, b.half_saturation) < 1e-6),
          'media in impressions plus cost rows: the same ROAS, spend and half-saturation (cost units)')
FROM mmm_channels((SELECT mmm_fit(week, variable, value, role) FROM impressions)) a
JOIN mmm_channels((SELECT model::mmm_model FROM reference)) b USING (channel);
-- a control: promotion weeks add 6,000
CREATE TABLE promo AS
SELECT week, variable, value + CASE WHEN role = 'kpi' AND extract(week FROM week)::int % 9 = 0 THEN 6000 ELSE 0 END AS value, role
FROM one
UNION ALL SELECT week, 'promotion', (extract(week FROM week)::int % 9 = 0)::int, 'control' FROM one WHERE role = 'kpi';
SELECT ok(abs(avg(value) FILTER (WHERE component = 'promotion' AND value <> 0) / 6000 - 1) < 0.1,
          'a control''s effect recovered within 10 %')
FROM mmm_decomposition((SELECT mmm_fit(week, variable, value, role) FROM promo));
-- other adstocks and saturation curves fit the same data
SELECT ok(r_squared > 0.98 AND options LIKE 'adstock=weibull_cdf, saturation=logistic, max_lag=8%',
          'weibull_cdf adstock with logistic saturation')
FROM mmm_fit_stats((SELECT mmm_fit(week, variable, value, role, 'adstock=weibull_cdf, saturation=logistic, max_lag=8') FROM one));
SELECT ok(bool_and(decay >= 0 AND decay < 1 AND slope IS NULL AND half_saturation > 0),
          'logistic: no slope; Weibull decay reported as the equivalent geometric one')
FROM mmm_channels((SELECT mmm_fit(week, variable, value, role, 'adstock=weibull_pdf, saturation=logistic, max_lag=6') FROM one));
-- fixed parameters and per-channel bounds are honoured
SELECT ok(bool_and(CASE channel WHEN 'tv' THEN decay = 0.25 AND slope = 1.5
                                WHEN 'search' THEN decay BETWEEN 0.05 AND 0.15 ELSE true END),
          'decay(tv)=0.25, slope(tv)=1.5 fixed; decay(search) within 0.05..0.15')
FROM mmm_channels((SELECT mmm_fit(week, variable, value, role,
                   'decay(tv)=0.25, slope(tv)=1.5, decay(search)=0.05..0.15') FROM one));
-- monthly periods: calendar months detected, yearly seasonality has 12 periods a year
CREATE TABLE monthly AS
SELECT date_trunc('month', week)::date AS month, variable, sum(value) AS value, role
FROM gt WHERE dataset = 'w156_c4' AND variable IN ('revenue', 'paid_social') GROUP BY 1, 2, 4;
SELECT ok(first_period = '2022-01-01' AND last_period = '2024-12-01' AND periods = 36,
          'monthly rows: 36 calendar months')
FROM mmm_fit_stats((SELECT mmm_fit(month, variable, value, role, 'seasonality=yearly(order=1)') FROM monthly));
SELECT throws_ok($$SELECT mmm_fit(month, variable, value, role) FROM monthly WHERE month <> '2023-05-01'$$,
                 '22023', 'the kpi "revenue" has no value for period 2023-05-01',
                 'a missing month is named');
-- daily periods: weekly seasonality is available
CREATE TABLE daily AS
SELECT d::date AS day, v.variable, v.value, v.role
FROM generate_series(date '2024-01-01', date '2024-06-28', '1 day') d,
     LATERAL (SELECT CASE WHEN extract(dow FROM d) IN (0, 6) THEN 0 ELSE 100 + (extract(doy FROM d)::int * 37) % 50 END AS spend) s,
     LATERAL (VALUES ('orders', 500 + 0.8 * s.spend + 40 * (extract(dow FROM d) = 5)::int, 'kpi'),
                     ('ads', s.spend, 'media')) v(variable, value, role);
SELECT ok(periods = 180 AND options LIKE '%seasonality=weekly(order=3)%' AND r_squared > 0.9,
          'daily rows: 180 days, weekly seasonality chosen by auto')
FROM mmm_fit_stats((SELECT mmm_fit(day, variable, value, role) FROM daily));

-- ======================= crafted models =================================
SELECT throws_ok($$SELECT 'mmm_model:1 "x"'::mmm_model$$, '22P02', NULL, 'a crafted literal is an ERROR');
SELECT throws_ok($$SELECT 'mmm_model:2'::mmm_model$$, '0A000', NULL, 'a newer format version is refused as not supported');
SELECT throws_ok($$SELECT 'mmm_model:0'::mmm_model$$, '22P02', NULL, 'an unknown older format version is an ERROR');
SELECT throws_ok($$SELECT (regexp_replace(model, ' 156 156 ', ' 156 157 '))::mmm_model FROM reference$$,
                 '22P02', NULL, 'fitted periods beyond the data are refused');
SELECT throws_ok($$SELECT (regexp_replace(model, '"tv" 0', '"search" 0'))::mmm_model FROM reference$$,
                 '22P02', NULL, 'duplicate channel names are refused');
-- truncations and mutated numbers: each an ERROR or a valid model the readers handle
CREATE TABLE mutants AS
SELECT left(model, n) AS m FROM reference, generate_series(1, length(model), 97) n
UNION ALL
SELECT overlay(model placing r from p for 1) FROM reference, generate_series(20, 2000, 37) p,
       unnest('{9,-,x,e,0}'::text[]) r;
DO $$
DECLARE
    m text;
    bad int := 0;
    good int := 0;
BEGIN
    FOR m IN SELECT * FROM mutants LOOP
        BEGIN
            PERFORM (SELECT count(*) FROM mmm_channels(m::mmm_model)),
                    (SELECT count(*) FROM mmm_decomposition(m::mmm_model)),
                    mmm_fit_stats(m::mmm_model);
            good := good + 1;
        EXCEPTION WHEN OTHERS THEN
            bad := bad + 1;
        END;
    END LOOP;
    RAISE NOTICE 'mutants: % rejected, % read', bad, good;
    CREATE TEMP TABLE mutants_done AS SELECT bad, good;
END $$;
SELECT ok(bad + good = (SELECT count(*) FROM mutants) AND bad > 0, 'crafted models: errors or valid reads, no crash')
FROM mutants_done;

SELECT * FROM finish();
ROLLBACK;
