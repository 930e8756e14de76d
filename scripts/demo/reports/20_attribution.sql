-- Attribution reports over the journeys and touchpoints of
-- warehouse/20_journeys.sql.  Paths are built per journey with
-- array_agg(channel ORDER BY touched_at), keeping the touches up to the
-- purchase.
CREATE TEMP VIEW converting_paths AS
SELECT j.journey_id, j.value::float8 AS value, j.converted_at,
       array_agg(t.channel ORDER BY t.touched_at) AS path,
       array_agg(t.touched_at ORDER BY t.touched_at) AS touch_times
FROM journeys AS j
JOIN touchpoints AS t ON t.journey_id = j.journey_id AND t.touched_at <= j.converted_at
WHERE j.converted
GROUP BY j.journey_id;

-- every journey, converting or not (up to the purchase when it converted):
-- the data-driven models learn from the journeys that did not convert
CREATE TEMP VIEW journey_paths AS
SELECT j.journey_id, j.converted, coalesce(j.value, 0)::float8 AS value,
       array_agg(t.channel ORDER BY t.touched_at) AS path
FROM journeys AS j
JOIN touchpoints AS t ON t.journey_id = j.journey_id
                     AND (NOT j.converted OR t.touched_at <= j.converted_at)
GROUP BY j.journey_id;

-- one attribution() per model; the roles do not depend on the model
CREATE TEMP TABLE credit AS
SELECT m::text AS model, c.*
FROM unnest(ARRAY['first_touch', 'last_touch', 'linear', 'position_based',
                  'time_decay(half_life=7 days)']::attribution_model[]) AS m
CROSS JOIN LATERAL unnest((SELECT attribution(path, touch_times, converted_at, value, m)
                           FROM converting_paths)) AS c
UNION ALL
SELECT m::text, c.*
FROM unnest(ARRAY['markov', 'shapley']::attribution_model[]) AS m
CROSS JOIN LATERAL unnest((SELECT attribution(path, converted::int, value, (NOT converted)::int, m)
                           FROM journey_paths)) AS c;

\echo
\echo '== Attribution side by side: conversions credited per channel ============='
\echo 'Each model splits every purchase over the channels of its path.  markov and'
\echo 'shapley learn from every journey, also those that did not buy.  Roles count'
\echo 'purchases: primary source = first touch, conversion point = last touch,'
\echo 'assist = in the path but not the last touch.  Jan-Oct 2026.'
\echo
SELECT channel,
       round(sum(conversions) FILTER (WHERE model = 'first_touch')::numeric, 1)    AS first_touch,
       round(sum(conversions) FILTER (WHERE model = 'last_touch')::numeric, 1)     AS last_touch,
       round(sum(conversions) FILTER (WHERE model = 'linear')::numeric, 1)         AS linear,
       round(sum(conversions) FILTER (WHERE model LIKE 'position_based%')::numeric, 1) AS position_40_20_40,
       round(sum(conversions) FILTER (WHERE model LIKE 'time_decay%')::numeric, 1) AS time_decay_7d,
       round(sum(conversions) FILTER (WHERE model LIKE 'markov%')::numeric, 1)     AS markov,
       round(sum(conversions) FILTER (WHERE model = 'shapley')::numeric, 1)        AS shapley,
       max(first_touches)::int AS primary_source,
       max(assists)::int       AS assists,
       max(last_touches)::int  AS conversion_point,
       round((max(assists) / nullif(max(last_touches), 0))::numeric, 2) AS assist_ratio
FROM credit
GROUP BY channel
ORDER BY sum(conversions) FILTER (WHERE model = 'linear') DESC;

\echo
\echo '== Revenue credited per channel and model, against cost (EUR) ============='
\echo 'Cost = ad spend + staff time (effort_cost) + tools and content, Jan-Oct 2026.'
\echo
CREATE TEMP TABLE channel_cost AS
SELECT channel, sum(amount) AS cost_eur
FROM (SELECT channel, spend AS amount FROM ad_spend
      UNION ALL
      SELECT channel, effort_cost(hours, hourly_rate) FROM staff_time
      UNION ALL
      SELECT channel, amount FROM other_costs) AS c
GROUP BY channel;
SELECT c.channel,
       to_char(coalesce(k.cost_eur, 0), 'FM999G999G990') AS cost_eur,
       to_char(sum(c.value) FILTER (WHERE c.model = 'first_touch'), 'FM999G999G990') AS first_touch,
       to_char(sum(c.value) FILTER (WHERE c.model = 'last_touch'), 'FM999G999G990')  AS last_touch,
       to_char(sum(c.value) FILTER (WHERE c.model = 'linear'), 'FM999G999G990')      AS linear,
       to_char(sum(c.value) FILTER (WHERE c.model LIKE 'position_based%'), 'FM999G999G990') AS position_40_20_40,
       to_char(sum(c.value) FILTER (WHERE c.model LIKE 'time_decay%'), 'FM999G999G990') AS time_decay_7d,
       to_char(sum(c.value) FILTER (WHERE c.model LIKE 'markov%'), 'FM999G999G990')     AS markov,
       to_char(sum(c.value) FILTER (WHERE c.model = 'shapley'), 'FM999G999G990')        AS shapley
