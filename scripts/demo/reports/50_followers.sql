-- Do brand followers stay longer, get more sales opportunities, win more,
-- close faster and sign bigger deals?  Rates with compare_rates (pooled
-- z-test, Newcombe interval), days to close with open deals censored
-- (compare_time_to_convert: Kaplan-Meier medians, log-rank test), deal size
-- with clv_compare; then days to convert per lead pool (time_to_convert).
\echo
\echo '== Do followers stay, convert and close faster? (1) rates ================'
\echo 'Share of followers vs the rest with each outcome; difference in percentage'
\echo 'points with its 95 % Newcombe interval, lift over non-followers, pooled z-test p.'
\echo '  retained        another order within 365 days of the first (customers acquired before 2025-10-31)'
\echo '  opportunity     at least one sales opportunity (all customers)'
\echo '  deal won        won among closed deals (open deals left out)'
\echo
WITH first_orders AS (
    SELECT c.customer_id, c.follows_brand, min(o.ordered_at) AS first_order
    FROM customers AS c JOIN orders AS o USING (customer_id)
    WHERE c.created_at < timestamptz '2025-10-31'
    GROUP BY c.customer_id, c.follows_brand
), retention AS (
    SELECT f.follows_brand,
           EXISTS (SELECT 1 FROM orders AS o
                   WHERE o.customer_id = f.customer_id AND o.ordered_at > f.first_order
                     AND o.ordered_at <= f.first_order + interval '365 days') AS retained
    FROM first_orders AS f
), cmp AS (
    SELECT 1 AS k, 'retained (repeat < 1 year)' AS measure, (compare_rates(follows_brand, retained)).*
    FROM retention
    UNION ALL
    SELECT 2, 'opportunity', (compare_rates(c.follows_brand, d.customer_id IS NOT NULL)).*
    FROM customers AS c
    LEFT JOIN (SELECT DISTINCT customer_id FROM deals) AS d USING (customer_id)
    UNION ALL
    SELECT 3, 'deal won (closed deals)', (compare_rates(c.follows_brand, d.won)).*
    FROM deals AS d JOIN customers AS c USING (customer_id)
    WHERE d.closed_at IS NOT NULL
)
SELECT measure,
       format('%s / %s', follower_successes, followers)          AS followers,
       format('%s / %s', non_follower_successes, non_followers)  AS others,
       to_char(100 * follower_rate, 'FM990.0"%"')                 AS followers_rate,
       to_char(100 * non_follower_rate, 'FM990.0"%"')             AS others_rate,
       to_char(100 * difference, 'FMS990.0" pp"')                 AS difference,
       format('%s .. %s pp', to_char(100 * ci_low, 'FMS990.0'), to_char(100 * ci_high, 'FMS990.0')) AS ci_95,
       to_char(100 * lift, 'FMS990"%"')                           AS lift,
       to_char(p_value, '0.0EEEE')                                AS p_value
FROM cmp ORDER BY k;

\echo
\echo '== (2) days to close, open deals censored =================================='
\echo 'A deal still open on 2026-10-31 counts as open for its age so far (censored).'
\echo 'Kaplan-Meier median days to close (won or lost), log-rank test: observed vs'
\echo 'expected closings under "no difference", hazard ratio > 1 = followers close faster.'
\echo
CREATE TEMP TABLE deal_ages AS
SELECT c.follows_brand,
       floor(extract(epoch FROM coalesce(d.closed_at, timestamptz '2026-10-31') - d.opened_at) / 86400)::float8 AS days_open,
       d.closed_at IS NOT NULL AS closed
FROM deals AS d JOIN customers AS c USING (customer_id);
SELECT followers, non_followers AS others,
       format('%s / %s', follower_conversions, round(follower_expected::numeric, 1))         AS followers_closed_vs_expected,
       format('%s / %s', non_follower_conversions, round(non_follower_expected::numeric, 1)) AS others_closed_vs_expected,
       follower_median AS followers_median_days, non_follower_median AS others_median_days,
       round(hazard_ratio::numeric, 2) AS hazard_ratio,
       round(chi_square::numeric, 1)   AS chi_square,
       to_char(p_value, '0.0EEEE')     AS p_value
FROM (SELECT (compare_time_to_convert(follows_brand, days_open, closed)).* FROM deal_ages) AS t;
\echo
\echo 'Quartiles of days to close per group, and the biased shortcut: the mean over'
\echo 'closed deals only (it ignores the slow deals that are still open).'
\echo
SELECT CASE WHEN follows_brand THEN 'followers' ELSE 'others' END AS segment,
       (q).subjects AS deals, (q).conversions AS closed, still_open,
       (q).p25_time AS p25_days, (q).median_time AS median_days, (q).p75_time AS p75_days,
       mean_days_closed_only
FROM (SELECT follows_brand, time_to_convert(days_open, closed) AS q,
             count(*) FILTER (WHERE NOT closed) AS still_open,
             round(avg(days_open) FILTER (WHERE closed)::numeric, 1) AS mean_days_closed_only
      FROM deal_ages GROUP BY follows_brand) AS s
ORDER BY follows_brand DESC;

\echo
\echo '== (3) bigger deals? ======================================================'
\echo 'Amount of won deals (EUR), Welch t-test (clv_compare).'
\echo
SELECT followers, non_followers AS others,
       round(follower_mean::numeric, 0)     AS followers_mean_eur,
       round(non_follower_mean::numeric, 0) AS others_mean_eur,
       round(difference::numeric, 0)        AS difference_eur,
       to_char(100 * lift, 'FMS990.0"%"')   AS lift,
       format('%s .. %s', round(ci_low::numeric, 0), round(ci_high::numeric, 0)) AS ci_95_eur,
       to_char(p_value, '0.0EEEE')          AS p_value
FROM (SELECT (clv_compare(c.follows_brand, d.amount::float8)).*
      FROM deals AS d JOIN customers AS c USING (customer_id) WHERE d.won) AS t;

\echo
\echo '== Days to convert per lead pool ==========================================='
\echo 'Leads of 2026 (core warehouse); a lead not converted by 2026-10-31 is censored'
\echo 'at its age then.  Kaplan-Meier quartiles of days to convert (NULL: fewer than'
\echo 'that share ever converts) next to the biased mean over converted leads only.'
\echo
WITH ages AS (
    SELECT lead_pool_index(score) AS pool_no, lead_pool(score) AS pool,
           floor(extract(epoch FROM least(converted_at, timestamptz '2026-10-31')
                                    - created_at) / 86400)::float8 AS days,
           converted_at <= timestamptz '2026-10-31' AS converted     -- NULL -> false below
    FROM leads
)
SELECT pool, (k).subjects AS leads, (k).conversions AS converted,
       to_char(100.0 * (k).conversions / (k).subjects, 'FM990.0"%"') AS converted_so_far,
       (k).p25_time AS p25_days, (k).median_time AS median_days, (k).p75_time AS p75_days,
       mean_converted_only
FROM (SELECT pool_no, pool, time_to_convert(days, coalesce(converted, false)) AS k,
             round(avg(days) FILTER (WHERE converted)::numeric, 1) AS mean_converted_only
      FROM ages GROUP BY pool_no, pool) AS s
ORDER BY pool_no;
