/*
 * attribution_state.c
 *		The flat aggregate state of attribution() (layout in attribution.h):
 *		creation, re-layout when the channel dictionary grows, the channel
 *		dictionary itself, merging, and the text and binary forms with full
 *		validation.
 *
 * Text form (state_io.h grammar):
 *   attribution_state:1 "<model>" <conversions sum comp> <value sum comp>
 *       <nchannels> { | "<channel>" <12 floats: 6 sums with compensations> }
 *       { <model-specific records> }
 * The sums are written with their Neumaier compensations, so a state read
 * back is bit-identical in every counter.  The hash table and the scratch
 * fields are never written; a state that is read is rebuilt channel by
 * channel through the same insertion code the aggregate uses, so a crafted
 * text cannot produce an inconsistent dictionary.
 */
#include "postgres.h"

#include <math.h>

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "utils/memutils.h"

#include "attribution.h"
#include "socroi.h"
#include "state_io.h"

PG_FUNCTION_INFO_V1(socroi_attribution_state_in);
PG_FUNCTION_INFO_V1(socroi_attribution_state_out);
PG_FUNCTION_INFO_V1(socroi_attribution_state_recv);
PG_FUNCTION_INFO_V1(socroi_attribution_state_send);

#define INITIAL_CHANNELS	16
#define INITIAL_ARENA		256
#define MIN_CHANNEL_BYTES	24	/* a channel takes at least this in either form */

/* ---------- layout ---------- */

typedef struct AttrLayout
{
	Size		model_off;
	Size		channels_off;
	Size		hash_off;
	Size		arena_off;
	Size		records_off;
} AttrLayout;

static void
compute_layout(AttrLayout *l, Size model_len, Size channel_cap, Size arena_cap)
{
	l->model_off = MAXALIGN(sizeof(AttrState));
	l->channels_off = l->model_off + MAXALIGN(model_len);
	l->hash_off = l->channels_off + MAXALIGN(sizeof(AttrChannel) * channel_cap);
	l->arena_off = l->hash_off + MAXALIGN(sizeof(int32) * 2 * channel_cap);
	l->records_off = l->arena_off + MAXALIGN(arena_cap);
}

static void
too_large(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("attribution state would exceed %zu bytes", (Size) MaxAllocSize),
			 errhint("Aggregate fewer distinct channels per group, or shorten the channel names.")));
}

/* insert channel id into the hash table (the name is known to be absent) */
static void
hash_insert(AttrState *s, int32 id)
{
	int32	   *hash = ATTR_STATE_HASH(s);
	uint32		i = ATTR_STATE_CHANNELS(s)[id].hash & s->hash_mask;

	while (hash[i] != 0)
		i = (i + 1) & s->hash_mask;
	hash[i] = id + 1;
}

/*
 * A new state with the given capacities holding the content of old (or
 * empty, for model), in the current memory context.
 */
