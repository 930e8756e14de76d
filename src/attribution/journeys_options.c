/*
 * journeys_options.c
 *		The options of journeys() (doc/journeys.md, "Options"): a list of
 *		key=value pairs read by common/option_list.c, checked and stored
 *		canonically so that the rows of one group can be compared byte for
 *		byte.
 *
 *   reset=conversion|never   a conversion closes the touches since the
 *                            previous one (default), or every earlier touch
 *   lookback=<interval>      drop touches older than the conversion minus it
 *   lookback_days=N          drop touches more than N calendar days before
 *                            the conversion (session time zone)
 *   max_touches=N            keep the last N touches of each journey
 *   session=<interval>       touches of one channel less than this apart
 *                            collapse into the first
 *   direct=<name>            the direct channel (default direct)
 *   direct_override=bool     false: within session, a direct touch does not
 *                            replace the channel before it (needs session)
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "attribution/journeys_options.h"
#include "common/option_list.h"

#define WHAT "journeys option"

/* what an option's value is and where it goes */
typedef enum JourneyOptionKind
{
	OPTION_RESET,				/* conversion | never */
	OPTION_INTERVAL,			/* int64 microseconds at offset */
	OPTION_INT,					/* int32 in [min, max] at offset */
	OPTION_DIRECT,
	OPTION_DIRECT_OVERRIDE
} JourneyOptionKind;

typedef struct JourneyOptionDef
{
	const char *key;
	JourneyOptionKind kind;
	uint32		flag;			/* set in JourneyOptions.flags when given */
	Size		offset;			/* OPTION_INTERVAL, OPTION_INT: the field */
	int64		min;			/* OPTION_INT */
	int64		max;
} JourneyOptionDef;

static const JourneyOptionDef option_defs[] = {
	{"reset", OPTION_RESET, 0, 0, 0, 0},
	{"lookback", OPTION_INTERVAL, JOURNEY_HAS_LOOKBACK,
	offsetof(JourneyOptions, lookback_us), 0, 0},
	{"lookback_days", OPTION_INT, JOURNEY_HAS_LOOKBACK_DAYS,
	offsetof(JourneyOptions, lookback_days), 0, JOURNEY_MAX_LOOKBACK_DAYS},
	{"max_touches", OPTION_INT, JOURNEY_HAS_MAX_TOUCHES,
	offsetof(JourneyOptions, max_touches), 1, JOURNEY_MAX_TOUCHES},
	{"session", OPTION_INTERVAL, JOURNEY_HAS_SESSION,
	offsetof(JourneyOptions, session_us), 0, 0},
	{"direct", OPTION_DIRECT, 0, 0, 0, 0},
	{"direct_override", OPTION_DIRECT_OVERRIDE, 0, 0, 0, 0}
};

const char *
journey_options_hint(void)
{
	return "Valid journeys options: reset=conversion|never, lookback=<interval>, "
		"lookback_days=<days>, max_touches=<n>, session=<interval>, direct=<channel>, "
		"direct_override=true|false; e.g. 'reset=never, lookback_days=30'.";
}

static JourneyOptions *
options_alloc(const char *direct, int direct_len)
{
	JourneyOptions *o = palloc0(JOURNEY_OPTIONS_SIZE(direct_len));

	o->direct_len = direct_len;
	memcpy(o->direct, direct, direct_len);
	return o;
}

JourneyOptions *
journey_options_default(void)
{
	return options_alloc(JOURNEY_DEFAULT_DIRECT, strlen(JOURNEY_DEFAULT_DIRECT));
}

