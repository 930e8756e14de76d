/*
 * markov_solver.c
 *		Exact absorption probabilities of the markov attribution chain and of
 *		its loss systems (one per removed channel), over the components that
 *		markov_components.c finds.  Works on a MarkovChain alone: nothing
 *		here reads the aggregate state.
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
 * largest entry of the component (MARKOV_CERT_TOLERANCE), so a rare
 * channel's small removal effect is right in absolute terms, not to every digit.
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
 * of the largest entry and a bound on the residual, from the changes of
 * the last sweep, certifies the error below MARKOV_CERT_TOLERANCE (else
 * the sweeps go on), with hard caps on the work; the Perron vectors and
 * the certificate's bound come from markov_perron.c, the work space from
 * markov_solve_space.c.  The sweeps run over the component less its
 * pass-through states, eliminated exactly beforehand and recovered after
 * (markov_eliminate.c).  One solve per channel, BLOCK channels at a time
 * over the same rows: only the states fixed by the removal change; the
 * rows, the components and the base solution are built once and reused,
 * and what the fixed states change in the correction's sums is kept apart
 * (gauss_seidel()), so a sweep reads the block's solutions and one number
 * per state.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "miscadmin.h"

#include "attribution/attribution_state.h"
#include "attribution/markov_components.h"
#include "attribution/markov_eliminate.h"
#include "attribution/markov_solver.h"
#include "common/common.h"
#include "common/linalg.h"
#include "common/threads.h"

/*
 * The sweeps are multiply-adds over blocks of MARKOV_BLOCK contiguous
 * doubles: where the compiler can, the hot functions are also built for
 * x86-64-v3 (AVX2, FMA) and x86-64-v4 (AVX-512), and the dynamic loader
 * picks the widest the CPU has (GCC function multi-versioning).  Every
 * backend of a server runs the same version, so answers do not depend on
 * the plan.
 */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11 && \
	defined(__x86_64__) && defined(__linux__)
#define SOLVER_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define SOLVER_CLONES
#endif

#define GS_TOLERANCE	1e-10	/* estimated error to certify at, of the largest entry */
#define GS_TIGHTEN		0.5		/* not certified yet: sweep on to this times it */
#define GS_MAX_SWEEPS	100000	/* hard caps: sweeps, and rows x sweeps */
#define GS_MAX_WORK		((Size) 2000000000)

/*
 * acc[b] += sum of w_ij y_jb over the solver entries [begin, end) of a row:
 * the product of one row with a block of MARKOV_BLOCK right-hand sides.
 * With GCC or Clang the block is held in vector registers for the whole
 * row, two edges at a time into two sets of accumulators, so that neither
 * the stores of acc nor the latency of one multiply-add chain limit it.
 */
#if defined(__GNUC__)
typedef double BlockVec __attribute__((vector_size(8 * sizeof(double))));

#define BLOCK_VECS	(MARKOV_BLOCK / 8)

StaticAssertDecl(MARKOV_BLOCK % 8 == 0 && MARKOV_NARROW % 8 == 0 &&
				 MARKOV_NARROW <= MARKOV_BLOCK &&
				 MARKOV_BLOCK <= MARKOV_ELIMINATE_MAX_LANES,
				 "add_row_product holds vectors of 8");

/* acc += w * the 8 doubles at p (a macro: no vector crosses a call) */
#define BLOCK_ADD_SCALED(acc, w, p) \
	do { \
		BlockVec	t_; \
		memcpy(&t_, (p), sizeof(t_)); \
		(acc) += (w) * t_; \
	} while (0)

/*
 * The sweeps wait on memory: the successors' solutions are gathered from
 * all over y, and at order 1 the streamed rows push y out of the nearest
 * cache.  So they ask for the solutions they will read a little ahead:
 * along long rows (order 1) PREFETCH_EDGES edges ahead, in the row product
 * itself; over short rows, where a row has no edges to spare, those of the
 * member PREFETCH_ROWS ahead -- only where the solutions swept outgrow the
 * caches (PREFETCH_ABOVE bytes), or the requests just take load slots.  On
 * the campaign bench data a quarter off the removal systems at order 1
 * over 3,000 names and at order 2 over 1,000.
 */
