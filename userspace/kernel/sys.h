/* SPDX-License-Identifier: GPL-2.0 */
/* The real struct nm_sys: move_pages(2), pagemap, kpageflags, pidfd; and
 * the sessions' shared system edges: kernel.numa_balancing, the clock. */
#ifndef NM_SYS_H
#define NM_SYS_H

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

#endif
