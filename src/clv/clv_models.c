/*
 * clv_models.c
 *		Predictive CLV (doc/clv.md): the BG/NBD model of repeat
 *		purchases (Fader, Hardie & Lee 2005, "Counting your customers the
 *		easy way", Marketing Science 24(2)) and the Gamma-Gamma model of
 *		spend per purchase (Fader, Hardie & Lee 2005, "RFM and CLV", JMR
 *		42(4); Colombo & Jiang 1999), fitted by maximum likelihood inside an
 *		aggregate, and the predictions built on them.
 *
 * Fitting.  Customers with the same (x, t_x, T) -- or (x, m) for
 * Gamma-Gamma -- contribute the same likelihood term, so the aggregate state
 * is a hash table of distinct patterns with their customer counts: a state
 * grows with distinct patterns, never with rows, and a million customers
 * usually collapse to a few hundred thousand patterns or fewer.  The final
 * function sorts the patterns (so the sum is the same whatever the plan) and
 * maximises the total log-likelihood over log-parameters with BFGS using
 * analytic gradients and a backtracking (Armijo) line search from a
 * deterministic start.  Convergence: the largest gradient component of the
 * mean log-likelihood per customer, with respect to the log-parameters,
 * below 1e-9 (or below 1e-6 when no further decrease is representable).
 * An optimum with a parameter outside [e^-16, e^16] (about 1e-7 .. 9e6) is
 * on the boundary of the parameter space -- e.g. nobody ever drops out --
 * and is reported as an ERROR, as is a run that does not converge.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "access/htup_details.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/typcache.h"

#include "common/common.h"
#include "common/state_io.h"
#include "common/stats.h"

PG_FUNCTION_INFO_V1(socroi_bgnbd_fit_trans);
PG_FUNCTION_INFO_V1(socroi_bgnbd_fit_trans_weighted);
PG_FUNCTION_INFO_V1(socroi_pattern_combine);
PG_FUNCTION_INFO_V1(socroi_bgnbd_fit_final);
PG_FUNCTION_INFO_V1(socroi_gamma_gamma_fit_trans);
PG_FUNCTION_INFO_V1(socroi_gamma_gamma_fit_final);
PG_FUNCTION_INFO_V1(socroi_bgnbd_expected_purchases);
PG_FUNCTION_INFO_V1(socroi_bgnbd_conditional_purchases);
PG_FUNCTION_INFO_V1(socroi_bgnbd_p_alive);
PG_FUNCTION_INFO_V1(socroi_gamma_gamma_expected_spend);
PG_FUNCTION_INFO_V1(socroi_predicted_clv);

/* ====================================================================== */
/* pattern tables: distinct keys with a total weight                     */
/* ====================================================================== */

#define BGNBD_TAG		"bgnbd_fit"
#define GAMMA_GAMMA_TAG "gamma_gamma_fit"
#define PATTERN_VERSION 1
#define PATTERN_MAX_KEYS 3

/* weights are finite and > 0, so only their sums can overflow */
static void
weights_out_of_range(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("customer weights add up beyond the range of float8")));
}

/*
 * Open addressing with linear probing; a slot is nkeys doubles followed by
 * the weight (0 marks an empty slot: weights are positive).  The load factor
 * stays at or below 1/2.
 */
typedef struct PatternState
{
	int32		vl_len_;		/* varlena header: VARSIZE = capacity */
	int32		version;
	int32		nkeys;			/* 3: (x, t_x, T) for BG/NBD; 2: (x, m) */
	int32		capacity;		/* slots, a power of two */
	int32		count;			/* occupied slots */
	int32		padding;
	double		slots[FLEXIBLE_ARRAY_MEMBER];
} PatternState;

#define PATTERN_HEADER offsetof(PatternState, slots)
#define PATTERN_MIN_CAPACITY 16
#define PATTERN_MAX_CAPACITY (1 << 24)

static inline int
slot_width(int nkeys)
{
	return nkeys + 1;
}

static inline double *
pattern_slot(PatternState *state, int i)
{
	return state->slots + (Size) i * slot_width(state->nkeys);
}

static PatternState *
pattern_new(int nkeys, int capacity)
{
	Size		size = PATTERN_HEADER + (Size) capacity * slot_width(nkeys) * sizeof(double);
	PatternState *state = palloc0(size);

	SET_VARSIZE(state, size);
	state->version = PATTERN_VERSION;
	state->nkeys = nkeys;
	state->capacity = capacity;
	return state;
}

static uint32
pattern_hash(const double *keys, int nkeys)
{
	return hash_bytes((const unsigned char *) keys, nkeys * sizeof(double));
}

/* add weight to the pattern keys; the state must have room for one more */
static void
pattern_add(PatternState *state, const double *keys, double weight)
{
	int			nkeys = state->nkeys;
	uint32		mask = (uint32) state->capacity - 1;
	uint32		i = pattern_hash(keys, nkeys) & mask;

	for (;;)
	{
		double	   *slot = pattern_slot(state, i);

		if (slot[nkeys] == 0.0)
		{
			memcpy(slot, keys, nkeys * sizeof(double));
			slot[nkeys] = weight;
			state->count++;
			return;
		}
		if (memcmp(slot, keys, nkeys * sizeof(double)) == 0)
		{
			slot[nkeys] += weight;
			if (unlikely(isinf(slot[nkeys])))
				weights_out_of_range();
			return;
		}
		i = (i + 1) & mask;
	}
}

/* does the table hold the keys already? (for input validation) */
static bool
pattern_contains(PatternState *state, const double *keys)
{
	int			nkeys = state->nkeys;
	uint32		mask = (uint32) state->capacity - 1;
	uint32		i = pattern_hash(keys, nkeys) & mask;

	for (;;)
	{
		double	   *slot = pattern_slot(state, i);

		if (slot[nkeys] == 0.0)
			return false;
		if (memcmp(slot, keys, nkeys * sizeof(double)) == 0)
			return true;
		i = (i + 1) & mask;
	}
}

