/*
 * mmm_data.h
 *		The data of a marketing mix model and the terms computed from it
 *		(mmm_data.c).
 */
#ifndef SOCROI_MMM_DATA_H
#define SOCROI_MMM_DATA_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/date.h"

#include "mmm/mmm_options.h"
#include "mmm/mmm_state.h"

/*
 * The data of one model, periods in order, equally spaced: every period
 * from first_period on, step_days days (or step_months calendar months)
 * apart.  The first nfit periods are fitted, the rest held out.
 */
typedef struct MmmData
{
	int			nperiods;
	int			nfit;
	DateADT		first_period;
	int			step_days;		/* one of step_days and step_months is > 0 */
	int			step_months;
	double		periods_per_year;
	char	   *kpi_name;
	double	   *kpi;			/* [nperiods] */
	int			nmedia;
	char	  **media_name;
	double	  **media;			/* [nmedia][nperiods], activity units */
	bool	   *has_cost;		/* separate cost rows given */
	double	  **cost;			/* [nmedia][nperiods], money; = media without cost rows */
	int			ncontrol;
	char	  **control_name;
	double	  **control;		/* [ncontrol][nperiods] */
} MmmData;

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

/* the dense data of the state in argument argno (ERROR 22023 on bad data) */
extern MmmData *mmm_state_data(FunctionCallInfo fcinfo, int argno,
							   char **options);

/* the date of period t */
extern DateADT mmm_period_date(const MmmData *data, int t);

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

#endif							/* SOCROI_MMM_DATA_H */
