/*
 * common.c
 *		Argument checks and array access shared by every socroi module.
 *
 * Error conventions (README.md, "Errors"): NaN/Infinity or a negative
 * amount -> 22023 invalid_parameter_value; a NULL array element -> 22004
 * null_value_not_allowed; wrong dimensionality or unequal lengths -> 2202E
 * array_subscript_error.  Messages name the argument and the offending value.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "nodes/execnodes.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/typcache.h"

#include "common/common.h"

PG_MODULE_MAGIC;

Datum
socroi_state_unchanged(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(PG_GETARG_DATUM(0));
}

bool
socroi_any_arg_null(FunctionCallInfo fcinfo, int first, int last)
{
	int			i;

	for (i = first; i <= last; i++)
		if (PG_ARGISNULL(i))
			return true;
	return false;
}

/* the two messages of the finite and non-negative checks, float8 or numeric */
pg_noreturn static void
not_finite(const char *argname, const char *shown)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s must be a finite number, not %s", argname, shown)));
}

pg_noreturn static void
negative(const char *argname, const char *shown)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s must not be negative, got %s", argname, shown)));
}

void
socroi_check_finite(double value, const char *argname)
{
	if (isnan(value) || isinf(value))
		not_finite(argname,
				   isnan(value) ? "NaN" : (value > 0 ? "Infinity" : "-Infinity"));
}

void
socroi_check_nonnegative(double value, const char *argname)
{
	socroi_check_finite(value, argname);
	if (value < 0)
		negative(argname, float8out_internal(value));
}

static char *
numeric_text(Numeric value)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(value)));
}

void
socroi_check_numeric_finite(Numeric value, const char *argname)
{
	if (numeric_is_nan(value) || numeric_is_inf(value))
		not_finite(argname, numeric_text(value));
}

void
socroi_check_numeric_nonnegative(Numeric value, const char *argname)
{
	socroi_check_numeric_finite(value, argname);
	if (DatumGetBool(DirectFunctionCall2(numeric_lt, NumericGetDatum(value),
										 DirectFunctionCall1(int4_numeric,
															 Int32GetDatum(0)))))
		negative(argname, numeric_text(value));
}

void
socroi_check_open_unit(double value, const char *argname)
{
	if (isnan(value) || !(value > 0.0 && value < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be between 0 and 1 (exclusive), got %s",
						argname, float8out_internal(value))));
}

int
socroi_array_length_1d(ArrayType *array, const char *argname)
{
	int			ndim = ARR_NDIM(array);

	if (ndim == 0)
		return 0;
	if (ndim != 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional array, got %d dimensions",
						argname, ndim)));
	return ARR_DIMS(array)[0];
}

void
socroi_array_check_no_nulls(ArrayType *array, const char *argname,
							const char *hint)
{
	uint8	   *bitmap;
	int			n;
	int			i;

	if (!ARR_HASNULL(array))
		return;
	bitmap = ARR_NULLBITMAP(array);
	n = ArrayGetNItems(ARR_NDIM(array), ARR_DIMS(array));
	for (i = 0; i < n; i++)
	{
		if ((bitmap[i / 8] & (1 << (i % 8))) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not contain NULL elements (element %d is NULL)",
							argname, i + 1),
					 hint ? errhint("%s", hint) : 0));
	}
}

int
socroi_text_array_length(ArrayType *array, const char *argname,
						 const char *null_hint)
{
	int			n = socroi_array_length_1d(array, argname);

	if (ARR_ELEMTYPE(array) != TEXTOID)
		elog(ERROR, "%s: unexpected array element type %u", argname,
			 ARR_ELEMTYPE(array));
	socroi_array_check_no_nulls(array, argname, null_hint);
	return n;
}

void
socroi_array_check_same_length(int length_a, const char *name_a,
							   int length_b, const char *name_b)
{
	if (length_a != length_b)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s and %s must have the same length, got %d and %d",
						name_a, name_b, length_a, length_b)));
}

/* shared body of the fixed-width array readers */
static const void *
fixed_width_array(ArrayType *array, Oid expected_type, const char *argname,
				  int *length)
{
	int			n = socroi_array_length_1d(array, argname);

	if (ARR_ELEMTYPE(array) != expected_type)
		elog(ERROR, "%s: unexpected array element type %u", argname,
			 ARR_ELEMTYPE(array));
	socroi_array_check_no_nulls(array, argname, NULL);
	*length = n;
	return ARR_DATA_PTR(array);
}

