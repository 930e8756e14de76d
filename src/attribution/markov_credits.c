/*
 * markov_credits.c
 *		Removal effects and credits of the markov attribution model: the
 *		base chain solved once, then one loss system per channel
 *		(markov_solver.c solves them MARKOV_BLOCK at a time).
 *
 * RE(c) = 1 - P_-c / P, computed as d_(start) / P from the loss d of the
 * chain without c (markov_solver.c explains); credits are RE(c) / sum RE of
 * the total conversions and value (Anderl et al. 2016).
 *
 * The loss systems are independent, so blocks of MARKOV_BLOCK channels are
 * shared between up to socroi.threads threads (common/threads.h): each has
 * its own work space, allocated before the threads start, and takes the
 * next block from an atomic counter.  A block's answer does not depend on
 * the thread that solves it, so the result is the same with any number of
 * threads.  Errors and interrupts are raised by the backend's thread after
 * every thread has been joined; an interrupt that ends no query (a parallel
 * worker's message) only stops the threads, and the backend's thread then
 * solves the blocks not solved yet itself.
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"

#include "attribution/attribution_state.h"
#include "attribution/markov_components.h"
#include "attribution/markov_credits.h"
#include "attribution/markov_eliminate.h"
#include "attribution/markov_order.h"
#include "attribution/markov_perron.h"
#include "attribution/markov_solver.h"
#include "common/common.h"
#include "common/threads.h"
#include "port/atomics.h"

/* the work shared by the threads of removal_effects() */
typedef struct RemovalWork
{
	const MarkovChain *mc;
	const double *x;			/* base solution */
	double		p;				/* x_(start) */
	const int32 *todo;			/* channels to solve, in blocks */
	int32		ntodo;
	const int32 *chan_begin;	/* live states containing each channel */
	const int32 *chan_nodes;
	double	   *removal_effect;	/* out, by channel id */
	bool	   *done;			/* per block: solved */
	pg_atomic_uint32 next_block;
	pg_atomic_uint32 next_slot;
	int			nslots;
	MarkovSolveSpace *ws;		/* per thread */
	uint32	  **fixed;			/* per thread, nnodes each, zero between blocks */
	int32	   *failed_block;	/* per thread: first block that failed, or -1 */
	volatile bool stop;
} RemovalWork;

/* solve blocks until none is left or the work stops (no PostgreSQL calls) */
static void
removal_worker(void *arg)
{
	RemovalWork *rw = (RemovalWork *) arg;
	int			slot = (int) pg_atomic_fetch_add_u32(&rw->next_slot, 1);
	MarkovSolveSpace *ws = &rw->ws[slot];
	uint32	   *fixed = rw->fixed[slot];
	const MarkovChain *mc = rw->mc;
	int32		n = mc->nnodes;
	int32		nblocks = (rw->ntodo + MARKOV_BLOCK - 1) / MARKOV_BLOCK;

	for (;;)
	{
		int32		blk = (int32) pg_atomic_fetch_add_u32(&rw->next_block, 1);
		int32		first = blk * MARKOV_BLOCK;
		int			nb;
		int			b;
		int32		k;

		if (blk >= nblocks || rw->stop)
			return;
		if (rw->done[blk])
			continue;
		nb = Min(MARKOV_BLOCK, rw->ntodo - first);
		memset(ws->y, 0, sizeof(double) * MARKOV_BLOCK * n);
		for (b = 0; b < nb; b++)
		{
			int32		c = rw->todo[first + b];

			for (k = rw->chan_begin[c]; k < rw->chan_begin[c + 1]; k++)
			{
				int32		i = rw->chan_nodes[k];

				fixed[i] |= (uint32) 1 << b;
				ws->y[(Size) i * MARKOV_BLOCK + b] = rw->x[i];
			}
		}
		markov_solve_block(mc, nb, NULL, fixed, ws);
		for (b = 0; b < nb; b++)
		{
			int32		c = rw->todo[first + b];
			double		re = ws->y[(Size) mc->start * MARKOV_BLOCK + b] / rw->p;	/* d_(start) / P */

			rw->removal_effect[c] = Min(Max(re, 0.0), 1.0);
			for (k = rw->chan_begin[c]; k < rw->chan_begin[c + 1]; k++)
				fixed[rw->chan_nodes[k]] = 0;
		}
		if (ws->error != MARKOV_SOLVE_OK)
		{
			rw->failed_block[slot] = blk;
			rw->stop = true;
			return;
		}
		rw->done[blk] = true;
	}
}

