/*
 * attribution_heuristics.h
 *		Weights of the heuristic attribution models (attribution_heuristics.c).
 */
#ifndef SOCROI_ATTRIBUTION_HEURISTICS_H
#define SOCROI_ATTRIBUTION_HEURISTICS_H

#include "postgres.h"

#include "attribution/attribution_model.h"

/*
 * Weights of the n >= 1 kept touches of one path under a heuristic model
 * (doc/attribution.md); they sum to 1.  direct[k] says touch k is the
 * model's direct channel (read by last_non_direct only), age_us[k] is
 * conversion_time - touch_time (read by time_decay only).
 */
extern void attr_heuristic_weights(const AttrModel *model, int n,
								   const bool *direct, const int64 *age_us,
								   double *w);

#endif							/* SOCROI_ATTRIBUTION_HEURISTICS_H */