const float8 *
socroi_float8_array(ArrayType *array, const char *argname, int *length)
{
	return (const float8 *) fixed_width_array(array, FLOAT8OID, argname, length);
}

const int64 *
socroi_timestamptz_array(ArrayType *array, const char *argname, int *length)
{
	return (const int64 *) fixed_width_array(array, TIMESTAMPTZOID, argname,
											 length);
}

void
socroi_text_iter_init(SocroiTextIter *iter, ArrayType *array, int nitems)
{
	Assert(!ARR_HASNULL(array));
	iter->ptr = ARR_DATA_PTR(array);
	iter->remaining = nitems;
}

/* a zeroed one-dimensional array of n elements, without nulls, nbytes long */
static ArrayType *
new_array_1d(Size nbytes, Oid elemtype, int n)
{
	ArrayType  *result = (ArrayType *) palloc0(nbytes);

	SET_VARSIZE(result, nbytes);
	result->ndim = 1;
	result->dataoffset = 0;
	result->elemtype = elemtype;
	ARR_DIMS(result)[0] = n;
	ARR_LBOUND(result)[0] = 1;
	return result;
}

/*
 * Written directly in the layout construct_array() produces (elements with
 * 4-byte headers, each padded to int alignment): one allocation, no copy
 * per element -- journeys() builds two arrays per journey.
 */
ArrayType *
socroi_make_text_array(const char *const *strings, const int *lengths, int n)
{
	Size		nbytes = ARR_OVERHEAD_NONULLS(1);
	ArrayType  *result;
	char	   *p;
	int			i;

	if (n == 0)
		return construct_empty_array(TEXTOID);
	for (i = 0; i < n; i++)
	{
		nbytes += INTALIGN(VARHDRSZ + (Size) lengths[i]);
		if (!AllocSizeIsValid(nbytes))
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("array size exceeds the maximum allowed (%d)",
							(int) MaxAllocSize)));
	}
	result = new_array_1d(nbytes, TEXTOID, n);
	p = ARR_DATA_PTR(result);
	for (i = 0; i < n; i++)
	{
		SET_VARSIZE(p, VARHDRSZ + lengths[i]);
		memcpy(VARDATA(p), strings[i], lengths[i]);
		p += INTALIGN(VARHDRSZ + (Size) lengths[i]);
	}
	return result;
}

ArrayType *
socroi_make_timestamptz_array(const int64 *times, int n)
{
	Size		nbytes = ARR_OVERHEAD_NONULLS(1) + sizeof(int64) * (Size) n;
	ArrayType  *result;

	if (n == 0)
		return construct_empty_array(TIMESTAMPTZOID);
	result = new_array_1d(nbytes, TIMESTAMPTZOID, n);
	memcpy(ARR_DATA_PTR(result), times, sizeof(int64) * (Size) n);
	return result;
}

bool
socroi_in_aggregate(FunctionCallInfo fcinfo)
{
	return AggCheckCallContext(fcinfo, NULL) != 0;
}

void
socroi_check_row_type(TupleDesc desc, const char *type_name, int natts,
					  const Oid *types)
{
	int			i;

	if (desc->natts != natts)
		elog(ERROR, "%s has %d attributes, expected %d", type_name,
			 desc->natts, natts);
	for (i = 0; i < natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (att->attisdropped || (types != NULL && att->atttypid != types[i]))
			elog(ERROR, "attribute %d of %s has an unexpected type", i + 1,
				 type_name);
	}
}

TupleDesc
socroi_result_tupdesc_typed(FunctionCallInfo fcinfo, const char *type_name,
							int natts, const Oid *types)
{
	TupleDesc	tupdesc;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "%s must be a composite type", type_name);
	socroi_check_row_type(tupdesc, type_name, natts, types);
	return BlessTupleDesc(tupdesc);
}

TupleDesc
socroi_result_tupdesc(FunctionCallInfo fcinfo, int natts, const char *type_name)
{
	return socroi_result_tupdesc_typed(fcinfo, type_name, natts, NULL);
}