/*
 * Return a state with room for `more` new patterns: the same one when it
 * has room (and may be modified), else a larger rehashed copy in the
 * current memory context (nodeAgg copies it and frees the old state).
 */
static PatternState *
pattern_make_room(PatternState *state, int more, bool copy)
{
	int64		needed = ((int64) state->count + more) * 2;
	int			capacity = state->capacity;
	PatternState *grown;
	int			i;

	if (needed <= capacity && !copy)
		return state;
	while (capacity < needed)
	{
		if (capacity >= PATTERN_MAX_CAPACITY)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many distinct customer patterns for one model (limit %d)",
							PATTERN_MAX_CAPACITY / 2),
					 errhint("Round recency and t to fewer decimals so that customers share patterns.")));
		capacity *= 2;
	}
	grown = pattern_new(state->nkeys, capacity);
	for (i = 0; i < state->capacity; i++)
	{
		double	   *slot = pattern_slot(state, i);

		if (slot[state->nkeys] != 0.0)
			pattern_add(grown, slot, slot[state->nkeys]);
	}
	return grown;
}

static PatternState *
pattern_arg(FunctionCallInfo fcinfo, int argno, int nkeys)
{
	PatternState *state = (PatternState *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	if (VARSIZE_ANY(state) >= PATTERN_HEADER && state->version > PATTERN_VERSION)
		state_newer_version((nkeys > 0 ? nkeys : state->nkeys) == 2 ?
							"gamma_gamma_fit_state" : "bgnbd_fit_state",
							state->version, PATTERN_VERSION);
	if (VARSIZE_ANY(state) < PATTERN_HEADER || state->version != PATTERN_VERSION ||
		state->nkeys < 2 || state->nkeys > PATTERN_MAX_KEYS ||
		(nkeys > 0 && state->nkeys != nkeys) ||
		state->capacity < PATTERN_MIN_CAPACITY || state->capacity > PATTERN_MAX_CAPACITY ||
		(state->capacity & (state->capacity - 1)) != 0 ||
		state->count < 0 || state->count > state->capacity / 2 ||
		PATTERN_HEADER + (Size) state->capacity * slot_width(state->nkeys) * sizeof(double) >
		VARSIZE_ANY(state))
		elog(ERROR, "corrupt pattern state");
	return state;
}

/* the patterns as a dense array sorted by their keys, then the weight */
static int
pattern_cmp(const void *a, const void *b, void *arg)
{
	const double *pa = a;
	const double *pb = b;
	int			nkeys = *(const int32 *) arg;
	int			k;

	for (k = 0; k < nkeys; k++)
	{
		if (pa[k] < pb[k])
			return -1;
		if (pa[k] > pb[k])
			return 1;
	}
	return 0;
}

static double *
pattern_sorted(PatternState *state, int *count)
{
	int			width = slot_width(state->nkeys);
	double	   *rows = palloc(Max(state->count, 1) * width * sizeof(double));
	int			n = 0;
	int			i;

	for (i = 0; i < state->capacity; i++)
	{
		double	   *slot = pattern_slot(state, i);

		if (slot[state->nkeys] != 0.0)
			memcpy(rows + (Size) n++ * width, slot, width * sizeof(double));
	}
	Assert(n == state->count);
	qsort_arg(rows, n, width * sizeof(double), pattern_cmp, &state->nkeys);
	*count = n;
	return rows;
}

Datum
socroi_pattern_combine(PG_FUNCTION_ARGS)
{
	PatternState *into = pattern_arg(fcinfo, 0, 0);
	PatternState *from = pattern_arg(fcinfo, 1, into->nkeys);
	int			i;

	into = pattern_make_room(into, from->count, !socroi_in_aggregate(fcinfo));
	for (i = 0; i < from->capacity; i++)
	{
		double	   *slot = pattern_slot(from, i);

		if (slot[from->nkeys] != 0.0)
			pattern_add(into, slot, slot[from->nkeys]);
	}
	PG_RETURN_POINTER(into);
}

/* ---------- validation of customer summaries ---------- */

static void
check_frequency(double frequency)
{
	socroi_check_finite(frequency, "frequency");
	if (frequency < 0.0 || frequency != floor(frequency))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("frequency must be a whole number of repeat purchases (>= 0), got %g",
						frequency)));
}

static void
check_summary(double frequency, double recency, double t)
{
	check_frequency(frequency);
	socroi_check_finite(recency, "recency");
	socroi_check_finite(t, "t");
	if (recency < 0.0 || recency > t)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("recency must be between 0 and t, got recency %g and t %g",
						recency, t),
				 errhint("recency is last minus first purchase time, t is the end of observation minus the first purchase.")));
	if (frequency == 0.0 && recency != 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("recency must be 0 when frequency is 0, got %g", recency)));
}

/* ---------- state I/O (shared by both pattern types) ---------- */

static void
pattern_write(StateWriter *w, PatternState *state)
{
	int			width = slot_width(state->nkeys);
	int			n,
				i,
				k;
	double	   *rows = pattern_sorted(state, &n);

	state_write_int64(w, n);
	state_write_mark(w, '[');
	for (i = 0; i < n; i++)
		for (k = 0; k < width; k++)
			state_write_float8(w, rows[(Size) i * width + k]);
	state_write_mark(w, ']');
}

