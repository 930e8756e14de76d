/*
 * attribution_state.c
 *		The flat aggregate state of attribution() (layout in
 *		attribution_state.h): creation, re-layout when the channel dictionary
 *		grows, the channel dictionary itself, the model-specific records and
 *		merging.  Its text and binary forms are in attribution_state_io.c.
 */
#include "postgres.h"

#include <math.h>

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "utils/memutils.h"

#include "attribution/attribution_state.h"
#include "common/common.h"
#include "common/held_state.h"
#include "common/state_io.h"


#define INITIAL_CHANNELS	16
#define INITIAL_ARENA		256
#define INITIAL_RECORDS		16

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
 * empty, for model), in the current memory context (or the holder's, see
 * held_state.h, which then drops old).
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

	s = (AttrState *) held_state_alloc(total);
	memset(s, 0, total);
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
	held_state_replaced((void *) old, s);
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
	/* magic and version lead every layout: a newer one is named as such */
	if (VARSIZE(state) < offsetof(AttrState, used) || state->magic != ATTR_STATE_MAGIC)
		state_corrupt(ATTR_STATE_TAG);
	state_check_version(ATTR_STATE_TAG, (int32) state->version, ATTR_STATE_VERSION);
	if (VARSIZE(state) < sizeof(AttrState) || state->used > VARSIZE(state))
		state_corrupt(ATTR_STATE_TAG);
}

AttrState *
attr_state_arg(FunctionCallInfo fcinfo, int argno)
{
	AttrState  *state = (AttrState *) held_state_read(PG_GETARG_DATUM(argno));

	attr_state_check_header(state);
	return state;
}

AttrState *
attr_state_copy(const AttrState *state)
{
	AttrState  *copy = (AttrState *) palloc(VARSIZE(state));

	memcpy(copy, state, VARSIZE(state));
	return copy;
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
			socroi_sum_merge(&attr_channel_sums(into)[k],
						   &attr_channel_sums_const(from)[k]);
		map[i] = id;
	}
	socroi_sum_merge(&(*dstp)->conversions, &src->conversions);
	socroi_sum_merge(&(*dstp)->value, &src->value);
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

void
attr_overflow_error(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("attribution totals out of range: overflow")));
}

/* byte order of two channels' names (shorter first on a common prefix) */
int
attr_channel_name_cmp(const AttrState *s, int32 id_a, int32 id_b)
{
	const AttrChannel *a = &ATTR_STATE_CHANNELS(s)[id_a];
	const AttrChannel *b = &ATTR_STATE_CHANNELS(s)[id_b];
	int			c = memcmp(ATTR_STATE_ARENA(s) + a->name_off,
						   ATTR_STATE_ARENA(s) + b->name_off,
						   Min(a->name_len, b->name_len));

	if (c != 0)
		return c;
	return (a->name_len > b->name_len) - (a->name_len < b->name_len);
}

static int
compare_channel_names(const void *pa, const void *pb, void *arg)
{
	return attr_channel_name_cmp((const AttrState *) arg, *(const int32 *) pa,
								 *(const int32 *) pb);
}

int32 *
attr_state_channel_ranks(const AttrState *s)
{
	int32		n = s->nchannels;
	int32	   *order = palloc(sizeof(int32) * Max(n, 1));
	int32	   *rank = palloc(sizeof(int32) * Max(n, 1));
	int32		i;

	for (i = 0; i < n; i++)
		order[i] = i;
	qsort_arg(order, n, sizeof(int32), compare_channel_names, (void *) s);
	for (i = 0; i < n; i++)
		rank[order[i]] = i;
	pfree(order);
	return rank;
}

