-- More customer-base models (0.3.0): Pareto/NBD, MBG/NBD, BG/BB and the
-- shifted-beta-geometric retention model, fitted by maximum likelihood in
-- aggregates with concrete states; comparisons of followers with everyone
-- else inside a model (likelihood-ratio test); calibration / holdout
-- summaries; and the special functions they need.

-- ---------- special functions ----------

CREATE FUNCTION chi_square_sf(x float8, df float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_chi_square_sf'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION chi_square_sf(float8, float8) IS
    'Chi-square survival function P(X > x) for df > 0 degrees of freedom (the p-value of a chi-square statistic). chi_square_sf(3.84, 1) = 0.05004...';

CREATE FUNCTION hyp2f1(a float8, b float8, c float8, z float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_hyp2f1'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hyp2f1(float8, float8, float8, float8) IS
    'Gauss hypergeometric function 2F1(a, b; c; z) for c > 0 and z < 1. hyp2f1(1, 1, 2, 0.5) = 2 ln 2 = 1.386294...';

-- ---------- BG/NBD and Gamma-Gamma: penalizer and weights ----------

CREATE FUNCTION bgnbd_fit_transfn(bgnbd_fit_state, float8, float8, float8, float8, float8)
    RETURNS bgnbd_fit_state
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_fit_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_fit_transfn(bgnbd_fit_state, float8, float8, float8, float8, float8) IS 'Transition function of bgnbd_fit(frequency, recency, t, customers, penalizer)';
CREATE AGGREGATE bgnbd_fit(frequency float8, recency float8, t float8, customers float8, penalizer float8) (
    SFUNC = bgnbd_fit_transfn, STYPE = bgnbd_fit_state,
    COMBINEFUNC = bgnbd_fit_combinefn, FINALFUNC = bgnbd_fit_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
COMMENT ON AGGREGATE bgnbd_fit(float8, float8, float8, float8, float8) IS
    'BG/NBD model with an L2 penalizer (lifetimes penalizer_coef: minus the mean log-likelihood plus penalizer * sum of squared parameters). bgnbd_fit(frequency, recency, t, 1, 0.001)';

CREATE FUNCTION gamma_gamma_fit_transfn(gamma_gamma_fit_state, float8, float8, float8)
    RETURNS gamma_gamma_fit_state
    AS 'MODULE_PATHNAME', 'socroi_gamma_gamma_fit_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION gamma_gamma_fit_transfn(gamma_gamma_fit_state, float8, float8, float8) IS 'Transition function of gamma_gamma_fit(frequency, monetary_value, customers)';
CREATE FUNCTION gamma_gamma_fit_transfn(gamma_gamma_fit_state, float8, float8, float8, float8)
    RETURNS gamma_gamma_fit_state
    AS 'MODULE_PATHNAME', 'socroi_gamma_gamma_fit_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION gamma_gamma_fit_transfn(gamma_gamma_fit_state, float8, float8, float8, float8) IS 'Transition function of gamma_gamma_fit(frequency, monetary_value, customers, penalizer)';
CREATE AGGREGATE gamma_gamma_fit(frequency float8, monetary_value float8, customers float8) (
    SFUNC = gamma_gamma_fit_transfn, STYPE = gamma_gamma_fit_state,
    COMBINEFUNC = gamma_gamma_fit_combinefn, FINALFUNC = gamma_gamma_fit_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
COMMENT ON AGGREGATE gamma_gamma_fit(float8, float8, float8) IS
    'Gamma-Gamma fit where each row stands for `customers` identical repeat customers (frequency = 0 rows are ignored). SELECT gamma_gamma_fit(frequency, monetary_value, count(*)) ... GROUP BY 1,2';
CREATE AGGREGATE gamma_gamma_fit(frequency float8, monetary_value float8, customers float8, penalizer float8) (
    SFUNC = gamma_gamma_fit_transfn, STYPE = gamma_gamma_fit_state,
    COMBINEFUNC = gamma_gamma_fit_combinefn, FINALFUNC = gamma_gamma_fit_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
COMMENT ON AGGREGATE gamma_gamma_fit(float8, float8, float8, float8) IS
    'Gamma-Gamma fit with customer weights and an L2 penalizer (lifetimes penalizer_coef). gamma_gamma_fit(frequency, monetary_value, 1, 0.001)';


CREATE FUNCTION bgnbd_probability_of_purchases(model bgnbd_model, n int4, horizon float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_probability_of_purchases'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_probability_of_purchases(bgnbd_model, int4, float8) IS
    'P(X(t) = n): probability that a new customer makes exactly n purchases in the first horizon units (FHL 2005 eq. 8)';


-- ---------- Pareto/NBD (Schmittlein, Morrison & Colombo 1987) ----------

CREATE TYPE pareto_nbd_model AS (
    r float8, alpha float8, s float8, beta float8,
    log_likelihood float8, customers float8,
    se_r float8, se_alpha float8, se_s float8, se_beta float8);
COMMENT ON TYPE pareto_nbd_model IS
    'Fitted Pareto/NBD model: purchase rate ~ Gamma(r, alpha), dropout rate ~ Gamma(s, beta); total log-likelihood, customers fitted, standard errors';

CREATE TYPE pareto_nbd_fit_state;
CREATE FUNCTION pareto_nbd_fit_state_in(cstring) RETURNS pareto_nbd_fit_state
    AS 'MODULE_PATHNAME', 'socroi_pareto_nbd_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_fit_state_out(pareto_nbd_fit_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_pareto_nbd_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_fit_state_recv(internal) RETURNS pareto_nbd_fit_state
    AS 'MODULE_PATHNAME', 'socroi_pareto_nbd_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_fit_state_send(pareto_nbd_fit_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_pareto_nbd_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE pareto_nbd_fit_state (
    INPUT = pareto_nbd_fit_state_in, OUTPUT = pareto_nbd_fit_state_out,
    RECEIVE = pareto_nbd_fit_state_recv, SEND = pareto_nbd_fit_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE pareto_nbd_fit_state IS
    'Partial state of pareto_nbd_fit: the distinct (frequency, recency, t) patterns with their customer counts, and the penalizer';
COMMENT ON FUNCTION pareto_nbd_fit_state_in(cstring) IS 'Text input of pareto_nbd_fit_state (validated)';
COMMENT ON FUNCTION pareto_nbd_fit_state_out(pareto_nbd_fit_state) IS 'Text output of pareto_nbd_fit_state (sorted patterns, exact)';
COMMENT ON FUNCTION pareto_nbd_fit_state_recv(internal) IS 'Binary input of pareto_nbd_fit_state (validated)';
COMMENT ON FUNCTION pareto_nbd_fit_state_send(pareto_nbd_fit_state) IS 'Binary output of pareto_nbd_fit_state';

CREATE FUNCTION pareto_nbd_fit_transfn(pareto_nbd_fit_state, float8, float8, float8)
    RETURNS pareto_nbd_fit_state
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_fit_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_fit_transfn(pareto_nbd_fit_state, float8, float8, float8) IS 'Transition function of pareto_nbd_fit(frequency, recency, t)';

CREATE FUNCTION pareto_nbd_fit_transfn(pareto_nbd_fit_state, float8, float8, float8, float8)
    RETURNS pareto_nbd_fit_state
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_fit_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_fit_transfn(pareto_nbd_fit_state, float8, float8, float8, float8) IS 'Transition function of pareto_nbd_fit(frequency, recency, t, customers)';

CREATE FUNCTION pareto_nbd_fit_transfn(pareto_nbd_fit_state, float8, float8, float8, float8, float8)
    RETURNS pareto_nbd_fit_state
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_fit_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_fit_transfn(pareto_nbd_fit_state, float8, float8, float8, float8, float8) IS 'Transition function of pareto_nbd_fit(frequency, recency, t, customers, penalizer)';

CREATE FUNCTION pareto_nbd_fit_combinefn(pareto_nbd_fit_state, pareto_nbd_fit_state)
    RETURNS pareto_nbd_fit_state
    AS 'MODULE_PATHNAME', 'socroi_pattern_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_fit_combinefn(pareto_nbd_fit_state, pareto_nbd_fit_state) IS 'Combine function of pareto_nbd_fit (merges pattern counts)';
CREATE FUNCTION pareto_nbd_fit_finalfn(pareto_nbd_fit_state)
    RETURNS pareto_nbd_model
    AS 'MODULE_PATHNAME', 'socroi_pareto_nbd_fit_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_fit_finalfn(pareto_nbd_fit_state) IS 'Final function of pareto_nbd_fit (maximum likelihood)';

CREATE AGGREGATE pareto_nbd_fit(frequency float8, recency float8, t float8) (
    SFUNC = pareto_nbd_fit_transfn, STYPE = pareto_nbd_fit_state,
    COMBINEFUNC = pareto_nbd_fit_combinefn, FINALFUNC = pareto_nbd_fit_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
COMMENT ON AGGREGATE pareto_nbd_fit(float8, float8, float8) IS
    'Pareto/NBD model by maximum likelihood from per-customer (frequency, recency, t). SELECT (pareto_nbd_fit(frequency, recency, t)).* FROM rfm';

CREATE AGGREGATE pareto_nbd_fit(frequency float8, recency float8, t float8, customers float8) (
    SFUNC = pareto_nbd_fit_transfn, STYPE = pareto_nbd_fit_state,
    COMBINEFUNC = pareto_nbd_fit_combinefn, FINALFUNC = pareto_nbd_fit_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
COMMENT ON AGGREGATE pareto_nbd_fit(float8, float8, float8, float8) IS
    'Pareto/NBD model where each row stands for `customers` identical customers. SELECT pareto_nbd_fit(frequency, recency, t, count(*)) ... GROUP BY 1,2,3';

CREATE AGGREGATE pareto_nbd_fit(frequency float8, recency float8, t float8, customers float8, penalizer float8) (
    SFUNC = pareto_nbd_fit_transfn, STYPE = pareto_nbd_fit_state,
    COMBINEFUNC = pareto_nbd_fit_combinefn, FINALFUNC = pareto_nbd_fit_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
COMMENT ON AGGREGATE pareto_nbd_fit(float8, float8, float8, float8, float8) IS
    'Pareto/NBD model with an L2 penalizer (lifetimes penalizer_coef: minus the mean log-likelihood plus penalizer * sum of squared parameters). pareto_nbd_fit(frequency, recency, t, 1, 0.001)';

CREATE FUNCTION pareto_nbd_expected_purchases(model pareto_nbd_model, horizon float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_pareto_nbd_expected_purchases'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_expected_purchases(pareto_nbd_model, float8) IS
    'E[X(t)]: expected purchases of a new customer in the first horizon units (Pareto/NBD)';

CREATE FUNCTION pareto_nbd_conditional_purchases(model pareto_nbd_model, horizon float8, frequency float8, recency float8, t float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_pareto_nbd_conditional_purchases'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_conditional_purchases(pareto_nbd_model, float8, float8, float8, float8) IS
    'E[Y(t) | x, t_x, T]: expected purchases in the next horizon units of a customer with this history (Pareto/NBD)';

CREATE FUNCTION pareto_nbd_p_alive(model pareto_nbd_model, frequency float8, recency float8, t float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_pareto_nbd_p_alive'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_p_alive(pareto_nbd_model, float8, float8, float8) IS
    'Probability that a customer with this history is still active (Pareto/NBD)';


-- ---------- MBG/NBD (Batislam, Denizel & Filiztekin 2007) ----------

CREATE TYPE mbgnbd_model AS (
    r float8, alpha float8, a float8, b float8,
    log_likelihood float8, customers float8,
    se_r float8, se_alpha float8, se_a float8, se_b float8);
COMMENT ON TYPE mbgnbd_model IS
    'Fitted MBG/NBD model (BG/NBD with a dropout chance also right after the first purchase): purchase rate ~ Gamma(r, alpha), dropout probability ~ Beta(a, b); log-likelihood, customers, standard errors';

CREATE TYPE mbgnbd_fit_state;
CREATE FUNCTION mbgnbd_fit_state_in(cstring) RETURNS mbgnbd_fit_state
    AS 'MODULE_PATHNAME', 'socroi_mbgnbd_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mbgnbd_fit_state_out(mbgnbd_fit_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_mbgnbd_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mbgnbd_fit_state_recv(internal) RETURNS mbgnbd_fit_state
    AS 'MODULE_PATHNAME', 'socroi_mbgnbd_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mbgnbd_fit_state_send(mbgnbd_fit_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_mbgnbd_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE mbgnbd_fit_state (
    INPUT = mbgnbd_fit_state_in, OUTPUT = mbgnbd_fit_state_out,
    RECEIVE = mbgnbd_fit_state_recv, SEND = mbgnbd_fit_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE mbgnbd_fit_state IS
    'Partial state of mbgnbd_fit: the distinct (frequency, recency, t) patterns with their customer counts, and the penalizer';
COMMENT ON FUNCTION mbgnbd_fit_state_in(cstring) IS 'Text input of mbgnbd_fit_state (validated)';
COMMENT ON FUNCTION mbgnbd_fit_state_out(mbgnbd_fit_state) IS 'Text output of mbgnbd_fit_state (sorted patterns, exact)';
COMMENT ON FUNCTION mbgnbd_fit_state_recv(internal) IS 'Binary input of mbgnbd_fit_state (validated)';
COMMENT ON FUNCTION mbgnbd_fit_state_send(mbgnbd_fit_state) IS 'Binary output of mbgnbd_fit_state';

CREATE FUNCTION mbgnbd_fit_transfn(mbgnbd_fit_state, float8, float8, float8)
    RETURNS mbgnbd_fit_state
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_fit_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_fit_transfn(mbgnbd_fit_state, float8, float8, float8) IS 'Transition function of mbgnbd_fit(frequency, recency, t)';

CREATE FUNCTION mbgnbd_fit_transfn(mbgnbd_fit_state, float8, float8, float8, float8)
    RETURNS mbgnbd_fit_state
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_fit_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_fit_transfn(mbgnbd_fit_state, float8, float8, float8, float8) IS 'Transition function of mbgnbd_fit(frequency, recency, t, customers)';

CREATE FUNCTION mbgnbd_fit_transfn(mbgnbd_fit_state, float8, float8, float8, float8, float8)
    RETURNS mbgnbd_fit_state
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_fit_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_fit_transfn(mbgnbd_fit_state, float8, float8, float8, float8, float8) IS 'Transition function of mbgnbd_fit(frequency, recency, t, customers, penalizer)';

CREATE FUNCTION mbgnbd_fit_combinefn(mbgnbd_fit_state, mbgnbd_fit_state)
    RETURNS mbgnbd_fit_state
    AS 'MODULE_PATHNAME', 'socroi_pattern_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_fit_combinefn(mbgnbd_fit_state, mbgnbd_fit_state) IS 'Combine function of mbgnbd_fit (merges pattern counts)';
CREATE FUNCTION mbgnbd_fit_finalfn(mbgnbd_fit_state)
    RETURNS mbgnbd_model
    AS 'MODULE_PATHNAME', 'socroi_mbgnbd_fit_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_fit_finalfn(mbgnbd_fit_state) IS 'Final function of mbgnbd_fit (maximum likelihood)';

CREATE AGGREGATE mbgnbd_fit(frequency float8, recency float8, t float8) (
    SFUNC = mbgnbd_fit_transfn, STYPE = mbgnbd_fit_state,
    COMBINEFUNC = mbgnbd_fit_combinefn, FINALFUNC = mbgnbd_fit_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
COMMENT ON AGGREGATE mbgnbd_fit(float8, float8, float8) IS
    'MBG/NBD model by maximum likelihood from per-customer (frequency, recency, t). SELECT (mbgnbd_fit(frequency, recency, t)).* FROM rfm';

CREATE AGGREGATE mbgnbd_fit(frequency float8, recency float8, t float8, customers float8) (
    SFUNC = mbgnbd_fit_transfn, STYPE = mbgnbd_fit_state,
    COMBINEFUNC = mbgnbd_fit_combinefn, FINALFUNC = mbgnbd_fit_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
COMMENT ON AGGREGATE mbgnbd_fit(float8, float8, float8, float8) IS
    'MBG/NBD model where each row stands for `customers` identical customers. SELECT mbgnbd_fit(frequency, recency, t, count(*)) ... GROUP BY 1,2,3';

CREATE AGGREGATE mbgnbd_fit(frequency float8, recency float8, t float8, customers float8, penalizer float8) (
    SFUNC = mbgnbd_fit_transfn, STYPE = mbgnbd_fit_state,
    COMBINEFUNC = mbgnbd_fit_combinefn, FINALFUNC = mbgnbd_fit_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
COMMENT ON AGGREGATE mbgnbd_fit(float8, float8, float8, float8, float8) IS
    'MBG/NBD model with an L2 penalizer (lifetimes penalizer_coef: minus the mean log-likelihood plus penalizer * sum of squared parameters). mbgnbd_fit(frequency, recency, t, 1, 0.001)';

CREATE FUNCTION mbgnbd_expected_purchases(model mbgnbd_model, horizon float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_mbgnbd_expected_purchases'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_expected_purchases(mbgnbd_model, float8) IS
    'E[X(t)]: expected purchases of a new customer in the first horizon units (MBG/NBD)';

CREATE FUNCTION mbgnbd_conditional_purchases(model mbgnbd_model, horizon float8, frequency float8, recency float8, t float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_mbgnbd_conditional_purchases'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_conditional_purchases(mbgnbd_model, float8, float8, float8, float8) IS
    'E[Y(t) | x, t_x, T]: expected purchases in the next horizon units of a customer with this history (MBG/NBD)';

CREATE FUNCTION mbgnbd_p_alive(model mbgnbd_model, frequency float8, recency float8, t float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_mbgnbd_p_alive'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_p_alive(mbgnbd_model, float8, float8, float8) IS
    'Probability that a customer with this history is still active (MBG/NBD; below 1 also without repeat purchases)';


-- ---------- BG/BB (Fader, Hardie & Shang 2010) ----------

CREATE TYPE bgbb_model AS (
    alpha float8, beta float8, gamma float8, delta float8,
    log_likelihood float8, customers float8,
    se_alpha float8, se_beta float8, se_gamma float8, se_delta float8);
COMMENT ON TYPE bgbb_model IS
    'Fitted BG/BB model (discrete transaction opportunities): transaction probability ~ Beta(alpha, beta), dropout probability ~ Beta(gamma, delta); log-likelihood, customers, standard errors';

CREATE TYPE bgbb_fit_state;
CREATE FUNCTION bgbb_fit_state_in(cstring) RETURNS bgbb_fit_state
    AS 'MODULE_PATHNAME', 'socroi_bgbb_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_state_out(bgbb_fit_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_bgbb_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_state_recv(internal) RETURNS bgbb_fit_state
    AS 'MODULE_PATHNAME', 'socroi_bgbb_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_state_send(bgbb_fit_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_bgbb_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE bgbb_fit_state (
    INPUT = bgbb_fit_state_in, OUTPUT = bgbb_fit_state_out,
    RECEIVE = bgbb_fit_state_recv, SEND = bgbb_fit_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE bgbb_fit_state IS
    'Partial state of bgbb_fit: the distinct (frequency, recency, n_periods) patterns with their customer counts, and the penalizer';
COMMENT ON FUNCTION bgbb_fit_state_in(cstring) IS 'Text input of bgbb_fit_state (validated)';
COMMENT ON FUNCTION bgbb_fit_state_out(bgbb_fit_state) IS 'Text output of bgbb_fit_state (sorted patterns, exact)';
COMMENT ON FUNCTION bgbb_fit_state_recv(internal) IS 'Binary input of bgbb_fit_state (validated)';
COMMENT ON FUNCTION bgbb_fit_state_send(bgbb_fit_state) IS 'Binary output of bgbb_fit_state';

CREATE FUNCTION bgbb_fit_transfn(bgbb_fit_state, float8, float8, float8)
    RETURNS bgbb_fit_state
    AS 'MODULE_PATHNAME', 'socroi_bgbb_fit_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_fit_transfn(bgbb_fit_state, float8, float8, float8) IS 'Transition function of bgbb_fit(frequency, recency, n_periods)';

CREATE FUNCTION bgbb_fit_transfn(bgbb_fit_state, float8, float8, float8, float8)
    RETURNS bgbb_fit_state
    AS 'MODULE_PATHNAME', 'socroi_bgbb_fit_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_fit_transfn(bgbb_fit_state, float8, float8, float8, float8) IS 'Transition function of bgbb_fit(frequency, recency, n_periods, customers)';

CREATE FUNCTION bgbb_fit_transfn(bgbb_fit_state, float8, float8, float8, float8, float8)
    RETURNS bgbb_fit_state
    AS 'MODULE_PATHNAME', 'socroi_bgbb_fit_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_fit_transfn(bgbb_fit_state, float8, float8, float8, float8, float8) IS 'Transition function of bgbb_fit(frequency, recency, n_periods, customers, penalizer)';

CREATE FUNCTION bgbb_fit_combinefn(bgbb_fit_state, bgbb_fit_state)
    RETURNS bgbb_fit_state
    AS 'MODULE_PATHNAME', 'socroi_pattern_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_fit_combinefn(bgbb_fit_state, bgbb_fit_state) IS 'Combine function of bgbb_fit (merges pattern counts)';
CREATE FUNCTION bgbb_fit_finalfn(bgbb_fit_state)
    RETURNS bgbb_model
    AS 'MODULE_PATHNAME', 'socroi_bgbb_fit_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_fit_finalfn(bgbb_fit_state) IS 'Final function of bgbb_fit (maximum likelihood)';

CREATE AGGREGATE bgbb_fit(frequency float8, recency float8, n_periods float8) (
    SFUNC = bgbb_fit_transfn, STYPE = bgbb_fit_state,
    COMBINEFUNC = bgbb_fit_combinefn, FINALFUNC = bgbb_fit_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
COMMENT ON AGGREGATE bgbb_fit(float8, float8, float8) IS
    'BG/BB model by maximum likelihood from per-customer (frequency, recency, n_periods): x transactions in n opportunities, the last at opportunity t_x. SELECT (bgbb_fit(frequency, recency, n_periods)).* FROM donors';

CREATE AGGREGATE bgbb_fit(frequency float8, recency float8, n_periods float8, customers float8) (
    SFUNC = bgbb_fit_transfn, STYPE = bgbb_fit_state,
    COMBINEFUNC = bgbb_fit_combinefn, FINALFUNC = bgbb_fit_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
COMMENT ON AGGREGATE bgbb_fit(float8, float8, float8, float8) IS
    'BG/BB fit where each row stands for `customers` identical customers (a recency-frequency table). bgbb_fit(x, t_x, n, donors)';

CREATE AGGREGATE bgbb_fit(frequency float8, recency float8, n_periods float8, customers float8, penalizer float8) (
    SFUNC = bgbb_fit_transfn, STYPE = bgbb_fit_state,
    COMBINEFUNC = bgbb_fit_combinefn, FINALFUNC = bgbb_fit_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
COMMENT ON AGGREGATE bgbb_fit(float8, float8, float8, float8, float8) IS
    'BG/BB fit with customer weights and an L2 penalizer (lifetimes penalizer_coef). bgbb_fit(x, t_x, n, donors, 0.001)';

CREATE FUNCTION bgbb_expected_purchases(model bgbb_model, future_periods int4)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_bgbb_expected_purchases'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_expected_purchases(bgbb_model, int4) IS
    'E[X(n)]: expected transactions of a new customer in the first future_periods opportunities (FHS 2010 eq. 7)';

CREATE FUNCTION bgbb_conditional_purchases(model bgbb_model, future_periods int4, frequency float8, recency float8, n_periods float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_bgbb_conditional_purchases'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_conditional_purchases(bgbb_model, int4, float8, float8, float8) IS
    'E[X(n, n+n*) | x, t_x, n]: expected transactions in the next future_periods opportunities of a customer with this history (FHS 2010 eq. 13)';

CREATE FUNCTION bgbb_p_alive(model bgbb_model, frequency float8, recency float8, n_periods float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_bgbb_p_alive'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_p_alive(bgbb_model, float8, float8, float8) IS
    'P(alive at opportunity n+1 | x, t_x, n) (FHS 2010 eq. 11)';


-- ---------- shifted-beta-geometric retention (Fader & Hardie 2007) ----------

CREATE TYPE sbg_model AS (
    alpha float8, beta float8,
    log_likelihood float8, customers float8,
    se_alpha float8, se_beta float8);
COMMENT ON TYPE sbg_model IS
    'Fitted shifted-beta-geometric model: churn probability per period ~ Beta(alpha, beta) across subscribers; log-likelihood, subscribers, standard errors';

CREATE TYPE sbg_fit_state;
CREATE FUNCTION sbg_fit_state_in(cstring) RETURNS sbg_fit_state
    AS 'MODULE_PATHNAME', 'socroi_sbg_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_fit_state_out(sbg_fit_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_sbg_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_fit_state_recv(internal) RETURNS sbg_fit_state
    AS 'MODULE_PATHNAME', 'socroi_sbg_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_fit_state_send(sbg_fit_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_sbg_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE sbg_fit_state (
    INPUT = sbg_fit_state_in, OUTPUT = sbg_fit_state_out,
    RECEIVE = sbg_fit_state_recv, SEND = sbg_fit_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE sbg_fit_state IS
    'Partial state of sbg_fit: the distinct (periods_survived, churned) patterns with their subscriber counts, and the penalizer';
COMMENT ON FUNCTION sbg_fit_state_in(cstring) IS 'Text input of sbg_fit_state (validated)';
COMMENT ON FUNCTION sbg_fit_state_out(sbg_fit_state) IS 'Text output of sbg_fit_state (sorted patterns, exact)';
COMMENT ON FUNCTION sbg_fit_state_recv(internal) IS 'Binary input of sbg_fit_state (validated)';
COMMENT ON FUNCTION sbg_fit_state_send(sbg_fit_state) IS 'Binary output of sbg_fit_state';

CREATE FUNCTION sbg_fit_transfn(sbg_fit_state, int4, boolean)
    RETURNS sbg_fit_state
    AS 'MODULE_PATHNAME', 'socroi_sbg_fit_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION sbg_fit_transfn(sbg_fit_state, int4, boolean) IS 'Transition function of sbg_fit(periods_survived, churned)';

CREATE FUNCTION sbg_fit_transfn(sbg_fit_state, int4, boolean, float8)
    RETURNS sbg_fit_state
    AS 'MODULE_PATHNAME', 'socroi_sbg_fit_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION sbg_fit_transfn(sbg_fit_state, int4, boolean, float8) IS 'Transition function of sbg_fit(periods_survived, churned, customers)';

CREATE FUNCTION sbg_fit_transfn(sbg_fit_state, int4, boolean, float8, float8)
    RETURNS sbg_fit_state
    AS 'MODULE_PATHNAME', 'socroi_sbg_fit_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION sbg_fit_transfn(sbg_fit_state, int4, boolean, float8, float8) IS 'Transition function of sbg_fit(periods_survived, churned, customers, penalizer)';

CREATE FUNCTION sbg_fit_combinefn(sbg_fit_state, sbg_fit_state)
    RETURNS sbg_fit_state
    AS 'MODULE_PATHNAME', 'socroi_pattern_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sbg_fit_combinefn(sbg_fit_state, sbg_fit_state) IS 'Combine function of sbg_fit (merges pattern counts)';
CREATE FUNCTION sbg_fit_finalfn(sbg_fit_state)
    RETURNS sbg_model
    AS 'MODULE_PATHNAME', 'socroi_sbg_fit_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION sbg_fit_finalfn(sbg_fit_state) IS 'Final function of sbg_fit (maximum likelihood)';

CREATE AGGREGATE sbg_fit(periods_survived int4, churned boolean) (
    SFUNC = sbg_fit_transfn, STYPE = sbg_fit_state,
    COMBINEFUNC = sbg_fit_combinefn, FINALFUNC = sbg_fit_finalfn,
    SSPACE = 4096, PARALLEL = SAFE);
COMMENT ON AGGREGATE sbg_fit(int4, boolean) IS
    'Shifted-beta-geometric retention model by maximum likelihood; one row per subscriber: renewals completed, and whether lost after them. SELECT (sbg_fit(renewals, cancelled)).* FROM subscriptions';

CREATE AGGREGATE sbg_fit(periods_survived int4, churned boolean, customers float8) (
    SFUNC = sbg_fit_transfn, STYPE = sbg_fit_state,
    COMBINEFUNC = sbg_fit_combinefn, FINALFUNC = sbg_fit_finalfn,
    SSPACE = 4096, PARALLEL = SAFE);
COMMENT ON AGGREGATE sbg_fit(int4, boolean, float8) IS
    'sBG fit where each row stands for `customers` identical subscribers (a cohort table). sbg_fit(renewals, lost, subscribers)';

CREATE AGGREGATE sbg_fit(periods_survived int4, churned boolean, customers float8, penalizer float8) (
    SFUNC = sbg_fit_transfn, STYPE = sbg_fit_state,
    COMBINEFUNC = sbg_fit_combinefn, FINALFUNC = sbg_fit_finalfn,
    SSPACE = 4096, PARALLEL = SAFE);
COMMENT ON AGGREGATE sbg_fit(int4, boolean, float8, float8) IS
    'sBG fit with subscriber weights and an L2 penalizer (lifetimes penalizer_coef definition). sbg_fit(renewals, lost, 1, 0.001)';

CREATE FUNCTION sbg_survival(model sbg_model, t float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_sbg_survival'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sbg_survival(sbg_model, float8) IS
    'S(t): share of a new cohort still subscribed after t renewal periods, B(alpha, beta + t) / B(alpha, beta)';

CREATE FUNCTION sbg_retention_rate(model sbg_model, t float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_sbg_retention_rate'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sbg_retention_rate(sbg_model, float8) IS
    'r_t = (beta + t - 1) / (alpha + beta + t - 1): share of subscribers of period t - 1 who renew for period t (rises with t: the sorting effect)';

CREATE FUNCTION sbg_expected_lifetime(model sbg_model, horizon float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_sbg_expected_lifetime'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sbg_expected_lifetime(sbg_model, float8) IS
    'Expected periods subscribed within the first horizon periods, sum of S(t) for t < horizon; horizon Infinity gives E[T] = 1 + beta / (alpha - 1)';

CREATE FUNCTION sbg_derl(model sbg_model, periods_survived int4, discount float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_sbg_derl'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sbg_derl(sbg_model, int4, float8) IS
    'Discounted expected residual lifetime of a subscriber with this many renewals, just before the next renewal (Fader & Hardie 2010 eq. 6); times the margin per period it is the residual value';


-- ---------- followers vs others inside the model (likelihood-ratio test) ----------

CREATE TYPE bgnbd_comparison AS (
    follower_model bgnbd_model, non_follower_model bgnbd_model, pooled_model bgnbd_model,
    lr_statistic float8, degrees_of_freedom int4, p_value float8,
    horizon float8,
    follower_expected_purchases float8,
    non_follower_expected_purchases float8,
    follower_new_customer_purchases float8,
    non_follower_new_customer_purchases float8);
COMMENT ON TYPE bgnbd_comparison IS
    'Result of bgnbd_compare: BG/NBD fitted to followers, to the others and to both, likelihood-ratio test of one model for both (chi-square, 4 df); with a horizon, the mean expected purchases of each groups customers and of a new customer of each group';

CREATE TYPE pareto_nbd_comparison AS (
    follower_model pareto_nbd_model, non_follower_model pareto_nbd_model, pooled_model pareto_nbd_model,
    lr_statistic float8, degrees_of_freedom int4, p_value float8,
    horizon float8,
    follower_expected_purchases float8,
    non_follower_expected_purchases float8,
    follower_new_customer_purchases float8,
    non_follower_new_customer_purchases float8);
COMMENT ON TYPE pareto_nbd_comparison IS
    'Result of pareto_nbd_compare: Pareto/NBD fitted to followers, to the others and to both, likelihood-ratio test (chi-square, 4 df); with a horizon, per-group expected purchases';

CREATE TYPE sbg_comparison AS (
    follower_model sbg_model, non_follower_model sbg_model, pooled_model sbg_model,
    lr_statistic float8, degrees_of_freedom int4, p_value float8,
    horizon float8,
    follower_survival float8,
    non_follower_survival float8,
    follower_expected_lifetime float8,
    non_follower_expected_lifetime float8);
COMMENT ON TYPE sbg_comparison IS
    'Result of sbg_compare: sBG fitted to followers, to the others and to both, likelihood-ratio test (chi-square, 2 df); with a horizon, each groups survival S(horizon) and expected periods subscribed within the horizon';

CREATE TYPE bgnbd_compare_state;
CREATE FUNCTION bgnbd_compare_state_in(cstring) RETURNS bgnbd_compare_state
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_compare_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_compare_state_out(bgnbd_compare_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_compare_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_compare_state_recv(internal) RETURNS bgnbd_compare_state
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_compare_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_compare_state_send(bgnbd_compare_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_compare_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE bgnbd_compare_state (
    INPUT = bgnbd_compare_state_in, OUTPUT = bgnbd_compare_state_out,
    RECEIVE = bgnbd_compare_state_recv, SEND = bgnbd_compare_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE bgnbd_compare_state IS
    'Partial state of bgnbd_compare: (follower, frequency, recency, t) patterns with their customer counts, and the horizon';
COMMENT ON FUNCTION bgnbd_compare_state_in(cstring) IS 'Text input of bgnbd_compare_state (validated)';
COMMENT ON FUNCTION bgnbd_compare_state_out(bgnbd_compare_state) IS 'Text output of bgnbd_compare_state (sorted patterns, exact)';
COMMENT ON FUNCTION bgnbd_compare_state_recv(internal) IS 'Binary input of bgnbd_compare_state (validated)';
COMMENT ON FUNCTION bgnbd_compare_state_send(bgnbd_compare_state) IS 'Binary output of bgnbd_compare_state';

CREATE FUNCTION bgnbd_compare_transfn(bgnbd_compare_state, boolean, float8, float8, float8)
    RETURNS bgnbd_compare_state
    AS 'MODULE_PATHNAME', 'socroi_rfm_compare_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_compare_transfn(bgnbd_compare_state, boolean, float8, float8, float8) IS 'Transition function of bgnbd_compare(follower, frequency, recency, t)';

CREATE FUNCTION bgnbd_compare_transfn(bgnbd_compare_state, boolean, float8, float8, float8, float8)
    RETURNS bgnbd_compare_state
    AS 'MODULE_PATHNAME', 'socroi_rfm_compare_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_compare_transfn(bgnbd_compare_state, boolean, float8, float8, float8, float8) IS 'Transition function of bgnbd_compare(follower, frequency, recency, t, horizon)';

CREATE FUNCTION bgnbd_compare_combinefn(bgnbd_compare_state, bgnbd_compare_state)
    RETURNS bgnbd_compare_state
    AS 'MODULE_PATHNAME', 'socroi_pattern_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_compare_combinefn(bgnbd_compare_state, bgnbd_compare_state) IS 'Combine function of bgnbd_compare (merges pattern counts)';
CREATE FUNCTION bgnbd_compare_finalfn(bgnbd_compare_state)
    RETURNS bgnbd_comparison
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_compare_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_compare_finalfn(bgnbd_compare_state) IS 'Final function of bgnbd_compare (three fits and the likelihood-ratio test)';

CREATE AGGREGATE bgnbd_compare(follower boolean, frequency float8, recency float8, t float8) (
    SFUNC = bgnbd_compare_transfn, STYPE = bgnbd_compare_state,
    COMBINEFUNC = bgnbd_compare_combinefn, FINALFUNC = bgnbd_compare_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
COMMENT ON AGGREGATE bgnbd_compare(boolean, float8, float8, float8) IS
    'Do followers buy and drop out by a different process? BG/NBD per group and pooled, likelihood-ratio test. SELECT (bgnbd_compare(follows_brand, frequency, recency, t)).* FROM rfm';

CREATE AGGREGATE bgnbd_compare(follower boolean, frequency float8, recency float8, t float8, horizon float8) (
    SFUNC = bgnbd_compare_transfn, STYPE = bgnbd_compare_state,
    COMBINEFUNC = bgnbd_compare_combinefn, FINALFUNC = bgnbd_compare_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
COMMENT ON AGGREGATE bgnbd_compare(boolean, float8, float8, float8, float8) IS
    'bgnbd_compare with each groups expected purchases over the next horizon units. bgnbd_compare(follows_brand, frequency, recency, t, 365)';

CREATE TYPE pareto_nbd_compare_state;
CREATE FUNCTION pareto_nbd_compare_state_in(cstring) RETURNS pareto_nbd_compare_state
    AS 'MODULE_PATHNAME', 'socroi_pareto_nbd_compare_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_compare_state_out(pareto_nbd_compare_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_pareto_nbd_compare_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_compare_state_recv(internal) RETURNS pareto_nbd_compare_state
    AS 'MODULE_PATHNAME', 'socroi_pareto_nbd_compare_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_compare_state_send(pareto_nbd_compare_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_pareto_nbd_compare_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE pareto_nbd_compare_state (
    INPUT = pareto_nbd_compare_state_in, OUTPUT = pareto_nbd_compare_state_out,
    RECEIVE = pareto_nbd_compare_state_recv, SEND = pareto_nbd_compare_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE pareto_nbd_compare_state IS
    'Partial state of pareto_nbd_compare: (follower, frequency, recency, t) patterns with their customer counts, and the horizon';
COMMENT ON FUNCTION pareto_nbd_compare_state_in(cstring) IS 'Text input of pareto_nbd_compare_state (validated)';
COMMENT ON FUNCTION pareto_nbd_compare_state_out(pareto_nbd_compare_state) IS 'Text output of pareto_nbd_compare_state (sorted patterns, exact)';
COMMENT ON FUNCTION pareto_nbd_compare_state_recv(internal) IS 'Binary input of pareto_nbd_compare_state (validated)';
COMMENT ON FUNCTION pareto_nbd_compare_state_send(pareto_nbd_compare_state) IS 'Binary output of pareto_nbd_compare_state';

CREATE FUNCTION pareto_nbd_compare_transfn(pareto_nbd_compare_state, boolean, float8, float8, float8)
    RETURNS pareto_nbd_compare_state
    AS 'MODULE_PATHNAME', 'socroi_rfm_compare_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_compare_transfn(pareto_nbd_compare_state, boolean, float8, float8, float8) IS 'Transition function of pareto_nbd_compare(follower, frequency, recency, t)';

CREATE FUNCTION pareto_nbd_compare_transfn(pareto_nbd_compare_state, boolean, float8, float8, float8, float8)
    RETURNS pareto_nbd_compare_state
    AS 'MODULE_PATHNAME', 'socroi_rfm_compare_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_compare_transfn(pareto_nbd_compare_state, boolean, float8, float8, float8, float8) IS 'Transition function of pareto_nbd_compare(follower, frequency, recency, t, horizon)';

CREATE FUNCTION pareto_nbd_compare_combinefn(pareto_nbd_compare_state, pareto_nbd_compare_state)
    RETURNS pareto_nbd_compare_state
    AS 'MODULE_PATHNAME', 'socroi_pattern_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_compare_combinefn(pareto_nbd_compare_state, pareto_nbd_compare_state) IS 'Combine function of pareto_nbd_compare (merges pattern counts)';
CREATE FUNCTION pareto_nbd_compare_finalfn(pareto_nbd_compare_state)
    RETURNS pareto_nbd_comparison
    AS 'MODULE_PATHNAME', 'socroi_pareto_nbd_compare_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_compare_finalfn(pareto_nbd_compare_state) IS 'Final function of pareto_nbd_compare (three fits and the likelihood-ratio test)';

CREATE AGGREGATE pareto_nbd_compare(follower boolean, frequency float8, recency float8, t float8) (
    SFUNC = pareto_nbd_compare_transfn, STYPE = pareto_nbd_compare_state,
    COMBINEFUNC = pareto_nbd_compare_combinefn, FINALFUNC = pareto_nbd_compare_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
COMMENT ON AGGREGATE pareto_nbd_compare(boolean, float8, float8, float8) IS
    'Pareto/NBD per group (followers, others) and pooled, likelihood-ratio test. SELECT (pareto_nbd_compare(follows_brand, frequency, recency, t)).* FROM rfm';

CREATE AGGREGATE pareto_nbd_compare(follower boolean, frequency float8, recency float8, t float8, horizon float8) (
    SFUNC = pareto_nbd_compare_transfn, STYPE = pareto_nbd_compare_state,
    COMBINEFUNC = pareto_nbd_compare_combinefn, FINALFUNC = pareto_nbd_compare_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
COMMENT ON AGGREGATE pareto_nbd_compare(boolean, float8, float8, float8, float8) IS
    'pareto_nbd_compare with each groups expected purchases over the next horizon units';

CREATE TYPE sbg_compare_state;
CREATE FUNCTION sbg_compare_state_in(cstring) RETURNS sbg_compare_state
    AS 'MODULE_PATHNAME', 'socroi_sbg_compare_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_compare_state_out(sbg_compare_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_sbg_compare_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_compare_state_recv(internal) RETURNS sbg_compare_state
    AS 'MODULE_PATHNAME', 'socroi_sbg_compare_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_compare_state_send(sbg_compare_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_sbg_compare_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE sbg_compare_state (
    INPUT = sbg_compare_state_in, OUTPUT = sbg_compare_state_out,
    RECEIVE = sbg_compare_state_recv, SEND = sbg_compare_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE sbg_compare_state IS
    'Partial state of sbg_compare: (follower, periods_survived, churned) patterns with their subscriber counts, and the horizon';
COMMENT ON FUNCTION sbg_compare_state_in(cstring) IS 'Text input of sbg_compare_state (validated)';
COMMENT ON FUNCTION sbg_compare_state_out(sbg_compare_state) IS 'Text output of sbg_compare_state (sorted patterns, exact)';
COMMENT ON FUNCTION sbg_compare_state_recv(internal) IS 'Binary input of sbg_compare_state (validated)';
COMMENT ON FUNCTION sbg_compare_state_send(sbg_compare_state) IS 'Binary output of sbg_compare_state';

CREATE FUNCTION sbg_compare_transfn(sbg_compare_state, boolean, int4, boolean)
    RETURNS sbg_compare_state
    AS 'MODULE_PATHNAME', 'socroi_sbg_compare_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION sbg_compare_transfn(sbg_compare_state, boolean, int4, boolean) IS 'Transition function of sbg_compare(follower, periods_survived, churned)';

CREATE FUNCTION sbg_compare_transfn(sbg_compare_state, boolean, int4, boolean, float8)
    RETURNS sbg_compare_state
    AS 'MODULE_PATHNAME', 'socroi_sbg_compare_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION sbg_compare_transfn(sbg_compare_state, boolean, int4, boolean, float8) IS 'Transition function of sbg_compare(follower, periods_survived, churned, horizon)';

CREATE FUNCTION sbg_compare_combinefn(sbg_compare_state, sbg_compare_state)
    RETURNS sbg_compare_state
    AS 'MODULE_PATHNAME', 'socroi_pattern_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sbg_compare_combinefn(sbg_compare_state, sbg_compare_state) IS 'Combine function of sbg_compare (merges pattern counts)';
CREATE FUNCTION sbg_compare_finalfn(sbg_compare_state)
    RETURNS sbg_comparison
    AS 'MODULE_PATHNAME', 'socroi_sbg_compare_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION sbg_compare_finalfn(sbg_compare_state) IS 'Final function of sbg_compare (three fits and the likelihood-ratio test)';

CREATE AGGREGATE sbg_compare(follower boolean, periods_survived int4, churned boolean) (
    SFUNC = sbg_compare_transfn, STYPE = sbg_compare_state,
    COMBINEFUNC = sbg_compare_combinefn, FINALFUNC = sbg_compare_finalfn,
    SSPACE = 4096, PARALLEL = SAFE);
COMMENT ON AGGREGATE sbg_compare(boolean, int4, boolean) IS
    'Do followers renew longer? sBG per group and pooled, likelihood-ratio test. SELECT (sbg_compare(follows_brand, renewals, cancelled)).* FROM subscriptions';

CREATE AGGREGATE sbg_compare(follower boolean, periods_survived int4, churned boolean, horizon float8) (
    SFUNC = sbg_compare_transfn, STYPE = sbg_compare_state,
    COMBINEFUNC = sbg_compare_combinefn, FINALFUNC = sbg_compare_finalfn,
    SSPACE = 4096, PARALLEL = SAFE);
COMMENT ON AGGREGATE sbg_compare(boolean, int4, boolean, float8) IS
    'sbg_compare with each groups survival and expected periods subscribed within horizon periods. sbg_compare(follows_brand, renewals, cancelled, 12)';


-- ---------- customer summaries: calendar periods and calibration / holdout ----------

CREATE FUNCTION customer_summary_transfn(customer_summary_state, timestamptz, float8, timestamptz, text)
    RETURNS customer_summary_state
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_trans_calendar'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION customer_summary_transfn(customer_summary_state, timestamptz, float8, timestamptz, text) IS 'Transition function of customer_summary with a calendar unit (or an interval written as text)';
CREATE AGGREGATE customer_summary(order_time timestamptz, amount float8, observation_end timestamptz, time_unit text) (
    SFUNC = customer_summary_transfn, STYPE = customer_summary_state,
    COMBINEFUNC = customer_summary_combinefn, FINALFUNC = customer_summary_finalfn,
    SSPACE = 256, PARALLEL = SAFE);
COMMENT ON AGGREGATE customer_summary(timestamptz, float8, timestamptz, text) IS
    'RFM summary counted in calendar periods: time_unit ''day'', ''week'' (Monday to Sunday, pandas freq W), ''month'', ''quarter'' or ''year''; other text is read as an interval. customer_summary(ordered_at, amount, ''2024-06-30'', ''week'')';

CREATE TYPE customer_rfm_holdout AS (
    frequency float8, recency float8, t float8, monetary_value float8,
    orders int8, total float8,
    holdout_frequency float8, holdout_total float8, holdout_duration float8);
COMMENT ON TYPE customer_rfm_holdout IS
    'Calibration RFM summary (customer_rfm, up to calibration_end) and the holdout period after it: distinct purchase periods, spend, and its length in units (lifetimes calibration_and_holdout_data)';

CREATE TYPE customer_summary_holdout_state;
CREATE FUNCTION customer_summary_holdout_state_in(cstring) RETURNS customer_summary_holdout_state
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_holdout_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_summary_holdout_state_out(customer_summary_holdout_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_holdout_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_summary_holdout_state_recv(internal) RETURNS customer_summary_holdout_state
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_holdout_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_summary_holdout_state_send(customer_summary_holdout_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_holdout_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE customer_summary_holdout_state (
    INPUT = customer_summary_holdout_state_in, OUTPUT = customer_summary_holdout_state_out,
    RECEIVE = customer_summary_holdout_state_recv, SEND = customer_summary_holdout_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE customer_summary_holdout_state IS
    'Partial state of customer_summary_holdout: calibration and observation ends, unit, order counts, and the spend of each distinct purchase period of the calibration and holdout parts';
COMMENT ON FUNCTION customer_summary_holdout_state_in(cstring) IS 'Text input of customer_summary_holdout_state (validated)';
COMMENT ON FUNCTION customer_summary_holdout_state_out(customer_summary_holdout_state) IS 'Text output of customer_summary_holdout_state (sorted patterns, exact)';
COMMENT ON FUNCTION customer_summary_holdout_state_recv(internal) IS 'Binary input of customer_summary_holdout_state (validated)';
COMMENT ON FUNCTION customer_summary_holdout_state_send(customer_summary_holdout_state) IS 'Binary output of customer_summary_holdout_state';

CREATE FUNCTION customer_summary_holdout_transfn(customer_summary_holdout_state, timestamptz, float8, timestamptz, timestamptz)
    RETURNS customer_summary_holdout_state
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_holdout_trans'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION customer_summary_holdout_transfn(customer_summary_holdout_state, timestamptz, float8, timestamptz, timestamptz) IS 'Transition function of customer_summary_holdout (unit 1 day)';

CREATE FUNCTION customer_summary_holdout_transfn(customer_summary_holdout_state, timestamptz, float8, timestamptz, timestamptz, interval)
    RETURNS customer_summary_holdout_state
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_holdout_trans'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION customer_summary_holdout_transfn(customer_summary_holdout_state, timestamptz, float8, timestamptz, timestamptz, interval) IS 'Transition function of customer_summary_holdout with a time unit';

CREATE FUNCTION customer_summary_holdout_transfn(customer_summary_holdout_state, timestamptz, float8, timestamptz, timestamptz, text)
    RETURNS customer_summary_holdout_state
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_holdout_trans'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION customer_summary_holdout_transfn(customer_summary_holdout_state, timestamptz, float8, timestamptz, timestamptz, text) IS 'Transition function of customer_summary_holdout with a calendar unit (or an interval written as text)';

CREATE FUNCTION customer_summary_holdout_combinefn(customer_summary_holdout_state, customer_summary_holdout_state)
    RETURNS customer_summary_holdout_state
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION customer_summary_holdout_combinefn(customer_summary_holdout_state, customer_summary_holdout_state) IS 'Combine function of customer_summary_holdout';
CREATE FUNCTION customer_summary_holdout_finalfn(customer_summary_holdout_state)
    RETURNS customer_rfm_holdout
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_holdout_final'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION customer_summary_holdout_finalfn(customer_summary_holdout_state) IS 'Final function of customer_summary_holdout (NULL for customers without calibration orders)';

CREATE AGGREGATE customer_summary_holdout(order_time timestamptz, amount float8, calibration_end timestamptz, observation_end timestamptz) (
    SFUNC = customer_summary_holdout_transfn, STYPE = customer_summary_holdout_state,
    COMBINEFUNC = customer_summary_holdout_combinefn, FINALFUNC = customer_summary_holdout_finalfn,
    SSPACE = 256, PARALLEL = SAFE);
COMMENT ON AGGREGATE customer_summary_holdout(timestamptz, float8, timestamptz, timestamptz) IS
    'Calibration summary up to calibration_end and the holdout purchases after it up to observation_end, in days. SELECT customer_id, (customer_summary_holdout(ordered_at, amount, 2024-03-31, 2024-06-30)).* FROM orders GROUP BY 1';

CREATE AGGREGATE customer_summary_holdout(order_time timestamptz, amount float8, calibration_end timestamptz, observation_end timestamptz, time_unit interval) (
    SFUNC = customer_summary_holdout_transfn, STYPE = customer_summary_holdout_state,
    COMBINEFUNC = customer_summary_holdout_combinefn, FINALFUNC = customer_summary_holdout_finalfn,
    SSPACE = 256, PARALLEL = SAFE);
COMMENT ON AGGREGATE customer_summary_holdout(timestamptz, float8, timestamptz, timestamptz, interval) IS
    'customer_summary_holdout in a chosen time unit, e.g. 7 days';

CREATE AGGREGATE customer_summary_holdout(order_time timestamptz, amount float8, calibration_end timestamptz, observation_end timestamptz, time_unit text) (
    SFUNC = customer_summary_holdout_transfn, STYPE = customer_summary_holdout_state,
    COMBINEFUNC = customer_summary_holdout_combinefn, FINALFUNC = customer_summary_holdout_finalfn,
    SSPACE = 256, PARALLEL = SAFE);
COMMENT ON AGGREGATE customer_summary_holdout(timestamptz, float8, timestamptz, timestamptz, text) IS
    'customer_summary_holdout counted in calendar periods: day, week, month, quarter or year';
