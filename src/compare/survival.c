/*
 * survival.c
 *		Time to convert with open deals: Kaplan-Meier quantiles
 *		(time_to_convert) and the log-rank comparison of followers with
 *		everyone else (compare_time_to_convert); doc/compare.md.
 *
 * A lead or deal that has not converted yet is right-censored at its current
 * age: it counts as "still open" up to that age and says nothing after.
 * Averaging only the converted ones would be biased towards fast deals.
 *
 * State.  Both estimators need, per distinct duration, how many subjects of
 * each group converted (events) and how many were still open (censorings)
 * there -- nothing else.  The state is a flat open-addressing hash table of
 * those counts keyed by the duration (common/flat_hash.h): it grows with distinct durations,
 * never with rows, and partial states merge by adding counts, exactly.  The
 * final functions sort the durations and sweep them once, so every plan
 * (serial, parallel, partitionwise, Citus) gives bit-identical answers.
 *
 * Estimators (ties: events at a time come before the censorings at that
 * time, so a subject censored at t is still at risk at t):
 *   Kaplan & Meier (1958): S(t) = prod_{t_j <= t} (1 - d_j / n_j); the p-th
 *   time is the smallest event time with S(t) <= 1 - p, NULL if the curve
 *   never gets there (as lifelines' qth_survival_time).
 *   Log-rank (Mantel 1966; Peto & Peto 1972): at each event time, with n_j
 *   at risk of whom n_1j followers and d_j events, E_1j = d_j n_1j / n_j and
 *   the hypergeometric variance
 *       V_j = d_j (n_1j / n_j) (n_0j / n_j) (n_j - d_j) / (n_j - 1);
 *   chi^2 = (O_1 - E_1)^2 / sum V_j on 1 degree of freedom.  The hazard ratio
 *   is the usual (O_1 / E_1) / (O_0 / E_0).  These are R's survdiff and
 *   lifelines' logrank_test.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "access/htup_details.h"
#include "common/int.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"

#include "common/common.h"
#include "common/flat_hash.h"
#include "common/state_io.h"
#include "common/stats.h"

PG_FUNCTION_INFO_V1(socroi_time_to_convert_trans);
PG_FUNCTION_INFO_V1(socroi_time_to_convert_final);
PG_FUNCTION_INFO_V1(socroi_compare_time_trans);
PG_FUNCTION_INFO_V1(socroi_compare_time_final);
PG_FUNCTION_INFO_V1(socroi_survival_combine);

#define TIME_TO_CONVERT_TAG "time_to_convert"
#define COMPARE_TIME_TAG	"compare_time_to_convert"
#define SURVIVAL_VERSION	1

/* ---------- state ---------- */

/*
 * Counts at one distinct duration.  time_to_convert uses group 0 only;
 * compare_time_to_convert has group 0 = non-followers, 1 = followers.
 * A slot whose four counts are 0 is empty (every row adds one).
 */
typedef struct DurationSlot
{
	double		duration;
	int64		events[2];
	int64		censored[2];
} DurationSlot;

typedef struct SurvivalState
{
	int32		vl_len_;		/* varlena header: VARSIZE = capacity */
	int32		version;
	int32		ngroups;		/* 1: time_to_convert, 2: compare_time_to_convert */
	int32		capacity;		/* slots, a power of two */
	int32		count;			/* distinct durations (occupied slots) */
	int32		padding;
	int64		subjects[2];	/* totals per group, = sums over the slots */
	int64		events[2];
	DurationSlot slots[FLEXIBLE_ARRAY_MEMBER];
} SurvivalState;

#define SURVIVAL_HEADER offsetof(SurvivalState, slots)
#define SURVIVAL_MIN_CAPACITY 16
/* load factor <= 1/2: at most 2^22 = 4,194,304 distinct durations (320 MB) */
#define SURVIVAL_MAX_CAPACITY (1 << 23)
#define SURVIVAL_MAX_DURATIONS (SURVIVAL_MAX_CAPACITY / 2)

