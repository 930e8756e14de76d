-- From a GA4-export-shaped event stream to attributed revenue and time to
-- convert: ga4_events (warehouse/35_ga4_events.sql) -> the channel of each
-- session_start (traffic_source -> channel_group) -> journeys() per user,
-- purchases closing journeys -> attribution(...) and time_to_convert(...).
-- Then the same for the CRM's activity log (warehouse/55_crm_activities.sql).
CREATE TEMP TABLE ga4_journeys AS
SELECT e.user_pseudo_id, j.*
FROM (SELECT user_pseudo_id,
             journeys(timestamptz 'epoch' + event_timestamp * interval '1 microsecond',
                      CASE WHEN event_name = 'session_start'
                           THEN channel_group(traffic_source(page_location, page_referrer, '{shop.example}')) END,
                      CASE WHEN event_name = 'purchase' THEN purchase_revenue::float8 END,
                      'lookback=30 days') AS js
      FROM ga4_events
      WHERE event_name IN ('session_start', 'purchase')
      GROUP BY user_pseudo_id) AS e,
     unnest(e.js) AS j;

\echo
\echo '== GA4 export -> journeys: one per purchase, plus the open journey of every user ='
\echo
SELECT count(DISTINCT user_pseudo_id) AS users, count(*) AS journeys,
       count(*) FILTER (WHERE converted) AS purchases,
       count(*) FILTER (WHERE converted AND cardinality(path) = 0) AS purchases_without_touch_in_30_days,
       round(avg(cardinality(path)) FILTER (WHERE converted), 2) AS touches_per_purchase,
       to_char(sum(value), 'FM999G999G990') AS revenue_eur
FROM ga4_journeys;

\echo
\echo '== Revenue per GA4 channel group: heuristic and data-driven models (EUR) ='
\echo 'markov and fractribution also learn from the journeys that did not convert.'
\echo
WITH credit AS (
    SELECT m::text AS model, c.channel, c.value
    FROM unnest('{last_touch,position_based,markov,fractribution}'::attribution_model[]) AS m
    CROSS JOIN LATERAL unnest((SELECT attribution(path, converted::int, coalesce(value, 0),
                                                  (NOT converted)::int, m)
                               FROM ga4_journeys)) AS c
)
SELECT channel,
       to_char(sum(value) FILTER (WHERE model = 'last_touch'), 'FM999G999G990')          AS last_touch,
       to_char(sum(value) FILTER (WHERE model LIKE 'position_based%'), 'FM999G999G990')  AS position_based,
       to_char(sum(value) FILTER (WHERE model LIKE 'markov%'), 'FM999G999G990')          AS markov,
       to_char(sum(value) FILTER (WHERE model LIKE 'fractribution%'), 'FM999G999G990')   AS fractribution
FROM credit GROUP BY channel
ORDER BY sum(value) FILTER (WHERE model LIKE 'position_based%') DESC;

\echo
\echo '== Days from the first touch to the purchase, by first channel (Kaplan-Meier) ='
\echo 'Open journeys are censored at the end of the data (2026-10-31).'
\echo
SELECT first_channel, (s).subjects AS journeys, (s).conversions AS purchases,
       round((s).p25_time::numeric, 1) AS p25_days, round((s).median_time::numeric, 1) AS median_days,
       round((s).p75_time::numeric, 1) AS p75_days
FROM (SELECT path[1] AS first_channel,
             time_to_convert(extract(epoch FROM coalesce(conversion_time, timestamptz '2026-10-31')
                                                - touch_times[1]) / 86400, converted) AS s
      FROM ga4_journeys WHERE cardinality(path) > 0 GROUP BY 1) AS t
ORDER BY (s).subjects DESC;

\echo
\echo '== CRM activity log -> won deals: which activities open, assist and close (EUR) ='
\echo 'reset=never: a B2B account keeps its history; touches of the 180 days before the deal.'
\echo
WITH events AS (
    SELECT customer_id, activity_at AS event_time, activity_type AS channel, NULL::float8 AS value
    FROM crm_activities
    UNION ALL
    SELECT customer_id, closed_at, NULL, amount::float8 FROM deals WHERE won
), won AS (
    SELECT j.*
    FROM (SELECT journeys(event_time, channel, value, 'reset=never, lookback=180 days') AS js
          FROM events GROUP BY customer_id) AS e,
         unnest(e.js) AS j
    WHERE j.converted
)
SELECT c.channel AS activity, to_char(c.value, 'FM999G999G990') AS won_revenue_position_based,
       c.first_touches::int AS opened, c.assists::int AS assisted, c.last_touches::int AS closed
FROM unnest((SELECT attribution(path, 1, value, 'position_based') FROM won)) AS c;
