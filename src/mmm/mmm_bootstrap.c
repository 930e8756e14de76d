/*
 * mmm_bootstrap.c
 *		Bootstrap intervals of a marketing mix model.
 */
#include "postgres.h"

#include "mmm/mmm_bootstrap.h"

void
mmm_bootstrap(MmmModel *model)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("bootstrap intervals are not implemented yet")));
}
