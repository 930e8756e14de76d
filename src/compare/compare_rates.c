/*
 * compare_rates.c
 *		compare_rates: followers vs non-followers on a yes/no outcome
 *		(retention, opportunity, win), doc/compare.md.
 *
 * The state is fixed-size: per group the number of subjects and of
 * successes, and the confidence level.  Partial states add up exactly, so
 * serial, parallel, partitionwise and Citus plans give bit-identical answers.
 *
 * The final function reports both rates, their difference and lift, the
 * pooled two-proportion z-test (two-sided), and a confidence interval for the
 * difference by Newcombe's hybrid score method: R. G. Newcombe (1998),
 * "Interval estimation for the difference between independent proportions:
 * comparison of eleven methods", Statistics in Medicine 17, 873-890, method
 * 10, built from the Wilson (1927) score interval of each rate.
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
#include "common/state_io.h"
#include "common/stats.h"

PG_FUNCTION_INFO_V1(socroi_compare_rates_trans);
PG_FUNCTION_INFO_V1(socroi_compare_rates_trans_conf);
PG_FUNCTION_INFO_V1(socroi_compare_rates_combine);
PG_FUNCTION_INFO_V1(socroi_compare_rates_final);

#define COMPARE_RATES_TAG		"compare_rates"
#define COMPARE_RATES_VERSION	1
#define DEFAULT_CONFIDENCE		0.95

/* one group's tally */
typedef struct RateGroup
{
	int64		subjects;
	int64		successes;		/* 0 <= successes <= subjects */
} RateGroup;

static void
rates_write(StateWriter *w, const void *tally)
{
	const RateGroup *rg = tally;

	state_write_int64(w, rg->subjects);
	state_write_int64(w, rg->successes);
}

static void
rates_read(StateReader *r, void *tally)
{
	RateGroup  *rg = tally;

	rg->subjects = state_read_int_range(r, "subjects", 0, PG_INT64_MAX);
	rg->successes = state_read_int_range(r, "successes", 0, rg->subjects);
}

static void
counter_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("compare_rates: too many rows for a 64-bit counter")));
}

static void
rates_merge(void *into_tally, const void *from_tally)
{
	RateGroup  *into = into_tally;
	const RateGroup *from = from_tally;
	RateGroup	sum;

	if (pg_add_s64_overflow(into->subjects, from->subjects, &sum.subjects) ||
		pg_add_s64_overflow(into->successes, from->successes, &sum.successes))
		counter_overflow();
	*into = sum;
}

/* the state: the confidence level, then the tallies (common/follower_groups.h) */
static const FollowerGroupsType compare_rates_type = {
	"compare_rates", "compare_rates_state", COMPARE_RATES_VERSION, sizeof(RateGroup),
	rates_write, rates_read, rates_merge
};

/* ---------- transition, combine ---------- */

static Datum
compare_rates_step(FunctionCallInfo fcinfo, double confidence)
{
	FollowerGroupsState *state;
	RateGroup  *g;

	if (socroi_any_arg_null(fcinfo, 1, 2))
		return socroi_state_unchanged(fcinfo);
	state = follower_groups_for_row(fcinfo, &compare_rates_type, confidence);
	g = follower_groups_tally(state, &compare_rates_type, PG_GETARG_BOOL(1) ? 1 : 0);
	/* successes <= subjects, so checking subjects covers both */
	if (unlikely(g->subjects == PG_INT64_MAX))
		counter_overflow();
	g->subjects++;
	if (PG_GETARG_BOOL(2))
		g->successes++;
	PG_RETURN_POINTER(state);
}

SOCROI_VARIANT(socroi_compare_rates_trans, compare_rates_step(fcinfo, DEFAULT_CONFIDENCE))

/* a row without a confidence is skipped like one without an outcome */
SOCROI_VARIANT(socroi_compare_rates_trans_conf, follower_groups_trans_conf(fcinfo, compare_rates_step))

SOCROI_VARIANT(socroi_compare_rates_combine, follower_groups_combine(fcinfo, &compare_rates_type))

FOLLOWER_GROUPS_IO_FUNCTIONS(compare_rates, COMPARE_RATES_TAG, &compare_rates_type);

/* ---------- Wilson score interval ---------- */

/*
 * Upper Wilson (1927) score limit for x successes out of n, at the normal
 * deviate z:  (x + z^2/2 + z sqrt(x (n - x) / n + z^2 / 4)) / (n + z^2).
 * Every term is non-negative, so there is no cancellation.
 */
static double
wilson_upper(double x, double n, double z)
{
	double		z2 = z * z;

	return (x + 0.5 * z2 + z * sqrt(x * ((n - x) / n) + 0.25 * z2)) / (n + z2);
}

/*
 * Lower Wilson limit, from the product of the two roots of
 * (n + z^2) p^2 - (2x + z^2) p + x^2 / n = 0:  lower * upper = x^2 / (n (n + z^2)),
 * which keeps full relative accuracy when x is small against n (the textbook
 * "centre - half-width" cancels there).  Exactly 0 when x = 0.
 */
static double
wilson_lower(double x, double n, double z)
{
	if (x == 0.0)
		return 0.0;
	return (x / n) * (x / (n + z * z)) / wilson_upper(x, n, z);
}

