/*
 * attribution_shapley.c
 *		Shapley attribution (doc/attribution.md): the channel-set records
 *		of the aggregate state and the exact coalition Shapley values.
 *
 * Players are the distinct channels of a path.  The worth of a channel set
 * T is v(T) = conversions / (conversions + non_conversions) over the
 * journeys whose distinct-channel set is exactly T, and 0 when no journey
 * has that set.  The state keeps, per distinct set (its channel ids
 * ascending), the conversions, non-conversions and value of its journeys.
 *
 * For each distinct converting set S of s channels, the Shapley value of
 * channel i in the game v restricted to the subsets of S (Shapley 1953,
 * "A value for n-person games", Contributions to the Theory of Games II):
 *     phi_i = sum_{T in S \ {i}} |T|! (s - |T| - 1)! / s! (v(T + i) - v(T))
 * Collecting the terms of each subset T of S gives
 *     phi_i = sum_{T contains i} w(|T| - 1) v(T) - sum_{T lacks i} w(|T|) v(T),
 *     w(t) = t! (s - t - 1)! / s! = 1 / (s * C(s - 1, t)),
 * so a subset with v(T) = 0 costs nothing: each observed subset with a
 * positive worth adds w(|T| - 1) v(T) to its members and subtracts w(|T|)
 * v(T) from the other channels of S.  The observed subsets of S are found
 * by walking its 2^s - 1 non-empty subsets in Gray-code order (the XOR key
 * of the subset changes by one channel key per step; a bit filter in cache
 * rejects most absent subsets, the rest cost one hash probe)
 * or by testing every observed set of positive worth, whichever is fewer:
 * at most min(2^s, sets) * s work per converting set.
 * Negative phi are set to 0 and the rest normalised to shares (an equal
 * split when all are 0); S's conversions and value are split by them.
 *
 * Everything runs over channel ranks (names in byte order), never over the
 * state's ids, so every plan computes the same sums in the same order.
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "port/pg_bitutils.h"

#include "attribution/attribution_shapley.h"
#include "common/common.h"

/* ---------- accumulation ---------- */

static int
compare_int32(const void *a, const void *b)
{
	int32		x = *(const int32 *) a;
	int32		y = *(const int32 *) b;

	return (x > y) - (x < y);
}

static void
too_many_channels(const int32 *ids, int n)
{
	int32	   *copy = palloc(sizeof(int32) * n);
	int			distinct = 0;
	int			i;

	memcpy(copy, ids, sizeof(int32) * n);
	qsort(copy, n, sizeof(int32), compare_int32);
	for (i = 0; i < n; i++)
		if (i == 0 || copy[i] != copy[i - 1])
			distinct++;
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("shapley attribution takes at most %d distinct channels per path, got a path with %d",
					ATTR_SHAPLEY_MAX_CHANNELS, distinct),
			 errhint("Transform the path to fewer distinct channels: group channels "
					 "(e.g. with channel_group()), or keep the last touches, "
					 "e.g. path[greatest(1, cardinality(path) - 19):].")));
}

/* add one path of n >= 1 channel ids to the record of its channel set */
static AttrState *
shapley_add_path(AttrState *s, const int32 *ids, int n,
					  double conversions, double non_conversions, double value)
{
	int32		set[ATTR_SHAPLEY_MAX_CHANNELS];
	int			m = 0;
	int			i;
	int			k;
	double		amounts[3] = {conversions, non_conversions, value};

	for (i = 0; i < n; i++)
	{
		for (k = 0; k < m && set[k] != ids[i]; k++)
			;
		if (k < m)
			continue;
		if (m == ATTR_SHAPLEY_MAX_CHANNELS)
			too_many_channels(ids, n);
		/* insert in ascending order */
		for (k = m; k > 0 && set[k - 1] > ids[i]; k--)
			set[k] = set[k - 1];
		set[k] = ids[i];
		m++;
	}
	return attr_records_add(s, set, m, attr_records_hash(set, m), amounts, 3);
}

/* ---------- the Shapley values ---------- */

typedef struct ShapSet
{
	uint64		key;			/* XOR of the members' channel keys */
	int32		size;
	int32		off;			/* first member (rank) in the pool */
	double		conversions;
	double		non_conversions;
	double		value;
	double		worth;
} ShapSet;

/* SplitMix64 (Steele, Lea & Flood 2014): a well-mixed key per channel rank */
static uint64
channel_key(uint64 x)
{
	x += UINT64CONST(0x9E3779B97F4A7C15);
	x = (x ^ (x >> 30)) * UINT64CONST(0xBF58476D1CE4E5B9);
	x = (x ^ (x >> 27)) * UINT64CONST(0x94D049BB133111EB);
	return x ^ (x >> 31);
}

/* a slot of the worth table: the key inline, so a probe touches one line */
typedef struct WorthSlot
{
	uint64		key;
	int32		size;			/* 0 = empty */
	int32		off;			/* members in the pool */
	double		worth;
} WorthSlot;

