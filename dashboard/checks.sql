-- The key numbers of every dashboard page, each with the SQL that gives it
-- when run directly on the warehouse (PostgreSQL, socroi).  check/check.py
-- reads each number off the rendered page by its label and compares it
-- with this SQL's single value, to the precision the page shows.
--
-- A block is:   -- page: PAGE  (the page's path, '' for the home page)
--               -- label: the big number's title, exactly as shown
--               SELECT ...;
-- These queries are written from the warehouse tables where that is short,
-- not from the dashboard's sources, so a wrong source query shows.

-- page:
-- label: Social cost (EUR)
SELECT sum(c.amount)
FROM (SELECT channel, spend AS amount FROM ad_spend
      UNION ALL SELECT channel, effort_cost(hours, hourly_rate) FROM staff_time
      UNION ALL SELECT channel, amount FROM other_costs) AS c
JOIN channels USING (channel) WHERE channels.is_social;

-- page:
-- label: Credited revenue (EUR)
SELECT sum(c.value)
FROM unnest((SELECT attribution(path, 1, value, 'position_based') FROM journey_paths WHERE converted)) AS c
JOIN channels USING (channel) WHERE channels.is_social;

-- page:
-- label: Social ROI
SELECT roi_percent(
    (SELECT sum(c.value)
     FROM unnest((SELECT attribution(path, 1, value, 'position_based') FROM journey_paths WHERE converted)) AS c
     JOIN channels USING (channel) WHERE channels.is_social),
    (SELECT sum(c.amount)
     FROM (SELECT channel, spend AS amount FROM ad_spend
           UNION ALL SELECT channel, effort_cost(hours, hourly_rate) FROM staff_time
           UNION ALL SELECT channel, amount FROM other_costs) AS c
     JOIN channels USING (channel) WHERE channels.is_social)::float8);

-- page:
-- label: Purchases credited to social
SELECT sum(c.conversions)
FROM unnest((SELECT attribution(path, 1, value, 'position_based') FROM journey_paths WHERE converted)) AS c
JOIN channels USING (channel) WHERE channels.is_social;

-- page: social-roi
-- label: Social cost (EUR)
SELECT sum(total_cost) FROM bi_channel_costs_monthly WHERE is_social;

-- page: social-roi
-- label: Staff time (EUR)
SELECT sum(effort_cost(hours, hourly_rate))
FROM staff_time JOIN channels USING (channel) WHERE channels.is_social;

-- page: social-roi
-- label: Credited revenue (EUR)
SELECT sum(credited_revenue) FROM bi_channel_roi_monthly WHERE is_social;

-- page: social-roi
-- label: Social ROI, January–October
SELECT roi_percent(sum(credited_revenue), sum(total_cost)::float8)
FROM bi_channel_roi_monthly WHERE is_social;

-- page: attribution
-- label: Purchases
SELECT count(*) FROM journeys WHERE converted;

-- page: attribution
-- label: Revenue (EUR)
SELECT sum(value) FROM journeys WHERE converted;

-- page: attribution
-- label: Social share, Markov
SELECT 100 * sum(c.conversions) FILTER (WHERE ch.is_social) / sum(c.conversions)
FROM unnest((SELECT attribution(path, converted::int, value, (NOT converted)::int, 'markov')
             FROM journey_paths)) AS c
JOIN channels AS ch USING (channel);

-- page: attribution
-- label: Social share, last touch
SELECT 100.0 * count(*) FILTER (WHERE ch.is_social) / count(*)
FROM journey_paths AS p JOIN channels AS ch ON ch.channel = p.path[cardinality(p.path)]
WHERE p.converted;

-- page: roles
-- label: Social primary source
SELECT count(*) FROM journey_paths AS p JOIN channels AS ch ON ch.channel = p.path[1]
WHERE p.converted AND ch.is_social;

-- page: roles
-- label: Social assists
SELECT count(*)
FROM journey_paths AS p CROSS JOIN channels AS ch
WHERE p.converted AND ch.is_social
  AND ch.channel = ANY (p.path) AND ch.channel <> p.path[cardinality(p.path)];

-- page: roles
-- label: Social conversion points
SELECT count(*) FROM journey_paths AS p JOIN channels AS ch ON ch.channel = p.path[cardinality(p.path)]
WHERE p.converted AND ch.is_social;

-- page: organic-vs-paid
-- label: Organic social ROI
SELECT roi_percent(sum(credited_revenue), sum(total_cost)::float8)
FROM bi_channel_roi_monthly WHERE kind = 'organic social';

-- page: organic-vs-paid
-- label: Paid social ROI
SELECT roi_percent(sum(credited_revenue), sum(total_cost)::float8)
FROM bi_channel_roi_monthly WHERE kind = 'paid social';

-- page: organic-vs-paid
-- label: Organic social staff time (EUR)
SELECT sum(effort_cost(hours, hourly_rate))
FROM staff_time JOIN channels USING (channel) WHERE channels.kind = 'organic social';

-- page: organic-vs-paid
-- label: Paid social ad spend (EUR)
SELECT sum(spend) FROM ad_spend JOIN channels USING (channel) WHERE channels.kind = 'paid social';

-- page: lead-pools
-- label: Leads
SELECT count(*) FROM leads;

-- page: lead-pools
-- label: Won
SELECT count(converted_at) FROM leads;

-- page: lead-pools
-- label: Fast pool: median days to convert
SELECT (time_to_convert((extract(epoch FROM coalesce(converted_at, timestamptz '2026-10-31 23:59+00')
                                             - created_at) / 86400)::float8,
                        converted_at IS NOT NULL)).median_time
FROM leads WHERE lead_pool(score) = 'fast';

-- page: lead-pools
-- label: Fast pool ROI
SELECT roi_percent(sum(l.deal_value), sum(k.total_cost / n.leads))
FROM leads AS l
LEFT JOIN (SELECT channel, date_trunc('month', created_at AT TIME ZONE 'UTC')::date AS month, count(*) AS leads
           FROM leads GROUP BY 1, 2) AS n
  ON n.channel = l.channel AND n.month = date_trunc('month', l.created_at AT TIME ZONE 'UTC')::date
LEFT JOIN bi_channel_costs_monthly AS k ON k.channel = n.channel AND k.month = n.month
WHERE lead_pool(l.score) = 'fast';

-- page: followers
-- label: Revenue per customer: difference (EUR)
SELECT (clv_compare(follows_brand, revenue)).difference
FROM (SELECT c.follows_brand, coalesce(sum(o.amount), 0)::float8 AS revenue
      FROM customers AS c LEFT JOIN orders AS o USING (customer_id)
      GROUP BY c.customer_id, c.follows_brand) AS per_customer;

-- page: followers
-- label: Predicted 12-month CLV: difference (EUR)
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
)
SELECT (clv_compare(r.follows_brand,
                    predicted_clv(m.bg, m.gg, (r.s).frequency, (r.s).recency, (r.s).t,
                                  (r.s).monetary_value, 12, 0.01, 4.345))).difference
