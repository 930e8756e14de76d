/*
 * levmar.c
 *		Bounded Levenberg-Marquardt minimisation of a sum of squares over the
 *		unit cube (see levmar.h).
 *
 * Marquardt (1963), "An algorithm for least-squares estimation of nonlinear
 * parameters": each step solves (J'J + mu diag(J'J)) step = -J'r by Cholesky
 * over the free variables, the damping mu shrinking after a success and
 * growing after a failure.  The Jacobian is taken by forward differences
 * (step 1e-6, inwards at the upper bound).  Bounds: a step is clipped to the
 * cube, and a variable at a bound whose gradient points outwards is held
 * there for the iteration (a projected method).  Deterministic.
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"

#include "common/levmar.h"
#include "common/linalg.h"

#define FD_STEP 1e-6

double
levmar_minimize(LevmarFunction fn, void *context, int m, int d, double *u,
				int max_iter, double rtol)
{
	double	   *r = palloc(sizeof(double) * m);
	double	   *rt = palloc(sizeof(double) * m);
	double	   *Jm = palloc(sizeof(double) * m * Max(d, 1));
	double	   *A = palloc(sizeof(double) * d * d);
	double	   *M = palloc(sizeof(double) * d * d);
	double	   *g = palloc(sizeof(double) * d);
	double	   *step = palloc(sizeof(double) * d);
	double	   *ut = palloc(sizeof(double) * d);
	int		   *freev = palloc(sizeof(int) * d);
	double		f,
				mu = 1e-3;
	int			iter,
				i,
				k,
				t;

	if (d == 0)
		return fn(context, u, r);
	f = fn(context, u, r);
	for (iter = 0; iter < max_iter; iter++)
	{
		int			nf = 0;
		bool		accepted = false;
		double		fnew = f;

		CHECK_FOR_INTERRUPTS();
		/* forward-difference Jacobian, stepping inwards at the upper bound */
		for (i = 0; i < d; i++)
		{
			double		h = (u[i] + FD_STEP <= 1.0) ? FD_STEP : -FD_STEP;

			memcpy(ut, u, sizeof(double) * d);
			ut[i] += h;
			fn(context, ut, rt);
			for (t = 0; t < m; t++)
				Jm[t * d + i] = (rt[t] - r[t]) / h;
		}
		for (i = 0; i < d; i++)
		{
			double		gi = 0.0;

			for (t = 0; t < m; t++)
				gi += Jm[t * d + i] * r[t];
			g[i] = gi;
			for (k = 0; k <= i; k++)
			{
				double		a = 0.0;

				for (t = 0; t < m; t++)
					a += Jm[t * d + i] * Jm[t * d + k];
				A[i * d + k] = A[k * d + i] = a;
			}
		}
		/* variables held at a bound by a gradient pointing outwards */
		for (i = 0; i < d; i++)
			if (!((u[i] <= 0.0 && g[i] > 0.0) || (u[i] >= 1.0 && g[i] < 0.0)))
				freev[nf++] = i;
		if (nf == 0)
			break;
		while (mu < 1e12)
		{
			for (i = 0; i < nf; i++)
			{
				for (k = 0; k <= i; k++)
					M[i * nf + k] = A[freev[i] * d + freev[k]];
				M[i * nf + i] += mu * (A[freev[i] * d + freev[i]] + 1e-12);
				step[i] = -g[freev[i]];
			}
			if (!linalg_cholesky(M, nf))
			{
				mu *= 4.0;
				continue;
			}
			linalg_cholesky_solve(M, nf, step);
			memcpy(ut, u, sizeof(double) * d);
			for (i = 0; i < nf; i++)
				ut[freev[i]] = Min(1.0, Max(0.0, u[freev[i]] + step[i]));
			fnew = fn(context, ut, rt);
			if (fnew < f)
			{
				accepted = true;
				mu = Max(mu / 3.0, 1e-9);
				break;
			}
			mu *= 4.0;
		}
		if (!accepted)
			break;
		{
			double		move = 0.0;

			for (i = 0; i < d; i++)
				move = Max(move, fabs(ut[i] - u[i]));
			memcpy(u, ut, sizeof(double) * d);
			memcpy(r, rt, sizeof(double) * m);
			if (f - fnew <= rtol * f || move < 1e-9)
			{
				f = fnew;
				break;
			}
			f = fnew;
		}
	}
	pfree(r);
	pfree(rt);
	pfree(Jm);
	pfree(A);
	pfree(M);
	pfree(g);
	pfree(step);
	pfree(ut);
	pfree(freev);
	return f;
}
