/*
 * mmm_data.c
 *		The data of a marketing mix model: the dense period x variable table
 *		built from the mmm_fit state (periods equally spaced and checked),
 *		and the model's terms computed from it -- Fourier seasonality, each
 *		channel's adstock, its long-run carry-over and cost per unit.
 *
 * Periods: the step is the smallest gap between two periods with a kpi
 * value, n days, or calendar months when that gap is 28-31 (89-92, 365-366)
 * days; a monthly grid accepts the same day of every month, or every month's
 * last day.  Every period from the first to the last needs its kpi; every
 * row's period must be on the grid.
 */
#include "postgres.h"

#include <math.h>

#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "common/common.h"
#include "mmm/mmm_data.h"
#include "mmm/mmm_transforms.h"

static void
j2ymd(DateADT d, int *y, int *m, int *day)
{
	j2date(d + POSTGRES_EPOCH_JDATE, y, m, day);
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

DateADT
mmm_period_date(const MmmData *data, int t)
{
	int			y,
				m,
				d,
				months,
				last;

	if (data->step_days > 0)
		return data->first_period + t * data->step_days;
	j2ymd(data->first_period, &y, &m, &d);
	last = (d == days_in_month(y, m));
	months = (y * 12 + m - 1) + t * data->step_months;
	y = months / 12;
	m = months % 12 + 1;
	if (last || d > days_in_month(y, m))
		d = days_in_month(y, m);
	return date2j(y, m, d) - POSTGRES_EPOCH_JDATE;
}

/*
 * The grid index of a date (in steps from first), or -1 when it is not on
 * the grid.  Monthly grids accept the same day of the month, or the last
 * day of every month when the first period is a month's last day.
 */
static int64
grid_index(DateADT first, int step_days, int step_months, DateADT d)
{
	int			y0,
				m0,
				d0,
				y,
				m,
				dd;
	int64		months;

	if (step_days > 0)
	{
		int64		diff = (int64) d - first;

		if (diff % step_days != 0)
			return PG_INT64_MIN;
		return diff / step_days;
	}
	j2ymd(first, &y0, &m0, &d0);
	j2ymd(d, &y, &m, &dd);
	months = ((int64) y * 12 + m) - ((int64) y0 * 12 + m0);
	if (months % step_months != 0)
		return PG_INT64_MIN;
	if (d0 == days_in_month(y0, m0) ? dd != days_in_month(y, m)
		: dd != Min(d0, days_in_month(y, m)))
		return PG_INT64_MIN;
	return months / step_months;
}

static const char *
step_name(int step_days, int step_months)
{
	if (step_days == 1)
		return "daily";
	if (step_days == 7)
		return "weekly";
	if (step_months == 1)
		return "monthly";
	if (step_months == 3)
		return "quarterly";
	if (step_months == 12)
		return "yearly";
	return "equally spaced";
}


MmmData *
mmm_state_data(FunctionCallInfo fcinfo, int argno, char **options)
{
	MmmStateView view;
	MmmData    *data = palloc0(sizeof(MmmData));
	MmmSeriesView *sv;
	MmmEntryView *ev;
	int		   *slot;			/* series rank -> (role-specific) column */
	int			kpi = -1,
				i,
				j;
	int32		first_kpi = 0,
				min_diff = PG_INT32_MAX;
	int64		lo_index = PG_INT64_MAX,
				hi_index = PG_INT64_MIN;
	int			nkpi = 0;
	int32		prev = 0;

	mmm_state_view(fcinfo, argno, &view);
	*options = view.options;
	sv = view.series;
	ev = view.entries;
	slot = palloc(sizeof(int) * Max(view.nseries, 1));

	/* variables by role (already sorted by name) */
	data->media_name = palloc(sizeof(char *) * Max(view.nseries, 1));
	data->control_name = palloc(sizeof(char *) * Max(view.nseries, 1));
	for (i = 0; i < view.nseries; i++)
	{
		/* one name, one role -- except media with its cost */
		if (i > 0 && strcmp(sv[i].name, sv[i - 1].name) == 0 &&
			!(sv[i - 1].role == MMM_ROLE_MEDIA && sv[i].role == MMM_ROLE_COST))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("variable \"%s\" has the roles %s and %s", sv[i].name,
							mmm_role_names[sv[i - 1].role], mmm_role_names[sv[i].role]),
					 errhint("Only a media variable may also have cost rows; rename the others.")));
		switch (sv[i].role)
		{
			case MMM_ROLE_KPI:
				kpi = i;
				slot[i] = -1;
				break;
			case MMM_ROLE_MEDIA:
				if (data->nmedia >= MMM_MAX_MEDIA)
					ereport(ERROR,
							(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
							 errmsg("too many media variables (more than %d)", MMM_MAX_MEDIA),
							 errhint("Group small channels together before fitting.")));
				slot[i] = data->nmedia;
				data->media_name[data->nmedia++] = sv[i].name;
				break;
			case MMM_ROLE_COST:
				if (i == 0 || sv[i - 1].role != MMM_ROLE_MEDIA ||
					strcmp(sv[i].name, sv[i - 1].name) != 0)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("cost rows for \"%s\" but no media rows", sv[i].name),
							 errhint("A cost belongs to a media variable of the same name: give the channel's activity (or spend) with role 'media'.")));
				slot[i] = data->nmedia - 1;
				break;
			default:
				slot[i] = data->ncontrol;
				data->control_name[data->ncontrol++] = sv[i].name;
				break;
		}
	}
	if (kpi < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("mmm_fit needs one variable with role 'kpi'"),
				 errhint("Add the outcome per period, e.g. revenue with role 'kpi'.")));
	if (data->nmedia == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("mmm_fit needs at least one variable with role 'media'"),
				 errhint("Add each channel's spend (or activity) per period with role 'media'.")));
	data->kpi_name = sv[kpi].name;

	/* the step: the smallest gap between periods with a kpi value */
	for (i = 0; i < view.nentries; i++)
		if (ev[i].series == kpi)
		{
			if (nkpi == 0)
				first_kpi = ev[i].period;
			else if (ev[i].period - prev < min_diff)
				min_diff = ev[i].period - prev;
			prev = ev[i].period;
			nkpi++;
		}
	if (nkpi < 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("mmm_fit needs the kpi in at least two periods, got %d", nkpi),
				 errhint("Fit over a longer history: two years of weekly data is typical.")));
	data->first_period = first_kpi;
	if (min_diff >= 28 && min_diff <= 31)
		data->step_months = 1;
	else if (min_diff >= 89 && min_diff <= 92)
		data->step_months = 3;
	else if (min_diff >= 365 && min_diff <= 366)
		data->step_months = 12;
	else
		data->step_days = min_diff;
	data->periods_per_year = data->step_days > 0 ? 365.25 / data->step_days
		: 12.0 / data->step_months;

	/* every period on the grid; the span of all of them */
	for (i = 0; i < view.nentries; i++)
	{
		int64		g = grid_index(first_kpi, data->step_days, data->step_months, ev[i].period);

		if (g == PG_INT64_MIN)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("period %s of \"%s\" is not on the %s grid of the kpi starting %s",
							mmm_date_text(ev[i].period), sv[ev[i].series].name,
							step_name(data->step_days, data->step_months), mmm_date_text(first_kpi)),
					 errhint("Truncate every period the same way, e.g. date_trunc('week', day)::date.")));
		lo_index = Min(lo_index, g);
		hi_index = Max(hi_index, g);
	}
	if (hi_index - lo_index + 1 > MMM_MAX_PERIODS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many periods (%lld, at most %d)",
						(long long) (hi_index - lo_index + 1), MMM_MAX_PERIODS),
				 errhint("Aggregate daily rows into weeks with date_trunc('week', day).")));
	/* lo_index < 0: a media or control period before the first kpi one */
	data->nperiods = (int) (hi_index - lo_index + 1);
	if (lo_index < 0)
		data->first_period = mmm_period_date(data, (int) lo_index);
	data->kpi = palloc0(sizeof(double) * data->nperiods);
	data->media = palloc(sizeof(double *) * Max(data->nmedia, 1));
	data->cost = palloc(sizeof(double *) * Max(data->nmedia, 1));
	data->has_cost = palloc0(sizeof(bool) * Max(data->nmedia, 1));
	data->control = palloc(sizeof(double *) * Max(data->ncontrol, 1));
	for (j = 0; j < data->nmedia; j++)
	{
		data->media[j] = palloc0(sizeof(double) * data->nperiods);
		data->cost[j] = data->media[j];
	}
	for (j = 0; j < data->ncontrol; j++)
		data->control[j] = palloc0(sizeof(double) * data->nperiods);
	for (i = 0; i < view.nseries; i++)
		if (sv[i].role == MMM_ROLE_COST)
		{
			data->has_cost[slot[i]] = true;
			data->cost[slot[i]] = palloc0(sizeof(double) * data->nperiods);
		}
	{
		bool	   *has_kpi = palloc0(sizeof(bool) * data->nperiods);

		for (i = 0; i < view.nentries; i++)
		{
			int			t = (int) (grid_index(first_kpi, data->step_days, data->step_months,
											  ev[i].period) - lo_index);
			double		v = ev[i].value;
			int			k = slot[ev[i].series];

			switch (sv[ev[i].series].role)
			{
				case MMM_ROLE_KPI:
					data->kpi[t] = v;
					has_kpi[t] = true;
					break;
				case MMM_ROLE_MEDIA:
					data->media[k][t] = v;
					break;
				case MMM_ROLE_COST:
					data->cost[k][t] = v;
					break;
				default:
					data->control[k][t] = v;
					break;
			}
		}
		for (i = 0; i < data->nperiods; i++)
			if (!has_kpi[i])
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("the kpi \"%s\" has no value for period %s", data->kpi_name,
								mmm_date_text(mmm_period_date(data, i))),
						 errhint("Periods must be equally spaced (%s here) with the kpi in every one; fill a missing period or leave the rows of the incomplete ones out.",
								 step_name(data->step_days, data->step_months))));
		pfree(has_kpi);
	}
	data->nfit = data->nperiods;
	pfree(slot);
	return data;
}

