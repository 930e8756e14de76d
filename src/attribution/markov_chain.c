/*
 * markov_chain.c
 *		The absorbing Markov chain of the markov attribution model: which
 *		transition records a path adds to an attribution_state, and how the
 *		records are read back into a chain in a canonical order.
 *
 * The chain (Anderl, Becker, von Wangenheim & Schumann 2016, "Mapping the
 * customer journey: Lessons learned from graph-based online attribution
 * modeling", IJRM 33(3)): states (start), (conversion), (null) and, for
 * order k, the tuple of the last min(i, k) channels after touch i.  A row
 * adds conversions + non_conversions to every transition of its path, then
 * conversions to last -> (conversion) and non_conversions to last -> (null).
 * The state keeps one record per observed transition, keyed by the channel
 * ids of the from-state followed by the next channel id (or the symbol of
 * (conversion) / (null)); the to-state is the key without its first id when
 * the from-state already holds k channels, else the whole key.
 *
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "utils/memutils.h"

#include "attribution/markov_chain.h"

/*
 * The fold of a path for markov(order=auto): a hash of its channels' name
 * hashes, so every plan and every partial state puts a path in the same
 * fold.
 */
static int
path_fold(const AttrState *s, const int32 *ids, int n)
{
	const AttrChannel *chans = ATTR_STATE_CHANNELS(s);
	uint32		h = 0x9e3779b9;
	int			i;

	for (i = 0; i < n; i++)
		h = murmurhash32(h ^ chans[ids[i]].hash) + (uint32) i;
	return (int) (murmurhash32(h) % ATTR_MARKOV_FOLDS);
}

/* one transition of a path: its record key and hash, and what it adds */
typedef struct PathStep
{
	int32		key[ATTR_MAX_ORDER + 1];
	int			len;
	uint32		hash;
	const double *amounts;
} PathStep;

#define PATH_AHEAD	4			/* steps keyed (and their memory asked for) ahead */

/*
 * The transitions of one path of n >= 1 channel ids: after touch i the
 * state is ids[i - L .. i - 1] with L = min(i, k), so the key of the
 * transition leaving it is that tuple followed by the next symbol: step i
 * (i < n) goes to channel ids[i], step n to (conversion) when the row
 * converts, the last to (null) when it has non-conversions.  Steps are
 * keyed PATH_AHEAD ahead of their upserts, which wait on memory.
 */
AttrState *
attr_markov_add_path(AttrState *s, const int32 *ids, int n,
					 double conversions, double non_conversions, double value)
{
	const AttrModel *m = ATTR_STATE_MODEL(s);
	int			order = m->markov_order;
	bool		with_value = (m->flags & ATTR_MODEL_VALUE_REMOVAL) != 0;
	int			fold = (m->flags & ATTR_MODEL_MARKOV_AUTO) ? path_fold(s, ids, n) : 0;
	int			nsums = with_value ? 2 : 1;	/* the weight, and the value */
	double		w = conversions + non_conversions;
	double		step[2] = {w, 0.0};
	double		converted[2] = {conversions, value};
	double		lost[2] = {non_conversions, 0.0};
	int			nsteps = n + (conversions > 0.0) + (non_conversions > 0.0);
	PathStep	ahead[PATH_AHEAD];
	int			i;

	if (order < 1 || order > ATTR_MAX_ORDER)
		elog(ERROR, "invalid markov order %d", order);
	if (isinf(w))
		attr_overflow_error();
	for (i = 0; i < nsteps + PATH_AHEAD; i++)
	{
		PathStep   *st = &ahead[i % PATH_AHEAD];

		if (i >= PATH_AHEAD)
			s = attr_records_add(s, st->key, st->len, st->hash, st->amounts, nsums);
		if (i < nsteps)
		{
			int			at = Min(i, n);
			int			len = Min(at, order);

			memcpy(st->key, ids + at - len, sizeof(int32) * len);
			if (i < n)
			{
				st->key[len] = ids[i];
				st->amounts = step;
			}
			else if (i == n && conversions > 0.0)
			{
				/* the value rides on the conversions (none: it stays out of the chain) */
				st->key[len] = ATTR_SYM_CONVERSION_FOLD(fold);
				st->amounts = converted;
			}
			else
			{
				st->key[len] = ATTR_SYM_NULL_FOLD(fold);
				st->amounts = lost;
			}
			st->len = len + 1;
			st->hash = attr_records_hash(st->key, st->len);
			attr_records_prefetch(s, st->hash, 0);
		}
		if (i >= PATH_AHEAD / 2 && i - PATH_AHEAD / 2 < nsteps)
			attr_records_prefetch(s, ahead[(i - PATH_AHEAD / 2) % PATH_AHEAD].hash, 1);
	}
	return s;
}

/* open-addressing table of the tuples met while building */
typedef struct NodeTable
{
	ChainNode  *nodes;
	int32		n;
	int32	   *slots;
	uint32		mask;
} NodeTable;

