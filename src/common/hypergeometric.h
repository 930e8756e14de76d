/*
 * hypergeometric.h
 *		Gauss's hypergeometric function 2F1 for real arguments (see
 *		hypergeometric.c for the methods and the accuracy the tests check).
 *
 * Plain C on doubles like stats.h: no palloc, no ereport.  Invalid
 * arguments and series that would need more than max_terms terms give NaN;
 * callers validate their SQL arguments first.
 */
#ifndef SOCROI_HYPERGEOMETRIC_H
#define SOCROI_HYPERGEOMETRIC_H

/*
 * 2F1(a, b; c; z) for real a, b, c > 0 and z < 1, as log|F| with the sign
 * of F in *sign (0 when F = 0).  Near z = 1 the series needs about
 * 40 / (1 - z) terms; more than max_terms give NaN.
 */
extern double hyp2f1_log(double a, double b, double c, double z,
						 long max_terms, int *sign);

/*
 * F(z) = 2F1(1, p; q; z) = sum_n (p)_n / (q)_n z^n for p > 0, q > 1 and
 * 0 <= z < 1, with its partial derivatives with respect to p, q and z
 * stored where the pointers are not NULL; NaN when it needs more than
 * max_steps terms or continued-fraction steps (the steps grow like
 * sqrt(q / (1 - z)) near z = 1).  This is the function of the
 * Pareto/NBD likelihood (in both of its regimes, alpha >= beta and
 * alpha < beta) and of the discounted expected residual lifetime of the
 * shifted-beta-geometric model.  Accurate to a few units of 1e-15
 * relative for z up to 0.99, 1e-12 at z = 1 - 1e-6.
 */
extern double hyp2f1_1pq(double p, double q, double z, long max_steps,
						 double *d_p, double *d_q, double *d_z);

#endif							/* SOCROI_HYPERGEOMETRIC_H */
