/*
 * attribution_markov.c
 *		Markov-chain attribution (PRODUCT.md section 3.3): the transition
 *		records of the aggregate state, the exact absorbing-chain solve
 *		behind the removal effects, and the final function of the
 *		markov_transitions() aggregates.
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
 * Absorption probabilities (Kemeny & Snell 1960, "Finite Markov Chains",
 * thm. 3.3.7: x = Q x + r).  With the un-normalised weights W, C_i the
 * weight i -> (conversion) and D_i the weight leaving i other than its
 * self-loop (a self-loop only delays absorption, so it drops out):
 *     D_i x_i = sum_{j != i} W_ij x_j + C_i,        P = x_(start).
 * Removal of channel c: every transition into a state containing c goes to
 * (null).  With M the states containing c, the removed chain x' satisfies
 * the same equations over the states outside M with x'_M = 0, so the loss
 * d = x - x' satisfies
 *     D_i d_i = sum_{j != i, j not in M} W_ij d_j + sum_{j in M} W_ij x_j:
 * the same rows restricted to the kept states, with the base solution's
 * flow into M as the right side.  RE(c) = 1 - P_-c / P = d_(start) / P,
 * computed from d directly, which avoids the cancellation of 1 - P_-c / P
 * for a rare channel.  Its accuracy is that of the solve: exact elimination
 * in small components; in large ones an error bound relative to the
 * largest entry of the component (CERT_TOLERANCE), so a rare channel's
 * small removal effect is right in absolute terms, not to every digit.
 *
 * Solver.  The chain is built once per final call in a canonical order
 * (channels ranked by name), so every plan computes in the same order.  Its
 * rows are compressed (CSR) with each state's successors split into those
 * inside its strongly connected component and those outside.  Components
 * (Tarjan 1972, "Depth-first search and linear graph algorithms", SIAM J.
 * Comput. 1(2), in an iterative form) come out in reverse topological
 * order, so each is solved after all its successors are final: a single
 * state directly; a component of up to DENSE_MAX states by Gaussian
 * elimination with partial pivoting; a larger one by Gauss-Seidel sweeps
 * with a one-dimensional correction along the Perron vector of the
 * component (gauss_seidel() explains), stopped when the error estimated
 * from the contraction rate of successive sweeps is below GS_TOLERANCE
 * relative, then certified by a bound computed from the exact residual
 * (certificate: CERT_TOLERANCE), with hard caps on the work.  One solve per
 * channel, BLOCK channels at a time over the same rows: only the states
 * fixed by the removal change; the rows, the components and the base
 * solution are built once and reused.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

#include "attribution/attribution.h"
#include "common/common.h"

PG_FUNCTION_INFO_V1(socroi_markov_transitions_final);

#define DENSE_MAX		96		/* components up to this size: direct solve */
#define GS_TOLERANCE	1e-13	/* estimated relative error to stop at */
#define RELATIVE_FLOOR	1e-12	/* smaller entries: absolute convergence */
#define CERT_TOLERANCE	1e-9	/* certified error bound, relative */
#define GS_MAX_SWEEPS	100000	/* hard caps: sweeps, and rows x sweeps */
#define GS_MAX_WORK		((Size) 2000000000)

/* ---------- accumulation ---------- */

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

/* ---------- the chain ---------- */

typedef struct ChainNode
{
	int32		len;
	int32		ids[ATTR_MAX_ORDER];
	uint32		hash;
} ChainNode;

typedef struct ChainEdge
{
	int32		from;
	int32		to;
	double		w;
} ChainEdge;

typedef struct MarkovChain
{
	int32		nnodes;
	ChainNode  *nodes;			/* canonical order; node 0 is (start) */
	int32		nedges;
	ChainEdge  *edges;			/* every channel transition, by (from, to) */
	double	   *conv;			/* weight node -> (conversion) */
	double	   *null;			/* weight node -> (null) */
	double	   *self;			/* self-loop weight */
	double	   *denom;			/* weight leaving the node, self-loop excluded */
	double	   *inv_denom;		/* 1 / denom (0 for a node with none) */
	/* solver rows: successors with weight > 0 other than the node itself */
	int32	   *row;			/* nnodes + 1 */
	int32	   *int_end;		/* end of the successors in the same component */
	int32	   *col;
	double	   *w;
	/* components of the live nodes, in reverse topological order */
	bool	   *dead;			/* cannot reach (conversion) or (null) */
	int32		nscc;
	int32	   *scc_begin;		/* nscc + 1 */
	int32	   *scc_nodes;
	int32	   *scc_of;
	/* for gauss_seidel(): set when some component is large, else NULL */
	double	   *perron_v;		/* right: J v = lambda v, J = D^-1 W */
	double	   *perron_w;		/* left, divided by D: u^T J = lambda u^T, w = u / D */
	double	   *scc_bound;		/* per component: (I - J)^-1 1 <= scc_bound */
} MarkovChain;

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
	int			k;

	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	for (k = 0; k < a->len; k++)
	{
		int32		ra = o->rank[a->ids[k]];
		int32		rb = o->rank[b->ids[k]];

		if (ra != rb)
			return ra < rb ? -1 : 1;
	}
	return 0;
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

/* the states, transitions and weights of the state's records */
static void
build_nodes(const AttrState *s, MarkovChain *mc)
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

static int
compare_by_first_successor(const void *pa, const void *pb, void *arg)
{
	const MarkovChain *mc = (const MarkovChain *) arg;
	int32		a = *(const int32 *) pa;
	int32		b = *(const int32 *) pb;
	int32		sa = mc->int_end[a] > mc->row[a] ? mc->col[mc->row[a]] : -1;
	int32		sb = mc->int_end[b] > mc->row[b] ? mc->col[mc->row[b]] : -1;

	if (sa != sb)
		return sa < sb ? -1 : 1;
	return (a > b) - (a < b);
}