static PatternState *
pattern_read(StateReader *r, int nkeys)
{
	int			width = slot_width(nkeys);
	int			n,
				i,
				capacity = PATTERN_MIN_CAPACITY;
	PatternState *state;

	n = state_read_count(r, "patterns", PATTERN_MAX_CAPACITY / 2,
						 width * (r->binary ? 8 : 2));
	while (capacity < 2 * n)
		capacity *= 2;
	state = pattern_new(nkeys, capacity);
	state_read_mark(r, '[');
	for (i = 0; i < n; i++)
	{
		double		keys[PATTERN_MAX_KEYS + 1];
		int			k;

		/* + 0.0 folds -0 into 0, as the transition function does */
		for (k = 0; k < nkeys; k++)
			keys[k] = state_read_float8_finite(r, "pattern") + 0.0;
		keys[nkeys] = state_read_float8_nonneg(r, "customers");
		if (!(keys[nkeys] > 0.0))
			state_invalid(r, "a pattern must stand for a positive number of customers");
		if (keys[0] < 0.0 || keys[0] != floor(keys[0]))
			state_invalid(r, "frequency must be a whole number >= 0");
		if (nkeys == 3)
		{
			if (keys[1] < 0.0 || keys[1] > keys[2] || (keys[0] == 0.0 && keys[1] != 0.0))
				state_invalid(r, "recency must be in [0, t], and 0 when frequency is 0");
		}
		else if (!(keys[0] > 0.0 && keys[1] > 0.0))
			state_invalid(r, "Gamma-Gamma patterns need frequency > 0 and a positive monetary value");
		if (pattern_contains(state, keys))
			state_invalid(r, "duplicate pattern");
		pattern_add(state, keys, keys[nkeys]);
	}
	state_read_mark(r, ']');
	state_read_end(r);
	return state;
}

SOCROI_STATE_IO_FUNCTIONS(bgnbd_state, "bgnbd_fit_state", BGNBD_TAG, PATTERN_VERSION,
						  pattern_write(w, pattern_arg(fcinfo, 0, 3)),
						  pattern_read(r, 3));

SOCROI_STATE_IO_FUNCTIONS(gamma_gamma_state, "gamma_gamma_fit_state", GAMMA_GAMMA_TAG, PATTERN_VERSION,
						  pattern_write(w, pattern_arg(fcinfo, 0, 2)),
						  pattern_read(r, 2));

/* ---------- transition functions ---------- */

/* add one row's pattern to the state in argument 0 (NULL: a new state) */
static Datum
pattern_step(FunctionCallInfo fcinfo, int nkeys, const double *keys, double weight)
{
	PatternState *state;

	if (PG_ARGISNULL(0))
		state = pattern_new(nkeys, PATTERN_MIN_CAPACITY);
	else
		state = pattern_make_room(pattern_arg(fcinfo, 0, nkeys), 1,
								  !socroi_in_aggregate(fcinfo));
	if (weight > 0.0)
		pattern_add(state, keys, weight);
	PG_RETURN_POINTER(state);
}

static Datum
bgnbd_step(FunctionCallInfo fcinfo, double weight)
{
	double		keys[3];

	keys[0] = PG_GETARG_FLOAT8(1);
	keys[1] = PG_GETARG_FLOAT8(2);
	keys[2] = PG_GETARG_FLOAT8(3);
	check_summary(keys[0], keys[1], keys[2]);
	/* one bit pattern per value, so equal values hash alike */
	keys[0] += 0.0;
	keys[1] += 0.0;
	keys[2] += 0.0;
	return pattern_step(fcinfo, 3, keys, weight);
}

Datum
socroi_bgnbd_fit_trans(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	return bgnbd_step(fcinfo, 1.0);
}

Datum
socroi_bgnbd_fit_trans_weighted(PG_FUNCTION_ARGS)
{
	double		customers;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) || PG_ARGISNULL(4))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	customers = PG_GETARG_FLOAT8(4);
	socroi_check_nonnegative(customers, "customers");
	return bgnbd_step(fcinfo, customers);
}

Datum
socroi_gamma_gamma_fit_trans(PG_FUNCTION_ARGS)
{
	double		keys[2];

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	keys[0] = PG_GETARG_FLOAT8(1);
	keys[1] = PG_GETARG_FLOAT8(2);
	check_frequency(keys[0]);
	socroi_check_finite(keys[1], "monetary_value");
	if (keys[0] > 0.0 && !(keys[1] > 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("monetary_value must be positive for a repeat customer, got %g", keys[1]),
				 errhint("Gamma-Gamma models positive spend; leave out customers whose repeat purchases were free.")));
	/* one-time buyers carry no information on spend per purchase */
	return pattern_step(fcinfo, 2, keys, keys[0] > 0.0 ? 1.0 : 0.0);
}

/* ====================================================================== */
/* maximum likelihood by BFGS                                             */
/* ====================================================================== */

#define FIT_MAX_PARAMS		4
#define FIT_MAX_ITERATIONS	1000
#define FIT_GRADIENT_TOL	1e-9
#define FIT_LOOSE_TOL		1e-6
#define FIT_MAX_STEP		2.0		/* in log-parameter units */
/*
 * Distances in log-parameter units from the start, which carries the scale
 * of the data (alpha and v have units of time and money), so the verdicts
 * do not depend on the unit the data is in.
 */
#define FIT_MAX_LOG_PARAM	25.0	/* beyond this from the start: diverging */
#define FIT_BOUNDARY_LOG_PARAM 16.0 /* an optimum beyond e^+-16 is a boundary one */

/* objective: minus the mean log-likelihood per customer, and its gradient */
typedef double (*FitObjective) (const double *theta, double *gradient, void *data);

typedef enum FitResult
{
	FIT_CONVERGED,
	FIT_DIVERGED,
	FIT_STALLED
} FitResult;

static double
max_abs(const double *v, int n)
{
	double		m = 0.0;
	int			i;

	for (i = 0; i < n; i++)
	{
		if (isnan(v[i]))
			return INFINITY;	/* never "converged" on a NaN gradient */
		m = fmax(m, fabs(v[i]));
	}
	return m;
}

/* max |a_i - b_i|, infinite on a NaN */
static double
max_abs_diff(const double *a, const double *b, int n)
{
	double		m = 0.0;
	int			i;

	for (i = 0; i < n; i++)
	{
		if (isnan(a[i]) || isnan(b[i]))
			return INFINITY;
		m = fmax(m, fabs(a[i] - b[i]));
	}
	return m;
}

