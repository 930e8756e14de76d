/*
 * markov_eliminate.h
 *		Exact elimination of the pass-through states of the large components
 *		of a markov attribution chain before its sweeps (markov_eliminate.c).
 */
#ifndef SOCROI_MARKOV_ELIMINATE_H
#define SOCROI_MARKOV_ELIMINATE_H

#include "postgres.h"

#include "attribution/markov_chain.h"

/*
 * Choose the states to eliminate in every large component of a chain whose
 * components are built and renumbered, and rewrite the rows of the states
 * that read them; leaves mc->eliminated NULL when there is none.
 */
extern void markov_eliminate_build(MarkovChain *mc);

/*
 * The members of component c into members: the swept ones first, in sweep
 * order, then the eliminated ones; returns how many are swept.
 */
extern int32 markov_eliminate_members(const MarkovChain *mc, int32 c,
									  int32 *members);

/*
 * What the solver (markov_solver.c) does with them, inlined into its sweeps
 * for each lane count (the systems solved at once, stride of y and ext, at
 * most MARKOV_ELIMINATE_MAX_LANES): y_s = (ext_s + W_sj y_j) / D_s holds
 * for every eliminated s where it is not fixed.
 */
#define MARKOV_ELIMINATE_MAX_LANES	32

/*
 * Before the sweeps of component c, the inflow of its eliminated states
 * goes to the swept predecessors whose rewritten rows read past them.
 * Where s is not fixed, p's inflow gains W_ps ext_s / D_s.  Where it is,
 * y_s is its preset value, and where p is not fixed y_j is fixed too
 * (markov_eliminate_build()), so p gains what the rewritten row misses:
 * W_ps (y_s - W_sj y_j / D_s).  In a system that fixes p as well, the sum
 * goes to an inflow the sweeps never read.
 */
static pg_attribute_always_inline void
markov_fold_eliminated(const MarkovChain *mc, int32 c, const uint32 *fixed,
					   const double *y, const int32 *local, double *ext,
					   const int lanes)
{
	int32		f;

	if (mc->eliminated == NULL)
		return;
	for (f = mc->fold_begin[c]; f < mc->fold_begin[c + 1]; f++)
	{
		int32		s = mc->fold_via[f];
		int32		es = mc->row[s];
		const double wps = mc->fold_w[f];
		const double wsj = mc->w[es];
		const double inv = mc->inv_denom[s];
		const double *ys = y + (Size) s * lanes;
		const double *yj = y + (Size) mc->col[es] * lanes;
		const double *ext_s = ext + (Size) local[s] * lanes;
		double	   *ext_p = ext + (Size) local[mc->fold_from[f]] * lanes;
		uint32		fs = fixed ? fixed[s] : 0;
		double		t[MARKOV_ELIMINATE_MAX_LANES];
		int			b;

		for (b = 0; b < lanes; b++)
			t[b] = ext_s[b] * inv;
		if (fs != 0)
			for (b = 0; b < lanes; b++)
				if (fs & ((uint32) 1 << b))
					t[b] = ys[b] - wsj * yj[b] * inv;
		for (b = 0; b < lanes; b++)
			ext_p[b] += wps * t[b];
	}
}

/*
 * After them: the eliminated members (from first_eliminated to m) from
 * their successor, y_s = (ext_s + W_sj y_j) / D_s, in the nb systems where
 * they are not fixed.
 */
static pg_attribute_always_inline void
markov_recover_eliminated(const MarkovChain *mc, const int32 *members,
						  int32 first_eliminated, int32 m, int nb,
						  const uint32 *fixed, const double *ext, double *y,
						  const int lanes)
{
	int32		k;

	for (k = first_eliminated; k < m; k++)
	{
		int32		s = members[k];
		int32		es = mc->row[s];
		const double wsj = mc->w[es];
		const double inv = mc->inv_denom[s];
		const double *yj = y + (Size) mc->col[es] * lanes;
		const double *ext_s = ext + (Size) k * lanes;
		double	   *ys = y + (Size) s * lanes;
		uint32		fs = fixed ? fixed[s] : 0;
		double		v[MARKOV_ELIMINATE_MAX_LANES];
		int			b;

		for (b = 0; b < lanes; b++)
			v[b] = Max((ext_s[b] + wsj * yj[b]) * inv, 0.0);
		for (b = 0; b < nb; b++)
			if (!(fs & ((uint32) 1 << b)))
				ys[b] = v[b];
	}
}

#endif							/* SOCROI_MARKOV_ELIMINATE_H */