/*
 * What gauss_seidel() needs of each large component: the Perron vectors of
 * J = D^-1 W restricted to it, by power iteration on I + J (same vectors;
 * the shift keeps the iteration converging when the component is
 * periodic) -- only a direction for the correction, which stays exact
 * whatever their accuracy -- and the bound of its certificate.
 */
#define PERRON_ITERATIONS 30
#define CERT_SWEEPS		60

static void
prepare_large_components(MarkovChain *mc)
{
	int32		n = mc->nnodes;
	double	   *u = NULL;
	double	   *tmp = NULL;
	int32		c;

	for (c = 0; c < mc->nscc; c++)
	{
		int32		first = mc->scc_begin[c];
		int32		m = mc->scc_begin[c + 1] - first;
		const int32 *members = mc->scc_nodes + first;
		int			it;
		int32		k;

		if (m <= DENSE_MAX)
			continue;
		if (mc->perron_v == NULL)
		{
			mc->scc_bound = palloc0(sizeof(double) * mc->nscc);
			mc->perron_v = palloc0(sizeof(double) * n);
			mc->perron_w = palloc0(sizeof(double) * n);
			u = palloc0(sizeof(double) * n);
			tmp = palloc0(sizeof(double) * n);
		}
		for (k = 0; k < m; k++)
			mc->perron_v[members[k]] = u[members[k]] = 1.0;
		for (it = 0; it < PERRON_ITERATIONS; it++)
		{
			double		vmax = 0.0;
			double		umax = 0.0;

			/* v <- v + J v */
			for (k = 0; k < m; k++)
			{
				int32		i = members[k];
				double		sum = 0.0;
				int32		e;

				for (e = mc->row[i]; e < mc->int_end[i]; e++)
					sum += mc->w[e] * mc->perron_v[mc->col[e]];
				tmp[i] = mc->perron_v[i] + sum * mc->inv_denom[i];
				vmax = Max(vmax, tmp[i]);
			}
			for (k = 0; k < m; k++)
				mc->perron_v[members[k]] = tmp[members[k]] / vmax;

			/* u <- u + J^T u */
			for (k = 0; k < m; k++)
				tmp[members[k]] = u[members[k]];
			for (k = 0; k < m; k++)
			{
				int32		i = members[k];
				double		f = u[i] * mc->inv_denom[i];
				int32		e;

				for (e = mc->row[i]; e < mc->int_end[i]; e++)
					tmp[mc->col[e]] += f * mc->w[e];
			}
			for (k = 0; k < m; k++)
				umax = Max(umax, tmp[members[k]]);
			for (k = 0; k < m; k++)
				u[members[k]] = tmp[members[k]] / umax;
		}
		for (k = 0; k < m; k++)
			mc->perron_w[members[k]] = u[members[k]] * mc->inv_denom[members[k]];

		/*
		 * A positive u with (I - J) u >= gamma > 0 componentwise bounds the
		 * inverse of the M-matrix I - J: (I - J)^-1 1 <= u / gamma, whatever
		 * the accuracy of u (Berman & Plemmons, "Nonnegative Matrices in the
		 * Mathematical Sciences", ch. 6, the semipositivity
		 * characterisation).  u: a few Gauss-Seidel sweeps towards the
		 * expected steps before leaving the component, (I - J) t = 1, whose
		 * bound is then about max t.
		 */
		for (k = 0; k < m; k++)
			u[members[k]] = 0.0;
		for (it = 0; it < CERT_SWEEPS; it++)
			for (k = 0; k < m; k++)
			{
				int32		i = members[k];
				double		sum = 0.0;
				int32		e;

				for (e = mc->row[i]; e < mc->int_end[i]; e++)
					sum += mc->w[e] * u[mc->col[e]];
				u[i] = 1.0 + sum * mc->inv_denom[i];
			}
		{
			double		gamma = HUGE_VAL;
			double		umax = 0.0;

			for (k = 0; k < m; k++)
			{
				int32		i = members[k];
				double		sum = 0.0;
				int32		e;

				for (e = mc->row[i]; e < mc->int_end[i]; e++)
					sum += mc->w[e] * u[mc->col[e]];
				gamma = Min(gamma, u[i] - sum * mc->inv_denom[i]);
				umax = Max(umax, u[i]);
			}
			mc->scc_bound[c] = (gamma > 0.0) ? umax / gamma : HUGE_VAL;
		}
	}
	if (u != NULL)
	{
		pfree(u);
		pfree(tmp);
	}
}

/*
 * Absorption probabilities do not change when every weight is scaled by the
 * same factor.  A chain whose largest weight is below 1/2 (tiny conversion
 * counts) is lifted by a power of two -- exactly -- so that its largest
 * weight lies in [1/2, 1) and 1 / denominator cannot overflow.
 */
static void
scale_tiny_weights(MarkovChain *mc)
{
	double		largest = 0.0;
	int			exponent;
	int32		i;

	for (i = 0; i < mc->nnodes; i++)
		largest = Max(largest, Max(mc->conv[i], mc->null[i]));
	for (i = 0; i < mc->nedges; i++)
		largest = Max(largest, mc->edges[i].w);
	if (!(largest > 0.0 && largest < 0.5))
		return;
	(void) frexp(largest, &exponent);	/* largest = f 2^exponent, f in [1/2, 1) */
	for (i = 0; i < mc->nnodes; i++)
	{
		mc->conv[i] = ldexp(mc->conv[i], -exponent);
		mc->null[i] = ldexp(mc->null[i], -exponent);
	}
	for (i = 0; i < mc->nedges; i++)
		mc->edges[i].w = ldexp(mc->edges[i].w, -exponent);
}

