/*
 * clv_patterns.c
 *		The aggregate state of the CLV model fits: customers collapsed into
 *		distinct patterns -- (x, t_x, T) for BG/NBD, (x, m) for Gamma-Gamma --
 *		with their total weight, in a flat open-addressing hash table
 *		(common/flat_hash).
 *
 * Customers with the same pattern contribute the same likelihood term, so
 * the state grows with distinct patterns, never with rows: a million
 * customers usually collapse to a few hundred thousand patterns or fewer.
 * The table is a flat varlena (no pointers) that the transition function
 * grows geometrically (a rehashed copy, as nodeAgg expects), the combine
 * function merges, and the text and binary forms write as the sorted list
 * of patterns, so equal states have equal bytes on every node.  The input
 * functions validate every pattern (ranges, positive weights, no
 * duplicates).
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "common/common.h"
#include "common/flat_hash.h"
#include "common/state_io.h"
#include "clv/clv_patterns.h"

PG_FUNCTION_INFO_V1(socroi_bgnbd_fit_trans);
PG_FUNCTION_INFO_V1(socroi_bgnbd_fit_trans_weighted);
PG_FUNCTION_INFO_V1(socroi_pattern_combine);
PG_FUNCTION_INFO_V1(socroi_gamma_gamma_fit_trans);
PG_FUNCTION_INFO_V1(socroi_bgbb_fit_trans);
PG_FUNCTION_INFO_V1(socroi_sbg_fit_trans);
PG_FUNCTION_INFO_V1(socroi_rfm_compare_trans);
PG_FUNCTION_INFO_V1(socroi_sbg_compare_trans);

#define PATTERN_VERSION 2		/* 1: socroi 0.2 (BG/NBD and Gamma-Gamma only) */

/* weights are finite and > 0, so only their sums can overflow */
void
clv_weights_out_of_range(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("customer weights add up beyond the range of float8")));
}

/*
 * Open addressing with linear probing; a slot is nkeys doubles followed by
 * the weight (0 marks an empty slot: weights are positive).  The load factor
 * stays at or below 1/2.  The settings (penalizer, horizon) are the same on
 * every row of a group and in every partial state merged.
 */
struct PatternState
{
	int32		vl_len_;		/* varlena header: VARSIZE = capacity */
	int32		version;
	int32		kind;			/* PatternKind: what the keys are */
	int32		nkeys;			/* pattern_nkeys(kind) */
	int32		capacity;		/* slots, a power of two */
	int32		count;			/* occupied slots */
	double		penalizer;		/* L2 penalizer coefficient, >= 0 */
	double		horizon;		/* comparisons: horizon >= 0, or -1 (none) */
	double		slots[FLEXIBLE_ARRAY_MEMBER];
};

#define PATTERN_HEADER offsetof(PatternState, slots)
#define PATTERN_MIN_CAPACITY 16
#define PATTERN_MAX_CAPACITY (1 << 24)
#define NO_HORIZON (-1.0)

int
pattern_nkeys(PatternKind kind)
{
	switch (kind)
	{
		case PATTERN_SPEND:
		case PATTERN_SBG:
			return 2;
		case PATTERN_RFM:
		case PATTERN_BGBB:
		case PATTERN_SBG_GROUPS:
			return 3;
		case PATTERN_RFM_GROUPS:
			return 4;
		case PATTERN_ANY:
			break;
	}
	return 0;
}

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
pattern_new(PatternKind kind, int capacity, double penalizer, double horizon)
{
	int			nkeys = pattern_nkeys(kind);
	Size		size = PATTERN_HEADER + (Size) capacity * slot_width(nkeys) * sizeof(double);
	PatternState *state = state_alloc(size, PATTERN_VERSION);

	state->kind = kind;
	state->nkeys = nkeys;
	state->capacity = capacity;
	state->penalizer = penalizer;
	state->horizon = horizon;
	return state;
}

/*
 * The slots as a common/flat_hash table: the keys, then the weight (0 only
 * in an empty slot), hashed by hash_bytes of the keys
 */