/* the state's slots as a flat_hash table (key: the duration) */
static inline FlatHash
survival_table(const SurvivalState *state)
{
	FlatHash	t;

	t.slots = (char *) state->slots;
	t.capacity = (uint32) state->capacity;
	t.slot_size = sizeof(DurationSlot);
	t.key_size = sizeof(double);
	t.hash = flat_hash_double;
	return t;
}

static inline bool
slot_is_empty(const DurationSlot *slot)
{
	return (slot->events[0] | slot->events[1] |
			slot->censored[0] | slot->censored[1]) == 0;
}

static SurvivalState *
survival_new(int ngroups, int capacity)
{
	Size		size = SURVIVAL_HEADER + (Size) capacity * sizeof(DurationSlot);
	SurvivalState *state = state_alloc(size, SURVIVAL_VERSION);

	state->ngroups = ngroups;
	state->capacity = capacity;
	return state;
}

/*
 * The slot of a duration: the occupied one holding it, or the empty one
 * where it goes (the caller then sets the duration and counts it).
 */
static DurationSlot *
survival_lookup(SurvivalState *state, double duration)
{
	FlatHash	t = survival_table(state);

	return (DurationSlot *) flat_hash_lookup(&t, &duration);
}

/*
 * Return a state with room for `more` new durations: the same one when it
 * has room (and may be modified), else a larger rehashed copy in the
 * current memory context (nodeAgg copies it and frees the old state).
 */
static SurvivalState *
survival_make_room(SurvivalState *state, int more, bool copy)
{
	uint32		capacity = flat_hash_capacity((int64) state->count + more,
											  (uint32) state->capacity,
											  SURVIVAL_MAX_CAPACITY, "durations",
											  "Round durations to the reporting unit, e.g. whole days: round(extract(epoch FROM closed - opened) / 86400).");
	SurvivalState *grown;
	FlatHash	from;
	FlatHash	to;

	if (capacity == (uint32) state->capacity && !copy)
		return state;
	grown = survival_new(state->ngroups, (int) capacity);
	memcpy(grown->subjects, state->subjects, sizeof(state->subjects));
	memcpy(grown->events, state->events, sizeof(state->events));
	grown->count = state->count;
	from = survival_table(state);
	to = survival_table(grown);
	flat_hash_rehash(&from, &to);
	return grown;
}

static const char *
survival_type_name(int ngroups)
{
	return ngroups == 2 ? "compare_time_to_convert_state" : "time_to_convert_state";
}

static SurvivalState *
survival_arg(FunctionCallInfo fcinfo, int argno, int ngroups)
{
	const char *type_name = survival_type_name(ngroups);
	SurvivalState *state = state_arg(fcinfo, argno, type_name, SURVIVAL_VERSION,
									 SURVIVAL_HEADER, 0);

	if ((ngroups > 0 ? state->ngroups != ngroups :
		 (state->ngroups != 1 && state->ngroups != 2)) ||
		!flat_hash_shape_ok(state->capacity, state->count,
							SURVIVAL_MIN_CAPACITY, SURVIVAL_MAX_CAPACITY) ||
		SURVIVAL_HEADER + (Size) state->capacity * sizeof(DurationSlot) > VARSIZE_ANY(state))
		state_corrupt(type_name);
	return state;
}

static void
counter_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("too many subjects for a 64-bit counter")));
}

/* ---------- transition, combine ---------- */

/* NaN, +-Infinity or negative -> 22023, with a hint on the usual cause */
static void
check_duration(double duration)
{
	if (isnan(duration) || isinf(duration))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("duration must be a finite number, not %s",
						float8out_internal(duration)),
				 errhint("Subjects still open are censored at their current age: "
						 "pass coalesce(converted_at, observation_end) - created_at with converted = false.")));
	if (duration < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("duration must not be negative, got %s",
						float8out_internal(duration)),
				 errhint("The conversion is dated before the start: check the dates, or leave such rows out.")));
}

