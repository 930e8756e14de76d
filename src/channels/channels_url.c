/*
 * channels_url.c
 *		Query strings, form decoding, referrer hosts and search engines for
 *		utm() and traffic_source() (doc/channels.md).
 *
 * Web data is messy, so nothing here raises: a malformed URL simply yields
 * fewer parameters, a malformed escape is kept literally, a referrer without
 * a recognisable host counts as no referrer.  Everything works on the
 * caller's bytes; nothing allocates.
 */
#include "postgres.h"

#include "mb/pg_wchar.h"

#include "channels/channels_url.h"
#include "common/common.h"

/* ---------- query strings ---------- */

typedef struct QueryKeyName
{
	const char *name;
	int			len;
} QueryKeyName;

/* indexed by ChannelsQueryKey */
static const QueryKeyName query_keys[QK_COUNT] = {
	{"utm_source", 10},
	{"utm_medium", 10},
	{"utm_campaign", 12},
	{"utm_term", 8},
	{"utm_content", 11},
	{"utm_id", 6},
	{"utm_source_platform", 19},
	{"gclid", 5},
	{"gbraid", 6},
	{"wbraid", 6},
	{"dclid", 5},
	{"fbclid", 6},
	{"msclkid", 7},
	{"ttclid", 6},
	{"li_fat_id", 9},
};

#define QK_MIN_NAME_LEN 5
#define QK_MAX_NAME_LEN 19

const char *
channels_query_key_name(ChannelsQueryKey key, int *len)
{
	Assert(key >= 0 && key < QK_COUNT);
	*len = query_keys[key].len;
	return query_keys[key].name;
}

static inline int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = socroi_ascii_lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* the byte of a "%XX" escape at src[i], or -1 when there is none */
static inline int
escaped_byte(const char *src, int i, int len)
{
	int			hi,
				lo;

	if (i + 2 >= len || src[i] != '%')
		return -1;
	hi = hex_value((unsigned char) src[i + 1]);
	lo = hex_value((unsigned char) src[i + 2]);
	if (hi < 0 || lo < 0)
		return -1;
	return (hi << 4) | lo;
}

/*
 * application/x-www-form-urlencoded decoding (WHATWG URL standard, "percent-
 * decode" after replacing '+' by a space), with two guards so the result is
 * always a valid text value:
 *  - "%00" stays literally (text cannot hold a NUL byte);
 *  - a non-ASCII escape decodes only as part of a complete, legal UTF-8
 *	  sequence of escapes (e.g. "%C3%A9"); otherwise that '%' stays literally.
 *	  Non-ASCII escapes decode only in UTF8 (and SQL_ASCII) databases; in
 *	  other server encodings they stay literally.
 * A '%' not followed by two hex digits stays literally, as the standard says.
 * The output is never longer than the input.
 */
int
channels_form_decode(const char *src, int len, char *dst)
{
	int			encoding = GetDatabaseEncoding();
	bool		decode_utf8 = (encoding == PG_UTF8 || encoding == PG_SQL_ASCII);
	int			i = 0;
	int			o = 0;

	while (i < len)
	{
		unsigned char c = (unsigned char) src[i];
		int			b;

		if (c == '+')
		{
			dst[o++] = ' ';
			i++;
			continue;
		}
		if (c != '%' || (b = escaped_byte(src, i, len)) <= 0)
		{
			/* ordinary byte, malformed escape or "%00": copy the byte */
			dst[o++] = (char) c;
			i++;
			continue;
		}
		if (b < 0x80)
		{
			dst[o++] = (char) b;
			i += 3;
			continue;
		}
		if (decode_utf8)
		{
			unsigned char seq[4];
			int			n;
			int			j;
			bool		complete = true;

			seq[0] = (unsigned char) b;
			n = pg_utf_mblen(seq);
			for (j = 1; j < n && complete; j++)
			{
				int			cb = escaped_byte(src, i + 3 * j, len);

				if (cb < 0)
					complete = false;
				else
					seq[j] = (unsigned char) cb;
			}
			if (n >= 2 && complete && pg_utf8_islegal(seq, n))
			{
				memcpy(dst + o, seq, n);
				o += n;
				i += 3 * n;
				continue;
			}
		}
		/* an escape that does not form a character: keep the '%' */
		dst[o++] = '%';
		i++;
	}
	return o;
}

