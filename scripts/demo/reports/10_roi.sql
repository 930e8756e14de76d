\echo
\echo '== ROI per channel per month (last quarter) =================================='
\echo 'Revenue: deals won from the channel''s leads in the month.  Cost: ad spend +'
\echo 'staff time (hours x rate, effort_cost) + tools and content.  Money in EUR.'
\echo
WITH cost AS (
    SELECT month, channel, sum(amount) AS cost_eur
    FROM (SELECT month, channel, spend AS amount FROM ad_spend
          UNION ALL
          SELECT month, channel, effort_cost(hours, hourly_rate) FROM staff_time
          UNION ALL
          SELECT month, channel, amount FROM other_costs) AS c
    GROUP BY month, channel
), revenue AS (
    SELECT date_trunc('month', converted_at AT TIME ZONE 'UTC')::date AS month, channel,
           sum(deal_value) AS revenue_eur, count(*) AS deals
    FROM leads WHERE converted_at IS NOT NULL
    GROUP BY 1, 2
)
SELECT to_char(c.month, 'YYYY-MM')                      AS month,
       c.channel,
       to_char(c.cost_eur, 'FM999G999G990D00')              AS cost_eur,
       coalesce(r.deals, 0)                             AS deals,
       to_char(coalesce(r.revenue_eur, 0), 'FM999G999G990D00') AS revenue_eur,
       round(roi_percent(coalesce(r.revenue_eur, 0), c.cost_eur), 1) AS roi_pct,
       round(roas(coalesce(r.revenue_eur, 0), c.cost_eur), 2)        AS roas
FROM cost c
LEFT JOIN revenue r USING (month, channel)
WHERE c.month >= date '2026-08-01'
ORDER BY c.month, roi_pct DESC;

\echo
\echo '== ROI per channel, January to October 2026 ================================'
\echo 'Every cost counted; staff time is often the largest cost of organic social.'
\echo
WITH cost AS (
    SELECT channel,
           sum(spend) FILTER (WHERE kind = 'ads')     AS ad_spend,
           sum(spend) FILTER (WHERE kind = 'staff')   AS staff,
           sum(spend) FILTER (WHERE kind = 'other')   AS tools_content
    FROM (SELECT channel, 'ads' AS kind, spend FROM ad_spend
          UNION ALL
          SELECT channel, 'staff', effort_cost(hours, hourly_rate) FROM staff_time
          UNION ALL
          SELECT channel, 'other', amount FROM other_costs) AS c
    GROUP BY channel
), revenue AS (
    SELECT channel, sum(deal_value) AS revenue
    FROM leads WHERE converted_at IS NOT NULL GROUP BY channel
)
SELECT channel,
       to_char(coalesce(ad_spend, 0), 'FM999G999G990D00')      AS ad_spend_eur,
       to_char(coalesce(staff, 0), 'FM999G999G990D00')         AS staff_eur,
       to_char(coalesce(tools_content, 0), 'FM999G999G990D00') AS tools_content_eur,
       to_char(coalesce(revenue, 0), 'FM9G999G999G990D00')     AS revenue_eur,
       round(roi_percent(coalesce(revenue, 0),
                         coalesce(ad_spend, 0) + coalesce(staff, 0) + coalesce(tools_content, 0)), 1) AS roi_pct
FROM cost FULL JOIN revenue USING (channel)
ORDER BY roi_pct DESC NULLS LAST;
