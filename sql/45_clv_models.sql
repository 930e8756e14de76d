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
