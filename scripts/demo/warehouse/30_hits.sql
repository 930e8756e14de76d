-- Sample warehouse, part 3: raw page views (hits) of the web shop
-- shop.example and the conversions of its visitors, January to October 2026.
-- Hits hold what a tag or a server log records: the landing URL (with UTM
-- parameters and click ids when the link was tagged) and the referrer.  No
-- channel column: the reports derive channels with traffic_source() and
-- channel_group().  Deterministic: every random() follows setseed().
SELECT setseed(0.30);

-- How visitors arrive (generation only; not part of the warehouse).  Weights
-- in percent of sessions.  The paid and organic social entries match the
-- core warehouse's facebook_ads / instagram_ads / linkedin_ads (paid) and
-- instagram / linkedin / tiktok (organic) channels.
CREATE TEMP TABLE entry_kinds (kind int, weight int, query text, referrer text, conversion_rate float8) ;
INSERT INTO entry_kinds VALUES
    (1,  9, '?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring_sale&fbclid=IwAR', 'https://l.facebook.com/', 0.06),
    (2,  2, '?utm_source=Facebook&utm_medium=Paid%20Social&utm_campaign=retargeting_cart',      'https://m.facebook.com/', 0.11),
    (3,  7, '?utm_source=instagram&utm_medium=cpc&utm_campaign=reels_q2',                        'https://l.instagram.com/', 0.05),
    (4,  4, '?utm_source=linkedin&utm_medium=paid_social&utm_campaign=b2b_leads&li_fat_id=',     'https://www.linkedin.com/', 0.07),
    (5,  7, '',                                                                                 'https://l.instagram.com/', 0.05),
    (6,  3, '?utm_source=instagram&utm_medium=social&utm_campaign=bio_link',                     NULL, 0.07),
    (7,  4, '',                                                                                 'https://m.facebook.com/', 0.04),
    (8,  5, '',                                                                                 'https://www.linkedin.com/feed/', 0.06),
    (9,  5, '',                                                                                 'https://www.tiktok.com/', 0.03),
    (10, 9, '?gclid=Cj0KCQjw',                                                                  'https://www.google.com/', 0.08),
    (11, 8, '',                                                                                 'https://www.google.com/', 0.06),
    (12, 3, '',                                                                                 'https://www.google.de/', 0.06),
    (13, 2, '',                                                                                 'https://www.bing.com/', 0.06),
    (14, 1, '',                                                                                 'https://duckduckgo.com/', 0.06),
    (15, 6, '?utm_source=newsletter&utm_medium=email&utm_campaign=monthly',                      NULL, 0.09),
    (16, 3, '',                                                                                 'https://news.example.org/best-e-bikes-2026', 0.04),
    (17, 2, '',                                                                                 'https://blog.partner.example/review', 0.05),
    (18, 2, '',                                                                                 'https://www.youtube.com/', 0.03),
    (19, 18, '',                                                                                NULL, 0.10);
-- cumulative bounds for sampling with one random() in [0, 100)
CREATE TEMP TABLE entry_cdf AS
SELECT kind, query, referrer, conversion_rate,
       sum(weight) OVER (ORDER BY kind) - weight AS lo, sum(weight) OVER (ORDER BY kind) AS hi
FROM entry_kinds;

-- 900 visitors; 1-5 sessions each, 1-20 days apart, starting Jan 1 - Sep 30.
-- The draws are made one table at a time, each a plain scan, so that every
-- PostgreSQL version calls random() in the same order (a join between the
-- draws would leave that order to the planner).
CREATE TEMP TABLE demo_visitors AS
SELECT v AS visitor_id, 1 + floor(random() * 5)::int AS n_sessions,
       timestamptz '2026-01-01 00:00+00' + make_interval(days => floor(random() * 272)::int)
       + make_interval(mins => floor(random() * 1440)::int) AS first_visit
FROM generate_series(1, 900) AS v;
CREATE TEMP TABLE demo_session_draws AS
SELECT v.visitor_id, s.session_no,
       random() * 100 AS pick,
       1 + floor(random() * 4)::int AS n_hits,
       floor(1 + random() * 20)::int AS gap_days,
       floor(random() * 600)::int AS gap_minutes
