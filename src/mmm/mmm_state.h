/*
 * mmm_state.h
 *		The state of the mmm_fit aggregate -- the (period, variable, role)
 *		table of summed values -- and the dense data the fit reads from it.
 */
#ifndef SOCROI_MMM_STATE_H
#define SOCROI_MMM_STATE_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/date.h"

typedef enum MmmRole
{
	MMM_ROLE_KPI = 0,
	MMM_ROLE_MEDIA = 1,
	MMM_ROLE_COST = 2,
	MMM_ROLE_CONTROL = 3
} MmmRole;

#define MMM_MAX_MEDIA 40
#define MMM_MAX_SERIES 1000
#define MMM_MAX_NAME 200
#define MMM_MAX_PERIODS 20000

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

/* the date of period t */
extern DateADT mmm_period_date(const MmmData *data, int t);

/* the dense data of the state in argument argno (ERROR 22023 on bad data) */
extern MmmData *mmm_state_data(FunctionCallInfo fcinfo, int argno,
							   char **options);

#endif							/* SOCROI_MMM_STATE_H */
