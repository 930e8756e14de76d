/*
 * clv_predict.c
 *		Predictions of the fitted CLV models: the BG/NBD expectations and
 *		P(alive) (Fader, Hardie & Lee 2005, "Counting your customers the easy
 *		way", eq. 9-10), the Gamma-Gamma expected spend ("RFM and CLV",
 *		eq. 5) and the discounted predicted CLV built on both.
 *
 * A model argument is a composite (bgnbd_model, gamma_gamma_model) whose
 * parameters are read once per distinct value and cached in fn_extra, so a
 * query that predicts for a million customers from one model decodes the
 * model once.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "common/common.h"
#include "common/stats.h"
#include "clv/clv_patterns.h"
#include "clv/clv_predict.h"

PG_FUNCTION_INFO_V1(socroi_bgnbd_expected_purchases);
PG_FUNCTION_INFO_V1(socroi_bgnbd_conditional_purchases);
PG_FUNCTION_INFO_V1(socroi_bgnbd_p_alive);
PG_FUNCTION_INFO_V1(socroi_gamma_gamma_expected_spend);
PG_FUNCTION_INFO_V1(socroi_predicted_clv);
PG_FUNCTION_INFO_V1(socroi_mbgnbd_expected_purchases);
PG_FUNCTION_INFO_V1(socroi_mbgnbd_conditional_purchases);
PG_FUNCTION_INFO_V1(socroi_mbgnbd_p_alive);
PG_FUNCTION_INFO_V1(socroi_bgnbd_probability_of_purchases);

double
clv_phi(double u)
{
	return (u == 0.0) ? 1.0 : expm1(u) / u;
}

typedef struct GammaGammaParams
{
	double		p,
				q,
				v;
} GammaGammaParams;

/* a model argument's parameters, cached by the composite's bytes */
typedef struct ModelCache
{
	Size		len;
	double		params[CLV_MAX_PARAMS];
	char		bytes[FLEXIBLE_ARRAY_MEMBER];
} ModelCache;

const double *
clv_read_model(FunctionCallInfo fcinfo, int argno, int slot, const ClvModelSpec *model)
{
	HeapTupleHeader tuple = PG_GETARG_HEAPTUPLEHEADER(argno);
	Size		len = HeapTupleHeaderGetDatumLength(tuple);
	ModelCache **cache = (ModelCache **) fcinfo->flinfo->fn_extra;
	double		params[CLV_MAX_PARAMS];
	int			i;

	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt,
									   CLV_MODEL_SLOTS * sizeof(ModelCache *));
		fcinfo->flinfo->fn_extra = cache;
	}
	if (cache[slot] && cache[slot]->len == len &&
		memcmp(cache[slot]->bytes, tuple, len) == 0)
		return cache[slot]->params;
	for (i = 0; i < model->nparams; i++)
	{
		bool		isnull;
		Datum		d = GetAttributeByNum(tuple, i + 1, &isnull);
		double		value;

		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s field %s must not be NULL", model->type_name,
							model->param_names[i])));
		value = DatumGetFloat8(d);
		if (!isfinite(value) || !(value > 0.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s field %s must be a positive finite number, got %g",
							model->type_name, model->param_names[i], value)));
		params[i] = value;
	}
	if (cache[slot])
		pfree(cache[slot]);
	cache[slot] = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt,
									 offsetof(ModelCache, bytes) + len);
	cache[slot]->len = len;
	memcpy(cache[slot]->params, params, model->nparams * sizeof(double));
	memcpy(cache[slot]->bytes, tuple, len);
	return cache[slot]->params;
}

static BgnbdParams
read_bgnbd(FunctionCallInfo fcinfo, int argno)
{
	return bgnbd_params(clv_read_model(fcinfo, argno, 0, &bgnbd_model_spec));
}

static GammaGammaParams
read_gamma_gamma(FunctionCallInfo fcinfo, int argno)
{
	const double *p = clv_read_model(fcinfo, argno, 1, &gamma_gamma_model_spec);
	GammaGammaParams g = {p[0], p[1], p[2]};	/* p, q, v */

	return g;
}

