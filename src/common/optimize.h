/*
 * optimize.h
 *		Unconstrained minimisation of a smooth function of a few variables
 *		(BFGS with a backtracking line search), for maximum-likelihood fits.
 *
 * Domain-free: the caller supplies the objective and its gradient through a
 * callback and keeps any bounds itself, typically by optimising over the
 * logarithms of positive parameters.  Deterministic (same start, same
 * steps); long runs can be cancelled (CHECK_FOR_INTERRUPTS in every
 * iteration and line-search step).  Nothing here raises an error: the
 * status says how the run ended and the caller words the message.
 */
#ifndef SOCROI_OPTIMIZE_H
#define SOCROI_OPTIMIZE_H

/*
 * The objective: returns f(x) and stores the gradient at x in gradient[]
 * (n entries).  A non-finite return marks x as outside the domain; the line
 * search then steps back.  Scale f so that its gradient is O(1) near the
 * optimum (e.g. minus the mean log-likelihood per observation): the
 * tolerances below are absolute.
 */
typedef double (*OptimizeObjective) (const double *x, double *gradient, void *arg);

typedef struct OptimizeSettings
{
	int			max_iterations;
	double		gradient_tolerance; /* converged: max |gradient_i| below this */
	double		loose_tolerance;	/* also converged when no further decrease
									 * is representable and max |g_i| is below
									 * this */
	double		max_step;		/* longest step along any coordinate */
	double		max_distance;	/* farther than this from the start along any
								 * coordinate: diverging */
} OptimizeSettings;

/* defaults: 1000 iterations, 1e-9, 1e-6, steps of 2, distance 25 */
#define OPTIMIZE_DEFAULT_SETTINGS {1000, 1e-9, 1e-6, 2.0, 25.0}

typedef enum OptimizeStatus
{
	OPTIMIZE_CONVERGED,
	OPTIMIZE_DIVERGED,			/* ran beyond max_distance from the start */
	OPTIMIZE_STALLED			/* no decrease possible, or out of iterations,
								 * with the gradient above the tolerances */
} OptimizeStatus;

/*
 * Minimise objective over x[0..n-1], starting from x; on return x holds
 * the last iterate, *f_out its value and *iterations the iterations used.
 */
extern OptimizeStatus optimize_bfgs(OptimizeObjective objective, void *arg,
									int n, double *x, double *f_out,
									int *iterations,
									const OptimizeSettings *settings);

/* max_i |v_i|; +Infinity when any entry is NaN */
extern double optimize_max_abs(const double *v, int n);

/* max_i |a_i - b_i|; +Infinity when any entry is NaN */
extern double optimize_max_abs_diff(const double *a, const double *b, int n);

/*
 * The Hessian of the objective at x (n x n, row-major) by central
 * differences of its gradient with steps step and step / 2, extrapolated
 * (Richardson) and symmetrised; false when the objective is not finite
 * there.  For standard errors at an optimum: O(step^4) truncation error.
 */
extern bool optimize_hessian(OptimizeObjective objective, void *arg, int n,
							 const double *x, double step, double *hessian);

/*
 * The inverse of a symmetric positive definite matrix (Cholesky on the
 * matrix scaled to a unit diagonal); false when it is not positive definite
 * to working precision (e.g. a flat direction of a likelihood).
 */
extern bool optimize_invert_spd(const double *a, int n, double *inverse);

#endif							/* SOCROI_OPTIMIZE_H */
