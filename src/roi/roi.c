/*
 * roi.c
 *		ROI arithmetic and lead-score pools (doc/roi.md).
 *
 * ROI = (return - investment) / investment, the seed formula.  Every money
 * function has a numeric overload that stays exact (it uses PostgreSQL's own
 * numeric arithmetic, then drops trailing zeros of the quotient) and a
 * float8 overload for speed.  A zero denominator gives NULL, as a report
 * would show "n/a"; a negative cost is an input error.
 */
#include "postgres.h"

#include <ctype.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"

#include "common/common.h"

PG_FUNCTION_INFO_V1(socroi_roi_float8);
PG_FUNCTION_INFO_V1(socroi_roi_numeric);
PG_FUNCTION_INFO_V1(socroi_roi_percent_float8);
PG_FUNCTION_INFO_V1(socroi_roi_percent_numeric);
PG_FUNCTION_INFO_V1(socroi_roas_float8);
PG_FUNCTION_INFO_V1(socroi_roas_numeric);
PG_FUNCTION_INFO_V1(socroi_growth_rate_float8);
PG_FUNCTION_INFO_V1(socroi_growth_rate_numeric);
PG_FUNCTION_INFO_V1(socroi_effort_cost_float8);
PG_FUNCTION_INFO_V1(socroi_effort_cost_numeric);
PG_FUNCTION_INFO_V1(socroi_lead_pool);
PG_FUNCTION_INFO_V1(socroi_lead_pool_index);

/* ---------- float8 ---------- */

/* a result of finite arguments that does not fit: 22003, as float8 does */
static double
check_overflow(double result)
{
	if (isinf(result))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value out of range: overflow")));
	return result;
}

/* x / y, raising 22003 if a finite quotient overflows */
static double
checked_div(double x, double y)
{
	return check_overflow(x / y);
}

/* (a - b) / b * scale: ROI and growth rates, raising 22003 on overflow */
static double
relative_change(double a, double b, double scale)
{
	double		change = check_overflow(a - b);

	return check_overflow(checked_div(change, b) * scale);
}

/* ---------- numeric (exact) ---------- */

static bool
numeric_is_zero_value(Numeric n)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(n),
											 NumericGetDatum(int64_to_numeric(0)))) == 0;
}

/*
 * Decimal exponent of a finite numeric (floor(log10|x|)), from its text form;
 * 0 for zero.  Only used to size a division, so the text detour is fine.
 */
static int
numeric_decimal_exponent(Datum x)
{
	char	   *str = DatumGetCString(DirectFunctionCall1(numeric_out, x));
	const char *p = str;
	int			intdigits = 0;
	int			exponent = 0;

	if (*p == '-')
		p++;
	while (*p == '0')
		p++;
	while (isdigit((unsigned char) *p))
	{
		intdigits++;
		p++;
	}
	if (intdigits > 0)
		exponent = intdigits - 1;
	else if (*p == '.')
	{
		int			zeros = 0;

		p++;
		while (*p == '0')
		{
			zeros++;
			p++;
		}
		exponent = (*p == '\0') ? 0 : -(zeros + 1);
	}
	pfree(str);
	return exponent;
}

/*
 * x / y carrying at least NUMERIC_QUOTIENT_DIGITS significant digits, then
 * trailing zeros dropped.  PostgreSQL's own numeric division keeps only 16
 * significant digits, which loses the tail of 20-digit money amounts.
 */
#define NUMERIC_QUOTIENT_DIGITS 24

static Datum
numeric_quotient(Datum x, Datum y)
{
	int			exponent = numeric_decimal_exponent(x) - numeric_decimal_exponent(y);
	int			scale = NUMERIC_QUOTIENT_DIGITS - exponent + 1;
	Datum		q;

	scale = Max(0, Min(scale, NUMERIC_MAX_DISPLAY_SCALE));
	/* never round the dividend itself */
	scale = Max(scale, DatumGetInt32(DirectFunctionCall1(numeric_scale, x)));
	/* the quotient's scale is at least the dividend's (numeric.c) */
	x = DirectFunctionCall2(numeric_round, x, Int32GetDatum(scale));
	q = DirectFunctionCall2(numeric_div, x, y);
	return DirectFunctionCall1(numeric_trim_scale, q);
}

