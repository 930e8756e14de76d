/*
 * clv.c
 *		Formula customer lifetime value and the follower comparison
 *		(doc/clv.md), plus SQL access to the distribution
 *		functions of stats.c.
 *
 * clv_compare keeps, per group (followers, non-followers), the count, mean
 * and sum of squared deviations, updated one value at a time (Welford 1962)
 * and merged pairwise (Chan, Golub & LeVeque 1979): no rows are stored, the
 * state has a fixed size, and partial states merge exactly as a single pass
 * would (up to rounding).  The final function runs Welch's unequal-variance
 * t-test (Welch 1947) with Welch-Satterthwaite degrees of freedom.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "common/int.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "common/common.h"
#include "common/follower_groups.h"
#include "common/hypergeometric.h"
#include "common/state_io.h"
#include "common/stats.h"

PG_FUNCTION_INFO_V1(socroi_clv);
PG_FUNCTION_INFO_V1(socroi_clv_compare_trans);
PG_FUNCTION_INFO_V1(socroi_clv_compare_trans_conf);
PG_FUNCTION_INFO_V1(socroi_clv_compare_combine);
PG_FUNCTION_INFO_V1(socroi_clv_compare_final);
PG_FUNCTION_INFO_V1(socroi_student_t_cdf);
PG_FUNCTION_INFO_V1(socroi_student_t_quantile);
PG_FUNCTION_INFO_V1(socroi_normal_cdf);
PG_FUNCTION_INFO_V1(socroi_normal_quantile);
PG_FUNCTION_INFO_V1(socroi_chi_square_sf);
PG_FUNCTION_INFO_V1(socroi_hyp2f1);

/* ---------- formula CLV ---------- */

/*
 * margin * value * purchases per year * sum_{y=1..L} (1 + d)^-y, the last as
 * the annuity factor (1 - (1 + d)^-L) / d, which also covers fractional
 * lifespans, computed as -expm1(-L log1p(d)) / d so small rates keep their
 * digits; L when d = 0.
 */
Datum
socroi_clv(PG_FUNCTION_ARGS)
{
	double		value = PG_GETARG_FLOAT8(0);
	double		per_year = PG_GETARG_FLOAT8(1);
	double		lifespan = PG_GETARG_FLOAT8(2);
	double		margin = PG_GETARG_FLOAT8(3);
	double		discount = PG_GETARG_FLOAT8(4);
	double		years;
	double		result;

	socroi_check_finite(value, "avg_order_value");
	socroi_check_nonnegative(per_year, "purchases_per_year");
	socroi_check_nonnegative(lifespan, "lifespan_years");
	socroi_check_finite(margin, "margin");
	socroi_check_discount_rate(discount, "annual_discount", "0.1 for 10 % a year");
	if (discount == 0.0)
		years = lifespan;
	else
		years = -expm1(-lifespan * log1p(discount)) / discount;
	result = margin * value * per_year * years;
	if (isinf(result) || isnan(result))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value out of range: overflow")));
	PG_RETURN_FLOAT8(result);
}

/*
 * ---------- clv_compare state ----------
 * A follower-groups state (common/follower_groups.h): the confidence level,
 * then the GroupMoments of the non-followers and of the followers.
 */

#define CLV_COMPARE_TAG		"clv_compare"
#define CLV_COMPARE_VERSION 1
#define DEFAULT_CONFIDENCE	0.95

/* moments of one group */
typedef struct GroupMoments
{
	int64		n;
	double		mean;
	double		m2;				/* sum of squared deviations from the mean */
} GroupMoments;

static void
moments_check_overflow(const GroupMoments *g)
{
	if (!isfinite(g->mean) || !isfinite(g->m2))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("clv_compare: value out of range: the variance overflows")));
}

/* Welford's update */
static inline void
moments_add(GroupMoments *g, double value)
{
	double		delta = value - g->mean;

	g->n++;
	g->mean += delta / (double) g->n;
	g->m2 += delta * (value - g->mean);
	if (unlikely(!isfinite(g->m2) || !isfinite(g->mean)))
		moments_check_overflow(g);
}

