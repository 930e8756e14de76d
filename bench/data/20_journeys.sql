-- Bench data for attribution: 1,000,000 journeys of 1-12 touches over 20
-- channels with skewed popularity (channel i drawn as floor(20 * u^2.5)),
-- touch times increasing towards the journey's end, 30% converting with a
-- value of 50-500.  Deterministic (setseed).
SELECT setseed(0.2026);

CREATE TEMP TABLE bench_channel_names (i int PRIMARY KEY, channel text NOT NULL);
INSERT INTO bench_channel_names
SELECT i - 1, name
FROM unnest(ARRAY['direct', 'organic_search', 'google_ads', 'facebook_ads', 'email',
                  'instagram_ads', 'instagram', 'linkedin_ads', 'linkedin', 'tiktok',
                  'youtube_ads', 'referral', 'bing_ads', 'display', 'affiliate',
                  'facebook', 'youtube', 'twitter', 'sms', 'podcast']) WITH ORDINALITY AS u(name, i);

CREATE UNLOGGED TABLE bench_touches AS
SELECT j AS journey_id, k AS touch,
       floor(20 * power(random(), 2.5))::int AS channel_no,
       random() AS jitter
FROM generate_series(1, 1000000) AS j
CROSS JOIN LATERAL generate_series(1, 1 + ((j::int8 * 7919 + j / 13) % 12)::int) AS k;

CREATE TABLE bench_journeys AS
SELECT t.journey_id,
       array_agg(c.channel ORDER BY t.touch) AS path,
       array_agg(timestamptz '2026-01-01 00:00+00' + t.journey_id * interval '20 seconds'
                 - ((max_touch - t.touch) * 1.7 + t.jitter) * interval '1 day'
                 ORDER BY t.touch) AS touch_times,
       timestamptz '2026-01-01 00:00+00' + t.journey_id * interval '20 seconds' AS conversion_time
FROM (SELECT *, max(touch) OVER (PARTITION BY journey_id) AS max_touch FROM bench_touches) AS t
JOIN bench_channel_names AS c ON c.i = t.channel_no
GROUP BY t.journey_id;
DROP TABLE bench_touches;

ALTER TABLE bench_journeys ADD COLUMN converted boolean, ADD COLUMN value float8;
UPDATE bench_journeys SET converted = random() < 0.3;
UPDATE bench_journeys SET value = CASE WHEN converted THEN round((50 + 450 * random())::numeric, 2) ELSE 0 END;
VACUUM FULL bench_journeys;
