-- Are brand followers worth more?  Historical and predicted customer lifetime
-- value of followers vs non-followers, with Welch's t-test (clv_compare).
\echo
\echo '== Are followers worth more? (1) what they have spent so far ============='
\echo 'Spend per customer to 2026-10-31 in EUR, followers vs the rest.  Welch t-test:'
\echo 'difference of the means, lift over non-followers, 95 % CI and two-sided p.'
\echo
WITH spend AS (
    SELECT c.customer_id, c.follows_brand, coalesce(sum(o.amount), 0)::float8 AS spent_eur,
           count(o.order_id)::float8 AS orders
    FROM customers AS c LEFT JOIN orders AS o USING (customer_id)
    GROUP BY c.customer_id, c.follows_brand
), cmp AS (
    SELECT 'spend to date (EUR)' AS measure, (clv_compare(follows_brand, spent_eur)).* FROM spend
    UNION ALL
    SELECT 'orders to date', (clv_compare(follows_brand, orders)).* FROM spend
)
SELECT measure, followers, non_followers,
       round(follower_mean::numeric, 2)      AS followers_mean,
       round(non_follower_mean::numeric, 2)  AS others_mean,
       round(difference::numeric, 2)         AS difference,
       to_char(100 * lift, 'FM990.0"%"')     AS lift,
       format('%s .. %s', round(ci_low::numeric, 2), round(ci_high::numeric, 2)) AS ci_95,
       to_char(p_value, '0.0EEEE')           AS p_value
FROM cmp;

\echo
\echo '== (2) the same as a formula CLV per group ================================'
\echo 'clv(average order, orders per year, years active, margin 30 %, 10 % a year) on the'
\echo 'averages of each group (customers acquired before 2025-10-31; years active is the'
\echo 'observed first-to-last order span, so it understates the lifespan of both groups).'
\echo
WITH per_customer AS (
    SELECT c.follows_brand,
           avg(o.amount)::float8 AS avg_order,
           count(*) / (extract(epoch FROM timestamptz '2026-10-31' - c.created_at) / 86400 / 365.25) AS per_year,
           extract(epoch FROM max(o.ordered_at) - min(o.ordered_at)) / 86400 / 365.25 AS active_years
    FROM customers AS c JOIN orders AS o USING (customer_id)
    WHERE c.created_at < timestamptz '2025-10-31'
    GROUP BY c.customer_id, c.follows_brand
)
SELECT CASE WHEN follows_brand THEN 'followers' ELSE 'others' END AS segment,
       count(*) AS customers,
       round(avg(avg_order)::numeric, 2)     AS avg_order_eur,
       round(avg(per_year)::numeric, 2)      AS orders_per_year,
       round(avg(active_years)::numeric, 2)  AS years_active,
       round(clv(avg(avg_order), avg(per_year), avg(active_years), 0.3, 0.10)::numeric, 2) AS formula_clv_eur
FROM per_customer GROUP BY follows_brand ORDER BY follows_brand DESC;

\echo
\echo '== (3) what they will spend: BG/NBD + Gamma-Gamma, next 12 months ========'
\echo 'One model for all customers (days; observation ends 2026-10-31), then each'
\echo 'customer''s predicted 12-month CLV (EUR, 1 % a month discount), compared.'
\echo 'P(still active) is 1 by construction for one-time buyers, so it is compared'
\echo 'over repeat buyers only.'
\echo
CREATE TEMP TABLE rfm AS
SELECT c.customer_id, c.follows_brand,
       (customer_summary(o.ordered_at, o.amount::float8, timestamptz '2026-10-31')).*
FROM customers AS c JOIN orders AS o USING (customer_id)
GROUP BY c.customer_id, c.follows_brand;
CREATE TEMP TABLE models AS
SELECT (SELECT bgnbd_fit(frequency, recency, t) FROM rfm) AS bg,
       (SELECT gamma_gamma_fit(frequency, monetary_value) FROM rfm) AS gg;
SELECT 'BG/NBD' AS model,
       format('r = %s, alpha = %s days, a = %s, b = %s',
              round((bg).r::numeric, 3), round((bg).alpha::numeric, 1),
              round((bg).a::numeric, 3), round((bg).b::numeric, 3)) AS parameters,
       round((bg).log_likelihood::numeric, 1) AS log_likelihood, (bg).customers AS customers
FROM models
UNION ALL
SELECT 'Gamma-Gamma',
       format('p = %s, q = %s, v = %s', round((gg).p::numeric, 3), round((gg).q::numeric, 3),
              round((gg).v::numeric, 2)),
       round((gg).log_likelihood::numeric, 1), (gg).customers
FROM models;
\echo
WITH predicted AS (
    SELECT r.follows_brand,
           predicted_clv(m.bg, m.gg, r.frequency, r.recency, r.t, r.monetary_value,
                         12, 0.01, 30) AS clv_12m,
           bgnbd_p_alive(m.bg, r.frequency, r.recency, r.t) AS p_alive, r.frequency,
           bgnbd_conditional_purchases(m.bg, 365, r.frequency, r.recency, r.t) AS orders_next_year
    FROM rfm AS r CROSS JOIN models AS m
), cmp AS (
    SELECT 'predicted CLV, 12 months (EUR)' AS measure, (clv_compare(follows_brand, clv_12m)).* FROM predicted
    UNION ALL
    SELECT 'expected orders, next 365 days', (clv_compare(follows_brand, orders_next_year)).* FROM predicted
    UNION ALL
    SELECT 'P(still active), repeat buyers', (clv_compare(follows_brand, p_alive)).*
    FROM predicted WHERE frequency > 0
)
SELECT measure, followers, non_followers,
       round(follower_mean::numeric, 2)      AS followers_mean,
       round(non_follower_mean::numeric, 2)  AS others_mean,
       round(difference::numeric, 2)         AS difference,
       to_char(100 * lift, 'FM990.0"%"')     AS lift,
       format('%s .. %s', round(ci_low::numeric, 2), round(ci_high::numeric, 2)) AS ci_95,
       to_char(p_value, '0.0EEEE')           AS p_value
FROM cmp;
