/*
 * optimize.c
 *		BFGS minimiser for maximum-likelihood fits (see optimize.h).
 *
 * Nocedal & Wright (2006), Numerical Optimization, 2nd ed.: the BFGS
 * update of the inverse Hessian (algorithm 6.1), the first step scaled by
 * s'y / y'y (eq. 6.20), a backtracking line search with the Armijo
 * condition, and a restart from steepest descent whenever the update has
 * lost positive definiteness.
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"

#include "common/linalg.h"
#include "common/optimize.h"

double
optimize_max_abs(const double *v, int n)
{
	double		m = 0.0;
	int			i;

	for (i = 0; i < n; i++)
	{
		if (isnan(v[i]))
			return INFINITY;	/* never "converged" on a NaN gradient */
		m = fmax(m, fabs(v[i]));
	}
	return m;
}

double
optimize_max_abs_diff(const double *a, const double *b, int n)
{
	double		m = 0.0;
	int			i;

	for (i = 0; i < n; i++)
	{
		if (isnan(a[i]) || isnan(b[i]))
			return INFINITY;
		m = fmax(m, fabs(a[i] - b[i]));
	}
	return m;
}

static void
set_identity(double *h, int n, double diagonal)
{
	int			i,
				j;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			h[i * n + j] = (i == j) ? diagonal : 0.0;
}

OptimizeStatus
optimize_bfgs(OptimizeObjective objective, void *arg, int n, double *theta,
			  double *f_out, int *iterations, const OptimizeSettings *settings)
{
	/* one allocation: h (n x n), then g, g_new, p, s, y, hy, theta_new, start */
	double	   *work = palloc((Size) n * (n + 8) * sizeof(double));
	double	   *h = work;
	double	   *g = h + n * n;
	double	   *g_new = g + n;
	double	   *p = g_new + n;
	double	   *s = p + n;
	double	   *y = s + n;
	double	   *hy = y + n;
	double	   *theta_new = hy + n;
	double	   *theta_start = theta_new + n;
	double		f,
				f_new = 0.0;
	bool		scaled = false;
	OptimizeStatus status;
	int			iter,
				i,
				j;

	memcpy(theta_start, theta, n * sizeof(double));

	set_identity(h, n, 1.0);
	f = objective(theta, g, arg);
	if (!isfinite(f))
	{
		pfree(work);
		return OPTIMIZE_STALLED;
	}
	for (iter = 0; iter < settings->max_iterations; iter++)
	{
		double		slope = 0.0,
					step_len,
					step = 1.0,
					sy = 0.0,
					yy = 0.0;
		bool		accepted = false;

		CHECK_FOR_INTERRUPTS();
		*iterations = iter;
		if (optimize_max_abs(g, n) < settings->gradient_tolerance)
		{
			*f_out = f;
			pfree(work);
			return OPTIMIZE_CONVERGED;
		}
		for (i = 0; i < n; i++)
		{
			p[i] = 0.0;
			for (j = 0; j < n; j++)
				p[i] -= h[i * n + j] * g[j];
			slope += p[i] * g[i];
		}
		if (!(slope < 0.0))
		{
			/* not a descent direction: restart from steepest descent */
			set_identity(h, n, 1.0);
			for (i = 0; i < n; i++)
				p[i] = -g[i];
			slope = 0.0;
			for (i = 0; i < n; i++)
				slope -= g[i] * g[i];
			scaled = false;
		}
		step_len = optimize_max_abs(p, n);
		if (step_len > settings->max_step)
			step = settings->max_step / step_len;
		while (step * step_len > 1e-16)
		{
			CHECK_FOR_INTERRUPTS();
			for (i = 0; i < n; i++)
				theta_new[i] = theta[i] + step * p[i];
			f_new = objective(theta_new, g_new, arg);
			if (isfinite(f_new) && f_new <= f + 1e-4 * step * slope)
			{
				accepted = true;
				break;
			}
			step *= 0.5;
		}
		if (!accepted)
		{
			*f_out = f;
			status = optimize_max_abs(g, n) < settings->loose_tolerance ?
				OPTIMIZE_CONVERGED : OPTIMIZE_STALLED;
			pfree(work);
			return status;
		}
		for (i = 0; i < n; i++)
		{
			s[i] = theta_new[i] - theta[i];
			y[i] = g_new[i] - g[i];
			sy += s[i] * y[i];
			yy += y[i] * y[i];
		}
		if (sy > 1e-12 * sqrt(yy) * optimize_max_abs(s, n))
		{
			double		rho = 1.0 / sy;
			double		yhy = 0.0;

			if (!scaled)
			{
				set_identity(h, n, sy / yy);
				scaled = true;
			}
			for (i = 0; i < n; i++)
			{
				hy[i] = 0.0;
				for (j = 0; j < n; j++)
					hy[i] += h[i * n + j] * y[j];
				yhy += y[i] * hy[i];
			}
			/* H += (1 + rho y'Hy) rho s s' - rho (Hy s' + s y'H) */
			for (i = 0; i < n; i++)
				for (j = 0; j < n; j++)
					h[i * n + j] += (1.0 + rho * yhy) * rho * s[i] * s[j]
						- rho * (hy[i] * s[j] + s[i] * hy[j]);
		}
		for (i = 0; i < n; i++)
		{
			theta[i] = theta_new[i];
			g[i] = g_new[i];
			if (fabs(theta[i] - theta_start[i]) > settings->max_distance)
			{
				*f_out = f_new;
				pfree(work);
				return OPTIMIZE_DIVERGED;
			}
		}
		f = f_new;
	}
	*f_out = f;
	status = optimize_max_abs(g, n) < settings->loose_tolerance ?
		OPTIMIZE_CONVERGED : OPTIMIZE_STALLED;
	pfree(work);
	return status;
}

