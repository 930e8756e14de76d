/*
 * journeys_state.c
 *		The flat state of journeys() (layout in journeys_state.h): creation,
 *		appending an event in place, merging, and the text and binary forms
 *		with full validation.
 *
 * Text form (state_io.h grammar):
 *   journeys_state:1 "<options>" <nevents>
 *       { | <time> <value> <has channel 0/1> ["<channel>"] }
 * time is the timestamptz in microseconds since 2000-01-01 UTC, value NaN
 * for a touch.  The options are the canonical text of journeys_options.c,
 * read back through the same parser.
 */
#include "postgres.h"

#include <math.h>

#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "attribution/journeys_state.h"
#include "common/common.h"

#define MIN_EVENT_BYTES 4		/* a record takes at least this in either form */

JourneysState *
journeys_state_create(const JourneyOptions *options, Size extra)
{
	Size		olen = journey_options_size(options);
	Size		log_off = JOURNEYS_OPTIONS_OFF + olen;
	JourneysState *s;

	s = (JourneysState *) state_reserve(NULL, 0, log_off + extra);
	s->hdr.version = JOURNEYS_STATE_VERSION;
	s->options_len = (uint32) olen;
	s->log_off = (uint32) log_off;
	s->used = (uint32) log_off;
	s->nevents = 0;
	memcpy(JOURNEYS_STATE_OPTIONS(s), options, olen);
	return s;
}

JourneysState *
journeys_state_append(JourneysState *s, int64 time, double value,
					  const char *name, int len)
{
	Size		size = JOURNEY_EVENT_SIZE(len);
	JourneyEvent *e;

	if ((Size) s->used + size > (Size) VARSIZE(s))
	{
		if (s->nevents >= (uint32) PG_INT32_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("journeys takes at most %d events per group", PG_INT32_MAX)));
		s = (JourneysState *) state_reserve((struct varlena *) s, s->used,
											(Size) s->used + size);
	}
	e = (JourneyEvent *) ((char *) s + s->used);
	e->time = time;
	e->value = value;
	e->len = len;
	if (len > 0)
		memcpy(e->name, name, len);
	/* padding: state_reserve() zeroes new memory, but an in-place reuse may not */
	if (offsetof(JourneyEvent, name) + Max(len, 0) < size)
		memset(e->name + Max(len, 0), 0,
			   size - offsetof(JourneyEvent, name) - Max(len, 0));
	s->used += (uint32) size;
	s->nevents++;
	return s;
}

void
journeys_check_same_options(const JourneyOptions *a, const JourneyOptions *b)
{
	StringInfoData ta;
	StringInfoData tb;

	if (journey_options_equal(a, b))
		return;
	initStringInfo(&ta);
	initStringInfo(&tb);
	journey_options_canonical(&ta, a);
	journey_options_canonical(&tb, b);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("journeys options must be the same on every row of a group, got \"%s\" and \"%s\"",
					ta.data, tb.data),
			 errhint("Pass the options as a constant, or group by them.")));
}

JourneysState *
journeys_state_merge(JourneysState *dst, const JourneysState *src)
{
	Size		bytes = src->used - src->log_off;

	journeys_check_same_options(JOURNEYS_STATE_OPTIONS(dst),
								JOURNEYS_STATE_OPTIONS(src));
	if (src->nevents == 0)
		return dst;
	if ((uint64) dst->nevents + src->nevents > (uint64) PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("journeys takes at most %d events per group", PG_INT32_MAX)));
	dst = (JourneysState *) state_reserve((struct varlena *) dst, dst->used,
										  (Size) dst->used + bytes);
	memcpy((char *) dst + dst->used, (const char *) src + src->log_off, bytes);
	dst->used += (uint32) bytes;
	dst->nevents += src->nevents;
	return dst;
}

JourneysState *
journeys_state_copy(const JourneysState *s)
{
	JourneysState *copy = palloc(VARSIZE(s));

	memcpy(copy, s, VARSIZE(s));
	return copy;
}

/* ---------- checking a state argument ---------- */

static bool
event_valid(const JourneyEvent *e)
{
	if (e->time < MIN_TIMESTAMP || e->time >= END_TIMESTAMP)
		return false;
	if (isnan(e->value))
		return e->len >= 0;
	return isfinite(e->value) && e->value >= 0.0 && e->len >= -1;
}