FROM credit AS c
LEFT JOIN channel_cost AS k USING (channel)
GROUP BY c.channel, k.cost_eur
ORDER BY sum(c.value) FILTER (WHERE c.model = 'linear') DESC;

\echo
\echo '== ROI per channel under each model (percent) ============================='
\echo 'roi_percent(credited revenue, cost).  Where the models disagree, the channel'
\echo 'opens or assists journeys that other channels close.  direct has no cost.'
\echo
SELECT c.channel,
       round(roi_percent(sum(c.value) FILTER (WHERE c.model = 'first_touch'), k.cost_eur::float8)) AS first_touch,
       round(roi_percent(sum(c.value) FILTER (WHERE c.model = 'last_touch'), k.cost_eur::float8))  AS last_touch,
       round(roi_percent(sum(c.value) FILTER (WHERE c.model = 'linear'), k.cost_eur::float8))      AS linear,
       round(roi_percent(sum(c.value) FILTER (WHERE c.model LIKE 'position_based%'), k.cost_eur::float8)) AS position_40_20_40,
       round(roi_percent(sum(c.value) FILTER (WHERE c.model LIKE 'time_decay%'), k.cost_eur::float8)) AS time_decay_7d,
       round(roi_percent(sum(c.value) FILTER (WHERE c.model LIKE 'markov%'), k.cost_eur::float8))     AS markov,
       round(roi_percent(sum(c.value) FILTER (WHERE c.model = 'shapley'), k.cost_eur::float8))        AS shapley
FROM credit AS c
JOIN channel_cost AS k USING (channel)
GROUP BY c.channel, k.cost_eur
ORDER BY linear DESC NULLS LAST;

\echo
\echo '== Markov removal effects: what each channel is worth to the journeys ======='
\echo 'removal effect = the share of purchases lost if the channel disappeared'
\echo '(its transitions lead nowhere), computed exactly from every journey.'
\echo 'Order 2 remembers the last two channels: email after a social ad is a'
\echo 'different state than email after search.'
\echo
SELECT c1.channel,
       round(100 * c1.removal_effect::numeric, 1) AS removal_effect_pct,
       round(c1.conversions::numeric, 1)          AS markov_purchases,
       round(100 * c2.removal_effect::numeric, 1) AS order2_removal_effect_pct,
       round(c2.conversions::numeric, 1)          AS order2_purchases
FROM unnest((SELECT attribution(path, converted::int, value, (NOT converted)::int, 'markov')
             FROM journey_paths)) AS c1
JOIN unnest((SELECT attribution(path, converted::int, value, (NOT converted)::int, 'markov(order=2)')
             FROM journey_paths)) AS c2 USING (channel)
ORDER BY c1.removal_effect DESC;

\echo
\echo '== The transition matrix behind it: where journeys go next (top 12) ========'
\echo 'markov_transitions() lists every transition with its count and probability:'
\echo 'the input of a Sankey chart in a BI tool.'
\echo
SELECT t.from_state, t.to_state, t.transitions::int AS journeys,
       round(100 * t.probability::numeric, 1) AS probability_pct
FROM unnest((SELECT markov_transitions(path, converted::int, (NOT converted)::int)
             FROM journey_paths)) AS t
ORDER BY t.transitions DESC, t.from_state, t.to_state
LIMIT 12;

\echo
\echo '== Most frequent paths (repeats collapsed) and their conversion rate ========'
\echo 'path_transform(path, ''exposure'') merges consecutive touches of one channel,'
\echo 'as fractribution and Snowplow do.  Every journey counts, converting or not.'
\echo
SELECT array_to_string(path_transform(p.path, 'exposure'), ' > ') AS path,
       count(*) AS journeys,
       count(*) FILTER (WHERE p.converted) AS purchases,
       round(100.0 * count(*) FILTER (WHERE p.converted) / count(*), 1) AS conversion_pct
FROM (SELECT j.journey_id, j.converted, array_agg(t.channel ORDER BY t.touched_at) AS path
      FROM journeys AS j JOIN touchpoints AS t USING (journey_id)
      WHERE NOT j.converted OR t.touched_at <= j.converted_at
      GROUP BY j.journey_id, j.converted) AS p
GROUP BY 1
ORDER BY journeys DESC, path
LIMIT 12;

\echo
\echo '== One purchase, touch by touch (the longest path) ========================='
\echo 'attribute() shows how each model splits one order value over its touches.'
\echo
WITH longest AS (
    SELECT * FROM converting_paths ORDER BY cardinality(path) DESC, journey_id LIMIT 1
)
SELECT l.journey_id, p.touch, p.channel,
       to_char(l.touch_times[p.touch], 'YYYY-MM-DD') AS touched,
       round(p.credit::numeric, 2) AS position_40_20_40_eur,
       round(d.credit::numeric, 2) AS time_decay_7d_eur,
       round(l.value::numeric, 2)  AS order_eur
FROM longest AS l
CROSS JOIN LATERAL attribute(l.path, l.value, 'position_based') AS p
JOIN LATERAL attribute(l.path, l.touch_times, l.converted_at, l.value, 'time_decay') AS d
  ON d.touch = p.touch
ORDER BY p.touch;
