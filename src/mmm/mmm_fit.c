/*
 * mmm_fit.c
 *		Fitting a marketing mix model (doc/mmm.md, "Method").
 *
 * Variable projection (Golub & Pereyra 1973): the model is linear in the
 * intercept, trend, Fourier seasonality, control and media coefficients once
 * the nonlinear parameters -- each channel's adstock (decay, or Weibull
 * shape and scale) and saturation (half-saturation point, Hill slope) -- and
 * the ridge penalty are fixed.  For fixed nonlinear parameters the linear
 * ones are the ridge-regularised non-negative least squares solution on
 * standardised columns (media coefficients >= 0; linalg_nnls), so the search
 * runs over the nonlinear parameters only.
 *
 * Objective: rolling-origin cross-validation (Tashman 2000, "Out-of-sample
 * tests of forecasting accuracy"): for every origin o from max(n/4, p + 1)
 * to n - 1 the linear part is fitted to periods 0..o-1 and predicts period
 * o; the objective is the mean squared one-step error.  With one-step
 * horizons this is Dawid's prequential criterion: it rewards fit and
 * penalises parameters that only fit noise.  The expanding fits cost one
 * pass: the Gram matrix of the standardised design is accumulated period by
 * period and solved at each origin.
 *
 * Search (deterministic: no clock, no random seed): the nonlinear parameters
 * and the log ridge penalty are mapped to the unit cube; Sobol' points
 * (common/sobol.c) are evaluated, and the best few are refined by a bounded
 * Levenberg-Marquardt method on the vector of one-step errors (Marquardt
 * 1963; forward-difference Jacobian, variables at a bound with the gradient
 * pointing out held there).  The best refined point wins; the final linear
 * part is the NNLS fit to all fitted periods, its passive set then re-solved
 * by pivoted QR for accuracy.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "miscadmin.h"
#include "utils/float.h"

#include "common/levmar.h"
#include "common/linalg.h"
#include "common/sobol.h"
#include "mmm/mmm_fit.h"
#include "mmm/mmm_transforms.h"

/* ridge penalty searched on a log scale over [RIDGE_MIN, RIDGE_MAX] */
#define RIDGE_MIN 1e-6
#define RIDGE_MAX 1.0
#define LM_MAX_ITER 60
#define LM_TOLERANCE 1e-8			/* stop below this relative improvement */
/* bootstrap refits start at the optimum: a coarser stop is plenty */
#define REFIT_MAX_ITER 30
#define REFIT_TOLERANCE 1e-6
#define LM_STARTS 2

typedef enum SlotKind
{
	SLOT_DECAY,
	SLOT_SHAPE,
	SLOT_SCALE,
	SLOT_K,
	SLOT_SLOPE,
	SLOT_RIDGE
} SlotKind;

typedef struct Slot
{
	int			channel;
	SlotKind	kind;
	double		lo;
	double		hi;
	bool		logscale;
} Slot;

typedef struct ChannelSpec
{
	MmmRange	decay,
				shape,
				scale,
				slope,
				k;				/* media units when k_absolute, else x mean adstock */
	bool		k_absolute;
} ChannelSpec;

typedef struct Search
{
	const MmmData *d;
	const MmmOptions *o;
	int			n;				/* fitted periods */
	int			J;				/* channels */
	int			nfixed;			/* intercept, trend, Fourier, controls */
	int			p;				/* nfixed + J */
	ChannelSpec *spec;
	int			dims;
	Slot	   *slot;
	double		fixed_ridge;	/* < 0: searched */
	double	   *Z;				/* n x p standardised design, row-major */
	double	   *y;				/* standardised kpi */
	double		ymean,
				ysd;
	double	   *mu,
			   *sd;				/* column centring and scale */
	bool	   *nonneg;			/* media coefficients */
	int			origin0;
	int			nres;
	/* scratch */
	double	   *G,
			   *c,
			   *Gs,

			   *b,
			   *nnls_work;
	int		   *nnls_iwork;
	bool	   *passive;
	double	   *adstock;		/* nperiods */
	double	   *weights;		/* Weibull kernel */
	MmmChannelParams *params;
	MmmChannelParams *cached;	/* parameters the media columns were built for */
	double	   *cached_kfactor;
	bool	   *cache_valid;
	double	   *L;				/* Cholesky factor of the running Gram + ridge */
	double	   *x;				/* update vector */
	double	   *kfactor;
	double		ridge;
	int			evaluations;
} Search;

