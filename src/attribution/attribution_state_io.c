/*
 * attribution_state_io.c
 *		The text and binary forms of attribution_state, with full validation
 *		(attribution_state_in/out/recv/send).
 *
 * Text form (state_io.h grammar):
 *   attribution_state:1 "<model>" <conversions sum comp> <value sum comp>
 *       <nchannels> { | "<channel>" <12 floats: 6 sums with compensations> }
 *       { <model-specific records> }
 * The records section is empty ("{ }") for the heuristic models; for markov
 * and shapley it is
 *       { <nrecords> { | <key length> <key ints> <sums with compensations> } }
 * with the keys of attribution_state.h (markov: from-state channel ids, then
 * the next channel id or -1 = (conversion), -2 = (null); shapley: the
 * ascending channel ids of a channel set) and 1 (markov) or 3 (shapley)
 * sums.  The sums are written with their Neumaier compensations, so a state
 * read back is bit-identical in every counter.  The hash tables and the
 * scratch fields are never written; a state that is read is rebuilt channel
 * by channel and record by record through the same insertion code the
 * aggregate uses (attribution_state.c), so a crafted text cannot produce an
 * inconsistent dictionary or index.
 */
#include "postgres.h"

#include <math.h>

#include "libpq/pqformat.h"

#include "attribution/attribution_state.h"
#include "common/common.h"
#include "common/state_io.h"

#define MIN_CHANNEL_BYTES	24	/* a channel takes at least this in either form */
#define MIN_RECORD_BYTES	10	/* a record: text " | 1 0 0 0"; binary 33 bytes */

/* the longest key a model's records may have */
static int
records_max_key(const AttrModel *m)
{
	if (m->kind == ATTR_FRACTRIBUTION)
		return ATTR_FRACTRIBUTION_MAX_TOUCHES;
	return (m->kind == ATTR_MARKOV) ? m->markov_order + 1 : ATTR_SHAPLEY_MAX_CHANNELS;
}

/* ---------- text and binary forms ---------- */

static void
write_sum(StateWriter *w, const SocroiSum *s)
{
	state_write_float8(w, s->sum);
	state_write_float8(w, s->comp);
}

static void
write_records(StateWriter *w, const AttrState *s)
{
	const AttrRecords *r = attr_state_records(s);
	uint32		n = r ? r->nrecords : 0;
	uint32		i;
	uint32		k;

	state_write_int64(w, n);
	for (i = 0; i < n; i++)
	{
		const AttrRecord *rec = attr_record(r, i);
		const SocroiSum *sums = attr_record_sums(r, rec);

		state_write_mark(w, '|');
		state_write_int64(w, rec->key_len);
		for (k = 0; k < rec->key_len; k++)
			state_write_int64(w, rec->key[k]);
		for (k = 0; k < r->nsums; k++)
			write_sum(w, &sums[k]);
	}
}

static void
write_state(StateWriter *w, const AttrState *s)
{
	const AttrChannel *chans = ATTR_STATE_CHANNELS(s);
	char	   *model = attr_model_canonical(ATTR_STATE_MODEL(s));
	int32		i;
	int			k;

	state_write_string(w, model, strlen(model));
	write_sum(w, &s->conversions);
	write_sum(w, &s->value);
	state_write_int64(w, s->nchannels);
	for (i = 0; i < s->nchannels; i++)
	{
		state_write_mark(w, '|');
		state_write_string(w, ATTR_STATE_ARENA(s) + chans[i].name_off,
						   chans[i].name_len);
		for (k = 0; k < ATTR_CHANNEL_SUMS; k++)
			write_sum(w, &attr_channel_sums_const(&chans[i])[k]);
	}
	/* model-specific records: none for the heuristic models */
	state_write_mark(w, '{');
	if (attr_records_nsums(ATTR_STATE_MODEL(s)) > 0)
		write_records(w, s);
	state_write_mark(w, '}');
}

/*
 * A non-negative compensated sum: sum finite and >= 0, |comp| <= sum (a
 * Neumaier compensation of non-negative terms stays far below the sum).
 */
static void
read_sum(StateReader *r, const char *field, SocroiSum *s)
{
	s->sum = state_read_float8_nonneg(r, field);
	s->comp = state_read_float8_finite(r, field);
	if (fabs(s->comp) > s->sum)
		state_invalid(r, "compensation of \"%s\" exceeds its sum", field);
	if (!isfinite(s->sum + s->comp))
		state_invalid(r, "\"%s\" is out of range", field);
}

static const char *const channel_sum_names[ATTR_CHANNEL_SUMS] = {
	"conversions", "value", "touched", "first_touches", "last_touches", "assists"
};

static const char *const markov_sum_names[] = {"transitions", "value"};

static const char *const record_sum_names[] = {
	"conversions", "non_conversions", "value"
};

/*
 * The records of a data-driven model, validated: key lengths and ids in
 * range, markov keys (from-state ids, then the next channel or symbol; the
 * empty (start) state leads to channels only), shapley sets strictly
 * ascending, no duplicate keys, finite non-negative sums, the sets'
 * conversions and value within the totals.
 */