/* Chan, Golub & LeVeque's pairwise merge */
static void
moments_merge(void *into_tally, const void *from_tally)
{
	GroupMoments *into = into_tally;
	const GroupMoments *from = from_tally;
	double		n,
				delta;
	int64		total;

	if (from->n == 0)
		return;
	if (into->n == 0)
	{
		*into = *from;
		return;
	}
	if (pg_add_s64_overflow(into->n, from->n, &total))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("clv_compare: customer count out of range")));
	n = (double) total;
	delta = from->mean - into->mean;
	into->mean += delta * ((double) from->n / n);
	into->m2 += from->m2 + delta * delta * ((double) into->n * (double) from->n / n);
	into->n = total;
	moments_check_overflow(into);
}

/* ---------- clv_compare state I/O, transition, combine ---------- */

static void
moments_write(StateWriter *w, const void *tally)
{
	const GroupMoments *m = tally;

	state_write_int64(w, m->n);
	state_write_float8(w, m->mean);
	state_write_float8(w, m->m2);
}

static void
moments_read(StateReader *r, void *tally)
{
	GroupMoments *m = tally;

	m->n = state_read_int_range(r, "n", 0, PG_INT64_MAX);
	m->mean = state_read_float8_finite(r, "mean");
	m->m2 = state_read_float8_nonneg(r, "m2");
	if (m->n == 0 && (m->mean != 0.0 || m->m2 != 0.0))
		state_invalid(r, "an empty group must have mean 0 and m2 0");
	if (m->n == 1 && m->m2 != 0.0)
		state_invalid(r, "a group of one must have m2 0");
}

static const FollowerGroupsType clv_compare_type = {
	"clv_compare", "clv_compare_state", CLV_COMPARE_VERSION, sizeof(GroupMoments),
	moments_write, moments_read, moments_merge
};

static Datum
clv_compare_step(FunctionCallInfo fcinfo, double confidence)
{
	FollowerGroupsState *state;
	bool		follower;
	double		value;

	if (socroi_any_arg_null(fcinfo, 1, 2))
		return socroi_state_unchanged(fcinfo);
	follower = PG_GETARG_BOOL(1);
	value = PG_GETARG_FLOAT8(2);
	socroi_check_finite(value, "value");

	state = follower_groups_for_row(fcinfo, &clv_compare_type, confidence);
	moments_add(follower_groups_tally(state, &clv_compare_type, follower ? 1 : 0), value);
	PG_RETURN_POINTER(state);
}

SOCROI_VARIANT(socroi_clv_compare_trans, clv_compare_step(fcinfo, DEFAULT_CONFIDENCE))

/* a row without a confidence is skipped like one without a value */
SOCROI_VARIANT(socroi_clv_compare_trans_conf, follower_groups_trans_conf(fcinfo, clv_compare_step))

SOCROI_VARIANT(socroi_clv_compare_combine, follower_groups_combine(fcinfo, &clv_compare_type))

FOLLOWER_GROUPS_IO_FUNCTIONS(clv_compare, CLV_COMPARE_TAG, &clv_compare_type);

/* ---------- clv_compare result ---------- */

enum
{
	CMP_FOLLOWERS,
	CMP_NON_FOLLOWERS,
	CMP_FOLLOWER_MEAN,
	CMP_NON_FOLLOWER_MEAN,
	CMP_FOLLOWER_STDDEV,
	CMP_NON_FOLLOWER_STDDEV,
	CMP_DIFFERENCE,
	CMP_LIFT,
	CMP_T,
	CMP_DF,
	CMP_P,
	CMP_CI_LOW,
	CMP_CI_HIGH,
	CMP_NATTS
};

