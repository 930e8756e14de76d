-- pgTAP: raw hits -> channels (doc/channels.md).
-- Every expected value is derived by hand from the spec, the URL standard or
-- GA4's published rules; the derivation is in the comment or the test name.
BEGIN;
\ir lib/helpers.psql
SELECT plan(245);

-- ========== channel_group: the 30 vectors of dbt-ga4's unit test ==========
-- Source: Velir/dbt-ga4, unit_tests/test_macro_default_channel_grouping.py
-- (traffic_data_with_expected_channels).  Its CSV seed turns empty cells into
-- NULL; we pass NULL for them.  One deliberate difference: alibaba / (empty)
-- is Organic Shopping here (dbt-ga4 expects Paid Shopping, but an empty
-- medium reads as (none), which is not "paid" -- doc/channels.md says so).
SELECT is(channel_group(s, m, c), expected, format('dbt-ga4: %s / %s / %s -> %s', s, m, c, expected))
FROM (VALUES
    (1,  '(direct)',        '(none)',              NULL,                          'Direct'),
    (2,  '(direct)',        '(not set)',           NULL,                          'Direct'),
    (3,  'some-source',     'some-medium',         'some-cross-network-campaign', 'Cross-network'),
    (4,  'some-source',     'some-medium',         'cross-network',               'Cross-network'),
    (5,  'alibaba',         NULL,                  NULL,                          'Organic Shopping'),
    (6,  'some-source',     'retargeting',         'shopping',                    'Paid Shopping'),
    (7,  'google',          'ppc',                 NULL,                          'Paid Search'),
    (8,  'facebook',        'retargeting',         NULL,                          'Paid Social'),
    (9,  'youtube.com',     'paid-something',      NULL,                          'Paid Video'),
    (10, 'youtube.com',     'display',             NULL,                          'Display'),
    (11, 'some-source',     'cpc',                 NULL,                          'Paid Other'),
    (12, 'Google Shopping', NULL,                  NULL,                          'Organic Shopping'),
    (13, 'some-source',     NULL,                  'some-shopping-campaign',      'Organic Shopping'),
    (14, 'facebook',        NULL,                  NULL,                          'Organic Social'),
    (15, 'some-source',     'social',              NULL,                          'Organic Social'),
    (16, 'youtube.com',     NULL,                  NULL,                          'Organic Video'),
    (17, 'some-source',     'video',               NULL,                          'Organic Video'),
    (18, 'bing',            NULL,                  NULL,                          'Organic Search'),
    (19, 'some-source',     'organic',             NULL,                          'Organic Search'),
    (20, 'some-source',     'referral',            NULL,                          'Referral'),
    (21, 'email',           NULL,                  NULL,                          'Email'),
    (22, NULL,              'e mail',              NULL,                          'Email'),
    (23, 'some-source',     'affiliate',           NULL,                          'Affiliates'),
    (24, 'some-source',     'audio',               NULL,                          'Audio'),
    (25, 'sms',             NULL,                  NULL,                          'SMS'),
    (26, NULL,              'sms',                 NULL,                          'SMS'),
    (27, 'some-source',     'something-push',      NULL,                          'Mobile Push Notifications'),
    (28, 'some-source',     'mobile-notification', NULL,                          'Mobile Push Notifications'),
    (29, 'firebase',        NULL,                  NULL,                          'Mobile Push Notifications'),
    (30, 'some-source',     'some-medium',         'some-campaign',               'Unassigned')
) AS v(n, s, m, c, expected)
ORDER BY n;

-- ========== the check vectors of doc/channels.md (empty = '' and NULL) ==========
SELECT is(channel_group('facebook', 'retargeting'), 'Paid Social', 'spec: facebook / retargeting');
SELECT is(channel_group('youtube.com', 'display'), 'Display', 'spec: youtube.com / display');
SELECT is(channel_group('some-source', 'cpc'), 'Paid Other', 'spec: some-source / cpc');
SELECT is(channel_group('Google Shopping', ''), 'Organic Shopping', 'spec: Google Shopping / empty');
SELECT is(channel_group('Google Shopping', NULL), 'Organic Shopping', 'spec: Google Shopping / NULL');
SELECT is(channel_group('alibaba', ''), 'Organic Shopping', 'spec: alibaba / empty');
SELECT is(channel_group('', 'e mail'), 'Email', 'spec: empty / e mail');
SELECT is(channel_group('firebase', ''), 'Mobile Push Notifications', 'spec: firebase / empty');

