\echo
\echo '== Leads per pool per month, with growth ====================================='
\echo 'Pools from lead_pool(score): slow < 50 <= medium < 75 <= fast.  Growth is'
\echo 'growth_rate(leads this month, leads last month) -- the lead velocity rate.'
\echo
WITH per_month AS (
    SELECT date_trunc('month', created_at AT TIME ZONE 'UTC')::date AS month,
           lead_pool_index(score) AS pool_no, lead_pool(score) AS pool,
           count(*) AS leads,
           count(converted_at) AS won
    FROM leads
    GROUP BY 1, 2, 3
)
SELECT to_char(month, 'YYYY-MM') AS month, pool, leads,
       round(100 * growth_rate(leads::numeric, lag(leads) OVER w), 1) AS growth_pct,
       won,
       round(100.0 * won / leads, 1) AS win_rate_pct
FROM per_month
WINDOW w AS (PARTITION BY pool_no ORDER BY month)
ORDER BY month, pool_no;
