/*
 * clv_sbg.h
 *		The shifted-beta-geometric retention model (clv_sbg.c): its fit on
 *		pattern rows and the quantities the comparison reuses.
 */
#ifndef SOCROI_CLV_SBG_H
#define SOCROI_CLV_SBG_H

#include "clv/clv_fit.h"

typedef struct SbgParams
{
	double		alpha,
				beta;
} SbgParams;

/* from (alpha, beta): a model composite's or a fit's parameters */
static inline SbgParams
sbg_params(const double *p)
{
	SbgParams	m = {p[0], p[1]};

	return m;
}

/* the sbg_model composite (clv_read_model) */
extern const ClvModelSpec sbg_model_spec;

/* fit on sorted (periods survived, churned, weight) rows */
extern void sbg_fit_rows(const double *rows, int npatterns, double penalizer,
						 const char *what, ClvFit *fit);

/* S(t) = B(alpha, beta + t) / B(alpha, beta) */
extern double sbg_survival(const SbgParams *m, double t);

/* sum_{t=0}^{h-1} S(t), h whole or Infinity */
extern double sbg_expected_lifetime(const SbgParams *m, double h);

#endif							/* SOCROI_CLV_SBG_H */
