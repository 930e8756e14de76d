/*
 * clv_summary.c
 *		customer_summary: recency-frequency-monetary summaries of one
 *		customer's orders (doc/clv.md), with the definitions of
 *		the lifetimes library's summary_data_from_transaction_data.
 *
 * Orders fall into periods; orders in the same period merge into one
 * purchase (their amounts add up).  For units of a day or longer the period
 * is the calendar day in the session time zone (as date_trunc('day', ...)),
 * and times are whole days divided by the unit: with unit '7 days', recency
 * = (last - first purchase day) / 7, exactly as the CDNOW summaries were
 * built.  For units shorter than a day the period is the unit itself,
 * counted from local midnight of 2000-01-01.  A month counts as 365.25/12
 * days (PostgreSQL's own convention for an interval's epoch).
 *
 *   frequency      = distinct periods - 1
 *   recency        = (last - first period) in units
 *   t              = (period of observation_end - first period) in units
 *   monetary_value = mean amount of the repeat periods (0 when none)
 *
 * Calendar units (time_unit given as text: 'day', 'week', 'month',
 * 'quarter', 'year') count whole calendar periods instead, like pandas'
 * to_period(freq) in lifetimes: weeks run Monday to Sunday (freq='W'),
 * months, quarters and years start on the 1st; recency and t are then whole
 * numbers of periods.  Text that is not one of these names is read as an
 * interval, so quoted literals like '7 days' keep their meaning.
 *
 * customer_summary_holdout splits the orders at calibration_end (lifetimes'
 * calibration_and_holdout_data): the summary of the orders up to
 * calibration_end as above (t up to calibration_end), plus the distinct
 * purchase periods and the spend after it up to observation_end, and the
 * length of the holdout period in units.  Customers whose first order falls
 * in the holdout period get NULL (lifetimes leaves them out).
 *
 * The state keeps one (part, period, amount) entry per distinct period of
 * each part (calibration, holdout): appended
 * as they come (the common ordered case merges into the last entry), sorted
 * and merged when the array fills, so the cost per order stays O(log n)
 * amortised even for orders in reverse time order.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "datatype/timestamp.h"
#include "common/int.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
#include "catalog/pg_type.h"

#include "common/common.h"
#include "common/state_io.h"
#include "clv/clv_periods.h"

PG_FUNCTION_INFO_V1(socroi_customer_summary_trans);
PG_FUNCTION_INFO_V1(socroi_customer_summary_trans_unit);
PG_FUNCTION_INFO_V1(socroi_customer_summary_combine);
PG_FUNCTION_INFO_V1(socroi_customer_summary_final);
PG_FUNCTION_INFO_V1(socroi_customer_summary_trans_calendar);
PG_FUNCTION_INFO_V1(socroi_customer_summary_holdout_trans);
PG_FUNCTION_INFO_V1(socroi_customer_summary_holdout_final);
PG_FUNCTION_INFO_V1(socroi_customer_summary_merge);
PG_FUNCTION_INFO_V1(socroi_customer_summary_result_at);

#define SUMMARY_TAG		"customer_summary"
#define HOLDOUT_TAG		"customer_summary_holdout"
#define SUMMARY_VERSION 2		/* 1: socroi 0.2 (no calendar, no holdout) */

#define PART_CALIBRATION 0
#define PART_HOLDOUT	1

typedef struct SummaryPeriod
{
	int64		period;			/* day number, unit number for sub-day
								 * units, or calendar period number */
	double		amount;			/* spend in the period */
	int32		part;			/* PART_CALIBRATION or PART_HOLDOUT */
	int32		padding;
} SummaryPeriod;

