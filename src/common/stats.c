/*
 * stats.c
 *		Special functions and distributions for socroi's statistics (see
 *		stats.h for the contract and the accuracy that the tests check).
 *
 * Sources:
 *   - log Gamma differences by Stirling's series with the Bernoulli-number
 *     corrections (Abramowitz & Stegun 6.1.40-41), arranged with log1p so
 *     that lbeta(a, b) keeps its accuracy when a or b is huge (the same idea
 *     as algdiv in DiDonato & Morris 1992, ACM TOMS 708);
 *   - the incomplete beta continued fraction (A&S 26.5.8) evaluated by the
 *     modified Lentz method (Press et al., Numerical Recipes, 6.4);
 *   - Student t through the incomplete beta (A&S 26.7.1), with the tail
 *     and the centre computed separately so that neither loses digits;
 *   - the normal quantile from A&S 26.2.23, polished by Newton steps.
 */
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "common/stats.h"

#define LN_SQRT_2PI		0.918938533204672741780329736406
#define INV_SQRT_2PI	0.398942280401432677939946059934
#define SQRT1_2			0.707106781186547524400844362105

/* ---------- special functions ---------- */

/*
 * Stirling correction: lgamma(x) - ((x - 1/2) ln x - x + ln sqrt(2 pi))
 * = sum B_2k / (2k (2k-1) x^(2k-1)) (A&S 6.1.41); for x >= 10 the terms
 * used here leave an error below 1e-17.
 */
static double
stirling_correction(double x)
{
	double		x2 = 1.0 / (x * x);

	return (1.0 / 12.0
			- x2 * (1.0 / 360.0
					- x2 * (1.0 / 1260.0
							- x2 * (1.0 / 1680.0
									- x2 * (1.0 / 1188.0
											- x2 * (691.0 / 360360.0
													- x2 * (1.0 / 156.0))))))) / x;
}

double
stats_lbeta(double a, double b)
{
	double		p = fmin(a, b);
	double		q = fmax(a, b);

	if (!(p > 0.0) || isnan(q))
		return NAN;
	if (isinf(q))
		return -INFINITY;
	if (p >= 10.0)
	{
		/* both large: Stirling for all three terms, differences via log1p */
		double		corr = stirling_correction(p) + stirling_correction(q)
			- stirling_correction(p + q);
		double		w = p / (p + q);

		return LN_SQRT_2PI - 0.5 * log(q) + corr
			+ (p - 0.5) * log(w) + q * log1p(-w);
	}
	if (q >= 10.0)
	{
		/* lgamma(q) - lgamma(p + q) by Stirling, without cancellation */
		double		corr = stirling_correction(q) - stirling_correction(p + q);

		return lgamma(p) + corr + p - p * log(p + q) - (q - 0.5) * log1p(p / q);
	}
	return lgamma(p) + lgamma(q) - lgamma(p + q);
}

double
stats_digamma(double x)
{
	double		result = 0.0;
	double		x2;

	if (!(x > 0.0))
		return NAN;
	if (isinf(x))
		return INFINITY;
	/* psi(x) = psi(x + 1) - 1/x, then the asymptotic series (A&S 6.3.18) */
	while (x < 10.0)
	{
		result -= 1.0 / x;
		x += 1.0;
	}
	x2 = 1.0 / (x * x);
	return result + log(x) - 0.5 / x
		- x2 * (1.0 / 12.0
				- x2 * (1.0 / 120.0
						- x2 * (1.0 / 252.0
								- x2 * (1.0 / 240.0
										- x2 * (1.0 / 132.0
												- x2 * (691.0 / 32760.0
														- x2 / 12.0))))));
}

/*
 * One step of the modified Lentz algorithm (Press et al., Numerical Recipes
 * 3rd ed., 5.2): update C and D by the partial numerator coef and return the
 * factor that multiplies the convergent.
 */