static FlatHash
pattern_table(PatternState *state)
{
	FlatHash	t;

	t.slots = (char *) state->slots;
	t.capacity = (uint32) state->capacity;
	t.slot_size = slot_width(state->nkeys) * sizeof(double);
	t.key_size = state->nkeys * sizeof(double);
	t.hash = flat_hash_bytes;
	return t;
}

/* the slot holding the keys, or else the empty slot where they would go */
static double *
pattern_probe(PatternState *state, const double *keys)
{
	FlatHash	t = pattern_table(state);

	return (double *) flat_hash_lookup(&t, keys);
}

/* add weight to the pattern keys; the state must have room for one more */
static void
pattern_add(PatternState *state, const double *keys, double weight)
{
	int			nkeys = state->nkeys;
	double	   *slot = pattern_probe(state, keys);

	if (slot[nkeys] == 0.0)
	{
		memcpy(slot, keys, nkeys * sizeof(double));
		slot[nkeys] = weight;
		state->count++;
		return;
	}
	slot[nkeys] += weight;
	if (unlikely(isinf(slot[nkeys])))
		clv_weights_out_of_range();
}

/* does the table hold the keys already? (for input validation) */
static bool
pattern_contains(PatternState *state, const double *keys)
{
	return pattern_probe(state, keys)[state->nkeys] != 0.0;
}

/*
 * Return a state with room for `more` new patterns: the same one when it
 * has room (and may be modified), else a larger rehashed copy in the
 * current memory context (nodeAgg copies it and frees the old state).
 */
static PatternState *
pattern_make_room(PatternState *state, int more, bool copy)
{
	uint32		capacity;
	PatternState *grown;
	FlatHash	from,
				to;

	capacity = flat_hash_capacity((int64) state->count + more, (uint32) state->capacity,
								  PATTERN_MAX_CAPACITY, "customer patterns",
								  "Round recency and t to fewer decimals so that customers share patterns.");
	if (capacity == (uint32) state->capacity && !copy)
		return state;
	grown = pattern_new(state->kind, (int) capacity, state->penalizer, state->horizon);
	from = pattern_table(state);
	to = pattern_table(grown);
	flat_hash_rehash(&from, &to);
	grown->count = state->count;
	return grown;
}

/* the state types of a kind, for messages */
static const char *
pattern_type_name(PatternKind kind)
{
	switch (kind)
	{
		case PATTERN_RFM:
			return "bgnbd_fit_state, mbgnbd_fit_state or pareto_nbd_fit_state";
		case PATTERN_SPEND:
			return "gamma_gamma_fit_state";
		case PATTERN_BGBB:
			return "bgbb_fit_state";
		case PATTERN_SBG:
			return "sbg_fit_state";
		case PATTERN_RFM_GROUPS:
			return "bgnbd_compare_state or pareto_nbd_compare_state";
		case PATTERN_SBG_GROUPS:
			return "sbg_compare_state";
		case PATTERN_ANY:
			break;
	}
	return "CLV model fit state";
}

/*
 * Format version 1 (socroi 0.2: bgnbd_fit_state and gamma_gamma_fit_state)
 * had no kind, penalizer or horizon; its slots and hashing are the current
 * ones, so a stored state converts by copying its table.
 */
typedef struct PatternStateV1
{
	int32		vl_len_;
	int32		version;
	int32		nkeys;			/* 3: (x, t_x, T); 2: (x, m) */
	int32		capacity;
	int32		count;
	int32		padding;
	double		slots[FLEXIBLE_ARRAY_MEMBER];
} PatternStateV1;

#define PATTERN_HEADER_V1 offsetof(PatternStateV1, slots)

static StateHeader *
pattern_convert(const StateHeader *old_header, Size size)
{
	const PatternStateV1 *old = state_old_format(old_header, size, 1, PATTERN_HEADER_V1);
	PatternState *state;
	Size		table;

	if (old == NULL ||
		(old->nkeys != 2 && old->nkeys != 3) ||
		!flat_hash_shape_ok(old->capacity, old->count, PATTERN_MIN_CAPACITY,
							PATTERN_MAX_CAPACITY))
		return NULL;
	table = (Size) old->capacity * slot_width(old->nkeys) * sizeof(double);
	if (PATTERN_HEADER_V1 + table > size)
		return NULL;
	state = pattern_new(old->nkeys == 3 ? PATTERN_RFM : PATTERN_SPEND, old->capacity,
						0.0, NO_HORIZON);
	memcpy(state->slots, old->slots, table);
	state->count = old->count;
	return (StateHeader *) state;
}

