/*
 * journeys_state.h
 *		The flat aggregate state of journeys() (journeys_state.c): the
 *		options of the group and the log of its events, in arrival order.
 *
 * ---- journeys_state layout (one flat varlena; VARSIZE = capacity) ----
 *
 *   JourneysState   header (StateHeader first); offsets, never pointers
 *   options         JourneyOptions (journeys_options.h) at
 *                   JOURNEYS_OPTIONS_OFF, options_len bytes
 *   log             from log_off to used: JourneyEvent records, each
 *                   MAXALIGNed, in the order the rows arrived -- the
 *                   channel name inline after the fixed fields
 *
 * The transition function appends one record in place (no allocation
 * while there is room); when full, state_reserve() returns a copy of twice
 * the capacity (the nodeAgg.c rule of state_io.h).  Merging appends the
 * other state's log.  Nothing is sorted here: the final function sorts, so
 * any arrival order, plan or merge gives the same journeys.  Memory grows
 * with the group's events only.
 */
#ifndef SOCROI_JOURNEYS_STATE_H
#define SOCROI_JOURNEYS_STATE_H

#include "postgres.h"

#include "fmgr.h"

#include "attribution/journeys_options.h"
#include "common/state_io.h"

#define JOURNEYS_STATE_TAG		"journeys_state"
#define JOURNEYS_STATE_VERSION	1

typedef struct JourneysState
{
	StateHeader hdr;			/* vl_len_ = capacity, version */
	uint32		used;			/* bytes in use: the log ends here */
	uint32		nevents;		/* records in the log */
	uint32		options_len;	/* bytes of the options */
	uint32		log_off;		/* JOURNEYS_OPTIONS_OFF + options_len */
} JourneysState;

#define JOURNEYS_OPTIONS_OFF	MAXALIGN(sizeof(JourneysState))
#define JOURNEYS_STATE_OPTIONS(s) \
	((JourneyOptions *) ((char *) (s) + JOURNEYS_OPTIONS_OFF))

/*
 * One row: a touch (value NaN) of channel name[0 .. len), or a conversion
 * of value >= 0 that is also a touch of its channel when len >= 0 (len -1:
 * no channel).
 */
typedef struct JourneyEvent
{
	int64		time;			/* TimestampTz, finite */
	double		value;
	int32		len;
	char		name[FLEXIBLE_ARRAY_MEMBER];
} JourneyEvent;

#define JOURNEY_EVENT_SIZE(len) \
	MAXALIGN(offsetof(JourneyEvent, name) + ((len) > 0 ? (len) : 0))
#define JOURNEY_EVENT_IS_TOUCH(e)	isnan((e)->value)

/* a new state for these options, with room for extra log bytes */
extern JourneysState *journeys_state_create(const JourneyOptions *options,
											Size extra);

/* append one event; returns the state, which may have moved */
extern JourneysState *journeys_state_append(JourneysState *state, int64 time,
											double value, const char *name,
											int len);

/* append src's log to dst (same options, checked); may move dst */
extern JourneysState *journeys_state_merge(JourneysState *dst,
										   const JourneysState *src);

/* a private copy (same capacity) in the current memory context */
extern JourneysState *journeys_state_copy(const JourneysState *state);

/*
 * The state in argument argno, its header checked and, with check_log,
 * every record of its log (XX001 when they are inconsistent): the records
 * lie inside the state and hold valid events.
 */
extern JourneysState *journeys_state_arg(FunctionCallInfo fcinfo, int argno,
										 bool check_log);

/* the rows of two groups must carry the same options, else 22023 */
extern void journeys_check_same_options(const JourneyOptions *a,
										const JourneyOptions *b);

static inline JourneyEvent *
journeys_first_event(const JourneysState *s)
{
	return (JourneyEvent *) ((char *) s + s->log_off);
}

static inline JourneyEvent *
journeys_next_event(const JourneyEvent *e)
{
	return (JourneyEvent *) ((char *) e + JOURNEY_EVENT_SIZE(e->len));
}

#endif							/* SOCROI_JOURNEYS_STATE_H */
