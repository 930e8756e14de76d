/*
 * clv_fit.c
 *		Maximum-likelihood fits of the CLV models inside an aggregate: the
 *		BG/NBD model of repeat purchases (Fader, Hardie & Lee 2005,
 *		"Counting your customers the easy way", Marketing Science 24(2)) and
 *		the Gamma-Gamma model of spend per purchase (Fader, Hardie & Lee
 *		2005, "RFM and CLV", JMR 42(4); Colombo & Jiang 1999).
 *
 * The final functions read the distinct patterns of the state
 * (clv_patterns.c) sorted, so the sum is the same whatever the plan, and
 * maximise the total log-likelihood over log-parameters with BFGS
 * (common/optimize.c) using analytic gradients, from a deterministic start.
 * Convergence: the largest gradient component of the mean log-likelihood
 * per customer, with respect to the log-parameters, below 1e-9 (or below
 * 1e-6 when no further decrease is representable).  An optimum with a
 * parameter outside [e^-16, e^16] times its start (the start carries the
 * scale of the data) is on the boundary of the parameter space -- e.g.
 * nobody ever drops out -- and is reported as an ERROR, as is a run that
 * does not converge.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"

#include "common/common.h"
#include "common/optimize.h"
#include "common/stats.h"
#include "clv/clv_patterns.h"

PG_FUNCTION_INFO_V1(socroi_bgnbd_fit_final);
PG_FUNCTION_INFO_V1(socroi_gamma_gamma_fit_final);

#define FIT_MAX_PARAMS		4
/*
 * Distances in log-parameter units from the start, which carries the scale
 * of the data (alpha and v have units of time and money), so the verdicts
 * do not depend on the unit the data is in.
 */
#define FIT_BOUNDARY_LOG_PARAM 16.0 /* an optimum beyond e^+-16 is a boundary one */

/* groups of patterns sharing the frequency x (patterns are sorted by x) */
typedef struct FitData
{
	int			npatterns;
	int			width;			/* doubles per pattern row */
	const double *rows;
	int			ngroups;
	int		   *group_start;	/* ngroups + 1 entries */
	double	   *log_m;			/* Gamma-Gamma: log of the mean spend */
	double		total_weight;
} FitData;

static void
fit_data_init(FitData *data, const double *rows, int npatterns, int width)
{
	int			i;

	data->rows = rows;
	data->npatterns = npatterns;
	data->width = width;
	data->group_start = palloc((npatterns + 1) * sizeof(int));
	data->ngroups = 0;
	data->total_weight = 0.0;
	data->log_m = NULL;
	for (i = 0; i < npatterns; i++)
	{
		if (i == 0 || rows[(Size) i * width] != rows[(Size) (i - 1) * width])
			data->group_start[data->ngroups++] = i;
		data->total_weight += rows[(Size) i * width + width - 1];
	}
	data->group_start[data->ngroups] = npatterns;
	if (isinf(data->total_weight))
		clv_weights_out_of_range();
}

/*
 * ERROR for a fit that did not end at an interior optimum, with the last
 * estimate in the detail
 */
static void
fit_failed(const char *model, OptimizeStatus result, const double *theta,
		   const char *const *names, int n)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < n; i++)
		appendStringInfo(&buf, "%s%s = %g", i ? ", " : "", names[i], exp(theta[i]));
	if (result == OPTIMIZE_DIVERGED)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the data cannot identify the model (a parameter runs off to 0 or infinity)",
						model),
				 errdetail("Last estimate: %s.", buf.data),
				 errhint("Fit on more customers with a longer observation period and some repeat purchases.")));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: maximum likelihood did not converge", model),
			 errdetail("Last estimate: %s.", buf.data)));
}

/*
 * Maximise a log-likelihood over the log-parameters theta (in: the start,
 * out: the estimate) and return minus the mean log-likelihood there.  An
 * optimum farther than FIT_BOUNDARY_LOG_PARAM from the start is on the
 * boundary of the parameter space; it and every failure raise an ERROR.
 */
