/*
 * skipped_rows.h
 *		Rows a transition function skips (skipped_rows.c): a row whose
 *		arguments are NULL leaves the state as it is, as the strict
 *		transition functions of PostgreSQL's own aggregates do.
 */
#ifndef SOCROI_SKIPPED_ROWS_H
#define SOCROI_SKIPPED_ROWS_H

#include "postgres.h"

#include "fmgr.h"

/* is any of arguments first..last NULL? */
extern bool socroi_any_arg_null(FunctionCallInfo fcinfo, int first, int last);

/*
 * The result of a transition function that skips its row: the state in
 * argument 0 unchanged, or NULL while there is none.
 */
extern Datum socroi_skip_row(FunctionCallInfo fcinfo);

#endif							/* SOCROI_SKIPPED_ROWS_H */