#define PREFETCH_EDGES	8
#define PREFETCH_ROWS	2
#define PREFETCH_LONG_ROWS	8	/* edges per row, on average */
#define PREFETCH_ABOVE	((Size) 4 * 1024 * 1024)

/* inlined, so that each build of its callers (SOLVER_CLONES) has its own */
static pg_attribute_always_inline void
add_row_product(const MarkovChain *mc, int32 begin, int32 end,
				const double *y, double *acc, int32 prefetch_below, const int lanes)
{
	BlockVec	a[BLOCK_VECS];
	BlockVec	c[BLOCK_VECS];
	int32		e;
	int			v;

#pragma GCC unroll 4
	for (v = 0; v < (lanes / 8); v++)
	{
		memcpy(&a[v], acc + 8 * v, sizeof(BlockVec));
		c[v] = (BlockVec) {0};
	}

	for (e = begin; e + 1 < end; e += 2)
	{
		const double w0 = mc->w[e];
		const double w1 = mc->w[e + 1];
		const double *y0 = y + (Size) mc->col[e] * lanes;
		const double *y1 = y + (Size) mc->col[e + 1] * lanes;

		if (e < prefetch_below)
		{
			const double *p0 = y + (Size) mc->col[e + PREFETCH_EDGES] * lanes;
			const double *p1 = y + (Size) mc->col[e + PREFETCH_EDGES + 1] * lanes;

#pragma GCC unroll 4
			for (v = 0; v < (lanes / 8); v++)
			{
				SOCROI_PREFETCH(p0 + 8 * v);
				SOCROI_PREFETCH(p1 + 8 * v);
			}
		}
#pragma GCC unroll 4
		for (v = 0; v < (lanes / 8); v++)
		{
			BLOCK_ADD_SCALED(a[v], w0, y0 + 8 * v);
			BLOCK_ADD_SCALED(c[v], w1, y1 + 8 * v);
		}
	}
	if (e < end)
	{
		const double w0 = mc->w[e];
		const double *y0 = y + (Size) mc->col[e] * lanes;

#pragma GCC unroll 4
		for (v = 0; v < (lanes / 8); v++)
			BLOCK_ADD_SCALED(a[v], w0, y0 + 8 * v);
	}
#pragma GCC unroll 4
	for (v = 0; v < (lanes / 8); v++)
	{
		a[v] += c[v];
		memcpy(acc + 8 * v, &a[v], sizeof(BlockVec));
	}
}
#else
static inline void
add_row_product(const MarkovChain *mc, int32 begin, int32 end,
				const double *y, double *acc, int32 prefetch_below, const int lanes)
{
	int32		e;
	int			b;

	for (e = begin; e < end; e++)
	{
		const double w = mc->w[e];
		const double *yj = y + (Size) mc->col[e] * lanes;

		for (b = 0; b < lanes; b++)
			acc[b] += w * yj[b];
	}
}
#endif

/* ask for the solutions the row of member i will read */
static pg_attribute_always_inline void
prefetch_row(const MarkovChain *mc, int32 i, const double *y, const int lanes)
{
	int32		e;

	for (e = mc->row[i]; e < mc->int_end[i]; e++)
	{
		const double *yj = y + (Size) mc->col[e] * lanes;
		int			b;

		for (b = 0; b < lanes; b += 8)	/* a 64-byte line */
			SOCROI_PREFETCH(yj + b);
	}
}

/* rows x sweeps the sweeps of a component may take (GS_MAX_WORK) */
static int32
sweep_cap(const MarkovChain *mc, const MarkovSolveSpace *ws, int32 m)
{
	Size		work = 0;
	int32		k;

	for (k = 0; k < m; k++)
		work += mc->int_end[ws->members[k]] - mc->row[ws->members[k]] + 2;
	return (int32) Max((Size) 1000, Min((Size) GS_MAX_SWEEPS, GS_MAX_WORK / work));
}

/*
 * The update of one row's entries in a sweep: acc (the new values) replaces
 * yi in every system whose bit is not set in fx; per system, the largest
 * change goes to dmax[b] and the largest value to ymax[b].  shift: the
 * row's Perron entry, times alpha the lazy correction the old value still
 * lacks.  Systems past nb hold zeroes throughout and change nothing.
 */
