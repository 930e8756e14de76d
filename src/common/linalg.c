/*
 * linalg.c
 *		Dense Cholesky, pivoted QR least squares and non-negative least
 *		squares (see linalg.h).
 */
#include <math.h>
#include <string.h>

#include "common/linalg.h"

bool
linalg_cholesky(double *a, int n)
{
	int			i,
				j,
				k;

	for (j = 0; j < n; j++)
	{
		double		orig = a[j * n + j];
		double		d = orig;

		for (k = 0; k < j; k++)
			d -= a[j * n + k] * a[j * n + k];
		/* a pivot lost to cancellation counts as zero */
		if (!(d > 0.0) || !(d > 1e-15 * orig) || isinf(d))
			return false;
		d = sqrt(d);
		a[j * n + j] = d;
		for (i = j + 1; i < n; i++)
		{
			double		s = a[i * n + j];

			for (k = 0; k < j; k++)
				s -= a[i * n + k] * a[j * n + k];
			a[i * n + j] = s / d;
		}
	}
	return true;
}

void
linalg_cholesky_solve(const double *l, int n, double *b)
{
	int			i,
				k;

	for (i = 0; i < n; i++)
	{
		double		s = b[i];

		for (k = 0; k < i; k++)
			s -= l[i * n + k] * b[k];
		b[i] = s / l[i * n + i];
	}
	for (i = n - 1; i >= 0; i--)
	{
		double		s = b[i];

		for (k = i + 1; k < n; k++)
			s -= l[k * n + i] * b[k];
		b[i] = s / l[i * n + i];
	}
}

void
linalg_cholesky_update(double *l, int n, double *x)
{
	int			i,
				k;

	for (k = 0; k < n; k++)
	{
		double		lkk = l[k * n + k];
		double		r,
					c,
					s;

		if (x[k] == 0.0)
			continue;
		r = sqrt(lkk * lkk + x[k] * x[k]);
		c = r / lkk;
		s = x[k] / lkk;
		l[k * n + k] = r;
		for (i = k + 1; i < n; i++)
		{
			l[i * n + k] = (l[i * n + k] + s * x[i]) / c;
			x[i] = c * x[i] - s * l[i * n + k];
		}
	}
}

/* squared norm of column j of the column-major m x n matrix, rows from..m-1 */
static double
column_norm2(const double *a, int m, int j, int from)
{
	const double *col = a + (long) j * m;
	double		s = 0.0;
	int			i;

	for (i = from; i < m; i++)
		s += col[i] * col[i];
	return s;
}

/* x[from..m) := H x[from..m), H = I - v v' / beta */
static void
reflect(const double *v, double beta, int from, int m, double *x)
{
	double		s = 0.0;
	int			i;

	for (i = from; i < m; i++)
		s += v[i] * x[i];
	s /= beta;
	for (i = from; i < m; i++)
		x[i] -= s * v[i];
}

int
linalg_lstsq(double *a, int m, int n, double *b, double *x, double rtol,
			 double *work, int *perm)
{
	double	   *norm2 = work;		/* remaining squared column norms */
	double	   *exact2 = work + n;	/* their values when last computed */
	double		maxnorm = 0.0;
	int			rank = 0;
	int			i,
				j,
				k;

	for (j = 0; j < n; j++)
	{
		perm[j] = j;
		norm2[j] = exact2[j] = column_norm2(a, m, j, 0);
		if (sqrt(norm2[j]) > maxnorm)
			maxnorm = sqrt(norm2[j]);
	}
	for (k = 0; k < n && k < m; k++)
	{
		double	   *ck;
		double		alpha,
					vnorm2,
					beta;
		int			p = k;

		for (j = k + 1; j < n; j++)
			if (norm2[j] > norm2[p])
				p = j;
		if (!(sqrt(norm2[p]) > rtol * maxnorm) || maxnorm == 0.0)
			break;
		if (p != k)
		{
			double	   *cp = a + (long) p * m;
			double		t;
			int			ti;

			ck = a + (long) k * m;
			for (i = 0; i < m; i++)
			{
				t = ck[i];
				ck[i] = cp[i];
				cp[i] = t;
			}
			t = norm2[k], norm2[k] = norm2[p], norm2[p] = t;
			t = exact2[k], exact2[k] = exact2[p], exact2[p] = t;
			ti = perm[k], perm[k] = perm[p], perm[p] = ti;
		}
		/* Householder reflector H = I - v v' / beta zeroing ck[k+1..] */
		ck = a + (long) k * m;
		alpha = sqrt(column_norm2(a, m, k, k));
		if (ck[k] > 0)
			alpha = -alpha;
		ck[k] -= alpha;
		vnorm2 = column_norm2(a, m, k, k);
		beta = vnorm2 / 2.0;
		if (beta > 0.0)
		{
			for (j = k + 1; j < n; j++)
				reflect(ck, beta, k, m, a + (long) j * m);
			reflect(ck, beta, k, m, b);
		}
		ck[k] = alpha;			/* R's diagonal; v is no longer needed */
		rank = k + 1;
		/* downdate the remaining norms; recompute after heavy cancellation */
		for (j = k + 1; j < n; j++)
		{
			double		r = a[(long) j * m + k];

			norm2[j] -= r * r;
			if (norm2[j] <= 1e-8 * exact2[j])
				norm2[j] = exact2[j] = column_norm2(a, m, j, k + 1);
		}
	}
	/* back substitution R[0:rank, 0:rank] z = (Q'b)[0:rank] */
	for (j = 0; j < n; j++)
		x[j] = 0.0;
	for (i = rank - 1; i >= 0; i--)
	{
		double		s = b[i];

		for (j = i + 1; j < rank; j++)
			s -= a[(long) j * m + i] * work[j];
		work[i] = s / a[(long) i * m + i];
	}
	for (i = 0; i < rank; i++)
		x[perm[i]] = work[i];
	return rank;
}

