/*
 * skipped_rows.c
 *		Rows a transition function skips: those with NULL arguments.
 */
#include "postgres.h"

#include "fmgr.h"

#include "common/skipped_rows.h"

bool
socroi_any_arg_null(FunctionCallInfo fcinfo, int first, int last)
{
	int			i;

	for (i = first; i <= last; i++)
		if (PG_ARGISNULL(i))
			return true;
	return false;
}

Datum
socroi_skip_row(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(PG_GETARG_DATUM(0));
}