-- ========== rule order: an input matching rule k and a later rule gets k ==========
-- (direct)/(none) with a cross-network campaign: rules 1 and 2
SELECT is(channel_group('(direct)', '(none)', 'cross-network'), 'Direct', 'order 1 < 2: Direct before Cross-network');
-- alibaba (shopping) / cpc (paid), cross-network campaign: rules 2 and 3
SELECT is(channel_group('alibaba', 'cpc', 'cross-network'), 'Cross-network', 'order 2 < 3: Cross-network before Paid Shopping');
-- google (search) / cpc with a shopping campaign: rules 3 and 4
SELECT is(channel_group('google', 'cpc', 'shopping'), 'Paid Shopping', 'order 3 < 4: Paid Shopping before Paid Search');
-- google / cpm: cpm contains "cp" (paid) and is a display medium: rules 4, 7, 8, 12
SELECT is(channel_group('google', 'cpm'), 'Paid Search', 'order 4 < 7: Paid Search before Display');
-- facebook (social) / cpm: rules 5, 7, 8, 10
SELECT is(channel_group('facebook', 'cpm'), 'Paid Social', 'order 5 < 7: Paid Social before Display');
-- youtube (video) / cpm: rules 6, 7, 8, 11
SELECT is(channel_group('youtube', 'cpm'), 'Paid Video', 'order 6 < 7: Paid Video before Display');
-- some-source / cpm: rules 7 and 8
SELECT is(channel_group('some-source', 'cpm'), 'Display', 'order 7 < 8: Display before Paid Other');
-- some-source / video-cpc: contains "cp" (8) and "video" (11)
SELECT is(channel_group('some-source', 'video-cpc'), 'Paid Other', 'order 8 < 11: Paid Other before Organic Video');
-- alibaba (shopping) / social: rules 9 and 10
SELECT is(channel_group('alibaba', 'social'), 'Organic Shopping', 'order 9 < 10: Organic Shopping before Organic Social');
-- facebook (social) / video: rules 10 and 11
SELECT is(channel_group('facebook', 'video'), 'Organic Social', 'order 10 < 11: Organic Social before Organic Video');
-- youtube (video) / organic: rules 11 and 12
SELECT is(channel_group('youtube', 'organic'), 'Organic Video', 'order 11 < 12: Organic Video before Organic Search');
-- google (search) / referral: rules 12 and 13
SELECT is(channel_group('google', 'referral'), 'Organic Search', 'order 12 < 13: Organic Search before Referral');
-- email / referral: rules 13 and 14
SELECT is(channel_group('email', 'referral'), 'Referral', 'order 13 < 14: Referral before Email');
-- email / affiliate: rules 14 and 15
SELECT is(channel_group('email', 'affiliate'), 'Email', 'order 14 < 15: Email before Affiliates');
-- sms / affiliate: rules 15 and 17
SELECT is(channel_group('sms', 'affiliate'), 'Affiliates', 'order 15 < 17: Affiliates before SMS');
-- sms / audio: rules 16 and 17
SELECT is(channel_group('sms', 'audio'), 'Audio', 'order 16 < 17: Audio before SMS');
-- sms / web-push: rules 17 and 18
SELECT is(channel_group('sms', 'web-push'), 'SMS', 'order 17 < 18: SMS before Mobile Push Notifications');
-- firebase / something: rule 18, nothing else
SELECT is(channel_group('firebase', 'something'), 'Mobile Push Notifications', 'rule 18 before Unassigned');
-- rule 1 needs both parts: (direct) with a paid medium is Paid Other
SELECT is(channel_group('(direct)', 'cpc'), 'Paid Other', 'Direct needs medium (none) or (not set)');

-- ========== case-insensitivity, NULL and empty ==========
SELECT is(channel_group('FaceBook', 'CPC'), 'Paid Social', 'source and medium are case-insensitive');
SELECT is(channel_group('(DIRECT)', '(Not Set)'), 'Direct', '(direct) / (not set) in any case');
SELECT is(channel_group('some-source', 'x', 'Big CROSS-NETWORK push'), 'Cross-network', 'campaign is case-insensitive');
SELECT is(channel_group(NULL, NULL), 'Direct', 'NULL source / NULL medium read as (direct) / (none)');
SELECT is(channel_group('', '', ''), 'Direct', 'empty source / medium read as (direct) / (none)');
SELECT is(channel_group(NULL, 'organic'), 'Organic Search', 'NULL source with medium organic');
SELECT is(channel_group('newsletter', 'E-Mail'), 'Email', 'medium E-Mail');
SELECT is(channel_group('x', 'Social Media'), 'Organic Social', 'medium "Social Media"');

