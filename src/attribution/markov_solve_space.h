/*
 * markov_solve_space.h
 *		The work space and the errors of the markov solver
 *		(markov_solve_space.c).
 */
#ifndef SOCROI_MARKOV_SOLVE_SPACE_H
#define SOCROI_MARKOV_SOLVE_SPACE_H

#include "postgres.h"

#include "attribution/markov_chain.h"

/* certified error bound of a large component's solve, relative */
#define MARKOV_CERT_TOLERANCE	1e-9

/*
 * Right sides solved together: the loss systems of MARKOV_BLOCK channels share the
 * rows, so one pass over a row serves all of them (the inner loop is a
 * short multiply-add over contiguous doubles that the compiler vectorises).
 */
#define MARKOV_BLOCK		32

/* gauss_seidel(): an amount that system b adds at member k */
typedef struct SweepFix
{
	int32		k;
	int32		b;
	double		d;
} SweepFix;

typedef struct MarkovSolveSpace
{
	double	   *y;				/* nnodes x MARKOV_BLOCK solutions */
	double	   *ext;			/* members x MARKOV_BLOCK: flow from outside */
	/* gauss_seidel(): per member, then the corrections of fixed states */
	double	   *zs;				/* A^T w with nothing fixed */
	double	   *za;				/* the sum of the magnitudes of its terms */
	double	   *ls;				/* v-weight of the successors swept later */
	SweepFix   *zfix;
	SweepFix   *lfix;
	Size		fix_capacity;
	int32	   *local;			/* node -> index in its component */
	int32	   *members;
	double	   *dense;			/* DENSE_MAX^2 */
	double	   *dense_rhs;

	/*
	 * Zero for a solve in the backend's thread, which raises errors at once.
	 * In a thread of socroi_run_threads() (in_thread), nothing is raised: a
	 * failure is recorded here and sets *stop, an interrupt sets *stop, and
	 * the solve returns early; the backend's thread raises the recorded error
	 * with markov_solve_raise() once the threads are joined.
	 */
	bool		in_thread;
	volatile bool *stop;		/* shared by the threads */
	int			error;			/* MarkovSolveError */
	int32		error_size;		/* states of the component that failed */
	int			error_sweeps;
	double		error_bound;
} MarkovSolveSpace;

typedef enum MarkovSolveError
{
	MARKOV_SOLVE_OK = 0,
	MARKOV_SOLVE_INTERRUPTED,	/* stopped: an interrupt, or another thread failed */
	MARKOV_SOLVE_NOT_CONVERGED,
	MARKOV_SOLVE_NOT_CERTIFIED,
	MARKOV_SOLVE_SINGULAR,
	MARKOV_SOLVE_NO_ROOM		/* a correction list full: cannot happen */
} MarkovSolveError;

/* work space for markov_solve_block(), sized by the largest component */
extern void markov_solve_space_init(MarkovSolveSpace *ws, const MarkovChain *mc);

/* free what markov_solve_space_init() allocated */
extern void markov_solve_space_free(MarkovSolveSpace *ws);

/* bytes markov_solve_space_init() allocates */
extern Size markov_solve_space_bytes(const MarkovChain *mc);

/* raise the error recorded by a solve in a thread (nothing when none) */
extern void markov_solve_raise(const MarkovSolveSpace *ws);

#endif							/* SOCROI_MARKOV_SOLVE_SPACE_H */
