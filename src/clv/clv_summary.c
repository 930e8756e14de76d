/*
 * clv_summary.c
 *		customer_summary: recency-frequency-monetary summaries of one
 *		customer's orders (PRODUCT.md section 4.2), with the definitions of
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
 * The state keeps one (period, amount) entry per distinct period: appended
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

#include "common/common.h"
#include "common/state_io.h"

PG_FUNCTION_INFO_V1(socroi_customer_summary_trans);
PG_FUNCTION_INFO_V1(socroi_customer_summary_trans_unit);
PG_FUNCTION_INFO_V1(socroi_customer_summary_combine);
PG_FUNCTION_INFO_V1(socroi_customer_summary_final);

#define SUMMARY_TAG		"customer_summary"
#define SUMMARY_VERSION 1
#define DAYS_PER_AVERAGE_MONTH (365.25 / 12.0)

typedef struct SummaryPeriod
{
	int64		period;			/* day number, or unit number for sub-day units */
	double		amount;			/* spend in the period */
} SummaryPeriod;

typedef struct CustomerSummaryState
{
	int32		vl_len_;		/* varlena header: VARSIZE = capacity */
	int32		version;
	int32		nperiods;		/* entries in use */
	int32		nsorted;		/* leading entries that are sorted and distinct */
	TimestampTz observation_end;
	Interval	unit;
	int64		orders;
	double		total;
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

/* ---------- periods ---------- */

/*
 * A time unit is valid when no part of it is negative and it is not zero:
 * mixed signs ('1 mon -30 days') have no fixed length.  A unit shorter than
 * a day then has no month or day part, so periods divide by its time alone.
 */
static bool
unit_is_valid(const Interval *unit)
{
	return unit->month >= 0 && unit->day >= 0 && unit->time >= 0 &&
		(unit->month > 0 || unit->day > 0 || unit->time > 0);
}

/* the unit's length in microseconds; ERROR unless valid */
static double
unit_usecs(const Interval *unit)
{
	if (!unit_is_valid(unit))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time_unit must be a positive interval without negative parts, got %s",
						DatumGetCString(DirectFunctionCall1(interval_out,
															IntervalPGetDatum(unconstify(Interval *, unit))))),
				 errhint("Use e.g. '1 day' or '7 days'.")));
	return (double) unit->time + (double) unit->day * USECS_PER_DAY +
		(double) unit->month * DAYS_PER_AVERAGE_MONTH * USECS_PER_DAY;
}

/* periods are days for units of a day or more, else the unit itself */
static inline bool
unit_is_subday(const Interval *unit)
{
	return unit->month == 0 && unit->day == 0 && unit->time < USECS_PER_DAY;
}

static inline int64
floor_div(int64 a, int64 b)
{
	int64		q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* the period of a timestamp, on the local clock of the session time zone */
static int64
period_of(TimestampTz ts, const Interval *unit)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;
	int64		local;

	if (timestamp2tm(ts, &tz, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	local = ts - (int64) tz * USECS_PER_SEC;	/* tz is seconds west of UTC */
	if (unit_is_subday(unit))
		return floor_div(local, unit->time);	/* 0 < time < 1 day */
	return floor_div(local, USECS_PER_DAY);
}

/* length of one period, in units */
static double
period_length(const Interval *unit)
{
	if (unit_is_subday(unit))
		return 1.0;
	return (double) USECS_PER_DAY / unit_usecs(unit);
}

static int
period_cmp(const void *a, const void *b)
{
	int64		pa = ((const SummaryPeriod *) a)->period;
	int64		pb = ((const SummaryPeriod *) b)->period;

	return (pa > pb) - (pa < pb);
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
		if (out > 0 && state->periods[out - 1].period == state->periods[i].period)
			amount_add(&state->periods[out - 1].amount, state->periods[i].amount);
		else
			state->periods[out++] = state->periods[i];
	}
	state->nperiods = out;
	state->nsorted = out;
}

/* ---------- state access ---------- */

static CustomerSummaryState *
summary_arg(FunctionCallInfo fcinfo, int argno)
{
	CustomerSummaryState *state = socroi_state_arg(fcinfo, argno, SUMMARY_HEADER, SUMMARY_VERSION,
												   "customer_summary_state");

	if (state->nperiods < 0 || state->nsorted < 0 ||
		state->nsorted > state->nperiods ||
		summary_used(state) > VARSIZE_ANY(state))
		elog(ERROR, "corrupt customer_summary_state");
	return state;
}

static CustomerSummaryState *
summary_new(int capacity)
{
	Size		size = SUMMARY_HEADER + (Size) capacity * sizeof(SummaryPeriod);
	CustomerSummaryState *state = palloc0(size);

	SET_VARSIZE(state, size);
	state->version = SUMMARY_VERSION;
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

static void
check_same_setting(const CustomerSummaryState *state, TimestampTz observation_end,
				   const Interval *unit)
{
	if (state->observation_end != observation_end)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("observation_end must be the same for every order of a customer: got %s after %s",
						pstrdup(timestamptz_to_str(observation_end)),
						pstrdup(timestamptz_to_str(state->observation_end))),
				 errhint("Pass one constant, e.g. customer_summary(ordered_at, amount, '2024-06-30').")));
	if (state->unit.time != unit->time || state->unit.day != unit->day ||
		state->unit.month != unit->month)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time_unit must be the same for every order of a customer")));
}