-- ========== the "paid" and "shop campaign" matchers, edge by edge ==========
-- paid = ^(.*cp.*|ppc|retargeting|paid.*)$
SELECT is(channel_group('x', 'ppc'), 'Paid Other', 'paid: ppc exactly');
SELECT is(channel_group('x', 'ppcx'), 'Unassigned', 'paid: ppcx is neither ppc nor contains cp');
SELECT is(channel_group('x', 'xppc'), 'Unassigned', 'paid: xppc has "pc", not "cp"');
SELECT is(channel_group('x', 'retargeting2'), 'Unassigned', 'paid: retargeting must be the whole medium');
SELECT is(channel_group('x', 'Paid_Social'), 'Paid Other', 'paid: starts with paid');
SELECT is(channel_group('x', 'unpaid'), 'Unassigned', 'paid: unpaid does not start with paid');
SELECT is(channel_group('x', 'cpv'), 'Paid Other', 'paid: contains cp');
-- shop campaign = ^(.*(([^a-df-z]|^)shop|shopping).*)$
SELECT is(channel_group('x', 'x', 'shop-summer'), 'Organic Shopping', 'shop at the start');
SELECT is(channel_group('x', 'x', 'eshop'), 'Organic Shopping', 'shop after e ([^a-df-z] allows e)');
SELECT is(channel_group('x', 'x', 'ESHOP'), 'Organic Shopping', 'shop after E, case-insensitive');
SELECT is(channel_group('x', 'x', 'black-shop'), 'Organic Shopping', 'shop after a non-letter');
SELECT is(channel_group('x', 'x', 'workshop'), 'Unassigned', 'shop after k does not count');
SELECT is(channel_group('x', 'x', 'Workshopping'), 'Organic Shopping', 'shopping counts anywhere');
SELECT is(channel_group('x', 'x', 'déshop'), 'Organic Shopping', 'shop after a non-ASCII letter (not in a-d, f-z)');
SELECT is(channel_group('x', 'x', 'sho'), 'Unassigned', 'a prefix of shop is not shop');
-- other medium matchers
SELECT is(channel_group('x', 'myvideo-ad'), 'Organic Video', 'medium contains video');
SELECT is(channel_group('x', 'app'), 'Referral', 'medium app is Referral');
SELECT is(channel_group('x', 'WebPush'), 'Mobile Push Notifications', 'medium ends with push');
SELECT is(channel_group('x', 'push-x'), 'Unassigned', 'push must end the medium');
SELECT is(channel_group('x', 'in-app-Notifications'), 'Mobile Push Notifications', 'medium contains notification');

-- ========== channel_group against GA4's regular expressions ==========
-- An independent implementation: the rules written literally with PostgreSQL's
-- ~* and a join to the category table loaded from the CSV, compared on a grid
-- of sources x mediums x campaigns that hits every rule and edge above.
CREATE TEMP TABLE ga4_categories (source text, source_category text);
\copy ga4_categories FROM 'data/ga4_source_categories.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE grid AS
SELECT s, m, c
FROM unnest(ARRAY[NULL, '', '(direct)', '(Direct)', 'google', 'Google', 'bing', 'facebook',
                  'FaceBook.com', 'm.facebook.com', 'youtube.com', 'YouTube', 'alibaba',
                  'Google Shopping', 'email', 'E-mail', 'e mail', 'sms', 'SMS', 'firebase',
                  'some-source', 'newsletter']) AS s
CROSS JOIN unnest(ARRAY[NULL, '', '(none)', '(not set)', '(NONE)', 'cpc', 'CPC', 'ppc', 'xppc',
                  'ppcx', 'retargeting', 'Retargeting', 'paid-x', 'Paid', 'unpaid', 'cpm',
                  'display', 'Banner', 'expandable', 'interstitial', 'social', 'Social Media',
                  'social network', 'sm', 'video', 'my-video', 'organic', 'Organic', 'referral',
                  'app', 'link', 'email', 'e_mail', 'affiliate', 'audio', 'sms', 'web-push',
                  'PUSH', 'push-x', 'mobile', 'notification', 'Notifications', 'other',
                  E'a\ncp', 'video-cpc']) AS m
CROSS JOIN unnest(ARRAY[NULL, '', 'cross-network', 'x-Cross-Network', 'shop', 'eshop', 'Eshop',
                  'workshop', 'workshopping', 'black-shop', 'Xshop', '1shop', 'éshop',
                  'summer']) AS c;
CREATE TEMP VIEW grid_regex AS
SELECT g.s, g.m, g.c, channel_group(g.s, g.m, g.c) AS got,
       CASE
         WHEN n.src ~* '^\(direct\)$' AND n.med ~* '^\((not set|none)\)$' THEN 'Direct'
         WHEN g.c ~* 'cross-network' THEN 'Cross-network'
         WHEN (k.source_category = 'SOURCE_CATEGORY_SHOPPING'
               OR g.c ~* '^(.*(([^a-df-z]|^)shop|shopping).*)$')
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
              OR g.c ~* '^(.*(([^a-df-z]|^)shop|shopping).*)$' THEN 'Organic Shopping'
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
       END AS expected
FROM grid g
CROSS JOIN LATERAL (SELECT coalesce(nullif(g.s, ''), '(direct)') AS src,
                           coalesce(nullif(g.m, ''), '(none)') AS med) AS n
LEFT JOIN ga4_categories k ON lower(k.source) = lower(n.src);
SELECT is((SELECT count(*) FROM grid), 22::bigint * 45 * 14, 'grid: 22 sources x 45 mediums x 14 campaigns');
SELECT is((SELECT count(*) FROM grid_regex WHERE got IS DISTINCT FROM expected), 0::bigint,
          'channel_group equals GA4''s rules written as ~* regexes on every grid input');
SELECT is((SELECT count(DISTINCT got) FROM grid_regex), 19::bigint,
          'the grid reaches all 18 channel groups and Unassigned');
-- the row overload gives the same answer as the three-argument form
SELECT is((SELECT count(*) FROM grid
           WHERE channel_group(ROW(s, m, c)::traffic_source) IS DISTINCT FROM channel_group(s, m, c)),
          0::bigint, 'channel_group(traffic_source) = channel_group(source, medium, campaign)');
