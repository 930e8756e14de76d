/*
 * attribution_fractribution.h
 *		The fractribution attribution model (attribution_fractribution.c):
 *		path records and Google's fractional (counterfactual) credits.
 */
#ifndef SOCROI_ATTRIBUTION_FRACTRIBUTION_H
#define SOCROI_ATTRIBUTION_FRACTRIBUTION_H

#include "postgres.h"

#include "attribution/attribution_state.h"

extern const AttrRecordModel attr_fractribution;

#endif							/* SOCROI_ATTRIBUTION_FRACTRIBUTION_H */
