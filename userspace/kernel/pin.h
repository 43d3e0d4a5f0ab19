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
#include <stddef.h>
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

/* The previous affinity of every thread pinned, to put back. */
struct nm_pin_saved;

/* Pins PID's threads to NODE's CPUs. Returns 0 when every thread was
 * pinned, -ENODEV when NODE has no CPUs, or the -errno of the first
 * refusal (R then says how many were pinned). When a thread was pinned,
 * *SAVED (SAVED may be NULL) gets the previous affinities, *SAVEDSIZE bytes
 * in one block the caller frees (NULL when allocating it failed: then
 * R->pinned threads cannot be restored automatically, R->undo says how). */
int nm_pin_threads(pid_t pid, int node, struct nm_pin_result *r,
		   struct nm_pin_saved **saved, size_t *savedsize);

/* Puts each thread saved back on its previous CPUs (a thread that exited
 * meanwhile is skipped). 0 or the -errno of the first thread that refused,
 * described in ERR. The signature of a session undo function. */
int nm_pin_restore(void *saved, char *err, size_t errlen);

#endif
