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

-- aggregate: clv_compare(boolean,double precision)
SELECT random() < 0.4 AS follower, (50 + 400 * random() * random())::float8 AS value, i % 6 AS g
FROM generate_series(1, 20000) i;

-- aggregate: clv_compare(boolean,double precision,double precision)
SELECT i % 3 = 0 AS follower, round((20 + 300 * random())::numeric, 2)::float8 AS value,
       0.9::float8 AS confidence, i % 4 AS g
FROM generate_series(1, 20000) i;

-- aggregate: customer_summary(timestamp with time zone,double precision,timestamp with time zone)
-- one customer's orders on ~600 distinct days (several orders on some days)
SELECT timestamptz '2025-01-01 00:00+00' + floor(random() * 600) * interval '1 day'
           + floor(random() * 86000) * interval '1 second' AS order_time,
       round((5 + 95 * random())::numeric, 2)::float8 AS amount,
       timestamptz '2026-12-31 00:00+00' AS observation_end, i % 3 AS g
FROM generate_series(1, 20000) i;

-- aggregate: customer_summary(timestamp with time zone,double precision,timestamp with time zone,interval)
SELECT timestamptz '2025-01-01 00:00+00' + random() * 700 * interval '1 day' AS order_time,
       (1 + random() * 50)::float8 AS amount, timestamptz '2026-12-31 00:00+00' AS observation_end,
       interval '7 days' AS time_unit, i % 2 AS g
FROM generate_series(1, 20000) i;

-- aggregate: bgnbd_fit(double precision,double precision,double precision)
-- customers simulated from the BG/NBD story (Fader, Hardie & Lee 2005): purchases
-- a Poisson process with rate lambda ~ Gamma(2, 10); after each repeat purchase
-- the customer drops out with probability p ~ U(0, 0.6); observed for T = 39.
WITH c AS (
    SELECT i, (-ln(1 - random()) - ln(1 - random())) / 10 AS lambda, 0.6 * random() AS p
    FROM generate_series(1, 4000) i
), d AS (
    SELECT i, lambda, floor(ln(1 - random()) / ln(1 - p)) + 1 AS repeats_before_dropout
    FROM c
), ev AS (
    SELECT d.i, k, d.repeats_before_dropout,
           sum(-ln(1 - random()) / d.lambda) OVER (PARTITION BY d.i ORDER BY k) AS at
    FROM d CROSS JOIN generate_series(1, 40) k
)
SELECT count(*) FILTER (WHERE at <= 39 AND k <= repeats_before_dropout)::float8 AS frequency,
       round(coalesce(max(at) FILTER (WHERE at <= 39 AND k <= repeats_before_dropout), 0)::numeric, 1)::float8 AS recency,
       39::float8 AS t, i % 3 AS g
FROM ev GROUP BY i;

-- aggregate: bgnbd_fit(double precision,double precision,double precision,double precision)
-- the same story, given as (x, t_x rounded to the week, T) patterns with counts
WITH c AS (
    SELECT i, (-ln(1 - random()) - ln(1 - random())) / 10 AS lambda, 0.6 * random() AS p
    FROM generate_series(1, 20000) i
), d AS (
    SELECT i, lambda, floor(ln(1 - random()) / ln(1 - p)) + 1 AS repeats_before_dropout
    FROM c
), ev AS (
    SELECT d.i, k, d.repeats_before_dropout,
           sum(-ln(1 - random()) / d.lambda) OVER (PARTITION BY d.i ORDER BY k) AS at
    FROM d CROSS JOIN generate_series(1, 40) k
), cust AS (
    SELECT count(*) FILTER (WHERE at <= 39 AND k <= repeats_before_dropout)::float8 AS x,
           ceil(coalesce(max(at) FILTER (WHERE at <= 39 AND k <= repeats_before_dropout), 0))::float8 AS tx
    FROM ev GROUP BY i
)
SELECT x AS frequency, tx AS recency, 39::float8 AS t, count(*)::float8 AS customers,
       (x::int + tx::int) % 2 AS g
FROM cust GROUP BY x, tx;

-- aggregate: gamma_gamma_fit(double precision,double precision)
-- Gamma-Gamma story (Fader, Hardie & Lee 2005, RFM and CLV): nu ~ Gamma(q = 4,
-- rate 15); the mean of x spends, each Gamma(p = 6, rate nu), is
-- Gamma(6x, rate nu x).
WITH c AS (
    SELECT i, 1 + (i % 8) AS x,
           (SELECT sum(-ln(1 - random())) FROM generate_series(1, 4 + (i * 0))) / 15 AS nu
    FROM generate_series(1, 4000) i
)
SELECT x::float8 AS frequency,
       round(((SELECT sum(-ln(1 - random())) FROM generate_series(1, 6 * c.x)) / (c.nu * c.x))::numeric, 1)::float8 AS monetary_value,
       i % 3 AS g
