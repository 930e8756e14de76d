-- The checker's self-test: deliberately wrong SQL for numbers the pages
-- show, each a mistake a report could really make.
-- `check.py RENDERED.json check/wrong_checks.sql --expect-mismatch` passes
-- only if every one of them is caught.

-- page:
-- label: Social ROI
-- wrong: ad spend as the only cost (staff time, tools and content forgotten)
SELECT roi_percent(
    (SELECT sum(c.value)
     FROM unnest((SELECT attribution(path, 1, value, 'position_based') FROM journey_paths WHERE converted)) AS c
     JOIN channels USING (channel) WHERE channels.is_social),
    (SELECT sum(spend) FROM ad_spend JOIN channels USING (channel) WHERE channels.is_social)::float8);

-- page: lead-pools
-- label: Fast pool: median days to convert
-- wrong: the mean over the converted leads only (the open ones ignored)
SELECT avg(extract(epoch FROM converted_at - created_at) / 86400)
FROM leads WHERE lead_pool(score) = 'fast' AND converted_at IS NOT NULL;

-- page: attribution
-- label: Purchases
-- wrong: every journey counted as a purchase
SELECT count(*) FROM journeys;

-- page: organic-vs-paid
-- label: Organic social ROI
-- wrong: off by a little: the revenue of one month too few
SELECT roi_percent(sum(credited_revenue), sum(total_cost)::float8)
FROM bi_channel_roi_monthly WHERE kind = 'organic social' AND month > date '2026-01-01';

-- page: mmm
-- label: Next quarter: expected revenue gain (EUR)
-- wrong: the optimum without the channels' bounds (three channels cut to
-- nothing, one tripled: far outside the spend the data has seen)
SELECT 13 * sum(o.optimal_kpi - o.current_kpi)
FROM mmm_models AS m,
     mmm_optimize(m.model, (SELECT sum(cost)::float8 / count(DISTINCT week) FROM weekly_marketing
                            WHERE week <= (SELECT max(week) - 8 * 7 FROM weekly_revenue))) AS o
WHERE m.scope = 'brand';
