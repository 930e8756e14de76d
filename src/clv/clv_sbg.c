/*
 * clv_sbg.c
 *		The shifted-beta-geometric model of contractual retention (Fader &
 *		Hardie 2007, "How to project customer retention", Journal of
 *		Interactive Marketing 21(1)): each subscriber renews at the end of
 *		every period with a constant probability 1 - theta, theta ~
 *		Beta(alpha, beta) across subscribers.  Fit (sbg_fit) and the
 *		quantities built on it.
 *
 * Data: one row per subscriber (or pattern, with a customers weight):
 * periods_survived = renewals completed, churned = lost after them.
 *   churned:  P(T = k + 1) = B(alpha + 1, beta + k) / B(alpha, beta)
 *   active:   S(k)         = B(alpha, beta + k) / B(alpha, beta)
 * (ibid., eq. 2 and 3).
 *
 * Derived quantities:
 *   retention rate  r_t = (beta + t - 1) / (alpha + beta + t - 1)  (eq. 5)
 *   expected lifetime within a horizon h, sum_{t=0}^{h-1} S(t)
 *       = 1 + beta/(alpha+beta) (alpha+beta) rho phi(-(alpha-1) rho),
 *     rho = ln[(beta+alpha)_(h-1) / (beta+1)_(h-1)] / (alpha - 1) with
 *     (x)_n rising factorials (stats_log_rising_ratio_slope), the closed
 *     form of the telescoping sum, finite at alpha = 1;
 *   DERL (Fader & Hardie 2010, "Customer-base valuation in a contractual
 *     setting", Marketing Science 29(1), eq. 6): the discounted expected
 *     residual lifetime of a subscriber with k renewals, just before the
 *     next renewal decision,
 *       DERL(d | k) = (beta+k)/(alpha+beta+k) 2F1(1, beta+k+1; alpha+beta+k+1; 1/(1+d)).
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "miscadmin.h"

#include "common/common.h"
#include "common/hypergeometric.h"
#include "common/stats.h"
#include "clv/clv_fit.h"
#include "clv/clv_patterns.h"
#include "clv/clv_predict.h"
#include "clv/clv_sbg.h"

PG_FUNCTION_INFO_V1(socroi_sbg_fit_final);
PG_FUNCTION_INFO_V1(socroi_sbg_survival);
PG_FUNCTION_INFO_V1(socroi_sbg_retention_rate);
PG_FUNCTION_INFO_V1(socroi_sbg_expected_lifetime);
PG_FUNCTION_INFO_V1(socroi_sbg_derl);

/* ---------- fit ---------- */

/* rows: (periods survived k, churned 0/1, weight), sorted */
static double
sbg_objective(const double *theta, double *gradient, void *arg)
{
	FitData    *data = arg;
	double		alpha = exp(theta[0]),
				beta = exp(theta[1]);
	double		lbeta_ab = stats_lbeta(alpha, beta);
	double		psi_a = stats_digamma(alpha),
				psi_b = stats_digamma(beta),
				psi_ab = stats_digamma(alpha + beta),
				psi_a1 = stats_digamma(alpha + 1.0);
	double		ll = 0.0,
				g_a = 0.0,
				g_b = 0.0;
	int			i;

	for (i = 0; i < data->npatterns; i++)
	{
		const double *row = data->rows + (Size) i * 3;
		double		k = row[0],
					w = row[2];
		double		psi_bk = stats_digamma(beta + k);

		if (row[1] != 0.0)
		{
			/* churned after k renewals: B(alpha+1, beta+k) / B(alpha, beta) */
			double		psi_all = stats_digamma(alpha + beta + k + 1.0);

			ll += w * (stats_lbeta(alpha + 1.0, beta + k) - lbeta_ab);
			g_a += w * (psi_a1 - psi_all - psi_a + psi_ab);
			g_b += w * (psi_bk - psi_all - psi_b + psi_ab);
		}
		else
		{
			/* still active after k renewals: B(alpha, beta+k) / B(alpha, beta) */
			double		psi_all = stats_digamma(alpha + beta + k);

			ll += w * (stats_lbeta(alpha, beta + k) - lbeta_ab);
			g_a += w * (psi_ab - psi_all);
			g_b += w * (psi_bk - psi_all - psi_b + psi_ab);
		}
	}
	return clv_objective_result(data, ll, (const double[]) {alpha, beta},
								(const double[]) {g_a, g_b}, 2, gradient);
}

static const char *const sbg_names[] = {"alpha", "beta"};
const ClvModelSpec sbg_model_spec = {"sbg_model", 2, sbg_names, sbg_objective};

void
sbg_fit_rows(const double *rows, int npatterns, double penalizer,
			 const char *what, ClvFit *fit)
{
	FitData		data;
	double		theta[2] = {0.0, 0.0};	/* alpha = beta = 1 */
	double		churned = 0.0,
				renewed = 0.0;
	int			i;

	fit_data_init(&data, rows, npatterns, 3);
	for (i = 0; i < npatterns; i++)
	{
		if (rows[i * 3 + 1] != 0.0)
			churned += rows[i * 3 + 2];
		if (rows[i * 3] > 0.0)
			renewed += rows[i * 3 + 2];
	}
	if (churned == 0.0)
		clv_fit_unidentified(what, "no subscriber churned, so the churn probabilities cannot be estimated",
							 "The model needs lost subscribers; include cancelled subscriptions with churned = true.");
	if (renewed == 0.0)
		clv_fit_unidentified(what, "no subscriber renewed even once, so the model cannot be identified",
							 "Fit on a cohort observed over several renewal periods.");
	if (npatterns < 2)
		clv_fit_too_few_patterns(what, npatterns, 2, "(periods_survived, churned)");
	clv_fit_maximize(&sbg_model_spec, what, &data, penalizer, theta, fit);
}

