/*
 * path_transform.c
 *		path_transform(path, how) and path_transform(path, touch_times, how):
 *		the path rewrites of fractribution and Snowplow (doc/attribution.md,
 *		"path_transform"), alone or chained left to right as Snowplow's
 *		snowplow__path_transforms applies them.
 *
 *   exposure | exposure_path     collapse consecutive repeats
 *   first | first_path           first occurrence of each channel
 *   unique | unique_path         the path as is
 *   frequency | frequency_path   first occurrences suffixed with their counts
 *   remove_if_not_all(channel=X)
 *                                drop every touch of X unless the path is
 *                                only X
 *   remove_if_last_and_not_all(channel=X)
 *                                drop the trailing run of X unless the path
 *                                is only X
 *
 * With touch times, every output touch stands for one or more input
 * touches (a run, or every occurrence of a channel) and keeps the time of
 * the first of them, so times stay in the order of the path.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "attribution/attribution_model.h"
#include "common/common.h"
#include "common/option_list.h"

PG_FUNCTION_INFO_V1(socroi_path_transform);
PG_FUNCTION_INFO_V1(socroi_path_transform_times);

typedef enum PathTransformKind
{
	PT_EXPOSURE,
	PT_FIRST,
	PT_UNIQUE,
	PT_FREQUENCY,
	PT_REMOVE_IF_NOT_ALL,
	PT_REMOVE_IF_LAST_AND_NOT_ALL
} PathTransformKind;

static const struct
{
	const char *name;
	const char *snowplow;
	bool		takes_channel;
}			transform_names[] = {
	[PT_EXPOSURE] = {"exposure", "exposure_path", false},
	[PT_FIRST] = {"first", "first_path", false},
	[PT_UNIQUE] = {"unique", "unique_path", false},
	[PT_FREQUENCY] = {"frequency", "frequency_path", false},
	[PT_REMOVE_IF_NOT_ALL] = {"remove_if_not_all", NULL, true},
	[PT_REMOVE_IF_LAST_AND_NOT_ALL] = {"remove_if_last_and_not_all", NULL, true},
};

#define TRANSFORMS_HINT \
	"Valid transforms: exposure (collapse consecutive repeats), first (first occurrence " \
	"of each channel), unique (the path as is), frequency (first occurrences with their " \
	"counts, e.g. a(2)), also spelled exposure_path, first_path, unique_path, frequency_path; " \
	"remove_if_not_all(channel=X), remove_if_last_and_not_all(channel=X).  Chain them with " \
	"commas, applied left to right: 'exposure, remove_if_last_and_not_all(channel=direct)'."

typedef struct PathStep
{
	PathTransformKind kind;
	char	   *channel;		/* remove_*: the channel */
	int			channel_len;
} PathStep;

typedef struct PathSteps
{
	int			how_len;		/* the text they were parsed from */
	char	   *how;
	int			nsteps;
	PathStep   *steps;
} PathSteps;

pg_noreturn static void
bad_transform(const char *how, const char *msg)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s", msg),
			 errhint(TRANSFORMS_HINT)));
}

