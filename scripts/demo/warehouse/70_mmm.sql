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

-- the same business in 20 regions: two years of weekly spend and revenue per
-- geo (paid social, organic social hours costed, search), each region with
-- its own size and its own channel effects
CREATE TABLE weekly_geo_marketing (
    geo     text NOT NULL,
    week    date NOT NULL,
    channel text NOT NULL REFERENCES channels,
    cost    numeric(12,2) NOT NULL,
    PRIMARY KEY (geo, week, channel)
);
CREATE TABLE weekly_geo_revenue (
    geo     text NOT NULL,
    week    date NOT NULL,
    revenue numeric(14,2) NOT NULL,
    PRIMARY KEY (geo, week)
);
CREATE TEMP TABLE geo_effects AS
WITH geos AS (
    SELECT 'region_' || lpad(g::text, 2, '0') AS geo, 0.5 + random() AS size FROM generate_series(1, 20) AS g
), params AS (
    SELECT geo, size, channel, level * size AS level, 0.1 + 0.5 * random() AS decay,
           1.0 + random() AS slope, 0.8 + 2.0 * random() AS roas
    FROM geos, (VALUES ('facebook_ads', 900.0), ('instagram', 700), ('google_ads', 1100)) AS c(channel, level)
), blocks AS (
    SELECT geo, channel, b, random() < 0.3 AS off FROM params, generate_series(0, 26) AS b
), spend AS (
    SELECT p.geo, p.size, p.channel, p.decay, p.slope, p.roas, w.t, date '2024-09-30' + 7 * w.t AS week,
           CASE WHEN bl.off THEN 0 ELSE round((p.level * (0.5 + random()))::numeric, 2) END::float8 AS cost
    FROM params p CROSS JOIN generate_series(0, 103) AS w(t)
    JOIN blocks bl ON bl.geo = p.geo AND bl.channel = p.channel AND bl.b = w.t / 4
), a AS (
    SELECT *, adstock(cost, decay) OVER (PARTITION BY geo, channel ORDER BY t) AS adstocked FROM spend
), k AS (
    SELECT geo, channel, avg(adstocked) FILTER (WHERE cost > 0) AS half_saturation FROM a GROUP BY geo, channel
), h AS (
    SELECT a.*, hill(a.adstocked, k.half_saturation, a.slope) AS sat FROM a JOIN k USING (geo, channel)
)
SELECT geo, size, channel, t, week, cost,
       roas * sum(cost) OVER (PARTITION BY geo, channel) / sum(sat) OVER (PARTITION BY geo, channel) * sat AS revenue
FROM h;
INSERT INTO weekly_geo_marketing SELECT geo, week, channel, cost FROM geo_effects;
INSERT INTO weekly_geo_revenue
SELECT geo, week,
       round((size * (9000 + 10 * t + 1200 * sin(2 * pi() * t / 52.18)) + sum(revenue)
              + 0.015 * 12000 * size * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))::numeric, 2)
FROM geo_effects GROUP BY geo, week, t, size;

-- fitted models kept in a table, as a BI tool would read them: the brand
-- model with bootstrap intervals, and one model per region
CREATE TABLE mmm_models AS
SELECT 'brand' AS scope, mmm_fit(week, variable, value, role, 'holdout=8, bootstrap=100, seed=1') AS model
FROM mmm_rows;
INSERT INTO mmm_models
SELECT geo, mmm_fit(week, variable, value, role)
FROM (SELECT geo, week, 'revenue' AS variable, revenue::float8 AS value, 'kpi' AS role FROM weekly_geo_revenue
      UNION ALL
      SELECT geo, week, channel, cost::float8, 'media' FROM weekly_geo_marketing) AS rows
GROUP BY geo;