/* ---------- the model's terms ---------- */

double
mmm_fourier(const MmmData *d, const MmmOptions *o, int column, int t)
{
	int			order = column / 2 + 1;
	double		period;

	if (order <= o->yearly_order)
		period = d->periods_per_year;
	else
	{
		order -= o->yearly_order;
		period = 7.0 / d->step_days;
	}
	if (column % 2 == 0)
		return sin(2.0 * M_PI * order * t / period);
	return cos(2.0 * M_PI * order * t / period);
}

void
mmm_channel_adstock(const MmmData *d, const MmmOptions *o, int j,
					const MmmChannelParams *p, double *out)
{
	if (o->adstock == MMM_ADSTOCK_GEOMETRIC)
		mmm_adstock_geometric(d->media[j], d->nperiods, p->decay, out);
	else
	{
		int			lags = Min(o->max_lag, d->nperiods);
		double	   *w = palloc(sizeof(double) * Max(lags, 1));

		mmm_weibull_weights(p->shape, p->scale, o->adstock == MMM_ADSTOCK_WEIBULL_PDF,
							o->max_lag, lags, w);
		mmm_adstock_convolve(d->media[j], d->nperiods, w, lags, out);
		pfree(w);
	}
}

double
mmm_carryover(const MmmOptions *o, const MmmChannelParams *p)
{
	if (o->adstock == MMM_ADSTOCK_GEOMETRIC)
		return 1.0 / (1.0 - p->decay);
	else
	{
		double	   *w = palloc(sizeof(double) * o->max_lag);
		double		s = 0.0;
		int			l;

		mmm_weibull_weights(p->shape, p->scale, o->adstock == MMM_ADSTOCK_WEIBULL_PDF,
							o->max_lag, o->max_lag, w);
		for (l = 0; l < o->max_lag; l++)
			s += w[l];
		pfree(w);
		return s;
	}
}

double
mmm_cost_per_unit(const MmmData *d, int j)
{
	double		cost = 0.0,
				media = 0.0;
	int			t;

	if (!d->has_cost[j])
		return 1.0;
	for (t = 0; t < d->nfit; t++)
	{
		cost += d->cost[j][t];
		media += d->media[j][t];
	}
	return (media > 0.0 && cost > 0.0) ? cost / media : 1.0;
}
