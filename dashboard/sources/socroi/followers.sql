-- Followers vs non-followers, one row per measure: the value of each group,
-- the difference with its 95 % confidence interval, lift and p-value
-- (clv_compare: Welch t; compare_rates: Newcombe), from the demo's
-- bi_followers view; plus the predicted 12-month CLV (BG/NBD + Gamma-Gamma
-- fitted in the database, predicted_clv), compared the same way.
-- kind: 'EUR' for means, 'rate' for shares.
WITH rfm AS (
    SELECT c.customer_id, c.follows_brand,
           customer_summary(o.ordered_at, o.amount::float8, timestamptz '2026-10-31 23:59+00', '7 days') AS s
    FROM customers AS c JOIN orders AS o USING (customer_id)
    WHERE o.ordered_at <= timestamptz '2026-10-31 23:59+00'
    GROUP BY c.customer_id, c.follows_brand
), models AS (
    SELECT bgnbd_fit((s).frequency, (s).recency, (s).t) AS bg,
           gamma_gamma_fit((s).frequency, (s).monetary_value) AS gg
    FROM rfm
), predicted AS (
    SELECT (clv_compare(r.follows_brand,
                        predicted_clv(m.bg, m.gg, (r.s).frequency, (r.s).recency, (r.s).t,
                                      (r.s).monetary_value, 12, 0.01, 4.345))).*
    FROM rfm AS r CROSS JOIN models AS m
)
SELECT sort, measure, CASE WHEN sort <= 2 THEN 'EUR' ELSE 'rate' END AS kind,
       followers, non_followers, follower_value, non_follower_value,
       difference, ci_low, ci_high, lift, p_value
FROM bi_followers
UNION ALL
SELECT 5, 'predicted 12-month CLV (EUR)', 'EUR', followers, non_followers,
       follower_mean, non_follower_mean, difference, ci_low, ci_high, lift, p_value
FROM predicted
ORDER BY sort