FROM c;

-- aggregate: compare_rates(boolean,boolean)
SELECT random() < 0.4 AS follower, random() < 0.3 AS success, i % 6 AS g
FROM generate_series(1, 4000) i;

-- aggregate: compare_rates(boolean,boolean,double precision)
SELECT i % 3 = 0 AS follower, random() < CASE WHEN i % 3 = 0 THEN 0.45 ELSE 0.35 END AS success,
       0.9::float8 AS confidence, i % 4 AS g
FROM generate_series(1, 4000) i;

-- aggregate: time_to_convert(double precision,boolean)
-- ages in days with one decimal (about 2,000 distinct durations), 60 % converted
SELECT round((random() * 200)::numeric, 1)::float8 AS duration, random() < 0.6 AS converted, i % 4 AS g
FROM generate_series(1, 4000) i;

-- aggregate: compare_time_to_convert(boolean,double precision,boolean)
-- exponential days to close, followers faster (mean 30 vs 45 days), 70 % closed
SELECT f AS follower, round(-ln(1 - random()) * CASE WHEN f THEN 30 ELSE 45 END)::float8 AS duration,
       random() < 0.7 AS converted, i % 5 AS g
FROM (SELECT i, random() < 0.4 AS f FROM generate_series(1, 4000) i) s;

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

-- aggregate: bgnbd_fit(double precision,double precision,double precision,double precision,double precision)
-- BG/NBD story as above, with customer counts and a small L2 penalizer
WITH c AS (
    SELECT i, (-ln(1 - random()) - ln(1 - random())) / 10 AS lambda, 0.6 * random() AS p
    FROM generate_series(1, 4000) i
), d AS (
    SELECT i, lambda, floor(ln(1 - random()) / ln(1 - p)) + 1 AS repeats_before_dropout FROM c
), ev AS (
    SELECT d.i, k, d.repeats_before_dropout,
           sum(-ln(1 - random()) / d.lambda) OVER (PARTITION BY d.i ORDER BY k) AS at
    FROM d CROSS JOIN generate_series(1, 40) k
)
SELECT count(*) FILTER (WHERE at <= 39 AND k <= repeats_before_dropout)::float8 AS frequency,
       round(coalesce(max(at) FILTER (WHERE at <= 39 AND k <= repeats_before_dropout), 0)::numeric)::float8 AS recency,
       39::float8 AS t, (1 + i % 3)::float8 AS customers, 0.001::float8 AS penalizer, i % 3 AS g
FROM ev GROUP BY i;

-- aggregate: gamma_gamma_fit(double precision,double precision,double precision)
WITH c AS (
    SELECT i, 1 + (i % 8) AS x,
           (SELECT sum(-ln(1 - random())) FROM generate_series(1, 4 + (i * 0))) / 15 AS nu
    FROM generate_series(1, 4000) i
)
SELECT x::float8 AS frequency,
       round(((SELECT sum(-ln(1 - random())) FROM generate_series(1, 6 * c.x)) / (c.nu * c.x))::numeric, 1)::float8 AS monetary_value,
       (1 + i % 4)::float8 AS customers, i % 3 AS g
FROM c;

-- aggregate: gamma_gamma_fit(double precision,double precision,double precision,double precision)
WITH c AS (
    SELECT i, 1 + (i % 8) AS x,
           (SELECT sum(-ln(1 - random())) FROM generate_series(1, 4 + (i * 0))) / 15 AS nu
    FROM generate_series(1, 4000) i
)
SELECT x::float8 AS frequency,
       round(((SELECT sum(-ln(1 - random())) FROM generate_series(1, 6 * c.x)) / (c.nu * c.x))::numeric, 1)::float8 AS monetary_value,
       1::float8 AS customers, 0.0001::float8 AS penalizer, i % 3 AS g
FROM c;

-- aggregate: pareto_nbd_fit(double precision,double precision,double precision)
-- Pareto/NBD story (Schmittlein et al. 1987) with r = s = 1: purchase rate
-- lambda ~ Exp(rate 10), lifetime rate mu ~ Exp(rate 12) (a Lomax lifetime),
-- purchases in the active part of T = 39 geometric given it, weeks rounded
WITH d AS (
    SELECT i, 12 * (1 / (1 - random()) - 1) AS lifetime, random() AS u1, random() AS u2
    FROM generate_series(1, 4000) AS i
), a AS (
    SELECT i, least(lifetime, 39) AS active, u1, u2 FROM d
), cust AS (
    SELECT i, active, u2,
           CASE WHEN active <= 0 THEN 0 ELSE floor(ln(1 - u1) / ln(active / (10 + active))) END::float8 AS frequency
    FROM a
), pcust AS (
    SELECT i, frequency, CASE WHEN frequency = 0 THEN 0 ELSE floor(active * power(u2, 1 / frequency)) END::float8 AS recency
    FROM cust
)
SELECT frequency, recency, 39::float8 AS t, i % 3 AS g FROM pcust;

