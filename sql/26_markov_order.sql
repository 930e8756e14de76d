-- Choosing the Markov order (doc/attribution.md): per order 1 to 4 the
-- states, log-likelihood, parameters and BIC of the transitions and the
-- out-of-sample AUC of predicting conversion from the path.  The state is
-- an attribution_state of the model markov(order=auto), so the aggregate
-- merges and ships like attribution().

CREATE TYPE markov_order_fit AS (
    markov_order   int4,
    states         int8,
    log_likelihood float8,
    parameters     int8,
    bic            float8,
    auc            float8,
    selected       boolean
);
COMMENT ON TYPE markov_order_fit IS
    'Fit of one Markov order: transient states, multinomial log-likelihood of the transitions, free parameters, BIC, out-of-sample AUC of predicting conversion from the path, and whether markov(order=auto) picks it (the lowest BIC)';

CREATE FUNCTION markov_order_selection_accum(state attribution_state, path text[],
                                             conversions float8, non_conversions float8)
    RETURNS attribution_state
    AS 'MODULE_PATHNAME', 'socroi_markov_order_selection_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION markov_order_selection_final(state attribution_state)
    RETURNS markov_order_fit[]
    AS 'MODULE_PATHNAME', 'socroi_markov_order_selection_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION markov_order_selection_accum(attribution_state, text[], float8, float8) IS
    'Transition function of markov_order_selection(path, conversions, non_conversions)';
COMMENT ON FUNCTION markov_order_selection_final(attribution_state) IS
    'Final function of markov_order_selection(): markov_order_fit[] for orders 1 to 4';

CREATE AGGREGATE markov_order_selection(path text[], conversions float8, non_conversions float8) (
    SFUNC = markov_order_selection_accum,
    STYPE = attribution_state,
    SSPACE = 65536,
    COMBINEFUNC = attribution_combine,
    FINALFUNC = markov_order_selection_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE markov_order_selection(text[], float8, float8) IS
    'Diagnostics for the Markov order: per order 1 to 4 the states, log-likelihood, parameters, BIC and out-of-sample AUC (5 folds by a hash of the path); selected marks the order markov(order=auto) uses (the lowest BIC)';