static inline double
lentz_step(double coef, double *c, double *d)
{
	const double tiny = 1e-300;

	*d = 1.0 + coef * *d;
	if (fabs(*d) < tiny)
		*d = tiny;
	*c = 1.0 + coef / *c;
	if (fabs(*c) < tiny)
		*c = tiny;
	*d = 1.0 / *d;
	return *d * *c;
}

/*
 * Continued fraction for I_x(a, b) (A&S 26.5.8), modified Lentz.  Converges
 * quickly for x < (a + 1) / (a + b + 2); the number of terms grows like
 * sqrt(max(a, b)) in the worst case.
 */
static double
beta_continued_fraction(double a, double b, double x)
{
	const double tiny = 1e-300;
	const int	max_iterations = 2000000;
	double		c = 1.0;
	double		d = 1.0 - (a + b) * x / (a + 1.0);
	double		h;
	int			m;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1.0 / d;
	h = d;
	for (m = 1; m <= max_iterations; m++)
	{
		double		m2 = 2.0 * m;
		double		delta,
					delta_even;

		/* even step: m (b - m) x / ((a + 2m - 1)(a + 2m)) */
		delta_even = lentz_step(m * (b - m) * x / ((a + m2 - 1.0) * (a + m2)), &c, &d);
		h *= delta_even;
		/* odd step: -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)) */
		delta = lentz_step(-(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0)),
						   &c, &d);
		h *= delta;
		/* both half-steps must have settled (either may lag when a is huge) */
		if (fabs(delta - 1.0) < 1e-16 && fabs(delta_even - 1.0) < 1e-16)
			return h;
	}
	return NAN;
}

/*
 * I_x(a, b) and 1 - I_x(a, b) given x, y = 1 - x and their logarithms (the
 * caller computes those without cancellation; they matter when a or b is
 * huge, as a ln x is then a large product).
 */
static void
beta_ratio_log(double a, double b, double x, double y, double lnx, double lny,
			   double *lower, double *upper)
{
	bool		swap = !(x < (a + 1.0) / (a + b + 2.0));
	double		front;
	double		value;

	if (swap)
	{
		/* I_x(a, b) = 1 - I_y(b, a) */
		double		t;

		t = a;
		a = b;
		b = t;
		t = x;
		x = y;
		y = t;
		t = lnx;
		lnx = lny;
		lny = t;
	}
	/* x^a y^b / (a B(a, b)) times the continued fraction (A&S 26.5.8) */
	front = a * lnx + b * lny - stats_lbeta(a, b) - log(a);
	value = exp(front) * beta_continued_fraction(a, b, x);
	if (value > 1.0)
		value = 1.0;
	if (swap)
	{
		*upper = value;
		*lower = 1.0 - value;
	}
	else
	{
		*lower = value;
		*upper = 1.0 - value;
	}
}

/*
 * I_x(a, b) and its complement for 0 <= x <= 1 (A&S 26.5.8 through
 * beta_ratio_log; x and y = 1 - x are both passed so that the caller can
 * supply the complement without cancellation)
 */
void
stats_incomplete_beta(double a, double b, double x, double y,
					  double *lower, double *upper)
{
	if (!(a > 0.0) || !(b > 0.0) || isinf(a) || isinf(b) ||
		!(x >= 0.0) || !(y >= 0.0) || fabs(x + y - 1.0) > 1e-12)
	{
		*lower = *upper = NAN;
		return;
	}
	if (x == 0.0 || y == 0.0)
	{
		*lower = (x == 0.0) ? 0.0 : 1.0;
		*upper = 1.0 - *lower;
		return;
	}
	beta_ratio_log(a, b, x, y, log(x), log(y), lower, upper);
}

/*
 * ln Gamma(x + h) - ln Gamma(x) for x > 0, x + h > 0, accurate relative to
 * the result also for tiny h: the recurrence ln Gamma(y+1) = ln Gamma(y) +
 * ln y moves both arguments to 10 or more, then Stirling's series with the
 * differences taken through log1p (A&S 6.1.40-41).
 */
