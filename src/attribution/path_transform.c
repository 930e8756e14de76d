/*
 * path_transform.c
 *		path_transform(path, how): the path rewrites of fractribution and
 *		Snowplow (doc/attribution.md, "path_transform").
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "attribution/attribution_model.h"
#include "common/common.h"

PG_FUNCTION_INFO_V1(socroi_path_transform);

typedef enum PathTransform
{
	PT_EXPOSURE,
	PT_FIRST,
	PT_UNIQUE,
	PT_FREQUENCY
} PathTransform;

/*
 * Distinct channels of a path in order of first occurrence with their
 * counts: an open-addressing table over hash_bytes(), slots = power of 2
 * >= 2n.  Returns the number of distinct channels.
 */
static int
distinct_touches(const char **data, const int *len, int n, int *first_of,
				 int *count)
{
	int			slots = 8;
	int		   *table;
	int			distinct = 0;
	int			i;

	while (slots < 2 * n)
		slots *= 2;
	table = palloc(sizeof(int) * slots);
	memset(table, -1, sizeof(int) * slots);
	for (i = 0; i < n; i++)
	{
		uint32		h = hash_bytes((const unsigned char *) data[i], len[i]);
		int			j = h & (slots - 1);

		for (;;)
		{
			int			d = table[j];

			if (d < 0)
			{
				table[j] = distinct;
				first_of[distinct] = i;
				count[distinct] = 1;
				distinct++;
				break;
			}
			if (len[first_of[d]] == len[i] &&
				memcmp(data[first_of[d]], data[i], len[i]) == 0)
			{
				count[d]++;
				break;
			}
			j = (j + 1) & (slots - 1);
		}
	}
	pfree(table);
	return distinct;
}

Datum
socroi_path_transform(PG_FUNCTION_ARGS)
{
	ArrayType  *path = PG_GETARG_ARRAYTYPE_P(0);
	char	   *how = text_to_cstring(PG_GETARG_TEXT_PP(1));
	int			n = socroi_text_array_length(path, "path", ATTR_PATH_NULL_HINT);
	PathTransform kind;
	const char **data;
	int		   *len;
	const char **out;
	int		   *outlen;
	int			m = 0;
	int			i;
	SocroiTextIter it;

	if (pg_strcasecmp(how, "exposure") == 0)
		kind = PT_EXPOSURE;
	else if (pg_strcasecmp(how, "first") == 0)
		kind = PT_FIRST;
	else if (pg_strcasecmp(how, "unique") == 0)
		kind = PT_UNIQUE;
	else if (pg_strcasecmp(how, "frequency") == 0)
		kind = PT_FREQUENCY;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown path transform \"%s\"", how),
				 errhint("Valid transforms: exposure (collapse consecutive repeats), "
						 "first (first occurrence of each channel), unique (the path as is), "
						 "frequency (first occurrences with their counts, e.g. a(2)).")));
	if (n == 0 || kind == PT_UNIQUE)
		PG_RETURN_ARRAYTYPE_P(path);

	data = palloc(sizeof(char *) * n);
	len = palloc(sizeof(int) * n);
	out = palloc(sizeof(char *) * n);
	outlen = palloc(sizeof(int) * n);
	socroi_text_iter_init(&it, path, n);
	for (i = 0; socroi_text_iter_next(&it, &data[i], &len[i]); i++)
		;

	if (kind == PT_EXPOSURE)
	{
		for (i = 0; i < n; i++)
		{
			if (m > 0 && outlen[m - 1] == len[i] &&
				memcmp(out[m - 1], data[i], len[i]) == 0)
				continue;
			out[m] = data[i];
			outlen[m] = len[i];
			m++;
		}
	}
	else
	{
		int		   *first_of = palloc(sizeof(int) * n);
		int		   *count = palloc(sizeof(int) * n);

		m = distinct_touches(data, len, n, first_of, count);
		for (i = 0; i < m; i++)
		{
			const char *d = data[first_of[i]];
			int			l = len[first_of[i]];

			if (kind == PT_FIRST)
			{
				out[i] = d;
				outlen[i] = l;
			}
			else
			{
				char	   *s = psprintf("%.*s(%d)", l, d, count[i]);

				out[i] = s;
				outlen[i] = strlen(s);
			}
		}
	}
	PG_RETURN_ARRAYTYPE_P(socroi_make_text_array(out, outlen, m));
}