static pg_attribute_always_inline void
sweep_update(double *yi, const double *acc, const double *alpha, double shift,
			 uint32 fx, double *dmax, double *ymax, const int lanes)
{
	int			b;

	for (b = 0; b < lanes; b++)
	{
		double		v = acc[b];

		if (fx & ((uint32) 1 << b))
			continue;
		dmax[b] = Max(dmax[b], fabs(v - (yi[b] + alpha[b] * shift)));
		ymax[b] = Max(ymax[b], fabs(v));
		yi[b] = v;
	}
}

/*
 * Append a correction; false (nothing written) when the list is full, which
 * markov_solve_space_init() sizes out -- checked all the same, since a thread cannot
 * raise and an overrun would corrupt the backend's memory.
 */
static inline bool
add_fix(SweepFix *fix, Size *n, Size capacity, int32 k, int b, double d)
{
	if (*n >= capacity)
		return false;
	fix[*n].k = k;
	fix[*n].b = b;
	fix[*n].d = d;
	(*n)++;
	return true;
}

/*
 * Interrupts: in the backend's thread CHECK_FOR_INTERRUPTS(); in another
 * thread a pending interrupt (or another thread's failure) stops the solve,
 * and true says so.
 */
static inline bool
solve_stopped(MarkovSolveSpace *ws)
{
	if (!ws->in_thread)
	{
		CHECK_FOR_INTERRUPTS();
		return false;
	}
	if (*ws->stop || socroi_interrupt_pending())
	{
		if (ws->error == MARKOV_SOLVE_OK)
			ws->error = MARKOV_SOLVE_INTERRUPTED;
		*ws->stop = true;
		return true;
	}
	return false;
}

/* record a failure; raised at once in the backend's thread */
static void
solve_fail(MarkovSolveSpace *ws, MarkovSolveError error, int32 size, int sweeps,
		   double bound)
{
	ws->error = error;
	ws->error_size = size;
	ws->error_sweeps = sweeps;
	ws->error_bound = bound;
	if (!ws->in_thread)
		markov_solve_raise(ws);
	*ws->stop = true;
}

/*
 * Whether a sweep's result is within MARKOV_CERT_TOLERANCE of the solution in
 * every system, from what the sweep measured.  Member i's residual after
 * the sweep, r_i = ext_i + sum_j W_ij y_j - D_i y_i, is the sum of W_ij
 * times the change of y_j over the successors swept after it (those before
 * it were new already when it was), so |r_i| / D_i <= L_i dmax, dmax the
 * largest change and L_i the weight of those successors per unit of D_i
 * (at most 1); the pending
 * correction y += alpha v adds at most 2 |alpha| vmax to that, and the
 * rounding of a row of up to n terms (n + 2) eps ymax, and that of the
 * lazy correction the sweep applied (alpha_applied times a sum of up to n
 * terms of v, less the fixed ones) (n + 2) eps |alpha_applied| vmax.  The error is
 * e = (I - J)^-1 D^-1 r, J the Jacobi matrix over the free states (its
 * powers, and L, bounded by those of the whole component), so
 * |e| <= later_bound dmax + scc_bound (the rest), with (I - J)^-1 L <=
 * later_bound and (I - J)^-1 1 <= scc_bound (markov_perron.c), which must
 * be at most MARKOV_CERT_TOLERANCE times the largest entry.
 */
