/*
 * mmm_transforms.c
 *		Marketing mix modeling transforms, usable on their own
 *		(doc/mmm.md): geometric and Weibull adstock over arrays,
 *		the geometric adstock as a window aggregate, and the Hill, logistic
 *		and Michaelis-Menten saturation curves.
 *
 * Definitions (checked against the published examples in the tests):
 *   geometric (Robyn, adstock_geometric): a_t = x_t + theta a_{t-1}.
 *   geometric with a window (PyMC-Marketing, GeometricAdstock(l_max,
 *     normalize); Jin et al. 2017, "Bayesian methods for media mix modeling
 *     with carryover and shape effects"): a_t = sum_{l<L} theta^l x_{t-l},
 *     divided by sum_{l<L} theta^l when normalised.
 *   Weibull (Robyn, adstock_weibull; PyMC-Marketing, WeibullAdstock): weights
 *     over lags 0..L-1 with the scale in periods, see mmm_weibull_weights.
 *     Robyn's relative scale s corresponds to round(1 + s (L - 1)) periods.
 *   hill(x, k, s) = x^s / (x^s + k^s);  logistic_saturation(x, l) =
 *     (1 - e^{-lx}) / (1 + e^{-lx});  michaelis_menten(x, vmax, k) =
 *     vmax x / (k + x).
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/int.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"

#include "common/common.h"
#include "common/state_io.h"
#include "mmm/mmm_transforms.h"

PG_FUNCTION_INFO_V1(socroi_adstock_geometric);
PG_FUNCTION_INFO_V1(socroi_adstock_geometric_window);
PG_FUNCTION_INFO_V1(socroi_adstock_weibull);
PG_FUNCTION_INFO_V1(socroi_hill);
PG_FUNCTION_INFO_V1(socroi_logistic_saturation);
PG_FUNCTION_INFO_V1(socroi_michaelis_menten);
PG_FUNCTION_INFO_V1(socroi_adstock_trans);
PG_FUNCTION_INFO_V1(socroi_adstock_combine);
PG_FUNCTION_INFO_V1(socroi_adstock_final);

/* ---------- kernels ---------- */

void
mmm_adstock_geometric(const double *x, int n, double decay, double *out)
{
	double		a = 0.0;
	int			t;

	for (t = 0; t < n; t++)
	{
		a = x[t] + decay * a;
		out[t] = a;
	}
}

/* the Weibull density as R's dweibull computes it */
static double
weibull_pdf(double t, double shape, double scale)
{
	double		tmp1 = pow(t / scale, shape - 1.0);
	double		tmp2 = tmp1 * (t / scale);

	return shape / scale * tmp1 * exp(-tmp2);
}

void
mmm_weibull_weights(double shape, double scale, bool pdf, int max_lag,
					int lags, double *w)
{
	int			l;

	if (lags <= 0)
		return;
	if (!pdf)
	{
		/* Robyn: cumprod(c(1, 1 - pweibull(1:(L-1), shape, scale))) */
		w[0] = 1.0;
		for (l = 1; l < lags; l++)
			w[l] = w[l - 1] * exp(-pow((double) l / scale, shape));
		return;
	}
	else
	{
		/*
		 * Min-max normalisation over t = 1..max_lag of a unimodal density:
		 * the minimum is at an end, the maximum at the integer nearest the
		 * mode scale ((shape - 1) / shape)^(1 / shape) on either side (t = 1
		 * when shape <= 1).
		 */
		double		fmin,
					fmax,
					range;

		fmin = Min(weibull_pdf(1.0, shape, scale),
				   weibull_pdf((double) max_lag, shape, scale));
		fmax = weibull_pdf(1.0, shape, scale);
		if (shape > 1.0)
		{
			double		mode = scale * pow((shape - 1.0) / shape, 1.0 / shape);
			double		lo = floor(mode),
						hi = ceil(mode);

			lo = Min(Max(lo, 1.0), (double) max_lag);
			hi = Min(Max(hi, 1.0), (double) max_lag);
			fmax = Max(fmax, weibull_pdf(lo, shape, scale));
			fmax = Max(fmax, weibull_pdf(hi, shape, scale));
			fmax = Max(fmax, weibull_pdf((double) max_lag, shape, scale));
		}
		range = fmax - fmin;
		for (l = 0; l < lags; l++)
		{
			if (!(range > 0.0))
				w[l] = (l == 0) ? 1.0 : 0.0;
			else
				w[l] = (weibull_pdf((double) (l + 1), shape, scale) - fmin) / range;
		}
	}
}

