/*
 * attribution_fractribution.h
 *		The fractribution attribution model (attribution_fractribution.c):
 *		path records and Google's fractional (counterfactual) credits.
 */
#ifndef SOCROI_ATTRIBUTION_FRACTRIBUTION_H
#define SOCROI_ATTRIBUTION_FRACTRIBUTION_H

#include "postgres.h"

#include "attribution/attribution_state.h"

/* add one path of n >= 1 channel ids, in order */
extern AttrState *attr_fractribution_add_path(AttrState *state, const int32 *ids,
											  int n, double conversions,
											  double non_conversions, double value);

/* credits of every channel id under fractribution */
extern void attr_fractribution_credits(const AttrState *state, double *conversions,
									   double *value);

#endif							/* SOCROI_ATTRIBUTION_FRACTRIBUTION_H */