static bool
sweep_certified(double scc_bound, double later_bound, int nb, const double *dmax,
				const double *alpha, const double *applied, double vmax,
				double rounding, const double *ymax)
{
	int			b;

	for (b = 0; b < nb; b++)
		if (!(later_bound * dmax[b] +
			  scc_bound * ((2 * fabs(alpha[b]) + rounding * fabs(applied[b])) * vmax +
						   rounding * ymax[b]) <=
			  MARKOV_CERT_TOLERANCE * ymax[b]))
			return false;
	return true;
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
 * Stopping: the largest change of a sweep relative to the largest entry
 * (the scale of the certificate) and the contraction rate of successive
 * sweeps estimate the error left; below GS_TOLERANCE the answer is
 * certified from the residual bound of the last sweep (sweep_certified()),
 * and if it is not yet, the sweeps go on to a GS_TIGHTEN times smaller
 * estimate, and so on down to the rounding floor.  The bound is the
 * tighter test (on the bench data it passes about one sweep after an
 * estimate of 1e-10, so it is tried at about every sweep from there, not
 * first at 1e-11 and then at 1e-13).  A nearly closed loop
 * can stall the sweeps far from the solution, and is reported instead of
 * returned.  A small entry, such as the loss from (start) of a rare
 * channel, is then right to 1e-9 of the largest, not to its own digits.
 */
static pg_attribute_always_inline bool
gauss_seidel(const MarkovChain *mc, int32 scc, int32 m, int nb,
			 const uint32 *fixed, MarkovSolveSpace *ws, const int lanes)
{
	const double *inv_denom = mc->inv_denom;
	double	   *y = ws->y;
	double	   *zs = ws->zs;
	double	   *ls = ws->ls;
	double	   *za = ws->za;
	Size		nzfix = 0;
	Size		nlfix = 0;
	bool		room = true;
	double		wext[MARKOV_BLOCK];
	double		zy_fixed[MARKOV_BLOCK];
	double		zy_fixed_abs[MARKOV_BLOCK];
	double		den[MARKOV_BLOCK];
	double		alpha[MARKOV_BLOCK];
	double		applied[MARKOV_BLOCK];	/* the alpha the last sweep applied */
	double		ymax[MARKOV_BLOCK];
	bool		deflate = (mc->perron_v != NULL);
	double		tolerance = GS_TOLERANCE;
	double		vmax = 0.0;
	double		rounding = 0.0;
	double		prev_delta = 0.0;
	double		best_delta = 0.0;
	int			stalled = 0;
	int32		max_sweeps = sweep_cap(mc, ws, m);
	Size		internal_edges = 0;
	int32		prefetch_below = 0;	/* edges ahead, up to this edge */
	bool		prefetch_rows = false;	/* members ahead */
	int32		k;
	int			sweep;
	int			b;

	for (b = 0; b < lanes; b++)
		wext[b] = den[b] = alpha[b] = zy_fixed[b] = zy_fixed_abs[b] = 0.0;
	if (deflate)
	{
		/*
		 * z = A^T w over the members (in system b the free rows carry w, the
		 * fixed identity rows 0), w^T ext and z^T v_free; and for the lazy
		 * correction, per member the weight times v of its successors that
		 * come later in the sweep.  Both are kept as the value of a system
		 * with nothing fixed (zs, ls: one number per member, the same for
		 * every block, from markov_perron.c) and what the fixed states
		 * change in it (zfix, lfix: a few per fixed state), so a sweep reads
		 * one number per member, not a block.  The fixed entries keep their
		 * values, so their part of z^T y is summed here once (zy_fixed),
		 * from the products themselves: no cancellation of large terms
		 * enters alpha.  lfix holds the value itself, in member order: ls
		 * less the later successors fixed in that system (their rounding is
		 * counted by sweep_certified()).
		 */
		for (k = 0; k < m; k++)
		{
			int32		i = ws->members[k];

			zs[k] = mc->perron_z[i];
			za[k] = mc->perron_za[i];
			ls[k] = mc->perron_ls[i];
		}
		for (k = 0; k < m; k++)
		{
			int32		i = ws->members[k];
			uint32		fx = fixed ? fixed[i] : 0;
			const double pw = mc->perron_w[i];
			const double *ext = ws->ext + (Size) k * lanes;
			uint32		later_fixed = 0;
			int32		e;

			for (b = 0; b < lanes; b++)
				if (!(fx & ((uint32) 1 << b)))
					wext[b] += pw * ext[b];
			if (fixed == NULL)
				continue;
			for (e = mc->row[i]; e < mc->int_end[i]; e++)
			{
				int32		j = mc->col[e];
				int32		kj = ws->local[j];
				uint32		fj = fixed[j];
				const double w = mc->w[e];

				if ((fx | fj) == 0)
					continue;
				/* a fixed row's edge into a free one: that z lacks w */
				if ((fx & ~fj) != 0)
					for (b = 0; b < lanes; b++)
						if ((fx & ~fj) & ((uint32) 1 << b))
							room &= add_fix(ws->zfix, &nzfix, ws->fix_capacity, kj, b, w * pw);
				/* a free row's edge into a fixed one: its part of z^T y */
				if ((fj & ~fx) != 0)
					for (b = 0; b < lanes; b++)
						if ((fj & ~fx) & ((uint32) 1 << b))
						{
							double		t = w * pw * y[(Size) j * lanes + b];

							zy_fixed[b] -= t;
							zy_fixed_abs[b] += fabs(t);
						}
				if (kj > k)
					later_fixed |= fj;
			}
			/* the systems in which a successor swept later is fixed */
			later_fixed &= ~fx;
			if (later_fixed != 0)
			{
				double		lk[MARKOV_BLOCK];

				for (b = 0; b < lanes; b++)
					lk[b] = 0.0;
				for (e = mc->row[i]; e < mc->int_end[i]; e++)
				{
					int32		j = mc->col[e];
					uint32		fj = fixed[j] & later_fixed;

					if (fj != 0 && ws->local[j] > k)
						for (b = 0; b < lanes; b++)
							if (fj & ((uint32) 1 << b))
								lk[b] += mc->w[e] * mc->perron_v[j];
				}
				for (b = 0; b < lanes; b++)
					if (later_fixed & ((uint32) 1 << b))
						room &= add_fix(ws->lfix, &nlfix, ws->fix_capacity, k, b, ls[k] - lk[b]);
			}
		}
		if (!room)
		{
			solve_fail(ws, MARKOV_SOLVE_NO_ROOM, m, 0, 0.0);
			return false;
		}
		/* den = z^T v over the free entries of each system */
		for (k = 0; k < m; k++)
		{
			int32		i = ws->members[k];
			uint32		fx = fixed ? fixed[i] : 0;
			double		zv = zs[k] * mc->perron_v[i];

			for (b = 0; b < lanes; b++)
				if (!(fx & ((uint32) 1 << b)))
					den[b] += zv;
		}
		for (k = 0; k < nzfix; k++)
			den[ws->zfix[k].b] += ws->zfix[k].d * mc->perron_v[ws->members[ws->zfix[k].k]];
	}

	/* the largest Perron entry and row, for sweep_certified() */
	for (k = 0; k < m; k++)
	{
		int32		i = ws->members[k];

		if (deflate)
			vmax = Max(vmax, mc->perron_v[i]);
		rounding = Max(rounding, (mc->int_end[i] - mc->row[i] + 2) * DBL_EPSILON);
		internal_edges += mc->int_end[i] - mc->row[i];
	}
	if (internal_edges >= (Size) m * PREFETCH_LONG_ROWS)
		prefetch_below = mc->row[mc->nnodes] - PREFETCH_EDGES - 1;
	else
		prefetch_rows = ((Size) m * lanes * sizeof(double) > PREFETCH_ABOVE);
	for (b = 0; b < lanes; b++)
		ymax[b] = 0.0;
	for (sweep = 1;; sweep++)
	{
		double		delta = 0.0;
		bool		converged;
		Size		lnext = 0;
		double		lane_dmax[MARKOV_BLOCK];
		double		zy[MARKOV_BLOCK];
		double		zy_abs[MARKOV_BLOCK];
		double		prev_ymax[MARKOV_BLOCK];

		for (b = 0; b < lanes; b++)
		{
			zy[b] = zy_abs[b] = lane_dmax[b] = 0.0;
			prev_ymax[b] = ymax[b];
			ymax[b] = 0.0;
		}
		for (k = 0; k < m; k++)
		{
			int32		i = ws->members[k];
			double	   *yi = y + (Size) i * lanes;
			uint32		fx = fixed ? fixed[i] : 0;
			double		acc[MARKOV_BLOCK];

			/* the inflow: from the finished components, and from the loop */
			memcpy(acc, ws->ext + (Size) k * lanes, sizeof(double) * lanes);
			if (prefetch_rows && k + PREFETCH_ROWS < m)
				prefetch_row(mc, ws->members[k + PREFETCH_ROWS], y, lanes);
			add_row_product(mc, mc->row[i], mc->int_end[i], y, acc, prefetch_below, lanes);

			if (deflate)
			{
				/* the pending correction of the successors not yet swept */
				double		lk[MARKOV_BLOCK];

				for (b = 0; b < lanes; b++)
					lk[b] = ls[k];
				for (; lnext < nlfix && ws->lfix[lnext].k == k; lnext++)
					lk[ws->lfix[lnext].b] = ws->lfix[lnext].d;
				for (b = 0; b < lanes; b++)
					acc[b] += alpha[b] * lk[b];
			}
			for (b = 0; b < lanes; b++)
				acc[b] *= inv_denom[i];
			sweep_update(yi, acc, alpha, deflate ? mc->perron_v[i] : 0.0, fx,
						 lane_dmax, ymax, lanes);
			if (deflate)
			{
				const double zk = zs[k];
				const double zk_abs = za[k];

				if (fx == 0)
					for (b = 0; b < lanes; b++)
					{
						zy[b] += zk * yi[b];
						zy_abs[b] += zk_abs * fabs(yi[b]);
					}
				else
					for (b = 0; b < lanes; b++)
						if (!(fx & ((uint32) 1 << b)))
						{
							zy[b] += zk * yi[b];
							zy_abs[b] += zk_abs * fabs(yi[b]);
						}
			}
		}
		if (deflate)
		{
			for (k = 0; k < nzfix; k++)
			{
				const SweepFix *f = &ws->zfix[k];
				double		t = f->d * y[(Size) ws->members[f->k] * lanes + f->b];

				zy[f->b] += t;
				zy_abs[f->b] += fabs(t);
			}
			for (b = 0; b < lanes; b++)
			{
				zy[b] += zy_fixed[b];
				zy_abs[b] += zy_fixed_abs[b];
			}
		}

		/* the largest change, of the largest entry (before or after) */
		for (b = 0; b < nb; b++)
		{
			double		scale = Max(ymax[b], prev_ymax[b]);

			if (scale > 0.0)
				delta = Max(delta, lane_dmax[b] / scale);
		}

		/*
		 * The correction y += alpha v of this sweep's result, applied lazily
		 * by the next sweep (and explicitly after the last one).  alpha is a
		 * difference of sums; once it is within their rounding error it is
		 * noise, and the plain sweeps finish the job.  That error counts the
		 * terms inside z as well (zy_abs sums |terms of z| |y|): z = A^T w
		 * is itself a difference, a few times smaller than its terms.
		 */
		memcpy(applied, alpha, sizeof(double) * lanes);
		if (deflate)
			for (b = 0; b < nb; b++)
			{
				double		noise = 16 * DBL_EPSILON * (fabs(wext[b]) + zy_abs[b]);

				alpha[b] = 0.0;
				if (den[b] > 0.0 && fabs(wext[b] - zy[b]) > noise)
					alpha[b] = (wext[b] - zy[b]) / den[b];
			}

		/* converged, or at the rounding floor: certified, or sweep on */
		converged = (delta <= 2 * DBL_EPSILON);
		if (!converged && prev_delta > 0.0)
		{
			/* error left after contractions by rho: delta * rho / (1 - rho) */
			double		rho = delta / prev_delta;

			converged = (rho < 1.0 && delta * rho <= tolerance * (1.0 - rho));
		}
		if (converged)
		{
			if (sweep_certified(mc->scc_bound[scc], mc->scc_bound_later[scc], nb,
								lane_dmax, alpha, applied,
								deflate ? vmax : 0.0, rounding, ymax))
				break;
			if (delta <= 2 * DBL_EPSILON)
			{
				solve_fail(ws, MARKOV_SOLVE_NOT_CERTIFIED, m, 0, mc->scc_bound[scc]);
				return false;
			}
			tolerance *= GS_TIGHTEN;
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
				for (b = 0; b < lanes; b++)
					alpha[b] = 0.0;
			}
		}
		prev_delta = delta;
		if (sweep >= max_sweeps)
		{
			solve_fail(ws, MARKOV_SOLVE_NOT_CONVERGED, m, sweep, 0.0);
			return false;
		}
		if (solve_stopped(ws))
			return false;
	}

	/*
	 * The last correction (within the certificate); the solution is
	 * non-negative, so clearing rounding below 0 only brings y closer.
	 */
	for (k = 0; k < m; k++)
	{
		int32		i = ws->members[k];
		double	   *yi = y + (Size) i * lanes;
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

	return true;
}

/*
 * One block of nb <= MARKOV_BLOCK systems over the live states, component by
 * component, into ws->y (zeroed by the caller, fixed entries preset).
 *   Base system (conv != NULL, nb = 1):  D_i x_i = sum_j W_ij x_j + C_i.
 *   Loss systems of removals (conv == NULL): in system b the states that
 *   contain channel b are fixed at d_i = x_i -- there everything is lost,
 *   which folds the flow into M of the header comment into the fixed
 *   entries -- and every other state satisfies D_i d_i = sum_j W_ij d_j.
 */
static pg_attribute_always_inline void
solve_block(const MarkovChain *mc, int nb, const double *conv,
			const uint32 *fixed, MarkovSolveSpace *ws, const int lanes)
{
	double	   *y = ws->y;
	int32		c;

	for (c = 0; c < mc->nscc; c++)
	{
		int32		first = mc->scc_begin[c];
		int32		m = mc->scc_begin[c + 1] - first;
		int32		swept;
		int32		k;
		int			b;

		if ((c & 0x3FF) == 0x3FF && solve_stopped(ws))
			return;

		/* the flow from the finished components below */
		swept = markov_eliminate_members(mc, c, ws->members);
		for (k = 0; k < m; k++)
		{
			int32		i = ws->members[k];
			double	   *ext = ws->ext + (Size) k * lanes;

			ws->local[i] = k;
			for (b = 0; b < lanes; b++)
				ext[b] = 0.0;
			if (conv != NULL)
				ext[0] = conv[i];
			add_row_product(mc, mc->int_end[i], mc->row[i + 1], y, ext, 0, lanes);
		}

		if (m == 1)
		{
			int32		i = ws->members[0];
			uint32		fx = fixed ? fixed[i] : 0;

			for (b = 0; b < nb; b++)
				if (!(fx & ((uint32) 1 << b)))
					y[(Size) i * lanes + b] = ws->ext[b] / mc->denom[i];
			continue;
		}

		if (m <= MARKOV_DENSE_MAX)
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
						rhs[k] = y[(Size) i * lanes + b];
					}
					else
					{
						a[k * m + k] = mc->denom[i];
						for (e = mc->row[i]; e < mc->int_end[i]; e++)
							a[k * m + ws->local[mc->col[e]]] -= mc->w[e];
						rhs[k] = ws->ext[(Size) k * lanes + b];
					}
					if (rhs[k] != 0.0)
						any = true;
				}
				if (!any)
					continue;	/* the solution is 0 */
				/*
				 * nonsingular (weakly chained diagonally dominant: every kept
				 * state reaches an exit); a zero pivot only from a crafted state
				 */
				if (!linalg_lu_solve(a, rhs, m))
				{
					solve_fail(ws, MARKOV_SOLVE_SINGULAR, m, 0, 0.0);
					return;
				}
				for (k = 0; k < m; k++)
				{
					int32		i = ws->members[k];

					if (!(fixed && (fixed[i] & ((uint32) 1 << b))))
						y[(Size) i * lanes + b] = Max(rhs[k], 0.0);
				}
			}
			continue;
		}

		markov_fold_eliminated(mc, c, fixed, y, ws->local, ws->ext, lanes);
		if (!gauss_seidel(mc, c, swept, nb, fixed, ws, lanes))
			return;
		markov_recover_eliminated(mc, ws->members, swept, m, nb, fixed, ws->ext, y,
								  lanes);
	}
}

SOLVER_CLONES void
markov_solve_block(const MarkovChain *mc, int nb, const double *conv,
				   const uint32 *fixed, MarkovSolveSpace *ws)
{
	solve_block(mc, nb, conv, fixed, ws, MARKOV_BLOCK);
}

/*
 * The base system alone: the same solve over MARKOV_NARROW lanes, of which
 * it uses one, so that a sweep gathers a cache line per successor instead
 * of MARKOV_BLOCK / 8.
 */
SOLVER_CLONES void
markov_solve_base(const MarkovChain *mc, const double *conv, MarkovSolveSpace *ws)
{
	solve_block(mc, 1, conv, NULL, ws, MARKOV_NARROW);
}