/* the state in argument argno (a version 1 state converted), checked */
PatternState *
pattern_arg(FunctionCallInfo fcinfo, int argno, PatternKind kind)
{
	PatternState *state = state_arg_convert(fcinfo, argno, pattern_type_name(kind),
											PATTERN_VERSION, PATTERN_HEADER, 0,
											pattern_convert);

	if ((kind != PATTERN_ANY && state->kind != kind) ||
		pattern_nkeys(state->kind) == 0 || state->nkeys != pattern_nkeys(state->kind) ||
		!flat_hash_shape_ok(state->capacity, state->count, PATTERN_MIN_CAPACITY,
							PATTERN_MAX_CAPACITY) ||
		PATTERN_HEADER + (Size) state->capacity * slot_width(state->nkeys) * sizeof(double) >
		VARSIZE_ANY(state) ||
		!(state->penalizer >= 0.0) || isinf(state->penalizer) ||
		!(state->horizon >= 0.0 || state->horizon == NO_HORIZON) || isinf(state->horizon))
		state_corrupt(pattern_type_name(kind));
	return state;
}

int
pattern_count(const PatternState *state)
{
	return state->count;
}

double
pattern_penalizer(const PatternState *state)
{
	return state->penalizer;
}

double
pattern_horizon(const PatternState *state)
{
	return state->horizon < 0.0 ? -1.0 : state->horizon;
}

/* the patterns as a dense array sorted by their keys, then the weight */
int
pattern_rows_cmp(const void *a, const void *b, void *arg)
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

double *
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
	qsort_arg(rows, n, width * sizeof(double), pattern_rows_cmp, &state->nkeys);
	*count = n;
	return rows;
}

/* rows and settings that must agree between the rows of a group */
static void
check_same_settings(double penalizer, double state_penalizer,
					double horizon, double state_horizon, bool merging)
{
	if (penalizer != state_penalizer)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 merging ?
				 errmsg("cannot merge model fit states with different penalizers (%g and %g)",
						state_penalizer, penalizer) :
				 errmsg("penalizer must be the same on every row of a group: got %g after %g",
						penalizer, state_penalizer),
				 errhint("Pass one constant as the penalizer, e.g. 0.01.")));
	if (horizon != state_horizon)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 merging ?
				 errmsg("cannot merge comparison states with different horizons (%g and %g)",
						state_horizon, horizon) :
				 errmsg("horizon must be the same on every row of a group: got %g after %g",
						horizon, state_horizon),
				 errhint("Pass one constant as the horizon, e.g. 52 (weeks).")));
}

Datum
socroi_pattern_combine(PG_FUNCTION_ARGS)
{
	PatternState *into = pattern_arg(fcinfo, 0, PATTERN_ANY);
	PatternState *from = pattern_arg(fcinfo, 1, into->kind);
	int			i;

	check_same_settings(from->penalizer, into->penalizer, from->horizon, into->horizon, true);
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

void
clv_check_frequency(double frequency)
{
	socroi_check_finite(frequency, "frequency");
	if (frequency < 0.0 || frequency != floor(frequency))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("frequency must be a whole number of repeat purchases (>= 0), got %g",
						frequency)));
}

void
clv_check_summary(double frequency, double recency, double t)
{
	clv_check_frequency(frequency);
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

/*
 * A discrete-time history (Fader, Hardie & Shang 2010): x transactions in
 * n opportunities, the last at opportunity t_x; whole numbers with
 * 0 <= x <= t_x <= n, t_x = 0 exactly when x = 0
 */
void
clv_check_discrete_summary(double frequency, double recency, double n_periods)
{
	clv_check_frequency(frequency);
	socroi_check_finite(recency, "recency");
	socroi_check_finite(n_periods, "n_periods");
	if (n_periods < 0.0 || n_periods != floor(n_periods) || n_periods > CLV_MAX_PERIODS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("n_periods must be a whole number of transaction opportunities between 0 and %d, got %g",
						CLV_MAX_PERIODS, n_periods),
				 errhint("The likelihood sums a term per opportunity after the last transaction; count coarser periods.")));
	if (recency < 0.0 || recency != floor(recency) || recency > n_periods)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("recency must be the whole number of the opportunity of the last transaction, between 0 and n_periods, got recency %g and n_periods %g",
						recency, n_periods)));
	if (frequency > recency || (frequency == 0.0) != (recency == 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("frequency %g and recency %g do not fit together", frequency, recency),
				 errhint("x transactions need a last one at opportunity t_x >= x; no transaction means recency 0.")));
}

