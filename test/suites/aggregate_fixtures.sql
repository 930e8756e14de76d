-- Rows for test/suites/aggregates.py: one block per aggregate signature
-- (as regprocedure prints it), a SELECT returning the argument columns in
-- order, plus an optional group column g.  random() follows setseed(0.5).

-- aggregate: attribution(text[],double precision,double precision,attribution_model)
SELECT (SELECT array_agg('ch' || floor(power(random(), 2) * 12)::int) FROM generate_series(1, 1 + (i % 9))) AS path,
       floor(random() * 3)::float8 AS conversions, round((random() * 500)::numeric, 2)::float8 AS value,
       'position_based(first=0.3,last=0.5)'::attribution_model AS model, i % 5 AS g
FROM generate_series(1, 20000) i;

-- aggregate: attribution(text[],double precision,double precision,double precision,attribution_model)
SELECT (SELECT array_agg(('{direct,email,social,search,display}'::text[])[1 + floor(random() * 5)::int])
        FROM generate_series(1, 1 + (i % 7))) AS path,
       floor(random() * 2)::float8 AS conversions, (random() * 100)::float8 AS value,
       floor(random() * 4)::float8 AS non_conversions,
       'last_non_direct'::attribution_model AS model, i % 3 AS g
FROM generate_series(1, 20000) i;

-- aggregate: attribution(text[],timestamp with time zone[],timestamp with time zone,double precision,attribution_model)
SELECT p.path, p.times, timestamptz '2026-06-30' AS conversion_time, (1 + random() * 99)::float8 AS value,
       'time_decay(half_life=3 days,lookback=20 days)'::attribution_model AS model, i % 4 AS g
FROM generate_series(1, 20000) i
CROSS JOIN LATERAL (
    SELECT array_agg('c' || floor(random() * 15)::int ORDER BY k) AS path,
           array_agg(timestamptz '2026-06-30' - (30 - k * 2 + i % 2) * interval '1 day' ORDER BY k) AS times
    FROM generate_series(1, 1 + (i % 10)) k) p;

-- aggregate: markov_transitions(text[],double precision,double precision)
SELECT (SELECT array_agg(('{direct,email,social,search,display,video}'::text[])[1 + floor(power(random(), 1.5) * 6)::int])
        FROM generate_series(1, 1 + (i % 8))) AS path,
       floor(random() * 3)::float8 AS conversions, floor(random() * 5)::float8 AS non_conversions, i % 3 AS g
FROM generate_series(1, 20000) i;

-- aggregate: markov_transitions(text[],double precision,double precision,integer)
SELECT (SELECT array_agg('ch' || floor(power(random(), 2) * 9)::int) FROM generate_series(1, 1 + (i % 10))) AS path,
       floor(random() * 2)::float8 AS conversions, (random() * 3)::float8 AS non_conversions,
       3 AS markov_order, i % 4 AS g
FROM generate_series(1, 20000) i;
