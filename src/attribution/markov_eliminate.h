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
 * order, then the eliminated ones; returns how many are swept.
 */
extern int32 markov_eliminate_members(const MarkovChain *mc, int32 c,
									  int32 *members);

/*
 * Before the sweeps of component c: add to each swept predecessor's inflow
 * ext (members x block, indexed through local) what its rewritten rows no
 * longer read of the eliminated states.  y holds the fixed entries.
 */
extern void markov_eliminate_fold(const MarkovChain *mc, int32 c,
								  const uint32 *fixed, const double *y,
								  const int32 *local, int block, double *ext);

/*
 * After them: the eliminated members (from first_eliminated to m) from
 * their successor, in the nb systems where they are not fixed.
 */
extern void markov_eliminate_recover(const MarkovChain *mc,
									 const int32 *members,
									 int32 first_eliminated, int32 m, int nb,
									 const uint32 *fixed, const double *ext,
									 int block, double *y);

#endif							/* SOCROI_MARKOV_ELIMINATE_H */