/* which parameter does the raw key k[0..klen) name?  -1 for none */
static int
match_query_key(const char *k, int klen)
{
	char		decoded[3 * QK_MAX_NAME_LEN];
	int			i;

	if (klen < QK_MIN_NAME_LEN)
		return -1;
	if (memchr(k, '%', klen) != NULL || memchr(k, '+', klen) != NULL)
	{
		/* names are form-encoded too: "utm%5Fsource" is utm_source */
		if (klen > (int) sizeof(decoded))
			return -1;
		klen = channels_form_decode(k, klen, decoded);
		k = decoded;
	}
	if (klen > QK_MAX_NAME_LEN)
		return -1;
	for (i = 0; i < QK_COUNT; i++)
		if (query_keys[i].len == klen &&
			socroi_ascii_eq_ci(k, query_keys[i].name, klen))
			return i;
	return -1;
}

/*
 * Record the parameters socroi reads from the query string of url: the part
 * after the first '?' up to the next '#' (a '?' inside the fragment does not
 * start a query).  Parameters are separated by '&'; a parameter without '='
 * has an empty value.  Names are matched ASCII case-insensitively; the first
 * occurrence of a name wins.
 */
void
channels_parse_query(const char *url, int len, ChannelsQuery *query)
{
	const char *qmark;
	const char *p;
	const char *end;
	int			k;

	for (k = 0; k < QK_COUNT; k++)
	{
		query->value[k] = NULL;
		query->len[k] = -1;
	}
	query->first_click = -1;

	qmark = memchr(url, '?', len);
	if (qmark == NULL || memchr(url, '#', qmark - url) != NULL)
		return;
	p = qmark + 1;
	end = memchr(p, '#', url + len - p);
	if (end == NULL)
	{
		/* trailing spaces and controls are not part of a URL */
		end = url + len;
		while (end > p && (unsigned char) end[-1] <= ' ')
			end--;
	}

	for (;;)
	{
		const char *amp = memchr(p, '&', end - p);
		const char *param_end = amp ? amp : end;
		const char *eq = memchr(p, '=', param_end - p);
		const char *key_end = eq ? eq : param_end;

		k = match_query_key(p, key_end - p);
		if (k >= 0 && query->len[k] < 0)
		{
			query->value[k] = eq ? eq + 1 : param_end;
			query->len[k] = eq ? param_end - (eq + 1) : 0;
			if (k >= QK_FIRST_CLICK_ID && query->len[k] > 0 &&
				query->first_click < 0)
				query->first_click = k;
		}
		if (amp == NULL)
			break;
		p = amp + 1;
	}
}

/* ---------- hosts ---------- */

static inline bool
is_ascii_alpha(unsigned char c)
{
	c = socroi_ascii_lower(c);
	return c >= 'a' && c <= 'z';
}

static inline bool
is_ascii_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Characters of a registered host name: letters, digits, '-', '.', '_', '~',
 * '%' (escaped) and non-ASCII bytes (internationalised names).  Anything else
 * -- a space, parentheses as in the placeholder "(direct)" -- means the
 * string is not a host.
 */
static inline bool
is_host_char(unsigned char c)
{
	return is_ascii_alpha(c) || is_ascii_digit(c) || c == '-' || c == '.' ||
		c == '_' || c == '~' || c == '%' || c >= 0x80;
}

