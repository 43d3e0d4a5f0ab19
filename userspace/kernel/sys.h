/* SPDX-License-Identifier: GPL-2.0 */
/* The real struct nm_sys: move_pages(2), pagemap, kpageflags, pidfd; and
 * the sessions' shared system edges: kernel.numa_balancing, the clock. */
#ifndef NM_SYS_H
#define NM_SYS_H

#include <sched.h>
#include <stdbool.h>
#include <sys/types.h>
#include "engine.h"

struct nm_sys_real {
	pid_t pid;
	int pidfd;		/* -1 when pidfd_open is unavailable */
	int pagemap_fd;		/* -1 when unreadable */
	int kpageflags_fd;	/* -1 when unreadable (needs CAP_SYS_ADMIN) */
};

/* Opens the target: pidfd first (so a recycled pid is detected), then
 * pagemap and kpageflags (optional). Returns 0 or -errno (-ESRCH). */
int nm_sys_open(struct nm_sys_real *r, pid_t pid, struct nm_sys *sys);
void nm_sys_close(struct nm_sys_real *r);

/* kernel.numa_balancing: its value (-1 when unreadable), and setting it
 * (0 or -errno). */
int nm_numa_balancing_read(void);
int nm_numa_balancing_write(int v);

/* CPUs the calling thread may run on (its affinity), at least 1. */
int nm_self_cpus(void);

/*
 * Where a paced move of a process's memory runs (move and auto): on the
 * CPUs this thread may use that none of the process's threads at work may
 * run on. Its threads at work are those of CUR that ran since PREV, or with
 * PREV NULL those running now (nm_scan_active); what they may run on is
 * their affinity, so the scheduler cannot bring one of them there while the
 * move runs. Returns the CPUs in OUT, 0 when there are none (or the threads
 * could not be read): then it runs where it runs. Linear in the threads.
 */
struct nm_scan_sample;
int nm_mover_cpus(const struct nm_scan_sample *prev, const struct nm_scan_sample *cur,
		  cpu_set_t *out);

/* A paced move on CPUS, N of them (nm_mover_cpus), as move and auto make
 * it: enter narrows this thread's affinity to them (the engine's threads
 * inherit it) and sets O for them: no pauses, at most one job a CPU (two
 * callers on one CPU preempt each other mid-call). True when narrowed;
 * MV->cpus then names them. leave widens back and restores O: 0 or the
 * error of pthread_setaffinity_np. */
struct nm_mover {
	cpu_set_t saved;
	unsigned int jobs;
	char cpus[64];
};
bool nm_mover_enter(struct nm_mover *mv, const cpu_set_t *cpus, int n,
		    struct nm_engine_opts *o);
int nm_mover_leave(struct nm_mover *mv, struct nm_engine_opts *o);

#endif