/* add one subject of `group` to the state in argument 0 (NULL: a new state) */
static Datum
survival_step(FunctionCallInfo fcinfo, int ngroups, int group,
			  double duration, bool converted)
{
	SurvivalState *state;
	DurationSlot *slot;

	check_duration(duration);
	duration += 0.0;			/* -0 -> +0: one key per value */
	if (PG_ARGISNULL(0))
		state = survival_new(ngroups, SURVIVAL_MIN_CAPACITY);
	else
		state = survival_make_room(survival_arg(fcinfo, 0, ngroups), 1,
								   !socroi_in_aggregate(fcinfo));
	/* every slot count is at most its group total: one check covers all */
	if (unlikely(state->subjects[group] == PG_INT64_MAX))
		counter_overflow();
	slot = survival_lookup(state, duration);
	if (slot_is_empty(slot))
	{
		slot->duration = duration;
		state->count++;
	}
	state->subjects[group]++;
	if (converted)
	{
		slot->events[group]++;
		state->events[group]++;
	}
	else
		slot->censored[group]++;
	PG_RETURN_POINTER(state);
}

Datum
socroi_time_to_convert_trans(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return socroi_state_unchanged(fcinfo);
	return survival_step(fcinfo, 1, 0, PG_GETARG_FLOAT8(1), PG_GETARG_BOOL(2));
}

Datum
socroi_compare_time_trans(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		return socroi_state_unchanged(fcinfo);
	return survival_step(fcinfo, 2, PG_GETARG_BOOL(1) ? 1 : 0,
						 PG_GETARG_FLOAT8(2), PG_GETARG_BOOL(3));
}

/* shared by both aggregates (the states say how many groups they have) */
Datum
socroi_survival_combine(PG_FUNCTION_ARGS)
{
	SurvivalState *into = survival_arg(fcinfo, 0, 0);
	SurvivalState *from = survival_arg(fcinfo, 1, into->ngroups);
	int64		subjects[2],
				events[2];
	int			fresh = 0;
	int			g,
				i;

	/* totals bound every slot count, so checking them covers the slots */
	for (g = 0; g < 2; g++)
		if (pg_add_s64_overflow(into->subjects[g], from->subjects[g], &subjects[g]) ||
			pg_add_s64_overflow(into->events[g], from->events[g], &events[g]))
			counter_overflow();
	/* room for the durations `into` lacks (partial states share most) */
	for (i = 0; i < from->capacity; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!slot_is_empty(&from->slots[i]) &&
			slot_is_empty(survival_lookup(into, from->slots[i].duration)))
			fresh++;
	}
	into = survival_make_room(into, fresh, !socroi_in_aggregate(fcinfo));
	for (i = 0; i < from->capacity; i++)
	{
		const DurationSlot *src = &from->slots[i];
		DurationSlot *dst;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (slot_is_empty(src))
			continue;
		dst = survival_lookup(into, src->duration);
		if (slot_is_empty(dst))
		{
			dst->duration = src->duration;
			into->count++;
		}
		for (g = 0; g < 2; g++)
		{
			dst->events[g] += src->events[g];
			dst->censored[g] += src->censored[g];
		}
	}
	for (g = 0; g < 2; g++)
	{
		into->subjects[g] = subjects[g];
		into->events[g] = events[g];
	}
	PG_RETURN_POINTER(into);
}

/* ---------- sorted view ---------- */

static int
slot_cmp(const void *a, const void *b)
{
	return socroi_cmp_double(((const DurationSlot *) a)->duration,
							 ((const DurationSlot *) b)->duration);
}

/* the occupied slots in increasing duration, as a palloc'd array */
static DurationSlot *
survival_sorted(const SurvivalState *state, int *count)
{
	DurationSlot *rows = palloc(Max(state->count, 1) * sizeof(DurationSlot));
	int			n = 0;
	int			i;

	for (i = 0; i < state->capacity; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!slot_is_empty(&state->slots[i]))
		{
			if (n >= state->count)
				state_corrupt(survival_type_name(state->ngroups));
			rows[n++] = state->slots[i];
		}
	}
	if (n != state->count)
		state_corrupt(survival_type_name(state->ngroups));
	qsort(rows, n, sizeof(DurationSlot), slot_cmp);
	*count = n;
	return rows;
}

