/*
 * state_io.h
 *		Text and binary encodings of aggregate states, written once.
 *
 * Every aggregate of socroi keeps its state in a concrete varlena type (not
 * "internal") so that parallel workers, partitionwise plans and Citus can
 * ship and merge partial states.  Each state type describes itself as a
 * stream of typed fields -- integers, floats, strings and section marks --
 * and gets from this module:
 *   - a readable, exact text form:  tag:version field field ...
 *     (floats in shortest round-trip form, strings double-quoted with
 *     backslash escapes, section marks as single punctuation characters);
 *   - a compact binary form for send/recv (network byte order);
 *   - a reader that validates every field and raises
 *     invalid_text_representation / invalid_binary_representation, so a
 *     crafted or truncated state is an ERROR, never a crash.
 *
 * Flat states grow with state_reserve(), which follows the rules of
 * nodeAgg.c: the state is modified in place while it has room; when it must
 * grow, a larger copy is made in the current memory context and returned
 * (PostgreSQL copies it into the aggregate context and frees the old one) --
 * or, for a state held in an expanded object (held_state.h), it grows in
 * place in the holder's context.
 */
#ifndef SOCROI_STATE_IO_H
#define SOCROI_STATE_IO_H

#include "postgres.h"

#include "common/common.h"
#include "common/compat.h"

#include "fmgr.h"
#include "lib/stringinfo.h"

typedef struct StateWriter
{
	StringInfoData buf;
	bool		binary;
} StateWriter;

typedef struct StateReader
{
	const char *cur;
	const char *end;
	bool		binary;
	const char *type_name;		/* for messages */
	int			version;		/* format version of the value being read */
} StateReader;

/* writing */
extern void state_write_begin(StateWriter *w, bool binary, const char *tag,
							  int version);
extern void state_write_int64(StateWriter *w, int64 value);
extern void state_write_float8(StateWriter *w, double value);
extern void state_write_string(StateWriter *w, const char *str, int len);
extern void state_write_mark(StateWriter *w, char mark);
extern char *state_write_end_text(StateWriter *w);
extern bytea *state_write_end_binary(StateWriter *w);

/* reading; every function validates and raises on malformed input */
extern int	state_read_begin_text(StateReader *r, const char *input,
								  const char *type_name, const char *tag);
extern int	state_read_begin_binary(StateReader *r, StringInfo msg,
									const char *type_name, const char *tag);
extern int64 state_read_int64(StateReader *r, const char *field);
/* an integer in [min, max] */
extern int64 state_read_int_range(StateReader *r, const char *field,
								  int64 min, int64 max);
/*
 * An element count for a section that follows: in [0, max], and no larger
 * than the bytes left divided by min_bytes_each, so a forged count can never
 * make the reader allocate more memory than the input could describe.
 */
extern int	state_read_count(StateReader *r, const char *field, int max,
							 int min_bytes_each);
extern double state_read_float8(StateReader *r, const char *field);
extern double state_read_float8_finite(StateReader *r, const char *field);
extern double state_read_float8_nonneg(StateReader *r, const char *field);
extern double state_read_confidence(StateReader *r);
/* palloc'd, NUL-terminated, no embedded NUL, valid in the database encoding */
extern char *state_read_string(StateReader *r, const char *field, int *len);
extern void state_read_mark(StateReader *r, char mark);
extern void state_read_end(StateReader *r);

/* raise the reader's error (text or binary flavour) */
pg_noreturn extern void state_invalid(StateReader *r, const char *fmt,...) pg_attribute_printf(2, 3);

/*
 * Format versions.  Every state carries the format version of the library
 * that wrote it: in the header of its text and binary forms, and in its
 * in-memory bytes (StateHeader.version), which is what a table column of the
 * type stores and what pg_upgrade carries over unchanged.  A library reads
 * its own format and the older ones it declares (converting them on the way
 * in), and refuses a newer one with feature_not_supported (0A000) naming
 * both versions -- never a wrong number.  A change of a state's layout (in
 * memory, text or binary) needs a new version and a conversion from every
 * older one; test/suites/upgrades.sh reads the values of earlier releases.
 */

/* a value of a newer format than this library reads: ERROR 0A000 */
pg_noreturn extern void state_newer_version(const char *type_name, int found,
											int current);

/*
 * The format version read by state_read_begin_*(): in [oldest, current],
 * else the newer-version error or the reader's invalid-input error.
 */
extern void state_read_check_versions(StateReader *r, int version, int oldest,
									  int current);

/* the same when only the current version is read */
extern void state_read_check_version(StateReader *r, int version, int expected);

/*
 * For the I/O functions below: start reading argument 0 of an input
 * (cstring) or receive (internal, a StringInfo the reader consumes whole)
 * function, whose format version must be in [oldest, current]; and the
 * written state as the Datum an output (cstring) or send (bytea) function
 * returns.
 */
extern void state_read_open(StateReader *r, FunctionCallInfo fcinfo,
							bool binary, const char *type_name,
							const char *tag, int oldest, int current);
extern Datum state_write_end_datum(StateWriter *w);

