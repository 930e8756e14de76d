-- Changes to objects that 0.2.0 already had (the new objects come from the
-- fragments added since; see the Makefile).

-- ---------- CLV models: standard errors (new attributes at the end, as in
-- sql/40_clv.sql; values stored by 0.2.0 read them as NULL) ----------
ALTER TYPE bgnbd_model
    ADD ATTRIBUTE se_r float8, ADD ATTRIBUTE se_alpha float8,
    ADD ATTRIBUTE se_a float8, ADD ATTRIBUTE se_b float8;
COMMENT ON TYPE bgnbd_model IS
    'Fitted BG/NBD model: purchase rate ~ Gamma(r, alpha), dropout probability ~ Beta(a, b); total log-likelihood, customers fitted, standard errors of r, alpha, a, b';
ALTER TYPE gamma_gamma_model
    ADD ATTRIBUTE se_p float8, ADD ATTRIBUTE se_q float8, ADD ATTRIBUTE se_v float8;
COMMENT ON TYPE gamma_gamma_model IS
    'Fitted Gamma-Gamma spend model (shape p, and the Gamma(q, v) prior of the scale); total log-likelihood, repeat customers fitted, standard errors of p, q, v';

-- journeys branch: the fractribution model kind, path_transform's new transforms
COMMENT ON FUNCTION attribution_model_cmp(attribution_model, attribution_model) IS
    'B-tree comparison of models: kind in the order first_touch, last_touch, last_non_direct, linear, position_based, time_decay, markov, shapley, fractribution, then canonical text';
COMMENT ON FUNCTION path_transform(text[], text) IS
    'Rewrite a path as fractribution and Snowplow do: exposure (a,a,b,a -> a,b,a), first (a,b,a -> a,b), unique (as is), frequency (a,b,a -> a(2),b(1)), remove_if_not_all(channel=X), remove_if_last_and_not_all(channel=X); Snowplow''s names (exposure_path, ...) too; several separated by commas apply left to right';
