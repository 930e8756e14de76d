\echo
\echo '== Traffic sources of sessions, top 12 ========================================'
\echo 'From raw hits: landing URL + referrer -> traffic_source(url, referrer, own_hosts)'
\echo '-> channel_group(...), GA4''s default channel group.  Sessions: 30-minute timeout.'
\echo
SELECT source, medium, channel AS channel_group, count(*) AS sessions,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS share_pct
FROM hit_sessions
GROUP BY source, medium, channel
ORDER BY sessions DESC, source
LIMIT 12;

\echo
\echo '== Channel mix, January to October 2026 ====================================='
\echo 'Sessions per GA4 channel group (conversion rate: last-touch conversions per'
\echo 'session).  Conversions credited to the last session before the conversion'
\echo '(30-day lookback), the last non-direct one (GA4''s reporting default; Direct'
\echo 'only when the whole path is Direct) and the first one; revenue in EUR.'
\echo
WITH touches AS (
    SELECT conversion_id, value, path[cardinality(path)] AS last_channel, path[1] AS first_channel,
           coalesce((array_remove(path, 'Direct'))[cardinality(array_remove(path, 'Direct'))],
                    'Direct') AS last_non_direct
    FROM conversion_paths
), last_non_direct AS (
    SELECT last_non_direct AS channel, count(*) AS conversions FROM touches GROUP BY 1
), last_touch AS (
    SELECT last_channel AS channel, count(*) AS conversions, sum(value) AS revenue
    FROM touches GROUP BY 1
), first_touch AS (
    SELECT first_channel AS channel, count(*) AS conversions, sum(value) AS revenue
    FROM touches GROUP BY 1
), sessions AS (
    SELECT channel, count(*) AS sessions FROM hit_sessions GROUP BY 1
)
SELECT s.channel AS channel_group, s.sessions,
       round(100.0 * coalesce(l.conversions, 0) / s.sessions, 1) AS conv_rate_pct,
       coalesce(l.conversions, 0) AS last,
       coalesce(n.conversions, 0) AS last_non_direct,
       coalesce(f.conversions, 0) AS first,
       to_char(coalesce(l.revenue, 0), 'FM9G999G990') AS last_eur,
       to_char(coalesce(f.revenue, 0), 'FM9G999G990') AS first_eur
FROM sessions s
LEFT JOIN last_touch l USING (channel)
LEFT JOIN last_non_direct n USING (channel)
LEFT JOIN first_touch f USING (channel)
ORDER BY s.sessions DESC;

\echo
\echo '== Conversion paths (30-day lookback), top 10 ==============================='
\echo 'array_agg(channel ORDER BY session start) per conversion: the input of'
\echo 'multi-touch attribution.  Value in EUR.'
\echo
SELECT array_to_string(path, ' > ') AS path, count(*) AS conversions,
       to_char(sum(value), 'FM9G999G990') AS revenue_eur
FROM conversion_paths
GROUP BY path
ORDER BY conversions DESC, path
LIMIT 10;

\echo
\echo 'Path length: touches per conversion'
SELECT cardinality(path) AS touches, count(*) AS conversions,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS share_pct
FROM conversion_paths
GROUP BY 1 ORDER BY 1;

\echo
\echo '== Organic vs paid social ====================================================='
\echo 'Paid Social = facebook_ads + instagram_ads + linkedin_ads; Organic Social ='
\echo 'instagram + linkedin + tiktok (core warehouse).  Cost: ad spend + staff time'
\echo '(effort_cost) + tools and content, EUR.  Return: revenue of the conversions whose'
\echo 'last session had the channel; "assisted" = revenue of conversions whose path'
\echo 'touched it before the last session.'
\echo
WITH cost AS (
    SELECT CASE ch.kind WHEN 'paid social' THEN 'Paid Social' ELSE 'Organic Social' END AS channel_group,
           sum(c.amount) AS cost
    FROM (SELECT channel, spend AS amount FROM ad_spend
          UNION ALL
          SELECT channel, effort_cost(hours, hourly_rate) FROM staff_time
          UNION ALL
          SELECT channel, amount FROM other_costs) AS c
    JOIN channels ch USING (channel)
    WHERE ch.kind IN ('paid social', 'organic social')
    GROUP BY 1
), credit AS (
    SELECT g.channel_group,
           count(*) FILTER (WHERE p.path[cardinality(p.path)] = g.channel_group) AS conversions,
           sum(p.value) FILTER (WHERE p.path[cardinality(p.path)] = g.channel_group) AS revenue,
           sum(p.value) FILTER (WHERE p.path[cardinality(p.path)] <> g.channel_group
                                  AND g.channel_group = ANY (p.path)) AS assisted
    FROM conversion_paths p
    CROSS JOIN (VALUES ('Paid Social'), ('Organic Social')) AS g(channel_group)
    GROUP BY 1
)
SELECT channel_group,
       to_char(cost, 'FM9G999G990') AS cost_eur,
       conversions,
       to_char(coalesce(revenue, 0), 'FM9G999G990') AS revenue_eur,
       round(roi_percent(coalesce(revenue, 0), cost), 1) AS roi_pct,
       round(roas(coalesce(revenue, 0), cost), 2) AS roas,
       to_char(coalesce(assisted, 0), 'FM9G999G990') AS assisted_eur
FROM cost JOIN credit USING (channel_group)
ORDER BY channel_group DESC;

\echo
\echo 'Per network: is_social(source) picks the social sources (GA4''s list), the'
\echo 'channel group splits paid from organic.  Sessions and last-touch revenue, EUR.'
\echo
WITH social AS (
    SELECT s.*, split_part(regexp_replace(lower(s.source), '^(l|m|lm)\.', ''), '.', 1) AS network
    FROM hit_sessions s
    WHERE is_social(s.source)
), last_rev AS (
    SELECT p.visitor_id, p.value, s.network, s.channel
    FROM conversion_paths p
    JOIN social s ON s.visitor_id = p.visitor_id
                 AND s.started_at = p.touch_times[cardinality(p.touch_times)]
)
SELECT n.network,
       count(*) FILTER (WHERE n.channel = 'Paid Social')    AS paid_sessions,
       count(*) FILTER (WHERE n.channel = 'Organic Social') AS organic_sessions,
       (SELECT to_char(coalesce(sum(value), 0), 'FM9G999G990') FROM last_rev r
        WHERE r.network = n.network AND r.channel = 'Paid Social')    AS paid_revenue_eur,
       (SELECT to_char(coalesce(sum(value), 0), 'FM9G999G990') FROM last_rev r
        WHERE r.network = n.network AND r.channel = 'Organic Social') AS organic_revenue_eur
FROM social n
GROUP BY n.network
ORDER BY count(*) DESC;
