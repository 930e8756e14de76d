-- From raw hits to attributed revenue, all inside the database:
-- hits -> sessions (30-minute timeout) -> traffic_source() -> channel_group()
-- -> 30-day paths per conversion (views of warehouse/30_hits.sql) ->
-- attribution(...) with touch times, so time decay and lookback apply.
\echo
\echo '== GA4 channels from raw hits, attributed: revenue credited per model (EUR) ='
\echo 'Paths are built from the landing URL and referrer of every session in the'
\echo '30 days before a purchase (channel_group(traffic_source(url, referrer))).'
\echo
WITH credit AS (
    SELECT m::text AS model, c.*
    FROM unnest(ARRAY['first_touch', 'last_non_direct(direct=Direct)', 'linear',
                      'position_based', 'time_decay(half_life=7 days)',
                      'linear(lookback=7 days)']::attribution_model[]) AS m
    CROSS JOIN LATERAL unnest((SELECT attribution(path, touch_times, converted_at, value::float8, m)
                               FROM conversion_paths)) AS c
)
SELECT channel,
       to_char(sum(value) FILTER (WHERE model = 'first_touch'), 'FM999G999G990')          AS first_touch,
       to_char(sum(value) FILTER (WHERE model LIKE 'last_non_direct%'), 'FM999G999G990')  AS last_non_direct,
       to_char(sum(value) FILTER (WHERE model = 'linear'), 'FM999G999G990')               AS linear,
       to_char(sum(value) FILTER (WHERE model LIKE 'position_based%'), 'FM999G999G990')   AS position_based,
       to_char(sum(value) FILTER (WHERE model LIKE 'time_decay%'), 'FM999G999G990')       AS time_decay_7d,
       to_char(sum(value) FILTER (WHERE model LIKE 'linear(lookback%'), 'FM999G999G990')  AS linear_last_7d,
       max(first_touches)::int AS primary_source,
       max(assists)::int       AS assists,
       max(last_touches)::int  AS conversion_point
FROM credit
GROUP BY channel
ORDER BY sum(value) FILTER (WHERE model = 'linear') DESC;