int32
clv_count_arg(FunctionCallInfo fcinfo, int argno, const char *argname)
{
	int32		value = PG_GETARG_INT32(argno);

	if (value < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative, got %d", argname, value)));
	return value;
}

double
clv_horizon_arg(FunctionCallInfo fcinfo, int argno)
{
	double		horizon = PG_GETARG_FLOAT8(argno);

	socroi_check_nonnegative(horizon, "horizon");
	return horizon;
}

/* cap on the terms of the hypergeometric series (z close to 1 needs more) */
#define BGNBD_MAX_TERMS 20000000L

/*
 * E[Y(t) | alive, x, T]: expected purchases in (T, T + t] of a customer who
 * is still active.  Fader, Hardie & Lee (2005, eq. 10) give
 *   (a+b+x-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x)
 *                        2F1(r+x, b+x; a+b+x-1; z)],   z = t / (alpha+T+t).
 * Euler's transformation (A&S 15.3.3) turns (1-z)^(r+x) 2F1(...) into
 * (1-z)^(a-1) 2F1(a+b-1-r, a-1; c; z) with c = a+b+x-1, and splitting off
 * the series' first term, (c)_n+1 = c (c+1)_n, cancels both c and a-1:
 *   E = c ln(1/(1-z)) phi(u) - (1-z)^(a-1) (a+b-1-r) z G,
 *   G = sum_n (a+b-r)_n (a)_n / ((a+b+x)_n (2)_n) z^n,
 *   u = (a-1) ln(1-z), phi(u) = (e^u - 1)/u.
 * This form has no singularity at a = 1 or c = 0, its series converges for
 * every z < 1, and its terms shrink faster the larger x is.
 */
double
bgnbd_expected_if_alive(const BgnbdParams *m, double t, double x, double T)
{
	double		ln_1mz,
				z,
				c,
				u,
				phi,
				log_g;
	int			sign;

	if (t == 0.0)
		return 0.0;
	ln_1mz = -log1p(t / (m->alpha + T));
	z = t / (m->alpha + T + t);
	c = m->a + m->b + x - 1.0;
	u = (m->a - 1.0) * ln_1mz;
	phi = clv_phi(u);
	log_g = stats_hyper_series_log(m->a + m->b - m->r, m->a, m->a + m->b + x, 2.0,
								   z, BGNBD_MAX_TERMS, &sign);
	if (isnan(log_g))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("horizon %g is too long for this model: the series does not converge within %ld terms",
						t, BGNBD_MAX_TERMS),
				 errhint("Use a horizon of at most a few thousand times alpha + t.")));
	return -c * ln_1mz * phi
		- sign * exp((m->a - 1.0) * ln_1mz + log_g) * (m->a + m->b - 1.0 - m->r) * z;
}

/* P(alive | x, t_x, T) (Fader, Hardie & Lee 2005, note on eq. 10) */
double
bgnbd_alive(const BgnbdParams *m, double x, double tx, double T)
{
	double		log_odds_dead;

	if (x == 0.0)
		return 1.0;
	/* a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x) */
	log_odds_dead = log(m->a) - log(m->b + x - 1.0) +
		(m->r + x) * log1p((T - tx) / (m->alpha + tx));
	return 1.0 / (1.0 + exp(log_odds_dead));
}

/* E[M | x, m] = p (v + x m) / (p x + q - 1) ("RFM and CLV", eq. 5) */
static double
gamma_gamma_spend(const GammaGammaParams *g,
				  double x, double mean_spend)
{
	clv_check_frequency(x);
	socroi_check_nonnegative(mean_spend, "monetary_value");
	if (x == 0.0)
		mean_spend = 0.0;		/* one-time buyers: the population mean */
	if (!(g->p * x + g->q - 1.0 > 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("gamma_gamma_model q must be above 1 for the mean spend of a new customer, got %g",
						g->q)));
	return g->p * (g->v + x * mean_spend) / (g->p * x + g->q - 1.0);
}

/* 22003 like float8 arithmetic when a prediction overflows */
double
clv_check_result_finite(double value, const char *function)
{
	if (!isfinite(value))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s: value out of range: overflow", function)));
	return value;
}

Datum
socroi_gamma_gamma_expected_spend(PG_FUNCTION_ARGS)
{
	GammaGammaParams g = read_gamma_gamma(fcinfo, 0);

	PG_RETURN_FLOAT8(clv_check_result_finite(gamma_gamma_spend(&g, PG_GETARG_FLOAT8(1),
																PG_GETARG_FLOAT8(2)),
											 "gamma_gamma_expected_spend"));
}

/* a century of months: beyond any sensible CLV horizon */
#define PREDICTED_CLV_MAX_MONTHS 1200

