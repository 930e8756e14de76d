-- Bench data for journeys(): an event stream of 10,000,000 events of
-- 1,000,000 customers (10 on average, 1-19), over 20 channels with skewed
-- popularity, 10 % of the events conversions (value 20-500, no channel),
-- times spread over a year on a one-minute grid (ties happen).  The rows
-- are stored in random order, as an event table filled by many loaders is.
-- Deterministic (setseed).
SELECT setseed(0.1515);

CREATE UNLOGGED TABLE bench_events_sorted AS
SELECT c AS customer_id,
       timestamptz '2026-01-01 00:00+00' + floor(random() * 525600) * interval '1 minute' AS event_time,
       random() AS u, random() AS pick
FROM generate_series(1, 1000000) AS c
CROSS JOIN LATERAL generate_series(1, 1 + ((c::int8 * 7919 + c / 7) % 19)::int) AS k;

CREATE TABLE bench_events AS
SELECT customer_id, event_time,
       CASE WHEN u >= 0.1
            THEN (ARRAY['direct', 'organic_search', 'google_ads', 'facebook_ads', 'email',
                        'instagram_ads', 'instagram', 'linkedin_ads', 'linkedin', 'tiktok',
                        'youtube_ads', 'referral', 'bing_ads', 'display', 'affiliate',
                        'facebook', 'youtube', 'twitter', 'sms', 'podcast'])[1 + floor(20 * power(pick, 2.5))::int]
       END AS channel,
       CASE WHEN u < 0.1 THEN round((20 + 480 * pick)::numeric, 2)::float8 END AS conversion_value
FROM bench_events_sorted
ORDER BY md5(customer_id::text || event_time::text || u::text);
DROP TABLE bench_events_sorted;