double
stats_lgamma_diff(double x, double h)
{
	double		shift = 0.0;
	double		y;

	if (!(x > 0.0) || !(x + h > 0.0) || isinf(x) || isinf(h))
		return NAN;
	if (h == 0.0)
		return 0.0;
	/* ln G(x+h) - ln G(x) = [ln G(x+1+h) - ln G(x+1)] - ln((x+h)/x) */
	while (x < 10.0 || x + h < 10.0)
	{
		shift -= log1p(h / x);
		x += 1.0;
	}
	y = x + h;
	/* (y - 1/2) ln y - (x - 1/2) ln x - h, rearranged without cancellation */
	return shift + (x - 0.5) * log1p(h / x) + h * log(y) - h
		+ stirling_correction(y) - stirling_correction(x);
}

/*
 * ln[(x + h)_n / (x)_n] / h with (x)_n = Gamma(x + n) / Gamma(x), n >= 0
 * not necessarily whole; its limit psi(x + n) - psi(x) at h = 0.  The
 * ratios of Gamma functions in the BG/BB and shifted-beta-geometric
 * predictions are exp(-h times this), and dividing by h = gamma - 1 or
 * alpha - 1 stays finite at h = 0.
 */
double
stats_log_rising_ratio_slope(double x, double n, double h)
{
	if (!(x > 0.0) || !(n >= 0.0) || !(x + h > 0.0) || isinf(x) || isinf(h))
		return NAN;
	if (n == 0.0)
		return 0.0;
	if (isinf(n))
		return INFINITY;
	if (h == 0.0)
		return stats_digamma(x + n) - stats_digamma(x);
	return (stats_lgamma_diff(x + n, h) - stats_lgamma_diff(x, h)) / h;
}

/* log(1 + t) - t for t > -1, without cancellation near 0 */
static double
log1p_minus(double t)
{
	if (fabs(t) < 0.5)
	{
		/* -t^2/2 + t^3/3 - ... (alternating; 52 terms reach 1e-17 at 0.5) */
		double		power = t * t;
		double		sum = 0.0;
		int			k;

		for (k = 2; k < 200; k++)
		{
			double		term = power / k;

			sum += (k % 2 == 0) ? -term : term;
			if (fabs(term) < 1e-17 * fabs(sum))
				break;
			power *= t;
		}
		return sum;
	}
	return log1p(t) - t;
}

/*
 * log of x^a e^-x / Gamma(a), the front factor of the incomplete gamma
 * ratios; for a >= 10 written as a (log1p(t) - t) + ... with x = a (1 + t),
 * so that large a and x near a lose no digits (Temme's device).
 */
static double
gamma_front_log(double a, double x)
{
	if (a < 10.0)
		return a * log(x) - x - lgamma(a);
	return a * log1p_minus((x - a) / a) + 0.5 * log(a) - LN_SQRT_2PI
		- stirling_correction(a);
}

double
stats_gamma_q(double a, double x)
{
	double		front;

	if (!(a > 0.0) || isinf(a) || isnan(x))
		return NAN;
	if (x <= 0.0)
		return 1.0;
	if (isinf(x))
		return 0.0;
	front = gamma_front_log(a, x);
	if (x < a + 1.0)
	{
		/* P(a, x) = front / a * sum_n x^n / ((a+1)...(a+n)) (A&S 6.5.29) */
		double		term = 1.0 / a;
		double		sum = term;
		int			n;

		for (n = 1; n < 100000; n++)
		{
			term *= x / (a + n);
			sum += term;
			if (term < 1e-17 * sum)
				break;
		}
		return 1.0 - exp(front + log(sum));
	}
	else
	{
		/*
		 * Q(a, x) = front times the continued fraction 1/(x+1-a-) 1(1-a)/
		 * (x+3-a-) 2(2-a)/(x+5-a-) ... (A&S 6.5.31), modified Lentz
		 */
		const double tiny = 1e-300;
		double		bb = x + 1.0 - a;
		double		c = 1.0 / tiny;
		double		d = 1.0 / bb;
		double		h = d;
		int			n;

		for (n = 1; n < 100000; n++)
		{
			double		an = -n * (n - a);
			double		delta;

			bb += 2.0;
			d = an * d + bb;
			if (fabs(d) < tiny)
				d = tiny;
			c = bb + an / c;
			if (fabs(c) < tiny)
				c = tiny;
			d = 1.0 / d;
			delta = d * c;
			h *= delta;
			if (fabs(delta - 1.0) < 1e-16)
				break;
		}
		return exp(front + log(h));
	}
}

