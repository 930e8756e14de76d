-- Social ROI per month, every cost counted (the README cookbook report):
-- ad spend + staff hours x rate + tools and content of the social channels,
-- against the revenue they earned under a position-based model.
WITH cost AS (
    SELECT c.month, sum(c.amount) AS cost
    FROM (SELECT month, channel, spend AS amount FROM ad_spend
          UNION ALL SELECT month, channel, effort_cost(hours, hourly_rate) FROM staff_time
          UNION ALL SELECT month, channel, amount FROM other_costs) AS c
    JOIN channels USING (channel)
    WHERE channels.is_social
    GROUP BY c.month
), revenue AS (
    SELECT p.month, sum(c.value) AS revenue, sum(c.conversions) AS conversions
    FROM (SELECT month, attribution(path, 1, value, 'position_based') AS credits
          FROM journey_paths WHERE converted GROUP BY month) AS p
    CROSS JOIN LATERAL unnest(p.credits) AS c
    JOIN channels ON channels.channel = c.channel AND channels.is_social
    GROUP BY p.month
)
SELECT month,
       cost::float8 AS cost,
       revenue AS credited_revenue,
       conversions AS credited_conversions,
       roi_percent(revenue, cost::float8) AS roi_pct
FROM cost JOIN revenue USING (month)
ORDER BY month
