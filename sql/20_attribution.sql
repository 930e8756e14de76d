-- Attribution over touchpoint paths (doc/attribution.md): the
-- attribution_model type, attribute() per-touch credits, the attribution()
-- aggregates with their flat state type, and path_transform().

-- ---- attribution_model ----
CREATE TYPE attribution_model;
CREATE FUNCTION attribution_model_in(cstring) RETURNS attribution_model
    AS 'MODULE_PATHNAME', 'socroi_attribution_model_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION attribution_model_out(attribution_model) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_attribution_model_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION attribution_model_recv(internal) RETURNS attribution_model
    AS 'MODULE_PATHNAME', 'socroi_attribution_model_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION attribution_model_send(attribution_model) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_attribution_model_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE attribution_model (
    INPUT = attribution_model_in,
    OUTPUT = attribution_model_out,
    RECEIVE = attribution_model_recv,
    SEND = attribution_model_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE attribution_model IS
    'An attribution model written as a literal, e.g. ''linear'', ''position_based(first=0.3,last=0.3)'', ''time_decay(half_life=3 days)'', ''linear(lookback=30 days)''; output spells every option';
COMMENT ON FUNCTION attribution_model_in(cstring) IS
    'Input of attribution_model: parses and validates a model literal once';
COMMENT ON FUNCTION attribution_model_out(attribution_model) IS
    'Output of attribution_model: the canonical form with every option, e.g. position_based(first=0.4,last=0.4)';
COMMENT ON FUNCTION attribution_model_recv(internal) IS
    'Binary input of attribution_model (the canonical text, validated)';
COMMENT ON FUNCTION attribution_model_send(attribution_model) IS
    'Binary output of attribution_model (the canonical text)';

-- comparison, so a query can GROUP BY, DISTINCT or ORDER BY a model
CREATE FUNCTION attribution_model_eq(attribution_model, attribution_model) RETURNS boolean
    AS 'MODULE_PATHNAME', 'socroi_attribution_model_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION attribution_model_ne(attribution_model, attribution_model) RETURNS boolean
    AS 'MODULE_PATHNAME', 'socroi_attribution_model_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION attribution_model_lt(attribution_model, attribution_model) RETURNS boolean
    AS 'MODULE_PATHNAME', 'socroi_attribution_model_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION attribution_model_le(attribution_model, attribution_model) RETURNS boolean
    AS 'MODULE_PATHNAME', 'socroi_attribution_model_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION attribution_model_gt(attribution_model, attribution_model) RETURNS boolean
    AS 'MODULE_PATHNAME', 'socroi_attribution_model_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION attribution_model_ge(attribution_model, attribution_model) RETURNS boolean
    AS 'MODULE_PATHNAME', 'socroi_attribution_model_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION attribution_model_cmp(attribution_model, attribution_model) RETURNS int4
    AS 'MODULE_PATHNAME', 'socroi_attribution_model_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION attribution_model_hash(attribution_model) RETURNS int4
    AS 'MODULE_PATHNAME', 'socroi_attribution_model_hash'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION attribution_model_eq(attribution_model, attribution_model) IS
    'Same model with the same options (after defaults): ''position_based'' = ''position_based(first=0.4,last=0.4)''';
COMMENT ON FUNCTION attribution_model_ne(attribution_model, attribution_model) IS 'Not the same model';
COMMENT ON FUNCTION attribution_model_lt(attribution_model, attribution_model) IS 'Orders models by kind, then canonical text';
COMMENT ON FUNCTION attribution_model_le(attribution_model, attribution_model) IS 'Orders models by kind, then canonical text';
COMMENT ON FUNCTION attribution_model_gt(attribution_model, attribution_model) IS 'Orders models by kind, then canonical text';
COMMENT ON FUNCTION attribution_model_ge(attribution_model, attribution_model) IS 'Orders models by kind, then canonical text';
COMMENT ON FUNCTION attribution_model_cmp(attribution_model, attribution_model) IS
    'B-tree comparison of models: kind in the order first_touch, last_touch, last_non_direct, linear, position_based, time_decay, markov, shapley, fractribution, then canonical text';
COMMENT ON FUNCTION attribution_model_hash(attribution_model) IS 'Hash of a model, for hash joins and hash aggregation';