/*
 * sum_{k=1..months} E[M] (E[Y(k u)] - E[Y((k-1) u)]) / (1+d)^k, the
 * discounted monthly sum of lifetimes' customer_lifetime_value with the
 * units per month u explicit.
 */
Datum
socroi_predicted_clv(PG_FUNCTION_ARGS)
{
	BgnbdParams m = read_bgnbd(fcinfo, 0);
	GammaGammaParams g = read_gamma_gamma(fcinfo, 1);
	ClvCustomer c;
	double		mean_spend = PG_GETARG_FLOAT8(5);
	int32		months = PG_GETARG_INT32(6);
	double		discount = PG_GETARG_FLOAT8(7);
	double		units_per_month = PG_GETARG_FLOAT8(8);
	double		spend,
				alive,
				previous = 0.0,
				factor = 1.0,
				total = 0.0;
	int			k;

	c = clv_summary_args(fcinfo, 2);
	if (months < 0 || months > PREDICTED_CLV_MAX_MONTHS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("months must be between 0 and %d, got %d",
						PREDICTED_CLV_MAX_MONTHS, months),
				 errhint("CLV horizons are counted in months; %d is a century.",
						 PREDICTED_CLV_MAX_MONTHS)));
	socroi_check_discount_rate(discount, "monthly_discount", "0.01 for 1 % a month");
	socroi_check_finite(units_per_month, "units_per_month");
	if (!(units_per_month > 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("units_per_month must be positive, got %g", units_per_month),
				 errhint("30 for daily summaries, 4.345 for weekly ones.")));
	spend = gamma_gamma_spend(&g, c.x, mean_spend);
	alive = bgnbd_alive(&m, c.x, c.tx, c.t);
	for (k = 1; k <= months; k++)
	{
		double		expected;

		/* each month may sum a long series (bgnbd_expected_if_alive) */
		CHECK_FOR_INTERRUPTS();
		expected = alive * bgnbd_expected_if_alive(&m, k * units_per_month, c.x, c.t);

		factor /= 1.0 + discount;
		total += spend * (expected - previous) * factor;
		previous = expected;
	}
	PG_RETURN_FLOAT8(clv_check_result_finite(total, "predicted_clv"));
}

/* ---------- MBG/NBD (Batislam, Denizel & Filiztekin 2007) ---------- */

/*
 * MBG/NBD is BG/NBD with b + 1 in the place of b in E[Y(t) | alive] and a
 * dropout chance right after the first purchase: P(alive | x, t_x, T) =
 * 1 / (1 + a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x)) for every x, and a new
 * customer is alive after the first purchase with probability b / (a+b)
 * (lifetimes' ModifiedBetaGeoFitter).
 */
static BgnbdParams
read_mbgnbd(FunctionCallInfo fcinfo, int argno)
{
	BgnbdParams m = bgnbd_params(clv_read_model(fcinfo, argno, 0, &mbgnbd_model_spec));

	m.b += 1.0;					/* the BG/NBD expectations with b + 1 */
	return m;
}

/* m holds b + 1 */
static double
mbgnbd_alive(const BgnbdParams *m, double x, double tx, double T)
{
	double		log_odds_dead = log(m->a) - log(m->b - 1.0 + x) +
		(m->r + x) * log1p((T - tx) / (m->alpha + tx));

	return 1.0 / (1.0 + exp(log_odds_dead));
}

/*
 * The two models' predictions share E[Y(t) | alive] (bgnbd_expected_if_alive,
 * with b + 1 for MBG/NBD) and differ in how a model is read, in P(alive),
 * and in the chance that a new customer is alive after the first purchase.
 */
typedef struct BgnbdVariant
{
	BgnbdParams (*read) (FunctionCallInfo fcinfo, int argno);
	double		(*alive) (const BgnbdParams *m, double x, double tx, double T);
	double		(*new_alive) (const BgnbdParams *m);
} BgnbdVariant;

/* BG/NBD: a new customer is alive */
static double
bgnbd_new_alive(const BgnbdParams *m)
{
	return 1.0;
}

/* MBG/NBD: b / (a + b), m holding b + 1 */
static double
mbgnbd_new_alive(const BgnbdParams *m)
{
	double		b = m->b - 1.0;

	return b / (m->a + b);
}

static const BgnbdVariant bgnbd_variant = {read_bgnbd, bgnbd_alive, bgnbd_new_alive};
static const BgnbdVariant mbgnbd_variant = {read_mbgnbd, mbgnbd_alive, mbgnbd_new_alive};

