/*
 * clv_fit.c
 *		Maximum-likelihood fits of the CLV models inside an aggregate: the
 *		machinery shared by every model (clv_fit.h), and the BG/NBD model of
 *		repeat purchases (Fader, Hardie & Lee 2005, "Counting your customers
 *		the easy way", Marketing Science 24(2)), its MBG/NBD variant
 *		(Batislam, Denizel & Filiztekin 2007, IJRM 24(3)) and the
 *		Gamma-Gamma model of spend per purchase (Fader, Hardie & Lee 2005,
 *		"RFM and CLV", JMR 42(4); Colombo & Jiang 1999).
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
 *
 * Penalizer: lifetimes' penalizer_coef, the same definition -- the
 * objective is minus the mean log-likelihood per customer plus
 * penalizer * sum of the squared parameters.
 *
 * Standard errors: the inverse of the observed information -- the Hessian
 * of the total objective over the log-parameters, by central differences of
 * the analytic gradient with Richardson extrapolation -- taken to the
 * parameters by the delta method, se(theta_i) = theta_i sqrt(C_ii) (the
 * gradient vanishes at the optimum, so this equals the inverse Hessian in
 * the natural parameters).  NULL when the information is not positive
 * definite to working precision (a flat direction).
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
#include "clv/clv_fit.h"
#include "clv/clv_patterns.h"

PG_FUNCTION_INFO_V1(socroi_bgnbd_fit_final);
PG_FUNCTION_INFO_V1(socroi_mbgnbd_fit_final);
PG_FUNCTION_INFO_V1(socroi_gamma_gamma_fit_final);

/*
 * Distances in log-parameter units from the start, which carries the scale
 * of the data (alpha and v have units of time and money), so the verdicts
 * do not depend on the unit the data is in.
 */
#define FIT_BOUNDARY_LOG_PARAM 16.0 /* an optimum beyond e^+-16 is a boundary one */
#define FIT_HESSIAN_STEP	1e-3	/* log-parameter step of the differences */

void
fit_data_init(FitData *data, const double *rows, int npatterns, int width)
{
	int			i;

	data->rows = rows;
	data->npatterns = npatterns;
	data->width = width;
	data->group_start = palloc((npatterns + 1) * sizeof(int));
	data->ngroups = 0;
	data->total_weight = 0.0;
	data->extra = NULL;
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

double
clv_objective_result(const FitData *data, double ll, const double *params,
					 const double *g, int nparams, double *gradient)
{
	int			i;

	for (i = 0; i < nparams; i++)
		gradient[i] = -params[i] * g[i] / data->total_weight;
	return -ll / data->total_weight;
}

void
clv_fit_unidentified(const char *what, const char *problem, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: %s", what, problem),
			 errhint("%s", hint)));
}

void
clv_fit_too_few_patterns(const char *what, int npatterns, int needed,
						 const char *keys)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: %d distinct %s pattern%s cannot identify the model (%d needed at least)",
					what, npatterns, keys, npatterns == 1 ? "" : "s", needed),
			 errhint("Fit on more customers with different histories.")));
}

/*
 * ERROR for a fit that did not end at an interior optimum, with the last
 * estimate in the detail
 */
static void
fit_failed(const char *what, OptimizeStatus result, const double *theta,
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
						what),
				 errdetail("Last estimate: %s.", buf.data),
				 errhint("Fit on more customers with a longer observation period and some repeat purchases, or add a small penalizer.")));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: maximum likelihood did not converge", what),
			 errdetail("Last estimate: %s.", buf.data),
			 errhint("A small penalizer (e.g. 0.001) often helps.")));
}

/* the objective plus penalizer * sum exp(2 theta_i) */
typedef struct Penalized
{
	OptimizeObjective objective;
	void	   *arg;
	double		penalizer;
	int			n;
} Penalized;

static double
penalized_objective(const double *theta, double *gradient, void *arg)
{
	Penalized  *pen = arg;
	double		f = pen->objective(theta, gradient, pen->arg);
	int			i;

	for (i = 0; i < pen->n; i++)
	{
		double		square = exp(2.0 * theta[i]);

		f += pen->penalizer * square;
		gradient[i] += 2.0 * pen->penalizer * square;
	}
	return f;
}

