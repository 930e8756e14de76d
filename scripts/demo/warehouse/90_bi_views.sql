-- Views a BI tool can point at: plain rows and plain column types, built
-- on the warehouse tables with socroi's functions and aggregates.

-- every cost per channel and month: ad spend, staff time as money, tools and content
CREATE VIEW bi_channel_costs_monthly AS
SELECT c.month, c.channel, ch.kind, ch.is_social,
       coalesce(sum(c.amount) FILTER (WHERE c.category = 'ad spend'), 0)   AS ad_spend,
       coalesce(sum(c.amount) FILTER (WHERE c.category = 'staff time'), 0) AS staff_cost,
       coalesce(sum(c.amount) FILTER (WHERE c.category IN ('tools', 'content')), 0) AS tools_content,
       sum(c.amount) AS total_cost
FROM (SELECT month, channel, 'ad spend' AS category, spend AS amount FROM ad_spend
      UNION ALL
      SELECT month, channel, 'staff time', effort_cost(hours, hourly_rate) FROM staff_time
      UNION ALL
      SELECT month, channel, category, amount FROM other_costs) AS c
JOIN channels AS ch USING (channel)
GROUP BY c.month, c.channel, ch.kind, ch.is_social;

-- one row per journey: the path of channels up to the purchase (or the last
-- touch of a journey that did not convert), with the touch times
CREATE VIEW journey_paths AS
SELECT j.journey_id, j.converted, j.converted_at,
       coalesce(date_trunc('month', j.converted_at AT TIME ZONE 'UTC'),
                date_trunc('month', max(t.touched_at) AT TIME ZONE 'UTC'))::date AS month,
       coalesce(j.value, 0)::float8 AS value,
       array_agg(t.channel ORDER BY t.touched_at)    AS path,
       array_agg(t.touched_at ORDER BY t.touched_at) AS touch_times
FROM journeys AS j
JOIN touchpoints AS t ON t.journey_id = j.journey_id
                     AND (NOT j.converted OR t.touched_at <= j.converted_at)
GROUP BY j.journey_id;

-- revenue credited per channel and month (position-based 40/20/40), against
-- every cost of the channel in that month
CREATE VIEW bi_channel_roi_monthly AS
WITH credited AS (
    SELECT p.month, c.channel, c.conversions, c.value
    FROM (SELECT month, attribution(path, 1, value, 'position_based') AS credits
          FROM journey_paths WHERE converted GROUP BY month) AS p
    CROSS JOIN LATERAL unnest(p.credits) AS c
)
SELECT k.month, k.channel, k.kind, k.is_social, k.total_cost,
       coalesce(c.conversions, 0) AS credited_conversions,
       coalesce(c.value, 0)       AS credited_revenue,
       roi_percent(coalesce(c.value, 0), k.total_cost::float8) AS roi_pct,
       roas(coalesce(c.value, 0), k.total_cost::float8)        AS roas
FROM bi_channel_costs_monthly AS k
LEFT JOIN credited AS c USING (month, channel);

-- attribution of every journey under every model, side by side as rows
CREATE VIEW bi_attribution AS
WITH per_path AS (
    SELECT path, count(*) FILTER (WHERE converted)::float8 AS conversions,
           sum(value)::float8 AS value,
           count(*) FILTER (WHERE NOT converted)::float8 AS non_conversions
    FROM journey_paths GROUP BY path
)
SELECT m::text AS model, c.channel, c.conversions, c.value, c.conversion_share,
       c.touched, c.first_touches, c.last_touches, c.assists, c.removal_effect
FROM unnest(ARRAY['first_touch', 'last_touch', 'last_non_direct', 'linear', 'position_based',
                  'markov', 'markov(order=2)', 'shapley']::attribution_model[]) AS m
CROSS JOIN LATERAL unnest((SELECT attribution(path, conversions, value, non_conversions, m)
                           FROM per_path)) AS c;

-- leads per pool and month with growth (lead velocity) and win rate
CREATE VIEW bi_lead_pools_monthly AS
WITH per_month AS (
    SELECT date_trunc('month', created_at AT TIME ZONE 'UTC')::date AS month,
           lead_pool_index(score) AS pool_no, lead_pool(score) AS pool,
           count(*) AS leads, count(converted_at) AS won, sum(deal_value) AS revenue
    FROM leads GROUP BY 1, 2, 3
)
SELECT month, pool_no, pool, leads, won, revenue,
       won::float8 / leads AS win_rate,
       growth_rate(leads::numeric, lag(leads) OVER (PARTITION BY pool_no ORDER BY month)) AS lead_growth
FROM per_month;

-- followers vs non-followers, one row per measure: the two groups, their
-- means or rates, the difference with its 95 % interval, lift and p-value
CREATE VIEW bi_followers AS
WITH customer_value AS (
    SELECT c.follows_brand, coalesce(sum(o.amount), 0)::float8 AS revenue
    FROM customers AS c LEFT JOIN orders AS o USING (customer_id)
    GROUP BY c.customer_id, c.follows_brand
), means AS (
    SELECT 1 AS sort, 'revenue per customer (EUR)' AS measure, (clv_compare(follows_brand, revenue)).*
    FROM customer_value
    UNION ALL
    SELECT 2, 'won deal amount (EUR)', (clv_compare(c.follows_brand, d.amount::float8)).*
    FROM deals AS d JOIN customers AS c USING (customer_id) WHERE d.won
), rates AS (
    SELECT 3 AS sort, 'repeat customer (2+ orders)' AS measure,
           (compare_rates(follows_brand, orders >= 2)).*
    FROM (SELECT c.follows_brand, count(o.order_id) AS orders
          FROM customers AS c LEFT JOIN orders AS o USING (customer_id)
          GROUP BY c.customer_id, c.follows_brand) AS per_customer
    UNION ALL
    SELECT 4, 'deal won (closed deals)', (compare_rates(c.follows_brand, d.won)).*
    FROM deals AS d JOIN customers AS c USING (customer_id) WHERE d.closed_at IS NOT NULL
)
SELECT sort, measure, followers, non_followers, follower_mean AS follower_value,
       non_follower_mean AS non_follower_value, difference, ci_low, ci_high, lift, p_value
FROM means
UNION ALL
SELECT sort, measure, followers, non_followers, follower_rate, non_follower_rate,
       difference, ci_low, ci_high, lift, p_value
FROM rates;

-- marketing mix model response curves for a BI chart: expected revenue per
-- week from each channel at sustained weekly spends from 0 to 3x today's
-- (step 10 = today's mean weekly spend)
CREATE VIEW bi_mmm_response_curves AS
SELECT c.channel, s.step, s.step * c.spend / (SELECT periods FROM mmm_fit_stats(m.model)) / 10 AS weekly_spend,
       mmm_response(m.model, c.channel, s.step * c.spend / (SELECT periods FROM mmm_fit_stats(m.model)) / 10) AS weekly_revenue,
       mmm_marginal_roi(m.model, c.channel, s.step * c.spend / (SELECT periods FROM mmm_fit_stats(m.model)) / 10) AS marginal_roi
FROM mmm_models AS m
CROSS JOIN LATERAL mmm_channels(m.model) AS c
CROSS JOIN generate_series(0, 30) AS s(step)
WHERE m.scope = 'brand';

-- ROI per region and channel from the per-region models
CREATE VIEW bi_mmm_geo_roi AS
SELECT m.scope AS geo, c.channel, c.spend, c.contribution, c.roi, c.marginal_roi, c.decay
FROM mmm_models AS m
CROSS JOIN LATERAL mmm_channels(m.model) AS c
WHERE m.scope <> 'brand';
