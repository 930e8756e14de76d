-- Sample warehouse, part 4b: paid community seats (monthly subscriptions),
-- for the retention reports.  Deterministic (setseed).  About a third of the
-- customers hold a seat at some point; each subscriber cancels after every
-- month with a personal probability (heterogeneous, as in the shifted-beta-
-- geometric story: followers ~ Beta(0.9, 6), mean 13 %; others ~ Beta(0.8,
-- 3), mean 21 %), so the follower report has a retention effect to find.
SELECT setseed(0.45);

CREATE TABLE subscriptions (
    subscription_id int PRIMARY KEY,
    customer_id     int NOT NULL REFERENCES customers,
    plan            text NOT NULL,
    started_at      date NOT NULL,
    cancelled_at    date,                 -- NULL: still active on 2026-10-31
    renewals        int NOT NULL,         -- monthly renewals paid so far
    monthly_fee     numeric(8,2) NOT NULL
);

-- a Beta(a, b) draw as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b)
-- (Marsaglia-Tsang would be overkill: sums of exponentials for the integer
-- parts, and a power of a uniform for the fractional part)
CREATE TEMP TABLE subscriber_traits AS
WITH chosen AS (
    SELECT c.customer_id, c.follows_brand,
           date '2024-01-01' + floor(random() * 1000)::int AS started_at,
           random() AS u1, random() AS u2, random() AS u3, random() AS u4
    FROM customers AS c
    WHERE random() < CASE WHEN c.follows_brand THEN 0.45 ELSE 0.25 END
)
SELECT customer_id, follows_brand, started_at,
       -- theta = X / (X + Y): X ~ Gamma(shape a) as u^(1/a) * Exp(1)-ish, Y likewise
       (power(u1, 1.0 / CASE WHEN follows_brand THEN 0.9 ELSE 0.8 END) * -ln(1 - u3))
       / (power(u1, 1.0 / CASE WHEN follows_brand THEN 0.9 ELSE 0.8 END) * -ln(1 - u3)
          - ln(1 - u2) * CASE WHEN follows_brand THEN 6 ELSE 3 END + 1e-9) AS theta,
       u4
FROM chosen;

INSERT INTO subscriptions
SELECT row_number() OVER (ORDER BY customer_id), customer_id,
       CASE WHEN u4 < 0.7 THEN 'community' ELSE 'community plus' END,
       started_at,
       CASE WHEN started_at + months * interval '1 month' <= date '2026-10-31'
            THEN (started_at + months * interval '1 month')::date END,
       CASE WHEN started_at + months * interval '1 month' <= date '2026-10-31'
            THEN months - 1     -- cancelled after `months` paid months
            ELSE (SELECT count(*) FROM generate_series(1, 40) AS k
                  WHERE started_at + k * interval '1 month' <= date '2026-10-31')::int END,
       CASE WHEN u4 < 0.7 THEN 9.00 ELSE 19.00 END
FROM (SELECT *, 1 + floor(ln(1 - random()) / ln(1 - least(greatest(theta, 0.001), 0.999)))::int AS months
      FROM subscriber_traits) AS s
WHERE started_at <= date '2026-10-01';

ANALYZE subscriptions;