/*
 * Weights out of every node, dead nodes (no route with positive weight to
 * (conversion) or (null): only a crafted state has them; their
 * absorption probability is 0), the solver rows and the components.
 */
static void
build_solver(MarkovChain *mc)
{
	int32		n = mc->nnodes;
	int32	   *rev_begin;
	int32	   *rev;
	int32	   *queue;
	int32		qh = 0;
	int32		qt = 0;
	int32		e;
	int32		i;
	int32		nrows;
	int32	   *index;
	int32	   *low;
	bool	   *on_stack;
	int32	   *stack;
	int32		sp = 0;
	int32	   *call_node;
	int32	   *call_edge;
	int32		depth;
	int32		counter = 0;
	int32		filled = 0;

	scale_tiny_weights(mc);
	mc->self = palloc0(sizeof(double) * n);
	mc->denom = palloc(sizeof(double) * n);
	for (i = 0; i < n; i++)
		mc->denom[i] = mc->conv[i] + mc->null[i];
	for (e = 0; e < mc->nedges; e++)
	{
		const ChainEdge *ed = &mc->edges[e];

		if (ed->from == ed->to)
			mc->self[ed->from] += ed->w;
		else
			mc->denom[ed->from] += ed->w;
	}
	mc->inv_denom = palloc(sizeof(double) * n);
	for (i = 0; i < n; i++)
	{
		if (!isfinite(mc->denom[i]) || !isfinite(mc->denom[i] + mc->self[i]))
			attr_overflow_error();
		mc->inv_denom[i] = mc->denom[i] > 0.0 ? 1.0 / mc->denom[i] : 0.0;
	}

	/* live nodes: reverse reachability from the absorbing transitions */
	rev_begin = palloc0(sizeof(int32) * (n + 1));
	rev = palloc(sizeof(int32) * Max(mc->nedges, 1));
	for (e = 0; e < mc->nedges; e++)
		if (mc->edges[e].w > 0.0 && mc->edges[e].from != mc->edges[e].to)
			rev_begin[mc->edges[e].to + 1]++;
	for (i = 0; i < n; i++)
		rev_begin[i + 1] += rev_begin[i];
	{
		int32	   *fill = palloc(sizeof(int32) * n);

		memcpy(fill, rev_begin, sizeof(int32) * n);
		for (e = 0; e < mc->nedges; e++)
			if (mc->edges[e].w > 0.0 && mc->edges[e].from != mc->edges[e].to)
				rev[fill[mc->edges[e].to]++] = mc->edges[e].from;
		pfree(fill);
	}
	mc->dead = palloc(sizeof(bool) * n);
	queue = palloc(sizeof(int32) * n);
	for (i = 0; i < n; i++)
	{
		mc->dead[i] = !(mc->conv[i] + mc->null[i] > 0.0);
		if (!mc->dead[i])
			queue[qt++] = i;
	}
	while (qh < qt)
	{
		int32		v = queue[qh++];

		for (e = rev_begin[v]; e < rev_begin[v + 1]; e++)
			if (mc->dead[rev[e]])
			{
				mc->dead[rev[e]] = false;
				queue[qt++] = rev[e];
			}
	}
	pfree(rev_begin);
	pfree(rev);
	pfree(queue);

	/* rows: successors with weight > 0, live, other than the node itself */
	mc->row = palloc(sizeof(int32) * (n + 1));
	mc->int_end = palloc(sizeof(int32) * n);
	mc->col = palloc(sizeof(int32) * Max(mc->nedges, 1));
	mc->w = palloc(sizeof(double) * Max(mc->nedges, 1));
	nrows = 0;
	e = 0;
	for (i = 0; i < n; i++)
	{
		mc->row[i] = nrows;
		for (; e < mc->nedges && mc->edges[e].from == i; e++)
		{
			const ChainEdge *ed = &mc->edges[e];

			if (ed->w > 0.0 && ed->to != i && !mc->dead[i] && !mc->dead[ed->to])
			{
				mc->col[nrows] = ed->to;
				mc->w[nrows] = ed->w;
				nrows++;
			}
		}
	}
	mc->row[n] = nrows;

	/* strongly connected components (Tarjan, iterative) */
	index = palloc(sizeof(int32) * n);
	low = palloc(sizeof(int32) * n);
	on_stack = palloc0(sizeof(bool) * n);
	stack = palloc(sizeof(int32) * n);
	call_node = palloc(sizeof(int32) * n);
	call_edge = palloc(sizeof(int32) * n);
	mc->scc_of = palloc(sizeof(int32) * n);
	mc->scc_nodes = palloc(sizeof(int32) * n);
	mc->scc_begin = palloc(sizeof(int32) * (n + 1));
	mc->nscc = 0;
	for (i = 0; i < n; i++)
	{
		index[i] = -1;
		mc->scc_of[i] = -1;
	}
	for (i = 0; i < n; i++)
	{
		if (mc->dead[i] || index[i] >= 0)
			continue;
		depth = 0;
		index[i] = low[i] = counter++;
		stack[sp++] = i;
		on_stack[i] = true;
		call_node[depth] = i;
		call_edge[depth] = mc->row[i];
		depth++;
		while (depth > 0)
		{
			int32		v = call_node[depth - 1];

			if (call_edge[depth - 1] < mc->row[v + 1])
			{
				int32		w = mc->col[call_edge[depth - 1]++];

				if (index[w] < 0)
				{
					index[w] = low[w] = counter++;
					stack[sp++] = w;
					on_stack[w] = true;
					call_node[depth] = w;
					call_edge[depth] = mc->row[w];
					depth++;
				}
				else if (on_stack[w])
					low[v] = Min(low[v], index[w]);
				continue;
			}
			depth--;
			if (low[v] == index[v])
			{
				int32		w;

				/* popped deepest first: successors before predecessors */
				mc->scc_begin[mc->nscc] = filled;
				do
				{
					w = stack[--sp];
					on_stack[w] = false;
					mc->scc_of[w] = mc->nscc;
					mc->scc_nodes[filled++] = w;
				} while (w != v);
				mc->nscc++;
			}
			if (depth > 0)
			{
				int32		u = call_node[depth - 1];

				low[u] = Min(low[u], low[v]);
			}
		}
	}
	mc->scc_begin[mc->nscc] = filled;
	pfree(index);
	pfree(low);
	pfree(on_stack);
	pfree(stack);
	pfree(call_node);
	pfree(call_edge);

	/* each row: successors in the same component first */
	for (i = 0; i < n; i++)
	{
		int32		a = mc->row[i];
		int32		b = mc->row[i + 1];
		int32		k;
		int32		m = a;

		for (k = a; k < b; k++)
		{
			if (mc->scc_of[mc->col[k]] == mc->scc_of[i])
			{
				int32		tc = mc->col[k];
				double		tw = mc->w[k];

				/* rotate col[m..k] right by one: stable within both parts */
				memmove(&mc->col[m + 1], &mc->col[m], sizeof(int32) * (k - m));
				memmove(&mc->w[m + 1], &mc->w[m], sizeof(double) * (k - m));
				mc->col[m] = tc;
				mc->w[m] = tw;
				m++;
			}
		}
		mc->int_end[i] = m;
	}

	/*
	 * Large components are swept in the order of their first successor
	 * (then node): states with the same recent channels share their
	 * successors -- in an order-k chain the successors of (a, b, ...) are
	 * the states starting with (b, ...), adjacent in the canonical order --
	 * so their solution rows are read while still in cache.
	 */
	{
		int32		c;

		for (c = 0; c < mc->nscc; c++)
		{
			int32		first = mc->scc_begin[c];
			int32		m = mc->scc_begin[c + 1] - first;

			if (m > DENSE_MAX)
				qsort_arg(mc->scc_nodes + first, m, sizeof(int32),
						  compare_by_first_successor, mc);
		}
	}

	prepare_large_components(mc);
}

