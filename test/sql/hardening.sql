-- Regression tests for defects found in code review; each failed before its fix.

-- a traffic_source row built from table columns may carry a compressed field:
-- both forms of channel_group must read the same campaign ('... shopping' is
-- a shop campaign, cpc is paid -> Paid Shopping, rule 3)
CREATE TEMP TABLE long_hits (src text, med text, camp text);
INSERT INTO long_hits VALUES ('google', 'cpc', repeat('x', 3000) || ' shopping');
SELECT channel_group(src, med, camp) AS from_fields,
       channel_group(ROW(src, med, camp)::traffic_source) AS from_row
FROM long_hits;

-- customer_summary time units: mixed signs have no fixed length, and a unit
-- whose day part overflows microseconds must not divide by zero
SELECT customer_summary(t, 1, '2024-01-10', '1 mon -30 days')
FROM (VALUES ('2024-01-01'::timestamptz)) v(t);
SELECT customer_summary(t, 1, '2024-01-10', '63130541 mons -1921535841 days -00:16:25.964544')
FROM (VALUES ('2024-01-01'::timestamptz)) v(t);
SELECT (customer_summary(t, 1, '2024-01-10 12:00', '6 hours')).frequency  -- 3 periods of 6 h: 2
FROM (VALUES ('2024-01-01 00:00'::timestamptz), ('2024-01-01 07:00'), ('2024-01-01 13:00')) v(t);

-- Student t far in the tails and with infinite or enormous df:
-- P(T <= 1e200) = 1, P(T <= -1e200) = 0; quantiles beyond the double range
SELECT student_t_cdf(1e200, 'Infinity') AS a, student_t_cdf(-1e200, 'Infinity') AS b,
       student_t_cdf(1e200, 1e300) AS c, student_t_cdf(-1e200, 1e300) AS d;
SELECT student_t_quantile(0.9, 1e-300) AS e, student_t_quantile(1e-300, 1e-5) AS f;

-- predictions that overflow are errors (22003), as float8 arithmetic is
SELECT predicted_clv(ROW(0.243, 4.414, 0.793, 2.426, 0, 2357, NULL, NULL, NULL, NULL)::bgnbd_model,
                     ROW(6.25, 3.74, 15.44, 0, 946, NULL, NULL, NULL)::gamma_gamma_model,
                     2, 30.43, 38.86, 50, 1200, -0.5, 4.345);
SELECT gamma_gamma_expected_spend(ROW(6.25, 3.74, 1e300, 0, 0, NULL, NULL, NULL)::gamma_gamma_model, 1e300, 1e300);

-- merged customer counts beyond int8 are errors, not wrapped negative counts
SELECT clv_compare_combinefn('clv_compare:1 0.95 | 9223372036854775807 1 0 | 0 0 0',
                             'clv_compare:1 0.95 | 9223372036854775807 1 0 | 0 0 0');

-- touch ages beyond int8 microseconds (4713 BC to 294276 AD) are an error
-- (22008), not a wrapped negative age that hands time_decay's credit to the
-- oldest touch or keeps it inside a lookback
SELECT * FROM attribute('{old,new}', ARRAY['4713-11-24 00:00+00 BC', '294276-12-30 00:00+00']::timestamptz[],
                        '294276-12-31 00:00+00', 100, 'time_decay');
SELECT attribution(p, t, '294276-12-31 00:00+00', 100, 'linear(lookback=1 day)')
FROM (VALUES ('{old,new}'::text[], ARRAY['4713-11-24 00:00+00 BC', '294276-12-30 00:00+00']::timestamptz[])) v(p, t);
-- 289,999 years (9.15e18 microseconds) fit: under a 1-day lookback the new
-- touch (12 hours before) gets all 100, the old one 0
SELECT * FROM attribute('{old,new}', ARRAY['0001-01-01 00:00+00', '289999-12-31 12:00+00']::timestamptz[],
                        '290000-01-01 00:00+00', 100, 'linear(lookback=1 day)');

-- sums of finite amounts and weights that overflow are errors (22003); the
-- states never hold an Infinity their own input would refuse
SELECT customer_summary(t, a, '2024-01-10')
FROM (VALUES ('2024-01-02'::timestamptz, 1.5e308::float8), ('2024-01-02', 1.5e308)) v(t, a);
SELECT customer_summary(t, a, '2024-01-10')
FROM (VALUES ('2024-01-02'::timestamptz, 1.5e308::float8), ('2024-01-03', 1.5e308)) v(t, a);
SELECT bgnbd_fit_transfn(bgnbd_fit_transfn(NULL, 1, 2, 3, 1e308), 1, 2, 3, 1e308);
SELECT bgnbd_fit(x, tx, t, w)
FROM (VALUES (1, 2, 3, 1e308::float8), (2, 2, 3, 1e308), (0, 0, 3, 1e308)) v(x, tx, t, w);

-- -0 and 0 are one pattern key in a crafted state too
SELECT 'bgnbd_fit:2 0 -1 2 [ -0 0 5 1 0 0 5 1 ]'::bgnbd_fit_state;
SELECT 'bgnbd_fit:2 0 -1 1 [ -0 -0 5 1 ]'::bgnbd_fit_state;

-- a time_decay or lookback state continued through the overload without
-- touch times: 22023, never weights from ages that were not computed
SELECT attribution_final(attribution_accum(
           attribution_accum(NULL::attribution_state, '{a,b}', ARRAY['2024-01-01', '2024-01-05']::timestamptz[],
                             '2024-01-10', 1.0, 'time_decay'),
           '{a,b}', 1.0, 1.0, 'time_decay'));
SELECT attribution_final(attribution_accum(
           'attribution_state:1 "linear(lookback=1 day)" 0 0 0 0 0 { }'::attribution_state,
           '{c,d}', 1.0, 1.0, 'linear(lookback=1 day)'));
