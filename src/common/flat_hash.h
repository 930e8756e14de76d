/*
 * flat_hash.h
 *		Open-addressing hash tables inside flat aggregate states, written
 *		once (flat_hash.c): the distinct durations of time_to_convert, the
 *		customer patterns of the CLV fits.
 *
 * A table is a run of `capacity` fixed-size slots (capacity a power of two,
 * at most half full, so every probe ends) with linear probing.  The first
 * key_size bytes of a slot are its key, compared byte for byte (callers
 * normalise -0 to +0); the rest is the payload, and a slot is empty exactly
 * when its payload bytes are all zero -- every occupied slot counts
 * something positive.  Offsets, not pointers, live in the state; a FlatHash
 * is a view over it for the duration of a call.  The hash is the caller's:
 * a stored state must keep the hash it was built with.
 */
#ifndef SOCROI_FLAT_HASH_H
#define SOCROI_FLAT_HASH_H

#include "postgres.h"

typedef uint32 (*FlatHashFunction) (const void *key, Size key_size);

typedef struct FlatHash
{
	char	   *slots;
	uint32		capacity;		/* a power of two */
	uint32		slot_size;
	uint32		key_size;
	FlatHashFunction hash;
} FlatHash;

static inline char *
flat_hash_slot(const FlatHash *t, uint32 i)
{
	return t->slots + (Size) i * t->slot_size;
}

static inline bool
flat_hash_slot_empty(const FlatHash *t, const char *slot)
{
	uint32		k;

	for (k = t->key_size; k < t->slot_size; k++)
		if (slot[k] != 0)
			return false;
	return true;
}

/* the slot holding key, or the empty slot where it goes */
extern char *flat_hash_lookup(const FlatHash *t, const void *key);

/*
 * The capacity needed for `count` entries at most half full, starting from
 * capacity and doubling; beyond max_capacity ERROR 54000 saying "too many
 * distinct <what> in one group" with the caller's hint.
 */
extern uint32 flat_hash_capacity(int64 count, uint32 capacity,
								 uint32 max_capacity, const char *what,
								 const char *hint);

/* capacity a power of two in [min, max] holding count <= capacity / 2 */
extern bool flat_hash_shape_ok(int64 capacity, int64 count, int64 min_capacity,
							   int64 max_capacity);

/* copy every occupied slot of `from` into the empty table `to` */
extern void flat_hash_rehash(const FlatHash *from, FlatHash *to);

/* hashes: murmur3's 64-bit finaliser of one double; hash_bytes of any key */
extern uint32 flat_hash_double(const void *key, Size key_size);
extern uint32 flat_hash_bytes(const void *key, Size key_size);

#endif							/* SOCROI_FLAT_HASH_H */
