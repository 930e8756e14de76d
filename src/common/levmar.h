/*
 * levmar.h
 *		Bounded Levenberg-Marquardt minimisation of a sum of squares over the
 *		unit cube, for fits that map their parameters onto [0, 1]^d.
 */
#ifndef SOCROI_LEVMAR_H
#define SOCROI_LEVMAR_H

/*
 * The function: writes the nresiduals residuals at u and returns the
 * objective, a positive multiple of their sum of squares (e.g. the mean).
 */
typedef double (*LevmarFunction) (void *context, const double *u,
								  double *residuals);

/*
 * Minimise from u (d values in [0, 1], updated in place); stops after
 * max_iter iterations, when an accepted step improves the objective by less
 * than rtol (relative) or moves no variable by more than 1e-9, or when no
 * damping makes progress.  Returns the final objective.
 */
extern double levmar_minimize(LevmarFunction fn, void *context, int nresiduals,
							  int d, double *u, int max_iter, double rtol);

#endif							/* SOCROI_LEVMAR_H */