/* ---------- solving ---------- */

/*
 * Right sides solved together: the loss systems of BLOCK channels share the
 * rows, so one pass over a row serves all of them (the inner loop is a
 * short multiply-add over contiguous doubles that the compiler vectorises).
 */
#define BLOCK			32

typedef struct SolveSpace
{
	double	   *y;				/* nnodes x BLOCK solutions */
	double	   *ext;			/* members x BLOCK: flow from outside */
	double	   *z;				/* members x BLOCK: A^T w (gauss_seidel) */
	double	   *later;			/* members x BLOCK: see gauss_seidel */
	int32	   *local;			/* node -> index in its component */
	int32	   *members;
	double	   *dense;			/* DENSE_MAX^2 */
	double	   *dense_rhs;
} SolveSpace;

/*
 * acc[b] += sum of w_ij y_jb over the solver entries [begin, end) of a row:
 * the product of one row with a block of BLOCK right-hand sides.
 */
static inline void
add_row_product(const MarkovChain *mc, int32 begin, int32 end,
				const double *y, double *acc)
{
	int32		e;
	int			b;

	for (e = begin; e < end; e++)
	{
		const double w = mc->w[e];
		const double *yj = y + (Size) mc->col[e] * BLOCK;

		for (b = 0; b < BLOCK; b++)
			acc[b] += w * yj[b];
	}
}

static void
solve_space_init(SolveSpace *ws, const MarkovChain *mc)
{
	int32		n = mc->nnodes;
	int32		largest = 1;
	int32		c;

	for (c = 0; c < mc->nscc; c++)
		largest = Max(largest, mc->scc_begin[c + 1] - mc->scc_begin[c]);
	if ((Size) n > MaxAllocSize / (sizeof(double) * BLOCK))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("markov chain of %d states is too large to solve", n),
				 errhint("Use a lower order, or collapse repeated touches with "
						 "path_transform(path, 'exposure').")));
	ws->y = palloc(sizeof(double) * BLOCK * n);
	/* per member of one component */
	ws->ext = palloc(sizeof(double) * BLOCK * largest);
	ws->z = palloc(sizeof(double) * BLOCK * largest);
	ws->later = palloc(sizeof(double) * BLOCK * largest);
	ws->local = palloc(sizeof(int32) * n);
	ws->members = palloc(sizeof(int32) * n);
	ws->dense = palloc(sizeof(double) * DENSE_MAX * DENSE_MAX);
	ws->dense_rhs = palloc(sizeof(double) * DENSE_MAX);
}

static void
not_converged(int sweeps, int32 size)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("markov chain solve did not converge in %d Gauss-Seidel sweeps over %d states",
					sweeps, size),
			 errhint("The journeys loop between channels for very long; collapse repeated "
					 "touches with path_transform(path, 'exposure'), shorten the paths, "
					 "or use a lower order.")));
}

/*
 * Gaussian elimination with partial pivoting (Golub & Van Loan, "Matrix
 * Computations", alg. 3.4.1) of the m x m system a y = rhs, in place.  The
 * matrix is nonsingular (weakly chained diagonally dominant: every kept
 * state reaches an exit); a zero pivot can only come from a crafted state.
 */
