-- Followers vs non-followers beyond CLV (doc/compare.md): rates
-- (retention, opportunity, win) with the pooled z-test and Newcombe's
-- hybrid score interval, and time to convert with open deals censored
-- (Kaplan-Meier quantiles, log-rank test).  Aggregate states are concrete
-- types with text and binary I/O so partial aggregates travel between
-- parallel workers and Citus nodes.

-- ---------- compare_rates ----------

CREATE TYPE compare_rates_state;
CREATE FUNCTION compare_rates_state_in(cstring) RETURNS compare_rates_state
    AS 'MODULE_PATHNAME', 'socroi_compare_rates_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION compare_rates_state_out(compare_rates_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_compare_rates_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION compare_rates_state_recv(internal) RETURNS compare_rates_state
    AS 'MODULE_PATHNAME', 'socroi_compare_rates_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION compare_rates_state_send(compare_rates_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_compare_rates_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE compare_rates_state (
    INPUT = compare_rates_state_in, OUTPUT = compare_rates_state_out,
    RECEIVE = compare_rates_state_recv, SEND = compare_rates_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE compare_rates_state IS
    'Partial state of compare_rates: confidence, then subjects and successes of followers and non-followers';
COMMENT ON FUNCTION compare_rates_state_in(cstring) IS 'Text input of compare_rates_state (validated)';
COMMENT ON FUNCTION compare_rates_state_out(compare_rates_state) IS 'Text output of compare_rates_state';
COMMENT ON FUNCTION compare_rates_state_recv(internal) IS 'Binary input of compare_rates_state (validated)';
COMMENT ON FUNCTION compare_rates_state_send(compare_rates_state) IS 'Binary output of compare_rates_state';

CREATE TYPE rate_comparison AS (
    followers int8, non_followers int8,
    follower_successes int8, non_follower_successes int8,
    follower_rate float8, non_follower_rate float8,
    difference float8, lift float8,
    z_statistic float8, p_value float8,
    ci_low float8, ci_high float8);
COMMENT ON TYPE rate_comparison IS
    'Result of compare_rates: group sizes and successes, rates, difference (followers - others), lift, pooled z-test (two-sided p) and Newcombe''s hybrid score interval of the difference';

CREATE FUNCTION compare_rates_transfn(compare_rates_state, boolean, boolean)
    RETURNS compare_rates_state
    AS 'MODULE_PATHNAME', 'socroi_compare_rates_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION compare_rates_transfn(compare_rates_state, boolean, boolean, float8)
    RETURNS compare_rates_state
    AS 'MODULE_PATHNAME', 'socroi_compare_rates_trans_conf'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION compare_rates_combinefn(compare_rates_state, compare_rates_state)
    RETURNS compare_rates_state
    AS 'MODULE_PATHNAME', 'socroi_compare_rates_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION compare_rates_finalfn(compare_rates_state)
    RETURNS rate_comparison
    AS 'MODULE_PATHNAME', 'socroi_compare_rates_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION compare_rates_transfn(compare_rates_state, boolean, boolean) IS 'Transition function of compare_rates(follower, success)';
COMMENT ON FUNCTION compare_rates_transfn(compare_rates_state, boolean, boolean, float8) IS 'Transition function of compare_rates(follower, success, confidence)';
COMMENT ON FUNCTION compare_rates_combinefn(compare_rates_state, compare_rates_state) IS 'Combine function of compare_rates (adds the counts)';
COMMENT ON FUNCTION compare_rates_finalfn(compare_rates_state) IS 'Final function of compare_rates (z-test, Newcombe interval)';

CREATE AGGREGATE compare_rates(follower boolean, success boolean) (
    SFUNC = compare_rates_transfn, STYPE = compare_rates_state,
    COMBINEFUNC = compare_rates_combinefn, FINALFUNC = compare_rates_finalfn,
    SSPACE = 48, PARALLEL = SAFE);
CREATE AGGREGATE compare_rates(follower boolean, success boolean, confidence float8) (
    SFUNC = compare_rates_transfn, STYPE = compare_rates_state,
    COMBINEFUNC = compare_rates_combinefn, FINALFUNC = compare_rates_finalfn,
    SSPACE = 48, PARALLEL = SAFE);