static int32
node_id(NodeTable *t, const int32 *ids, int len)
{
	uint32		h = attr_records_hash(ids, len);
	uint32		i = h & t->mask;
	ChainNode  *nd;

	while (t->slots[i] != 0)
	{
		nd = &t->nodes[t->slots[i] - 1];
		if (nd->hash == h && nd->len == len &&
			memcmp(nd->ids, ids, sizeof(int32) * len) == 0)
			return t->slots[i] - 1;
		i = (i + 1) & t->mask;
	}
	if (2 * ((uint32) t->n + 1) > t->mask)
	{
		/* at most half full: twice the slots (the table grows with the states) */
		int32		k;

		pfree(t->slots);
		t->mask = 2 * t->mask + 1;
		t->slots = palloc0(sizeof(int32) * ((Size) t->mask + 1));
		for (k = 0; k < t->n; k++)
		{
			for (i = t->nodes[k].hash & t->mask; t->slots[i] != 0; i = (i + 1) & t->mask)
				;
			t->slots[i] = k + 1;
		}
		for (i = h & t->mask; t->slots[i] != 0; i = (i + 1) & t->mask)
			;
	}
	nd = &t->nodes[t->n];
	memset(nd, 0, sizeof(ChainNode));
	nd->len = len;
	memcpy(nd->ids, ids, sizeof(int32) * len);
	nd->hash = h;
	t->slots[i] = ++t->n;
	return t->n - 1;
}

/* (w, v) of a before b's */
static inline bool
edge_amounts_before(const ChainEdge *a, const ChainEdge *b)
{
	return socroi_cmp_double(a->w, b->w) < 0 ||
		(a->w == b->w && socroi_cmp_double(a->v, b->v) < 0);
}

/*
 * The edges by (from, to), then by weight and value, so that duplicates add
 * up in one order on every plan: two stable counting-sort passes (by to,
 * then by from: Knuth, TAOCP vol. 3, 5.2.5, least significant key first),
 * then an insertion sort of each run of one (from, to) -- a run holds
 * several edges only where records of a higher order or of the folds of
 * order=auto map to the same transition.
 */
static void
sort_edges(ChainEdge *edges, int32 nedges, int32 nnodes)
{
	ChainEdge  *tmp = palloc(sizeof(ChainEdge) * Max(nedges, 1));
	int32	   *count = palloc(sizeof(int32) * ((Size) nnodes + 3));
	int32		k;
	int32		j;

	/* by to, which is a node or CHAIN_TO_CONVERSION / CHAIN_TO_NULL (-1, -2) */
	memset(count, 0, sizeof(int32) * ((Size) nnodes + 3));
	for (k = 0; k < nedges; k++)
		count[edges[k].to - CHAIN_TO_NULL + 1]++;
	for (k = 1; k < nnodes + 3; k++)
		count[k] += count[k - 1];
	for (k = 0; k < nedges; k++)
		tmp[count[edges[k].to - CHAIN_TO_NULL]++] = edges[k];
	/* then by from, keeping that order */
	memset(count, 0, sizeof(int32) * ((Size) nnodes + 3));
	for (k = 0; k < nedges; k++)
		count[tmp[k].from + 1]++;
	for (k = 1; k < nnodes + 1; k++)
		count[k] += count[k - 1];
	for (k = 0; k < nedges; k++)
		edges[count[tmp[k].from]++] = tmp[k];
	for (k = 1; k < nedges; k++)
	{
		ChainEdge	e = edges[k];

		for (j = k; j > 0 && edges[j - 1].from == e.from && edges[j - 1].to == e.to &&
			 edge_amounts_before(&e, &edges[j - 1]); j--)
			edges[j] = edges[j - 1];
		edges[j] = e;
	}
	pfree(tmp);
	pfree(count);
}

/*
 * The states, transitions and weights of the chain of the given order, in
 * the canonical order: (start) first, then tuples by length, then channel by
 * channel by name; edges sorted by (from, to).  Zeroes *mc first.  Records
 * that map to the same transition (a lower order than the records', or the
 * folds of order=auto) add up after sorting, so in the same order on every
 * plan.
 */
