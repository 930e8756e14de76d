/*
 * common.c
 *		Argument checks and array access shared by every socroi module.
 *
 * Error conventions (PRODUCT.md section 0): NaN/Infinity or a negative
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

#include "common/common.h"

PG_MODULE_MAGIC;

void
socroi_check_finite(double value, const char *argname)
{
	if (isnan(value) || isinf(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number, not %s", argname,
						isnan(value) ? "NaN" : (value > 0 ? "Infinity" : "-Infinity"))));
}

void
socroi_check_nonnegative(double value, const char *argname)
{
	socroi_check_finite(value, argname);
	if (value < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative, got %s", argname,
						float8out_internal(value))));
}

void
socroi_check_numeric_finite(Numeric value, const char *argname)
{
	if (numeric_is_nan(value) || numeric_is_inf(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number, not %s", argname,
						DatumGetCString(DirectFunctionCall1(numeric_out,
															NumericGetDatum(value))))));
}

void
socroi_check_numeric_nonnegative(Numeric value, const char *argname)
{
	socroi_check_numeric_finite(value, argname);
	if (DatumGetBool(DirectFunctionCall2(numeric_lt, NumericGetDatum(value),
										 DirectFunctionCall1(int4_numeric,
															 Int32GetDatum(0)))))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative, got %s", argname,
						DatumGetCString(DirectFunctionCall1(numeric_out,
															NumericGetDatum(value))))));
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

ArrayType *
socroi_make_text_array(const char *const *strings, const int *lengths, int n)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(n, 1));
	ArrayType  *result;
	int			i;

	for (i = 0; i < n; i++)
		elems[i] = PointerGetDatum(cstring_to_text_with_len(strings[i],
															lengths[i]));
	result = construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT);
	for (i = 0; i < n; i++)
		pfree(DatumGetPointer(elems[i]));
	pfree(elems);
	return result;
}

bool
socroi_in_aggregate(FunctionCallInfo fcinfo)
{
	return AggCheckCallContext(fcinfo, NULL) != 0;
}

void *
socroi_state_arg(FunctionCallInfo fcinfo, int argno, Size header_size,
				 int32 version, const char *what)
{
	struct varlena *state = PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	Assert(header_size >= VARHDRSZ + sizeof(int32));
	if (VARSIZE_ANY(state) < header_size ||
		((const int32 *) state)[1] != version)
		elog(ERROR, "corrupt %s", what);
	return state;
}

/*
 * The blessed descriptor of a function's composite result, checked against
 * the number of attributes the C code fills (a mismatch means the install
 * script and the library disagree).
 */
TupleDesc
socroi_result_tupdesc(FunctionCallInfo fcinfo, int natts, const char *type_name)
{
	TupleDesc	tupdesc;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "%s must be a composite type", type_name);
	tupdesc = BlessTupleDesc(tupdesc);
	if (tupdesc->natts != natts)
		elog(ERROR, "%s has %d attributes, expected %d", type_name,
			 tupdesc->natts, natts);
	return tupdesc;
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
