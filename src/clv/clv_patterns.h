/*
 * clv_patterns.h
 *		Customers collapsed into distinct patterns with their total weight:
 *		the aggregate state of the CLV model fits (clv_patterns.c), and the
 *		checks of the customer summaries that feed them.
 */
#ifndef SOCROI_CLV_PATTERNS_H
#define SOCROI_CLV_PATTERNS_H

#include "postgres.h"

#include "fmgr.h"

#define PATTERN_MAX_KEYS 4

/* the most transaction opportunities of a BG/BB history */
#define CLV_MAX_PERIODS 1000000

/* what the keys of a pattern are (each kind has its own validation) */
typedef enum PatternKind
{
	PATTERN_ANY = 0,			/* pattern_arg: accept every kind */
	PATTERN_RFM = 1,			/* (x, t_x, T): BG/NBD, MBG/NBD, Pareto/NBD */
	PATTERN_SPEND = 2,			/* (x, m): Gamma-Gamma */
	PATTERN_BGBB = 3,			/* (x, t_x, n), whole numbers: BG/BB */
	PATTERN_SBG = 4,			/* (periods survived, churned 0/1): sBG */
	PATTERN_RFM_GROUPS = 5,		/* (follower 0/1, x, t_x, T) */
	PATTERN_SBG_GROUPS = 6		/* (follower 0/1, periods survived, churned) */
} PatternKind;

/* a flat hash table of patterns (keys, then the weight) */
typedef struct PatternState PatternState;

/* keys per pattern of a kind (0 for an unknown kind) */
extern int	pattern_nkeys(PatternKind kind);

/*
 * The pattern state in argument argno, detoasted and its header checked,
 * of the given kind (PATTERN_ANY: any).
 */
extern PatternState *pattern_arg(FunctionCallInfo fcinfo, int argno,
								 PatternKind kind);

/*
 * The patterns as a palloc'd dense array of rows (nkeys keys, then the
 * weight), sorted by the keys, so that sums over them are the same in every
 * plan.
 */
extern double *pattern_sorted(PatternState *state, int *count);

extern int	pattern_count(const PatternState *state);

/* qsort_arg comparator of pattern rows by their first *(int *) arg keys */
extern int	pattern_rows_cmp(const void *a, const void *b, void *arg);

/* the L2 penalizer of the fit (0: plain maximum likelihood) */
extern double pattern_penalizer(const PatternState *state);

/* the horizon of a comparison, -1 when none was given */
extern double pattern_horizon(const PatternState *state);

/* ERROR 22003: customer weights add up beyond the range of float8 */
extern void clv_weights_out_of_range(void);

/* a whole number of repeat purchases >= 0, else ERROR 22023 */
extern void clv_check_frequency(double frequency);

/* (x, t_x, T) of a customer summary: 0 <= t_x <= T, t_x = 0 when x = 0 */
extern void clv_check_summary(double frequency, double recency, double t);

/*
 * (x, t_x, n) of a discrete-time history: whole numbers, 0 <= x <= t_x <= n,
 * t_x = 0 exactly when x = 0
 */
extern void clv_check_discrete_summary(double frequency, double recency,
									   double n_periods);

/* a customer's summary: frequency x, recency t_x, and t (or n_periods) */
typedef struct ClvCustomer
{
	double		x,
				tx,
				t;
} ClvCustomer;

/*
 * The summary in float8 arguments argno..argno + 2, checked by
 * clv_check_summary (continuous time) or clv_check_discrete_summary
 */
extern ClvCustomer clv_summary_args(FunctionCallInfo fcinfo, int argno);
extern ClvCustomer clv_discrete_summary_args(FunctionCallInfo fcinfo, int argno);

/* renewals of a subscriber: a whole number >= 0 */
extern void clv_check_periods_survived(double periods_survived);

/* finite and >= 0, else ERROR 22023 */
extern void clv_check_penalizer(double penalizer);

/* not NaN and >= 0 (Infinity allowed), else ERROR 22023 */
extern void clv_check_horizon(double horizon);

#endif							/* SOCROI_CLV_PATTERNS_H */
