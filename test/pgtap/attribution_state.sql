-- pgTAP: attribution_state hardening.  Crafted, truncated and corrupted
-- states -- as text through the input function, as binary through receive
-- (COPY BINARY), and through the combine and final functions and an
-- aggregate whose INITCOND is a crafted text -- raise 22P02 / 22P03 (or are
-- read as a valid state), never crash.  A crafted valid state gives the
-- numbers written in it.
BEGIN;
SELECT plan(43);

-- a state written by hand: linear, 3 credited conversions worth 300;
-- a: 2 conversions / 200, touched 2, first 2, last 1, assists 1
-- b: 1 conversion / 100, touched 2, first 0, last 2, assists 0
CREATE TEMP TABLE crafted (t text);
INSERT INTO crafted VALUES
    ('attribution_state:1 "linear" 3 0 300 0 2 | "a" 2 0 200 0 2 0 2 0 1 0 1 0 | "b" 1 0 100 0 2 0 0 0 2 0 0 0 { }');

SELECT lives_ok($$SELECT t::attribution_state FROM crafted$$, 'the crafted state is read');
SELECT is((SELECT t::attribution_state::text FROM crafted), (SELECT t FROM crafted), 'and written back unchanged');
SELECT is((SELECT array_agg(ROW(c.channel, c.conversions, c.value, c.conversion_share, c.touched,
                                c.first_touches, c.last_touches, c.assists)::text)
           FROM crafted, unnest(attribution_final(t::attribution_state)) c),
          -- shares 2/3 and 1/3
          ARRAY['(a,2,200,0.6666666666666666,2,2,1,1)', '(b,1,100,0.3333333333333333,2,0,2,0)'],
          'final of the crafted state');
-- merged with a real state: a + 1 (path {a} of 1 conversion worth 50)
SELECT is((SELECT (attribution_final(attribution_combine(t::attribution_state,
                                                         attribution_accum(NULL, '{a}', 1, 50, 'linear'))))[1].value
           FROM crafted), 250::float8, 'combine of a crafted and a computed state');
-- a crafted INITCOND: the aggregate starts from it
CREATE AGGREGATE pg_temp.attr_from_crafted(text[], float8, float8, attribution_model) (
    SFUNC = attribution_accum, STYPE = attribution_state, FINALFUNC = attribution_final,
    INITCOND = 'attribution_state:1 "linear" 3 0 300 0 2 | "a" 2 0 200 0 2 0 2 0 1 0 1 0 | "b" 1 0 100 0 2 0 0 0 2 0 0 0 { }');
-- adds path {b,c} x1 worth 100: b 1.5 / 150, c 0.5 / 50
SELECT is((SELECT array_agg(c.channel || ' ' || c.value ORDER BY c.channel)
           FROM unnest((SELECT pg_temp.attr_from_crafted(p, 1, 100, 'linear')
                        FROM (VALUES ('{b,c}'::text[])) v(p))) c),
          '{"a 200","b 150","c 50"}', 'aggregate from a crafted INITCOND');
SELECT throws_ok($$SELECT pg_temp.attr_from_crafted(p, 1, 100, 'first_touch') FROM (VALUES ('{b}'::text[])) v(p)$$,
                 '22023', NULL, 'INITCOND of another model: mixed models');

-- ---- every truncation of the text form is an error ----
CREATE FUNCTION pg_temp.text_errors(full_text text, OUT prefixes int, OUT rejected int)
    LANGUAGE plpgsql AS $$
DECLARE
    i int;
BEGIN
    prefixes := 0;
    rejected := 0;
    FOR i IN 0 .. length(full_text) - 1 LOOP
        prefixes := prefixes + 1;
        BEGIN
            PERFORM substr(full_text, 1, i)::attribution_state;
        EXCEPTION WHEN invalid_text_representation THEN
            rejected := rejected + 1;
        END;
    END LOOP;
