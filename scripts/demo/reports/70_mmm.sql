-- Marketing mix modeling over warehouse/70_mmm.sql: ROI per channel from
-- weekly spend (or staff hours) and weekly revenue alone -- no click paths,
-- no tracking -- then next quarter's social budget, response curves and the
-- regions.  The revenue was generated from known effects, so the fitted ROI
-- is printed next to the truth.  The models were fitted when the warehouse
-- was loaded and are kept in mmm_models (the brand's with bootstrap=100).
CREATE TEMP VIEW mmm AS SELECT model FROM mmm_models WHERE scope = 'brand';

\echo
\echo '== Marketing mix model: ROI per channel from weekly spend and revenue ======'
\echo 'Three years of weeks (the last 8 held out); organic social counts staff hours,'
\echo 'costed at the hourly rate.  90 % bootstrap interval of the ROI; true_* = the'
\echo 'effects the revenue was built from.'
\echo
SELECT c.channel, t.activity,
       round(c.spend) AS cost, round(c.contribution) AS revenue_from_channel,
       round(c.roi::numeric * 100) AS roi_pct,
       round(c.roi_low::numeric * 100) || '..' || round(c.roi_high::numeric * 100) AS roi_interval,
       round((t.roas - 1)::numeric * 100) AS true_roi_pct,
       round(c.marginal_roi::numeric * 100) AS marginal_roi_pct,
       round(c.decay::numeric, 2) AS decay, t.decay AS true_decay
FROM mmm, mmm_channels(mmm.model) AS c
JOIN mmm_truth AS t USING (channel)
ORDER BY c.contribution DESC;

\echo
\echo '== How good is the fit? ====================================================='
\echo 'R^2 and MAPE over the fitted weeks, MAPE on the 8 held-out weeks, the ridge'
\echo 'penalty cross-validation chose; decomp_rssd: distance between effect and spend shares.'
\echo
SELECT periods, parameters, round(r_squared::numeric, 4) AS r_squared,
       round(mape::numeric * 100, 2) AS mape_pct, round(holdout_mape::numeric * 100, 2) AS holdout_mape_pct,
       round(durbin_watson::numeric, 2) AS durbin_watson, round(ridge_penalty::numeric, 5) AS ridge,
       round(decomp_rssd::numeric, 3) AS decomp_rssd
FROM mmm, mmm_fit_stats(mmm.model);

\echo
\echo '== Where revenue comes from, per quarter ===================================='
\echo 'mmm_decomposition splits every week''s fitted revenue into its parts.'
\echo
SELECT date_trunc('quarter', period)::date AS quarter,
       round(sum(value) FILTER (WHERE component = 'actual')) AS actual,
       round(sum(value) FILTER (WHERE component IN ('intercept', 'trend', 'seasonality'))) AS base,
       round(sum(value) FILTER (WHERE component IN ('facebook_ads', 'instagram_ads', 'linkedin_ads'))) AS paid_social,
       round(sum(value) FILTER (WHERE component IN ('instagram', 'tiktok'))) AS organic_social,
       round(sum(value) FILTER (WHERE component = 'google_ads')) AS search
FROM mmm, mmm_decomposition(mmm.model)
WHERE period >= date '2025-10-01'
GROUP BY 1 ORDER BY 1;

\echo
\echo '== Where should next quarter''s social budget go? ============================'
\echo 'Today''s weekly social spend (paid ads and the organic team''s hours) moved between'
\echo 'the five social channels, each kept between half and twice its current level;'
\echo 'the same total.  Expected revenue change per week with its 90 % interval from'
\echo 'the bootstrap replicates; the quarter is 13 such weeks.'
\echo
WITH social AS (
    -- today: each social channel's mean weekly spend over the fitted weeks
    SELECT array_agg(c.channel ORDER BY c.channel) AS channels,
           array_agg(c.spend / s.periods / 2 ORDER BY c.channel) AS lo,
           array_agg(c.spend / s.periods * 2 ORDER BY c.channel) AS hi,
           sum(c.spend / s.periods) AS budget
    FROM mmm, mmm_fit_stats(mmm.model) AS s, mmm_channels(mmm.model) AS c
    JOIN channels AS ch ON ch.channel = c.channel AND ch.is_social
), plan AS (
    SELECT o.* FROM mmm, social, mmm_optimize(mmm.model, social.budget, social.channels, social.lo, social.hi) AS o
)
SELECT channel, round(current_spend) AS weekly_spend_now, round(optimal_spend) AS weekly_spend_optimal,
       round(optimal_kpi - current_kpi) AS weekly_revenue_change,
       round(kpi_change_low) || '..' || round(kpi_change_high) AS interval_90,
       round(13 * (optimal_kpi - current_kpi)) AS quarter_change,
       round(marginal_roi::numeric * 100) AS marginal_roi_pct_at_optimum
FROM plan
UNION ALL
SELECT 'total', round(sum(current_spend)), round(sum(optimal_spend)), round(sum(optimal_kpi - current_kpi)),
       NULL, round(13 * sum(optimal_kpi - current_kpi)), NULL
FROM plan;

\echo
\echo '== Response curves (rows for a BI chart: view bi_mmm_response_curves) ========'
\echo 'Expected weekly revenue from a sustained weekly spend, and the return of the next euro.'
\echo
SELECT channel, round(weekly_spend) AS weekly_spend, round(weekly_revenue) AS weekly_revenue,
       round(marginal_roi::numeric * 100) AS marginal_roi_pct
FROM bi_mmm_response_curves
WHERE channel IN ('facebook_ads', 'tiktok') AND step % 5 = 0
ORDER BY channel, weekly_spend;

\echo
\echo '== Twenty regions, one GROUP BY =============================================='
\echo 'A model per region (mmm_fit ... GROUP BY geo, view bi_mmm_geo_roi): ROI per'
\echo 'channel and region.'
\echo
SELECT geo,
       round(max(roi) FILTER (WHERE channel = 'facebook_ads')::numeric * 100) AS facebook_ads_roi_pct,
       round(max(roi) FILTER (WHERE channel = 'instagram')::numeric * 100) AS instagram_roi_pct,
       round(max(roi) FILTER (WHERE channel = 'google_ads')::numeric * 100) AS google_ads_roi_pct
FROM bi_mmm_geo_roi
GROUP BY geo ORDER BY geo;
