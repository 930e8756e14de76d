/*
 * mmm_model.c
 *		The mmm_model type: its I/O and what every reader of a model needs
 *		(the channel terms, the fitted values); the final function of mmm_fit
 *		that makes one is in mmm_fit_final.c.
 *
 * A model holds its options, the data it was fitted to (the period x
 * variable table), the fitted parameters and, with bootstrap=N, the
 * replicates' parameters and the intervals.  Keeping the data makes every
 * reader -- decomposition, statistics, response curves -- recompute exactly
 * what the fit saw; a weekly model of three years and six channels is about
 * 20 kB.
 *
 * The datum is the binary encoding of common/state_io (a varlena holding
 * the send format); the text form is the same fields, floats in shortest
 * round-trip form:
 *   mmm_model:1 "options" first_period step_days step_months nperiods nfit
 *     "kpi" nmedia [ "name" has_cost ... ] ncontrol [ "name" ... ]
 *     [ kpi values ] { [ media values ] [ cost values if has_cost ] }
 *     { [ control values ] } intercept trend ridge cv_rmse nparams evaluations
 *     [ seasonal coefficients ] [ control coefficients ]
 *     [ decay shape scale k slope beta per channel ]
 *     nboot [ the same six per replicate and channel ] [ intervals ]
 * Every field is validated on input: a crafted literal is an ERROR.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "common/common.h"
#include "common/state_io.h"
#include "mmm/mmm_model.h"


#define MMM_MODEL_TAG "mmm_model"
#define MMM_MODEL_VERSION 1

/* ---------- writing ---------- */

static void
write_values(StateWriter *w, const double *v, int n)
{
	int			i;

	state_write_mark(w, '[');
	for (i = 0; i < n; i++)
		state_write_float8(w, v[i]);
	state_write_mark(w, ']');
}

/* a channel's parameters, in the order the model's forms store them */
static const struct
{
	const char *name;
	size_t		offset;
}			param_fields[] = {
	{"decay", offsetof(MmmChannelParams, decay)},
	{"shape", offsetof(MmmChannelParams, shape)},
	{"scale", offsetof(MmmChannelParams, scale)},
	{"k", offsetof(MmmChannelParams, k)},
	{"slope", offsetof(MmmChannelParams, slope)},
	{"beta", offsetof(MmmChannelParams, beta)},
};

static void
write_params(StateWriter *w, const MmmChannelParams *p)
{
	int			i;

	for (i = 0; i < lengthof(param_fields); i++)
		state_write_float8(w, *(const double *) ((const char *) p +
												 param_fields[i].offset));
}

static void
model_write(StateWriter *w, const MmmModel *m)
{
	const MmmData *d = &m->data;
	const MmmFit *f = &m->fit;
	int			i,
				j;

	state_write_string(w, m->options_text, strlen(m->options_text));
	state_write_int64(w, d->first_period);
	state_write_int64(w, d->step_days);
	state_write_int64(w, d->step_months);
	state_write_int64(w, d->nperiods);
	state_write_int64(w, d->nfit);
	state_write_string(w, d->kpi_name, strlen(d->kpi_name));
	state_write_int64(w, d->nmedia);
	state_write_mark(w, '[');
	for (j = 0; j < d->nmedia; j++)
	{
		state_write_string(w, d->media_name[j], strlen(d->media_name[j]));
		state_write_int64(w, d->has_cost[j] ? 1 : 0);
	}
	state_write_mark(w, ']');
	state_write_int64(w, d->ncontrol);
	state_write_mark(w, '[');
	for (j = 0; j < d->ncontrol; j++)
		state_write_string(w, d->control_name[j], strlen(d->control_name[j]));
	state_write_mark(w, ']');
	write_values(w, d->kpi, d->nperiods);
	for (j = 0; j < d->nmedia; j++)
	{
		write_values(w, d->media[j], d->nperiods);
		if (d->has_cost[j])
			write_values(w, d->cost[j], d->nperiods);
	}
	for (j = 0; j < d->ncontrol; j++)
		write_values(w, d->control[j], d->nperiods);
	state_write_float8(w, f->intercept);
	state_write_float8(w, f->trend);
	state_write_float8(w, f->ridge);
	state_write_float8(w, f->cv_rmse);
	state_write_int64(w, f->nparams);
	state_write_int64(w, f->evaluations);
	write_values(w, f->season, f->nseason);
	write_values(w, f->control, f->ncontrol);
	state_write_mark(w, '[');
	for (j = 0; j < d->nmedia; j++)
		write_params(w, &f->channel[j]);
	state_write_mark(w, ']');
	state_write_int64(w, m->nboot);
	state_write_mark(w, '[');
	for (i = 0; i < m->nboot * d->nmedia; i++)
		write_params(w, &m->boot[i]);
	state_write_mark(w, ']');
	if (m->nboot > 0)
		write_values(w, m->interval, d->nmedia * MMM_NINTERVAL);
}