typedef struct CustomerSummaryState
{
	int32		vl_len_;		/* varlena header: VARSIZE = capacity */
	int32		version;
	int32		nperiods;		/* entries in use */
	int32		nsorted;		/* leading entries that are sorted and distinct */
	TimestampTz observation_end;
	TimestampTz calibration_end;	/* = observation_end without a holdout */
	Interval	unit;
	int32		calendar;		/* Calendar */
	int32		holdout;		/* customer_summary_holdout's state */
	int64		orders;			/* calibration orders */
	int64		holdout_orders;
	double		total;			/* calibration spend */
	SummaryPeriod periods[FLEXIBLE_ARRAY_MEMBER];
} CustomerSummaryState;

#define SUMMARY_HEADER	offsetof(CustomerSummaryState, periods)
#define SUMMARY_MAX_PERIODS ((int) ((MaxAllocSize - SUMMARY_HEADER) / sizeof(SummaryPeriod)))

static inline int
summary_capacity(const CustomerSummaryState *state)
{
	return (int) ((VARSIZE(state) - SUMMARY_HEADER) / sizeof(SummaryPeriod));
}

static inline Size
summary_used(const CustomerSummaryState *state)
{
	return SUMMARY_HEADER + (Size) state->nperiods * sizeof(SummaryPeriod);
}

/* the settings of a summary: the same on every order of a customer */
typedef struct SummarySettings
{
	TimestampTz observation_end;
	TimestampTz calibration_end;
	Interval	unit;
	int32		calendar;
} SummarySettings;

/* by part (calibration first), then period */
static int
period_cmp(const void *a, const void *b)
{
	const SummaryPeriod *pa = a;
	const SummaryPeriod *pb = b;

	if (pa->part != pb->part)
		return socroi_cmp_int64(pa->part, pb->part);
	return socroi_cmp_int64(pa->period, pb->period);
}

static inline bool
same_period(const SummaryPeriod *a, const SummaryPeriod *b)
{
	return a->period == b->period && a->part == b->part;
}

/* acc += amount; amounts are finite and >= 0, so only the sum can overflow */
static inline void
amount_add(double *acc, double amount)
{
	*acc += amount;
	if (unlikely(isinf(*acc)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("customer_summary: order amounts add up beyond the range of float8")));
}

/* sort the entries and merge equal periods, in place */
static void
summary_compact(CustomerSummaryState *state)
{
	int			n = state->nperiods;
	int			out = 0;
	int			i;

	if (state->nsorted == n)
		return;
	qsort(state->periods, n, sizeof(SummaryPeriod), period_cmp);
	for (i = 0; i < n; i++)
	{
		if (out > 0 && same_period(&state->periods[out - 1], &state->periods[i]))
			amount_add(&state->periods[out - 1].amount, state->periods[i].amount);
		else
			state->periods[out++] = state->periods[i];
	}
	state->nperiods = out;
	state->nsorted = out;
}

/* ---------- state access ---------- */

static CustomerSummaryState *
summary_new(int capacity)
{
	return state_alloc(SUMMARY_HEADER + (Size) capacity * sizeof(SummaryPeriod),
					   SUMMARY_VERSION);
}

/*
 * The in-memory layout of format version 1 (socroi 0.2), which tables of
 * customer_summary_state written then still hold: no calibration_end,
 * calendar or holdout, periods of (period, amount).
 */
typedef struct SummaryPeriodV1
{
	int64		period;
	double		amount;
} SummaryPeriodV1;

typedef struct CustomerSummaryStateV1
{
	int32		vl_len_;
	int32		version;
	int32		nperiods;
	int32		nsorted;
	TimestampTz observation_end;
	Interval	unit;
	int64		orders;
	double		total;
	SummaryPeriodV1 periods[FLEXIBLE_ARRAY_MEMBER];
} CustomerSummaryStateV1;

#define SUMMARY_HEADER_V1 offsetof(CustomerSummaryStateV1, periods)

