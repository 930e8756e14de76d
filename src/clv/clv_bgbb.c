/*
 * clv_bgbb.c
 *		The BG/BB model of discrete-time, non-contractual repeat transactions
 *		(Fader, Hardie & Shang 2010, "Customer-base analysis in a
 *		discrete-time noncontractual setting", Marketing Science 29(6)):
 *		at each transaction opportunity an active customer transacts with
 *		probability p ~ Beta(alpha, beta), then drops out with probability
 *		theta ~ Beta(gamma, delta).  Fit (bgbb_fit) and predictions.
 *
 * Data: x transactions in n opportunities, the last at opportunity t_x.
 * Likelihood (ibid., eq. 5):
 *   L = B(alpha+x, beta+n-x)/B(alpha, beta) B(gamma, delta+n)/B(gamma, delta)
 *     + sum_{i=0}^{n-t_x-1} B(alpha+x, beta+t_x-x+i)/B(alpha, beta)
 *                           B(gamma+1, delta+t_x+i)/B(gamma, delta).
 * The terms of the sum shrink with i (their ratio is a product of two
 * factors below 1), so they are summed relative to the first, with the
 * digamma functions of their gradient advanced by psi(z+1) = psi(z) + 1/z.
 *
 * Predictions, with A(m) = sum_{i=1}^{m} B(gamma, delta+i)/B(gamma, delta),
 * the expected number of opportunities alive among the next m:
 *   E[X(n)] = alpha/(alpha+beta) A(n)                      (eq. 7)
 *   P(alive at n+1 | x, t_x, n)
 *       = B(alpha+x, beta+n-x)/B(alpha, beta) B(gamma, delta+n+1)/B(gamma, delta) / L
 *                                                            (eq. 11)
 *   E[X(n, n+n*) | x, t_x, n]
 *       = B(alpha+x+1, beta+n-x)/B(alpha, beta) B(gamma, delta+n)/B(gamma, delta)
 *         A'(n*) / L,   A' = A with delta + n for delta       (eq. 13)
 * and A(m) = delta/(gamma-1) [1 - (1+delta)_m / (gamma+delta)_m] in closed
 * form, written as delta rho phi(-(gamma-1) rho) with rho = ln[(gamma+
 * delta)_m / (1+delta)_m] / (gamma - 1), finite at gamma = 1.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "miscadmin.h"

#include "common/common.h"
#include "common/stats.h"
#include "clv/clv_fit.h"
#include "clv/clv_patterns.h"
#include "clv/clv_predict.h"

PG_FUNCTION_INFO_V1(socroi_bgbb_fit_final);
PG_FUNCTION_INFO_V1(socroi_bgbb_expected_purchases);
PG_FUNCTION_INFO_V1(socroi_bgbb_conditional_purchases);
PG_FUNCTION_INFO_V1(socroi_bgbb_p_alive);

typedef struct BgbbParams
{
	double		alpha,
				beta,
				gamma,
				delta;
} BgbbParams;

/* from (alpha, beta, gamma, delta): a model composite's or a fit's parameters */
static BgbbParams
bgbb_params(const double *p)
{
	BgbbParams	m = {p[0], p[1], p[2], p[3]};

	return m;
}

/*
 * ln L of one history (without the -ln B(alpha,beta) - ln B(gamma,delta)
 * of every term) and, when grad is not NULL, its derivatives with respect
 * to alpha, beta, gamma, delta.
 */
