/*
 * markov_components.h
 *		Solver rows and strongly connected components of a markov attribution
 *		chain (markov_components.c).
 */
#ifndef SOCROI_MARKOV_COMPONENTS_H
#define SOCROI_MARKOV_COMPONENTS_H

#include "postgres.h"

#include "attribution/markov_chain.h"

/* components up to this size are solved directly, larger ones iteratively */
#define MARKOV_DENSE_MAX	96

/*
 * Weights out of every state (rescaling tiny weights by a power of two),
 * dead states, the solver rows (successors in the same component first) and
 * the components, in reverse topological order: the structure part of
 * MarkovChain.
 */
extern void markov_components_build(MarkovChain *mc);

/*
 * Renumber the nodes in sweep order: the live ones component by component
 * as scc_nodes lists them, then the dead ones (every per-node array
 * follows).  markov_components_build() ends with it.
 */
extern void markov_components_renumber(MarkovChain *mc);

#endif							/* SOCROI_MARKOV_COMPONENTS_H */