/* the columns of a clv_comparison row (follower_groups_final) */
static void
clv_compare_result(const FollowerGroupsState *state, Datum *values, bool *nulls)
{
	const GroupMoments *fol = follower_groups_tally(state, &clv_compare_type, 1);
	const GroupMoments *non = follower_groups_tally(state, &clv_compare_type, 0);

	values[CMP_FOLLOWERS] = Int64GetDatum(fol->n);
	nulls[CMP_FOLLOWERS] = false;
	values[CMP_NON_FOLLOWERS] = Int64GetDatum(non->n);
	nulls[CMP_NON_FOLLOWERS] = false;
	if (fol->n >= 1)
	{
		values[CMP_FOLLOWER_MEAN] = Float8GetDatum(fol->mean);
		nulls[CMP_FOLLOWER_MEAN] = false;
	}
	if (non->n >= 1)
	{
		values[CMP_NON_FOLLOWER_MEAN] = Float8GetDatum(non->mean);
		nulls[CMP_NON_FOLLOWER_MEAN] = false;
	}
	if (fol->n >= 2)
	{
		values[CMP_FOLLOWER_STDDEV] = Float8GetDatum(sqrt(fol->m2 / (double) (fol->n - 1)));
		nulls[CMP_FOLLOWER_STDDEV] = false;
	}
	if (non->n >= 2)
	{
		values[CMP_NON_FOLLOWER_STDDEV] = Float8GetDatum(sqrt(non->m2 / (double) (non->n - 1)));
		nulls[CMP_NON_FOLLOWER_STDDEV] = false;
	}
	if (fol->n >= 1 && non->n >= 1)
	{
		double		difference = fol->mean - non->mean;

		if (isinf(difference))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("clv_compare: value out of range: the difference of the means overflows")));
		values[CMP_DIFFERENCE] = Float8GetDatum(difference);
		nulls[CMP_DIFFERENCE] = false;
		if (non->mean != 0.0 && isfinite(difference / non->mean))
		{
			values[CMP_LIFT] = Float8GetDatum(difference / non->mean);
			nulls[CMP_LIFT] = false;
		}
		if (fol->n >= 2 && non->n >= 2)
		{
			/* Welch: se^2 = s1^2/n1 + s0^2/n0 */
			double		v1 = fol->m2 / (double) (fol->n - 1) / (double) fol->n;
			double		v0 = non->m2 / (double) (non->n - 1) / (double) non->n;
			double		var = v1 + v0;

			if (var > 0.0 && isfinite(var))
			{
				double		se = sqrt(var);
				double		t = difference / se;
				/* Welch-Satterthwaite, written scale-free: w = v / (v1 + v0) */
				double		w1 = v1 / var;
				double		w0 = v0 / var;
				double		df = 1.0 / (w1 * w1 / (double) (fol->n - 1) +
										w0 * w0 / (double) (non->n - 1));
				double		p = 2.0 * stats_t_sf(fabs(t), df);
				double		q = stats_t_isf(0.5 * (1.0 - state->confidence), df);

				values[CMP_T] = Float8GetDatum(t);
				nulls[CMP_T] = false;
				values[CMP_DF] = Float8GetDatum(df);
				nulls[CMP_DF] = false;
				values[CMP_P] = Float8GetDatum(Min(p, 1.0));
				nulls[CMP_P] = false;
				values[CMP_CI_LOW] = Float8GetDatum(difference - q * se);
				nulls[CMP_CI_LOW] = false;
				values[CMP_CI_HIGH] = Float8GetDatum(difference + q * se);
				nulls[CMP_CI_HIGH] = false;
			}
		}
	}
}

SOCROI_VARIANT(socroi_clv_compare_final,
			   follower_groups_final(fcinfo, &clv_compare_type, "clv_comparison", CMP_NATTS,
									 clv_compare_result))

/* ---------- distribution functions for SQL ---------- */

