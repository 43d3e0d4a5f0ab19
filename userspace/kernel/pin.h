/* SPDX-License-Identifier: GPL-2.0 */
/*
 * move --pin-threads: sets every thread of the target to the CPUs of the
 * target node (sched_setaffinity), so the scheduler runs them there and NUMA
 * balancing pulls pages towards the target instead of away from it. Keeps
 * the previous affinity and the command that restores it.
 */
#ifndef NM_PIN_H
#define NM_PIN_H

#include <stdbool.h>
#include <sys/types.h>

#define NM_PIN_MAX_PREV 8

struct nm_pin_result {
	int node;
	char cpus[256];			/* the target node's CPUs, "1" or "4-7" */
	unsigned int threads;		/* threads found */
	unsigned int pinned;		/* set to CPUS */
	unsigned int failed;		/* refused (first_err says why) */
	int first_err;			/* positive errno of the first refusal */
	pid_t first_failed_tid;
	size_t nprev;			/* distinct previous affinities */
	struct {
		char cpus[256];
		unsigned int threads;
	} prev[NM_PIN_MAX_PREV];
	bool prev_truncated;		/* more distinct affinities than kept */
	char undo[512];			/* shell command restoring the previous affinity */
};

/* Pins PID's threads to NODE's CPUs. Returns 0 when every thread was
 * pinned, -ENODEV when NODE has no CPUs, or the -errno of the first
 * refusal (R then says how many were pinned). */
int nm_pin_threads(pid_t pid, int node, struct nm_pin_result *r);

#endif
