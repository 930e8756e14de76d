/*
 * socroi.h
 *		Shared helpers of the socroi extension: argument checks that raise the
 *		errors of PRODUCT.md section 0, and allocation-free walking of
 *		one-dimensional arrays.
 *
 * Every module includes this header; nothing here is specific to a domain.
 */
#ifndef SOCROI_H
#define SOCROI_H

#include "postgres.h"

#include "common/compat.h"

#include <math.h>

#include "access/tupdesc.h"
#include "access/tupmacs.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/numeric.h"

/* ---------- scalar argument checks (common.c) ---------- */

/* NaN or +-Infinity -> ERROR 22023 naming the argument */
extern void socroi_check_finite(double value, const char *argname);

/* finite and >= 0, else ERROR 22023 */
extern void socroi_check_nonnegative(double value, const char *argname);

/* numeric NaN or +-Infinity -> ERROR 22023 */
extern void socroi_check_numeric_finite(Numeric value, const char *argname);

/* numeric finite and >= 0, else ERROR 22023 */
extern void socroi_check_numeric_nonnegative(Numeric value, const char *argname);

/* a probability/confidence strictly inside (0, 1), else ERROR 22023 */
extern void socroi_check_open_unit(double value, const char *argname);

/* confidence levels: in (0, 1); the same within a group and a merge */
extern void socroi_check_confidence(double confidence);
extern void socroi_check_same_confidence(const char *aggregate,
										 double state_confidence,
										 double confidence);
extern void socroi_check_merge_confidence(const char *aggregate, double a,
										  double b);

/* a discount rate per period: finite and above -1 */
extern void socroi_check_discount_rate(double rate, const char *argname,
									   const char *example);

/* ERROR 22023 for -infinity / infinity */
extern void socroi_check_finite_timestamp(TimestampTz t, const char *argname);

/* ---------- arrays (common.c) ---------- */

/*
 * Number of elements of an array that must be one-dimensional (or empty).
 * Multi-dimensional -> ERROR 2202E.  Any lower bound is accepted; element
 * positions in messages are reported 1-based from the start of the array.
 */
extern int	socroi_array_length_1d(ArrayType *array, const char *argname);

/*
 * ERROR 22004 when the array holds a NULL element, naming its position;
 * hint is optional (e.g. "Remove NULLs with array_remove(path, NULL).").
 */
extern void socroi_array_check_no_nulls(ArrayType *array, const char *argname,
										const char *hint);

/* ERROR 2202E unless both arrays have the same number of elements */
extern void socroi_array_check_same_length(int length_a, const char *name_a,
										   int length_b, const char *name_b);

/*
 * Read a float8[] that must be one-dimensional and free of NULLs.  Returns a
 * pointer into the array's data area (float8 is never packed), so no copy.
 */
extern const float8 *socroi_float8_array(ArrayType *array, const char *argname,
										 int *length);

/*
 * Read a timestamptz[] the same way (pointer into the array, no copy).
 */
extern const int64 *socroi_timestamptz_array(ArrayType *array,
											 const char *argname, int *length);

/*
 * Walk a one-dimensional text[] without palloc per element.  The array must
 * have been checked for NULLs.  Each step yields a pointer to the bytes and
 * their length; the text is not NUL-terminated.
 */
typedef struct SocroiTextIter
{
	const char *ptr;			/* next element in the data area */
	int			remaining;		/* elements left */
} SocroiTextIter;

extern void socroi_text_iter_init(SocroiTextIter *iter, ArrayType *array,
								  int nitems);

static inline bool
socroi_text_iter_next(SocroiTextIter *iter, const char **data, int *len)
{
	const char *p = iter->ptr;

	if (iter->remaining <= 0)
		return false;
	/* as array_iter_next(): element, then pad to text's 'i' alignment */
	*data = VARDATA_ANY(p);
	*len = VARSIZE_ANY_EXHDR(p);
	iter->ptr = (const char *) att_align_nominal(p + VARSIZE_ANY(p),
												 TYPALIGN_INT);
	iter->remaining--;
	return true;
}

/*
 * Build a text[] from C strings (length-counted) in the current memory
 * context.
 */
extern ArrayType *socroi_make_text_array(const char *const *strings,
										 const int *lengths, int n);

/* ---------- aggregate state helpers (common.c) ---------- */

/*
 * True when the caller is an aggregate (or window aggregate) transition or
 * combine call, so a state that lives in the aggregate context may be
 * modified in place.  Outside an aggregate a state must be copied first.
 */
extern bool socroi_in_aggregate(FunctionCallInfo fcinfo);

/*
 * A flat aggregate state in argument argno, detoasted, with its common
 * header checked: at least header_size bytes, and the int32 format version
 * that follows the varlena length word equal to version.  Otherwise
 * elog(ERROR, "corrupt <what>"): states reach C functions only through
 * their validating input functions, so this cannot happen.  The caller
 * checks the rest of its header.
 */
extern void *socroi_state_arg(FunctionCallInfo fcinfo, int argno,
							  Size header_size, int32 version,
							  const char *what);

/* the blessed tuple descriptor of a composite result of natts attributes */
extern TupleDesc socroi_result_tupdesc(FunctionCallInfo fcinfo, int natts,
									   const char *type_name);

/* ---------- Neumaier-compensated sums ---------- */

/*
 * Neumaier's improved Kahan summation (Neumaier 1974, "Rundungsfehleranalyse
 * einiger Verfahren zur Summation endlicher Summen", ZAMM 54): the running
 * compensation keeps the error independent of the number of terms, so
 * serial, parallel and partitioned plans agree far inside 1e-9 relative.
 */
typedef struct SocroiSum
{
	double		sum;
	double		comp;
} SocroiSum;

static inline void
socroi_sum_add(SocroiSum *s, double x)
{
	double		t = s->sum + x;

	if (fabs(s->sum) >= fabs(x))
		s->comp += (s->sum - t) + x;
	else
		s->comp += (x - t) + s->sum;
	s->sum = t;
}

static inline void
socroi_sum_merge(SocroiSum *into, const SocroiSum *from)
{
	socroi_sum_add(into, from->sum);
	into->comp += from->comp;
}

static inline double
socroi_sum_value(const SocroiSum *s)
{
	return s->sum + s->comp;
}

#endif							/* SOCROI_H */
