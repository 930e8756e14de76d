/*
 * markov_solver.h
 *		Exact absorption probabilities of a markov attribution chain and of
 *		its loss systems (markov_solver.c).
 */
#ifndef SOCROI_MARKOV_SOLVER_H
#define SOCROI_MARKOV_SOLVER_H

#include "postgres.h"

#include "attribution/markov_chain.h"

/*
 * Right sides solved together: the loss systems of MARKOV_BLOCK channels share the
 * rows, so one pass over a row serves all of them (the inner loop is a
 * short multiply-add over contiguous doubles that the compiler vectorises).
 */
#define MARKOV_BLOCK		32

typedef struct MarkovSolveSpace
{
	double	   *y;				/* nnodes x MARKOV_BLOCK solutions */
	double	   *ext;			/* members x MARKOV_BLOCK: flow from outside */
	double	   *z;				/* members x MARKOV_BLOCK: A^T w (gauss_seidel) */
	double	   *later;			/* members x MARKOV_BLOCK: see gauss_seidel */
	int32	   *local;			/* node -> index in its component */
	int32	   *members;
	double	   *dense;			/* DENSE_MAX^2 */
	double	   *dense_rhs;
} MarkovSolveSpace;

/*
 * The Perron vectors and certificate bounds of the large components of a
 * chain whose components are built (markov_components_build()).
 */
extern void markov_solver_prepare(MarkovChain *mc);

/* work space for markov_solve_block(), sized by the largest component */
extern void markov_solve_space_init(MarkovSolveSpace *ws, const MarkovChain *mc);

/*
 * Solve nb <= MARKOV_BLOCK systems at once into ws->y (node-major, stride
 * MARKOV_BLOCK; zeroed by the caller, fixed entries preset): the base system
 * when conv != NULL (nb = 1), else the loss systems in which system b keeps
 * the states whose bit b is set in fixed[] at their preset value.
 */
extern void markov_solve_block(const MarkovChain *mc, int nb, const double *conv,
							   const uint32 *fixed, MarkovSolveSpace *ws);

#endif							/* SOCROI_MARKOV_SOLVER_H */