-- aggregate: pareto_nbd_fit(double precision,double precision,double precision,double precision)
-- Pareto/NBD story (Schmittlein et al. 1987) with r = s = 1: purchase rate
-- lambda ~ Exp(rate 10), lifetime rate mu ~ Exp(rate 12) (a Lomax lifetime),
-- purchases in the active part of T = 39 geometric given it, weeks rounded
WITH d AS (
    SELECT i, 12 * (1 / (1 - random()) - 1) AS lifetime, random() AS u1, random() AS u2
    FROM generate_series(1, 4000) AS i
), a AS (
    SELECT i, least(lifetime, 39) AS active, u1, u2 FROM d
), cust AS (
    SELECT i, active, u2,
           CASE WHEN active <= 0 THEN 0 ELSE floor(ln(1 - u1) / ln(active / (10 + active))) END::float8 AS frequency
    FROM a
), pcust AS (
    SELECT i, frequency, CASE WHEN frequency = 0 THEN 0 ELSE floor(active * power(u2, 1 / frequency)) END::float8 AS recency
    FROM cust
)
SELECT frequency, recency, 39::float8 AS t, (1 + i % 3)::float8 AS customers, i % 3 AS g FROM pcust;

-- aggregate: pareto_nbd_fit(double precision,double precision,double precision,double precision,double precision)
-- Pareto/NBD story (Schmittlein et al. 1987) with r = s = 1: purchase rate
-- lambda ~ Exp(rate 10), lifetime rate mu ~ Exp(rate 12) (a Lomax lifetime),
-- purchases in the active part of T = 39 geometric given it, weeks rounded
WITH d AS (
    SELECT i, 12 * (1 / (1 - random()) - 1) AS lifetime, random() AS u1, random() AS u2
    FROM generate_series(1, 4000) AS i
), a AS (
    SELECT i, least(lifetime, 39) AS active, u1, u2 FROM d
), cust AS (
    SELECT i, active, u2,
           CASE WHEN active <= 0 THEN 0 ELSE floor(ln(1 - u1) / ln(active / (10 + active))) END::float8 AS frequency
    FROM a
), pcust AS (
    SELECT i, frequency, CASE WHEN frequency = 0 THEN 0 ELSE floor(active * power(u2, 1 / frequency)) END::float8 AS recency
    FROM cust
)
SELECT frequency, recency, 39::float8 AS t, 1::float8 AS customers, 0.0001::float8 AS penalizer, i % 3 AS g FROM pcust;

-- aggregate: mbgnbd_fit(double precision,double precision,double precision)
-- MBG/NBD: the BG/NBD story above (purchases, dropout after purchases), weeks rounded
WITH c AS (
    SELECT i, (-ln(1 - random()) - ln(1 - random())) / 10 AS lambda, 0.6 * random() AS p,
           -ln(1 - random()) / 40 AS mu
    FROM generate_series(1, 4000) i
), d AS (
    SELECT i, lambda, least(floor(ln(1 - random()) / ln(1 - p)) + 1, 1e6) AS repeats_before_dropout FROM c
), ev AS (
    SELECT d.i, k, d.repeats_before_dropout,
           sum(-ln(1 - random()) / d.lambda) OVER (PARTITION BY d.i ORDER BY k) AS at
    FROM d CROSS JOIN generate_series(1, 40) k
), cust AS (
    SELECT i, count(*) FILTER (WHERE at <= 39 AND k <= repeats_before_dropout)::float8 AS frequency,
           round(coalesce(max(at) FILTER (WHERE at <= 39 AND k <= repeats_before_dropout), 0)::numeric)::float8 AS recency
    FROM ev GROUP BY i
)
SELECT frequency, recency, 39::float8 AS t, i % 3 AS g FROM cust;

-- aggregate: mbgnbd_fit(double precision,double precision,double precision,double precision)
WITH c AS (
    SELECT i, (-ln(1 - random()) - ln(1 - random())) / 10 AS lambda, 0.6 * random() AS p,
           -ln(1 - random()) / 40 AS mu
    FROM generate_series(1, 4000) i
), d AS (
    SELECT i, lambda, least(floor(ln(1 - random()) / ln(1 - p)) + 1, 1e6) AS repeats_before_dropout FROM c
), ev AS (
    SELECT d.i, k, d.repeats_before_dropout,
           sum(-ln(1 - random()) / d.lambda) OVER (PARTITION BY d.i ORDER BY k) AS at
    FROM d CROSS JOIN generate_series(1, 40) k
), cust AS (
    SELECT i, count(*) FILTER (WHERE at <= 39 AND k <= repeats_before_dropout)::float8 AS frequency,
           round(coalesce(max(at) FILTER (WHERE at <= 39 AND k <= repeats_before_dropout), 0)::numeric)::float8 AS recency
    FROM ev GROUP BY i
)
SELECT frequency, recency, 39::float8 AS t, (1 + i % 3)::float8 AS customers, i % 3 AS g FROM cust;