COMMENT ON AGGREGATE compare_rates(boolean, boolean) IS
    'Followers vs non-followers on a yes/no outcome: rates, difference, lift, pooled z-test and the 95 % Newcombe interval. SELECT (compare_rates(follows_brand, retained)).* FROM customers';
COMMENT ON AGGREGATE compare_rates(boolean, boolean, float8) IS
    'compare_rates with a chosen confidence level in (0, 1), the same on every row. SELECT (compare_rates(follows_brand, won, 0.9)).* FROM deals';

-- ---------- time_to_convert: Kaplan-Meier ----------

CREATE TYPE time_to_convert_state;
CREATE FUNCTION time_to_convert_state_in(cstring) RETURNS time_to_convert_state
    AS 'MODULE_PATHNAME', 'socroi_time_to_convert_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION time_to_convert_state_out(time_to_convert_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_time_to_convert_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION time_to_convert_state_recv(internal) RETURNS time_to_convert_state
    AS 'MODULE_PATHNAME', 'socroi_time_to_convert_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION time_to_convert_state_send(time_to_convert_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_time_to_convert_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE time_to_convert_state (
    INPUT = time_to_convert_state_in, OUTPUT = time_to_convert_state_out,
    RECEIVE = time_to_convert_state_recv, SEND = time_to_convert_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE time_to_convert_state IS
    'Partial state of time_to_convert: conversions and still-open subjects per distinct duration';
COMMENT ON FUNCTION time_to_convert_state_in(cstring) IS 'Text input of time_to_convert_state (validated)';
COMMENT ON FUNCTION time_to_convert_state_out(time_to_convert_state) IS 'Text output of time_to_convert_state (sorted durations, exact)';
COMMENT ON FUNCTION time_to_convert_state_recv(internal) IS 'Binary input of time_to_convert_state (validated)';
COMMENT ON FUNCTION time_to_convert_state_send(time_to_convert_state) IS 'Binary output of time_to_convert_state';

CREATE TYPE conversion_time_summary AS (
    subjects int8, conversions int8,
    p25_time float8, median_time float8, p75_time float8);
COMMENT ON TYPE conversion_time_summary IS
    'Result of time_to_convert: subjects, conversions, and the Kaplan-Meier times by which 25 %, 50 % and 75 % have converted (NULL when never reached)';

CREATE FUNCTION time_to_convert_transfn(time_to_convert_state, float8, boolean)
    RETURNS time_to_convert_state
    AS 'MODULE_PATHNAME', 'socroi_time_to_convert_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION time_to_convert_combinefn(time_to_convert_state, time_to_convert_state)
    RETURNS time_to_convert_state
    AS 'MODULE_PATHNAME', 'socroi_survival_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION time_to_convert_finalfn(time_to_convert_state)
    RETURNS conversion_time_summary
    AS 'MODULE_PATHNAME', 'socroi_time_to_convert_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION time_to_convert_transfn(time_to_convert_state, float8, boolean) IS 'Transition function of time_to_convert';
COMMENT ON FUNCTION time_to_convert_combinefn(time_to_convert_state, time_to_convert_state) IS 'Combine function of time_to_convert (adds the counts per duration)';
COMMENT ON FUNCTION time_to_convert_finalfn(time_to_convert_state) IS 'Final function of time_to_convert (Kaplan-Meier quantiles)';

CREATE AGGREGATE time_to_convert(duration float8, converted boolean) (
    SFUNC = time_to_convert_transfn, STYPE = time_to_convert_state,
    COMBINEFUNC = time_to_convert_combinefn, FINALFUNC = time_to_convert_finalfn,
    SSPACE = 16384, PARALLEL = SAFE);
COMMENT ON AGGREGATE time_to_convert(float8, boolean) IS
    'Kaplan-Meier time to convert, open subjects censored at their current age: p25 / median / p75. SELECT (time_to_convert(days_open, converted)).* FROM leads';