/*
 * Minimise f over theta (n <= 4) with BFGS on the inverse Hessian
 * (Nocedal & Wright 2006, algorithm 6.1), backtracking line search with the
 * Armijo condition, the first step scaled by s'y / y'y (ibid. 6.20).
 */
static FitResult
bfgs_minimize(FitObjective objective, void *data, int n, double *theta,
			  double *f_out, int *iterations)
{
	double		h[FIT_MAX_PARAMS][FIT_MAX_PARAMS];
	double		g[FIT_MAX_PARAMS],
				g_new[FIT_MAX_PARAMS],
				p[FIT_MAX_PARAMS],
				s[FIT_MAX_PARAMS],
				y[FIT_MAX_PARAMS],
				theta_new[FIT_MAX_PARAMS],
				theta_start[FIT_MAX_PARAMS];
	double		f,
				f_new = 0.0;
	bool		scaled = false;
	int			iter,
				i,
				j;

	memcpy(theta_start, theta, n * sizeof(double));

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			h[i][j] = (i == j) ? 1.0 : 0.0;
	f = objective(theta, g, data);
	if (!isfinite(f))
		return FIT_STALLED;
	for (iter = 0; iter < FIT_MAX_ITERATIONS; iter++)
	{
		double		slope = 0.0,
					step_len,
					step = 1.0,
					sy = 0.0,
					yy = 0.0;
		bool		accepted = false;

		CHECK_FOR_INTERRUPTS();
		*iterations = iter;
		if (max_abs(g, n) < FIT_GRADIENT_TOL)
		{
			*f_out = f;
			return FIT_CONVERGED;
		}
		for (i = 0; i < n; i++)
		{
			p[i] = 0.0;
			for (j = 0; j < n; j++)
				p[i] -= h[i][j] * g[j];
			slope += p[i] * g[i];
		}
		if (!(slope < 0.0))
		{
			/* not a descent direction: restart from steepest descent */
			for (i = 0; i < n; i++)
			{
				for (j = 0; j < n; j++)
					h[i][j] = (i == j) ? 1.0 : 0.0;
				p[i] = -g[i];
			}
			slope = 0.0;
			for (i = 0; i < n; i++)
				slope -= g[i] * g[i];
			scaled = false;
		}
		step_len = max_abs(p, n);
		if (step_len > FIT_MAX_STEP)
			step = FIT_MAX_STEP / step_len;
		while (step * step_len > 1e-16)
		{
			CHECK_FOR_INTERRUPTS();
			for (i = 0; i < n; i++)
				theta_new[i] = theta[i] + step * p[i];
			f_new = objective(theta_new, g_new, data);
			if (isfinite(f_new) && f_new <= f + 1e-4 * step * slope)
			{
				accepted = true;
				break;
			}
			step *= 0.5;
		}
		if (!accepted)
		{
			*f_out = f;
			return max_abs(g, n) < FIT_LOOSE_TOL ? FIT_CONVERGED : FIT_STALLED;
		}
		for (i = 0; i < n; i++)
		{
			s[i] = theta_new[i] - theta[i];
			y[i] = g_new[i] - g[i];
			sy += s[i] * y[i];
			yy += y[i] * y[i];
		}
		if (sy > 1e-12 * sqrt(yy) * max_abs(s, n))
		{
			double		rho = 1.0 / sy;
			double		hy[FIT_MAX_PARAMS];
			double		yhy = 0.0;

			if (!scaled)
			{
				for (i = 0; i < n; i++)
					for (j = 0; j < n; j++)
						h[i][j] = (i == j) ? sy / yy : 0.0;
				scaled = true;
			}
			for (i = 0; i < n; i++)
			{
				hy[i] = 0.0;
				for (j = 0; j < n; j++)
					hy[i] += h[i][j] * y[j];
				yhy += y[i] * hy[i];
			}
			/* H += (1 + rho y'Hy) rho s s' - rho (Hy s' + s y'H) */
			for (i = 0; i < n; i++)
				for (j = 0; j < n; j++)
					h[i][j] += (1.0 + rho * yhy) * rho * s[i] * s[j]
						- rho * (hy[i] * s[j] + s[i] * hy[j]);
		}
		for (i = 0; i < n; i++)
		{
			theta[i] = theta_new[i];
			g[i] = g_new[i];
			if (fabs(theta[i] - theta_start[i]) > FIT_MAX_LOG_PARAM)
			{
				*f_out = f_new;
				return FIT_DIVERGED;
			}
		}
		f = f_new;
	}
	*f_out = f;
	return max_abs(g, n) < FIT_LOOSE_TOL ? FIT_CONVERGED : FIT_STALLED;
}

/* groups of patterns sharing the frequency x (patterns are sorted by x) */
typedef struct FitData
{
	int			npatterns;
	int			width;			/* doubles per pattern row */
	const double *rows;
	int			ngroups;
	int		   *group_start;	/* ngroups + 1 entries */
	double	   *log_m;			/* Gamma-Gamma: log of the mean spend */
	double		total_weight;
} FitData;

static void
fit_data_init(FitData *data, const double *rows, int npatterns, int width)
{
	int			i;

	data->rows = rows;
	data->npatterns = npatterns;
	data->width = width;
	data->group_start = palloc((npatterns + 1) * sizeof(int));
	data->ngroups = 0;
	data->total_weight = 0.0;
	data->log_m = NULL;
	for (i = 0; i < npatterns; i++)
	{
		if (i == 0 || rows[(Size) i * width] != rows[(Size) (i - 1) * width])
			data->group_start[data->ngroups++] = i;
		data->total_weight += rows[(Size) i * width + width - 1];
	}
	data->group_start[data->ngroups] = npatterns;
	if (isinf(data->total_weight))
		weights_out_of_range();
}

/* ---------- BG/NBD ---------- */

