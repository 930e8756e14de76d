/*
 * markov_perron.c
 *		The Perron vectors and the certificate bounds of the large components
 *		of a markov attribution chain: what the Gauss-Seidel solver of
 *		markov_solver.c needs besides the rows.  Works on a MarkovChain alone.
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"

#include "attribution/markov_components.h"
#include "attribution/markov_eliminate.h"
#include "attribution/markov_perron.h"

/*
 * What gauss_seidel() (markov_solver.c) needs of each large component: the
 * Perron vectors of J = D^-1 W restricted to it, by power iteration on
 * I + J (same vectors; the shift keeps the iteration converging when the
 * component is periodic) -- only a direction for the correction, which
 * stays exact whatever their accuracy -- and the bound of its certificate.
 */
#define PERRON_ITERATIONS 30
#define CERT_SWEEPS		60		/* sweeps before the bound is first tried */
#define CERT_CHECK_EVERY 16		/* then tried again every so many */
#define CERT_GAMMA		0.5		/* good enough: within 2x of the expected steps */
#define CERT_WORK		((Size) 200000000)	/* edges swept per component, at most */
#define CERT_LATER_SWEEPS 30	/* sweeps towards the bound of later successors */
#define CERT_LATER_ETA	1e-3	/* its floor per state */

/* sum of w_ij v_j over the successors j of i in its own component */
static inline double
internal_sum(const MarkovChain *mc, int32 i, const double *v)
{
	double		sum = 0.0;
	int32		e;

	for (e = mc->row[i]; e < mc->int_end[i]; e++)
		sum += mc->w[e] * v[mc->col[e]];
	return sum;
}

/*
 * What gauss_seidel() reads of the vectors for a system with nothing
 * fixed, the same for every block: z = A^T w (perron_z) and the sum of the
 * magnitudes of its terms (perron_za), and per member the weight times v
 * of its successors swept after it (perron_ls) and, for later_bound(), their
 * weight per unit of D (later, at most 1).  pos: work space.
 */
static void
perron_sums(MarkovChain *mc, const int32 *members, int32 m, int32 *pos,
			double *later)
{
	int32		k;

	for (k = 0; k < m; k++)
	{
		int32		i = members[k];

		pos[i] = k;
		mc->perron_z[i] = mc->perron_za[i] = mc->denom[i] * mc->perron_w[i];
		mc->perron_ls[i] = 0.0;
		later[i] = 0.0;
	}
	for (k = 0; k < m; k++)
	{
		int32		i = members[k];
		const double pw = mc->perron_w[i];
		int32		e;

		for (e = mc->row[i]; e < mc->int_end[i]; e++)
		{
			int32		j = mc->col[e];

			mc->perron_z[j] -= mc->w[e] * pw;
			mc->perron_za[j] += mc->w[e] * pw;
			if (pos[j] > k)
			{
				mc->perron_ls[i] += mc->w[e] * mc->perron_v[j];
				later[i] += mc->w[e];
			}
		}
		later[i] = Min(later[i] * mc->inv_denom[i], 1.0);
	}
}

/*
 * A bound on (I - J)^-1 L, L_i the weight of i's successors swept after it
 * per unit of D_i (the part of its row that a Gauss-Seidel sweep reads
 * before their update), by the same semipositivity argument as the bound on
 * (I - J)^-1 1 below: t >= 0 with (I - J) t >= gamma (L + eta 1) gives
 * (I - J)^-1 L <= t / gamma.  t: CERT_LATER_SWEEPS sweeps on
 * (I - J) t = L + eta 1, eta keeping gamma away from 0 at the states whose
 * successors are all swept before them.  A sweep's residual is at most its
 * largest change times L_i, so this bounds its error (sweep_certified() in
 * markov_solver.c); at most bound, which holds whatever L is.  r: L from
 * perron_sums(), raised by eta here; t: work space.
 */
static double
later_bound(const MarkovChain *mc, const int32 *members, int32 m, double *r,
			double *t, double bound)
{
	double		gamma = HUGE_VAL;
	double		tmax = 0.0;
	int			it;
	int32		k;

	for (k = 0; k < m; k++)
	{
		int32		i = members[k];

		r[i] += CERT_LATER_ETA;
		t[i] = 0.0;
	}
	for (it = 0; it < CERT_LATER_SWEEPS; it++)
		for (k = 0; k < m; k++)
		{
			int32		i = members[k];

			t[i] = r[i] + internal_sum(mc, i, t) * mc->inv_denom[i];
		}
	for (k = 0; k < m; k++)
	{
		int32		i = members[k];

		gamma = Min(gamma, (t[i] - internal_sum(mc, i, t) * mc->inv_denom[i]) / r[i]);
		tmax = Max(tmax, t[i]);
	}
	if (!(gamma > 0.0) || !isfinite(tmax) || !(tmax / gamma < bound))
		return bound;
	return tmax / gamma;
}

