-- Next quarter's budget from the brand's marketing mix model (stored in
-- mmm_models): today's total weekly budget -- every channel's mean weekly
-- cost over the fitted weeks -- moved between the channels by mmm_optimize,
-- each kept between half and twice its current level (the range the data
-- has seen), the same total.  Per channel: the weekly spend now and at the
-- optimum, the revenue per week at each (mmm_response), the change with its
-- 90 % interval from the bootstrap replicates, and the marginal ROI at the
-- optimum.  A quarter is 13 such weeks.
WITH m AS (
    SELECT model FROM mmm_models WHERE scope = 'brand'
), today AS (
    SELECT array_agg(c.channel ORDER BY c.channel) AS channels,
           array_agg(c.spend / s.periods / 2 ORDER BY c.channel) AS min_spend,
           array_agg(c.spend / s.periods * 2 ORDER BY c.channel) AS max_spend,
           sum(c.spend / s.periods) AS budget
    FROM m CROSS JOIN LATERAL mmm_fit_stats(m.model) AS s
    CROSS JOIN LATERAL mmm_channels(m.model) AS c
)
SELECT o.channel,
       o.current_spend,
       o.optimal_spend,
       o.current_kpi AS current_revenue,
       o.optimal_kpi AS optimal_revenue,
       o.optimal_kpi - o.current_kpi AS revenue_change,
       o.kpi_change_low AS revenue_change_low,
       o.kpi_change_high AS revenue_change_high,
       o.marginal_roi AS marginal_roi_optimal,
       mmm_marginal_roi(m.model, o.channel, o.current_spend) AS marginal_roi_current
FROM m CROSS JOIN today AS t
CROSS JOIN LATERAL mmm_optimize(m.model, t.budget, t.channels, t.min_spend, t.max_spend) AS o
ORDER BY o.channel
