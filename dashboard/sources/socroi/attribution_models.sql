-- Every channel under every attribution model (the demo's bi_attribution
-- view: heuristic models and the data-driven markov and shapley, which learn
-- from the journeys that did not convert too).  model_no orders the models.
SELECT array_position(ARRAY['first_touch', 'last_touch', 'last_non_direct(direct=direct)', 'linear',
                            'position_based(first=0.4,last=0.4)', 'markov(order=1)',
                            'markov(order=2)', 'shapley'], a.model) AS model_no,
       CASE a.model WHEN 'last_non_direct(direct=direct)' THEN 'last_non_direct'
                    WHEN 'position_based(first=0.4,last=0.4)' THEN 'position_based'
                    WHEN 'markov(order=1)' THEN 'markov'
                    WHEN 'markov(order=2)' THEN 'markov_order2'
                    ELSE a.model END AS model,
       a.channel, ch.kind, ch.is_social,
       a.conversions, a.value, a.conversion_share, a.removal_effect
FROM bi_attribution AS a
JOIN channels AS ch USING (channel)
ORDER BY model_no, a.channel