void
clv_fit_maximize(const ClvModelSpec *spec, const char *what, FitData *data,
				 double penalizer, double *theta, ClvFit *fit)
{
	static const OptimizeSettings settings = OPTIMIZE_DEFAULT_SETTINGS;
	int			n = spec->nparams;
	double		start[CLV_MAX_PARAMS],
				gradient[CLV_MAX_PARAMS],
				hessian[CLV_MAX_PARAMS * CLV_MAX_PARAMS],
				covariance[CLV_MAX_PARAMS * CLV_MAX_PARAMS];
	double		f = 0.0;
	int			iterations = 0;
	int			i;
	OptimizeStatus status;
	Penalized	pen;
	OptimizeObjective objective = spec->objective;
	void	   *arg = data;

	Assert(n <= CLV_MAX_PARAMS);
	if (penalizer > 0.0)
	{
		pen.objective = spec->objective;
		pen.arg = data;
		pen.penalizer = penalizer;
		pen.n = n;
		objective = penalized_objective;
		arg = &pen;
	}
	memcpy(start, theta, n * sizeof(double));
	status = optimize_bfgs(objective, arg, n, theta, &f, &iterations, &settings);
	if (status == OPTIMIZE_CONVERGED &&
		optimize_max_abs_diff(theta, start, n) > FIT_BOUNDARY_LOG_PARAM)
		status = OPTIMIZE_DIVERGED;
	if (status != OPTIMIZE_CONVERGED)
		fit_failed(what, status, theta, spec->param_names, n);
	if (penalizer > 0.0)
		f = spec->objective(theta, gradient, data);	/* without the penalty */
	fit->nparams = n;
	for (i = 0; i < n; i++)
	{
		fit->params[i] = exp(theta[i]);
		fit->se[i] = NAN;
	}
	fit->log_likelihood = -f * data->total_weight;
	fit->customers = data->total_weight;
	/* covariance of the log-parameters: (W H)^-1, H of the mean objective */
	if (optimize_hessian(objective, arg, n, theta, FIT_HESSIAN_STEP, hessian) &&
		optimize_invert_spd(hessian, n, covariance))
	{
		for (i = 0; i < n; i++)
			fit->se[i] = fit->params[i] *
				sqrt(covariance[i * n + i] / data->total_weight);
	}
}

Datum
clv_fit_datum(TupleDesc tupdesc, const ClvFit *fit)
{
	Datum		values[2 * CLV_MAX_PARAMS + 2];
	bool		nulls[2 * CLV_MAX_PARAMS + 2] = {0};
	int			k = fit->nparams;
	int			i;

	if (tupdesc->natts != 2 * k + 2 && tupdesc->natts != k + 2)
		elog(ERROR, "model type has %d attributes, expected %d", tupdesc->natts, 2 * k + 2);
	for (i = 0; i < k; i++)
	{
		values[i] = Float8GetDatum(fit->params[i]);
		if (tupdesc->natts == k + 2)
			continue;			/* no se_* (see clv_fit_result) */
		if (isfinite(fit->se[i]))
			values[k + 2 + i] = Float8GetDatum(fit->se[i]);
		else
			nulls[k + 2 + i] = true;
	}
	values[k] = Float8GetDatum(fit->log_likelihood);
	values[k + 1] = Float8GetDatum(fit->customers);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

/*
 * The model as the function's result type.  bgnbd_model and
 * gamma_gamma_model gained their se_* attributes in socroi 0.3: between
 * installing the new library and ALTER EXTENSION socroi UPDATE a database
 * still has them without, and gets the model without its standard errors.
 */
Datum
clv_fit_result(FunctionCallInfo fcinfo, const ClvFit *fit, const char *type_name)
{
	TupleDesc	tupdesc;
	int			natts = 2 * fit->nparams + 2;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) == TYPEFUNC_COMPOSITE &&
		tupdesc->natts == fit->nparams + 2)
		natts = fit->nparams + 2;
	tupdesc = socroi_result_tupdesc(fcinfo, natts, type_name);
	return clv_fit_datum(tupdesc, fit);
}

/* ---------- BG/NBD and MBG/NBD ---------- */