/* parse "how" into steps (palloc'd in the current context) */
static void
parse_steps(const char *how, PathSteps *out)
{
	const char *p = socroi_skip_blanks(how);
	int			cap = 4;

	out->nsteps = 0;
	out->steps = palloc(sizeof(PathStep) * cap);
	for (;;)
	{
		char		name[40];
		int			k;
		PathStep   *st;

		p = socroi_read_word(p, name, sizeof(name));
		if (p == NULL)
			bad_transform(how, out->nsteps == 0 ?
						  psprintf("unknown path transform \"%s\"", how) :
						  psprintf("invalid path transform \"%s\": expected a transform after \",\"", how));
		for (k = 0; k < lengthof(transform_names); k++)
			if (strcmp(name, transform_names[k].name) == 0 ||
				(transform_names[k].snowplow &&
				 strcmp(name, transform_names[k].snowplow) == 0))
				break;
		if (k == lengthof(transform_names))
			bad_transform(how, psprintf("unknown path transform \"%s\"", name));
		if (out->nsteps == cap)
		{
			cap *= 2;
			out->steps = repalloc(out->steps, sizeof(PathStep) * cap);
		}
		st = &out->steps[out->nsteps++];
		st->kind = (PathTransformKind) k;
		st->channel = NULL;
		st->channel_len = 0;
		p = socroi_skip_blanks(p);
		if (*p == '(')
		{
			SocroiOption *opts;
			int			nopts;
			const char *error;
			const char *hint;
			int			i;

			p++;
			if (!socroi_read_options(&p, true, "path transform option", &opts,
									 &nopts, &error, &hint))
				bad_transform(how, error);
			for (i = 0; i < nopts; i++)
			{
				if (!transform_names[k].takes_channel ||
					strcmp(opts[i].key, "channel") != 0)
					bad_transform(how, psprintf("path transform %s has no option \"%s\"",
												transform_names[k].name, opts[i].key));
				if (st->channel != NULL)
					bad_transform(how, psprintf("path transform %s: option channel is given twice",
												transform_names[k].name));
				st->channel = opts[i].value;
				st->channel_len = opts[i].len;
			}
			p = socroi_skip_blanks(p);
		}
		if (transform_names[k].takes_channel && st->channel == NULL)
			bad_transform(how, psprintf("path transform %s needs the channel to remove, e.g. %s(channel=direct)",
										transform_names[k].name, transform_names[k].name));
		if (*p == '\0')
			break;
		if (*p != ',')
			bad_transform(how, psprintf("invalid path transform \"%s\": expected \",\" between transforms",
										how));
		p = socroi_skip_blanks(p + 1);
	}
}

/* the steps of this call's "how", parsed once per query while it stays the same */
static const PathSteps *
get_steps(FunctionCallInfo fcinfo, text *how_text)
{
	PathSteps  *c = (PathSteps *) fcinfo->flinfo->fn_extra;
	int			len = VARSIZE_ANY_EXHDR(how_text);
	MemoryContext old;

	if (c != NULL && c->how_len == len && memcmp(c->how, VARDATA_ANY(how_text), len) == 0)
		return c;
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	if (c == NULL)
		c = palloc0(sizeof(PathSteps));
	else
	{
		pfree(c->how);
		pfree(c->steps);
	}
	c->how = text_to_cstring(how_text);
	c->how_len = len;
	parse_steps(c->how, c);
	fcinfo->flinfo->fn_extra = c;
	MemoryContextSwitchTo(old);
	return c;
}

/* ---------- the transforms over (data, len, time) triples ---------- */

typedef struct Touches
{
	const char **data;
	int		   *len;
	int64	   *time;			/* NULL without times */
	int			n;
} Touches;

static inline bool
same_touch(const Touches *t, int i, const char *s, int len)
{
	return t->len[i] == len && memcmp(t->data[i], s, len) == 0;
}

/*
 * Distinct channels of a path in order of first occurrence with their
 * counts: an open-addressing table over hash_bytes(), slots = power of 2
 * >= 2n.  Returns the number of distinct channels.
 */
static int
distinct_touches(const Touches *in, int *first_of, int *count)
{
	int			slots = 8;
	int		   *table;
	int			distinct = 0;
	int			i;

	while (slots < 2 * in->n)
		slots *= 2;
	table = palloc(sizeof(int) * slots);
	memset(table, -1, sizeof(int) * slots);
	for (i = 0; i < in->n; i++)
	{
		uint32		h = hash_bytes((const unsigned char *) in->data[i], in->len[i]);
		int			j = h & (slots - 1);

		for (;;)
		{
			int			d = table[j];

			if (d < 0)
			{
				table[j] = distinct;
				first_of[distinct] = i;
				count[distinct] = 1;
				distinct++;
				break;
			}
			if (same_touch(in, first_of[d], in->data[i], in->len[i]))
			{
				count[d]++;
				break;
			}
			j = (j + 1) & (slots - 1);
		}
	}
	pfree(table);
	return distinct;
}

static inline void
keep(const Touches *in, int i, Touches *out)
{
	out->data[out->n] = in->data[i];
	out->len[out->n] = in->len[i];
	if (in->time)
		out->time[out->n] = in->time[i];
	out->n++;
}

