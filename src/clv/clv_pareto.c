/*
 * clv_pareto.c
 *		The Pareto/NBD model of repeat purchases (Schmittlein, Morrison &
 *		Colombo 1987, "Counting your customers", Management Science 33(1)):
 *		purchases at rate lambda ~ Gamma(r, alpha) while alive, an
 *		exponential lifetime with rate mu ~ Gamma(s, beta).  Maximum
 *		likelihood fit (pareto_nbd_fit) and its predictions.
 *
 * Likelihood (Fader & Hardie 2005, "A note on deriving the Pareto/NBD model
 * and related expressions", eq. 22), for a customer with x repeat purchases,
 * the last at t_x, observed for T:
 *   L = Gamma(r+x) alpha^r beta^s / Gamma(r)
 *       [ K(T) + s/(r+s+x) A0 ],     K(t) = (alpha+t)^-(r+x) (beta+t)^-s,
 * where A0 = integral_{t_x}^{T} s-free part of the death density, written
 * with Gauss's hypergeometric function in two regimes so that its argument
 * lies in [0, 1):
 *   alpha >= beta: A0 = F(t_x)/(alpha+t_x)^(r+s+x) - F(T)/(alpha+T)^(r+s+x),
 *                  F(t) = 2F1(r+s+x, s+1; r+s+x+1; (alpha-beta)/(alpha+t));
 *   alpha <  beta: the same with beta for alpha and r+x for s+1.
 * Euler's transformation (A&S 15.3.3) turns each term into one with the
 * positive, fast-shrinking series 2F1(1, p; r+s+x+1; z) (common/
 * hypergeometric.c):
 *   alpha >= beta: F(t)/(alpha+t)^(r+s+x) = K(t) 2F1(1, r+x; q; z_t),
 *   alpha <  beta: F(t)/(beta+t)^(r+s+x)  = K(t) w_t 2F1(1, s+1; q; z_t),
 *   q = r+s+x+1, w_t = (alpha+t)/(beta+t), z_t = |alpha-beta| / (max+t).
 * So L = C [K(T) (1 - c R(T)) + c K(t_x) R(t_x)], c = s/(r+s+x), with
 * R(t) = the 2F1 (times w_t when alpha < beta); the two terms are combined
 * after scaling by the larger of K(T) and K(t_x), so nothing overflows.
 * The gradient carries the derivatives of 2F1 with respect to its
 * parameters and argument (hyp2f1_1pq).  R depends on (x, t) only, so it is
 * computed once per distinct (x, t_x) and (x, T) at each evaluation.
 *
 * Predictions (ibid., eq. 17, 18, 21):
 *   E[X(t)] = r beta / (alpha (s-1)) [1 - (beta/(beta+t))^(s-1)],
 *   P(alive | x, t_x, T) = K(T) / (K(T) (1 - c R(T)) + c K(t_x) R(t_x)),
 *   E[Y(t) | x, t_x, T] = (r+x)(beta+T) / ((alpha+T)(s-1))
 *                         [1 - ((beta+T)/(beta+T+t))^(s-1)] P(alive),
 * written with (e^u - 1)/u so that s = 1 is no singularity.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "miscadmin.h"

#include "common/common.h"
#include "common/hypergeometric.h"
#include "common/stats.h"
#include "clv/clv_fit.h"
#include "clv/clv_pareto.h"
#include "clv/clv_patterns.h"
#include "clv/clv_predict.h"

PG_FUNCTION_INFO_V1(socroi_pareto_nbd_fit_final);
PG_FUNCTION_INFO_V1(socroi_pareto_nbd_expected_purchases);
PG_FUNCTION_INFO_V1(socroi_pareto_nbd_conditional_purchases);
PG_FUNCTION_INFO_V1(socroi_pareto_nbd_p_alive);

/*
 * Steps of the 2F1 in a fit and in a prediction.  A fit whose line search
 * wanders where alpha and beta are so far apart (or s or r so large) that
 * the 2F1 needs more steps treats the point as outside the domain and steps
 * back; a prediction there raises 54000.
 */
#define PARETO_FIT_STEPS	2000L

/*
 * Shapes r and s beyond this (a coefficient of variation of the rates below
 * 10 %) mean rates that hardly vary across customers: the likelihood's
 * supremum is then on the boundary (s, beta -> infinity with s/beta fixed),
 * where the 2F1 grows expensive.  A fit treats such points as outside the
 * domain; when its line searches keep running into them it stops with an
 * ERROR instead of crawling towards infinity.
 */
#define PARETO_MAX_SHAPE	100.0
#define PARETO_MAX_SHAPE_HITS 30
#define PARETO_MAX_STEPS	1000000L

