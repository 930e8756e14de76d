/*
 * channels_url.h
 *		Query strings, referrer hosts and search engines (channels_url.c).
 *
 * Everything here works on length-counted byte strings that point into the
 * caller's text values: nothing allocates.  Case-insensitivity is ASCII only
 * (every list and keyword involved is ASCII).
 */
#ifndef SOCROI_CHANNELS_URL_H
#define SOCROI_CHANNELS_URL_H

#include "postgres.h"

/* the query parameters socroi reads; order = utm_params attribute order */
typedef enum ChannelsQueryKey
{
	QK_UTM_SOURCE = 0,
	QK_UTM_MEDIUM,
	QK_UTM_CAMPAIGN,
	QK_UTM_TERM,
	QK_UTM_CONTENT,
	QK_UTM_ID,
	QK_UTM_SOURCE_PLATFORM,
	/* click identifiers, in the order doc/channels.md lists them */
	QK_GCLID,
	QK_GBRAID,
	QK_WBRAID,
	QK_DCLID,
	QK_FBCLID,
	QK_MSCLKID,
	QK_TTCLID,
	QK_LI_FAT_ID,
	QK_COUNT
} ChannelsQueryKey;

#define QK_FIRST_CLICK_ID QK_GCLID

/*
 * The raw (still encoded) values of the parameters of one URL.  len[k] is -1
 * when the key is absent; a present key keeps its first occurrence, which may
 * be empty (len 0).  first_click is the click-identifier key that comes first
 * in the URL among those with a non-empty value, or -1.
 */
typedef struct ChannelsQuery
{
	const char *value[QK_COUNT];
	int			len[QK_COUNT];
	int			first_click;
} ChannelsQuery;

extern void channels_parse_query(const char *url, int len, ChannelsQuery *query);

/* the parameter name of a key, e.g. "utm_source" or "gclid" */
extern const char *channels_query_key_name(ChannelsQueryKey key, int *len);

/*
 * Decode an application/x-www-form-urlencoded value into dst (room for len
 * bytes; decoding never grows a value).  Returns the decoded length.
 */
extern int	channels_form_decode(const char *src, int len, char *dst);

/*
 * Find the host of a URL such as a referrer: scheme and "//" optional,
 * userinfo, port and trailing dots dropped.  Returns false when there is
 * no host (empty, "about:blank", "https:///x", ...).
 */
extern bool channels_url_host(const char *url, int len,
							  const char **host, int *hostlen);

/*
 * Write the host lower-cased, without a leading "www.", to dst (room for
 * hostlen bytes); returns the length written.
 */
extern int	channels_normalize_host(const char *host, int hostlen, char *dst);

/*
 * Short name of the search engine a lower-cased host belongs to ("google"
 * for www.google.co.uk), or NULL.
 */
extern const char *channels_search_engine(const char *host, int hostlen,
										  int *namelen);

#endif							/* SOCROI_CHANNELS_URL_H */
