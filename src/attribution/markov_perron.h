/*
 * markov_perron.h
 *		The Perron vectors and certificate bounds of the large components of a
 *		markov attribution chain (markov_perron.c).
 */
#ifndef SOCROI_MARKOV_PERRON_H
#define SOCROI_MARKOV_PERRON_H

#include "attribution/markov_chain.h"

/*
 * Fill perron_v, perron_w and scc_bound of a chain whose components are
 * built (markov_components_build()); left NULL when no component is larger
 * than MARKOV_DENSE_MAX.
 */
extern void markov_perron_prepare(MarkovChain *mc);

#endif							/* SOCROI_MARKOV_PERRON_H */
