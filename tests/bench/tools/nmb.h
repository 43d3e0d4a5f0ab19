/* SPDX-License-Identifier: GPL-2.0 */
/* What the benchmark tools share: one monotonic clock. */
#ifndef NMB_H
#define NMB_H

#include <time.h>

/* Seconds on CLOCK_MONOTONIC. */
static inline double nmb_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

#endif
