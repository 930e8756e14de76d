-- Every week of the brand's marketing mix model (mmm_models, fitted with
-- mmm_fit when the warehouse was loaded: nothing is refitted here), split by
-- mmm_decomposition: the actual and the fitted revenue, and the parts of the
-- fitted revenue -- the intercept (the base), the trend, the yearly
-- seasonality and each channel's contribution.  kind: 'fit', 'base' or
-- 'channel'; component_no orders them (channels by their total contribution);
-- holdout marks the weeks after the fitted ones (mmm_fit_stats: periods).
WITH m AS (
    SELECT model FROM mmm_models WHERE scope = 'brand'
), d AS (
    SELECT d.period, d.component, d.value,
           dense_rank() OVER (ORDER BY d.period) > s.periods AS holdout
    FROM m CROSS JOIN LATERAL mmm_fit_stats(m.model) AS s
    CROSS JOIN LATERAL mmm_decomposition(m.model) AS d
), channel_rank AS (
    SELECT c.channel, row_number() OVER (ORDER BY c.contribution DESC) AS r
    FROM m CROSS JOIN LATERAL mmm_channels(m.model) AS c
)
SELECT d.period AS week,
       d.component,
       CASE WHEN d.component IN ('actual', 'fitted') THEN 'fit'
            WHEN cr.channel IS NULL THEN 'base'
            ELSE 'channel' END AS kind,
       CASE d.component WHEN 'actual' THEN 1 WHEN 'fitted' THEN 2 WHEN 'intercept' THEN 3
                        WHEN 'trend' THEN 4 WHEN 'seasonality' THEN 5
                        ELSE 5 + coalesce(cr.r, 99) END AS component_no,
       d.value,
       d.holdout
FROM d LEFT JOIN channel_rank AS cr ON cr.channel = d.component
ORDER BY d.period, component_no
