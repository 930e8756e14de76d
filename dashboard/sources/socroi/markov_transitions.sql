-- The order-1 Markov chain of every journey (markov_transitions): each
-- observed transition with its weight in journeys and its probability.  A
-- Sankey chart needs an acyclic graph, so the states a transition goes to
-- are named apart from the ones it leaves ('→ email').
SELECT t.from_state AS source,
       '→ ' || t.to_state AS target,
       t.transitions,
       t.probability
FROM unnest((SELECT markov_transitions(path, converted::int, (NOT converted)::int)
             FROM journey_paths)) AS t