/* ---------- preparation and checks ---------- */

static int
nonlinear_per_channel(const MmmOptions *o, const ChannelSpec *cs)
{
	int			n = 0;

	if (o->adstock == MMM_ADSTOCK_GEOMETRIC)
		n += cs->decay.lo != cs->decay.hi;
	else
		n += (cs->shape.lo != cs->shape.hi) + (cs->scale.lo != cs->scale.hi);
	n += cs->k.lo != cs->k.hi;
	if (o->saturation == MMM_SATURATION_HILL)
		n += cs->slope.lo != cs->slope.hi;
	return n;
}

static ChannelSpec *
channel_specs(const MmmData *d, const MmmOptions *o)
{
	ChannelSpec *spec = palloc0(sizeof(ChannelSpec) * d->nmedia);
	int			j;

	for (j = 0; j < d->nmedia; j++)
	{
		ChannelSpec *cs = &spec[j];
		const char *name = d->media_name[j];

		cs->decay = mmm_options_range(o, name, MMM_PARAM_DECAY, NULL);
		cs->shape = mmm_options_range(o, name, MMM_PARAM_SHAPE, NULL);
		cs->scale = mmm_options_range(o, name, MMM_PARAM_SCALE, NULL);
		cs->slope = mmm_options_range(o, name, MMM_PARAM_SLOPE, NULL);
		cs->k = mmm_options_range(o, name, MMM_PARAM_HALF_SATURATION, &cs->k_absolute);
		if (cs->k_absolute)
		{
			/* given in cost units; the model works in media units */
			double		cpu = mmm_cost_per_unit(d, j);

			cs->k.lo /= cpu;
			cs->k.hi /= cpu;
		}
		else
			cs->k = o->saturation_range;
	}
	return spec;
}

void
mmm_prepare(MmmData *d, MmmOptions *o)
{
	ChannelSpec *spec;
	int			nparams,
				i,
				j,
				t;

	if (o->holdout >= d->nperiods)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("holdout=%d leaves no period to fit (%d periods)", o->holdout, d->nperiods),
				 errhint("Hold out the last few periods only, e.g. holdout=8 of two years of weeks.")));
	d->nfit = d->nperiods - o->holdout;
	if (o->season_auto)
	{
		o->season_auto = false;
		o->yearly_order = (d->periods_per_year >= 4.0 &&
						   d->nfit >= 1.9 * d->periods_per_year) ? 2 : 0;
		o->weekly_order = (d->step_days == 1 && d->nfit >= 56) ? 3 : 0;
	}
	if (o->yearly_order > 0 && 2 * o->yearly_order >= d->periods_per_year)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("seasonality yearly(order=%d) needs more than %d periods per year, the data have %g",
						o->yearly_order, 2 * o->yearly_order, d->periods_per_year),
				 errhint("Use a lower order, or seasonality=none for data this coarse.")));
	if (o->weekly_order > 0 && (d->step_days != 1 || 2 * o->weekly_order >= 7))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("seasonality weekly(order=%d) needs daily periods and an order of at most 3",
						o->weekly_order)));
	/* per-channel options must name channels */
	for (i = 0; i < o->nchannel; i++)
	{
		for (j = 0; j < d->nmedia; j++)
			if (strcmp(o->channel[i].channel, d->media_name[j]) == 0)
				break;
		if (j == d->nmedia)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option %s(%s): no media variable is named \"%s\"",
							mmm_param_names[o->channel[i].param], o->channel[i].channel,
							o->channel[i].channel),
					 errhint("Per-channel options name a variable given with role 'media'.")));
	}
	/* every channel spends in the fitted periods */
	for (j = 0; j < d->nmedia; j++)
	{
		double		total = 0.0;

		for (t = 0; t < d->nfit; t++)
			total += d->media[j][t];
		if (!(total > 0.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("media variable \"%s\" is zero in every fitted period", d->media_name[j]),
					 errhint("A channel that never ran has no measurable effect: leave its rows out.")));
	}
	spec = channel_specs(d, o);
	nparams = 1 + (o->trend ? 1 : 0) + 2 * (o->yearly_order + o->weekly_order) + d->ncontrol;
	for (j = 0; j < d->nmedia; j++)
		nparams += 1 + nonlinear_per_channel(o, &spec[j]);
	if (d->nfit < 3 * nparams)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%d fitted periods are too few for %d parameters (at least %d needed)",
						d->nfit, nparams, 3 * nparams),
				 errhint("Fit fewer channels, drop the seasonality (seasonality=none) or the trend, fix some parameters (e.g. decay=0.3), or use a longer history.")));
	pfree(spec);
}

