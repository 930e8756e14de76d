/*
 * channels_rules.c
 *		GA4's default channel group (doc/channels.md), with hand-written
 *		matchers in place of GA4's regular expressions.
 *
 * Source: Google Analytics Help, "[GA4] Default channel group" (rules and
 * their order).  The regular expressions there and their equivalents here,
 * all ASCII case-insensitive as PostgreSQL's ~* in the C locale:
 *
 *	paid			^(.*cp.*|ppc|retargeting|paid.*)$
 *					= contains "cp", or is "ppc" or "retargeting", or starts
 *					  with "paid"
 *	shop campaign	^(.*(([^a-df-z]|^)shop|shopping).*)$
 *					= contains "shopping", or contains "shop" at the start or
 *					  right after a character that is not a letter other
 *					  than e (so "eshop" and "black-shop" count, "workshop"
 *					  does not)
 *	video medium	^(.*video.*)$ = contains "video"
 *
 * '.' matches every character, newlines included, as in ~*; the inputs are
 * byte strings, and every pattern is ASCII, so a non-ASCII character (all of
 * whose UTF-8 bytes are >= 0x80) never equals a pattern letter and always
 * counts as "not a letter other than e".
 */
#include "postgres.h"

#include "channels/channels_rules.h"
#include "channels/ga4_source_categories.h"
#include "common/common.h"

#define STR_EQ_CI(s, len, lit) \
	((len) == (int) sizeof(lit) - 1 && socroi_ascii_eq_ci((s), (lit), (len)))

/* does s[0..len) contain the lower-case needle, ignoring ASCII case? */
static bool
contains_ci(const char *s, int len, const char *needle, int nlen)
{
	unsigned char first = (unsigned char) needle[0];
	int			i;

	for (i = 0; i + nlen <= len; i++)
		if (socroi_ascii_lower((unsigned char) s[i]) == first &&
			socroi_ascii_eq_ci(s + i + 1, needle + 1, nlen - 1))
			return true;
	return false;
}

#define CONTAINS_CI(s, len, lit) contains_ci((s), (len), (lit), sizeof(lit) - 1)

static inline bool
starts_with_ci(const char *s, int len, const char *prefix, int plen)
{
	return len >= plen && socroi_ascii_eq_ci(s, prefix, plen);
}

static inline bool
ends_with_ci(const char *s, int len, const char *suffix, int slen)
{
	return len >= slen && socroi_ascii_eq_ci(s + len - slen, suffix, slen);
}

/* ^(.*cp.*|ppc|retargeting|paid.*)$ */
static bool
medium_is_paid(const char *m, int len)
{
	return CONTAINS_CI(m, len, "cp") ||
		STR_EQ_CI(m, len, "ppc") ||
		STR_EQ_CI(m, len, "retargeting") ||
		starts_with_ci(m, len, "paid", 4);
}

/* ^(.*(([^a-df-z]|^)shop|shopping).*)$ */
static bool
campaign_is_shop(const char *c, int len)
{
	int			i;

	for (i = 0; i + 4 <= len; i++)
	{
		unsigned char before;

		if (!socroi_ascii_eq_ci(c + i, "shop", 4))
			continue;
		if (i + 8 <= len && socroi_ascii_eq_ci(c + i + 4, "ping", 4))
			return true;		/* "shopping" anywhere */
		if (i == 0)
			return true;		/* "shop" at the start */
		before = socroi_ascii_lower((unsigned char) c[i - 1]);
		if (!(before >= 'a' && before <= 'z') || before == 'e')
			return true;		/* [^a-df-z]shop */
	}
	return false;
}

/* display, banner, expandable, interstitial, cpm */
static bool
medium_is_display(const char *m, int len)
{
	return STR_EQ_CI(m, len, "display") || STR_EQ_CI(m, len, "banner") ||
		STR_EQ_CI(m, len, "expandable") || STR_EQ_CI(m, len, "interstitial") ||
		STR_EQ_CI(m, len, "cpm");
}

/* social, social-network, social-media, sm, social network, social media */
static bool
medium_is_social(const char *m, int len)
{
	return STR_EQ_CI(m, len, "social") || STR_EQ_CI(m, len, "social-network") ||
		STR_EQ_CI(m, len, "social-media") || STR_EQ_CI(m, len, "sm") ||
		STR_EQ_CI(m, len, "social network") || STR_EQ_CI(m, len, "social media");
}

