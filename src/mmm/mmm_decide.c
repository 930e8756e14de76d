/*
 * mmm_decide.c
 *		Decisions from a marketing mix model: response curves
 *		(mmm_response, mmm_marginal_roi) and the budget allocation that
 *		maximises the expected KPI (mmm_optimize).
 *
 * Response of channel j to a sustained spend s per period (cost units):
 *   R_j(s) = beta_j saturation_j(s W_j / cpu_j)
 * with W_j the long-run carry-over of a constant spend (1 / (1 - decay) for
 * the geometric adstock, the sum of the weights for the Weibull ones) and
 * cpu_j the channel's cost per media unit -- so with mmm_channels' decay,
 * half_saturation (cost units) and coefficient, R_j(s) =
 * coefficient hill(s / (1 - decay), half_saturation, slope).
 *
 * mmm_optimize maximises sum_j R_j(s_j) subject to sum_j s_j = budget and
 * lo_j <= s_j <= hi_j.
 *   Concave curves (Hill slope <= 1, logistic): the KKT conditions say every
 *   channel strictly inside its bounds has the same marginal return mu; the
 *   allocation s_j(mu) = clamp(R_j'^{-1}(mu), lo_j, hi_j) is monotone in mu,
 *   so mu is found by bisection to machine precision (exact up to rounding).
 *   S-shaped curves (Hill slope > 1): the problem is not concave and has
 *   local optima.  Branch and bound over concave envelopes (Udell & Boyd
 *   2013, "Maximizing a sum of sigmoids", Optimization and Engineering):
 *   each curve is replaced on its box by its concave envelope (a tangent from
 *   the box's lower end, then the curve); the envelope problem is concave and
 *   solved exactly as above, giving an upper bound, and its solution is
 *   feasible for the true curves, giving a lower bound.  The box of the
 *   channel with the largest gap is split at the solution; best-first until
 *   the bounds meet (relative 1e-10) or 20,000 boxes, which returns the best
 *   allocation found with a warning.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/tuplestore.h"

#include "common/common.h"
#include "common/stats.h"
#include "mmm/mmm_decide.h"
#include "mmm/mmm_model.h"

PG_FUNCTION_INFO_V1(socroi_mmm_response);
PG_FUNCTION_INFO_V1(socroi_mmm_marginal_roi);
PG_FUNCTION_INFO_V1(socroi_mmm_optimize);
PG_FUNCTION_INFO_V1(socroi_mmm_optimize_bounded);

#define BB_MAX_NODES 20000
#define BB_TOLERANCE 1e-10
#define BISECTIONS 200

/* ---------- one channel's response curve ---------- */

void
mmm_curve_init(MmmCurve *c, const MmmModel *m, const MmmChannelParams *p, int j)
{
	c->kind = m->options.saturation;
	c->beta = p->beta;
	c->k = p->k;
	c->slope = p->slope;
	/* the saturation's argument per unit of cost: W / cpu */
	c->scale = mmm_carryover(&m->options, p) / mmm_cost_per_unit(&m->data, j);
	/* Hill with slope > 1 is convex below its inflection point */
	c->inflection = 0.0;
	if (c->kind == MMM_SATURATION_HILL && c->slope > 1.0)
		c->inflection = c->k * pow((c->slope - 1.0) / (c->slope + 1.0), 1.0 / c->slope) / c->scale;
}

double
mmm_curve_value(const MmmCurve *c, double s)
{
	return c->beta * mmm_saturation(c->kind, s * c->scale, c->k, c->slope);
}

double
mmm_curve_slope(const MmmCurve *c, double s)
{
	return c->beta * c->scale * mmm_saturation_derivative(c->kind, s * c->scale, c->k, c->slope);
}

