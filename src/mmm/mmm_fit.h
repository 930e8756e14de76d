/*
 * mmm_fit.h
 *		Fitting a marketing mix model by variable projection (mmm_fit.c).
 *
 *   kpi_t = intercept + trend t + seasonality_t + sum_k gamma_k control_kt
 *           + sum_j beta_j saturation_j(adstock_j(media_j)_t) + e_t
 */
#ifndef SOCROI_MMM_FIT_H
#define SOCROI_MMM_FIT_H

#include "postgres.h"

#include "mmm/mmm_options.h"
#include "mmm/mmm_state.h"

/* the parameters of one channel's term */
typedef struct MmmChannelParams
{
	double		decay;			/* geometric adstock */
	double		shape;			/* Weibull adstock */
	double		scale;			/* Weibull adstock, periods */
	double		k;				/* half-saturation, in media (activity) units */
	double		slope;			/* Hill slope (1 for the logistic) */
	double		beta;			/* KPI per period at full saturation, >= 0 */
} MmmChannelParams;

typedef struct MmmFit
{
	int			nmedia;
	int			ncontrol;
	int			nseason;		/* Fourier columns: 2 x (yearly + weekly order) */
	MmmChannelParams *channel;
	double		intercept;
	double		trend;			/* per period */
	double	   *season;			/* [nseason] */
	double	   *control;		/* [ncontrol] */
	double		ridge;			/* the penalty used (chosen or given) */
	double		cv_rmse;		/* rolling-origin one-step error, KPI units */
	int			nparams;		/* fitted parameters, linear and nonlinear */
	int			evaluations;	/* objective evaluations of the search */
} MmmFit;

/*
 * Resolve seasonality=auto and check the options against the data: the
 * holdout, the seasonal orders, per-channel options naming channels that
 * exist, and enough periods for the parameters (ERROR 22023 with a hint).
 * Sets data->nfit.
 */
extern void mmm_prepare(MmmData *data, MmmOptions *options);

/* the global search: quasi-random starts, local refinement (deterministic) */
extern MmmFit *mmm_fit_model(const MmmData *data, const MmmOptions *options);

/*
 * Refit to another KPI series (same data otherwise) by local refinement
 * from a previous fit, with its ridge penalty kept: the bootstrap's refit.
 */
extern MmmFit *mmm_refit(const MmmData *data, const MmmOptions *options,
						 const double *kpi, const MmmFit *start);

/* the n-th Fourier column at period t (n = 2 (order - 1) + {0: sin, 1: cos}) */
extern double mmm_fourier(const MmmData *data, const MmmOptions *options,
						  int column, int t);

/* adstock of channel j over all periods, with the given parameters */
extern void mmm_channel_adstock(const MmmData *data, const MmmOptions *options,
								int j, const MmmChannelParams *p, double *out);

/* long-run adstock of a constant 1 per period (1 / (1 - decay), sum of weights) */
extern double mmm_carryover(const MmmOptions *options, const MmmChannelParams *p);

/* cost per media unit over the fitted periods (1 when media is the cost) */
extern double mmm_cost_per_unit(const MmmData *data, int j);

#endif							/* SOCROI_MMM_FIT_H */
