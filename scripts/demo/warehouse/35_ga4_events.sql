-- Sample warehouse, part 3b: the same web shop as part 3, as a GA4 export
-- holds it -- one row per event, touches and purchases interleaved, several
-- purchases per user (the shape of BigQuery's events_YYYYMMDD tables,
-- flattened: event_params page_location / page_referrer / ga_session_id
-- and ecommerce.purchase_revenue as columns).  Derived deterministically
-- from the hits and conversions of part 3.  The reports build journeys
-- from it with journeys() (scripts/demo/reports/47_ga4_journeys.sql).
CREATE TABLE ga4_events (
    event_date       text        NOT NULL,   -- 'YYYYMMDD', as GA4 exports it
    event_timestamp  bigint      NOT NULL,   -- microseconds since 1970-01-01 UTC
    event_name       text        NOT NULL,   -- session_start, page_view, purchase
    user_pseudo_id   text        NOT NULL,
    ga_session_id    bigint,
    page_location    text,
    page_referrer    text,
    purchase_revenue numeric(12,2),          -- purchase events only
    transaction_id   text                    -- purchase events only
);

-- page views, and a session_start on the landing page of every session
-- (the first hit after 30 minutes without one)
CREATE TEMP TABLE numbered_hits AS
SELECT h.*, count(*) FILTER (WHERE gap IS NULL OR gap > interval '30 minutes')
                OVER (PARTITION BY visitor_id ORDER BY hit_at, hit_id) AS session_no,
       gap IS NULL OR gap > interval '30 minutes' AS landing
FROM (SELECT h.*, h.hit_at - lag(h.hit_at) OVER (PARTITION BY h.visitor_id ORDER BY h.hit_at, h.hit_id) AS gap
      FROM hits h) AS h;

INSERT INTO ga4_events
SELECT to_char(h.hit_at AT TIME ZONE 'UTC', 'YYYYMMDD'),
       (extract(epoch FROM h.hit_at) * 1000000)::bigint + e.k,
       e.event_name, 'u' || lpad(h.visitor_id::text, 6, '0'),
       h.visitor_id * 100 + h.session_no, h.url, h.referrer, NULL, NULL
FROM numbered_hits h
CROSS JOIN LATERAL (VALUES (0, 'session_start'), (1, 'page_view')) AS e(k, event_name)
WHERE e.event_name = 'page_view' OR h.landing;

INSERT INTO ga4_events
SELECT to_char(c.converted_at AT TIME ZONE 'UTC', 'YYYYMMDD'),
       (extract(epoch FROM c.converted_at) * 1000000)::bigint,
       'purchase', 'u' || lpad(c.visitor_id::text, 6, '0'), NULL,
       'https://shop.example/checkout/thank-you', 'https://shop.example/checkout',
       c.value, 'T' || c.conversion_id
FROM hit_conversions c;

CREATE INDEX ON ga4_events (user_pseudo_id);
ANALYZE ga4_events;
