/*
 * state_io.c
 *		Text and binary encodings of aggregate states (see state_io.h).
 *
 * Text grammar:   tag ':' version { ' ' field }
 *   field   := integer | float | string | mark
 *   float   := shortest round-trip decimal (common/shortest_dec.h), or
 *              NaN / Infinity / -Infinity
 *   string  := '"' { char | '\"' | '\\' } '"'
 *   mark    := one of  | ; , / = ( ) [ ] { }
 * Binary: tag as int32 length + bytes, int32 version, then the fields in
 * order (int8 / float8 / int32 length + bytes / one byte per mark).
 */
#include "postgres.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>

#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/float.h"
#include "utils/memutils.h"

#include "common/held_state.h"
#include "common/state_io.h"

/* ---------- writing ---------- */

void
state_write_begin(StateWriter *w, bool binary, const char *tag, int version)
{
	w->binary = binary;
	if (binary)
	{
		pq_begintypsend(&w->buf);
		pq_sendint32(&w->buf, (int32) strlen(tag));
		pq_sendbytes(&w->buf, tag, strlen(tag));
		pq_sendint32(&w->buf, version);
	}
	else
	{
		initStringInfo(&w->buf);
		appendStringInfo(&w->buf, "%s:%d", tag, version);
	}
}

void
state_write_int64(StateWriter *w, int64 value)
{
	if (w->binary)
		pq_sendint64(&w->buf, value);
	else
		appendStringInfo(&w->buf, " " INT64_FORMAT, value);
}

void
state_write_float8(StateWriter *w, double value)
{
	if (w->binary)
		pq_sendfloat8(&w->buf, value);
	else
	{
		char		tmp[DOUBLE_SHORTEST_DECIMAL_LEN];

		if (isnan(value))
			strcpy(tmp, "NaN");
		else if (isinf(value))
			strcpy(tmp, value > 0 ? "Infinity" : "-Infinity");
		else
			double_to_shortest_decimal_buf(value, tmp);
		appendStringInfoChar(&w->buf, ' ');
		appendStringInfoString(&w->buf, tmp);
	}
}

void
state_write_string(StateWriter *w, const char *str, int len)
{
	int			i;

	if (w->binary)
	{
		pq_sendint32(&w->buf, len);
		pq_sendbytes(&w->buf, str, len);
		return;
	}
	enlargeStringInfo(&w->buf, len + 3);
	appendStringInfoString(&w->buf, " \"");
	for (i = 0; i < len; i++)
	{
		if (str[i] == '"' || str[i] == '\\')
			appendStringInfoChar(&w->buf, '\\');
		appendStringInfoChar(&w->buf, str[i]);
	}
	appendStringInfoChar(&w->buf, '"');
}

static pg_attribute_unused() bool
is_mark(char c)
{
	return c != '\0' && strchr("|;,/=()[]{}", c) != NULL;
}

void
state_write_mark(StateWriter *w, char mark)
{
	Assert(is_mark(mark));
	if (w->binary)
		pq_sendbyte(&w->buf, (uint8) mark);
	else
	{
		appendStringInfoChar(&w->buf, ' ');
		appendStringInfoChar(&w->buf, mark);
	}
}

char *
state_write_end_text(StateWriter *w)
{
	Assert(!w->binary);
	return w->buf.data;
}

bytea *
state_write_end_binary(StateWriter *w)
{
	Assert(w->binary);
	return pq_endtypsend(&w->buf);
}

/* ---------- reading ---------- */

void
state_invalid(StateReader *r, const char *fmt,...)
{
	char		msg[256];
	va_list		args;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	ereport(ERROR,
			(errcode(r->binary ? ERRCODE_INVALID_BINARY_REPRESENTATION
					 : ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid %s %s: %s", r->binary ? "external binary" : "input",
					r->type_name, msg),
			 errhint("Aggregate states are produced by socroi's aggregates; "
					 "do not build them by hand.")));
}

/* text: skip exactly one separating space; anything else is malformed */
static void
text_next_field(StateReader *r, const char *field)
{
	if (r->cur >= r->end || *r->cur != ' ')
		state_invalid(r, "missing field \"%s\"", field);
	r->cur++;
	if (r->cur >= r->end)
		state_invalid(r, "missing field \"%s\"", field);
}

/* text: length of the token at r->cur (up to the next space or the end) */
static int
text_token_length(StateReader *r)
{
	const char *p = r->cur;

	while (p < r->end && *p != ' ')
		p++;
	return (int) (p - r->cur);
}