/*
 * Purchases expected over the horizon (argument 1): P(alive | x, t_x, T)
 * E[Y(t) | alive, x, T] for the customer of arguments 2..4 when conditional,
 * else for a new customer, x = t_x = T = 0 (eq. 9 is eq. 10 there)
 */
static Datum
expected_purchases(FunctionCallInfo fcinfo, const BgnbdVariant *variant,
				   bool conditional)
{
	BgnbdParams m = variant->read(fcinfo, 0);
	double		horizon = clv_horizon_arg(fcinfo, 1);
	ClvCustomer c = {0.0, 0.0, 0.0};
	double		alive;

	if (conditional)
	{
		c = clv_summary_args(fcinfo, 2);
		alive = variant->alive(&m, c.x, c.tx, c.t);
	}
	else
		alive = variant->new_alive(&m);
	PG_RETURN_FLOAT8(alive * bgnbd_expected_if_alive(&m, horizon, c.x, c.t));
}

SOCROI_VARIANT(socroi_bgnbd_expected_purchases, expected_purchases(fcinfo, &bgnbd_variant, false))
SOCROI_VARIANT(socroi_mbgnbd_expected_purchases, expected_purchases(fcinfo, &mbgnbd_variant, false))
SOCROI_VARIANT(socroi_bgnbd_conditional_purchases, expected_purchases(fcinfo, &bgnbd_variant, true))
SOCROI_VARIANT(socroi_mbgnbd_conditional_purchases, expected_purchases(fcinfo, &mbgnbd_variant, true))

static Datum
p_alive(FunctionCallInfo fcinfo, const BgnbdVariant *variant)
{
	BgnbdParams m = variant->read(fcinfo, 0);
	ClvCustomer c = clv_summary_args(fcinfo, 1);

	PG_RETURN_FLOAT8(variant->alive(&m, c.x, c.tx, c.t));
}

SOCROI_VARIANT(socroi_bgnbd_p_alive, p_alive(fcinfo, &bgnbd_variant))
SOCROI_VARIANT(socroi_mbgnbd_p_alive, p_alive(fcinfo, &mbgnbd_variant))

/* ---------- P(X(t) = n) of BG/NBD ---------- */

/*
 * Fader, Hardie & Lee (2005), eq. 8:
 *   P(X(t) = n) = B(a, b+n)/B(a, b) NB(n; r, alpha/(alpha+t))
 *     + [n > 0] B(a+1, b+n-1)/B(a, b) P(NB(r, alpha/(alpha+t)) >= n),
 * NB the negative binomial of the purchases of an active customer, and its
 * upper tail 1 - sum_{j<n} NB(j) = I_{t/(alpha+t)}(n, r) computed as an
 * incomplete beta function, not as a difference.
 */
Datum
socroi_bgnbd_probability_of_purchases(PG_FUNCTION_ARGS)
{
	BgnbdParams m = read_bgnbd(fcinfo, 0);
	int32		n = clv_count_arg(fcinfo, 1, "n");
	double		t = clv_horizon_arg(fcinfo, 2);
	double		x,
				lbeta_ab,
				log_p,
				log_q,
				log_nb,
				result;

	if (t == 0.0)
		PG_RETURN_FLOAT8(n == 0 ? 1.0 : 0.0);
	x = (double) n;
	lbeta_ab = stats_lbeta(m.a, m.b);
	log_p = -log1p(t / m.alpha);	/* ln(alpha / (alpha + t)) */
	log_q = -log1p(m.alpha / t);	/* ln(t / (alpha + t)) */
	log_nb = lgamma(m.r + x) - lgamma(m.r) - lgamma(x + 1.0) + m.r * log_p + x * log_q;
	result = exp(stats_lbeta(m.a, m.b + x) - lbeta_ab + log_nb);
	if (n > 0)
	{
		double		tail,
					head;

		/* I_q(n, r) with q = t/(alpha+t), 1 - q = alpha/(alpha+t) */
		stats_incomplete_beta(x, m.r, exp(log_q), exp(log_p), &tail, &head);
		result += exp(stats_lbeta(m.a + 1.0, m.b + x - 1.0) - lbeta_ab) * tail;
	}
	PG_RETURN_FLOAT8(clv_check_result_finite(result, "bgnbd_probability_of_purchases"));
}
