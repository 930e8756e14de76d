-- Lead pools (lead_pool: slow < 50 <= medium < 75 <= fast): leads, wins,
-- conversion rate, days to convert as Kaplan-Meier quartiles with the leads
-- still open at the end of October censored at their age (time_to_convert),
-- each lead's share of its channel's monthly cost, revenue and ROI.
WITH lead_cost AS (
    SELECT l.lead_id, k.total_cost / count(*) OVER (PARTITION BY l.channel, k.month) AS cost
    FROM leads AS l
    JOIN bi_channel_costs_monthly AS k
      ON k.channel = l.channel AND k.month = date_trunc('month', l.created_at AT TIME ZONE 'UTC')::date
), pools AS (
    SELECT lead_pool_index(l.score) AS pool_no, lead_pool(l.score) AS pool,
           count(*) AS leads,
           count(l.converted_at) AS won,
           sum(l.deal_value) AS revenue,
           sum(lc.cost) AS cost,
           time_to_convert((extract(epoch FROM coalesce(l.converted_at, timestamptz '2026-10-31 23:59+00')
                                               - l.created_at) / 86400)::float8,
                           l.converted_at IS NOT NULL) AS days
    FROM leads AS l LEFT JOIN lead_cost AS lc USING (lead_id)
    GROUP BY 1, 2
)
SELECT pool_no, pool, leads, won,
       won::float8 / leads AS conversion_rate,
       (days).p25_time    AS p25_days_to_convert,
       (days).median_time AS median_days_to_convert,
       (days).p75_time    AS p75_days_to_convert,
       cost::float8 AS cost,
       revenue::float8 AS revenue,
       roi_percent(revenue, cost)::float8 AS roi_pct
FROM pools ORDER BY pool_no