/*
 * Individual log-likelihood (Fader, Hardie & Lee 2005, eq. 6), with
 * A1 = ln Gamma(r+x) - ln Gamma(r) + r ln alpha, A2 = ln B(a, b+x) - ln B(a, b),
 * A3 = -(r+x) ln(alpha+T), A4 = ln a - ln(b+x-1) - (r+x) ln(alpha+t_x):
 *     LL = A1 + A2 + ln(e^A3 + [x > 0] e^A4).
 * Gradient from the digamma function; derivatives are taken with respect
 * to the log-parameters (chain rule: d/d ln r = r d/dr).
 */
static double
bgnbd_objective(const double *theta, double *gradient, void *arg)
{
	FitData    *data = arg;
	double		r = exp(theta[0]),
				alpha = exp(theta[1]),
				a = exp(theta[2]),
				b = exp(theta[3]);
	double		ln_alpha = theta[1];
	double		lbeta_ab = stats_lbeta(a, b);
	double		lgamma_r = lgamma(r);
	double		psi_r = stats_digamma(r),
				psi_b = stats_digamma(b),
				psi_ab = stats_digamma(a + b);
	double		ll = 0.0,
				g_r = 0.0,
				g_alpha = 0.0,
				g_a = 0.0,
				g_b = 0.0;
	int			grp,
				i;

	for (grp = 0; grp < data->ngroups; grp++)
	{
		int			first = data->group_start[grp];
		int			last = data->group_start[grp + 1];
		double		x = data->rows[(Size) first * 4];
		double		rx = r + x;
		double		a12 = lgamma(rx) - lgamma_r + r * ln_alpha +
			stats_lbeta(a, b + x) - lbeta_ab;
		double		d1_r = stats_digamma(rx) - psi_r + ln_alpha;
		double		psi_abx = stats_digamma(a + b + x);
		double		d2_a = psi_ab - psi_abx;
		double		d2_b = stats_digamma(b + x) - psi_b + psi_ab - psi_abx;
		double		c4 = x > 0.0 ? log(a) - log(b + x - 1.0) : 0.0;
		double		sum_w = 0.0,
					sum_wll = 0.0,
					sum_r = 0.0,
					sum_alpha = 0.0,
					sum_e = 0.0,
					sum_eb = 0.0;

		for (i = first; i < last; i++)
		{
			const double *row = data->rows + (Size) i * 4;
			double		tx = row[1],
						T = row[2],
						w = row[3];
			double		ln_T = log(alpha + T);
			double		a3 = -rx * ln_T;
			double		lse,
						dead,
						alive;
			double		ln_tx = 0.0;

			if (x > 0.0)
			{
				double		a4,
							e;

				ln_tx = log(alpha + tx);
				a4 = c4 - rx * ln_tx;
				/* log(e^a3 + e^a4) and the two shares, without overflow */
				if (a3 >= a4)
				{
					e = exp(a4 - a3);
					lse = a3 + log1p(e);
					alive = 1.0 / (1.0 + e);
					dead = e / (1.0 + e);
				}
				else
				{
					e = exp(a3 - a4);
					lse = a4 + log1p(e);
					alive = e / (1.0 + e);
					dead = 1.0 / (1.0 + e);
				}
			}
			else
			{
				lse = a3;
				alive = 1.0;
				dead = 0.0;
			}
			sum_w += w;
			sum_wll += w * lse;
			sum_r -= w * (alive * ln_T + dead * ln_tx);
			sum_alpha -= w * rx * (alive / (alpha + T) + dead / (alpha + tx));
			sum_e += w * dead;
		}
		sum_eb = sum_e;
		ll += sum_w * a12 + sum_wll;
		g_r += sum_w * d1_r + sum_r;
		g_alpha += sum_w * r / alpha + sum_alpha;
		g_a += sum_w * d2_a + sum_e / a;
		if (x > 0.0)
			g_b += sum_w * d2_b - sum_eb / (b + x - 1.0);
		else
			g_b += sum_w * d2_b;
	}
	gradient[0] = -r * g_r / data->total_weight;
	gradient[1] = -alpha * g_alpha / data->total_weight;
	gradient[2] = -a * g_a / data->total_weight;
	gradient[3] = -b * g_b / data->total_weight;
	return -ll / data->total_weight;
}

enum
{
	BG_R,
	BG_ALPHA,
	BG_A,
	BG_B,
	BG_LL,
	BG_CUSTOMERS,
	BG_NATTS
};

static Datum
form_model(FunctionCallInfo fcinfo, const double *values_in, int natts,
		   const char *type_name)
{
	TupleDesc	tupdesc;
	Datum		values[BG_NATTS];
	bool		nulls[BG_NATTS] = {0};
	int			i;

	tupdesc = socroi_result_tupdesc(fcinfo, natts, type_name);
	for (i = 0; i < natts; i++)
		values[i] = Float8GetDatum(values_in[i]);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

static void
fit_failed(const char *model, FitResult result, const double *theta,
		   const char *const *names, int n)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < n; i++)
		appendStringInfo(&buf, "%s%s = %g", i ? ", " : "", names[i], exp(theta[i]));
	if (result == FIT_DIVERGED)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the data cannot identify the model (a parameter runs off to 0 or infinity)",
						model),
				 errdetail("Last estimate: %s.", buf.data),
				 errhint("Fit on more customers with a longer observation period and some repeat purchases.")));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: maximum likelihood did not converge", model),
			 errdetail("Last estimate: %s.", buf.data)));
}