FROM rfm AS r CROSS JOIN models AS m;

-- page: followers
-- label: Median days to close, followers
SELECT (compare_time_to_convert(
            c.follows_brand,
            floor(extract(epoch FROM coalesce(d.closed_at, timestamptz '2026-10-31') - d.opened_at) / 86400),
            d.closed_at IS NOT NULL)).follower_median
FROM deals AS d JOIN customers AS c USING (customer_id);

-- page: followers
-- label: Hazard ratio (above 1: followers close faster)
SELECT (compare_time_to_convert(
            c.follows_brand,
            floor(extract(epoch FROM coalesce(d.closed_at, timestamptz '2026-10-31') - d.opened_at) / 86400),
            d.closed_at IS NOT NULL)).hazard_ratio
FROM deals AS d JOIN customers AS c USING (customer_id);

-- page: markov
-- label: Journeys
SELECT count(*) FROM journeys;

-- page: markov
-- label: Purchases
SELECT count(*) FROM journeys WHERE converted;

-- page: markov
-- label: Journeys that buy
SELECT 100.0 * count(*) FILTER (WHERE converted) / count(*) FROM journeys;

-- page: mmm
-- label: Top channel's contribution (EUR)
-- the channels' weekly contributions summed over the fitted weeks (all but
-- the 8 held out at the end), not mmm_channels' totals
SELECT max(total)
FROM (SELECT d.component, sum(d.value) AS total
      FROM mmm_models AS m CROSS JOIN LATERAL mmm_decomposition(m.model) AS d
      JOIN channels AS ch ON ch.channel = d.component
      WHERE m.scope = 'brand' AND d.period <= (SELECT max(week) - 8 * 7 FROM weekly_revenue)
      GROUP BY d.component) AS per_channel;

-- page: mmm
-- label: Organic Instagram ROI
SELECT 100 * ((SELECT sum(d.value)
               FROM mmm_models AS m CROSS JOIN LATERAL mmm_decomposition(m.model) AS d
               WHERE m.scope = 'brand' AND d.component = 'instagram'
                 AND d.period <= (SELECT max(week) - 8 * 7 FROM weekly_revenue))
              / (SELECT sum(cost) FROM weekly_marketing
                 WHERE channel = 'instagram' AND week <= (SELECT max(week) - 8 * 7 FROM weekly_revenue))::float8
              - 1);

-- page: mmm
-- label: Next quarter: expected revenue gain (EUR)
-- today's weekly cost per channel from the warehouse, over the fitted weeks;
-- each channel between half and twice it; 13 weeks
WITH today AS (
    SELECT array_agg(channel ORDER BY channel) AS channels,
           array_agg(cost / 2 ORDER BY channel) AS lo,
           array_agg(cost * 2 ORDER BY channel) AS hi,
           sum(cost) AS budget
    FROM (SELECT channel, avg(cost)::float8 AS cost FROM weekly_marketing
          WHERE week <= (SELECT max(week) - 8 * 7 FROM weekly_revenue) GROUP BY channel) AS c
)
SELECT 13 * sum(o.optimal_kpi - o.current_kpi)
FROM mmm_models AS m, today AS t,
     mmm_optimize(m.model, t.budget, t.channels, t.lo, t.hi) AS o
WHERE m.scope = 'brand';

-- page: mmm
-- label: Error on the 8 held-out weeks (MAPE)
SELECT 100 * avg(abs(a.value - f.value) / a.value)
FROM mmm_models AS m
CROSS JOIN LATERAL mmm_decomposition(m.model) AS a
JOIN LATERAL mmm_decomposition(m.model) AS f ON f.period = a.period AND f.component = 'fitted'
WHERE m.scope = 'brand' AND a.component = 'actual'
  AND a.period > (SELECT max(week) - 8 * 7 FROM weekly_revenue);
