/*
 * flat_hash.c
 *		Open-addressing hash tables inside flat aggregate states (see
 *		flat_hash.h).
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "miscadmin.h"

#include "common/flat_hash.h"

char *
flat_hash_lookup(const FlatHash *t, const void *key)
{
	uint32		mask = t->capacity - 1;
	uint32		i = t->hash(key, t->key_size) & mask;

	for (;;)
	{
		char	   *slot = flat_hash_slot(t, i);

		if (flat_hash_slot_empty(t, slot) || memcmp(slot, key, t->key_size) == 0)
			return slot;
		i = (i + 1) & mask;
	}
}

uint32
flat_hash_capacity(int64 count, uint32 capacity, uint32 max_capacity,
				   const char *what, const char *hint)
{
	while ((int64) capacity < 2 * count)
	{
		if (capacity >= max_capacity)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many distinct %s in one group (limit %u)",
							what, max_capacity / 2),
					 hint ? errhint("%s", hint) : 0));
		capacity *= 2;
	}
	return capacity;
}

bool
flat_hash_shape_ok(int64 capacity, int64 count, int64 min_capacity,
				   int64 max_capacity)
{
	return capacity >= min_capacity && capacity <= max_capacity &&
		(capacity & (capacity - 1)) == 0 &&
		count >= 0 && count <= capacity / 2;
}

void
flat_hash_rehash(const FlatHash *from, FlatHash *to)
{
	uint32		i;

	Assert(from->slot_size == to->slot_size && from->key_size == to->key_size);
	for (i = 0; i < from->capacity; i++)
	{
		const char *slot = flat_hash_slot(from, i);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!flat_hash_slot_empty(from, slot))
			memcpy(flat_hash_lookup(to, slot), slot, from->slot_size);
	}
}

uint32
flat_hash_double(const void *key, Size key_size)
{
	uint64		h;

	Assert(key_size == sizeof(double));
	memcpy(&h, key, sizeof(h));
	h ^= h >> 33;
	h *= UINT64CONST(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64CONST(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return (uint32) h;
}

uint32
flat_hash_bytes(const void *key, Size key_size)
{
	return hash_bytes((const unsigned char *) key, (int) key_size);
}
