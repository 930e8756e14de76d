/*
 * mmm_state.h
 *		The state of the mmm_fit aggregate: the (period, variable, role)
 *		table of summed values (mmm_state.c).
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

extern const char *const mmm_role_names[4];

/* a date as YYYY-MM-DD for messages, whatever the DateStyle */
extern char *mmm_date_text(DateADT date);

/* the state in canonical order: variables by name and role, entries by period */
typedef struct MmmSeriesView
{
	char	   *name;
	MmmRole		role;
} MmmSeriesView;

typedef struct MmmEntryView
{
	DateADT		period;
	int			series;			/* index into the series */
	double		value;			/* the sum of the group's rows */
} MmmEntryView;

typedef struct MmmStateView
{
	char	   *options;
	int			nseries;
	MmmSeriesView *series;
	int			nentries;
	MmmEntryView *entries;
} MmmStateView;

/* the view of the mmm_fit state in argument argno (palloc'd) */
extern void mmm_state_view(FunctionCallInfo fcinfo, int argno,
						   MmmStateView *view);

#endif							/* SOCROI_MMM_STATE_H */
