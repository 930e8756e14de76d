-- Incremental rollups of customer_summary (doc/clv.md, "Rollups: states
-- stored per customer and day"): the aggregate split in three steps, so a
-- table can keep one customer_summary_state per customer and day and the RFM
-- summary of any date range, as of any observation end, comes from merging
-- the stored states:
--   customer_summary_partial(...)   the aggregate's state, not finalised
--   customer_summary_merge(state)   merges stored states; states of
--                                   different days may carry different
--                                   observation ends: the latest is kept
--   customer_summary_result(state [, observation_end])   the RFM row
-- customer_summary_result(customer_summary_merge(s), end) over the days of a
-- range equals customer_summary(order_time, amount, end) over that range's
-- orders (to the rounding of the spend sums).

CREATE AGGREGATE customer_summary_partial(order_time timestamptz, amount float8,
                                          observation_end timestamptz) (
    SFUNC = customer_summary_transfn, STYPE = customer_summary_state,
    COMBINEFUNC = customer_summary_combinefn, SSPACE = 256, PARALLEL = SAFE);
CREATE AGGREGATE customer_summary_partial(order_time timestamptz, amount float8,
                                          observation_end timestamptz, time_unit interval) (
    SFUNC = customer_summary_transfn, STYPE = customer_summary_state,
    COMBINEFUNC = customer_summary_combinefn, SSPACE = 256, PARALLEL = SAFE);
COMMENT ON AGGREGATE customer_summary_partial(timestamptz, float8, timestamptz) IS
    'State of customer_summary(order_time, amount, observation_end), not finalised: store it per customer and day (observation_end = the end of that day), merge with customer_summary_merge, finish with customer_summary_result';
COMMENT ON AGGREGATE customer_summary_partial(timestamptz, float8, timestamptz, interval) IS
    'State of customer_summary(order_time, amount, observation_end, time_unit), not finalised: store it, merge with customer_summary_merge, finish with customer_summary_result';

CREATE FUNCTION customer_summary_mergefn(customer_summary_state, customer_summary_state)
    RETURNS customer_summary_state
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_merge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION customer_summary_mergefn(customer_summary_state, customer_summary_state) IS
    'Transition and combine function of customer_summary_merge: merges two states of the same time unit, keeping the later observation end';

CREATE AGGREGATE customer_summary_merge(state customer_summary_state) (
    SFUNC = customer_summary_mergefn, STYPE = customer_summary_state,
    COMBINEFUNC = customer_summary_mergefn, SSPACE = 256, PARALLEL = SAFE);
COMMENT ON AGGREGATE customer_summary_merge(customer_summary_state) IS
    'Merges stored customer_summary states of one customer (e.g. the days of a date range): SELECT customer_id, (customer_summary_result(customer_summary_merge(state), ''2026-06-30'')).* FROM customer_daily WHERE day <= ''2026-06-30'' GROUP BY 1';

CREATE FUNCTION customer_summary_result(state customer_summary_state)
    RETURNS customer_rfm
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_final'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_summary_result(state customer_summary_state, observation_end timestamptz)
    RETURNS customer_rfm
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_result_at'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION customer_summary_result(customer_summary_state) IS
    'RFM summary of a customer_summary state, as of the latest observation end it carries';
COMMENT ON FUNCTION customer_summary_result(customer_summary_state, timestamptz) IS
    'RFM summary of a customer_summary state as of observation_end (t counts up to it; it must not be before the last order): equals customer_summary(order_time, amount, observation_end) over the same orders';
