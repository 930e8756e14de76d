/*
 * attribution_final.c
 *		The final functions of the attribution() aggregates (channel_credit[],
 *		sorted by value, then channel) and of markov_transitions()
 *		(markov_transition[]), both over an attribution_state.
 *
 * Heuristic credits are already summed per channel in the state; markov and
 * shapley credits are computed here from the state's records
 * (markov_credits.c, attribution_shapley.c).
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "attribution/attribution_fractribution.h"
#include "attribution/attribution_shapley.h"
#include "attribution/attribution_state.h"
#include "attribution/markov_chain.h"
#include "attribution/markov_credits.h"
#include "common/common.h"

PG_FUNCTION_INFO_V1(socroi_attribution_final);
PG_FUNCTION_INFO_V1(socroi_markov_transitions_final);

/* ---------- final: channel_credit[] ---------- */

#define CHANNEL_CREDIT_NATTS 9

static const Oid channel_credit_types[CHANNEL_CREDIT_NATTS] = {
	TEXTOID, FLOAT8OID, FLOAT8OID, FLOAT8OID, FLOAT8OID, FLOAT8OID, FLOAT8OID,
	FLOAT8OID, FLOAT8OID
};

/*
 * The value as a sort key, rounded to 40 significant bits: channels whose
 * credits differ only by rounding noise (about 1e-12 relative) tie, and the
 * tie is broken by the name, so serial and parallel plans list them in the
 * same order.
 */
static double
sort_key(double v)
{
	int			e;
	double		m = frexp(v, &e);

	return ldexp(rint(ldexp(m, 40)), e - 40);
}

/*
 * One output row: a channel, or with frequency_suffix=drop every channel
 * that differs only by the "(n)" suffix path_transform(path, 'frequency')
 * adds -- their credits, roles and removal effects added up.
 */
typedef struct OutRow
{
	const char *name;
	int			len;
	double		key;			/* sort_key(value) */
	double		sums[8];		/* conversions, value, touched, first, last, assists, removal */
} OutRow;

#define OUT_CONVERSIONS 0
#define OUT_VALUE		1
#define OUT_ROLES		2		/* 4 role sums from here, in AttrChannel order */
#define OUT_REMOVAL		6

static int
compare_names(const char *a, int alen, const char *b, int blen)
{
	int			c = memcmp(a, b, Min(alen, blen));

	if (c != 0)
		return c;
	return (alen > blen) - (alen < blen);
}

static int
compare_rows(const void *pa, const void *pb)
{
	const OutRow *a = (const OutRow *) pa;
	const OutRow *b = (const OutRow *) pb;

	if (a->key != b->key)
		return a->key > b->key ? -1 : 1;
	return compare_names(a->name, a->len, b->name, b->len);
}

static int
compare_rows_by_name(const void *pa, const void *pb)
{
	const OutRow *a = (const OutRow *) pa;
	const OutRow *b = (const OutRow *) pb;

	return compare_names(a->name, a->len, b->name, b->len);
}

/* the length of a name without a trailing "(digits)" */
static int
strip_frequency_suffix(const char *name, int len)
{
	int			i = len - 1;

	if (len < 3 || name[i] != ')')
		return len;
	for (i--; i >= 0 && name[i] >= '0' && name[i] <= '9'; i--)
		;
	if (i < 0 || i == len - 2 || name[i] != '(')
		return len;
	return i;
}