static void
binary_need(StateReader *r, Size bytes, const char *field)
{
	if ((Size) (r->end - r->cur) < bytes)
		state_invalid(r, "truncated at field \"%s\"", field);
}

/* binary: the next 8 bytes, in host byte order */
static uint64
binary_read8(StateReader *r, const char *field)
{
	uint64		n;

	binary_need(r, 8, field);
	memcpy(&n, r->cur, 8);
	r->cur += 8;
	return pg_ntoh64(n);
}

/*
 * text: the next field's token, NUL-terminated in buf (size bytes);
 * "bad <what> for <field>" when it is empty or longer than buf holds
 */
static void
text_read_token(StateReader *r, const char *field, const char *what,
				char *buf, int size)
{
	int			len;

	text_next_field(r, field);
	len = text_token_length(r);
	if (len == 0 || len >= size)
		state_invalid(r, "bad %s for \"%s\"", what, field);
	memcpy(buf, r->cur, len);
	buf[len] = '\0';
	r->cur += len;
}

static int
read_header(StateReader *r, const char *tag)
{
	int			taglen = strlen(tag);
	int64		version;

	if (r->binary)
	{
		uint32		n;
		uint32		v;

		binary_need(r, 4, "tag");
		memcpy(&n, r->cur, 4);
		n = pg_ntoh32(n);
		r->cur += 4;
		if (n != (uint32) taglen)
			state_invalid(r, "wrong tag");
		binary_need(r, taglen, "tag");
		if (memcmp(r->cur, tag, taglen) != 0)
			state_invalid(r, "wrong tag");
		r->cur += taglen;
		binary_need(r, 4, "version");
		memcpy(&v, r->cur, 4);
		r->cur += 4;
		version = (int32) pg_ntoh32(v);
	}
	else
	{
		char	   *endp;

		if (r->end - r->cur < taglen + 2 || memcmp(r->cur, tag, taglen) != 0 ||
			r->cur[taglen] != ':')
			state_invalid(r, "expected \"%s:<version>\" at the start", tag);
		r->cur += taglen + 1;
		if (!isdigit((unsigned char) *r->cur))
			state_invalid(r, "bad version");
		errno = 0;
		version = strtol(r->cur, &endp, 10);
		if (errno != 0 || endp > r->end || version > PG_INT32_MAX)
			state_invalid(r, "bad version");
		r->cur = endp;
	}
	if (version < 1)
		state_invalid(r, "bad version");
	return (int) version;
}

int
state_read_begin_text(StateReader *r, const char *input, const char *type_name,
					  const char *tag)
{
	r->binary = false;
	r->type_name = type_name;
	r->cur = input;
	r->end = input + strlen(input);
	r->version = read_header(r, tag);
	return r->version;
}

void
state_read_open(StateReader *r, FunctionCallInfo fcinfo, bool binary,
				const char *type_name, const char *tag, int oldest, int current)
{
	int			version;

	if (binary)
	{
		StringInfo	msg = (StringInfo) PG_GETARG_POINTER(0);

		version = state_read_begin_binary(r, msg, type_name, tag);
		/* the reader has its own pointers: the message is consumed whole */
		msg->cursor = msg->len;
	}
	else
		version = state_read_begin_text(r, PG_GETARG_CSTRING(0), type_name, tag);
	state_read_check_versions(r, version, oldest, current);
}

Datum
state_write_end_datum(StateWriter *w)
{
	if (w->binary)
		return PointerGetDatum(state_write_end_binary(w));
	return CStringGetDatum(state_write_end_text(w));
}

int
state_read_begin_binary(StateReader *r, StringInfo msg, const char *type_name,
						const char *tag)
{
	int			version;

	r->binary = true;
	r->type_name = type_name;
	r->cur = msg->data + msg->cursor;
	r->end = msg->data + msg->len;
	version = read_header(r, tag);
	r->version = version;
	return version;
}

void
state_newer_version(const char *type_name, int found, int current)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("%s value has format version %d, newer than this socroi library reads (up to %d)",
					type_name, found, current),
			 errdetail("It was written by a later version of socroi."),
			 errhint("Install that socroi version or a later one (then ALTER EXTENSION socroi UPDATE), "
					 "or recompute the value with the aggregates of the installed version.")));
}