JourneysState *
journeys_state_arg(FunctionCallInfo fcinfo, int argno, bool check_log)
{
	JourneysState *s = state_arg(fcinfo, argno, JOURNEYS_STATE_TAG,
								 JOURNEYS_STATE_VERSION,
								 JOURNEYS_OPTIONS_OFF + JOURNEY_OPTIONS_SIZE(1), 0);
	const JourneyOptions *o = JOURNEYS_STATE_OPTIONS(s);
	Size		size = VARSIZE(s);
	Size		off;
	uint32		n = 0;

	if (s->options_len < JOURNEY_OPTIONS_SIZE(1) ||
		(Size) JOURNEYS_OPTIONS_OFF + s->options_len > size ||
		o->direct_len < 1 || o->direct_len > JOURNEY_MAX_DIRECT_LEN ||
		JOURNEY_OPTIONS_SIZE(o->direct_len) != s->options_len ||
		(o->flags & ~JOURNEY_FLAGS_ALL) != 0 ||
		s->log_off != JOURNEYS_OPTIONS_OFF + s->options_len ||
		s->used < s->log_off || s->used > size)
		state_corrupt(JOURNEYS_STATE_TAG);
	if (!check_log)
		return s;
	for (off = s->log_off; off < s->used; n++)
	{
		const JourneyEvent *e = (const JourneyEvent *) ((const char *) s + off);

		if (off + offsetof(JourneyEvent, name) > s->used || e->len < -1 ||
			(e->len > 0 && (Size) e->len > s->used - off - offsetof(JourneyEvent, name)) ||
			!event_valid(e))
			state_corrupt(JOURNEYS_STATE_TAG);
		off += JOURNEY_EVENT_SIZE(e->len);
	}
	if (off != s->used || n != s->nevents)
		state_corrupt(JOURNEYS_STATE_TAG);
	return s;
}

/* ---------- text and binary forms ---------- */

static void
write_state(StateWriter *w, const JourneysState *s)
{
	StringInfoData opts;
	const JourneyEvent *e = journeys_first_event(s);
	uint32		i;

	initStringInfo(&opts);
	journey_options_canonical(&opts, JOURNEYS_STATE_OPTIONS(s));
	state_write_string(w, opts.data, opts.len);
	state_write_int64(w, s->nevents);
	for (i = 0; i < s->nevents; i++, e = journeys_next_event(e))
	{
		state_write_mark(w, '|');
		state_write_int64(w, e->time);
		state_write_float8(w, e->value);
		state_write_int64(w, e->len >= 0 ? 1 : 0);
		if (e->len >= 0)
			state_write_string(w, e->name, e->len);
	}
}

static JourneysState *
read_state(StateReader *r)
{
	int			len;
	char	   *text = state_read_string(r, "options", &len);
	const char *error;
	const char *hint;
	JourneyOptions *o = journey_options_parse(text, &error, &hint);
	JourneysState *s;
	int			n;
	int			i;

	if (o == NULL)
		state_invalid(r, "bad options: %s", error);
	n = state_read_count(r, "events", PG_INT32_MAX, MIN_EVENT_BYTES);
	s = journeys_state_create(o, 0);
	for (i = 0; i < n; i++)
	{
		int64		time;
		double		value;
		bool		has_channel;
		char	   *name = NULL;
		int			nlen = -1;

		state_read_mark(r, '|');
		time = state_read_int64(r, "time");
		if (time < MIN_TIMESTAMP || time >= END_TIMESTAMP)
			state_invalid(r, "time out of range");
		value = state_read_float8(r, "value");
		if (!isnan(value) && !(isfinite(value) && value >= 0.0))
			state_invalid(r, "value must be NaN (a touch) or a finite non-negative number");
		if (value == 0.0)
			value = 0.0;		/* no -0 */
		has_channel = state_read_int_range(r, "has channel", 0, 1) == 1;
		if (isnan(value) && !has_channel)
			state_invalid(r, "a touch without a channel");
		if (has_channel)
			name = state_read_string(r, "channel", &nlen);
		s = journeys_state_append(s, time, value, name, nlen);
		if (name)
			pfree(name);
	}
	state_read_end(r);
	return s;
}

/* journeys_state_in/out/recv/send */
SOCROI_STATE_IO_FUNCTIONS(journeys_state, JOURNEYS_STATE_TAG, JOURNEYS_STATE_TAG,
						  JOURNEYS_STATE_VERSION,
						  write_state(w, journeys_state_arg(fcinfo, 0, true)),
						  read_state(r));