/*
 * Working memory of one thread: the solve space and its fixed flags.  More
 * threads only while the extra memory stays below MARKOV_THREAD_MEMORY.
 */
#define MARKOV_THREAD_MEMORY	((Size) 1024 * 1024 * 1024)

/*
 * The removal effect of every channel with a live state (others keep 0):
 * one loss system per channel over the chain mc whose base solution is x.
 */
static void
removal_effects(const AttrState *s, const MarkovChain *mc, const double *x,
				const int32 *chan_begin, const int32 *chan_nodes,
				double *removal_effect)
{
	int32		nch = s->nchannels;
	int32		n = mc->nnodes;
	int32	   *rank = attr_state_channel_ranks(s);
	int32	   *by_rank = palloc(sizeof(int32) * Max(nch, 1));
	int32	   *todo = palloc(sizeof(int32) * Max(nch, 1));
	int32		ntodo = 0;
	int32		nblocks;
	Size		per_thread;
	int			nthreads;
	int			nspaces;
	int			t;
	int32		i;
	int32		c;
	RemovalWork rw;

	/* channels in the chain, by name: the blocks are the same on every plan */
	for (c = 0; c < nch; c++)
		by_rank[rank[c]] = c;
	for (i = 0; i < nch; i++)
		if (chan_begin[by_rank[i]] < chan_begin[by_rank[i] + 1])
			todo[ntodo++] = by_rank[i];
	nblocks = (ntodo + MARKOV_BLOCK - 1) / MARKOV_BLOCK;
	if (nblocks == 0)
		return;

	per_thread = markov_solve_space_bytes(mc) + sizeof(uint32) * (Size) n;
	nthreads = Min(socroi_threads, nblocks);
	while (nthreads > 1 && per_thread * (nthreads - 1) > MARKOV_THREAD_MEMORY)
		nthreads--;

	memset(&rw, 0, sizeof(rw));
	rw.mc = mc;
	rw.x = x;
	rw.p = x[mc->start];
	rw.todo = todo;
	rw.ntodo = ntodo;
	rw.chan_begin = chan_begin;
	rw.chan_nodes = chan_nodes;
	rw.removal_effect = removal_effect;
	rw.done = palloc0(sizeof(bool) * nblocks);
	nspaces = nthreads;
	rw.ws = palloc(sizeof(MarkovSolveSpace) * nthreads);
	rw.fixed = palloc(sizeof(uint32 *) * nthreads);
	rw.failed_block = palloc(sizeof(int32) * nthreads);
	for (t = 0; t < nthreads; t++)
	{
		markov_solve_space_init(&rw.ws[t], mc);
		pfree((void *) rw.ws[t].stop);
		rw.ws[t].stop = &rw.stop;
		rw.fixed[t] = palloc0(sizeof(uint32) * n);
	}

	for (;;)
	{
		int			worst = -1;

		pg_atomic_init_u32(&rw.next_block, 0);
		pg_atomic_init_u32(&rw.next_slot, 0);
		rw.nslots = nthreads;
		rw.stop = false;
		for (t = 0; t < nthreads; t++)
		{
			rw.ws[t].in_thread = (nthreads > 1);
			rw.ws[t].error = MARKOV_SOLVE_OK;
			rw.failed_block[t] = -1;
		}
		if (nthreads > 1)
			(void) socroi_run_threads(nthreads, removal_worker, &rw);
		else
			removal_worker(&rw);
		if (!rw.stop)
			break;

		/* every thread has returned: raise the failure of the first block that failed */
		for (t = 0; t < nthreads; t++)
			if (rw.failed_block[t] >= 0 &&
				rw.ws[t].error != MARKOV_SOLVE_INTERRUPTED &&
				(worst < 0 || rw.failed_block[t] < rw.failed_block[worst]))
				worst = t;
		if (worst >= 0)
			markov_solve_raise(&rw.ws[worst]);
		CHECK_FOR_INTERRUPTS();
		if (nthreads == 1)
			elog(ERROR, "markov chain solve stopped without a reason");

		/*
		 * Stopped by an interrupt that ended no query: the blocks not solved
		 * yet, in the backend's thread, which services interrupts as it goes
		 */
		nthreads = 1;
	}
	for (t = 0; t < nspaces; t++)
	{
		rw.ws[t].stop = palloc(sizeof(bool));	/* freed with the space */
		markov_solve_space_free(&rw.ws[t]);
		pfree(rw.fixed[t]);
	}
	pfree(rw.done);
	pfree(rank);
	pfree(by_rank);
	pfree(todo);
}

