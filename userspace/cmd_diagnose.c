// SPDX-License-Identifier: GPL-2.0
/*
 * numa-migrate diagnose: gathers what the caller, the kernel and the target
 * say (system edge), lets diagnose.c classify it, prints the findings. The
 * gatherer is shared with move --explain.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cmds.h"
#include "diagnose.h"
#include "errors.h"
#include "numa_maps.h"
#include "pagemap.h"
#include "target.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static void gather_threads(pid_t pid, struct nm_diag_facts *f)
{
	struct nm_cpu_nodes *cn = malloc(sizeof(*cn));
	struct nm_thread_info *th = NULL;
	size_t n = 0;

	if (!cn)
		return;
	if (nm_cpu_nodes_read("", cn) == 0 && nm_threads_read("", pid, &th, &n) == 0) {
		f->cpus_known = true;
		f->cpu_nodes = cn->with_cpus;
		f->threads = (unsigned int)n;
		for (size_t i = 0; i < n; i++) {
			struct nm_nodemask may = { 0 };
			int c = th[i].last_cpu;

			if (c >= 0 && c < NM_MAX_CPUS && cn->node[c] >= 0)
				f->ran_on[cn->node[c]]++;
			else
				f->ran_unknown++;
			if (th[i].cpus_allowed[0] &&
			    nm_cpulist_nodes(th[i].cpus_allowed, cn, &may) == 0) {
				f->may_run_nodes.bits |= may.bits;
				f->may_run_on_target += nm_nodemask_test(&may, f->target);
			}
		}
	}
	free(th);
	free(cn);
}

/* Whether vma V overlaps one of the ranges. */
static bool vma_in_ranges(const struct nm_vma *v, const struct nm_range_list *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->r[i].start < v->end && r->r[i].end > v->start)
			return true;
	return false;
}

int nm_diag_gather(struct nm_args *a, struct nm_target *t, struct nm_diag_facts *f,
		   struct nm_locked_list *locked)
{
	struct nm_numa_maps nmaps = { 0 };
	struct nm_query_result q;
	int fd, r;

	nm_diag_facts_init(f);
	f->pid = t->pid;
	snprintf(f->comm, sizeof(f->comm), "%s", t->comm);
	f->target = a->to_node_set ? a->to_node : -1;
	f->move_all = a->all;
	f->mem_nodes = t->mem_nodes;

	f->root = geteuid() == 0;
	f->cap_sys_nice = nm_have_cap(CAP_SYS_NICE);
	f->cap_bpf = nm_have_cap(CAP_BPF);
	f->cap_perfmon = nm_have_cap(CAP_PERFMON);
	f->cap_sys_admin = nm_have_cap(CAP_SYS_ADMIN);
	fd = nm_pagemap_open("", t->pid);
	f->ptrace_err = fd < 0 ? fd : 0;
	if (fd >= 0)
		close(fd);
	f->btf = exists("/sys/kernel/btf/vmlinux");
	f->tracefs = exists("/sys/kernel/tracing/events") ||
		     exists("/sys/kernel/debug/tracing/events");
	f->numa_balancing = nm_numa_balancing_mode("");
	nm_thp_settings("", f->thp_enabled, sizeof(f->thp_enabled), f->thp_defrag,
			sizeof(f->thp_defrag));
	f->mems_known = nm_target_mems_allowed("", t->pid, &f->mems_allowed) == 0 &&
			f->mems_allowed.bits;
	gather_threads(t->pid, f);

	f->free_known = true;
	for (int n = 0; n < NM_MAX_NODES; n++)
		if (nm_nodemask_test(&f->mem_nodes, n) && nm_node_free_kb("", n, &f->free_kb[n]))
			f->free_known = false;

	r = nm_engine_query(&t->sys, t->pid, &t->ranges, &t->eo, 0, NULL, f->target, &q);
	nm_progress_end(t);
	if (r) {
		nm_query_result_free(&q);
		return r;
	}
	f->pages_known = true;
	f->present = q.total.present;
	f->not_present = q.total.not_present;
	memcpy(f->on_node, q.total.node, sizeof(f->on_node));
	f->to_move = f->present - (f->target >= 0 ? q.total.node[f->target] : 0);
	f->shared_known = q.pagemap_ok;
	f->shared = q.shared;
	f->shared_example = q.shared_example;
	nm_query_result_free(&q);

	if (nm_smaps_locked_read("", t->pid, locked) == 0) {
		f->locked_known = true;
		for (size_t i = 0; i < locked->n; i++) {
			struct nm_vma v = { .start = locked->v[i].start, .end = locked->v[i].end };

			if (!vma_in_ranges(&v, &t->ranges))
				continue;
			if (!f->locked_kb)
				f->locked_example = v.start;
			f->locked_kb += locked->v[i].locked_kb;
		}
	}
	if (nm_numa_maps_read("", t->pid, &nmaps) == 0) {
		f->policies_known = true;
		for (size_t i = 0; i < t->vmas.n; i++) {
			const struct nm_numa_maps_entry *e;

			if (!vma_in_ranges(&t->vmas.v[i], &t->ranges))
				continue;
			e = nm_numa_maps_find(&nmaps, t->vmas.v[i].start);
			if (e)
				nm_diag_add_policy(f, e->policy, e->start,
						   nm_numa_maps_entry_total(e));
		}
		nm_numa_maps_free(&nmaps);
	}
	return 0;
}

int nm_cmd_diagnose(struct nm_args *a)
{
	struct nm_locked_list locked = { 0 };
	struct nm_diag_facts *f = NULL;
	struct nm_diagnosis *d = NULL;
	struct nm_target t;
	int r, rc;

	rc = nm_target_open(a, &t);
	if (rc)
		goto out;
	f = malloc(sizeof(*f));
	d = malloc(sizeof(*d));
	if (!f || !d) {
		nm_error("out of memory diagnosing pid %d", t.pid);
		rc = NM_EXIT_MIGRATE;
		goto out;
	}
	r = nm_diag_gather(a, &t, f, &locked);
	if (r == -ESRCH) {
		nm_error("process %d exited during the diagnosis", t.pid);
		rc = NM_EXIT_USAGE;
		goto out;
	}
	if (r)
		nm_warn("cannot query the pages of pid %d (%s): page findings are missing",
			t.pid, strerror(-r));
	nm_diagnose(f, d);
	if (a->json) {
		struct json_object *o = nm_diagnosis_json(f, d);

		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
			JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		nm_diagnosis_text(stdout, f, d);
	}
	rc = nm_diagnosis_exit(d);
	if (rc == NM_EXIT_OK && r)
		rc = NM_EXIT_MIGRATE;
out:
	nm_locked_list_free(&locked);
	free(f);
	free(d);
	nm_target_close(&t);
	return rc;
}