-- aggregate: mbgnbd_fit(double precision,double precision,double precision,double precision,double precision)
WITH c AS (
    SELECT i, (-ln(1 - random()) - ln(1 - random())) / 10 AS lambda, 0.6 * random() AS p,
           -ln(1 - random()) / 40 AS mu
    FROM generate_series(1, 4000) i
), d AS (
    SELECT i, lambda, least(floor(ln(1 - random()) / ln(1 - p)) + 1, 1e6) AS repeats_before_dropout FROM c
), ev AS (
    SELECT d.i, k, d.repeats_before_dropout,
           sum(-ln(1 - random()) / d.lambda) OVER (PARTITION BY d.i ORDER BY k) AS at
    FROM d CROSS JOIN generate_series(1, 40) k
), cust AS (
    SELECT i, count(*) FILTER (WHERE at <= 39 AND k <= repeats_before_dropout)::float8 AS frequency,
           round(coalesce(max(at) FILTER (WHERE at <= 39 AND k <= repeats_before_dropout), 0)::numeric)::float8 AS recency
    FROM ev GROUP BY i
)
SELECT frequency, recency, 39::float8 AS t, 1::float8 AS customers, 0.0001::float8 AS penalizer, i % 3 AS g FROM cust;

-- aggregate: bgnbd_compare(boolean,double precision,double precision,double precision)
-- followers (every third customer) buy from the same story
WITH c AS (
    SELECT i, (-ln(1 - random()) - ln(1 - random())) / 10 AS lambda, 0.6 * random() AS p,
           -ln(1 - random()) / 40 AS mu
    FROM generate_series(1, 4000) i
), d AS (
    SELECT i, lambda, least(floor(ln(1 - random()) / ln(1 - p)) + 1, 1e6) AS repeats_before_dropout FROM c
), ev AS (
    SELECT d.i, k, d.repeats_before_dropout,
           sum(-ln(1 - random()) / d.lambda) OVER (PARTITION BY d.i ORDER BY k) AS at
    FROM d CROSS JOIN generate_series(1, 40) k
), cust AS (
    SELECT i, count(*) FILTER (WHERE at <= 39 AND k <= repeats_before_dropout)::float8 AS frequency,
           round(coalesce(max(at) FILTER (WHERE at <= 39 AND k <= repeats_before_dropout), 0)::numeric)::float8 AS recency
    FROM ev GROUP BY i
)
SELECT i % 3 = 0 AS follower, frequency, recency, 39::float8 AS t, i % 2 AS g FROM cust;

-- aggregate: bgnbd_compare(boolean,double precision,double precision,double precision,double precision)
WITH c AS (
    SELECT i, (-ln(1 - random()) - ln(1 - random())) / 10 AS lambda, 0.6 * random() AS p,
           -ln(1 - random()) / 40 AS mu
    FROM generate_series(1, 4000) i
), d AS (
    SELECT i, lambda, least(floor(ln(1 - random()) / ln(1 - p)) + 1, 1e6) AS repeats_before_dropout FROM c
), ev AS (
    SELECT d.i, k, d.repeats_before_dropout,
           sum(-ln(1 - random()) / d.lambda) OVER (PARTITION BY d.i ORDER BY k) AS at
    FROM d CROSS JOIN generate_series(1, 40) k
), cust AS (
    SELECT i, count(*) FILTER (WHERE at <= 39 AND k <= repeats_before_dropout)::float8 AS frequency,
           round(coalesce(max(at) FILTER (WHERE at <= 39 AND k <= repeats_before_dropout), 0)::numeric)::float8 AS recency
    FROM ev GROUP BY i
)
SELECT i % 3 = 0 AS follower, frequency, recency, 39::float8 AS t, 52::float8 AS horizon, i % 2 AS g FROM cust;

-- aggregate: pareto_nbd_compare(boolean,double precision,double precision,double precision)
-- Pareto/NBD story (Schmittlein et al. 1987) with r = s = 1: purchase rate
-- lambda ~ Exp(rate 10), lifetime rate mu ~ Exp(rate 12) (a Lomax lifetime),
-- purchases in the active part of T = 39 geometric given it, weeks rounded
WITH d AS (
    SELECT i, 12 * (1 / (1 - random()) - 1) AS lifetime, random() AS u1, random() AS u2
    FROM generate_series(1, 4000) AS i
), a AS (
    SELECT i, least(lifetime, 39) AS active, u1, u2 FROM d
), cust AS (
    SELECT i, active, u2,
           CASE WHEN active <= 0 THEN 0 ELSE floor(ln(1 - u1) / ln(active / (10 + active))) END::float8 AS frequency
    FROM a
), pcust AS (
    SELECT i, frequency, CASE WHEN frequency = 0 THEN 0 ELSE floor(active * power(u2, 1 / frequency)) END::float8 AS recency
    FROM cust
)
SELECT i % 3 = 0 AS follower, frequency, recency, 39::float8 AS t, i % 2 AS g FROM pcust;

