/*
 * channels.c
 *		SQL entry points for raw hits -> channels (doc/channels.md):
 *		utm(), traffic_source(), source_category(), channel_group(),
 *		is_social().
 *
 * These run once per page view over very large tables, so the hot path
 * allocates nothing but its result: composite results are formed with a
 * row descriptor cached in fn_extra and text fields written to a scratch
 * area that is kept there too (grown geometrically, reused by every call);
 * the own_hosts array is parsed once per distinct value.  No regular
 * expressions: see channels_url.c and channels_rules.c.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/typcache.h"

#include "channels/channels_rules.h"
#include "channels/channels_url.h"
#include "channels/ga4_source_categories.h"
#include "common/common.h"

PG_FUNCTION_INFO_V1(socroi_utm);
PG_FUNCTION_INFO_V1(socroi_traffic_source);
PG_FUNCTION_INFO_V1(socroi_source_category);
PG_FUNCTION_INFO_V1(socroi_channel_group);
PG_FUNCTION_INFO_V1(socroi_channel_group_row);
PG_FUNCTION_INFO_V1(socroi_is_social);

#define UTM_PARAMS_NATTS 8		/* source .. source_platform, click_id */
#define TRAFFIC_SOURCE_NATTS 3	/* source, medium, campaign */

/* per-call-site state of utm() and traffic_source(), in fn_mcxt */
typedef struct ChannelsCache
{
	TupleDesc	tupdesc;		/* the result row type, blessed */
	char	   *scratch;		/* text fields of the row being formed */
	Size		scratch_size;
	/* own_hosts of traffic_source(), parsed for the array value own_raw */
	char	   *own_raw;
	Size		own_raw_len;
	int			own_count;
	char	   *own_names;		/* normalised hosts, back to back */
	int		   *own_off;
	int		   *own_len;
} ChannelsCache;

/* every attribute of utm_params and traffic_source is text */
static const Oid text_row_types[UTM_PARAMS_NATTS] = {
	TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID
};

StaticAssertDecl(TRAFFIC_SOURCE_NATTS <= UTM_PARAMS_NATTS,
				 "text_row_types covers traffic_source");

/* result row descriptor checked against the row type socroi creates */
static ChannelsCache *
channels_cache(FunctionCallInfo fcinfo, const char *type_name, int natts)
{
	ChannelsCache *cache = (ChannelsCache *) fcinfo->flinfo->fn_extra;

	if (cache == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		cache = (ChannelsCache *) palloc0(sizeof(ChannelsCache));
		cache->tupdesc = socroi_result_tupdesc_typed(fcinfo, type_name, natts,
													 text_row_types);
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = cache;
	}
	return cache;
}

/* room for need bytes of text fields; the area is reused by the next call */
static char *
scratch_reserve(FunctionCallInfo fcinfo, ChannelsCache *cache, Size need)
{
	if (need > cache->scratch_size)
	{
		Size		size = Max(need, Min(2 * cache->scratch_size, MaxAllocSize));

		size = Max(size, 1024);
		if (cache->scratch != NULL)
			pfree(cache->scratch);
		cache->scratch = NULL;
		cache->scratch_size = 0;
		cache->scratch = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, size);
		cache->scratch_size = size;
	}
	return cache->scratch;
}

/* room for a text field of up to len bytes at *cursor (int-aligned) */
static inline char *
field_begin(char **cursor)
{
	return (char *) TYPEALIGN(ALIGNOF_INT, *cursor);
}

static inline Datum
field_end(char **cursor, char *field, int len)
{
	SET_VARSIZE(field, VARHDRSZ + len);
	*cursor = field + VARHDRSZ + len;
	return PointerGetDatum(field);
}

/* scratch bytes a field of up to len bytes needs, with alignment */
#define FIELD_ROOM(len) ((Size) (len) + VARHDRSZ + ALIGNOF_INT)

static Datum
field_copy(char **cursor, const char *data, int len)
{
	char	   *field = field_begin(cursor);

	memcpy(VARDATA(field), data, len);
	return field_end(cursor, field, len);
}

static Datum
field_decode(char **cursor, const char *raw, int rawlen)
{
	char	   *field = field_begin(cursor);

	return field_end(cursor, field,
					 channels_form_decode(raw, rawlen, VARDATA(field)));
}

/* a query parameter's decoded value, or NULL when absent or empty */
static inline void
query_field(char **cursor, const ChannelsQuery *query, ChannelsQueryKey key,
			Datum *value, bool *isnull)
{
	*isnull = query->len[key] <= 0;
	if (!*isnull)
		*value = field_decode(cursor, query->value[key], query->len[key]);
}

