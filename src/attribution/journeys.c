/*
 * journeys.c
 *		journeys(event_time, channel, conversion_value [, options]) ->
 *		journey[]: an event stream of one customer (touches and conversions
 *		interleaved) cut into the journeys the attribution aggregates read
 *		(doc/journeys.md).  The transition, combine and final functions.
 *
 * Rows are logged unsorted in a flat journeys_state (journeys_state.h);
 * everything else happens once per group in the final function:
 *   1. events in a total order: time, then touches before conversions
 *      (the click that led to a purchase belongs to its path), touches by
 *      channel (byte order), conversions by value -- so any arrival order,
 *      plan or merge gives the same journeys;
 *   2. session (and direct_override=false) collapsing over the touches, a
 *      conversion ending every run;
 *   3. every conversion closes a journey of the touches since the previous
 *      conversion (reset=conversion) or of every earlier touch
 *      (reset=never); touches after the last conversion form one
 *      non-converting journey, cut as if it converted at its last touch;
 *   4. per journey: lookback, lookback_days (calendar days in the session
 *      time zone: the only thing that reads a setting, hence the final
 *      function is STABLE), then max_touches.  Touches are in time order and
 *      the reference time is at or after all of them, so each cut keeps a
 *      suffix of the touches.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/float.h"
#include "utils/timestamp.h"

#include "attribution/journeys_state.h"
#include "common/common.h"

PG_FUNCTION_INFO_V1(socroi_journeys_accum);
PG_FUNCTION_INFO_V1(socroi_journeys_accum_options);
PG_FUNCTION_INFO_V1(socroi_journeys_combine);
PG_FUNCTION_INFO_V1(socroi_journeys_final);

/* ---------- the options of the rows, parsed once per query ---------- */

typedef struct OptionsCache
{
	int			text_len;		/* -1: the defaults (no options argument); -2: empty */
	char	   *text;
	JourneyOptions *options;
} OptionsCache;

static const JourneyOptions *
row_options(FunctionCallInfo fcinfo, text *arg)
{
	OptionsCache *c = (OptionsCache *) fcinfo->flinfo->fn_extra;
	MemoryContext mcxt = fcinfo->flinfo->fn_mcxt;
	JourneyOptions *o;
	const char *error;
	const char *hint;
	int			len;

	if (c == NULL)
	{
		c = MemoryContextAllocZero(mcxt, sizeof(OptionsCache));
		c->text_len = -2;
		fcinfo->flinfo->fn_extra = c;
	}
	if (arg == NULL)
	{
		if (c->text_len != -1)
		{
			MemoryContext old = MemoryContextSwitchTo(mcxt);

			c->options = journey_options_default();
			c->text_len = -1;
			MemoryContextSwitchTo(old);
		}
		return c->options;
	}
	len = VARSIZE_ANY_EXHDR(arg);
	if (c->text_len == len && memcmp(c->text, VARDATA_ANY(arg), len) == 0)
		return c->options;
	o = journey_options_parse(text_to_cstring(arg), &error, &hint);
	if (o == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s", error),
				 hint ? errhint("%s", hint) : 0));
	if (c->text_len >= 0)
	{
		pfree(c->text);
		pfree(c->options);
	}
	c->text = MemoryContextAlloc(mcxt, Max(len, 1));
	memcpy(c->text, VARDATA_ANY(arg), len);
	c->options = MemoryContextAlloc(mcxt, journey_options_size(o));
	memcpy(c->options, o, journey_options_size(o));
	c->text_len = len;
	return c->options;
}

/* ---------- transition and combine ---------- */

/*
 * journeys_accum(state, event_time, channel, conversion_value [, options]):
 * rows without a time, without both channel and value, or without options
 * are skipped (like sum() skips NULL).
 */
