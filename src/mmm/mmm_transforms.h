/*
 * mmm_transforms.h
 *		Adstock (carry-over) and saturation (diminishing returns) transforms
 *		of marketing mix modeling: the kernels shared by the SQL functions of
 *		mmm_transforms.c and by the model fit.
 */
#ifndef SOCROI_MMM_TRANSFORMS_H
#define SOCROI_MMM_TRANSFORMS_H

#include <math.h>
#include <stdbool.h>

/* ln(3) / 2: the logistic saturation with half-saturation k is tanh(this x / k) */
#define MMM_HALF_LN3 0.54930614433405484570

typedef enum MmmAdstockKind
{
	MMM_ADSTOCK_GEOMETRIC = 0,
	MMM_ADSTOCK_WEIBULL_CDF = 1,
	MMM_ADSTOCK_WEIBULL_PDF = 2
} MmmAdstockKind;

typedef enum MmmSaturationKind
{
	MMM_SATURATION_HILL = 0,
	MMM_SATURATION_LOGISTIC = 1
} MmmSaturationKind;

/* a_t = x_t + decay * a_{t-1}, a_{-1} = 0 (Robyn's geometric adstock) */
extern void mmm_adstock_geometric(const double *x, int n, double decay,
								  double *out);

/*
 * Robyn's / PyMC-Marketing's Weibull adstock weights for lags 0..lags-1
 * (lags <= max_lag; only the first n matter for a series of n), scale in
 * periods:
 *   cdf: w_0 = 1, w_l = w_{l-1} * exp(-(l / scale)^shape)
 *   pdf: f(l + 1) of the Weibull density, min-max normalised over lags
 *        0..max_lag-1 (all equal -> 1, 0, 0, ...)
 */
extern void mmm_weibull_weights(double shape, double scale, bool pdf,
								int max_lag, int lags, double *w);

/* out_t = sum_{l < lags, l <= t} w_l x_{t-l} */
extern void mmm_adstock_convolve(const double *x, int n, const double *w,
								 int lags, double *out);

/*
 * Hill saturation x^s / (x^s + k^s) for x >= 0, k > 0, s > 0, and its
 * elasticity x f'(x) = s f (1 - f).
 */
static inline double
mmm_hill(double x, double k, double s)
{
	if (!(x > 0.0))
		return 0.0;
	return 1.0 / (1.0 + pow(k / x, s));
}

/*
 * The saturation used inside models, parameterised by its half-saturation
 * point k (f(k) = 1/2) for both kinds: hill(x, k, s), or the logistic
 * saturation (1 - e^{-lx}) / (1 + e^{-lx}) with l = ln 3 / k.
 */
extern double mmm_saturation(MmmSaturationKind kind, double x, double k,
							 double slope);

/* x * d/dx saturation(x): the elasticity, for marginal returns */
extern double mmm_saturation_elasticity(MmmSaturationKind kind, double x,
										double k, double slope);

/* d/dx saturation(x) */
extern double mmm_saturation_derivative(MmmSaturationKind kind, double x,
										double k, double slope);

#endif							/* SOCROI_MMM_TRANSFORMS_H */