static void
dense_solve(double *a, double *rhs, int m)
{
	int			i;
	int			j;
	int			k;

	for (k = 0; k < m; k++)
	{
		int			p = k;
		double		best = fabs(a[k * m + k]);

		for (i = k + 1; i < m; i++)
			if (fabs(a[i * m + k]) > best)
			{
				best = fabs(a[i * m + k]);
				p = i;
			}
		if (!(best > 0.0))
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("markov chain has a singular component")));
		if (p != k)
		{
			for (j = k; j < m; j++)
			{
				double		t = a[k * m + j];

				a[k * m + j] = a[p * m + j];
				a[p * m + j] = t;
			}
			{
				double		t = rhs[k];

				rhs[k] = rhs[p];
				rhs[p] = t;
			}
		}
		for (i = k + 1; i < m; i++)
		{
			double		f = a[i * m + k] / a[k * m + k];

			if (f == 0.0)
				continue;
			for (j = k + 1; j < m; j++)
				a[i * m + j] -= f * a[k * m + j];
			rhs[i] -= f * rhs[k];
		}
	}
	for (i = m - 1; i >= 0; i--)
	{
		double		t = rhs[i];

		for (j = i + 1; j < m; j++)
			t -= a[i * m + j] * rhs[j];
		rhs[i] = t / a[i * m + i];
	}
}

/*
 * Gauss-Seidel sweeps over one large component (members and ext set by
 * solve_block), all nb systems at once.
 *
 * A sweep shrinks the error by about the square of the spectral radius of
 * the Jacobi matrix J = D^-1 W; for journey data that radius is ~0.8 and
 * comes from a single real Perron eigenvalue, the others being much
 * smaller.  So after every sweep the error along J's Perron vector v is
 * removed by a one-dimensional correction y += alpha v, alpha making the
 * residual orthogonal to the left Perron vector (a two-level method with v
 * as coarse space; cf. Saad, "Iterative Methods for Sparse Linear Systems",
 * 2nd ed., sec. 5.2 on projection steps).  The residual is taken exactly --
 * w^T r = w^T ext - z^T y with z = A^T w computed once -- so the correction
 * vanishes at the solution whatever the accuracy of v and w; they only set
 * the speed (about 0.25 per sweep instead of 0.64 on the bench data).  z^T y
 * is summed during the sweep and the correction is applied lazily by the
 * next one (a member adds alpha times the v-weight of its successors not yet
 * swept), so it costs no extra pass over the solution.  Once alpha is within
 * the rounding error of its sums, or the corrected sweeps stop improving,
 * plain Gauss-Seidel finishes: for this M-matrix system it converges from
 * any start (Varga, thm. 3.15).
 *
 * Stopping: the change of every entry relative to itself (RELATIVE_FLOOR
 * for tiny entries) and the contraction rate of successive sweeps estimate
 * the error left; below GS_TOLERANCE the answer is then certified: with
 * the exact residual, |error| <= scc_bound * max |r_i| / D_i, which must be
 * below CERT_TOLERANCE -- a nearly closed loop can stall the sweeps far from
 * the solution, and is reported instead of returned.
 */