bool
channels_url_host(const char *url, int len, const char **host, int *hostlen)
{
	const char *p = url;
	const char *end = url + len;
	const char *auth;
	const char *auth_end;
	const char *h;
	const char *h_end;
	const char *s;

	/* leading and trailing spaces and controls are not part of a URL */
	while (p < end && (unsigned char) *p <= ' ')
		p++;
	while (end > p && (unsigned char) end[-1] <= ' ')
		end--;
	if (p == end)
		return false;

	auth = p;
	if (is_ascii_alpha((unsigned char) *p))
	{
		/* a scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
		for (s = p + 1; s < end; s++)
		{
			unsigned char c = (unsigned char) *s;

			if (!(is_ascii_alpha(c) || is_ascii_digit(c) ||
				  c == '+' || c == '-' || c == '.'))
				break;
		}
		if (s < end && *s == ':')
		{
			if (end - s >= 3 && s[1] == '/' && s[2] == '/')
				auth = s + 3;
			else if (s + 1 < end && is_ascii_digit((unsigned char) s[1]))
				auth = p;		/* no scheme: "example.com:8080/..." */
			else
				return false;	/* about:blank, mailto:, data:, ... */
		}
	}
	else if (end - p >= 2 && p[0] == '/' && p[1] == '/')
		auth = p + 2;			/* scheme-relative "//host/..." */

	/* the authority ends where the path, query or fragment starts */
	for (auth_end = auth; auth_end < end; auth_end++)
	{
		char		c = *auth_end;

		if (c == '/' || c == '?' || c == '#' || c == '\\')
			break;
	}
	/* drop "user:password@" */
	for (s = auth_end; s > auth; s--)
	{
		if (s[-1] == '@')
		{
			auth = s;
			break;
		}
	}

	h = auth;
	if (h < auth_end && *h == '[')
	{
		/* an IPv6 literal keeps its brackets */
		const char *close = memchr(h, ']', auth_end - h);

		if (close == NULL)
			return false;
		h_end = close + 1;
	}
	else
	{
		const char *colon = memchr(h, ':', auth_end - h);

		h_end = colon ? colon : auth_end;
		for (s = h; s < h_end; s++)
			if (!is_host_char((unsigned char) *s))
				return false;
	}
	/* "example.com." is example.com */
	while (h_end > h && h_end[-1] == '.')
		h_end--;
	if (h_end == h)
		return false;
	*host = h;
	*hostlen = h_end - h;
	return true;
}

int
channels_normalize_host(const char *host, int hostlen, char *dst)
{
	int			i;

	if (hostlen > 4 && socroi_ascii_eq_ci(host, "www.", 4))
	{
		host += 4;
		hostlen -= 4;
	}
	for (i = 0; i < hostlen; i++)
		dst[i] = (char) socroi_ascii_lower((unsigned char) host[i]);
	return hostlen;
}

/* ---------- search engines ---------- */

/* which subdomains (left of the engine's name, after "www." is removed) count */
#define SUB_BARE	0x01		/* none: google.nl, www.google.nl */
#define SUB_M		0x02		/* "m": m.baidu.com */
#define SUB_SEARCH	0x04		/* "search" or "*.search": nl.search.yahoo.com */
#define SUB_ANY		0x08		/* any: cn.bing.com */

typedef struct SearchEngine
{
	const char *label;			/* the domain label left of the public suffix */
	int			label_len;
	const char *name;			/* the source name reported */
	int			name_len;
	int			subdomains;
	const char *suffix;			/* the only public suffix, or NULL: any */
} SearchEngine;

/*
 * Major web search engines.  The name is matched as the label just left of
 * the public suffix (google in www.google.co.uk), so "google.evil.com" is not
 * Google; other Google hosts (mail., docs., news.) are referrals, as in GA4.
 */