Datum
socroi_bgnbd_fit_final(PG_FUNCTION_ARGS)
{
	static const char *const names[] = {"r", "alpha", "a", "b"};
	PatternState *state;
	FitData		data;
	double	   *rows;
	double		theta[4],
				start[4],
				result[BG_NATTS],
				f,
				sum_wx = 0.0,
				sum_wt = 0.0;
	int			n,
				i,
				iterations = 0;
	FitResult	status;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = pattern_arg(fcinfo, 0, 3);
	rows = pattern_sorted(state, &n);
	if (n == 0)
		PG_RETURN_NULL();
	fit_data_init(&data, rows, n, 4);
	for (i = 0; i < n; i++)
	{
		sum_wx += rows[i * 4] * rows[i * 4 + 3];
		sum_wt += rows[i * 4 + 2] * rows[i * 4 + 3];
	}
	if (isinf(sum_wx) || isinf(sum_wt))
		weights_out_of_range();
	if (sum_wx == 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bgnbd_fit: no customer made a repeat purchase, so the model cannot be identified")));
	if (n < 3)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bgnbd_fit: %d distinct (frequency, recency, t) patterns cannot identify four parameters",
						n),
				 errhint("Fit on at least a few dozen customers with different histories.")));

	/*
	 * deterministic start: r = a = b = 1, alpha from the mean purchase rate
	 * (a ratio, so independent of the scale of the weights)
	 */
	theta[0] = 0.0;
	theta[1] = sum_wt > 0.0 ? log(sum_wt / sum_wx) : 0.0;
	theta[2] = 0.0;
	theta[3] = 0.0;
	memcpy(start, theta, sizeof(start));
	status = bfgs_minimize(bgnbd_objective, &data, 4, theta, &f, &iterations);
	if (status == FIT_CONVERGED &&
		max_abs_diff(theta, start, 4) > FIT_BOUNDARY_LOG_PARAM)
		status = FIT_DIVERGED;
	if (status != FIT_CONVERGED)
		fit_failed("bgnbd_fit", status, theta, names, 4);
	for (i = 0; i < 4; i++)
		result[i] = exp(theta[i]);
	result[BG_LL] = -f * data.total_weight;
	result[BG_CUSTOMERS] = data.total_weight;
	return form_model(fcinfo, result, BG_NATTS, "bgnbd_model");
}

/* ---------- Gamma-Gamma ---------- */

/*
 * Individual log-likelihood of a repeat customer with x repeat purchases of
 * mean m (Fader, Hardie & Lee 2005, "RFM and CLV", eq. 3 marginalised as in
 * lifetimes' GammaGammaFitter):
 *   ln Gamma(px+q) - ln Gamma(px) - ln Gamma(q) + q ln v + (px-1) ln m
 *   + px ln x - (px+q) ln(v + m x)
 */
static double
gamma_gamma_objective(const double *theta, double *gradient, void *arg)
{
	FitData    *data = arg;
	double		p = exp(theta[0]),
				q = exp(theta[1]),
				v = exp(theta[2]);
	double		ln_v = theta[2];
	double		lgamma_q = lgamma(q);
	double		psi_q = stats_digamma(q);
	double		ll = 0.0,
				g_p = 0.0,
				g_q = 0.0,
				g_v = 0.0;
	int			grp,
				i;

	for (grp = 0; grp < data->ngroups; grp++)
	{
		int			first = data->group_start[grp];
		int			last = data->group_start[grp + 1];
		double		x = data->rows[(Size) first * 3];
		double		px = p * x;
		double		ln_x = log(x);
		double		base = lgamma(px + q) - lgamma(px) - lgamma_q + q * ln_v + px * ln_x;
		double		psi_pxq = stats_digamma(px + q);
		double		d_p = psi_pxq - stats_digamma(px) + ln_x;
		double		d_q = psi_pxq - psi_q + ln_v;

		for (i = first; i < last; i++)
		{
			double		m = data->rows[(Size) i * 3 + 1];
			double		w = data->rows[(Size) i * 3 + 2];
			double		ln_m = data->log_m[i];
			double		ln_vm = log(v + m * x);

			ll += w * (base + (px - 1.0) * ln_m - (px + q) * ln_vm);
			g_p += w * x * (d_p + ln_m - ln_vm);
			g_q += w * (d_q - ln_vm);
			g_v += w * (q / v - (px + q) / (v + m * x));
		}
	}
	gradient[0] = -p * g_p / data->total_weight;
	gradient[1] = -q * g_q / data->total_weight;
	gradient[2] = -v * g_v / data->total_weight;
	return -ll / data->total_weight;
}

enum
{
	GG_P,
	GG_Q,
	GG_V,
	GG_LL,
	GG_CUSTOMERS,
	GG_NATTS
};

Datum
socroi_gamma_gamma_fit_final(PG_FUNCTION_ARGS)
{
	static const char *const names[] = {"p", "q", "v"};
	PatternState *state;
	FitData		data;
	double	   *rows;
	double		theta[3],
				start[3],
				result[GG_NATTS],
				f,
				sum_wm = 0.0;
	int			n,
				i,
				iterations = 0;
	FitResult	status;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = pattern_arg(fcinfo, 0, 2);
	rows = pattern_sorted(state, &n);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("gamma_gamma_fit: no repeat customers (frequency > 0), so spend per purchase cannot be modelled")));
	if (n < 3)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("gamma_gamma_fit: %d distinct (frequency, monetary_value) patterns cannot identify three parameters",
						n)));
	fit_data_init(&data, rows, n, 3);
	data.log_m = palloc(n * sizeof(double));
	for (i = 0; i < n; i++)
	{
		data.log_m[i] = log(rows[i * 3 + 1]);
		sum_wm += rows[i * 3 + 1] * rows[i * 3 + 2];
	}
	if (isinf(sum_wm))
		weights_out_of_range();
	/* deterministic start: p = 1, q = 2, v = the mean spend (so E[M] = mean) */
	theta[0] = 0.0;
	theta[1] = log(2.0);
	theta[2] = log(sum_wm / data.total_weight);
	memcpy(start, theta, sizeof(start));
	status = bfgs_minimize(gamma_gamma_objective, &data, 3, theta, &f, &iterations);
	if (status == FIT_CONVERGED &&
		max_abs_diff(theta, start, 3) > FIT_BOUNDARY_LOG_PARAM)
		status = FIT_DIVERGED;
	if (status != FIT_CONVERGED)
		fit_failed("gamma_gamma_fit", status, theta, names, 3);
	for (i = 0; i < 3; i++)
		result[i] = exp(theta[i]);
	if (!(result[GG_Q] > 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("gamma_gamma_fit: the fitted q = %g is not above 1, so the mean spend per purchase does not exist",
						result[GG_Q]),
				 errhint("Spend is too heavy-tailed for the Gamma-Gamma model; cap outliers or fit on more customers.")));
	result[GG_LL] = -f * data.total_weight;
	result[GG_CUSTOMERS] = data.total_weight;
	return form_model(fcinfo, result, GG_NATTS, "gamma_gamma_model");
}