/* ---------- the money functions, float8 and numeric ---------- */

typedef enum MoneyFunction
{
	MONEY_ROI,					/* (revenue - cost) / cost */
	MONEY_ROI_PERCENT,			/* 100 (revenue - cost) / cost */
	MONEY_ROAS,					/* revenue / cost */
	MONEY_GROWTH_RATE,			/* (current - previous) / previous */
	MONEY_EFFORT_COST			/* hours * hourly_rate */
} MoneyFunction;

/* each function's two arguments: their names, and whether they are >= 0 */
static const struct
{
	const char *argname[2];
	bool		nonnegative[2];
}			money_args[] = {
	[MONEY_ROI] = {{"revenue", "cost"}, {false, true}},
	[MONEY_ROI_PERCENT] = {{"revenue", "cost"}, {false, true}},
	[MONEY_ROAS] = {{"revenue", "cost"}, {false, true}},
	[MONEY_GROWTH_RATE] = {{"current", "previous"}, {false, false}},
	[MONEY_EFFORT_COST] = {{"hours", "hourly_rate"}, {true, true}},
};

/* the result from checked float8 arguments; b = 0 only for effort cost */
static double
money_float8(MoneyFunction f, double a, double b)
{
	switch (f)
	{
		case MONEY_ROAS:
			return checked_div(a, b);
		case MONEY_EFFORT_COST:
			return check_overflow(a * b);
		default:
			return relative_change(a, b, f == MONEY_ROI_PERCENT ? 100.0 : 1.0);
	}
}

/* the exact result from checked numeric arguments; b = 0 only for effort cost */
static Datum
money_numeric(MoneyFunction f, Datum a, Datum b)
{
	Datum		dividend = a;

	if (f == MONEY_EFFORT_COST)
		return DirectFunctionCall2(numeric_mul, a, b);
	if (f != MONEY_ROAS)
		dividend = DirectFunctionCall2(numeric_sub, dividend, b);
	/* scale before dividing so the quotient keeps its significant digits */
	if (f == MONEY_ROI_PERCENT)
		dividend = DirectFunctionCall2(numeric_mul, dividend,
									   NumericGetDatum(int64_to_numeric(100)));
	return numeric_quotient(dividend, b);
}

/*
 * A money function of two float8 or two numeric arguments: both checked
 * (finite; not negative where money_args says so), NULL for a zero
 * denominator.
 */
static Datum
money_function(FunctionCallInfo fcinfo, MoneyFunction f, bool exact)
{
	Numeric		num[2] = {NULL, NULL};
	bool		zero_denominator = false;
	int			i;

	/* detoasted once: the checks and the arithmetic share them */
	if (exact)
		for (i = 0; i < 2; i++)
			num[i] = PG_GETARG_NUMERIC(i);
	for (i = 0; i < 2; i++)
	{
		const char *argname = money_args[f].argname[i];

		if (exact && money_args[f].nonnegative[i])
			socroi_check_numeric_nonnegative(num[i], argname);
		else if (exact)
			socroi_check_numeric_finite(num[i], argname);
		else if (money_args[f].nonnegative[i])
			socroi_check_nonnegative(PG_GETARG_FLOAT8(i), argname);
		else
			socroi_check_finite(PG_GETARG_FLOAT8(i), argname);
	}
	if (f != MONEY_EFFORT_COST)
		zero_denominator = exact ? numeric_is_zero_value(num[1])
			: PG_GETARG_FLOAT8(1) == 0.0;
	if (zero_denominator)
		PG_RETURN_NULL();
	if (exact)
		PG_RETURN_DATUM(money_numeric(f, NumericGetDatum(num[0]), NumericGetDatum(num[1])));
	PG_RETURN_FLOAT8(money_float8(f, PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1)));
}