/* ---------- the search problem ---------- */

static double
slot_value(const Slot *s, double u)
{
	if (s->logscale)
		return exp(log(s->lo) + u * (log(s->hi) - log(s->lo)));
	return s->lo + u * (s->hi - s->lo);
}

static void
add_slot(Search *s, int channel, SlotKind kind, MmmRange r, bool logscale)
{
	if (r.lo == r.hi)
		return;
	s->slot[s->dims].channel = channel;
	s->slot[s->dims].kind = kind;
	s->slot[s->dims].lo = r.lo;
	s->slot[s->dims].hi = r.hi;
	s->slot[s->dims].logscale = logscale;
	s->dims++;
}

/* fixed columns at period t: intercept, trend, Fourier, controls */
static void
fixed_row(const Search *s, int t, double *row)
{
	const MmmData *d = s->d;
	int			c = 0,
				k;

	row[c++] = 1.0;
	if (s->o->trend)
		row[c++] = t;
	for (k = 0; k < 2 * (s->o->yearly_order + s->o->weekly_order); k++)
		row[c++] = mmm_fourier(d, s->o, k, t);
	for (k = 0; k < d->ncontrol; k++)
		row[c++] = d->control[k][t];
}

/* the channel parameter a decay, shape, scale or slope slot searches; NULL for k and the ridge */
static double *
slot_param(MmmChannelParams *p, SlotKind kind)
{
	switch (kind)
	{
		case SLOT_DECAY:
			return &p->decay;
		case SLOT_SHAPE:
			return &p->shape;
		case SLOT_SCALE:
			return &p->scale;
		case SLOT_SLOPE:
			return &p->slope;
		default:
			return NULL;
	}
}

/*
 * Standardise column col of Z over the n fitted periods (mean 0, population
 * standard deviation 1), keeping its mean and deviation in mu and sd; a
 * constant column (a control that never varies) drops out: 0.
 */
static void
standardize_column(Search *s, int col, int n)
{
	double		m = 0.0,
				v = 0.0;
	int			t;

	for (t = 0; t < n; t++)
		m += s->Z[t * s->p + col];
	m /= n;
	for (t = 0; t < n; t++)
		v += (s->Z[t * s->p + col] - m) * (s->Z[t * s->p + col] - m);
	v = sqrt(v / n);
	s->mu[col] = m;
	s->sd[col] = v;
	for (t = 0; t < n; t++)
		s->Z[t * s->p + col] = (v > 0.0) ? (s->Z[t * s->p + col] - m) / v : 0.0;
}

