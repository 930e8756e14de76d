/*
 * compat.h
 *		The few places where PostgreSQL's C API differs between the major
 *		versions socroi supports (15 to 18, and 19 checked on its beta).
 *
 * Included by common.h, so every file sees it.  Each difference is guarded by
 * PG_VERSION_NUM, the way PostgreSQL's own release notes describe the change:
 *   16  VARSIZE, SET_VARSIZE, VARDATA ... moved from postgres.h to varatt.h
 *   18  pg_attribute_noreturn() removed; pg_noreturn goes before the
 *       declaration (on older versions it is the same GCC/Clang attribute)
 *   19  bits8 removed (socroi uses uint8); some headers are no longer pulled
 *       in transitively, so every file includes what it uses
 */
#ifndef SOCROI_COMPAT_H
#define SOCROI_COMPAT_H

#include "postgres.h"

#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

#ifndef pg_noreturn
#define pg_noreturn pg_attribute_noreturn()
#endif

#endif							/* SOCROI_COMPAT_H */
