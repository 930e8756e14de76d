/*
 * option_list.c
 *		Option lists written as text (grammar in option_list.h) and the
 *		fixed-length intervals in them.
 *
 * Intervals are read with PostgreSQL's own interval input (the routines of
 * interval_in, which report errors instead of raising them, so the message
 * can name the option) and kept as fixed microseconds: a day counts 24
 * hours, and months or years are refused because their length varies --
 * "30 days" says what is meant.
 */
#include "postgres.h"

#include <ctype.h>

#include "common/int.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "common/option_list.h"

const char *
socroi_skip_blanks(const char *p)
{
	while (*p && isspace((unsigned char) *p))
		p++;
	return p;
}

const char *
socroi_read_word(const char *p, char *buf, int bufsize)
{
	int			n = 0;

	if (!(isalpha((unsigned char) *p) || *p == '_'))
		return NULL;
	while (isalnum((unsigned char) *p) || *p == '_')
	{
		if (n < bufsize - 1)
			buf[n] = pg_ascii_tolower((unsigned char) *p);
		n++;
		p++;
	}
	buf[n < bufsize ? n : 0] = '\0';
	return p;
}

const char *
socroi_scan_option_value(const char *p, char **value, int *len,
						 SocroiValueProblem *problem)
{
	StringInfoData buf;

	*problem = SOCROI_VALUE_OK;
	initStringInfo(&buf);
	if (*p == '"')
	{
		p++;
		for (;;)
		{
			if (*p == '\0')
			{
				*problem = SOCROI_VALUE_UNTERMINATED;
				break;
			}
			if (*p == '"')
			{
				if (p[1] != '"')
					break;
				p++;
			}
			appendStringInfoChar(&buf, *p++);
		}
		if (*problem == SOCROI_VALUE_OK)
			p++;				/* the closing quote */
	}
	else
	{
		const char *start = p;
		const char *end;

		while (*p && *p != ',' && *p != ')')
			p++;
		end = p;
		while (end > start && isspace((unsigned char) end[-1]))
			end--;
		appendBinaryStringInfo(&buf, start, end - start);
		if (end == start)
			*problem = SOCROI_VALUE_MISSING;
		else if (memchr(start, '(', end - start) || memchr(start, '"', end - start))
			*problem = SOCROI_VALUE_NEEDS_QUOTES;
	}
	*value = buf.data;
	*len = buf.len;
	return *problem == SOCROI_VALUE_OK ? p : NULL;
}

const char *
socroi_value_problem_message(SocroiValueProblem problem, const char *value,
							 int len, const SocroiValueWords *words)
{
	switch (problem)
	{
		case SOCROI_VALUE_OK:
			break;
		case SOCROI_VALUE_UNTERMINATED:
			return words->unterminated;
		case SOCROI_VALUE_MISSING:
			return words->missing;
		case SOCROI_VALUE_NEEDS_QUOTES:
			return psprintf("%s \"%.*s\" %s", words->quote_before, len, value,
							words->quote_after);
	}
	elog(ERROR, "option value without a problem");
	return NULL;				/* keep compiler quiet */
}

/* a value of an option list, the problems in this file's words */
static const char *
read_value(const char *p, const char *what, const char *key, char **value,
		   int *len, const char **error)
{
	SocroiValueProblem problem;

	p = socroi_scan_option_value(p, value, len, &problem);
	if (p == NULL)
	{
		SocroiValueWords words;

		words.unterminated = psprintf("unterminated quoted value of %s %s", what, key);
		words.missing = psprintf("missing value of %s %s", what, key);
		words.quote_before = "value";
		words.quote_after = psprintf("of %s %s must be double-quoted", what, key);
		*error = socroi_value_problem_message(problem, *value, *len, &words);
	}
	return p;
}

bool
socroi_read_options(const char **pp, bool in_parens, const char *what,
					SocroiOption **opts, int *nopts, const char **error,
					const char **hint)
{
	const char *p = socroi_skip_blanks(*pp);
	int			cap = 4;
	int			n = 0;
	SocroiOption *o = palloc(sizeof(SocroiOption) * cap);

	*error = NULL;
	*hint = NULL;
	if ((in_parens && *p == ')') || (!in_parens && *p == '\0'))
		goto done;
	for (;;)
	{
		SocroiOption *opt;

		if (n == cap)
		{
			cap *= 2;
			o = repalloc(o, sizeof(SocroiOption) * cap);
		}
		opt = &o[n];
		p = socroi_read_word(p, opt->key, sizeof(opt->key));
		if (p == NULL)
		{
			*error = psprintf("invalid %s list: expected an option name", what);
			*hint = "Write options as key=value pairs separated by commas.";
			return false;
		}
		p = socroi_skip_blanks(p);
		if (*p != '=')
		{
			*error = psprintf("invalid %s list: expected \"=\" after %s", what, opt->key);
			*hint = "Write options as key=value pairs separated by commas.";
			return false;
		}
		p = socroi_skip_blanks(p + 1);
		p = read_value(p, what, opt->key, &opt->value, &opt->len, error);
		if (p == NULL)
		{
			*hint = "Quote values that contain parentheses, commas or quotes, "
				"e.g. direct=\"(direct)\"; a quote inside is written twice.";
			return false;
		}
		if (strlen(opt->value) != (size_t) opt->len)
		{
			*error = psprintf("%s %s contains a zero byte", what, opt->key);
			return false;
		}
		n++;
		p = socroi_skip_blanks(p);
		if (*p == ',')
		{
			p = socroi_skip_blanks(p + 1);
			continue;
		}
		if ((in_parens && *p == ')') || (!in_parens && *p == '\0'))
			break;
		*error = psprintf("invalid %s list: expected \",\"%s", what,
						  in_parens ? " or \")\"" : " or the end");
		*hint = "Write options as key=value pairs separated by commas.";
		return false;
	}
done:
	if (in_parens)
		p++;					/* the ')' */
	*pp = p;
	*opts = o;
	*nopts = n;
	return true;
}