-- ---------- compare_time_to_convert: log-rank ----------

CREATE TYPE compare_time_to_convert_state;
CREATE FUNCTION compare_time_to_convert_state_in(cstring) RETURNS compare_time_to_convert_state
    AS 'MODULE_PATHNAME', 'socroi_compare_time_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION compare_time_to_convert_state_out(compare_time_to_convert_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_compare_time_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION compare_time_to_convert_state_recv(internal) RETURNS compare_time_to_convert_state
    AS 'MODULE_PATHNAME', 'socroi_compare_time_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION compare_time_to_convert_state_send(compare_time_to_convert_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_compare_time_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE compare_time_to_convert_state (
    INPUT = compare_time_to_convert_state_in, OUTPUT = compare_time_to_convert_state_out,
    RECEIVE = compare_time_to_convert_state_recv, SEND = compare_time_to_convert_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE compare_time_to_convert_state IS
    'Partial state of compare_time_to_convert: conversions and still-open subjects per distinct duration, followers and others';
COMMENT ON FUNCTION compare_time_to_convert_state_in(cstring) IS 'Text input of compare_time_to_convert_state (validated)';
COMMENT ON FUNCTION compare_time_to_convert_state_out(compare_time_to_convert_state) IS 'Text output of compare_time_to_convert_state (sorted durations, exact)';
COMMENT ON FUNCTION compare_time_to_convert_state_recv(internal) IS 'Binary input of compare_time_to_convert_state (validated)';
COMMENT ON FUNCTION compare_time_to_convert_state_send(compare_time_to_convert_state) IS 'Binary output of compare_time_to_convert_state';

CREATE TYPE time_comparison AS (
    followers int8, non_followers int8,
    follower_conversions int8, non_follower_conversions int8,
    follower_median float8, non_follower_median float8,
    follower_expected float8, non_follower_expected float8,
    hazard_ratio float8, chi_square float8, p_value float8);
COMMENT ON TYPE time_comparison IS
    'Result of compare_time_to_convert: group sizes, conversions (observed), Kaplan-Meier medians, log-rank expected conversions, hazard ratio (O/E followers over O/E others), chi-square (1 df) and p-value';

CREATE FUNCTION compare_time_to_convert_transfn(compare_time_to_convert_state, boolean, float8, boolean)
    RETURNS compare_time_to_convert_state
    AS 'MODULE_PATHNAME', 'socroi_compare_time_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION compare_time_to_convert_combinefn(compare_time_to_convert_state, compare_time_to_convert_state)
    RETURNS compare_time_to_convert_state
    AS 'MODULE_PATHNAME', 'socroi_survival_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION compare_time_to_convert_finalfn(compare_time_to_convert_state)
    RETURNS time_comparison
    AS 'MODULE_PATHNAME', 'socroi_compare_time_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION compare_time_to_convert_transfn(compare_time_to_convert_state, boolean, float8, boolean) IS 'Transition function of compare_time_to_convert';
COMMENT ON FUNCTION compare_time_to_convert_combinefn(compare_time_to_convert_state, compare_time_to_convert_state) IS 'Combine function of compare_time_to_convert (adds the counts per duration)';
COMMENT ON FUNCTION compare_time_to_convert_finalfn(compare_time_to_convert_state) IS 'Final function of compare_time_to_convert (Kaplan-Meier medians, log-rank test)';

CREATE AGGREGATE compare_time_to_convert(follower boolean, duration float8, converted boolean) (
    SFUNC = compare_time_to_convert_transfn, STYPE = compare_time_to_convert_state,
    COMBINEFUNC = compare_time_to_convert_combinefn, FINALFUNC = compare_time_to_convert_finalfn,
    SSPACE = 16384, PARALLEL = SAFE);
COMMENT ON AGGREGATE compare_time_to_convert(boolean, float8, boolean) IS
    'Do followers convert faster?  Kaplan-Meier medians and the log-rank test, open subjects censored at their current age. SELECT (compare_time_to_convert(follows_brand, days_open, won IS NOT NULL)).* FROM deals';
