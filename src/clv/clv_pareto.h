/*
 * clv_pareto.h
 *		The Pareto/NBD model (clv_pareto.c): its fit on pattern rows and the
 *		predictions the comparisons reuse.
 */
#ifndef SOCROI_CLV_PARETO_H
#define SOCROI_CLV_PARETO_H

#include "clv/clv_fit.h"

typedef struct ParetoParams
{
	double		r,
				alpha,
				s,
				beta;
} ParetoParams;

/* from (r, alpha, s, beta): a model composite's or a fit's parameters */
static inline ParetoParams
pareto_params(const double *p)
{
	ParetoParams m = {p[0], p[1], p[2], p[3]};

	return m;
}

/* the pareto_nbd_model composite (clv_read_model) */
extern const ClvModelSpec pareto_nbd_model_spec;

/* fit on sorted (x, t_x, T, weight) rows; `what` names the caller */
extern void pareto_nbd_fit_rows(const double *rows, int npatterns,
								double penalizer, const char *what,
								ClvFit *fit);

/* P(alive | x, t_x, T) */
extern double pareto_nbd_alive(const ParetoParams *m, double x, double tx,
							   double T);

/* E[X(t)] of a new customer */
extern double pareto_nbd_expected(const ParetoParams *m, double t);

/* E[Y(t) | x, t_x, T] */
extern double pareto_nbd_conditional(const ParetoParams *m, double t,
									 double x, double tx, double T);

#endif							/* SOCROI_CLV_PARETO_H */