SELECT is(channel_group(NULL::traffic_source), NULL, 'channel_group(traffic_source) is strict');

-- ========== source_category and is_social ==========
SELECT is(source_category(s), expected, format('source_category(%L) = %s', s, coalesce(expected, 'NULL')))
FROM (VALUES
    ('facebook', 'social'), ('FACEBOOK', 'social'), ('m.facebook.com', 'social'),
    ('Instagram.com', 'social'), ('t.co', 'social'), ('Hatena', 'social'), ('hatena', 'social'),
    ('google+', 'social'),
    ('google', 'search'), ('Bing', 'search'), ('Yahoo.co.jp', 'search'), ('360.cn', 'search'),
    ('DuckDuckGo', 'search'),
    ('youtube', 'video'), ('YouTube.com', 'video'), ('netflix', 'video'), ('m.twitch.tv', 'video'),
    ('Google Shopping', 'shopping'), ('google shopping', 'shopping'), ('IGShopping', 'shopping'),
    ('igshopping', 'shopping'), ('alibaba', 'shopping'), ('EBAY.com.au', 'shopping'),
    -- not listed: near misses, spaces, empty
    ('facebook.co', NULL), ('faceboo', NULL), ('facebookx', NULL), (' facebook', NULL),
    ('googleshopping', NULL), ('', NULL), ('some-source', NULL), ('(direct)', NULL),
    ('a-source-name-longer-than-any-listed-one.example', NULL)
) AS v(s, expected);
SELECT is(source_category(NULL), NULL, 'source_category is strict');
SELECT ok(is_social('M.Facebook.Com'), 'is_social: m.facebook.com in any case');
SELECT ok(NOT is_social('youtube.com'), 'is_social: video is not social');
SELECT ok(NOT is_social('example.com'), 'is_social: unlisted source');
SELECT is(is_social(NULL), NULL, 'is_social is strict');

-- ========== utm(): decoding ==========
-- '+' and %20 are spaces (application/x-www-form-urlencoded)
SELECT is((utm('https://shop.example/?utm_source=news+letter&utm_medium=e%20mail')).source, 'news letter', 'utm: + is a space');
SELECT is((utm('https://shop.example/?utm_source=news+letter&utm_medium=e%20mail')).medium, 'e mail', 'utm: %20 is a space');
-- UTF-8 escapes: é = U+00E9 = C3 A9; € = U+20AC = E2 82 AC; U+1F600 = F0 9F 98 80
SELECT is((utm('/?utm_campaign=%C3%A9t%C3%A9')).campaign, 'été', 'utm: two-byte UTF-8 escapes');
SELECT is((utm('/?utm_campaign=%c3%a9t%c3%a9')).campaign, 'été', 'utm: lower-case hex digits');
SELECT is((utm('/?utm_term=5%E2%82%AC')).term, '5€', 'utm: three-byte UTF-8 escape');
SELECT is((utm('/?utm_term=%F0%9F%98%80')).term, U&'\+01F600', 'utm: four-byte UTF-8 escape');
SELECT is((utm('/?utm_content=caf%C3%A9%2Bbar%26baz%3D1')).content, 'café+bar&baz=1', 'utm: escaped + & = decode to themselves');
SELECT is((utm('/?utm_term=déjà+vu')).term, 'déjà vu', 'utm: raw non-ASCII characters are kept');
-- malformed escapes are kept literally
SELECT is((utm('/?utm_source=100%')).source, '100%', 'utm: % at the end is kept');
SELECT is((utm('/?utm_source=%4')).source, '%4', 'utm: % with one hex digit is kept');
SELECT is((utm('/?utm_source=%ZZtop')).source, '%ZZtop', 'utm: % with non-hex digits is kept');
SELECT is((utm('/?utm_source=%%41')).source, '%A', 'utm: a lone % then a valid escape');
-- bytes that would not be valid UTF-8 keep their escapes
SELECT is((utm('/?utm_source=%C3')).source, '%C3', 'utm: truncated UTF-8 sequence kept');
SELECT is((utm('/?utm_source=%C3%28')).source, '%C3(', 'utm: lead byte + non-continuation kept, %28 decodes');
SELECT is((utm('/?utm_source=%A9')).source, '%A9', 'utm: lone continuation byte kept');
SELECT is((utm('/?utm_source=%C0%AF')).source, '%C0%AF', 'utm: overlong encoding kept');
SELECT is((utm('/?utm_source=%ED%A0%80')).source, '%ED%A0%80', 'utm: UTF-16 surrogate (U+D800) kept');
SELECT is((utm('/?utm_source=%F4%90%80%80')).source, '%F4%90%80%80', 'utm: beyond U+10FFFF kept');
SELECT is((utm('/?utm_source=a%00b')).source, 'a%00b', 'utm: %00 kept (text holds no NUL)');
SELECT is((utm('/?utm_source=%E2%82')).source, '%E2%82', 'utm: three-byte sequence cut short kept');

