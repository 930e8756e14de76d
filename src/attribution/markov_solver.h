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

/*
 * The base system alone (right side conv) into ws->y, node-major with
 * stride MARKOV_NARROW, zeroed by the caller: x_i = y[i * MARKOV_NARROW].
 */
#define MARKOV_NARROW	8

extern void markov_solve_base(const MarkovChain *mc, const double *conv,
							  MarkovSolveSpace *ws);

#endif							/* SOCROI_MARKOV_SOLVER_H */