/* R(t) and its derivatives with respect to r, alpha, s, beta */
typedef struct ParetoR
{
	double		value;
	double		d[4];
} ParetoR;

/*
 * R(t) for frequency x: 2F1(1, r+x; q; (alpha-beta)/(alpha+t)) when
 * alpha >= beta, else w_t 2F1(1, s+1; q; (beta-alpha)/(beta+t)); with the
 * derivatives when want_d.  NaN when the continued fraction fails.
 */
static void
pareto_r(const ParetoParams *m, double x, double t, bool want_d, ParetoR *out)
{
	double		q = m->r + m->s + x + 1.0;
	double		f,
				f_p = 0.0,
				f_q = 0.0,
				f_z = 0.0;

	if (m->alpha >= m->beta)
	{
		double		at = m->alpha + t;
		double		z = (m->alpha - m->beta) / at;

		f = hyp2f1_1pq(m->r + x, q, z, want_d ? PARETO_FIT_STEPS : PARETO_MAX_STEPS,
					   want_d ? &f_p : NULL, want_d ? &f_q : NULL, want_d ? &f_z : NULL);
		out->value = f;
		if (want_d)
		{
			out->d[0] = f_p + f_q;
			out->d[1] = f_z * (m->beta + t) / (at * at);
			out->d[2] = f_q;
			out->d[3] = -f_z / at;
		}
	}
	else
	{
		double		bt = m->beta + t;
		double		z = (m->beta - m->alpha) / bt;
		double		w = (m->alpha + t) / bt;

		f = hyp2f1_1pq(m->s + 1.0, q, z, want_d ? PARETO_FIT_STEPS : PARETO_MAX_STEPS,
					   want_d ? &f_p : NULL, want_d ? &f_q : NULL, want_d ? &f_z : NULL);
		out->value = w * f;
		if (want_d)
		{
			out->d[0] = w * f_q;
			out->d[1] = f / bt - w * f_z / bt;
			out->d[2] = w * (f_p + f_q);
			out->d[3] = -w * f / bt + w * f_z * (m->alpha + t) / (bt * bt);
		}
	}
}

/* ln K(t) = -(r+x) ln(alpha+t) - s ln(beta+t) and its derivatives */
static double
pareto_log_k(const ParetoParams *m, double x, double t, double *d)
{
	double		la = log(m->alpha + t),
				lb = log(m->beta + t);

	if (d)
	{
		d[0] = -la;
		d[1] = -(m->r + x) / (m->alpha + t);
		d[2] = -lb;
		d[3] = -m->s / (m->beta + t);
	}
	return -(m->r + x) * la - m->s * lb;
}

/*
 * ln[K(T)(1 - c R(T)) + c K(t_x) R(t_x)] and, when grad is not NULL, its
 * derivatives with respect to r, alpha, s, beta; *alive gets
 * K(T) / (that sum), P(alive).
 */
static double
pareto_log_bracket(const ParetoParams *m, double x, double tx, double T,
				   const ParetoR *rt, const ParetoR *rx, double *grad, double *alive)
{
	double		dk_t[4],
				dk_x[4],
				dc[4] = {0, 0, 0, 0};
	double		lk_t = pareto_log_k(m, x, T, grad ? dk_t : NULL);
	double		lk_x = pareto_log_k(m, x, tx, grad ? dk_x : NULL);
	double		rsx = m->r + m->s + x;
	double		c = m->s / rsx;
	double		top = fmax(lk_t, lk_x);
	double		k_t = exp(lk_t - top),
				k_x = exp(lk_x - top);
	double		sum = k_t * (1.0 - c * rt->value) + c * k_x * rx->value;
	int			i;

	if (alive)
		*alive = k_t / sum;
	if (grad)
	{
		dc[0] = -m->s / (rsx * rsx);
		dc[2] = (m->r + x) / (rsx * rsx);
		for (i = 0; i < 4; i++)
		{
			double		d = k_t * (dk_t[i] * (1.0 - c * rt->value) - dc[i] * rt->value -
								   c * rt->d[i]) +
				k_x * (dc[i] * rx->value + c * dk_x[i] * rx->value + c * rx->d[i]);

			grad[i] = d / sum;
		}
	}
	return top + log(sum);
}

/* ---------- fit ---------- */

/* per frequency group: the distinct times, and each pattern's two indexes */
typedef struct ParetoData
{
	double	   *times;			/* distinct t_x and T values, per group */
	int		   *time_start;		/* ngroups + 1 entries */
	int		   *index_tx;		/* per pattern: its t_x in times */
	int		   *index_T;		/* per pattern: its T in times */
	ParetoR    *r_values;		/* scratch: R at every time */
	int			ntimes;
	int			shape_hits;		/* evaluations outside the domain */
	const char *what;			/* the caller, for messages */
} ParetoData;

