/*
 * attribution_shapley.h
 *		The shapley attribution model (attribution_shapley.c): channel-set
 *		records and the exact coalition Shapley values.
 */
#ifndef SOCROI_ATTRIBUTION_SHAPLEY_H
#define SOCROI_ATTRIBUTION_SHAPLEY_H

#include "postgres.h"

#include "attribution/attribution_state.h"

/* add one path (attribution_shapley.c) */
extern AttrState *attr_shapley_add_path(AttrState *state, const int32 *ids,
										int n, double conversions,
										double non_conversions, double value);

/* credits of every channel id under shapley */
extern void attr_shapley_credits(const AttrState *state, double *conversions,
								 double *value);

#endif							/* SOCROI_ATTRIBUTION_SHAPLEY_H */
