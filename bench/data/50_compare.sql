-- Follower comparison bench data: one million deals, a third of them from
-- brand followers, each open for a whole number of days (0..364) and closed
-- (won or lost) or still open; followers close more often.
SELECT setseed(0.50);

DROP TABLE IF EXISTS bench_deals;
CREATE TABLE bench_deals AS
SELECT i AS deal_id, i % 3 = 0 AS follows_brand,
       floor(-ln(1 - random()) * CASE WHEN i % 3 = 0 THEN 40 ELSE 60 END)::int % 365 AS days_open,
       random() < CASE WHEN i % 3 = 0 THEN 0.8 ELSE 0.7 END AS closed,
       random() < CASE WHEN i % 3 = 0 THEN 0.45 ELSE 0.35 END AS won
FROM generate_series(1, 1000000) AS i;
