/*
 * clv_compare_models.c
 *		Followers vs everyone else inside a model: bgnbd_compare,
 *		pareto_nbd_compare and sbg_compare fit the model to each group and
 *		to both together, and test whether the groups buy (or renew) by the
 *		same process with the likelihood-ratio statistic
 *		  LR = 2 (LL_followers + LL_others - LL_pooled),
 *		chi-square with as many degrees of freedom as the model has
 *		parameters under the null hypothesis of one model for both groups
 *		(Wilks 1938).  With a horizon, each group's expectations too.
 *
 * The state is the pattern table of the model with the group as the first
 * key (clv_patterns.c), so partial states merge like the fits' states.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/typcache.h"

#include "common/common.h"
#include "common/stats.h"
#include "clv/clv_fit.h"
#include "clv/clv_pareto.h"
#include "clv/clv_patterns.h"
#include "clv/clv_predict.h"
#include "clv/clv_sbg.h"

PG_FUNCTION_INFO_V1(socroi_bgnbd_compare_final);
PG_FUNCTION_INFO_V1(socroi_pareto_nbd_compare_final);
PG_FUNCTION_INFO_V1(socroi_sbg_compare_final);

/* the attributes every comparison composite starts with */
enum
{
	CMP_FOLLOWER_MODEL,
	CMP_OTHER_MODEL,
	CMP_POOLED_MODEL,
	CMP_LR,
	CMP_DF,
	CMP_P,
	CMP_HORIZON,
	CMP_FOLLOWER_1,				/* then two pairs of per-group expectations */
	CMP_OTHER_1,
	CMP_FOLLOWER_2,
	CMP_OTHER_2,
	CMP_NATTS
};

/*
 * Rows of group g (1 followers, 0 others) without the group key, or of both
 * groups merged (g = -1): patterns equal but for the group add their
 * weights.  rows are sorted by (group, keys...), width = nkeys + 1.
 */
static double *
group_rows(const double *rows, int n, int width, int g, int *count)
{
	int			out_width = width - 1;
	double	   *out = palloc(Max(n, 1) * out_width * sizeof(double));
	int			m = 0,
				i;

	for (i = 0; i < n; i++)
	{
		const double *row = rows + (Size) i * width;

		if (g >= 0 && row[0] != (double) g)
			continue;
		memcpy(out + (Size) m * out_width, row + 1, out_width * sizeof(double));
		m++;
	}
	if (g < 0)
	{
		/* followers and others are each sorted: merge by sorting again */
		int			keys = out_width - 1;
		int			k,
					j = 0;

		qsort_arg(out, m, out_width * sizeof(double), pattern_rows_cmp, &keys);
		for (i = 0; i < m; i++)
		{
			double	   *row = out + (Size) i * out_width;

			if (j > 0)
			{
				double	   *prev = out + (Size) (j - 1) * out_width;
				bool		same = true;

				for (k = 0; k < keys; k++)
					same = same && prev[k] == row[k];
				if (same)
				{
					prev[keys] += row[keys];
					continue;
				}
			}
			memmove(out + (Size) j * out_width, row, out_width * sizeof(double));
			j++;
		}
		m = j;
	}
	*count = m;
	return out;
}

/* the models, LR test and pooled fit; a group without rows gets no model */
typedef struct Comparison
{
	bool		have[2];		/* [0] others, [1] followers */
	ClvFit		group[2];
	double	   *rows[2];
	int			nrows[2];
	ClvFit		pooled;
	double		lr;
} Comparison;

