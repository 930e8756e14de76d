-- From event streams to journeys (doc/journeys.md) and the
-- time-aligned path transforms (doc/attribution.md, "path_transform"): the journey type, the
-- journeys() aggregates with their flat state type, and
-- path_transform(path, touch_times, how).

-- ---- journey ----
CREATE TYPE journey AS (
    journey_no      int4,
    path            text[],
    touch_times     timestamptz[],
    converted       boolean,
    conversion_time timestamptz,
    value           float8
);
COMMENT ON TYPE journey IS
    'One journey of a customer: its number (1 = oldest), the channels touched (oldest first) with their times, whether it converted, and the conversion''s time and value (NULL for the non-converting tail)';

-- ---- journeys(): the aggregates ----
CREATE TYPE journeys_state;
CREATE FUNCTION journeys_state_in(cstring) RETURNS journeys_state
    AS 'MODULE_PATHNAME', 'socroi_journeys_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journeys_state_out(journeys_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_journeys_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journeys_state_recv(internal) RETURNS journeys_state
    AS 'MODULE_PATHNAME', 'socroi_journeys_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journeys_state_send(journeys_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_journeys_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE journeys_state (
    INPUT = journeys_state_in,
    OUTPUT = journeys_state_out,
    RECEIVE = journeys_state_recv,
    SEND = journeys_state_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE journeys_state IS
    'Partial state of the journeys() aggregates: the options and the log of one customer''s events, unsorted; exact text form, shipped between parallel workers and Citus nodes';
COMMENT ON FUNCTION journeys_state_in(cstring) IS
    'Input of journeys_state: validates every event and the options';
COMMENT ON FUNCTION journeys_state_out(journeys_state) IS
    'Output of journeys_state: the options, then every event (time in microseconds, value NaN for a touch, channel)';
COMMENT ON FUNCTION journeys_state_recv(internal) IS
    'Binary input of journeys_state, validated like the text input';
COMMENT ON FUNCTION journeys_state_send(journeys_state) IS
    'Binary output of journeys_state';

CREATE FUNCTION journeys_accum(state journeys_state, event_time timestamptz,
                               channel text, conversion_value float8)
    RETURNS journeys_state
    AS 'MODULE_PATHNAME', 'socroi_journeys_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION journeys_accum(state journeys_state, event_time timestamptz,
                               channel text, conversion_value float8, options text)
    RETURNS journeys_state
    AS 'MODULE_PATHNAME', 'socroi_journeys_accum_options'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION journeys_combine(a journeys_state, b journeys_state)
    RETURNS journeys_state
    AS 'MODULE_PATHNAME', 'socroi_journeys_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- STABLE: the option lookback_days counts calendar days in the session's
-- TimeZone; everything else about journeys is immutable
CREATE FUNCTION journeys_final(state journeys_state)
    RETURNS journey[]
    AS 'MODULE_PATHNAME', 'socroi_journeys_final'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION journeys_accum(journeys_state, timestamptz, text, float8) IS
    'Transition function of journeys(event_time, channel, conversion_value)';
COMMENT ON FUNCTION journeys_accum(journeys_state, timestamptz, text, float8, text) IS
    'Transition function of journeys(event_time, channel, conversion_value, options)';
COMMENT ON FUNCTION journeys_combine(journeys_state, journeys_state) IS
    'Combine function of journeys(): appends the events of the second state';
COMMENT ON FUNCTION journeys_final(journeys_state) IS
    'Final function of journeys(): sorts the events and cuts them into journey[] (STABLE: lookback_days reads the TimeZone setting)';

CREATE AGGREGATE journeys(event_time timestamptz, channel text, conversion_value float8) (
    SFUNC = journeys_accum,
    STYPE = journeys_state,
    SSPACE = 512,
    COMBINEFUNC = journeys_combine,
    FINALFUNC = journeys_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE journeys(event_time timestamptz, channel text, conversion_value float8,
                          options text) (
    SFUNC = journeys_accum,
    STYPE = journeys_state,
    SSPACE = 512,
    COMBINEFUNC = journeys_combine,
    FINALFUNC = journeys_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE journeys(timestamptz, text, float8) IS
    'One customer''s event stream (a row with conversion_value NULL is a touch, else a conversion) cut into journeys: each conversion closes the touches since the previous one; the rest is one non-converting journey. SELECT customer_id, journeys(event_time, channel, revenue) FROM events GROUP BY customer_id';
COMMENT ON AGGREGATE journeys(timestamptz, text, float8, text) IS
    'journeys() with options: reset=conversion|never, lookback=<interval>, lookback_days=<n>, max_touches=<n>, session=<interval>, direct=<channel>, direct_override=false';

-- ---- path_transform with touch times ----
CREATE TYPE timed_path AS (
    path        text[],
    touch_times timestamptz[]
);
COMMENT ON TYPE timed_path IS
    'A path with the time of every touch, as path_transform(path, touch_times, how) returns it';

CREATE FUNCTION path_transform(path text[], touch_times timestamptz[], how text)
    RETURNS timed_path
    AS 'MODULE_PATHNAME', 'socroi_path_transform_times'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION path_transform(text[], timestamptz[], text) IS
    'path_transform keeping the touch times aligned (each kept touch keeps the time of the first touch it stands for), so transformed paths still work with time_decay and lookback';