const SocroiArrayRowType *
socroi_result_array_row_type(FunctionCallInfo fcinfo, const char *type_name,
							 int natts, const Oid *types)
{
	SocroiArrayRowType *rt = (SocroiArrayRowType *) fcinfo->flinfo->fn_extra;
	Oid			rettype;
	MemoryContext old;
	TupleDesc	desc;

	if (rt != NULL)
		return rt;
	rettype = get_fn_expr_rettype(fcinfo->flinfo);
	if (!OidIsValid(rettype))
		rettype = get_func_rettype(fcinfo->flinfo->fn_oid);
	rt = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SocroiArrayRowType));
	rt->elemtype = get_element_type(rettype);
	if (!OidIsValid(rt->elemtype))
		elog(ERROR, "the result must be an array of %s", type_name);
	get_typlenbyvalalign(rt->elemtype, &rt->typlen, &rt->typbyval, &rt->typalign);
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	desc = lookup_rowtype_tupdesc_copy(rt->elemtype, -1);
	MemoryContextSwitchTo(old);
	socroi_check_row_type(desc, type_name, natts, types);
	rt->desc = BlessTupleDesc(desc);
	fcinfo->flinfo->fn_extra = rt;
	return rt;
}

Datum
socroi_result_array(const SocroiArrayRowType *rt, Datum *elems, int n)
{
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, rt->elemtype, rt->typlen,
										  rt->typbyval, rt->typalign));
}

static int
argsort_cmp(const void *a, const void *b, void *arg)
{
	const double *values = arg;
	int			i = *(const int *) a,
				j = *(const int *) b;

	if (values[i] != values[j])
		return socroi_cmp_double(values[i], values[j]);
	return socroi_cmp_int64(i, j);
}

int *
socroi_argsort(const double *values, int n)
{
	int		   *order = palloc(sizeof(int) * Max(n, 1));
	int			i;

	for (i = 0; i < n; i++)
		order[i] = i;
	qsort_arg(order, n, sizeof(int), argsort_cmp, (void *) values);
	return order;
}

void
socroi_group_by_key(int32 nkeys, int32 n, const int32 *keys,
					const int32 *values, int32 **begin, int32 **grouped)
{
	int32	   *b = palloc0(sizeof(int32) * ((Size) nkeys + 1));
	int32	   *g = palloc(sizeof(int32) * Max(n, 1));
	int32	   *fill;
	int32		i;

	for (i = 0; i < n; i++)
		b[keys[i] + 1]++;
	for (i = 0; i < nkeys; i++)
		b[i + 1] += b[i];
	fill = palloc(sizeof(int32) * Max(nkeys, 1));
	memcpy(fill, b, sizeof(int32) * nkeys);
	for (i = 0; i < n; i++)
		g[fill[keys[i]]++] = values[i];
	pfree(fill);
	*begin = b;
	*grouped = g;
}

/* ERROR 22023 unless t is a finite timestamp */
void
socroi_check_finite_timestamp(TimestampTz t, const char *argname)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite timestamp, not %s", argname,
						TIMESTAMP_IS_NOBEGIN(t) ? "-infinity" : "infinity")));
}

/* ---------- confidence levels of the comparison aggregates ---------- */

void
socroi_check_confidence(double confidence)
{
	if (isnan(confidence) || !(confidence > 0.0 && confidence < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence must be strictly between 0 and 1, got %g", confidence),
				 errhint("Use e.g. 0.95 for a 95 %% confidence interval.")));
}

/* a group's rows, and the partial states merged, share one level */
void
socroi_check_same_confidence(const char *aggregate, double state_confidence,
							 double confidence)
{
	if (state_confidence != confidence)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence must be the same on every row of a group: got %g after %g",
						confidence, state_confidence),
				 errhint("Pass one constant as the confidence of %s(), e.g. 0.9.",
						 aggregate)));
}

void
socroi_check_merge_confidence(const char *aggregate, double a, double b)
{
	if (a != b)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge %s states with different confidence levels (%g and %g)",
						aggregate, a, b)));
}

/* a discount rate per period: finite and above -1 (example: for the hint) */
void
socroi_check_discount_rate(double rate, const char *argname, const char *example)
{
	socroi_check_finite(rate, argname);
	if (rate <= -1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be greater than -1, got %g", argname, rate),
				 errhint("Pass the rate as a fraction: %s.", example)));
}

void
socroi_result_nulls(Datum *values, bool *nulls, int natts)
{
	int			i;

	for (i = 0; i < natts; i++)
	{
		values[i] = (Datum) 0;
		nulls[i] = true;
	}
}
