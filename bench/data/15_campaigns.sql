-- Bench data for Markov attribution at campaign scale: for N = 300, 1,000
-- and 3,000 distinct names, 200,000 journeys of 1-10 touches whose names
-- have skewed popularity (name i drawn as floor(N * u^2.5), like
-- 10_journeys.sql), 30% converting with a value of 50-500.  One table per N:
-- bench_campaigns_300, bench_campaigns_1000, bench_campaigns_3000.
-- Deterministic (setseed).
CREATE FUNCTION pg_temp.bench_campaigns(n int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM setseed(0.2026);
    EXECUTE format($q$
        CREATE TABLE bench_campaigns_%s AS
        SELECT journey_id, path, converted,
               CASE WHEN converted THEN round((50 + 450 * random())::numeric, 2)::float8 ELSE 0 END AS value
        FROM (SELECT journey_id, path, random() < 0.3 AS converted
              FROM (SELECT j AS journey_id,
                           array_agg('campaign_' || floor(%s * power(random(), 2.5))::int ORDER BY k) AS path
                    FROM generate_series(1, 200000) AS j
                    CROSS JOIN LATERAL generate_series(1, 1 + ((j::int8 * 7919 + j / 13) %% 10)::int) AS k
                    GROUP BY j) AS g
              ORDER BY journey_id) AS c$q$, n, n);
END $$;
SELECT pg_temp.bench_campaigns(300);
SELECT pg_temp.bench_campaigns(1000);
SELECT pg_temp.bench_campaigns(3000);
