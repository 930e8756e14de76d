/*
 * markov_credits.h
 *		Removal effects and credits of the markov attribution model
 *		(markov_credits.c).
 */
#ifndef SOCROI_MARKOV_CREDITS_H
#define SOCROI_MARKOV_CREDITS_H

#include "postgres.h"

#include "attribution/attribution_state.h"

/*
 * Credits of every channel id under markov: conversions and value, and the
 * removal effect; *solved is false when P = 0 (nothing converts), and then
 * every credit is 0 and the removal effects are undefined.
 */
extern void attr_markov_credits(const AttrState *state, double *conversions,
								double *value, double *removal_effect,
								bool *solved);

#endif							/* SOCROI_MARKOV_CREDITS_H */