/* a version 1 state as a plain (no holdout, interval unit) current one */
static StateHeader *
summary_convert(const StateHeader *old_header, Size size)
{
	const CustomerSummaryStateV1 *old = state_old_format(old_header, size, 1,
														  SUMMARY_HEADER_V1);
	CustomerSummaryState *state;
	int			i;

	if (old == NULL ||
		old->nperiods < 0 || old->nsorted < 0 || old->nsorted > old->nperiods ||
		SUMMARY_HEADER_V1 + (Size) old->nperiods * sizeof(SummaryPeriodV1) > size)
		return NULL;
	state = summary_new(Max(old->nperiods, 1));
	state->nperiods = old->nperiods;
	state->nsorted = old->nsorted;
	state->observation_end = state->calibration_end = old->observation_end;
	state->unit = old->unit;
	state->calendar = CALENDAR_NONE;
	state->holdout = false;
	state->orders = old->orders;
	state->total = old->total;
	for (i = 0; i < old->nperiods; i++)
	{
		state->periods[i].period = old->periods[i].period;
		state->periods[i].amount = old->periods[i].amount;
		state->periods[i].part = PART_CALIBRATION;
	}
	return (StateHeader *) state;
}

/* the state in argument argno (a version 1 state converted), checked */
static CustomerSummaryState *
summary_arg(FunctionCallInfo fcinfo, int argno)
{
	CustomerSummaryState *state = state_arg_convert(fcinfo, argno, "customer_summary_state",
													SUMMARY_VERSION, SUMMARY_HEADER, 0,
													summary_convert);

	if (state->nperiods < 0 || state->nsorted < 0 ||
		state->nsorted > state->nperiods ||
		summary_used(state) > VARSIZE_ANY(state) ||
		(state->holdout != 0 && state->holdout != 1) ||
		state->calendar < CALENDAR_NONE || state->calendar > CALENDAR_YEAR ||
		(!state->holdout && state->calibration_end != state->observation_end))
		state_corrupt("customer_summary_state");
	return state;
}

/* a private copy with room for extra more entries */
static CustomerSummaryState *
summary_copy(const CustomerSummaryState *state, int extra)
{
	CustomerSummaryState *copy = summary_new(state->nperiods + Max(extra, 4));
	Size		size = VARSIZE(copy);

	memcpy(copy, state, summary_used(state));
	SET_VARSIZE(copy, size);
	return copy;
}

/*
 * The state with its periods sorted and merged: itself when it already is
 * (states built in order, and every state read from text or binary), else a
 * compacted copy -- final and output functions must not modify the state.
 */
static const CustomerSummaryState *
summary_sorted(const CustomerSummaryState *state)
{
	CustomerSummaryState *copy;

	if (state->nsorted == state->nperiods)
		return state;
	copy = summary_copy(state, 0);
	summary_compact(copy);
	return copy;
}

/* make room for one more entry: compact first, then grow geometrically */
static CustomerSummaryState *
summary_make_room(CustomerSummaryState *state, int more)
{
	if (state->nperiods + more <= summary_capacity(state))
		return state;
	summary_compact(state);
	/* grow when compaction freed less than half of the array */
	if (state->nperiods + more > summary_capacity(state) / 2)
	{
		if ((int64) state->nperiods + more > SUMMARY_MAX_PERIODS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("customer_summary: too many distinct periods for one customer")));
		state = (CustomerSummaryState *)
			state_reserve((struct varlena *) state, summary_used(state),
						  SUMMARY_HEADER + (Size) (state->nperiods + more) * sizeof(SummaryPeriod));
	}
	return state;
}

/* ERROR 22023 unless the setting argname is `had` on every order (hint may be NULL) */
static void
check_same_time(const char *argname, TimestampTz got, TimestampTz had, const char *hint)
{
	if (got != had)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be the same for every order of a customer: got %s after %s",
						argname, pstrdup(timestamptz_to_str(got)),
						pstrdup(timestamptz_to_str(had))),
				 hint ? errhint("%s", hint) : 0));
}