-- aggregate: pareto_nbd_compare(boolean,double precision,double precision,double precision,double precision)
-- Pareto/NBD story (Schmittlein et al. 1987) with r = s = 1: purchase rate
-- lambda ~ Exp(rate 10), lifetime rate mu ~ Exp(rate 12) (a Lomax lifetime),
-- purchases in the active part of T = 39 geometric given it, weeks rounded
WITH d AS (
    SELECT i, 12 * (1 / (1 - random()) - 1) AS lifetime, random() AS u1, random() AS u2
    FROM generate_series(1, 4000) AS i
), a AS (
    SELECT i, least(lifetime, 39) AS active, u1, u2 FROM d
), cust AS (
    SELECT i, active, u2,
           CASE WHEN active <= 0 THEN 0 ELSE floor(ln(1 - u1) / ln(active / (10 + active))) END::float8 AS frequency
    FROM a
), pcust AS (
    SELECT i, frequency, CASE WHEN frequency = 0 THEN 0 ELSE floor(active * power(u2, 1 / frequency)) END::float8 AS recency
    FROM cust
)
SELECT i % 3 = 0 AS follower, frequency, recency, 39::float8 AS t, 52::float8 AS horizon, i % 2 AS g FROM pcust;

-- aggregate: bgbb_fit(double precision,double precision,double precision)
-- BG/BB story (Fader, Hardie & Shang 2010): p ~ Beta(1.2, 0.75), theta ~
-- Beta(0.66, 2.8), 6 opportunities
WITH c AS (
    SELECT i, random() AS u_p, random() AS u_theta FROM generate_series(1, 4000) i
), pr AS (
    SELECT i, power(u_p, 0.8) AS p, 1 - power(1 - u_theta, 0.15) * 0.9 AS theta FROM c
), occ AS (
    SELECT pr.i, k, random() < pr.p AS buys, random() AS u_die, pr.theta
    FROM pr CROSS JOIN generate_series(1, 6) k
), alive AS (
    SELECT i, k, buys, bool_and(u_die >= theta) OVER (PARTITION BY i ORDER BY k) AS alive FROM occ
), cust AS (
    SELECT i, count(*) FILTER (WHERE buys AND alive)::float8 AS frequency,
           coalesce(max(k) FILTER (WHERE buys AND alive), 0)::float8 AS recency
    FROM alive GROUP BY i
)
SELECT frequency, recency, 6::float8 AS n_periods, i % 3 AS g FROM cust;

-- aggregate: bgbb_fit(double precision,double precision,double precision,double precision)
-- BG/BB story (Fader, Hardie & Shang 2010): p ~ Beta(1.2, 0.75), theta ~
-- Beta(0.66, 2.8), 6 opportunities
WITH c AS (
    SELECT i, random() AS u_p, random() AS u_theta FROM generate_series(1, 4000) i
), pr AS (
    SELECT i, power(u_p, 0.8) AS p, 1 - power(1 - u_theta, 0.15) * 0.9 AS theta FROM c
), occ AS (
    SELECT pr.i, k, random() < pr.p AS buys, random() AS u_die, pr.theta
    FROM pr CROSS JOIN generate_series(1, 6) k
), alive AS (
    SELECT i, k, buys, bool_and(u_die >= theta) OVER (PARTITION BY i ORDER BY k) AS alive FROM occ
), cust AS (
    SELECT i, count(*) FILTER (WHERE buys AND alive)::float8 AS frequency,
           coalesce(max(k) FILTER (WHERE buys AND alive), 0)::float8 AS recency
    FROM alive GROUP BY i
)
SELECT frequency, recency, 6::float8 AS n_periods, (1 + i % 3)::float8 AS customers, i % 2 AS g FROM cust;

-- aggregate: bgbb_fit(double precision,double precision,double precision,double precision,double precision)
-- BG/BB story (Fader, Hardie & Shang 2010): p ~ Beta(1.2, 0.75), theta ~
-- Beta(0.66, 2.8), 6 opportunities
WITH c AS (
    SELECT i, random() AS u_p, random() AS u_theta FROM generate_series(1, 4000) i
), pr AS (
    SELECT i, power(u_p, 0.8) AS p, 1 - power(1 - u_theta, 0.15) * 0.9 AS theta FROM c
), occ AS (
    SELECT pr.i, k, random() < pr.p AS buys, random() AS u_die, pr.theta
    FROM pr CROSS JOIN generate_series(1, 6) k
), alive AS (
    SELECT i, k, buys, bool_and(u_die >= theta) OVER (PARTITION BY i ORDER BY k) AS alive FROM occ
), cust AS (
    SELECT i, count(*) FILTER (WHERE buys AND alive)::float8 AS frequency,
           coalesce(max(k) FILTER (WHERE buys AND alive), 0)::float8 AS recency
    FROM alive GROUP BY i
)
SELECT frequency, recency, 6::float8 AS n_periods, 1::float8 AS customers, 0.0001::float8 AS penalizer, i % 3 AS g FROM cust;