static int
time_index(const double *times, int n, double t)
{
	int			lo = 0,
				hi = n - 1;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (times[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	Assert(times[lo] == t);
	return lo;
}

static void
pareto_data_init(FitData *data, ParetoData *pd)
{
	int32		one_key = 1;
	int			grp,
				i;

	pd->times = palloc(2 * Max(data->npatterns, 1) * sizeof(double));
	pd->time_start = palloc((data->ngroups + 1) * sizeof(int));
	pd->index_tx = palloc(Max(data->npatterns, 1) * sizeof(int));
	pd->index_T = palloc(Max(data->npatterns, 1) * sizeof(int));
	pd->ntimes = 0;
	for (grp = 0; grp < data->ngroups; grp++)
	{
		int			first = data->group_start[grp];
		int			last = data->group_start[grp + 1];
		double	   *times = pd->times + pd->ntimes;
		int			n = 0,
					distinct = 0;

		for (i = first; i < last; i++)
		{
			times[n++] = data->rows[(Size) i * 4 + 1];
			times[n++] = data->rows[(Size) i * 4 + 2];
		}
		/* as one-key pattern rows (no -0: keys are folded) */
		qsort_arg(times, n, sizeof(double), pattern_rows_cmp, &one_key);
		for (i = 0; i < n; i++)
			if (distinct == 0 || times[i] != times[distinct - 1])
				times[distinct++] = times[i];
		pd->time_start[grp] = pd->ntimes;
		for (i = first; i < last; i++)
		{
			pd->index_tx[i] = pd->ntimes +
				time_index(times, distinct, data->rows[(Size) i * 4 + 1]);
			pd->index_T[i] = pd->ntimes +
				time_index(times, distinct, data->rows[(Size) i * 4 + 2]);
		}
		pd->ntimes += distinct;
	}
	pd->time_start[data->ngroups] = pd->ntimes;
	pd->r_values = palloc(Max(pd->ntimes, 1) * sizeof(ParetoR));
	pd->shape_hits = 0;
	data->extra = pd;
}

static double
pareto_objective(const double *theta, double *gradient, void *arg)
{
	FitData    *data = arg;
	ParetoData *pd = data->extra;
	double		p[4];
	ParetoParams m;
	double		ln_alpha = theta[1],
				ln_beta = theta[3];
	double		lgamma_r,
				psi_r;
	double		ll = 0.0,
				g[4] = {0, 0, 0, 0};
	int			grp,
				i,
				k;

	clv_exp_params(theta, 4, p);
	m = pareto_params(p);
	if (!(m.r <= PARETO_MAX_SHAPE && m.s <= PARETO_MAX_SHAPE))
	{
		if (++pd->shape_hits > PARETO_MAX_SHAPE_HITS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: the %s rates hardly vary across customers, so the data cannot identify the Pareto/NBD model",
							pd->what, m.s > PARETO_MAX_SHAPE ? "dropout" : "purchase"),
					 errdetail("Maximum likelihood runs towards %s = infinity (last estimate r = %g, alpha = %g, s = %g, beta = %g).",
							   m.s > PARETO_MAX_SHAPE ? "s" : "r", m.r, m.alpha, m.s, m.beta),
					 errhint("Fit BG/NBD or MBG/NBD instead, or add a penalizer (e.g. 0.001).")));
		return NAN;
	}
	lgamma_r = lgamma(m.r);
	psi_r = stats_digamma(m.r);
	for (grp = 0; grp < data->ngroups; grp++)
	{
		int			first = data->group_start[grp];
		int			last = data->group_start[grp + 1];
		double		x = data->rows[(Size) first * 4];
		double		a1 = lgamma(m.r + x) - lgamma_r + m.r * ln_alpha + m.s * ln_beta;
		double		d1_r = stats_digamma(m.r + x) - psi_r + ln_alpha;

		CHECK_FOR_INTERRUPTS();
		for (k = pd->time_start[grp]; k < pd->time_start[grp + 1]; k++)
		{
			pareto_r(&m, x, pd->times[k], true, &pd->r_values[k]);
			if (isnan(pd->r_values[k].value))
			{
				/* the line search steps back, unless it keeps coming here */
				if (++pd->shape_hits > PARETO_MAX_SHAPE_HITS)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("%s: maximum likelihood runs where alpha and beta are too far apart to evaluate the likelihood",
									pd->what),
							 errdetail("Last estimate: r = %g, alpha = %g, s = %g, beta = %g.",
									   m.r, m.alpha, m.s, m.beta),
							 errhint("The data barely identify Pareto/NBD; fit BG/NBD or MBG/NBD, or add a penalizer (e.g. 0.001).")));
				return NAN;
			}
		}
		for (i = first; i < last; i++)
		{
			const double *row = data->rows + (Size) i * 4;
			double		w = row[3];
			double		d[4];
			double		lb = pareto_log_bracket(&m, x, row[1], row[2],
												&pd->r_values[pd->index_T[i]],
												&pd->r_values[pd->index_tx[i]],
												d, NULL);

			ll += w * (a1 + lb);
			g[0] += w * (d1_r + d[0]);
			g[1] += w * (m.r / m.alpha + d[1]);
			g[2] += w * (ln_beta + d[2]);
			g[3] += w * (m.s / m.beta + d[3]);
		}
	}
	return clv_objective_result(data, ll, p, g, 4, gradient);
}

