-- Sample warehouse, part 2: customer journeys and their touchpoints.
-- A journey is one prospect's sequence of touches (ad clicks, organic
-- visits, emails) that may end in a purchase.  Touchpoints are rows, as in
-- a real event table; reports build the paths with
-- array_agg(channel ORDER BY touched_at).  Non-converting journeys are
-- kept: data-driven models learn from them.
-- Deterministic: every random() below follows setseed().
SELECT setseed(0.2026);

CREATE TABLE journeys (
    journey_id   int PRIMARY KEY,
    started_at   timestamptz NOT NULL,
    converted    boolean NOT NULL DEFAULT false,
    converted_at timestamptz,
    value        numeric(12,2),              -- order value in EUR when converted
    CHECK (converted = (converted_at IS NOT NULL))
);
CREATE TABLE touchpoints (
    journey_id int NOT NULL REFERENCES journeys,
    touched_at timestamptz NOT NULL,
    channel    text NOT NULL REFERENCES channels
);

-- 4,000 journeys starting January to September 2026
INSERT INTO journeys (journey_id, started_at)
SELECT i, timestamptz '2026-01-01 00:00+00'
          + make_interval(days => floor(random() * 270)::int + (i * 0),
                          hours => floor(random() * 24)::int)
FROM generate_series(1, 4000) AS i;

-- 1 to 8 touches (short journeys are the most common), a few days apart.
-- Awareness channels tend to open a journey, email and search to close it.
INSERT INTO touchpoints (journey_id, touched_at, channel)
SELECT j.journey_id,
       j.started_at + make_interval(secs => ((t.k - 1) * 3.0 + random() * 2.5) * 86400),
       CASE WHEN t.k = 1 THEN
                (ARRAY['facebook_ads','facebook_ads','facebook_ads','facebook_ads',
                       'instagram_ads','instagram_ads','instagram_ads','linkedin_ads','linkedin_ads',
                       'tiktok','tiktok','tiktok','instagram','instagram',
                       'organic_search','organic_search','organic_search','google_ads','google_ads',
                       'linkedin','direct'])[1 + floor(random() * 21)::int]
            WHEN t.k = t.n THEN
                (ARRAY['google_ads','google_ads','google_ads','google_ads',
                       'direct','direct','direct','direct','email','email','email',
                       'organic_search','organic_search','facebook_ads','instagram_ads',
                       'linkedin_ads'])[1 + floor(random() * 16)::int]
            ELSE
                (ARRAY['instagram','instagram','instagram','linkedin','linkedin',
                       'email','email','email','email','organic_search','organic_search',
                       'organic_search','facebook_ads','facebook_ads','instagram_ads',
                       'instagram_ads','tiktok','tiktok','direct','direct',
                       'google_ads'])[1 + floor(random() * 21)::int]
       END
FROM journeys AS j
CROSS JOIN LATERAL (SELECT 1 + floor(power(random(), 1.7) * 8)::int + (j.journey_id * 0) AS n) AS len
CROSS JOIN LATERAL (SELECT k, len.n FROM generate_series(1, len.n) AS k) AS t;

-- about a third convert: longer journeys and journeys with email or search
-- convert more often; the purchase follows the last touch within two days
UPDATE journeys AS j
SET converted = true,
    converted_at = s.last_touch + make_interval(secs => random() * 2 * 86400),
    value = round((80 + 520 * power(random(), 1.5) + 40 * s.n)::numeric, 2)
FROM (SELECT journey_id, count(*) AS n, max(touched_at) AS last_touch,
             bool_or(channel = 'email') AS has_email,
             bool_or(channel IN ('google_ads', 'organic_search')) AS has_search
      FROM touchpoints GROUP BY journey_id) AS s
WHERE s.journey_id = j.journey_id
  AND random() < least(0.85, 0.06 + 0.05 * s.n + 0.12 * s.has_email::int + 0.08 * s.has_search::int);

CREATE INDEX ON touchpoints (journey_id, touched_at);
ANALYZE journeys;
ANALYZE touchpoints;