/* ====================================================================== */
/* predictions                                                            */
/* ====================================================================== */

typedef struct BgnbdParams
{
	double		r,
				alpha,
				a,
				b;
} BgnbdParams;

typedef struct GammaGammaParams
{
	double		p,
				q,
				v;
} GammaGammaParams;

/* a model argument's parameters, cached by the composite's bytes */
typedef struct ModelCache
{
	Size		len;
	double		params[4];
	char		bytes[FLEXIBLE_ARRAY_MEMBER];
} ModelCache;

static void
read_model(FunctionCallInfo fcinfo, int argno, int slot, const char *type_name,
		   const char *const *fields, int nfields, double *params)
{
	HeapTupleHeader tuple = PG_GETARG_HEAPTUPLEHEADER(argno);
	Size		len = HeapTupleHeaderGetDatumLength(tuple);
	ModelCache **cache = (ModelCache **) fcinfo->flinfo->fn_extra;
	int			i;

	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, 2 * sizeof(ModelCache *));
		fcinfo->flinfo->fn_extra = cache;
	}
	if (cache[slot] && cache[slot]->len == len &&
		memcmp(cache[slot]->bytes, tuple, len) == 0)
	{
		memcpy(params, cache[slot]->params, nfields * sizeof(double));
		return;
	}
	for (i = 0; i < nfields; i++)
	{
		bool		isnull;
		Datum		d = GetAttributeByNum(tuple, i + 1, &isnull);
		double		value;

		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s field %s must not be NULL", type_name, fields[i])));
		value = DatumGetFloat8(d);
		if (!isfinite(value) || !(value > 0.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s field %s must be a positive finite number, got %g",
							type_name, fields[i], value)));
		params[i] = value;
	}
	if (cache[slot])
		pfree(cache[slot]);
	cache[slot] = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt,
									 offsetof(ModelCache, bytes) + len);
	cache[slot]->len = len;
	memcpy(cache[slot]->params, params, nfields * sizeof(double));
	memcpy(cache[slot]->bytes, tuple, len);
}

static void
read_bgnbd(FunctionCallInfo fcinfo, int argno, BgnbdParams *m)
{
	static const char *const fields[] = {"r", "alpha", "a", "b"};
	double		params[4];

	read_model(fcinfo, argno, 0, "bgnbd_model", fields, 4, params);
	m->r = params[0];
	m->alpha = params[1];
	m->a = params[2];
	m->b = params[3];
}

static void
read_gamma_gamma(FunctionCallInfo fcinfo, int argno, GammaGammaParams *m)
{
	static const char *const fields[] = {"p", "q", "v"};
	double		params[4];

	read_model(fcinfo, argno, 1, "gamma_gamma_model", fields, 3, params);
	m->p = params[0];
	m->q = params[1];
	m->v = params[2];
}

static void
check_horizon(double horizon)
{
	socroi_check_nonnegative(horizon, "horizon");
}

/* cap on the terms of the hypergeometric series (z close to 1 needs more) */
#define BGNBD_MAX_TERMS 20000000L

/*
 * E[Y(t) | alive, x, T]: expected purchases in (T, T + t] of a customer who
 * is still active.  Fader, Hardie & Lee (2005, eq. 10) give
 *   (a+b+x-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x)
 *                        2F1(r+x, b+x; a+b+x-1; z)],   z = t / (alpha+T+t).
 * Euler's transformation (A&S 15.3.3) turns (1-z)^(r+x) 2F1(...) into
 * (1-z)^(a-1) 2F1(a+b-1-r, a-1; c; z) with c = a+b+x-1, and splitting off
 * the series' first term, (c)_n+1 = c (c+1)_n, cancels both c and a-1:
 *   E = c ln(1/(1-z)) phi(u) - (1-z)^(a-1) (a+b-1-r) z G,
 *   G = sum_n (a+b-r)_n (a)_n / ((a+b+x)_n (2)_n) z^n,
 *   u = (a-1) ln(1-z), phi(u) = (e^u - 1)/u.
 * This form has no singularity at a = 1 or c = 0, its series converges for
 * every z < 1, and its terms shrink faster the larger x is.
 */
static double
bgnbd_expected_if_alive(const BgnbdParams *m, double t, double x, double T)
{
	double		ln_1mz,
				z,
				c,
				u,
				phi,
				log_g;
	int			sign;

	if (t == 0.0)
		return 0.0;
	ln_1mz = -log1p(t / (m->alpha + T));
	z = t / (m->alpha + T + t);
	c = m->a + m->b + x - 1.0;
	u = (m->a - 1.0) * ln_1mz;
	phi = (u == 0.0) ? 1.0 : expm1(u) / u;
	log_g = stats_hyper_series_log(m->a + m->b - m->r, m->a, m->a + m->b + x, 2.0,
								   z, BGNBD_MAX_TERMS, &sign);
	if (isnan(log_g))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("horizon %g is too long for this model: the series does not converge within %ld terms",
						t, BGNBD_MAX_TERMS),
				 errhint("Use a horizon of at most a few thousand times alpha + t.")));
	return -c * ln_1mz * phi
		- sign * exp((m->a - 1.0) * ln_1mz + log_g) * (m->a + m->b - 1.0 - m->r) * z;
}