-- aggregate: sbg_fit(integer,boolean)
-- sBG story (Fader & Hardie 2007): churn probability theta ~ Beta(0.7, 2),
-- renewals until churn, observed for at most 8 periods
WITH c AS (
    SELECT i, random() AS u FROM generate_series(1, 4000) i
), th AS (
    SELECT i, least(0.999, greatest(0.001, power(u, 1.6) * 0.8)) AS theta FROM c
), s AS (
    SELECT i, floor(ln(1 - random()) / ln(1 - theta)) AS life FROM th
)
SELECT least(life, 8)::int AS periods_survived, life < 8 AS churned, i % 3 AS g FROM s;

-- aggregate: sbg_fit(integer,boolean,double precision)
-- sBG story (Fader & Hardie 2007): churn probability theta ~ Beta(0.7, 2),
-- renewals until churn, observed for at most 8 periods
WITH c AS (
    SELECT i, random() AS u FROM generate_series(1, 4000) i
), th AS (
    SELECT i, least(0.999, greatest(0.001, power(u, 1.6) * 0.8)) AS theta FROM c
), s AS (
    SELECT i, floor(ln(1 - random()) / ln(1 - theta)) AS life FROM th
)
SELECT least(life, 8)::int AS periods_survived, life < 8 AS churned, (1 + i % 4)::float8 AS customers, i % 2 AS g FROM s;

-- aggregate: sbg_fit(integer,boolean,double precision,double precision)
-- sBG story (Fader & Hardie 2007): churn probability theta ~ Beta(0.7, 2),
-- renewals until churn, observed for at most 8 periods
WITH c AS (
    SELECT i, random() AS u FROM generate_series(1, 4000) i
), th AS (
    SELECT i, least(0.999, greatest(0.001, power(u, 1.6) * 0.8)) AS theta FROM c
), s AS (
    SELECT i, floor(ln(1 - random()) / ln(1 - theta)) AS life FROM th
)
SELECT least(life, 8)::int AS periods_survived, life < 8 AS churned, 1::float8 AS customers, 0.0001::float8 AS penalizer, i % 3 AS g FROM s;

-- aggregate: sbg_compare(boolean,integer,boolean)
-- sBG story (Fader & Hardie 2007): churn probability theta ~ Beta(0.7, 2),
-- renewals until churn, observed for at most 8 periods
WITH c AS (
    SELECT i, random() AS u FROM generate_series(1, 4000) i
), th AS (
    SELECT i, least(0.999, greatest(0.001, power(u, 1.6) * 0.8)) AS theta FROM c
), s AS (
    SELECT i, floor(ln(1 - random()) / ln(1 - theta)) AS life FROM th
)
SELECT i % 3 = 0 AS follower, least(life, 8)::int AS periods_survived, life < 8 AS churned, i % 2 AS g FROM s;

-- aggregate: sbg_compare(boolean,integer,boolean,double precision)
-- sBG story (Fader & Hardie 2007): churn probability theta ~ Beta(0.7, 2),
-- renewals until churn, observed for at most 8 periods
WITH c AS (
    SELECT i, random() AS u FROM generate_series(1, 4000) i
), th AS (
    SELECT i, least(0.999, greatest(0.001, power(u, 1.6) * 0.8)) AS theta FROM c
), s AS (
    SELECT i, floor(ln(1 - random()) / ln(1 - theta)) AS life FROM th
)
SELECT i % 3 = 0 AS follower, least(life, 8)::int AS periods_survived, life < 8 AS churned, 12::float8 AS horizon, i % 2 AS g FROM s;

-- aggregate: customer_summary(timestamp with time zone,double precision,timestamp with time zone,text)
SELECT timestamptz '2025-01-01 00:00+00' + random() * 700 * interval '1 day' AS order_time,
       (1 + random() * 50)::float8 AS amount, timestamptz '2026-12-31 00:00+00' AS observation_end,
       'week'::text AS time_unit, i % 2 AS g
FROM generate_series(1, 20000) i;

-- aggregate: customer_summary_holdout(timestamp with time zone,double precision,timestamp with time zone,timestamp with time zone)
SELECT timestamptz '2025-01-01 00:00+00' + random() * 700 * interval '1 day' AS order_time,
       (1 + random() * 50)::float8 AS amount, timestamptz '2026-06-30 00:00+00' AS calibration_end,
       timestamptz '2026-12-31 00:00+00' AS observation_end, i % 2 AS g
