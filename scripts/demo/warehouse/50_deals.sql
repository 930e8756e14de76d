-- Sample warehouse, part 5: sales opportunities (deals) of the customers of
-- part 4, for the "do followers stay, convert and close faster?" report.
-- Deterministic (setseed).  A customer may get one or two opportunities
-- (a bulk order, a subscription upgrade, a corporate account), opened at a
-- random moment after acquisition.  Each deal takes an exponential time to
-- close, then is won or lost; a deal that would close after 2026-10-31 is
-- still open (closed_at and won are NULL).
-- Brand followers are generated to get more opportunities (45 % vs 28 % of
-- customers), close them faster (mean 40 vs 60 days), win more often (46 %
-- vs 34 %) and for about 20 % more, so the report has a real effect to find.
SELECT setseed(0.55);

CREATE TABLE deals (
    deal_id     int PRIMARY KEY,
    customer_id int NOT NULL REFERENCES customers,
    opened_at   timestamptz NOT NULL,
    closed_at   timestamptz,                 -- NULL: still open on 2026-10-31
    won         boolean,                     -- NULL while open
    amount      numeric(12,2) NOT NULL,      -- proposal value in EUR (final when won)
    CHECK ((closed_at IS NULL) = (won IS NULL))
);

CREATE TEMP TABLE drawn_deals AS
WITH per_customer AS (
    SELECT customer_id, follows_brand, created_at,
           random() < CASE WHEN follows_brand THEN 0.45 ELSE 0.28 END AS has_deal,
           random() < 0.3 AS second_deal
    FROM customers
)
SELECT c.customer_id, c.follows_brand, k,
       c.created_at + random() * (timestamptz '2026-10-31' - c.created_at) AS opened_at,
       ceil(-ln(1 - random()) * CASE WHEN c.follows_brand THEN 40 ELSE 60 END) AS days_to_close,
       random() < CASE WHEN c.follows_brand THEN 0.46 ELSE 0.34 END AS won,
       round(((1500 + 6000 * random() * random()) * CASE WHEN c.follows_brand THEN 1.2 ELSE 1 END)::numeric, 2)
           AS amount
FROM per_customer AS c
CROSS JOIN generate_series(1, 2) AS k
WHERE c.has_deal AND (k = 1 OR c.second_deal);

INSERT INTO deals
SELECT row_number() OVER (ORDER BY opened_at, customer_id, k), customer_id,
       date_trunc('minute', opened_at),
       CASE WHEN closes THEN date_trunc('minute', opened_at) + days_to_close * interval '1 day' END,
       CASE WHEN closes THEN won END,
       amount
FROM (SELECT *, date_trunc('minute', opened_at) + days_to_close * interval '1 day'
                    <= timestamptz '2026-10-31' AS closes
      FROM drawn_deals) AS d;

CREATE INDEX ON deals (customer_id);
ANALYZE deals;