bool
socroi_parse_interval_us(const char *what, const char *key, const char *value,
						 int64 *out, const char **error, const char **hint)
{
	struct pg_itm_in itm_in;
	Interval	span;
	char	   *field[MAXDATEFIELDS];
	int			ftype[MAXDATEFIELDS];
	char		workbuf[256];
	int			nf;
	int			dtype = 0;
	int			dterr;
	int64		us;

	memset(&itm_in, 0, sizeof(itm_in));
	dterr = ParseDateTime(value, workbuf, sizeof(workbuf), field, ftype,
						  MAXDATEFIELDS, &nf);
	if (dterr == 0)
		dterr = DecodeInterval(field, ftype, nf, INTERVAL_FULL_RANGE, &dtype,
							   &itm_in);
	if (dterr == DTERR_BAD_FORMAT)
	{
		memset(&itm_in, 0, sizeof(itm_in));
		dterr = DecodeISO8601Interval(pstrdup(value), &dtype, &itm_in);
	}
	if (dterr != 0 || dtype != DTK_DELTA || itmin2interval(&itm_in, &span) != 0)
	{
		*error = psprintf("%s %s must be an interval, got \"%s\"", what, key, value);
		*hint = "Write an interval such as 7 days, 36 hours or 90 minutes.";
		return false;
	}
	if (span.month != 0)
	{
		*error = psprintf("%s %s must not use months or years, got \"%s\"",
						  what, key, value);
		*hint = "Months and years have no fixed length; write days instead, e.g. 30 days.";
		return false;
	}
	if (pg_mul_s64_overflow((int64) span.day, USECS_PER_DAY, &us) ||
		pg_add_s64_overflow(us, span.time, &us))
	{
		*error = psprintf("%s %s is out of range: \"%s\"", what, key, value);
		return false;
	}
	if (us <= 0)
	{
		*error = psprintf("%s %s must be a positive interval, got \"%s\"",
						  what, key, value);
		return false;
	}
	*out = us;
	return true;
}

void
socroi_append_interval(StringInfo buf, int64 us)
{
	static const struct
	{
		int64		unit;
		const char *name;
	}			units[] = {
		{USECS_PER_DAY, "day"},
		{USECS_PER_HOUR, "hour"},
		{USECS_PER_MINUTE, "minute"},
		{USECS_PER_SEC, "second"},
	};
	int			i;

	for (i = 0; i < lengthof(units); i++)
	{
		if (us % units[i].unit == 0)
		{
			int64		n = us / units[i].unit;

			appendStringInfo(buf, INT64_FORMAT " %s%s", n, units[i].name,
							 n == 1 ? "" : "s");
			return;
		}
	}
	{
		char		frac[8];
		int			len;

		snprintf(frac, sizeof(frac), "%06d", (int) (us % USECS_PER_SEC));
		len = 6;
		while (len > 0 && frac[len - 1] == '0')
			len--;
		frac[len] = '\0';
		appendStringInfo(buf, INT64_FORMAT ".%s seconds", us / USECS_PER_SEC, frac);
	}
}

bool
socroi_parse_int_option(const char *what, const char *key, const char *value,
						int64 min, int64 max, int64 *out, const char **error)
{
	char	   *end;
	long long	k;

	errno = 0;
	k = strtoll(value, &end, 10);
	if (end == value || *end != '\0' || errno != 0 || k < min || k > max)
	{
		*error = psprintf("%s %s must be an integer from " INT64_FORMAT " to " INT64_FORMAT ", got \"%s\"",
						  what, key, min, max, value);
		return false;
	}
	*out = (int64) k;
	return true;
}

void
socroi_append_option_value(StringInfo buf, const char *s, int len)
{
	bool		quote = (len == 0 || isspace((unsigned char) s[0]) ||
						 isspace((unsigned char) s[len - 1]));
	int			i;

	for (i = 0; i < len && !quote; i++)
		if (s[i] == ',' || s[i] == '(' || s[i] == ')' || s[i] == '"')
			quote = true;
	if (!quote)
	{
		appendBinaryStringInfo(buf, s, len);
		return;
	}
	appendStringInfoChar(buf, '"');
	for (i = 0; i < len; i++)
	{
		if (s[i] == '"')
			appendStringInfoChar(buf, '"');
		appendStringInfoChar(buf, s[i]);
	}
	appendStringInfoChar(buf, '"');
}