SOCROI_VARIANT(socroi_roi_float8, money_function(fcinfo, MONEY_ROI, false))
SOCROI_VARIANT(socroi_roi_numeric, money_function(fcinfo, MONEY_ROI, true))
SOCROI_VARIANT(socroi_roi_percent_float8, money_function(fcinfo, MONEY_ROI_PERCENT, false))
SOCROI_VARIANT(socroi_roi_percent_numeric, money_function(fcinfo, MONEY_ROI_PERCENT, true))
SOCROI_VARIANT(socroi_roas_float8, money_function(fcinfo, MONEY_ROAS, false))
SOCROI_VARIANT(socroi_roas_numeric, money_function(fcinfo, MONEY_ROAS, true))
SOCROI_VARIANT(socroi_growth_rate_float8, money_function(fcinfo, MONEY_GROWTH_RATE, false))
SOCROI_VARIANT(socroi_growth_rate_numeric, money_function(fcinfo, MONEY_GROWTH_RATE, true))
SOCROI_VARIANT(socroi_effort_cost_float8, money_function(fcinfo, MONEY_EFFORT_COST, false))
SOCROI_VARIANT(socroi_effort_cost_numeric, money_function(fcinfo, MONEY_EFFORT_COST, true))

/* ---------- lead pools ---------- */

/*
 * Validate the bounds array and return the 0-based pool of score: the number
 * of bounds <= score, as width_bucket(operand, thresholds) counts them.
 */
static int
lead_pool_of(double score, ArrayType *bounds_array, int *npools)
{
	int			nbounds;
	const float8 *bounds = socroi_float8_array(bounds_array, "bounds", &nbounds);
	int			lo,
				hi,
				i;

	if (isnan(score))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("score must not be NaN")));
	for (i = 0; i < nbounds; i++)
	{
		if (isnan(bounds[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("bounds must not contain NaN (element %d)", i + 1)));
		if (i > 0 && !(bounds[i] > bounds[i - 1]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("bounds must be strictly ascending (element %d is %s after %s)",
							i + 1, float8out_internal(bounds[i]),
							float8out_internal(bounds[i - 1])),
					 errhint("List the lower bound of each pool after the first, smallest first, e.g. '{50,75}'.")));
	}
	/* binary search: first bound greater than score */
	lo = 0;
	hi = nbounds;
	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (bounds[mid] <= score)
			lo = mid + 1;
		else
			hi = mid;
	}
	*npools = nbounds + 1;
	return lo;
}

Datum
socroi_lead_pool_index(PG_FUNCTION_ARGS)
{
	int			npools;

	PG_RETURN_INT32(lead_pool_of(PG_GETARG_FLOAT8(0), PG_GETARG_ARRAYTYPE_P(1),
								 &npools));
}

Datum
socroi_lead_pool(PG_FUNCTION_ARGS)
{
	int			npools;
	int			pool = lead_pool_of(PG_GETARG_FLOAT8(0), PG_GETARG_ARRAYTYPE_P(1),
									&npools);
	ArrayType  *labels = PG_GETARG_ARRAYTYPE_P(2);
	int			nlabels = socroi_array_length_1d(labels, "labels");
	SocroiTextIter iter;
	const char *data = NULL;
	int			len = 0;
	int			i;

	socroi_array_check_no_nulls(labels, "labels", NULL);
	if (nlabels != npools)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("labels must have one entry per pool: %d bounds make %d pools, got %d labels",
						npools - 1, npools, nlabels)));
	socroi_text_iter_init(&iter, labels, nlabels);
	for (i = 0; i <= pool; i++)
		socroi_text_iter_next(&iter, &data, &len);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(data, len));
}