/*
 * What both final functions start from: the state of argument 0 (not NULL)
 * with ngroups groups, the result row type of natts columns, and the
 * state's rows in increasing duration.
 */
static DurationSlot *
final_rows(FunctionCallInfo fcinfo, int ngroups, int natts,
		   const char *row_type_name, SurvivalState **state,
		   TupleDesc *tupdesc, int *n)
{
	*state = survival_arg(fcinfo, 0, ngroups);
	*tupdesc = socroi_result_tupdesc(fcinfo, natts, row_type_name);
	return survival_sorted(*state, n);
}

/* ---------- state I/O ---------- */

/*
 * Text form: tag:1 <durations> [ <duration> <counts> ... ] in increasing
 * duration, the counts being "events censored" for time_to_convert and
 * "follower_events follower_censored other_events other_censored" for
 * compare_time_to_convert.  Totals are not stored: they are the sums.
 */
static void
survival_write(StateWriter *w, const SurvivalState *state)
{
	int			n,
				i,
				g;
	DurationSlot *rows = survival_sorted(state, &n);

	state_write_int64(w, n);
	state_write_mark(w, '[');
	for (i = 0; i < n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		state_write_float8(w, rows[i].duration);
		for (g = state->ngroups - 1; g >= 0; g--)
		{
			state_write_int64(w, rows[i].events[g]);
			state_write_int64(w, rows[i].censored[g]);
		}
	}
	state_write_mark(w, ']');
	pfree(rows);
}

static SurvivalState *
survival_read(StateReader *r, int ngroups)
{
	int			width = 1 + 2 * ngroups;
	int			n,
				i,
				g,
				capacity;
	double		previous = 0.0;
	SurvivalState *state;

	n = state_read_count(r, "durations", SURVIVAL_MAX_DURATIONS,
						 width * (r->binary ? 8 : 2));
	capacity = (int) flat_hash_capacity(n, SURVIVAL_MIN_CAPACITY,
										SURVIVAL_MAX_CAPACITY, "durations", NULL);
	state = survival_new(ngroups, capacity);
	state_read_mark(r, '[');
	for (i = 0; i < n; i++)
	{
		DurationSlot entry = {0};
		DurationSlot *slot;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		entry.duration = state_read_float8_nonneg(r, "duration") + 0.0;
		if (i > 0 && !(entry.duration > previous))
			state_invalid(r, "durations must be strictly increasing");
		previous = entry.duration;
		for (g = ngroups - 1; g >= 0; g--)
		{
			entry.events[g] = state_read_int_range(r, "events", 0, PG_INT64_MAX);
			entry.censored[g] = state_read_int_range(r, "censored", 0, PG_INT64_MAX);
			if (pg_add_s64_overflow(state->events[g], entry.events[g], &state->events[g]) ||
				pg_add_s64_overflow(state->subjects[g], entry.events[g], &state->subjects[g]) ||
				pg_add_s64_overflow(state->subjects[g], entry.censored[g], &state->subjects[g]))
				state_invalid(r, "counts exceed the 64-bit range");
		}
		if (slot_is_empty(&entry))
			state_invalid(r, "every duration must count at least one subject");
		slot = survival_lookup(state, entry.duration);
		Assert(slot_is_empty(slot));
		*slot = entry;
		state->count++;
	}
	state_read_mark(r, ']');
	state_read_end(r);
	return state;
}

SOCROI_STATE_IO_FUNCTIONS(time_to_convert, "time_to_convert_state", TIME_TO_CONVERT_TAG, SURVIVAL_VERSION,
						  survival_write(w, survival_arg(fcinfo, 0, 1)),
						  survival_read(r, 1));

SOCROI_STATE_IO_FUNCTIONS(compare_time, "compare_time_to_convert_state", COMPARE_TIME_TAG, SURVIVAL_VERSION,
						  survival_write(w, survival_arg(fcinfo, 0, 2)),
						  survival_read(r, 2));

