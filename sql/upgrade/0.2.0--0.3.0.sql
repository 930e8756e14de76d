-- Changes to objects that 0.2.0 already had (the new objects come from the
-- fragments added since; see the Makefile).

-- journeys branch: the fractribution model kind, path_transform's new transforms
COMMENT ON FUNCTION attribution_model_cmp(attribution_model, attribution_model) IS
    'B-tree comparison of models: kind in the order first_touch, last_touch, last_non_direct, linear, position_based, time_decay, markov, shapley, fractribution, then canonical text';
COMMENT ON FUNCTION path_transform(text[], text) IS
    'Rewrite a path as fractribution and Snowplow do: exposure (a,a,b,a -> a,b,a), first (a,b,a -> a,b), unique (as is), frequency (a,b,a -> a(2),b(1)), remove_if_not_all(channel=X), remove_if_last_and_not_all(channel=X); Snowplow''s names (exposure_path, ...) too; several separated by commas apply left to right';