static AttrState *
layout_state(const AttrState *old, const AttrModel *model, Size channel_cap,
			 Size arena_cap, Size records_cap)
{
	Size		model_len = old ? old->model_len : VARSIZE(model);
	Size		records_used = old ? ATTR_STATE_RECORDS_USED(old) : 0;
	AttrLayout	l;
	Size		total;
	AttrState  *s;
	int32		i;

	if (channel_cap > ATTR_MAX_CHANNELS * (Size) 2 || arena_cap >= MaxAllocSize ||
		records_cap >= MaxAllocSize)
		too_large();
	compute_layout(&l, model_len, channel_cap, arena_cap);
	total = l.records_off + MAXALIGN(Max(records_cap, records_used));
	if (total > MaxAllocSize)
		too_large();

	s = (AttrState *) palloc0(total);
	SET_VARSIZE(s, total);
	if (old)
		memcpy((char *) s + sizeof(int32), (const char *) old + sizeof(int32),
			   sizeof(AttrState) - sizeof(int32));
	else
	{
		s->magic = ATTR_STATE_MAGIC;
		s->version = ATTR_STATE_VERSION;
		s->model_len = model_len;
		s->direct_id = -1;
	}
	s->model_off = l.model_off;
	s->channels_off = l.channels_off;
	s->hash_off = l.hash_off;
	s->arena_off = l.arena_off;
	s->records_off = l.records_off;
	s->channel_cap = channel_cap;
	s->hash_mask = 2 * channel_cap - 1;
	s->arena_cap = arena_cap;
	s->used = l.records_off + records_used;

	if (old == NULL)
	{
		memcpy(ATTR_STATE_MODEL(s), model, model_len);
		return s;
	}
	memcpy(ATTR_STATE_MODEL(s), ATTR_STATE_MODEL(old), model_len);
	memcpy(ATTR_STATE_CHANNELS(s), ATTR_STATE_CHANNELS(old),
		   sizeof(AttrChannel) * old->nchannels);
	memcpy(ATTR_STATE_ARENA(s), ATTR_STATE_ARENA(old), old->arena_used);
	if (records_used > 0)
		memcpy(ATTR_STATE_RECORDS(s), ATTR_STATE_RECORDS(old), records_used);
	for (i = 0; i < s->nchannels; i++)
		hash_insert(s, i);
	return s;
}

AttrState *
attr_state_create(const AttrModel *model)
{
	return layout_state(NULL, model, INITIAL_CHANNELS, INITIAL_ARENA, 0);
}

void
attr_state_check_header(const AttrState *state)
{
	if (VARSIZE(state) < sizeof(AttrState) || state->magic != ATTR_STATE_MAGIC ||
		state->version != ATTR_STATE_VERSION || state->used > VARSIZE(state))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("attribution_state value is not a state of this version of socroi"),
				 errhint("Recompute the state with attribution() of the installed version.")));
}

AttrState *
attr_state_copy(const AttrState *state)
{
	AttrState  *copy = (AttrState *) palloc(VARSIZE(state));

	memcpy(copy, state, VARSIZE(state));
	return copy;
}

AttrState *
attr_state_reserve_records(AttrState *state, Size extra)
{
	if (extra >= MaxAllocSize - state->used)
		too_large();
	return (AttrState *) state_reserve((struct varlena *) state, state->used,
									   state->used + extra);
}

/* ---------- channel dictionary ---------- */

/*
 * A cheap key for the quick cache: length and three bytes, spread by a
 * multiplicative hash (Knuth, TAOCP vol. 3, 6.4); the top bits pick a slot.
 * A hit is always verified against the stored name.
 */
static inline uint32
quick_slot(const char *p, int len)
{
	uint32		k = (uint32) len;

	if (len > 0)
	{
		k = k * 31 + (unsigned char) p[0];
		k = k * 31 + (unsigned char) p[len >> 1];
		k = k * 31 + (unsigned char) p[len - 1];
	}
	return (k * 0x9E3779B1u) >> (32 - 8);
}

StaticAssertDecl(ATTR_QUICK_SLOTS == 256, "quick_slot() yields 8 bits");

static inline bool
channel_is(const AttrState *s, const AttrChannel *ch, const char *name, int len)
{
	return ch->name_len == (uint32) len &&
		memcmp(ATTR_STATE_ARENA(s) + ch->name_off, name, len) == 0;
}

int32
attr_state_find_channel(const AttrState *s, const char *name, int len)
{
	const int32 *hash = ATTR_STATE_HASH(s);
	const AttrChannel *chans = ATTR_STATE_CHANNELS(s);
	uint32		h = hash_bytes((const unsigned char *) name, len);
	uint32		i = h & s->hash_mask;

	while (hash[i] != 0)
	{
		const AttrChannel *ch = &chans[hash[i] - 1];

		if (ch->hash == h && channel_is(s, ch, name, len))
			return hash[i] - 1;
		i = (i + 1) & s->hash_mask;
	}
	return -1;
}