static double
fit_maximize(const char *model, OptimizeObjective objective, FitData *data,
			 int n, double *theta, const char *const *names)
{
	static const OptimizeSettings settings = OPTIMIZE_DEFAULT_SETTINGS;
	double		start[FIT_MAX_PARAMS];
	double		f = 0.0;
	int			iterations = 0;
	OptimizeStatus status;

	Assert(n <= FIT_MAX_PARAMS);
	memcpy(start, theta, n * sizeof(double));
	status = optimize_bfgs(objective, data, n, theta, &f, &iterations, &settings);
	if (status == OPTIMIZE_CONVERGED &&
		optimize_max_abs_diff(theta, start, n) > FIT_BOUNDARY_LOG_PARAM)
		status = OPTIMIZE_DIVERGED;
	if (status != OPTIMIZE_CONVERGED)
		fit_failed(model, status, theta, names, n);
	return f;
}

/* ---------- BG/NBD ---------- */

/*
 * Individual log-likelihood (Fader, Hardie & Lee 2005, eq. 6), with
 * A1 = ln Gamma(r+x) - ln Gamma(r) + r ln alpha, A2 = ln B(a, b+x) - ln B(a, b),
 * A3 = -(r+x) ln(alpha+T), A4 = ln a - ln(b+x-1) - (r+x) ln(alpha+t_x):
 *     LL = A1 + A2 + ln(e^A3 + [x > 0] e^A4).
 * Gradient from the digamma function; derivatives are taken with respect
 * to the log-parameters (chain rule: d/d ln r = r d/dr).
 */
static double
bgnbd_objective(const double *theta, double *gradient, void *arg)
{
	FitData    *data = arg;
	double		r = exp(theta[0]),
				alpha = exp(theta[1]),
				a = exp(theta[2]),
				b = exp(theta[3]);
	double		ln_alpha = theta[1];
	double		lbeta_ab = stats_lbeta(a, b);
	double		lgamma_r = lgamma(r);
	double		psi_r = stats_digamma(r),
				psi_b = stats_digamma(b),
				psi_ab = stats_digamma(a + b);
	double		ll = 0.0,
				g_r = 0.0,
				g_alpha = 0.0,
				g_a = 0.0,
				g_b = 0.0;
	int			grp,
				i;

	for (grp = 0; grp < data->ngroups; grp++)
	{
		int			first = data->group_start[grp];
		int			last = data->group_start[grp + 1];
		double		x = data->rows[(Size) first * 4];
		double		rx = r + x;
		double		a12 = lgamma(rx) - lgamma_r + r * ln_alpha +
			stats_lbeta(a, b + x) - lbeta_ab;
		double		d1_r = stats_digamma(rx) - psi_r + ln_alpha;
		double		psi_abx = stats_digamma(a + b + x);
		double		d2_a = psi_ab - psi_abx;
		double		d2_b = stats_digamma(b + x) - psi_b + psi_ab - psi_abx;
		double		c4 = x > 0.0 ? log(a) - log(b + x - 1.0) : 0.0;
		double		sum_w = 0.0,
					sum_wll = 0.0,
					sum_r = 0.0,
					sum_alpha = 0.0,
					sum_e = 0.0,
					sum_eb = 0.0;

		for (i = first; i < last; i++)
		{
			const double *row = data->rows + (Size) i * 4;
			double		tx = row[1],
						T = row[2],
						w = row[3];
			double		ln_T = log(alpha + T);
			double		a3 = -rx * ln_T;
			double		lse,
						dead,
						alive;
			double		ln_tx = 0.0;

			if (x > 0.0)
			{
				double		a4,
							e;

				ln_tx = log(alpha + tx);
				a4 = c4 - rx * ln_tx;
				/* log(e^a3 + e^a4) and the two shares, without overflow */
				if (a3 >= a4)
				{
					e = exp(a4 - a3);
					lse = a3 + log1p(e);
					alive = 1.0 / (1.0 + e);
					dead = e / (1.0 + e);
				}
				else
				{
					e = exp(a3 - a4);
					lse = a4 + log1p(e);
					alive = e / (1.0 + e);
					dead = 1.0 / (1.0 + e);
				}
			}
			else
			{
				lse = a3;
				alive = 1.0;
				dead = 0.0;
			}
			sum_w += w;
			sum_wll += w * lse;
			sum_r -= w * (alive * ln_T + dead * ln_tx);
			sum_alpha -= w * rx * (alive / (alpha + T) + dead / (alpha + tx));
			sum_e += w * dead;
		}
		sum_eb = sum_e;
		ll += sum_w * a12 + sum_wll;
		g_r += sum_w * d1_r + sum_r;
		g_alpha += sum_w * r / alpha + sum_alpha;
		g_a += sum_w * d2_a + sum_e / a;
		if (x > 0.0)
			g_b += sum_w * d2_b - sum_eb / (b + x - 1.0);
		else
			g_b += sum_w * d2_b;
	}
	gradient[0] = -r * g_r / data->total_weight;
	gradient[1] = -alpha * g_alpha / data->total_weight;
	gradient[2] = -a * g_a / data->total_weight;
	gradient[3] = -b * g_b / data->total_weight;
	return -ll / data->total_weight;
}