double
stats_chisq_sf(double x, double df)
{
	if (isnan(x) || !(df > 0.0))
		return NAN;
	if (x <= 0.0)
		return 1.0;
	return stats_gamma_q(0.5 * df, 0.5 * x);
}

double
stats_hyper_series_log(double a1, double a2, double b1, double b2, double z,
					   long max_terms, int *sign)
{
	/* rescale the running sum by 2^-800 whenever it passes 2^800 */
	const double big = 0x1p800;
	const double ln_big = 800.0 * M_LN2;
	double		sum = 1.0;
	double		term = 1.0;
	double		log_scale = 0.0;
	/* beyond this index the term ratio is monotone in n */
	double		monotone_from = fmax(fmax(fabs(a1), fabs(a2)),
									 fmax(fabs(b1), fabs(b2))) + 2.0;
	long		n;

	*sign = 1;
	if (isnan(a1) || isnan(a2) || !(b1 > 0.0) || !(b2 > 0.0) ||
		!(z >= 0.0) || !(z < 1.0))
		return NAN;
	if (z == 0.0)
		return 0.0;
	for (n = 0; n < max_terms; n++)
	{
		double		ratio = (a1 + n) * (a2 + n) / ((b1 + n) * (b2 + n)) * z;
		double		rho;

		term *= ratio;
		sum += term;
		if (term == 0.0)
			break;				/* a1 or a2 is a non-positive integer */
		if (fabs(sum) > big)
		{
			sum /= big;
			term /= big;
			log_scale += ln_big;
		}
		if (n < monotone_from)
			continue;
		/* remaining terms shrink at least geometrically with ratio rho */
		rho = fmax(fabs(ratio), z);
		if (fabs(term) * rho <= 1e-17 * (1.0 - rho) * fabs(sum))
			break;
	}
	if (n >= max_terms)
		return NAN;
	if (sum == 0.0)
	{
		*sign = 0;
		return -INFINITY;
	}
	*sign = sum > 0 ? 1 : -1;
	return log(fabs(sum)) + log_scale;
}

/* ---------- normal distribution ---------- */

double
stats_normal_pdf(double z)
{
	return INV_SQRT_2PI * exp(-0.5 * z * z);
}

double
stats_normal_sf(double z)
{
	return 0.5 * erfc(z * SQRT1_2);
}

double
stats_normal_cdf(double z)
{
	return 0.5 * erfc(-z * SQRT1_2);
}

double
stats_chisq1_sf(double x)
{
	if (isnan(x))
		return NAN;
	if (x <= 0.0)
		return 1.0;
	return erfc(sqrt(0.5 * x));
}

/* z > 0 with P(Z > z) = q, for 0 < q <= 0.5 */
static double
normal_upper_quantile(double q)
{
	double		t = sqrt(-2.0 * log(q));
	double		z;
	int			i;

	/* A&S 26.2.23: |error| < 4.5e-4 */
	z = t - (2.515517 + t * (0.802853 + t * 0.010328)) /
		(1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308)));
	if (z < 0.0)
		z = 0.0;
	for (i = 0; i < 50; i++)
	{
		double		step;

		if (q >= 0.25)
		{
			/* centre: P(0 < Z < z) = 0.5 - q, both sides without cancellation */
			double		centre = 0.5 * erf(z * SQRT1_2);

			step = (centre - (0.5 - q)) / stats_normal_pdf(z);
		}
		else
		{
			/* tail: Newton on log P(Z > z) - log q */
			double		sf = stats_normal_sf(z);

			step = -(log(sf) - log(q)) * sf / stats_normal_pdf(z);
		}
		z -= step;
		if (fabs(step) <= 4.0 * DBL_EPSILON * fabs(z))
			break;
	}
	return z;
}