/* ---------- Kaplan-Meier ---------- */

#define KM_NQUANTILES 3
static const double km_probability[KM_NQUANTILES] = {0.25, 0.5, 0.75};

/* the Kaplan-Meier curve of one group, swept in increasing time */
typedef struct KaplanMeier
{
	int64		at_risk;		/* subjects with duration >= the current time */
	double		survival;		/* S just after the current time */
	int64		factors;		/* event times so far */
	int			next;			/* first quantile not reached yet */
	double		time[KM_NQUANTILES];
} KaplanMeier;

static void
km_init(KaplanMeier *km, int64 subjects)
{
	km->at_risk = subjects;
	km->survival = 1.0;
	km->factors = 0;
	km->next = 0;
}

/*
 * Step past time t with d events and c censorings (events first).  S is a
 * product of k rounded factors (n - d) / n, so its relative rounding error is
 * at most about k ulps: a curve within that of 1 - p counts as reaching it
 * (four subjects converting one after another give S = 3/4 * 2/3 = 1/2,
 * which must reach the median however the product rounds).
 */
static void
km_step(KaplanMeier *km, double t, int64 d, int64 c, const char *type_name)
{
	if (d > km->at_risk || c > km->at_risk - d)
		state_corrupt(type_name);
	if (d > 0)
	{
		km->survival *= (double) (km->at_risk - d) / (double) km->at_risk;
		km->factors++;
		while (km->next < KM_NQUANTILES)
		{
			double		target = 1.0 - km_probability[km->next];

			if (km->survival > target * (1.0 + 2.0 * (double) km->factors * DBL_EPSILON))
				break;
			km->time[km->next++] = t;
		}
	}
	km->at_risk -= d + c;
}

/* ---------- time_to_convert result ---------- */

enum
{
	TC_SUBJECTS,
	TC_CONVERSIONS,
	TC_P25,
	TC_MEDIAN,
	TC_P75,
	TC_NATTS
};