static void
gauss_seidel(const MarkovChain *mc, int32 scc, int32 m, int nb,
			 const uint32 *fixed, SolveSpace *ws)
{
	const double *inv_denom = mc->inv_denom;
	double	   *y = ws->y;
	double	   *z = ws->z;
	double	   *later = ws->later;
	double		wext[BLOCK];
	double		den[BLOCK];
	double		alpha[BLOCK];
	double		ymax[BLOCK];
	bool		deflate = (mc->perron_v != NULL);
	double		prev_delta = 0.0;
	double		best_delta = 0.0;
	int			stalled = 0;
	Size		work = 0;
	int32		max_sweeps;
	int32		k;
	int			sweep;
	int			b;

	for (k = 0; k < m; k++)
	{
		int32		i = ws->members[k];

		work += mc->int_end[i] - mc->row[i] + 2;
	}
	max_sweeps = (int32) Max((Size) 1000, Min((Size) GS_MAX_SWEEPS, GS_MAX_WORK / work));

	for (b = 0; b < BLOCK; b++)
		wext[b] = den[b] = alpha[b] = 0.0;
	if (deflate)
	{
		/*
		 * z = A^T w over the members (in system b the free rows carry w, the
		 * fixed identity rows 0), w^T ext and z^T v_free; and for the lazy
		 * correction, per member the weight times v of its successors that
		 * come later in the sweep
		 */
		memset(z, 0, sizeof(double) * BLOCK * m);
		for (k = 0; k < m; k++)
		{
			int32		i = ws->members[k];
			uint32		fx = fixed ? fixed[i] : 0;
			const double *ext = ws->ext + (Size) k * BLOCK;
			double	   *lk = later + (Size) k * BLOCK;
			double		wv[BLOCK];
			int32		e;

			for (b = 0; b < BLOCK; b++)
			{
				wv[b] = (fx & ((uint32) 1 << b)) ? 0.0 : mc->perron_w[i];
				z[(Size) k * BLOCK + b] += mc->denom[i] * wv[b];
				wext[b] += wv[b] * ext[b];
				lk[b] = 0.0;
			}
			for (e = mc->row[i]; e < mc->int_end[i]; e++)
			{
				int32		j = mc->col[e];
				int32		kj = ws->local[j];
				double	   *zj = z + (Size) kj * BLOCK;
				const double w = mc->w[e];

				for (b = 0; b < BLOCK; b++)
					zj[b] -= w * wv[b];
				if (kj > k)
				{
					uint32		fj = fixed ? fixed[j] : 0;

					for (b = 0; b < BLOCK; b++)
						if (!(fj & ((uint32) 1 << b)))
							lk[b] += w * mc->perron_v[j];
				}
			}
		}
		for (k = 0; k < m; k++)
		{
			int32		i = ws->members[k];
			uint32		fx = fixed ? fixed[i] : 0;

			for (b = 0; b < BLOCK; b++)
				if (!(fx & ((uint32) 1 << b)))
					den[b] += z[(Size) k * BLOCK + b] * mc->perron_v[i];
		}
	}

	for (b = 0; b < BLOCK; b++)
		ymax[b] = 0.0;
	for (sweep = 1;; sweep++)
	{
		double		delta = 0.0;
		double		zy[BLOCK];
		double		zy_abs[BLOCK];
		double		floor_scale[BLOCK];

		for (b = 0; b < BLOCK; b++)
		{
			zy[b] = zy_abs[b] = 0.0;
			floor_scale[b] = RELATIVE_FLOOR * ymax[b];
			ymax[b] = 0.0;
		}
		for (k = 0; k < m; k++)
		{
			int32		i = ws->members[k];
			const double *ext = ws->ext + (Size) k * BLOCK;
			double	   *yi = y + (Size) i * BLOCK;
			uint32		fx = fixed ? fixed[i] : 0;
			double		acc[BLOCK];

			for (b = 0; b < BLOCK; b++)
				acc[b] = ext[b];
			add_row_product(mc, mc->row[i], mc->int_end[i], y, acc);
			if (deflate)
			{
				/* the pending correction of the successors not yet swept */
				const double *lk = later + (Size) k * BLOCK;

				for (b = 0; b < BLOCK; b++)
					acc[b] += alpha[b] * lk[b];
			}
			for (b = 0; b < BLOCK; b++)
				acc[b] *= inv_denom[i];
			/*
			 * the change relative to the value (entries below 1e-12 of the
			 * system's largest count as that size), divided out only when
			 * it is a new maximum
			 */
			for (b = 0; b < nb; b++)
			{
				double		v = acc[b];
				double		scale;
				double		change;

				if (fx & ((uint32) 1 << b))
					continue;
				change = fabs(v - (yi[b] + alpha[b] * (deflate ? mc->perron_v[i] : 0.0)));
				scale = Max(fabs(v), floor_scale[b]);
				if (change > delta * scale && scale > 0.0)
					delta = change / scale;
				ymax[b] = Max(ymax[b], fabs(v));
				yi[b] = v;
			}
			if (deflate)
			{
				const double *zk = z + (Size) k * BLOCK;

				for (b = 0; b < BLOCK; b++)
				{
					zy[b] += zk[b] * yi[b];
					zy_abs[b] += fabs(zk[b] * yi[b]);
				}
			}
		}

		/*
		 * The correction y += alpha v of this sweep's result, applied lazily
		 * by the next sweep (and explicitly after the last one).  alpha is a
		 * difference of sums; once it is within their rounding error it is
		 * noise, and the plain sweeps finish the job.
		 */
		if (deflate)
			for (b = 0; b < nb; b++)
			{
				double		noise = 16 * DBL_EPSILON * (fabs(wext[b]) + zy_abs[b]);

				alpha[b] = 0.0;
				if (den[b] > 0.0 && fabs(wext[b] - zy[b]) > noise)
					alpha[b] = (wext[b] - zy[b]) / den[b];
			}

		/* converged, or at the rounding floor */
		if (delta <= 2 * DBL_EPSILON)
			break;
		if (prev_delta > 0.0)
		{
			/* error left after contractions by rho: delta * rho / (1 - rho) */
			double		rho = delta / prev_delta;

			if (rho < 1.0 && delta * rho <= GS_TOLERANCE * (1.0 - rho))
				break;
		}
		/* the corrected sweeps stopped improving: plain sweeps from here */
		if (sweep == 1 || delta < best_delta)
		{
			best_delta = delta;
			stalled = 0;
		}
		else if (++stalled >= 4)
		{
			if (deflate)
			{
				deflate = false;
				for (b = 0; b < BLOCK; b++)
					alpha[b] = 0.0;
			}
		}
		prev_delta = delta;
		if (sweep >= max_sweeps)
			not_converged(sweep, m);
		CHECK_FOR_INTERRUPTS();
	}

	/* the last correction; the solution is non-negative (clear rounding) */
	for (k = 0; k < m; k++)
	{
		int32		i = ws->members[k];
		double	   *yi = y + (Size) i * BLOCK;
		uint32		fx = fixed ? fixed[i] : 0;

		for (b = 0; b < nb; b++)
		{
			if (fx & ((uint32) 1 << b))
				continue;
			if (deflate)
				yi[b] += alpha[b] * mc->perron_v[i];
			if (yi[b] < 0.0)
				yi[b] = 0.0;
		}
	}

	/*
	 * Certify the answer, not only the stalling of the sweeps: with the
	 * residual r = ext + W y - D y computed exactly, the error is
	 * e = (I - J)^-1 D^-1 r, so |e| <= scc_bound * max |r_i| / D_i.
	 */
	{
		double		rmax[BLOCK];
		double		vmax[BLOCK];

		for (b = 0; b < BLOCK; b++)
			rmax[b] = vmax[b] = 0.0;
		for (k = 0; k < m; k++)
		{
			int32		i = ws->members[k];
			const double *ext = ws->ext + (Size) k * BLOCK;
			double	   *yi = y + (Size) i * BLOCK;
			uint32		fx = fixed ? fixed[i] : 0;
			double		acc[BLOCK];

			for (b = 0; b < BLOCK; b++)
				acc[b] = ext[b];
			add_row_product(mc, mc->row[i], mc->int_end[i], y, acc);
			for (b = 0; b < nb; b++)
			{
				if (fx & ((uint32) 1 << b))
					continue;
				rmax[b] = Max(rmax[b], fabs(acc[b] - mc->denom[i] * yi[b]) * inv_denom[i]);
				vmax[b] = Max(vmax[b], yi[b]);
			}
		}
		for (b = 0; b < nb; b++)
			if (!(mc->scc_bound[scc] * rmax[b] <= CERT_TOLERANCE * vmax[b]))
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("markov chain solve cannot be certified to %g over a loop of %d states",
								CERT_TOLERANCE, m),
						 errdetail("Journeys stay up to about %.3g steps in the loop before leaving it.",
								   mc->scc_bound[scc]),
						 errhint("The journeys loop between channels for very long; collapse repeated "
								 "touches with path_transform(path, 'exposure'), shorten the paths, "
								 "or use a lower order.")));
	}
}