/*
 * utm(url text) -> utm_params
 */
Datum
socroi_utm(PG_FUNCTION_ARGS)
{
	text	   *url = PG_GETARG_TEXT_PP(0);
	int			url_len = VARSIZE_ANY_EXHDR(url);
	ChannelsCache *cache = channels_cache(fcinfo, "utm_params", UTM_PARAMS_NATTS);
	ChannelsQuery query;
	Datum		values[UTM_PARAMS_NATTS];
	bool		nulls[UTM_PARAMS_NATTS];
	char	   *cursor;
	int			k;

	channels_parse_query(VARDATA_ANY(url), url_len, &query);
	/* decoded values are no longer than their (disjoint) raw spans */
	cursor = scratch_reserve(fcinfo, cache,
							 (Size) url_len + UTM_PARAMS_NATTS * FIELD_ROOM(16));
	for (k = QK_UTM_SOURCE; k <= QK_UTM_SOURCE_PLATFORM; k++)
		query_field(&cursor, &query, (ChannelsQueryKey) k, &values[k], &nulls[k]);
	nulls[7] = query.first_click < 0;
	if (!nulls[7])
	{
		int			name_len;
		const char *name = channels_query_key_name(query.first_click, &name_len);

		values[7] = field_copy(&cursor, name, name_len);
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(cache->tupdesc,
													  values, nulls)));
}

/* ---------- own hosts ---------- */

/*
 * Parse own_hosts unless it is the array parsed last time (compared by its
 * bytes).  Each element is read like a referrer, so "shop.example",
 * "https://www.shop.example/" and "shop.example:443" all name shop.example;
 * elements without a host ('' for instance) are ignored.
 */
static void
load_own_hosts(FunctionCallInfo fcinfo, ChannelsCache *cache, ArrayType *hosts)
{
	Size		raw_len = VARSIZE(hosts);
	MemoryContext old;
	SocroiTextIter iter;
	const char *elem;
	int			elem_len;
	int			n;
	int			used = 0;

	if (cache->own_raw != NULL && cache->own_raw_len == raw_len &&
		memcmp(cache->own_raw, hosts, raw_len) == 0)
		return;

	n = socroi_array_length_1d(hosts, "own_hosts");
	socroi_array_check_no_nulls(hosts, "own_hosts",
								"Remove NULLs with array_remove(own_hosts, NULL).");

	if (cache->own_raw != NULL)
	{
		pfree(cache->own_raw);
		pfree(cache->own_names);
		pfree(cache->own_off);
		pfree(cache->own_len);
		cache->own_raw = NULL;
	}
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	cache->own_names = palloc(raw_len);	/* hosts are shorter than the array */
	cache->own_off = palloc(sizeof(int) * Max(n, 1));
	cache->own_len = palloc(sizeof(int) * Max(n, 1));
	cache->own_count = 0;
	socroi_text_iter_init(&iter, hosts, n);
	while (socroi_text_iter_next(&iter, &elem, &elem_len))
	{
		const char *host;
		int			host_len;

		if (!channels_url_host(elem, elem_len, &host, &host_len))
			continue;
		cache->own_off[cache->own_count] = used;
		cache->own_len[cache->own_count] =
			channels_normalize_host(host, host_len, cache->own_names + used);
		used += cache->own_len[cache->own_count];
		cache->own_count++;
	}
	cache->own_raw = palloc(raw_len);
	memcpy(cache->own_raw, hosts, raw_len);
	cache->own_raw_len = raw_len;
	MemoryContextSwitchTo(old);
}

/* is the normalised host one of own_hosts or a subdomain of one? */
static bool
is_own_host(const ChannelsCache *cache, const char *host, int len)
{
	int			i;

	for (i = 0; i < cache->own_count; i++)
	{
		const char *own = cache->own_names + cache->own_off[i];
		int			own_len = cache->own_len[i];

		if (len == own_len && memcmp(host, own, len) == 0)
			return true;
		if (len > own_len && host[len - own_len - 1] == '.' &&
			memcmp(host + len - own_len, own, own_len) == 0)
			return true;
	}
	return false;
}

/*
 * traffic_source(url text, referrer text, own_hosts text[] DEFAULT NULL)
 *		-> traffic_source
 *
 * Not strict: a NULL url has no parameters, a NULL referrer is no referrer,
 * a NULL own_hosts lists no hosts; so traffic_source(NULL, NULL) is
 * (direct) / (none), which is what GA4 reports for a hit it knows nothing
 * about.
 */