/*
 * Central differences of the analytic gradient, from steps h and h/2,
 * combined by Richardson extrapolation (error O(h^4) instead of O(h^2)),
 * then symmetrised.
 */
bool
optimize_hessian(OptimizeObjective objective, void *arg, int n, const double *x,
				 double step, double *hessian)
{
	double	   *work = palloc((Size) n * (n + 3) * sizeof(double));
	double	   *point = work;
	double	   *g_plus = point + n;
	double	   *g_minus = g_plus + n;
	double	   *coarse = g_minus + n;
	int			i,
				j,
				pass;
	bool		ok = true;

	for (pass = 0; pass < 2 && ok; pass++)
	{
		double		h = pass == 0 ? step : step / 2.0;

		for (j = 0; j < n && ok; j++)
		{
			CHECK_FOR_INTERRUPTS();
			memcpy(point, x, n * sizeof(double));
			point[j] = x[j] + h;
			if (!isfinite(objective(point, g_plus, arg)))
				ok = false;
			point[j] = x[j] - h;
			if (!isfinite(objective(point, g_minus, arg)))
				ok = false;
			for (i = 0; i < n; i++)
			{
				double		d = (g_plus[i] - g_minus[i]) / (2.0 * h);

				if (pass == 0)
					coarse[i * n + j] = d;
				else
					hessian[i * n + j] = (4.0 * d - coarse[i * n + j]) / 3.0;
			}
		}
	}
	if (ok)
	{
		for (i = 0; i < n; i++)
			for (j = 0; j < i; j++)
			{
				double		m = 0.5 * (hessian[i * n + j] + hessian[j * n + i]);

				hessian[i * n + j] = hessian[j * n + i] = m;
			}
		for (i = 0; i < n * n; i++)
			if (!isfinite(hessian[i]))
				ok = false;
	}
	pfree(work);
	return ok;
}

/*
 * Scale to unit diagonal (so the test of positive definiteness does not
 * depend on the units), factor A = L L' (Cholesky), invert, scale back.
 */
bool
optimize_invert_spd(const double *a, int n, double *inverse)
{
	double	   *l = palloc0((Size) n * n * sizeof(double));
	double	   *scale = palloc((Size) n * sizeof(double));
	double	   *column = palloc((Size) n * sizeof(double));
	int			i,
				j,
				k;
	bool		ok = true;

	for (i = 0; i < n && ok; i++)
	{
		if (!(a[i * n + i] > 0.0) || !isfinite(a[i * n + i]))
			ok = false;
		else
			scale[i] = 1.0 / sqrt(a[i * n + i]);
	}
	/* Cholesky of S A S */
	for (j = 0; j < n && ok; j++)
	{
		double		d = a[j * n + j] * scale[j] * scale[j];

		for (k = 0; k < j; k++)
			d -= l[j * n + k] * l[j * n + k];
		if (!(d > 1e-13))		/* singular to working precision */
		{
			ok = false;
			break;
		}
		l[j * n + j] = sqrt(d);
		for (i = j + 1; i < n; i++)
		{
			double		s = a[i * n + j] * scale[i] * scale[j];

			for (k = 0; k < j; k++)
				s -= l[i * n + k] * l[j * n + k];
			l[i * n + j] = s / l[j * n + j];
		}
	}
	/* solve L L' x = e_c column by column */
	for (j = 0; j < n && ok; j++)
	{
		for (i = 0; i < n; i++)
			column[i] = (i == j) ? 1.0 : 0.0;
		linalg_cholesky_solve(l, n, column);
		for (i = 0; i < n; i++)
			inverse[i * n + j] = column[i] * scale[i] * scale[j];
	}
	pfree(l);
	pfree(scale);
	pfree(column);
	return ok;
}
