-- Marketing mix modeling (doc/mmm.md): adstock and saturation
-- transforms, the mmm_fit aggregate over long (period, variable, value,
-- role) rows, the mmm_model type and its readers.  Aggregate states are
-- concrete types with text and binary I/O so partial aggregates travel
-- between parallel workers and Citus nodes.

-- ---------- transforms (6.1) ----------

CREATE FUNCTION adstock_geometric(x float8[], decay float8) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'socroi_adstock_geometric'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION adstock_geometric(float8[], float8) IS
    'Geometric adstock (Robyn): a_t = x_t + decay * a_{t-1}, decay in [0, 1). adstock_geometric(''{100,100,100,100,100}'', 0.5) = {100,150,175,187.5,193.75}';

CREATE FUNCTION adstock_geometric(x float8[], decay float8, max_lag int4, "normalize" boolean)
    RETURNS float8[]
    AS 'MODULE_PATHNAME', 'socroi_adstock_geometric_window'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION adstock_geometric(float8[], float8, int4, boolean) IS
    'Geometric adstock over a window of max_lag periods (PyMC-Marketing''s GeometricAdstock(l_max, normalize)): a_t = sum_{l<max_lag} decay^l x_{t-l}, divided by sum_{l<max_lag} decay^l when normalize';

CREATE FUNCTION adstock_weibull(x float8[], shape float8, scale float8, kind text, max_lag int4)
    RETURNS float8[]
    AS 'MODULE_PATHNAME', 'socroi_adstock_weibull'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION adstock_weibull(float8[], float8, float8, text, int4) IS
    'Weibull adstock (Robyn, PyMC-Marketing) over lags 0..max_lag-1, scale in periods: kind ''cdf'' w_0 = 1, w_l = w_{l-1} exp(-(l/scale)^shape); kind ''pdf'' the Weibull density at l+1, min-max normalised. Robyn''s relative scale s is round(1 + s (max_lag - 1)) periods';

