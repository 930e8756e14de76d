-- pgTAP: attribution() gives the same answer (1e-9 relative, same order)
-- serially, with 2 parallel workers, over a hash-partitioned table with
-- partitionwise aggregation, and when partial states computed on disjoint
-- slices travel through their text or binary form and are merged with the
-- combine function.  120,000 random journeys (fixed seed).
BEGIN;
\ir lib/helpers.psql
SELECT plan(35);

SELECT setseed(0.4242);
-- touches: 1-12 per journey, 20 channels with skewed popularity
CREATE TABLE attr_touch AS
SELECT j AS id, k,
       'ch' || lpad(floor(20 * power(random(), 2.5))::int::text, 2, '0') AS channel,
       random() AS jitter
FROM generate_series(1, 120000) AS j, generate_series(1, 12) AS k
WHERE k <= 1 + (j * 7919) % 12;
CREATE TABLE attr_pj AS
SELECT s.id, s.id % 10 AS segment, s.path, s.times, s.conversion_time,
       floor(3 * random())::float8 AS conversions,
       round((500 * random())::numeric, 2)::float8 AS value,
       floor(5 * random())::float8 AS non_conversions
FROM (SELECT id, array_agg(channel ORDER BY k) AS path,
             array_agg(timestamptz '2024-06-01 00:00+00'
                       - ((12 - k) * 2 + jitter) * interval '1 day' ORDER BY k) AS times,
             timestamptz '2024-06-01 00:00+00' AS conversion_time
      FROM attr_touch GROUP BY id) AS s;
ANALYZE attr_pj;


-- the three signatures, one model each
CREATE TEMP TABLE q (name text, sql text);
INSERT INTO q VALUES
    ('position_based', $$SELECT attribution(path, conversions, value, 'position_based(first=0.3,last=0.5)') FROM %s$$),
    ('linear, non_conversions', $$SELECT attribution(path, conversions, value, non_conversions, 'linear') FROM %s$$),
    ('time_decay with lookback', $$SELECT attribution(path, times, conversion_time, value, 'time_decay(half_life=3 days,lookback=15 days)') FROM %s$$);
CREATE FUNCTION pg_temp.run(name text, tab text) RETURNS channel_credit[] LANGUAGE plpgsql AS $$
DECLARE
    r channel_credit[];
BEGIN
    EXECUTE format((SELECT sql FROM q WHERE q.name = run.name), tab) INTO r;
    RETURN r;
END $$;

-- serial answers
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS SELECT name, pg_temp.run(name, 'attr_pj') AS r FROM q;
SELECT is((SELECT cardinality(r) FROM serial WHERE name = 'position_based'), 20, 'all 20 channels credited');
-- sanity of the serial answer: credited conversions add up to the
-- conversions of the non-empty paths, and touched = last + assists
SELECT ok(pg_temp.rel_eq((SELECT sum(c.conversions) FROM serial, unnest(r) c WHERE name = 'position_based'),
                         (SELECT sum(conversions) FROM attr_pj)), 'credits sum to the conversions');
SELECT ok((SELECT bool_and(pg_temp.rel_eq(c.touched, c.last_touches + c.assists))
           FROM serial, unnest(r) c), 'touched = last touches + assists');
SELECT ok(pg_temp.rel_eq((SELECT sum(c.first_touches) FROM serial, unnest(r) c WHERE name = 'linear, non_conversions'),
                         (SELECT sum(conversions) FROM attr_pj)), 'one first touch per conversion');

-- independent check: the same reports written in plain SQL (unnest WITH
-- ORDINALITY, window functions): weight w per touch, credits conversions * w
-- and value * w, roles counted in conversions over the distinct channels
CREATE TEMP TABLE touches AS
SELECT j.id, j.conversions, j.value, t.channel, t.pos, cardinality(j.path) AS n,
       j.path[cardinality(j.path)] AS last_channel,
       row_number() OVER (PARTITION BY j.id, t.channel ORDER BY t.pos) AS occurrence,
       coalesce(max(t.pos) FILTER (WHERE t.channel <> 'ch00') OVER (PARTITION BY j.id),
                cardinality(j.path)) AS last_non_direct
FROM attr_pj AS j CROSS JOIN LATERAL unnest(j.path) WITH ORDINALITY AS t(channel, pos);
-- with touch times: one conversion per journey, touches older than 15
-- days dropped, time decay 2^(-age / 3 days) over the kept touches
CREATE TEMP TABLE kept_touches AS
SELECT k.*, count(*) OVER (PARTITION BY id) AS n,
       row_number() OVER (PARTITION BY id ORDER BY pos) AS kept_pos,
       first_value(channel) OVER (PARTITION BY id ORDER BY pos DESC) AS last_channel,
       row_number() OVER (PARTITION BY id, channel ORDER BY pos) AS occurrence,
       power(2::float8, -age_days / 3) / sum(power(2::float8, -age_days / 3)) OVER (PARTITION BY id) AS w
