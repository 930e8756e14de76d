/*
 * mmm_state.c
 *		State of the mmm_fit aggregate (doc/mmm.md).
 *
 * Input is long rows (period, variable, value, role).  The state is the
 * table of their sums per (period, variable, role): small (periods x
 * variables), growing with neither rows nor groups' sizes beyond that.  It is
 * a flat varlena:
 *
 *   header | series[series_cap] | entries[entry_cap] | arena[arena_cap]
 *
 * series are the distinct (variable, role) pairs (name in the arena); entries
 * an open-addressing hash table keyed by (period, series) holding the sum as
 * an unevaluated pair hi + lo (Knuth's TwoSum), so rows summed in any order,
 * serially or merged from partial states, give the same value rounded once
 * at the end.  The options text of the group sits at the start of the arena.
 *
 * Text form (canonical: series sorted by name and role, entries by period
 * and series):
 *   mmm_fit:1 "options" <nseries> [ "name" role ... ]
 *             <nentries> [ period series hi lo ... ]
 */
#include "postgres.h"

#include <math.h>

#include "common/hashfn.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/float.h"

#include "common/common.h"
#include "common/flat_hash.h"
#include "common/state_io.h"
#include "mmm/mmm_options.h"
#include "mmm/mmm_state.h"

/* a period in messages: ISO 8601 whatever the DateStyle */
char *
mmm_date_text(DateADT d)
{
	int			y,
				m,
				day;

	if (DATE_NOT_FINITE(d))
		return DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(d)));
	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	if (y <= 0)
		return DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(d)));
	return psprintf("%04d-%02d-%02d", y, m, day);
}

PG_FUNCTION_INFO_V1(socroi_mmm_fit_trans);
PG_FUNCTION_INFO_V1(socroi_mmm_fit_trans_options);
PG_FUNCTION_INFO_V1(socroi_mmm_fit_combine);

#define MMM_STATE_TAG "mmm_fit"
#define MMM_STATE_VERSION 1
#define MMM_MAX_ENTRIES (1 << 21)
#define MMM_MAX_OPTIONS 100000

const char *const mmm_role_names[4] = {"kpi", "media", "cost", "control"};

typedef struct MmmSeries
{
	int32		name_off;		/* in the arena */
	int32		name_len;
	int32		role;
	uint32		hash;
} MmmSeries;

typedef struct MmmEntry
{
	int32		period;			/* DateADT */
	int32		series;			/* -1: empty slot */
	double		hi;
	double		lo;
} MmmEntry;

typedef struct MmmState
{
	int32		vl_len_;
	int32		version;
	int32		nseries;
	int32		series_cap;
	int32		nentries;
	int32		entry_cap;		/* a power of two, at most half full */
	int32		arena_used;
	int32		arena_cap;
	int32		options_len;	/* the options text: arena[0 .. options_len) */
	int32		kpi_series;		/* -1: none yet */
} MmmState;

#define STATE_HEADER MAXALIGN(sizeof(MmmState))

static inline MmmSeries *
state_series(MmmState *s)
{
	return (MmmSeries *) ((char *) s + STATE_HEADER);
}

static inline MmmEntry *
state_entries(MmmState *s)
{
	return (MmmEntry *) ((char *) s + STATE_HEADER +
						 MAXALIGN(sizeof(MmmSeries) * s->series_cap));
}

static inline char *
state_arena(MmmState *s)
{
	return (char *) state_entries(s) + sizeof(MmmEntry) * (Size) s->entry_cap;
}

static Size
state_size(int series_cap, int entry_cap, int arena_cap)
{
	return STATE_HEADER + MAXALIGN(sizeof(MmmSeries) * series_cap) +
		sizeof(MmmEntry) * (Size) entry_cap + MAXALIGN(arena_cap);
}

static MmmState *
state_new(int series_cap, int entry_cap, int arena_cap)
{
	Size		size = state_size(series_cap, entry_cap, arena_cap);
	MmmState   *s = state_alloc(size, MMM_STATE_VERSION);
	MmmEntry   *e;
	int			i;

	s->series_cap = series_cap;
	s->entry_cap = entry_cap;
	s->arena_cap = MAXALIGN(arena_cap);
	s->kpi_series = -1;
	e = state_entries(s);
	for (i = 0; i < entry_cap; i++)
		e[i].series = -1;
	return s;
}

