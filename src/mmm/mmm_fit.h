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

#include "mmm/mmm_data.h"
#include "mmm/mmm_options.h"

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

#endif							/* SOCROI_MMM_FIT_H */