static double
bgbb_log_terms(const BgbbParams *m, double x, double tx, double n, double *grad)
{
	double		a = m->alpha,
				b = m->beta,
				g = m->gamma,
				d = m->delta;
	double		l_alive = stats_lbeta(a + x, b + n - x) + stats_lbeta(g, d + n);
	double		l_first,
				top,
				sum,
				e;
	double		alive_d[4] = {0, 0, 0, 0},
				sum_d[4] = {0, 0, 0, 0};
	double		psi_ax = 0.0,
				psi_abm = 0.0,
				psi_bm = 0.0,
				psi_dj = 0.0,
				psi_gdj = 0.0,
				psi_g1 = 0.0;
	long		count = (long) (n - tx);	/* terms of the sum: n - t_x */
	long		i;
	int			k;

	if (grad)
	{
		psi_ax = stats_digamma(a + x);
		alive_d[0] = psi_ax - stats_digamma(a + b + n);
		alive_d[1] = stats_digamma(b + n - x) - stats_digamma(a + b + n);
		alive_d[2] = stats_digamma(g) - stats_digamma(g + d + n);
		alive_d[3] = stats_digamma(d + n) - stats_digamma(g + d + n);
	}
	if (count <= 0)
	{
		if (grad)
			memcpy(grad, alive_d, sizeof(alive_d));
		return l_alive;
	}
	/* the first dead-after term, i = 0 */
	l_first = stats_lbeta(a + x, b + tx - x) + stats_lbeta(g + 1.0, d + tx);
	top = fmax(l_alive, l_first);
	sum = exp(l_alive - top);
	if (grad)
	{
		psi_abm = stats_digamma(a + b + tx);
		psi_bm = stats_digamma(b + tx - x);
		psi_dj = stats_digamma(d + tx);
		psi_gdj = stats_digamma(g + d + tx + 1.0);
		psi_g1 = stats_digamma(g + 1.0);
		for (k = 0; k < 4; k++)
			sum_d[k] = sum * alive_d[k];
	}
	e = exp(l_first - top);
	for (i = 0; i < count; i++)
	{
		double		j = tx + i;

		sum += e;
		if (grad)
		{
			sum_d[0] += e * (psi_ax - psi_abm);
			sum_d[1] += e * (psi_bm - psi_abm);
			sum_d[2] += e * (psi_g1 - psi_gdj);
			sum_d[3] += e * (psi_dj - psi_gdj);
			/* advance every digamma by one */
			psi_abm += 1.0 / (a + b + j);
			psi_bm += 1.0 / (b + j - x);
			psi_dj += 1.0 / (d + j);
			psi_gdj += 1.0 / (g + d + j + 1.0);
		}
		/* B(a+x, b+j+1-x)/B(a+x, b+j-x) B(g+1, d+j+1)/B(g+1, d+j) */
		e *= (b + j - x) / (a + b + j) * (d + j) / (g + d + j + 1.0);
		if ((i & 0xffff) == 0xffff)
			CHECK_FOR_INTERRUPTS();
	}
	if (grad)
		for (k = 0; k < 4; k++)
			grad[k] = sum_d[k] / sum;
	return top + log(sum);
}

/* ---------- fit ---------- */

static double
bgbb_objective(const double *theta, double *gradient, void *arg)
{
	FitData    *data = arg;
	double		p[4];
	BgbbParams	m;
	double		base,
				base_d[4],
				ll = 0.0,
				g[4] = {0, 0, 0, 0};
	int			i,
				k;

	clv_exp_params(theta, 4, p);
	m = bgbb_params(p);
	base = -stats_lbeta(m.alpha, m.beta) - stats_lbeta(m.gamma, m.delta);
	base_d[0] = stats_digamma(m.alpha + m.beta) - stats_digamma(m.alpha);
	base_d[1] = stats_digamma(m.alpha + m.beta) - stats_digamma(m.beta);
	base_d[2] = stats_digamma(m.gamma + m.delta) - stats_digamma(m.gamma);
	base_d[3] = stats_digamma(m.gamma + m.delta) - stats_digamma(m.delta);
	for (i = 0; i < data->npatterns; i++)
	{
		const double *row = data->rows + (Size) i * 4;
		double		d[4];
		double		w = row[3];

		ll += w * (base + bgbb_log_terms(&m, row[0], row[1], row[2], d));
		for (k = 0; k < 4; k++)
			g[k] += w * (base_d[k] + d[k]);
	}
	return clv_objective_result(data, ll, p, g, 4, gradient);
}

static const char *const bgbb_names[] = {"alpha", "beta", "gamma", "delta"};
static const ClvModelSpec bgbb_model_spec = {"bgbb_model", 4, bgbb_names, bgbb_objective};

