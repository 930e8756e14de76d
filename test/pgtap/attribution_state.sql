-- pgTAP: attribution_state hardening.  Crafted, truncated and corrupted
-- states -- as text through the input function, as binary through receive
-- (COPY BINARY), and through the combine and final functions and an
-- aggregate whose INITCOND is a crafted text -- raise 22P02 / 22P03 (or are
-- read as a valid state), never crash.  A crafted valid state gives the
-- numbers written in it.
BEGIN;
\ir lib/helpers.psql
SELECT plan(89);

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

-- ---- single-character corruptions: either a valid state or 22P02 (0A000
-- when the corruption raises the format version above the library's) ----
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
                WHEN invalid_text_representation OR feature_not_supported THEN NULL;
                WHEN OTHERS THEN other := other + 1;
            END;
        END LOOP;
    END LOOP;
    RETURN other;
END $$;
SELECT is(pg_temp.text_fuzz(t), 0, 'every 1-character corruption: valid, 22P02, or 0A000 (a newer format version), nothing else') FROM crafted;

-- ---- specific corruptions through input, combine and final ----
SELECT throws_ok($$SELECT ''::attribution_state$$, '22P02', NULL, 'empty text');
SELECT throws_ok($$SELECT 'attribution_stat:1 "linear" 0 0 0 0 0 { }'::attribution_state$$, '22P02', NULL, 'wrong tag');
SELECT throws_ok($$SELECT 'attribution_state:2 "linear" 0 0 0 0 0 { }'::attribution_state$$, '0A000',
                 'attribution_state value has format version 2, newer than this socroi library reads (up to 1)',
                 'a newer format version: 0A000 naming both versions');
SELECT throws_ok($$SELECT 'attribution_state:0 "linear" 0 0 0 0 0 { }'::attribution_state$$, '22P02', NULL, 'format version 0');
SELECT throws_ok($$SELECT 'attribution_state:1 "lineal" 0 0 0 0 0 { }'::attribution_state$$, '22P02', NULL, 'bad model');
SELECT throws_ok($$SELECT 'attribution_state:1 "markov(order=2)" 0 0 0 0 0 { }'::attribution_state$$, '22P02', NULL,
                 'a markov state without its record count');
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
                       INITCOND = 'attribution_state:1 "linear" 5 0 5 0 9 | "a"')$$,
                 '22P02', NULL, 'a truncated INITCOND is refused by CREATE AGGREGATE (it runs the input function)');

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
                WHEN invalid_binary_representation OR feature_not_supported THEN NULL;
                WHEN OTHERS THEN other := other + 1;
            END;
        END LOOP;
    END LOOP;
    RETURN other;
END $$;
SELECT is(pg_temp.binary_fuzz(attribution_state_send(t::attribution_state)), 0,
          'every 1-byte corruption of the binary form: valid, 22P03, or 0A000 (a newer format version), nothing else')
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


-- ---- records of the data-driven models (markov transitions, shapley sets) ----
-- the toy of doc/attribution.md written by hand: google ads (id 0), mailing (1);
-- records (start) -> google ads 4 ("1 0"), google ads -> (conversion) 2
-- ("2 0 -1"), -> (null) 1 ("2 0 -2"), (start) -> mailing 1, mailing ->
-- (conversion) 2, google ads -> mailing 1.  Roles: google ads touched 3,
-- first 3, last 2, assists 1; mailing 2, 1, 2, 0.
CREATE TEMP TABLE crafted_dd (model text, t text);
INSERT INTO crafted_dd VALUES
    ('markov', 'attribution_state:1 "markov(order=1)" 4 0 400 0 2 | "google ads" 0 0 0 0 3 0 3 0 2 0 1 0 | "mailing" 0 0 0 0 2 0 1 0 2 0 0 0 { 6 | 1 0 4 0 | 2 0 -1 2 0 | 2 0 -2 1 0 | 1 1 1 0 | 2 1 -1 2 0 | 2 0 1 1 0 }'),
    -- the Shapley example of doc/attribution.md as channel sets: {A} 10 conversions,
    -- 90 non-conversions, value 100; {B} 5, 95, 50; {A,B} 8, 22, 80
    ('shapley', 'attribution_state:1 "shapley" 23 0 230 0 2 | "A" 0 0 0 0 0 0 0 0 0 0 0 0 | "B" 0 0 0 0 0 0 0 0 0 0 0 0 { 3 | 1 0 10 0 90 0 100 0 | 1 1 5 0 95 0 50 0 | 2 0 1 8 0 22 0 80 0 }');
