/*
 * markov_credits.c
 *		Removal effects and credits of the markov attribution model: the
 *		base chain solved once, then one loss system per channel
 *		(markov_solver.c solves them MARKOV_BLOCK at a time).
 *
 * RE(c) = 1 - P_-c / P, computed as d_(start) / P from the loss d of the
 * chain without c (markov_solver.c explains); credits are RE(c) / sum RE of
 * the total conversions and value (Anderl et al. 2016).
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"

#include "attribution/attribution_state.h"
#include "attribution/markov_components.h"
#include "attribution/markov_credits.h"
#include "attribution/markov_solver.h"
#include "common/common.h"

void
attr_markov_credits(const AttrState *s, double *conversions, double *value,
					double *removal_effect, bool *solved)
{
	int32		nch = s->nchannels;
	MarkovChain mc;
	MarkovSolveSpace ws;
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

	markov_chain_build(s, &mc);
	markov_components_build(&mc);
	markov_solver_prepare(&mc);
	n = mc.nnodes;
	markov_solve_space_init(&ws, &mc);

	/* the base solution x */
	memset(ws.y, 0, sizeof(double) * MARKOV_BLOCK * n);
	markov_solve_block(&mc, 1, mc.conv, NULL, &ws);
	x = palloc(sizeof(double) * n);
	for (i = 0; i < n; i++)
		x[i] = ws.y[(Size) i * MARKOV_BLOCK];
	p = x[0];
	if (!(p > 0.0))
		return;					/* nothing converts: P = 0 */
	if (!isfinite(p))
		elog(ERROR, "markov chain solve gave a non-finite probability");

	/* for every channel, the live states that contain it */
	{
		int32	   *chan = palloc(sizeof(int32) * ((Size) n * ATTR_MAX_ORDER + 1));
		int32	   *node = palloc(sizeof(int32) * ((Size) n * ATTR_MAX_ORDER + 1));
		int32		npairs = 0;

		for (i = 0; i < n; i++)
		{
			const ChainNode *nd = &mc.nodes[i];
			int			k;
			int			j;

			if (mc.dead[i])
				continue;
			/* each distinct channel of the tuple once */
			for (k = 0; k < nd->len; k++)
			{
				for (j = 0; j < k && nd->ids[j] != nd->ids[k]; j++)
					;
				if (j == k)
				{
					chan[npairs] = nd->ids[k];
					node[npairs] = i;
					npairs++;
				}
			}
		}
		socroi_group_by_key(nch, npairs, chan, node, &chan_begin, &chan_nodes);
		pfree(chan);
		pfree(node);
	}

	/* loss systems of the channels in the chain, MARKOV_BLOCK at a time, by name */
	rank = attr_state_channel_ranks(s);
	by_rank = palloc(sizeof(int32) * Max(nch, 1));
	for (c = 0; c < nch; c++)
		by_rank[rank[c]] = c;
	todo = palloc(sizeof(int32) * Max(nch, 1));
	for (i = 0; i < nch; i++)
		if (chan_begin[by_rank[i]] < chan_begin[by_rank[i] + 1])
			todo[ntodo++] = by_rank[i];
	fixed = palloc0(sizeof(uint32) * n);
	for (i = 0; i < ntodo; i += MARKOV_BLOCK)
	{
		int			nb = Min(MARKOV_BLOCK, ntodo - i);
		int			b;
		int32		k;

		CHECK_FOR_INTERRUPTS();
		memset(ws.y, 0, sizeof(double) * MARKOV_BLOCK * n);
		for (b = 0; b < nb; b++)
			for (k = chan_begin[todo[i + b]]; k < chan_begin[todo[i + b] + 1]; k++)
			{
				fixed[chan_nodes[k]] |= (uint32) 1 << b;
				ws.y[(Size) chan_nodes[k] * MARKOV_BLOCK + b] = x[chan_nodes[k]];
			}
		markov_solve_block(&mc, nb, NULL, fixed, &ws);
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