int32
attr_state_channel_id(AttrState **statep, const char *name, int len)
{
	AttrState  *s = *statep;
	uint32		q = quick_slot(name, len);
	int32		id = s->quick[q] - 1;
	uint32		h;
	AttrChannel *ch;
	const AttrModel *model;

	if (id >= 0 && channel_is(s, &ATTR_STATE_CHANNELS(s)[id], name, len))
		return id;

	h = hash_bytes((const unsigned char *) name, len);
	{
		const int32 *hash = ATTR_STATE_HASH(s);
		uint32		i = h & s->hash_mask;

		while (hash[i] != 0)
		{
			ch = &ATTR_STATE_CHANNELS(s)[hash[i] - 1];
			if (ch->hash == h && channel_is(s, ch, name, len))
			{
				s->quick[q] = hash[i];
				return hash[i] - 1;
			}
			i = (i + 1) & s->hash_mask;
		}
	}

	/* a new channel */
	if (s->nchannels >= ATTR_MAX_CHANNELS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("attribution over more than %d distinct channels in one group",
						ATTR_MAX_CHANNELS)));
	if ((Size) len >= MaxAllocSize - s->arena_used)
		too_large();
	if (s->nchannels >= s->channel_cap ||
		s->arena_used + (Size) len > s->arena_cap)
	{
		Size		cap = s->channel_cap;
		Size		arena = s->arena_cap;

		if (s->nchannels >= s->channel_cap)
			cap *= 2;
		while (s->arena_used + (Size) len > arena)
			arena *= 2;
		s = layout_state(s, NULL, cap, arena, ATTR_STATE_RECORDS_USED(s));
		*statep = s;
	}
	id = s->nchannels++;
	ch = &ATTR_STATE_CHANNELS(s)[id];
	memset(ch, 0, sizeof(AttrChannel));
	ch->name_off = s->arena_used;
	ch->name_len = len;
	ch->hash = h;
	memcpy(ATTR_STATE_ARENA(s) + s->arena_used, name, len);
	s->arena_used += len;
	hash_insert(s, id);
	s->quick[q] = id + 1;

	model = ATTR_STATE_MODEL(s);
	if (model->kind == ATTR_LAST_NON_DIRECT && model->direct_len == len &&
		memcmp(model->direct, name, len) == 0)
		s->direct_id = id;
	return id;
}

int32 *
attr_state_merge_dictionary(AttrState **dstp, const AttrState *src)
{
	int32	   *map = palloc(sizeof(int32) * Max(src->nchannels, 1));
	const AttrChannel *src_chans = ATTR_STATE_CHANNELS(src);
	int32		i;
	int			k;

	for (i = 0; i < src->nchannels; i++)
	{
		const AttrChannel *from = &src_chans[i];
		int32		id = attr_state_channel_id(dstp,
											   ATTR_STATE_ARENA(src) + from->name_off,
											   from->name_len);
		AttrChannel *into = &ATTR_STATE_CHANNELS(*dstp)[id];

		for (k = 0; k < ATTR_CHANNEL_SUMS; k++)
			attr_sum_merge(&attr_channel_sums(into)[k],
						   &attr_channel_sums_const(from)[k]);
		map[i] = id;
	}
	attr_sum_merge(&(*dstp)->conversions, &src->conversions);
	attr_sum_merge(&(*dstp)->value, &src->value);
	return map;
}

void
attr_state_check_same_model(const AttrModel *a, const AttrModel *b)
{
	if (VARSIZE(a) != VARSIZE(b) || memcmp(a, b, VARSIZE(a)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attribution model must be the same on every row of a group, got %s and %s",
						attr_model_canonical(a), attr_model_canonical(b)),
				 errhint("Group by the model, or compute each model in its own attribution() call.")));
}

/* ---------- text and binary forms ---------- */

static void
write_sum(StateWriter *w, const AttrSum *s)
{
	state_write_float8(w, s->sum);
	state_write_float8(w, s->comp);
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
	state_write_mark(w, '}');
}

/*
 * A non-negative compensated sum: sum finite and >= 0, |comp| <= sum (a
 * Neumaier compensation of non-negative terms stays far below the sum).
 */