typedef struct ShapSearch
{
	const ShapSet *sets;
	const int32 *pool;
	WorthSlot  *slots;			/* the sets of positive worth, by key */
	uint64		mask;
	uint64	   *filter;			/* one bit per key hash: most absent subsets
								 * are rejected here, in cache */
	uint64		filter_mask;	/* bits - 1 */
	uint32	   *stamp_of;		/* rank -> stamp of the set being split */
	int8	   *bit_of;			/* rank -> its bit in that set */
	uint32		stamp;
	int			s;				/* size of the set being split */
	double		coef[ATTR_SHAPLEY_MAX_CHANNELS];	/* w(t), t = 0 .. s - 1 */
	SocroiSum		phi[ATTR_SHAPLEY_MAX_CHANNELS];
} ShapSearch;

/*
 * The bits of T (size members at pool offset off) inside the set being
 * split, or -1 when T is not a subset
 */
static inline int64
subset_mask(const ShapSearch *q, int32 off, int32 size)
{
	uint32		mask = 0;
	int			k;

	if (size > q->s)
		return -1;
	for (k = 0; k < size; k++)
	{
		int32		rk = q->pool[off + k];

		if (q->stamp_of[rk] != q->stamp)
			return -1;
		mask |= (uint32) 1 << q->bit_of[rk];
	}
	return mask;
}

/* a subset T (bits mask, t members) of worth v: its terms of every phi */
static inline void
add_subset(ShapSearch *q, uint32 mask, int t, double v)
{
	double		gain = q->coef[t - 1] * v;
	double		loss = (t < q->s) ? q->coef[t] * v : 0.0;
	int			b;

	for (b = 0; b < q->s; b++)
		socroi_sum_add(&q->phi[b], ((mask >> b) & 1) ? gain : -loss);
}

