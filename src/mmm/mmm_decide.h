/*
 * mmm_decide.h
 *		Response curves of a fitted marketing mix model and the budget
 *		allocation over them (mmm_decide.c).
 */
#ifndef SOCROI_MMM_DECIDE_H
#define SOCROI_MMM_DECIDE_H

#include "mmm/mmm_model.h"

/* R(s) = beta saturation(s * scale; k, slope), s a sustained spend per period */
typedef struct MmmCurve
{
	MmmSaturationKind kind;
	double		beta;
	double		k;
	double		slope;
	double		scale;			/* long-run carry-over / cost per media unit */
	double		inflection;		/* in spend; 0 when concave everywhere */
} MmmCurve;

extern void mmm_curve_init(MmmCurve *curve, const MmmModel *model,
						   const MmmChannelParams *params, int channel);
extern double mmm_curve_value(const MmmCurve *curve, double spend);
extern double mmm_curve_slope(const MmmCurve *curve, double spend);

/*
 * Maximise sum_j R_j(s_j) subject to sum_j s_j = budget, lo_j <= s_j <= hi_j
 * (sum lo <= budget <= sum hi); the allocation goes to best.  Returns false
 * when branch and bound stopped at its box limit (best is then the best
 * allocation found).
 */
extern bool mmm_allocate(int n, const MmmCurve *curves, const double *lo,
						 const double *hi, double budget, double *best);

#endif							/* SOCROI_MMM_DECIDE_H */
