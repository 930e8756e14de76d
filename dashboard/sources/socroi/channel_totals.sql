-- January to October per channel: every cost, credited revenue and
-- purchases (position-based), roi_percent and roas over the sums.
SELECT r.channel, r.kind, r.is_social,
       sum(k.ad_spend)::float8      AS ad_spend,
       sum(k.staff_cost)::float8    AS staff_cost,
       sum(k.tools_content)::float8 AS tools_content,
       sum(r.total_cost)::float8    AS total_cost,
       sum(r.credited_revenue)      AS credited_revenue,
       sum(r.credited_conversions)  AS credited_conversions,
       roi_percent(sum(r.credited_revenue), sum(r.total_cost)::float8) AS roi_pct,
       roas(sum(r.credited_revenue), sum(r.total_cost)::float8)        AS roas
FROM bi_channel_roi_monthly AS r
JOIN bi_channel_costs_monthly AS k USING (month, channel)
GROUP BY r.channel, r.kind, r.is_social
ORDER BY r.channel
