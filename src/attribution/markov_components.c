/*
 * markov_components.c
 *		The structure the markov solver works on: weights leaving every state,
 *		the states that cannot be absorbed (only a crafted state has them),
 *		compressed solver rows and the strongly connected components in
 *		reverse topological order (Tarjan 1972, "Depth-first search and
 *		linear graph algorithms", SIAM J. Comput. 1(2), iterative form).
 */
#include "postgres.h"

#include <math.h>

#include "attribution/attribution_state.h"
#include "attribution/markov_components.h"
#include "common/common.h"

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
void
markov_components_build(MarkovChain *mc)
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
	{
		int32	   *to = palloc(sizeof(int32) * Max(mc->nedges, 1));
		int32	   *from = palloc(sizeof(int32) * Max(mc->nedges, 1));
		int32		npairs = 0;

		for (e = 0; e < mc->nedges; e++)
			if (mc->edges[e].w > 0.0 && mc->edges[e].from != mc->edges[e].to)
			{
				to[npairs] = mc->edges[e].to;
				from[npairs] = mc->edges[e].from;
				npairs++;
			}
		socroi_group_by_key(n, npairs, to, from, &rev_begin, &rev);
		pfree(to);
		pfree(from);
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

			if (m > MARKOV_DENSE_MAX)
				qsort_arg(mc->scc_nodes + first, m, sizeof(int32),
						  compare_by_first_successor, mc);
		}
	}

}