/*
 * The inverse survival function of a distribution symmetric about 0, from
 * its upper quantile for 0 < q < 1/2 (df passed on): +-Infinity at q = 0 and
 * 1, 0 at 1/2, and -upper(1 - q) above 1/2 (1 - q is exact there).
 */
typedef double (*UpperQuantile) (double q, double df);

static double
symmetric_isf(double q, UpperQuantile upper, double df)
{
	if (q == 0.0)
		return INFINITY;
	if (q == 1.0)
		return -INFINITY;
	if (q == 0.5)
		return 0.0;
	if (q > 0.5)
		return -upper(1.0 - q, df);
	return upper(q, df);
}

static double
normal_upper(double q, double df)
{
	return normal_upper_quantile(q);
}

double
stats_normal_isf(double q)
{
	if (isnan(q) || q < 0.0 || q > 1.0)
		return NAN;
	return symmetric_isf(q, normal_upper, 0.0);
}

double
stats_normal_quantile(double p)
{
	return -stats_normal_isf(p);
}

/* ---------- Student t ---------- */

/*
 * The incomplete beta continued fraction loses about log10(df / (1 + t^2))
 * digits when df is huge (its first steps cancel: 1 - (a+b)x/(a+1) is of
 * order (1 + t^2)/df).  Beyond this ratio we use the Cornish-Fisher
 * expansion of the t quantile in powers of 1/df (A&S 26.7.5), inverted for
 * the normal deviate z, whose truncation error there is below 1e-16.
 */
#define T_EXPANSION_RATIO	1e4

/* t = z + g1(z)/df + ... + g4(z)/df^4 (A&S 26.7.5) and its derivative */
static double
t_from_z(double z, double df, double *dt_dz)
{
	double		z2 = z * z;
	double		g1 = z * (z2 + 1.0) / 4.0;
	double		g2 = z * (z2 * (5.0 * z2 + 16.0) + 3.0) / 96.0;
	double		g3 = z * (z2 * (z2 * (3.0 * z2 + 19.0) + 17.0) - 15.0) / 384.0;
	double		g4 = z * (z2 * (z2 * (z2 * (79.0 * z2 + 776.0) + 1482.0) - 1920.0) - 945.0) / 92160.0;
	double		d1 = (3.0 * z2 + 1.0) / 4.0;
	double		d2 = (z2 * (25.0 * z2 + 48.0) + 3.0) / 96.0;
	double		d3 = (z2 * (z2 * (21.0 * z2 + 95.0) + 51.0) - 15.0) / 384.0;
	double		d4 = (z2 * (z2 * (z2 * (711.0 * z2 + 5432.0) + 7410.0) - 5760.0) - 945.0) / 92160.0;

	if (dt_dz)
		*dt_dz = 1.0 + (d1 + (d2 + (d3 + d4 / df) / df) / df) / df;
	return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
}

/* the normal deviate z whose t quantile (A&S 26.7.5) is t >= 0 */
static double
t_to_z(double t, double df)
{
	/* start from A&S 26.7.8, then Newton */
	double		z = t * (1.0 - 0.25 / df) / sqrt(1.0 + 0.5 * t * t / df);
	int			i;

	for (i = 0; i < 30; i++)
	{
		double		slope;
		double		step = (t_from_z(z, df, &slope) - t) / slope;

		z -= step;
		if (fabs(step) <= DBL_EPSILON * fabs(z))
			break;
	}
	return z;
}

/*
 * For t >= 0: *tail = P(T > t) and *centre = P(0 < T <= t) = 0.5 - tail,
 * each to full relative accuracy.  With s = t / sqrt(df),
 * P(T > t) = I_x(df/2, 1/2) / 2 with x = 1 / (1 + s^2)  (A&S 26.7.1).
 */