void
state_read_check_versions(StateReader *r, int version, int oldest, int current)
{
	Assert(oldest >= 1 && oldest <= current);
	if (version > current)
		state_newer_version(r->type_name, version, current);
	if (version < oldest)
		state_invalid(r, "format version %d is not one this library reads (%d to %d)",
					  version, oldest, current);
	r->version = version;
}

void
state_read_check_version(StateReader *r, int version, int expected)
{
	state_read_check_versions(r, version, expected, expected);
}

int64
state_read_int64(StateReader *r, const char *field)
{
	int64		value;

	if (r->binary)
		value = (int64) binary_read8(r, field);
	else
	{
		char		buf[32];
		char	   *endp;

		text_read_token(r, field, "integer", buf, sizeof(buf));
		errno = 0;
		value = strtoi64(buf, &endp, 10);
		if (errno != 0 || *endp != '\0' || endp == buf)
			state_invalid(r, "bad integer for \"%s\"", field);
	}
	return value;
}

int64
state_read_int_range(StateReader *r, const char *field, int64 min, int64 max)
{
	int64		value = state_read_int64(r, field);

	if (value < min || value > max)
		state_invalid(r, "\"%s\" out of range: " INT64_FORMAT, field, value);
	return value;
}

int
state_read_count(StateReader *r, const char *field, int max, int min_bytes_each)
{
	int64		n = state_read_int_range(r, field, 0, max);

	if (min_bytes_each > 0 && n > (r->end - r->cur) / min_bytes_each)
		state_invalid(r, "\"%s\" = " INT64_FORMAT " exceeds the data present",
					  field, n);
	return (int) n;
}

double
state_read_float8(StateReader *r, const char *field)
{
	double		value;

	if (r->binary)
	{
		uint64		n = binary_read8(r, field);

		memcpy(&value, &n, 8);
	}
	else
	{
		char		buf[64];
		char	   *endp;

		text_read_token(r, field, "number", buf, sizeof(buf));
		if (strcmp(buf, "NaN") == 0)
			value = get_float8_nan();
		else if (strcmp(buf, "Infinity") == 0)
			value = get_float8_infinity();
		else if (strcmp(buf, "-Infinity") == 0)
			value = -get_float8_infinity();
		else
		{
			errno = 0;
			value = strtod(buf, &endp);
			/* ERANGE on denormals is fine; on overflow strtod gives inf */
			if (*endp != '\0' || endp == buf || isnan(value) || isinf(value))
				state_invalid(r, "bad number for \"%s\"", field);
		}
	}
	return value;
}

double
state_read_float8_finite(StateReader *r, const char *field)
{
	double		value = state_read_float8(r, field);

	if (isnan(value) || isinf(value))
		state_invalid(r, "\"%s\" must be finite", field);
	return value;
}

double
state_read_float8_nonneg(StateReader *r, const char *field)
{
	double		value = state_read_float8_finite(r, field);

	if (value < 0)
		state_invalid(r, "\"%s\" must not be negative", field);
	return value;
}

/* a confidence level of the comparison aggregates: strictly inside (0, 1) */
double
state_read_confidence(StateReader *r)
{
	double		value = state_read_float8_finite(r, "confidence");

	if (!(value > 0.0 && value < 1.0))
		state_invalid(r, "confidence must be in (0, 1)");
	return value;
}

char *
state_read_string(StateReader *r, const char *field, int *len)
{
	char	   *result;
	int			n = 0;

	if (r->binary)
	{
		uint32		l;

		binary_need(r, 4, field);
		memcpy(&l, r->cur, 4);
		l = pg_ntoh32(l);
		r->cur += 4;
		if (l > (uint32) (r->end - r->cur) || l >= MaxAllocSize)
			state_invalid(r, "string \"%s\" runs past the end", field);
		result = palloc(l + 1);
		memcpy(result, r->cur, l);
		result[l] = '\0';
		r->cur += l;
		n = (int) l;
	}
	else
	{
		const char *p;

		text_next_field(r, field);
		if (*r->cur != '"')
			state_invalid(r, "expected a quoted string for \"%s\"", field);
		p = r->cur + 1;
		result = palloc(r->end - p + 1);
		for (;;)
		{
			if (p >= r->end)
				state_invalid(r, "unterminated string for \"%s\"", field);
			if (*p == '"')
				break;
			if (*p == '\\')
			{
				p++;
				if (p >= r->end || (*p != '"' && *p != '\\'))
					state_invalid(r, "bad escape in string \"%s\"", field);
			}
			result[n++] = *p++;
		}
		result[n] = '\0';
		r->cur = p + 1;
	}
	if (memchr(result, '\0', n) != NULL)
		state_invalid(r, "string \"%s\" contains a zero byte", field);
	if (!pg_verifymbstr(result, n, true))
		state_invalid(r, "string \"%s\" is not valid in the database encoding",
					  field);
	*len = n;
	return result;
}