static Datum
journeys_step(FunctionCallInfo fcinfo, bool with_options)
{
	JourneysState *s = NULL;
	const JourneyOptions *o;
	TimestampTz t;
	double		value = get_float8_nan();
	const char *name = NULL;
	int			len = -1;

	if (!PG_ARGISNULL(0))
	{
		if (socroi_in_aggregate(fcinfo))
		{
			/* the aggregate's own state: plain unless it came from a table */
			s = (JourneysState *) DatumGetPointer(PG_GETARG_DATUM(0));
			if (VARATT_IS_EXTENDED(s))
				s = (JourneysState *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
		}
		else
			s = journeys_state_copy(journeys_state_arg(fcinfo, 0, true));
	}
	if (PG_ARGISNULL(1) || (PG_ARGISNULL(2) && PG_ARGISNULL(3)) ||
		(with_options && PG_ARGISNULL(4)))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	t = PG_GETARG_TIMESTAMPTZ(1);
	socroi_check_finite_timestamp(t, "event_time");
	if (!PG_ARGISNULL(3))
	{
		value = PG_GETARG_FLOAT8(3);
		socroi_check_nonnegative(value, "conversion_value");
		if (value == 0.0)
			value = 0.0;		/* no -0 */
	}
	if (!PG_ARGISNULL(2))
	{
		text	   *channel = PG_GETARG_TEXT_PP(2);

		name = VARDATA_ANY(channel);
		len = VARSIZE_ANY_EXHDR(channel);
	}
	o = row_options(fcinfo, with_options ? PG_GETARG_TEXT_PP(4) : NULL);
	if (s == NULL)
		s = journeys_state_create(o, 8 * JOURNEY_EVENT_SIZE(Max(len, 16)));
	else if (!journey_options_equal(JOURNEYS_STATE_OPTIONS(s), o))
		journeys_check_same_options(JOURNEYS_STATE_OPTIONS(s), o);
	PG_RETURN_POINTER(journeys_state_append(s, t, value, name, len));
}

Datum
socroi_journeys_accum(PG_FUNCTION_ARGS)
{
	return journeys_step(fcinfo, false);
}

Datum
socroi_journeys_accum_options(PG_FUNCTION_ARGS)
{
	return journeys_step(fcinfo, true);
}

/* journeys_combine(a, b): b's events appended to a (strict) */
Datum
socroi_journeys_combine(PG_FUNCTION_ARGS)
{
	Datum		a_datum = PG_GETARG_DATUM(0);
	JourneysState *a = journeys_state_arg(fcinfo, 0, false);
	JourneysState *b = journeys_state_arg(fcinfo, 1, false);

	if ((Pointer) a == DatumGetPointer(a_datum) && !socroi_in_aggregate(fcinfo))
		a = journeys_state_copy(a);
	PG_RETURN_POINTER(journeys_state_merge(a, b));
}

/* ---------- final: journey[] ---------- */

#define JOURNEY_NATTS 6

static const Oid journey_types[JOURNEY_NATTS] = {
	INT4OID, TEXTARRAYOID, TIMESTAMPTZARRAYOID, BOOLOID, TIMESTAMPTZOID, FLOAT8OID
};

typedef struct JEvent
{
	int64		time;
	double		value;			/* conversions */
	const char *name;			/* touches */
	int32		len;
	int32		kind;			/* 0 touch, 1 conversion */
} JEvent;

static int
item_cmp(const void *pa, const void *pb)
{
	const JEvent *a = (const JEvent *) pa;
	const JEvent *b = (const JEvent *) pb;

	int			c = socroi_cmp_int64(a->time, b->time);

	if (c == 0)
		c = socroi_cmp_int64(a->kind, b->kind);
	if (c != 0)
		return c;
	if (a->kind == 0)
	{
		c = memcmp(a->name, b->name, Min(a->len, b->len));
		return c != 0 ? c : socroi_cmp_int64(a->len, b->len);
	}
	return socroi_cmp_double(a->value, b->value);
}

static inline bool
same_name(const JEvent *a, const char *name, int32 len)
{
	return a->len == len && memcmp(a->name, name, len) == 0;
}

/* the calendar day (Julian day number) of t in the session time zone */
static int32
local_day(int64 t)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;

	if (timestamp2tm(t, &tz, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return date2j(tm.tm_year, tm.tm_mon, tm.tm_mday);
}

/* t1 - t0 (t1 >= t0), saturating: the range of timestamps exceeds int64 */
static inline int64
time_diff(int64 t1, int64 t0)
{
	int64		d;

	if (pg_sub_s64_overflow(t1, t0, &d))
		return PG_INT64_MAX;
	return d;
}

typedef struct Builder
{
	const JourneyOptions *o;
	const SocroiArrayRowType *rt;
	const JEvent *items;
	const int32 *kept;			/* indexes of the kept touches, in order */
	int32	   *day;			/* lookback_days: local day of each kept touch */
	const char **names;			/* scratch for one journey */
	int		   *lens;
	int64	   *times;
	Datum	   *out;
	int32		nout;
} Builder;

/* one journey of the kept touches [from, to) closing at ref_time */
static void
emit(Builder *b, int32 from, int32 to, int64 ref_time, bool converted,
	 double value)
{
	const JourneyOptions *o = b->o;
	int32		lo = from;
	int32		n;
	int32		i;
	Datum		values[JOURNEY_NATTS];
	bool		nulls[JOURNEY_NATTS] = {false, false, false, false, false, false};

	/* both cuts keep a suffix: binary search for its start (reset=never) */
	if (o->flags & JOURNEY_HAS_LOOKBACK)
	{
		int32		hi = to;

		while (lo < hi)
		{
			int32		mid = lo + (hi - lo) / 2;

			if (time_diff(ref_time, b->items[b->kept[mid]].time) > o->lookback_us)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	if (o->flags & JOURNEY_HAS_LOOKBACK_DAYS)
	{
		int32		ref_day = local_day(ref_time);
		int32		hi = to;

		while (lo < hi)
		{
			int32		mid = lo + (hi - lo) / 2;

			if ((int64) ref_day - b->day[mid] > o->lookback_days)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	if ((o->flags & JOURNEY_HAS_MAX_TOUCHES) && to - lo > o->max_touches)
		lo = to - o->max_touches;
	n = to - lo;
	for (i = 0; i < n; i++)
	{
		const JEvent *it = &b->items[b->kept[lo + i]];

		b->names[i] = it->name;
		b->lens[i] = it->len;
		b->times[i] = it->time;
	}
	values[0] = Int32GetDatum(b->nout + 1);
	values[1] = PointerGetDatum(socroi_make_text_array(b->names, b->lens, n));
	values[2] = PointerGetDatum(socroi_make_timestamptz_array(b->times, n));
	values[3] = BoolGetDatum(converted);
	values[4] = TimestampTzGetDatum(ref_time);
	values[5] = Float8GetDatum(value);
	if (!converted)
		nulls[4] = nulls[5] = true;
	b->out[b->nout++] = HeapTupleGetDatum(heap_form_tuple(b->rt->desc, values, nulls));
	pfree(DatumGetPointer(values[1]));
	pfree(DatumGetPointer(values[2]));
}

Datum
socroi_journeys_final(PG_FUNCTION_ARGS)
{
	JourneysState *s = journeys_state_arg(fcinfo, 0, true);
	const JourneyOptions *o = JOURNEYS_STATE_OPTIONS(s);
	const SocroiArrayRowType *rt =
		socroi_result_array_row_type(fcinfo, "journey", JOURNEY_NATTS, journey_types);
	bool		session = (o->flags & JOURNEY_HAS_SESSION) != 0;
	bool		keep_direct = (o->flags & JOURNEY_KEEP_DIRECT_OFF) != 0;
	JEvent	   *items;
	int32	   *kept;
	int32		nitems = 0;
	int32		nkept = 0;
	int32		nconversions = 0;
	int32		seg_start = 0;
	int32		i;
	const JourneyEvent *e;
	Builder		b;
	bool		have_prev = false;
	int64		prev_time = 0;
	int32		cur = -1;		/* item of the last kept touch of the run */

	/* 1. the events in their total order; a conversion's channel is a touch */
	items = palloc(sizeof(JEvent) * 2 * (Size) Max(s->nevents, 1));
	e = journeys_first_event(s);
	for (i = 0; i < (int32) s->nevents; i++, e = journeys_next_event(e))
	{
		if (e->len >= 0)
		{
			JEvent	   *it = &items[nitems++];

			it->time = e->time;
			it->value = 0.0;
			it->name = e->name;
			it->len = e->len;
			it->kind = 0;
		}
		if (!JOURNEY_EVENT_IS_TOUCH(e))
		{
			JEvent	   *it = &items[nitems++];

			it->time = e->time;
			it->value = e->value;
			it->name = NULL;
			it->len = 0;
			it->kind = 1;
			nconversions++;
		}
	}
	qsort(items, nitems, sizeof(JEvent), item_cmp);

	/* 2. session collapsing: which touches are kept */
	kept = palloc(sizeof(int32) * (Size) Max(nitems, 1));
	b.o = o;
	b.rt = rt;
	b.items = items;
	b.kept = kept;
	b.day = NULL;
	b.names = palloc(sizeof(char *) * (Size) Max(nitems, 1));
	b.lens = palloc(sizeof(int) * (Size) Max(nitems, 1));
	b.times = palloc(sizeof(int64) * (Size) Max(nitems, 1));
	b.out = palloc(sizeof(Datum) * (Size) (nconversions + 1));
	b.nout = 0;
	if (o->flags & JOURNEY_HAS_LOOKBACK_DAYS)
		b.day = palloc(sizeof(int32) * (Size) Max(nitems, 1));

	/* 3. journeys, walking the events once */
	for (i = 0; i < nitems; i++)
	{
		const JEvent *it = &items[i];

		CHECK_FOR_INTERRUPTS();
		if (it->kind == 1)
		{
			emit(&b, (o->flags & JOURNEY_RESET_NEVER) ? 0 : seg_start, nkept,
				 it->time, true, it->value);
			seg_start = nkept;
			have_prev = false;	/* a conversion ends every session run */
			continue;
		}
		if (session && have_prev &&
			time_diff(it->time, prev_time) < o->session_us &&
			(same_name(&items[cur], it->name, it->len) ||
			 (keep_direct && same_name(it, o->direct, o->direct_len) &&
			  !same_name(&items[cur], o->direct, o->direct_len))))
		{
			prev_time = it->time;	/* the session goes on: collapsed */
			continue;
		}
		prev_time = it->time;
		have_prev = true;
		cur = i;
		if (b.day)
			b.day[nkept] = local_day(it->time);
		kept[nkept++] = i;
	}
	if (nkept > seg_start)
		emit(&b, (o->flags & JOURNEY_RESET_NEVER) ? 0 : seg_start, nkept,
			 items[kept[nkept - 1]].time, false, 0.0);

	return socroi_result_array(rt, b.out, b.nout);
}