/* email, e-mail, e_mail, e mail */
static bool
is_email(const char *s, int len)
{
	return STR_EQ_CI(s, len, "email") || STR_EQ_CI(s, len, "e-mail") ||
		STR_EQ_CI(s, len, "e_mail") || STR_EQ_CI(s, len, "e mail");
}

#define RETURN_GROUP(lit) \
	do { *group_len = sizeof(lit) - 1; return (lit); } while (0)

const char *
channels_default_group(const char *source, int source_len,
					   const char *medium, int medium_len,
					   const char *campaign, int campaign_len,
					   int *group_len)
{
	SocroiSourceCategory category;
	bool		paid;
	bool		shop;

	if (source == NULL || source_len == 0)
	{
		source = "(direct)";
		source_len = 8;
	}
	if (medium == NULL || medium_len == 0)
	{
		medium = "(none)";
		medium_len = 6;
	}
	if (campaign == NULL)
		campaign_len = 0;

	/* 1 Direct */
	if (STR_EQ_CI(source, source_len, "(direct)") &&
		(STR_EQ_CI(medium, medium_len, "(not set)") ||
		 STR_EQ_CI(medium, medium_len, "(none)")))
		RETURN_GROUP("Direct");
	/* 2 Cross-network */
	if (CONTAINS_CI(campaign, campaign_len, "cross-network"))
		RETURN_GROUP("Cross-network");

	category = ga4_source_category(source, source_len);
	paid = medium_is_paid(medium, medium_len);
	shop = campaign_is_shop(campaign, campaign_len);

	if (paid)
	{
		/* 3 Paid Shopping */
		if (category == SOCROI_SOURCE_SHOPPING || shop)
			RETURN_GROUP("Paid Shopping");
		/* 4 Paid Search, 5 Paid Social, 6 Paid Video */
		if (category == SOCROI_SOURCE_SEARCH)
			RETURN_GROUP("Paid Search");
		if (category == SOCROI_SOURCE_SOCIAL)
			RETURN_GROUP("Paid Social");
		if (category == SOCROI_SOURCE_VIDEO)
			RETURN_GROUP("Paid Video");
	}
	/* 7 Display (before Paid Other: "cpm" is both) */
	if (medium_is_display(medium, medium_len))
		RETURN_GROUP("Display");
	/* 8 Paid Other */
	if (paid)
		RETURN_GROUP("Paid Other");
	/* 9 Organic Shopping */
	if (category == SOCROI_SOURCE_SHOPPING || shop)
		RETURN_GROUP("Organic Shopping");
	/* 10 Organic Social */
	if (category == SOCROI_SOURCE_SOCIAL || medium_is_social(medium, medium_len))
		RETURN_GROUP("Organic Social");
	/* 11 Organic Video */
	if (category == SOCROI_SOURCE_VIDEO || CONTAINS_CI(medium, medium_len, "video"))
		RETURN_GROUP("Organic Video");
	/* 12 Organic Search */
	if (category == SOCROI_SOURCE_SEARCH || STR_EQ_CI(medium, medium_len, "organic"))
		RETURN_GROUP("Organic Search");
	/* 13 Referral */
	if (STR_EQ_CI(medium, medium_len, "referral") ||
		STR_EQ_CI(medium, medium_len, "app") ||
		STR_EQ_CI(medium, medium_len, "link"))
		RETURN_GROUP("Referral");
	/* 14 Email */
	if (is_email(source, source_len) || is_email(medium, medium_len))
		RETURN_GROUP("Email");
	/* 15 Affiliates */
	if (STR_EQ_CI(medium, medium_len, "affiliate"))
		RETURN_GROUP("Affiliates");
	/* 16 Audio */
	if (STR_EQ_CI(medium, medium_len, "audio"))
		RETURN_GROUP("Audio");
	/* 17 SMS */
	if (STR_EQ_CI(source, source_len, "sms") || STR_EQ_CI(medium, medium_len, "sms"))
		RETURN_GROUP("SMS");
	/* 18 Mobile Push Notifications */
	if (ends_with_ci(medium, medium_len, "push", 4) ||
		CONTAINS_CI(medium, medium_len, "mobile") ||
		CONTAINS_CI(medium, medium_len, "notification") ||
		STR_EQ_CI(source, source_len, "firebase"))
		RETURN_GROUP("Mobile Push Notifications");
	RETURN_GROUP("Unassigned");
}
