/*
 * markov_solve_space.c
 *		The work space of the markov solver (markov_solver.c), one per
 *		thread, sized by the chain's largest component; and the errors a
 *		solve records there, raised by the backend's thread.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/memutils.h"

#include "attribution/markov_components.h"
#include "attribution/markov_solve_space.h"

static int32
largest_component(const MarkovChain *mc)
{
	int32		largest = 1;
	int32		c;

	for (c = 0; c < mc->nscc; c++)
		largest = Max(largest, mc->scc_begin[c + 1] - mc->scc_begin[c]);
	return largest;
}

/*
 * Room for the corrections gauss_seidel() keeps of the fixed states of one
 * block in one component: one per edge out of a fixed state (zfix), one per
 * edge into a fixed state at most (lfix) -- each once per system that fixes
 * the state, and a state is fixed by the channels it contains.
 */
static Size
fix_capacity(const MarkovChain *mc)
{
	Size		most = 0;
	int32		c;

	for (c = 0; c < mc->nscc; c++)
	{
		int32		first = mc->scc_begin[c];
		int32		m = mc->scc_begin[c + 1] - first;
		Size		own = 0;
		Size		into = 0;
		int32		k;

		if (m <= MARKOV_DENSE_MAX)
			continue;
		for (k = 0; k < m; k++)
		{
			int32		i = mc->scc_nodes[first + k];
			int32		e;

			own += (Size) mc->nodes[i].len * (mc->int_end[i] - mc->row[i]);
			for (e = mc->row[i]; e < mc->int_end[i]; e++)
				into += (Size) mc->nodes[mc->col[e]].len;
		}
		most = Max(most, Max(own, into));
	}
	return most;
}

Size
markov_solve_space_bytes(const MarkovChain *mc)
{
	Size		n = (Size) mc->nnodes;
	Size		largest = (Size) largest_component(mc);

	return sizeof(double) * MARKOV_BLOCK * (n + largest) +
		sizeof(double) * 3 * largest +
		sizeof(SweepFix) * 2 * fix_capacity(mc) +
		sizeof(int32) * 2 * n +
		sizeof(double) * (MARKOV_DENSE_MAX * MARKOV_DENSE_MAX + MARKOV_DENSE_MAX);
}

void
markov_solve_space_init(MarkovSolveSpace *ws, const MarkovChain *mc)
{
	int32		n = mc->nnodes;
	int32		largest = largest_component(mc);

	memset(ws, 0, sizeof(MarkovSolveSpace));
	if ((Size) n > MaxAllocSize / (sizeof(double) * MARKOV_BLOCK))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("markov chain of %d states is too large to solve", n),
				 errhint("Use a lower order, or collapse repeated touches with "
						 "path_transform(path, 'exposure').")));
	ws->fix_capacity = fix_capacity(mc);
	if (ws->fix_capacity > MaxAllocSize / sizeof(SweepFix))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("markov chain of %d states is too large to solve", n),
				 errhint("Use a lower order, or collapse repeated touches with "
						 "path_transform(path, 'exposure').")));
	ws->y = palloc(sizeof(double) * MARKOV_BLOCK * n);
	/* per member of one component */
	ws->ext = palloc(sizeof(double) * MARKOV_BLOCK * largest);
	ws->zs = palloc(sizeof(double) * largest);
	ws->ls = palloc(sizeof(double) * largest);
	ws->za = palloc(sizeof(double) * largest);
	ws->zfix = palloc(sizeof(SweepFix) * Max(ws->fix_capacity, 1));
	ws->lfix = palloc(sizeof(SweepFix) * Max(ws->fix_capacity, 1));
	ws->local = palloc(sizeof(int32) * n);
	ws->members = palloc(sizeof(int32) * n);
	ws->dense = palloc(sizeof(double) * MARKOV_DENSE_MAX * MARKOV_DENSE_MAX);
	ws->dense_rhs = palloc(sizeof(double) * MARKOV_DENSE_MAX);
	ws->stop = (volatile bool *) palloc0(sizeof(bool));
}

void
markov_solve_space_free(MarkovSolveSpace *ws)
{
	pfree(ws->y);
	pfree(ws->ext);
	pfree(ws->zs);
	pfree(ws->ls);
	pfree(ws->za);
	pfree(ws->zfix);
	pfree(ws->lfix);
	pfree(ws->local);
	pfree(ws->members);
	pfree(ws->dense);
	pfree(ws->dense_rhs);
	pfree((void *) ws->stop);
	ws->y = NULL;
}

void
markov_solve_raise(const MarkovSolveSpace *ws)
{
	switch ((MarkovSolveError) ws->error)
	{
		case MARKOV_SOLVE_OK:
			return;
		case MARKOV_SOLVE_INTERRUPTED:
			CHECK_FOR_INTERRUPTS();
			elog(ERROR, "markov chain solve stopped without a reason");
			break;
		case MARKOV_SOLVE_NOT_CONVERGED:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("markov chain solve did not converge in %d Gauss-Seidel sweeps over %d states",
							ws->error_sweeps, ws->error_size),
					 errhint("The journeys loop between channels for very long; collapse repeated "
							 "touches with path_transform(path, 'exposure'), shorten the paths, "
							 "or use a lower order.")));
			break;
		case MARKOV_SOLVE_NOT_CERTIFIED:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("markov chain solve cannot be certified to %g over a loop of %d states",
							MARKOV_CERT_TOLERANCE, ws->error_size),
					 errdetail("Journeys stay up to about %.3g steps in the loop before leaving it.",
							   ws->error_bound),
					 errhint("The journeys loop between channels for very long; collapse repeated "
							 "touches with path_transform(path, 'exposure'), shorten the paths, "
							 "or use a lower order.")));
			break;
		case MARKOV_SOLVE_SINGULAR:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("markov chain has a singular component")));
			break;
		case MARKOV_SOLVE_NO_ROOM:
			elog(ERROR, "markov solver ran out of room for the corrections of a component of %d states",
				 ws->error_size);
			break;
	}
}