Datum
socroi_traffic_source(PG_FUNCTION_ARGS)
{
	ChannelsCache *cache = channels_cache(fcinfo, "traffic_source", TRAFFIC_SOURCE_NATTS);
	ChannelsQuery query;
	const char *url = NULL;
	int			url_len = 0;
	const char *ref = NULL;
	int			ref_len = 0;
	Datum		values[TRAFFIC_SOURCE_NATTS];
	bool		nulls[TRAFFIC_SOURCE_NATTS] = {false, false, true};
	bool		have_own_hosts = PG_NARGS() > 2 && !PG_ARGISNULL(2);
	char	   *cursor;

	if (!PG_ARGISNULL(0))
	{
		text	   *t = PG_GETARG_TEXT_PP(0);

		url = VARDATA_ANY(t);
		url_len = VARSIZE_ANY_EXHDR(t);
		channels_parse_query(url, url_len, &query);
	}
	else
	{
		int			k;

		for (k = 0; k < QK_COUNT; k++)
			query.len[k] = -1;
		query.first_click = -1;
	}
	if (!PG_ARGISNULL(1))
	{
		text	   *t = PG_GETARG_TEXT_PP(1);

		ref = VARDATA_ANY(t);
		ref_len = VARSIZE_ANY_EXHDR(t);
	}
	/* checked even when the URL decides, so a bad array always raises */
	if (have_own_hosts)
		load_own_hosts(fcinfo, cache, PG_GETARG_ARRAYTYPE_P(2));
	/* one branch below writes: URL values (tagged) or the referrer's host */
	cursor = scratch_reserve(fcinfo, cache,
							 (Size) Max(url_len, ref_len) +
							 TRAFFIC_SOURCE_NATTS * FIELD_ROOM(16));

	if (query.len[QK_UTM_SOURCE] > 0 || query.len[QK_UTM_MEDIUM] > 0)
	{
		/* manual tagging */
		query_field(&cursor, &query, QK_UTM_SOURCE, &values[0], &nulls[0]);
		query_field(&cursor, &query, QK_UTM_MEDIUM, &values[1], &nulls[1]);
		query_field(&cursor, &query, QK_UTM_CAMPAIGN, &values[2], &nulls[2]);
	}
	else if (query.len[QK_GCLID] > 0 || query.len[QK_GBRAID] > 0 ||
			 query.len[QK_WBRAID] > 0)
	{
		/* Google Ads auto-tagging */
		values[0] = field_copy(&cursor, "google", 6);
		values[1] = field_copy(&cursor, "cpc", 3);
		query_field(&cursor, &query, QK_UTM_CAMPAIGN, &values[2], &nulls[2]);
	}
	else
	{
		const char *host;
		int			host_len;
		bool		direct = true;

		if (ref != NULL && channels_url_host(ref, ref_len, &host, &host_len))
		{
			char	   *field = field_begin(&cursor);
			int			len = channels_normalize_host(host, host_len,
													  VARDATA(field));

			if (!have_own_hosts || !is_own_host(cache, VARDATA(field), len))
			{
				const char *engine;
				int			engine_len;

				direct = false;
				engine = channels_search_engine(VARDATA(field), len, &engine_len);
				if (engine != NULL)
				{
					values[0] = field_copy(&cursor, engine, engine_len);
					values[1] = field_copy(&cursor, "organic", 7);
				}
				else
				{
					values[0] = field_end(&cursor, field, len);
					values[1] = field_copy(&cursor, "referral", 8);
				}
			}
		}
		if (direct)
		{
			cursor = cache->scratch;
			values[0] = field_copy(&cursor, "(direct)", 8);
			values[1] = field_copy(&cursor, "(none)", 6);
		}
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(cache->tupdesc,
													  values, nulls)));
}

/* ---------- categories and channel groups ---------- */

static const char *const category_names[] = {
	[SOCROI_SOURCE_NONE] = NULL,
	[SOCROI_SOURCE_SOCIAL] = "social",
	[SOCROI_SOURCE_SEARCH] = "search",
	[SOCROI_SOURCE_VIDEO] = "video",
	[SOCROI_SOURCE_SHOPPING] = "shopping",
};