static ClvCustomer
customer_args(FunctionCallInfo fcinfo, int argno)
{
	ClvCustomer c;

	c.x = PG_GETARG_FLOAT8(argno);
	c.tx = PG_GETARG_FLOAT8(argno + 1);
	c.t = PG_GETARG_FLOAT8(argno + 2);
	return c;
}

ClvCustomer
clv_summary_args(FunctionCallInfo fcinfo, int argno)
{
	ClvCustomer c = customer_args(fcinfo, argno);

	clv_check_summary(c.x, c.tx, c.t);
	return c;
}

ClvCustomer
clv_discrete_summary_args(FunctionCallInfo fcinfo, int argno)
{
	ClvCustomer c = customer_args(fcinfo, argno);

	clv_check_discrete_summary(c.x, c.tx, c.t);
	return c;
}

/* a number of renewals, a whole number >= 0 */
void
clv_check_periods_survived(double periods_survived)
{
	if (!(periods_survived >= 0.0) || periods_survived != floor(periods_survived))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("periods_survived must be a whole number of renewals (>= 0), got %g",
						periods_survived),
				 errhint("0 is a subscriber lost after the first period, or one still in it.")));
}

void
clv_check_penalizer(double penalizer)
{
	socroi_check_finite(penalizer, "penalizer");
	if (penalizer < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("penalizer must not be negative, got %g", penalizer),
				 errhint("0 is plain maximum likelihood; lifetimes users often try 0.001 to 0.1.")));
}

void
clv_check_horizon(double horizon)
{
	if (isnan(horizon) || horizon < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("horizon must not be negative, got %g", horizon)));
}

/* ---------- state I/O ---------- */

static void
pattern_write(StateWriter *w, PatternState *state)
{
	int			width = slot_width(state->nkeys);
	int			n,
				i,
				k;
	double	   *rows = pattern_sorted(state, &n);

	state_write_float8(w, state->penalizer);
	state_write_float8(w, state->horizon);
	state_write_int64(w, n);
	state_write_mark(w, '[');
	for (i = 0; i < n; i++)
		for (k = 0; k < width; k++)
			state_write_float8(w, rows[(Size) i * width + k]);
	state_write_mark(w, ']');
}

static bool
is_whole(double v)
{
	return v >= 0.0 && v == floor(v);
}

static const char *
rfm_keys_problem(const double *k)
{
	if (!is_whole(k[0]))
		return "frequency must be a whole number >= 0";
	if (k[1] < 0.0 || k[1] > k[2] || (k[0] == 0.0 && k[1] != 0.0))
		return "recency must be in [0, t], and 0 when frequency is 0";
	return NULL;
}

static const char *
sbg_keys_problem(const double *k)
{
	if (!is_whole(k[0]) || k[0] > PG_INT32_MAX)
		return "periods_survived must be a whole number >= 0";
	if (k[1] != 0.0 && k[1] != 1.0)
		return "churned must be 0 or 1";
	return NULL;
}

/*
 * The keys of one pattern are valid for the kind (the same rules as the
 * transition functions); returns NULL or what is wrong
 */
