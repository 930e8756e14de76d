/*
 * attribution.c
 *		Attribution over touchpoint paths (doc/attribution.md): the
 *		attribute() set-returning functions and the transition and combine
 *		functions of the attribution() and markov_transitions() aggregates
 *		(their final functions are in attribution_final.c).
 *
 * The aggregate keeps a flat attribution_state (attribution_state.h).  Per input
 * row the transition function detoasts the path once, walks it without
 * allocating (SocroiTextIter), maps every touch to a channel id through the
 * state's dictionary, weights the touches with the model parsed once at
 * type input, and adds compensated sums in place.  Scratch arrays for the
 * ids and weights of one path live in fn_extra and grow geometrically.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"
#include "utils/typcache.h"

#include "attribution/attribution_fractribution.h"
#include "attribution/attribution_heuristics.h"
#include "attribution/attribution_shapley.h"
#include "attribution/attribution_state.h"
#include "attribution/markov_chain.h"
#include "common/common.h"
#include "common/held_state.h"

PG_FUNCTION_INFO_V1(socroi_attribute);
PG_FUNCTION_INFO_V1(socroi_attribute_times);
PG_FUNCTION_INFO_V1(socroi_attribution_accum);
PG_FUNCTION_INFO_V1(socroi_attribution_accum_nonconv);
PG_FUNCTION_INFO_V1(socroi_attribution_accum_times);
PG_FUNCTION_INFO_V1(socroi_attribution_combine);
PG_FUNCTION_INFO_V1(socroi_markov_transitions_accum);
PG_FUNCTION_INFO_V1(socroi_markov_transitions_accum_order);
PG_FUNCTION_INFO_V1(socroi_markov_order_selection_accum);

/* a path: one-dimensional text[] without NULLs; returns its length */
static inline int
check_path(ArrayType *path)
{
	return socroi_text_array_length(path, "path", ATTR_PATH_NULL_HINT);
}

/*
 * Ages (conversion_time - touch_time, microseconds) of the touches; every
 * touch must be finite and not after the conversion (the caller checked that
 * conversion_time is finite).
 */
static void
touch_ages(const int64 *times, int n, TimestampTz conversion_time, int64 *age)
{
	int			i;

	for (i = 0; i < n; i++)
	{
		if (TIMESTAMP_NOT_FINITE(times[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("touch_times must be finite timestamps (element %d is %s)",
							i + 1, TIMESTAMP_IS_NOBEGIN(times[i]) ? "-infinity" : "infinity")));
		if (times[i] > conversion_time)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("touch_times element %d (%s) is after conversion_time (%s)",
							i + 1, pstrdup(timestamptz_to_str(times[i])),
							pstrdup(timestamptz_to_str(conversion_time))),
					 errhint("Build the path from the touches up to the conversion, "
							 "e.g. WHERE touched_at <= converted_at.")));
		/* 4713 BC to 294276 AD is more microseconds than an int64 holds */
		if (pg_sub_s64_overflow(conversion_time, times[i], &age[i]))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("touch_times element %d is too long before conversion_time",
							i + 1)));
	}
}

/* ---------- scratch space of one path (fn_extra) ---------- */

typedef struct AttrScratch
{
	int			cap;
	int32	   *ids;
	bool	   *direct;
	int64	   *age;
	double	   *w;
} AttrScratch;

static AttrScratch *
scratch_get(FunctionCallInfo fcinfo, int n)
{
	AttrScratch *sc = (AttrScratch *) fcinfo->flinfo->fn_extra;
	MemoryContext mcxt = fcinfo->flinfo->fn_mcxt;

	if (sc == NULL)
	{
		sc = MemoryContextAllocZero(mcxt, sizeof(AttrScratch));
		fcinfo->flinfo->fn_extra = sc;
	}
	if (n > sc->cap)
	{
		int			cap = Max(n, Max(32, sc->cap * 2));

		if (sc->cap > 0)
		{
			pfree(sc->ids);
			pfree(sc->direct);
			pfree(sc->age);
			pfree(sc->w);
		}
		sc->ids = MemoryContextAlloc(mcxt, sizeof(int32) * cap);
		sc->direct = MemoryContextAlloc(mcxt, sizeof(bool) * cap);
		sc->age = MemoryContextAlloc(mcxt, sizeof(int64) * cap);
		sc->w = MemoryContextAlloc(mcxt, sizeof(double) * cap);
		sc->cap = cap;
	}
	return sc;
}

