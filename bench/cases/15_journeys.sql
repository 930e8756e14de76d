-- journeys() over 10,000,000 events of 1,000,000 customers
-- (bench/data/15_events.sql): the same journeys built with window functions
-- and array_agg(... ORDER BY ...) -- the journey number of every event is
-- the count of conversions before it in the customer's order (time, touches
-- before conversions, touches by channel, conversions by value), then one
-- array_agg per journey and one per customer -- and with socroi's
-- journeys().  Both produce a journey[] per customer (path, touch times,
-- converted, conversion time, value: the same values); the outer count
-- keeps the client out of the timing.  In a C-collation database (the
-- bench cluster's) both order channels by their bytes; the two give equal
-- arrays (checked on 200,000 events of 20,000 customers of this
-- generator).
-- warmup: on

-- case: floor: bare scan of the events, grouped per customer
SELECT count(*), sum(n), sum(l), max(t), sum(v)
FROM (SELECT customer_id, count(*) AS n, sum(length(channel)) AS l, max(event_time) AS t,
             sum(conversion_value) AS v
      FROM bench_events GROUP BY customer_id) AS s;

-- case: plain SQL journeys (window functions + array_agg ORDER BY)
SELECT count(*), sum(cardinality(js))
FROM (SELECT customer_id,
             array_agg(ROW(journey_no, path, touch_times, converted, conversion_time, value)::journey
                       ORDER BY journey_no) AS js
      FROM (SELECT customer_id, journey_no::int AS journey_no,
                   coalesce(array_agg(channel ORDER BY event_time, channel)
                                FILTER (WHERE conversion_value IS NULL), '{}') AS path,
                   coalesce(array_agg(event_time ORDER BY event_time, channel)
                                FILTER (WHERE conversion_value IS NULL), '{}') AS touch_times,
                   bool_or(conversion_value IS NOT NULL) AS converted,
                   max(event_time) FILTER (WHERE conversion_value IS NOT NULL) AS conversion_time,
                   max(conversion_value) AS value
            FROM (SELECT customer_id, event_time, channel, conversion_value,
                         1 + count(conversion_value) OVER (
                             PARTITION BY customer_id
                             ORDER BY event_time, conversion_value IS NOT NULL, channel, conversion_value
                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS journey_no
                  FROM bench_events) AS numbered
            GROUP BY customer_id, journey_no) AS j
      GROUP BY customer_id) AS s;

-- case: journeys()
-- floor: floor: bare scan of the events, grouped per customer
-- compare: plain SQL journeys (window functions + array_agg ORDER BY)
SELECT count(*), sum(cardinality(js))
FROM (SELECT customer_id, journeys(event_time, channel, conversion_value) AS js
      FROM bench_events GROUP BY customer_id) AS s;

-- case: journeys(), sort-based plan (enable_hashagg = off)
-- set: enable_hashagg = off
-- floor: floor: bare scan of the events, grouped per customer
-- compare: plain SQL journeys (window functions + array_agg ORDER BY)
SELECT count(*), sum(cardinality(js))
FROM (SELECT customer_id, journeys(event_time, channel, conversion_value) AS js
      FROM bench_events GROUP BY customer_id) AS s;

-- case: journeys(), options reset=never, lookback=30 days, max_touches=10
-- floor: floor: bare scan of the events, grouped per customer
SELECT count(*), sum(cardinality(js))
FROM (SELECT customer_id, journeys(event_time, channel, conversion_value,
                                   'reset=never, lookback=30 days, max_touches=10') AS js
      FROM bench_events GROUP BY customer_id) AS s;