void
markov_chain_build(const AttrState *s, int order, MarkovChain *mc)
{
	const AttrRecords *r = attr_state_records(s);
	const AttrModel *m = ATTR_STATE_MODEL(s);
	int			rec_order = m->markov_order;
	bool		with_value = (m->flags & ATTR_MODEL_VALUE_REMOVAL) != 0;
	uint32		nrec = r ? r->nrecords : 0;
	int32		cap;
	NodeTable	t;
	ChainEdge  *edges;
	int32		nedges = 0;
	int32		nall;
	int32	   *perm;
	int32	   *inv;
	AttrTuple  *tuples;
	int32	   *rank;
	uint32		i;
	int32		k;

	memset(mc, 0, sizeof(MarkovChain));
	if (nrec > (uint32) ATTR_MAX_RECORDS)
		elog(ERROR, "markov state with %u records", nrec);
	if (order < 1 || order > rec_order)
		elog(ERROR, "markov chain of order %d from records of order %d", order, rec_order);
	cap = 2 * (int32) nrec + 1;
	if ((Size) cap * sizeof(ChainNode) > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("markov chain of %u transitions is too large to solve", nrec),
				 errhint("Use a lower order, or collapse repeated touches with "
						 "path_transform(path, 'exposure').")));
	t.nodes = palloc(sizeof(ChainNode) * cap);
	t.n = 0;
	t.slots = palloc0(sizeof(int32) * 1024);
	t.mask = 1024 - 1;
	edges = palloc(sizeof(ChainEdge) * Max(nrec, 1));

	{
		int32		none[1] = {0};

		(void) node_id(&t, none, 0);	/* (start) */
	}
	for (i = 0; i < nrec; i++)
	{
		const AttrRecord *rec = attr_record(r, i);
		const SocroiSum *sums = attr_record_sums(r, rec);
		int			rlen = (int) rec->key_len - 1;	/* the record's from-state */
		int			len;
		const int32 *key;
		int32		next;
		ChainEdge  *ed = &edges[nedges];

		if (rlen < 0 || rlen > rec_order)
			elog(ERROR, "markov record with a key of %u ints", rec->key_len);
		len = Min(rlen, order);
		key = rec->key + (rlen - len);	/* the last len channels */
		next = key[len];
		ed->from = node_id(&t, key, len);
		ed->w = socroi_sum_value(&sums[0]);
		ed->v = 0.0;
		if (next >= 0)
			/* to-state: the key itself, or without its oldest channel */
			ed->to = (len < order) ? node_id(&t, key, len + 1) :
				node_id(&t, key + 1, order);
		else if (ATTR_SYM_IS_CONVERSION(next))
		{
			ed->to = CHAIN_TO_CONVERSION;
			if (with_value)
				ed->v = socroi_sum_value(&sums[1]);
		}
		else
			ed->to = CHAIN_TO_NULL;
		nedges++;
	}

	/* canonical order: (start) first, then by length, channel by channel by name */
	rank = attr_state_channel_ranks(s);
	tuples = palloc(sizeof(AttrTuple) * t.n);
	perm = palloc(sizeof(int32) * t.n);
	inv = palloc(sizeof(int32) * t.n);
	for (k = 0; k < t.n; k++)
	{
		perm[k] = k;
		tuples[k].ids = t.nodes[k].ids;
		tuples[k].len = t.nodes[k].len;
	}
	attr_sort_tuples(perm + 1, t.n - 1, tuples, rank);
	pfree(tuples);
	for (k = 0; k < t.n; k++)
		inv[perm[k]] = k;

	mc->nnodes = t.n;
	mc->nodes = palloc(sizeof(ChainNode) * t.n);
	mc->conv = palloc0(sizeof(double) * t.n);
	mc->null = palloc0(sizeof(double) * t.n);
	if (with_value)
		mc->value = palloc0(sizeof(double) * t.n);
	for (k = 0; k < t.n; k++)
		mc->nodes[k] = t.nodes[perm[k]];
	for (k = 0; k < nedges; k++)
	{
		edges[k].from = inv[edges[k].from];
		if (edges[k].to >= 0)
			edges[k].to = inv[edges[k].to];
	}
	sort_edges(edges, nedges, t.n);

	/* add up duplicates; absorbing ones go to conv, null, value */
	nall = nedges;
	nedges = 0;
	for (k = 0; k < nall;)
	{
		ChainEdge	e = edges[k];
		SocroiSum	w = {0, 0};
		SocroiSum	v = {0, 0};

		for (; k < nall && edges[k].from == e.from && edges[k].to == e.to; k++)
		{
			socroi_sum_add(&w, edges[k].w);
			socroi_sum_add(&v, edges[k].v);
		}
		e.w = socroi_sum_value(&w);
		e.v = socroi_sum_value(&v);
		if (e.to == CHAIN_TO_CONVERSION)
		{
			mc->conv[e.from] = e.w;
			if (with_value)
				mc->value[e.from] = e.v;
		}
		else if (e.to == CHAIN_TO_NULL)
			mc->null[e.from] = e.w;
		else
			edges[nedges++] = e;
	}
	mc->edges = edges;
	mc->nedges = nedges;

	pfree(t.nodes);
	pfree(t.slots);
	pfree(perm);
	pfree(inv);
	pfree(rank);
}

/* the readable name of a state: "(start)" or "a > b" */
void
markov_chain_state_name(StringInfo buf, const AttrState *s, const ChainNode *nd)
{
	int			k;

	if (nd->len == 0)
	{
		appendStringInfoString(buf, "(start)");
		return;
	}
	for (k = 0; k < nd->len; k++)
	{
		const AttrChannel *ch = &ATTR_STATE_CHANNELS(s)[nd->ids[k]];

		if (k > 0)
			appendStringInfoString(buf, " > ");
		appendBinaryStringInfo(buf, ATTR_STATE_ARENA(s) + ch->name_off, ch->name_len);
	}
}
