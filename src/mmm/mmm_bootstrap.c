/*
 * mmm_bootstrap.c
 *		Bootstrap intervals of a marketing mix model (bootstrap=N, seed=S).
 *
 * Moving-block bootstrap of the residuals (Kunsch 1989, "The jackknife and
 * the bootstrap for general stationary observations", Annals of Statistics;
 * circular blocks as Politis & Romano 1992): the residuals of the fitted
 * periods are cut into blocks of b = max(2, round(n^(1/3))) consecutive
 * periods starting anywhere (wrapping around), which keeps their
 * autocorrelation; N replicate series are fitted values + resampled blocks.
 * Each replicate is refitted -- the nonlinear parameters by the fit's local
 * refinement started from the point estimate, the linear ones by the same
 * ridge NNLS with the chosen penalty -- and its ROI and contribution per
 * channel computed on the original spend.  The interval is the percentile
 * interval at the model's confidence (0.9 by default: the 5th and 95th
 * percentiles, interpolated).  The block starts come from PostgreSQL's
 * pg_prng seeded with `seed`: the same seed gives the same intervals on
 * every run and node.
 */
#include "postgres.h"

#include <math.h>

#include "common/pg_prng.h"
#include "miscadmin.h"
#include "utils/memutils.h"

#include "common/common.h"
#include "common/stats.h"
#include "mmm/mmm_bootstrap.h"

void
mmm_bootstrap(MmmModel *m)
{
	const MmmData *d = &m->data;
	int			n = d->nfit,
				T = d->nperiods,
				J = d->nmedia,
				B = m->options.bootstrap,
				block = Max(2, (int) rint(cbrt((double) n))),
				b,
				j,
				t;
	double	  **effect = palloc(sizeof(double *) * J);
	double	   *fitted = palloc(sizeof(double) * T);
	double	   *resid = palloc(sizeof(double) * n);
	double	   *ystar = palloc(sizeof(double) * T);
	double	   *spend = palloc0(sizeof(double) * J);
	double	   *roi = palloc(sizeof(double) * (Size) B * J);
	double	   *contribution = palloc(sizeof(double) * (Size) B * J);
	double		alpha = (1.0 - m->options.confidence) / 2.0;
	pg_prng_state rng;
	MemoryContext replicate_cxt,
				old;

	for (j = 0; j < J; j++)
	{
		effect[j] = palloc(sizeof(double) * T);
		for (t = 0; t < n; t++)
			spend[j] += d->cost[j][t];
	}
	mmm_model_effects(m, m->fit.channel, NULL, effect);
	for (t = 0; t < T; t++)
		fitted[t] = mmm_model_fitted(m, effect, t);
	for (t = 0; t < n; t++)
		resid[t] = d->kpi[t] - fitted[t];

	pg_prng_seed(&rng, (uint64) m->options.seed);
	m->nboot = B;
	m->boot = palloc(sizeof(MmmChannelParams) * (Size) B * J);
	replicate_cxt = AllocSetContextCreate(CurrentMemoryContext, "mmm bootstrap replicate",
										  ALLOCSET_DEFAULT_SIZES);
	for (b = 0; b < B; b++)
	{
		MmmFit	   *refit;

		CHECK_FOR_INTERRUPTS();
		/* circular blocks of residuals on the fitted values */
		t = 0;
		while (t < n)
		{
			int			start = (int) pg_prng_uint64_range(&rng, 0, n - 1);
			int			l;

			for (l = 0; l < block && t < n; l++, t++)
				ystar[t] = fitted[t] + resid[(start + l) % n];
		}
		for (; t < T; t++)
			ystar[t] = d->kpi[t];

		old = MemoryContextSwitchTo(replicate_cxt);
		refit = mmm_refit(d, &m->options, ystar, &m->fit);
		MemoryContextSwitchTo(old);
		memcpy(&m->boot[(Size) b * J], refit->channel, sizeof(MmmChannelParams) * J);
		old = MemoryContextSwitchTo(replicate_cxt);
		mmm_model_effects(m, refit->channel, NULL, effect);
		MemoryContextSwitchTo(old);
		for (j = 0; j < J; j++)
		{
			SocroiSum	c = {0, 0};

			for (t = 0; t < n; t++)
				socroi_sum_add(&c, effect[j][t]);
			contribution[(Size) j * B + b] = socroi_sum_value(&c);
			roi[(Size) j * B + b] = spend[j] > 0.0 ? (socroi_sum_value(&c) - spend[j]) / spend[j] : 0.0;
		}
		MemoryContextReset(replicate_cxt);
	}
	MemoryContextDelete(replicate_cxt);

	m->interval = palloc(sizeof(double) * J * MMM_NINTERVAL);
	for (j = 0; j < J; j++)
	{
		double	   *r = &roi[(Size) j * B];
		double	   *c = &contribution[(Size) j * B];

		stats_sort(r, B);
		stats_sort(c, B);
		m->interval[j * MMM_NINTERVAL + MMM_ROI_LOW] = stats_quantile_sorted(r, B, alpha);
		m->interval[j * MMM_NINTERVAL + MMM_ROI_HIGH] = stats_quantile_sorted(r, B, 1.0 - alpha);
		m->interval[j * MMM_NINTERVAL + MMM_CONTRIBUTION_LOW] = stats_quantile_sorted(c, B, alpha);
		m->interval[j * MMM_NINTERVAL + MMM_CONTRIBUTION_HIGH] = stats_quantile_sorted(c, B, 1.0 - alpha);
	}
}