FROM (SELECT j.id, 1::float8 AS conversions, j.value, t.channel, t.pos,
             extract(epoch FROM j.conversion_time - t.touched_at)::float8 / 86400 AS age_days
      FROM attr_pj AS j CROSS JOIN LATERAL unnest(j.path, j.times) WITH ORDINALITY AS t(channel, touched_at, pos)) AS k
WHERE age_days <= 15;
CREATE FUNCTION pg_temp.sql_report(weighted text) RETURNS TABLE (channel text, conversions float8, value float8,
        conversion_share float8, touched float8, first_touches float8, last_touches float8, assists float8)
    LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE format($q$
        SELECT channel, sum(conversions * w), sum(value * w),
               sum(conversions * w) / sum(sum(conversions * w)) OVER (),
               coalesce(sum(conversions) FILTER (WHERE occurrence = 1), 0),
               coalesce(sum(conversions) FILTER (WHERE pos = 1), 0),
               coalesce(sum(conversions) FILTER (WHERE pos = n), 0),
               coalesce(sum(conversions) FILTER (WHERE occurrence = 1 AND channel <> last_channel), 0)
        FROM (%s) AS weighted GROUP BY channel $q$, weighted);
END $$;
CREATE FUNCTION pg_temp.matches_sql(r channel_credit[], weighted text) RETURNS boolean
    LANGUAGE sql AS $$
    SELECT coalesce(count(*) = cardinality(r) AND count(*) = (SELECT count(*) FROM pg_temp.sql_report(weighted))
       AND bool_and(pg_temp.rel_eq(x.conversions, y.conversions) AND pg_temp.rel_eq(x.value, y.value)
                    AND pg_temp.rel_eq(x.conversion_share, y.conversion_share)
                    AND x.touched = y.touched AND x.first_touches = y.first_touches
                    AND x.last_touches = y.last_touches AND x.assists = y.assists), false)
    FROM unnest(r) AS x JOIN pg_temp.sql_report(weighted) AS y USING (channel) $$;
SELECT ok(pg_temp.matches_sql((SELECT r FROM serial WHERE name = 'linear, non_conversions'),
                              $$SELECT *, 1::float8 / n AS w FROM touches$$),
          'linear = the plain SQL report');
SELECT ok(pg_temp.matches_sql((SELECT r FROM serial WHERE name = 'position_based'),
                              $$SELECT *, CASE WHEN n = 1 THEN 1::float8
                                               WHEN n = 2 THEN CASE pos WHEN 1 THEN 0.3::float8 / 0.8 ELSE 0.5::float8 / 0.8 END
                                               WHEN pos = 1 THEN 0.3 WHEN pos = n THEN 0.5
                                               ELSE 0.2::float8 / (n - 2) END AS w FROM touches$$),
          'position_based(0.3, 0.5) = the plain SQL report');
SELECT ok(pg_temp.matches_sql((SELECT attribution(path, conversions, value, 'last_non_direct(direct=ch00)') FROM attr_pj),
                              $$SELECT *, (pos = last_non_direct)::int::float8 AS w FROM touches$$),
          'last_non_direct = the plain SQL report');
SELECT ok(pg_temp.matches_sql((SELECT r FROM serial WHERE name = 'time_decay with lookback'),
                              $$SELECT id, conversions, value, channel, kept_pos AS pos, n, last_channel, occurrence, w FROM kept_touches$$),
          'time_decay with lookback = the plain SQL report');
-- sorted by value desc
SELECT ok(bool_and(ordered), 'results are sorted by value, descending')
FROM (SELECT (SELECT bool_and(v >= coalesce(next_v, 0))
              FROM (SELECT c.value AS v, lead(c.value) OVER (ORDER BY i) AS next_v
                    FROM unnest(r) WITH ORDINALITY AS c(channel, conversions, value, conversion_share, touched,
                                                        first_touches, last_touches, assists, removal_effect, i)) o)
              AS ordered
      FROM serial) s;

-- parallel answers
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SELECT matches(pg_temp.plan_of(format(sql, 'attr_pj')), 'Partial Aggregate', 'parallel plan: ' || name)
FROM q ORDER BY name;
SELECT matches(pg_temp.plan_of(format(sql, 'attr_pj')), 'Workers Launched: [12]', 'workers ran: ' || name)
FROM q ORDER BY name;
SELECT ok(pg_temp.same(pg_temp.run(name, 'attr_pj'), r), 'parallel = serial: ' || name)
FROM serial ORDER BY name;
-- many groups (hash or sorted grouping, partial per worker; a tuple
-- transfer cost makes the planner aggregate in the workers)
SET parallel_tuple_cost = 1;
CREATE TEMP TABLE grouped_parallel AS
SELECT segment, attribution(path, conversions, value, 'last_non_direct(direct=ch00)') AS r
FROM attr_pj GROUP BY segment;
SELECT matches(pg_temp.plan_of($$SELECT segment, attribution(path, conversions, value, 'linear') FROM attr_pj GROUP BY segment$$),
               'Partial (Hash|Group)Aggregate', 'grouped parallel plan');