SOCROI_VARIANT(socroi_sbg_fit_final,
			   clv_fit_final(fcinfo, PATTERN_SBG, sbg_fit_rows, "sbg_fit", "sbg_model"))

/* ---------- derived quantities ---------- */

static SbgParams
read_sbg(FunctionCallInfo fcinfo, int argno)
{
	return sbg_params(clv_read_model(fcinfo, argno, 0, &sbg_model_spec));
}

double
sbg_survival(const SbgParams *m, double t)
{
	if (isinf(t))
		return 0.0;
	return exp(stats_lbeta(m->alpha, m->beta + t) - stats_lbeta(m->alpha, m->beta));
}

/* sum_{t=0}^{h-1} S(t); h whole or Infinity */
double
sbg_expected_lifetime(const SbgParams *m, double h)
{
	double		eta = m->alpha - 1.0;
	double		rho;

	if (h == 0.0)
		return 0.0;
	if (isinf(h))
		return eta > 0.0 ? 1.0 + m->beta / eta : INFINITY;
	/* 1 + S(1) sum_{t=0}^{h-2} S'(t), S' the model with beta + 1 */
	rho = stats_log_rising_ratio_slope(m->beta + 1.0, h - 1.0, eta);
	return 1.0 + m->beta * rho * clv_phi(-eta * rho);
}

static void
check_whole_periods(double t, const char *argname, bool infinity_ok)
{
	if (isnan(t) || t < 0.0 || (isinf(t) && !infinity_ok) ||
		(!isinf(t) && t != floor(t)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a whole number of periods >= 0%s, got %g",
						argname, infinity_ok ? " (or Infinity)" : "", t)));
}

/*
 * The period t in argument 1 (Infinity allowed): >= 0, or for a renewal
 * (retention rate) >= 1, else ERROR 22023
 */
static double
period_arg(FunctionCallInfo fcinfo, bool renewal)
{
	double		t = PG_GETARG_FLOAT8(1);

	if (isnan(t) || t < (renewal ? 1.0 : 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 renewal ?
				 errmsg("t must be at least 1 (the first renewal), got %g", t) :
				 errmsg("t must not be negative, got %g", t),
				 renewal ?
				 errhint("r_t is the share of subscribers alive in period t - 1 who renew for period t.") : 0));
	return t;
}

Datum
socroi_sbg_survival(PG_FUNCTION_ARGS)
{
	SbgParams	m = read_sbg(fcinfo, 0);

	PG_RETURN_FLOAT8(sbg_survival(&m, period_arg(fcinfo, false)));
}

Datum
socroi_sbg_retention_rate(PG_FUNCTION_ARGS)
{
	SbgParams	m = read_sbg(fcinfo, 0);
	double		t = period_arg(fcinfo, true);

	if (isinf(t))
		PG_RETURN_FLOAT8(1.0);
	PG_RETURN_FLOAT8((m.beta + t - 1.0) / (m.alpha + m.beta + t - 1.0));
}

Datum
socroi_sbg_expected_lifetime(PG_FUNCTION_ARGS)
{
	SbgParams	m = read_sbg(fcinfo, 0);
	double		h = PG_GETARG_FLOAT8(1);
	double		result;

	check_whole_periods(h, "horizon", true);
	result = sbg_expected_lifetime(&m, h);
	if (isnan(result))
		clv_check_result_finite(result, "sbg_expected_lifetime");
	PG_RETURN_FLOAT8(result);
}

Datum
socroi_sbg_derl(PG_FUNCTION_ARGS)
{
	SbgParams	m = read_sbg(fcinfo, 0);
	int32		k = clv_count_arg(fcinfo, 1, "periods_survived");
	double		d = PG_GETARG_FLOAT8(2);
	double		p,
				q,
				lead,
				result;

	socroi_check_finite(d, "discount");
	if (d < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("discount must not be negative, got %g", d),
				 errhint("The discount rate per period as a fraction, e.g. 0.1 for 10 %%.")));
	p = m.beta + k + 1.0;
	q = m.alpha + m.beta + k + 1.0;
	lead = (m.beta + k) / (m.alpha + m.beta + k);
	if (d == 0.0)
	{
		/* 2F1(1, p; q; 1) = (q - 1) / (q - 1 - p) when q - p = alpha > 1 */
		if (!(m.alpha > 1.0))
			PG_RETURN_FLOAT8(INFINITY);
		PG_RETURN_FLOAT8(lead * (q - 1.0) / (m.alpha - 1.0));
	}
	result = lead * hyp2f1_1pq(p, q, 1.0 / (1.0 + d), 50000000L, NULL, NULL, NULL);
	if (isnan(result))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("sbg_derl: the hypergeometric function does not converge for discount %g", d),
				 errhint("Use a discount rate of at least 1e-12.")));
	clv_check_result_finite(result, "sbg_derl");
	PG_RETURN_FLOAT8(result);
}