Datum
socroi_attribution_final(PG_FUNCTION_ARGS)
{
	AttrState  *s = attr_state_arg(fcinfo, 0);
	const AttrModel *model = ATTR_STATE_MODEL(s);
	const SocroiArrayRowType *fc;
	AttrChannel *chans;
	OutRow	   *rows;
	Datum	   *elems;
	double	   *conversions;
	double	   *value;
	double	   *removal = NULL;
	bool		solved = false;
	double		total_conversions;
	int32		n;
	int32		nrows;
	int32		i;
	int			k;

	fc = socroi_result_array_row_type(fcinfo, "channel_credit",
									  CHANNEL_CREDIT_NATTS, channel_credit_types);
	n = s->nchannels;
	if (n == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(fc->elemtype));

	chans = ATTR_STATE_CHANNELS(s);
	conversions = palloc(sizeof(double) * n);
	value = palloc(sizeof(double) * n);
	switch ((AttrModelKind) model->kind)
	{
		case ATTR_MARKOV:
			removal = palloc(sizeof(double) * n);
			attr_markov_credits(s, conversions, value, removal, &solved);
			break;
		case ATTR_SHAPLEY:
			attr_shapley.credits(s, conversions, value);
			break;
		case ATTR_FRACTRIBUTION:
			attr_fractribution.credits(s, conversions, value);
			break;
		default:
			for (i = 0; i < n; i++)
			{
				conversions[i] = socroi_sum_value(&chans[i].conversions);
				value[i] = socroi_sum_value(&chans[i].value);
			}
			break;
	}

	rows = palloc(sizeof(OutRow) * n);
	for (i = 0; i < n; i++)
	{
		OutRow	   *row = &rows[i];

		row->name = ATTR_STATE_ARENA(s) + chans[i].name_off;
		row->len = chans[i].name_len;
		row->sums[OUT_CONVERSIONS] = conversions[i];
		row->sums[OUT_VALUE] = value[i];
		for (k = 0; k < 4; k++)
			row->sums[OUT_ROLES + k] = socroi_sum_value(&attr_channel_sums(&chans[i])[2 + k]);
		row->sums[OUT_REMOVAL] = removal ? removal[i] : 0.0;
	}
	nrows = n;
	if (model->flags & ATTR_MODEL_DROP_FREQUENCY_SUFFIX)
	{
		/* channels equal without their suffix become one row */
		for (i = 0; i < n; i++)
			rows[i].len = strip_frequency_suffix(rows[i].name, rows[i].len);
		qsort(rows, n, sizeof(OutRow), compare_rows_by_name);
		nrows = 0;
		for (i = 0; i < n; i++)
		{
			if (nrows > 0 && compare_rows_by_name(&rows[nrows - 1], &rows[i]) == 0)
			{
				for (k = 0; k < 7; k++)
					rows[nrows - 1].sums[k] += rows[i].sums[k];
				continue;
			}
			rows[nrows++] = rows[i];
		}
	}
	for (i = 0; i < nrows; i++)
		rows[i].key = sort_key(rows[i].sums[OUT_VALUE]);
	qsort(rows, nrows, sizeof(OutRow), compare_rows);

	/* data-driven credits add up to the total, or are all 0 when P = 0 */
	total_conversions = socroi_sum_value(&s->conversions);
	if (model->kind == ATTR_MARKOV && !solved)
		total_conversions = 0.0;
	elems = palloc(sizeof(Datum) * nrows);
	for (i = 0; i < nrows; i++)
	{
		const OutRow *row = &rows[i];
		Datum		values[CHANNEL_CREDIT_NATTS];
		bool		nulls[CHANNEL_CREDIT_NATTS];

		memset(nulls, 0, sizeof(nulls));
		values[0] = PointerGetDatum(cstring_to_text_with_len(row->name, row->len));
		values[1] = Float8GetDatum(row->sums[OUT_CONVERSIONS]);
		values[2] = Float8GetDatum(row->sums[OUT_VALUE]);
		if (total_conversions > 0.0)
			values[3] = Float8GetDatum(row->sums[OUT_CONVERSIONS] / total_conversions);
		else
		{
			values[3] = (Datum) 0;
			nulls[3] = true;
		}
		for (k = 0; k < 4; k++)
			values[4 + k] = Float8GetDatum(row->sums[OUT_ROLES + k]);
		/* removal_effect: markov only, and only when the chain converts */
		if (removal != NULL && solved)
			values[8] = Float8GetDatum(row->sums[OUT_REMOVAL]);
		else
		{
			values[8] = (Datum) 0;
			nulls[8] = true;
		}
		elems[i] = HeapTupleGetDatum(heap_form_tuple(fc->desc, values, nulls));
	}
	return socroi_result_array(fc, elems, nrows);
}

