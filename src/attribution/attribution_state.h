/*
 * attribution_state.h
 *		The flat aggregate state of attribution() and markov_transitions()
 *		(attribution_state.c): header, channel dictionary, per-channel sums
 *		and the model-specific records, with their text and binary forms.
 *
 * ---- attribution_state layout (one flat varlena; VARSIZE = capacity) ----
 *
 *   AttrState header     fixed; every section is found by an offset from
 *                        the start of the state, never by a pointer, so the
 *                        bytes mean the same on every node
 *   model                copy of the attribution_model varlena (model_off,
 *                        model_len); every row of a group must carry the
 *                        same bytes
 *   channels             AttrChannel[channel_cap] (nchannels used), id =
 *                        index; per-channel role counters and heuristic
 *                        credits (Neumaier sums)
 *   hash                 int32[hash_mask + 1], open addressing with linear
 *                        probing over hash_bytes() of the name; a slot holds
 *                        channel id + 1, 0 = empty.  Rebuilt, never trusted,
 *                        when a state is read from text or binary
 *   arena                channel names (not NUL-terminated), arena_used of
 *                        arena_cap bytes; AttrChannel.name_off points here
 *   records              model-specific records from records_off to used,
 *                        with offsets relative to records_off so the
 *                        section can move as a whole.  Empty for the
 *                        heuristic models.  For markov and shapley it is an
 *                        AttrRecords table: records keyed by short tuples
 *                        of int32 (channel ids and symbols), each carrying
 *                        a few compensated sums --
 *                          markov   key (ids of the from-state tuple, next)
 *                                   where next is a channel id or
 *                                   ATTR_SYM_CONVERSION / ATTR_SYM_NULL;
 *                                   one sum: the transition weight
 *                          shapley  key = the distinct channel ids of a
 *                                   path, ascending; sums conversions,
 *                                   non-conversions, value
 *                          fractribution  key = the channel ids of the
 *                                   path in order; the same three sums
 *                        laid out as a header, the records (insertion
 *                        order, fixed stride, keys inline) and an int32
 *                        hash index.  Channel ids in keys are remapped
 *                        on merge with the map that
 *                        attr_state_merge_dictionary() returns.
 *
 * The dictionary and arena grow by re-laying the whole state out with
 * doubled capacities (layout_state), the records section by doubling its
 * record capacity (state_resize(): exactly that size); both return a new
 * state in the current memory context, following the nodeAgg.c rule of
 * state_io.h.
 */
#ifndef SOCROI_ATTRIBUTION_STATE_H
#define SOCROI_ATTRIBUTION_STATE_H

#include "postgres.h"

#include "attribution/attribution_model.h"
#include "common/common.h"
#include "common/held_state.h"
#include "common/state_io.h"

#define ATTR_STATE_MAGIC	0x52545441	/* "ATTR" little-endian */
#define ATTR_STATE_VERSION	1
#define ATTR_STATE_TAG		"attribution_state"
#define ATTR_QUICK_SLOTS	256	/* power of 2 */
#define ATTR_MAX_CHANNELS	(1 << 24)

typedef struct AttrChannel
{
	uint32		name_off;		/* offset of the name in the arena */
	uint32		name_len;
	uint32		hash;			/* hash_bytes() of the name */
	uint32		row_stamp;		/* scratch: last row that counted a role */
	SocroiSum		conversions;	/* credited conversions (heuristics) */
	SocroiSum		value;			/* credited value (heuristics) */
	SocroiSum		touched;		/* roles, counted in conversions */
	SocroiSum		first_touches;
	SocroiSum		last_touches;
	SocroiSum		assists;
} AttrChannel;

#define ATTR_CHANNEL_SUMS 6		/* SocroiSum fields of AttrChannel, in order */

static inline SocroiSum *
attr_channel_sums(AttrChannel *ch)
{
	return &ch->conversions;
}

static inline const SocroiSum *
attr_channel_sums_const(const AttrChannel *ch)
{
	return &ch->conversions;
}

typedef struct AttrState
{
	int32		vl_len_;		/* capacity */
	uint32		magic;
	uint32		version;
	uint32		used;			/* bytes in use; the records section ends here */
	/* sections (offsets from the start of the state) */
	uint32		model_off;
	uint32		model_len;
	uint32		channels_off;
	uint32		hash_off;
	uint32		arena_off;
	uint32		records_off;
	/* dictionary */
	int32		nchannels;
	int32		channel_cap;
	uint32		hash_mask;		/* hash slots - 1, slots = 2 * channel_cap */
	uint32		arena_used;
	uint32		arena_cap;
	int32		direct_id;		/* id of the model's direct channel, or -1 */
	uint32		row_stamp;		/* scratch: current row, for role counting */
	int32		quick[ATTR_QUICK_SLOTS];	/* scratch: cheap key -> id + 1 */
	/* totals over rows whose path kept at least one touch */
	SocroiSum		conversions;
	SocroiSum		value;
} AttrState;

