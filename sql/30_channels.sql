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