static const SearchEngine search_engines[] = {
	{"google", 6, "google", 6, SUB_BARE, NULL},
	{"bing", 4, "bing", 4, SUB_ANY, NULL},
	{"yahoo", 5, "yahoo", 5, SUB_BARE | SUB_SEARCH, NULL},
	{"duckduckgo", 10, "duckduckgo", 10, SUB_ANY, NULL},
	{"yandex", 6, "yandex", 6, SUB_BARE | SUB_M, NULL},
	{"ya", 2, "yandex", 6, SUB_BARE | SUB_M, "ru"},
	{"baidu", 5, "baidu", 5, SUB_BARE | SUB_M, NULL},
	{"ecosia", 6, "ecosia", 6, SUB_ANY, NULL},
	{"naver", 5, "naver", 5, SUB_SEARCH, NULL},
	{"seznam", 6, "seznam", 6, SUB_BARE | SUB_SEARCH, NULL},
	{"qwant", 5, "qwant", 5, SUB_ANY, NULL},
	{"startpage", 9, "startpage", 9, SUB_ANY, NULL},
	{"brave", 5, "brave", 5, SUB_SEARCH, NULL},
	{"sogou", 5, "sogou", 5, SUB_BARE | SUB_M, NULL},
	{"daum", 4, "daum", 4, SUB_SEARCH, NULL},
	{"ask", 3, "ask", 3, SUB_BARE, "com"},	/* ask.fm is a social site */
	{"aol", 3, "aol", 3, SUB_SEARCH, NULL},
};

/*
 * second-level labels of two-label public suffixes (co.uk, com.br, ne.jp);
 * the caller accepts them only before a two-letter country code
 */
static bool
is_second_level_label(const char *label, int len)
{
	switch (len)
	{
		case 2:
			return memcmp(label, "co", 2) == 0 || memcmp(label, "ac", 2) == 0 ||
				memcmp(label, "ne", 2) == 0 || memcmp(label, "or", 2) == 0 ||
				memcmp(label, "go", 2) == 0;
		case 3:
			return memcmp(label, "com", 3) == 0 || memcmp(label, "net", 3) == 0 ||
				memcmp(label, "org", 3) == 0 || memcmp(label, "gov", 3) == 0 ||
				memcmp(label, "edu", 3) == 0 || memcmp(label, "gob", 3) == 0;
		default:
			return false;
	}
}

/* index of the last '.' in s[0..end), or -1 */
static inline int
last_dot(const char *s, int end)
{
	while (--end >= 0)
		if (s[end] == '.')
			return end;
	return -1;
}

const char *
channels_search_engine(const char *host, int hostlen, int *namelen)
{
	int			tld_dot = last_dot(host, hostlen);
	int			label_end;
	int			label_dot;
	const char *label;
	int			label_len;
	int			prefix_len;
	int			i;

	if (tld_dot <= 0)
		return NULL;			/* a single label ("localhost") */
	label_end = tld_dot;
	{
		int			sld_dot = last_dot(host, tld_dot);

		/* google.com.br, but not google.com.evil */
		if (sld_dot > 0 && hostlen - tld_dot - 1 == 2 &&
			is_second_level_label(host + sld_dot + 1, tld_dot - sld_dot - 1))
			label_end = sld_dot;
	}
	label_dot = last_dot(host, label_end);
	label = host + label_dot + 1;
	label_len = label_end - (label_dot + 1);
	prefix_len = label_dot < 0 ? 0 : label_dot;

	for (i = 0; i < lengthof(search_engines); i++)
	{
		const SearchEngine *e = &search_engines[i];
		bool		ok;

		if (e->label_len != label_len || memcmp(label, e->label, label_len) != 0)
			continue;
		if (e->suffix != NULL &&
			(hostlen - label_end - 1 != (int) strlen(e->suffix) ||
			 memcmp(host + label_end + 1, e->suffix, hostlen - label_end - 1) != 0))
			return NULL;
		if (e->subdomains & SUB_ANY)
			ok = true;
		else if (prefix_len == 0)
			ok = (e->subdomains & SUB_BARE) != 0;
		else if (prefix_len == 1 && host[0] == 'm')
			ok = (e->subdomains & SUB_M) != 0;
		else
			ok = (e->subdomains & SUB_SEARCH) != 0 &&
				prefix_len >= 6 &&
				memcmp(host + prefix_len - 6, "search", 6) == 0 &&
				(prefix_len == 6 || host[prefix_len - 7] == '.');
		if (!ok)
			return NULL;
		*namelen = e->name_len;
		return e->name;
	}
	return NULL;
}