static const char *
pattern_keys_problem(PatternKind kind, const double *k)
{
	/* a comparison's keys: the group, then those of its model's kind */
	if (kind == PATTERN_RFM_GROUPS || kind == PATTERN_SBG_GROUPS)
	{
		if (k[0] != 0.0 && k[0] != 1.0)
			return "the group must be 0 or 1";
		return pattern_keys_problem(kind == PATTERN_RFM_GROUPS ? PATTERN_RFM : PATTERN_SBG,
									k + 1);
	}
	switch (kind)
	{
		case PATTERN_RFM:
			return rfm_keys_problem(k);
		case PATTERN_SPEND:
			if (!is_whole(k[0]) || !(k[0] > 0.0 && k[1] > 0.0))
				return "Gamma-Gamma patterns need a whole frequency > 0 and a positive monetary value";
			return NULL;
		case PATTERN_BGBB:
			if (!is_whole(k[0]) || !is_whole(k[1]) || !is_whole(k[2]) || k[2] > CLV_MAX_PERIODS ||
				k[0] > k[1] || k[1] > k[2] || (k[0] == 0.0) != (k[1] == 0.0))
				return "BG/BB patterns need whole numbers 0 <= x <= t_x <= n, t_x = 0 exactly when x = 0";
			return NULL;
		case PATTERN_SBG:
			return sbg_keys_problem(k);
		case PATTERN_RFM_GROUPS:
		case PATTERN_SBG_GROUPS:
		case PATTERN_ANY:
			break;
	}
	return "unknown pattern kind";
}

static PatternState *
pattern_read(StateReader *r, PatternKind kind)
{
	int			nkeys = pattern_nkeys(kind);
	int			width = slot_width(nkeys);
	int			n,
				i,
				capacity = PATTERN_MIN_CAPACITY;
	double		penalizer,
				horizon;
	bool		compare = (kind == PATTERN_RFM_GROUPS || kind == PATTERN_SBG_GROUPS);
	PatternState *state;

	if (r->version == 1)
	{
		/* socroi 0.2: BG/NBD and Gamma-Gamma fits, unpenalized */
		penalizer = 0.0;
		horizon = NO_HORIZON;
	}
	else
	{
		penalizer = state_read_float8_nonneg(r, "penalizer");
		horizon = state_read_float8_finite(r, "horizon") + 0.0;
	}
	if (compare ? !(horizon >= 0.0 || horizon == NO_HORIZON) : horizon != NO_HORIZON)
		state_invalid(r, "the horizon must be -1 (none) or, in a comparison, >= 0");
	if (compare && penalizer != 0.0)
		state_invalid(r, "comparisons are not penalized");
	n = state_read_count(r, "patterns", PATTERN_MAX_CAPACITY / 2,
						 width * (r->binary ? 8 : 2));
	while (capacity < 2 * n)
		capacity *= 2;
	state = pattern_new(kind, capacity, penalizer, horizon);
	state_read_mark(r, '[');
	for (i = 0; i < n; i++)
	{
		double		keys[PATTERN_MAX_KEYS + 1];
		const char *problem;
		int			k;

		/* + 0.0 folds -0 into 0, as the transition function does */
		for (k = 0; k < nkeys; k++)
			keys[k] = state_read_float8_finite(r, "pattern") + 0.0;
		keys[nkeys] = state_read_float8_nonneg(r, "customers");
		if (!(keys[nkeys] > 0.0))
			state_invalid(r, "a pattern must stand for a positive number of customers");
		problem = pattern_keys_problem(kind, keys);
		if (problem)
			state_invalid(r, "%s", problem);
		if (pattern_contains(state, keys))
			state_invalid(r, "duplicate pattern");
		pattern_add(state, keys, keys[nkeys]);
	}
	state_read_mark(r, ']');
	state_read_end(r);
	return state;
}

/* oldest: the first format version of the type */
#define PATTERN_IO_SINCE(name, type_name, tag, kind, oldest) \
	SOCROI_STATE_IO_FUNCTIONS_SINCE(name, type_name, tag, oldest, PATTERN_VERSION, \
									pattern_write(w, pattern_arg(fcinfo, 0, kind)), \
									pattern_read(r, kind))
#define PATTERN_IO(name, type_name, tag, kind) \
	PATTERN_IO_SINCE(name, type_name, tag, kind, PATTERN_VERSION)