/* ERROR 22023 with a hint when time a (argument a_name) is after time b */
static void
check_not_after(const char *a_name, TimestampTz a, const char *b_name, TimestampTz b,
				const char *hint)
{
	if (a > b)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %s is after %s %s", a_name, pstrdup(timestamptz_to_str(a)),
						b_name, pstrdup(timestamptz_to_str(b))),
				 errhint("%s", hint)));
}

static void
check_same_setting(const CustomerSummaryState *state, const SummarySettings *s)
{
	check_same_time("observation_end", s->observation_end, state->observation_end,
					"Pass one constant, e.g. customer_summary(ordered_at, amount, '2024-06-30').");
	check_same_time("calibration_end", s->calibration_end, state->calibration_end, NULL);
	if (state->unit.time != s->unit.time || state->unit.day != s->unit.day ||
		state->unit.month != s->unit.month || state->calendar != s->calendar)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time_unit must be the same for every order of a customer")));
}

/* ---------- transition, combine ---------- */

/*
 * Add one order (arguments 1: order_time, 2: amount) to the state; for a
 * holdout summary orders after calibration_end go to the holdout part.
 */
static Datum
summary_step(FunctionCallInfo fcinfo, SummarySettings *s, bool holdout)
{
	CustomerSummaryState *state;
	TimestampTz order_time;
	double		amount;
	int64		period;
	int32		part;

	order_time = PG_GETARG_TIMESTAMPTZ(1);
	amount = PG_GETARG_FLOAT8(2);

	socroi_check_finite_timestamp(order_time, "order_time");
	socroi_check_finite_timestamp(s->observation_end, "observation_end");
	socroi_check_finite_timestamp(s->calibration_end, "calibration_end");
	socroi_check_finite(amount, "amount");
	if (amount < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("amount must not be negative, got %g", amount),
				 errhint("Net refunds into their orders, or leave them out with WHERE amount >= 0.")));
	check_not_after("order_time", order_time, "observation_end", s->observation_end,
					"Summarise only the calibration period: WHERE order_time <= observation_end.");
	check_not_after("calibration_end", s->calibration_end, "observation_end", s->observation_end,
					"The holdout period runs from calibration_end to observation_end.");

	if (PG_ARGISNULL(0))
	{
		(void) clv_unit_usecs(&s->unit);	/* validates */
		state = summary_new(4);
		state->observation_end = s->observation_end;
		state->calibration_end = s->calibration_end;
		state->unit = s->unit;
		state->calendar = s->calendar;
		state->holdout = holdout;
	}
	else
	{
		state = summary_arg(fcinfo, 0);
		if (!socroi_in_aggregate(fcinfo))
			state = summary_copy(state, 1);
		check_same_setting(state, s);
	}

	part = order_time > state->calibration_end ? PART_HOLDOUT : PART_CALIBRATION;
	period = clv_period_of(order_time, &state->unit, state->calendar);
	if (state->nperiods > 0 && state->periods[state->nperiods - 1].period == period &&
		state->periods[state->nperiods - 1].part == part)
		amount_add(&state->periods[state->nperiods - 1].amount, amount);
	else
	{
		SummaryPeriod *last = state->nperiods > 0 ? &state->periods[state->nperiods - 1] : NULL;
		bool		in_order = state->nperiods == state->nsorted &&
			(last == NULL || last->part < part ||
			 (last->part == part && last->period < period));

		state = summary_make_room(state, 1);
		state->periods[state->nperiods].period = period;
		state->periods[state->nperiods].amount = amount;
		state->periods[state->nperiods].part = part;
		state->periods[state->nperiods].padding = 0;
		state->nperiods++;
		if (in_order)
			state->nsorted = state->nperiods;
	}
	if (part == PART_HOLDOUT)
		state->holdout_orders++;
	else
	{
		state->orders++;
		amount_add(&state->total, amount);
	}
	PG_RETURN_POINTER(state);
}

