/*
 * clv_predict.h
 *		Reading model composites and the BG/NBD-family expectations
 *		(clv_predict.c), shared by the prediction functions of every model
 *		and by the comparisons.
 */
#ifndef SOCROI_CLV_PREDICT_H
#define SOCROI_CLV_PREDICT_H

#include "postgres.h"

#include "fmgr.h"

#include "clv/clv_fit.h"

/* model arguments of one function call site that are cached (fn_extra) */
#define CLV_MODEL_SLOTS 2

/*
 * The parameters of the model composite in argument argno (its first
 * model->nparams attributes, model->param_names), which must be positive
 * and finite (22023; NULL: 22004).  Decoded once per distinct value and
 * call site, in cache slot `slot` (< CLV_MODEL_SLOTS); the array stays
 * valid until the slot's next call.
 */
extern const double *clv_read_model(FunctionCallInfo fcinfo, int argno, int slot,
									const ClvModelSpec *model);

/* value; ERROR 22003 (like float8 arithmetic) unless it is finite */
extern double clv_check_result_finite(double value, const char *function);

/* the horizon in float8 argument argno: finite and >= 0, else ERROR 22023 */
extern double clv_horizon_arg(FunctionCallInfo fcinfo, int argno);

/* the int4 argument argno, >= 0, else ERROR 22023 naming it argname */
extern int32 clv_count_arg(FunctionCallInfo fcinfo, int argno, const char *argname);

/* (e^u - 1) / u, 1 at u = 0 */
extern double clv_phi(double u);

typedef struct BgnbdParams
{
	double		r,
				alpha,
				a,
				b;
} BgnbdParams;

/* from (r, alpha, a, b): a model composite's or a fit's parameters */
static inline BgnbdParams
bgnbd_params(const double *p)
{
	BgnbdParams m = {p[0], p[1], p[2], p[3]};

	return m;
}

/*
 * BG/NBD E[Y(t) | alive, x, T]: expected purchases in (T, T + t] of a
 * customer still active (Fader, Hardie & Lee 2005, eq. 10 without
 * P(alive)); with b + 1 for b it is the MBG/NBD one.
 */
extern double bgnbd_expected_if_alive(const BgnbdParams *m, double t,
									  double x, double T);

/* BG/NBD P(alive | x, t_x, T) */
extern double bgnbd_alive(const BgnbdParams *m, double x, double tx, double T);

#endif							/* SOCROI_CLV_PREDICT_H */
