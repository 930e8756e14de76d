-- Every channel per month: each cost (ad spend, staff time as money with
-- effort_cost, tools and content), the revenue and conversions credited under
-- a position-based model, and ROI (roi_percent, roas).  From the demo's BI
-- views; numbers as double precision for the dashboard.
SELECT r.month, r.channel, r.kind, r.is_social,
       k.ad_spend::float8      AS ad_spend,
       k.staff_cost::float8    AS staff_cost,
       k.tools_content::float8 AS tools_content,
       r.total_cost::float8    AS total_cost,
       r.credited_conversions,
       r.credited_revenue,
       r.roi_pct,
       r.roas
FROM bi_channel_roi_monthly AS r
JOIN bi_channel_costs_monthly AS k USING (month, channel)
ORDER BY r.month, r.channel
