-- Attribution over 1,000,000 journeys (bench/data/20_journeys.sql, 30%
-- converting): the bare-scan floor, the same reports in plain SQL (unnest
-- WITH ORDINALITY, window functions, GROUP BY channel) and socroi's
-- attribution().  attribution() returns per channel the credited
-- conversions and value, the conversion share and the four role counts, so
-- the "report" SQL cases compute exactly those columns; the "credits only"
-- cases compute less (no roles, no share) and are listed for reference.
-- Default plan settings (2 parallel workers) unless a case says otherwise.

-- case: floor: bare scan of every path
SELECT sum(cardinality(path)) FROM bench_journeys;

-- case: floor: bare scan, converting journeys
SELECT sum(cardinality(path)) FROM bench_journeys WHERE converted;

-- case: floor: bare scan, serial
-- set: max_parallel_workers_per_gather = 0
SELECT sum(cardinality(path)) FROM bench_journeys;

-- case: plain SQL linear, credits only
SELECT channel, sum(1.0 / n) AS conversions, sum(value / n) AS value
FROM (SELECT t.channel, j.value, cardinality(j.path) AS n
      FROM bench_journeys AS j, unnest(j.path) AS t(channel)
      WHERE j.converted) AS s
GROUP BY channel ORDER BY value DESC;

-- case: plain SQL position_based, credits only
SELECT channel, sum(w) AS conversions, sum(w * value) AS value
FROM (SELECT t.channel, j.value,
             CASE WHEN n = 1 THEN 1.0 WHEN n = 2 THEN 0.5
                  WHEN t.pos = 1 OR t.pos = n THEN 0.4 ELSE 0.2 / (n - 2) END AS w
      FROM bench_journeys AS j
      CROSS JOIN LATERAL unnest(j.path) WITH ORDINALITY AS t(channel, pos)
      CROSS JOIN LATERAL (SELECT cardinality(j.path) AS n) AS c
      WHERE j.converted) AS s
GROUP BY channel ORDER BY value DESC;

-- case: plain SQL linear report
SELECT channel, sum(w) AS conversions, sum(w * value) AS value,
       sum(w) / sum(sum(w)) OVER () AS conversion_share,
       count(*) FILTER (WHERE occurrence = 1) AS touched,
       count(*) FILTER (WHERE pos = 1) AS first_touches,
       count(*) FILTER (WHERE pos = n) AS last_touches,
       count(*) FILTER (WHERE occurrence = 1 AND channel <> last_channel) AS assists
FROM (SELECT t.channel, t.pos, j.value, cardinality(j.path) AS n,
             1.0 / cardinality(j.path) AS w, j.path[cardinality(j.path)] AS last_channel,
             row_number() OVER (PARTITION BY j.journey_id, t.channel ORDER BY t.pos) AS occurrence
      FROM bench_journeys AS j
      CROSS JOIN LATERAL unnest(j.path) WITH ORDINALITY AS t(channel, pos)
      WHERE j.converted) AS s
GROUP BY channel ORDER BY value DESC;

-- case: plain SQL position_based report
SELECT channel, sum(w) AS conversions, sum(w * value) AS value,
       sum(w) / sum(sum(w)) OVER () AS conversion_share,
       count(*) FILTER (WHERE occurrence = 1) AS touched,
       count(*) FILTER (WHERE pos = 1) AS first_touches,
       count(*) FILTER (WHERE pos = n) AS last_touches,
       count(*) FILTER (WHERE occurrence = 1 AND channel <> last_channel) AS assists
FROM (SELECT t.channel, t.pos, j.value, c.n,
             CASE WHEN c.n = 1 THEN 1.0 WHEN c.n = 2 THEN 0.5
                  WHEN t.pos = 1 OR t.pos = c.n THEN 0.4 ELSE 0.2 / (c.n - 2) END AS w,
             j.path[c.n] AS last_channel,
             row_number() OVER (PARTITION BY j.journey_id, t.channel ORDER BY t.pos) AS occurrence
      FROM bench_journeys AS j
      CROSS JOIN LATERAL unnest(j.path) WITH ORDINALITY AS t(channel, pos)
      CROSS JOIN LATERAL (SELECT cardinality(j.path) AS n) AS c
      WHERE j.converted) AS s
GROUP BY channel ORDER BY value DESC;