static const char *const pareto_nbd_names[] = {"r", "alpha", "s", "beta"};
const ClvModelSpec pareto_nbd_model_spec = {"pareto_nbd_model", 4, pareto_nbd_names,
	pareto_objective};

void
pareto_nbd_fit_rows(const double *rows, int npatterns, double penalizer,
					const char *what, ClvFit *fit)
{
	FitData		data;
	ParetoData	pd;
	double		theta[4];

	/*
	 * deterministic start: r = s = 1 and alpha = beta = the mean time per
	 * repeat purchase (z = 0 in both regimes)
	 */
	theta[1] = clv_rfm_fit_start(&data, rows, npatterns, what);
	theta[0] = 0.0;
	theta[2] = 0.0;
	theta[3] = theta[1];
	pareto_data_init(&data, &pd);
	pd.what = what;
	clv_fit_maximize(&pareto_nbd_model_spec, what, &data, penalizer, theta, fit);
}

SOCROI_VARIANT(socroi_pareto_nbd_fit_final,
			   clv_fit_final(fcinfo, PATTERN_RFM, pareto_nbd_fit_rows, "pareto_nbd_fit",
							 "pareto_nbd_model"))

/* ---------- predictions ---------- */

static ParetoParams
read_pareto(FunctionCallInfo fcinfo, int argno)
{
	return pareto_params(clv_read_model(fcinfo, argno, 0, &pareto_nbd_model_spec));
}

/* [1 - (b/(b+t))^(s-1)] / (s-1) = L phi(-(s-1) L), L = ln(1 + t/b) */
static double
pareto_lifetime_factor(double s, double b, double t)
{
	double		l = log1p(t / b);

	return l * clv_phi(-(s - 1.0) * l);
}

double
pareto_nbd_alive(const ParetoParams *m, double x, double tx, double T)
{
	ParetoR		rt,
				rx;
	double		alive;

	if (tx == T)
		return 1.0;				/* A0 = 0: no time since the last purchase */
	pareto_r(m, x, T, false, &rt);
	pareto_r(m, x, tx, false, &rx);
	if (isnan(rt.value) || isnan(rx.value))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("pareto_nbd: the hypergeometric function does not converge for this model"),
				 errhint("alpha and beta are too far apart (their ratio beyond about 1e12).")));
	(void) pareto_log_bracket(m, x, tx, T, &rt, &rx, NULL, &alive);
	return alive;
}

double
pareto_nbd_expected(const ParetoParams *m, double t)
{
	return m->r / m->alpha * m->beta * pareto_lifetime_factor(m->s, m->beta, t);
}

double
pareto_nbd_conditional(const ParetoParams *m, double t, double x, double tx, double T)
{
	return (m->r + x) / (m->alpha + T) * (m->beta + T) *
		pareto_lifetime_factor(m->s, m->beta + T, t) * pareto_nbd_alive(m, x, tx, T);
}

Datum
socroi_pareto_nbd_expected_purchases(PG_FUNCTION_ARGS)
{
	ParetoParams m = read_pareto(fcinfo, 0);
	double		t = clv_horizon_arg(fcinfo, 1);

	PG_RETURN_FLOAT8(clv_check_result_finite(pareto_nbd_expected(&m, t),
											 "pareto_nbd_expected_purchases"));
}

Datum
socroi_pareto_nbd_conditional_purchases(PG_FUNCTION_ARGS)
{
	ParetoParams m = read_pareto(fcinfo, 0);
	double		t = clv_horizon_arg(fcinfo, 1);
	ClvCustomer c = clv_summary_args(fcinfo, 2);

	PG_RETURN_FLOAT8(clv_check_result_finite(pareto_nbd_conditional(&m, t, c.x, c.tx, c.t),
											 "pareto_nbd_conditional_purchases"));
}

Datum
socroi_pareto_nbd_p_alive(PG_FUNCTION_ARGS)
{
	ParetoParams m = read_pareto(fcinfo, 0);
	ClvCustomer c = clv_summary_args(fcinfo, 1);

	PG_RETURN_FLOAT8(pareto_nbd_alive(&m, c.x, c.tx, c.t));
}
