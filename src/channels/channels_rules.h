/*
 * channels_rules.h
 *		GA4's default channel group (channels_rules.c).
 */
#ifndef SOCROI_CHANNELS_RULES_H
#define SOCROI_CHANNELS_RULES_H

#include "postgres.h"

/*
 * The channel group of a source / medium / campaign.  NULL pointers or empty
 * strings: source reads as "(direct)", medium as "(none)", campaign as none.
 */
extern const char *channels_default_group(const char *source, int source_len,
										  const char *medium, int medium_len,
										  const char *campaign, int campaign_len,
										  int *group_len);

#endif							/* SOCROI_CHANNELS_RULES_H */