SET max_parallel_workers_per_gather = 0;
SET parallel_tuple_cost = 0;
SELECT ok(bool_and(pg_temp.same(p.r, s.r)) AND count(*) = 10, 'grouped: parallel = serial in all 10 groups')
FROM grouped_parallel p
JOIN (SELECT segment, attribution(path, conversions, value, 'last_non_direct(direct=ch00)') AS r
      FROM attr_pj GROUP BY segment) s USING (segment);

-- hash-partitioned, partitionwise aggregation
CREATE TABLE attr_pj_part (LIKE attr_pj) PARTITION BY HASH (id);
CREATE TABLE attr_pj_part_0 PARTITION OF attr_pj_part FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE attr_pj_part_1 PARTITION OF attr_pj_part FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE attr_pj_part_2 PARTITION OF attr_pj_part FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE attr_pj_part_3 PARTITION OF attr_pj_part FOR VALUES WITH (MODULUS 4, REMAINDER 3);
INSERT INTO attr_pj_part SELECT * FROM attr_pj;
ANALYZE attr_pj_part;
SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 0;
SELECT matches(pg_temp.plan_of(format(sql, 'attr_pj_part')), 'Partial Aggregate(.|\n)*Partial Aggregate',
               'partitionwise plan: ' || name)
FROM q ORDER BY name;
SELECT ok(pg_temp.same(pg_temp.run(name, 'attr_pj_part'), r), 'partitionwise = serial: ' || name)
FROM serial ORDER BY name;
SET max_parallel_workers_per_gather = 2;
SELECT ok(pg_temp.same(pg_temp.run(name, 'attr_pj_part'), r), 'partitionwise + parallel = serial: ' || name)
FROM serial ORDER BY name;
RESET enable_partitionwise_aggregate;

-- partial states of disjoint slices, through text, merged, finalised
SET max_parallel_workers_per_gather = 0;
CREATE AGGREGATE pg_temp.attr_partial(text[], float8, float8, attribution_model) (
    SFUNC = attribution_accum, STYPE = attribution_state);
CREATE AGGREGATE pg_temp.attr_merge(attribution_state) (
    SFUNC = attribution_combine, STYPE = attribution_state, FINALFUNC = attribution_final);
CREATE TEMP TABLE slices AS
SELECT id % 7 AS slice,
       pg_temp.attr_partial(path, conversions, value, 'position_based(first=0.3,last=0.5)')::text AS state
FROM attr_pj GROUP BY id % 7;
SELECT is((SELECT count(*) FROM slices), 7::bigint, 'seven partial states');
SELECT ok(pg_temp.same((SELECT pg_temp.attr_merge(state::attribution_state ORDER BY slice) FROM slices),
                       (SELECT r FROM serial WHERE name = 'position_based')),
          'text round trip of 7 partial states, merged = single pass');
SELECT ok(pg_temp.same((SELECT pg_temp.attr_merge(state::attribution_state ORDER BY slice DESC) FROM slices),
                       (SELECT r FROM serial WHERE name = 'position_based')),
          'merge order does not matter');
-- the text form is exact: text -> state -> text is the identity
SELECT is((SELECT count(*) FROM slices WHERE state::attribution_state::text <> state), 0::bigint,
          'state text round trip is exact');
-- the binary form (send/recv) through COPY BINARY
CREATE TEMP TABLE slices_bin (slice int, state attribution_state);
DO $$
DECLARE
    f text := current_setting('data_directory') || '/socroi_attr_states.bin';
BEGIN
    EXECUTE format('COPY (SELECT slice, state::attribution_state FROM slices) TO %L (FORMAT binary)', f);
    EXECUTE format('COPY slices_bin FROM %L (FORMAT binary)', f);
END $$;
SELECT ok(pg_temp.same((SELECT pg_temp.attr_merge(state ORDER BY slice) FROM slices_bin),
                       (SELECT r FROM serial WHERE name = 'position_based')),
          'binary round trip of 7 partial states, merged = single pass');
SELECT is((SELECT count(*) FROM slices s JOIN slices_bin b USING (slice) WHERE b.state::text <> s.state),
          0::bigint, 'binary round trip is exact');

SELECT * FROM finish();
ROLLBACK;
