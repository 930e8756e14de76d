/*
 * common.h
 *		Shared helpers of the socroi extension: argument checks that raise the
 *		errors listed in README.md, "Errors", and allocation-free walking of
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

/* ---------- SQL entry points ---------- */

/*
 * An entry point that is one variant of a shared implementation, e.g.
 *     SOCROI_VARIANT(socroi_roas_numeric, money_ratio_numeric(fcinfo, RATIO_ROAS))
 * defines Datum socroi_roas_numeric(PG_FUNCTION_ARGS) { return <call>; }.
 * Its PG_FUNCTION_INFO_V1() stays with the file's others.
 */
/* a hint to load the cache line at p soon (read); nothing without GCC/Clang */
#if defined(__GNUC__)
#define SOCROI_PREFETCH(p)	__builtin_prefetch((p), 0, 3)
#else
#define SOCROI_PREFETCH(p)	((void) (p))
#endif

#define SOCROI_VARIANT(name, call) \
	Datum \
	name(PG_FUNCTION_ARGS) \
	{ \
		return (call); \
	}

/*
 * What a transition function returns for a row it skips (a NULL input):
 * the state of argument 0 unchanged, NULL before the first row.
 */
extern Datum socroi_state_unchanged(FunctionCallInfo fcinfo);

/* is any of arguments first .. last NULL? */
extern bool socroi_any_arg_null(FunctionCallInfo fcinfo, int first, int last);

/* ---------- qsort comparisons ---------- */

/* -1, 0 or 1 as a is below, equal to or above b */
static inline int
socroi_cmp_int64(int64 a, int64 b)
{
	return (a > b) - (a < b);
}

/* the same for doubles (never NaN here: inputs are checked) */
static inline int
socroi_cmp_double(double a, double b)
{
	return (a > b) - (a < b);
}

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

/*
 * Number of elements of a one-dimensional text[] without NULL elements
 * (2202E / 22004 with null_hint otherwise).
 */
extern int	socroi_text_array_length(ArrayType *array, const char *argname,
									 const char *null_hint);

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

/* a timestamptz[] of n times, in the current memory context */
extern ArrayType *socroi_make_timestamptz_array(const int64 *times, int n);

/* ---------- aggregate state helpers (common.c) ---------- */

/*
 * True when the caller is an aggregate (or window aggregate) transition or
 * combine call, so a state that lives in the aggregate context may be
 * modified in place.  Outside an aggregate a state must be copied first.
 */
extern bool socroi_in_aggregate(FunctionCallInfo fcinfo);

/* ---------- result row types (common.c) ---------- */

/*
 * Check that a row type has natts live attributes of the given types (types
 * may be NULL: only the count is checked).  A mismatch means the install
 * script and the library disagree: an internal error naming the type.
 */
extern void socroi_check_row_type(TupleDesc desc, const char *type_name,
								  int natts, const Oid *types);

/* the blessed, checked descriptor of a function's composite result */
extern TupleDesc socroi_result_tupdesc(FunctionCallInfo fcinfo, int natts,
									   const char *type_name);
extern TupleDesc socroi_result_tupdesc_typed(FunctionCallInfo fcinfo,
											 const char *type_name, int natts,
											 const Oid *types);

/*
 * The element row type of a function that returns an array of a composite:
 * what construct_array() and heap_form_tuple() need.  Looked up and checked
 * once per call site (cached in fn_extra, which the caller must not use for
 * anything else).
 */
typedef struct SocroiArrayRowType
{
	Oid			elemtype;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	TupleDesc	desc;			/* blessed, in fn_mcxt */
} SocroiArrayRowType;

extern const SocroiArrayRowType *socroi_result_array_row_type(FunctionCallInfo fcinfo,
															  const char *type_name,
															  int natts,
															  const Oid *types);

/* the array of the n rows elems (made with rt->desc): what such a function returns */
extern Datum socroi_result_array(const SocroiArrayRowType *rt, Datum *elems, int n);

/* ---------- ASCII (like pg_ascii_tolower of port.h, for length-counted bytes) ---------- */

static inline unsigned char
socroi_ascii_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char) (c + ('a' - 'A')) : c;
}

/* s[0..len) equals lower[0..len) ignoring ASCII case; lower is lower case */
static inline bool
socroi_ascii_eq_ci(const char *s, const char *lower, int len)
{
	int			i;

	for (i = 0; i < len; i++)
		if (socroi_ascii_lower((unsigned char) s[i]) != (unsigned char) lower[i])
			return false;
	return true;
}

/* ---------- grouping (common.c) ---------- */

/*
 * Group n (key, value) pairs by key, keys in [0, nkeys): a counting sort
 * into a compressed sparse row index.  *begin gets nkeys + 1 offsets into
 * *grouped, which holds the values of key k at [begin[k], begin[k + 1]) in
 * input order.  Both palloc'd.
 */
extern void socroi_group_by_key(int32 nkeys, int32 n, const int32 *keys,
								const int32 *values, int32 **begin,
								int32 **grouped);

/*
 * The positions 0..n-1 ordered by value, ties by position (a stable
 * argsort; no NaN among the values): palloc'd.
 */
extern int *socroi_argsort(const double *values, int n);

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

/* ---------- result rows (common.c) ---------- */

/* the natts values of a result row, every one NULL until the caller sets it */
extern void socroi_result_nulls(Datum *values, bool *nulls, int natts);

#endif							/* SOCROI_H */