#define ATTR_STATE_MODEL(s)		((AttrModel *) ((char *) (s) + (s)->model_off))
#define ATTR_STATE_CHANNELS(s)	((AttrChannel *) ((char *) (s) + (s)->channels_off))
#define ATTR_STATE_HASH(s)		((int32 *) ((char *) (s) + (s)->hash_off))
#define ATTR_STATE_ARENA(s)		((char *) (s) + (s)->arena_off)
#define ATTR_STATE_RECORDS(s)	((char *) (s) + (s)->records_off)
#define ATTR_STATE_RECORDS_USED(s) ((s)->used - (s)->records_off)

#define DatumGetAttrStateP(X)	((AttrState *) held_state_read(X))

/* a new empty state for the model, in the current memory context */
extern AttrState *attr_state_create(const AttrModel *model);

/* magic, version and size of a state taken from a tuple, else ERROR XX001 */
extern void attr_state_check_header(const AttrState *state);

/* the state in argument argno (not NULL), detoasted, its header checked */
extern AttrState *attr_state_arg(FunctionCallInfo fcinfo, int argno);

/* a private copy (same capacity) in the current memory context */
extern AttrState *attr_state_copy(const AttrState *state);

/*
 * The id of a channel, inserting it when new.  May replace *statep by a
 * larger state in the current memory context.
 */
extern int32 attr_state_channel_id(AttrState **statep, const char *name,
								   int len);

/* lookup only: id or -1 */
extern int32 attr_state_find_channel(const AttrState *state, const char *name,
									 int len);

/*
 * Merge the dictionary of src into *dstp (inserting unknown channels) and
 * add src's per-channel sums and totals.  Returns map[src id] = dst id
 * (palloc'd), for remapping ids held in the records section.
 */
extern int32 *attr_state_merge_dictionary(AttrState **dstp,
										  const AttrState *src);

/*
 * A model whose credits come from its records alone (shapley,
 * fractribution): how one path of n >= 1 channel ids, in order, adds to
 * the records (the state may move), and the credits of every channel id
 */
typedef struct AttrRecordModel
{
	AttrState  *(*add_path) (AttrState *state, const int32 *ids, int n,
							 double conversions, double non_conversions,
							 double value);
	void		(*credits) (const AttrState *state, double *conversions,
							double *value);
} AttrRecordModel;

/* the two models are byte-identical, else ERROR 22023 */
extern void attr_state_check_same_model(const AttrModel *a, const AttrModel *b);

/* text and binary forms (validating readers) */

/* rank of every channel id in byte order of the names (palloc'd) */
extern int32 *attr_state_channel_ranks(const AttrState *state);
extern int	attr_channel_name_cmp(const AttrState *s, int32 id_a, int32 id_b);

/*
 * Canonical order of channel tuples (Markov states, Shapley sets): shorter
 * first, then element by element by rank; rank NULL when the tuples already
 * hold ranks, else rank[id] (attr_state_channel_ranks()).
 */
extern int	attr_tuple_cmp(const int32 *a, int alen, const int32 *b, int blen,
						   const int32 *rank);

/* a channel tuple to put in canonical order: its ids and length */
typedef struct AttrTuple
{
	const int32 *ids;
	int32		len;
} AttrTuple;

/*
 * Sort perm[0 .. n), indices into tuples, into the canonical order of
 * attr_tuple_cmp() under rank.
 */
extern void attr_sort_tuples(int32 *perm, int32 n, const AttrTuple *tuples,
							 const int32 *rank);

/* ---------- model-specific records (attribution_state.c) ---------- */

/*
 * Symbols of markov keys besides channel ids.  markov(order=auto) also keeps
 * the fold of the journey (ATTR_MARKOV_FOLDS folds by a hash of the path, for
 * the out-of-sample AUC of markov_order.c) in the absorbing symbols: fold f
 * is -1 - 2f for (conversion) and -2 - 2f for (null); every other markov
 * model keeps fold 0, the symbols of version 1 states.
 */