/* the largest s in [lo, hi] with R'(s) >= mu on the concave part [lo, hi] */
static double
curve_inverse_slope(const MmmCurve *c, double mu, double lo, double hi)
{
	int			i;

	if (mmm_curve_slope(c, hi) >= mu)
		return hi;
	if (!(mmm_curve_slope(c, lo) > mu))
		return lo;
	for (i = 0; i < BISECTIONS; i++)
	{
		double		mid = lo + (hi - lo) / 2.0;

		if (mid <= lo || mid >= hi)
			break;
		if (mmm_curve_slope(c, mid) >= mu)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* ---------- the concave envelope of a curve on a box ---------- */

typedef struct Envelope
{
	double		lo,
				hi;
	double		w;				/* the curve from w on; a line before it */
	double		m;				/* the line's slope */
	double		f_lo;			/* R(lo) */
} Envelope;

static void
envelope_init(Envelope *e, const MmmCurve *c, double lo, double hi)
{
	double		a,
				b;
	int			i;

	e->lo = lo;
	e->hi = hi;
	e->f_lo = mmm_curve_value(c, lo);
	if (c->inflection <= lo || hi <= lo)
	{
		/* concave on the whole box: the envelope is the curve */
		e->w = lo;
		e->m = mmm_curve_slope(c, lo);
		return;
	}
	/*
	 * The tangent from (lo, R(lo)) touches the concave part at w, where
	 * g(w) = R'(w) (w - lo) - (R(w) - R(lo)) = 0; g decreases there.  When
	 * g(hi) >= 0 the chord to hi lies above the curve: the envelope is it.
	 */
	a = Max(lo, c->inflection);
	b = hi;
	if (mmm_curve_slope(c, b) * (b - lo) - (mmm_curve_value(c, b) - e->f_lo) >= 0.0)
	{
		e->w = hi;
		e->m = (mmm_curve_value(c, hi) - e->f_lo) / (hi - lo);
		return;
	}
	for (i = 0; i < BISECTIONS; i++)
	{
		double		mid = a + (b - a) / 2.0;

		if (mid <= a || mid >= b)
			break;
		if (mmm_curve_slope(c, mid) * (mid - lo) - (mmm_curve_value(c, mid) - e->f_lo) >= 0.0)
			a = mid;
		else
			b = mid;
	}
	e->w = b;
	e->m = (mmm_curve_value(c, e->w) - e->f_lo) / (e->w - lo);
}

static double
envelope_value(const Envelope *e, const MmmCurve *c, double s)
{
	if (s < e->w)
		return e->f_lo + e->m * (s - e->lo);
	return mmm_curve_value(c, s);
}

/*
 * The envelope allocation at multiplier mu: lo below the line's slope, the
 * concave part where R' = mu above it.  *flat is set when mu equals the
 * line's slope (the channel may take anything on [lo, w]).
 */
static double
envelope_allocation(const Envelope *e, const MmmCurve *c, double mu, bool upper)
{
	if (e->w > e->lo && (mu > e->m || (mu == e->m && !upper)))
		return e->lo;
	if (e->w >= e->hi)
		return e->hi;
	return curve_inverse_slope(c, mu, e->w, e->hi);
}

/*
 * Maximise sum_j envelope_j(s_j) with sum s_j = budget over the boxes:
 * bisection on mu; the channels whose allocation jumps at mu (a line of the
 * envelope, or rounding) take what is left.  Returns the envelope total.
 */
static double
solve_envelopes(int n, const MmmCurve *c, const Envelope *e, double budget,
				double *s)
{
	double		mu_lo = DBL_MIN,
				mu_hi = 0.0,
				total = 0.0,
				left;
	double	   *room = palloc(sizeof(double) * n);
	int			i,
				j,
				pass;

	for (j = 0; j < n; j++)
		mu_hi = Max(mu_hi, Max(e[j].m, mmm_curve_slope(&c[j], e[j].lo)));
	mu_hi = mu_hi * 2.0 + DBL_MIN;
	/*
	 * sum_j s_j(mu) decreases with mu: find where it crosses the budget, by
	 * bisection on log mu (marginal returns span many orders of magnitude)
	 */
	for (i = 0; i < BISECTIONS; i++)
	{
		double		mid = sqrt(mu_lo) * sqrt(mu_hi);
		SocroiSum	sum = {0, 0};

		if (!(mid > mu_lo && mid < mu_hi))
			break;
		for (j = 0; j < n; j++)
			socroi_sum_add(&sum, envelope_allocation(&e[j], &c[j], mid, false));
		if (socroi_sum_value(&sum) >= budget)
			mu_lo = mid;
		else
			mu_hi = mid;
	}
	/* allocate at mu_hi (at most the budget) ... */
	{
		SocroiSum	sum = {0, 0};

		for (j = 0; j < n; j++)
		{
			s[j] = envelope_allocation(&e[j], &c[j], mu_hi, false);
			socroi_sum_add(&sum, s[j]);
		}
		left = budget - socroi_sum_value(&sum);
	}
	/*
	 * ... then share what is left in proportion to each channel's room: first
	 * up to its allocation at mu_lo (the channels whose allocation jumps
	 * between the two multipliers: a line of their envelope, where any split
	 * is as good), then up to its bound (rounding, or budgets beyond what the
	 * curves resolve).
	 */
	for (pass = 0; pass < 2 && left > 0.0; pass++)
	{
		double		total_room = 0.0,
					given = 0.0;

		for (j = 0; j < n; j++)
		{
			double		target = pass == 0 ? envelope_allocation(&e[j], &c[j], mu_lo, true) : e[j].hi;

			room[j] = Max(0.0, Min(target, e[j].hi) - s[j]);
			total_room += room[j];
		}
		if (!(total_room > 0.0))
			continue;
		for (j = 0; j < n; j++)
		{
			double		add = Min(room[j], left * (room[j] / total_room));

			s[j] += add;
			given += add;
		}
		left -= given;
	}
	/* the last rounding to one channel with room */
	for (j = 0; j < n && left != 0.0; j++)
	{
		double		r = left > 0.0 ? e[j].hi - s[j] : e[j].lo - s[j];
		double		add = left > 0.0 ? Min(left, r) : Max(left, r);

		s[j] += add;
		left -= add;
	}
	pfree(room);
	for (j = 0; j < n; j++)
		total += envelope_value(&e[j], &c[j], s[j]);
	return total;
}

/* ---------- branch and bound ---------- */

typedef struct BBNode
{
	double		upper;			/* envelope optimum */
	double	   *lo;
	double	   *hi;
} BBNode;

/* a binary max-heap of boxes by upper bound */
static void
heap_push(BBNode **heap, int *n, int *cap, BBNode node)
{
	int			i;

	if (*n == *cap)
	{
		*cap *= 2;
		*heap = repalloc(*heap, sizeof(BBNode) * *cap);
	}
	i = (*n)++;
	while (i > 0 && (*heap)[(i - 1) / 2].upper < node.upper)
	{
		(*heap)[i] = (*heap)[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	(*heap)[i] = node;
}

static BBNode
heap_pop(BBNode *heap, int *n)
{
	BBNode		top = heap[0];
	BBNode		last = heap[--(*n)];
	int			i = 0;

	for (;;)
	{
		int			c = 2 * i + 1;

		if (c >= *n)
			break;
		if (c + 1 < *n && heap[c + 1].upper > heap[c].upper)
			c++;
		if (heap[c].upper <= last.upper)
			break;
		heap[i] = heap[c];
		i = c;
	}
	if (*n > 0)
		heap[i] = last;
	return top;
}

static double
curves_total(int n, const MmmCurve *c, const double *s)
{
	SocroiSum	sum = {0, 0};
	int			j;

	for (j = 0; j < n; j++)
		socroi_sum_add(&sum, mmm_curve_value(&c[j], s[j]));
	return socroi_sum_value(&sum);
}

/* envelope bound of a box; fills s with its envelope solution */
static double
bound_box(int n, const MmmCurve *c, const double *lo, const double *hi,
		  double budget, Envelope *e, double *s)
{
	int			j;

	for (j = 0; j < n; j++)
		envelope_init(&e[j], &c[j], lo[j], hi[j]);
	return solve_envelopes(n, c, e, budget, s);
}

bool
mmm_allocate(int n, const MmmCurve *c, const double *lo, const double *hi,
			 double budget, double *best)
{
	Envelope   *e = palloc(sizeof(Envelope) * n);
	double	   *s = palloc(sizeof(double) * n);
	BBNode	   *heap = palloc(sizeof(BBNode) * 64);
	int			heap_n = 0,
				heap_cap = 64,
				nodes = 0,
				j;
	double		best_value;
	bool		converged = true;

	/* the root box */
	{
		BBNode		root;

		root.lo = palloc(sizeof(double) * n);
		root.hi = palloc(sizeof(double) * n);
		memcpy(root.lo, lo, sizeof(double) * n);
		memcpy(root.hi, hi, sizeof(double) * n);
		root.upper = bound_box(n, c, lo, hi, budget, e, s);
		heap_push(&heap, &heap_n, &heap_cap, root);
	}
	memcpy(best, s, sizeof(double) * n);
	best_value = curves_total(n, c, s);

	while (heap_n > 0)
	{
		BBNode		node;
		int			split = -1,
					child;
		double		gap = 0.0,
					at;

		CHECK_FOR_INTERRUPTS();
		/* best first: the box with the largest upper bound */
		node = heap_pop(heap, &heap_n);
		if (node.upper - best_value <= BB_TOLERANCE * Max(fabs(best_value), 1e-300))
			break;				/* no box can beat the best by more than the tolerance */
		if (++nodes > BB_MAX_NODES)
		{
			converged = false;
			break;
		}
		bound_box(n, c, node.lo, node.hi, budget, e, s);
		for (j = 0; j < n; j++)
		{
			double		g = envelope_value(&e[j], &c[j], s[j]) - mmm_curve_value(&c[j], s[j]);

			if (g > gap)
			{
				gap = g;
				split = j;
			}
		}
		if (split < 0 || !(s[split] > node.lo[split] && s[split] < node.hi[split]))
			continue;			/* exact on this box (or nothing to split) */
		at = s[split];
		for (child = 0; child < 2; child++)
		{
			double	   *clo = palloc(sizeof(double) * n);
			double	   *chi = palloc(sizeof(double) * n);
			double		slo = 0.0,
						shi = 0.0,
						upper;

			memcpy(clo, node.lo, sizeof(double) * n);
			memcpy(chi, node.hi, sizeof(double) * n);
			if (child == 0)
				chi[split] = at;
			else
				clo[split] = at;
			for (j = 0; j < n; j++)
			{
				slo += clo[j];
				shi += chi[j];
			}
			if (slo > budget || shi < budget)
				continue;		/* infeasible box */
			upper = bound_box(n, c, clo, chi, budget, e, s);
			{
				double		v = curves_total(n, c, s);

				if (v > best_value)
				{
					best_value = v;
					memcpy(best, s, sizeof(double) * n);
				}
			}
			if (upper - best_value <= BB_TOLERANCE * Max(fabs(best_value), 1e-300))
				continue;
			{
				BBNode		box = {upper, clo, chi};

				heap_push(&heap, &heap_n, &heap_cap, box);
			}
		}
	}
	return converged;
}

/* ---------- SQL ---------- */

static int
channel_arg(const MmmModel *m, text *name)
{
	char	   *s = text_to_cstring(name);
	int			j = mmm_model_channel(m, s);

	if (j < 0)
	{
		StringInfoData list;
		int			k;

		initStringInfo(&list);
		for (k = 0; k < m->data.nmedia; k++)
			appendStringInfo(&list, "%s%s", k ? ", " : "", m->data.media_name[k]);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the model has no channel \"%s\"", s),
				 errhint("Its channels: %s.", list.data)));
	}
	return j;
}

/*
 * mmm_response(model, channel, spend) and mmm_marginal_roi(...): the
 * channel's response curve at spend, or its slope there less 1 (what one
 * more unit of spend returns, less the unit).
 */
static Datum
response_at_spend(FunctionCallInfo fcinfo, bool marginal)
{
	MmmModel   *m = mmm_model_arg(fcinfo, 0);
	int			j = channel_arg(m, PG_GETARG_TEXT_PP(1));
	double		spend = PG_GETARG_FLOAT8(2);
	MmmCurve	c;

	socroi_check_nonnegative(spend, "spend");
	mmm_curve_init(&c, m, &m->fit.channel[j], j);
	if (marginal)
		PG_RETURN_FLOAT8(mmm_curve_slope(&c, spend) - 1.0);
	PG_RETURN_FLOAT8(mmm_curve_value(&c, spend));
}

SOCROI_VARIANT(socroi_mmm_response, response_at_spend(fcinfo, false))
SOCROI_VARIANT(socroi_mmm_marginal_roi, response_at_spend(fcinfo, true))

enum
{
	OPT_CHANNEL,
	OPT_CURRENT_SPEND,
	OPT_OPTIMAL_SPEND,
	OPT_CURRENT_KPI,
	OPT_OPTIMAL_KPI,
	OPT_MARGINAL_ROI,
	OPT_CHANGE_LOW,
	OPT_CHANGE_HIGH,
	OPT_NATTS
};

/* the channel's mean cost per fitted period */
static double
current_spend(const MmmModel *m, int j)
{
	SocroiSum	s = {0, 0};
	int			t;

	for (t = 0; t < m->data.nfit; t++)
		socroi_sum_add(&s, m->data.cost[j][t]);
	return socroi_sum_value(&s) / m->data.nfit;
}

static Datum
optimize(FunctionCallInfo fcinfo, bool bounded)
{
	MmmModel   *m = mmm_model_arg(fcinfo, 0);
	double		budget = PG_GETARG_FLOAT8(1);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			n,
				i,
				j;
	int		   *which;
	double	   *lo,
			   *hi,
			   *alloc;
	MmmCurve   *curves;
	SocroiSum	minimum = {0, 0},
				maximum = {0, 0};

	socroi_check_nonnegative(budget, "budget");
	if (bounded)
	{
		ArrayType  *names = PG_GETARG_ARRAYTYPE_P(2);
		ArrayType  *mins = PG_GETARG_ARRAYTYPE_P(3);
		ArrayType  *maxs = PG_GETARG_ARRAYTYPE_P(4);
		int			nmin,
					nmax;
		const double *vmin,
				   *vmax;
		SocroiTextIter iter;
		const char *data;
		int			len;

		n = socroi_array_length_1d(names, "channels");
		socroi_array_check_no_nulls(names, "channels", NULL);
		vmin = socroi_float8_array(mins, "min_spend", &nmin);
		vmax = socroi_float8_array(maxs, "max_spend", &nmax);
		socroi_array_check_same_length(n, "channels", nmin, "min_spend");
		socroi_array_check_same_length(n, "channels", nmax, "max_spend");
		if (n == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("channels must name at least one channel")));
		which = palloc(sizeof(int) * n);
		lo = palloc(sizeof(double) * n);
		hi = palloc(sizeof(double) * n);
		socroi_text_iter_init(&iter, names, n);
		for (i = 0; socroi_text_iter_next(&iter, &data, &len); i++)
		{
			which[i] = channel_arg(m, cstring_to_text_with_len(data, len));
			for (j = 0; j < i; j++)
				if (which[j] == which[i])
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("channel \"%s\" is listed twice", m->data.media_name[which[i]])));
			socroi_check_nonnegative(vmin[i], "min_spend");
			socroi_check_nonnegative(vmax[i], "max_spend");
			if (vmin[i] > vmax[i])
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("min_spend %g is above max_spend %g for channel \"%s\"",
								vmin[i], vmax[i], m->data.media_name[which[i]])));
			lo[i] = vmin[i];
			hi[i] = Min(vmax[i], budget);
		}
	}
	else
	{
		n = m->data.nmedia;
		which = palloc(sizeof(int) * n);
		lo = palloc0(sizeof(double) * n);
		hi = palloc(sizeof(double) * n);
		for (i = 0; i < n; i++)
		{
			which[i] = i;
			hi[i] = budget;
		}
	}
	for (i = 0; i < n; i++)
	{
		socroi_sum_add(&minimum, lo[i]);
		socroi_sum_add(&maximum, hi[i]);
	}
	if (socroi_sum_value(&minimum) > budget * (1.0 + 1e-12))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the minimum spends add up to %g, above the budget %g",
						socroi_sum_value(&minimum), budget),
				 errhint("Lower min_spend or raise the budget (both per period).")));
	if (socroi_sum_value(&maximum) < budget * (1.0 - 1e-12))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the maximum spends add up to %g, below the budget %g",
						socroi_sum_value(&maximum), budget),
				 errhint("Raise max_spend, or spend less: the budget is spent in full.")));
	curves = palloc(sizeof(MmmCurve) * n);
	for (i = 0; i < n; i++)
	{
		mmm_curve_init(&curves[i], m, &m->fit.channel[which[i]], which[i]);
		/* spends whose adstock overflows cannot be told apart: refuse them */
		if (!(hi[i] * curves[i].scale < 1e300))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("budget %g is out of range for the response curves", budget),
					 errhint("Give the budget per period in the cost units of the model.")));
	}
	alloc = palloc(sizeof(double) * n);
	if (!mmm_allocate(n, curves, lo, hi, budget, alloc))
		ereport(WARNING,
				(errmsg("mmm_optimize stopped after %d boxes; the allocation may be slightly suboptimal",
						BB_MAX_NODES)));

	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < n; i++)
	{
		Datum		values[OPT_NATTS];
		bool		nulls[OPT_NATTS];
		int			ch = which[i];
		double		now = current_spend(m, ch);

		memset(nulls, 0, sizeof(nulls));
		values[OPT_CHANNEL] = CStringGetTextDatum(m->data.media_name[ch]);
		values[OPT_CURRENT_SPEND] = Float8GetDatum(now);
		values[OPT_OPTIMAL_SPEND] = Float8GetDatum(alloc[i]);
		values[OPT_CURRENT_KPI] = Float8GetDatum(mmm_curve_value(&curves[i], now));
		values[OPT_OPTIMAL_KPI] = Float8GetDatum(mmm_curve_value(&curves[i], alloc[i]));
		values[OPT_MARGINAL_ROI] = Float8GetDatum(mmm_curve_slope(&curves[i], alloc[i]) - 1.0);
		if (m->nboot > 0)
		{
			/* the change under each bootstrap replicate's curve */
			double	   *change = palloc(sizeof(double) * m->nboot);
			double		alpha = (1.0 - m->options.confidence) / 2.0;
			int			b;

			for (b = 0; b < m->nboot; b++)
			{
				MmmCurve	cb;

				mmm_curve_init(&cb, m, &m->boot[b * m->data.nmedia + ch], ch);
				change[b] = mmm_curve_value(&cb, alloc[i]) - mmm_curve_value(&cb, now);
			}
			stats_sort(change, m->nboot);
			values[OPT_CHANGE_LOW] = Float8GetDatum(stats_quantile_sorted(change, m->nboot, alpha));
			values[OPT_CHANGE_HIGH] = Float8GetDatum(stats_quantile_sorted(change, m->nboot, 1.0 - alpha));
			pfree(change);
		}
		else
			nulls[OPT_CHANGE_LOW] = nulls[OPT_CHANGE_HIGH] = true;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

SOCROI_VARIANT(socroi_mmm_optimize, optimize(fcinfo, false))
SOCROI_VARIANT(socroi_mmm_optimize_bounded, optimize(fcinfo, true))
