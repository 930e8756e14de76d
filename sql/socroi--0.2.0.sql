-- socroi 0.2.0 install script: generated from sql/NN_*.sql by make; edit those
\echo Use "CREATE EXTENSION socroi" to load this file. \quit

-- ---- sql/10_roi.sql ----
-- ROI arithmetic and lead-score pools (doc/roi.md).
-- Every function is C, IMMUTABLE, STRICT and PARALLEL SAFE; the numeric
-- overloads are exact, the float8 ones fast.

CREATE FUNCTION roi(revenue numeric, cost numeric) RETURNS numeric
    AS 'MODULE_PATHNAME', 'socroi_roi_numeric'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION roi(revenue float8, cost float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_roi_float8'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION roi(numeric, numeric) IS
    'Return on investment (revenue - cost) / cost, exact; NULL when cost = 0, error when cost < 0. roi(45000, 20000) = 1.25';
COMMENT ON FUNCTION roi(float8, float8) IS
    'Return on investment (revenue - cost) / cost; NULL when cost = 0, error when cost < 0. roi(45000, 20000) = 1.25';

CREATE FUNCTION roi_percent(revenue numeric, cost numeric) RETURNS numeric
    AS 'MODULE_PATHNAME', 'socroi_roi_percent_numeric'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION roi_percent(revenue float8, cost float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_roi_percent_float8'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION roi_percent(numeric, numeric) IS
    'ROI in percent, 100 * (revenue - cost) / cost, exact; NULL when cost = 0. roi_percent(45000, 20000) = 125';
COMMENT ON FUNCTION roi_percent(float8, float8) IS
    'ROI in percent, 100 * (revenue - cost) / cost; NULL when cost = 0. roi_percent(45000, 20000) = 125';

CREATE FUNCTION roas(revenue numeric, cost numeric) RETURNS numeric
    AS 'MODULE_PATHNAME', 'socroi_roas_numeric'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION roas(revenue float8, cost float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_roas_float8'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION roas(numeric, numeric) IS
    'Return on ad spend revenue / cost, exact; NULL when cost = 0. roas(45000, 20000) = 2.25';
COMMENT ON FUNCTION roas(float8, float8) IS
    'Return on ad spend revenue / cost; NULL when cost = 0. roas(45000, 20000) = 2.25';

CREATE FUNCTION growth_rate(current numeric, previous numeric) RETURNS numeric
    AS 'MODULE_PATHNAME', 'socroi_growth_rate_numeric'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION growth_rate(current float8, previous float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_growth_rate_float8'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION growth_rate(numeric, numeric) IS
    'Period-over-period growth (current - previous) / previous, exact (lead velocity rate); NULL when previous = 0. growth_rate(120, 100) = 0.2';
COMMENT ON FUNCTION growth_rate(float8, float8) IS
    'Period-over-period growth (current - previous) / previous (lead velocity rate); NULL when previous = 0. growth_rate(120, 100) = 0.2';

CREATE FUNCTION effort_cost(hours numeric, hourly_rate numeric) RETURNS numeric
    AS 'MODULE_PATHNAME', 'socroi_effort_cost_numeric'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION effort_cost(hours float8, hourly_rate float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_effort_cost_float8'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION effort_cost(numeric, numeric) IS
    'Staff time as money, hours * hourly_rate (both >= 0), exact. effort_cost(12.5, 40) = 500.0';
COMMENT ON FUNCTION effort_cost(float8, float8) IS
    'Staff time as money, hours * hourly_rate (both >= 0). effort_cost(12.5, 40) = 500';

CREATE FUNCTION lead_pool_index(score float8, bounds float8[] DEFAULT '{50,75}')
    RETURNS int4
    AS 'MODULE_PATHNAME', 'socroi_lead_pool_index'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION lead_pool_index(float8, float8[]) IS
    '0-based pool of a lead score: the number of ascending lower bounds <= score (as width_bucket). lead_pool_index(80) = 2';

CREATE FUNCTION lead_pool(score float8, bounds float8[] DEFAULT '{50,75}',
                          labels text[] DEFAULT '{slow,medium,fast}')
    RETURNS text
    AS 'MODULE_PATHNAME', 'socroi_lead_pool'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION lead_pool(float8, float8[], text[]) IS
    'Label of the pool of a lead score; bounds are ascending lower bounds of pools 2..n, labels one per pool. lead_pool(62) = ''medium''';

-- ---- sql/20_attribution.sql ----
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
    'B-tree comparison of models: kind in the order first_touch, last_touch, last_non_direct, linear, position_based, time_decay, markov, shapley, then canonical text';
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
    'Rewrite a path as fractribution and Snowplow do: exposure (a,a,b,a -> a,b,a), first (a,b,a -> a,b), unique (as is), frequency (a,b,a -> a(2),b(1))';

-- ---- sql/25_markov.sql ----
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

-- ---- sql/30_channels.sql ----
-- From raw hits to channels (doc/channels.md): UTM parameters, the
-- traffic source of a hit, GA4's source categories and default channel group.
-- All C, IMMUTABLE and PARALLEL SAFE, no regular expressions at run time.
-- STRICT except where NULL has a meaning: traffic_source() (NULL referrer =
-- none) and channel_group(text, text, text) (NULL source = (direct), NULL
-- medium = (none)).

CREATE TYPE utm_params AS (
    source          text,
    medium          text,
    campaign        text,
    term            text,
    content         text,
    id              text,
    source_platform text,
    click_id        text
);
COMMENT ON TYPE utm_params IS
    'UTM parameters of a URL (decoded, NULL when absent or empty) and the name of its first click identifier; returned by utm(url)';

CREATE TYPE traffic_source AS (
    source   text,
    medium   text,
    campaign text
);
COMMENT ON TYPE traffic_source IS
    'Where a hit came from, as GA4 names it: source / medium / campaign; returned by traffic_source(url, referrer)';

CREATE FUNCTION utm(url text) RETURNS utm_params
    AS 'MODULE_PATHNAME', 'socroi_utm'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION utm(text) IS
    'UTM parameters and click identifier of a URL, never an error. (utm(''https://shop.example/?utm_source=Facebook&utm_medium=paid+social&fbclid=x'')).medium = ''paid social''';

CREATE FUNCTION traffic_source(url text, referrer text, own_hosts text[] DEFAULT NULL)
    RETURNS traffic_source
    AS 'MODULE_PATHNAME', 'socroi_traffic_source'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION traffic_source(text, text, text[]) IS
    'Source / medium / campaign of a hit from its URL (UTM, gclid) and referrer (search engine, referral, direct); own_hosts count as no referrer. traffic_source(''https://shop.example/'', ''https://www.google.nl/'') = (google,organic,)';

CREATE FUNCTION source_category(source text) RETURNS text
    AS 'MODULE_PATHNAME', 'socroi_source_category'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION source_category(text) IS
    'GA4 source category of a source (social, search, video, shopping or NULL), case-insensitive, from GA4''s published list. source_category(''YouTube.com'') = ''video''';

CREATE FUNCTION channel_group(source text, medium text, campaign text DEFAULT NULL) RETURNS text
    AS 'MODULE_PATHNAME', 'socroi_channel_group'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION channel_group(text, text, text) IS
    'GA4 default channel group; NULL or empty source reads as (direct), medium as (none). channel_group(''facebook'', ''retargeting'') = ''Paid Social''';

CREATE FUNCTION channel_group(traffic_source) RETURNS text
    AS 'MODULE_PATHNAME', 'socroi_channel_group_row'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION channel_group(traffic_source) IS
    'GA4 default channel group of a traffic source row. channel_group(traffic_source(''https://shop.example/'', ''https://m.facebook.com/'')) = ''Organic Social''';

CREATE FUNCTION is_social(source text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'socroi_is_social'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION is_social(text) IS
    'True when GA4 files the source under social (source_category = ''social''). is_social(''m.facebook.com'') = true';

-- ---- sql/40_clv.sql ----
-- Customer lifetime value (doc/clv.md): formula CLV, the
-- follower comparison (Welch's t-test), RFM summaries from orders, and the
-- BG/NBD and Gamma-Gamma models of Fader, Hardie & Lee (2005).
-- Aggregate states are concrete types with text and binary I/O so partial
-- aggregates travel between parallel workers and Citus nodes.

-- ---------- formula CLV ----------

CREATE FUNCTION clv(avg_order_value float8, purchases_per_year float8,
                    lifespan_years float8, margin float8 DEFAULT 1,
                    annual_discount float8 DEFAULT 0)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_clv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION clv(float8, float8, float8, float8, float8) IS
    'Formula CLV: margin * avg_order_value * purchases_per_year * sum over years of (1+annual_discount)^-y (annuity factor for fractional lifespans). clv(70, 3, 3, 0.3) = 189';

-- ---------- distributions (used by the comparisons; handy on their own) ----------

CREATE FUNCTION student_t_cdf(t float8, df float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_student_t_cdf'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION student_t_cdf(float8, float8) IS
    'Student t distribution function P(T <= t) for df > 0 degrees of freedom (need not be whole). student_t_cdf(2.0, 10) = 0.963305...';

CREATE FUNCTION student_t_quantile(p float8, df float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_student_t_quantile'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION student_t_quantile(float8, float8) IS
    'Inverse of student_t_cdf: the t with P(T <= t) = p. student_t_quantile(0.975, 10) = 2.228138...';

CREATE FUNCTION normal_cdf(z float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_normal_cdf'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION normal_cdf(float8) IS
    'Standard normal distribution function P(Z <= z), accurate far into the tails. normal_cdf(1.96) = 0.975002...';

CREATE FUNCTION normal_quantile(p float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_normal_quantile'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION normal_quantile(float8) IS
    'Inverse of normal_cdf: the z with P(Z <= z) = p. normal_quantile(0.975) = 1.959963...';

-- ---------- clv_compare: Welch's t-test, followers vs non-followers ----------

CREATE TYPE clv_compare_state;
CREATE FUNCTION clv_compare_state_in(cstring) RETURNS clv_compare_state
    AS 'MODULE_PATHNAME', 'socroi_clv_compare_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_compare_state_out(clv_compare_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_clv_compare_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_compare_state_recv(internal) RETURNS clv_compare_state
    AS 'MODULE_PATHNAME', 'socroi_clv_compare_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_compare_state_send(clv_compare_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_clv_compare_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE clv_compare_state (
    INPUT = clv_compare_state_in, OUTPUT = clv_compare_state_out,
    RECEIVE = clv_compare_state_recv, SEND = clv_compare_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE clv_compare_state IS
    'Partial state of clv_compare: confidence, then count, mean and sum of squared deviations of followers and non-followers';
COMMENT ON FUNCTION clv_compare_state_in(cstring) IS 'Text input of clv_compare_state (validated)';
COMMENT ON FUNCTION clv_compare_state_out(clv_compare_state) IS 'Text output of clv_compare_state (exact floats)';
COMMENT ON FUNCTION clv_compare_state_recv(internal) IS 'Binary input of clv_compare_state (validated)';
COMMENT ON FUNCTION clv_compare_state_send(clv_compare_state) IS 'Binary output of clv_compare_state';

CREATE TYPE clv_comparison AS (
    followers int8, non_followers int8,
    follower_mean float8, non_follower_mean float8,
    follower_stddev float8, non_follower_stddev float8,
    difference float8, lift float8,
    t_statistic float8, degrees_of_freedom float8, p_value float8,
    ci_low float8, ci_high float8);
COMMENT ON TYPE clv_comparison IS
    'Result of clv_compare: group sizes, means, sample standard deviations, difference (followers - others), lift, Welch t, df, two-sided p and the confidence interval of the difference';

CREATE FUNCTION clv_compare_transfn(clv_compare_state, boolean, float8)
    RETURNS clv_compare_state
    AS 'MODULE_PATHNAME', 'socroi_clv_compare_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_compare_transfn(clv_compare_state, boolean, float8, float8)
    RETURNS clv_compare_state
    AS 'MODULE_PATHNAME', 'socroi_clv_compare_trans_conf'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_compare_combinefn(clv_compare_state, clv_compare_state)
    RETURNS clv_compare_state
    AS 'MODULE_PATHNAME', 'socroi_clv_compare_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_compare_finalfn(clv_compare_state)
    RETURNS clv_comparison
    AS 'MODULE_PATHNAME', 'socroi_clv_compare_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION clv_compare_transfn(clv_compare_state, boolean, float8) IS 'Transition function of clv_compare(follower, value)';
COMMENT ON FUNCTION clv_compare_transfn(clv_compare_state, boolean, float8, float8) IS 'Transition function of clv_compare(follower, value, confidence)';
COMMENT ON FUNCTION clv_compare_combinefn(clv_compare_state, clv_compare_state) IS 'Combine function of clv_compare (Chan et al. pairwise merge)';
COMMENT ON FUNCTION clv_compare_finalfn(clv_compare_state) IS 'Final function of clv_compare (Welch t-test)';

CREATE AGGREGATE clv_compare(follower boolean, value float8) (
    SFUNC = clv_compare_transfn, STYPE = clv_compare_state,
    COMBINEFUNC = clv_compare_combinefn, FINALFUNC = clv_compare_finalfn,
    SSPACE = 64, PARALLEL = SAFE);
CREATE AGGREGATE clv_compare(follower boolean, value float8, confidence float8) (
    SFUNC = clv_compare_transfn, STYPE = clv_compare_state,
    COMBINEFUNC = clv_compare_combinefn, FINALFUNC = clv_compare_finalfn,
    SSPACE = 64, PARALLEL = SAFE);
COMMENT ON AGGREGATE clv_compare(boolean, float8) IS
    'Followers vs non-followers: means, Welch t-test (two-sided) and the 95 % CI of the difference. SELECT (clv_compare(follows_brand, clv)).* FROM customers';
COMMENT ON AGGREGATE clv_compare(boolean, float8, float8) IS
    'clv_compare with a chosen confidence level in (0, 1), the same on every row. SELECT (clv_compare(follows_brand, clv, 0.9)).* FROM customers';

-- ---------- customer_summary: RFM from orders ----------

CREATE TYPE customer_summary_state;
CREATE FUNCTION customer_summary_state_in(cstring) RETURNS customer_summary_state
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_summary_state_out(customer_summary_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_summary_state_recv(internal) RETURNS customer_summary_state
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_summary_state_send(customer_summary_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE customer_summary_state (
    INPUT = customer_summary_state_in, OUTPUT = customer_summary_state_out,
    RECEIVE = customer_summary_state_recv, SEND = customer_summary_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE customer_summary_state IS
    'Partial state of customer_summary: observation end, unit, order count, total, and the spend of each distinct purchase period';
COMMENT ON FUNCTION customer_summary_state_in(cstring) IS 'Text input of customer_summary_state (validated)';
COMMENT ON FUNCTION customer_summary_state_out(customer_summary_state) IS 'Text output of customer_summary_state (exact)';
COMMENT ON FUNCTION customer_summary_state_recv(internal) IS 'Binary input of customer_summary_state (validated)';
COMMENT ON FUNCTION customer_summary_state_send(customer_summary_state) IS 'Binary output of customer_summary_state';

CREATE TYPE customer_rfm AS (
    frequency float8, recency float8, t float8, monetary_value float8,
    orders int8, total float8);
COMMENT ON TYPE customer_rfm IS
    'RFM summary of one customer (lifetimes definitions): repeat periods, first-to-last and first-to-end times in units, mean repeat spend, orders and total spend';

CREATE FUNCTION customer_summary_transfn(customer_summary_state, timestamptz, float8, timestamptz)
    RETURNS customer_summary_state
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_trans'
    LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION customer_summary_transfn(customer_summary_state, timestamptz, float8, timestamptz, interval)
    RETURNS customer_summary_state
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_trans_unit'
    LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION customer_summary_combinefn(customer_summary_state, customer_summary_state)
    RETURNS customer_summary_state
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_summary_finalfn(customer_summary_state)
    RETURNS customer_rfm
    AS 'MODULE_PATHNAME', 'socroi_customer_summary_final'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION customer_summary_transfn(customer_summary_state, timestamptz, float8, timestamptz) IS 'Transition function of customer_summary (unit 1 day)';
COMMENT ON FUNCTION customer_summary_transfn(customer_summary_state, timestamptz, float8, timestamptz, interval) IS 'Transition function of customer_summary with a time unit';
COMMENT ON FUNCTION customer_summary_combinefn(customer_summary_state, customer_summary_state) IS 'Combine function of customer_summary';
COMMENT ON FUNCTION customer_summary_finalfn(customer_summary_state) IS 'Final function of customer_summary';

CREATE AGGREGATE customer_summary(order_time timestamptz, amount float8, observation_end timestamptz) (
    SFUNC = customer_summary_transfn, STYPE = customer_summary_state,
    COMBINEFUNC = customer_summary_combinefn, FINALFUNC = customer_summary_finalfn,
    SSPACE = 256, PARALLEL = SAFE);
CREATE AGGREGATE customer_summary(order_time timestamptz, amount float8, observation_end timestamptz, time_unit interval) (
    SFUNC = customer_summary_transfn, STYPE = customer_summary_state,
    COMBINEFUNC = customer_summary_combinefn, FINALFUNC = customer_summary_finalfn,
    SSPACE = 256, PARALLEL = SAFE);
COMMENT ON AGGREGATE customer_summary(timestamptz, float8, timestamptz) IS
    'RFM summary of a customer''s orders up to observation_end, in days (same-day orders merge). SELECT customer_id, (customer_summary(ordered_at, amount, ''2024-06-30'')).* FROM orders GROUP BY 1';
COMMENT ON AGGREGATE customer_summary(timestamptz, float8, timestamptz, interval) IS
    'RFM summary in a chosen time unit: same-day orders merge, times are days / unit (sub-day units count whole units). customer_summary(ordered_at, amount, ''1997-09-30'', ''7 days'')';

-- ---------- BG/NBD and Gamma-Gamma (Fader, Hardie & Lee 2005) ----------

CREATE TYPE bgnbd_model AS (
    r float8, alpha float8, a float8, b float8,
    log_likelihood float8, customers float8);
COMMENT ON TYPE bgnbd_model IS
    'Fitted BG/NBD model: purchase rate ~ Gamma(r, alpha), dropout probability ~ Beta(a, b); total log-likelihood and customers fitted';

CREATE TYPE gamma_gamma_model AS (
    p float8, q float8, v float8,
    log_likelihood float8, customers float8);
COMMENT ON TYPE gamma_gamma_model IS
    'Fitted Gamma-Gamma spend model (shape p, and the Gamma(q, v) prior of the scale); total log-likelihood and repeat customers fitted';

CREATE TYPE bgnbd_fit_state;
CREATE FUNCTION bgnbd_fit_state_in(cstring) RETURNS bgnbd_fit_state
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_state_out(bgnbd_fit_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_state_recv(internal) RETURNS bgnbd_fit_state
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_state_send(bgnbd_fit_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE bgnbd_fit_state (
    INPUT = bgnbd_fit_state_in, OUTPUT = bgnbd_fit_state_out,
    RECEIVE = bgnbd_fit_state_recv, SEND = bgnbd_fit_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE bgnbd_fit_state IS
    'Partial state of bgnbd_fit: the distinct (frequency, recency, t) patterns with their customer counts';
COMMENT ON FUNCTION bgnbd_fit_state_in(cstring) IS 'Text input of bgnbd_fit_state (validated)';
COMMENT ON FUNCTION bgnbd_fit_state_out(bgnbd_fit_state) IS 'Text output of bgnbd_fit_state (sorted patterns, exact)';
COMMENT ON FUNCTION bgnbd_fit_state_recv(internal) IS 'Binary input of bgnbd_fit_state (validated)';
COMMENT ON FUNCTION bgnbd_fit_state_send(bgnbd_fit_state) IS 'Binary output of bgnbd_fit_state';

CREATE FUNCTION bgnbd_fit_transfn(bgnbd_fit_state, float8, float8, float8)
    RETURNS bgnbd_fit_state
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_fit_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_transfn(bgnbd_fit_state, float8, float8, float8, float8)
    RETURNS bgnbd_fit_state
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_fit_trans_weighted'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_combinefn(bgnbd_fit_state, bgnbd_fit_state)
    RETURNS bgnbd_fit_state
    AS 'MODULE_PATHNAME', 'socroi_pattern_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_finalfn(bgnbd_fit_state)
    RETURNS bgnbd_model
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_fit_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_fit_transfn(bgnbd_fit_state, float8, float8, float8) IS 'Transition function of bgnbd_fit(frequency, recency, t)';
COMMENT ON FUNCTION bgnbd_fit_transfn(bgnbd_fit_state, float8, float8, float8, float8) IS 'Transition function of bgnbd_fit(frequency, recency, t, customers)';
COMMENT ON FUNCTION bgnbd_fit_combinefn(bgnbd_fit_state, bgnbd_fit_state) IS 'Combine function of bgnbd_fit (merges pattern counts)';
COMMENT ON FUNCTION bgnbd_fit_finalfn(bgnbd_fit_state) IS 'Final function of bgnbd_fit (maximum likelihood)';

CREATE AGGREGATE bgnbd_fit(frequency float8, recency float8, t float8) (
    SFUNC = bgnbd_fit_transfn, STYPE = bgnbd_fit_state,
    COMBINEFUNC = bgnbd_fit_combinefn, FINALFUNC = bgnbd_fit_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
CREATE AGGREGATE bgnbd_fit(frequency float8, recency float8, t float8, customers float8) (
    SFUNC = bgnbd_fit_transfn, STYPE = bgnbd_fit_state,
    COMBINEFUNC = bgnbd_fit_combinefn, FINALFUNC = bgnbd_fit_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
COMMENT ON AGGREGATE bgnbd_fit(float8, float8, float8) IS
    'BG/NBD model by maximum likelihood from per-customer (frequency, recency, t). SELECT (bgnbd_fit(frequency, recency, t)).* FROM rfm';
COMMENT ON AGGREGATE bgnbd_fit(float8, float8, float8, float8) IS
    'BG/NBD fit where each row stands for `customers` identical customers. SELECT bgnbd_fit(frequency, recency, t, count(*)) ... GROUP BY 1,2,3';

CREATE TYPE gamma_gamma_fit_state;
CREATE FUNCTION gamma_gamma_fit_state_in(cstring) RETURNS gamma_gamma_fit_state
    AS 'MODULE_PATHNAME', 'socroi_gamma_gamma_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_state_out(gamma_gamma_fit_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_gamma_gamma_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_state_recv(internal) RETURNS gamma_gamma_fit_state
    AS 'MODULE_PATHNAME', 'socroi_gamma_gamma_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_state_send(gamma_gamma_fit_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_gamma_gamma_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE gamma_gamma_fit_state (
    INPUT = gamma_gamma_fit_state_in, OUTPUT = gamma_gamma_fit_state_out,
    RECEIVE = gamma_gamma_fit_state_recv, SEND = gamma_gamma_fit_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE gamma_gamma_fit_state IS
    'Partial state of gamma_gamma_fit: the distinct (frequency, monetary_value) patterns of repeat customers with their counts';
COMMENT ON FUNCTION gamma_gamma_fit_state_in(cstring) IS 'Text input of gamma_gamma_fit_state (validated)';
COMMENT ON FUNCTION gamma_gamma_fit_state_out(gamma_gamma_fit_state) IS 'Text output of gamma_gamma_fit_state (sorted patterns, exact)';
COMMENT ON FUNCTION gamma_gamma_fit_state_recv(internal) IS 'Binary input of gamma_gamma_fit_state (validated)';
COMMENT ON FUNCTION gamma_gamma_fit_state_send(gamma_gamma_fit_state) IS 'Binary output of gamma_gamma_fit_state';

CREATE FUNCTION gamma_gamma_fit_transfn(gamma_gamma_fit_state, float8, float8)
    RETURNS gamma_gamma_fit_state
    AS 'MODULE_PATHNAME', 'socroi_gamma_gamma_fit_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_combinefn(gamma_gamma_fit_state, gamma_gamma_fit_state)
    RETURNS gamma_gamma_fit_state
    AS 'MODULE_PATHNAME', 'socroi_pattern_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_finalfn(gamma_gamma_fit_state)
    RETURNS gamma_gamma_model
    AS 'MODULE_PATHNAME', 'socroi_gamma_gamma_fit_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION gamma_gamma_fit_transfn(gamma_gamma_fit_state, float8, float8) IS 'Transition function of gamma_gamma_fit';
COMMENT ON FUNCTION gamma_gamma_fit_combinefn(gamma_gamma_fit_state, gamma_gamma_fit_state) IS 'Combine function of gamma_gamma_fit (merges pattern counts)';
COMMENT ON FUNCTION gamma_gamma_fit_finalfn(gamma_gamma_fit_state) IS 'Final function of gamma_gamma_fit (maximum likelihood, q > 1 enforced)';

CREATE AGGREGATE gamma_gamma_fit(frequency float8, monetary_value float8) (
    SFUNC = gamma_gamma_fit_transfn, STYPE = gamma_gamma_fit_state,
    COMBINEFUNC = gamma_gamma_fit_combinefn, FINALFUNC = gamma_gamma_fit_finalfn,
    SSPACE = 65536, PARALLEL = SAFE);
COMMENT ON AGGREGATE gamma_gamma_fit(float8, float8) IS
    'Gamma-Gamma spend model by maximum likelihood over repeat customers (frequency > 0; one-time buyers are ignored). SELECT (gamma_gamma_fit(frequency, monetary_value)).* FROM rfm';

CREATE FUNCTION bgnbd_expected_purchases(model bgnbd_model, horizon float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_expected_purchases'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_expected_purchases(bgnbd_model, float8) IS
    'E[X(t)]: expected purchases of a new customer in the first horizon units (FHL 2005 eq. 9). CDNOW model, horizon 78 weeks -> 1.8576';

CREATE FUNCTION bgnbd_conditional_purchases(model bgnbd_model, horizon float8,
                                            frequency float8, recency float8, t float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_conditional_purchases'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_conditional_purchases(bgnbd_model, float8, float8, float8, float8) IS
    'E[Y(t) | x, t_x, T]: expected purchases in the next horizon units of a customer with this history (FHL 2005 eq. 10). CDNOW customer 1 (2, 30.43, 38.86), 39 weeks -> 1.226';

CREATE FUNCTION bgnbd_p_alive(model bgnbd_model, frequency float8, recency float8, t float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_bgnbd_p_alive'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_p_alive(bgnbd_model, float8, float8, float8) IS
    'Probability that a customer with this history is still active (1 for customers without repeat purchases, as in the BG/NBD)';

CREATE FUNCTION gamma_gamma_expected_spend(model gamma_gamma_model, frequency float8, monetary_value float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_gamma_gamma_expected_spend'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION gamma_gamma_expected_spend(gamma_gamma_model, float8, float8) IS
    'Expected spend per purchase p (v + x m) / (p x + q - 1); the population mean p v / (q - 1) for frequency 0';

CREATE FUNCTION predicted_clv(bg bgnbd_model, gg gamma_gamma_model,
                              frequency float8, recency float8, t float8,
                              monetary_value float8, months int4,
                              monthly_discount float8, units_per_month float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'socroi_predicted_clv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION predicted_clv(bgnbd_model, gamma_gamma_model, float8, float8, float8, float8, int4, float8, float8) IS
    'Discounted predicted CLV over the next months: sum of E[spend] * expected purchases in month k / (1 + monthly_discount)^k; units_per_month = 30 for daily, 4.345 for weekly summaries';

-- ---- sql/50_compare.sql ----
-- Followers vs non-followers beyond CLV (doc/compare.md): rates
-- (retention, opportunity, win) with the pooled z-test and Newcombe's
-- hybrid score interval, and time to convert with open deals censored
-- (Kaplan-Meier quantiles, log-rank test).  Aggregate states are concrete
-- types with text and binary I/O so partial aggregates travel between
-- parallel workers and Citus nodes.

-- ---------- compare_rates ----------

CREATE TYPE compare_rates_state;
CREATE FUNCTION compare_rates_state_in(cstring) RETURNS compare_rates_state
    AS 'MODULE_PATHNAME', 'socroi_compare_rates_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION compare_rates_state_out(compare_rates_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_compare_rates_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION compare_rates_state_recv(internal) RETURNS compare_rates_state
    AS 'MODULE_PATHNAME', 'socroi_compare_rates_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION compare_rates_state_send(compare_rates_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_compare_rates_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE compare_rates_state (
    INPUT = compare_rates_state_in, OUTPUT = compare_rates_state_out,
    RECEIVE = compare_rates_state_recv, SEND = compare_rates_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE compare_rates_state IS
    'Partial state of compare_rates: confidence, then subjects and successes of followers and non-followers';
COMMENT ON FUNCTION compare_rates_state_in(cstring) IS 'Text input of compare_rates_state (validated)';
COMMENT ON FUNCTION compare_rates_state_out(compare_rates_state) IS 'Text output of compare_rates_state';
COMMENT ON FUNCTION compare_rates_state_recv(internal) IS 'Binary input of compare_rates_state (validated)';
COMMENT ON FUNCTION compare_rates_state_send(compare_rates_state) IS 'Binary output of compare_rates_state';

CREATE TYPE rate_comparison AS (
    followers int8, non_followers int8,
    follower_successes int8, non_follower_successes int8,
    follower_rate float8, non_follower_rate float8,
    difference float8, lift float8,
    z_statistic float8, p_value float8,
    ci_low float8, ci_high float8);
COMMENT ON TYPE rate_comparison IS
    'Result of compare_rates: group sizes and successes, rates, difference (followers - others), lift, pooled z-test (two-sided p) and Newcombe''s hybrid score interval of the difference';

CREATE FUNCTION compare_rates_transfn(compare_rates_state, boolean, boolean)
    RETURNS compare_rates_state
    AS 'MODULE_PATHNAME', 'socroi_compare_rates_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION compare_rates_transfn(compare_rates_state, boolean, boolean, float8)
    RETURNS compare_rates_state
    AS 'MODULE_PATHNAME', 'socroi_compare_rates_trans_conf'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION compare_rates_combinefn(compare_rates_state, compare_rates_state)
    RETURNS compare_rates_state
    AS 'MODULE_PATHNAME', 'socroi_compare_rates_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION compare_rates_finalfn(compare_rates_state)
    RETURNS rate_comparison
    AS 'MODULE_PATHNAME', 'socroi_compare_rates_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION compare_rates_transfn(compare_rates_state, boolean, boolean) IS 'Transition function of compare_rates(follower, success)';
COMMENT ON FUNCTION compare_rates_transfn(compare_rates_state, boolean, boolean, float8) IS 'Transition function of compare_rates(follower, success, confidence)';
COMMENT ON FUNCTION compare_rates_combinefn(compare_rates_state, compare_rates_state) IS 'Combine function of compare_rates (adds the counts)';
COMMENT ON FUNCTION compare_rates_finalfn(compare_rates_state) IS 'Final function of compare_rates (z-test, Newcombe interval)';

CREATE AGGREGATE compare_rates(follower boolean, success boolean) (
    SFUNC = compare_rates_transfn, STYPE = compare_rates_state,
    COMBINEFUNC = compare_rates_combinefn, FINALFUNC = compare_rates_finalfn,
    SSPACE = 48, PARALLEL = SAFE);
CREATE AGGREGATE compare_rates(follower boolean, success boolean, confidence float8) (
    SFUNC = compare_rates_transfn, STYPE = compare_rates_state,
    COMBINEFUNC = compare_rates_combinefn, FINALFUNC = compare_rates_finalfn,
    SSPACE = 48, PARALLEL = SAFE);
COMMENT ON AGGREGATE compare_rates(boolean, boolean) IS
    'Followers vs non-followers on a yes/no outcome: rates, difference, lift, pooled z-test and the 95 % Newcombe interval. SELECT (compare_rates(follows_brand, retained)).* FROM customers';
COMMENT ON AGGREGATE compare_rates(boolean, boolean, float8) IS
    'compare_rates with a chosen confidence level in (0, 1), the same on every row. SELECT (compare_rates(follows_brand, won, 0.9)).* FROM deals';

-- ---------- time_to_convert: Kaplan-Meier ----------

CREATE TYPE time_to_convert_state;
CREATE FUNCTION time_to_convert_state_in(cstring) RETURNS time_to_convert_state
    AS 'MODULE_PATHNAME', 'socroi_time_to_convert_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION time_to_convert_state_out(time_to_convert_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_time_to_convert_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION time_to_convert_state_recv(internal) RETURNS time_to_convert_state
    AS 'MODULE_PATHNAME', 'socroi_time_to_convert_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION time_to_convert_state_send(time_to_convert_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_time_to_convert_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE time_to_convert_state (
    INPUT = time_to_convert_state_in, OUTPUT = time_to_convert_state_out,
    RECEIVE = time_to_convert_state_recv, SEND = time_to_convert_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE time_to_convert_state IS
    'Partial state of time_to_convert: conversions and still-open subjects per distinct duration';
COMMENT ON FUNCTION time_to_convert_state_in(cstring) IS 'Text input of time_to_convert_state (validated)';
COMMENT ON FUNCTION time_to_convert_state_out(time_to_convert_state) IS 'Text output of time_to_convert_state (sorted durations, exact)';
COMMENT ON FUNCTION time_to_convert_state_recv(internal) IS 'Binary input of time_to_convert_state (validated)';
COMMENT ON FUNCTION time_to_convert_state_send(time_to_convert_state) IS 'Binary output of time_to_convert_state';

CREATE TYPE conversion_time_summary AS (
    subjects int8, conversions int8,
    p25_time float8, median_time float8, p75_time float8);
COMMENT ON TYPE conversion_time_summary IS
    'Result of time_to_convert: subjects, conversions, and the Kaplan-Meier times by which 25 %, 50 % and 75 % have converted (NULL when never reached)';

CREATE FUNCTION time_to_convert_transfn(time_to_convert_state, float8, boolean)
    RETURNS time_to_convert_state
    AS 'MODULE_PATHNAME', 'socroi_time_to_convert_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION time_to_convert_combinefn(time_to_convert_state, time_to_convert_state)
    RETURNS time_to_convert_state
    AS 'MODULE_PATHNAME', 'socroi_survival_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION time_to_convert_finalfn(time_to_convert_state)
    RETURNS conversion_time_summary
    AS 'MODULE_PATHNAME', 'socroi_time_to_convert_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION time_to_convert_transfn(time_to_convert_state, float8, boolean) IS 'Transition function of time_to_convert';
COMMENT ON FUNCTION time_to_convert_combinefn(time_to_convert_state, time_to_convert_state) IS 'Combine function of time_to_convert (adds the counts per duration)';
COMMENT ON FUNCTION time_to_convert_finalfn(time_to_convert_state) IS 'Final function of time_to_convert (Kaplan-Meier quantiles)';

CREATE AGGREGATE time_to_convert(duration float8, converted boolean) (
    SFUNC = time_to_convert_transfn, STYPE = time_to_convert_state,
    COMBINEFUNC = time_to_convert_combinefn, FINALFUNC = time_to_convert_finalfn,
    SSPACE = 16384, PARALLEL = SAFE);
COMMENT ON AGGREGATE time_to_convert(float8, boolean) IS
    'Kaplan-Meier time to convert, open subjects censored at their current age: p25 / median / p75. SELECT (time_to_convert(days_open, converted)).* FROM leads';

-- ---------- compare_time_to_convert: log-rank ----------

CREATE TYPE compare_time_to_convert_state;
CREATE FUNCTION compare_time_to_convert_state_in(cstring) RETURNS compare_time_to_convert_state
    AS 'MODULE_PATHNAME', 'socroi_compare_time_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION compare_time_to_convert_state_out(compare_time_to_convert_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'socroi_compare_time_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION compare_time_to_convert_state_recv(internal) RETURNS compare_time_to_convert_state
    AS 'MODULE_PATHNAME', 'socroi_compare_time_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION compare_time_to_convert_state_send(compare_time_to_convert_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'socroi_compare_time_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE compare_time_to_convert_state (
    INPUT = compare_time_to_convert_state_in, OUTPUT = compare_time_to_convert_state_out,
    RECEIVE = compare_time_to_convert_state_recv, SEND = compare_time_to_convert_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE compare_time_to_convert_state IS
    'Partial state of compare_time_to_convert: conversions and still-open subjects per distinct duration, followers and others';
COMMENT ON FUNCTION compare_time_to_convert_state_in(cstring) IS 'Text input of compare_time_to_convert_state (validated)';
COMMENT ON FUNCTION compare_time_to_convert_state_out(compare_time_to_convert_state) IS 'Text output of compare_time_to_convert_state (sorted durations, exact)';
COMMENT ON FUNCTION compare_time_to_convert_state_recv(internal) IS 'Binary input of compare_time_to_convert_state (validated)';
COMMENT ON FUNCTION compare_time_to_convert_state_send(compare_time_to_convert_state) IS 'Binary output of compare_time_to_convert_state';

CREATE TYPE time_comparison AS (
    followers int8, non_followers int8,
    follower_conversions int8, non_follower_conversions int8,
    follower_median float8, non_follower_median float8,
    follower_expected float8, non_follower_expected float8,
    hazard_ratio float8, chi_square float8, p_value float8);
COMMENT ON TYPE time_comparison IS
    'Result of compare_time_to_convert: group sizes, conversions (observed), Kaplan-Meier medians, log-rank expected conversions, hazard ratio (O/E followers over O/E others), chi-square (1 df) and p-value';

CREATE FUNCTION compare_time_to_convert_transfn(compare_time_to_convert_state, boolean, float8, boolean)
    RETURNS compare_time_to_convert_state
    AS 'MODULE_PATHNAME', 'socroi_compare_time_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION compare_time_to_convert_combinefn(compare_time_to_convert_state, compare_time_to_convert_state)
    RETURNS compare_time_to_convert_state
    AS 'MODULE_PATHNAME', 'socroi_survival_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION compare_time_to_convert_finalfn(compare_time_to_convert_state)
    RETURNS time_comparison
    AS 'MODULE_PATHNAME', 'socroi_compare_time_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION compare_time_to_convert_transfn(compare_time_to_convert_state, boolean, float8, boolean) IS 'Transition function of compare_time_to_convert';
COMMENT ON FUNCTION compare_time_to_convert_combinefn(compare_time_to_convert_state, compare_time_to_convert_state) IS 'Combine function of compare_time_to_convert (adds the counts per duration)';
COMMENT ON FUNCTION compare_time_to_convert_finalfn(compare_time_to_convert_state) IS 'Final function of compare_time_to_convert (Kaplan-Meier medians, log-rank test)';

CREATE AGGREGATE compare_time_to_convert(follower boolean, duration float8, converted boolean) (
    SFUNC = compare_time_to_convert_transfn, STYPE = compare_time_to_convert_state,
    COMBINEFUNC = compare_time_to_convert_combinefn, FINALFUNC = compare_time_to_convert_finalfn,
    SSPACE = 16384, PARALLEL = SAFE);
COMMENT ON AGGREGATE compare_time_to_convert(boolean, float8, boolean) IS
    'Do followers convert faster?  Kaplan-Meier medians and the log-rank test, open subjects censored at their current age. SELECT (compare_time_to_convert(follows_brand, days_open, won IS NOT NULL)).* FROM deals';