-- case: plain SQL time_decay report
SELECT channel, sum(w / total) AS conversions, sum(value * w / total) AS value,
       sum(w / total) / sum(sum(w / total)) OVER () AS conversion_share,
       count(*) FILTER (WHERE occurrence = 1) AS touched,
       count(*) FILTER (WHERE pos = 1) AS first_touches,
       count(*) FILTER (WHERE pos = n) AS last_touches,
       count(*) FILTER (WHERE occurrence = 1 AND channel <> last_channel) AS assists
FROM (SELECT t.channel, t.pos, j.value, cardinality(j.path) AS n, j.path[cardinality(j.path)] AS last_channel,
             w.w, sum(w.w) OVER (PARTITION BY j.journey_id) AS total,
             row_number() OVER (PARTITION BY j.journey_id, t.channel ORDER BY t.pos) AS occurrence
      FROM bench_journeys AS j
      CROSS JOIN LATERAL unnest(j.path, j.touch_times) WITH ORDINALITY AS t(channel, touched_at, pos)
      CROSS JOIN LATERAL (SELECT power(2.0::float8,
                                       -extract(epoch FROM j.conversion_time - t.touched_at)::float8
                                       / (7 * 86400)) AS w) AS w
      WHERE j.converted) AS s
GROUP BY channel ORDER BY value DESC;

-- case: socroi first_touch
-- floor: floor: bare scan, converting journeys
SELECT attribution(path, 1, value, 'first_touch') FROM bench_journeys WHERE converted;

-- case: socroi last_touch
-- floor: floor: bare scan, converting journeys
SELECT attribution(path, 1, value, 'last_touch') FROM bench_journeys WHERE converted;

-- case: socroi last_non_direct
-- floor: floor: bare scan, converting journeys
SELECT attribution(path, 1, value, 'last_non_direct') FROM bench_journeys WHERE converted;

-- case: socroi linear
-- floor: floor: bare scan, converting journeys
-- compare: plain SQL linear report
SELECT attribution(path, 1, value, 'linear') FROM bench_journeys WHERE converted;

-- case: socroi position_based
-- floor: floor: bare scan, converting journeys
-- compare: plain SQL position_based report
SELECT attribution(path, 1, value, 'position_based') FROM bench_journeys WHERE converted;

-- case: socroi time_decay
-- floor: floor: bare scan, converting journeys
-- compare: plain SQL time_decay report
SELECT attribution(path, touch_times, conversion_time, value, 'time_decay')
FROM bench_journeys WHERE converted;

-- case: socroi linear, every journey (conversions 0 or 1)
-- floor: floor: bare scan of every path
SELECT attribution(path, converted::int, value, 'linear') FROM bench_journeys;

-- case: socroi linear, serial, every journey
-- floor: floor: bare scan, serial
-- set: max_parallel_workers_per_gather = 0
SELECT attribution(path, converted::int, value, 'linear') FROM bench_journeys;

-- Data-driven models over every journey (30% converting; the others are
-- non-conversions): the aggregate accumulates transition weights or channel
-- sets in parallel, the final function solves the chain exactly (one loss
-- system per channel) or splits every converting set by Shapley values.

-- case: socroi markov order 1, every journey
-- floor: floor: bare scan of every path
SELECT attribution(path, converted::int, value, (NOT converted)::int, 'markov') FROM bench_journeys;

-- case: socroi markov order 2, every journey
-- floor: floor: bare scan of every path
SELECT attribution(path, converted::int, value, (NOT converted)::int, 'markov(order=2)') FROM bench_journeys;

-- case: socroi markov order 3, every journey
-- floor: floor: bare scan of every path
SELECT attribution(path, converted::int, value, (NOT converted)::int, 'markov(order=3)') FROM bench_journeys;

-- case: socroi markov order 1, serial, every journey
-- floor: floor: bare scan, serial
-- set: max_parallel_workers_per_gather = 0
SELECT attribution(path, converted::int, value, (NOT converted)::int, 'markov') FROM bench_journeys;

-- case: socroi shapley, every journey
-- floor: floor: bare scan of every path
SELECT attribution(path, converted::int, value, (NOT converted)::int, 'shapley') FROM bench_journeys;

-- case: socroi markov_transitions order 2, every journey
-- floor: floor: bare scan of every path
SELECT markov_transitions(path, converted::int, (NOT converted)::int, 2) FROM bench_journeys;
