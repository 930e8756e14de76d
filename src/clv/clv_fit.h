/*
 * clv_fit.h
 *		Maximum-likelihood fits of the CLV models (clv_fit.c): the shared
 *		machinery -- patterns grouped by frequency, the penalized objective,
 *		BFGS, the boundary and convergence verdicts, standard errors, the
 *		model composites -- and the fits of BG/NBD, MBG/NBD and Gamma-Gamma.
 *		The other models (clv_pareto.c, clv_bgbb.c, clv_sbg.c) and the
 *		comparisons (clv_compare_models.c) build on it.
 */
#ifndef SOCROI_CLV_FIT_H
#define SOCROI_CLV_FIT_H

#include "postgres.h"

#include <math.h>

#include "access/tupdesc.h"
#include "fmgr.h"

#include "common/optimize.h"
#include "clv/clv_patterns.h"

#define CLV_MAX_PARAMS 4

/* sorted pattern rows (keys, then the weight), grouped by the first key */
typedef struct FitData
{
	int			npatterns;
	int			width;			/* doubles per pattern row */
	const double *rows;
	int			ngroups;
	int		   *group_start;	/* ngroups + 1 entries */
	double		total_weight;
	void	   *extra;			/* a model's own precomputed data */
} FitData;

/* ERROR 22003 when the weights add up to infinity */
extern void fit_data_init(FitData *data, const double *rows, int npatterns,
						  int width);

/* a model and how to fit it */
typedef struct ClvModelSpec
{
	const char *type_name;		/* the composite, e.g. "bgnbd_model" */
	int			nparams;
	const char *const *param_names;
	/* minus the mean log-likelihood per customer over the log-parameters */
	OptimizeObjective objective;
} ClvModelSpec;

/* a fitted model: its composite is (params, log_likelihood, customers, se) */
typedef struct ClvFit
{
	int			nparams;
	double		params[CLV_MAX_PARAMS];
	double		se[CLV_MAX_PARAMS]; /* NaN when not available (NULL) */
	double		log_likelihood;
	double		customers;
} ClvFit;

/*
 * Maximise the log-likelihood (minus penalizer * sum of squared parameters
 * per customer, lifetimes' penalizer_coef) over the log-parameters theta
 * (in: the deterministic start, which carries the scale of the data).
 * ERROR 22023 naming `what` when the run does not converge or ends on the
 * boundary (a parameter beyond e^+-16 times its start).  Fills fit with the
 * estimates, their standard errors, the log-likelihood (without the
 * penalty) and the total weight.
 */
extern void clv_fit_maximize(const ClvModelSpec *spec, const char *what,
							 FitData *data, double penalizer, double *theta,
							 ClvFit *fit);

/*
 * An objective's value from the log-likelihood ll over the data: minus its
 * mean per customer; and its gradient over the log-parameters from the
 * derivatives g[i] of ll by the parameters params[i] = e^theta[i] (chain
 * rule: d/d theta_i = params_i d/d params_i)
 */
extern double clv_objective_result(const FitData *data, double ll, const double *params,
								   const double *g, int nparams, double *gradient);

/* a model's parameters from its log-parameters: params[i] = e^theta[i] */
static inline void
clv_exp_params(const double *theta, int nparams, double *params)
{
	int			i;

	for (i = 0; i < nparams; i++)
		params[i] = exp(theta[i]);
}

/* the model composite as a Datum, for a result type of that composite */
extern Datum clv_fit_datum(TupleDesc tupdesc, const ClvFit *fit);

/* the final function's result: the composite of the function's result type */
extern Datum clv_fit_result(FunctionCallInfo fcinfo, const ClvFit *fit,
							const char *type_name);

/*
 * ERROR 22023 "<what>: <problem>" with a hint: the data cannot identify the
 * model (no repeat purchases, no churn ...)
 */
pg_noreturn extern void clv_fit_unidentified(const char *what, const char *problem,
											 const char *hint);

/* ERROR 22023 with a hint: fewer distinct patterns than needed */
extern void clv_fit_too_few_patterns(const char *what, int npatterns,
									 int needed, const char *keys);

/*
 * For (x, t_x, T, weight) rows: fit_data_init, the identification checks
 * (ERROR 22023 naming `what` without repeat purchases or with fewer than 3
 * patterns) and the log of the deterministic start of alpha, sum w T /
 * sum w x (a time per repeat purchase, in the unit of the data)
 */
extern double clv_rfm_fit_start(FitData *data, const double *rows,
								int npatterns, const char *what);

/* a model's fit on sorted pattern rows; `what` names the caller in messages */
typedef void (*ClvFitRows) (const double *rows, int npatterns, double penalizer,
							const char *what, ClvFit *fit);

/*
 * The final function of a fit aggregate (`what`) over a state of pattern
 * kind `kind`: NULL without a state or without patterns, else the model
 * composite type_name fitted by fit_rows on the state's sorted rows
 */
extern Datum clv_fit_final(FunctionCallInfo fcinfo, PatternKind kind,
						   ClvFitRows fit_rows, const char *what,
						   const char *type_name);

/* fits on sorted (x, t_x, T, weight) rows: BG/NBD and MBG/NBD */
extern void bgnbd_fit_rows(const double *rows, int npatterns, double penalizer,
						   const char *what, ClvFit *fit);
extern void mbgnbd_fit_rows(const double *rows, int npatterns, double penalizer,
							const char *what, ClvFit *fit);

/* the models fitted here, for reading their composites (clv_read_model) */
extern const ClvModelSpec bgnbd_model_spec;
extern const ClvModelSpec mbgnbd_model_spec;
extern const ClvModelSpec gamma_gamma_model_spec;

#endif							/* SOCROI_CLV_FIT_H */