int
attr_tuple_cmp(const int32 *a, int alen, const int32 *b, int blen,
			   const int32 *rank)
{
	int			k;

	if (alen != blen)
		return alen < blen ? -1 : 1;
	for (k = 0; k < alen; k++)
	{
		int32		x = rank ? rank[a[k]] : a[k];
		int32		y = rank ? rank[b[k]] : b[k];

		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

typedef struct TupleOrder
{
	const AttrTuple *tuples;
	const int32 *rank;
} TupleOrder;

static int
compare_tuples(const void *pa, const void *pb, void *arg)
{
	const TupleOrder *o = (const TupleOrder *) arg;
	const AttrTuple *a = &o->tuples[*(const int32 *) pa];
	const AttrTuple *b = &o->tuples[*(const int32 *) pb];

	return attr_tuple_cmp(a->ids, a->len, b->ids, b->len, o->rank);
}

void
attr_sort_tuples(int32 *perm, int32 n, const AttrTuple *tuples, const int32 *rank)
{
	TupleOrder	o;

	o.tuples = tuples;
	o.rank = rank;
	qsort_arg(perm, n, sizeof(int32), compare_tuples, &o);
}

/* ---------- model-specific records ---------- */

int
attr_records_nsums(const AttrModel *m)
{
	switch (m->kind)
	{
		case ATTR_MARKOV:
			/* transition weight; with value=removal also the value converted */
			return (m->flags & ATTR_MODEL_VALUE_REMOVAL) ? 2 : 1;
		case ATTR_SHAPLEY:
		case ATTR_FRACTRIBUTION:
			return 3;			/* conversions, non-conversions, value */
		default:
			return 0;
	}
}

uint32
attr_records_hash(const int32 *key, int len)
{
	uint32		h = murmurhash32((uint32) len);
	int			i;

	for (i = 0; i < len; i++)
		h = murmurhash32(h ^ (uint32) key[i]) + (uint32) i;
	return h;
}

/*
 * key room per record: the longest key of the model; fractribution starts
 * with room for 8 touches and grows to the longest path (records_grow)
 */
static uint32
records_key_cap(const AttrModel *m)
{
	if (m->kind == ATTR_FRACTRIBUTION)
		return 8;
	return (m->kind == ATTR_MARKOV) ? m->markov_order + 1 : ATTR_SHAPLEY_MAX_CHANNELS;
}

/* lay out a records header for the capacity; returns the section size */
static Size
records_layout(AttrRecords *h, uint32 nsums, uint32 key_cap, Size record_cap)
{
	Size		records_off = MAXALIGN(sizeof(AttrRecords));
	Size		slots_off = records_off + record_cap * ATTR_RECORD_STRIDE(key_cap, nsums);
	Size		size = slots_off + MAXALIGN(sizeof(int32) * 2 * record_cap);

	if (record_cap > ATTR_MAX_RECORDS || size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("attribution state would exceed %d records or %zu bytes",
						ATTR_MAX_RECORDS, (Size) MaxAllocSize),
				 errhint("Aggregate fewer journeys per group, use a lower markov order, "
						 "or collapse repeated touches with path_transform(path, 'exposure').")));
	*h = (AttrRecords) {
		.nsums = nsums,
		.key_cap = key_cap,
		.record_cap = record_cap,
		.slot_mask = 2 * record_cap - 1,
		.records_off = records_off,
		.slots_off = slots_off,
		.size = size
	};
	return size;
}

/* rebuild the hash slots of the first nrecords records */
static void
records_rehash(AttrRecords *r)
{
	int32	   *slots = (int32 *) ((char *) r + r->slots_off);
	uint32		i;

	memset(slots, 0, sizeof(int32) * 2 * (Size) r->record_cap);
	for (i = 0; i < r->nrecords; i++)
	{
		uint32		j = attr_record(r, i)->hash & r->slot_mask;

		while (slots[j] != 0)
			j = (j + 1) & r->slot_mask;
		slots[j] = i + 1;
	}
}

/*
 * Re-lay the records section out for record_cap records with key room
 * key_cap (more records, or -- fractribution -- longer keys) and rebuild
 * the hash slots.  With the same key room the records keep their places
 * and only the slots move, so the section grows in place (or in the one
 * copy that a larger state needs, of exactly the new size: the record
 * capacity itself doubles); longer keys copy every record to its place in
 * the new stride.  Returns the state, which may have moved.
 */
static AttrState *
records_relayout(AttrState *s, uint32 key_cap, Size record_cap)
{
	const AttrModel *m = ATTR_STATE_MODEL(s);
	AttrRecords *old = attr_state_records(s);
	int			nsums = attr_records_nsums(m);
	Size		old_size = old ? old->size : 0;
	uint32		nrecords = old ? old->nrecords : 0;
	AttrRecords h;
	AttrRecords *r;
	Size		size;
	uint32		i;

	if (nsums == 0)
		elog(ERROR, "attribution model %s keeps no records", attr_kind_name(m->kind));
	if (old != NULL &&
		(old->nsums != (uint32) nsums || old->key_cap > key_cap ||
		 record_cap < old->record_cap))
		elog(ERROR, "attribution state records of an unexpected shape");
	size = records_layout(&h, nsums, key_cap, record_cap);
	if (size >= MaxAllocSize - s->records_off)
		too_large();

	if (old == NULL || old->key_cap == key_cap)
	{
		Size		kept = old ? old->records_off +
			(Size) nrecords * ATTR_RECORD_STRIDE(key_cap, nsums) : 0;

		s = (AttrState *) state_resize((struct varlena *) s, s->records_off + kept,
									   s->records_off + Max(size, old_size));
		r = (AttrRecords *) ATTR_STATE_RECORDS(s);
		*r = h;
		r->nrecords = nrecords;
		/* clear the room past the records (the old slots lay there) */
		memset((char *) r + Max(kept, r->records_off), 0,
			   r->slots_off - Max(kept, r->records_off));
	}
	else
	{
		AttrRecords *copy = (AttrRecords *) palloc(old_size);

		memcpy(copy, old, old_size);
		s = (AttrState *) state_resize((struct varlena *) s, s->used,
									   s->records_off + Max(size, old_size));
		r = (AttrRecords *) ATTR_STATE_RECORDS(s);
		*r = h;
		memset((char *) r + r->records_off, 0, r->slots_off - r->records_off);
		for (i = 0; i < nrecords; i++)
		{
			const AttrRecord *from = attr_record(copy, i);
			AttrRecord *to = attr_record(r, i);

			to->hash = from->hash;
			to->key_len = from->key_len;
			memcpy(to->key, from->key, sizeof(int32) * from->key_len);
			memcpy(attr_record_sums(r, to), attr_record_sums(copy, from),
				   sizeof(SocroiSum) * nsums);
		}
		r->nrecords = nrecords;
		pfree(copy);
	}
	records_rehash(r);
	s->used = s->records_off + size;
	return s;
}

/* room for one more record: the capacity doubled */
static AttrState *
records_grow(AttrState *s)
{
	AttrRecords *old = attr_state_records(s);

	if (old == NULL)
		return records_relayout(s, records_key_cap(ATTR_STATE_MODEL(s)), INITIAL_RECORDS);
	return records_relayout(s, old->key_cap, (Size) old->record_cap * 2);
}

void
attr_records_prefetch(const AttrState *s, uint32 hash, int stage)
{
	const AttrRecords *r = attr_state_records(s);
	const int32 *slots;
	int32		slot;

	if (r == NULL)
		return;
	slots = (const int32 *) ((const char *) r + r->slots_off);
	if (stage == 0)
	{
		SOCROI_PREFETCH(&slots[hash & r->slot_mask]);
		return;
	}
	slot = slots[hash & r->slot_mask];
	if (slot > 0 && (uint32) slot <= r->nrecords)
		SOCROI_PREFETCH(attr_record(r, slot - 1));
}

SocroiSum *
attr_records_upsert(AttrState **statep, const int32 *key, int len,
					uint32 hash, bool *found)
{
	AttrState  *s = *statep;
	AttrRecords *r = attr_state_records(s);
	int32	   *slots = NULL;
	uint32		i = 0;
	AttrRecord *rec;

	for (;;)
	{
		if (r != NULL)
		{
			if ((uint32) len > r->key_cap)
			{
				if (ATTR_STATE_MODEL(s)->kind != ATTR_FRACTRIBUTION ||
					len > ATTR_FRACTRIBUTION_MAX_TOUCHES)
					elog(ERROR, "attribution record key of %d ints, room for %u",
						 len, r->key_cap);
				s = records_relayout(s, Min(Max((uint32) len, r->key_cap * 2),
											ATTR_FRACTRIBUTION_MAX_TOUCHES), r->record_cap);
				*statep = s;
				r = attr_state_records(s);
				continue;
			}
			slots = (int32 *) ((char *) r + r->slots_off);
			i = hash & r->slot_mask;
			while (slots[i] != 0)
			{
				rec = attr_record(r, slots[i] - 1);
				if (rec->hash == hash && rec->key_len == (uint32) len)
				{
					int			k;

					for (k = 0; k < len && rec->key[k] == key[k]; k++)
						;
					if (k == len)
					{
						*found = true;
						return attr_record_sums(r, rec);
					}
				}
				i = (i + 1) & r->slot_mask;
			}
			if (r->nrecords < r->record_cap)
				break;
		}
		s = records_grow(s);
		*statep = s;
		r = attr_state_records(s);
	}
	rec = attr_record(r, r->nrecords);
	memset(rec, 0, ATTR_RECORD_STRIDE(r->key_cap, r->nsums));
	rec->hash = hash;
	rec->key_len = len;
	memcpy(rec->key, key, sizeof(int32) * len);
	slots[i] = ++r->nrecords;
	*found = false;
	return attr_record_sums(r, rec);
}

AttrState *
attr_records_add(AttrState *s, const int32 *key, int len, uint32 hash,
				 const double *amounts, int n)
{
	bool		found;
	SocroiSum  *sums = attr_records_upsert(&s, key, len, hash, &found);
	int			k;

	for (k = 0; k < n; k++)
	{
		socroi_sum_add(&sums[k], amounts[k]);
		if (isinf(sums[k].sum) || isnan(sums[k].comp))
			attr_overflow_error();
	}
	return s;
}

/* ascending order of a short key (insertion sort, <= 20 ids) */
static void
sort_ids(int32 *ids, int n)
{
	int			i;
	int			j;

	for (i = 1; i < n; i++)
	{
		int32		v = ids[i];

		for (j = i; j > 0 && ids[j - 1] > v; j--)
			ids[j] = ids[j - 1];
		ids[j] = v;
	}
}

/* a record's key with the other state's channel ids mapped, and its hash */
typedef struct MappedKey
{
	int32		key[ATTR_RECORD_MAX_KEY];
	int			len;
	uint32		hash;
} MappedKey;

#define MERGE_AHEAD	8

static void
map_key(const AttrRecords *sr, uint32 i, int kind, const int32 *map, MappedKey *out)
{
	const AttrRecord *rec = attr_record(sr, i);
	int			k;

	out->len = rec->key_len;
	if (out->len < 1 || out->len > ATTR_RECORD_MAX_KEY)
		elog(ERROR, "attribution state record with a key of %d ints", out->len);
	/* channel ids are >= 0; the markov symbols (negative) stay */
	for (k = 0; k < out->len; k++)
		out->key[k] = rec->key[k] >= 0 ? map[rec->key[k]] : rec->key[k];
	if (kind == ATTR_SHAPLEY)
		sort_ids(out->key, out->len);
	out->hash = attr_records_hash(out->key, out->len);
}

void
attr_records_merge(AttrState **dstp, const AttrState *src, const int32 *map)
{
	MappedKey	ahead[MERGE_AHEAD];
	const AttrRecords *sr = attr_state_records(src);
	int			kind = ATTR_STATE_MODEL(src)->kind;
	int			nsums = attr_records_nsums(ATTR_STATE_MODEL(src));
	uint32		i;

	if (sr == NULL)
		return;
	if (sr->nsums != (uint32) nsums)
		elog(ERROR, "attribution state records of model %s have %u sums",
			 attr_kind_name(kind), sr->nsums);
	/*
	 * The keys are mapped MERGE_AHEAD records ahead and their hash slots
	 * asked for, then the records those slots name half as far ahead: the
	 * upserts of a large merge wait on memory, not on arithmetic.
	 */
	for (i = 0; i < sr->nrecords + MERGE_AHEAD; i++)
	{
		MappedKey  *slot = &ahead[i % MERGE_AHEAD];

		/* record i - MERGE_AHEAD, whose key this slot holds */
		if (i >= MERGE_AHEAD)
		{
			const SocroiSum *from_sums = attr_record_sums(sr, attr_record(sr, i - MERGE_AHEAD));
			bool		found;
			SocroiSum  *sums = attr_records_upsert(dstp, slot->key, slot->len, slot->hash,
												   &found);
			int			k;

			for (k = 0; k < nsums; k++)
			{
				socroi_sum_merge(&sums[k], &from_sums[k]);
				if (isinf(sums[k].sum) || isnan(sums[k].comp))
					attr_overflow_error();
			}
		}
		/* record i's key in its place, and the memory it will need */
		if (i < sr->nrecords)
		{
			map_key(sr, i, kind, map, slot);
			attr_records_prefetch(*dstp, slot->hash, 0);
		}
		if (i >= MERGE_AHEAD / 2 && i - MERGE_AHEAD / 2 < sr->nrecords)
			attr_records_prefetch(*dstp, ahead[(i - MERGE_AHEAD / 2) % MERGE_AHEAD].hash, 1);
	}
}
