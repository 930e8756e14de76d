/*
 * threads.c
 *		Threads for pure computation inside a backend (see threads.h for the
 *		rules) and the socroi.threads setting, defined when the library is
 *		loaded.
 */
#include "postgres.h"

#include <signal.h>

#include "utils/guc.h"

#include "common/threads.h"

#ifndef WIN32
#include <pthread.h>
#endif

int			socroi_threads = 2;

void		_PG_init(void);

void
_PG_init(void)
{
	DefineCustomIntVariable("socroi.threads",
							"Most threads one socroi computation may use inside a backend.",
							"Only the Markov attribution solve uses more than one: its removal "
							"systems are split between the threads.  1 disables threads.",
							&socroi_threads,
							2, 1, 64,
							PGC_USERSET, 0,
							NULL, NULL, NULL);
	MarkGUCPrefixReserved("socroi");
}

#ifndef WIN32
typedef struct ThreadCall
{
	void		(*fn) (void *);
	void	   *arg;
} ThreadCall;

static void *
thread_main(void *p)
{
	ThreadCall *call = (ThreadCall *) p;

	call->fn(call->arg);
	return NULL;
}
#endif

int
socroi_run_threads(int nthreads, void (*fn) (void *), void *arg)
{
#ifndef WIN32
	pthread_t	tids[64];
	ThreadCall	call;
	sigset_t	all;
	sigset_t	old;
	int			started = 0;
	int			i;

	nthreads = Max(1, Min(nthreads, (int) lengthof(tids) + 1));
	call.fn = fn;
	call.arg = arg;
	if (nthreads > 1)
	{
		/* new threads inherit the mask: signals stay with the backend's thread */
		sigfillset(&all);
		if (pthread_sigmask(SIG_SETMASK, &all, &old) == 0)
		{
			for (i = 1; i < nthreads; i++)
			{
				if (pthread_create(&tids[started], NULL, thread_main, &call) != 0)
					break;
				started++;
			}
			pthread_sigmask(SIG_SETMASK, &old, NULL);
		}
	}
	fn(arg);
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	return started + 1;
#else
	fn(arg);
	return 1;
#endif
}
