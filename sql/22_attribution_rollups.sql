-- Incremental rollups of attribution (doc/attribution.md, "Rollups: states
-- stored per day"): the attribution() aggregates split in three steps, so a
-- table can keep one attribution_state per day (and model) and any date
-- range is answered by merging the stored states:
--   attribution_partial(...)    the aggregate's state, not finalised (same
--                               arguments and transition as attribution())
--   attribution_merge(state)    merges stored states (the combine function
--                               as an aggregate)
--   attribution_result(state)   the final step: channel_credit[]
-- attribution_result(attribution_merge(s)) over the days of a range equals
-- attribution(...) over the journeys of that range (to rounding, ~1e-15).

CREATE AGGREGATE attribution_partial(path text[], conversions float8, value float8,
                                     model attribution_model) (
    SFUNC = attribution_accum,
    STYPE = attribution_state,
    SSPACE = 4096,
    COMBINEFUNC = attribution_combine,
    PARALLEL = SAFE
);
CREATE AGGREGATE attribution_partial(path text[], conversions float8, value float8,
                                     non_conversions float8, model attribution_model) (
    SFUNC = attribution_accum,
    STYPE = attribution_state,
    SSPACE = 4096,
    COMBINEFUNC = attribution_combine,
    PARALLEL = SAFE
);
CREATE AGGREGATE attribution_partial(path text[], touch_times timestamptz[],
                                     conversion_time timestamptz, value float8,
                                     model attribution_model) (
    SFUNC = attribution_accum,
    STYPE = attribution_state,
    SSPACE = 4096,
    COMBINEFUNC = attribution_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE attribution_partial(text[], float8, float8, attribution_model) IS
    'State of attribution(path, conversions, value, model), not finalised: store it (e.g. per day), merge with attribution_merge, finish with attribution_result';
COMMENT ON AGGREGATE attribution_partial(text[], float8, float8, float8, attribution_model) IS
    'State of attribution(path, conversions, value, non_conversions, model), not finalised: store it, merge with attribution_merge, finish with attribution_result';
COMMENT ON AGGREGATE attribution_partial(text[], timestamptz[], timestamptz, float8, attribution_model) IS
    'State of attribution(path, touch_times, conversion_time, value, model), not finalised: store it, merge with attribution_merge, finish with attribution_result';

CREATE AGGREGATE attribution_merge(state attribution_state) (
    SFUNC = attribution_combine,
    STYPE = attribution_state,
    SSPACE = 4096,
    COMBINEFUNC = attribution_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE attribution_merge(attribution_state) IS
    'Merges stored attribution states of one model (e.g. the days of a date range) into one: SELECT attribution_result(attribution_merge(state)) FROM attribution_daily WHERE day BETWEEN ... AND model = ''linear''';

CREATE FUNCTION attribution_result(state attribution_state)
    RETURNS channel_credit[]
    AS 'MODULE_PATHNAME', 'socroi_attribution_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION attribution_result(attribution_state) IS
    'Channel credits of an attribution state (from attribution_partial or attribution_merge): channel_credit[] by value desc, as attribution() returns';