/* ---------- markov_transitions(): markov_transition[] ---------- */

#define MARKOV_TRANSITION_NATTS 4


static const Oid markov_transition_types[MARKOV_TRANSITION_NATTS] = {
	TEXTOID, TEXTOID, FLOAT8OID, FLOAT8OID
};

static Datum
transition_row(const SocroiArrayRowType *tc, const char *from, const char *to,
			   double w, double total)
{
	Datum		values[MARKOV_TRANSITION_NATTS];
	bool		nulls[MARKOV_TRANSITION_NATTS] = {false, false, false, false};

	values[0] = CStringGetTextDatum(from);
	values[1] = CStringGetTextDatum(to);
	values[2] = Float8GetDatum(w);
	if (total > 0.0)
		values[3] = Float8GetDatum(w / total);
	else
	{
		values[3] = (Datum) 0;
		nulls[3] = true;
	}
	return HeapTupleGetDatum(heap_form_tuple(tc->desc, values, nulls));
}

/*
 * markov_transitions_final(attribution_state) -> markov_transition[]: every
 * observed transition with its weight and its probability (weight / all
 * weight leaving the from-state, self-loops included).  Order: from-states
 * (start) first, then channel tuples by length, then channel by channel by
 * name (byte order); for each, the to-state tuples in the same order, then
 * (conversion), then (null).
 */
Datum
socroi_markov_transitions_final(PG_FUNCTION_ARGS)
{
	AttrState  *s = attr_state_arg(fcinfo, 0);
	const AttrModel *model = ATTR_STATE_MODEL(s);
	const SocroiArrayRowType *tc;
	MarkovChain mc;
	Datum	   *elems;
	int32		nelems = 0;
	int32		e = 0;
	int32		i;
	StringInfoData from;
	StringInfoData to;

	tc = socroi_result_array_row_type(fcinfo, "markov_transition",
									  MARKOV_TRANSITION_NATTS, markov_transition_types);
	if (model->kind != ATTR_MARKOV)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("markov_transitions needs the state of a markov model, got %s",
						attr_model_canonical(model))));
	markov_chain_build(s, ATTR_STATE_MODEL(s)->markov_order, &mc);
	elems = palloc(sizeof(Datum) * (mc.nedges + 2 * mc.nnodes + 1));
	initStringInfo(&from);
	initStringInfo(&to);
	for (i = 0; i < mc.nnodes; i++)
	{
		double		total = mc.conv[i] + mc.null[i];
		int32		first = e;
		int32		k;

		/* all weight leaving the state, in the canonical order */
		for (k = first; k < mc.nedges && mc.edges[k].from == i; k++)
			total += mc.edges[k].w;
		if (!isfinite(total))
			attr_overflow_error();
		resetStringInfo(&from);
		markov_chain_state_name(&from, s, &mc.nodes[i]);
		for (; e < mc.nedges && mc.edges[e].from == i; e++)
		{
			if (!(mc.edges[e].w > 0.0))
				continue;
			resetStringInfo(&to);
			markov_chain_state_name(&to, s, &mc.nodes[mc.edges[e].to]);
			elems[nelems++] = transition_row(tc, from.data, to.data,
											 mc.edges[e].w, total);
		}
		if (mc.conv[i] > 0.0)
			elems[nelems++] = transition_row(tc, from.data, "(conversion)",
											 mc.conv[i], total);
		if (mc.null[i] > 0.0)
			elems[nelems++] = transition_row(tc, from.data, "(null)",
											 mc.null[i], total);
	}
	return socroi_result_array(tc, elems, nelems);
}