CREATE FUNCTION hill(x float8, half_saturation float8, slope float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_hill'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hill(float8, float8, float8) IS
    'Hill saturation x^slope / (x^slope + half_saturation^slope): 0 at 0, 1/2 at half_saturation, S-shaped when slope > 1. hill(170, 150, 3) = 0.592776...';

CREATE FUNCTION logistic_saturation(x float8, lam float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_logistic_saturation'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION logistic_saturation(float8, float8) IS
    'Logistic saturation (PyMC-Marketing): (1 - exp(-lam x)) / (1 + exp(-lam x)). logistic_saturation(1, 1) = 0.462117...';

CREATE FUNCTION michaelis_menten(x float8, vmax float8, k float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_michaelis_menten'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION michaelis_menten(float8, float8, float8) IS
    'Michaelis-Menten curve vmax x / (k + x) (Robyn''s mic_men, PyMC-Marketing''s michaelis_menten). michaelis_menten(5, 5, 0.5) = 4.5454...';

-- ---------- adstock(x, decay) OVER (...) ----------

CREATE TYPE adstock_state;
CREATE FUNCTION adstock_state_in(cstring) RETURNS adstock_state
    AS 'MODULE_PATHNAME', 'socroi_adstock_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION adstock_state_out(adstock_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_adstock_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION adstock_state_recv(internal) RETURNS adstock_state
    AS 'MODULE_PATHNAME', 'socroi_adstock_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION adstock_state_send(adstock_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_adstock_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE adstock_state (
    INPUT = adstock_state_in, OUTPUT = adstock_state_out,
    RECEIVE = adstock_state_recv, SEND = adstock_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE adstock_state IS
    'Partial state of adstock: periods seen, the decay and the adstocked value after the last period';
COMMENT ON FUNCTION adstock_state_in(cstring) IS 'Text input of adstock_state (validated)';
COMMENT ON FUNCTION adstock_state_out(adstock_state) IS 'Text output of adstock_state (exact floats)';
COMMENT ON FUNCTION adstock_state_recv(internal) IS 'Binary input of adstock_state (validated)';
COMMENT ON FUNCTION adstock_state_send(adstock_state) IS 'Binary output of adstock_state';

CREATE FUNCTION adstock_transfn(adstock_state, float8, float8) RETURNS adstock_state
    AS 'MODULE_PATHNAME', 'socroi_adstock_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION adstock_combinefn(adstock_state, adstock_state) RETURNS adstock_state
    AS 'MODULE_PATHNAME', 'socroi_adstock_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION adstock_finalfn(adstock_state) RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_adstock_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION adstock_transfn(adstock_state, float8, float8) IS 'Transition function of adstock: a = x + decay * a';
COMMENT ON FUNCTION adstock_combinefn(adstock_state, adstock_state) IS 'Combine function of adstock: the second state''s periods follow the first''s';
COMMENT ON FUNCTION adstock_finalfn(adstock_state) IS 'Final function of adstock: the adstocked value';

CREATE AGGREGATE adstock(x float8, decay float8) (
    SFUNC = adstock_transfn, STYPE = adstock_state,
    COMBINEFUNC = adstock_combinefn, FINALFUNC = adstock_finalfn,
    SSPACE = 32, PARALLEL = SAFE);
COMMENT ON AGGREGATE adstock(float8, float8) IS
    'Geometric adstock as a window function: adstock(spend, 0.5) OVER (PARTITION BY channel ORDER BY week). Order matters: use it OVER (... ORDER BY period) or as adstock(x, decay ORDER BY period)';

-- ---------- mmm_fit (6.2) ----------

CREATE TYPE mmm_fit_state;
CREATE FUNCTION mmm_fit_state_in(cstring) RETURNS mmm_fit_state
    AS 'MODULE_PATHNAME', 'socroi_mmm_fit_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mmm_fit_state_out(mmm_fit_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_mmm_fit_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mmm_fit_state_recv(internal) RETURNS mmm_fit_state
    AS 'MODULE_PATHNAME', 'socroi_mmm_fit_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mmm_fit_state_send(mmm_fit_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_mmm_fit_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE mmm_fit_state (
    INPUT = mmm_fit_state_in, OUTPUT = mmm_fit_state_out,
    RECEIVE = mmm_fit_state_recv, SEND = mmm_fit_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE mmm_fit_state IS
    'Partial state of mmm_fit: the options and the sum of the values per (period, variable, role)';
COMMENT ON FUNCTION mmm_fit_state_in(cstring) IS 'Text input of mmm_fit_state (validated)';
COMMENT ON FUNCTION mmm_fit_state_out(mmm_fit_state) IS 'Text output of mmm_fit_state (sorted, exact floats)';
COMMENT ON FUNCTION mmm_fit_state_recv(internal) IS 'Binary input of mmm_fit_state (validated)';
COMMENT ON FUNCTION mmm_fit_state_send(mmm_fit_state) IS 'Binary output of mmm_fit_state';

CREATE TYPE mmm_model;
CREATE FUNCTION mmm_model_in(cstring) RETURNS mmm_model
    AS 'MODULE_PATHNAME', 'socroi_mmm_model_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mmm_model_out(mmm_model) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_mmm_model_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mmm_model_recv(internal) RETURNS mmm_model
    AS 'MODULE_PATHNAME', 'socroi_mmm_model_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mmm_model_send(mmm_model) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_mmm_model_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE mmm_model (
    INPUT = mmm_model_in, OUTPUT = mmm_model_out,
    RECEIVE = mmm_model_recv, SEND = mmm_model_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = int4, STORAGE = extended);
COMMENT ON TYPE mmm_model IS
    'A fitted marketing mix model with the data it was fitted to: read it with mmm_channels, mmm_decomposition, mmm_fit_stats';
COMMENT ON FUNCTION mmm_model_in(cstring) IS 'Text input of mmm_model (validated)';
COMMENT ON FUNCTION mmm_model_out(mmm_model) IS 'Text output of mmm_model (exact floats)';
COMMENT ON FUNCTION mmm_model_recv(internal) IS 'Binary input of mmm_model (validated)';
COMMENT ON FUNCTION mmm_model_send(mmm_model) IS 'Binary output of mmm_model';

CREATE FUNCTION mmm_fit_transfn(mmm_fit_state, date, text, float8, text) RETURNS mmm_fit_state
    AS 'MODULE_PATHNAME', 'socroi_mmm_fit_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mmm_fit_transfn(mmm_fit_state, date, text, float8, text, text) RETURNS mmm_fit_state
    AS 'MODULE_PATHNAME', 'socroi_mmm_fit_trans_options'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mmm_fit_combinefn(mmm_fit_state, mmm_fit_state) RETURNS mmm_fit_state
    AS 'MODULE_PATHNAME', 'socroi_mmm_fit_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- the fit is expensive (a tenth of a second to a second per model): a high
-- cost lets the planner run partitions' GROUP BYs in parallel workers
CREATE FUNCTION mmm_fit_finalfn(mmm_fit_state) RETURNS mmm_model
    AS 'MODULE_PATHNAME', 'socroi_mmm_fit_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100000;
COMMENT ON FUNCTION mmm_fit_transfn(mmm_fit_state, date, text, float8, text) IS 'Transition function of mmm_fit(period, variable, value, role)';
COMMENT ON FUNCTION mmm_fit_transfn(mmm_fit_state, date, text, float8, text, text) IS 'Transition function of mmm_fit(period, variable, value, role, options)';
COMMENT ON FUNCTION mmm_fit_combinefn(mmm_fit_state, mmm_fit_state) IS 'Combine function of mmm_fit (adds the values per period and variable)';
COMMENT ON FUNCTION mmm_fit_finalfn(mmm_fit_state) IS 'Final function of mmm_fit: the model fit (variable projection, rolling-origin cross-validation)';

CREATE AGGREGATE mmm_fit(period date, variable text, value float8, role text) (
    SFUNC = mmm_fit_transfn, STYPE = mmm_fit_state,
    COMBINEFUNC = mmm_fit_combinefn, FINALFUNC = mmm_fit_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
CREATE AGGREGATE mmm_fit(period date, variable text, value float8, role text, options text) (
    SFUNC = mmm_fit_transfn, STYPE = mmm_fit_state,
    COMBINEFUNC = mmm_fit_combinefn, FINALFUNC = mmm_fit_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
COMMENT ON AGGREGATE mmm_fit(date, text, float8, text) IS
    'Marketing mix model from long rows: role ''kpi'' (one outcome), ''media'' (spend or activity per channel), ''cost'' (a media variable''s cost) or ''control''. SELECT mmm_fit(week, channel, amount, role) FROM weekly';
COMMENT ON AGGREGATE mmm_fit(date, text, float8, text, text) IS
    'mmm_fit with options, e.g. ''holdout=8, seasonality=yearly(order=2), decay(tv)=0.3..0.7'' (see doc/mmm.md)';

-- ---------- reading a model (6.3) ----------

CREATE FUNCTION mmm_channels(model mmm_model)
    RETURNS TABLE (channel text, spend float8, contribution float8,
                   contribution_share float8, spend_share float8, roi float8,
                   roas float8, marginal_roi float8, decay float8,
                   half_saturation float8, slope float8, coefficient float8,
                   roi_low float8, roi_high float8,
                   contribution_low float8, contribution_high float8)
    AS 'MODULE_PATHNAME', 'socroi_mmm_channels'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 6;
COMMENT ON FUNCTION mmm_channels(mmm_model) IS
    'Per channel: spend, contribution (sum of its term over the fitted periods), shares, ROI = (contribution - spend) / spend, ROAS, marginal ROI, the fitted decay, half-saturation (cost units), slope and coefficient, and bootstrap intervals';

CREATE FUNCTION mmm_decomposition(model mmm_model)
    RETURNS TABLE (period date, component text, value float8)
    AS 'MODULE_PATHNAME', 'socroi_mmm_decomposition'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION mmm_decomposition(mmm_model) IS
    'The KPI per period split into intercept, trend, seasonality, each control and each channel (they sum to fitted), plus actual and fitted';

CREATE TYPE mmm_statistics AS (
    periods int4, parameters int4, r_squared float8, nrmse float8, mape float8,
    durbin_watson float8, holdout_mape float8, ridge_penalty float8,
    decomp_rssd float8, holdout_periods int4, cv_rmse float8,
    first_period date, last_period date, options text);
COMMENT ON TYPE mmm_statistics IS
    'Result of mmm_fit_stats: fitted periods, parameters, R^2, NRMSE, MAPE, Durbin-Watson, holdout MAPE, ridge penalty, DECOMP.RSSD, holdout periods, cross-validated RMSE, the periods covered and the canonical options';

CREATE FUNCTION mmm_fit_stats(model mmm_model) RETURNS mmm_statistics
    AS 'MODULE_PATHNAME', 'socroi_mmm_fit_stats'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mmm_fit_stats(mmm_model) IS
    'Goodness of fit of an mmm_model: R^2, NRMSE and MAPE over the fitted periods, Durbin-Watson, holdout MAPE, the chosen ridge penalty and Robyn''s DECOMP.RSSD';

-- ---------- decisions: response curves and the budget optimiser ----------

CREATE FUNCTION mmm_response(model mmm_model, channel text, spend float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_mmm_response'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mmm_response(mmm_model, text, float8) IS
    'Expected KPI per period from a channel at a sustained spend per period: coefficient * hill(spend / (1 - decay), half_saturation, slope) with mmm_channels'' values. Response curves: SELECT s, mmm_response(m, ''tv'', s) FROM generate_series(0, 5000, 100) s';

CREATE FUNCTION mmm_marginal_roi(model mmm_model, channel text, spend float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_mmm_marginal_roi'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mmm_marginal_roi(mmm_model, text, float8) IS
    'Return of the next unit of spend at a sustained spend per period: d mmm_response / d spend - 1';

CREATE FUNCTION mmm_optimize(model mmm_model, budget float8)
    RETURNS TABLE (channel text, current_spend float8, optimal_spend float8,
                   current_kpi float8, optimal_kpi float8, marginal_roi float8,
                   kpi_change_low float8, kpi_change_high float8)
    AS 'MODULE_PATHNAME', 'socroi_mmm_optimize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 6;
COMMENT ON FUNCTION mmm_optimize(mmm_model, float8) IS
    'The allocation of a budget per period over every channel that maximises the expected KPI: current and optimal spend, the KPI from each, the marginal ROI at the optimum, and the bootstrap interval of the KPI change';

CREATE FUNCTION mmm_optimize(model mmm_model, budget float8, channels text[],
                             min_spend float8[], max_spend float8[])
    RETURNS TABLE (channel text, current_spend float8, optimal_spend float8,
                   current_kpi float8, optimal_kpi float8, marginal_roi float8,
                   kpi_change_low float8, kpi_change_high float8)
    AS 'MODULE_PATHNAME', 'socroi_mmm_optimize_bounded'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 6;
COMMENT ON FUNCTION mmm_optimize(mmm_model, float8, text[], float8[], float8[]) IS
    'mmm_optimize over the listed channels only, each between its min_spend and max_spend per period; the budget is spent in full';