END $$;
SELECT is((SELECT rejected FROM pg_temp.text_errors(t)), length(t), 'every proper prefix of the crafted text is rejected (22P02)')
FROM crafted;
SELECT is((SELECT rejected FROM pg_temp.text_errors(s::text)), length(s::text),
          'every proper prefix of a computed state is rejected (22P02)')
FROM (SELECT attribution_accum(NULL, '{"x y",a,"q\"uote",a}', 2.5, 17.25, 'last_non_direct(direct=a)') AS s) x;

-- ---- single-character corruptions: either a valid state or 22P02 ----
CREATE FUNCTION pg_temp.text_fuzz(full_text text) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    i int;
    c text;
    other int := 0;
BEGIN
    FOR i IN 1 .. length(full_text) LOOP
        FOREACH c IN ARRAY ARRAY[' ', '"', '|', '{', 'x', '9', '-', '\', '0', 'e'] LOOP
            BEGIN
                PERFORM attribution_final(overlay(full_text PLACING c FROM i FOR 1)::attribution_state);
            EXCEPTION
                WHEN invalid_text_representation THEN NULL;
                WHEN OTHERS THEN other := other + 1;
            END;
        END LOOP;
    END LOOP;
    RETURN other;
END $$;
SELECT is(pg_temp.text_fuzz(t), 0, 'every 1-character corruption: valid or 22P02, nothing else') FROM crafted;

-- ---- specific corruptions through input, combine and final ----
SELECT throws_ok($$SELECT ''::attribution_state$$, '22P02', NULL, 'empty text');
SELECT throws_ok($$SELECT 'attribution_stat:1 "linear" 0 0 0 0 0 { }'::attribution_state$$, '22P02', NULL, 'wrong tag');
SELECT throws_ok($$SELECT 'attribution_state:2 "linear" 0 0 0 0 0 { }'::attribution_state$$, '22P02', NULL, 'unknown version');
SELECT throws_ok($$SELECT 'attribution_state:1 "lineal" 0 0 0 0 0 { }'::attribution_state$$, '22P02', NULL, 'bad model');
SELECT throws_ok($$SELECT 'attribution_state:1 "markov(order=2)" 0 0 0 0 0 { }'::attribution_state$$, '22P02', NULL,
                 'model without a record format in this version');
SELECT throws_ok($$SELECT 'attribution_state:1 "linear" 1 0 1 0 2 | "a" 1 0 1 0 1 0 1 0 1 0 0 0 { }'::attribution_state$$,
                 '22P02', NULL, 'channel count larger than the channels present');
SELECT throws_ok($$SELECT 'attribution_state:1 "linear" 2 0 2 0 1 | "a" 1 0 1 0 1 0 1 0 1 0 0 0 | "b" 1 0 1 0 1 0 1 0 1 0 0 0 { }'::attribution_state$$,
                 '22P02', NULL, 'channel count smaller than the channels present');
SELECT throws_ok($$SELECT 'attribution_state:1 "linear" 0 0 0 0 -1 { }'::attribution_state$$, '22P02', NULL, 'negative count');
SELECT throws_ok($$SELECT 'attribution_state:1 "linear" 0 0 0 0 999999999999 { }'::attribution_state$$, '22P02', NULL, 'huge count');
SELECT throws_ok($$SELECT 'attribution_state:1 "linear" 0 0 0 0 1000 | "a" 1 0 1 0 1 0 1 0 1 0 0 0 { }'::attribution_state$$,
                 '22P02', NULL, 'count beyond the bytes present');
SELECT throws_ok($$SELECT 'attribution_state:1 "linear" 2 0 2 0 2 | "a" 1 0 1 0 1 0 1 0 1 0 0 0 | "a" 1 0 1 0 1 0 1 0 1 0 0 0 { }'::attribution_state$$,
                 '22P02', NULL, 'duplicate channel');
SELECT throws_ok($$SELECT 'attribution_state:1 "linear" 1 0 1 0 1 | "a" NaN 0 1 0 1 0 1 0 1 0 0 0 { }'::attribution_state$$,
                 '22P02', NULL, 'NaN counter');
SELECT throws_ok($$SELECT 'attribution_state:1 "linear" 1 0 1 0 1 | "a" 1 0 Infinity 0 1 0 1 0 1 0 0 0 { }'::attribution_state$$,
                 '22P02', NULL, 'infinite counter');
SELECT throws_ok($$SELECT 'attribution_state:1 "linear" 1 0 1 0 1 | "a" 1 0 1 0 1 0 1 0 1 0 1e999 0 { }'::attribution_state$$,
                 '22P02', NULL, 'overflowing counter');
SELECT throws_ok($$SELECT 'attribution_state:1 "linear" 1 0 1 0 1 | "a" -1 0 1 0 1 0 1 0 1 0 0 0 { }'::attribution_state$$,
                 '22P02', NULL, 'negative counter');
SELECT throws_ok($$SELECT 'attribution_state:1 "linear" 1 0 1 0 1 | "a" 1 5 1 0 1 0 1 0 1 0 0 0 { }'::attribution_state$$,
                 '22P02', NULL, 'compensation larger than its sum');
SELECT throws_ok($$SELECT 'attribution_state:1 "linear" 1 0 1 0 1 | "a" 1 0 1 0 1 0 1 0 7 0 0 0 { }'::attribution_state$$,
                 '22P02', NULL, 'a channel counter above the total conversions');
SELECT throws_ok($$SELECT 'attribution_state:1 "linear" 1 0 1 0 1 | "a" 1 0 1.5 0 1 0 1 0 1 0 0 0 { }'::attribution_state$$,
                 '22P02', NULL, 'a channel value above the total value');
SELECT throws_ok($$SELECT 'attribution_state:1 "linear" 1 0 1 0 1 | "a 1 0 1 0 1 0 1 0 1 0 0 0 { }'::attribution_state$$,
                 '22P02', NULL, 'unterminated channel name');
SELECT throws_ok($$SELECT 'attribution_state:1 "linear" 1 0 1 0 1 | "a\n" 1 0 1 0 1 0 1 0 1 0 0 0 { }'::attribution_state$$,
                 '22P02', NULL, 'bad escape in a channel name');
SELECT throws_ok($$SELECT 'attribution_state:1 "linear" 0 0 0 0 0'::attribution_state$$, '22P02', NULL, 'records section missing');
SELECT throws_ok($$SELECT 'attribution_state:1 "linear" 0 0 0 0 0 { 1 }'::attribution_state$$, '22P02', NULL,
                 'records where the model has none');
SELECT throws_ok($$SELECT 'attribution_state:1 "linear" 0 0 0 0 0 { } '::attribution_state$$, '22P02', NULL, 'trailing space');
SELECT throws_ok($$SELECT 'attribution_state:1 "linear" 0 0 0 0 0 { } x'::attribution_state$$, '22P02', NULL, 'trailing data');
SELECT throws_ok($$SELECT 'attribution_state:1  "linear" 0 0 0 0 0 { }'::attribution_state$$, '22P02', NULL, 'double space');
SELECT throws_ok($$SELECT attribution_final('attribution_state:1 "linear" 1 0 1 0 1 | "a" 1 0 1'::attribution_state)$$,
                 '22P02', NULL, 'truncated state through final');
SELECT throws_ok($$SELECT attribution_combine(attribution_accum(NULL, '{a}', 1, 1, 'linear'),
                                              'attribution_state:1 "linear" 1 0 1 0 1 | "a" 1 0 1 0 1 0 1 0 1 0 0 0 {'::attribution_state)$$,
                 '22P02', NULL, 'truncated state through combine');
SELECT throws_ok($$SELECT attribution_accum('attribution_state:1 "linear" 1 0 1 0 1 | "a" 1 0 1 0 1 0 1 0 1 0 0 0 { } }'::attribution_state,
                                            '{a}', 1, 1, 'linear')$$,
                 '22P02', NULL, 'corrupted state through the transition function');
SELECT throws_ok($$CREATE AGGREGATE pg_temp.attr_bad_init(text[], float8, float8, attribution_model) (
                       SFUNC = attribution_accum, STYPE = attribution_state, FINALFUNC = attribution_final,
                       INITCOND = 'attribution_state:1 "linear" 5 0 5 0 9 | "a"');
                   SELECT pg_temp.attr_bad_init(p, 1, 1, 'linear') FROM (VALUES ('{a}'::text[])) v(p)$$,
                 '22P02', NULL, 'truncated INITCOND');

-- ---- binary form: receive through COPY BINARY ----
-- a one-column COPY BINARY file holding the given datum bytes
CREATE FUNCTION pg_temp.copy_file(datum bytea) RETURNS bytea LANGUAGE sql AS $$
    SELECT '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea
        || '\x0001'::bytea || int4send(length(datum)) || datum || '\xffff'::bytea $$;
CREATE TEMP TABLE recv_target (s attribution_state);
CREATE FUNCTION pg_temp.recv(datum bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    f text := current_setting('data_directory') || '/socroi_attr_recv.bin';
    lo oid;
    result text;
BEGIN
    lo := lo_from_bytea(0, pg_temp.copy_file(datum));
    PERFORM lo_export(lo, f);
    PERFORM lo_unlink(lo);
    TRUNCATE recv_target;
    EXECUTE format('COPY recv_target FROM %L (FORMAT binary)', f);
    SELECT s::text INTO result FROM recv_target;
    RETURN result;
END $$;
SELECT is(pg_temp.recv(attribution_state_send(t::attribution_state)), t, 'binary round trip of the crafted state')
FROM crafted;
CREATE FUNCTION pg_temp.binary_errors(full_bin bytea, OUT prefixes int, OUT rejected int)
    LANGUAGE plpgsql AS $$
DECLARE
    i int;
BEGIN
    prefixes := 0;
    rejected := 0;
    FOR i IN 0 .. length(full_bin) - 1 LOOP
        prefixes := prefixes + 1;
        BEGIN
            PERFORM pg_temp.recv(substring(full_bin FROM 1 FOR i));
        EXCEPTION WHEN invalid_binary_representation THEN
            rejected := rejected + 1;
        END;
    END LOOP;
END $$;
SELECT is((SELECT rejected FROM pg_temp.binary_errors(attribution_state_send(t::attribution_state))),
          length(attribution_state_send(t::attribution_state)),
          'every proper prefix of the binary form is rejected (22P03)')
FROM crafted;
-- every byte set to 0x00, 0x7f, 0x80 or 0xff: a valid state or 22P03
CREATE FUNCTION pg_temp.binary_fuzz(full_bin bytea) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    i int;
    b int;
    other int := 0;
BEGIN
    FOR i IN 0 .. length(full_bin) - 1 LOOP
        FOREACH b IN ARRAY ARRAY[0, 127, 128, 255] LOOP
            BEGIN
                PERFORM attribution_final(pg_temp.recv(set_byte(full_bin, i, b))::attribution_state);
            EXCEPTION
                WHEN invalid_binary_representation THEN NULL;
                WHEN OTHERS THEN other := other + 1;
            END;
        END LOOP;
    END LOOP;
    RETURN other;
END $$;
SELECT is(pg_temp.binary_fuzz(attribution_state_send(t::attribution_state)), 0,
          'every 1-byte corruption of the binary form: valid or 22P03, nothing else')
FROM crafted;
-- a channel name that is not valid UTF-8 (0xc3 0x28) in the binary form
SELECT throws_ok(format('SELECT pg_temp.recv(%L::bytea)',
                        overlay(attribution_state_send(t::attribution_state)
                                PLACING '\x00000002c328'::bytea
                                FROM position('\x0000000161'::bytea IN attribution_state_send(t::attribution_state))
                                FOR 5)),
                 '22P03', NULL, 'invalid UTF-8 in a channel name')
FROM crafted;
SELECT throws_ok($$SELECT pg_temp.recv('\x00000003616263'::bytea)$$, '22P03', NULL, 'binary with a wrong tag');

SELECT * FROM finish();
ROLLBACK;
