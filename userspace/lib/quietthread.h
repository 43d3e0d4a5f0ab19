/* SPDX-License-Identifier: GPL-2.0 */
/* A helper thread that never takes a signal: stop signals reach the main
 * thread, whose session wait (session.c) blocks them between its check and
 * its ppoll and so must be the one they wake. */
#ifndef NM_QUIETTHREAD_H
#define NM_QUIETTHREAD_H

#include <pthread.h>

/* pthread_create(T, FN, ARG) with every signal blocked from its first
 * instruction (the mask is inherited, then the caller's is put back).
 * 0 or the positive error of pthread_create. */
int nm_thread_start_quiet(pthread_t *t, void *(*fn)(void *), void *arg);

#endif
