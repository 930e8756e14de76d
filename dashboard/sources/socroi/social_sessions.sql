-- Sessions from social networks in the raw hits, split by GA4's channel
-- group (traffic_source + channel_group in the demo's hit_sessions view):
-- Paid Social vs Organic Social of the same network (is_social finds them).
SELECT split_part(regexp_replace(lower(source), '^(l|m|lm)\.', ''), '.', 1) AS network,
       channel AS channel_group,
       count(*) AS sessions
FROM hit_sessions
WHERE is_social(source) AND channel IN ('Paid Social', 'Organic Social')
GROUP BY 1, 2
ORDER BY 1, 2