/* the state in an argument, its header checked against its size */
static MmmState *
mmm_state_arg(FunctionCallInfo fcinfo, int argno)
{
	MmmState   *s = (MmmState *) state_arg(fcinfo, argno, "mmm_fit_state",
										   MMM_STATE_VERSION, STATE_HEADER, 0);

	if (s->series_cap < 1 || s->series_cap > MMM_MAX_SERIES ||
		s->nseries < 0 || s->nseries > s->series_cap ||
		s->entry_cap < 16 || s->entry_cap > 2 * MMM_MAX_ENTRIES ||
		(s->entry_cap & (s->entry_cap - 1)) != 0 ||
		s->nentries < 0 || s->nentries > s->entry_cap / 2 ||
		s->arena_cap < 0 || s->arena_used < 0 || s->arena_used > s->arena_cap ||
		s->options_len < 0 || s->options_len > s->arena_used ||
		s->kpi_series < -1 || s->kpi_series >= s->nseries ||
		state_size(s->series_cap, s->entry_cap, s->arena_cap) != VARSIZE_ANY(s))
		state_corrupt("mmm_fit_state");
	return s;
}

static inline uint32
entry_hash(int32 period, int32 series)
{
	uint64		h = ((uint64) (uint32) period << 32) | (uint32) series;

	return flat_hash_double(&h, sizeof(h));	/* murmur3's finaliser of the 64 bits */
}

/* the slot of (period, series): occupied by it, or the empty one for it */
static MmmEntry *
entry_lookup(MmmState *s, int32 period, int32 series)
{
	MmmEntry   *entries = state_entries(s);
	uint32		mask = (uint32) s->entry_cap - 1;
	uint32		i = entry_hash(period, series) & mask;

	for (;;)
	{
		MmmEntry   *e = &entries[i];

		if (e->series < 0 || (e->series == series && e->period == period))
			return e;
		i = (i + 1) & mask;
	}
}

/* hi + lo += v, exactly as long as the pair can hold the sum (TwoSum) */
static inline void
pair_add(double *hi, double *lo, double v)
{
	double		s = *hi + v;
	double		bb = s - *hi;
	double		err = (*hi - (s - bb)) + (v - bb);

	*hi = s;
	*lo += err;
}

static int
series_find(MmmState *s, const char *name, int len, MmmRole role, uint32 hash)
{
	MmmSeries  *series = state_series(s);
	char	   *arena = state_arena(s);
	int			i;

	for (i = 0; i < s->nseries; i++)
		if (series[i].hash == hash && series[i].role == (int32) role &&
			series[i].name_len == len &&
			memcmp(arena + series[i].name_off, name, len) == 0)
			return i;
	return -1;
}

pg_noreturn static void
state_too_large(bool variables)
{
	if (variables)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many variables for mmm_fit: at most %d (variable, role) pairs per group",
						MMM_MAX_SERIES),
				 errhint("Group small channels and controls together before fitting.")));
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("too many values for mmm_fit: at most %d (period, variable) values per group",
					MMM_MAX_ENTRIES),
			 errhint("Aggregate daily rows into weeks with date_trunc('week', day).")));
}

/*
 * A state with room for one more series of len bytes and `more` entries:
 * s itself when it has room and may be modified, else a larger copy (in the
 * current memory context; nodeAgg copies it and frees the old one).
 */
static MmmState *
state_make_room(MmmState *s, int name_len, int more, bool copy)
{
	int			series_cap = s->series_cap;
	int			entry_cap = s->entry_cap;
	int			arena_cap = s->arena_cap;
	MmmState   *g;
	MmmEntry   *from;
	int			i;

	/* a new variable (name_len > 0) needs a series slot */
	if (name_len > 0 && s->nseries >= MMM_MAX_SERIES)
		state_too_large(true);
	while (name_len > 0 && s->nseries + 1 > series_cap)
		series_cap *= 2;
	while (((int64) s->nentries + more) * 2 > entry_cap)
		entry_cap *= 2;
	while ((int64) s->arena_used + name_len > arena_cap)
		arena_cap = arena_cap * 2 + 64;
	if (series_cap == s->series_cap && entry_cap == s->entry_cap &&
		arena_cap == s->arena_cap && !copy)
		return s;
	if (entry_cap > 2 * MMM_MAX_ENTRIES)
		state_too_large(false);
	series_cap = Min(series_cap, MMM_MAX_SERIES);
	g = state_new(series_cap, entry_cap, arena_cap);
	g->nseries = s->nseries;
	g->arena_used = s->arena_used;
	g->options_len = s->options_len;
	g->kpi_series = s->kpi_series;
	memcpy(state_series(g), state_series(s), sizeof(MmmSeries) * s->nseries);
	memcpy(state_arena(g), state_arena(s), s->arena_used);
	from = state_entries(s);
	for (i = 0; i < s->entry_cap; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (from[i].series >= 0)
		{
			*entry_lookup(g, from[i].period, from[i].series) = from[i];
			g->nentries++;
		}
	}
	return g;
}