/*
 * One block of nb <= BLOCK systems over the live states, component by
 * component, into ws->y (zeroed by the caller, fixed entries preset).
 *   Base system (conv != NULL, nb = 1):  D_i x_i = sum_j W_ij x_j + C_i.
 *   Loss systems of removals (conv == NULL): in system b the states that
 *   contain channel b are fixed at d_i = x_i -- there everything is lost,
 *   which folds the flow into M of the header comment into the fixed
 *   entries -- and every other state satisfies D_i d_i = sum_j W_ij d_j.
 */
static void
solve_block(const MarkovChain *mc, int nb, const double *conv,
			const uint32 *fixed, SolveSpace *ws)
{
	double	   *y = ws->y;
	int32		c;

	for (c = 0; c < mc->nscc; c++)
	{
		int32		first = mc->scc_begin[c];
		int32		m = mc->scc_begin[c + 1] - first;
		int32		k;
		int			b;

		if ((c & 0x3FF) == 0x3FF)
			CHECK_FOR_INTERRUPTS();

		/* the flow from the finished components below */
		for (k = 0; k < m; k++)
		{
			int32		i = mc->scc_nodes[first + k];
			double	   *ext = ws->ext + (Size) k * BLOCK;

			ws->local[i] = k;
			ws->members[k] = i;
			for (b = 0; b < BLOCK; b++)
				ext[b] = 0.0;
			if (conv != NULL)
				ext[0] = conv[i];
			add_row_product(mc, mc->int_end[i], mc->row[i + 1], y, ext);
		}

		if (m == 1)
		{
			int32		i = ws->members[0];
			uint32		fx = fixed ? fixed[i] : 0;

			for (b = 0; b < nb; b++)
				if (!(fx & ((uint32) 1 << b)))
					y[(Size) i * BLOCK + b] = ws->ext[b] / mc->denom[i];
			continue;
		}

		if (m <= DENSE_MAX)
		{
			/* one direct solve per system; fixed states are identity rows */
			for (b = 0; b < nb; b++)
			{
				double	   *a = ws->dense;
				double	   *rhs = ws->dense_rhs;
				bool		any = false;

				memset(a, 0, sizeof(double) * m * m);
				for (k = 0; k < m; k++)
				{
					int32		i = ws->members[k];
					int32		e;

					if (fixed && (fixed[i] & ((uint32) 1 << b)))
					{
						a[k * m + k] = 1.0;
						rhs[k] = y[(Size) i * BLOCK + b];
					}
					else
					{
						a[k * m + k] = mc->denom[i];
						for (e = mc->row[i]; e < mc->int_end[i]; e++)
							a[k * m + ws->local[mc->col[e]]] -= mc->w[e];
						rhs[k] = ws->ext[(Size) k * BLOCK + b];
					}
					if (rhs[k] != 0.0)
						any = true;
				}
				if (!any)
					continue;	/* the solution is 0 */
				dense_solve(a, rhs, m);
				for (k = 0; k < m; k++)
				{
					int32		i = ws->members[k];

					if (!(fixed && (fixed[i] & ((uint32) 1 << b))))
						y[(Size) i * BLOCK + b] = Max(rhs[k], 0.0);
				}
			}
			continue;
		}

		gauss_seidel(mc, c, m, nb, fixed, ws);
	}
}