/* (order_time, amount, observation_end [, interval]) */
Datum
socroi_customer_summary_trans(PG_FUNCTION_ARGS)
{
	SummarySettings s;

	if (socroi_any_arg_null(fcinfo, 1, PG_NARGS() - 1))
		return socroi_state_unchanged(fcinfo);
	s.observation_end = s.calibration_end = PG_GETARG_TIMESTAMPTZ(3);
	s.calendar = CALENDAR_NONE;
	s.unit = PG_NARGS() > 4 ? *PG_GETARG_INTERVAL_P(4) : clv_one_day();
	return summary_step(fcinfo, &s, false);
}

SOCROI_VARIANT(socroi_customer_summary_trans_unit, socroi_customer_summary_trans(fcinfo))

/* (order_time, amount, observation_end, text) */
Datum
socroi_customer_summary_trans_calendar(PG_FUNCTION_ARGS)
{
	SummarySettings s;

	if (socroi_any_arg_null(fcinfo, 1, 4))
		return socroi_state_unchanged(fcinfo);
	s.observation_end = s.calibration_end = PG_GETARG_TIMESTAMPTZ(3);
	clv_unit_from_text(PG_GETARG_TEXT_PP(4), &s.unit, &s.calendar);
	return summary_step(fcinfo, &s, false);
}

/* (order_time, amount, calibration_end, observation_end [, interval | text]) */
Datum
socroi_customer_summary_holdout_trans(PG_FUNCTION_ARGS)
{
	SummarySettings s;

	if (socroi_any_arg_null(fcinfo, 1, PG_NARGS() - 1))
		return socroi_state_unchanged(fcinfo);
	s.calibration_end = PG_GETARG_TIMESTAMPTZ(3);
	s.observation_end = PG_GETARG_TIMESTAMPTZ(4);
	s.calendar = CALENDAR_NONE;
	s.unit = clv_one_day();
	if (PG_NARGS() > 5)
	{
		if (get_fn_expr_argtype(fcinfo->flinfo, 5) == INTERVALOID)
			s.unit = *PG_GETARG_INTERVAL_P(5);
		else
			clv_unit_from_text(PG_GETARG_TEXT_PP(5), &s.unit, &s.calendar);
	}
	return summary_step(fcinfo, &s, true);
}

/*
 * Merge state b into a.  The combine function of customer_summary() wants
 * the same settings on both sides (one aggregate, constant arguments);
 * customer_summary_merge() -- rollups of plain states stored per day --
 * keeps the later observation_end, the time unit being the same.
 */
static Datum
summary_merge(FunctionCallInfo fcinfo, bool latest_end)
{
	CustomerSummaryState *into = summary_arg(fcinfo, 0);
	CustomerSummaryState *from = summary_arg(fcinfo, 1);
	SummarySettings s;

	if (into->holdout != from->holdout)
		state_corrupt("customer_summary_state");
	if (!socroi_in_aggregate(fcinfo))
		into = summary_copy(into, from->nperiods);
	if (latest_end && !into->holdout && from->observation_end > into->observation_end)
		into->observation_end = into->calibration_end = from->observation_end;
	s.observation_end = latest_end && !into->holdout ? into->observation_end : from->observation_end;
	s.calibration_end = latest_end && !into->holdout ? into->calibration_end : from->calibration_end;
	s.unit = from->unit;
	s.calendar = from->calendar;
	check_same_setting(into, &s);
	if (from->nperiods > 0)
	{
		into = summary_make_room(into, from->nperiods);
		memcpy(&into->periods[into->nperiods], from->periods,
			   (Size) from->nperiods * sizeof(SummaryPeriod));
		into->nperiods += from->nperiods;
		into->nsorted = 0;
		summary_compact(into);
	}
	if (pg_add_s64_overflow(into->orders, from->orders, &into->orders) ||
		pg_add_s64_overflow(into->holdout_orders, from->holdout_orders, &into->holdout_orders))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("customer_summary: order count out of range")));
	amount_add(&into->total, from->total);
	PG_RETURN_POINTER(into);
}