/* ---------- attribute(): per-touch credits of one path ---------- */

/* path has passed check_path(): n touches (times: n of them, or NULL) */
static void
attribute_common(FunctionCallInfo fcinfo, ArrayType *path, int n,
				 const int64 *times, TimestampTz conversion_time, double value,
				 AttrModel *model)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	bool		have_times = (times != NULL);
	int64	   *age = NULL;
	bool	   *keep;
	bool	   *direct;
	int64	   *kept_age;
	double	   *w;
	int			kept = 0;
	int			i;
	int			k;
	SocroiTextIter it;
	const char *data;
	int			len;

	attr_model_check_usage(model, have_times, true);
	socroi_check_nonnegative(value, "value");
	InitMaterializedSRF(fcinfo, 0);
	if (n == 0)
		return;

	keep = palloc(sizeof(bool) * n);
	direct = palloc(sizeof(bool) * n);
	kept_age = palloc(sizeof(int64) * n);
	w = palloc(sizeof(double) * n);
	if (have_times)
	{
		age = palloc(sizeof(int64) * n);
		touch_ages(times, n, conversion_time, age);
	}

	/* lookback: drop touches older than conversion_time - lookback */
	socroi_text_iter_init(&it, path, n);
	for (i = 0; socroi_text_iter_next(&it, &data, &len); i++)
	{
		keep[i] = !(model->flags & ATTR_MODEL_HAS_LOOKBACK) ||
			age[i] <= model->lookback_us;
		if (!keep[i])
			continue;
		direct[kept] = (model->kind == ATTR_LAST_NON_DIRECT &&
						len == model->direct_len &&
						memcmp(data, model->direct, len) == 0);
		kept_age[kept] = have_times ? age[i] : 0;
		kept++;
	}
	if (kept > 0)
		attr_heuristic_weights(model, kept, direct, kept_age, w);

	socroi_text_iter_init(&it, path, n);
	for (i = 0, k = 0; socroi_text_iter_next(&it, &data, &len); i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = Int32GetDatum(i + 1);
		values[1] = PointerGetDatum(cstring_to_text_with_len(data, len));
		values[2] = Float8GetDatum(keep[i] ? w[k++] * value : 0.0);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
}

/* attribute(path text[], value float8, model attribution_model) */
Datum
socroi_attribute(PG_FUNCTION_ARGS)
{
	ArrayType  *path = PG_GETARG_ARRAYTYPE_P(0);

	attribute_common(fcinfo, path, check_path(path), NULL, 0,
					 PG_GETARG_FLOAT8(1), PG_GETARG_ATTR_MODEL_P(2));
	return (Datum) 0;
}

/* attribute(path, touch_times timestamptz[], conversion_time, value, model) */
Datum
socroi_attribute_times(PG_FUNCTION_ARGS)
{
	ArrayType  *path = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *times_array = PG_GETARG_ARRAYTYPE_P(1);
	int			n = check_path(path);
	int			ntimes;
	const int64 *times = socroi_timestamptz_array(times_array, "touch_times",
												  &ntimes);

	socroi_array_check_same_length(n, "path", ntimes, "touch_times");
	socroi_check_finite_timestamp(PG_GETARG_TIMESTAMPTZ(2), "conversion_time");
	attribute_common(fcinfo, path, n, times, PG_GETARG_TIMESTAMPTZ(2),
					 PG_GETARG_FLOAT8(3), PG_GETARG_ATTR_MODEL_P(4));
	return (Datum) 0;
}