static Search *
search_new(const MmmData *d, const MmmOptions *o, const double *kpi)
{
	Search	   *s = palloc0(sizeof(Search));
	int			n = d->nfit;
	int			j,
				t,
				c;
	double		sum = 0.0,
				ss = 0.0;

	s->d = d;
	s->o = o;
	s->n = n;
	s->J = d->nmedia;
	s->nfixed = 1 + (o->trend ? 1 : 0) + 2 * (o->yearly_order + o->weekly_order) + d->ncontrol;
	s->p = s->nfixed + s->J;
	s->spec = channel_specs(d, o);
	s->slot = palloc(sizeof(Slot) * (4 * s->J + 1));
	for (j = 0; j < s->J; j++)
	{
		ChannelSpec *cs = &s->spec[j];

		if (o->adstock == MMM_ADSTOCK_GEOMETRIC)
			add_slot(s, j, SLOT_DECAY, cs->decay, false);
		else
		{
			add_slot(s, j, SLOT_SHAPE, cs->shape, true);
			add_slot(s, j, SLOT_SCALE, cs->scale, true);
		}
		add_slot(s, j, SLOT_K, cs->k, true);
		if (o->saturation == MMM_SATURATION_HILL)
			add_slot(s, j, SLOT_SLOPE, cs->slope, false);
	}
	s->fixed_ridge = o->ridge;
	if (o->ridge < 0.0)
		add_slot(s, -1, SLOT_RIDGE, (MmmRange) {RIDGE_MIN, RIDGE_MAX}, true);
	if (s->dims > SOBOL_MAX_DIMS)
		elog(ERROR, "too many search dimensions");

	/* standardised kpi and fixed columns */
	s->y = palloc(sizeof(double) * n);
	for (t = 0; t < n; t++)
		sum += kpi[t];
	s->ymean = sum / n;
	for (t = 0; t < n; t++)
		ss += (kpi[t] - s->ymean) * (kpi[t] - s->ymean);
	s->ysd = sqrt(ss / n);
	if (!(s->ysd > 0.0))
		s->ysd = Max(fabs(s->ymean), 1.0);
	for (t = 0; t < n; t++)
		s->y[t] = (kpi[t] - s->ymean) / s->ysd;
	s->Z = palloc0(sizeof(double) * n * s->p);
	s->mu = palloc0(sizeof(double) * s->p);
	s->sd = palloc0(sizeof(double) * s->p);
	s->nonneg = palloc0(sizeof(bool) * s->p);
	{
		double	   *row = palloc(sizeof(double) * Max(s->nfixed, 1));

		for (t = 0; t < n; t++)
		{
			fixed_row(s, t, row);
			for (c = 0; c < s->nfixed; c++)
				s->Z[t * s->p + c] = row[c];
		}
		pfree(row);
	}
	s->mu[0] = 0.0;
	s->sd[0] = 1.0;
	for (c = 1; c < s->nfixed; c++)
		standardize_column(s, c, n);
	for (j = 0; j < s->J; j++)
		s->nonneg[s->nfixed + j] = true;

	s->origin0 = Max((n + 3) / 4, s->p + 1);
	s->nres = n - s->origin0;
	s->G = palloc(sizeof(double) * s->p * s->p);
	s->Gs = palloc(sizeof(double) * s->p * s->p);
	s->c = palloc(sizeof(double) * s->p);
	s->b = palloc(sizeof(double) * s->p);
	s->nnls_work = palloc(sizeof(double) * LINALG_NNLS_WORK(s->p));
	s->nnls_iwork = palloc(sizeof(int) * 2 * s->p);
	s->passive = palloc(sizeof(bool) * s->p);
	for (c = 0; c < s->p; c++)
		s->passive[c] = true;
	s->adstock = palloc(sizeof(double) * d->nperiods);
	s->weights = palloc(sizeof(double) * Max(o->max_lag, 1));
	s->params = palloc0(sizeof(MmmChannelParams) * Max(s->J, 1));
	s->kfactor = palloc0(sizeof(double) * Max(s->J, 1));
	s->cached = palloc0(sizeof(MmmChannelParams) * Max(s->J, 1));
	s->cached_kfactor = palloc0(sizeof(double) * Max(s->J, 1));
	s->cache_valid = palloc0(sizeof(bool) * Max(s->J, 1));
	s->L = palloc(sizeof(double) * s->p * s->p);
	s->x = palloc(sizeof(double) * s->p);
	return s;
}

/*
 * Set the parameters from a point of the unit cube and rebuild the media
 * columns of Z (saturation of the adstock, standardised).
 */