/* source_category(source text) -> text */
Datum
socroi_source_category(PG_FUNCTION_ARGS)
{
	text	   *source = PG_GETARG_TEXT_PP(0);
	SocroiSourceCategory category =
		ga4_source_category(VARDATA_ANY(source), VARSIZE_ANY_EXHDR(source));

	if (category == SOCROI_SOURCE_NONE)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(category_names[category]));
}

/* is_social(source text) -> boolean */
Datum
socroi_is_social(PG_FUNCTION_ARGS)
{
	text	   *source = PG_GETARG_TEXT_PP(0);

	PG_RETURN_BOOL(ga4_source_category(VARDATA_ANY(source),
									   VARSIZE_ANY_EXHDR(source)) ==
				   SOCROI_SOURCE_SOCIAL);
}

/* bytes of a nullable text argument */
static inline const char *
nullable_text(FunctionCallInfo fcinfo, int argno, int *len)
{
	text	   *t;

	if (PG_NARGS() <= argno || PG_ARGISNULL(argno))
	{
		*len = 0;
		return NULL;
	}
	t = PG_GETARG_TEXT_PP(argno);
	*len = VARSIZE_ANY_EXHDR(t);
	return VARDATA_ANY(t);
}

/*
 * channel_group(source text, medium text, campaign text DEFAULT NULL) -> text
 *
 * Not strict: NULL (or empty) source reads as "(direct)", medium as "(none)".
 */
Datum
socroi_channel_group(PG_FUNCTION_ARGS)
{
	int			source_len,
				medium_len,
				campaign_len,
				group_len;
	const char *source = nullable_text(fcinfo, 0, &source_len);
	const char *medium = nullable_text(fcinfo, 1, &medium_len);
	const char *campaign = nullable_text(fcinfo, 2, &campaign_len);
	const char *group = channels_default_group(source, source_len,
											   medium, medium_len,
											   campaign, campaign_len,
											   &group_len);

	PG_RETURN_TEXT_P(cstring_to_text_with_len(group, group_len));
}

/* the row type descriptor of channel_group(traffic_source), in fn_mcxt */
typedef struct RowArgCache
{
	Oid			typid;
	int32		typmod;
	TupleDesc	tupdesc;
} RowArgCache;

/* a text attribute of a traffic_source row, or NULL */
static inline const char *
row_text(HeapTuple tuple, int attnum, TupleDesc tupdesc, int *len)
{
	bool		isnull;
	Datum		d = heap_getattr(tuple, attnum, tupdesc, &isnull);

	if (isnull)
	{
		*len = 0;
		return NULL;
	}
	{
		/* a field of a row may be stored compressed inside it: detoast */
		text	   *t = DatumGetTextPP(d);

		*len = VARSIZE_ANY_EXHDR(t);
		return VARDATA_ANY(t);
	}
}

/*
 * channel_group(traffic_source) -> text, strict: the row's source, medium
 * and campaign, so channel_group(traffic_source(url, referrer)) works.
 */
Datum
socroi_channel_group_row(PG_FUNCTION_ARGS)
{
	HeapTupleHeader row = PG_GETARG_HEAPTUPLEHEADER(0);
	Oid			typid = HeapTupleHeaderGetTypeId(row);
	int32		typmod = HeapTupleHeaderGetTypMod(row);
	RowArgCache *cache = (RowArgCache *) fcinfo->flinfo->fn_extra;
	HeapTupleData tuple;
	int			source_len,
				medium_len,
				campaign_len,
				group_len;
	const char *source,
			   *medium,
			   *campaign,
			   *group;

	if (cache == NULL || cache->typid != typid || cache->typmod != typmod)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		TupleDesc	tupdesc = lookup_rowtype_tupdesc_copy(typid, typmod);

		MemoryContextSwitchTo(old);
		socroi_check_row_type(tupdesc, "traffic_source", TRAFFIC_SOURCE_NATTS,
							  text_row_types);
		if (cache == NULL)
			cache = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt,
									   sizeof(RowArgCache));
		cache->typid = typid;
		cache->typmod = typmod;
		cache->tupdesc = tupdesc;
		fcinfo->flinfo->fn_extra = cache;
	}

	tuple.t_len = HeapTupleHeaderGetDatumLength(row);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = row;
	source = row_text(&tuple, 1, cache->tupdesc, &source_len);
	medium = row_text(&tuple, 2, cache->tupdesc, &medium_len);
	campaign = row_text(&tuple, 3, cache->tupdesc, &campaign_len);
	group = channels_default_group(source, source_len, medium, medium_len,
								   campaign, campaign_len, &group_len);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(group, group_len));
}