void
attr_markov_credits(const AttrState *s, double *conversions, double *value,
					double *removal_effect, bool *solved)
{
	int32		nch = s->nchannels;
	MarkovChain mc;
	SolveSpace	ws;
	double	   *x;
	uint32	   *fixed;
	int32	   *chan_begin;
	int32	   *chan_nodes;
	int32	   *rank;
	int32	   *by_rank;
	int32	   *todo;
	int32		ntodo = 0;
	double		p;
	SocroiSum		re_sum = {0, 0};
	double		total;
	double		total_conversions = socroi_sum_value(&s->conversions);
	double		total_value = socroi_sum_value(&s->value);
	int32		n;
	int32		i;
	int32		c;

	*solved = false;
	for (c = 0; c < nch; c++)
		conversions[c] = value[c] = removal_effect[c] = 0.0;

	memset(&mc, 0, sizeof(mc));
	build_nodes(s, &mc);
	build_solver(&mc);
	n = mc.nnodes;
	solve_space_init(&ws, &mc);

	/* the base solution x */
	memset(ws.y, 0, sizeof(double) * BLOCK * n);
	solve_block(&mc, 1, mc.conv, NULL, &ws);
	x = palloc(sizeof(double) * n);
	for (i = 0; i < n; i++)
		x[i] = ws.y[(Size) i * BLOCK];
	p = x[0];
	if (!(p > 0.0))
		return;					/* nothing converts: P = 0 */
	if (!isfinite(p))
		elog(ERROR, "markov chain solve gave a non-finite probability");

	/* for every channel, the live states that contain it */
	chan_begin = palloc0(sizeof(int32) * (nch + 1));
	for (i = 0; i < n; i++)
	{
		const ChainNode *nd = &mc.nodes[i];
		int			k;
		int			j;

		if (mc.dead[i])
			continue;
		for (k = 0; k < nd->len; k++)
		{
			for (j = 0; j < k && nd->ids[j] != nd->ids[k]; j++)
				;
			if (j == k)
				chan_begin[nd->ids[k] + 1]++;
		}
	}
	for (c = 0; c < nch; c++)
		chan_begin[c + 1] += chan_begin[c];
	chan_nodes = palloc(sizeof(int32) * Max(chan_begin[nch], 1));
	{
		int32	   *fill = palloc(sizeof(int32) * Max(nch, 1));

		memcpy(fill, chan_begin, sizeof(int32) * nch);
		for (i = 0; i < n; i++)
		{
			const ChainNode *nd = &mc.nodes[i];
			int			k;
			int			j;

			if (mc.dead[i])
				continue;
			for (k = 0; k < nd->len; k++)
			{
				for (j = 0; j < k && nd->ids[j] != nd->ids[k]; j++)
					;
				if (j == k)
					chan_nodes[fill[nd->ids[k]]++] = i;
			}
		}
		pfree(fill);
	}

	/* loss systems of the channels in the chain, BLOCK at a time, by name */
	rank = attr_state_channel_ranks(s);
	by_rank = palloc(sizeof(int32) * Max(nch, 1));
	for (c = 0; c < nch; c++)
		by_rank[rank[c]] = c;
	todo = palloc(sizeof(int32) * Max(nch, 1));
	for (i = 0; i < nch; i++)
		if (chan_begin[by_rank[i]] < chan_begin[by_rank[i] + 1])
			todo[ntodo++] = by_rank[i];
	fixed = palloc0(sizeof(uint32) * n);
	for (i = 0; i < ntodo; i += BLOCK)
	{
		int			nb = Min(BLOCK, ntodo - i);
		int			b;
		int32		k;

		CHECK_FOR_INTERRUPTS();
		memset(ws.y, 0, sizeof(double) * BLOCK * n);
		for (b = 0; b < nb; b++)
			for (k = chan_begin[todo[i + b]]; k < chan_begin[todo[i + b] + 1]; k++)
			{
				fixed[chan_nodes[k]] |= (uint32) 1 << b;
				ws.y[(Size) chan_nodes[k] * BLOCK + b] = x[chan_nodes[k]];
			}
		solve_block(&mc, nb, NULL, fixed, &ws);
		for (b = 0; b < nb; b++)
		{
			double		re = ws.y[b] / p;	/* d_(start) / P */

			removal_effect[todo[i + b]] = Min(Max(re, 0.0), 1.0);
			for (k = chan_begin[todo[i + b]]; k < chan_begin[todo[i + b] + 1]; k++)
				fixed[chan_nodes[k]] = 0;
		}
	}
	for (i = 0; i < nch; i++)
		socroi_sum_add(&re_sum, removal_effect[by_rank[i]]);

	/* credits: RE(c) / sum RE of the total conversions and value */
	total = socroi_sum_value(&re_sum);
	if (total > 0.0)
	{
		for (c = 0; c < nch; c++)
		{
			double		share = removal_effect[c] / total;

			conversions[c] = share * total_conversions;
			value[c] = share * total_value;
		}
	}
	*solved = true;
}

/* ---------- markov_transitions(): the final function ---------- */

#define MARKOV_TRANSITION_NATTS 4

static void
append_state_name(StringInfo buf, const AttrState *s, const ChainNode *nd)
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

typedef struct TransitionsCache
{
	Oid			elemtype;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	TupleDesc	desc;
} TransitionsCache;

static TransitionsCache *
transitions_cache(FunctionCallInfo fcinfo)
{
	TransitionsCache *tc = (TransitionsCache *) fcinfo->flinfo->fn_extra;
	Oid			rettype;
	TupleDesc	desc;
	MemoryContext old;
	int			i;

	if (tc != NULL)
		return tc;
	rettype = get_fn_expr_rettype(fcinfo->flinfo);
	if (!OidIsValid(rettype))
		rettype = get_func_rettype(fcinfo->flinfo->fn_oid);
	tc = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(TransitionsCache));
	tc->elemtype = get_element_type(rettype);
	if (!OidIsValid(tc->elemtype))
		elog(ERROR, "markov_transitions final function must return an array of markov_transition");
	get_typlenbyvalalign(tc->elemtype, &tc->typlen, &tc->typbyval, &tc->typalign);
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	desc = lookup_rowtype_tupdesc_copy(tc->elemtype, -1);
	MemoryContextSwitchTo(old);
	if (desc->natts != MARKOV_TRANSITION_NATTS)
		elog(ERROR, "markov_transition must have %d attributes", MARKOV_TRANSITION_NATTS);
	for (i = 0; i < MARKOV_TRANSITION_NATTS; i++)
	{
		Oid			want = (i < 2) ? TEXTOID : FLOAT8OID;

		if (TupleDescAttr(desc, i)->atttypid != want ||
			TupleDescAttr(desc, i)->attisdropped)
			elog(ERROR, "markov_transition attribute %d has an unexpected type", i + 1);
	}
	tc->desc = BlessTupleDesc(desc);
	fcinfo->flinfo->fn_extra = tc;
	return tc;
}

static Datum
transition_row(TransitionsCache *tc, const char *from, const char *to,
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
	AttrState  *s = DatumGetAttrStateP(PG_GETARG_DATUM(0));
	TransitionsCache *tc = transitions_cache(fcinfo);
	const AttrModel *model;
	MarkovChain mc;
	Datum	   *elems;
	int32		nelems = 0;
	int32		e = 0;
	int32		i;
	StringInfoData from;
	StringInfoData to;

	attr_state_check_header(s);
	model = ATTR_STATE_MODEL(s);
	if (model->kind != ATTR_MARKOV)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("markov_transitions needs the state of a markov model, got %s",
						attr_model_canonical(model))));
	memset(&mc, 0, sizeof(mc));
	build_nodes(s, &mc);
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
		append_state_name(&from, s, &mc.nodes[i]);
		for (; e < mc.nedges && mc.edges[e].from == i; e++)
		{
			if (!(mc.edges[e].w > 0.0))
				continue;
			resetStringInfo(&to);
			append_state_name(&to, s, &mc.nodes[mc.edges[e].to]);
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
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, nelems, tc->elemtype, tc->typlen,
										  tc->typbyval, tc->typalign));
}
