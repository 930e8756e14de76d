-- Sample warehouse, part 4: customers and their orders, for the CLV reports.
-- Deterministic (setseed).  About 3,000 customers acquired from January 2024
-- to September 2026, each buying as in the BG/NBD story: purchases at a
-- personal rate, and after every purchase a chance to drop out for good.
-- Brand followers are generated to buy more often, stay longer and spend a
-- little more per order, so the follower report has a real effect to find.
SELECT setseed(0.44);

CREATE TABLE customers (
    customer_id      int PRIMARY KEY,
    follows_brand    boolean NOT NULL,     -- follows / interacts with the brand on social
    acquired_channel text NOT NULL REFERENCES channels,
    created_at       timestamptz NOT NULL
);

CREATE TABLE orders (
    order_id    bigint PRIMARY KEY,
    customer_id int NOT NULL REFERENCES customers,
    ordered_at  timestamptz NOT NULL,
    amount      numeric(10,2) NOT NULL
);

-- hidden buying behaviour of each customer (not part of the warehouse)
CREATE TEMP TABLE customer_traits AS
WITH drawn AS (
    SELECT i AS customer_id,
           (ARRAY['facebook_ads', 'instagram_ads', 'linkedin_ads', 'instagram', 'linkedin',
                  'tiktok', 'google_ads', 'organic_search', 'email', 'direct'])[1 + floor(random() * 10)::int]
               AS acquired_channel,
           timestamptz '2024-01-01 09:00+00' + random() * (timestamptz '2026-09-30' - timestamptz '2024-01-01')
               AS created_at,
           random() AS u_follow, random() AS u_rate, random() AS u_spend
    FROM generate_series(1, 3000) AS i
)
SELECT customer_id, acquired_channel, date_trunc('minute', created_at) AS created_at,
       -- social channels bring more followers
       u_follow < CASE WHEN acquired_channel IN ('instagram', 'linkedin', 'tiktok') THEN 0.6
                       WHEN acquired_channel LIKE '%\_ads' THEN 0.4 ELSE 0.2 END AS follows_brand,
       u_rate, u_spend
FROM drawn;

INSERT INTO customers
SELECT customer_id, follows_brand, acquired_channel, created_at FROM customer_traits;

-- purchases: exponential gaps at the customer's rate (followers 1.6x as often),
-- dropout after each purchase with probability 0.30 (followers 0.16).  Each
-- step reads only the previous one (the traits travel along, no join) and
-- the amounts are drawn in (customer, purchase) order, so every PostgreSQL
-- version calls random() in the same order.
CREATE TEMP TABLE generated_orders AS
WITH RECURSIVE traits AS (
    SELECT customer_id, created_at, follows_brand,
           -ln(1 - u_rate) / 60 * CASE WHEN follows_brand THEN 1.6 ELSE 1 END AS per_day,
           CASE WHEN follows_brand THEN 0.16 ELSE 0.30 END AS dropout,
           (40 + 60 * u_spend) * CASE WHEN follows_brand THEN 1.15 ELSE 1 END AS typical_order
    FROM customer_traits
), purchases (customer_id, k, ordered_at, stays, per_day, dropout, typical_order) AS (
    SELECT customer_id, 1, created_at, random() >= dropout, per_day, dropout, typical_order
    FROM traits
    UNION ALL
    SELECT customer_id, k + 1,
           ordered_at + (-ln(1 - random()) / greatest(per_day, 1e-4)) * interval '1 day',
           random() >= dropout, per_day, dropout, typical_order
    FROM purchases
    WHERE stays AND ordered_at < timestamptz '2026-10-31' AND k < 150
)
SELECT customer_id, k, date_trunc('minute', ordered_at) AS ordered_at,
       round((typical_order * (0.5 + random()))::numeric, 2) AS amount
FROM purchases
WHERE ordered_at <= timestamptz '2026-10-31'
ORDER BY customer_id, k;

INSERT INTO orders
SELECT row_number() OVER (ORDER BY ordered_at, customer_id, k), customer_id, ordered_at, amount
FROM generated_orders;

CREATE INDEX ON orders (customer_id);
ANALYZE customers;
ANALYZE orders;