enum
{
	BG_R,
	BG_ALPHA,
	BG_A,
	BG_B,
	BG_LL,
	BG_CUSTOMERS,
	BG_NATTS
};

static Datum
form_model(FunctionCallInfo fcinfo, const double *values_in, int natts,
		   const char *type_name)
{
	TupleDesc	tupdesc;
	Datum		values[BG_NATTS];
	bool		nulls[BG_NATTS] = {0};
	int			i;

	tupdesc = socroi_result_tupdesc(fcinfo, natts, type_name);
	for (i = 0; i < natts; i++)
		values[i] = Float8GetDatum(values_in[i]);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}


Datum
socroi_bgnbd_fit_final(PG_FUNCTION_ARGS)
{
	static const char *const names[] = {"r", "alpha", "a", "b"};
	PatternState *state;
	FitData		data;
	double	   *rows;
	double		theta[4],
				result[BG_NATTS],
				f,
				sum_wx = 0.0,
				sum_wt = 0.0;
	int			n,
				i;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = pattern_arg(fcinfo, 0, 3);
	rows = pattern_sorted(state, &n);
	if (n == 0)
		PG_RETURN_NULL();
	fit_data_init(&data, rows, n, 4);
	for (i = 0; i < n; i++)
	{
		sum_wx += rows[i * 4] * rows[i * 4 + 3];
		sum_wt += rows[i * 4 + 2] * rows[i * 4 + 3];
	}
	if (isinf(sum_wx) || isinf(sum_wt))
		clv_weights_out_of_range();
	if (sum_wx == 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bgnbd_fit: no customer made a repeat purchase, so the model cannot be identified")));
	if (n < 3)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bgnbd_fit: %d distinct (frequency, recency, t) patterns cannot identify four parameters",
						n),
				 errhint("Fit on at least a few dozen customers with different histories.")));

	/*
	 * deterministic start: r = a = b = 1, alpha from the mean purchase rate
	 * (a ratio, so independent of the scale of the weights)
	 */
	theta[0] = 0.0;
	theta[1] = sum_wt > 0.0 ? log(sum_wt / sum_wx) : 0.0;
	theta[2] = 0.0;
	theta[3] = 0.0;
	f = fit_maximize("bgnbd_fit", bgnbd_objective, &data, 4, theta, names);
	for (i = 0; i < 4; i++)
		result[i] = exp(theta[i]);
	result[BG_LL] = -f * data.total_weight;
	result[BG_CUSTOMERS] = data.total_weight;
	return form_model(fcinfo, result, BG_NATTS, "bgnbd_model");
}

/* ---------- Gamma-Gamma ---------- */

/*
 * Individual log-likelihood of a repeat customer with x repeat purchases of
 * mean m (Fader, Hardie & Lee 2005, "RFM and CLV", eq. 3 marginalised as in
 * lifetimes' GammaGammaFitter):
 *   ln Gamma(px+q) - ln Gamma(px) - ln Gamma(q) + q ln v + (px-1) ln m
 *   + px ln x - (px+q) ln(v + m x)
 */
