-- Sample warehouse, part 1: channels, spend, staff time, other costs, leads.
-- Deterministic: every random() below follows setseed().  Ten months of 2026.
SELECT setseed(0.42);

CREATE TABLE channels (
    channel   text PRIMARY KEY,
    kind      text NOT NULL,            -- paid social, organic social, search, ...
    is_social boolean NOT NULL
);
INSERT INTO channels VALUES
    ('facebook_ads',   'paid social',    true),
    ('instagram_ads',  'paid social',    true),
    ('linkedin_ads',   'paid social',    true),
    ('instagram',      'organic social', true),
    ('linkedin',       'organic social', true),
    ('tiktok',         'organic social', true),
    ('google_ads',     'paid search',    false),
    ('organic_search', 'organic search', false),
    ('email',          'email',          false),
    ('direct',         'direct',         false);

CREATE TABLE months AS
SELECT m::date AS month
FROM generate_series(date '2026-01-01', date '2026-10-01', interval '1 month') AS m;

-- ad spend per paid channel and month, growing through the year
CREATE TABLE ad_spend (
    month   date    NOT NULL,
    channel text    NOT NULL REFERENCES channels,
    spend   numeric(12,2) NOT NULL,
    PRIMARY KEY (month, channel)
);
INSERT INTO ad_spend
SELECT mo.month, c.channel,
       round((base * (1 + 0.03 * extract(month FROM mo.month)) * (0.85 + 0.3 * random()))::numeric, 2)
FROM months mo
CROSS JOIN (VALUES ('facebook_ads', 4200), ('instagram_ads', 3100), ('linkedin_ads', 2600),
                   ('google_ads', 5200), ('email', 300)) AS c(channel, base);

-- staff hours per channel and month (community managers, content, ads ops)
CREATE TABLE staff_time (
    month       date    NOT NULL,
    channel     text    NOT NULL REFERENCES channels,
    role        text    NOT NULL,
    hours       numeric(8,2) NOT NULL,
    hourly_rate numeric(8,2) NOT NULL
);
INSERT INTO staff_time
SELECT mo.month, s.channel, s.role,
       round((s.hours * (0.8 + 0.4 * random()))::numeric, 1), s.rate
FROM months mo
CROSS JOIN (VALUES
    ('facebook_ads',   'ads specialist',    22, 48.00),
    ('instagram_ads',  'ads specialist',    18, 48.00),
    ('linkedin_ads',   'ads specialist',    14, 48.00),
    ('instagram',      'community manager', 60, 36.50),
    ('instagram',      'content creator',   30, 42.00),
    ('linkedin',       'community manager', 35, 36.50),
    ('tiktok',         'content creator',   45, 42.00),
    ('google_ads',     'ads specialist',    25, 48.00),
    ('organic_search', 'seo writer',        40, 40.00),
    ('email',          'crm manager',       20, 45.00)) AS s(channel, role, hours, rate);

-- tools and content production
CREATE TABLE other_costs (
    month    date NOT NULL,
    channel  text NOT NULL REFERENCES channels,
    category text NOT NULL CHECK (category IN ('tools', 'content')),
    amount   numeric(12,2) NOT NULL
);
INSERT INTO other_costs
SELECT mo.month, o.channel, o.category, round((o.amount * (0.9 + 0.2 * random()))::numeric, 2)
FROM months mo
CROSS JOIN (VALUES
    ('instagram', 'tools', 180), ('linkedin', 'tools', 120), ('tiktok', 'tools', 90),
    ('instagram', 'content', 900), ('tiktok', 'content', 650),
    ('email', 'tools', 250), ('organic_search', 'tools', 200)) AS o(channel, category, amount);

-- leads: a score 0..100, created in a month, maybe converted later with a deal
-- value.  Higher scores convert more often and faster.
CREATE TABLE leads (
    lead_id      int PRIMARY KEY,
    channel      text NOT NULL REFERENCES channels,
    score        float8 NOT NULL,
    created_at   timestamptz NOT NULL,
    converted_at timestamptz,
    deal_value   numeric(12,2)
);
INSERT INTO leads
SELECT i, ch.channel, sc.score, cr.created_at,
       CASE WHEN cv.converts THEN cr.created_at + make_interval(days => cv.days) END,
       CASE WHEN cv.converts THEN round((120 + 800 * random() * (0.5 + sc.score / 100))::numeric, 2) END
FROM generate_series(1, 3000) AS i
CROSS JOIN LATERAL (SELECT (ARRAY['facebook_ads','instagram_ads','linkedin_ads','instagram',
                                  'linkedin','tiktok','google_ads','organic_search','email','direct'])
                           [1 + floor(random() * 10)::int + (i * 0)] AS channel) AS ch
CROSS JOIN LATERAL (SELECT round((100 * power(random(), 0.8))::numeric, 1)::float8 + (i * 0) AS score) AS sc
CROSS JOIN LATERAL (SELECT timestamptz '2026-01-01 00:00+00'
                           + make_interval(days => floor(random() * 290)::int + (i * 0),
                                           hours => floor(random() * 24)::int) AS created_at) AS cr
CROSS JOIN LATERAL (SELECT random() < 0.08 + 0.5 * sc.score / 100 AS converts,
                           floor(3 + random() * (90 - 0.7 * sc.score))::int AS days) AS cv;
-- a conversion that would happen after the observation window is still open
UPDATE leads SET converted_at = NULL, deal_value = NULL
WHERE converted_at > timestamptz '2026-10-31 23:59:59+00';

ANALYZE;
