-- Marketing mix modeling over warehouse/70_mmm.sql: ROI per channel from
-- weekly spend (or staff hours) and weekly revenue alone -- no click paths,
-- no tracking.  The revenue was generated from known effects, so the fitted
-- ROI is printed next to the truth.
CREATE TEMP TABLE mmm AS
SELECT mmm_fit(week, variable, value, role, 'holdout=8') AS model FROM mmm_rows;

\echo
\echo '== Marketing mix model: ROI per channel from weekly spend and revenue ======'
\echo 'Three years of weeks (the last 8 held out); organic social counts staff hours,'
\echo 'costed at the hourly rate.  true_* = the effects the revenue was built from.'
\echo
SELECT c.channel, t.activity,
       round(c.spend) AS cost, round(c.contribution) AS revenue_from_channel,
       round(c.roi::numeric * 100) AS roi_pct, round((t.roas - 1)::numeric * 100) AS true_roi_pct,
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
