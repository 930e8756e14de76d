/*
 * mmm_model.h
 *		The mmm_model type: a fitted marketing mix model together with the
 *		data it was fitted to, so every reader recomputes exactly what the
 *		fit saw (mmm_model.c).
 */
#ifndef SOCROI_MMM_MODEL_H
#define SOCROI_MMM_MODEL_H

#include "postgres.h"

#include "fmgr.h"

#include "mmm/mmm_fit.h"
#include "mmm/mmm_options.h"
#include "mmm/mmm_state.h"

/* per-channel bootstrap intervals, in this order */
enum
{
	MMM_ROI_LOW,
	MMM_ROI_HIGH,
	MMM_CONTRIBUTION_LOW,
	MMM_CONTRIBUTION_HIGH,
	MMM_NINTERVAL
};

typedef struct MmmModel
{
	char	   *options_text;	/* canonical, seasonality resolved */
	MmmOptions	options;
	MmmData		data;
	MmmFit		fit;
	int			nboot;			/* bootstrap replicates kept */
	MmmChannelParams *boot;		/* [nboot * nmedia] */
	double	   *interval;		/* [nmedia * MMM_NINTERVAL], NULL without bootstrap */
} MmmModel;

/* decode and validate the model in an argument */
extern MmmModel *mmm_model_arg(FunctionCallInfo fcinfo, int argno);

/* the datum of a model */
extern Datum mmm_model_datum(const MmmModel *model);

/*
 * Each channel's term over all periods: adstock[j][t] (media units) and
 * effect[j][t] = beta saturation(adstock); either output may be NULL.
 */
extern void mmm_model_effects(const MmmModel *model,
							  const MmmChannelParams *params,
							  double **adstock, double **effect);

/* the fitted value of period t given the channel effects */
extern double mmm_model_fitted(const MmmModel *model, double **effect, int t);

/* a channel by name, -1 when absent */
extern int	mmm_model_channel(const MmmModel *model, const char *name);

#endif							/* SOCROI_MMM_MODEL_H */
