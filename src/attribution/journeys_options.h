/*
 * journeys_options.h
 *		The options of journeys(..., options text) (journeys_options.c):
 *		'reset=never, lookback_days=30, max_touches=20' parsed into a small
 *		canonical struct that a journeys_state carries.
 */
#ifndef SOCROI_JOURNEYS_OPTIONS_H
#define SOCROI_JOURNEYS_OPTIONS_H

#include "postgres.h"

#include "lib/stringinfo.h"

/* JourneyOptions.flags */
#define JOURNEY_RESET_NEVER			0x0001	/* else reset=conversion */
#define JOURNEY_HAS_LOOKBACK		0x0002
#define JOURNEY_HAS_LOOKBACK_DAYS	0x0004
#define JOURNEY_HAS_MAX_TOUCHES		0x0008
#define JOURNEY_HAS_SESSION			0x0010
#define JOURNEY_KEEP_DIRECT_OFF		0x0020	/* direct_override=false */
#define JOURNEY_FLAGS_ALL			0x003f

#define JOURNEY_DEFAULT_DIRECT		"direct"
#define JOURNEY_MAX_DIRECT_LEN		1024
#define JOURNEY_MAX_LOOKBACK_DAYS	1000000
#define JOURNEY_MAX_TOUCHES			100000000

/*
 * Canonical: fields of options not given are zero, padding is zero, and
 * direct[] holds exactly direct_len bytes (the default "direct" when not
 * given), so two option sets mean the same exactly when their bytes do.
 */
typedef struct JourneyOptions
{
	uint32		flags;			/* JOURNEY_* */
	int32		lookback_days;	/* >= 0 */
	int32		max_touches;	/* >= 1 */
	int32		direct_len;		/* 1 .. JOURNEY_MAX_DIRECT_LEN */
	int64		lookback_us;	/* > 0 */
	int64		session_us;		/* > 0 */
	char		direct[FLEXIBLE_ARRAY_MEMBER];
} JourneyOptions;

#define JOURNEY_OPTIONS_SIZE(direct_len) \
	MAXALIGN(offsetof(JourneyOptions, direct) + (direct_len))

/*
 * Parse an option list; NULL with *error (and *hint) set when it is
 * invalid.  The result is palloc'd with JOURNEY_OPTIONS_SIZE bytes.
 */
extern JourneyOptions *journey_options_parse(const char *input,
											 const char **error,
											 const char **hint);

/* the options with their defaults when none are given */
extern JourneyOptions *journey_options_default(void);

/* canonical text: only what differs from the defaults, in a fixed order */
extern void journey_options_canonical(StringInfo buf, const JourneyOptions *o);

/* the valid options, for hints */
extern const char *journey_options_hint(void);

static inline Size
journey_options_size(const JourneyOptions *o)
{
	return JOURNEY_OPTIONS_SIZE(o->direct_len);
}

static inline bool
journey_options_equal(const JourneyOptions *a, const JourneyOptions *b)
{
	return a->direct_len == b->direct_len &&
		memcmp(a, b, journey_options_size(a)) == 0;
}

#endif							/* SOCROI_JOURNEYS_OPTIONS_H */
