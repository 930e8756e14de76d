/*
 * held_state.h
 *		A flat aggregate state held in an expanded object while its
 *		aggregate runs (held_state.c).
 *
 * PostgreSQL copies a transition value into the aggregate's context every
 * time the transition function returns a new pointer (nodeAgg.c's
 * ExecAggTransReparent), so a flat state that grows by doubling is copied
 * twice per growth: by its own grow step and by the executor.  An expanded
 * object (utils/expandeddatum.h) that lives in a child of the aggregate's
 * context is kept as is, so the transition and combine functions of a large
 * state hand the executor a HeldState: the same concrete type, whose flat
 * form is exactly the state the functions built, and which flattens
 * wherever the value leaves the aggregate (a tuple, a parallel worker's
 * result, an output function).  Its state grows in place, with repalloc().
 */
#ifndef SOCROI_HELD_STATE_H
#define SOCROI_HELD_STATE_H

#include "postgres.h"

#include "fmgr.h"

typedef struct HeldState HeldState;

/*
 * A state grows into a holder once it reaches this size: below it, the
 * executor's copies are cheap and a holder's own memory context is not.
 */
#define HELD_STATE_MIN_SIZE		((Size) 256 * 1024)

/*
 * In a transition or combine call of an aggregate, argument 0 when it is
 * this aggregate's own HeldState (read-write, under the aggregate's
 * context), else NULL: the caller updates a flat state in place (in an
 * aggregate) or a copy (outside one) as usual.
 */
extern HeldState *held_state_get(FunctionCallInfo fcinfo);

/* the state held */
extern struct varlena *held_state_flat(const HeldState *held);

/*
 * The result of a transition or combine call that leaves state (NULL: no
 * state yet): the holder as a read-write expanded datum; else state itself,
 * moved into a new holder when it is a grown copy of at least
 * HELD_STATE_MIN_SIZE in an aggregate.
 */
extern Datum held_state_result(FunctionCallInfo fcinfo, HeldState *held,
							   struct varlena *state);

/*
 * A state argument for reading: a HeldState's flat state itself (no copy;
 * not to be modified), else the argument detoasted.
 */
extern struct varlena *held_state_read(Datum datum);

/*
 * step(arg), during which the states that the grow helpers below allocate
 * go to held's context and each replaces the held state (held NULL, or
 * outside a step: they behave as palloc() / a no-op).  An error in step
 * never leaves them working for held (PG_FINALLY).
 */
extern void held_state_run(HeldState *held, void (*step) (void *arg), void *arg);

/* room for a new state (palloc(), or in the holder's context) */
extern void *held_state_alloc(Size size);

/*
 * A new state has been filled from old: in a step of a holder whose state
 * is old, it becomes the held state and old is freed.
 */
extern void held_state_replaced(void *old, void *grown);

/*
 * The held state grown to size in place (repalloc; the new bytes are not
 * zeroed), or NULL when state is not the held state of a step's holder.
 */
extern void *held_state_regrow(void *state, Size size);

#endif							/* SOCROI_HELD_STATE_H */
