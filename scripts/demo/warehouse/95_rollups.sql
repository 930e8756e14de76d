-- Sample warehouse, part 9: stored aggregate states for incremental rollups
-- (README "Incremental rollups: states stored per day").  A nightly job
-- appends yesterday's states; here every day of the demo at once.  Reports
-- merge the stored days of any range (attribution_merge,
-- customer_summary_merge) instead of reading the journeys and orders again.

-- one attribution state per conversion day and model; non-converting
-- journeys count on the day of their last touch
CREATE TABLE attribution_daily (
    day   date,
    model attribution_model,
    state attribution_state,
    PRIMARY KEY (day, model)
);
INSERT INTO attribution_daily
SELECT coalesce(converted_at, touch_times[cardinality(touch_times)])::date, m.model,
       attribution_partial(path, converted::int, value, (NOT converted)::int, m.model)
FROM journey_paths,
     (VALUES ('position_based'::attribution_model), ('markov')) AS m(model)
GROUP BY 1, 2
ON CONFLICT DO NOTHING;   -- a rerun of a night keeps what is stored

-- one customer_summary state per customer and day, in weeks; the end of the
-- day is its observation end
CREATE TABLE customer_daily (
    customer_id int,
    day         date,
    state       customer_summary_state,
    PRIMARY KEY (customer_id, day)
);
INSERT INTO customer_daily
SELECT customer_id, ordered_at::date,
       customer_summary_partial(ordered_at, amount::float8, (ordered_at::date + 1)::timestamptz, '7 days')
FROM orders GROUP BY 1, 2
ON CONFLICT DO NOTHING;

-- a BG/NBD model as of the end of each month of 2026, fitted from the stored
-- days before it and kept, to compare the models over time
CREATE TABLE bgnbd_monthly (
    month date PRIMARY KEY,
    model bgnbd_model
);
INSERT INTO bgnbd_monthly
SELECT month, (SELECT bgnbd_fit((r).frequency, (r).recency, (r).t)
               FROM (SELECT customer_summary_result(customer_summary_merge(state),
                                                    (month + interval '1 month')::timestamptz) AS r
                     FROM customer_daily WHERE day < month + interval '1 month'
                     GROUP BY customer_id) AS s)
FROM generate_series(date '2026-01-01', date '2026-09-01', interval '1 month') AS month;
