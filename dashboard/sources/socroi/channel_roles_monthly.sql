-- Social as primary source (first touch), assist (in the path, not last) and
-- conversion point (last touch) per month: the roles attribution() counts
-- alongside the credit, here over the converting journeys.
SELECT p.month, c.channel, ch.kind, ch.is_social,
       c.first_touches AS primary_source,
       c.assists,
       c.last_touches AS conversion_point,
       c.touched AS in_path
FROM (SELECT month, attribution(path, 1, value, 'linear') AS credits
      FROM journey_paths WHERE converted GROUP BY month) AS p
CROSS JOIN LATERAL unnest(p.credits) AS c
JOIN channels AS ch ON ch.channel = c.channel
ORDER BY p.month, c.channel