/* P(alive | x, t_x, T) (Fader, Hardie & Lee 2005, note on eq. 10) */
static double
bgnbd_alive(const BgnbdParams *m, double x, double tx, double T)
{
	double		log_odds_dead;

	if (x == 0.0)
		return 1.0;
	/* a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x) */
	log_odds_dead = log(m->a) - log(m->b + x - 1.0) +
		(m->r + x) * log1p((T - tx) / (m->alpha + tx));
	return 1.0 / (1.0 + exp(log_odds_dead));
}

Datum
socroi_bgnbd_expected_purchases(PG_FUNCTION_ARGS)
{
	BgnbdParams m;
	double		horizon = PG_GETARG_FLOAT8(1);

	read_bgnbd(fcinfo, 0, &m);
	check_horizon(horizon);
	/* a new customer: x = 0, T = 0 (eq. 9 is eq. 10 at x = t_x = T = 0) */
	PG_RETURN_FLOAT8(bgnbd_expected_if_alive(&m, horizon, 0.0, 0.0));
}

Datum
socroi_bgnbd_conditional_purchases(PG_FUNCTION_ARGS)
{
	BgnbdParams m;
	double		horizon = PG_GETARG_FLOAT8(1);
	double		x = PG_GETARG_FLOAT8(2);
	double		tx = PG_GETARG_FLOAT8(3);
	double		T = PG_GETARG_FLOAT8(4);

	read_bgnbd(fcinfo, 0, &m);
	check_horizon(horizon);
	check_summary(x, tx, T);
	PG_RETURN_FLOAT8(bgnbd_alive(&m, x, tx, T) *
					 bgnbd_expected_if_alive(&m, horizon, x, T));
}

Datum
socroi_bgnbd_p_alive(PG_FUNCTION_ARGS)
{
	BgnbdParams m;
	double		x = PG_GETARG_FLOAT8(1);
	double		tx = PG_GETARG_FLOAT8(2);
	double		T = PG_GETARG_FLOAT8(3);

	read_bgnbd(fcinfo, 0, &m);
	check_summary(x, tx, T);
	PG_RETURN_FLOAT8(bgnbd_alive(&m, x, tx, T));
}

/* E[M | x, m] = p (v + x m) / (p x + q - 1) ("RFM and CLV", eq. 5) */
static double
gamma_gamma_spend(const GammaGammaParams *g,
				  double x, double mean_spend)
{
	check_frequency(x);
	socroi_check_nonnegative(mean_spend, "monetary_value");
	if (x == 0.0)
		mean_spend = 0.0;		/* one-time buyers: the population mean */
	if (!(g->p * x + g->q - 1.0 > 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("gamma_gamma_model q must be above 1 for the mean spend of a new customer, got %g",
						g->q)));
	return g->p * (g->v + x * mean_spend) / (g->p * x + g->q - 1.0);
}

/* 22003 like float8 arithmetic when a prediction overflows */
static void
check_result_finite(double value, const char *function)
{
	if (!isfinite(value))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s: value out of range: overflow", function)));
}

Datum
socroi_gamma_gamma_expected_spend(PG_FUNCTION_ARGS)
{
	GammaGammaParams g;

	double		spend;

	read_gamma_gamma(fcinfo, 0, &g);
	spend = gamma_gamma_spend(&g, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2));
	check_result_finite(spend, "gamma_gamma_expected_spend");
	PG_RETURN_FLOAT8(spend);
}

/* a century of months: beyond any sensible CLV horizon */
#define PREDICTED_CLV_MAX_MONTHS 1200

/*
 * sum_{k=1..months} E[M] (E[Y(k u)] - E[Y((k-1) u)]) / (1+d)^k, the
 * discounted monthly sum of lifetimes' customer_lifetime_value with the
 * units per month u explicit.
 */
Datum
socroi_predicted_clv(PG_FUNCTION_ARGS)
{
	BgnbdParams m;
	GammaGammaParams g;
	double		x = PG_GETARG_FLOAT8(2);
	double		tx = PG_GETARG_FLOAT8(3);
	double		T = PG_GETARG_FLOAT8(4);
	double		mean_spend = PG_GETARG_FLOAT8(5);
	int32		months = PG_GETARG_INT32(6);
	double		discount = PG_GETARG_FLOAT8(7);
	double		units_per_month = PG_GETARG_FLOAT8(8);
	double		spend,
				alive,
				previous = 0.0,
				factor = 1.0,
				total = 0.0;
	int			k;

	read_bgnbd(fcinfo, 0, &m);
	read_gamma_gamma(fcinfo, 1, &g);
	check_summary(x, tx, T);
	if (months < 0 || months > PREDICTED_CLV_MAX_MONTHS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("months must be between 0 and %d, got %d",
						PREDICTED_CLV_MAX_MONTHS, months),
				 errhint("CLV horizons are counted in months; %d is a century.",
						 PREDICTED_CLV_MAX_MONTHS)));
	socroi_check_discount_rate(discount, "monthly_discount", "0.01 for 1 % a month");
	socroi_check_finite(units_per_month, "units_per_month");
	if (!(units_per_month > 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("units_per_month must be positive, got %g", units_per_month),
				 errhint("30 for daily summaries, 4.345 for weekly ones.")));
	spend = gamma_gamma_spend(&g, x, mean_spend);
	alive = bgnbd_alive(&m, x, tx, T);
	for (k = 1; k <= months; k++)
	{
		double		expected;

		/* each month may sum a long series (bgnbd_expected_if_alive) */
		CHECK_FOR_INTERRUPTS();
		expected = alive * bgnbd_expected_if_alive(&m, k * units_per_month, x, T);

		factor /= 1.0 + discount;
		total += spend * (expected - previous) * factor;
		previous = expected;
	}
	check_result_finite(total, "predicted_clv");
	PG_RETURN_FLOAT8(total);
}