Datum
mmm_model_datum(const MmmModel *m)
{
	StateWriter w;

	state_write_begin(&w, true, MMM_MODEL_TAG, MMM_MODEL_VERSION);
	model_write(&w, m);
	/* the send format is a bytea: its bytes are the datum's payload */
	return PointerGetDatum(state_write_end_binary(&w));
}

/* ---------- reading and validation ---------- */

static double *
read_values(StateReader *r, int n, bool nonneg, const char *field)
{
	double	   *v = palloc(sizeof(double) * Max(n, 1));
	int			i;

	state_read_mark(r, '[');
	for (i = 0; i < n; i++)
		v[i] = nonneg ? state_read_float8_nonneg(r, field) : state_read_float8_finite(r, field);
	state_read_mark(r, ']');
	return v;
}

static void
read_params(StateReader *r, const MmmOptions *o, MmmChannelParams *p)
{
	int			i;

	for (i = 0; i < lengthof(param_fields); i++)
		*(double *) ((char *) p + param_fields[i].offset) =
			state_read_float8_nonneg(r, param_fields[i].name);
	if (!(p->decay < 1.0))
		state_invalid(r, "decay must be below 1");
	if (o->adstock != MMM_ADSTOCK_GEOMETRIC &&
		!(p->shape > 0.0 && p->shape <= 1e3 && p->scale > 0.0 && p->scale <= 1e6))
		state_invalid(r, "Weibull shape and scale must be positive");
	if (!(p->k > 0.0) || !(p->slope > 0.0) || p->slope > 100.0)
		state_invalid(r, "half-saturation and slope must be positive");
}

static char *
read_name(StateReader *r, const char *field)
{
	int			len;
	char	   *name = state_read_string(r, field, &len);

	if (len == 0 || len > MMM_MAX_NAME)
		state_invalid(r, "%s names must have 1 to %d bytes", field, MMM_MAX_NAME);
	return name;
}

