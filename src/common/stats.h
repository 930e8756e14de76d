/*
 * stats.h
 *		Distribution functions and special functions shared by socroi's
 *		statistics (Welch t-test, BG/NBD, Gamma-Gamma, and the rate and
 *		survival comparisons).
 *
 * Everything here is plain C on doubles: no palloc, no ereport, so the
 * functions can run inside tight loops.  Invalid arguments give NaN; callers
 * validate their SQL arguments first and raise the proper SQLSTATE.
 *
 * Accuracy (against mpmath in test/pgtap/clv_stats.sql, asserted at 1e-11):
 *   - Student t CDF and survival: about 3e-12 relative at worst for df in
 *     [1, 1e7] and any t whose probability is a normal double.  When
 *     df / (1 + t^2) > 1e4 the Cornish-Fisher expansion in 1/df (A&S 26.7.5)
 *     is inverted for the normal deviate (truncation error below 1e-16
 *     there), so any larger df works too; df = Infinity is the normal.
 *   - t quantile: same accuracy (safeguarded Newton on the log survival).
 *   - normal CDF / survival via erfc: about z^2 * 1e-16 relative, e.g. 2e-13
 *     at z = -37; quantile by Newton from A&S 26.2.23, for probabilities
 *     down to 1e-300.
 *   - chi-square(1) survival: erfc(sqrt(x / 2)), same accuracy as erfc.
 */
#ifndef SOCROI_STATS_H
#define SOCROI_STATS_H

#include <stdbool.h>

/* ---------- special functions ---------- */

/* log Beta(a, b) for a, b > 0, accurate also when one argument is huge */
extern double stats_lbeta(double a, double b);

/* digamma psi(x) for x > 0 */
extern double stats_digamma(double x);

/*
 * Sum of the generalized hypergeometric series
 *     S = sum_{n>=0} (a1)_n (a2)_n / ((b1)_n (b2)_n) z^n,   0 <= z < 1,
 * with b1, b2 > 0 (2F1(a, b; c; z) is b2 = 1).  Returns log|S| and stores
 * the sign of S in *sign (0 when S = 0).  Terms are kept in a log-scaled
 * form, so the sum may exceed the double range before the caller scales it.
 * Returns NaN when the series does not converge within max_terms terms.
 *
 * Gauss's 2F1(a, b; c; z) is the case b2 = 1; for z near 1 apply Euler's
 * transformation 2F1(a,b;c;z) = (1-z)^(c-a-b) 2F1(c-a, c-b; c; z) (A&S
 * 15.3.3) first when c < a + b, so the terms decay like n^(c-a-b-1) z^n.
 * clv_models.c shows the pattern: it sums E[Y(t)] of the BG/NBD this way.
 */
extern double stats_hyper_series_log(double a1, double a2, double b1,
									 double b2, double z, long max_terms,
									 int *sign);

/*
 * I_x(a, b) (*lower) and 1 - I_x(a, b) (*upper), each to full relative
 * accuracy; y = 1 - x given by the caller without cancellation
 */
extern void stats_incomplete_beta(double a, double b, double x, double y,
								  double *lower, double *upper);

/* ln Gamma(x + h) - ln Gamma(x), accurate for tiny h too */
extern double stats_lgamma_diff(double x, double h);

/*
 * ln[(x + h)_n / (x)_n] / h, (x)_n = Gamma(x + n) / Gamma(x); at h = 0 its
 * limit psi(x + n) - psi(x)
 */
extern double stats_log_rising_ratio_slope(double x, double n, double h);

/* regularized upper incomplete gamma Q(a, x) = Gamma(a, x) / Gamma(a) */
extern double stats_gamma_q(double a, double x);

/* chi-square survival P(X > x) with df > 0 degrees of freedom */
extern double stats_chisq_sf(double x, double df);

/* ---------- normal distribution ---------- */

extern double stats_normal_pdf(double z);
extern double stats_normal_cdf(double z);	/* P(Z <= z) */
extern double stats_normal_sf(double z);	/* P(Z > z), accurate for large z */
extern double stats_normal_quantile(double p);	/* z with P(Z <= z) = p */
extern double stats_normal_isf(double q);	/* z with P(Z > z) = q */

/* chi-square with 1 degree of freedom: P(X > x) = erfc(sqrt(x / 2)) */
extern double stats_chisq1_sf(double x);

/* ---------- Student t distribution (df > 0, not necessarily whole) ---------- */

extern double stats_t_pdf(double t, double df);
extern double stats_t_cdf(double t, double df);	/* P(T <= t) */
extern double stats_t_sf(double t, double df);	/* P(T > t) */
extern double stats_t_quantile(double p, double df);	/* P(T <= x) = p */
extern double stats_t_isf(double q, double df);	/* P(T > x) = q */

/* ---------- sample quantiles ---------- */

/* sort n doubles ascending (no NaN among them) */
extern void stats_sort(double *v, int n);

/*
 * The p-quantile of n >= 1 sorted values, interpolating linearly between
 * order statistics: Hyndman & Fan (1996) type 7, R's default.
 */
extern double stats_quantile_sorted(const double *sorted, int n, double p);

#endif							/* SOCROI_STATS_H */
