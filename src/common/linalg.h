/*
 * linalg.h
 *		Small dense linear algebra, written once: Cholesky factorisation,
 *		Householder QR with column pivoting (least squares with rank
 *		detection), and non-negative least squares on the normal equations
 *		with some variables left free.
 *
 * Sizes are those of regression problems (tens of columns, thousands of
 * rows); everything is O(n^3) in the number of columns and allocation-free
 * (the caller passes work space).  Matrices are dense and row-major unless a
 * function says otherwise.  Pure C: no PostgreSQL calls, so no ERROR can come
 * from here; failures are reported through return values.
 */
#ifndef SOCROI_LINALG_H
#define SOCROI_LINALG_H

#include <stdbool.h>

/*
 * Cholesky factorisation A = L L' of the symmetric n x n matrix a (row-major,
 * only the lower triangle is read).  L overwrites the lower triangle.
 * Returns false when a pivot is not positive (A not positive definite to
 * working precision); a is then partly overwritten.
 */
extern bool linalg_cholesky(double *a, int n);

/* solve L L' x = b in place (b becomes x), L from linalg_cholesky */
extern void linalg_cholesky_solve(const double *l, int n, double *b);

/*
 * Rank-one update: given L with A = L L', overwrite L with the factor of
 * A + x x' in O(n^2) (the plane-rotation algorithm of LINPACK's dchud;
 * Golub & Van Loan, Matrix Computations, 6.5.4).  x is destroyed.
 */
extern void linalg_cholesky_update(double *l, int n, double *x);

/*
 * Least squares min ||A x - b|| by Householder QR with column pivoting
 * (Businger & Golub 1965).  a is m x n, COLUMN-major (column j at a + j*m),
 * m >= n; it and b are overwritten.  Columns whose remaining norm falls
 * below rtol times the largest column norm are treated as dependent: their
 * coefficients are 0 (the basic solution).  x receives n values; work needs
 * 2n doubles and perm n ints.  Returns the numerical rank.
 */
extern int	linalg_lstsq(double *a, int m, int n, double *b, double *x,
						 double rtol, double *work, int *perm);

/*
 * Non-negative least squares on the normal equations:
 *
 *     minimise  1/2 x'G x - c'x   subject to  x_i >= 0 for i with nonneg[i]
 *
 * G is n x n symmetric positive definite (row-major), e.g. X'X/m + ridge.
 * Lawson & Hanson's active-set algorithm (Solving Least Squares Problems,
 * 1974, ch. 23) in the normal-equation form of Bro & De Jong (1997), with
 * unconstrained variables always in the passive set.
 *
 * passive (n flags) is read as a hint -- the constrained variables expected
 * to be positive, e.g. from the previous call on a similar problem -- and
 * receives the final passive set.  The hint is made feasible first by
 * dropping the variables whose unconstrained solution is not positive.
 *
 * Stopping rule: the solution is optimal when every constrained variable
 * held at 0 has gradient w_i = (c - G x)_i <= tol, with
 * tol = 1e-11 * (1 + max_i |c_i|); at most 3n + 10 passive-set changes are
 * made (more would mean cycling through round-off; the current feasible
 * point is then returned).  Each subproblem is solved by Cholesky; a
 * subproblem that is not positive definite to working precision gets a
 * diagonal jitter of 1e-13 * trace / size, grown tenfold until it factors.
 *
 * work needs n*n + 3n doubles, iwork 2n ints.  Returns the number of
 * passive-set changes, or -1 when the cap was reached.
 */
extern int	linalg_nnls(const double *g, const double *c, int n,
						const bool *nonneg, bool *passive, double *x,
						double *work, int *iwork);

/* work space of linalg_nnls, in doubles */
#define LINALG_NNLS_WORK(n) ((n) * (n) + 3 * (n))

/*
 * solve the m x m system a y = rhs (a row-major) in place by Gaussian
 * elimination with partial pivoting: rhs becomes y, a is destroyed; false
 * on a zero pivot
 */
extern bool linalg_lu_solve(double *a, double *rhs, int m);

#endif							/* SOCROI_LINALG_H */
