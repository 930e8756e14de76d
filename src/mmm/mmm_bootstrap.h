/*
 * mmm_bootstrap.h
 *		Bootstrap intervals of a fitted marketing mix model (mmm_bootstrap.c).
 */
#ifndef SOCROI_MMM_BOOTSTRAP_H
#define SOCROI_MMM_BOOTSTRAP_H

#include "mmm/mmm_model.h"

/* fill model->nboot, boot and interval from options.bootstrap replicates */
extern void mmm_bootstrap(MmmModel *model);

#endif							/* SOCROI_MMM_BOOTSTRAP_H */