static void
read_sum(StateReader *r, const char *field, AttrSum *s)
{
	s->sum = state_read_float8_nonneg(r, field);
	s->comp = state_read_float8_finite(r, field);
	if (fabs(s->comp) > s->sum)
		state_invalid(r, "compensation of \"%s\" exceeds its sum", field);
}

static const char *const channel_sum_names[ATTR_CHANNEL_SUMS] = {
	"conversions", "value", "touched", "first_touches", "last_touches", "assists"
};

static AttrState *
read_state(StateReader *r, int version)
{
	char	   *model_text;
	int			model_len;
	const char *error;
	const char *hint;
	AttrModel  *model;
	AttrState  *s;
	AttrSum		conversions;
	AttrSum		value;
	double		max_conversions;
	double		max_value;
	int			n;
	int			i;
	int			k;

	if (version != ATTR_STATE_VERSION)
		state_invalid(r, "unsupported version %d", version);
	model_text = state_read_string(r, "model", &model_len);
	model = attr_model_parse(model_text, &error, &hint);
	if (model == NULL)
		state_invalid(r, "bad model: %s", error);
	if (!ATTR_KIND_IS_HEURISTIC(model->kind))
		state_invalid(r, "records of model %s are not supported by this version",
					  attr_kind_name(model->kind));
	read_sum(r, "conversions", &conversions);
	read_sum(r, "value", &value);
	n = state_read_count(r, "channels", ATTR_MAX_CHANNELS, MIN_CHANNEL_BYTES);
	/* rounding slack far above the compensated sums' error */
	max_conversions = attr_sum_value(&conversions) * (1 + 1e-9);
	max_value = attr_sum_value(&value) * (1 + 1e-9);

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
			AttrSum    *sum = &attr_channel_sums(ch)[k];

			read_sum(r, channel_sum_names[k], sum);
			/* a channel's value is part of the total value, the rest of the conversions */
			if (attr_sum_value(sum) > (k == 1 ? max_value : max_conversions))
				state_invalid(r, "\"%s\" of channel \"%s\" exceeds the total",
							  channel_sum_names[k], name);
		}
		pfree(name);
	}
	state_read_mark(r, '{');
	state_read_mark(r, '}');
	state_read_end(r);
	return s;
}

char *
attr_state_to_text(const AttrState *state)
{
	StateWriter w;

	state_write_begin(&w, false, ATTR_STATE_TAG, ATTR_STATE_VERSION);
	write_state(&w, state);
	return state_write_end_text(&w);
}

bytea *
attr_state_to_binary(const AttrState *state)
{
	StateWriter w;

	state_write_begin(&w, true, ATTR_STATE_TAG, ATTR_STATE_VERSION);
	write_state(&w, state);
	return state_write_end_binary(&w);
}

AttrState *
attr_state_from_text(const char *input)
{
	StateReader r;
	int			version = state_read_begin_text(&r, input, ATTR_STATE_TAG,
												ATTR_STATE_TAG);

	return read_state(&r, version);
}

AttrState *
attr_state_from_binary(StringInfo buf)
{
	StateReader r;
	int			version = state_read_begin_binary(&r, buf, ATTR_STATE_TAG,
												  ATTR_STATE_TAG);
	AttrState  *s = read_state(&r, version);

	buf->cursor = buf->len;
	return s;
}

Datum
socroi_attribution_state_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(attr_state_from_text(PG_GETARG_CSTRING(0)));
}

Datum
socroi_attribution_state_out(PG_FUNCTION_ARGS)
{
	AttrState  *s = DatumGetAttrStateP(PG_GETARG_DATUM(0));

	PG_RETURN_CSTRING(attr_state_to_text(s));
}

Datum
socroi_attribution_state_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(attr_state_from_binary((StringInfo) PG_GETARG_POINTER(0)));
}

Datum
socroi_attribution_state_send(PG_FUNCTION_ARGS)
{
	AttrState  *s = DatumGetAttrStateP(PG_GETARG_DATUM(0));

	PG_RETURN_BYTEA_P(attr_state_to_binary(s));
}
