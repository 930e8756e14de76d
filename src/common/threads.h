/*
 * threads.h
 *		Threads for pure computation inside a backend (threads.c), and the
 *		socroi.threads setting that bounds them.
 *
 * A PostgreSQL backend is single-threaded: palloc, ereport, elog,
 * CHECK_FOR_INTERRUPTS and every catalog or syscache access may only run
 * in the backend's own thread.  A function run by socroi_run_threads()
 * therefore touches only memory allocated before the call, reports errors
 * through that memory, and polls socroi_interrupt_pending() instead of
 * CHECK_FOR_INTERRUPTS(); the caller raises errors and services interrupts
 * after the call returns, when every thread has been joined.
 */
#ifndef SOCROI_COMMON_THREADS_H
#define SOCROI_COMMON_THREADS_H

#include "postgres.h"

#include "miscadmin.h"

/* socroi.threads: the most threads one computation may use (1 = none) */
extern int	socroi_threads;

/*
 * Run fn(arg) in nthreads threads at once -- the calling thread and
 * nthreads - 1 new ones with every signal blocked -- and wait for all of
 * them.  fn must share its work through arg (e.g. an atomic counter), must
 * not call any PostgreSQL function that can allocate, raise or take locks,
 * and must not return before its share is done.  When a thread cannot be
 * created, fewer run (down to the calling thread alone).  Returns the number
 * of threads that ran.
 */
extern int	socroi_run_threads(int nthreads, void (*fn) (void *), void *arg);

/*
 * An interrupt that ends the query is pending: a cancel (statement_timeout
 * included), a termination, or from PostgreSQL 17 transaction_timeout.
 * Stop and return (any thread).  Not InterruptPending: it is also set by
 * interrupts that end no query (a parallel worker's message, a sinval
 * catch-up), which the caller services after the threads have joined, as
 * it does a standby's recovery conflict (its flag is not exported).
 */
static inline bool
socroi_interrupt_pending(void)
{
#if PG_VERSION_NUM >= 170000
	if (TransactionTimeoutPending)
		return true;
#endif
	return QueryCancelPending || ProcDiePending;
}

#endif							/* SOCROI_COMMON_THREADS_H */