void
state_read_mark(StateReader *r, char mark)
{
	if (r->binary)
	{
		binary_need(r, 1, "mark");
		if (*r->cur != mark)
			state_invalid(r, "expected section mark '%c'", mark);
		r->cur++;
	}
	else
	{
		char		field[2] = {mark, '\0'};

		text_next_field(r, field);
		if (*r->cur != mark || (r->cur + 1 < r->end && r->cur[1] != ' '))
			state_invalid(r, "expected section mark '%c'", mark);
		r->cur++;
	}
}

void
state_read_end(StateReader *r)
{
	if (r->cur != r->end)
		state_invalid(r, "unexpected data after the last field");
}

/* ---------- growing flat states ---------- */

struct varlena *
state_reserve(struct varlena *state, Size used, Size needed)
{
	Size		capacity = state ? VARSIZE(state) : 0;
	Size		newcap;

	if (needed <= capacity)
		return state;
	newcap = Max(needed, Max(capacity * 2, (Size) 256));
	newcap = Min(newcap, (Size) MaxAllocSize);
	newcap = MAXALIGN_DOWN(newcap);
	return state_resize(state, used, Max(newcap, needed));
}

struct varlena *
state_resize(struct varlena *state, Size used, Size needed)
{
	Size		capacity = state ? VARSIZE(state) : 0;
	Size		kept;
	struct varlena *grown;

	if (needed <= capacity)
		return state;
	if (needed > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("aggregate state would exceed %zu bytes", (Size) MaxAllocSize),
				 errhint("Aggregate fewer distinct channels, states or patterns per group.")));
	/* the copied part is not zeroed first: large states pay per byte touched */
	kept = (state != NULL) ? Min(used, capacity) : 0;
	grown = (struct varlena *) held_state_regrow(state, needed);
	if (grown == NULL)
	{
		grown = (struct varlena *) held_state_alloc(needed);
		if (kept > 0)
			memcpy(grown, state, kept);
		held_state_replaced(state, grown);
	}
	memset((char *) grown + kept, 0, needed - kept);
	SET_VARSIZE(grown, needed);
	return grown;
}

void
state_corrupt(const char *type_name)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("%s value is not a state of this version of socroi", type_name),
			 errhint("Recompute the state with the aggregate of the installed socroi version.")));
}

void
state_check_version(const char *type_name, int32 found, int32 current)
{
	if (found > current)
		state_newer_version(type_name, found, current);
	if (found != current)
		state_corrupt(type_name);
}

void *
state_arg_convert(FunctionCallInfo fcinfo, int argno, const char *type_name,
				  int32 version, Size min_size, Size max_size,
				  StateConvert convert)
{
	StateHeader *state = (StateHeader *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));
	Size		size = VARSIZE_ANY(state);

	Assert(min_size >= sizeof(StateHeader));
	if (size < sizeof(StateHeader))
		state_corrupt(type_name);
	if (state->version > version)
		state_newer_version(type_name, state->version, version);
	if (state->version < version && state->version >= 1 && convert != NULL)
	{
		/* stored by an older library: its layout, converted */
		state = convert(state, size);
		if (state == NULL)
			state_corrupt(type_name);
		size = VARSIZE(state);
	}
	if (size < min_size || (max_size > 0 && size > max_size) ||
		state->version != version)
		state_corrupt(type_name);
	return state;
}

const void *
state_old_format(const StateHeader *old, Size size, int32 version, Size min_size)
{
	if (old->version != version || size < min_size)
		return NULL;
	return old;
}

void *
state_alloc(Size size, int32 version)
{
	StateHeader *state = palloc0(size);

	SET_VARSIZE(state, size);
	state->version = version;
	return state;
}

void *
state_arg(FunctionCallInfo fcinfo, int argno, const char *type_name,
		  int32 version, Size min_size, Size max_size)
{
	return state_arg_convert(fcinfo, argno, type_name, version, min_size,
							 max_size, NULL);
}