Datum
socroi_time_to_convert_final(PG_FUNCTION_ARGS)
{
	SurvivalState *state;
	TupleDesc	tupdesc;
	Datum		values[TC_NATTS];
	bool		nulls[TC_NATTS];
	DurationSlot *rows;
	KaplanMeier km;
	int			n,
				i;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	rows = final_rows(fcinfo, 1, TC_NATTS, "conversion_time_summary", &state,
					  &tupdesc, &n);
	km_init(&km, state->subjects[0]);
	for (i = 0; i < n && km.next < KM_NQUANTILES; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		km_step(&km, rows[i].duration, rows[i].events[0], rows[i].censored[0],
				survival_type_name(1));
	}

	values[TC_SUBJECTS] = Int64GetDatum(state->subjects[0]);
	nulls[TC_SUBJECTS] = false;
	values[TC_CONVERSIONS] = Int64GetDatum(state->events[0]);
	nulls[TC_CONVERSIONS] = false;
	for (i = 0; i < KM_NQUANTILES; i++)
	{
		nulls[TC_P25 + i] = i >= km.next;
		values[TC_P25 + i] = i < km.next ? Float8GetDatum(km.time[i]) : (Datum) 0;
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* ---------- compare_time_to_convert result ---------- */

enum
{
	CT_FOLLOWERS,
	CT_NON_FOLLOWERS,
	CT_FOLLOWER_CONVERSIONS,
	CT_NON_FOLLOWER_CONVERSIONS,
	CT_FOLLOWER_MEDIAN,
	CT_NON_FOLLOWER_MEDIAN,
	CT_FOLLOWER_EXPECTED,
	CT_NON_FOLLOWER_EXPECTED,
	CT_HAZARD_RATIO,
	CT_CHI_SQUARE,
	CT_P,
	CT_NATTS
};

#define KM_MEDIAN 1				/* index of 0.5 in km_probability */

Datum
socroi_compare_time_final(PG_FUNCTION_ARGS)
{
	SurvivalState *state;
	TupleDesc	tupdesc;
	Datum		values[CT_NATTS];
	bool		nulls[CT_NATTS];
	DurationSlot *rows;
	KaplanMeier km[2];
	SocroiSum expected[2] = {{0}},
				variance = {0};
	double		observed[2],
				e1,
				e0,
				v;
	int			n,
				i,
				g;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	rows = final_rows(fcinfo, 2, CT_NATTS, "time_comparison", &state,
					  &tupdesc, &n);
	for (g = 0; g < 2; g++)
		km_init(&km[g], state->subjects[g]);
	for (i = 0; i < n; i++)
	{
		const DurationSlot *row = &rows[i];
		int64		d = row->events[0] + row->events[1];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (d > 0)
		{
			double		n1 = (double) km[1].at_risk;
			double		n0 = (double) km[0].at_risk;
			double		nn = n1 + n0;
			double		dd = (double) d;

			/* E_gj = d_j n_gj / n_j; V_j hypergeometric (header comment) */
			socroi_sum_add(&expected[1], dd * (n1 / nn));
			socroi_sum_add(&expected[0], dd * (n0 / nn));
			if (nn > 1.0)
				socroi_sum_add(&variance,
								dd * (n1 / nn) * (n0 / nn) * ((nn - dd) / (nn - 1.0)));
		}
		for (g = 0; g < 2; g++)
			km_step(&km[g], row->duration, row->events[g], row->censored[g],
					survival_type_name(2));
	}

	socroi_result_nulls(values, nulls, CT_NATTS);
	values[CT_FOLLOWERS] = Int64GetDatum(state->subjects[1]);
	values[CT_NON_FOLLOWERS] = Int64GetDatum(state->subjects[0]);
	values[CT_FOLLOWER_CONVERSIONS] = Int64GetDatum(state->events[1]);
	values[CT_NON_FOLLOWER_CONVERSIONS] = Int64GetDatum(state->events[0]);
	nulls[CT_FOLLOWERS] = nulls[CT_NON_FOLLOWERS] = false;
	nulls[CT_FOLLOWER_CONVERSIONS] = nulls[CT_NON_FOLLOWER_CONVERSIONS] = false;
	if (km[1].next > KM_MEDIAN)
	{
		values[CT_FOLLOWER_MEDIAN] = Float8GetDatum(km[1].time[KM_MEDIAN]);
		nulls[CT_FOLLOWER_MEDIAN] = false;
	}
	if (km[0].next > KM_MEDIAN)
	{
		values[CT_NON_FOLLOWER_MEDIAN] = Float8GetDatum(km[0].time[KM_MEDIAN]);
		nulls[CT_NON_FOLLOWER_MEDIAN] = false;
	}

	observed[1] = (double) state->events[1];
	observed[0] = (double) state->events[0];
	e1 = socroi_sum_value(&expected[1]);
	e0 = socroi_sum_value(&expected[0]);
	v = socroi_sum_value(&variance);
	values[CT_FOLLOWER_EXPECTED] = Float8GetDatum(e1);
	values[CT_NON_FOLLOWER_EXPECTED] = Float8GetDatum(e0);
	nulls[CT_FOLLOWER_EXPECTED] = nulls[CT_NON_FOLLOWER_EXPECTED] = false;
	/* (O1 / E1) / (O0 / E0): undefined when a denominator is 0 */
	if (e1 > 0.0 && e0 > 0.0 && observed[0] > 0.0)
	{
		values[CT_HAZARD_RATIO] = Float8GetDatum((observed[1] / e1) / (observed[0] / e0));
		nulls[CT_HAZARD_RATIO] = false;
	}
	if (v > 0.0)
	{
		double		deviation = observed[1] - e1;
		double		chi_square = deviation * deviation / v;

		values[CT_CHI_SQUARE] = Float8GetDatum(chi_square);
		nulls[CT_CHI_SQUARE] = false;
		/* chi-square(1) upper tail = erfc(sqrt(x / 2)), accurate far out */
		values[CT_P] = Float8GetDatum(stats_chisq1_sf(chi_square));
		nulls[CT_P] = false;
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