SOCROI_VARIANT(socroi_customer_summary_combine, summary_merge(fcinfo, false))

/* customer_summary_merge(state, state): rollups over stored states */
SOCROI_VARIANT(socroi_customer_summary_merge, summary_merge(fcinfo, true))

/* ---------- final ---------- */

enum
{
	RFM_FREQUENCY,
	RFM_RECENCY,
	RFM_T,
	RFM_MONETARY,
	RFM_ORDERS,
	RFM_TOTAL,
	RFM_NATTS,
	/* customer_rfm_holdout */
	RFM_HOLDOUT_FREQUENCY = RFM_NATTS,
	RFM_HOLDOUT_TOTAL,
	RFM_HOLDOUT_DURATION,
	RFM_HOLDOUT_NATTS
};

/*
 * The RFM row of a sorted state, calibration times measured up to
 * calibration_end (the state's own, or a later end asked for by
 * customer_summary_result); with the holdout columns for a holdout state.
 */
static Datum
summary_result(FunctionCallInfo fcinfo, const CustomerSummaryState *state,
			   TimestampTz calibration_end)
{
	bool		holdout = state->holdout;
	TupleDesc	tupdesc;
	Datum		values[RFM_HOLDOUT_NATTS];
	bool		nulls[RFM_HOLDOUT_NATTS] = {0};
	int64		first,
				last,
				end_period;
	double		length,
				repeat_spend = 0.0,
				holdout_spend = 0.0;
	int			ncal = 0,
				i;

	while (ncal < state->nperiods && state->periods[ncal].part == PART_CALIBRATION)
		ncal++;
	if (ncal == 0)
		PG_RETURN_NULL();		/* no order up to calibration_end */
	tupdesc = socroi_result_tupdesc(fcinfo, holdout ? RFM_HOLDOUT_NATTS : RFM_NATTS,
									holdout ? "customer_rfm_holdout" : "customer_rfm");

	first = state->periods[0].period;
	last = state->periods[ncal - 1].period;
	end_period = clv_period_of(calibration_end, &state->unit, state->calendar);
	if (end_period < last && calibration_end != state->calibration_end)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("observation_end %s is before the last order of the state",
						pstrdup(timestamptz_to_str(calibration_end))),
				 errhint("Merge only the states up to observation_end: WHERE day <= observation_end.")));
	if (end_period < last ||
		(ncal < state->nperiods &&
		 state->periods[state->nperiods - 1].period >
		 clv_period_of(state->observation_end, &state->unit, state->calendar)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("customer_summary: an order falls after the period of its end of observation"),
				 errdetail("The time zone changed between the partial aggregates.")));
	length = clv_period_length(&state->unit, state->calendar);
	for (i = 1; i < ncal; i++)
		repeat_spend += state->periods[i].amount;
	for (i = ncal; i < state->nperiods; i++)
		holdout_spend += state->periods[i].amount;

	values[RFM_FREQUENCY] = Float8GetDatum((double) (ncal - 1));
	/* in double: periods of a crafted state may be far apart */
	values[RFM_RECENCY] = Float8GetDatum(((double) last - (double) first) * length);
	values[RFM_T] = Float8GetDatum(((double) end_period - (double) first) * length);
	values[RFM_MONETARY] = Float8GetDatum(ncal > 1 ? repeat_spend / (double) (ncal - 1) : 0.0);
	values[RFM_ORDERS] = Int64GetDatum(state->orders);
	values[RFM_TOTAL] = Float8GetDatum(state->total);
	if (holdout)
	{
		int64		obs_period = clv_period_of(state->observation_end, &state->unit, state->calendar);

		values[RFM_HOLDOUT_FREQUENCY] = Float8GetDatum((double) (state->nperiods - ncal));
		values[RFM_HOLDOUT_TOTAL] = Float8GetDatum(holdout_spend);
		values[RFM_HOLDOUT_DURATION] =
			Float8GetDatum(((double) obs_period - (double) end_period) * length);
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

static Datum
summary_final(FunctionCallInfo fcinfo, bool holdout)
{
	const CustomerSummaryState *state;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = summary_sorted(summary_arg(fcinfo, 0));
	if (state->holdout != holdout)
		state_corrupt(holdout ? "customer_summary_holdout_state" : "customer_summary_state");
	return summary_result(fcinfo, state, state->calibration_end);
}

SOCROI_VARIANT(socroi_customer_summary_final, summary_final(fcinfo, false))

SOCROI_VARIANT(socroi_customer_summary_holdout_final, summary_final(fcinfo, true))

/* customer_summary_result(state, observation_end): RFM as of another end */
Datum
socroi_customer_summary_result_at(PG_FUNCTION_ARGS)
{
	const CustomerSummaryState *state = summary_sorted(summary_arg(fcinfo, 0));
	TimestampTz observation_end = PG_GETARG_TIMESTAMPTZ(1);

	socroi_check_finite_timestamp(observation_end, "observation_end");
	if (state->holdout)
		state_corrupt("customer_summary_state");
	return summary_result(fcinfo, state, observation_end);
}

/* ---------- I/O ---------- */

static void
summary_write(StateWriter *w, const CustomerSummaryState *state)
{
	const CustomerSummaryState *sorted = summary_sorted(state);
	int			i;

	state_write_int64(w, sorted->observation_end);
	if (sorted->holdout)
		state_write_int64(w, sorted->calibration_end);
	state_write_int64(w, sorted->unit.month);
	state_write_int64(w, sorted->unit.day);
	state_write_int64(w, sorted->unit.time);
	state_write_int64(w, sorted->calendar);
	state_write_int64(w, sorted->orders);
	if (sorted->holdout)
		state_write_int64(w, sorted->holdout_orders);
	state_write_float8(w, sorted->total);
	state_write_int64(w, sorted->nperiods);
	state_write_mark(w, '[');
	for (i = 0; i < sorted->nperiods; i++)
	{
		if (sorted->holdout)
			state_write_int64(w, sorted->periods[i].part);
		state_write_int64(w, sorted->periods[i].period);
		state_write_float8(w, sorted->periods[i].amount);
	}
	state_write_mark(w, ']');
}

static CustomerSummaryState *
summary_read(StateReader *r, bool holdout)
{
	TimestampTz observation_end,
				calibration_end;
	Interval	unit;
	int32		calendar;
	int64		orders,
				holdout_orders = 0;
	double		total;
	int64		min_period,
				max_period;
	int			n,
				i,
				counts[2] = {0, 0};
	CustomerSummaryState *state;

	observation_end = state_read_int64(r, "observation_end");
	if (TIMESTAMP_NOT_FINITE(observation_end) || !IS_VALID_TIMESTAMP(observation_end))
		state_invalid(r, "observation_end out of range");
	calibration_end = observation_end;
	if (holdout)
	{
		calibration_end = state_read_int64(r, "calibration_end");
		if (TIMESTAMP_NOT_FINITE(calibration_end) || !IS_VALID_TIMESTAMP(calibration_end) ||
			calibration_end > observation_end)
			state_invalid(r, "calibration_end out of range");
	}
	unit.month = (int32) state_read_int_range(r, "unit months", PG_INT32_MIN, PG_INT32_MAX);
	unit.day = (int32) state_read_int_range(r, "unit days", PG_INT32_MIN, PG_INT32_MAX);
	unit.time = state_read_int64(r, "unit microseconds");
	if (!clv_unit_is_valid(&unit))
		state_invalid(r, "the time unit must be positive, without negative parts");
	/* format version 1 (socroi 0.2) had interval units only */
	calendar = r->version == 1 ? CALENDAR_NONE :
		(int32) state_read_int_range(r, "calendar", CALENDAR_NONE, CALENDAR_YEAR);
	if (calendar != CALENDAR_NONE && (unit.month != 0 || unit.day != 1 || unit.time != 0))
		state_invalid(r, "a calendar unit goes with the interval 1 day");
	orders = state_read_int_range(r, "orders", holdout ? 0 : 1, PG_INT64_MAX);
	if (holdout)
	{
		holdout_orders = state_read_int_range(r, "holdout orders", 0, PG_INT64_MAX);
		if (orders == 0 && holdout_orders == 0)
			state_invalid(r, "a summary holds at least one order");
	}
	total = state_read_float8_nonneg(r, "total");
	n = state_read_count(r, "periods", SUMMARY_MAX_PERIODS, r->binary ? 16 : 4);
	if (n < 1 || n > orders + holdout_orders)
		state_invalid(r, "periods must be between 1 and the number of orders");
	/*
	 * Periods lie between the first timestamp PostgreSQL has and the period
	 * of observation_end (a day of slack each way for the time zone).
	 */
	if (calendar == CALENDAR_NONE)
	{
		int64		per = clv_unit_is_subday(&unit) ? unit.time : USECS_PER_DAY;

		min_period = clv_floor_div(MIN_TIMESTAMP - USECS_PER_DAY, per);
		max_period = clv_floor_div(observation_end + USECS_PER_DAY, per);
	}
	else
	{
		/* calendar periods: bounded by those of the first and last days */
		min_period = clv_period_of(MIN_TIMESTAMP + 2 * USECS_PER_DAY, &unit, calendar) - 1;
		max_period = clv_period_of(Min(observation_end, END_TIMESTAMP - 2 * USECS_PER_DAY),
							   &unit, calendar) + 1;
	}
	state = summary_new(n);
	state->observation_end = observation_end;
	state->calibration_end = calibration_end;
	state->unit = unit;
	state->calendar = calendar;
	state->holdout = holdout;
	state->orders = orders;
	state->holdout_orders = holdout_orders;
	state->total = total;
	state_read_mark(r, '[');
	for (i = 0; i < n; i++)
	{
		int32		part = holdout ? (int32) state_read_int_range(r, "part", 0, 1) : PART_CALIBRATION;
		int64		period = state_read_int64(r, "period");
		double		amount = state_read_float8_nonneg(r, "amount");

		if (i > 0 && (part < state->periods[i - 1].part ||
					  (part == state->periods[i - 1].part && period <= state->periods[i - 1].period)))
			state_invalid(r, "periods must be strictly increasing");
		if (period < min_period || period > max_period)
			state_invalid(r, "period %lld lies outside the timestamps up to observation_end",
						  (long long) period);
		state->periods[i].period = period;
		state->periods[i].amount = amount;
		state->periods[i].part = part;
		state->periods[i].padding = 0;
		counts[part]++;
	}
	state_read_mark(r, ']');
	state_read_end(r);
	if (counts[0] > orders || counts[1] > holdout_orders ||
		(orders > 0 && counts[0] == 0) || (holdout_orders > 0 && counts[1] == 0))
		state_invalid(r, "periods must be between 1 and the number of orders of their part");
	if (counts[0] == 0 && total != 0.0)
		state_invalid(r, "a summary without calibration orders has no calibration total");
	state->nperiods = n;
	state->nsorted = n;
	return state;
}

SOCROI_STATE_IO_FUNCTIONS_SINCE(customer_summary, "customer_summary_state", SUMMARY_TAG, 1, SUMMARY_VERSION,
						  summary_write(w, summary_arg(fcinfo, 0)),
						  summary_read(r, false));

SOCROI_STATE_IO_FUNCTIONS(customer_summary_holdout, "customer_summary_holdout_state", HOLDOUT_TAG,
						  SUMMARY_VERSION,
						  summary_write(w, summary_arg(fcinfo, 0)),
						  summary_read(r, true));