/* NaN -> ERROR 22023 naming the argument (infinities are allowed) */
static void
check_not_nan(double value, const char *argname)
{
	if (isnan(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be NaN", argname)));
}

/* degrees of freedom: > 0 (and finite when asked), else ERROR 22023 */
static void
check_df(double df, bool finite)
{
	if (isnan(df) || !(df > 0.0) || (finite && isinf(df)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 finite ? errmsg("df must be positive and finite, got %g", df) :
				 errmsg("df must be positive, got %g", df)));
}

static void
check_probability(double p)
{
	if (isnan(p) || p < 0.0 || p > 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("p must be a probability between 0 and 1, got %g", p)));
}

/*
 * A distribution function f(x, df) whose first argument (named xname) must
 * not be NaN: Student's t CDF, the chi-square survival function
 */
static Datum
x_df_function(FunctionCallInfo fcinfo, const char *xname, bool finite_df,
			  double (*f) (double x, double df))
{
	double		x = PG_GETARG_FLOAT8(0);
	double		df = PG_GETARG_FLOAT8(1);

	check_not_nan(x, xname);
	check_df(df, finite_df);
	PG_RETURN_FLOAT8(f(x, df));
}

SOCROI_VARIANT(socroi_student_t_cdf, x_df_function(fcinfo, "t", false, stats_t_cdf))
SOCROI_VARIANT(socroi_chi_square_sf, x_df_function(fcinfo, "x", true, stats_chisq_sf))

Datum
socroi_student_t_quantile(PG_FUNCTION_ARGS)
{
	double		p = PG_GETARG_FLOAT8(0);
	double		df = PG_GETARG_FLOAT8(1);

	check_probability(p);
	check_df(df, false);
	PG_RETURN_FLOAT8(stats_t_quantile(p, df));
}

Datum
socroi_normal_cdf(PG_FUNCTION_ARGS)
{
	double		z = PG_GETARG_FLOAT8(0);

	check_not_nan(z, "z");
	PG_RETURN_FLOAT8(stats_normal_cdf(z));
}

Datum
socroi_normal_quantile(PG_FUNCTION_ARGS)
{
	double		p = PG_GETARG_FLOAT8(0);

	check_probability(p);
	PG_RETURN_FLOAT8(stats_normal_quantile(p));
}

/* a cap on the series terms: z within about 1e-6 of 1 */
#define HYP2F1_MAX_TERMS 50000000L

Datum
socroi_hyp2f1(PG_FUNCTION_ARGS)
{
	double		a = PG_GETARG_FLOAT8(0);
	double		b = PG_GETARG_FLOAT8(1);
	double		c = PG_GETARG_FLOAT8(2);
	double		z = PG_GETARG_FLOAT8(3);
	double		result;
	int			sign = 1;

	socroi_check_finite(a, "a");
	socroi_check_finite(b, "b");
	socroi_check_finite(c, "c");
	socroi_check_finite(z, "z");
	if (!(c > 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("c must be positive, got %g", c)));
	if (!(z < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("z must be below 1, got %g", z),
				 errhint("The series of 2F1 converges for |z| < 1; z <= -1 is reached by Pfaff's transformation.")));
	/* 2F1(1, p; q; z) = 2F1(p, 1; q; z): the fast special case */
	if (z >= 0.0 && c > 1.0 && (a == 1.0 || b == 1.0) && (a == 1.0 ? b : a) > 0.0)
		result = hyp2f1_1pq(a == 1.0 ? b : a, c, z, HYP2F1_MAX_TERMS, NULL, NULL, NULL);
	else
	{
		result = hyp2f1_log(a, b, c, z, HYP2F1_MAX_TERMS, &sign);
		if (isnan(result))
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("hyp2f1: the series does not converge within %ld terms", HYP2F1_MAX_TERMS),
					 errhint("z is too close to 1 for these parameters.")));
		result = sign == 0 ? 0.0 : sign * exp(result);
	}
	if (isnan(result))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("hyp2f1: the continued fraction does not converge")));
	if (isinf(result))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("hyp2f1: value out of range: overflow")));
	PG_RETURN_FLOAT8(result);
}