/* ---------- transition, combine ---------- */

static Datum
summary_step(FunctionCallInfo fcinfo, const Interval *unit)
{
	CustomerSummaryState *state;
	TimestampTz order_time;
	TimestampTz observation_end;
	double		amount;
	int64		period;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	order_time = PG_GETARG_TIMESTAMPTZ(1);
	amount = PG_GETARG_FLOAT8(2);
	observation_end = PG_GETARG_TIMESTAMPTZ(3);

	socroi_check_finite_timestamp(order_time, "order_time");
	socroi_check_finite_timestamp(observation_end, "observation_end");
	socroi_check_finite(amount, "amount");
	if (amount < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("amount must not be negative, got %g", amount),
				 errhint("Net refunds into their orders, or leave them out with WHERE amount >= 0.")));
	if (order_time > observation_end)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("order_time %s is after observation_end %s",
						pstrdup(timestamptz_to_str(order_time)),
						pstrdup(timestamptz_to_str(observation_end))),
				 errhint("Summarise only the calibration period: WHERE order_time <= observation_end.")));

	if (PG_ARGISNULL(0))
	{
		(void) unit_usecs(unit);	/* validates */
		state = summary_new(4);
		state->observation_end = observation_end;
		state->unit = *unit;
	}
	else
	{
		state = summary_arg(fcinfo, 0);
		if (!socroi_in_aggregate(fcinfo))
			state = summary_copy(state, 1);
		check_same_setting(state, observation_end, unit);
	}

	period = period_of(order_time, &state->unit);
	if (state->nperiods > 0 && state->periods[state->nperiods - 1].period == period)
		amount_add(&state->periods[state->nperiods - 1].amount, amount);
	else
	{
		bool		in_order = state->nperiods == state->nsorted &&
			(state->nperiods == 0 ||
			 state->periods[state->nperiods - 1].period < period);

		state = summary_make_room(state, 1);
		state->periods[state->nperiods].period = period;
		state->periods[state->nperiods].amount = amount;
		state->nperiods++;
		if (in_order)
			state->nsorted = state->nperiods;
	}
	state->orders++;
	amount_add(&state->total, amount);
	PG_RETURN_POINTER(state);
}

Datum
socroi_customer_summary_trans(PG_FUNCTION_ARGS)
{
	Interval	one_day = {0};

	one_day.day = 1;
	return summary_step(fcinfo, &one_day);
}

Datum
socroi_customer_summary_trans_unit(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(4))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	return summary_step(fcinfo, PG_GETARG_INTERVAL_P(4));
}

Datum
socroi_customer_summary_combine(PG_FUNCTION_ARGS)
{
	CustomerSummaryState *into = summary_arg(fcinfo, 0);
	CustomerSummaryState *from = summary_arg(fcinfo, 1);

	if (!socroi_in_aggregate(fcinfo))
		into = summary_copy(into, from->nperiods);
	check_same_setting(into, from->observation_end, &from->unit);
	if (from->nperiods > 0)
	{
		into = summary_make_room(into, from->nperiods);
		memcpy(&into->periods[into->nperiods], from->periods,
			   (Size) from->nperiods * sizeof(SummaryPeriod));
		into->nperiods += from->nperiods;
		summary_compact(into);
	}
	if (pg_add_s64_overflow(into->orders, from->orders, &into->orders))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("customer_summary: order count out of range")));
	amount_add(&into->total, from->total);
	PG_RETURN_POINTER(into);
}

/* ---------- final ---------- */

enum
{
	RFM_FREQUENCY,
	RFM_RECENCY,
	RFM_T,
	RFM_MONETARY,
	RFM_ORDERS,
	RFM_TOTAL,
	RFM_NATTS
};

