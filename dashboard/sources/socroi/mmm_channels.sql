-- ROI per channel from the brand's marketing mix model (stored in
-- mmm_models; mmm_channels): cost and contribution over the fitted weeks,
-- ROI with its 90 % bootstrap interval, the marginal ROI, the carry-over
-- (decay); next to the truth the demo's revenue was generated from
-- (mmm_truth: true ROI = roas - 1).  Plus the fit's quality (mmm_fit_stats).
WITH m AS (
    SELECT model FROM mmm_models WHERE scope = 'brand'
)
SELECT c.channel,
       t.activity,
       c.spend AS cost,
       c.spend / s.periods AS weekly_cost,
       c.contribution,
       c.contribution_low,
       c.contribution_high,
       c.contribution_share,
       c.spend_share,
       c.roi,
       c.roi_low,
       c.roi_high,
       t.roas - 1 AS true_roi,
       c.marginal_roi,
       c.decay,
       t.decay AS true_decay,
       s.periods AS fitted_weeks,
       s.holdout_periods AS holdout_weeks,
       s.r_squared,
       s.mape,
       s.holdout_mape
FROM m CROSS JOIN LATERAL mmm_channels(m.model) AS c
CROSS JOIN LATERAL mmm_fit_stats(m.model) AS s
JOIN mmm_truth AS t ON t.channel = c.channel
ORDER BY c.contribution DESC