FROM generate_series(1, 20000) i;

-- aggregate: customer_summary_holdout(timestamp with time zone,double precision,timestamp with time zone,timestamp with time zone,interval)
SELECT timestamptz '2025-01-01 00:00+00' + random() * 700 * interval '1 day' AS order_time,
       (1 + random() * 50)::float8 AS amount, timestamptz '2026-06-30 00:00+00' AS calibration_end,
       timestamptz '2026-12-31 00:00+00' AS observation_end, interval '7 days' AS time_unit, i % 3 AS g
FROM generate_series(1, 20000) i;

-- aggregate: customer_summary_holdout(timestamp with time zone,double precision,timestamp with time zone,timestamp with time zone,text)
SELECT timestamptz '2025-01-01 00:00+00' + random() * 700 * interval '1 day' AS order_time,
       (1 + random() * 50)::float8 AS amount, timestamptz '2026-06-30 00:00+00' AS calibration_end,
       timestamptz '2026-12-31 00:00+00' AS observation_end, 'month'::text AS time_unit, i % 2 AS g
FROM generate_series(1, 20000) i;

-- the rollup aggregates (sql/22_attribution_rollups.sql, sql/42_clv_rollups.sql):
-- states not finalised, and merges of stored states
-- aggregate: attribution_partial(text[],double precision,double precision,attribution_model)
-- finalise: attribution_result
SELECT (SELECT array_agg('ch' || floor(power(random(), 2) * 12)::int) FROM generate_series(1, 1 + (i % 9))) AS path,
       floor(random() * 3)::float8 AS conversions, round((random() * 500)::numeric, 2)::float8 AS value,
       'position_based(first=0.3,last=0.5)'::attribution_model AS model, i % 5 AS g
FROM generate_series(1, 20000) i;

-- aggregate: attribution_partial(text[],double precision,double precision,double precision,attribution_model)
-- finalise: attribution_result
SELECT (SELECT array_agg(('{direct,email,social,search,display}'::text[])[1 + floor(random() * 5)::int])
        FROM generate_series(1, 1 + (i % 7))) AS path,
       floor(random() * 2)::float8 AS conversions, (random() * 100)::float8 AS value,
       floor(random() * 4)::float8 AS non_conversions,
       'markov'::attribution_model AS model, i % 3 AS g
FROM generate_series(1, 20000) i;

-- aggregate: attribution_partial(text[],timestamp with time zone[],timestamp with time zone,double precision,attribution_model)
-- finalise: attribution_result
SELECT p.path, p.times, timestamptz '2026-06-30' AS conversion_time, (1 + random() * 99)::float8 AS value,
       'time_decay(half_life=3 days,lookback=20 days)'::attribution_model AS model, i % 4 AS g
FROM generate_series(1, 20000) i
CROSS JOIN LATERAL (
    SELECT array_agg('c' || floor(random() * 15)::int ORDER BY k) AS path,
           array_agg(timestamptz '2026-06-30' - (30 - k * 2 + i % 2) * interval '1 day' ORDER BY k) AS times
    FROM generate_series(1, 1 + (i % 10)) k) p;

-- aggregate: attribution_merge(attribution_state)
-- finalise: attribution_result
-- 2,000 stored states (one per day and segment) of 20,000 journeys, shapley
SELECT attribution_partial(path, conversions, value, non_conversions, 'shapley') AS state, min(i) % 5 AS g
FROM (SELECT i, i % 2000 AS bucket,
             (SELECT array_agg(('{direct,email,social,search,display,video}'::text[])[1 + floor(random() * 6)::int])
              FROM generate_series(1, 1 + (i % 6))) AS path,
             floor(random() * 2)::float8 AS conversions, round((random() * 300)::numeric, 2)::float8 AS value,
             floor(random() * 3)::float8 AS non_conversions
      FROM generate_series(1, 20000) i) j
GROUP BY bucket;

-- aggregate: customer_summary_partial(timestamp with time zone,double precision,timestamp with time zone)
-- finalise: customer_summary_result
SELECT timestamptz '2025-01-01 00:00+00' + floor(random() * 600) * interval '1 day'
           + floor(random() * 86000) * interval '1 second' AS order_time,
       round((5 + 95 * random())::numeric, 2)::float8 AS amount,
       timestamptz '2026-12-31 00:00+00' AS observation_end, i % 3 AS g
FROM generate_series(1, 20000) i;

-- aggregate: customer_summary_partial(timestamp with time zone,double precision,timestamp with time zone,interval)
-- finalise: customer_summary_result
SELECT timestamptz '2025-01-01 00:00+00' + random() * 700 * interval '1 day' AS order_time,
       (1 + random() * 50)::float8 AS amount, timestamptz '2026-12-31 00:00+00' AS observation_end,
       interval '7 days' AS time_unit, i % 2 AS g
