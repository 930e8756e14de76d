/*
 * attribution_shapley.h
 *		The shapley attribution model (attribution_shapley.c): channel-set
 *		records and the exact coalition Shapley values.
 */
#ifndef SOCROI_ATTRIBUTION_SHAPLEY_H
#define SOCROI_ATTRIBUTION_SHAPLEY_H

#include "postgres.h"

#include "attribution/attribution_state.h"

extern const AttrRecordModel attr_shapley;

#endif							/* SOCROI_ATTRIBUTION_SHAPLEY_H */