PATTERN_IO_SINCE(bgnbd_state, "bgnbd_fit_state", "bgnbd_fit", PATTERN_RFM, 1);
PATTERN_IO_SINCE(gamma_gamma_state, "gamma_gamma_fit_state", "gamma_gamma_fit", PATTERN_SPEND, 1);
PATTERN_IO(pareto_nbd_state, "pareto_nbd_fit_state", "pareto_nbd_fit", PATTERN_RFM);
PATTERN_IO(mbgnbd_state, "mbgnbd_fit_state", "mbgnbd_fit", PATTERN_RFM);
PATTERN_IO(bgbb_state, "bgbb_fit_state", "bgbb_fit", PATTERN_BGBB);
PATTERN_IO(sbg_state, "sbg_fit_state", "sbg_fit", PATTERN_SBG);
PATTERN_IO(bgnbd_compare_state, "bgnbd_compare_state", "bgnbd_compare", PATTERN_RFM_GROUPS);
PATTERN_IO(pareto_nbd_compare_state, "pareto_nbd_compare_state", "pareto_nbd_compare", PATTERN_RFM_GROUPS);
PATTERN_IO(sbg_compare_state, "sbg_compare_state", "sbg_compare", PATTERN_SBG_GROUPS);

/* ---------- transition functions ---------- */

/*
 * Add one row's pattern to the state in argument 0 (NULL: a new state with
 * these settings; otherwise the settings must be the state's).
 */
static Datum
pattern_step(FunctionCallInfo fcinfo, PatternKind kind, const double *keys,
			 double weight, double penalizer, double horizon)
{
	PatternState *state;

	if (PG_ARGISNULL(0))
		state = pattern_new(kind, PATTERN_MIN_CAPACITY, penalizer, horizon);
	else
	{
		state = pattern_arg(fcinfo, 0, kind);
		check_same_settings(penalizer, state->penalizer, horizon, state->horizon, false);
		state = pattern_make_room(state, 1, !socroi_in_aggregate(fcinfo));
	}
	if (weight > 0.0)
		pattern_add(state, keys, weight);
	PG_RETURN_POINTER(state);
}

/* the optional customers (argument argno) and penalizer (argno + 1) */
static void
weight_and_penalizer(FunctionCallInfo fcinfo, int argno, double *weight,
					 double *penalizer)
{
	*weight = 1.0;
	*penalizer = 0.0;
	if (PG_NARGS() > argno)
	{
		*weight = PG_GETARG_FLOAT8(argno);
		socroi_check_nonnegative(*weight, "customers");
	}
	if (PG_NARGS() > argno + 1)
	{
		*penalizer = PG_GETARG_FLOAT8(argno + 1) + 0.0;
		clv_check_penalizer(*penalizer);
	}
}

/* the optional horizon of a comparison (argument argno) */
static double
compare_horizon(FunctionCallInfo fcinfo, int argno)
{
	double		horizon = NO_HORIZON;

	if (PG_NARGS() > argno)
	{
		horizon = PG_GETARG_FLOAT8(argno) + 0.0;
		clv_check_horizon(horizon);
		socroi_check_finite(horizon, "horizon");
	}
	return horizon;
}

/* + 0.0 folds -0 into 0: one bit pattern per value, so equal values hash alike */
static void
fold_zeros(double *keys, int n)
{
	int			k;

	for (k = 0; k < n; k++)
		keys[k] += 0.0;
}

/*
 * What a transition function reads: the keys of its kind in arguments
 * 1..nkeys, typed one letter each (f float8, i integer, b boolean: 1 or 0);
 * after them the optional customers and penalizer of a fit, or the optional
 * horizon of a comparison.  check() validates the keys (ERROR 22023, the
 * transition function's messages) and folds -0 into 0; false: the row adds
 * no weight.
 */
typedef struct PatternRowSpec
{
	PatternKind kind;
	const char *key_types;
	bool		(*check) (double *keys, double horizon);
} PatternRowSpec;

static Datum
pattern_trans(FunctionCallInfo fcinfo, const PatternRowSpec *spec)
{
	int			nkeys = pattern_nkeys(spec->kind);
	bool		compare = (spec->kind == PATTERN_RFM_GROUPS || spec->kind == PATTERN_SBG_GROUPS);
	double		keys[PATTERN_MAX_KEYS],
				weight = 1.0,
				penalizer = 0.0,
				horizon = NO_HORIZON;
	int			k;

	if (socroi_any_arg_null(fcinfo, 1, PG_NARGS() - 1))
		return socroi_state_unchanged(fcinfo);
	for (k = 0; k < nkeys; k++)
	{
		if (spec->key_types[k] == 'f')
			keys[k] = PG_GETARG_FLOAT8(k + 1);
		else if (spec->key_types[k] == 'i')
			keys[k] = (double) PG_GETARG_INT32(k + 1);
		else
			keys[k] = PG_GETARG_BOOL(k + 1) ? 1.0 : 0.0;
	}
	if (compare)
		horizon = compare_horizon(fcinfo, nkeys + 1);
	else
		weight_and_penalizer(fcinfo, nkeys + 1, &weight, &penalizer);
	if (!spec->check(keys, horizon))
		weight = 0.0;
	return pattern_step(fcinfo, spec->kind, keys, weight, penalizer, horizon);
}