/* ---------- attribution(): the aggregate ---------- */

/* one input row of the aggregate */
typedef struct AttrRow
{
	ArrayType  *path;
	int			n;				/* touches */
	double		conversions;
	double		value;
	double		non_conversions;
	const int64 *times;			/* NULL without touch times */
	TimestampTz conversion_time;
} AttrRow;

/*
 * The state to update for this call: NULL (first row); in an aggregate, the
 * state *held keeps (held_state.h) or the aggregate's own flat state, both
 * updated in place; else a private copy.
 */
static AttrState *
transition_state(FunctionCallInfo fcinfo, HeldState **held)
{
	AttrState  *state;

	*held = held_state_get(fcinfo);
	if (*held != NULL)
		return (AttrState *) held_state_flat(*held);
	if (PG_ARGISNULL(0))
		return NULL;
	state = (AttrState *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	if (!socroi_in_aggregate(fcinfo))
	{
		attr_state_check_header(state);
		state = attr_state_copy(state);
	}
	return state;
}

/*
 * Every per-channel sum is bounded by a total (weights are at most 1, a
 * role counts at most the row's conversions), so finite totals keep the
 * whole state finite -- and its text form readable.
 */
static void
check_totals(const AttrState *state)
{
	if (isinf(state->conversions.sum) || isinf(state->value.sum) ||
		isnan(state->conversions.comp) || isnan(state->value.comp))
		attr_overflow_error();
}

/*
 * Add one row to the state (creating it on the first row); returns the
 * state, which may have moved.
 */
static AttrState *
accumulate_row(FunctionCallInfo fcinfo, AttrState *state, AttrModel *model,
			   const AttrRow *row)
{
	const AttrModel *m;
	AttrScratch *sc;
	AttrChannel *chans;
	SocroiTextIter it;
	const char *data;
	int			len;
	bool		lookback;
	double		conv = row->conversions;
	int			kept;
	int			i;
	int32		last;

	/*
	 * Every row: attribution_accum is callable directly, so a state of a
	 * model that needs touch times may arrive at the overload without them.
	 */
	attr_model_check_usage(model, row->times != NULL, false);
	if (state == NULL)
		state = attr_state_create(model);
	else
		attr_state_check_same_model(ATTR_STATE_MODEL(state), model);
	m = ATTR_STATE_MODEL(state);

	/*
	 * Heuristic models ignore journeys that did not convert; the data-driven
	 * models learn from them too.
	 */
	if (row->n == 0 || (conv == 0.0 && row->value == 0.0 &&
						(ATTR_KIND_IS_HEURISTIC(m->kind) || row->non_conversions == 0.0)))
		return state;

	sc = scratch_get(fcinfo, row->n);
	if (row->times)
		touch_ages(row->times, row->n, row->conversion_time, sc->age);
	lookback = (m->flags & ATTR_MODEL_HAS_LOOKBACK) != 0;

	/* map the kept touches to channel ids (the state may grow and move) */
	socroi_text_iter_init(&it, row->path, row->n);
	kept = 0;
	for (i = 0; socroi_text_iter_next(&it, &data, &len); i++)
	{
		if (lookback && sc->age[i] > m->lookback_us)
			continue;
		sc->ids[kept] = attr_state_channel_id(&state, data, len);
		if (row->times)
			sc->age[kept] = sc->age[i];
		kept++;
	}
	if (kept == 0)
		return state;
	m = ATTR_STATE_MODEL(state);
	chans = ATTR_STATE_CHANNELS(state);

	/* credits, or the records of a data-driven model */
	switch ((AttrModelKind) m->kind)
	{
		case ATTR_FIRST_TOUCH:
		case ATTR_LAST_TOUCH:
			{
				AttrChannel *ch = &chans[sc->ids[m->kind == ATTR_FIRST_TOUCH ? 0 : kept - 1]];

				socroi_sum_add(&ch->conversions, conv);
				socroi_sum_add(&ch->value, row->value);
				break;
			}
		case ATTR_LAST_NON_DIRECT:
		case ATTR_LINEAR:
		case ATTR_POSITION_BASED:
		case ATTR_TIME_DECAY:
			if (m->kind == ATTR_LAST_NON_DIRECT)
				for (i = 0; i < kept; i++)
					sc->direct[i] = (sc->ids[i] == state->direct_id);
			attr_heuristic_weights(m, kept, sc->direct, sc->age, sc->w);
			for (i = 0; i < kept; i++)
			{
				AttrChannel *ch = &chans[sc->ids[i]];
				double		w = sc->w[i];

				if (w == 0.0)
					continue;
				socroi_sum_add(&ch->conversions, conv * w);
				socroi_sum_add(&ch->value, row->value * w);
			}
			break;
		case ATTR_MARKOV:
			/* transition weights; credits are solved in the final function */
			if (conv + row->non_conversions > 0.0)
				state = attr_markov_add_path(state, sc->ids, kept, conv,
											 row->non_conversions, row->value);
			chans = ATTR_STATE_CHANNELS(state);
			break;
		case ATTR_SHAPLEY:
		case ATTR_FRACTRIBUTION:
			{
				const AttrRecordModel *rm = m->kind == ATTR_SHAPLEY ?
					&attr_shapley : &attr_fractribution;

				state = rm->add_path(state, sc->ids, kept, conv,
									 row->non_conversions, row->value);
				chans = ATTR_STATE_CHANNELS(state);
			}
			break;
	}
	socroi_sum_add(&state->conversions, conv);
	socroi_sum_add(&state->value, row->value);
	check_totals(state);

	/*
	 * Roles, counted in conversions: first touch (primary source), last
	 * touch (conversion point), touched once per distinct channel, assist
	 * for every distinct channel other than the last touch's.  row_stamp
	 * marks the channels already counted for this row.
	 */
	if (conv > 0.0)
	{
		uint32		stamp = ++state->row_stamp;

		if (stamp == 0)
		{
			for (i = 0; i < state->nchannels; i++)
				chans[i].row_stamp = 0;
			stamp = state->row_stamp = 1;
		}
		last = sc->ids[kept - 1];
		socroi_sum_add(&chans[sc->ids[0]].first_touches, conv);
		socroi_sum_add(&chans[last].last_touches, conv);
		for (i = 0; i < kept; i++)
		{
			AttrChannel *ch = &chans[sc->ids[i]];

			if (ch->row_stamp == stamp)
				continue;
			ch->row_stamp = stamp;
			socroi_sum_add(&ch->touched, conv);
			if (sc->ids[i] != last)
				socroi_sum_add(&ch->assists, conv);
		}
	}
	return state;
}

static void
read_amounts(FunctionCallInfo fcinfo, AttrRow *row, int conv_arg,
			 int value_arg, int nonconv_arg)
{
	row->conversions = conv_arg >= 0 ? PG_GETARG_FLOAT8(conv_arg) : 1.0;
	row->value = PG_GETARG_FLOAT8(value_arg);
	row->non_conversions = nonconv_arg >= 0 ? PG_GETARG_FLOAT8(nonconv_arg) : 0.0;
	if (conv_arg >= 0)
		socroi_check_nonnegative(row->conversions, "conversions");
	socroi_check_nonnegative(row->value, "value");
	if (nonconv_arg >= 0)
		socroi_check_nonnegative(row->non_conversions, "non_conversions");
}

/*
 * Start a transition call whose row arguments are 1 .. last_arg, path first:
 * false when one of them is NULL (the row is skipped, like sum() skips NULL),
 * else the path read and checked into *row.
 */
static bool
row_begin(FunctionCallInfo fcinfo, int last_arg, AttrRow *row)
{
	if (socroi_any_arg_null(fcinfo, 1, last_arg))
		return false;
	memset(row, 0, sizeof(AttrRow));
	row->path = PG_GETARG_ARRAYTYPE_P(1);
	row->n = check_path(row->path);
	return true;
}

/* one row to add to the state, by held_state_run() */
typedef struct AttrStep
{
	FunctionCallInfo fcinfo;
	AttrState  *state;
	AttrModel  *model;
	const AttrRow *row;
} AttrStep;

static void
accumulate_step(void *arg)
{
	AttrStep   *step = (AttrStep *) arg;

	step->state = accumulate_row(step->fcinfo, step->state, step->model, step->row);
}

/*
 * The result of a transition call: the state with the row added (row NULL:
 * skipped), in its holder within an aggregate.
 */
static Datum
transition_result(FunctionCallInfo fcinfo, HeldState *held, AttrState *state,
				  AttrModel *model, const AttrRow *row)
{
	AttrStep	step = {fcinfo, state, model, row};

	if (row != NULL)
		held_state_run(held, accumulate_step, &step);
	return held_state_result(fcinfo, held, (struct varlena *) step.state);
}

/*
 * attribution_accum(state, path, conversions, value, model) and, with
 * non_conversions in argument 4, attribution_accum(state, path, conversions,
 * value, non_conversions, model)
 */
static Datum
accum_amounts(FunctionCallInfo fcinfo, bool with_non_conversions)
{
	int			model_arg = with_non_conversions ? 5 : 4;
	HeldState  *held;
	AttrState  *state = transition_state(fcinfo, &held);
	AttrRow		row;

	if (!row_begin(fcinfo, model_arg, &row))
		return transition_result(fcinfo, held, state, NULL, NULL);
	read_amounts(fcinfo, &row, 2, 3, with_non_conversions ? 4 : -1);
	return transition_result(fcinfo, held, state,
							 PG_GETARG_ATTR_MODEL_P(model_arg), &row);
}

SOCROI_VARIANT(socroi_attribution_accum, accum_amounts(fcinfo, false))
SOCROI_VARIANT(socroi_attribution_accum_nonconv, accum_amounts(fcinfo, true))

/* attribution_accum(state, path, touch_times, conversion_time, value, model) */
Datum
socroi_attribution_accum_times(PG_FUNCTION_ARGS)
{
	HeldState  *held;
	AttrState  *state = transition_state(fcinfo, &held);
	AttrRow		row;
	int			ntimes;

	if (!row_begin(fcinfo, 5, &row))
		return transition_result(fcinfo, held, state, NULL, NULL);
	row.times = socroi_timestamptz_array(PG_GETARG_ARRAYTYPE_P(2), "touch_times",
										 &ntimes);
	socroi_array_check_same_length(row.n, "path", ntimes, "touch_times");
	row.conversion_time = PG_GETARG_TIMESTAMPTZ(3);
	socroi_check_finite_timestamp(row.conversion_time, "conversion_time");
	read_amounts(fcinfo, &row, -1, 4, -1);
	return transition_result(fcinfo, held, state, PG_GETARG_ATTR_MODEL_P(5), &row);
}

/* ---------- markov_transitions(): the transition functions ---------- */

/*
 * markov_transitions keeps an attribution_state of the model markov(order=k)
 * (so it merges, ships and validates exactly like attribution()); its final
 * function lists the transitions instead of solving the chain.
 */
static Datum
markov_transitions_step(FunctionCallInfo fcinfo, int last_arg, bool auto_order)
{
	HeldState  *held;
	AttrState  *state = transition_state(fcinfo, &held);
	union
	{
		AttrModel	model;
		char		bytes[ATTR_MODEL_SIZE(0)];
	}			m;
	AttrRow		row;
	int			order;

	if (!row_begin(fcinfo, last_arg, &row))
		return transition_result(fcinfo, held, state, NULL, NULL);
	order = (last_arg == 4) ? PG_GETARG_INT32(4) :
		auto_order ? ATTR_MAX_ORDER : ATTR_DEFAULT_ORDER;
	if (order < 1 || order > ATTR_MAX_ORDER)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("markov_transitions order must be between 1 and %d, got %d",
						ATTR_MAX_ORDER, order)));
	memset(&m, 0, sizeof(m));
	SET_VARSIZE(&m.model, ATTR_MODEL_SIZE(0));
	m.model.kind = ATTR_MARKOV;
	m.model.markov_order = order;
	if (auto_order)
		m.model.flags = ATTR_MODEL_MARKOV_AUTO;
	if (state != NULL && ATTR_STATE_MODEL(state)->kind == ATTR_MARKOV &&
		ATTR_STATE_MODEL(state)->markov_order != order)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("markov_transitions order must be the same on every row of a group, got %d and %d",
						ATTR_STATE_MODEL(state)->markov_order, order),
				 errhint("Group by the order, or compute each order in its own markov_transitions() call.")));

	row.conversions = PG_GETARG_FLOAT8(2);
	row.non_conversions = PG_GETARG_FLOAT8(3);
	socroi_check_nonnegative(row.conversions, "conversions");
	socroi_check_nonnegative(row.non_conversions, "non_conversions");
	return transition_result(fcinfo, held, state, &m.model, &row);
}