void
mmm_adstock_convolve(const double *x, int n, const double *w, int lags,
					 double *out)
{
	int			t,
				l;

	for (t = 0; t < n; t++)
	{
		double		s = 0.0;
		int			top = Min(lags - 1, t);

		if ((t & 0x3FF) == 0)
			CHECK_FOR_INTERRUPTS();
		for (l = 0; l <= top; l++)
			s += w[l] * x[t - l];
		out[t] = s;
	}
}

double
mmm_saturation(MmmSaturationKind kind, double x, double k, double slope)
{
	if (kind == MMM_SATURATION_HILL)
		return mmm_hill(x, k, slope);
	/* logistic with lambda = ln 3 / k: tanh(lambda x / 2) */
	return tanh(MMM_HALF_LN3 * x / k);
}

double
mmm_saturation_elasticity(MmmSaturationKind kind, double x, double k,
						  double slope)
{
	double		f;

	if (!(x > 0.0))
		return 0.0;
	if (kind == MMM_SATURATION_HILL)
	{
		f = mmm_hill(x, k, slope);
		return slope * f * (1.0 - f);
	}
	f = tanh(MMM_HALF_LN3 * x / k);
	return MMM_HALF_LN3 * x / k * (1.0 - f * f);
}

double
mmm_saturation_derivative(MmmSaturationKind kind, double x, double k,
						  double slope)
{
	if (kind == MMM_SATURATION_LOGISTIC)
	{
		double		f = tanh(MMM_HALF_LN3 * x / k);

		return MMM_HALF_LN3 / k * (1.0 - f * f);
	}
	if (x > 0.0)
	{
		double		f = mmm_hill(x, k, slope);

		/* s f (1 - f) / x, written to stay finite for tiny x */
		if (f > 0.0)
			return slope * f * (1.0 - f) / x;
		return slope / k * pow(x / k, slope - 1.0);
	}
	if (slope < 1.0)
		return get_float8_infinity();
	return (slope == 1.0) ? 1.0 / k : 0.0;
}

/* ---------- argument checks ---------- */

/* the elements of x: finite and not negative, else 22023 naming the position */
static const double *
spend_array(ArrayType *array, const char *argname, int *n)
{
	const double *x = socroi_float8_array(array, argname, n);
	int			i;

	for (i = 0; i < *n; i++)
	{
		if (isnan(x[i]) || isinf(x[i]) || x[i] < 0.0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must hold finite non-negative values, element %d is %s",
							argname, i + 1, float8out_internal(x[i])),
					 errhint("Spend, impressions and other activity are never negative; replace missing values with 0.")));
	}
	return x;
}

static void
check_decay(double decay)
{
	if (isnan(decay) || !(decay >= 0.0 && decay < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("decay must be in [0, 1), got %s", float8out_internal(decay)),
				 errhint("decay is the share of the effect carried into the next period, e.g. 0.5.")));
}

static void
check_positive(double value, const char *argname)
{
	if (isnan(value) || isinf(value) || !(value > 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite positive number, got %s", argname,
						float8out_internal(value))));
}

static void
check_max_lag(int32 max_lag)
{
	if (max_lag < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_lag must be at least 1, got %d", max_lag),
				 errhint("max_lag is the number of periods an effect lasts, the current one included.")));
}

static void
check_level(double value, const char *argname)
{
	if (isnan(value) || isinf(value) || value < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite non-negative number, got %s",
						argname, float8out_internal(value))));
}

/* float8 argument argno, checked by check_level or check_positive */
static double
level_arg(FunctionCallInfo fcinfo, int argno, const char *argname)
{
	double		value = PG_GETARG_FLOAT8(argno);

	check_level(value, argname);
	return value;
}

static double
positive_arg(FunctionCallInfo fcinfo, int argno, const char *argname)
{
	double		value = PG_GETARG_FLOAT8(argno);

	check_positive(value, argname);
	return value;
}

static ArrayType *
float8_result(const double *v, int n)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(n, 1));
	int			i;

	for (i = 0; i < n; i++)
		elems[i] = Float8GetDatum(v[i]);
	return construct_array(elems, n, FLOAT8OID, sizeof(float8),
						   FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

/* ---------- SQL: array transforms ---------- */

/* an array transform's series: argument 0 (checked by spend_array) and its output */
typedef struct Series
{
	const double *x;
	double	   *out;
	int			n;
} Series;

static Series
series_arg(FunctionCallInfo fcinfo)
{
	Series		s;

	s.x = spend_array(PG_GETARG_ARRAYTYPE_P(0), "x", &s.n);
	s.out = palloc(sizeof(double) * Max(s.n, 1));
	return s;
}

/* the Weibull adstock's kind: 'cdf' (false) or 'pdf' (true) */
static bool
weibull_kind_arg(FunctionCallInfo fcinfo, int argno)
{
	char	   *kind = text_to_cstring(PG_GETARG_TEXT_PP(argno));

	if (pg_strcasecmp(kind, "cdf") == 0)
		return false;
	if (pg_strcasecmp(kind, "pdf") == 0)
		return true;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("kind must be 'cdf' or 'pdf', got '%s'", kind),
			 errhint("'cdf' decays from the first period on; 'pdf' allows a delayed peak.")));
}

