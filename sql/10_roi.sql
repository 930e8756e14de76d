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