static void
two_kpis(const char *a, int alen, const char *b, int blen)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("mmm_fit takes one kpi variable, got \"%.*s\" and \"%.*s\"",
					alen, a, blen, b),
			 errhint("Fit one model per KPI, or give the other one the role 'control'.")));
}

/* add a series (the caller made room); returns its index */
static int
series_add(MmmState *s, const char *name, int len, MmmRole role, uint32 hash)
{
	MmmSeries  *sr;

	if (s->nseries >= s->series_cap || s->arena_used + len > s->arena_cap)
		elog(ERROR, "mmm_fit state has no room for a variable");
	sr = &state_series(s)[s->nseries];
	if (role == MMM_ROLE_KPI && s->kpi_series >= 0)
	{
		MmmSeries  *k = &state_series(s)[s->kpi_series];

		two_kpis(state_arena(s) + k->name_off, k->name_len, name, len);
	}
	sr->name_off = s->arena_used;
	sr->name_len = len;
	sr->role = role;
	sr->hash = hash;
	memcpy(state_arena(s) + s->arena_used, name, len);
	s->arena_used += len;
	if (role == MMM_ROLE_KPI)
		s->kpi_series = s->nseries;
	return s->nseries++;
}

static MmmRole
parse_role(const char *role, int len)
{
	int			r;

	for (r = 0; r < 4; r++)
		if ((int) strlen(mmm_role_names[r]) == len && pg_strncasecmp(role, mmm_role_names[r], len) == 0)
			return (MmmRole) r;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown role \"%.*s\"", Min(len, 100), role),
			 errhint("role is one of 'kpi' (the outcome), 'media' (spend or activity), 'cost' (a media variable's cost) or 'control'.")));
	return MMM_ROLE_KPI;		/* not reached */
}

static Datum
mmm_step(FunctionCallInfo fcinfo, const char *options, int options_len)
{
	MmmState   *s;
	DateADT		period = PG_GETARG_DATEADT(1);
	text	   *var = PG_GETARG_TEXT_PP(2);
	double		value = PG_GETARG_FLOAT8(3);
	text	   *role_text = PG_GETARG_TEXT_PP(4);
	const char *name = VARDATA_ANY(var);
	int			len = VARSIZE_ANY_EXHDR(var);
	MmmRole		role = parse_role(VARDATA_ANY(role_text), VARSIZE_ANY_EXHDR(role_text));
	uint32		hash;
	int			idx;
	MmmEntry   *e;

	if (DATE_NOT_FINITE(period))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period must be a finite date, not %s", mmm_date_text(period))));
	if (len == 0 || len > MMM_MAX_NAME)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("variable names must have 1 to %d bytes, got %d", MMM_MAX_NAME, len)));
	if (isnan(value) || isinf(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value of \"%.*s\" in period %s must be a finite number, not %s",
						len, name, mmm_date_text(period), float8out_internal(value)),
				 errhint("Filter out or repair the row: coalesce(nullif(value, 'NaN'), 0).")));
	if ((role == MMM_ROLE_MEDIA || role == MMM_ROLE_COST) && value < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s \"%.*s\" in period %s is negative (%s)", mmm_role_names[role],
						len, name, mmm_date_text(period), float8out_internal(value)),
				 errhint("Spend and activity are never negative; net out refunds before aggregating.")));
	if (options_len > MMM_MAX_OPTIONS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("options text too long (%d bytes)", options_len)));

	if (PG_ARGISNULL(0))
	{
		MmmOptions	parsed;
		char	   *copy = pnstrdup(options, options_len);

		/* validate the options once, at the group's first row */
		mmm_options_parse(copy, &parsed);
		s = state_new(8, 256, options_len + 256);
		memcpy(state_arena(s), options, options_len);
		s->arena_used = s->options_len = options_len;
	}
	else
	{
		s = mmm_state_arg(fcinfo, 0);
		if (s->options_len != options_len ||
			memcmp(state_arena(s), options, options_len) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("options must be the same on every row of a group: got \"%.*s\" after \"%.*s\"",
							Min(options_len, 200), options, Min(s->options_len, 200), state_arena(s)),
					 errhint("Pass the options as one constant, e.g. mmm_fit(week, variable, value, role, 'holdout=8').")));
		if (!socroi_in_aggregate(fcinfo))
			s = state_make_room(s, 0, 0, true);
	}
	hash = hash_bytes((const unsigned char *) name, len);
	idx = series_find(s, name, len, role, hash);
	if (idx < 0)
	{
		s = state_make_room(s, len, 1, false);
		idx = series_add(s, name, len, role, hash);
	}
	e = entry_lookup(s, period, idx);
	if (e->series < 0)
	{
		if ((s->nentries + 1) * 2 > s->entry_cap)
		{
			s = state_make_room(s, 0, 1, false);
			e = entry_lookup(s, period, idx);
		}
		e->period = period;
		e->series = idx;
		e->hi = e->lo = 0.0;
		s->nentries++;
	}
	pair_add(&e->hi, &e->lo, value);
	if (isinf(e->hi) || isnan(e->hi))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sum of \"%.*s\" in period %s out of range", len, name,
						mmm_date_text(period))));
	PG_RETURN_POINTER(s);
}

