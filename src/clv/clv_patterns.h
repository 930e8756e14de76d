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

#define PATTERN_MAX_KEYS 3

/* a flat hash table of patterns (keys, then the weight) */
typedef struct PatternState PatternState;

/*
 * The pattern state in argument argno, detoasted and its header checked;
 * nkeys > 0 also checks the number of keys per pattern.
 */
extern PatternState *pattern_arg(FunctionCallInfo fcinfo, int argno, int nkeys);

/*
 * The patterns as a palloc'd dense array of rows (nkeys keys, then the
 * weight), sorted by the keys, so that sums over them are the same in every
 * plan.
 */
extern double *pattern_sorted(PatternState *state, int *count);

/* ERROR 22003: customer weights add up beyond the range of float8 */
extern void clv_weights_out_of_range(void);

/* a whole number of repeat purchases >= 0, else ERROR 22023 */
extern void clv_check_frequency(double frequency);

/* (x, t_x, T) of a customer summary: 0 <= t_x <= T, t_x = 0 when x = 0 */
extern void clv_check_summary(double frequency, double recency, double t);

#endif							/* SOCROI_CLV_PATTERNS_H */
