// SPDX-License-Identifier: GPL-2.0
/* Drift attribution: the kernel's migrations of the target's pages, by cause
 * and actor, with the fix for each cause (pure). */
#include <stdio.h>
#include <string.h>
#include "driftattr.h"

static const char *const drift_names[NM_DRIFT_CAUSES] = {
	[NM_DRIFT_BALANCING] = "numa_balancing", [NM_DRIFT_DEMOTION] = "demotion",
	[NM_DRIFT_COMPACTION] = "compaction", [NM_DRIFT_SELF] = "own_policy_or_syscall",
	[NM_DRIFT_OTHER_PROCESS] = "other_process", [NM_DRIFT_OTHER] = "other",
};

const char *nm_drift_cause_name(enum nm_drift_cause c)
{
	return (unsigned)c < NM_DRIFT_CAUSES ? drift_names[c] : "other";
}

void nm_drift_attr_init(struct nm_drift_attr *a, int target, pid_t pid, pid_t self)
{
	memset(a, 0, sizeof(*a));
	a->target = target;
	a->pid = pid;
	a->self = self;
}

static void note_actor(struct nm_drift_attr *a, pid_t tgid, const char *comm,
		       const char *reason, uint64_t pages)
{
	size_t i;

	for (i = 0; i < a->nactors; i++)
		if (a->actor[i].tgid == tgid && !strcmp(a->actor[i].reason, reason))
			break;
	if (i == a->nactors) {
		if (i == NM_DRIFT_MAX_ACTORS)
			return;
		a->nactors++;
		a->actor[i].tgid = tgid;
		snprintf(a->actor[i].comm, sizeof(a->actor[i].comm), "%s", comm ? comm : "?");
		snprintf(a->actor[i].reason, sizeof(a->actor[i].reason), "%s", reason);
		a->actor[i].pages = 0;
	}
	a->actor[i].pages += pages;
}

void nm_drift_attr_add(struct nm_drift_attr *a, const char *reason, pid_t actor_tgid,
		       const char *comm, int from, int to, int cpu_node, unsigned int order)
{
	uint64_t pages = 1ULL << (order > 20 ? 0 : order);
	enum nm_drift_cause c;

	a->events++;
	if (actor_tgid == a->self && a->self) {
		a->ignored += pages;	/* our own move */
		return;
	}
	if (from == to) {
		a->failed += pages;
		return;
	}
	if (a->target >= 0 && from != a->target) {
		a->ignored += pages;	/* not leaving the target node */
		return;
	}
	if (!strcmp(reason, "numa_misplaced"))
		c = NM_DRIFT_BALANCING;
	else if (!strcmp(reason, "demotion"))
		c = NM_DRIFT_DEMOTION;
	else if (!strcmp(reason, "compaction") || !strcmp(reason, "contig_range"))
		c = NM_DRIFT_COMPACTION;
	else if (!strcmp(reason, "syscall") || !strcmp(reason, "mempolicy_mbind"))
		c = actor_tgid == a->pid ? NM_DRIFT_SELF : NM_DRIFT_OTHER_PROCESS;
	else
		c = NM_DRIFT_OTHER;
	a->pages[c] += pages;
	if (to >= 0 && to < NM_MAX_NODES)
		a->to_node[c][to] += pages;
	if (c == NM_DRIFT_BALANCING && cpu_node >= 0 && cpu_node < NM_MAX_NODES)
		a->cpu_node[cpu_node] += pages;
	if (actor_tgid != a->pid)
		note_actor(a, actor_tgid, comm, reason, pages);
}

/* Each cause's fix; where NODE is set the target node stands between PRE
 * and POST. */
static const struct {
	const char *pre, *post;
	bool node;
} fixes[NM_DRIFT_CAUSES] = {
	[NM_DRIFT_BALANCING] = { "the process's threads touch these pages from other nodes' "
		"CPUs: --pin-threads to run them on node ", ", or sysctl kernel.numa_balancing=0",
		true },
	[NM_DRIFT_DEMOTION] = { "reclaim demoted cold pages to a lower memory tier (node ",
		" short of memory, or the cgroup's memory.high, memory.max or memory.reclaim): "
		"free memory there, raise the cgroup's limit, or echo 0 > "
		"/sys/kernel/mm/numa/demotion_enabled", true },
	[NM_DRIFT_COMPACTION] = { "the kernel compacted memory (for huge pages or a contiguous "
		"range); nothing to change unless it recurs", "", false },
	[NM_DRIFT_SELF] = { "the process moves its own memory (mbind/set_mempolicy with "
		"MPOL_MF_MOVE, or move_pages): change its policy, e.g. numactl --membind=", "",
		true },
	[NM_DRIFT_OTHER_PROCESS] = { "another process moved them (see actors: migratepages, "
		"numad, an orchestrator): stop it or tell it about node ", "", true },
	[NM_DRIFT_OTHER] = { "see the kernel reason in the actors list", "", false },
};

void nm_drift_fix(const struct nm_drift_attr *a, enum nm_drift_cause c, char *buf, size_t len)
{
	if ((unsigned int)c >= NM_DRIFT_CAUSES)
		c = NM_DRIFT_OTHER;
	if (fixes[c].node)
		snprintf(buf, len, "%s%d%s", fixes[c].pre, a->target, fixes[c].post);
	else
		snprintf(buf, len, "%s", fixes[c].pre);
}
