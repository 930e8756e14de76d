/*
 * held_state.c
 *		A flat aggregate state held in an expanded object while its
 *		aggregate runs (see held_state.h).
 */
#include "postgres.h"

#include "utils/expandeddatum.h"
#include "utils/memutils.h"

#include "common/held_state.h"

struct HeldState
{
	ExpandedObjectHeader hdr;	/* first: the datum points here */
	struct varlena *flat;		/* in hdr.eoh_context, never NULL */
};

/* the holder whose state the grow helpers replace, if any */
static HeldState *growing = NULL;

static Size
held_get_flat_size(ExpandedObjectHeader *eohptr)
{
	return VARSIZE(((HeldState *) eohptr)->flat);
}

static void
held_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	HeldState  *held = (HeldState *) eohptr;

	if (allocated_size != VARSIZE(held->flat))
		elog(ERROR, "socroi held state flattened into %zu bytes", allocated_size);
	memcpy(result, held->flat, allocated_size);
}

static const ExpandedObjectMethods held_methods = {
	held_get_flat_size,
	held_flatten_into
};

/* the HeldState a datum points to (read-only or read-write), else NULL */
static HeldState *
datum_held(Datum datum)
{
	ExpandedObjectHeader *eoh;

	if (!VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(datum)))
		return NULL;
	eoh = DatumGetEOHP(datum);
	return (eoh->eoh_methods == &held_methods) ? (HeldState *) eoh : NULL;
}

HeldState *
held_state_get(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext;
	HeldState  *held;

	if (PG_ARGISNULL(0) || !AggCheckCallContext(fcinfo, &aggcontext))
		return NULL;
	held = datum_held(PG_GETARG_DATUM(0));
	if (held == NULL || !VARATT_IS_EXTERNAL_EXPANDED_RW(PG_GETARG_POINTER(0)) ||
		MemoryContextGetParent(held->hdr.eoh_context) != aggcontext)
		return NULL;
	return held;
}

struct varlena *
held_state_flat(const HeldState *held)
{
	return held->flat;
}

Datum
held_state_result(FunctionCallInfo fcinfo, HeldState *held, struct varlena *state)
{
	MemoryContext aggcontext;
	MemoryContext context;

	if (held != NULL)
	{
		Assert(held->flat == state);
		return EOHPGetRWDatum(&held->hdr);
	}
	if (state == NULL)
		PG_RETURN_NULL();
	/* a grown copy (not the executor's own value) of a large state */
	if (VARSIZE(state) < HELD_STATE_MIN_SIZE ||
		(!PG_ARGISNULL(0) && DatumGetPointer(PG_GETARG_DATUM(0)) == (Pointer) state) ||
		!AggCheckCallContext(fcinfo, &aggcontext))
		PG_RETURN_POINTER(state);
	context = AllocSetContextCreate(aggcontext, "socroi aggregate state",
									ALLOCSET_SMALL_SIZES);
	held = (HeldState *) MemoryContextAlloc(context, sizeof(HeldState));
	EOH_init_header(&held->hdr, &held_methods, context);
	held->flat = (struct varlena *) MemoryContextAlloc(context, VARSIZE(state));
	memcpy(held->flat, state, VARSIZE(state));
	return EOHPGetRWDatum(&held->hdr);
}

struct varlena *
held_state_read(Datum datum)
{
	HeldState  *held = datum_held(datum);

	if (held != NULL)
		return held->flat;
	return PG_DETOAST_DATUM(datum);
}

void
held_state_run(HeldState *held, void (*step) (void *arg), void *arg)
{
	if (held == NULL)
	{
		step(arg);
		return;
	}
	growing = held;
	PG_TRY();
	{
		step(arg);
	}
	PG_FINALLY();
	{
		growing = NULL;
	}
	PG_END_TRY();
}

void *
held_state_alloc(Size size)
{
	if (growing == NULL)
		return palloc(size);
	return MemoryContextAlloc(growing->hdr.eoh_context, size);
}

void
held_state_replaced(void *old, void *grown)
{
	if (growing == NULL || (void *) growing->flat != old)
		return;
	growing->flat = (struct varlena *) grown;
	pfree(old);
}

void *
held_state_regrow(void *state, Size size)
{
	if (growing == NULL || (void *) growing->flat != state)
		return NULL;
	growing->flat = (struct varlena *) repalloc(state, size);
	return growing->flat;
}
