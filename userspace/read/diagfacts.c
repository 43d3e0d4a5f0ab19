// SPDX-License-Identifier: GPL-2.0
/* Gathers the facts of a diagnosis: the caller, ROOT/proc, ROOT/sys, the pages. */
#include <errno.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "agents.h"
#include "diagfacts.h"
#include "pagemap.h"
#include "procfs.h"
#include "target.h"
#include "tracefs.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static bool exists_under(const char *root, const char *path)
{
	char p[PATH_MAX];
	struct stat st;
	int n = snprintf(p, sizeof(p), "%s%s", root ? root : "", path);

	return n > 0 && (size_t)n < sizeof(p) && stat(p, &st) == 0;
}

static void read_threads(const char *root, pid_t pid, struct nm_diag_facts *f)
{
	struct nm_cpu_nodes *cn = malloc(sizeof(*cn));
	struct nm_thread_info *th = NULL;
	size_t n = 0;

	if (!cn)
		return;
	if (nm_cpu_nodes_read(root, cn) == 0 && nm_threads_read(root, pid, &th, &n) == 0) {
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

/* Whether [START, END) overlaps a range of R. Asked in ascending START
 * order, so *CUR (start at 0) only moves forward: one pass over R in all. */
static bool overlaps(uint64_t start, uint64_t end, const struct nm_range_list *r, size_t *cur)
{
	if (!r)
		return false;
	while (*cur < r->n && r->r[*cur].end <= start)
		(*cur)++;
	return *cur < r->n && r->r[*cur].start < end;
}

static void read_locked(const char *root, const struct nm_diag_source *s,
			struct nm_diag_facts *f, struct nm_locked_list *locked)
{
	size_t cur = 0;

	if (nm_smaps_locked_read(root, s->pid, locked))
		return;
	f->locked_known = true;
	for (size_t i = 0; i < locked->n; i++) {
		if (!overlaps(locked->v[i].start, locked->v[i].end, s->ranges, &cur))
			continue;
		if (!f->locked_kb)
			f->locked_example = locked->v[i].start;
		f->locked_kb += locked->v[i].locked_kb;
	}
}

/* The policies of the mappings in the ranges; mappings and numa_maps are both
 * in address order, so one walk over each. */
static void add_policies(const struct nm_diag_source *s, const struct nm_numa_maps *nmaps,
			 struct nm_diag_facts *f)
{
	size_t cur = 0, j = 0;

	f->policies_known = true;
	for (size_t i = 0; s->vmas && i < s->vmas->n; i++) {
		const struct nm_vma *v = &s->vmas->v[i];

		if (!overlaps(v->start, v->end, s->ranges, &cur))
			continue;
		while (j < nmaps->n && nmaps->e[j].start < v->start)
			j++;
		if (j < nmaps->n && nmaps->e[j].start == v->start)
			nm_diag_add_policy(f, nmaps->e[j].policy, nmaps->e[j].start,
					   nm_numa_maps_entry_total(&nmaps->e[j]));
	}
}

/* MemTotal of each node with memory (for the pressure of a tier-aware move). */
static void read_totals(const char *root, struct nm_diag_facts *f)
{
	char path[PATH_MAX], *text;

	f->total_known = true;
	for (int n = 0; n < NM_MAX_NODES && f->total_known; n++) {
		if (!nm_nodemask_test(&f->mem_nodes, n))
			continue;
		snprintf(path, sizeof(path), "%s/sys/devices/system/node/node%d/meminfo",
			 root ? root : "", n);
		if (nm_read_text_file(path, &text)) {
			f->total_known = false;
			break;
		}
		if (nm_node_meminfo_parse(text, "MemTotal", &f->total_kb[n]))
			f->total_known = false;
		free(text);
	}
}

/* The placement agents that act on the target (agents.h), us left out. */
static void read_agents(const char *root, pid_t pid, struct nm_diag_facts *f)
{
	struct nm_agents a;

	if (nm_agents_read(root, pid, getpid(), &a))
		return;
	f->agents_known = true;
	f->nagents = a.n;
	for (size_t i = 0; i < a.n && i < NM_DIAG_MAX_AGENTS; i++) {
		struct nm_diag_agent *x = &f->agent[i];

		snprintf(x->kind, sizeof(x->kind), "%s", nm_agent_name(a.a[i].kind));
		snprintf(x->what, sizeof(x->what), "%s", a.a[i].what);
		snprintf(x->fix, sizeof(x->fix), "%s", a.a[i].fix);
	}
	nm_agents_free(&a);
}

static void read_proc_sys(const char *root, const struct nm_diag_source *s,
			  struct nm_diag_facts *f, struct nm_locked_list *locked)
{
	struct nm_numa_maps own = { 0 };

	f->numa_balancing = nm_numa_balancing_mode(root);
	nm_thp_settings(root, f->thp_enabled, sizeof(f->thp_enabled), f->thp_defrag,
			sizeof(f->thp_defrag));
	if (s->mems_read)
		f->mems_allowed = s->mems_allowed;
	f->mems_known = (s->mems_read ||
			 nm_target_mems_allowed(root, s->pid, &f->mems_allowed) == 0) &&
			f->mems_allowed.bits;
	read_threads(root, s->pid, f);
	f->free_known = true;
	for (int n = 0; n < NM_MAX_NODES; n++)
		if (nm_nodemask_test(&f->mem_nodes, n) && nm_node_free_kb(root, n, &f->free_kb[n]))
			f->free_known = false;
	read_totals(root, f);
	if (nm_tiers_read(root, &f->tiers))
		f->tiers.n = 0;		/* a malformed nodelist: no tiers known */
	read_locked(root, s, f, locked);
	read_agents(root, s->pid, f);
	if (s->nmaps) {
		add_policies(s, s->nmaps, f);
	} else if (nm_numa_maps_read(root, s->pid, &own) == 0) {
		add_policies(s, &own, f);
		nm_numa_maps_free(&own);
	}
}

void nm_diag_add_query(struct nm_diag_facts *f, const struct nm_query_result *q)
{
	f->pages_known = true;
	f->present = q->total.present;
	f->not_present = q->total.not_present;
	memcpy(f->on_node, q->total.node, sizeof(f->on_node));
	f->to_move = f->present - (f->target >= 0 ? q->total.node[f->target] : 0);
	f->shared_known = q->pagemap_ok;
	f->shared = q->shared;
	f->shared_example = q->shared_example;
}

int nm_diag_gather(const char *root, const struct nm_diag_source *s, struct nm_diag_facts *f,
		   struct nm_locked_list *locked)
{
	struct nm_query_result q;
	char path[PATH_MAX];
	int fd, r;

	nm_diag_facts_init(f);
	memset(locked, 0, sizeof(*locked));
	f->pid = s->pid;
	snprintf(f->comm, sizeof(f->comm), "%s", s->comm ? s->comm : "");
	f->target = s->target;
	f->move_all = s->move_all;
	f->mem_nodes = s->mem_nodes;

	f->root = geteuid() == 0;
	f->cap_sys_nice = nm_have_cap(CAP_SYS_NICE);
	f->cap_bpf = nm_have_cap(CAP_BPF);
	f->cap_perfmon = nm_have_cap(CAP_PERFMON);
	f->cap_sys_admin = nm_have_cap(CAP_SYS_ADMIN);
	fd = nm_pagemap_open(root, s->pid);
	f->ptrace_err = fd < 0 ? fd : 0;
	if (fd >= 0)
		close(fd);
	f->btf = exists_under(root, "/sys/kernel/btf/vmlinux");
	f->tracefs = nm_tracefs_path(root, "/events", path, sizeof(path)) == 0;
	read_proc_sys(root, s, f, locked);

	if (!s->sys)
		return 0;
	r = nm_engine_query(s->sys, s->pid, s->ranges, s->eo, 0, NULL, f->target, &q);
	if (!r)
		nm_diag_add_query(f, &q);
	nm_query_result_free(&q);
	return r;
}
