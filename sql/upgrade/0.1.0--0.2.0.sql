-- Changes to objects that 0.1.0 already had (the new objects come from the
-- fragments added since; see the Makefile).

-- attribution_state now also carries the Markov and Shapley records and
-- serves markov_transitions()
COMMENT ON TYPE attribution_state IS
    'Partial state of the attribution() and markov_transitions() aggregates (channel dictionary, compensated sums, Markov transition and Shapley channel-set records); exact text form, shipped between parallel workers and Citus nodes';