/* apply one step: in -> out (out has room for in->n touches) */
static void
apply_step(const PathStep *st, const Touches *in, Touches *out)
{
	int			i;

	out->n = 0;
	switch (st->kind)
	{
		case PT_UNIQUE:
			for (i = 0; i < in->n; i++)
				keep(in, i, out);
			break;
		case PT_EXPOSURE:
			for (i = 0; i < in->n; i++)
				if (i == 0 || !same_touch(in, i - 1, in->data[i], in->len[i]))
					keep(in, i, out);
			break;
		case PT_FIRST:
		case PT_FREQUENCY:
			{
				int		   *first_of = palloc(sizeof(int) * Max(in->n, 1));
				int		   *count = palloc(sizeof(int) * Max(in->n, 1));
				int			m = distinct_touches(in, first_of, count);

				for (i = 0; i < m; i++)
				{
					keep(in, first_of[i], out);
					if (st->kind == PT_FREQUENCY)
					{
						char	   *s = psprintf("%.*s(%d)", in->len[first_of[i]],
												 in->data[first_of[i]], count[i]);

						out->data[i] = s;
						out->len[i] = strlen(s);
					}
				}
				break;
			}
		case PT_REMOVE_IF_NOT_ALL:
			for (i = 0; i < in->n; i++)
				if (!same_touch(in, i, st->channel, st->channel_len))
					keep(in, i, out);
			if (out->n == 0)	/* only that channel: the path stays */
				for (i = 0; i < in->n; i++)
					keep(in, i, out);
			break;
		case PT_REMOVE_IF_LAST_AND_NOT_ALL:
			{
				int			tail = in->n;

				while (tail > 0 && same_touch(in, tail - 1, st->channel, st->channel_len))
					tail--;
				if (tail == 0)	/* only that channel (or empty): the path stays */
					tail = in->n;
				for (i = 0; i < tail; i++)
					keep(in, i, out);
				break;
			}
	}
}

/* run every step over the path (and times); the result is in *result */
static void
transform(const PathSteps *steps, ArrayType *path, int n, const int64 *times,
		  Touches *result)
{
	Touches		a;
	Touches		b;
	SocroiTextIter it;
	int			i;

	a.data = palloc(sizeof(char *) * Max(n, 1));
	a.len = palloc(sizeof(int) * Max(n, 1));
	a.time = times ? palloc(sizeof(int64) * Max(n, 1)) : NULL;
	b.data = palloc(sizeof(char *) * Max(n, 1));
	b.len = palloc(sizeof(int) * Max(n, 1));
	b.time = times ? palloc(sizeof(int64) * Max(n, 1)) : NULL;
	socroi_text_iter_init(&it, path, n);
	for (i = 0; socroi_text_iter_next(&it, &a.data[i], &a.len[i]); i++)
		;
	if (times)
		memcpy(a.time, times, sizeof(int64) * n);
	a.n = n;
	for (i = 0; i < steps->nsteps; i++)
	{
		Touches		t;

		apply_step(&steps->steps[i], &a, &b);
		t = a;
		a = b;
		b = t;
	}
	*result = a;
}

/* path_transform(path text[], how text) -> text[] */
Datum
socroi_path_transform(PG_FUNCTION_ARGS)
{
	ArrayType  *path = PG_GETARG_ARRAYTYPE_P(0);
	const PathSteps *steps = get_steps(fcinfo, PG_GETARG_TEXT_PP(1));
	int			n = socroi_text_array_length(path, "path", ATTR_PATH_NULL_HINT);
	Touches		r;

	if (n == 0)
		PG_RETURN_ARRAYTYPE_P(path);
	transform(steps, path, n, NULL, &r);
	PG_RETURN_ARRAYTYPE_P(socroi_make_text_array(r.data, r.len, r.n));
}

/* path_transform(path text[], touch_times timestamptz[], how text) -> timed_path */
Datum
socroi_path_transform_times(PG_FUNCTION_ARGS)
{
	ArrayType  *path = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *times_array = PG_GETARG_ARRAYTYPE_P(1);
	const PathSteps *steps = get_steps(fcinfo, PG_GETARG_TEXT_PP(2));
	TupleDesc	desc = socroi_result_tupdesc(fcinfo, 2, "timed_path");
	int			n = socroi_text_array_length(path, "path", ATTR_PATH_NULL_HINT);
	int			ntimes;
	const int64 *times = socroi_timestamptz_array(times_array, "touch_times", &ntimes);
	Touches		r;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	socroi_array_check_same_length(n, "path", ntimes, "touch_times");
	transform(steps, path, n, times, &r);
	values[0] = PointerGetDatum(socroi_make_text_array(r.data, r.len, r.n));
	values[1] = PointerGetDatum(socroi_make_timestamptz_array(r.time, r.n));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