CREATE OPERATOR = (
    LEFTARG = attribution_model, RIGHTARG = attribution_model, FUNCTION = attribution_model_eq,
    COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (
    LEFTARG = attribution_model, RIGHTARG = attribution_model, FUNCTION = attribution_model_ne,
    COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (
    LEFTARG = attribution_model, RIGHTARG = attribution_model, FUNCTION = attribution_model_lt,
    COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (
    LEFTARG = attribution_model, RIGHTARG = attribution_model, FUNCTION = attribution_model_le,
    COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (
    LEFTARG = attribution_model, RIGHTARG = attribution_model, FUNCTION = attribution_model_gt,
    COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (
    LEFTARG = attribution_model, RIGHTARG = attribution_model, FUNCTION = attribution_model_ge,
    COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
COMMENT ON OPERATOR = (attribution_model, attribution_model) IS 'Same model with the same options';
COMMENT ON OPERATOR <> (attribution_model, attribution_model) IS 'Not the same model';
COMMENT ON OPERATOR < (attribution_model, attribution_model) IS 'Orders models by kind, then canonical text';
COMMENT ON OPERATOR <= (attribution_model, attribution_model) IS 'Orders models by kind, then canonical text';
COMMENT ON OPERATOR > (attribution_model, attribution_model) IS 'Orders models by kind, then canonical text';
COMMENT ON OPERATOR >= (attribution_model, attribution_model) IS 'Orders models by kind, then canonical text';

CREATE OPERATOR CLASS attribution_model_ops DEFAULT FOR TYPE attribution_model USING btree AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 attribution_model_cmp(attribution_model, attribution_model);
CREATE OPERATOR CLASS attribution_model_hash_ops DEFAULT FOR TYPE attribution_model USING hash AS
    OPERATOR 1 =,
    FUNCTION 1 attribution_model_hash(attribution_model);
COMMENT ON OPERATOR CLASS attribution_model_ops USING btree IS 'Sort and GROUP BY attribution models';
COMMENT ON OPERATOR FAMILY attribution_model_ops USING btree IS 'Sort and GROUP BY attribution models';
COMMENT ON OPERATOR CLASS attribution_model_hash_ops USING hash IS 'Hash aggregation and hash joins on attribution models';
COMMENT ON OPERATOR FAMILY attribution_model_hash_ops USING hash IS 'Hash aggregation and hash joins on attribution models';

-- ---- channel_credit ----
CREATE TYPE channel_credit AS (
    channel          text,
    conversions      float8,
    value            float8,
    conversion_share float8,
    touched          float8,
    first_touches    float8,
    last_touches     float8,
    assists          float8,
    removal_effect   float8
);
COMMENT ON TYPE channel_credit IS
    'Credit of one channel: conversions and value credited, share of credited conversions, and in conversions: paths touching it, first touches, last touches, assists; removal_effect (markov only)';

-- ---- attribute(): per-touch credits ----
CREATE FUNCTION attribute(path text[], value float8, model attribution_model)
    RETURNS TABLE (touch int4, channel text, credit float8)
    AS 'MODULE_PATHNAME', 'socroi_attribute'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 6;
COMMENT ON FUNCTION attribute(text[], float8, attribution_model) IS
    'Credit of every touch of one path under a heuristic model: one row per touch (1-based). attribute(''{direct,organic_search,direct}'', 140, ''position_based'') -> 56, 28, 56';

CREATE FUNCTION attribute(path text[], touch_times timestamptz[],
                          conversion_time timestamptz, value float8,
                          model attribution_model)
    RETURNS TABLE (touch int4, channel text, credit float8)
    AS 'MODULE_PATHNAME', 'socroi_attribute_times'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 6;
COMMENT ON FUNCTION attribute(text[], timestamptz[], timestamptz, float8, attribution_model) IS
    'Credit of every touch of one path with touch times (for time_decay and lookback): one row per touch; touches dropped by lookback get 0';

-- ---- attribution(): the aggregates ----
CREATE TYPE attribution_state;
CREATE FUNCTION attribution_state_in(cstring) RETURNS attribution_state
    AS 'MODULE_PATHNAME', 'socroi_attribution_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION attribution_state_out(attribution_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_attribution_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION attribution_state_recv(internal) RETURNS attribution_state
    AS 'MODULE_PATHNAME', 'socroi_attribution_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION attribution_state_send(attribution_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_attribution_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE attribution_state (
    INPUT = attribution_state_in,
    OUTPUT = attribution_state_out,
    RECEIVE = attribution_state_recv,
    SEND = attribution_state_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE attribution_state IS
    'Partial state of the attribution() and markov_transitions() aggregates (channel dictionary, compensated sums, Markov transition and Shapley channel-set records); exact text form, shipped between parallel workers and Citus nodes';
COMMENT ON FUNCTION attribution_state_in(cstring) IS
    'Input of attribution_state: validates every field and rebuilds the channel dictionary';
COMMENT ON FUNCTION attribution_state_out(attribution_state) IS
    'Output of attribution_state: exact text (floats round-trip bit for bit)';
COMMENT ON FUNCTION attribution_state_recv(internal) IS
    'Binary input of attribution_state, validated like the text input';
COMMENT ON FUNCTION attribution_state_send(attribution_state) IS
    'Binary output of attribution_state';

CREATE FUNCTION attribution_accum(state attribution_state, path text[],
                                  conversions float8, value float8,
                                  model attribution_model)
    RETURNS attribution_state
    AS 'MODULE_PATHNAME', 'socroi_attribution_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION attribution_accum(state attribution_state, path text[],
                                  conversions float8, value float8,
                                  non_conversions float8, model attribution_model)
    RETURNS attribution_state
    AS 'MODULE_PATHNAME', 'socroi_attribution_accum_nonconv'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION attribution_accum(state attribution_state, path text[],
                                  touch_times timestamptz[], conversion_time timestamptz,
                                  value float8, model attribution_model)
    RETURNS attribution_state
    AS 'MODULE_PATHNAME', 'socroi_attribution_accum_times'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION attribution_combine(a attribution_state, b attribution_state)
    RETURNS attribution_state
    AS 'MODULE_PATHNAME', 'socroi_attribution_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION attribution_final(state attribution_state)
    RETURNS channel_credit[]
    AS 'MODULE_PATHNAME', 'socroi_attribution_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION attribution_accum(attribution_state, text[], float8, float8, attribution_model) IS
    'Transition function of attribution(path, conversions, value, model)';
COMMENT ON FUNCTION attribution_accum(attribution_state, text[], float8, float8, float8, attribution_model) IS
    'Transition function of attribution(path, conversions, value, non_conversions, model)';
COMMENT ON FUNCTION attribution_accum(attribution_state, text[], timestamptz[], timestamptz, float8, attribution_model) IS
    'Transition function of attribution(path, touch_times, conversion_time, value, model)';
COMMENT ON FUNCTION attribution_combine(attribution_state, attribution_state) IS
    'Combine function of attribution(): merges two partial states by channel name';
COMMENT ON FUNCTION attribution_final(attribution_state) IS
    'Final function of attribution(): channel_credit[] sorted by value desc, then channel';

CREATE AGGREGATE attribution(path text[], conversions float8, value float8,
                             model attribution_model) (
    SFUNC = attribution_accum,
    STYPE = attribution_state,
    SSPACE = 4096,
    COMBINEFUNC = attribution_combine,
    FINALFUNC = attribution_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE attribution(path text[], conversions float8, value float8,
                             non_conversions float8, model attribution_model) (
    SFUNC = attribution_accum,
    STYPE = attribution_state,
    SSPACE = 4096,
    COMBINEFUNC = attribution_combine,
    FINALFUNC = attribution_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE attribution(path text[], touch_times timestamptz[],
                             conversion_time timestamptz, value float8,
                             model attribution_model) (
    SFUNC = attribution_accum,
    STYPE = attribution_state,
    SSPACE = 4096,
    COMBINEFUNC = attribution_combine,
    FINALFUNC = attribution_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE attribution(text[], float8, float8, attribution_model) IS
    'Channel credits over paths (a row may stand for many journeys with the same path): channel_credit[] by value desc. SELECT c.* FROM unnest(attribution(path, 1, revenue, ''linear'')) c';
COMMENT ON AGGREGATE attribution(text[], float8, float8, float8, attribution_model) IS
    'Channel credits over paths with non-converting journeys (used by data-driven models, ignored by heuristic ones): channel_credit[] by value desc';
COMMENT ON AGGREGATE attribution(text[], timestamptz[], timestamptz, float8, attribution_model) IS
    'Channel credits over converting journeys with touch times (time_decay, lookback): one row = one conversion; channel_credit[] by value desc';

-- ---- path_transform ----
CREATE FUNCTION path_transform(path text[], how text) RETURNS text[]
    AS 'MODULE_PATHNAME', 'socroi_path_transform'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION path_transform(text[], text) IS
    'Rewrite a path as fractribution and Snowplow do: exposure (a,a,b,a -> a,b,a), first (a,b,a -> a,b), unique (as is), frequency (a,b,a -> a(2),b(1)), remove_if_not_all(channel=X), remove_if_last_and_not_all(channel=X); Snowplow''s names (exposure_path, ...) too; several separated by commas apply left to right';