/*
 * Individual log-likelihood (Fader, Hardie & Lee 2005, eq. 6), with
 * A1 = ln Gamma(r+x) - ln Gamma(r) + r ln alpha, A2 = ln B(a, b+x) - ln B(a, b),
 * A3 = -(r+x) ln(alpha+T), A4 = ln a - ln(b+x-1) - (r+x) ln(alpha+t_x):
 *     LL = A1 + A2 + ln(e^A3 + [x > 0] e^A4).
 * MBG/NBD (Batislam, Denizel & Filiztekin 2007; lifetimes'
 * ModifiedBetaGeoFitter) lets a customer also drop out right after the
 * first purchase: b + x becomes b + x + 1 in A2 and A4 (m = 1), and the A4
 * term counts for x = 0 too.
 * Gradient from the digamma function; derivatives are taken with respect
 * to the log-parameters (chain rule: d/d ln r = r d/dr).
 */
static inline double
bgnbd_family_objective(const double *theta, double *gradient, FitData *data,
					   const int m)
{
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
			stats_lbeta(a, b + x + m) - lbeta_ab;
		double		d1_r = stats_digamma(rx) - psi_r + ln_alpha;
		double		psi_abx = stats_digamma(a + b + x + m);
		double		d2_a = psi_ab - psi_abx;
		double		d2_b = stats_digamma(b + x + m) - psi_b + psi_ab - psi_abx;
		bool		can_drop = (x > 0.0 || m > 0);
		double		c4 = can_drop ? log(a) - log(b + x - 1.0 + m) : 0.0;
		double		sum_w = 0.0,
					sum_wll = 0.0,
					sum_r = 0.0,
					sum_alpha = 0.0,
					sum_e = 0.0;

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

			if (can_drop)
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
		ll += sum_w * a12 + sum_wll;
		g_r += sum_w * d1_r + sum_r;
		g_alpha += sum_w * r / alpha + sum_alpha;
		g_a += sum_w * d2_a + sum_e / a;
		if (can_drop)
			g_b += sum_w * d2_b - sum_e / (b + x - 1.0 + m);
		else
			g_b += sum_w * d2_b;
	}
	return clv_objective_result(data, ll, (const double[]) {r, alpha, a, b},
								(const double[]) {g_r, g_alpha, g_a, g_b}, 4, gradient);
}

static double
bgnbd_objective(const double *theta, double *gradient, void *arg)
{
	return bgnbd_family_objective(theta, gradient, arg, 0);
}

static double
mbgnbd_objective(const double *theta, double *gradient, void *arg)
{
	return bgnbd_family_objective(theta, gradient, arg, 1);
}

double
clv_rfm_fit_start(FitData *data, const double *rows, int npatterns, const char *what)
{
	double		sum_wx = 0.0,
				sum_wt = 0.0;
	int			i;

	fit_data_init(data, rows, npatterns, 4);
	for (i = 0; i < npatterns; i++)
	{
		sum_wx += rows[i * 4] * rows[i * 4 + 3];
		sum_wt += rows[i * 4 + 2] * rows[i * 4 + 3];
	}
	if (isinf(sum_wx) || isinf(sum_wt))
		clv_weights_out_of_range();
	if (sum_wx == 0.0)
		clv_fit_unidentified(what, "no customer made a repeat purchase, so the model cannot be identified",
							 "Repeat purchases are what the purchase rates and dropout are estimated from; extend the observation period.");
	if (npatterns < 3)
		clv_fit_too_few_patterns(what, npatterns, 3, "(frequency, recency, t)");
	/* a ratio, so independent of the scale of the weights */
	return sum_wt > 0.0 ? log(sum_wt / sum_wx) : 0.0;
}

Datum
clv_fit_final(FunctionCallInfo fcinfo, PatternKind kind, ClvFitRows fit_rows,
			  const char *what, const char *type_name)
{
	PatternState *state;
	ClvFit		fit;
	double	   *rows;
	int			n;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = pattern_arg(fcinfo, 0, kind);
	rows = pattern_sorted(state, &n);
	if (n == 0)
		PG_RETURN_NULL();
	fit_rows(rows, n, pattern_penalizer(state), what, &fit);
	return clv_fit_result(fcinfo, &fit, type_name);
}

static const char *const bgnbd_names[] = {"r", "alpha", "a", "b"};
const ClvModelSpec bgnbd_model_spec = {"bgnbd_model", 4, bgnbd_names, bgnbd_objective};
const ClvModelSpec mbgnbd_model_spec = {"mbgnbd_model", 4, bgnbd_names, mbgnbd_objective};