SELECT is(t::attribution_state::text, t, model || ': the crafted state is read and written back unchanged')
FROM crafted_dd ORDER BY model;
-- markov: P = 0.8, RE 0.75 / 0.5, credits 2.4 / 1.6 of 4, 240 / 160 of 400
SELECT is((SELECT array_agg(c.channel || ' ' || round(c.conversions::numeric, 9) || ' ' || round(c.value::numeric, 9)
                            || ' ' || round(c.removal_effect::numeric, 9))
           FROM unnest(attribution_final(t::attribution_state)) c),
          ARRAY['google ads 2.400000000 240.000000000 0.750000000', 'mailing 1.600000000 160.000000000 0.500000000'],
          'markov: final of the crafted state') FROM crafted_dd WHERE model = 'markov';
SELECT is((SELECT array_agg(x.from_state || '>' || x.to_state || ' ' || x.probability)
           FROM unnest(markov_transitions_final(t::attribution_state)) x),
          ARRAY['(start)>google ads 0.8', '(start)>mailing 0.2', 'google ads>mailing 0.25',
                'google ads>(conversion) 0.5', 'google ads>(null) 0.25', 'mailing>(conversion) 1'],
          'markov: transitions of the crafted state') FROM crafted_dd WHERE model = 'markov';
-- shapley: A 10 + 4.75, B 5 + 3.25 (doc/attribution.md); value 10 per conversion
SELECT is((SELECT array_agg(c.channel || ' ' || c.conversions || ' ' || c.value)
           FROM unnest(attribution_final(t::attribution_state)) c),
          ARRAY['A 14.75 147.5', 'B 8.25 82.5'], 'shapley: final of the crafted state')
FROM crafted_dd WHERE model = 'shapley';
-- merged with computed states whose channel ids are in the other order:
-- mailing is id 0 there, so every record is remapped.  Adding the toy's
-- rows again doubles every weight: the same removal effects, twice the credit.
SELECT is((SELECT array_agg(c.channel || ' ' || round(c.conversions::numeric, 9) || ' ' || round(c.removal_effect::numeric, 9))
           FROM unnest(attribution_final(attribution_combine(t::attribution_state,
               (SELECT pg_temp_dd.s FROM (SELECT attribution_combine(attribution_combine(
                    attribution_accum(NULL, '{mailing}', 1, 100, 0, 'markov'),
                    attribution_accum(NULL, '{google ads,mailing}', 1, 100, 0, 'markov')),
                    attribution_accum(NULL, '{google ads}', 2, 200, 1, 'markov')) AS s) pg_temp_dd)))) c),
          ARRAY['google ads 4.800000000 0.750000000', 'mailing 3.200000000 0.500000000'],
          'markov: crafted + computed states with remapped ids') FROM crafted_dd WHERE model = 'markov';
SELECT is((SELECT array_agg(c.channel || ' ' || c.conversions)
           FROM unnest(attribution_final(attribution_combine(t::attribution_state,
               attribution_combine(attribution_accum(NULL, '{B,A}', 8, 80, 22, 'shapley'),
                                   attribution_accum(NULL, '{B}', 5, 50, 95, 'shapley'))))) c),
          -- {A,B} 16 / 44 (same rate), {B} 10 / 190 (same rate): A 10 + 9.5, B 10 + 6.5
          ARRAY['A 19.5', 'B 16.5'], 'shapley: crafted + computed states with remapped ids')
