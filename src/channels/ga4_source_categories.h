/*
 * ga4_source_categories.h
 *		GA4's published source categories (social, search, video, shopping),
 *		compiled into ga4_source_categories.c, which
 *		scripts/gen_source_categories.py generates from
 *		data/ga4_source_categories.csv.
 */
#ifndef SOCROI_GA4_SOURCE_CATEGORIES_H
#define SOCROI_GA4_SOURCE_CATEGORIES_H

#include "postgres.h"

typedef enum SocroiSourceCategory
{
	SOCROI_SOURCE_NONE = 0,
	SOCROI_SOURCE_SOCIAL,
	SOCROI_SOURCE_SEARCH,
	SOCROI_SOURCE_VIDEO,
	SOCROI_SOURCE_SHOPPING
} SocroiSourceCategory;

/* category of a source name, ASCII case-insensitive; NONE when not listed */
extern SocroiSourceCategory ga4_source_category(const char *source, int len);

#endif							/* SOCROI_GA4_SOURCE_CATEGORIES_H */
