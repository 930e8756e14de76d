-- Data-driven attribution, part 2 (doc/attribution.md): the Markov
-- transition matrix with readable state names.  The markov and shapley
-- models themselves run in the attribution() aggregates of
-- 20_attribution.sql; markov_transitions() keeps the same attribution_state
-- (with a markov(order=k) model), so it merges and ships the same way.

CREATE TYPE markov_transition AS (
    from_state  text,
    to_state    text,
    transitions float8,
    probability float8
);
COMMENT ON TYPE markov_transition IS
    'One transition of a Markov attribution chain: from_state -> to_state (''(start)'', ''(conversion)'', ''(null)'' or channel tuples such as ''email > social''), its weight in journeys and its probability';

CREATE FUNCTION markov_transitions_accum(state attribution_state, path text[],
                                         conversions float8, non_conversions float8)
    RETURNS attribution_state
    AS 'MODULE_PATHNAME', 'socroi_markov_transitions_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION markov_transitions_accum(state attribution_state, path text[],
                                         conversions float8, non_conversions float8,
                                         "order" int4)
    RETURNS attribution_state
    AS 'MODULE_PATHNAME', 'socroi_markov_transitions_accum_order'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION markov_transitions_final(state attribution_state)
    RETURNS markov_transition[]
    AS 'MODULE_PATHNAME', 'socroi_markov_transitions_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION markov_transitions_accum(attribution_state, text[], float8, float8) IS
    'Transition function of markov_transitions(path, conversions, non_conversions)';
COMMENT ON FUNCTION markov_transitions_accum(attribution_state, text[], float8, float8, int4) IS
    'Transition function of markov_transitions(path, conversions, non_conversions, order)';
COMMENT ON FUNCTION markov_transitions_final(attribution_state) IS
    'Final function of markov_transitions(): markov_transition[] from (start), then channel tuples by length and name; to-states likewise, then (conversion), (null)';

CREATE AGGREGATE markov_transitions(path text[], conversions float8, non_conversions float8) (
    SFUNC = markov_transitions_accum,
    STYPE = attribution_state,
    SSPACE = 16384,
    COMBINEFUNC = attribution_combine,
    FINALFUNC = markov_transitions_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE markov_transitions(path text[], conversions float8, non_conversions float8,
                                    "order" int4) (
    SFUNC = markov_transitions_accum,
    STYPE = attribution_state,
    SSPACE = 65536,
    COMBINEFUNC = attribution_combine,
    FINALFUNC = markov_transitions_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE markov_transitions(text[], float8, float8) IS
    'Transition matrix of the first-order Markov chain over the paths, for Sankey charts: SELECT t.* FROM unnest(markov_transitions(path, conversions, non_conversions)) t';
COMMENT ON AGGREGATE markov_transitions(text[], float8, float8, int4) IS
    'Transition matrix of the Markov chain of the given order (1 to 4) over the paths; states are tuples of the last channels, e.g. ''email > social''';