static void
t_tails(double t, double df, double *tail, double *centre)
{
	double		s,
				x,
				y,
				lnx,
				lny,
				lower,
				upper;

	if (t == 0.0)
	{
		*tail = 0.5;
		*centre = 0.0;
		return;
	}
	if (isinf(t))
	{
		*tail = 0.0;
		*centre = 0.5;
		return;
	}
	if (isinf(df))
	{
		*tail = stats_normal_sf(t);
		*centre = 0.5 * erf(t * SQRT1_2);
		return;
	}
	/* df > RATIO (1 + t^2), written so that t^2 cannot overflow */
	if (df / T_EXPANSION_RATIO - 1.0 > 0.0 && t < sqrt(df / T_EXPANSION_RATIO - 1.0))
	{
		/* the normal deviate route (t < sqrt(df) / 100 here) */
		double		z = t_to_z(t, df);

		*tail = stats_normal_sf(z);
		*centre = 0.5 * erf(z * SQRT1_2);
		return;
	}
	if (df >= 1e10 && t >= 40.0)
	{
		/* practically normal: P(T > t) < 1e-340 underflows */
		*tail = 0.0;
		*centre = 0.5;
		return;
	}
	s = t / sqrt(df);
	if (s < 1.0)
	{
		double		s2 = s * s;

		x = 1.0 / (1.0 + s2);
		y = s2 / (1.0 + s2);
		lnx = -log1p(s2);
		lny = 2.0 * log(s) - log1p(s2);
	}
	else
	{
		double		is2 = 1.0 / s / s;

		x = is2 / (1.0 + is2);
		y = 1.0 / (1.0 + is2);
		lnx = -2.0 * log(s) - log1p(is2);
		lny = -log1p(is2);
	}
	beta_ratio_log(0.5 * df, 0.5, x, y, lnx, lny, &lower, &upper);
	*tail = 0.5 * lower;
	*centre = 0.5 * upper;
}

double
stats_t_pdf(double t, double df)
{
	double		s,
				log_kernel;

	if (isnan(t) || !(df > 0.0))
		return NAN;
	if (isinf(t))
		return 0.0;
	if (isinf(df))
		return stats_normal_pdf(t);
	s = fabs(t) / sqrt(df);
	/* log (1 + s^2) without overflow */
	log_kernel = s < 1.0 ? log1p(s * s) : 2.0 * log(s) + log1p(1.0 / s / s);
	return exp(-stats_lbeta(0.5 * df, 0.5) - 0.5 * log(df)
			   - 0.5 * (df + 1.0) * log_kernel);
}

/* P(T > t) when upper, else P(T <= t): the tail beyond |t| or 1/2 + the centre */
static double
t_probability(double t, double df, bool upper)
{
	double		tail,
				centre;

	if (isnan(t) || !(df > 0.0))
		return NAN;
	t_tails(fabs(t), df, &tail, &centre);
	return (t >= 0.0) == upper ? tail : 0.5 + centre;
}

double
stats_t_sf(double t, double df)
{
	return t_probability(t, df, true);
}

double
stats_t_cdf(double t, double df)
{
	return t_probability(t, df, false);
}