/* rows with a NULL period, variable, value or role are skipped, like sum() */
Datum
socroi_mmm_fit_trans(PG_FUNCTION_ARGS)
{
	if (socroi_any_arg_null(fcinfo, 1, 4))
		return socroi_state_unchanged(fcinfo);
	return mmm_step(fcinfo, "", 0);
}

Datum
socroi_mmm_fit_trans_options(PG_FUNCTION_ARGS)
{
	text	   *options;

	if (socroi_any_arg_null(fcinfo, 1, 5))
		return socroi_state_unchanged(fcinfo);
	options = PG_GETARG_TEXT_PP(5);
	return mmm_step(fcinfo, VARDATA_ANY(options), VARSIZE_ANY_EXHDR(options));
}

Datum
socroi_mmm_fit_combine(PG_FUNCTION_ARGS)
{
	MmmState   *into = mmm_state_arg(fcinfo, 0);
	MmmState   *from = mmm_state_arg(fcinfo, 1);
	MmmSeries  *fs = state_series(from);
	MmmEntry   *fe = state_entries(from);
	int		   *map = palloc(sizeof(int) * Max(from->nseries, 1));
	int			new_series = 0,
				new_bytes = 0,
				i;

	if (into->options_len != from->options_len ||
		memcmp(state_arena(into), state_arena(from), into->options_len) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge mmm_fit states with different options")));
	for (i = 0; i < from->nseries; i++)
		if (series_find(into, state_arena(from) + fs[i].name_off, fs[i].name_len,
						(MmmRole) fs[i].role, fs[i].hash) < 0)
		{
			new_series++;
			new_bytes += fs[i].name_len;
		}
	/* one pass of make_room per new series keeps the code simple: few */
	into = state_make_room(into, new_bytes, from->nentries, !socroi_in_aggregate(fcinfo));
	for (i = 0; i < from->nseries; i++)
	{
		const char *name = state_arena(from) + fs[i].name_off;

		map[i] = series_find(into, name, fs[i].name_len, (MmmRole) fs[i].role, fs[i].hash);
		if (map[i] < 0)
		{
			into = state_make_room(into, fs[i].name_len, 0, false);
			map[i] = series_add(into, name, fs[i].name_len, (MmmRole) fs[i].role, fs[i].hash);
		}
	}
	for (i = 0; i < from->entry_cap; i++)
	{
		MmmEntry   *e;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (fe[i].series < 0)
			continue;
		if (fe[i].series >= from->nseries)
			state_corrupt("mmm_fit_state");
		e = entry_lookup(into, fe[i].period, map[fe[i].series]);
		if (e->series < 0)
		{
			if ((into->nentries + 1) * 2 > into->entry_cap)
			{
				into = state_make_room(into, 0, 1, false);
				e = entry_lookup(into, fe[i].period, map[fe[i].series]);
			}
			e->period = fe[i].period;
			e->series = map[fe[i].series];
			e->hi = e->lo = 0.0;
			into->nentries++;
		}
		pair_add(&e->hi, &e->lo, fe[i].hi);
		pair_add(&e->hi, &e->lo, fe[i].lo);
		if (isinf(e->hi) || isnan(e->hi))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("mmm_fit sum out of range")));
	}
	pfree(map);
	PG_RETURN_POINTER(into);
}