static void
search_set(Search *s, const double *u)
{
	int			i,
				j,
				t;
	int			n = s->n;
	double	   *kfactor = s->kfactor;

	s->ridge = (s->fixed_ridge >= 0.0) ? s->fixed_ridge : RIDGE_MIN;
	for (j = 0; j < s->J; j++)
	{
		ChannelSpec *cs = &s->spec[j];
		MmmChannelParams *p = &s->params[j];

		p->decay = cs->decay.lo;
		p->shape = cs->shape.lo;
		p->scale = cs->scale.lo;
		p->slope = (s->o->saturation == MMM_SATURATION_HILL) ? cs->slope.lo : 1.0;
		kfactor[j] = cs->k.lo;
	}
	for (i = 0; i < s->dims; i++)
	{
		const Slot *sl = &s->slot[i];
		double		v = slot_value(sl, u[i]);

		if (sl->kind == SLOT_K)
			kfactor[sl->channel] = v;
		else if (sl->kind == SLOT_RIDGE)
			s->ridge = v;
		else
			*slot_param(&s->params[sl->channel], sl->kind) = v;
	}
	for (j = 0; j < s->J; j++)
	{
		MmmChannelParams *p = &s->params[j];
		int			col = s->nfixed + j;

		/* the column is unchanged when the channel's parameters are (Jacobians) */
		if (s->cache_valid[j] && s->cached_kfactor[j] == kfactor[j] &&
			s->cached[j].decay == p->decay && s->cached[j].shape == p->shape &&
			s->cached[j].scale == p->scale && s->cached[j].slope == p->slope)
		{
			p->k = s->cached[j].k;
			continue;
		}
		if (s->o->adstock == MMM_ADSTOCK_GEOMETRIC)
			mmm_adstock_geometric(s->d->media[j], n, p->decay, s->adstock);
		else
		{
			int			lags = Min(s->o->max_lag, n);

			mmm_weibull_weights(p->shape, p->scale, s->o->adstock == MMM_ADSTOCK_WEIBULL_PDF,
								s->o->max_lag, lags, s->weights);
			mmm_adstock_convolve(s->d->media[j], n, s->weights, lags, s->adstock);
		}
		if (s->spec[j].k_absolute)
			p->k = kfactor[j];
		else
		{
			double		mean = 0.0;

			for (t = 0; t < n; t++)
				mean += s->adstock[t];
			mean /= n;
			p->k = kfactor[j] * mean;
		}
		for (t = 0; t < n; t++)
			s->Z[t * s->p + col] = mmm_saturation(s->o->saturation, s->adstock[t],
												  p->k, p->slope);
		standardize_column(s, col, n);
		s->cached[j] = *p;
		s->cached_kfactor[j] = kfactor[j];
		s->cache_valid[j] = true;
	}
}

/*
 * The ridge NNLS  min 1/2 b'(G + pen D)b - c'b, b_media >= 0, into s->b; D
 * penalises every column but the intercept.  G holds its lower triangle.
 */
static void
solve_gram(Search *s, const double *G, const double *c, double pen)
{
	int			p = s->p;
	int			a,
				k;

	for (a = 0; a < p; a++)
	{
		for (k = 0; k <= a; k++)
			s->Gs[a * p + k] = s->Gs[k * p + a] = G[a * p + k];
		if (a > 0)
			s->Gs[a * p + a] += pen;
	}
	linalg_nnls(s->Gs, c, p, s->nonneg, s->passive, s->b, s->nnls_work, s->nnls_iwork);
}

/*
 * One-step rolling-origin errors at the current parameters; returns their
 * mean square.  The penalty is a fixed amount ridge * n on the Gram matrix of
 * every training window (a prior of fixed precision), so the factor of
 * G + penalty is carried from origin to origin by rank-one updates; NNLS
 * takes over only where the unconstrained solution has a negative media
 * coefficient.
 */
static double
search_residuals(Search *s, double *r)
{
	int			p = s->p;
	int			t,
				a,
				k;
	double		sse = 0.0;
	double		pen = s->ridge * s->n;
	bool		factored = false,
				chol_ok = false;

	s->evaluations++;
	memset(s->G, 0, sizeof(double) * p * p);
	memset(s->c, 0, sizeof(double) * p);
	for (t = 0; t < s->n; t++)
	{
		const double *z = s->Z + t * p;

		if (t >= s->origin0)
		{
			double		pred = 0.0,
						e;
			bool		feasible = false;

			if (!factored)
			{
				for (a = 0; a < p; a++)
				{
					for (k = 0; k <= a; k++)
						s->L[a * p + k] = s->G[a * p + k];
					if (a > 0)
						s->L[a * p + a] += pen;
				}
				chol_ok = linalg_cholesky(s->L, p);
				factored = true;
			}
			if (chol_ok)
			{
				memcpy(s->b, s->c, sizeof(double) * p);
				linalg_cholesky_solve(s->L, p, s->b);
				feasible = true;
				for (k = 0; k < p; k++)
					if (s->nonneg[k] && s->b[k] < 0.0)
						feasible = false;
			}
			if (!feasible)
				solve_gram(s, s->G, s->c, pen);
			for (k = 0; k < p; k++)
				pred += z[k] * s->b[k];
			e = s->y[t] - pred;
			r[t - s->origin0] = e;
			sse += e * e;
		}
		for (a = 0; a < p; a++)
		{
			double		za = z[a];

			if (za == 0.0)
				continue;
			for (k = 0; k <= a; k++)
				s->G[a * p + k] += za * z[k];
			s->c[a] += za * s->y[t];
		}
		if (chol_ok)
		{
			memcpy(s->x, z, sizeof(double) * p);
			linalg_cholesky_update(s->L, p, s->x);
		}
	}
	return sse / s->nres;
}