/*
 * The four I/O functions of an aggregate state type, written once:
 *   socroi_<name>_in(cstring), socroi_<name>_out(state),
 *   socroi_<name>_recv(internal), socroi_<name>_send(state).
 * WRITE is a statement that writes the state of argument 0 to the
 * StateWriter *w (fcinfo is in scope), always in the current format
 * `version`; READ is an expression that reads a whole state from the
 * StateReader *r, validating every field, and ends with state_read_end(r).
 * SOCROI_STATE_IO_FUNCTIONS reads the current format only;
 * SOCROI_STATE_IO_FUNCTIONS_SINCE reads every format from `oldest` on, READ
 * branching on r->version.  A newer format is refused (0A000).
 */
#define SOCROI_STATE_IO_FUNCTIONS(name, type_name, tag, version, WRITE, READ) \
	SOCROI_STATE_IO_FUNCTIONS_SINCE(name, type_name, tag, version, version, WRITE, READ)

#define SOCROI_STATE_IO_FUNCTIONS_SINCE(name, type_name, tag, oldest, version, WRITE, READ) \
PG_FUNCTION_INFO_V1(socroi_##name##_in); \
PG_FUNCTION_INFO_V1(socroi_##name##_out); \
PG_FUNCTION_INFO_V1(socroi_##name##_recv); \
PG_FUNCTION_INFO_V1(socroi_##name##_send); \
static Datum \
name##_state_read(FunctionCallInfo fcinfo, bool binary) \
{ \
	StateReader reader; \
	StateReader *r = &reader; \
\
	state_read_open(r, fcinfo, binary, type_name, tag, oldest, version); \
	PG_RETURN_POINTER(READ); \
} \
static Datum \
name##_state_write(FunctionCallInfo fcinfo, bool binary) \
{ \
	StateWriter writer; \
	StateWriter *w = &writer; \
\
	state_write_begin(w, binary, tag, version); \
	WRITE; \
	return state_write_end_datum(w); \
} \
SOCROI_VARIANT(socroi_##name##_in, name##_state_read(fcinfo, false)) \
SOCROI_VARIANT(socroi_##name##_recv, name##_state_read(fcinfo, true)) \
SOCROI_VARIANT(socroi_##name##_out, name##_state_write(fcinfo, false)) \
SOCROI_VARIANT(socroi_##name##_send, name##_state_write(fcinfo, true)) \
extern int	no_such_variable

/*
 * In-memory states.  Every state type's struct begins with StateHeader; a
 * state reaches a support function from the aggregate itself, through the
 * type's validating input and receive functions, or from a table column
 * (bytes written by this library or, after an upgrade, by an older one).
 * An older version is converted (state_arg_convert), a newer one refused
 * (state_newer_version, 0A000); a state whose size or header is wrong
 * otherwise is a forged value: state_corrupt() raises ERROR XX001
 * (data_corrupted) naming the type, the one SQLSTATE for all of them.
 */
typedef struct StateHeader
{
	int32		vl_len_;		/* varlena header */
	int32		version;		/* the state type's format version */
} StateHeader;

pg_noreturn extern void state_corrupt(const char *type_name);

/* a new zeroed state of `size` bytes (its varlena size) and this version */
extern void *state_alloc(Size size, int32 version);

/*
 * The detoasted state in argument argno: its size in [min_size, max_size]
 * (max_size 0: no upper bound) and its version as expected, else
 * state_corrupt() -- or state_newer_version() for a newer version.  Further
 * checks of the caller raise state_corrupt() too.
 */
extern void *state_arg(FunctionCallInfo fcinfo, int argno,
					   const char *type_name, int32 version, Size min_size,
					   Size max_size);

/*
 * Conversion of a state stored by an older library (old->version below the
 * current one, size its VARSIZE) into the current layout, palloc'd in the
 * current memory context; NULL when the bytes are not a state of that
 * version (state_corrupt() follows).
 */
typedef StateHeader *(*StateConvert) (const StateHeader *old, Size size);

/*
 * The start of a StateConvert: old when it is a state of format `version`
 * holding at least that layout's fixed part (min_size bytes), else NULL
 */
extern const void *state_old_format(const StateHeader *old, Size size,
									int32 version, Size min_size);

/* state_arg() that converts the older versions `convert` knows */
extern void *state_arg_convert(FunctionCallInfo fcinfo, int argno,
							   const char *type_name, int32 version,
							   Size min_size, Size max_size,
							   StateConvert convert);

/*
 * The version check of state_arg() for a state type whose header is not a
 * StateHeader (attribution_state): the newer-version error for a version
 * above `current`, state_corrupt() for any other mismatch.
 */
extern void state_check_version(const char *type_name, int32 found,
								int32 current);

/*
 * Growing flat states (see header comment): state_reserve() makes room for
 * `needed` bytes, doubling the capacity; state_resize() makes exactly
 * `needed`, for a caller that grows its own sections geometrically.  Both
 * keep the first `used` bytes and zero the rest.
 */
extern struct varlena *state_reserve(struct varlena *state, Size used,
									 Size needed);
extern struct varlena *state_resize(struct varlena *state, Size used,
									Size needed);

#endif							/* SOCROI_STATE_IO_H */