static double
gamma_gamma_objective(const double *theta, double *gradient, void *arg)
{
	FitData    *data = arg;
	double		p = exp(theta[0]),
				q = exp(theta[1]),
				v = exp(theta[2]);
	double		ln_v = theta[2];
	double		lgamma_q = lgamma(q);
	double		psi_q = stats_digamma(q);
	double		ll = 0.0,
				g_p = 0.0,
				g_q = 0.0,
				g_v = 0.0;
	int			grp,
				i;

	for (grp = 0; grp < data->ngroups; grp++)
	{
		int			first = data->group_start[grp];
		int			last = data->group_start[grp + 1];
		double		x = data->rows[(Size) first * 3];
		double		px = p * x;
		double		ln_x = log(x);
		double		base = lgamma(px + q) - lgamma(px) - lgamma_q + q * ln_v + px * ln_x;
		double		psi_pxq = stats_digamma(px + q);
		double		d_p = psi_pxq - stats_digamma(px) + ln_x;
		double		d_q = psi_pxq - psi_q + ln_v;

		for (i = first; i < last; i++)
		{
			double		m = data->rows[(Size) i * 3 + 1];
			double		w = data->rows[(Size) i * 3 + 2];
			double		ln_m = data->log_m[i];
			double		ln_vm = log(v + m * x);

			ll += w * (base + (px - 1.0) * ln_m - (px + q) * ln_vm);
			g_p += w * x * (d_p + ln_m - ln_vm);
			g_q += w * (d_q - ln_vm);
			g_v += w * (q / v - (px + q) / (v + m * x));
		}
	}
	gradient[0] = -p * g_p / data->total_weight;
	gradient[1] = -q * g_q / data->total_weight;
	gradient[2] = -v * g_v / data->total_weight;
	return -ll / data->total_weight;
}

enum
{
	GG_P,
	GG_Q,
	GG_V,
	GG_LL,
	GG_CUSTOMERS,
	GG_NATTS
};

Datum
socroi_gamma_gamma_fit_final(PG_FUNCTION_ARGS)
{
	static const char *const names[] = {"p", "q", "v"};
	PatternState *state;
	FitData		data;
	double	   *rows;
	double		theta[3],
				result[GG_NATTS],
				f,
				sum_wm = 0.0;
	int			n,
				i;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = pattern_arg(fcinfo, 0, 2);
	rows = pattern_sorted(state, &n);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("gamma_gamma_fit: no repeat customers (frequency > 0), so spend per purchase cannot be modelled")));
	if (n < 3)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("gamma_gamma_fit: %d distinct (frequency, monetary_value) patterns cannot identify three parameters",
						n)));
	fit_data_init(&data, rows, n, 3);
	data.log_m = palloc(n * sizeof(double));
	for (i = 0; i < n; i++)
	{
		data.log_m[i] = log(rows[i * 3 + 1]);
		sum_wm += rows[i * 3 + 1] * rows[i * 3 + 2];
	}
	if (isinf(sum_wm))
		clv_weights_out_of_range();
	/* deterministic start: p = 1, q = 2, v = the mean spend (so E[M] = mean) */
	theta[0] = 0.0;
	theta[1] = log(2.0);
	theta[2] = log(sum_wm / data.total_weight);
	f = fit_maximize("gamma_gamma_fit", gamma_gamma_objective, &data, 3, theta, names);
	for (i = 0; i < 3; i++)
		result[i] = exp(theta[i]);
	if (!(result[GG_Q] > 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("gamma_gamma_fit: the fitted q = %g is not above 1, so the mean spend per purchase does not exist",
						result[GG_Q]),
				 errhint("Spend is too heavy-tailed for the Gamma-Gamma model; cap outliers or fit on more customers.")));
	result[GG_LL] = -f * data.total_weight;
	result[GG_CUSTOMERS] = data.total_weight;
	return form_model(fcinfo, result, GG_NATTS, "gamma_gamma_model");
}