FROM crafted_dd WHERE model = 'shapley';
-- every truncation of the text form, and of computed states of orders 3 and 4
SELECT is((SELECT rejected FROM pg_temp.text_errors(t)), length(t), model || ': every proper prefix rejected (22P02)')
FROM crafted_dd ORDER BY model;
SELECT is((SELECT rejected FROM pg_temp.text_errors(s::text)), length(s::text),
          'markov(order=4) computed state: every proper prefix rejected (22P02)')
FROM (SELECT attribution_accum(NULL, '{a,b,a,"c d",b}', 1, 2.5, 3, 'markov(order=4)') AS s) x;
-- single-character corruptions: a valid state (then final gives a result or
-- an error with a documented SQLSTATE, e.g. 22003 for an overflowing
-- weight) or 22P02 -- never an internal error
CREATE FUNCTION pg_temp.text_fuzz_dd(full_text text) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    i int;
    c text;
    other int := 0;
    st attribution_state;
BEGIN
    FOR i IN 1 .. length(full_text) LOOP
        FOREACH c IN ARRAY ARRAY[' ', '"', '|', '{', 'x', '9', '-', '\', '0', 'e', '1', '2'] LOOP
            BEGIN
                st := overlay(full_text PLACING c FROM i FOR 1)::attribution_state;
                PERFORM attribution_final(st);
                IF (SELECT (st::text LIKE 'attribution_state:1 "markov%')) THEN
                    PERFORM markov_transitions_final(st);
                END IF;
            EXCEPTION
                WHEN invalid_text_representation OR numeric_value_out_of_range
                     OR program_limit_exceeded OR feature_not_supported THEN NULL;
                WHEN OTHERS THEN other := other + 1;
                    RAISE NOTICE '% -> % %', overlay(full_text PLACING c FROM i FOR 1), SQLSTATE, SQLERRM;
            END;
        END LOOP;
    END LOOP;
    RETURN other;
END $$;
SELECT is(pg_temp.text_fuzz_dd(t), 0, model || ': every 1-character corruption is valid or an error with a SQLSTATE')
FROM crafted_dd ORDER BY model;
-- binary: every prefix 22P03; every byte set to 0x00, 0x7f, 0x80 or 0xff
-- binary: every prefix that ends inside the records section is rejected (22P03)
CREATE FUNCTION pg_temp.binary_records_prefixes(full_bin bytea) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    i int;
BEGIN
    FOR i IN position('\x7b'::bytea IN full_bin) .. length(full_bin) - 1 LOOP
        BEGIN
            PERFORM pg_temp.recv(substring(full_bin FROM 1 FOR i));
            RETURN false;
        EXCEPTION WHEN invalid_binary_representation THEN NULL;
        END;
    END LOOP;
    RETURN true;
END $$;
SELECT ok(pg_temp.binary_records_prefixes(attribution_state_send(t::attribution_state)),
          model || ': every binary prefix ending in the records is rejected (22P03)')
FROM crafted_dd ORDER BY model;
-- every byte of the records section (from the '{' mark on; the header and
-- channels are covered above) set to 0x00, 0x80 or 0xff
CREATE FUNCTION pg_temp.binary_fuzz_dd(full_bin bytea) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    i int;
    b int;
    other int := 0;
    st attribution_state;
BEGIN
    FOR i IN position('\x7b'::bytea IN full_bin) - 1 .. length(full_bin) - 1 LOOP
        FOREACH b IN ARRAY ARRAY[0, 128, 255] LOOP
            BEGIN
                st := pg_temp.recv(set_byte(full_bin, i, b))::attribution_state;
                PERFORM attribution_final(st);
                IF (SELECT (st::text LIKE 'attribution_state:1 "markov%')) THEN
                    PERFORM markov_transitions_final(st);
                END IF;
            EXCEPTION
                WHEN invalid_binary_representation OR numeric_value_out_of_range
                     OR program_limit_exceeded THEN NULL;
                WHEN OTHERS THEN other := other + 1;
                    RAISE NOTICE 'byte % = % -> % %', i, b, SQLSTATE, SQLERRM;
            END;
        END LOOP;
    END LOOP;
    RETURN other;
END $$;
SELECT is(pg_temp.binary_fuzz_dd(attribution_state_send(t::attribution_state)), 0,
          model || ': every 1-byte corruption of the binary records is valid or an error with a SQLSTATE')
FROM crafted_dd ORDER BY model;
-- specific corruptions of the records
CREATE TEMP TABLE bad_records (what text, t text);
INSERT INTO bad_records VALUES
    ('markov: no record count', 'attribution_state:1 "markov(order=1)" 0 0 0 0 1 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 { | 1 0 1 0 }'),
    ('markov: more records than present', 'attribution_state:1 "markov(order=1)" 0 0 0 0 1 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 { 2 | 1 0 1 0 }'),
    ('markov: fewer records than present', 'attribution_state:1 "markov(order=1)" 0 0 0 0 1 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 { 1 | 1 0 1 0 | 2 0 -2 1 0 }'),
    ('markov: huge record count', 'attribution_state:1 "markov(order=1)" 0 0 0 0 1 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 { 99999999999 | 1 0 1 0 }'),
    ('markov: key length 0', 'attribution_state:1 "markov(order=1)" 0 0 0 0 1 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 { 1 | 0 1 0 }'),
    ('markov: key longer than the order allows', 'attribution_state:1 "markov(order=1)" 0 0 0 0 1 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 { 1 | 3 0 0 0 1 0 }'),
    ('markov: channel id out of range', 'attribution_state:1 "markov(order=1)" 0 0 0 0 1 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 { 1 | 2 1 -2 1 0 }'),
    ('markov: negative channel id in the state', 'attribution_state:1 "markov(order=2)" 0 0 0 0 1 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 { 1 | 3 0 -1 0 1 0 }'),
    ('markov: unknown symbol -3', 'attribution_state:1 "markov(order=1)" 0 0 0 0 1 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 { 1 | 2 0 -3 1 0 }'),
    ('markov: (start) straight to (conversion)', 'attribution_state:1 "markov(order=1)" 1 0 0 0 1 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 { 1 | 1 -1 1 0 }'),
    ('markov: records without channels', 'attribution_state:1 "markov(order=1)" 0 0 0 0 0 { 1 | 1 0 1 0 }'),
    ('markov: duplicate record', 'attribution_state:1 "markov(order=1)" 0 0 0 0 1 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 { 2 | 1 0 1 0 | 1 0 2 0 }'),
    ('markov: negative weight', 'attribution_state:1 "markov(order=1)" 0 0 0 0 1 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 { 1 | 1 0 -1 0 }'),
    ('markov: NaN weight', 'attribution_state:1 "markov(order=1)" 0 0 0 0 1 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 { 1 | 1 0 NaN 0 }'),
    ('markov: infinite weight', 'attribution_state:1 "markov(order=1)" 0 0 0 0 1 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 { 1 | 1 0 Infinity 0 }'),
    ('markov: compensation above the weight', 'attribution_state:1 "markov(order=1)" 0 0 0 0 1 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 { 1 | 1 0 1 3 }'),
    ('markov: a credited sum on a channel', 'attribution_state:1 "markov(order=1)" 1 0 1 0 1 | "a" 1 0 0 0 0 0 0 0 0 0 0 0 { 1 | 1 0 1 0 }'),
    ('markov: records missing their section', 'attribution_state:1 "markov(order=1)" 0 0 0 0 1 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 1 | 1 0 1 0'),
    ('shapley: set not ascending', 'attribution_state:1 "shapley" 1 0 1 0 2 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 | "b" 0 0 0 0 0 0 0 0 0 0 0 0 { 1 | 2 1 0 1 0 0 0 1 0 }'),
    ('shapley: a channel twice in a set', 'attribution_state:1 "shapley" 1 0 1 0 2 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 | "b" 0 0 0 0 0 0 0 0 0 0 0 0 { 1 | 2 0 0 1 0 0 0 1 0 }'),
    ('shapley: 21 channels in a set', 'attribution_state:1 "shapley" 1 0 1 0 1 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 { 1 | 21 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 0 0 1 0 }'),
    ('shapley: set conversions above the total', 'attribution_state:1 "shapley" 1 0 1 0 1 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 { 1 | 1 0 5 0 0 0 1 0 }'),
    ('shapley: set value above the total', 'attribution_state:1 "shapley" 1 0 1 0 1 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 { 1 | 1 0 1 0 0 0 7 0 }'),
    ('shapley: negative non-conversions', 'attribution_state:1 "shapley" 1 0 1 0 1 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 { 1 | 1 0 1 0 -4 0 1 0 }'),
    ('shapley: a record of markov shape', 'attribution_state:1 "shapley" 1 0 1 0 1 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 { 1 | 1 0 1 0 }'),
    ('linear: records', 'attribution_state:1 "linear" 0 0 0 0 1 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 { 0 }');
SELECT throws_ok(format('SELECT %L::attribution_state', t), '22P02', NULL, what) FROM bad_records ORDER BY what;
-- the valid neighbours of some of them are accepted: the checks are not too strict
SELECT lives_ok($$SELECT attribution_final('attribution_state:1 "markov(order=2)" 1 0 0 0 2 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 | "b" 0 0 0 0 0 0 0 0 0 0 0 0 { 4 | 1 0 1 0 | 2 0 1 1 0 | 3 0 1 -1 1 0 | 3 0 1 -2 0 0 }'::attribution_state)$$,
                'markov(order=2): full-length keys and a 0 weight are valid');
-- (start) -> a -> b and b leads nowhere: no route reaches (conversion), P = 0,
-- so every credit is 0 and the removal effects are NULL (as for P = 0 in general)
SELECT is((SELECT array_agg(format('%s %s %s %s', c.channel, c.conversions, c.value,
                                   coalesce(c.removal_effect::text, 'NULL')) ORDER BY c.channel)
           FROM unnest(attribution_final('attribution_state:1 "markov(order=1)" 0 0 0 0 2 | "a" 0 0 0 0 0 0 0 0 0 0 0 0 | "b" 0 0 0 0 0 0 0 0 0 0 0 0 { 2 | 1 0 1 0 | 2 0 1 5 0 }'::attribution_state)) AS c),
          '{"a 0 0 NULL","b 0 0 NULL"}',
          'markov: a to-state that leads nowhere (crafted) gives 0 credit, not an error');
-- a crafted INITCOND of a markov model: the aggregate continues from it
CREATE AGGREGATE pg_temp.mk_from_crafted(text[], float8, float8, float8, attribution_model) (
    SFUNC = attribution_accum, STYPE = attribution_state, FINALFUNC = attribution_final,
    INITCOND = 'attribution_state:1 "markov(order=1)" 4 0 400 0 2 | "google ads" 0 0 0 0 3 0 3 0 2 0 1 0 | "mailing" 0 0 0 0 2 0 1 0 2 0 0 0 { 6 | 1 0 4 0 | 2 0 -1 2 0 | 2 0 -2 1 0 | 1 1 1 0 | 2 1 -1 2 0 | 2 0 1 1 0 }');
-- the toy twice: RE unchanged, credits doubled
SELECT is((SELECT array_agg(round(c.conversions::numeric, 9)) FROM unnest(
              (SELECT pg_temp.mk_from_crafted(path, c, v, n, 'markov')
               FROM (VALUES ('{google ads}'::text[], 2::float8, 200::float8, 1::float8), ('{mailing}', 1, 100, 0),
                            ('{google ads,mailing}', 1, 100, 0)) x(path, c, v, n))) c),
          '{4.800000000,3.200000000}'::numeric[], 'markov aggregate from a crafted INITCOND');

SELECT * FROM finish();
ROLLBACK;