static Datum
series_result(const Series *s)
{
	PG_RETURN_ARRAYTYPE_P(float8_result(s->out, s->n));
}

Datum
socroi_adstock_geometric(PG_FUNCTION_ARGS)
{
	Series		s = series_arg(fcinfo);
	double		decay = PG_GETARG_FLOAT8(1);

	check_decay(decay);
	mmm_adstock_geometric(s.x, s.n, decay, s.out);
	return series_result(&s);
}

Datum
socroi_adstock_geometric_window(PG_FUNCTION_ARGS)
{
	Series		s = series_arg(fcinfo);
	double		decay = PG_GETARG_FLOAT8(1);
	int32		max_lag = PG_GETARG_INT32(2);
	bool		normalize = PG_GETARG_BOOL(3);
	int			t;
	double		total,
				dropped;

	check_decay(decay);
	check_max_lag(max_lag);
	/* sum of the L weights theta^0 .. theta^{L-1} (0^0 = 1) */
	total = (decay == 0.0) ? 1.0 : -expm1((double) max_lag * log(decay)) / (1.0 - decay);
	if (max_lag <= 64 || max_lag >= s.n)
	{
		/* direct sum over min(L, t + 1) lags */
		int			lags = Min(max_lag, s.n);
		double	   *w = palloc(sizeof(double) * Max(lags, 1));
		int			l;

		for (l = 0; l < lags; l++)
			w[l] = (l == 0) ? 1.0 : w[l - 1] * decay;
		mmm_adstock_convolve(s.x, s.n, w, lags, s.out);
		pfree(w);
	}
	else
	{
		/* a long window: slide, removing the period that leaves it */
		double		a = 0.0;

		dropped = pow(decay, (double) max_lag);
		for (t = 0; t < s.n; t++)
		{
			a = s.x[t] + decay * a;
			if (t >= max_lag)
				a -= dropped * s.x[t - max_lag];
			s.out[t] = a;
		}
	}
	if (normalize)
		for (t = 0; t < s.n; t++)
			s.out[t] /= total;
	return series_result(&s);
}

Datum
socroi_adstock_weibull(PG_FUNCTION_ARGS)
{
	Series		s = series_arg(fcinfo);
	bool		pdf = weibull_kind_arg(fcinfo, 3);
	double		shape = positive_arg(fcinfo, 1, "shape");
	double		scale = positive_arg(fcinfo, 2, "scale");
	int32		max_lag = PG_GETARG_INT32(4);
	int			lags;
	double	   *w;

	check_max_lag(max_lag);
	lags = Min(max_lag, s.n);
	w = palloc(sizeof(double) * Max(lags, 1));
	mmm_weibull_weights(shape, scale, pdf, max_lag, lags, w);
	mmm_adstock_convolve(s.x, s.n, w, lags, s.out);
	return series_result(&s);
}

/* ---------- SQL: saturation curves ---------- */


Datum
socroi_hill(PG_FUNCTION_ARGS)
{
	double		x = level_arg(fcinfo, 0, "x");
	double		k = positive_arg(fcinfo, 1, "half_saturation");
	double		s = positive_arg(fcinfo, 2, "slope");

	PG_RETURN_FLOAT8(mmm_hill(x, k, s));
}

Datum
socroi_logistic_saturation(PG_FUNCTION_ARGS)
{
	double		x = level_arg(fcinfo, 0, "x");
	double		lam = level_arg(fcinfo, 1, "lam");

	/* (1 - e^{-z}) / (1 + e^{-z}) = tanh(z / 2), without cancellation */
	PG_RETURN_FLOAT8(tanh(lam * x / 2.0));
}

Datum
socroi_michaelis_menten(PG_FUNCTION_ARGS)
{
	double		x = level_arg(fcinfo, 0, "x");
	double		vmax = PG_GETARG_FLOAT8(1);
	double		k;

	socroi_check_finite(vmax, "vmax");
	k = positive_arg(fcinfo, 2, "k");
	/* x / (k + x) first: vmax x could overflow where the result does not */
	PG_RETURN_FLOAT8(vmax * (x / (k + x)));
}

