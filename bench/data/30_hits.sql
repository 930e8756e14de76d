-- Bench data for channels: 1,000,000 page views with landing URLs and
-- referrers in a realistic mix (UTM-tagged, Google Ads auto-tagged, other
-- click ids, plain), and GA4's source-category table loaded from the CSV for
-- the plain-SQL version of the rules.  Deterministic (setseed).
SELECT setseed(0.3);

CREATE TABLE ga4_categories (source text, source_category text);
\copy ga4_categories FROM 'data/ga4_source_categories.csv' WITH (FORMAT csv, HEADER true)
ALTER TABLE ga4_categories ADD COLUMN source_lower text;
UPDATE ga4_categories SET source_lower = lower(source);
CREATE UNIQUE INDEX ON ga4_categories (source_lower);

CREATE TABLE bench_hits (
    hit_id   bigint PRIMARY KEY,
    url      text NOT NULL,
    referrer text
);
INSERT INTO bench_hits
SELECT i,
       'https://shop.example/' || (ARRAY['', 'p/1042', 'c/shoes', 'blog/how-to-choose', 'sale'])[1 + (i % 5)]
       || CASE
            WHEN r.u < 0.25 THEN
                '?utm_source=' || (ARRAY['facebook', 'instagram', 'google', 'newsletter', 'tiktok', 'linkedin',
                                         'bing', 'partner', 'youtube', 'alibaba', 'Facebook', 'crm'])[1 + floor(r.a * 12)::int]
                || '&utm_medium=' || (ARRAY['cpc', 'paid_social', 'email', 'social', 'display', 'affiliate',
                                            'referral', 'organic', 'cpm', 'video', 'sms', 'push'])[1 + floor(r.b * 12)::int]
                || '&utm_campaign=' || (ARRAY['spring_sale', 'brand', 'shopping_q3', 'cross-network-pmax',
                                              'retargeting', 'launch', 'workshop'])[1 + floor(r.c * 7)::int]
                || CASE WHEN r.a < 0.3 THEN '&utm_content=video1&fbclid=IwAR' || i ELSE '' END
            WHEN r.u < 0.35 THEN '?gclid=Cj0KCQjw' || i || '&utm_campaign=brand'
            WHEN r.u < 0.40 THEN (ARRAY['?fbclid=IwAR', '?msclkid=', '?ttclid='])[1 + floor(r.a * 3)::int] || i
            WHEN r.u < 0.55 THEN '?page=' || (i % 7) || '&sort=price'
            ELSE ''
          END,
       CASE
         WHEN r.v < 0.30 THEN NULL
         WHEN r.v < 0.33 THEN ''
         WHEN r.v < 0.55 THEN (ARRAY['https://www.google.com/', 'https://www.google.de/', 'https://www.google.co.uk/',
                                     'https://www.bing.com/', 'https://duckduckgo.com/', 'https://search.yahoo.com/',
                                     'https://yandex.ru/', 'https://www.baidu.com/', 'https://www.ecosia.org/'])[1 + floor(r.b * 9)::int]
         WHEN r.v < 0.75 THEN (ARRAY['https://m.facebook.com/', 'https://l.facebook.com/l.php?u=x', 'https://t.co/abc',
                                     'https://l.instagram.com/', 'https://www.linkedin.com/feed/', 'https://www.youtube.com/watch?v=1',
                                     'https://out.reddit.com/t3_x', 'https://www.pinterest.com/pin/1/'])[1 + floor(r.c * 8)::int]
         WHEN r.v < 0.90 THEN 'https://' || (ARRAY['news.example.org/article/', 'blog.somewhere.net/post/', 'www.partner-',
                                                   'forum.example.com/t/'])[1 + floor(r.a * 4)::int] || (i % 977)
                              || CASE WHEN r.a >= 0.5 AND r.a < 0.75 THEN '.example.com/' ELSE '' END
         ELSE 'https://shop.example/c/shoes?page=' || (i % 9)
       END
FROM generate_series(1, 1000000) AS i
CROSS JOIN LATERAL (SELECT random() AS u, random() AS v, random() AS a, random() AS b, random() AS c,
                           i AS dummy) AS r;
ANALYZE bench_hits;
ANALYZE ga4_categories;
