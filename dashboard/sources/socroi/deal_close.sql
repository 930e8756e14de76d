-- Time to close a deal, followers vs non-followers: Kaplan-Meier quartiles
-- per group (time_to_convert) and the log-rank comparison
-- (compare_time_to_convert: medians, hazard ratio, p-value).  Deals still
-- open on 2026-10-31 count with their age so far, censored.
WITH d AS (
    SELECT c.follows_brand,
           floor(extract(epoch FROM coalesce(d.closed_at, timestamptz '2026-10-31') - d.opened_at) / 86400)::float8 AS days,
           d.closed_at IS NOT NULL AS closed
    FROM deals AS d JOIN customers AS c USING (customer_id)
), groups AS (
    SELECT follows_brand, (time_to_convert(days, closed)).*
    FROM d GROUP BY follows_brand
), test AS (
    SELECT (compare_time_to_convert(follows_brand, days, closed)).* FROM d
)
SELECT CASE WHEN g.follows_brand THEN 'followers' ELSE 'non-followers' END AS grp,
       g.subjects AS deals, g.conversions AS closed, g.subjects - g.conversions AS still_open,
       g.p25_time AS p25_days, g.median_time AS median_days, g.p75_time AS p75_days,
       t.hazard_ratio, t.chi_square, t.p_value
FROM groups AS g CROSS JOIN test AS t
ORDER BY g.follows_brand DESC
