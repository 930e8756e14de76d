-- Response curves of the brand's marketing mix model (stored in mmm_models):
-- the revenue per week a channel brings at a sustained weekly spend
-- (mmm_response) and the return of the next euro there (mmm_marginal_roi),
-- on a grid of 21 spends from 0 to twice the channel's mean weekly cost over
-- the fitted weeks (step 10 = today's spend, is_current).
WITH m AS (
    SELECT model FROM mmm_models WHERE scope = 'brand'
), today AS (
    SELECT c.channel, c.spend / s.periods AS current_spend
    FROM m CROSS JOIN LATERAL mmm_fit_stats(m.model) AS s
    CROSS JOIN LATERAL mmm_channels(m.model) AS c
)
SELECT t.channel,
       g.step,
       g.step = 10 AS is_current,
       t.current_spend * g.step / 10 AS weekly_spend,
       mmm_response(m.model, t.channel, t.current_spend * g.step / 10) AS weekly_revenue,
       mmm_marginal_roi(m.model, t.channel, t.current_spend * g.step / 10) AS marginal_roi
FROM m CROSS JOIN today AS t
CROSS JOIN generate_series(0, 20) AS g(step)
ORDER BY t.channel, g.step
