// SPDX-License-Identifier: GPL-2.0
/* The real system edge of the engine: move_pages(2), pagemap, kpageflags, pidfd. */
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <pthread.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "pagemap.h"
#include "procfs.h"
#include "scan.h"
#include "sys.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

static long real_move_pages(void *ctx, pid_t pid, unsigned long count, void **pages,
			    const int *nodes, int *status, int flags)
{
	long r = syscall(SYS_move_pages, pid, count, pages, nodes, status, flags);

	return r < 0 ? -errno : r;
}

static int real_pagemap(void *ctx, uint64_t addr, size_t n, uint64_t *out)
{
	struct nm_sys_real *r = ctx;

	if (r->pagemap_fd < 0)
		return -EBADF;
	return nm_pagemap_read(r->pagemap_fd, addr, NM_PAGE_SIZE_DEFAULT, n, out);
}

static int real_kpageflags(void *ctx, uint64_t pfn, uint64_t *flags)
{
	struct nm_sys_real *r = ctx;
	ssize_t n;

	if (r->kpageflags_fd < 0 || !pfn)
		return -EBADF;
	n = pread(r->kpageflags_fd, flags, sizeof(*flags), (off_t)(pfn * 8));
	if (n < 0)
		return -errno;
	return n == sizeof(*flags) ? 0 : -EIO;
}

/* A pidfd becomes readable when the process exits: poll it without waiting.
 * This also catches a recycled pid, since the pidfd names the original
 * process and not the number. */
static int real_alive(void *ctx)
{
	struct nm_sys_real *r = ctx;
	struct pollfd p = { .fd = r->pidfd, .events = POLLIN };

	if (r->pidfd < 0)
		return kill(r->pid, 0) == 0 || errno == EPERM ? 0 : -ESRCH;
	if (poll(&p, 1, 0) < 0)
		return -errno;
	return (p.revents & (POLLIN | POLLHUP)) ? -ESRCH : 0;
}

static void real_sleep_us(void *ctx, unsigned int us)
{
	struct timespec ts = { us / 1000000, (long)(us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int nm_sys_open(struct nm_sys_real *r, pid_t pid, struct nm_sys *sys)
{
	memset(r, 0, sizeof(*r));
	r->pid = pid;
	r->pagemap_fd = r->kpageflags_fd = -1;
	r->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (r->pidfd < 0) {
		if (errno == ESRCH || errno == EINVAL)
			return -ESRCH;
		r->pidfd = -1;	/* kernel without pidfd_open: fall back to kill(0) */
		if (kill(pid, 0) < 0 && errno == ESRCH)
			return -ESRCH;
	}
	r->pagemap_fd = nm_pagemap_open("", pid);
	if (r->pagemap_fd < 0)
		r->pagemap_fd = -1;
	r->kpageflags_fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	*sys = (struct nm_sys){
		.move_pages = real_move_pages,
		.pagemap = real_pagemap,
		.kpageflags = real_kpageflags,
		.alive = real_alive,
		.sleep_us = real_sleep_us,
		.ctx = r,
	};
	return 0;
}

void nm_sys_close(struct nm_sys_real *r)
{
	if (r->pidfd >= 0)
		close(r->pidfd);
	if (r->pagemap_fd >= 0)
		close(r->pagemap_fd);
	if (r->kpageflags_fd >= 0)
		close(r->kpageflags_fd);
	r->pidfd = r->pagemap_fd = r->kpageflags_fd = -1;
}

#define BALANCING "/proc/sys/kernel/numa_balancing"

int nm_numa_balancing_read(void)
{
	char *t = NULL;
	int v = -1;

	if (!nm_read_text_file(BALANCING, &t))
		v = atoi(t);
	free(t);
	return v;
}

int nm_numa_balancing_write(int v)
{
	FILE *f = fopen(BALANCING, "w");
	int err = 0;

	if (!f)
		return -errno;
	if (fprintf(f, "%d\n", v) < 0)
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

int nm_self_cpus(void)
{
	cpu_set_t set;
	int n;

	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return 1;
	n = CPU_COUNT(&set);
	return n > 1 ? n : 1;
}

int nm_mover_cpus(const struct nm_scan_sample *prev, const struct nm_scan_sample *cur,
		  cpu_set_t *out)
{
	cpu_set_t mine, theirs, one;
	pid_t *tids;
	size_t n, seen = 0;

	if (pthread_getaffinity_np(pthread_self(), sizeof(mine), &mine) || !cur->n)
		return 0;
	tids = calloc(cur->n, sizeof(*tids));
	if (!tids)
		return 0;
	n = nm_scan_active(prev, cur, tids);
	CPU_ZERO(&theirs);
	for (size_t i = 0; i < n; i++) {
		if (sched_getaffinity(tids[i], sizeof(one), &one))
			continue;	/* it exited meanwhile */
		CPU_OR(&theirs, &theirs, &one);
		seen++;
	}
	free(tids);
	return seen ? nm_cpus_left(&mine, &theirs, out) : 0;
}

bool nm_mover_enter(struct nm_mover *mv, const cpu_set_t *cpus, int n,
		    struct nm_engine_opts *o)
{
	pthread_t me = pthread_self();

	if (n <= 0 || pthread_getaffinity_np(me, sizeof(mv->saved), &mv->saved) ||
	    pthread_setaffinity_np(me, sizeof(*cpus), cpus))
		return false;	/* the move then runs where it runs */
	nm_cpuset_format(cpus, mv->cpus, sizeof(mv->cpus));
	mv->jobs = o->jobs;
	if (o->jobs > (unsigned int)n)
		o->jobs = (unsigned int)n;
	o->pace_no_pause = true;
	return true;
}

int nm_mover_leave(struct nm_mover *mv, struct nm_engine_opts *o)
{
	o->jobs = mv->jobs;
	o->pace_no_pause = false;
	return pthread_setaffinity_np(pthread_self(), sizeof(mv->saved), &mv->saved);
}
