/*
 * markov_eliminate.h
 *		Exact elimination of the pass-through states of the large components
 *		of a markov attribution chain before its sweeps (markov_eliminate.c).
 */
#ifndef SOCROI_MARKOV_ELIMINATE_H
#define SOCROI_MARKOV_ELIMINATE_H

#include "postgres.h"

#include "attribution/markov_chain.h"

/*
 * Choose the states to eliminate in every large component of a chain whose
 * components are built and renumbered, and rewrite the rows of the states
 * that read them; leaves mc->eliminated NULL when there is none.
 */
extern void markov_eliminate_build(MarkovChain *mc);

/*
 * The members of component c into members: the swept ones first, in sweep
 * order, then the eliminated ones; returns how many are swept.  The folds
 * and the recovery of the eliminated states are the solver's
 * (markov_solver.c).
 */
extern int32 markov_eliminate_members(const MarkovChain *mc, int32 c,
									  int32 *members);

#endif							/* SOCROI_MARKOV_ELIMINATE_H */
