// SPDX-License-Identifier: GPL-2.0
/* scan's locality from the hinting-fault programs (see scanloc.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hintfault.h"
#include "hintfault_load.h"
#include "hooks.h"
#include "nm.h"
#include "numaseq.h"
#include "scanloc.h"
#include "sys.h"

#define SCANLOC_SHIFT 30	/* 1 GiB regions: few map entries per process */

struct pidix {
	pid_t pid;
	size_t i;		/* index in the round's process list */
};

struct nm_scanloc {
	struct nm_hintfault *hf;
	struct pidix *by_pid;	/* the round's processes sorted by pid */
	pid_t *prev;		/* the last round's pids, sorted */
	size_t nprev;
	uint64_t *local0, *total0, *local, *total;	/* per process index */
	long *seq0;		/* mm->numa_scan_seq at the start, -1 unread */
	size_t n, cap;
};

static void free_arrays(struct nm_scanloc *l)
{
	void *v[] = { l->by_pid, l->prev, l->local0, l->total0, l->local, l->total, l->seq0 };

	for (size_t i = 0; i < NM_ARRAY_SIZE(v); i++)
		free(v[i]);
}

struct nm_scanloc *nm_scanloc_open(char *why, size_t len)
{
	struct nm_scanloc *l;
	struct nm_hf_choice c;
	char f[256], q[256];
	int err, bal;

	if (geteuid() != 0) {
		snprintf(why, len, "measuring it loads BPF programs, which needs root");
		return NULL;
	}
	/* before loading anything: programs that can see no fault cost the
	 * verifier's time for nothing */
	bal = nm_numa_balancing_read();
	if (bal < 0 || !(bal & 1)) {
		snprintf(why, len, "kernel.numa_balancing is %d: the kernel makes no hinting faults "
			 "outside mode 1 (sysctl kernel.numa_balancing=1 turns them on)", bal);
		return NULL;
	}
	l = calloc(1, sizeof(*l));
	if (!l) {
		snprintf(why, len, "out of memory");
		return NULL;
	}
	err = nm_hintfault_open(&l->hf, 0, SCANLOC_SHIFT, &c);
	if (err || c.fault.used < 0 || !nm_hf_choice_addr(&c)) {
		snprintf(why, len, "the hinting-fault hooks cannot attach on this kernel (%s; %s); "
			 "see 'numa-migrate features'",
			 nm_hook_tried(NM_HK_TASK_NUMA_FAULT, &c.fault, f, sizeof(f)),
			 nm_hook_tried(NM_HK_PAGE_FAULT_USER, &c.addr, q, sizeof(q)));
		nm_scanloc_close(l);
		return NULL;
	}
	return l;
}

static int cmp_pid(const void *a, const void *b)
{
	const struct pidix *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Adds a region's faults to its process (the round's, by pid). */
static int add_region(void *ctx, pid_t pid, uint64_t start, const struct nm_hf_region *r)
{
	struct nm_scanloc *l = ctx;
	struct pidix key = { .pid = pid }, *hit;
	uint64_t total = r->other_node;

	(void)start;
	hit = bsearch(&key, l->by_pid, l->n, sizeof(*l->by_pid), cmp_pid);
	if (!hit)
		return 0;
	for (int n = 0; n < NM_HF_MAX_NODES; n++)
		total += r->by_cpu_node[n];
	l->local[hit->i] += r->local;
	l->total[hit->i] += total;
	return 0;
}

/* Sums every process's counts so far into local/total. */
static int read_counts(struct nm_scanloc *l)
{
	struct nm_hf_stats st;

	memset(l->local, 0, l->n * sizeof(*l->local));
	memset(l->total, 0, l->n * sizeof(*l->total));
	return nm_hintfault_read_pids(l->hf, add_region, l, &st);
}

/* mm->numa_scan_seq of PID, -1 when it cannot be read */
static long read_seq(pid_t pid)
{
	long v;

	return nm_numa_scan_seq("", pid, &v) ? -1 : v;
}

int nm_scanloc_begin(struct nm_scanloc *l, const struct nm_scanset *s)
{
	if (s->n > l->cap) {
		size_t cap = s->n;

		free_arrays(l);
		l->by_pid = calloc(cap, sizeof(*l->by_pid));
		l->prev = calloc(cap, sizeof(*l->prev));
		l->nprev = 0;
		l->local0 = calloc(cap, sizeof(uint64_t));
		l->total0 = calloc(cap, sizeof(uint64_t));
		l->local = calloc(cap, sizeof(uint64_t));
		l->total = calloc(cap, sizeof(uint64_t));
		l->seq0 = calloc(cap, sizeof(long));
		l->cap = l->by_pid && l->prev && l->local0 && l->total0 && l->local && l->total && l->seq0 ? cap : 0;
		if (!l->cap)
			return -ENOMEM;
	}
	l->n = s->n;
	for (size_t i = 0; i < s->n; i++)
		l->by_pid[i] = (struct pidix){ .pid = s->p[i].pid, .i = i };
	qsort(l->by_pid, l->n, sizeof(*l->by_pid), cmp_pid);
	/* the last round's processes that are not in this one leave the set
	 * (both lists sorted: one merge); the others stay */
	for (size_t i = 0, j = 0; i < l->nprev; i++) {
		while (j < l->n && l->by_pid[j].pid < l->prev[i])
			j++;
		if (j == l->n || l->by_pid[j].pid != l->prev[i])
			nm_hintfault_pid_del(l->hf, l->prev[i]);
	}
	for (size_t i = 0; i < l->n; i++) {
		l->prev[i] = l->by_pid[i].pid;
		/* past the set's bound (-E2BIG) a process stays unmeasured */
		nm_hintfault_pid_add(l->hf, l->prev[i]);
	}
	l->nprev = l->n;
	if (read_counts(l))
		return -EIO;
	memcpy(l->local0, l->local, l->n * sizeof(uint64_t));
	memcpy(l->total0, l->total, l->n * sizeof(uint64_t));
	for (size_t i = 0; i < l->n; i++)
		l->seq0[i] = read_seq(s->p[i].pid);
	return 0;
}

int nm_scanloc_end(struct nm_scanloc *l, struct nm_scanset *s)
{
	int err = read_counts(l);

	if (err)
		return err;
	for (size_t i = 0; i < l->n && i < s->n; i++) {
		uint64_t total = l->total[i] - l->total0[i], local = l->local[i] - l->local0[i];

		s->p[i].samples = total;
		s->p[i].locality = total ? 100.0 * (double)local / (double)total : -1;
		/* no fault: did the kernel scan it at all? (why it has no locality) */
		s->p[i].scan_seq[0] = total ? -1 : l->seq0[i];
		s->p[i].scan_seq[1] = total ? -1 : read_seq(s->p[i].pid);
	}
	return 0;
}

void nm_scanloc_close(struct nm_scanloc *l)
{
	if (!l)
		return;
	nm_hintfault_close(l->hf);
	free_arrays(l);
	free(l);
}