static MmmModel *
model_read(StateReader *r)
{
	MmmModel   *m = palloc0(sizeof(MmmModel));
	MmmData    *d = &m->data;
	MmmFit	   *f = &m->fit;
	MmmOptions *o = &m->options;
	int			len,
				i,
				j,
				k;
	int64		last;

	m->options_text = state_read_string(r, "options", &len);
	mmm_options_parse_stored(r, m->options_text, o);
	if (o->season_auto)
		state_invalid(r, "a model's seasonality is resolved, not auto");
	d->first_period = (DateADT) state_read_int_range(r, "first_period",
													 DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE,
													 DATE_END_JULIAN - POSTGRES_EPOCH_JDATE - 1);
	d->step_days = (int) state_read_int_range(r, "step_days", 0, 366);
	d->step_months = (int) state_read_int_range(r, "step_months", 0, 12);
	if ((d->step_days > 0) == (d->step_months > 0) ||
		(d->step_months > 0 && d->step_months != 1 && d->step_months != 3 && d->step_months != 12))
		state_invalid(r, "bad period step");
	d->periods_per_year = d->step_days > 0 ? 365.25 / d->step_days : 12.0 / d->step_months;
	d->nperiods = (int) state_read_int_range(r, "nperiods", 2, MMM_MAX_PERIODS);
	d->nfit = (int) state_read_int_range(r, "nfit", 1, d->nperiods);
	last = d->step_days > 0 ? (int64) d->first_period + (int64) (d->nperiods - 1) * d->step_days
		: (int64) d->first_period + (int64) (d->nperiods - 1) * d->step_months * 31;
	if (last >= DATE_END_JULIAN - POSTGRES_EPOCH_JDATE - 1)
		state_invalid(r, "periods run past the last date");
	if (o->holdout != d->nperiods - d->nfit)
		state_invalid(r, "holdout does not match the fitted periods");
	if (o->yearly_order > 0 && 2 * o->yearly_order >= d->periods_per_year)
		state_invalid(r, "seasonal order too high for the period length");
	if (o->weekly_order > 0 && d->step_days != 1)
		state_invalid(r, "weekly seasonality needs daily periods");
	d->kpi_name = read_name(r, "kpi");
	d->nmedia = state_read_count(r, "nmedia", MMM_MAX_MEDIA, 2);
	if (d->nmedia == 0)
		state_invalid(r, "a model has at least one channel");
	d->media_name = palloc(sizeof(char *) * d->nmedia);
	d->has_cost = palloc(sizeof(bool) * d->nmedia);
	state_read_mark(r, '[');
	for (j = 0; j < d->nmedia; j++)
	{
		d->media_name[j] = read_name(r, "channel");
		d->has_cost[j] = state_read_int_range(r, "has_cost", 0, 1) == 1;
	}
	state_read_mark(r, ']');
	d->ncontrol = state_read_count(r, "ncontrol", MMM_MAX_SERIES, 2);
	d->control_name = palloc(sizeof(char *) * Max(d->ncontrol, 1));
	state_read_mark(r, '[');
	for (j = 0; j < d->ncontrol; j++)
		d->control_name[j] = read_name(r, "control");
	state_read_mark(r, ']');
	/* names distinct across kpi, channels and controls */
	{
		int			total = 1 + d->nmedia + d->ncontrol;
		char	  **all = palloc(sizeof(char *) * total);

		all[0] = d->kpi_name;
		for (j = 0; j < d->nmedia; j++)
			all[1 + j] = d->media_name[j];
		for (j = 0; j < d->ncontrol; j++)
			all[1 + d->nmedia + j] = d->control_name[j];
		for (i = 0; i < total; i++)
			for (k = i + 1; k < total; k++)
				if (strcmp(all[i], all[k]) == 0)
					state_invalid(r, "variable names must be distinct");
		pfree(all);
	}
	d->kpi = read_values(r, d->nperiods, false, "kpi");
	d->media = palloc(sizeof(double *) * d->nmedia);
	d->cost = palloc(sizeof(double *) * d->nmedia);
	for (j = 0; j < d->nmedia; j++)
	{
		double		total = 0.0;
		int			t;

		d->media[j] = read_values(r, d->nperiods, true, "media");
		d->cost[j] = d->has_cost[j] ? read_values(r, d->nperiods, true, "cost") : d->media[j];
		for (t = 0; t < d->nfit; t++)
			total += d->media[j][t];
		if (!(total > 0.0) || isinf(total))
			state_invalid(r, "a channel spends in the fitted periods");
	}
	d->control = palloc(sizeof(double *) * Max(d->ncontrol, 1));
	for (j = 0; j < d->ncontrol; j++)
		d->control[j] = read_values(r, d->nperiods, false, "control");

	f->nmedia = d->nmedia;
	f->ncontrol = d->ncontrol;
	f->nseason = 2 * (o->yearly_order + o->weekly_order);
	f->intercept = state_read_float8_finite(r, "intercept");
	f->trend = state_read_float8_finite(r, "trend");
	f->ridge = state_read_float8_nonneg(r, "ridge");
	f->cv_rmse = state_read_float8_nonneg(r, "cv_rmse");
	f->nparams = (int) state_read_int_range(r, "nparams", 1, 100000);
	f->evaluations = (int) state_read_int_range(r, "evaluations", 0, PG_INT32_MAX);
	f->season = read_values(r, f->nseason, false, "season");
	f->control = read_values(r, f->ncontrol, false, "control coefficient");
	f->channel = palloc(sizeof(MmmChannelParams) * d->nmedia);
	state_read_mark(r, '[');
	for (j = 0; j < d->nmedia; j++)
		read_params(r, o, &f->channel[j]);
	state_read_mark(r, ']');
	m->nboot = (int) state_read_int_range(r, "nboot", 0, MMM_MAX_BOOTSTRAP);
	if (m->nboot > 0 && m->nboot != o->bootstrap)
		state_invalid(r, "bootstrap replicates do not match the options");
	if ((int64) m->nboot * d->nmedia * 6 > (r->end - r->cur) / (r->binary ? 8 : 2))
		state_invalid(r, "bootstrap replicates exceed the data present");
	m->boot = palloc(sizeof(MmmChannelParams) * Max(m->nboot * d->nmedia, 1));
	state_read_mark(r, '[');
	for (i = 0; i < m->nboot * d->nmedia; i++)
	{
		if ((i & 0xFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		read_params(r, o, &m->boot[i]);
	}
	state_read_mark(r, ']');
	if (m->nboot > 0)
		m->interval = read_values(r, d->nmedia * MMM_NINTERVAL, false, "interval");
	state_read_end(r);
	return m;
}

static struct varlena *
model_datum_from_reader(StateReader *r)
{
	return (struct varlena *) DatumGetPointer(mmm_model_datum(model_read(r)));
}

MmmModel *
mmm_model_arg(FunctionCallInfo fcinfo, int argno)
{
	struct varlena *v = PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));
	StringInfoData buf;
	StateReader r;

	buf.data = VARDATA_ANY(v);
	buf.len = VARSIZE_ANY_EXHDR(v);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	state_read_check_version(&r, state_read_begin_binary(&r, &buf, "mmm_model", MMM_MODEL_TAG),
							 MMM_MODEL_VERSION);
	return model_read(&r);
}