/* t > 0 with P(T > t) = q, for 0 < q < 0.5 */
static double
t_upper_quantile(double q, double df)
{
	double		tail,
				centre;
	int			i;

	if (q >= 0.25)
	{
		/*
		 * Centre: solve P(0 < T <= t) = 0.5 - q (exact here) by Newton from
		 * t = 0.  The function is concave, so the iterates rise monotonically
		 * to the root; the root is below 1 for every df (q >= 0.25).
		 */
		double		target = 0.5 - q;
		double		t = 0.0;

		for (i = 0; i < 200; i++)
		{
			double		step;

			t_tails(t, df, &tail, &centre);
			step = (target - centre) / stats_t_pdf(t, df);
			t += step;
			if (fabs(step) <= 4.0 * DBL_EPSILON * t)
				break;
		}
		return t;
	}
	else
	{
		/*
		 * Tail: Newton on F(u) = log P(T > e^u) - log q in u = log t (nearly
		 * linear in the far tail), kept inside a bracket with bisection.
		 * Start from the better of the Cornish-Fisher expansion (A&S 26.7.5,
		 * good for large df) and the power-law tail P(T > t) ~ C t^-df (good
		 * for small df).
		 */
		double		lq = log(q);
		double		t_cf = t_from_z(normal_upper_quantile(q), df, NULL);
		double		u_tail = ((0.5 * df - 1.0) * log(df) - stats_lbeta(0.5 * df, 0.5)
							  - lq) / df;
		double		lo = -INFINITY,
					hi = INFINITY;
		double		u,
					best_u = NAN,
					best_f = INFINITY;
		double		candidates[2];
		int			k;

		/* the power-law tail is accurate where it overflows (small df) */
		if (u_tail > log(DBL_MAX) + 1.0)
			return INFINITY;
		candidates[0] = t_cf > 0.0 ? log(t_cf) : NAN;
		candidates[1] = u_tail;
		for (k = 0; k < 2; k++)
		{
			double		f;

			if (!isfinite(candidates[k]))
				continue;
			t_tails(exp(candidates[k]), df, &tail, &centre);
			f = tail > 0.0 ? log(tail) - lq : -INFINITY;
			if (f > 0.0)
				lo = fmax(lo, candidates[k]);
			else
				hi = fmin(hi, candidates[k]);
			if (fabs(f) < fabs(best_f))
			{
				best_f = f;
				best_u = candidates[k];
			}
		}
		u = best_u;
		for (i = 0; i < 300; i++)
		{
			double		t = exp(u);
			double		f,
						u_next;

			t_tails(t, df, &tail, &centre);
			if (tail <= 0.0)
				f = -INFINITY;
			else
				f = log(tail) - lq;
			if (f == 0.0)
				return t;
			if (f > 0.0)
				lo = u;
			else
				hi = u;
			if (isfinite(f))
				u_next = u + f * tail / (t * stats_t_pdf(t, df));
			else
				u_next = NAN;
			if (!(u_next > lo && u_next < hi))
			{
				/* outside the bracket: bisect, or widen an open bracket */
				if (isfinite(lo) && isfinite(hi))
					u_next = 0.5 * (lo + hi);
				else if (isfinite(lo))
					u_next = lo + 1.0;
				else
					u_next = hi - 1.0;
			}
			if (fabs(u_next - u) <= 2.0 * DBL_EPSILON * fmax(1.0, fabs(u)) ||
				(isfinite(lo) && isfinite(hi) &&
				 hi - lo <= 2.0 * DBL_EPSILON * fmax(1.0, fabs(u))))
				return exp(u_next);
			u = u_next;
		}
		return exp(u);
	}
}

double
stats_t_isf(double q, double df)
{
	double		t;

	if (isnan(q) || q < 0.0 || q > 1.0 || !(df > 0.0))
		return NAN;
	if (isinf(df))
		return stats_normal_isf(q);
	t = symmetric_isf(q, t_upper_quantile, df);
	/* a quantile beyond the double range (tiny df) */
	if (isnan(t))
		t = q < 0.5 ? INFINITY : -INFINITY;
	return t;
}

double
stats_t_quantile(double p, double df)
{
	return -stats_t_isf(p, df);
}

/* ---------- sample quantiles ---------- */

static int
double_cmp(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

void
stats_sort(double *v, int n)
{
	qsort(v, n, sizeof(double), double_cmp);
}

double
stats_quantile_sorted(const double *sorted, int n, double p)
{
	double		h = (n - 1) * p;
	int			i = (int) floor(h);

	if (i >= n - 1)
		return sorted[n - 1];
	return sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]);
}
