-- Raw hits -> GA4 channel groups over 1,000,000 page views (bench/data/30_hits.sql).
-- socroi: channel_group(traffic_source(url, referrer)) in C.  Plain SQL: the
-- same rules (doc/channels.md) as CASE expressions with ~* regexes and a join
-- to GA4's category table loaded from the CSV (without percent-decoding,
-- which plain SQL cannot do; the bench data has no escapes, so both give the
-- same channel mix: checked, 17 groups, equal counts).  The CTEs are
-- MATERIALIZED so each regex runs once per row: inlined, PostgreSQL repeats
-- every extraction at each use and the plain query takes 10x longer.  Serial
-- plans, so the ratio is per-row speed.

-- case: channels_scan_floor
-- set: max_parallel_workers_per_gather = 0
SELECT sum(length(url) + coalesce(length(referrer), 0)) FROM bench_hits;

-- case: channels_plain_sql
-- set: max_parallel_workers_per_gather = 0
WITH parsed AS MATERIALIZED (
    SELECT nullif(substring(h.url from '(?i)[?&]utm_source=([^&#]*)'), '') AS utm_source,
           nullif(substring(h.url from '(?i)[?&]utm_medium=([^&#]*)'), '') AS utm_medium,
           nullif(substring(h.url from '(?i)[?&]utm_campaign=([^&#]*)'), '') AS utm_campaign,
           h.url ~* '[?&](gclid|gbraid|wbraid)=[^&#]' AS google_ads,
           regexp_replace(lower(substring(h.referrer
                  from '^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//(?:[^@/?#]*@)?([^:/?#]+)')), '^www\.', '') AS host
    FROM bench_hits h
), sourced AS MATERIALIZED (
    SELECT CASE WHEN utm_source IS NOT NULL OR utm_medium IS NOT NULL THEN utm_source
                WHEN google_ads THEN 'google'
                WHEN host IS NULL OR host = '' THEN '(direct)'
                ELSE coalesce(engine, host) END AS source,
           CASE WHEN utm_source IS NOT NULL OR utm_medium IS NOT NULL THEN utm_medium
                WHEN google_ads THEN 'cpc'
                WHEN host IS NULL OR host = '' THEN '(none)'
                WHEN engine IS NOT NULL THEN 'organic'
                ELSE 'referral' END AS medium,
           CASE WHEN utm_source IS NOT NULL OR utm_medium IS NOT NULL OR google_ads
                THEN utm_campaign END AS campaign
    FROM parsed
    CROSS JOIN LATERAL (SELECT CASE
               WHEN host ~ '^google\.[a-z]{2,3}(\.[a-z]{2})?$' THEN 'google'
               WHEN host ~ '(^|\.)bing\.com$' THEN 'bing'
               WHEN host ~ '(^|\.)duckduckgo\.com$' THEN 'duckduckgo'
               WHEN host ~ '^((.*\.)?search\.)?yahoo\.[a-z]{2,3}(\.[a-z]{2})?$' THEN 'yahoo'
               WHEN host ~ '^(m\.)?(yandex|ya)\.[a-z]{2,3}(\.[a-z]{2})?$' THEN 'yandex'
               WHEN host ~ '^(m\.)?baidu\.com$' THEN 'baidu'
               WHEN host ~ '(^|\.)ecosia\.org$' THEN 'ecosia'
             END AS engine) AS e
), normalized AS (
    SELECT coalesce(nullif(s.source, ''), '(direct)') AS src,
           coalesce(nullif(s.medium, ''), '(none)') AS med,
           s.campaign AS camp
    FROM sourced s
)
SELECT CASE
         WHEN n.src ~* '^\(direct\)$' AND n.med ~* '^\((not set|none)\)$' THEN 'Direct'
         WHEN n.camp ~* 'cross-network' THEN 'Cross-network'
         WHEN (k.source_category = 'SOURCE_CATEGORY_SHOPPING'
               OR n.camp ~* '^(.*(([^a-df-z]|^)shop|shopping).*)$')
              AND n.med ~* '^(.*cp.*|ppc|retargeting|paid.*)$' THEN 'Paid Shopping'
         WHEN k.source_category = 'SOURCE_CATEGORY_SEARCH'
              AND n.med ~* '^(.*cp.*|ppc|retargeting|paid.*)$' THEN 'Paid Search'
         WHEN k.source_category = 'SOURCE_CATEGORY_SOCIAL'
              AND n.med ~* '^(.*cp.*|ppc|retargeting|paid.*)$' THEN 'Paid Social'
         WHEN k.source_category = 'SOURCE_CATEGORY_VIDEO'
              AND n.med ~* '^(.*cp.*|ppc|retargeting|paid.*)$' THEN 'Paid Video'
         WHEN n.med ~* '^(display|banner|expandable|interstitial|cpm)$' THEN 'Display'
         WHEN n.med ~* '^(.*cp.*|ppc|retargeting|paid.*)$' THEN 'Paid Other'
         WHEN k.source_category = 'SOURCE_CATEGORY_SHOPPING'
              OR n.camp ~* '^(.*(([^a-df-z]|^)shop|shopping).*)$' THEN 'Organic Shopping'
         WHEN k.source_category = 'SOURCE_CATEGORY_SOCIAL'
              OR n.med ~* '^(social|social-network|social-media|sm|social network|social media)$'
              THEN 'Organic Social'
         WHEN k.source_category = 'SOURCE_CATEGORY_VIDEO' OR n.med ~* '^(.*video.*)$' THEN 'Organic Video'
         WHEN k.source_category = 'SOURCE_CATEGORY_SEARCH' OR n.med ~* '^organic$' THEN 'Organic Search'
         WHEN n.med ~* '^(referral|app|link)$' THEN 'Referral'
         WHEN n.src ~* '^(email|e-mail|e_mail|e mail)$'
              OR n.med ~* '^(email|e-mail|e_mail|e mail)$' THEN 'Email'
         WHEN n.med ~* '^affiliate$' THEN 'Affiliates'
         WHEN n.med ~* '^audio$' THEN 'Audio'
         WHEN n.src ~* '^sms$' OR n.med ~* '^sms$' THEN 'SMS'
         WHEN n.med ~* '(push$|mobile|notification)' OR n.src ~* '^firebase$'
              THEN 'Mobile Push Notifications'
         ELSE 'Unassigned'
       END AS channel,
       count(*)
FROM normalized n
LEFT JOIN ga4_categories k ON k.source_lower = lower(n.src)
GROUP BY 1;

-- case: channels_socroi
-- floor: channels_scan_floor
-- compare: channels_plain_sql
-- set: max_parallel_workers_per_gather = 0
SELECT channel_group(traffic_source(url, referrer)) AS channel, count(*)
FROM bench_hits GROUP BY 1;

-- case: channels_socroi_own_hosts
-- floor: channels_scan_floor
-- set: max_parallel_workers_per_gather = 0
SELECT channel_group(traffic_source(url, referrer, '{shop.example}')) AS channel, count(*)
FROM bench_hits GROUP BY 1;

-- case: channels_utm
-- floor: channels_scan_floor
-- set: max_parallel_workers_per_gather = 0
SELECT count((utm(url)).click_id) FROM bench_hits;