JourneyOptions *
journey_options_parse(const char *input, const char **error, const char **hint)
{
	const char *p = input;
	SocroiOption *opts;
	int			n;
	int			i;
	uint32		seen = 0;
	JourneyOptions fixed;
	const char *direct = JOURNEY_DEFAULT_DIRECT;
	int			direct_len = strlen(JOURNEY_DEFAULT_DIRECT);
	bool		keep_direct = false;
	JourneyOptions *o;

	*error = NULL;
	*hint = NULL;
	if (!socroi_read_options(&p, false, WHAT, &opts, &n, error, hint))
	{
		if (*hint == NULL)
			*hint = journey_options_hint();
		return NULL;
	}
	memset(&fixed, 0, sizeof(fixed));
	for (i = 0; i < n; i++)
	{
		const char *key = opts[i].key;
		const char *value = opts[i].value;
		const JourneyOptionDef *def;
		char	   *field;
		int			k;
		int64		v;

		for (k = 0; k < lengthof(option_defs) && strcmp(key, option_defs[k].key) != 0; k++)
			;
		if (k == lengthof(option_defs))
		{
			*error = psprintf("unknown journeys option \"%s\"", key);
			*hint = journey_options_hint();
			return NULL;
		}
		if (seen & (1 << k))
		{
			*error = psprintf("journeys option %s is given twice", key);
			return NULL;
		}
		seen |= 1 << k;
		def = &option_defs[k];
		field = (char *) &fixed + def->offset;
		switch (def->kind)
		{
			case OPTION_RESET:
				if (pg_strcasecmp(value, "never") == 0)
					fixed.flags |= JOURNEY_RESET_NEVER;
				else if (pg_strcasecmp(value, "conversion") != 0)
				{
					*error = psprintf("journeys option reset must be conversion or never, got \"%s\"",
									  value);
					return NULL;
				}
				break;
			case OPTION_INTERVAL:
				if (!socroi_parse_interval_us(WHAT, key, value, (int64 *) field,
											  error, hint))
					return NULL;
				break;
			case OPTION_INT:
				if (!socroi_parse_int_option(WHAT, key, value, def->min, def->max,
											 &v, error))
					return NULL;
				*(int32 *) field = (int32) v;
				break;
			case OPTION_DIRECT:
				if (opts[i].len == 0 || opts[i].len > JOURNEY_MAX_DIRECT_LEN)
				{
					*error = psprintf("journeys option direct must name a channel of 1 to %d bytes",
									  JOURNEY_MAX_DIRECT_LEN);
					return NULL;
				}
				direct = value;
				direct_len = opts[i].len;
				break;
			case OPTION_DIRECT_OVERRIDE:
				{
					bool		b;

					if (!parse_bool(value, &b))
					{
						*error = psprintf("journeys option direct_override must be true or false, got \"%s\"",
										  value);
						return NULL;
					}
					keep_direct = !b;
				}
				break;
		}
		fixed.flags |= def->flag;
	}
	if (keep_direct)
	{
		if (!(fixed.flags & JOURNEY_HAS_SESSION))
		{
			*error = "journeys option direct_override=false needs session=<interval>";
			*hint = "A direct touch keeps the channel before it only within a session, "
				"e.g. 'session=30 minutes, direct=Direct, direct_override=false'.";
			return NULL;
		}
		fixed.flags |= JOURNEY_KEEP_DIRECT_OFF;
	}
	o = options_alloc(direct, direct_len);
	o->flags = fixed.flags;
	o->lookback_days = fixed.lookback_days;
	o->max_touches = fixed.max_touches;
	o->lookback_us = fixed.lookback_us;
	o->session_us = fixed.session_us;
	return o;
}

void
journey_options_canonical(StringInfo buf, const JourneyOptions *o)
{
	int			start = buf->len;

#define SEP() do { if (buf->len > start) appendStringInfoString(buf, ", "); } while (0)
	if (o->flags & JOURNEY_RESET_NEVER)
	{
		SEP();
		appendStringInfoString(buf, "reset=never");
	}
	if (o->flags & JOURNEY_HAS_LOOKBACK)
	{
		SEP();
		appendStringInfoString(buf, "lookback=");
		socroi_append_interval(buf, o->lookback_us);
	}
	if (o->flags & JOURNEY_HAS_LOOKBACK_DAYS)
	{
		SEP();
		appendStringInfo(buf, "lookback_days=%d", o->lookback_days);
	}
	if (o->flags & JOURNEY_HAS_MAX_TOUCHES)
	{
		SEP();
		appendStringInfo(buf, "max_touches=%d", o->max_touches);
	}
	if (o->flags & JOURNEY_HAS_SESSION)
	{
		SEP();
		appendStringInfoString(buf, "session=");
		socroi_append_interval(buf, o->session_us);
	}
	if (o->direct_len != (int32) strlen(JOURNEY_DEFAULT_DIRECT) ||
		memcmp(o->direct, JOURNEY_DEFAULT_DIRECT, o->direct_len) != 0)
	{
		SEP();
		appendStringInfoString(buf, "direct=");
		socroi_append_option_value(buf, o->direct, o->direct_len);
	}
	if (o->flags & JOURNEY_KEEP_DIRECT_OFF)
	{
		SEP();
		appendStringInfoString(buf, "direct_override=false");
	}
#undef SEP
}
