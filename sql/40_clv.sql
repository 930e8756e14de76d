-- Customer lifetime value (doc/clv.md): formula CLV, the
-- follower comparison (Welch's t-test), RFM summaries from orders, and the
-- BG/NBD and Gamma-Gamma models of Fader, Hardie & Lee (2005).
-- Aggregate states are concrete types with text and binary I/O so partial
-- aggregates travel between parallel workers and Citus nodes.

-- ---------- formula CLV ----------

CREATE FUNCTION clv(avg_order_value float8, purchases_per_year float8,
                    lifespan_years float8, margin float8 DEFAULT 1,
                    annual_discount float8 DEFAULT 0)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_clv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION clv(float8, float8, float8, float8, float8) IS
    'Formula CLV: margin * avg_order_value * purchases_per_year * sum over years of (1+annual_discount)^-y (annuity factor for fractional lifespans). clv(70, 3, 3, 0.3) = 189';

-- ---------- distributions (used by the comparisons; handy on their own) ----------

CREATE FUNCTION student_t_cdf(t float8, df float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_student_t_cdf'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION student_t_cdf(float8, float8) IS
    'Student t distribution function P(T <= t) for df > 0 degrees of freedom (need not be whole). student_t_cdf(2.0, 10) = 0.963305...';

CREATE FUNCTION student_t_quantile(p float8, df float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_student_t_quantile'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION student_t_quantile(float8, float8) IS
    'Inverse of student_t_cdf: the t with P(T <= t) = p. student_t_quantile(0.975, 10) = 2.228138...';

CREATE FUNCTION normal_cdf(z float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_normal_cdf'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION normal_cdf(float8) IS
    'Standard normal distribution function P(Z <= z), accurate far into the tails. normal_cdf(1.96) = 0.975002...';

CREATE FUNCTION normal_quantile(p float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_normal_quantile'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION normal_quantile(float8) IS
    'Inverse of normal_cdf: the z with P(Z <= z) = p. normal_quantile(0.975) = 1.959963...';

-- ---------- clv_compare: Welch's t-test, followers vs non-followers ----------

CREATE TYPE clv_compare_state;
CREATE FUNCTION clv_compare_state_in(cstring) RETURNS clv_compare_state
    AS 'MODULE_PATHNAME', 'socroi_clv_compare_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_compare_state_out(clv_compare_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_clv_compare_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_compare_state_recv(internal) RETURNS clv_compare_state
    AS 'MODULE_PATHNAME', 'socroi_clv_compare_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_compare_state_send(clv_compare_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_clv_compare_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE clv_compare_state (
    INPUT = clv_compare_state_in, OUTPUT = clv_compare_state_out,
    RECEIVE = clv_compare_state_recv, SEND = clv_compare_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE clv_compare_state IS
    'Partial state of clv_compare: confidence, then count, mean and sum of squared deviations of followers and non-followers';
COMMENT ON FUNCTION clv_compare_state_in(cstring) IS 'Text input of clv_compare_state (validated)';
COMMENT ON FUNCTION clv_compare_state_out(clv_compare_state) IS 'Text output of clv_compare_state (exact floats)';
COMMENT ON FUNCTION clv_compare_state_recv(internal) IS 'Binary input of clv_compare_state (validated)';
COMMENT ON FUNCTION clv_compare_state_send(clv_compare_state) IS 'Binary output of clv_compare_state';

CREATE TYPE clv_comparison AS (
    followers int8, non_followers int8,
    follower_mean float8, non_follower_mean float8,
    follower_stddev float8, non_follower_stddev float8,
    difference float8, lift float8,
    t_statistic float8, degrees_of_freedom float8, p_value float8,
    ci_low float8, ci_high float8);
COMMENT ON TYPE clv_comparison IS
    'Result of clv_compare: group sizes, means, sample standard deviations, difference (followers - others), lift, Welch t, df, two-sided p and the confidence interval of the difference';

CREATE FUNCTION clv_compare_transfn(clv_compare_state, boolean, float8)
    RETURNS clv_compare_state
    AS 'MODULE_PATHNAME', 'socroi_clv_compare_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_compare_transfn(clv_compare_state, boolean, float8, float8)
    RETURNS clv_compare_state
    AS 'MODULE_PATHNAME', 'socroi_clv_compare_trans_conf'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_compare_combinefn(clv_compare_state, clv_compare_state)
    RETURNS clv_compare_state
    AS 'MODULE_PATHNAME', 'socroi_clv_compare_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_compare_finalfn(clv_compare_state)
    RETURNS clv_comparison
    AS 'MODULE_PATHNAME', 'socroi_clv_compare_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION clv_compare_transfn(clv_compare_state, boolean, float8) IS 'Transition function of clv_compare(follower, value)';
COMMENT ON FUNCTION clv_compare_transfn(clv_compare_state, boolean, float8, float8) IS 'Transition function of clv_compare(follower, value, confidence)';
COMMENT ON FUNCTION clv_compare_combinefn(clv_compare_state, clv_compare_state) IS 'Combine function of clv_compare (Chan et al. pairwise merge)';
COMMENT ON FUNCTION clv_compare_finalfn(clv_compare_state) IS 'Final function of clv_compare (Welch t-test)';

CREATE AGGREGATE clv_compare(follower boolean, value float8) (
    SFUNC = clv_compare_transfn, STYPE = clv_compare_state,
    COMBINEFUNC = clv_compare_combinefn, FINALFUNC = clv_compare_finalfn,
    SSPACE = 64, PARALLEL = SAFE);
CREATE AGGREGATE clv_compare(follower boolean, value float8, confidence float8) (
    SFUNC = clv_compare_transfn, STYPE = clv_compare_state,
    COMBINEFUNC = clv_compare_combinefn, FINALFUNC = clv_compare_finalfn,
    SSPACE = 64, PARALLEL = SAFE);
COMMENT ON AGGREGATE clv_compare(boolean, float8) IS
    'Followers vs non-followers: means, Welch t-test (two-sided) and the 95 % CI of the difference. SELECT (clv_compare(follows_brand, clv)).* FROM customers';
COMMENT ON AGGREGATE clv_compare(boolean, float8, float8) IS
    'clv_compare with a chosen confidence level in (0, 1), the same on every row. SELECT (clv_compare(follows_brand, clv, 0.9)).* FROM customers';

-- ---------- customer_summary: RFM from orders ----------

CREATE TYPE customer_summary_state;
CREATE FUNCTION customer_summary_state_in(cstring) RETURNS customer_summary_state
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_summary_state_out(customer_summary_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_summary_state_recv(internal) RETURNS customer_summary_state
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_summary_state_send(customer_summary_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE customer_summary_state (
    INPUT = customer_summary_state_in, OUTPUT = customer_summary_state_out,
    RECEIVE = customer_summary_state_recv, SEND = customer_summary_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE customer_summary_state IS
    'Partial state of customer_summary: observation end, unit, order count, total, and the spend of each distinct purchase period';
COMMENT ON FUNCTION customer_summary_state_in(cstring) IS 'Text input of customer_summary_state (validated)';
COMMENT ON FUNCTION customer_summary_state_out(customer_summary_state) IS 'Text output of customer_summary_state (exact)';
COMMENT ON FUNCTION customer_summary_state_recv(internal) IS 'Binary input of customer_summary_state (validated)';
COMMENT ON FUNCTION customer_summary_state_send(customer_summary_state) IS 'Binary output of customer_summary_state';

CREATE TYPE customer_rfm AS (
    frequency float8, recency float8, t float8, monetary_value float8,
    orders int8, total float8);
COMMENT ON TYPE customer_rfm IS
    'RFM summary of one customer (lifetimes definitions): repeat periods, first-to-last and first-to-end times in units, mean repeat spend, orders and total spend';

CREATE FUNCTION customer_summary_transfn(customer_summary_state, timestamptz, float8, timestamptz)
    RETURNS customer_summary_state
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_trans'
    LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION customer_summary_transfn(customer_summary_state, timestamptz, float8, timestamptz, interval)
    RETURNS customer_summary_state
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_trans_unit'
    LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION customer_summary_combinefn(customer_summary_state, customer_summary_state)
    RETURNS customer_summary_state
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_summary_finalfn(customer_summary_state)
    RETURNS customer_rfm
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_final'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION customer_summary_transfn(customer_summary_state, timestamptz, float8, timestamptz) IS 'Transition function of customer_summary (unit 1 day)';
COMMENT ON FUNCTION customer_summary_transfn(customer_summary_state, timestamptz, float8, timestamptz, interval) IS 'Transition function of customer_summary with a time unit';
COMMENT ON FUNCTION customer_summary_combinefn(customer_summary_state, customer_summary_state) IS 'Combine function of customer_summary';
COMMENT ON FUNCTION customer_summary_finalfn(customer_summary_state) IS 'Final function of customer_summary';

CREATE AGGREGATE customer_summary(order_time timestamptz, amount float8, observation_end timestamptz) (
    SFUNC = customer_summary_transfn, STYPE = customer_summary_state,
    COMBINEFUNC = customer_summary_combinefn, FINALFUNC = customer_summary_finalfn,
    SSPACE = 256, PARALLEL = SAFE);
CREATE AGGREGATE customer_summary(order_time timestamptz, amount float8, observation_end timestamptz, time_unit interval) (
    SFUNC = customer_summary_transfn, STYPE = customer_summary_state,
    COMBINEFUNC = customer_summary_combinefn, FINALFUNC = customer_summary_finalfn,
    SSPACE = 256, PARALLEL = SAFE);
COMMENT ON AGGREGATE customer_summary(timestamptz, float8, timestamptz) IS
    'RFM summary of a customer''s orders up to observation_end, in days (same-day orders merge). SELECT customer_id, (customer_summary(ordered_at, amount, ''2024-06-30'')).* FROM orders GROUP BY 1';
COMMENT ON AGGREGATE customer_summary(timestamptz, float8, timestamptz, interval) IS
    'RFM summary in a chosen time unit: same-day orders merge, times are days / unit (sub-day units count whole units). customer_summary(ordered_at, amount, ''1997-09-30'', ''7 days'')';

-- ---------- BG/NBD and Gamma-Gamma (Fader, Hardie & Lee 2005) ----------

-- the se_* attributes came in 0.3.0 (sql/upgrade/0.2.0--0.3.0.sql adds them
-- to an upgraded installation in the same order)
CREATE TYPE bgnbd_model AS (
    r float8, alpha float8, a float8, b float8,
    log_likelihood float8, customers float8,
    se_r float8, se_alpha float8, se_a float8, se_b float8);
COMMENT ON TYPE bgnbd_model IS
    'Fitted BG/NBD model: purchase rate ~ Gamma(r, alpha), dropout probability ~ Beta(a, b); total log-likelihood, customers fitted, standard errors of r, alpha, a, b';

CREATE TYPE gamma_gamma_model AS (
    p float8, q float8, v float8,
    log_likelihood float8, customers float8,
    se_p float8, se_q float8, se_v float8);
COMMENT ON TYPE gamma_gamma_model IS
    'Fitted Gamma-Gamma spend model (shape p, and the Gamma(q, v) prior of the scale); total log-likelihood, repeat customers fitted, standard errors of p, q, v';

CREATE TYPE bgnbd_fit_state;
CREATE FUNCTION bgnbd_fit_state_in(cstring) RETURNS bgnbd_fit_state
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_state_out(bgnbd_fit_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_state_recv(internal) RETURNS bgnbd_fit_state
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_state_send(bgnbd_fit_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE bgnbd_fit_state (
    INPUT = bgnbd_fit_state_in, OUTPUT = bgnbd_fit_state_out,
    RECEIVE = bgnbd_fit_state_recv, SEND = bgnbd_fit_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE bgnbd_fit_state IS
    'Partial state of bgnbd_fit: the distinct (frequency, recency, t) patterns with their customer counts';
COMMENT ON FUNCTION bgnbd_fit_state_in(cstring) IS 'Text input of bgnbd_fit_state (validated)';
COMMENT ON FUNCTION bgnbd_fit_state_out(bgnbd_fit_state) IS 'Text output of bgnbd_fit_state (sorted patterns, exact)';
COMMENT ON FUNCTION bgnbd_fit_state_recv(internal) IS 'Binary input of bgnbd_fit_state (validated)';
COMMENT ON FUNCTION bgnbd_fit_state_send(bgnbd_fit_state) IS 'Binary output of bgnbd_fit_state';

CREATE FUNCTION bgnbd_fit_transfn(bgnbd_fit_state, float8, float8, float8)
    RETURNS bgnbd_fit_state
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_fit_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_transfn(bgnbd_fit_state, float8, float8, float8, float8)
    RETURNS bgnbd_fit_state
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_fit_trans_weighted'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_combinefn(bgnbd_fit_state, bgnbd_fit_state)
    RETURNS bgnbd_fit_state
    AS 'MODULE_PATHNAME', 'socroi_pattern_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_finalfn(bgnbd_fit_state)
    RETURNS bgnbd_model
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_fit_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_fit_transfn(bgnbd_fit_state, float8, float8, float8) IS 'Transition function of bgnbd_fit(frequency, recency, t)';
COMMENT ON FUNCTION bgnbd_fit_transfn(bgnbd_fit_state, float8, float8, float8, float8) IS 'Transition function of bgnbd_fit(frequency, recency, t, customers)';
COMMENT ON FUNCTION bgnbd_fit_combinefn(bgnbd_fit_state, bgnbd_fit_state) IS 'Combine function of bgnbd_fit (merges pattern counts)';
COMMENT ON FUNCTION bgnbd_fit_finalfn(bgnbd_fit_state) IS 'Final function of bgnbd_fit (maximum likelihood)';

CREATE AGGREGATE bgnbd_fit(frequency float8, recency float8, t float8) (
    SFUNC = bgnbd_fit_transfn, STYPE = bgnbd_fit_state,
    COMBINEFUNC = bgnbd_fit_combinefn, FINALFUNC = bgnbd_fit_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
CREATE AGGREGATE bgnbd_fit(frequency float8, recency float8, t float8, customers float8) (
    SFUNC = bgnbd_fit_transfn, STYPE = bgnbd_fit_state,
    COMBINEFUNC = bgnbd_fit_combinefn, FINALFUNC = bgnbd_fit_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
COMMENT ON AGGREGATE bgnbd_fit(float8, float8, float8) IS
    'BG/NBD model by maximum likelihood from per-customer (frequency, recency, t). SELECT (bgnbd_fit(frequency, recency, t)).* FROM rfm';
COMMENT ON AGGREGATE bgnbd_fit(float8, float8, float8, float8) IS
    'BG/NBD fit where each row stands for `customers` identical customers. SELECT bgnbd_fit(frequency, recency, t, count(*)) ... GROUP BY 1,2,3';

CREATE TYPE gamma_gamma_fit_state;
CREATE FUNCTION gamma_gamma_fit_state_in(cstring) RETURNS gamma_gamma_fit_state
    AS 'MODULE_PATHNAME', 'socroi_gamma_gamma_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_state_out(gamma_gamma_fit_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_gamma_gamma_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_state_recv(internal) RETURNS gamma_gamma_fit_state
    AS 'MODULE_PATHNAME', 'socroi_gamma_gamma_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_state_send(gamma_gamma_fit_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_gamma_gamma_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE gamma_gamma_fit_state (
    INPUT = gamma_gamma_fit_state_in, OUTPUT = gamma_gamma_fit_state_out,
    RECEIVE = gamma_gamma_fit_state_recv, SEND = gamma_gamma_fit_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE gamma_gamma_fit_state IS
    'Partial state of gamma_gamma_fit: the distinct (frequency, monetary_value) patterns of repeat customers with their counts';
COMMENT ON FUNCTION gamma_gamma_fit_state_in(cstring) IS 'Text input of gamma_gamma_fit_state (validated)';
COMMENT ON FUNCTION gamma_gamma_fit_state_out(gamma_gamma_fit_state) IS 'Text output of gamma_gamma_fit_state (sorted patterns, exact)';
COMMENT ON FUNCTION gamma_gamma_fit_state_recv(internal) IS 'Binary input of gamma_gamma_fit_state (validated)';
COMMENT ON FUNCTION gamma_gamma_fit_state_send(gamma_gamma_fit_state) IS 'Binary output of gamma_gamma_fit_state';

CREATE FUNCTION gamma_gamma_fit_transfn(gamma_gamma_fit_state, float8, float8)
    RETURNS gamma_gamma_fit_state
    AS 'MODULE_PATHNAME', 'socroi_gamma_gamma_fit_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_combinefn(gamma_gamma_fit_state, gamma_gamma_fit_state)
    RETURNS gamma_gamma_fit_state
    AS 'MODULE_PATHNAME', 'socroi_pattern_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_finalfn(gamma_gamma_fit_state)
    RETURNS gamma_gamma_model
    AS 'MODULE_PATHNAME', 'socroi_gamma_gamma_fit_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION gamma_gamma_fit_transfn(gamma_gamma_fit_state, float8, float8) IS 'Transition function of gamma_gamma_fit';
COMMENT ON FUNCTION gamma_gamma_fit_combinefn(gamma_gamma_fit_state, gamma_gamma_fit_state) IS 'Combine function of gamma_gamma_fit (merges pattern counts)';
COMMENT ON FUNCTION gamma_gamma_fit_finalfn(gamma_gamma_fit_state) IS 'Final function of gamma_gamma_fit (maximum likelihood, q > 1 enforced)';

CREATE AGGREGATE gamma_gamma_fit(frequency float8, monetary_value float8) (
    SFUNC = gamma_gamma_fit_transfn, STYPE = gamma_gamma_fit_state,
    COMBINEFUNC = gamma_gamma_fit_combinefn, FINALFUNC = gamma_gamma_fit_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
COMMENT ON AGGREGATE gamma_gamma_fit(float8, float8) IS
    'Gamma-Gamma spend model by maximum likelihood over repeat customers (frequency > 0; one-time buyers are ignored). SELECT (gamma_gamma_fit(frequency, monetary_value)).* FROM rfm';

CREATE FUNCTION bgnbd_expected_purchases(model bgnbd_model, horizon float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_expected_purchases'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_expected_purchases(bgnbd_model, float8) IS
    'E[X(t)]: expected purchases of a new customer in the first horizon units (FHL 2005 eq. 9). CDNOW model, horizon 78 weeks -> 1.8576';

CREATE FUNCTION bgnbd_conditional_purchases(model bgnbd_model, horizon float8,
                                            frequency float8, recency float8, t float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_conditional_purchases'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_conditional_purchases(bgnbd_model, float8, float8, float8, float8) IS
    'E[Y(t) | x, t_x, T]: expected purchases in the next horizon units of a customer with this history (FHL 2005 eq. 10). CDNOW customer 1 (2, 30.43, 38.86), 39 weeks -> 1.226';

CREATE FUNCTION bgnbd_p_alive(model bgnbd_model, frequency float8, recency float8, t float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_p_alive'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_p_alive(bgnbd_model, float8, float8, float8) IS
    'Probability that a customer with this history is still active (1 for customers without repeat purchases, as in the BG/NBD)';

CREATE FUNCTION gamma_gamma_expected_spend(model gamma_gamma_model, frequency float8, monetary_value float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_gamma_gamma_expected_spend'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION gamma_gamma_expected_spend(gamma_gamma_model, float8, float8) IS
    'Expected spend per purchase p (v + x m) / (p x + q - 1); the population mean p v / (q - 1) for frequency 0';

CREATE FUNCTION predicted_clv(bg bgnbd_model, gg gamma_gamma_model,
                              frequency float8, recency float8, t float8,
                              monetary_value float8, months int4,
                              monthly_discount float8, units_per_month float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_predicted_clv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION predicted_clv(bgnbd_model, gamma_gamma_model, float8, float8, float8, float8, int4, float8, float8) IS
    'Discounted predicted CLV over the next months: sum of E[spend] * expected purchases in month k / (1 + monthly_discount)^k; units_per_month = 30 for daily, 4.345 for weekly summaries';
