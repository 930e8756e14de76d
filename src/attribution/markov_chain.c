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

#include "attribution/markov_chain.h"

static inline void
add_transition(AttrState **sp, const int32 *key, int len, double w)
{
	bool		found;
	SocroiSum    *sum = attr_records_upsert(sp, key, len,
										  attr_records_hash(key, len), &found);

	socroi_sum_add(sum, w);
	if (isinf(sum->sum) || isnan(sum->comp))
		attr_overflow_error();
}

/*
 * The transitions of one path of n >= 1 channel ids: after touch i the
 * state is ids[i - L .. i - 1] with L = min(i, k), so the key of the
 * transition leaving it is that tuple followed by the next symbol.
 */
AttrState *
attr_markov_add_path(AttrState *s, const int32 *ids, int n,
					 double conversions, double non_conversions)
{
	int			order = ATTR_STATE_MODEL(s)->markov_order;
	double		w = conversions + non_conversions;
	int32		key[ATTR_MAX_ORDER + 1];
	int			i;

	if (order < 1 || order > ATTR_MAX_ORDER)
		elog(ERROR, "invalid markov order %d", order);
	if (isinf(w))
		attr_overflow_error();
	for (i = 0; i <= n; i++)
	{
		int			len = Min(i, order);

		memcpy(key, ids + i - len, sizeof(int32) * len);
		if (i < n)
		{
			key[len] = ids[i];
			add_transition(&s, key, len + 1, w);
			continue;
		}
		if (conversions > 0.0)
		{
			key[len] = ATTR_SYM_CONVERSION;
			add_transition(&s, key, len + 1, conversions);
		}
		if (non_conversions > 0.0)
		{
			key[len] = ATTR_SYM_NULL;
			add_transition(&s, key, len + 1, non_conversions);
		}
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
	nd = &t->nodes[t->n];
	memset(nd, 0, sizeof(ChainNode));
	nd->len = len;
	memcpy(nd->ids, ids, sizeof(int32) * len);
	nd->hash = h;
	t->slots[i] = ++t->n;
	return t->n - 1;
}

typedef struct NodeOrder
{
	const ChainNode *nodes;
	const int32 *rank;
} NodeOrder;

/* canonical order of states: by length, then channel by channel by name */
static int
compare_nodes(const void *pa, const void *pb, void *arg)
{
	const NodeOrder *o = (const NodeOrder *) arg;
	const ChainNode *a = &o->nodes[*(const int32 *) pa];
	const ChainNode *b = &o->nodes[*(const int32 *) pb];

	return attr_tuple_cmp(a->ids, a->len, b->ids, b->len, o->rank);
}

static int
compare_edges(const void *pa, const void *pb)
{
	const ChainEdge *a = (const ChainEdge *) pa;
	const ChainEdge *b = (const ChainEdge *) pb;

	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	if (a->to != b->to)
		return a->to < b->to ? -1 : 1;
	return 0;
}

/*
 * The states, transitions and weights of the state's records, in the
 * canonical order: (start) first, then tuples by length, then channel by
 * channel by name; edges sorted by (from, to).  Zeroes *mc first.
 */
void
markov_chain_build(const AttrState *s, MarkovChain *mc)
{
	const AttrRecords *r = attr_state_records(s);
	int			order = ATTR_STATE_MODEL(s)->markov_order;
	uint32		nrec = r ? r->nrecords : 0;
	int32		cap;
	NodeTable	t;
	double	   *conv;
	double	   *null;
	ChainEdge  *edges;
	int32		nedges = 0;
	int32	   *perm;
	int32	   *inv;
	NodeOrder	o;
	uint32		slots = 8;
	uint32		i;
	int32		k;

	memset(mc, 0, sizeof(MarkovChain));
	if (nrec > (uint32) ATTR_MAX_RECORDS)
		elog(ERROR, "markov state with %u records", nrec);
	cap = 2 * (int32) nrec + 1;
	while (slots < 2 * (uint32) cap)
		slots *= 2;
	t.nodes = palloc(sizeof(ChainNode) * cap);
	t.n = 0;
	t.slots = palloc0(sizeof(int32) * slots);
	t.mask = slots - 1;
	conv = palloc0(sizeof(double) * cap);
	null = palloc0(sizeof(double) * cap);
	edges = palloc(sizeof(ChainEdge) * Max(nrec, 1));

	{
		int32		none[1] = {0};

		(void) node_id(&t, none, 0);	/* (start) */
	}
	for (i = 0; i < nrec; i++)
	{
		const AttrRecord *rec = attr_record(r, i);
		const int32 *key = rec->key;
		int			len = (int) rec->key_len - 1;	/* from-state length */
		int32		next;
		int32		from;
		double		w = socroi_sum_value(&attr_record_sums(r, rec)[0]);

		if (len < 0 || len > order)
			elog(ERROR, "markov record with a key of %u ints", rec->key_len);
		next = key[len];
		from = node_id(&t, key, len);
		if (next >= 0)
		{
			/* to-state: the key itself, or without its oldest channel */
			int32		to = (len < order) ? node_id(&t, key, len + 1) :
				node_id(&t, key + 1, order);

			edges[nedges].from = from;
			edges[nedges].to = to;
			edges[nedges].w = w;
			nedges++;
		}
		else if (next == ATTR_SYM_CONVERSION)
			conv[from] += w;
		else
			null[from] += w;
	}

	/* canonical order */
	o.nodes = t.nodes;
	o.rank = attr_state_channel_ranks(s);
	perm = palloc(sizeof(int32) * t.n);
	inv = palloc(sizeof(int32) * t.n);
	for (k = 0; k < t.n; k++)
		perm[k] = k;
	qsort_arg(perm + 1, t.n - 1, sizeof(int32), compare_nodes, &o);
	for (k = 0; k < t.n; k++)
		inv[perm[k]] = k;

	mc->nnodes = t.n;
	mc->nodes = palloc(sizeof(ChainNode) * t.n);
	mc->conv = palloc(sizeof(double) * t.n);
	mc->null = palloc(sizeof(double) * t.n);
	for (k = 0; k < t.n; k++)
	{
		mc->nodes[k] = t.nodes[perm[k]];
		mc->conv[k] = conv[perm[k]];
		mc->null[k] = null[perm[k]];
	}
	for (k = 0; k < nedges; k++)
	{
		edges[k].from = inv[edges[k].from];
		edges[k].to = inv[edges[k].to];
	}
	qsort(edges, nedges, sizeof(ChainEdge), compare_edges);
	mc->edges = edges;
	mc->nedges = nedges;

	pfree(t.nodes);
	pfree(t.slots);
	pfree(conv);
	pfree(null);
	pfree(perm);
	pfree(inv);
	pfree((void *) o.rank);
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
