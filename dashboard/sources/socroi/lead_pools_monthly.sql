-- Leads per pool and month with growth (growth_rate: the lead velocity rate)
-- and win rate: the demo's bi_lead_pools_monthly view.
SELECT month, pool_no, pool, leads, won, revenue::float8 AS revenue, win_rate,
       lead_growth::float8 AS lead_growth
FROM bi_lead_pools_monthly
ORDER BY month, pool_no