/* the deterministic start of BG/NBD and MBG/NBD, and the identification checks */
static void
bgnbd_family_fit(const ClvModelSpec *spec, const double *rows, int npatterns,
				 double penalizer, const char *what, ClvFit *fit)
{
	FitData		data;
	double		theta[4];

	/* deterministic start: r = a = b = 1, alpha from the mean purchase rate */
	theta[1] = clv_rfm_fit_start(&data, rows, npatterns, what);
	theta[0] = 0.0;
	theta[2] = 0.0;
	theta[3] = 0.0;
	clv_fit_maximize(spec, what, &data, penalizer, theta, fit);
}

void
bgnbd_fit_rows(const double *rows, int npatterns, double penalizer, const char *what,
			   ClvFit *fit)
{
	bgnbd_family_fit(&bgnbd_model_spec, rows, npatterns, penalizer, what, fit);
}

void
mbgnbd_fit_rows(const double *rows, int npatterns, double penalizer, const char *what,
				ClvFit *fit)
{
	bgnbd_family_fit(&mbgnbd_model_spec, rows, npatterns, penalizer, what, fit);
}

SOCROI_VARIANT(socroi_bgnbd_fit_final,
			   clv_fit_final(fcinfo, PATTERN_RFM, bgnbd_fit_rows, "bgnbd_fit", "bgnbd_model"))
SOCROI_VARIANT(socroi_mbgnbd_fit_final,
			   clv_fit_final(fcinfo, PATTERN_RFM, mbgnbd_fit_rows, "mbgnbd_fit", "mbgnbd_model"))

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
			double		ln_m = ((const double *) data->extra)[i];
			double		ln_vm = log(v + m * x);

			ll += w * (base + (px - 1.0) * ln_m - (px + q) * ln_vm);
			g_p += w * x * (d_p + ln_m - ln_vm);
			g_q += w * (d_q - ln_vm);
			g_v += w * (q / v - (px + q) / (v + m * x));
		}
	}
	return clv_objective_result(data, ll, (const double[]) {p, q, v},
								(const double[]) {g_p, g_q, g_v}, 3, gradient);
}

static const char *const gamma_gamma_names[] = {"p", "q", "v"};
const ClvModelSpec gamma_gamma_model_spec = {"gamma_gamma_model", 3, gamma_gamma_names,
	gamma_gamma_objective};

Datum
socroi_gamma_gamma_fit_final(PG_FUNCTION_ARGS)
{
	PatternState *state;
	FitData		data;
	ClvFit		fit;
	double	   *rows;
	double	   *log_m;
	double		theta[3],
				sum_wm = 0.0;
	int			n,
				i;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = pattern_arg(fcinfo, 0, PATTERN_SPEND);
	rows = pattern_sorted(state, &n);
	if (n == 0)
		clv_fit_unidentified("gamma_gamma_fit",
							 "no repeat customers (frequency > 0), so spend per purchase cannot be modelled",
							 "Only repeat purchases show how spend varies around a customer's mean; one-time buyers are ignored.");
	if (n < 3)
		clv_fit_too_few_patterns("gamma_gamma_fit", n, 3, "(frequency, monetary_value)");
	fit_data_init(&data, rows, n, 3);
	log_m = palloc(n * sizeof(double));
	for (i = 0; i < n; i++)
	{
		log_m[i] = log(rows[i * 3 + 1]);
		sum_wm += rows[i * 3 + 1] * rows[i * 3 + 2];
	}
	data.extra = log_m;
	if (isinf(sum_wm))
		clv_weights_out_of_range();
	/* deterministic start: p = 1, q = 2, v = the mean spend (so E[M] = mean) */
	theta[0] = 0.0;
	theta[1] = log(2.0);
	theta[2] = log(sum_wm / data.total_weight);
	clv_fit_maximize(&gamma_gamma_model_spec, "gamma_gamma_fit", &data, pattern_penalizer(state), theta, &fit);
	if (!(fit.params[1] > 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("gamma_gamma_fit: the fitted q = %g is not above 1, so the mean spend per purchase does not exist",
						fit.params[1]),
				 errhint("Spend is too heavy-tailed for the Gamma-Gamma model; cap outliers or fit on more customers.")));
	return clv_fit_result(fcinfo, &fit, "gamma_gamma_model");
}