/* ---------- canonical order ---------- */

typedef struct SeriesView
{
	const char *name;
	int			len;
	int			role;
	int			index;			/* in the state */
} SeriesView;

static int
series_view_cmp(const void *a, const void *b)
{
	const SeriesView *x = a,
			   *y = b;
	int			c = memcmp(x->name, y->name, Min(x->len, y->len));

	if (c != 0)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->role - y->role;
}

typedef struct EntryView
{
	int32		period;
	int32		rank;			/* series position in canonical order */
	double		hi;
	double		lo;
} EntryView;

static int
entry_view_cmp(const void *a, const void *b)
{
	const EntryView *x = a,
			   *y = b;

	if (x->period != y->period)
		return x->period < y->period ? -1 : 1;
	return x->rank - y->rank;
}

/* series and entries in canonical order (palloc'd) */
static void
state_sorted(MmmState *s, SeriesView **series_out, EntryView **entries_out)
{
	MmmSeries  *sr = state_series(s);
	MmmEntry   *en = state_entries(s);
	SeriesView *sv = palloc(sizeof(SeriesView) * Max(s->nseries, 1));
	EntryView  *ev = palloc(sizeof(EntryView) * Max(s->nentries, 1));
	int		   *rank = palloc(sizeof(int) * Max(s->nseries, 1));
	int			i,
				n = 0;

	for (i = 0; i < s->nseries; i++)
	{
		if (sr[i].name_off < 0 || sr[i].name_len < 0 ||
			sr[i].name_off + sr[i].name_len > s->arena_used || sr[i].role < 0 || sr[i].role > 3)
			state_corrupt("mmm_fit_state");
		sv[i].name = state_arena(s) + sr[i].name_off;
		sv[i].len = sr[i].name_len;
		sv[i].role = sr[i].role;
		sv[i].index = i;
	}
	qsort(sv, s->nseries, sizeof(SeriesView), series_view_cmp);
	for (i = 0; i < s->nseries; i++)
		rank[sv[i].index] = i;
	for (i = 0; i < s->entry_cap; i++)
	{
		if (en[i].series < 0)
			continue;
		if (en[i].series >= s->nseries || n >= s->nentries)
			state_corrupt("mmm_fit_state");
		ev[n].period = en[i].period;
		ev[n].rank = rank[en[i].series];
		ev[n].hi = en[i].hi;
		ev[n].lo = en[i].lo;
		n++;
	}
	if (n != s->nentries)
		state_corrupt("mmm_fit_state");
	qsort(ev, n, sizeof(EntryView), entry_view_cmp);
	pfree(rank);
	*series_out = sv;
	*entries_out = ev;
}

/* ---------- text and binary I/O ---------- */

static void
mmm_state_write(StateWriter *w, MmmState *s)
{
	SeriesView *sv;
	EntryView  *ev;
	int			i;

	state_sorted(s, &sv, &ev);
	state_write_string(w, state_arena(s), s->options_len);
	state_write_int64(w, s->nseries);
	state_write_mark(w, '[');
	for (i = 0; i < s->nseries; i++)
	{
		state_write_string(w, sv[i].name, sv[i].len);
		state_write_int64(w, sv[i].role);
	}
	state_write_mark(w, ']');
	state_write_int64(w, s->nentries);
	state_write_mark(w, '[');
	for (i = 0; i < s->nentries; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		state_write_int64(w, ev[i].period);
		state_write_int64(w, ev[i].rank);
		state_write_float8(w, ev[i].hi);
		state_write_float8(w, ev[i].lo);
	}
	state_write_mark(w, ']');
}

