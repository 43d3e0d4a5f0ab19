// SPDX-License-Identifier: GPL-2.0
/* A helper thread that never takes a signal (see quietthread.h). */
#include <signal.h>
#include "quietthread.h"

int nm_thread_start_quiet(pthread_t *t, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int r;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(t, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return r;
}