Datum
socroi_customer_summary_final(PG_FUNCTION_ARGS)
{
	const CustomerSummaryState *state;
	TupleDesc	tupdesc;
	Datum		values[RFM_NATTS];
	bool		nulls[RFM_NATTS] = {0};
	int64		first,
				last,
				end_period;
	double		length,
				repeat_spend = 0.0;
	int			i;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = summary_sorted(summary_arg(fcinfo, 0));
	if (state->nperiods == 0)
		PG_RETURN_NULL();
	tupdesc = socroi_result_tupdesc(fcinfo, RFM_NATTS, "customer_rfm");

	first = state->periods[0].period;
	last = state->periods[state->nperiods - 1].period;
	end_period = period_of(state->observation_end, &state->unit);
	if (end_period < last)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("customer_summary: an order falls after the period of observation_end"),
				 errdetail("The time zone changed between the partial aggregates.")));
	length = period_length(&state->unit);
	for (i = 1; i < state->nperiods; i++)
		repeat_spend += state->periods[i].amount;

	values[RFM_FREQUENCY] = Float8GetDatum((double) (state->nperiods - 1));
	/* in double: periods of a crafted state may be far apart */
	values[RFM_RECENCY] = Float8GetDatum(((double) last - (double) first) * length);
	values[RFM_T] = Float8GetDatum(((double) end_period - (double) first) * length);
	values[RFM_MONETARY] = Float8GetDatum(state->nperiods > 1 ?
										  repeat_spend / (double) (state->nperiods - 1) : 0.0);
	values[RFM_ORDERS] = Int64GetDatum(state->orders);
	values[RFM_TOTAL] = Float8GetDatum(state->total);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* ---------- I/O ---------- */

static void
summary_write(StateWriter *w, const CustomerSummaryState *state)
{
	const CustomerSummaryState *sorted = summary_sorted(state);
	int			i;

	state_write_int64(w, sorted->observation_end);
	state_write_int64(w, sorted->unit.month);
	state_write_int64(w, sorted->unit.day);
	state_write_int64(w, sorted->unit.time);
	state_write_int64(w, sorted->orders);
	state_write_float8(w, sorted->total);
	state_write_int64(w, sorted->nperiods);
	state_write_mark(w, '[');
	for (i = 0; i < sorted->nperiods; i++)
	{
		state_write_int64(w, sorted->periods[i].period);
		state_write_float8(w, sorted->periods[i].amount);
	}
	state_write_mark(w, ']');
}

static CustomerSummaryState *
summary_read(StateReader *r)
{
	TimestampTz observation_end;
	Interval	unit;
	int64		orders;
	double		total;
	int64		min_period,
				max_period;
	int			n,
				i;
	CustomerSummaryState *state;

	observation_end = state_read_int64(r, "observation_end");
	if (TIMESTAMP_NOT_FINITE(observation_end) || !IS_VALID_TIMESTAMP(observation_end))
		state_invalid(r, "observation_end out of range");
	unit.month = (int32) state_read_int_range(r, "unit months", PG_INT32_MIN, PG_INT32_MAX);
	unit.day = (int32) state_read_int_range(r, "unit days", PG_INT32_MIN, PG_INT32_MAX);
	unit.time = state_read_int64(r, "unit microseconds");
	if (!unit_is_valid(&unit))
		state_invalid(r, "the time unit must be positive, without negative parts");
	orders = state_read_int_range(r, "orders", 1, PG_INT64_MAX);
	total = state_read_float8_nonneg(r, "total");
	n = state_read_count(r, "periods", SUMMARY_MAX_PERIODS, r->binary ? 16 : 4);
	if (n < 1 || n > orders)
		state_invalid(r, "periods must be between 1 and the number of orders");
	/*
	 * Periods lie between the first timestamp PostgreSQL has and the period
	 * of observation_end (a day of slack each way for the time zone).
	 */
	{
		int64		per = unit_is_subday(&unit) ? unit.time : USECS_PER_DAY;

		min_period = floor_div(MIN_TIMESTAMP - USECS_PER_DAY, per);
		max_period = floor_div(observation_end + USECS_PER_DAY, per);
	}
	state = summary_new(n);
	state->observation_end = observation_end;
	state->unit = unit;
	state->orders = orders;
	state->total = total;
	state_read_mark(r, '[');
	for (i = 0; i < n; i++)
	{
		int64		period = state_read_int64(r, "period");
		double		amount = state_read_float8_nonneg(r, "amount");

		if (i > 0 && period <= state->periods[i - 1].period)
			state_invalid(r, "periods must be strictly increasing");
		if (period < min_period || period > max_period)
			state_invalid(r, "period %lld lies outside the timestamps up to observation_end",
						  (long long) period);
		state->periods[i].period = period;
		state->periods[i].amount = amount;
	}
	state_read_mark(r, ']');
	state_read_end(r);
	state->nperiods = n;
	state->nsorted = n;
	return state;
}

SOCROI_STATE_IO_FUNCTIONS(customer_summary, "customer_summary_state", SUMMARY_TAG, SUMMARY_VERSION,
						  summary_write(w, summary_arg(fcinfo, 0)),
						  summary_read(r));