static void
shapley_credits(const AttrState *st, double *conversions, double *value)
{
	const AttrRecords *r = attr_state_records(st);
	int32		nch = st->nchannels;
	uint32		nrec = r ? r->nrecords : 0;
	int32	   *rank = attr_state_channel_ranks(st);
	uint64	   *keys = palloc(sizeof(uint64) * Max(nch, 1));
	SocroiSum    *credit_conv = palloc0(sizeof(SocroiSum) * Max(nch, 1));
	SocroiSum    *credit_value = palloc0(sizeof(SocroiSum) * Max(nch, 1));
	ShapSet    *sets = palloc(sizeof(ShapSet) * Max(nrec, 1));
	int32	   *order = palloc(sizeof(int32) * Max(nrec, 1));
	int32	   *positive = palloc(sizeof(int32) * Max(nrec, 1));
	int32		npositive = 0;
	int32	   *pool;
	Size		pool_used = 0;
	uint64		slots = 8;
	ShapSearch	q;
	AttrTuple  *tuples;
	uint32		i;
	int32		c;

	for (c = 0; c < nch; c++)
	{
		keys[rank[c]] = channel_key((uint64) rank[c] + 1);
	}

	/* the sets over ranks, members ascending */
	for (i = 0; i < nrec; i++)
		pool_used += Min(attr_record(r, i)->key_len, ATTR_SHAPLEY_MAX_CHANNELS);
	pool = palloc(sizeof(int32) * Max(pool_used, 1));
	pool_used = 0;
	for (i = 0; i < nrec; i++)
	{
		const AttrRecord *rec = attr_record(r, i);
		const SocroiSum *sums = attr_record_sums(r, rec);
		ShapSet    *set = &sets[i];
		double		tried;
		uint32		k;

		if (rec->key_len < 1 || rec->key_len > ATTR_SHAPLEY_MAX_CHANNELS)
			elog(ERROR, "shapley record with a key of %u ints", rec->key_len);
		set->size = rec->key_len;
		set->off = pool_used;
		set->key = 0;
		for (k = 0; k < rec->key_len; k++)
			pool[pool_used + k] = rank[rec->key[k]];
		qsort(pool + pool_used, rec->key_len, sizeof(int32), compare_int32);
		for (k = 0; k < rec->key_len; k++)
			set->key ^= keys[pool[pool_used + k]];
		pool_used += rec->key_len;
		set->conversions = socroi_sum_value(&sums[0]);
		set->non_conversions = socroi_sum_value(&sums[1]);
		set->value = socroi_sum_value(&sums[2]);
		tried = set->conversions + set->non_conversions;
		set->worth = (tried > 0.0) ? set->conversions / tried : 0.0;
		order[i] = i;
	}
	/* canonical order of sets: by size, then member by member (ranks) */
	tuples = palloc(sizeof(AttrTuple) * Max(nrec, 1));
	for (i = 0; i < nrec; i++)
	{
		tuples[i].ids = pool + sets[i].off;
		tuples[i].len = sets[i].size;
	}
	attr_sort_tuples(order, nrec, tuples, NULL);
	pfree(tuples);

	/* worth lookup by key */
	while (slots < 2 * (uint64) Max(nrec, 1))
		slots *= 2;
	memset(&q, 0, sizeof(q));
	q.sets = sets;
	q.pool = pool;
	q.slots = palloc0(sizeof(WorthSlot) * slots);
	q.mask = slots - 1;
	{
		uint64		bits = 1 << 16;

		while (bits < 16 * (uint64) Max(nrec, 1))
			bits *= 2;
		q.filter = palloc0(bits / 8);
		q.filter_mask = bits - 1;
	}
	q.stamp_of = palloc0(sizeof(uint32) * Max(nch, 1));
	q.bit_of = palloc0(sizeof(int8) * Max(nch, 1));
	for (i = 0; i < nrec; i++)
	{
		int32		idx = order[i];
		uint64		h;

		if (!(sets[idx].worth > 0.0))
			continue;
		positive[npositive++] = idx;
		h = (sets[idx].key >> 32) & q.filter_mask;
		q.filter[h >> 6] |= UINT64CONST(1) << (h & 63);
		h = sets[idx].key & q.mask;
		while (q.slots[h].size != 0)
			h = (h + 1) & q.mask;
		q.slots[h].key = sets[idx].key;
		q.slots[h].size = sets[idx].size;
		q.slots[h].off = sets[idx].off;
		q.slots[h].worth = sets[idx].worth;
	}

	for (i = 0; i < nrec; i++)
	{
		const ShapSet *set = &sets[order[i]];
		const int32 *members = pool + set->off;
		double		binom = 1.0;
		SocroiSum		total = {0, 0};
		double		z;
		int			s = set->size;
		int			b;
		int			t;

		if (!(set->conversions > 0.0 || set->value > 0.0))
			continue;
		CHECK_FOR_INTERRUPTS();
		q.s = s;
		q.stamp++;
		for (b = 0; b < s; b++)
		{
			q.stamp_of[members[b]] = q.stamp;
			q.bit_of[members[b]] = b;
			memset(&q.phi[b], 0, sizeof(SocroiSum));
		}
		/* w(t) = 1 / (s C(s - 1, t)), C by its multiplicative recurrence */
		for (t = 0; t < s; t++)
		{
			if (t > 0)
				binom = binom * (s - t) / t;
			q.coef[t] = 1.0 / (s * binom);
		}

		if ((((uint64) 1 << s) - 1) <= (uint64) npositive)
		{
			/* every non-empty subset in Gray-code order */
			uint64		key = 0;
			uint32		mask = 0;
			uint32		g;

			for (g = 1; g < ((uint32) 1 << s); g++)
			{
				int			bit = pg_rightmost_one_pos32(g);
				uint64		h;

				if ((g & 0xFFFF) == 0)
					CHECK_FOR_INTERRUPTS();
				mask ^= (uint32) 1 << bit;
				key ^= keys[members[bit]];
				h = (key >> 32) & q.filter_mask;
				if (!((q.filter[h >> 6] >> (h & 63)) & 1))
					continue;
				for (h = key & q.mask; q.slots[h].size != 0; h = (h + 1) & q.mask)
				{
					const WorthSlot *cand = &q.slots[h];

					/* verified member by member: XOR keys may collide */
					if (cand->key == key &&
						subset_mask(&q, cand->off, cand->size) == (int64) mask)
						add_subset(&q, mask, cand->size, cand->worth);
				}
			}
		}
		else
		{
			/* every observed set of positive worth that lies inside */
			int32		k;

			for (k = 0; k < npositive; k++)
			{
				const ShapSet *cand = &sets[positive[k]];
				int64		mask;

				if ((k & 0xFFFF) == 0xFFFF)
					CHECK_FOR_INTERRUPTS();
				mask = subset_mask(&q, cand->off, cand->size);

				if (mask > 0)
					add_subset(&q, (uint32) mask, cand->size, cand->worth);
			}
		}

		/* negative values to 0, then shares (equal when all are 0) */
		for (b = 0; b < s; b++)
			socroi_sum_add(&total, Max(socroi_sum_value(&q.phi[b]), 0.0));
		z = socroi_sum_value(&total);
		for (b = 0; b < s; b++)
		{
			double		share = (z > 0.0) ?
				Max(socroi_sum_value(&q.phi[b]), 0.0) / z : 1.0 / s;

			socroi_sum_add(&credit_conv[members[b]], set->conversions * share);
			socroi_sum_add(&credit_value[members[b]], set->value * share);
		}
	}

	for (c = 0; c < nch; c++)
	{
		conversions[c] = socroi_sum_value(&credit_conv[rank[c]]);
		value[c] = socroi_sum_value(&credit_value[rank[c]]);
	}
}

const AttrRecordModel attr_shapley = {shapley_add_path, shapley_credits};