/* ---------- the window aggregate adstock(x, decay) ---------- */

/*
 * State: periods seen, the decay and the adstocked value after the last
 * period.  Used as adstock(spend, 0.5) OVER (PARTITION BY channel ORDER BY
 * week) the transition runs in period order.  Partial states combine as
 * "a's periods, then b's": a = a_b + decay^{n_b} a_a -- associative but not
 * commutative, which is right for ordered input and documented for the rest.
 */
typedef struct AdstockState
{
	int32		vl_len_;
	int32		version;
	int64		periods;
	double		decay;
	double		value;
} AdstockState;

#define ADSTOCK_TAG "adstock"
#define ADSTOCK_VERSION 1

static AdstockState *
adstock_new(double decay)
{
	AdstockState *state = state_alloc(sizeof(AdstockState), ADSTOCK_VERSION);

	state->decay = decay;
	return state;
}

static AdstockState *
adstock_arg(FunctionCallInfo fcinfo, int argno)
{
	AdstockState *state = state_arg(fcinfo, argno, "adstock_state",
									ADSTOCK_VERSION, sizeof(AdstockState),
									sizeof(AdstockState));

	if (state->periods < 0 || !(state->decay >= 0.0 && state->decay < 1.0) ||
		isnan(state->value) || isinf(state->value) || state->value < 0.0)
		state_corrupt("adstock_state");
	return state;
}

static void
check_same_decay(double a, double b)
{
	if (a != b)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("decay must be the same on every row: got %s after %s",
						float8out_internal(b), float8out_internal(a)),
				 errhint("Pass one constant decay per call, e.g. adstock(spend, 0.5) OVER (PARTITION BY channel ORDER BY week).")));
}

Datum
socroi_adstock_trans(PG_FUNCTION_ARGS)
{
	AdstockState *state;
	double		x,
				decay;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return socroi_state_unchanged(fcinfo);
	x = PG_GETARG_FLOAT8(1);
	decay = PG_GETARG_FLOAT8(2);
	check_level(x, "x");
	check_decay(decay);
	if (PG_ARGISNULL(0))
		state = adstock_new(decay);
	else
	{
		AdstockState *old = adstock_arg(fcinfo, 0);

		check_same_decay(old->decay, decay);
		if (socroi_in_aggregate(fcinfo))
			state = old;
		else
		{
			state = adstock_new(decay);
			*state = *old;
		}
	}
	if (state->periods == PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("too many periods for a 64-bit counter")));
	state->value = x + decay * state->value;
	if (isinf(state->value))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("adstocked value out of range")));
	state->periods++;
	PG_RETURN_POINTER(state);
}

Datum
socroi_adstock_combine(PG_FUNCTION_ARGS)
{
	AdstockState *a = adstock_arg(fcinfo, 0);
	AdstockState *b = adstock_arg(fcinfo, 1);
	AdstockState *into;
	int64		periods;
	double		value;

	check_same_decay(a->decay, b->decay);
	if (pg_add_s64_overflow(a->periods, b->periods, &periods))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("too many periods for a 64-bit counter")));
	value = b->value + pow(a->decay, (double) b->periods) * a->value;
	if (isinf(value))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("adstocked value out of range")));
	into = socroi_in_aggregate(fcinfo) ? a : adstock_new(a->decay);
	into->periods = periods;
	into->value = value;
	PG_RETURN_POINTER(into);
}

Datum
socroi_adstock_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(adstock_arg(fcinfo, 0)->value);
}

static AdstockState *
adstock_read(StateReader *r)
{
	AdstockState *state;
	int64		periods = state_read_int_range(r, "periods", 0, PG_INT64_MAX);
	double		decay = state_read_float8_nonneg(r, "decay");
	double		value = state_read_float8_nonneg(r, "value");

	if (!(decay < 1.0))
		state_invalid(r, "decay must be in [0, 1)");
	state_read_end(r);
	state = adstock_new(decay);
	state->periods = periods;
	state->value = value;
	return state;
}

static void
adstock_write(StateWriter *w, const AdstockState *state)
{
	state_write_int64(w, state->periods);
	state_write_float8(w, state->decay);
	state_write_float8(w, state->value);
}

SOCROI_STATE_IO_FUNCTIONS(adstock_state, "adstock_state", ADSTOCK_TAG, ADSTOCK_VERSION,
						  adstock_write(w, adstock_arg(fcinfo, 0)),
						  adstock_read(r));