static void
compare_fit(FunctionCallInfo fcinfo, PatternKind kind, const char *name,
			ClvFitRows fit_rows, Comparison *cmp)
{
	PatternState *state = pattern_arg(fcinfo, 0, kind);
	int			width = pattern_nkeys(kind) + 1;
	int			n,
				g,
				npooled;
	double	   *rows = pattern_sorted(state, &n);
	double	   *pooled;
	char		what[64];

	for (g = 0; g <= 1; g++)
	{
		cmp->rows[g] = group_rows(rows, n, width, g, &cmp->nrows[g]);
		cmp->have[g] = cmp->nrows[g] > 0;
		if (cmp->have[g])
		{
			snprintf(what, sizeof(what), "%s (%s)", name, g ? "followers" : "others");
			fit_rows(cmp->rows[g], cmp->nrows[g], 0.0, what, &cmp->group[g]);
		}
	}
	pooled = group_rows(rows, n, width, -1, &npooled);
	snprintf(what, sizeof(what), "%s (pooled)", name);
	fit_rows(pooled, npooled, 0.0, what, &cmp->pooled);
	cmp->lr = NAN;
	if (cmp->have[0] && cmp->have[1])
	{
		/* the pooled fit is nested in the two group fits: LR >= 0 up to rounding */
		cmp->lr = fmax(0.0, 2.0 * (cmp->group[0].log_likelihood +
								   cmp->group[1].log_likelihood -
								   cmp->pooled.log_likelihood));
	}
}

/* nested model composites need their own descriptors */
static Datum
model_datum(TupleDesc result, int attno, const ClvFit *fit)
{
	Oid			type = TupleDescAttr(result, attno)->atttypid;
	TupleDesc	tupdesc = lookup_rowtype_tupdesc(type, -1);
	Datum		d;

	d = clv_fit_datum(tupdesc, fit);
	ReleaseTupleDesc(tupdesc);
	return d;
}