SOCROI_STATE_IO_FUNCTIONS(mmm_model, "mmm_model", MMM_MODEL_TAG, MMM_MODEL_VERSION,
						  model_write(w, mmm_model_arg(fcinfo, 0)),
						  model_datum_from_reader(r));

/* ---------- computing from a model ---------- */

void
mmm_model_effects(const MmmModel *m, const MmmChannelParams *params,
				  double **adstock, double **effect)
{
	const MmmData *d = &m->data;
	double	   *a = palloc(sizeof(double) * d->nperiods);
	int			j,
				t;

	for (j = 0; j < d->nmedia; j++)
	{
		const MmmChannelParams *p = &params[j];

		mmm_channel_adstock(d, &m->options, j, p, a);
		if (adstock)
			memcpy(adstock[j], a, sizeof(double) * d->nperiods);
		if (effect)
			for (t = 0; t < d->nperiods; t++)
				effect[j][t] = p->beta * mmm_saturation(m->options.saturation, a[t], p->k, p->slope);
	}
	pfree(a);
}

double
mmm_model_fitted(const MmmModel *m, double **effect, int t)
{
	const MmmData *d = &m->data;
	const MmmFit *f = &m->fit;
	double		v = f->intercept;
	int			c,
				j;

	if (m->options.trend)
		v += f->trend * t;
	for (c = 0; c < f->nseason; c++)
		v += f->season[c] * mmm_fourier(d, &m->options, c, t);
	for (c = 0; c < d->ncontrol; c++)
		v += f->control[c] * d->control[c][t];
	for (j = 0; j < d->nmedia; j++)
		v += effect[j][t];
	return v;
}

int
mmm_model_channel(const MmmModel *m, const char *name)
{
	int			j;

	for (j = 0; j < m->data.nmedia; j++)
		if (strcmp(m->data.media_name[j], name) == 0)
			return j;
	return -1;
}