static double
evaluate(Search *s, const double *u, double *r)
{
	search_set(s, u);
	return search_residuals(s, r);
}

/* the objective as common/levmar.c sees it */
static double
levmar_objective(void *context, const double *u, double *r)
{
	return evaluate((Search *) context, u, r);
}

static double
levenberg_marquardt(Search *s, double *u, int max_iter, double rtol)
{
	if (s->dims == 0)
	{
		double	   *r = palloc(sizeof(double) * Max(s->nres, 1));

		return evaluate(s, u, r);
	}
	return levmar_minimize(levmar_objective, s, s->nres, s->dims, u, max_iter, rtol);
}

/* ---------- the final linear solve and the result ---------- */

static MmmFit *
final_fit(Search *s, const double *u)
{
	const MmmData *d = s->d;
	int			p = s->p,
				n = s->n;
	MmmFit	   *fit = palloc0(sizeof(MmmFit));
	int			i,
				j,
				t,
				np = 0,
				a,
				k;
	double	   *r = palloc(sizeof(double) * Max(s->nres, 1));
	double		cv;

	cv = evaluate(s, u, r);
	/* full-sample Gram */
	memset(s->G, 0, sizeof(double) * p * p);
	memset(s->c, 0, sizeof(double) * p);
	for (t = 0; t < n; t++)
	{
		const double *z = s->Z + t * p;

		for (a = 0; a < p; a++)
		{
			for (k = 0; k <= a; k++)
				s->G[a * p + k] += z[a] * z[k];
			s->c[a] += z[a] * s->y[t];
		}
	}
	solve_gram(s, s->G, s->c, s->ridge * n);

	/* re-solve the passive columns by pivoted QR on [Z_P / sqrt(n); sqrt(ridge) I] */
	{
		int		   *cols = palloc(sizeof(int) * p);
		double	   *A,
				   *rhs,
				   *x,
				   *work;
		int		   *perm;
		int			m,
					pen = 0;
		bool		ok = true;

		for (i = 0; i < p; i++)
			if (s->passive[i])
				cols[np++] = i;
		for (i = 0; i < np; i++)
			pen += cols[i] > 0;
		m = n + pen;
		A = palloc0(sizeof(double) * m * np);
		rhs = palloc0(sizeof(double) * m);
		x = palloc(sizeof(double) * np);
		work = palloc(sizeof(double) * 2 * np);
		perm = palloc(sizeof(int) * np);
		for (t = 0; t < n; t++)
			rhs[t] = s->y[t] / sqrt((double) n);
		pen = 0;
		for (i = 0; i < np; i++)
		{
			for (t = 0; t < n; t++)
				A[i * m + t] = s->Z[t * p + cols[i]] / sqrt((double) n);
			if (cols[i] > 0)
				A[i * m + n + pen++] = sqrt(s->ridge);
		}
		linalg_lstsq(A, m, np, rhs, x, 1e-13, work, perm);
		for (i = 0; i < np; i++)
			if (s->nonneg[cols[i]] && !(x[i] > 0.0))
				ok = false;
		if (ok)
		{
			for (i = 0; i < p; i++)
				s->b[i] = 0.0;
			for (i = 0; i < np; i++)
				s->b[cols[i]] = x[i];
		}
	}

	/* back to the data's units */
	fit->nmedia = s->J;
	fit->ncontrol = d->ncontrol;
	fit->nseason = 2 * (s->o->yearly_order + s->o->weekly_order);
	fit->channel = palloc0(sizeof(MmmChannelParams) * Max(s->J, 1));
	fit->season = palloc0(sizeof(double) * Max(fit->nseason, 1));
	fit->control = palloc0(sizeof(double) * Max(d->ncontrol, 1));
	fit->intercept = s->ymean + s->ysd * s->b[0];
	for (i = 1; i < p; i++)
	{
		double		coef = (s->sd[i] > 0.0) ? s->ysd * s->b[i] / s->sd[i] : 0.0;

		fit->intercept -= coef * s->mu[i];
		if (i < s->nfixed)
		{
			int			c = i - 1;

			if (s->o->trend)
			{
				if (c == 0)
				{
					fit->trend = coef;
					continue;
				}
				c--;
			}
			if (c < fit->nseason)
				fit->season[c] = coef;
			else
				fit->control[c - fit->nseason] = coef;
		}
		else
		{
			j = i - s->nfixed;
			fit->channel[j] = s->params[j];
			fit->channel[j].beta = coef;
		}
	}
	fit->ridge = s->ridge;
	fit->cv_rmse = sqrt(cv) * s->ysd;
	fit->nparams = s->nfixed + s->J;
	for (j = 0; j < s->J; j++)
		fit->nparams += nonlinear_per_channel(s->o, &s->spec[j]);
	fit->evaluations = s->evaluations;
	return fit;
}