/* expectation[g][0..1] per group: NaN when not defined */
static Datum
compare_result(FunctionCallInfo fcinfo, const char *type_name, const Comparison *cmp,
			   int nparams, double horizon, double expectation[2][2])
{
	TupleDesc	tupdesc = socroi_result_tupdesc(fcinfo, CMP_NATTS, type_name);
	Datum		values[CMP_NATTS];
	bool		nulls[CMP_NATTS] = {0};
	int			g,
				k;

	for (g = 0; g <= 1; g++)
	{
		int			attno = g ? CMP_FOLLOWER_MODEL : CMP_OTHER_MODEL;

		if (cmp->have[g])
			values[attno] = model_datum(tupdesc, attno, &cmp->group[g]);
		else
			nulls[attno] = true;
	}
	values[CMP_POOLED_MODEL] = model_datum(tupdesc, CMP_POOLED_MODEL, &cmp->pooled);
	if (isnan(cmp->lr))
		nulls[CMP_LR] = nulls[CMP_DF] = nulls[CMP_P] = true;
	else
	{
		values[CMP_LR] = Float8GetDatum(cmp->lr);
		values[CMP_DF] = Int32GetDatum(nparams);
		values[CMP_P] = Float8GetDatum(stats_chisq_sf(cmp->lr, nparams));
	}
	if (horizon < 0.0)
		nulls[CMP_HORIZON] = true;
	else
		values[CMP_HORIZON] = Float8GetDatum(horizon);
	for (k = 0; k < 2; k++)
		for (g = 0; g <= 1; g++)
		{
			int			attno = CMP_FOLLOWER_1 + 2 * k + (g ? 0 : 1);
			double		v = expectation[g][k];

			if (horizon < 0.0 || !cmp->have[g] || isnan(v))
				nulls[attno] = true;
			else
			{
				clv_check_result_finite(v, type_name);
				values[attno] = Float8GetDatum(v);
			}
		}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* the mean over a group's customers of f(pattern) */
typedef double (*PatternExpectation) (const void *model, double horizon, const double *row);

static double
group_mean(const Comparison *cmp, int g, const void *model, double horizon,
		   PatternExpectation f)
{
	SocroiSum	sum = {0, 0};
	int			i;

	for (i = 0; i < cmp->nrows[g]; i++)
	{
		const double *row = cmp->rows[g] + (Size) i * 4;

		CHECK_FOR_INTERRUPTS();
		socroi_sum_add(&sum, row[3] * f(model, horizon, row));
	}
	return socroi_sum_value(&sum) / cmp->group[g].customers;
}

static double
bgnbd_conditional_row(const void *model, double horizon, const double *row)
{
	const BgnbdParams *m = model;

	return bgnbd_alive(m, row[0], row[1], row[2]) *
		bgnbd_expected_if_alive(m, horizon, row[0], row[2]);
}

static double
pareto_conditional_row(const void *model, double horizon, const double *row)
{
	return pareto_nbd_conditional(model, horizon, row[0], row[1], row[2]);
}

/*
 * A group's two expectations over the horizon, from its fitted parameters
 * p: BG/NBD and Pareto/NBD the mean conditional purchases of the group's
 * customers and the purchases of a new customer; sBG the survival and the
 * expected lifetime
 */
typedef void (*GroupExpectations) (const Comparison *cmp, int g, const double *p,
								   double horizon, double expectation[2]);

static void
bgnbd_expectations(const Comparison *cmp, int g, const double *p, double horizon,
				   double expectation[2])
{
	BgnbdParams m = bgnbd_params(p);

	expectation[0] = group_mean(cmp, g, &m, horizon, bgnbd_conditional_row);
	expectation[1] = bgnbd_expected_if_alive(&m, horizon, 0.0, 0.0);
}

static void
pareto_expectations(const Comparison *cmp, int g, const double *p, double horizon,
					double expectation[2])
{
	ParetoParams m = pareto_params(p);

	expectation[0] = group_mean(cmp, g, &m, horizon, pareto_conditional_row);
	expectation[1] = pareto_nbd_expected(&m, horizon);
}

static void
sbg_expectations(const Comparison *cmp, int g, const double *p, double horizon,
				 double expectation[2])
{
	SbgParams	m = sbg_params(p);

	expectation[0] = sbg_survival(&m, horizon);
	expectation[1] = sbg_expected_lifetime(&m, horizon);
}

/* a comparison: its state's pattern kind, its fit, its result */
typedef struct ComparisonModel
{
	const char *name;			/* the aggregate, for messages */
	PatternKind kind;
	ClvFitRows	fit_rows;
	GroupExpectations expectations;
	const char *type_name;		/* the result composite */
	int			nparams;		/* the degrees of freedom of the LR test */
} ComparisonModel;

static const ComparisonModel bgnbd_comparison = {
	"bgnbd_compare", PATTERN_RFM_GROUPS, bgnbd_fit_rows, bgnbd_expectations, "bgnbd_comparison", 4
};
static const ComparisonModel pareto_nbd_comparison = {
	"pareto_nbd_compare", PATTERN_RFM_GROUPS, pareto_nbd_fit_rows, pareto_expectations,
	"pareto_nbd_comparison", 4
};
static const ComparisonModel sbg_comparison = {
	"sbg_compare", PATTERN_SBG_GROUPS, sbg_fit_rows, sbg_expectations, "sbg_comparison", 2
};

static Datum
compare_final(FunctionCallInfo fcinfo, const ComparisonModel *model)
{
	Comparison	cmp;
	double		horizon,
				expectation[2][2];
	int			g;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	horizon = pattern_horizon(pattern_arg(fcinfo, 0, model->kind));
	compare_fit(fcinfo, model->kind, model->name, model->fit_rows, &cmp);
	for (g = 0; g <= 1; g++)
	{
		expectation[g][0] = expectation[g][1] = NAN;
		if (cmp.have[g] && horizon >= 0.0)
			model->expectations(&cmp, g, cmp.group[g].params, horizon, expectation[g]);
	}
	return compare_result(fcinfo, model->type_name, &cmp, model->nparams, horizon,
						  expectation);
}

SOCROI_VARIANT(socroi_bgnbd_compare_final, compare_final(fcinfo, &bgnbd_comparison))
SOCROI_VARIANT(socroi_pareto_nbd_compare_final, compare_final(fcinfo, &pareto_nbd_comparison))
SOCROI_VARIANT(socroi_sbg_compare_final, compare_final(fcinfo, &sbg_comparison))
