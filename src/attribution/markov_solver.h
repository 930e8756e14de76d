/*
 * markov_solver.h
 *		Exact absorption probabilities of a markov attribution chain and of
 *		its loss systems (markov_solver.c).
 */
#ifndef SOCROI_MARKOV_SOLVER_H
#define SOCROI_MARKOV_SOLVER_H

#include "postgres.h"

#include "attribution/markov_chain.h"
#include "attribution/markov_solve_space.h"

/*
 * Solve nb <= MARKOV_BLOCK systems at once into ws->y (node-major, stride
 * MARKOV_BLOCK; zeroed by the caller, fixed entries preset): the base system
 * when conv != NULL (nb = 1), else the loss systems in which system b keeps
 * the states whose bit b is set in fixed[] at their preset value.
 */
extern void markov_solve_block(const MarkovChain *mc, int nb, const double *conv,
							   const uint32 *fixed, MarkovSolveSpace *ws);

#endif							/* SOCROI_MARKOV_SOLVER_H */
