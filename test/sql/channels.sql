-- Raw hits -> channels: GA4's source list as shipped, a tour of hits, the
-- extension moved to another schema, parallel workers.  Detailed assertions
-- (every rule, decoding edge and host form) are in test/pgtap/channels.sql.

-- Every row of GA4's source-category list (the CSV kept in the repository)
-- maps to its category, in its own spelling, upper case and lower case.
-- Expected counts, from the CSV with cut/sort/uniq -c: 819 rows = 592 social
-- + 129 search + 46 video + 52 shopping.
CREATE TEMP TABLE ga4_csv (source text, source_category text);
\copy ga4_csv FROM 'data/ga4_source_categories.csv' WITH (FORMAT csv, HEADER true)
SELECT lower(substr(source_category, 17)) AS category, count(*) AS sources,
       count(*) FILTER (WHERE source_category(source) = lower(substr(source_category, 17))) AS as_listed,
       count(*) FILTER (WHERE source_category(upper(source)) = lower(substr(source_category, 17))) AS upper_case,
       count(*) FILTER (WHERE source_category(lower(source)) = lower(substr(source_category, 17))) AS lower_case,
       count(*) FILTER (WHERE is_social(source) = (source_category = 'SOURCE_CATEGORY_SOCIAL')) AS is_social_agrees
FROM ga4_csv
GROUP BY 1 ORDER BY 1;
-- names one character longer or shorter than a listed name are not listed
-- (unless that name is itself in the list): expect 0 false hits
SELECT count(*) AS false_hits
FROM ga4_csv c
CROSS JOIN LATERAL (VALUES (c.source || 'x'), (left(c.source, -1)), ('x' || c.source)) AS v(name)
WHERE source_category(v.name) IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM ga4_csv d WHERE lower(d.source) = lower(v.name));

-- A tour: landing URL + referrer -> traffic source -> channel group.
-- Expected groups by hand from doc/channels.md (see the comment per row).
SELECT t.hit, (s).source, (s).medium, (s).campaign, channel_group(s) AS channel_group
FROM (VALUES
    (1, 'https://shop.example/?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring', 'https://l.facebook.com/'),
        -- UTM wins; facebook is social, paid_social starts with paid -> Paid Social
    (2, 'https://shop.example/p/42?gclid=Cj0KCQ', 'https://www.google.com/'),
        -- gclid -> google / cpc; google is search, cpc is paid -> Paid Search
    (3, 'https://shop.example/', 'https://www.google.nl/'),
        -- search engine -> google / organic -> Organic Search
    (4, 'https://shop.example/', 'https://m.facebook.com/'),
        -- m.facebook.com / referral; m.facebook.com is listed as social -> Organic Social
    (5, 'https://shop.example/', 'https://www.youtube.com/watch?v=x'),
        -- youtube.com / referral; listed as video -> Organic Video
    (6, 'https://shop.example/', 'https://blog.example.org/post'),
        -- blog.example.org / referral -> Referral
    (7, 'https://shop.example/', NULL),
        -- (direct) / (none) -> Direct
    (8, 'https://shop.example/?utm_source=newsletter&utm_medium=email&utm_campaign=black-shop', NULL),
        -- campaign "black-shop" is a shop campaign (rule 9) before Email (14) -> Organic Shopping
    (9, 'https://shop.example/?utm_source=partner&utm_medium=affiliate', 'https://partner.example/'),
        -- UTM wins -> Affiliates
    (10, 'https://shop.example/?utm_source=crm&utm_medium=sms', NULL)
        -- medium sms -> SMS
) AS t(hit, url, referrer)
CROSS JOIN LATERAL (SELECT traffic_source(t.url, t.referrer) AS s) AS ts
ORDER BY t.hit;

-- utm() as a row
SELECT * FROM utm('https://shop.example/?utm_source=Face%20Book&UTM_MEDIUM=paid+social&utm_campaign=%C3%A9t%C3%A9&utm_term=%ZZ&fbclid=abc#utm_id=7');

-- Moved to another schema the functions still work: they find their row
-- types through the call, not by name (rolled back afterwards).
BEGIN;
CREATE SCHEMA socroi_moved;
ALTER EXTENSION socroi SET SCHEMA socroi_moved;
SET LOCAL search_path = pg_catalog;
SELECT socroi_moved.traffic_source('https://x.example/?gclid=1', NULL) AS ts,
       socroi_moved.channel_group(socroi_moved.traffic_source('https://x.example/', 'https://t.co/')) AS cg,
       (socroi_moved.utm('/?utm_source=a&gclid=b')).click_id AS click,
       socroi_moved.source_category('Vimeo') AS cat;
ROLLBACK;

-- Parallel workers give the same channel mix as a serial scan.  By hand, per
-- 20 consecutive hit ids (i mod 4 picks the URL, i mod 5 the referrer):
-- i%4=0 fb/cpc -> Paid Social 5; i%4=1 gclid -> Paid Search 5; of the other
-- 10, referrer google.de 2 -> Organic Search, m.facebook.com 2 -> Organic
-- Social, NULL 2 + own shop.example 2 -> Direct 4, news.example 2 -> Referral.
-- Times 1000: 5000, 5000, 2000, 2000, 4000, 2000.
CREATE TEMP TABLE tour_hits AS
SELECT i AS hit_id,
       'https://shop.example/' || CASE i % 4 WHEN 0 THEN '?utm_source=fb&utm_medium=cpc'
                                           WHEN 1 THEN '?gclid=' || i ELSE '' END AS url,
       (ARRAY['https://www.google.de/', 'https://m.facebook.com/', NULL, 'https://news.example/',
              'https://shop.example/cart'])[1 + i % 5] AS referrer
FROM generate_series(1, 20000) AS i;
ANALYZE tour_hits;
CREATE TEMP TABLE serial_mix AS
SELECT channel_group(traffic_source(url, referrer, '{shop.example}')) AS cg, count(*) AS n
FROM tour_hits GROUP BY 1;
-- temporary tables are not scanned by parallel workers: use a real one
CREATE TABLE channels_parallel_hits AS SELECT * FROM tour_hits;
ANALYZE channels_parallel_hits;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
-- the workers' scans compute the channel group (their Output)
EXPLAIN (COSTS OFF, VERBOSE)
SELECT channel_group(traffic_source(url, referrer, '{shop.example}')), count(*)
FROM channels_parallel_hits GROUP BY 1;
SELECT p.cg, p.n, s.n AS serial_n, p.n = s.n AS same
FROM (SELECT channel_group(traffic_source(url, referrer, '{shop.example}')) AS cg, count(*) AS n
      FROM channels_parallel_hits GROUP BY 1) AS p
FULL JOIN serial_mix s USING (cg)
ORDER BY 1;
RESET ALL;
DROP TABLE channels_parallel_hits;