static MmmState *
mmm_state_read(StateReader *r)
{
	int			olen,
				nseries,
				nentries,
				i,
				entry_cap = 256;
	char	   *options = state_read_string(r, "options", &olen);
	MmmState   *s;
	int32		prev_period = 0;
	int			prev_rank = -1;
	MmmOptions	parsed;

	if (olen > MMM_MAX_OPTIONS)
		state_invalid(r, "options text too long");
	mmm_options_parse_stored(r, options, &parsed);
	nseries = state_read_count(r, "series", MMM_MAX_SERIES, r->binary ? 12 : 4);
	s = state_new(Max(nseries, 8), 16, olen + nseries * 16 + 64);
	memcpy(state_arena(s), options, olen);
	s->arena_used = s->options_len = olen;
	state_read_mark(r, '[');
	for (i = 0; i < nseries; i++)
	{
		int			len;
		char	   *name = state_read_string(r, "variable", &len);
		int			role = (int) state_read_int_range(r, "role", 0, 3);
		uint32		hash;

		if (len == 0 || len > MMM_MAX_NAME)
			state_invalid(r, "variable names must have 1 to %d bytes", MMM_MAX_NAME);
		if (i > 0)
		{
			SeriesView	a = {state_arena(s) + state_series(s)[i - 1].name_off,
				state_series(s)[i - 1].name_len, state_series(s)[i - 1].role, 0};
			SeriesView	b = {name, len, role, 0};

			if (series_view_cmp(&a, &b) >= 0)
				state_invalid(r, "variables must be sorted and distinct");
		}
		if (role == MMM_ROLE_KPI && s->kpi_series >= 0)
			state_invalid(r, "two kpi variables");
		s = state_make_room(s, len, 0, false);
		hash = hash_bytes((const unsigned char *) name, len);
		series_add(s, name, len, (MmmRole) role, hash);
		pfree(name);
	}
	state_read_mark(r, ']');
	nentries = state_read_count(r, "entries", MMM_MAX_ENTRIES, r->binary ? 32 : 8);
	while (entry_cap < 2 * nentries)
		entry_cap *= 2;
	s = state_make_room(s, 0, nentries, false);
	state_read_mark(r, '[');
	for (i = 0; i < nentries; i++)
	{
		int32		period;
		int			rank;
		double		hi,
					lo;
		MmmEntry   *e;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		period = (int32) state_read_int_range(r, "period", DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE,
											  DATE_END_JULIAN - POSTGRES_EPOCH_JDATE - 1);
		rank = (int) state_read_int_range(r, "series", 0, Max(nseries - 1, 0));
		if (nseries == 0)
			state_invalid(r, "entry without variables");
		hi = state_read_float8_finite(r, "hi");
		lo = state_read_float8_finite(r, "lo");
		if (i > 0 && (period < prev_period || (period == prev_period && rank <= prev_rank)))
			state_invalid(r, "entries must be sorted and distinct");
		if (isinf(hi + lo))
			state_invalid(r, "sum out of range");
		if ((state_series(s)[rank].role == MMM_ROLE_MEDIA ||
			 state_series(s)[rank].role == MMM_ROLE_COST) && hi + lo < 0.0)
			state_invalid(r, "negative media or cost sum");
		prev_period = period;
		prev_rank = rank;
		e = entry_lookup(s, period, rank);
		e->period = period;
		e->series = rank;
		e->hi = hi;
		e->lo = lo;
		s->nentries++;
	}
	state_read_mark(r, ']');
	state_read_end(r);
	return s;
}

SOCROI_STATE_IO_FUNCTIONS(mmm_fit_state, "mmm_fit_state", MMM_STATE_TAG, MMM_STATE_VERSION,
						  mmm_state_write(w, mmm_state_arg(fcinfo, 0)),
						  mmm_state_read(r));

/* ---------- the canonical view, for mmm_data.c ---------- */

void
mmm_state_view(FunctionCallInfo fcinfo, int argno, MmmStateView *view)
{
	MmmState   *s = mmm_state_arg(fcinfo, argno);
	SeriesView *sv;
	EntryView  *ev;
	int			i;

	state_sorted(s, &sv, &ev);
	view->options = pnstrdup(state_arena(s), s->options_len);
	view->nseries = s->nseries;
	view->series = palloc(sizeof(MmmSeriesView) * Max(s->nseries, 1));
	for (i = 0; i < s->nseries; i++)
	{
		view->series[i].name = pnstrdup(sv[i].name, sv[i].len);
		view->series[i].role = (MmmRole) sv[i].role;
	}
	view->nentries = s->nentries;
	view->entries = palloc(sizeof(MmmEntryView) * Max(s->nentries, 1));
	for (i = 0; i < s->nentries; i++)
	{
		view->entries[i].period = ev[i].period;
		view->entries[i].series = ev[i].rank;
		view->entries[i].value = ev[i].hi + ev[i].lo;
	}
	pfree(sv);
	pfree(ev);
}