/* the deterministic start and the identification checks */
static void
bgbb_fit_rows(const double *rows, int npatterns, double penalizer, const char *what,
			  ClvFit *fit)
{
	FitData		data;
	double		theta[4] = {0.0, 0.0, 0.0, 0.0};	/* all parameters 1 */
	double		transactions = 0.0;
	int			i;

	fit_data_init(&data, rows, npatterns, 4);
	for (i = 0; i < npatterns; i++)
		transactions += rows[i * 4] * rows[i * 4 + 3];
	if (transactions == 0.0)
		clv_fit_unidentified(what, "no customer made a transaction, so the model cannot be identified",
							 "Fit on customers observed over several transaction opportunities, with their repeat transactions.");
	if (npatterns < 3)
		clv_fit_too_few_patterns(what, npatterns, 3, "(frequency, recency, n_periods)");
	clv_fit_maximize(&bgbb_model_spec, what, &data, penalizer, theta, fit);
}

SOCROI_VARIANT(socroi_bgbb_fit_final,
			   clv_fit_final(fcinfo, PATTERN_BGBB, bgbb_fit_rows, "bgbb_fit", "bgbb_model"))

/* ---------- predictions ---------- */

static BgbbParams
read_bgbb(FunctionCallInfo fcinfo, int argno)
{
	return bgbb_params(clv_read_model(fcinfo, argno, 0, &bgbb_model_spec));
}

/* A(m) = sum_{i=1}^{m} B(gamma, delta+i) / B(gamma, delta), in closed form */
static double
bgbb_alive_sum(double gamma, double delta, double periods)
{
	double		h = gamma - 1.0;
	double		rho;

	if (periods == 0.0)
		return 0.0;
	rho = stats_log_rising_ratio_slope(1.0 + delta, periods, h);
	return delta * rho * clv_phi(-h * rho);
}

/* ln L of a history, all terms */
static double
bgbb_log_likelihood(const BgbbParams *m, double x, double tx, double n)
{
	return bgbb_log_terms(m, x, tx, n, NULL) - stats_lbeta(m->alpha, m->beta) -
		stats_lbeta(m->gamma, m->delta);
}

Datum
socroi_bgbb_expected_purchases(PG_FUNCTION_ARGS)
{
	BgbbParams	m = read_bgbb(fcinfo, 0);
	int32		periods = clv_count_arg(fcinfo, 1, "future_periods");

	PG_RETURN_FLOAT8(clv_check_result_finite(m.alpha / (m.alpha + m.beta) *
											 bgbb_alive_sum(m.gamma, m.delta, periods),
											 "bgbb_expected_purchases"));
}

Datum
socroi_bgbb_conditional_purchases(PG_FUNCTION_ARGS)
{
	BgbbParams	m = read_bgbb(fcinfo, 0);
	int32		periods = clv_count_arg(fcinfo, 1, "future_periods");
	ClvCustomer c = clv_discrete_summary_args(fcinfo, 2);
	double		log_front;

	log_front = stats_lbeta(m.alpha + c.x + 1.0, m.beta + c.t - c.x) - stats_lbeta(m.alpha, m.beta)
		+ stats_lbeta(m.gamma, m.delta + c.t) - stats_lbeta(m.gamma, m.delta)
		- bgbb_log_likelihood(&m, c.x, c.tx, c.t);
	PG_RETURN_FLOAT8(clv_check_result_finite(exp(log_front) *
											 bgbb_alive_sum(m.gamma, m.delta + c.t, periods),
											 "bgbb_conditional_purchases"));
}

Datum
socroi_bgbb_p_alive(PG_FUNCTION_ARGS)
{
	BgbbParams	m = read_bgbb(fcinfo, 0);
	ClvCustomer c = clv_discrete_summary_args(fcinfo, 1);

	PG_RETURN_FLOAT8(exp(stats_lbeta(m.alpha + c.x, m.beta + c.t - c.x) - stats_lbeta(m.alpha, m.beta)
						 + stats_lbeta(m.gamma, m.delta + c.t + 1.0) - stats_lbeta(m.gamma, m.delta)
						 - bgbb_log_likelihood(&m, c.x, c.tx, c.t)));
}