void
markov_perron_prepare(MarkovChain *mc)
{
	int32		n = mc->nnodes;
	double	   *u = NULL;
	double	   *tmp = NULL;
	double	   *later = NULL;
	int32	   *members = NULL;
	int32	   *pos = NULL;
	int32		c;

	for (c = 0; c < mc->nscc; c++)
	{
		int32		m = mc->scc_begin[c + 1] - mc->scc_begin[c];
		int			it;
		int32		k;

		if (m <= MARKOV_DENSE_MAX)
			continue;
		if (mc->perron_v == NULL)
		{
			mc->scc_bound = palloc0(sizeof(double) * mc->nscc);
			mc->scc_bound_later = palloc0(sizeof(double) * mc->nscc);
			mc->perron_v = palloc0(sizeof(double) * n);
			mc->perron_w = palloc0(sizeof(double) * n);
			u = palloc0(sizeof(double) * n);
			tmp = palloc0(sizeof(double) * n);
			later = palloc0(sizeof(double) * n);
			members = palloc(sizeof(int32) * n);
			pos = palloc(sizeof(int32) * n);
			mc->perron_z = palloc0(sizeof(double) * n);
			mc->perron_za = palloc0(sizeof(double) * n);
			mc->perron_ls = palloc0(sizeof(double) * n);
		}
		/* the swept states: the system the sweeps solve (markov_eliminate.c) */
		m = markov_eliminate_members(mc, c, members);
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

				tmp[i] = mc->perron_v[i] + internal_sum(mc, i, mc->perron_v) * mc->inv_denom[i];
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
		perron_sums(mc, members, m, pos, later);

		/*
		 * A positive u with (I - J) u >= gamma > 0 componentwise bounds the
		 * inverse of the M-matrix I - J: (I - J)^-1 1 <= u / gamma, whatever
		 * the accuracy of u (Berman & Plemmons, "Nonnegative Matrices in the
		 * Mathematical Sciences", ch. 6, the semipositivity
		 * characterisation).  u: Gauss-Seidel sweeps towards the expected
		 * steps before leaving the component, (I - J) t = 1, whose bound is
		 * then about max t: CERT_SWEEPS, and more while gamma is below
		 * CERT_GAMMA -- a loop that journeys leave only after thousands of
		 * steps needs about that many sweeps divided by its length -- up to
		 * CERT_WORK edges.
		 */
		{
			Size		edges = m;
			int32		max_sweeps;
			double		gamma = -1.0;
			double		umax = 0.0;

			for (k = 0; k < m; k++)
			{
				u[members[k]] = 0.0;
				edges += mc->int_end[members[k]] - mc->row[members[k]];
			}
			max_sweeps = (int32) Max((Size) CERT_SWEEPS, Min(CERT_WORK / edges, (Size) PG_INT32_MAX));
			for (it = 1; it <= max_sweeps; it++)
			{
				for (k = 0; k < m; k++)
				{
					int32		i = members[k];
					double		sum = internal_sum(mc, i, u);

					u[i] = 1.0 + sum * mc->inv_denom[i];
				}
				if (it < CERT_SWEEPS ||
					((it - CERT_SWEEPS) % CERT_CHECK_EVERY != 0 && it != max_sweeps))
					continue;
				CHECK_FOR_INTERRUPTS();
				gamma = HUGE_VAL;
				umax = 0.0;
				for (k = 0; k < m; k++)
				{
					int32		i = members[k];
					double		sum = internal_sum(mc, i, u);

					gamma = Min(gamma, u[i] - sum * mc->inv_denom[i]);
					umax = Max(umax, u[i]);
				}
				if (gamma >= CERT_GAMMA || !isfinite(umax))
					break;
			}
			mc->scc_bound[c] = (gamma > 0.0 && isfinite(umax)) ? umax / gamma : HUGE_VAL;
		}
		mc->scc_bound_later[c] = later_bound(mc, members, m, later, u,
											 mc->scc_bound[c]);
	}
	if (u != NULL)
	{
		pfree(u);
		pfree(tmp);
		pfree(later);
		pfree(members);
		pfree(pos);
	}
}
