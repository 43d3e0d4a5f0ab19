// SPDX-License-Identifier: GPL-2.0
/* move --pin-threads: the target's threads onto the target node's CPUs. */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diagread.h"
#include "pin.h"
#include "procfs.h"
#include "target.h"

struct nm_pin_saved {
	pid_t pid;
	size_t n;
	struct {
		pid_t tid;
		cpu_set_t cpus;
	} t[];
};

static void set_cpu(void *ctx, int cpu)
{
	CPU_SET((size_t)cpu, (cpu_set_t *)ctx);
}

static bool cpu_test(const void *set, int i)
{
	return CPU_ISSET((size_t)i, (const cpu_set_t *)set);
}

static void note_prev(struct nm_pin_result *r, const char *cpus)
{
	for (size_t i = 0; i < r->nprev; i++)
		if (!strcmp(r->prev[i].cpus, cpus)) {
			r->prev[i].threads++;
			return;
		}
	if (r->nprev == NM_PIN_MAX_PREV) {
		r->prev_truncated = true;
		return;
	}
	snprintf(r->prev[r->nprev].cpus, sizeof(r->prev[0].cpus), "%s", cpus);
	r->prev[r->nprev++].threads = 1;
}

int nm_pin_threads(pid_t pid, int node, struct nm_pin_result *r,
		   struct nm_pin_saved **saved, size_t *savedsize)
{
	struct nm_pin_saved *sv = NULL;
	struct nm_thread_info *th = NULL;
	char path[PATH_MAX], *text;
	cpu_set_t want;
	size_t n = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	r->node = node;
	if (saved)
		*saved = NULL;
	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/cpulist", node);
	rc = nm_read_text_file(path, &text);
	if (rc)
		return rc == -ENOENT ? -ENODEV : rc;
	CPU_ZERO(&want);
	rc = nm_cpulist_parse(text, set_cpu, &want);
	free(text);
	if (rc)
		return rc;
	if (!CPU_COUNT(&want))
		return -ENODEV;
	nm_list_fmt(cpu_test, &want, NM_MAX_CPUS, r->cpus, sizeof(r->cpus));
	rc = nm_threads_read("", pid, &th, &n);
	if (rc)
		return rc;
	if (saved) {
		sv = calloc(1, sizeof(*sv) + n * sizeof(sv->t[0]));
		if (sv)
			sv->pid = pid;
	}
	for (size_t i = 0; i < n; i++) {
		cpu_set_t old;
		char list[256];

		r->threads++;
		if (sched_getaffinity(th[i].tid, sizeof(old), &old) < 0 ||
		    sched_setaffinity(th[i].tid, sizeof(want), &want) < 0) {
			if (errno == ESRCH) {	/* exited meanwhile */
				r->threads--;
				continue;
			}
			if (!r->failed++) {
				r->first_err = errno;
				r->first_failed_tid = th[i].tid;
			}
			continue;
		}
		r->pinned++;
		if (sv) {
			sv->t[sv->n].tid = th[i].tid;
			sv->t[sv->n++].cpus = old;
		}
		nm_list_fmt(cpu_test, &old, NM_MAX_CPUS, list, sizeof(list));
		note_prev(r, list);
	}
	free(th);
	if (sv && sv->n) {
		*saved = sv;
		*savedsize = sizeof(*sv) + sv->n * sizeof(sv->t[0]);
	} else {
		free(sv);
	}
	if (r->nprev == 1)
		snprintf(r->undo, sizeof(r->undo), "taskset -a -p -c %s %d", r->prev[0].cpus,
			 (int)pid);
	else if (r->nprev > 1)
		snprintf(r->undo, sizeof(r->undo), "threads had %zu different affinities "
			 "(listed above): restore each with taskset -p -c LIST TID", r->nprev);
	if (!r->threads)
		return -ESRCH;
	return r->failed ? -r->first_err : 0;
}

int nm_pin_restore(void *arg, char *err, size_t errlen)
{
	const struct nm_pin_saved *sv = arg;
	int first = 0;

	for (size_t i = 0; i < sv->n; i++) {
		if (sched_setaffinity(sv->t[i].tid, sizeof(sv->t[i].cpus), &sv->t[i].cpus) == 0 ||
		    errno == ESRCH)
			continue;
		if (!first) {
			first = -errno;
			snprintf(err, errlen, "cannot set the CPU affinity of pid %d's thread %d "
				 "back: %s", (int)sv->pid, (int)sv->t[i].tid, strerror(errno));
		}
	}
	return first;
}
