-- Marketing mix modeling bench data: weekly revenue built from known
-- geometric adstock and Hill saturation per channel on top of a base, a
-- trend, yearly seasonality and 1 % noise, with flighted spend (4-week
-- blocks off now and then).
--   bench_mmm      one brand: 156 weeks x 6 channels (the 2-second target)
--   bench_mmm_geo  100 geos x 104 weeks x 5 channels (the GROUP BY target)
-- Long rows (geo, week, variable, value, role), as mmm_fit reads them.
SELECT setseed(0.70);

DROP TABLE IF EXISTS bench_mmm, bench_mmm_geo, bench_mmm_geo_parts;

CREATE TEMP TABLE bench_mmm_spend AS
WITH geos AS (
    SELECT g FROM generate_series(0, 100) AS g          -- geo 0 is the 156-week brand
), channels AS (
    SELECT g, j, 1500 + 2500 * random() AS level, 0.1 + 0.6 * random() AS decay,
           1 + 1.5 * random() AS slope, 0.8 + 2.2 * random() AS roas
    FROM geos, generate_series(1, 6) AS j
    WHERE j <= CASE WHEN g = 0 THEN 6 ELSE 5 END
), blocks AS (
    SELECT g, j, b, random() < 0.3 AS off FROM channels, generate_series(0, 40) AS b
)
SELECT c.g, c.j, w.t, date '2023-01-02' + 7 * w.t AS week, c.decay, c.slope, c.roas,
       CASE WHEN bl.off THEN 0 ELSE round((c.level * (0.5 + random()))::numeric, 2) END::float8 AS spend
FROM channels c
CROSS JOIN LATERAL generate_series(0, CASE WHEN c.g = 0 THEN 155 ELSE 103 END) AS w(t)
JOIN blocks bl ON bl.g = c.g AND bl.j = c.j AND bl.b = w.t / 4;

CREATE TEMP TABLE bench_mmm_effects AS
WITH a AS (
    SELECT *, adstock(spend, decay) OVER (PARTITION BY g, j ORDER BY t) AS adstocked FROM bench_mmm_spend
), k AS (
    SELECT g, j, avg(adstocked) FILTER (WHERE spend > 0) AS half_saturation FROM a GROUP BY g, j
), h AS (
    SELECT a.*, hill(a.adstocked, k.half_saturation, a.slope) AS sat FROM a JOIN k USING (g, j)
)
SELECT g, j, t, week, spend,
       roas * sum(spend) OVER (PARTITION BY g, j) / sum(sat) OVER (PARTITION BY g, j) * sat AS revenue
FROM h;

CREATE TEMP TABLE bench_mmm_rows AS
SELECT g, week, 'revenue' AS variable,
       (40000 + 50 * t + 3000 * sin(2 * pi() * t / 52.18) + 1200 * cos(2 * pi() * t / 52.18) + sum(revenue)
        + 0.01 * 60000 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))::float8 AS value,
       'kpi' AS role
FROM bench_mmm_effects GROUP BY g, week, t
UNION ALL
SELECT g, week, 'channel_' || j, spend, 'media' FROM bench_mmm_effects;

CREATE TABLE bench_mmm AS
SELECT week, variable, value, role FROM bench_mmm_rows WHERE g = 0;
CREATE TABLE bench_mmm_geo AS
SELECT 'geo_' || lpad(g::text, 3, '0') AS geo, week, variable, value, role FROM bench_mmm_rows WHERE g > 0;
-- the same geos in a table partitioned by geo: each partition's GROUP BY is
-- complete, so parallel workers fit different partitions' geos
CREATE TABLE bench_mmm_geo_parts (LIKE bench_mmm_geo) PARTITION BY HASH (geo);
DO $$
BEGIN
    FOR r IN 0..7 LOOP
        EXECUTE format('CREATE TABLE bench_mmm_geo_parts_%s PARTITION OF bench_mmm_geo_parts
                        FOR VALUES WITH (MODULUS 8, REMAINDER %s)', r, r);
    END LOOP;
END $$;
INSERT INTO bench_mmm_geo_parts SELECT * FROM bench_mmm_geo;
ANALYZE bench_mmm;
ANALYZE bench_mmm_geo;
ANALYZE bench_mmm_geo_parts;