FROM demo_visitors v
CROSS JOIN LATERAL generate_series(1, v.n_sessions) AS s(session_no);
-- (in visitor and session order: the hits below draw in this table's order)
CREATE TEMP TABLE demo_sessions AS
SELECT s.visitor_id, s.session_no, s.n_hits,
       v.first_visit + sum(CASE WHEN s.session_no = 1 THEN interval '0'
                                ELSE make_interval(days => s.gap_days, mins => s.gap_minutes) END)
                       OVER (PARTITION BY s.visitor_id ORDER BY s.session_no) AS started_at,
       e.kind, e.query, e.referrer, e.conversion_rate
FROM demo_session_draws s
JOIN demo_visitors v USING (visitor_id)
JOIN entry_cdf e ON s.pick >= e.lo AND s.pick < e.hi
ORDER BY s.visitor_id, s.session_no;
DELETE FROM demo_sessions WHERE started_at >= timestamptz '2026-10-31 00:00+00';

CREATE TABLE hits (
    hit_id     bigint PRIMARY KEY,
    visitor_id int         NOT NULL,
    hit_at     timestamptz NOT NULL,
    url        text        NOT NULL,
    referrer   text
);
-- the first hit of a session is the landing page (tagged URL, external
-- referrer); the following ones are internal page views 1-8 minutes apart
INSERT INTO hits
SELECT row_number() OVER (ORDER BY s.started_at, s.visitor_id, h.n),
       s.visitor_id,
       s.started_at + make_interval(mins => (h.n - 1) * (1 + floor(random() * 8)::int)),
       CASE WHEN h.n = 1
            THEN 'https://shop.example/' || (ARRAY['', 'sale', 'c/e-bikes', 'p/trail-2'])[1 + (s.visitor_id + s.session_no) % 4]
                 || CASE WHEN s.kind IN (1, 4, 10) THEN s.query || (s.visitor_id * 100 + s.session_no)
                         WHEN s.kind = 15 THEN s.query || '_' || to_char(s.started_at, 'YYYY_MM')
                         ELSE s.query END
            ELSE 'https://shop.example/' || (ARRAY['c/e-bikes', 'p/trail-2', 'p/city-7', 'cart', 'checkout'])[1 + floor(random() * 5)::int]
       END,
       CASE WHEN h.n = 1 THEN s.referrer ELSE 'https://shop.example/c/e-bikes' END
FROM demo_sessions s
CROSS JOIN LATERAL generate_series(1, s.n_hits) AS h(n);

-- conversions: a session converts with its entry's rate, 2-20 minutes after
-- its last page view; order value 300-3,500 EUR (e-bikes and gear; repeat
-- visitors buy more)
CREATE TABLE hit_conversions (
    conversion_id int           PRIMARY KEY,
    visitor_id    int           NOT NULL,
    converted_at  timestamptz   NOT NULL,
    value         numeric(12,2) NOT NULL
);
INSERT INTO hit_conversions
SELECT row_number() OVER (ORDER BY converted_at, visitor_id), visitor_id, converted_at, value
FROM (SELECT s.visitor_id,
             s.started_at + make_interval(mins => (s.n_hits - 1) * 8 + 2 + floor(random() * 18)::int) AS converted_at,
             round((300 + 3200 * random() * (0.6 + 0.1 * s.session_no))::numeric, 2) AS value
      FROM demo_sessions s
      WHERE random() < s.conversion_rate * 3.0) AS c;

ANALYZE hits;
ANALYZE hit_conversions;

-- Derived views (what a warehouse would model on top of raw hits):
-- sessions: a visitor's hits with gaps of at most 30 minutes (GA4's session
-- timeout); the landing hit gives the session's traffic source and GA4
-- channel group.  Hits referred by the shop itself count as direct.
CREATE VIEW hit_sessions AS
WITH gaps AS (
    SELECT h.*, h.hit_at - lag(h.hit_at) OVER (PARTITION BY h.visitor_id ORDER BY h.hit_at, h.hit_id) AS gap
    FROM hits h
), numbered AS (
    SELECT g.*, count(*) FILTER (WHERE g.gap IS NULL OR g.gap > interval '30 minutes')
                    OVER (PARTITION BY g.visitor_id ORDER BY g.hit_at, g.hit_id) AS session_no
    FROM gaps g
), landings AS (
    SELECT DISTINCT ON (visitor_id, session_no) visitor_id, session_no, hit_at AS started_at, url, referrer
    FROM numbered
    ORDER BY visitor_id, session_no, hit_at, hit_id
)
SELECT l.visitor_id, l.session_no, l.started_at, l.url, l.referrer,
       (t.ts).source, (t.ts).medium, (t.ts).campaign,
       channel_group(t.ts) AS channel
FROM landings l
CROSS JOIN LATERAL (SELECT traffic_source(l.url, l.referrer, ARRAY['shop.example']) AS ts) AS t;

-- one journey per conversion: the channels of the visitor's sessions that
-- started in the 30 days up to the conversion, oldest first -- the path for
-- attribution(...)
CREATE VIEW conversion_paths AS
SELECT c.conversion_id, c.visitor_id, c.converted_at, c.value,
       array_agg(s.channel ORDER BY s.started_at)    AS path,
       array_agg(s.started_at ORDER BY s.started_at) AS touch_times
FROM hit_conversions c
JOIN hit_sessions s
  ON s.visitor_id = c.visitor_id
 AND s.started_at <= c.converted_at
 AND s.started_at > c.converted_at - interval '30 days'
GROUP BY c.conversion_id, c.visitor_id, c.converted_at, c.value;
