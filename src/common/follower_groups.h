/*
 * follower_groups.h
 *		Fixed-size aggregate states that compare followers with everyone
 *		else (follower_groups.c): a confidence level, then a tally per group
 *		(group 0: non-followers, group 1: followers).  What their transition,
 *		combine and I/O functions share; each aggregate keeps its own tally,
 *		how a row and a merge update it, and what it computes from it.
 */
#ifndef SOCROI_FOLLOWER_GROUPS_H
#define SOCROI_FOLLOWER_GROUPS_H

#include "postgres.h"

#include "fmgr.h"

#include "common/state_io.h"

/* a state: its confidence level, then group 0's tally and group 1's */
typedef struct FollowerGroupsState
{
	StateHeader state;			/* VARSIZE = the type's fixed size */
	double		confidence;
	char		tallies[FLEXIBLE_ARRAY_MEMBER]; /* at offset 16: aligned */
} FollowerGroupsState;

/* a state type of this kind */
typedef struct FollowerGroupsType
{
	const char *aggregate;		/* the aggregate, for messages */
	const char *type_name;		/* the state type */
	int32		version;
	Size		tally_size;		/* of one group's tally, a multiple of 8 */
	/* one group's tally in the text and binary forms (read: validated) */
	void		(*write_tally) (StateWriter *w, const void *tally);
	void		(*read_tally) (StateReader *r, void *tally);
	/* add one group's tally to the same group's of another state */
	void		(*merge_tally) (void *into, const void *from);
} FollowerGroupsType;

/* the tally of group g (0: non-followers, 1: followers) */
static inline void *
follower_groups_tally(const FollowerGroupsState *state, const FollowerGroupsType *type, int g)
{
	return (void *) (state->tallies + (Size) g * type->tally_size);
}

/* a new, empty state at the confidence level */
extern FollowerGroupsState *follower_groups_new(const FollowerGroupsType *type,
												 double confidence);

/* the state in argument argno: its size and version checked (state_arg) */
extern FollowerGroupsState *follower_groups_arg(FunctionCallInfo fcinfo, int argno,
												 const FollowerGroupsType *type);

/*
 * The state a row is added to: a new one when argument 0 is NULL, else that
 * state (a copy outside an aggregate), whose confidence must be this one
 */
extern FollowerGroupsState *follower_groups_for_row(FunctionCallInfo fcinfo,
													 const FollowerGroupsType *type,
													 double confidence);

/*
 * The transition function with a confidence in argument 3: a row without
 * one is skipped, like a row without a value; else step(fcinfo, confidence)
 */
extern Datum follower_groups_trans_conf(FunctionCallInfo fcinfo,
										Datum (*step) (FunctionCallInfo fcinfo,
													   double confidence));

/*
 * The combine function: the state in argument 1 merged, group by group,
 * into the one in argument 0 (a copy outside an aggregate); their
 * confidences must agree
 */
extern Datum follower_groups_combine(FunctionCallInfo fcinfo,
									 const FollowerGroupsType *type);

/*
 * The final function: NULL when argument 0 is NULL; else the state's result
 * row (row_type, natts attributes), every column NULL until result(state,
 * values, nulls) sets it
 */
extern Datum follower_groups_final(FunctionCallInfo fcinfo,
								   const FollowerGroupsType *type,
								   const char *row_type, int natts,
								   void (*result) (const FollowerGroupsState *state,
												   Datum *values, bool *nulls));

/* text and binary forms: the confidence, then '|' and the tally of each group, followers first */
extern void follower_groups_write(StateWriter *w, const FollowerGroupsType *type,
								  const FollowerGroupsState *state);
extern FollowerGroupsState *follower_groups_read(StateReader *r,
												  const FollowerGroupsType *type);

/* the four I/O functions socroi_<name>_in/out/recv/send of a type (state_io.h) */
#define FOLLOWER_GROUPS_IO_FUNCTIONS(name, tag, type) \
	SOCROI_STATE_IO_FUNCTIONS(name, (type)->type_name, tag, (type)->version, \
							  follower_groups_write(w, (type), \
													follower_groups_arg(fcinfo, 0, (type))), \
							  follower_groups_read(r, (type)))

#endif							/* SOCROI_FOLLOWER_GROUPS_H */