#define ATTR_SYM_CONVERSION		(-1)
#define ATTR_SYM_NULL			(-2)
#define ATTR_MARKOV_FOLDS		5
#define ATTR_SYM_CONVERSION_FOLD(f)	(-1 - 2 * (f))
#define ATTR_SYM_NULL_FOLD(f)	(-2 - 2 * (f))
#define ATTR_SYM_IS_CONVERSION(s)	((s) < 0 && ((-(s)) & 1) == 1)
#define ATTR_SYM_FOLD(s)		((-(s) - 1) / 2)

/* shapley: distinct channels per path (2^20 coalitions per channel set) */
#define ATTR_SHAPLEY_MAX_CHANNELS	20

/*
 * fractribution: touches per path (its records are keyed by the ordered
 * path; their key room grows with the longest path seen)
 */
#define ATTR_FRACTRIBUTION_MAX_TOUCHES	256

#define ATTR_RECORD_MAX_KEY		Max(Max(ATTR_MAX_ORDER + 1, ATTR_SHAPLEY_MAX_CHANNELS), \
									ATTR_FRACTRIBUTION_MAX_TOUCHES)
#define ATTR_MAX_RECORDS		(1 << 26)

typedef struct AttrRecords
{
	uint32		nsums;			/* SocroiSums per record */
	uint32		key_cap;		/* int32s of key room per record */
	uint32		nrecords;
	uint32		record_cap;
	uint32		slot_mask;		/* hash slots - 1; slots = 2 * record_cap */
	uint32		records_off;	/* from the start of this header */
	uint32		slots_off;
	uint32		size;			/* bytes of the whole records section */
} AttrRecords;

/*
 * A record: its key inline (key_len of key_cap ints), then nsums sums at
 * ATTR_RECORD_SUMS_OFF(key_cap) -- one cache line for a markov transition.
 */
typedef struct AttrRecord
{
	uint32		hash;			/* attr_records_hash() of the key */
	uint32		key_len;
	int32		key[FLEXIBLE_ARRAY_MEMBER];
} AttrRecord;

#define ATTR_RECORD_SUMS_OFF(key_cap) \
	MAXALIGN(offsetof(AttrRecord, key) + sizeof(int32) * (key_cap))
#define ATTR_RECORD_STRIDE(key_cap, nsums) \
	(ATTR_RECORD_SUMS_OFF(key_cap) + sizeof(SocroiSum) * (nsums))

/*
 * Sums per record of a model (0: the kind keeps no records): markov the
 * transition weight, and with value=removal the value of the conversions
 * (non-zero on (conversion) records only); shapley conversions,
 * non-conversions, value.
 */
extern int	attr_records_nsums(const AttrModel *model);

/* the records table of a state, or NULL while it has none */
static inline AttrRecords *
attr_state_records(const AttrState *s)
{
	return ATTR_STATE_RECORDS_USED(s) == 0 ? NULL :
		(AttrRecords *) ATTR_STATE_RECORDS(s);
}

static inline AttrRecord *
attr_record(const AttrRecords *r, uint32 i)
{
	return (AttrRecord *) ((char *) r + r->records_off +
						   (Size) i * ATTR_RECORD_STRIDE(r->key_cap, r->nsums));
}

static inline SocroiSum *
attr_record_sums(const AttrRecords *r, const AttrRecord *rec)
{
	return (SocroiSum *) ((char *) rec + ATTR_RECORD_SUMS_OFF(r->key_cap));
}

extern uint32 attr_records_hash(const int32 *key, int len);

/*
 * The sums of the record with this key, inserted (zeroed) when new; *found
 * says which.  May replace *statep by a larger state in the current memory
 * context; the pointer is valid until the state changes again.
 */
extern SocroiSum *attr_records_upsert(AttrState **statep, const int32 *key,
									int len, uint32 hash, bool *found);

/*
 * Ask for the memory an upsert of a key with this hash will read, a few
 * keys ahead: its hash slot (stage 0), or the record that slot names
 * (stage 1, once the slot has arrived).  Only a hint.
 */
extern void attr_records_prefetch(const AttrState *state, uint32 hash, int stage);

/*
 * Add amounts[0 .. n) to the first n sums of the record with this key and
 * hash (attr_records_hash(); inserted when new); ERROR 22003 when a sum
 * overflows.  Returns the state, which may have moved.
 */
extern AttrState *attr_records_add(AttrState *state, const int32 *key, int len,
								   uint32 hash, const double *amounts, int n);

/* add src's records into *dstp, src channel ids mapped through map */
extern void attr_records_merge(AttrState **dstp, const AttrState *src,
							   const int32 *map);

/* overflow of a state counter -> ERROR 22003 */
pg_noreturn extern void attr_overflow_error(void);

#endif							/* SOCROI_ATTRIBUTION_STATE_H */