/* (frequency, recency, t [, customers [, penalizer]]): BG/NBD, MBG/NBD and Pareto/NBD fits */
static bool
rfm_check(double *keys, double horizon)
{
	clv_check_summary(keys[0], keys[1], keys[2]);
	fold_zeros(keys, 3);
	return true;
}

static const PatternRowSpec rfm_rows = {PATTERN_RFM, "fff", rfm_check};

SOCROI_VARIANT(socroi_bgnbd_fit_trans, pattern_trans(fcinfo, &rfm_rows))

/* the 0.2.0 entry point of bgnbd_fit(frequency, recency, t, customers) */
SOCROI_VARIANT(socroi_bgnbd_fit_trans_weighted, pattern_trans(fcinfo, &rfm_rows))

/* (frequency, monetary_value [, customers [, penalizer]]): Gamma-Gamma */
static bool
spend_check(double *keys, double horizon)
{
	clv_check_frequency(keys[0]);
	socroi_check_finite(keys[1], "monetary_value");
	if (keys[0] > 0.0 && !(keys[1] > 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("monetary_value must be positive for a repeat customer, got %g", keys[1]),
				 errhint("Gamma-Gamma models positive spend; leave out customers whose repeat purchases were free.")));
	fold_zeros(keys, 2);
	/* one-time buyers carry no information on spend per purchase */
	return keys[0] > 0.0;
}

static const PatternRowSpec spend_rows = {PATTERN_SPEND, "ff", spend_check};

SOCROI_VARIANT(socroi_gamma_gamma_fit_trans, pattern_trans(fcinfo, &spend_rows))

/* (frequency, recency, n_periods [, customers [, penalizer]]): BG/BB */
static bool
bgbb_check(double *keys, double horizon)
{
	fold_zeros(keys, 3);
	clv_check_discrete_summary(keys[0], keys[1], keys[2]);
	return true;
}

static const PatternRowSpec bgbb_rows = {PATTERN_BGBB, "fff", bgbb_check};

SOCROI_VARIANT(socroi_bgbb_fit_trans, pattern_trans(fcinfo, &bgbb_rows))

/* (periods_survived int, churned boolean [, customers [, penalizer]]): sBG */
static bool
sbg_check(double *keys, double horizon)
{
	clv_check_periods_survived(keys[0]);
	return true;
}

static const PatternRowSpec sbg_rows = {PATTERN_SBG, "ib", sbg_check};

SOCROI_VARIANT(socroi_sbg_fit_trans, pattern_trans(fcinfo, &sbg_rows))

/* (follower, frequency, recency, t [, horizon]): BG/NBD and Pareto/NBD */
static bool
rfm_groups_check(double *keys, double horizon)
{
	return rfm_check(keys + 1, horizon);
}

static const PatternRowSpec rfm_groups_rows = {PATTERN_RFM_GROUPS, "bfff", rfm_groups_check};

SOCROI_VARIANT(socroi_rfm_compare_trans, pattern_trans(fcinfo, &rfm_groups_rows))

/* (follower, periods_survived, churned [, horizon]): sBG */
static bool
sbg_groups_check(double *keys, double horizon)
{
	if (horizon != floor(horizon))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("horizon must be a whole number of periods, got %g", horizon)));
	return sbg_check(keys + 1, horizon);
}

static const PatternRowSpec sbg_groups_rows = {PATTERN_SBG_GROUPS, "bib", sbg_groups_check};

SOCROI_VARIANT(socroi_sbg_compare_trans, pattern_trans(fcinfo, &sbg_groups_rows))