/*
 * z = the unconstrained minimiser over the passive variables (0 elsewhere).
 * sub: n*n, rhs: n, idx: n.
 */
static void
nnls_solve_passive(const double *g, const double *c, int n, const bool *passive,
				   double *z, double *sub, double *rhs, int *idx)
{
	int			np = 0;
	int			i,
				j,
				attempt;
	double		trace = 0.0;
	double		jitter = 0.0;

	for (i = 0; i < n; i++)
	{
		z[i] = 0.0;
		if (passive[i])
		{
			idx[np++] = i;
			trace += g[i * n + i];
		}
	}
	if (np == 0)
		return;
	for (attempt = 0; attempt < 24; attempt++)
	{
		for (i = 0; i < np; i++)
		{
			for (j = 0; j <= i; j++)
				sub[i * np + j] = g[idx[i] * n + idx[j]];
			sub[i * np + i] += jitter;
			rhs[i] = c[idx[i]];
		}
		if (linalg_cholesky(sub, np))
		{
			linalg_cholesky_solve(sub, np, rhs);
			for (i = 0; i < np; i++)
				z[idx[i]] = rhs[i];
			return;
		}
		jitter = (jitter == 0.0) ? 1e-13 * fabs(trace) / np + 1e-300 : jitter * 10.0;
	}
	/* not even a heavily jittered system factors (non-finite input): z = 0 */
}

int
linalg_nnls(const double *g, const double *c, int n, const bool *nonneg,
			bool *passive, double *x, double *work, int *iwork)
{
	double	   *sub = work;
	double	   *z = work + n * n;
	double	   *w = z + n;
	double	   *rhs = w + n;
	int		   *idx = iwork;
	int		   *rejected = iwork + n;
	double		tol = 0.0;
	int			cap = 3 * n + 10;
	int			changes = 0;
	int			i,
				j;

	for (i = 0; i < n; i++)
	{
		if (fabs(c[i]) > tol)
			tol = fabs(c[i]);
		if (!nonneg[i])
			passive[i] = true;
		rejected[i] = 0;
	}
	tol = 1e-11 * (1.0 + tol);

	/* make the hint feasible: drop what the unconstrained solve makes <= 0 */
	for (;;)
	{
		bool		dropped = false;

		nnls_solve_passive(g, c, n, passive, z, sub, rhs, idx);
		for (i = 0; i < n; i++)
			if (nonneg[i] && passive[i] && !(z[i] > 0.0))
			{
				passive[i] = false;
				dropped = true;
			}
		if (!dropped)
			break;
	}
	memcpy(x, z, sizeof(double) * n);

	for (;;)
	{
		int			best = -1;
		double		wmax = tol;

		for (i = 0; i < n; i++)
		{
			double		s = c[i];

			for (j = 0; j < n; j++)
				s -= g[i * n + j] * x[j];
			w[i] = s;
		}
		for (i = 0; i < n; i++)
			if (nonneg[i] && !passive[i] && !rejected[i] && w[i] > wmax)
			{
				wmax = w[i];
				best = i;
			}
		if (best < 0)
			return changes;
		if (++changes > cap)
			return -1;
		passive[best] = true;
		for (;;)
		{
			double		alpha = 1.0;
			int			argmin = -1;

			nnls_solve_passive(g, c, n, passive, z, sub, rhs, idx);
			if (best >= 0 && !(z[best] > 0.0))
			{
				/* round-off: the variable cannot enter; skip it until x moves */
				passive[best] = false;
				rejected[best] = 1;
				break;
			}
			best = -1;
			for (i = 0; i < n; i++)
				if (nonneg[i] && passive[i] && !(z[i] > 0.0))
				{
					double		a = x[i] / (x[i] - z[i]);

					if (argmin < 0 || a < alpha)
					{
						alpha = a;
						argmin = i;
					}
				}
			if (argmin < 0)
			{
				memcpy(x, z, sizeof(double) * n);
				for (i = 0; i < n; i++)
					rejected[i] = 0;
				break;
			}
			if (++changes > cap)
				return -1;
			for (i = 0; i < n; i++)
				x[i] += alpha * (z[i] - x[i]);
			x[argmin] = 0.0;
			for (i = 0; i < n; i++)
				if (nonneg[i] && passive[i] && !(x[i] > 0.0))
				{
					passive[i] = false;
					x[i] = 0.0;
				}
			for (i = 0; i < n; i++)
				rejected[i] = 0;
		}
	}
}

/*
 * Gaussian elimination with partial pivoting (Golub & Van Loan, "Matrix
 * Computations", alg. 3.4.1) of the m x m system a y = rhs (a row-major),
 * in place: rhs becomes y, a is destroyed.  False on a zero pivot.
 */
bool
linalg_lu_solve(double *a, double *rhs, int m)
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
			return false;
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
	return true;
}
