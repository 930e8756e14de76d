/*
 * mmm_readers.c
 *		Reading a fitted marketing mix model:
 *		mmm_channels (ROI per channel), mmm_decomposition (the KPI split into
 *		its components per period) and mmm_fit_stats (goodness of fit).
 *
 * Everything is recomputed from the data and parameters the model carries,
 * with the code the fit used, so the numbers are the fit's.
 *   contribution_j = sum over the fitted periods of beta_j sat(adstock_jt);
 *   roas = contribution / cost, roi = (contribution - cost) / cost;
 *   marginal_roi = d contribution / d cost - 1 when the channel's whole spend
 *     series is scaled up proportionally: sum_t beta_j x sat'(x)|_{adstock_jt}
 *     / cost - 1;
 *   decay is the geometric decay, or for Weibull adstocks the geometric decay
 *     with the same long-run carry-over (1 - 1 / sum of the weights), so that
 *     mmm_response = coefficient saturation(spend / (1 - decay)) holds for
 *     every adstock;  half_saturation is in cost units per period.
 *   Fit statistics over the fitted periods: R^2, NRMSE = RMSE / (max - min)
 *   of the KPI (Robyn), MAPE over periods with a non-zero KPI, Durbin-Watson;
 *   holdout MAPE over the held-out periods; DECOMP.RSSD (Robyn) =
 *   sqrt(sum_j (effect share_j - spend share_j)^2).
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/float.h"
#include "utils/tuplestore.h"

#include "common/common.h"
#include "mmm/mmm_model.h"

PG_FUNCTION_INFO_V1(socroi_mmm_channels);
PG_FUNCTION_INFO_V1(socroi_mmm_decomposition);
PG_FUNCTION_INFO_V1(socroi_mmm_fit_stats);

static double **
alloc_rows(int rows, int cols)
{
	double	  **m = palloc(sizeof(double *) * Max(rows, 1));
	int			i;

	for (i = 0; i < rows; i++)
		m[i] = palloc0(sizeof(double) * Max(cols, 1));
	return m;
}

/*
 * The model of argument 0 and every channel's effect per period (and its
 * adstocked spend when adstock is not NULL), with its fitted parameters.
 */
static MmmModel *
model_effects(FunctionCallInfo fcinfo, double ***adstock, double ***effect)
{
	MmmModel   *m = mmm_model_arg(fcinfo, 0);

	if (adstock != NULL)
		*adstock = alloc_rows(m->data.nmedia, m->data.nperiods);
	*effect = alloc_rows(m->data.nmedia, m->data.nperiods);
	mmm_model_effects(m, m->fit.channel, adstock != NULL ? *adstock : NULL,
					  *effect);
	return m;
}

/* ---------- mmm_channels ---------- */

enum
{
	CH_CHANNEL,
	CH_SPEND,
	CH_CONTRIBUTION,
	CH_CONTRIBUTION_SHARE,
	CH_SPEND_SHARE,
	CH_ROI,
	CH_ROAS,
	CH_MARGINAL_ROI,
	CH_DECAY,
	CH_HALF_SATURATION,
	CH_SLOPE,
	CH_COEFFICIENT,
	CH_ROI_LOW,
	CH_ROI_HIGH,
	CH_CONTRIBUTION_LOW,
	CH_CONTRIBUTION_HIGH,
	CH_NATTS
};