static void
read_records(StateReader *r, AttrState **sp, double max_conversions,
			 double max_value)
{
	const AttrModel *m = ATTR_STATE_MODEL(*sp);
	int			kind = m->kind;
	int			nsums = attr_records_nsums(m);
	int			min_symbol = (m->flags & ATTR_MODEL_MARKOV_AUTO) ?
		ATTR_SYM_NULL_FOLD(ATTR_MARKOV_FOLDS - 1) : ATTR_SYM_NULL;
	int			max_len = records_max_key(m);
	int32		nchannels = (*sp)->nchannels;
	int			n = state_read_count(r, "records", ATTR_MAX_RECORDS, MIN_RECORD_BYTES);
	double		set_conversions = 0.0;
	double		set_value = 0.0;
	int			i;

	for (i = 0; i < n; i++)
	{
		int32		key[ATTR_RECORD_MAX_KEY];
		SocroiSum		sums[3];
		SocroiSum    *dst;
		bool		found;
		int			len;
		int			k;

		state_read_mark(r, '|');
		len = state_read_int_range(r, "key length", 1, max_len);
		for (k = 0; k < len; k++)
		{
			if (kind == ATTR_MARKOV && k == len - 1)
				key[k] = state_read_int_range(r, "next state",
											  len == 1 ? 0 : min_symbol,
											  nchannels - 1);
			else
				key[k] = state_read_int_range(r, "channel id", 0, nchannels - 1);
			if (kind == ATTR_SHAPLEY && k > 0 && key[k] <= key[k - 1])
				state_invalid(r, "channel set is not strictly ascending");
		}
		for (k = 0; k < nsums; k++)
			read_sum(r, kind == ATTR_MARKOV ? markov_sum_names[k] : record_sum_names[k],
						  &sums[k]);
		if (kind == ATTR_MARKOV && nsums > 1 &&
			(socroi_sum_value(&sums[1]) > max_value ||
			 (socroi_sum_value(&sums[1]) != 0.0 && !ATTR_SYM_IS_CONVERSION(key[len - 1]))))
			state_invalid(r, "a markov record's value exceeds the total or is not on a conversion");
		if (kind != ATTR_MARKOV &&
			(socroi_sum_value(&sums[0]) > max_conversions ||
			 socroi_sum_value(&sums[2]) > max_value))
			state_invalid(r, "a channel set's conversions or value exceed the total");
		if (kind != ATTR_MARKOV)
		{
			set_conversions += socroi_sum_value(&sums[0]);
			set_value += socroi_sum_value(&sums[2]);
		}
		dst = attr_records_upsert(sp, key, len, attr_records_hash(key, len), &found);
		if (found)
			state_invalid(r, "duplicate record");
		memcpy(dst, sums, sizeof(SocroiSum) * nsums);
	}
	/* the sets split the totals (beyond rounding of the two summations) */
	if (set_conversions > max_conversions ||
		set_value > max_value)
		state_invalid(r, "the channel sets' conversions or value exceed the totals");
}

static AttrState *
read_state(StateReader *r)
{
	char	   *model_text;
	int			model_len;
	const char *error;
	const char *hint;
	AttrModel  *model;
	AttrState  *s;
	SocroiSum		conversions;
	SocroiSum		value;
	double		max_conversions;
	double		max_value;
	int			n;
	int			i;
	int			k;

	model_text = state_read_string(r, "model", &model_len);
	model = attr_model_parse(model_text, &error, &hint);
	if (model == NULL)
		state_invalid(r, "bad model: %s", error);
	read_sum(r, "conversions", &conversions);
	read_sum(r, "value", &value);
	n = state_read_count(r, "channels", ATTR_MAX_CHANNELS, MIN_CHANNEL_BYTES);
	/* rounding slack far above the compensated sums' error */
	max_conversions = socroi_sum_value(&conversions) * (1 + 1e-9);
	max_value = socroi_sum_value(&value) * (1 + 1e-9);

	s = attr_state_create(model);
	s->conversions = conversions;
	s->value = value;
	for (i = 0; i < n; i++)
	{
		char	   *name;
		int			len;
		int32		id;
		AttrChannel *ch;

		state_read_mark(r, '|');
		name = state_read_string(r, "channel", &len);
		id = attr_state_channel_id(&s, name, len);
		if (s->nchannels != i + 1)
			state_invalid(r, "duplicate channel \"%s\"", name);
		ch = &ATTR_STATE_CHANNELS(s)[id];
		for (k = 0; k < ATTR_CHANNEL_SUMS; k++)
		{
			SocroiSum    *sum = &attr_channel_sums(ch)[k];

			read_sum(r, channel_sum_names[k], sum);
			/* a channel's value is part of the total value, the rest of the conversions */
			if (socroi_sum_value(sum) > (k == 1 ? max_value : max_conversions))
				state_invalid(r, "\"%s\" of channel \"%s\" exceeds the total",
							  channel_sum_names[k], name);
			/* data-driven credits are computed by the final function */
			if (k < 2 && !ATTR_KIND_IS_HEURISTIC(model->kind) && sum->sum != 0.0)
				state_invalid(r, "\"%s\" of channel \"%s\" must be 0 under model %s",
							  channel_sum_names[k], name, attr_kind_name(model->kind));
		}
		pfree(name);
	}
	state_read_mark(r, '{');
	if (attr_records_nsums(model) > 0)
		read_records(r, &s, max_conversions, max_value);
	state_read_mark(r, '}');
	state_read_end(r);
	return s;
}

/* attribution_state_in/out/recv/send */
SOCROI_STATE_IO_FUNCTIONS(attribution_state, ATTR_STATE_TAG, ATTR_STATE_TAG,
						  ATTR_STATE_VERSION,
						  write_state(w, DatumGetAttrStateP(PG_GETARG_DATUM(0))),
						  read_state(r));