/* x = the base solution with the right side rhs (conversions or value) */
static double *
base_solution(const MarkovChain *mc, const double *rhs)
{
	MarkovSolveSpace ws;
	int32		n = mc->nnodes;
	double	   *x = palloc(sizeof(double) * n);
	int32		i;

	markov_solve_space_init(&ws, mc);
	memset(ws.y, 0, sizeof(double) * MARKOV_NARROW * n);
	markov_solve_base(mc, rhs, &ws);
	for (i = 0; i < n; i++)
		x[i] = ws.y[(Size) i * MARKOV_NARROW];
	markov_solve_space_free(&ws);
	if (!isfinite(x[mc->start]))
		elog(ERROR, "markov chain solve gave a non-finite probability");
	return x;
}

/* sum of the removal effects, channels by name (the same on every plan) */
static double
sum_by_name(const int32 *by_rank, int32 nch, const double *re)
{
	SocroiSum	sum = {0, 0};
	int32		i;

	for (i = 0; i < nch; i++)
		socroi_sum_add(&sum, re[by_rank[i]]);
	return socroi_sum_value(&sum);
}

void
attr_markov_credits(const AttrState *s, double *conversions, double *value,
					double *removal_effect, bool *solved)
{
	const AttrModel *m = ATTR_STATE_MODEL(s);
	int32		nch = s->nchannels;
	int			order = m->markov_order;
	MarkovChain mc;
	double	   *x;
	int32	   *chan_begin;
	int32	   *chan_nodes;
	double		total;
	double		total_conversions = socroi_sum_value(&s->conversions);
	double		total_value = socroi_sum_value(&s->value);
	double	   *value_re = NULL;
	double		value_total = 0.0;
	int32	   *rank;
	int32	   *by_rank;
	int32		n;
	int32		i;
	int32		c;

	*solved = false;
	for (c = 0; c < nch; c++)
		conversions[c] = value[c] = removal_effect[c] = 0.0;

	if (m->flags & ATTR_MODEL_MARKOV_AUTO)
		order = markov_order_select(s);
	markov_chain_build(s, order, &mc);
	markov_components_build(&mc);
	markov_eliminate_build(&mc);
	markov_perron_prepare(&mc);
	n = mc.nnodes;

	x = base_solution(&mc, mc.conv);
	if (!(x[mc.start] > 0.0))
		return;					/* nothing converts: P = 0 */

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

	removal_effects(s, &mc, x, chan_begin, chan_nodes, removal_effect);

	rank = attr_state_channel_ranks(s);
	by_rank = palloc(sizeof(int32) * Max(nch, 1));
	for (c = 0; c < nch; c++)
		by_rank[rank[c]] = c;

	/*
	 * value=removal: the same chain with the value converted at each state
	 * as its reward -- x^V_i, the expected value converted from state i --
	 * and its own removal effects (ChannelAttribution's value removal
	 * effects, computed exactly).  No value on any conversion: the value
	 * is split like the conversions.
	 */
	if (mc.value != NULL)
	{
		double	   *xv = base_solution(&mc, mc.value);

		if (xv[mc.start] > 0.0)
		{
			value_re = palloc0(sizeof(double) * Max(nch, 1));
			removal_effects(s, &mc, xv, chan_begin, chan_nodes, value_re);
			value_total = sum_by_name(by_rank, nch, value_re);
		}
	}

	/* credits: RE(c) / sum RE of the total conversions and value */
	total = sum_by_name(by_rank, nch, removal_effect);
	if (total > 0.0)
	{
		for (c = 0; c < nch; c++)
		{
			double		share = removal_effect[c] / total;

			conversions[c] = share * total_conversions;
			value[c] = share * total_value;
			if (value_re != NULL && value_total > 0.0)
				value[c] = value_re[c] / value_total * total_value;
		}
	}
	*solved = true;
}
