/*
 * follower_groups.c
 *		Fixed-size states of the follower comparisons (clv_compare,
 *		compare_rates): creation, arguments, the confidence level every row
 *		and merge must agree on, the I/O frame around the groups' tallies,
 *		and the frame of the final function's result row.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"

#include "common/common.h"
#include "common/follower_groups.h"

/* the fixed size of a state of the type */
static Size
follower_groups_size(const FollowerGroupsType *type)
{
	return offsetof(FollowerGroupsState, tallies) + 2 * type->tally_size;
}

FollowerGroupsState *
follower_groups_new(const FollowerGroupsType *type, double confidence)
{
	FollowerGroupsState *state = state_alloc(follower_groups_size(type),
											 type->version);

	state->confidence = confidence;
	return state;
}

FollowerGroupsState *
follower_groups_arg(FunctionCallInfo fcinfo, int argno, const FollowerGroupsType *type)
{
	return (FollowerGroupsState *) state_arg(fcinfo, argno, type->type_name, type->version,
											 follower_groups_size(type),
											 follower_groups_size(type));
}

/* a private copy, for calls outside an aggregate */
static FollowerGroupsState *
follower_groups_copy(const FollowerGroupsType *type, const FollowerGroupsState *state)
{
	FollowerGroupsState *copy = palloc(follower_groups_size(type));

	memcpy(copy, state, follower_groups_size(type));
	return copy;
}

FollowerGroupsState *
follower_groups_for_row(FunctionCallInfo fcinfo, const FollowerGroupsType *type,
						double confidence)
{
	FollowerGroupsState *state;

	if (PG_ARGISNULL(0))
		return follower_groups_new(type, confidence);
	state = follower_groups_arg(fcinfo, 0, type);
	if (!socroi_in_aggregate(fcinfo))
		state = follower_groups_copy(type, state);
	socroi_check_same_confidence(type->aggregate, state->confidence, confidence);
	return state;
}

Datum
follower_groups_trans_conf(FunctionCallInfo fcinfo,
						   Datum (*step) (FunctionCallInfo fcinfo, double confidence))
{
	double		confidence;

	if (PG_ARGISNULL(3))
		return socroi_state_unchanged(fcinfo);
	confidence = PG_GETARG_FLOAT8(3);
	socroi_check_confidence(confidence);
	return step(fcinfo, confidence);
}

Datum
follower_groups_combine(FunctionCallInfo fcinfo, const FollowerGroupsType *type)
{
	FollowerGroupsState *into = follower_groups_arg(fcinfo, 0, type);
	FollowerGroupsState *from = follower_groups_arg(fcinfo, 1, type);
	int			g;

	socroi_check_merge_confidence(type->aggregate, into->confidence, from->confidence);
	if (!socroi_in_aggregate(fcinfo))
		into = follower_groups_copy(type, into);
	for (g = 0; g <= 1; g++)
		type->merge_tally(follower_groups_tally(into, type, g),
						  follower_groups_tally(from, type, g));
	PG_RETURN_POINTER(into);
}

Datum
follower_groups_final(FunctionCallInfo fcinfo, const FollowerGroupsType *type,
					  const char *row_type, int natts,
					  void (*result) (const FollowerGroupsState *state,
									  Datum *values, bool *nulls))
{
	FollowerGroupsState *state;
	TupleDesc	tupdesc;
	Datum	   *values;
	bool	   *nulls;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = follower_groups_arg(fcinfo, 0, type);
	tupdesc = socroi_result_tupdesc(fcinfo, natts, row_type);
	values = palloc(natts * sizeof(Datum));
	nulls = palloc(natts * sizeof(bool));
	socroi_result_nulls(values, nulls, natts);
	result(state, values, nulls);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

void
follower_groups_write(StateWriter *w, const FollowerGroupsType *type,
					  const FollowerGroupsState *state)
{
	int			g;

	state_write_float8(w, state->confidence);
	/* followers first, as in the results */
	for (g = 1; g >= 0; g--)
	{
		state_write_mark(w, '|');
		type->write_tally(w, follower_groups_tally(state, type, g));
	}
}

FollowerGroupsState *
follower_groups_read(StateReader *r, const FollowerGroupsType *type)
{
	FollowerGroupsState *state = follower_groups_new(type, state_read_confidence(r));
	int			g;

	for (g = 1; g >= 0; g--)
	{
		state_read_mark(r, '|');
		type->read_tally(r, follower_groups_tally(state, type, g));
	}
	state_read_end(r);
	return state;
}