Datum
socroi_mmm_channels(PG_FUNCTION_ARGS)
{
	double	  **adstock,
			  **effect;
	MmmModel   *m = model_effects(fcinfo, &adstock, &effect);
	const MmmData *d = &m->data;
	const MmmFit *f = &m->fit;
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	double	   *spend = palloc0(sizeof(double) * d->nmedia);
	double	   *contribution = palloc0(sizeof(double) * d->nmedia);
	double	   *elastic = palloc0(sizeof(double) * d->nmedia);
	SocroiSum	total_spend = {0, 0},
				total_contribution = {0, 0};
	int			j,
				t;

	InitMaterializedSRF(fcinfo, 0);
	for (j = 0; j < d->nmedia; j++)
	{
		const MmmChannelParams *p = &f->channel[j];
		SocroiSum	s = {0, 0},
					c = {0, 0},
					e = {0, 0};

		for (t = 0; t < d->nfit; t++)
		{
			socroi_sum_add(&s, d->cost[j][t]);
			socroi_sum_add(&c, effect[j][t]);
			socroi_sum_add(&e, p->beta * mmm_saturation_elasticity(m->options.saturation,
																   adstock[j][t], p->k, p->slope));
		}
		spend[j] = socroi_sum_value(&s);
		contribution[j] = socroi_sum_value(&c);
		elastic[j] = socroi_sum_value(&e);
		socroi_sum_add(&total_spend, spend[j]);
		socroi_sum_add(&total_contribution, contribution[j]);
	}
	for (j = 0; j < d->nmedia; j++)
	{
		const MmmChannelParams *p = &f->channel[j];
		Datum		values[CH_NATTS];
		bool		nulls[CH_NATTS];
		double		ts = socroi_sum_value(&total_spend);
		double		tc = socroi_sum_value(&total_contribution);
		double		carry = mmm_carryover(&m->options, p);
		double		cpu = mmm_cost_per_unit(d, j);

		memset(nulls, 0, sizeof(nulls));
		values[CH_CHANNEL] = CStringGetTextDatum(d->media_name[j]);
		values[CH_SPEND] = Float8GetDatum(spend[j]);
		values[CH_CONTRIBUTION] = Float8GetDatum(contribution[j]);
		values[CH_CONTRIBUTION_SHARE] = Float8GetDatum(tc > 0.0 ? contribution[j] / tc : 0.0);
		nulls[CH_CONTRIBUTION_SHARE] = !(tc > 0.0);
		values[CH_SPEND_SHARE] = Float8GetDatum(ts > 0.0 ? spend[j] / ts : 0.0);
		nulls[CH_SPEND_SHARE] = !(ts > 0.0);
		if (spend[j] > 0.0)
		{
			values[CH_ROI] = Float8GetDatum((contribution[j] - spend[j]) / spend[j]);
			values[CH_ROAS] = Float8GetDatum(contribution[j] / spend[j]);
			values[CH_MARGINAL_ROI] = Float8GetDatum(elastic[j] / spend[j] - 1.0);
		}
		else
			nulls[CH_ROI] = nulls[CH_ROAS] = nulls[CH_MARGINAL_ROI] = true;
		values[CH_DECAY] = Float8GetDatum(m->options.adstock == MMM_ADSTOCK_GEOMETRIC
										  ? p->decay : 1.0 - 1.0 / carry);
		values[CH_HALF_SATURATION] = Float8GetDatum(p->k * cpu);
		values[CH_SLOPE] = Float8GetDatum(p->slope);
		nulls[CH_SLOPE] = m->options.saturation != MMM_SATURATION_HILL;
		values[CH_COEFFICIENT] = Float8GetDatum(p->beta);
		if (m->interval != NULL)
		{
			values[CH_ROI_LOW] = Float8GetDatum(m->interval[j * MMM_NINTERVAL + MMM_ROI_LOW]);
			values[CH_ROI_HIGH] = Float8GetDatum(m->interval[j * MMM_NINTERVAL + MMM_ROI_HIGH]);
			values[CH_CONTRIBUTION_LOW] = Float8GetDatum(m->interval[j * MMM_NINTERVAL + MMM_CONTRIBUTION_LOW]);
			values[CH_CONTRIBUTION_HIGH] = Float8GetDatum(m->interval[j * MMM_NINTERVAL + MMM_CONTRIBUTION_HIGH]);
		}
		else
			nulls[CH_ROI_LOW] = nulls[CH_ROI_HIGH] =
				nulls[CH_CONTRIBUTION_LOW] = nulls[CH_CONTRIBUTION_HIGH] = true;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* ---------- mmm_decomposition ---------- */

static void
put_component(ReturnSetInfo *rsinfo, DateADT period, const char *component,
			  double value)
{
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	values[0] = DateADTGetDatum(period);
	values[1] = CStringGetTextDatum(component);
	values[2] = Float8GetDatum(value);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

Datum
socroi_mmm_decomposition(PG_FUNCTION_ARGS)
{
	double	  **effect;
	MmmModel   *m = model_effects(fcinfo, NULL, &effect);
	const MmmData *d = &m->data;
	const MmmFit *f = &m->fit;
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			j,
				t,
				c;

	InitMaterializedSRF(fcinfo, 0);
	for (t = 0; t < d->nperiods; t++)
	{
		DateADT		period = mmm_period_date(d, t);
		double		season = 0.0;

		/* fitted is the sum of the components below, in this order */
		put_component(rsinfo, period, "actual", d->kpi[t]);
		put_component(rsinfo, period, "fitted", mmm_model_fitted(m, effect, t));
		put_component(rsinfo, period, "intercept", f->intercept);
		if (m->options.trend)
			put_component(rsinfo, period, "trend", f->trend * t);
		if (f->nseason > 0)
		{
			for (c = 0; c < f->nseason; c++)
				season += f->season[c] * mmm_fourier(d, &m->options, c, t);
			put_component(rsinfo, period, "seasonality", season);
		}
		for (c = 0; c < d->ncontrol; c++)
			put_component(rsinfo, period, d->control_name[c], f->control[c] * d->control[c][t]);
		for (j = 0; j < d->nmedia; j++)
			put_component(rsinfo, period, d->media_name[j], effect[j][t]);
	}
	return (Datum) 0;
}

/* ---------- mmm_fit_stats ---------- */

enum
{
	FS_PERIODS,
	FS_PARAMETERS,
	FS_R_SQUARED,
	FS_NRMSE,
	FS_MAPE,
	FS_DURBIN_WATSON,
	FS_HOLDOUT_MAPE,
	FS_RIDGE_PENALTY,
	FS_DECOMP_RSSD,
	FS_HOLDOUT_PERIODS,
	FS_CV_RMSE,
	FS_FIRST_PERIOD,
	FS_LAST_PERIOD,
	FS_OPTIONS,
	FS_NATTS
};

Datum
socroi_mmm_fit_stats(PG_FUNCTION_ARGS)
{
	double	  **effect;
	MmmModel   *m = model_effects(fcinfo, NULL, &effect);
	const MmmData *d = &m->data;
	TupleDesc	tupdesc = socroi_result_tupdesc(fcinfo, FS_NATTS, "mmm_fit_stats");
	double	   *resid = palloc(sizeof(double) * d->nperiods);
	Datum		values[FS_NATTS];
	bool		nulls[FS_NATTS];
	SocroiSum	sse = {0, 0},
				sst = {0, 0},
				ape = {0, 0},
				dw = {0, 0},
				hape = {0, 0};
	double		mean = 0.0,
				ymin = get_float8_infinity(),
				ymax = -get_float8_infinity();
	int			napes = 0,
				nhapes = 0,
				n = d->nfit,
				t,
				j;

	memset(nulls, 0, sizeof(nulls));
	for (t = 0; t < n; t++)
		mean += d->kpi[t];
	mean /= n;
	for (t = 0; t < d->nperiods; t++)
	{
		double		y = d->kpi[t];

		resid[t] = y - mmm_model_fitted(m, effect, t);
		if (t < n)
		{
			socroi_sum_add(&sse, resid[t] * resid[t]);
			socroi_sum_add(&sst, (y - mean) * (y - mean));
			ymin = Min(ymin, y);
			ymax = Max(ymax, y);
			if (y != 0.0)
			{
				socroi_sum_add(&ape, fabs(resid[t] / y));
				napes++;
			}
			if (t > 0)
				socroi_sum_add(&dw, (resid[t] - resid[t - 1]) * (resid[t] - resid[t - 1]));
		}
		else if (y != 0.0)
		{
			socroi_sum_add(&hape, fabs(resid[t] / y));
			nhapes++;
		}
	}
	values[FS_PERIODS] = Int32GetDatum(n);
	values[FS_PARAMETERS] = Int32GetDatum(m->fit.nparams);
	values[FS_R_SQUARED] = Float8GetDatum(socroi_sum_value(&sst) > 0.0
										  ? 1.0 - socroi_sum_value(&sse) / socroi_sum_value(&sst) : 0.0);
	nulls[FS_R_SQUARED] = !(socroi_sum_value(&sst) > 0.0);
	values[FS_NRMSE] = Float8GetDatum(ymax > ymin ? sqrt(socroi_sum_value(&sse) / n) / (ymax - ymin) : 0.0);
	nulls[FS_NRMSE] = !(ymax > ymin);
	values[FS_MAPE] = Float8GetDatum(napes > 0 ? socroi_sum_value(&ape) / napes : 0.0);
	nulls[FS_MAPE] = napes == 0;
	values[FS_DURBIN_WATSON] = Float8GetDatum(socroi_sum_value(&sse) > 0.0
											  ? socroi_sum_value(&dw) / socroi_sum_value(&sse) : 0.0);
	nulls[FS_DURBIN_WATSON] = !(socroi_sum_value(&sse) > 0.0);
	values[FS_HOLDOUT_MAPE] = Float8GetDatum(nhapes > 0 ? socroi_sum_value(&hape) / nhapes : 0.0);
	nulls[FS_HOLDOUT_MAPE] = nhapes == 0;
	values[FS_RIDGE_PENALTY] = Float8GetDatum(m->fit.ridge);
	{
		SocroiSum	ts = {0, 0},
					tc = {0, 0},
					rssd = {0, 0};
		double	   *sp = palloc0(sizeof(double) * d->nmedia);
		double	   *co = palloc0(sizeof(double) * d->nmedia);

		for (j = 0; j < d->nmedia; j++)
		{
			for (t = 0; t < n; t++)
			{
				sp[j] += d->cost[j][t];
				co[j] += effect[j][t];
			}
			socroi_sum_add(&ts, sp[j]);
			socroi_sum_add(&tc, co[j]);
		}
		for (j = 0; j < d->nmedia; j++)
		{
			double		diff = (socroi_sum_value(&tc) > 0.0 ? co[j] / socroi_sum_value(&tc) : 0.0)
				- (socroi_sum_value(&ts) > 0.0 ? sp[j] / socroi_sum_value(&ts) : 0.0);

			socroi_sum_add(&rssd, diff * diff);
		}
		values[FS_DECOMP_RSSD] = Float8GetDatum(sqrt(socroi_sum_value(&rssd)));
	}
	values[FS_HOLDOUT_PERIODS] = Int32GetDatum(d->nperiods - n);
	values[FS_CV_RMSE] = Float8GetDatum(m->fit.cv_rmse);
	values[FS_FIRST_PERIOD] = DateADTGetDatum(mmm_period_date(d, 0));
	values[FS_LAST_PERIOD] = DateADTGetDatum(mmm_period_date(d, d->nperiods - 1));
	values[FS_OPTIONS] = CStringGetTextDatum(m->options_text);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