/* markov_transitions_accum(state, path, conversions, non_conversions) */
Datum
socroi_markov_transitions_accum(PG_FUNCTION_ARGS)
{
	return markov_transitions_step(fcinfo, 3, false);
}

/*
 * markov_order_selection_accum(state, path, conversions, non_conversions):
 * the records of markov(order=auto); markov_order.c has the final function
 */
Datum
socroi_markov_order_selection_accum(PG_FUNCTION_ARGS)
{
	return markov_transitions_step(fcinfo, 3, true);
}

/* markov_transitions_accum(state, path, conversions, non_conversions, order) */
Datum
socroi_markov_transitions_accum_order(PG_FUNCTION_ARGS)
{
	return markov_transitions_step(fcinfo, 4, false);
}

/* b merged into a, by held_state_run() */
typedef struct AttrMerge
{
	AttrState  *a;
	const AttrState *b;
} AttrMerge;

static void
merge_step(void *arg)
{
	AttrMerge  *merge = (AttrMerge *) arg;
	int32	   *map;

	map = attr_state_merge_dictionary(&merge->a, merge->b);
	check_totals(merge->a);
	/* model-specific records, channel ids remapped */
	if (attr_records_nsums(ATTR_STATE_MODEL(merge->a)) == 0)
	{
		if (ATTR_STATE_RECORDS_USED(merge->a) != 0 || ATTR_STATE_RECORDS_USED(merge->b) != 0)
			elog(ERROR, "unexpected records in an attribution state of model %s",
				 attr_kind_name(ATTR_STATE_MODEL(merge->a)->kind));
	}
	else
		attr_records_merge(&merge->a, merge->b, map);
	pfree(map);
}

/*
 * attribution_combine(a, b): merge b into a (strict): in an aggregate into
 * its own state (held_state.h), else into a copy of a
 */
Datum
socroi_attribution_combine(PG_FUNCTION_ARGS)
{
	Datum		a_datum = PG_GETARG_DATUM(0);
	HeldState  *held = held_state_get(fcinfo);
	AttrMerge	merge;

	merge.b = DatumGetAttrStateP(PG_GETARG_DATUM(1));
	attr_state_check_header(merge.b);
	if (held != NULL)
		merge.a = (AttrState *) held_state_flat(held);
	else
	{
		merge.a = (AttrState *) PG_DETOAST_DATUM(a_datum);
		attr_state_check_header(merge.a);
		if ((Pointer) merge.a == DatumGetPointer(a_datum) && !socroi_in_aggregate(fcinfo))
			merge.a = attr_state_copy(merge.a);
	}
	attr_state_check_same_model(ATTR_STATE_MODEL(merge.a), ATTR_STATE_MODEL(merge.b));
	held_state_run(held, merge_step, &merge);
	return held_state_result(fcinfo, held, (struct varlena *) merge.a);
}

