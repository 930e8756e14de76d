-- Sample warehouse, part 7: three years of weekly marketing for marketing
-- mix modeling (doc/mmm.md).  What a warehouse holds without any tracking:
-- spend per paid channel and week, hours of the organic social team, and
-- revenue per week.  Here the revenue is generated from known effects --
-- each channel's carry-over (geometric decay), diminishing returns (Hill
-- curve) and return on its cost -- on top of a base, a trend, yearly
-- seasonality and 1.5 % noise, so the demo can print the fitted ROI next
-- to the truth (mmm_truth).
-- Deterministic: every random() below follows setseed().
SELECT setseed(0.707);

-- the effects revenue is built from
CREATE TABLE mmm_truth (
    channel         text PRIMARY KEY REFERENCES channels,
    activity        text NOT NULL,      -- what the media variable counts
    decay           float8 NOT NULL,    -- share of the effect carried into the next week
    slope           float8 NOT NULL,    -- Hill slope
    half_saturation float8,             -- adstocked cost per week at half the maximum effect
    roas            float8 NOT NULL,    -- revenue per unit of cost over the three years
    coefficient     float8              -- revenue per week at full saturation
);
INSERT INTO mmm_truth (channel, activity, decay, slope, roas) VALUES
    ('facebook_ads',  'spend',       0.35, 1.6, 2.4),
    ('instagram_ads', 'spend',       0.25, 1.3, 1.8),
    ('linkedin_ads',  'spend',       0.50, 1.2, 1.3),
    ('google_ads',    'spend',       0.10, 1.4, 2.8),
    ('instagram',     'staff hours', 0.60, 1.5, 3.0),
    ('tiktok',        'staff hours', 0.40, 2.0, 1.6);

-- spend (paid) or hours (organic) per channel and week, in flights: blocks
-- of 2-6 weeks are switched off now and then
CREATE TABLE weekly_marketing (
    week    date NOT NULL,
    channel text NOT NULL REFERENCES channels,
    spend   numeric(12,2),          -- paid channels: ad spend in EUR
    hours   numeric(8,1),           -- organic channels: staff hours
    cost    numeric(12,2) NOT NULL, -- what the week cost: spend, or hours x hourly rate
    PRIMARY KEY (week, channel)
);
WITH weeks AS (
    SELECT w::date AS week, row_number() OVER (ORDER BY w) - 1 AS t
    FROM generate_series(date '2023-10-02', date '2026-09-21', interval '7 days') AS w
), levels(channel, level, rate) AS (
    VALUES ('facebook_ads', 2400.0, NULL::numeric), ('instagram_ads', 1900, NULL), ('linkedin_ads', 1700, NULL),
           ('google_ads', 2600, NULL), ('instagram', 38, 36.50), ('tiktok', 30, 42.00)
), blocks AS (
    -- one on/off draw per channel and 4-week block
    SELECT l.channel, b, random() < 0.3 AS off
    FROM levels l, generate_series(0, 40) AS b
), weekly AS (
    SELECT w.week, l.channel, l.rate,
           CASE WHEN bl.off THEN 0 ELSE l.level * (0.5 + random()) END AS activity
    FROM weeks w CROSS JOIN levels l
    JOIN blocks bl ON bl.channel = l.channel AND bl.b = w.t / 4
)
INSERT INTO weekly_marketing
SELECT week, channel,
       CASE WHEN rate IS NULL THEN round(activity::numeric, 2) END,
       CASE WHEN rate IS NOT NULL THEN round(activity::numeric, 1) END,
       CASE WHEN rate IS NULL THEN round(activity::numeric, 2) ELSE round(activity::numeric, 1) * rate END
FROM weekly;

-- each channel's revenue per week: the adstocked cost through its Hill curve,
-- scaled so that the channel returns `roas` per unit of cost
CREATE TEMP TABLE effects AS
WITH adstocked AS (
    SELECT m.week, m.channel, m.cost::float8 AS cost, t.slope, t.roas,
           adstock(m.cost::float8, t.decay) OVER (PARTITION BY m.channel ORDER BY m.week) AS a
    FROM weekly_marketing m JOIN mmm_truth t USING (channel)
), k AS (
    -- half saturation at the mean adstocked cost of the weeks a channel runs
    SELECT channel, avg(a) FILTER (WHERE cost > 0) AS half_saturation FROM adstocked GROUP BY channel
), shaped AS (
    SELECT a.*, k.half_saturation, hill(a.a, k.half_saturation, a.slope) AS h
    FROM adstocked a JOIN k USING (channel)
)
SELECT week, channel, half_saturation,
       roas * sum(cost) OVER (PARTITION BY channel) / sum(h) OVER (PARTITION BY channel) AS coefficient,
       roas * sum(cost) OVER (PARTITION BY channel) / sum(h) OVER (PARTITION BY channel) * h AS revenue
FROM shaped;
UPDATE mmm_truth t SET half_saturation = e.half_saturation, coefficient = e.coefficient
FROM (SELECT DISTINCT channel, half_saturation, coefficient FROM effects) e
WHERE e.channel = t.channel;

CREATE TABLE weekly_revenue (
    week    date PRIMARY KEY,
    revenue numeric(14,2) NOT NULL
);
INSERT INTO weekly_revenue
SELECT week,
       round((base + noise * 0.015 * 52000)::numeric, 2)
FROM (
    SELECT e.week,
           30000 + 4000 * (e.week - date '2023-10-02') / 1092.0          -- base and trend
           + 3500 * sin(2 * pi() * extract(doy FROM e.week) / 365.25)    -- yearly season
           + 1500 * cos(2 * pi() * extract(doy FROM e.week) / 365.25)
           + sum(e.revenue) AS base,
           -- standard normal noise (Box-Muller)
           sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS noise
    FROM effects e GROUP BY e.week) r;

-- the long rows mmm_fit reads: revenue, each channel's activity (spend, or
-- hours with the staff cost as its cost)
CREATE VIEW mmm_rows AS
SELECT week, 'revenue' AS variable, revenue::float8 AS value, 'kpi' AS role FROM weekly_revenue
UNION ALL
SELECT week, channel, coalesce(spend, hours)::float8, 'media' FROM weekly_marketing
UNION ALL
SELECT week, channel, cost::float8, 'cost' FROM weekly_marketing WHERE hours IS NOT NULL;
