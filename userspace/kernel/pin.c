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

int nm_pin_threads(pid_t pid, int node, struct nm_pin_result *r)
{
	struct nm_thread_info *th = NULL;
	char path[PATH_MAX], *text;
	cpu_set_t want;
	size_t n = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	r->node = node;
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
		nm_list_fmt(cpu_test, &old, NM_MAX_CPUS, list, sizeof(list));
		note_prev(r, list);
	}
	free(th);
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
