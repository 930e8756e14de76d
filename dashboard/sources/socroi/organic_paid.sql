-- Organic vs paid social per month: every cost and the revenue credited
-- under a position-based model, with roi_percent over the sums.
SELECT month, kind,
       sum(ad_spend)::float8      AS ad_spend,
       sum(staff_cost)::float8    AS staff_cost,
       sum(tools_content)::float8 AS tools_content,
       sum(total_cost)::float8    AS total_cost,
       sum(credited_revenue)      AS credited_revenue,
       sum(credited_conversions)  AS credited_conversions,
       roi_percent(sum(credited_revenue), sum(total_cost)::float8) AS roi_pct
FROM bi_channel_roi_monthly AS r
JOIN bi_channel_costs_monthly AS k USING (month, channel, kind, is_social, total_cost)
WHERE is_social
GROUP BY month, kind
ORDER BY month, kind