/*
 * Newcombe's half-widths for p1 - p2 (1998, method 10, his equation for
 * delta and epsilon):
 *     delta   = z sqrt(l1 (1 - l1) / n1 + u2 (1 - u2) / n2)
 *     epsilon = z sqrt(u1 (1 - u1) / n1 + l2 (1 - l2) / n2)
 * where (l, u) is each group's Wilson interval.  1 - l(x, n) is the upper
 * limit for the n - x failures, u(n - x, n), and 1 - u(x, n) = l(n - x, n):
 * both are computed that way, again without cancellation.
 */
static void
newcombe_interval(double x1, double n1, double x0, double n0, double z,
				  double *low, double *high)
{
	double		d = x1 / n1 - x0 / n0;
	double		l1 = wilson_lower(x1, n1, z),
				l1c = wilson_upper(n1 - x1, n1, z),		/* 1 - l1 */
				u1 = wilson_upper(x1, n1, z),
				u1c = wilson_lower(n1 - x1, n1, z),		/* 1 - u1 */
				l0 = wilson_lower(x0, n0, z),
				l0c = wilson_upper(n0 - x0, n0, z),
				u0 = wilson_upper(x0, n0, z),
				u0c = wilson_lower(n0 - x0, n0, z);
	double		delta = z * sqrt(l1 * l1c / n1 + u0 * u0c / n0);
	double		epsilon = z * sqrt(u1 * u1c / n1 + l0 * l0c / n0);

	/* d - delta >= l1 - u0 >= -1 in exact arithmetic; keep rounding inside */
	*low = Max(d - delta, -1.0);
	*high = Min(d + epsilon, 1.0);
}

/* ---------- result ---------- */

enum
{
	RC_FOLLOWERS,
	RC_NON_FOLLOWERS,
	RC_FOLLOWER_SUCCESSES,
	RC_NON_FOLLOWER_SUCCESSES,
	RC_FOLLOWER_RATE,
	RC_NON_FOLLOWER_RATE,
	RC_DIFFERENCE,
	RC_LIFT,
	RC_Z,
	RC_P,
	RC_CI_LOW,
	RC_CI_HIGH,
	RC_NATTS
};

#define SET_FLOAT(i, v) (values[(i)] = Float8GetDatum(v), nulls[(i)] = false)

/* the columns of a rate_comparison row (follower_groups_final) */
static void
compare_rates_result(const FollowerGroupsState *state, Datum *values, bool *nulls)
{
	const RateGroup *fol = follower_groups_tally(state, &compare_rates_type, 1);
	const RateGroup *non = follower_groups_tally(state, &compare_rates_type, 0);
	double		n1 = (double) fol->subjects;
	double		x1 = (double) fol->successes;
	double		n0 = (double) non->subjects;
	double		x0 = (double) non->successes;

	values[RC_FOLLOWERS] = Int64GetDatum(fol->subjects);
	values[RC_NON_FOLLOWERS] = Int64GetDatum(non->subjects);
	values[RC_FOLLOWER_SUCCESSES] = Int64GetDatum(fol->successes);
	values[RC_NON_FOLLOWER_SUCCESSES] = Int64GetDatum(non->successes);
	nulls[RC_FOLLOWERS] = nulls[RC_NON_FOLLOWERS] = false;
	nulls[RC_FOLLOWER_SUCCESSES] = nulls[RC_NON_FOLLOWER_SUCCESSES] = false;
	if (n1 > 0.0)
		SET_FLOAT(RC_FOLLOWER_RATE, x1 / n1);
	if (n0 > 0.0)
		SET_FLOAT(RC_NON_FOLLOWER_RATE, x0 / n0);
	if (n1 > 0.0 && n0 > 0.0)
	{
		double		difference = x1 / n1 - x0 / n0;
		double		n = n1 + n0;
		double		x = x1 + x0;
		double		z_conf = stats_normal_isf(0.5 * (1.0 - state->confidence));
		double		low,
					high;

		SET_FLOAT(RC_DIFFERENCE, difference);
		if (x0 > 0.0)
			SET_FLOAT(RC_LIFT, difference / (x0 / n0));

		/*
		 * Pooled two-proportion z-test: p = x / n,
		 * z = (p1 - p0) / sqrt(p (1 - p) (1/n1 + 1/n0)), with
		 * p (1 - p) = x (n - x) / n^2 written without the subtraction 1 - p.
		 */
		if (x > 0.0 && x < n)
		{
			double		se = sqrt((x / n) * ((n - x) / n) * (1.0 / n1 + 1.0 / n0));
			double		z = difference / se;

			SET_FLOAT(RC_Z, z);
			SET_FLOAT(RC_P, Min(2.0 * stats_normal_sf(fabs(z)), 1.0));
		}
		newcombe_interval(x1, n1, x0, n0, z_conf, &low, &high);
		SET_FLOAT(RC_CI_LOW, low);
		SET_FLOAT(RC_CI_HIGH, high);
	}
}

SOCROI_VARIANT(socroi_compare_rates_final,
			   follower_groups_final(fcinfo, &compare_rates_type, "rate_comparison", RC_NATTS,
									 compare_rates_result))