FROM generate_series(1, 20000) i;

-- aggregate: customer_summary_merge(customer_summary_state)
-- finalise: customer_summary_result
-- one customer's orders stored day by day (observation end: the end of each day)
SELECT customer_summary_partial(order_time, amount, (order_time::date + 1)::timestamptz) AS state,
       min(i) % 3 AS g
FROM (SELECT i, timestamptz '2025-01-01 00:00+00' + floor(random() * 600) * interval '1 day'
                    + floor(random() * 86000) * interval '1 second' AS order_time,
             round((5 + 95 * random())::numeric, 2)::float8 AS amount
      FROM generate_series(1, 20000) i) o
GROUP BY order_time::date;

-- aggregate: journeys(timestamp with time zone,text,double precision)
-- one stream: touches of 8 channels and 15 % conversions on an hourly grid
-- (ties on purpose), some conversions without a channel
SELECT timestamptz '2026-01-01 00:00+00' + floor(random() * 1200) * interval '1 hour' AS event_time,
       CASE WHEN random() < 0.1 THEN NULL ELSE 'c' || floor(random() * 8)::int END AS channel,
       CASE WHEN random() < 0.15 THEN round((random() * 100)::numeric, 2)::float8 END AS conversion_value,
       i % 5 AS g
FROM generate_series(1, 8000) i;

-- aggregate: journeys(timestamp with time zone,text,double precision,text)
SELECT timestamptz '2026-01-01 00:00+00' + floor(random() * 1200) * interval '1 hour' AS event_time,
       CASE WHEN random() < 0.1 THEN NULL ELSE 'c' || floor(random() * 8)::int END AS channel,
       CASE WHEN random() < 0.15 THEN round((random() * 100)::numeric, 2)::float8 END AS conversion_value,
       'reset=never, lookback=10 days, lookback_days=7, max_touches=20, session=3 hours, direct=c0, direct_override=false' AS options,
       i % 5 AS g
FROM generate_series(1, 8000) i;

-- aggregate: markov_order_selection(text[],double precision,double precision)
SELECT (SELECT array_agg('ch' || floor(power(random(), 2) * 7)::int) FROM generate_series(1, 1 + (i % 9))) AS path,
       floor(random() * 2)::float8 AS conversions, floor(random() * 3)::float8 AS non_conversions, i % 4 AS g
FROM generate_series(1, 20000) i;

-- aggregate: adstock(double precision,double precision)
-- Geometric carry-over depends on the order of the periods; a constant series
-- makes every merge order give the same value, so what the comparisons check
-- is the combine function's decay^n composition: x (1 - d^n) / (1 - d)
SELECT 100::float8 AS x, 0.999::float8 AS decay, i % 4 AS g FROM generate_series(1, 20000) i;

-- aggregate: mmm_fit(date,text,double precision,text)
-- three groups of 60 weeks with two flighted channels: a model per group; all
-- rows together are one model of the summed series
WITH w AS (
    SELECT g, i, date '2024-01-01' + 7 * i AS week,
           CASE WHEN random() < 0.7 THEN round((1000 + 1000 * random())::numeric, 2) ELSE 0 END::float8 AS a,
           CASE WHEN random() < 0.6 THEN round((500 + 1500 * random())::numeric, 2) ELSE 0 END::float8 AS b,
           random() AS e
    FROM generate_series(0, 2) g, generate_series(0, 59) i)
SELECT week AS period, v.variable, v.value, v.role, g
FROM w CROSS JOIN LATERAL (VALUES ('revenue', 20000 + 50 * i + 1.5 * a + 0.8 * b + 300 * e, 'kpi'),
                                  ('a', a, 'media'), ('b', b, 'media')) v(variable, value, role);

-- aggregate: mmm_fit(date,text,double precision,text,text)
-- the same story with impressions and cost rows, a control and options
WITH w AS (
    SELECT g, i, date '2024-01-01' + 7 * i AS week,
           CASE WHEN random() < 0.7 THEN round((1000 + 1000 * random())::numeric, 2) ELSE 0 END::float8 AS a,
           CASE WHEN random() < 0.6 THEN round((500 + 1500 * random())::numeric, 2) ELSE 0 END::float8 AS b,
           (i % 5 = 0)::int::float8 AS promo, random() AS e
    FROM generate_series(0, 2) g, generate_series(0, 59) i)
SELECT week AS period, v.variable, v.value, v.role,
       'seasonality=none, holdout=4, decay=0..0.6, slope=1..2' AS options, g
FROM w CROSS JOIN LATERAL (VALUES ('revenue', 20000 + 50 * i + 1.5 * a + 0.8 * b + 900 * promo + 300 * e, 'kpi'),
                                  ('a', a * 120, 'media'), ('a', a, 'cost'), ('b', b, 'media'),
                                  ('promo', promo, 'control')) v(variable, value, role);