/* ---------- entry points ---------- */

MmmFit *
mmm_fit_model(const MmmData *d, const MmmOptions *o)
{
	Search	   *s = search_new(d, o, d->kpi);
	int			dims = s->dims;
	int			npoints = Min(Max(16 * dims, 128), 2048);
	SobolState *sobol = palloc(sizeof(SobolState));
	double	   *points = palloc(sizeof(double) * npoints * Max(dims, 1));
	double	   *fpoint = palloc(sizeof(double) * npoints);
	int		   *order;
	double	   *r = palloc(sizeof(double) * Max(s->nres, 1));
	double	   *u = palloc(sizeof(double) * Max(dims, 1));
	double	   *best = palloc(sizeof(double) * Max(dims, 1));
	double		fbest = get_float8_infinity();
	int			i,
				starts;

	if (dims == 0)
		return final_fit(s, u);
	sobol_init_state(sobol, dims);
	sobol_next(sobol, points);	/* skip the origin: every parameter at its lower bound */
	for (i = 0; i < npoints; i++)
	{
		if ((i & 31) == 0)
			CHECK_FOR_INTERRUPTS();
		sobol_next(sobol, points + i * dims);
		fpoint[i] = evaluate(s, points + i * dims, r);
		if (isnan(fpoint[i]))
			fpoint[i] = get_float8_infinity();
	}
	/* the best points first, ties in Sobol order */
	order = socroi_argsort(fpoint, npoints);
	starts = Min(LM_STARTS, npoints);
	for (i = 0; i < starts; i++)
	{
		double		f;

		memcpy(u, points + order[i] * dims, sizeof(double) * dims);
		f = levenberg_marquardt(s, u, LM_MAX_ITER, LM_TOLERANCE);
		if (f < fbest)
		{
			fbest = f;
			memcpy(best, u, sizeof(double) * dims);
		}
	}
	elog(DEBUG1, "mmm_fit: %d dimensions, %d quasi-random points, %d starts, %d evaluations",
		 dims, npoints, starts, s->evaluations);
	return final_fit(s, best);
}

MmmFit *
mmm_refit(const MmmData *d, const MmmOptions *o, const double *kpi,
		  const MmmFit *start)
{
	MmmOptions	fixed = *o;
	Search	   *s;
	double	   *u;
	int			i;

	/* keep the penalty: refits vary the data, not the estimator's tuning */
	fixed.ridge = start->ridge;
	s = search_new(d, &fixed, kpi);
	u = palloc(sizeof(double) * Max(s->dims, 1));
	for (i = 0; i < s->dims; i++)
	{
		const Slot *sl = &s->slot[i];
		MmmChannelParams p = start->channel[sl->channel];
		double	   *field = slot_param(&p, sl->kind);
		double		v = (field != NULL) ? *field : sl->lo;

		if (sl->kind == SLOT_K)
		{
			/* the start's k, relative to this channel's mean adstock if need be */
			if (s->spec[sl->channel].k_absolute)
				v = p.k;
			else
			{
				double	   *a = palloc(sizeof(double) * d->nperiods);
				double		mean = 0.0;
				int			t;

				mmm_channel_adstock(d, o, sl->channel, &p, a);
				for (t = 0; t < d->nfit; t++)
					mean += a[t];
				mean /= d->nfit;
				v = p.k / mean;
				pfree(a);
			}
		}
		if (sl->logscale)
			u[i] = (log(v) - log(sl->lo)) / (log(sl->hi) - log(sl->lo));
		else
			u[i] = (v - sl->lo) / (sl->hi - sl->lo);
		u[i] = Min(1.0, Max(0.0, u[i]));
	}
	levenberg_marquardt(s, u, REFIT_MAX_ITER, REFIT_TOLERANCE);
	return final_fit(s, u);
}