-- ========== utm(): structure ==========
SELECT is((utm('/?utm_source=first&utm_source=second')).source, 'first', 'utm: duplicate keys, first wins');
SELECT is((utm('/?utm_source=&utm_source=second')).source, NULL, 'utm: the first occurrence wins even when empty');
SELECT is((utm('/?UTM_SOURCE=Up&Utm_Medium=Mixed')).source, 'Up', 'utm: upper-case key');
SELECT is((utm('/?UTM_SOURCE=Up&Utm_Medium=Mixed')).medium, 'Mixed', 'utm: mixed-case key, value case kept');
SELECT is((utm('/?utm%5Fsource=enc')).source, 'enc', 'utm: keys are form-decoded too');
SELECT is((utm('/?utm_source=a#utm_medium=b')).source, 'a', 'utm: query ends at #');
SELECT is((utm('/?utm_source=a#utm_medium=b')).medium, NULL, 'utm: parameters in the fragment are ignored');
SELECT is((utm('https://shop.example/#/p?utm_source=a')).source, NULL, 'utm: a ? inside the fragment starts no query');
SELECT is(utm('https://shop.example/landing'),
          ROW(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::utm_params, 'utm: no query string -> all fields NULL');
SELECT is(utm('utm_source=x'),
          ROW(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::utm_params, 'utm: no ? -> no query string');
SELECT is(utm('/?utm_source=&utm_medium&utm_campaign=c'),
          ROW(NULL, NULL, 'c', NULL, NULL, NULL, NULL, NULL)::utm_params, 'utm: empty values and a key without = are NULL');
SELECT is((utm('shop.example/p?utm_source=noscheme')).source, 'noscheme', 'utm: URL without scheme');
SELECT is((utm('?utm_medium=bare')).medium, 'bare', 'utm: a bare query string');
SELECT is((utm('/?utm_campaign=a=b&&utm_term=t')).campaign, 'a=b', 'utm: = inside a value, empty parameter');
SELECT is((utm('/?utm_source=a;utm_medium=b')).source, 'a;utm_medium=b', 'utm: ; is not a separator');
SELECT is((utm(E'/?utm_source=a \t')).source, 'a', 'utm: trailing blanks are not part of the URL');
SELECT is(utm('https://shop.example/?utm_source=fb&utm_medium=paid_social&utm_campaign=spring&utm_term=shoes&utm_content=video1&utm_id=42&utm_source_platform=Meta&fbclid=IwAR'),
          ROW('fb', 'paid_social', 'spring', 'shoes', 'video1', '42', 'Meta', 'fbclid')::utm_params,
          'utm: all eight fields');
SELECT is(utm(NULL), NULL, 'utm is strict');
-- click identifiers: the first one in the URL with a non-empty value
SELECT is((utm('/?fbclid=1&gclid=2')).click_id, 'fbclid', 'click_id: the first click id in the URL');
SELECT is((utm('/?GCLID=abc')).click_id, 'gclid', 'click_id: key case-insensitive, name lower case');
SELECT is((utm('/?gclid=&msclkid=9')).click_id, 'msclkid', 'click_id: an empty gclid identifies no click');
SELECT is((utm('/?x=1&li_fat_id=z')).click_id, 'li_fat_id', 'click_id: li_fat_id');
SELECT is((utm('/?ttclid=t')).click_id, 'ttclid', 'click_id: ttclid');
SELECT is((utm('/?dclid=d&wbraid=w&gbraid=g')).click_id, 'dclid', 'click_id: dclid first');
SELECT is((utm('/?utm_source=x&gclidx=1')).click_id, NULL, 'click_id: gclidx is not gclid');

-- ========== traffic_source() ==========
SELECT is(traffic_source('https://shop.example/?gclid=Cj0K', NULL), ROW('google', 'cpc', NULL)::traffic_source, 'gclid -> google / cpc');
SELECT is(traffic_source('https://shop.example/?gbraid=0AAA', 'https://www.bing.com/'), ROW('google', 'cpc', NULL)::traffic_source, 'gbraid -> google / cpc, beats the referrer');
SELECT is(traffic_source('https://shop.example/?wbraid=x', NULL), ROW('google', 'cpc', NULL)::traffic_source, 'wbraid -> google / cpc');
SELECT is(traffic_source('https://shop.example/?gclid=1&utm_campaign=pmax', NULL), ROW('google', 'cpc', 'pmax')::traffic_source, 'gclid keeps utm_campaign');
SELECT is(traffic_source('https://shop.example/?msclkid=1', NULL), ROW('(direct)', '(none)', NULL)::traffic_source, 'msclkid is not Google Ads: from the referrer');
SELECT is(traffic_source('https://shop.example/?utm_source=newsletter&utm_medium=email&utm_campaign=spring', 'https://www.google.com/'),
          ROW('newsletter', 'email', 'spring')::traffic_source, 'UTM beats the referrer');
SELECT is(traffic_source('https://shop.example/?gclid=1&utm_source=facebook&utm_medium=cpc', NULL),
          ROW('facebook', 'cpc', NULL)::traffic_source, 'UTM beats gclid');
SELECT is(traffic_source('https://shop.example/?utm_medium=cpc', 'https://www.google.com/'),
          ROW(NULL, 'cpc', NULL)::traffic_source, 'utm_medium alone is manual tagging');
SELECT is(traffic_source('https://shop.example/?utm_campaign=only', 'https://www.google.com/'),
          ROW('google', 'organic', NULL)::traffic_source, 'utm_campaign alone is not manual tagging');
SELECT is(traffic_source('https://shop.example/?utm_source=&utm_medium=', 'https://t.co/x'),
          ROW('t.co', 'referral', NULL)::traffic_source, 'empty UTM values are absent');
SELECT is(traffic_source('https://shop.example/', 'https://www.google.nl/'), ROW('google', 'organic', NULL)::traffic_source, 'www.google.nl -> google / organic');
SELECT is(traffic_source('https://shop.example/', 'https://google.co.uk/search?q=x'), ROW('google', 'organic', NULL)::traffic_source, 'google.co.uk -> google');
SELECT is(traffic_source('https://shop.example/', 'https://WWW.GOOGLE.COM.BR/'), ROW('google', 'organic', NULL)::traffic_source, 'WWW.GOOGLE.COM.BR -> google');
SELECT is(traffic_source('https://shop.example/', 'https://www.bing.com/search?q=x'), ROW('bing', 'organic', NULL)::traffic_source, 'bing.com -> bing');
SELECT is(traffic_source('https://shop.example/', 'https://cn.bing.com/'), ROW('bing', 'organic', NULL)::traffic_source, 'cn.bing.com -> bing');
SELECT is(traffic_source('https://shop.example/', 'https://duckduckgo.com/'), ROW('duckduckgo', 'organic', NULL)::traffic_source, 'duckduckgo.com -> duckduckgo');
SELECT is(traffic_source('https://shop.example/', 'https://nl.search.yahoo.com/'), ROW('yahoo', 'organic', NULL)::traffic_source, 'nl.search.yahoo.com -> yahoo');
SELECT is(traffic_source('https://shop.example/', 'https://search.yahoo.co.jp/'), ROW('yahoo', 'organic', NULL)::traffic_source, 'search.yahoo.co.jp -> yahoo');
SELECT is(traffic_source('https://shop.example/', 'https://yandex.ru/search/?text=x'), ROW('yandex', 'organic', NULL)::traffic_source, 'yandex.ru -> yandex');
SELECT is(traffic_source('https://shop.example/', 'https://ya.ru/'), ROW('yandex', 'organic', NULL)::traffic_source, 'ya.ru -> yandex');
SELECT is(traffic_source('https://shop.example/', 'https://ya.com/'), ROW('ya.com', 'referral', NULL)::traffic_source, 'ya.com is not Yandex (ya.ru only)');
SELECT is(traffic_source('https://shop.example/', 'https://m.baidu.com/'), ROW('baidu', 'organic', NULL)::traffic_source, 'm.baidu.com -> baidu');
SELECT is(traffic_source('https://shop.example/', 'https://www.ecosia.org/'), ROW('ecosia', 'organic', NULL)::traffic_source, 'www.ecosia.org -> ecosia');
SELECT is(traffic_source('https://shop.example/', 'https://mail.google.com/'), ROW('mail.google.com', 'referral', NULL)::traffic_source, 'Gmail is a referral, not Google search');
SELECT is(traffic_source('https://shop.example/', 'https://google.evil.example/'), ROW('google.evil.example', 'referral', NULL)::traffic_source, 'google must be the registered name');
SELECT is(traffic_source('https://shop.example/', 'https://google.com.evil/'), ROW('google.com.evil', 'referral', NULL)::traffic_source, 'com. is a second-level label only before a country code');
SELECT is(traffic_source('https://shop.example/', 'https://www.ask.com/web?q=x'), ROW('ask', 'organic', NULL)::traffic_source, 'www.ask.com -> ask');
SELECT is(traffic_source('https://shop.example/', 'https://ask.fm/someone'), ROW('ask.fm', 'referral', NULL)::traffic_source, 'ask.fm (a social Q&A site) is a referral, not Ask search');
SELECT is(traffic_source('https://shop.example/', 'https://www.yahoo.com/'), ROW('yahoo', 'organic', NULL)::traffic_source, 'www.yahoo.com -> yahoo');
SELECT is(traffic_source('https://shop.example/', 'https://m.facebook.com/'), ROW('m.facebook.com', 'referral', NULL)::traffic_source, 'm.facebook.com -> m.facebook.com / referral');
SELECT is(channel_group(traffic_source('https://shop.example/', 'https://m.facebook.com/')), 'Organic Social', '... which is Organic Social');
SELECT is(traffic_source('https://shop.example/', 'http://user:pw@WWW.Example.COM:8080/page?q=1#f'), ROW('example.com', 'referral', NULL)::traffic_source, 'host lower-cased; userinfo, port, www. dropped');
SELECT is(traffic_source('https://shop.example/', 'blog.example.org/post'), ROW('blog.example.org', 'referral', NULL)::traffic_source, 'referrer without a scheme');
SELECT is(traffic_source('https://shop.example/', 'example.org:8443'), ROW('example.org', 'referral', NULL)::traffic_source, 'host:port without a scheme');
SELECT is(traffic_source('https://shop.example/', '//cdn.example/x'), ROW('cdn.example', 'referral', NULL)::traffic_source, 'scheme-relative referrer');
SELECT is(traffic_source('https://shop.example/', 'https://example.com./'), ROW('example.com', 'referral', NULL)::traffic_source, 'trailing dot dropped');
SELECT is(traffic_source('https://shop.example/', 'android-app://com.google.android.gm/'), ROW('com.google.android.gm', 'referral', NULL)::traffic_source, 'an app referrer');
SELECT is(traffic_source('https://shop.example/', 'http://[2001:db8::1]:8080/'), ROW('[2001:db8::1]', 'referral', NULL)::traffic_source, 'IPv6 literal');
SELECT is(traffic_source('https://shop.example/', 'https://www./'), ROW('www', 'referral', NULL)::traffic_source, 'a host that is only www. keeps its name');
-- no referrer: NULL, empty, no host, or a placeholder that is no host name
SELECT is(traffic_source('https://shop.example/', NULL), ROW('(direct)', '(none)', NULL)::traffic_source, 'NULL referrer -> (direct) / (none)');
SELECT is(traffic_source('https://shop.example/', ''), ROW('(direct)', '(none)', NULL)::traffic_source, 'empty referrer -> direct');
SELECT is(traffic_source('https://shop.example/', '   '), ROW('(direct)', '(none)', NULL)::traffic_source, 'blank referrer -> direct');
SELECT is(traffic_source('https://shop.example/', 'about:blank'), ROW('(direct)', '(none)', NULL)::traffic_source, 'about:blank -> direct');
SELECT is(traffic_source('https://shop.example/', 'https:///path'), ROW('(direct)', '(none)', NULL)::traffic_source, 'empty host -> direct');
SELECT is(traffic_source('https://shop.example/', '(direct)'), ROW('(direct)', '(none)', NULL)::traffic_source, 'placeholder (direct) -> direct');
SELECT is(traffic_source(NULL, NULL), ROW('(direct)', '(none)', NULL)::traffic_source, 'traffic_source(NULL, NULL) -> direct');
SELECT is(traffic_source(NULL, 'https://www.bing.com/'), ROW('bing', 'organic', NULL)::traffic_source, 'NULL url: the referrer decides');
-- own hosts
SELECT is(traffic_source('https://shop.example/b', 'https://shop.example/a', ARRAY['shop.example']), ROW('(direct)', '(none)', NULL)::traffic_source, 'own host -> direct');
SELECT is(traffic_source('https://shop.example/b', 'https://shop.example/a'), ROW('shop.example', 'referral', NULL)::traffic_source, 'without own_hosts the site is a referral');
SELECT is(traffic_source('https://shop.example/b', 'https://WWW.SHOP.EXAMPLE:443/a', ARRAY['other.example', 'shop.example']), ROW('(direct)', '(none)', NULL)::traffic_source, 'own host: case, www. and port ignored');
SELECT is(traffic_source('https://shop.example/b', 'https://blog.shop.example/', ARRAY['shop.example']), ROW('(direct)', '(none)', NULL)::traffic_source, 'own host: subdomains count');
SELECT is(traffic_source('https://shop.example/b', 'https://notshop.example/', ARRAY['shop.example']), ROW('notshop.example', 'referral', NULL)::traffic_source, 'own host: notshop.example is not a subdomain');
SELECT is(traffic_source('https://shop.example/b', 'https://shop.example/', ARRAY['https://www.shop.example/', '']), ROW('(direct)', '(none)', NULL)::traffic_source, 'own host given as a URL; empty entries ignored');
SELECT is(traffic_source('https://shop.example/b', 'https://shop.example/', '{}'), ROW('shop.example', 'referral', NULL)::traffic_source, 'empty own_hosts');
SELECT is(traffic_source('https://shop.example/b', 'https://shop.example/', NULL::text[]), ROW('shop.example', 'referral', NULL)::traffic_source, 'NULL own_hosts lists no hosts');
SELECT is(traffic_source('https://shop.example/?utm_source=x&utm_medium=y', 'https://shop.example/', ARRAY['shop.example']), ROW('x', 'y', NULL)::traffic_source, 'UTM beats an own-host referrer');
SELECT is(traffic_source('https://shop.example/', 'https://www.google.com/', ARRAY['shop.example']), ROW('google', 'organic', NULL)::traffic_source, 'own_hosts leaves other referrers alone');
-- own hosts change from row to row (the cache is keyed on the array's bytes)
SELECT is(array_agg((traffic_source('https://a.example/', r, h)).source ORDER BY n),
          ARRAY['(direct)', 'a.example', '(direct)', 'b.example'],
          'own_hosts varying per row')
FROM (VALUES (1, 'https://a.example/', ARRAY['a.example']), (2, 'https://a.example/', ARRAY['b.example']),
             (3, 'https://b.example/', ARRAY['b.example']), (4, 'https://b.example/', ARRAY['a.example'])) AS v(n, r, h);
SELECT throws_ok($$SELECT traffic_source('https://a.example/', 'https://b.example/', ARRAY['a', NULL])$$,
                 '22004', NULL, 'own_hosts with a NULL element -> 22004');
SELECT throws_ok($$SELECT traffic_source('https://a.example/', 'https://b.example/', '{{a},{b}}')$$,
                 '2202E', NULL, 'two-dimensional own_hosts -> 2202E');
SELECT throws_ok($$SELECT traffic_source('https://a.example/?gclid=1', NULL, ARRAY[NULL])$$,
                 '22004', NULL, 'own_hosts is checked even when the URL decides');
-- UTM values come out decoded
SELECT is(traffic_source('https://shop.example/?utm_source=Face+Book&utm_medium=paid%20social&utm_campaign=%C3%A9t%C3%A9', NULL),
          ROW('Face Book', 'paid social', 'été')::traffic_source, 'traffic_source decodes UTM values');

-- ========== the whole pipeline ==========
SELECT is(channel_group(traffic_source('https://shop.example/?gclid=1', NULL)), 'Paid Search', 'gclid -> google / cpc -> Paid Search');
SELECT is(channel_group(traffic_source('https://shop.example/', 'https://www.google.nl/')), 'Organic Search', 'google.nl -> Organic Search');
SELECT is(channel_group(traffic_source('https://shop.example/', 'https://www.ecosia.org/')), 'Organic Search', 'ecosia / organic -> Organic Search (medium organic)');
SELECT is(channel_group(traffic_source('https://shop.example/', 'https://news.example/')), 'Referral', 'news.example -> Referral');
SELECT is(channel_group(traffic_source('https://shop.example/', NULL)), 'Direct', 'no referrer -> Direct');
SELECT is(channel_group(traffic_source('https://shop.example/?utm_source=ig&utm_medium=paid_social', NULL)), 'Paid Social', 'ig (listed as social) / paid_social -> Paid Social');
SELECT is(channel_group(traffic_source('https://shop.example/?utm_source=meta&utm_medium=paid_social', NULL)), 'Paid Other', 'meta is not in GA4''s list: Paid Other');
SELECT is(channel_group(traffic_source('https://shop.example/?utm_source=instagram&utm_medium=paid_social', NULL)), 'Paid Social', 'instagram / paid_social -> Paid Social');

-- ========== messy input never raises and always gives valid text ==========
-- 5000 random strings of URL pieces, escapes (valid, truncated, invalid
-- UTF-8, %00) and non-ASCII characters.  convert_from() validates UTF-8, so
-- an invalid byte sequence in any result would raise here.
SELECT setseed(0.25);
CREATE TEMP TABLE fuzz_piece AS
SELECT i, p, (ARRAY['utm_source', 'UTM_MEDIUM', 'utm_campaign', 'gclid', 'fbclid', 'x', ''])[1 + floor(random() * 7)::int]
          || (ARRAY['=', '=', '=', '', '%'])[1 + floor(random() * 5)::int]
          || (SELECT string_agg((ARRAY['%', '+', '&', '=', '?', '#', 'C3', 'A9', 'E2', '82', 'AC', 'F0',
                                       '9F', 'ED', 'A0', '00', 'ZZ', '4', 'é', '€', '/', '.', 'www.',
                                       'google', 'a', ':', '@', '[', ']', ' ', '//', 'https:'])
                                [1 + floor(random() * 32)::int], '')
              FROM generate_series(1, 4 + i % 2 + p % 2)) AS piece
FROM generate_series(1, 5000) AS i, generate_series(1, 6) AS p;
CREATE TEMP TABLE fuzz AS
SELECT i, (ARRAY['https://shop.example/', '', '//x/', 'www.google.com/', '#'])[1 + i % 5] || '?'
          || string_agg(piece, '&' ORDER BY p) AS s
FROM fuzz_piece GROUP BY i;
SELECT lives_ok($$
    SELECT count(convert_from(convert_to(concat_ws('|', u.source, u.medium, u.campaign, u.term, u.content,
                                                   u.id, u.source_platform, u.click_id), 'UTF8'), 'UTF8'))
    FROM fuzz, LATERAL utm(fuzz.s) AS u$$, 'utm: random input gives valid text');
SELECT lives_ok($$
    SELECT count(convert_from(convert_to(concat_ws('|', t.source, t.medium, t.campaign,
                                                   channel_group(t.source, t.medium, t.campaign)), 'UTF8'), 'UTF8'))
    FROM fuzz, LATERAL traffic_source(fuzz.s, reverse(fuzz.s), ARRAY[substr(fuzz.s, 3, 9)]) AS t$$,
    'traffic_source: random url, referrer and own_hosts give valid text');
SELECT is((SELECT count(*) FILTER (WHERE u.click_id NOT IN ('gclid', 'fbclid')) || '/' || (count(u.click_id) > 100)
           FROM fuzz, LATERAL utm(fuzz.s) AS u),
          '0/true', 'utm: random input finds click ids (> 100), each a parameter name it contains');

SELECT * FROM finish();
ROLLBACK;
