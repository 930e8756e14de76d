/*
 * clv_patterns.c
 *		The aggregate state of the CLV model fits: customers collapsed into
 *		distinct patterns -- (x, t_x, T) for BG/NBD, (x, m) for Gamma-Gamma --
 *		with their total weight, in a flat open-addressing hash table.
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

#include "common/hashfn.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "common/common.h"
#include "common/state_io.h"
#include "clv/clv_patterns.h"

PG_FUNCTION_INFO_V1(socroi_bgnbd_fit_trans);
PG_FUNCTION_INFO_V1(socroi_bgnbd_fit_trans_weighted);
PG_FUNCTION_INFO_V1(socroi_pattern_combine);
PG_FUNCTION_INFO_V1(socroi_gamma_gamma_fit_trans);

#define BGNBD_TAG		"bgnbd_fit"
#define GAMMA_GAMMA_TAG "gamma_gamma_fit"
#define PATTERN_VERSION 1

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
 * stays at or below 1/2.
 */
struct PatternState
{
	int32		vl_len_;		/* varlena header: VARSIZE = capacity */
	int32		version;
	int32		nkeys;			/* 3: (x, t_x, T) for BG/NBD; 2: (x, m) */
	int32		capacity;		/* slots, a power of two */
	int32		count;			/* occupied slots */
	int32		padding;
	double		slots[FLEXIBLE_ARRAY_MEMBER];
};

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

/*
 * The slot holding the keys, or else the empty slot where they would go
 * (linear probing; the load factor keeps an empty slot on every path)
 */
static double *
pattern_probe(PatternState *state, const double *keys)
{
	int			nkeys = state->nkeys;
	uint32		mask = (uint32) state->capacity - 1;
	uint32		i = pattern_hash(keys, nkeys) & mask;

	for (;;)
	{
		double	   *slot = pattern_slot(state, i);

		if (slot[nkeys] == 0.0 || memcmp(slot, keys, nkeys * sizeof(double)) == 0)
			return slot;
		i = (i + 1) & mask;
	}
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

PatternState *
pattern_arg(FunctionCallInfo fcinfo, int argno, int nkeys)
{
	PatternState *state = socroi_state_arg(fcinfo, argno, PATTERN_HEADER, PATTERN_VERSION,
										   "pattern state");

	if (state->nkeys < 2 || state->nkeys > PATTERN_MAX_KEYS ||
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
	clv_check_summary(keys[0], keys[1], keys[2]);
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
	clv_check_frequency(keys[0]);
	socroi_check_finite(keys[1], "monetary_value");
	if (keys[0] > 0.0 && !(keys[1] > 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("monetary_value must be positive for a repeat customer, got %g", keys[1]),
				 errhint("Gamma-Gamma models positive spend; leave out customers whose repeat purchases were free.")));
	/* one-time buyers carry no information on spend per purchase */
	return pattern_step(fcinfo, 2, keys, keys[0] > 0.0 ? 1.0 : 0.0);
}
