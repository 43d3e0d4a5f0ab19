// SPDX-License-Identifier: GPL-2.0
/*
 * The rules of the preflight, one function per finding id, and their table.
 * Each reads only struct nm_diag_facts and says what it found with
 * nm_diag_emit(); the table's order is the order of the findings.
 */
#include <inttypes.h>
#include <stdio.h>
#include "diagnose.h"
#include "errors.h"
#include "target.h"	/* nm_nodemask_fmt */

static double mib(uint64_t bytes)
{
	return (double)bytes / (1024.0 * 1024.0);
}

static bool one_node(const struct nm_nodemask *m)
{
	return m->bits && !(m->bits & (m->bits - 1));
}

static void ran_on_text(const struct nm_diag_facts *f, char *buf, size_t len)
{
	size_t pos = 0;

	buf[0] = '\0';
	for (int n = 0; n < NM_MAX_NODES && pos < len; n++)
		if (f->ran_on[n])
			pos += (size_t)snprintf(buf + pos, len - pos, "%snode %d: %u",
						pos ? ", " : "", n, f->ran_on[n]);
	if (!pos)
		snprintf(buf, len, "unknown");
}

/* Threads that last ran away from the target (NUMA balancing pulls pages to them). */
static unsigned int ran_away(const struct nm_diag_facts *f)
{
	unsigned int n = 0;

	for (int i = 0; i < NM_MAX_NODES; i++)
		if (i != f->target)
			n += f->ran_on[i];
	return n;
}

/* ---- nodes and privileges ------------------------------------------------ */

/* False when the requested node cannot be a target at all. */
static bool rule_nodes(const struct nm_diag_facts *f, struct nm_diag_emit *e)
{
	char b[128];

	nm_nodemask_fmt(&f->mem_nodes, b, sizeof(b));
	if (f->target >= 0 && !nm_nodemask_test(&f->mem_nodes, f->target)) {
		nm_diag_emit(e, NM_DIAG_BLOCKS, "pick a node with memory (see numactl --hardware)",
			     "node %d does not exist or has no memory on this host (nodes with "
			     "memory: %s)", f->target, b);
		return false;
	}
	if (one_node(&f->mem_nodes))
		nm_diag_emit(e, NM_DIAG_INFO, "run on a machine with several NUMA nodes",
			     "only one NUMA node has memory (node %s): every page is already "
			     "there and there is nowhere else to move it", b);
	else
		nm_diag_emit(e, NM_DIAG_OK, NULL, "nodes with memory: %s", b);
	return true;
}

static bool rule_ptrace(const struct nm_diag_facts *f, struct nm_diag_emit *e)
{
	if (f->ptrace_err) {
		nm_diag_emit_privilege(e);
		nm_diag_emit(e, NM_DIAG_BLOCKS, "run as the process's user with ptrace allowed "
			     "(kernel.yama.ptrace_scope), or as root",
			     "no ptrace read access to pid %d (%s): move_pages and pagemap need it",
			     f->pid, nm_errno_name(-f->ptrace_err));
	}
	return true;
}

static bool rule_privileges(const struct nm_diag_facts *f, struct nm_diag_emit *e)
{
	if (f->move_all && !f->cap_sys_nice) {
		nm_diag_emit_privilege(e);
		nm_diag_emit(e, NM_DIAG_BLOCKS, "run as root or grant CAP_SYS_NICE",
			     "--all (MPOL_MF_MOVE_ALL) needs CAP_SYS_NICE, which this caller lacks");
	} else if (!f->root && !f->cap_sys_nice) {
		nm_diag_emit(e, NM_DIAG_INFO, "run as root (or with CAP_SYS_NICE) to move other "
			     "users' processes and shared pages",
			     "not root and no CAP_SYS_NICE: only processes of the same user can be "
			     "moved, and never pages shared with other processes");
	} else {
		nm_diag_emit(e, NM_DIAG_OK, NULL, "%s: can move any process's pages, shared ones "
			     "with --all", f->root ? "root" : "CAP_SYS_NICE");
	}
	return true;
}

static bool rule_bpf(const struct nm_diag_facts *f, struct nm_diag_emit *e)
{
	if (!f->root && !(f->cap_bpf && f->cap_perfmon))
		nm_diag_emit(e, NM_DIAG_WARN, "run as root, or grant CAP_BPF and CAP_PERFMON",
			     "cannot load BPF (needs root, or CAP_BPF and CAP_PERFMON): the "
			     "kernel's own migrations of the pages (drift attribution) cannot be "
			     "traced");
	return true;
}

static bool rule_btf(const struct nm_diag_facts *f, struct nm_diag_emit *e)
{
	if (!f->btf)
		nm_diag_emit(e, NM_DIAG_WARN, "use a kernel built with CONFIG_DEBUG_INFO_BTF=y",
			     "no kernel BTF (/sys/kernel/btf/vmlinux): the CO-RE tracing programs "
			     "cannot load");
	return true;
}

static bool rule_tracefs(const struct nm_diag_facts *f, struct nm_diag_emit *e)
{
	if (!f->tracefs)
		nm_diag_emit(e, NM_DIAG_INFO, "nothing for numa-migrate; for tools that read "
			     "tracefs: mount -t tracefs nodev /sys/kernel/tracing",
			     "tracefs is not mounted: numa-migrate does not need it (its programs "
			     "are raw tracepoints, tp_btf, fentry or kprobes)");
	return true;
}

static bool rule_cpuset(const struct nm_diag_facts *f, struct nm_diag_emit *e)
{
	char b[128];

	if (!f->mems_known || f->target < 0)
		return true;
	nm_nodemask_fmt(&f->mems_allowed, b, sizeof(b));
	if (!nm_nodemask_test(&f->mems_allowed, f->target)) {
		char fix[320];

		snprintf(fix, sizeof(fix), "pick one of nodes %s, or add node %d to the cpuset.mems "
			 "of pid %d's cgroup (/proc/%d/cpuset)", b, f->target, f->pid, f->pid);
		nm_diag_emit(e, NM_DIAG_BLOCKS, fix,
			     "node %d is outside pid %d's cpuset (allowed memory nodes: %s): "
			     "move_pages refuses it (EACCES)", f->target, f->pid, b);
	} else {
		nm_diag_emit(e, NM_DIAG_OK, NULL, "node %d is inside pid %d's cpuset (mems %s)",
			     f->target, f->pid, b);
	}
	return true;
}

/* ---- the pages ----------------------------------------------------------- */

static bool rule_pages(const struct nm_diag_facts *f, struct nm_diag_emit *e)
{
	if (!f->pages_known)
		return true;
	if (f->target >= 0)
		nm_diag_emit(e, NM_DIAG_INFO, NULL,
			     "%" PRIu64 " pages present: %" PRIu64 " already on node %d, %" PRIu64
			     " to move (%.1f MiB)", f->present, f->on_node[f->target], f->target,
			     f->to_move, mib(f->to_move * f->page_size));
	else
		nm_diag_emit(e, NM_DIAG_INFO, NULL, "%" PRIu64 " pages present", f->present);
	return true;
}

static bool rule_not_present(const struct nm_diag_facts *f, struct nm_diag_emit *e)
{
	if (f->pages_known && f->not_present)
		nm_diag_emit(e, NM_DIAG_INFO, NULL,
			     "%" PRIu64 " pages are not present (never touched, swapped out, or the "
			     "shared zero page): nothing to move; they are allocated by policy when "
			     "touched", f->not_present);
	return true;
}

static bool rule_free_memory(const struct nm_diag_facts *f, struct nm_diag_emit *e)
{
	uint64_t need, freeb;
	char fix[320];

	if (!f->pages_known || f->target < 0 || !f->free_known || !f->to_move)
		return true;
	need = f->to_move * f->page_size;
	freeb = f->free_kb[f->target] * 1024;
	if (need > freeb) {
		snprintf(fix, sizeof(fix), "free at least %.0f MiB on node %d, pick another "
			 "node, or move a smaller --range", mib(need - freeb) + 1, f->target);
		nm_diag_emit(e, NM_DIAG_BLOCKS, fix,
			     "moving %.1f MiB to node %d needs that much free memory, node %d has "
			     "%.1f MiB free: at least %.1f MiB would fail (ENOMEM)", mib(need),
			     f->target, f->target, mib(freeb), mib(need - freeb));
	} else if (need > freeb / 10 * 9) {
		snprintf(fix, sizeof(fix), "free some memory on node %d first", f->target);
		nm_diag_emit(e, NM_DIAG_WARN, fix,
			     "moving %.1f MiB to node %d leaves less than 10%% of its %.1f MiB "
			     "free: the kernel keeps a reserve (watermarks), so the last pages may "
			     "fail (ENOMEM)", mib(need), f->target, mib(freeb));
	} else {
		nm_diag_emit(e, NM_DIAG_OK, NULL, "node %d has %.1f MiB free for the %.1f MiB to "
			     "move", f->target, mib(freeb), mib(need));
	}
	return true;
}

static bool rule_shared(const struct nm_diag_facts *f, struct nm_diag_emit *e)
{
	if (!f->pages_known || !f->shared_known || !f->shared)
		return true;
	if (f->move_all)
		nm_diag_emit(e, NM_DIAG_INFO, NULL,
			     "%" PRIu64 " of the pages to move (e.g. at 0x%" PRIx64 ") are mapped "
			     "by other processes too; --all moves them for every process", f->shared,
			     f->shared_example);
	else
		nm_diag_emit(e, NM_DIAG_WARN,
			     "--all (MPOL_MF_MOVE_ALL, needs CAP_SYS_NICE) moves them for every "
			     "process mapping them",
			     "%" PRIu64 " of the pages to move (%.1f MiB, e.g. at 0x%" PRIx64 ") "
			     "are mapped by other processes too (shared, or copy-on-write after "
			     "fork): move_pages refuses them (EACCES)", f->shared,
			     mib(f->shared * f->page_size), f->shared_example);
	return true;
}

static bool rule_mlocked(const struct nm_diag_facts *f, struct nm_diag_emit *e)
{
	if (f->pages_known && f->locked_known && f->locked_kb)
		nm_diag_emit(e, NM_DIAG_INFO,
			     "if such pages stay busy after the move, stop the I/O that pins them "
			     "and retry",
			     "%.1f MiB are mlocked (e.g. the mapping at 0x%" PRIx64 "): mlock keeps "
			     "pages in memory, not on a node, so the kernel still migrates them; "
			     "pages pinned for I/O (RDMA, vmsplice, io_uring buffers) stay busy "
			     "instead", (double)f->locked_kb / 1024.0, f->locked_example);
	return true;
}

static bool rule_nothing_to_move(const struct nm_diag_facts *f, struct nm_diag_emit *e)
{
	if (f->pages_known && f->target >= 0 && !f->to_move && f->present)
		nm_diag_emit(e, NM_DIAG_INFO, NULL, "every present page is on node %d already",
			     f->target);
	return true;
}

/* ---- what makes moved pages stay ----------------------------------------- */

static bool rule_policy(const struct nm_diag_facts *f, struct nm_diag_emit *e)
{
	bool conflict = false;

	if (!f->policies_known || f->target < 0)
		return true;
	for (size_t i = 0; i < f->npolicies; i++) {
		const struct nm_diag_policy *p = &f->policy[i];
		struct nm_nodemask nodes;
		char b[128], fix[320];

		if (nm_policy_allows(p->policy, f->target, &nodes))
			continue;
		conflict = true;
		nm_nodemask_fmt(&nodes, b, sizeof(b));
		snprintf(fix, sizeof(fix), "start the process under 'numactl --membind=%d' (or "
			 "--preferred=%d), or change the mbind() call in the program; numa-migrate "
			 "cannot change another process's policy", f->target, f->target);
		nm_diag_emit(e, NM_DIAG_WARN, fix,
			     "%zu mapping%s (%" PRIu64 " resident pages, e.g. at 0x%" PRIx64 ") "
			     "ha%s memory policy %s: move_pages moves their pages anyway, but new "
			     "pages of %s come from node%s %s, not node %d", p->mappings,
			     p->mappings == 1 ? "" : "s", p->pages, p->example,
			     p->mappings == 1 ? "s" : "ve", p->policy,
			     p->mappings == 1 ? "it" : "them", one_node(&nodes) ? "" : "s", b,
			     f->target);
	}
	if (!conflict)
		nm_diag_emit(e, NM_DIAG_OK, NULL, "no memory policy (task or mapping, numa_maps) "
			     "keeps node %d out", f->target);
	return true;
}

static bool rule_cpus(const struct nm_diag_facts *f, struct nm_diag_emit *e)
{
	char ran[256], b[128];

	if (!f->cpus_known || f->target < 0 || !f->threads)
		return true;
	ran_on_text(f, ran, sizeof(ran));
	if (!nm_nodemask_test(&f->cpu_nodes, f->target)) {
		nm_diag_emit(e, NM_DIAG_INFO, NULL,
			     "node %d has no CPUs (a memory-only node, e.g. CXL): no thread can run "
			     "there; %u thread%s last ran on %s", f->target, f->threads,
			     f->threads == 1 ? "" : "s", ran);
		return true;
	}
	nm_nodemask_fmt(&f->may_run_nodes, b, sizeof(b));
	if (!f->may_run_on_target) {
		nm_diag_emit(e, NM_DIAG_WARN,
			     "widen the threads' affinity (taskset -a -p, cgroup cpuset.cpus) so "
			     "they may run on the target node, then use --pin-threads",
			     "none of the %u threads may run on node %d's CPUs (they may run on "
			     "node%s %s): their new pages come from there, and NUMA balancing pulls "
			     "moved pages back", f->threads, f->target,
			     one_node(&f->may_run_nodes) ? "" : "s", b);
		return true;
	}
	nm_diag_emit(e, ran_away(f) ? NM_DIAG_INFO : NM_DIAG_OK,
		     ran_away(f) ? "--pin-threads runs them on the target node's CPUs" : NULL,
		     "%u of %u threads may run on node %d; they last ran on %s",
		     f->may_run_on_target, f->threads, f->target, ran);
	return true;
}

static bool rule_numa_balancing(const struct nm_diag_facts *f, struct nm_diag_emit *e)
{
	char ran[256];
	unsigned int away = f->target >= 0 ? ran_away(f) : 0;
	int m = f->numa_balancing;

	ran_on_text(f, ran, sizeof(ran));
	if (m < 0) {
		nm_diag_emit(e, NM_DIAG_INFO, NULL,
			     "kernel.numa_balancing is unreadable (kernel without NUMA balancing?)");
		return true;
	}
	if (m == 0) {
		nm_diag_emit(e, NM_DIAG_OK, NULL,
			     "kernel.numa_balancing=0: the kernel does not move pages towards the "
			     "CPUs that touch them");
		return true;
	}
	if (!(m & 1))
		return true;
	if (f->target >= 0 && away)
		nm_diag_emit(e, NM_DIAG_WARN,
			     "--pin-threads (run the threads on the target node's CPUs), or "
			     "sysctl kernel.numa_balancing=0",
			     "kernel.numa_balancing=%d: the kernel moves pages towards the nodes of "
			     "the CPUs that touch them, and %u of %u threads last ran off node %d "
			     "(%s): moved pages will drift back", m, away, f->threads, f->target, ran);
	else
		nm_diag_emit(e, NM_DIAG_INFO, NULL,
			     "kernel.numa_balancing=%d: the kernel moves pages towards the CPUs "
			     "that touch them (threads last ran on %s)", m, ran);
	return true;
}


/* ---- memory tiers: what the kernel's own tiering does to a move ---------- */

/* The fastest tier (rank) among the nodes the threads last ran on; -1 unknown. */
static int threads_best_tier(const struct nm_diag_facts *f, int *node)
{
	int best = -1;

	for (int n = 0; n < NM_MAX_NODES; n++) {
		int r = f->ran_on[n] ? nm_tier_of(&f->tiers, n) : -1;

		if (r >= 0 && (best < 0 || r < best)) {
			best = r;
			*node = n;
		}
	}
	return best;
}

static void tier_text(const struct nm_tiers *t, int rank, char *buf, size_t len)
{
	char b[128];

	nm_nodemask_fmt(&t->nodes[rank], b, sizeof(b));
	snprintf(buf, len, "memory_tier%d, node%s %s", t->id[rank],
		 one_node(&t->nodes[rank]) ? "" : "s", b);
}

/* Lists the tiers; the generic tiering-mode warning when the kernel shows none. */
static bool rule_memory_tiering(const struct nm_diag_facts *f, struct nm_diag_emit *e)
{
	char b[512], one[160];
	size_t pos = 0;
	int m = f->numa_balancing;

	if (f->tiers.n == 0) {
		if (m > 0 && (m & 2))
			nm_diag_emit(e, NM_DIAG_WARN,
				     "keep hot data on a top-tier node, or sysctl kernel.numa_balancing=1",
				     "kernel.numa_balancing=%d (memory tiering): the kernel promotes hot "
				     "pages from slower (CPU-less) nodes and demotes cold ones under "
				     "memory pressure", m);
		return true;
	}
	b[0] = '\0';
	for (int i = 0; i < f->tiers.n && pos < sizeof(b); i++) {
		tier_text(&f->tiers, i, one, sizeof(one));
		pos += (size_t)snprintf(b + pos, sizeof(b) - pos, "%s%s", i ? "; " : "", one);
	}
	nm_diag_emit(e, NM_DIAG_INFO, NULL,
		     "memory tiers, fastest first: %s; demotion_enabled=%s, "
		     "kernel.numa_balancing=%d%s", b,
		     f->tiers.demotion < 0 ? "unknown" : f->tiers.demotion ? "true" : "false", m,
		     m > 0 && (m & 2) ? " (memory tiering: promotes from lower tiers)" : "");
	return true;
}

/* Mode 2 promotes what the threads touch on a lower tier to their tier. */
static bool rule_tier_promotion(const struct nm_diag_facts *f, struct nm_diag_emit *e)
{
	int m = f->numa_balancing, rt, rb, node = -1;
	char tt[160], tb[160], lim[96];

	if (f->target < 0 || f->tiers.n < 2 || (rt = nm_tier_of(&f->tiers, f->target)) < 0)
		return true;
	if (m <= 0 || !(m & 2)) {
		if (rt > 0)
			nm_diag_emit(e, NM_DIAG_OK, NULL, "kernel.numa_balancing=%d has no memory "
				     "tiering bit: nothing promotes pages off node %d (a lower tier)",
				     m < 0 ? 0 : m, f->target);
		return true;
	}
	tier_text(&f->tiers, rt, tt, sizeof(tt));
	rb = f->cpus_known ? threads_best_tier(f, &node) : -1;
	if (rt == 0) {
		nm_diag_emit(e, NM_DIAG_OK, NULL,
			     "node %d is on the top tier (%s): in memory tiering mode the kernel "
			     "does not scan it, so nothing promotes or pulls pages away from it "
			     "by hinting faults", f->target, tt);
		return true;
	}
	if (f->tiers.promote_mbps >= 0)
		snprintf(lim, sizeof(lim), ", at up to %ld MB/s "
			 "(numa_balancing_promote_rate_limit_MBps)", f->tiers.promote_mbps);
	else
		lim[0] = '\0';
	if (rb < 0 || rb >= rt) {
		nm_diag_emit(e, NM_DIAG_INFO, NULL,
			     "node %d is on a lower tier (%s); kernel.numa_balancing=%d promotes "
			     "pages touched there to the tier of the touching CPU%s; the threads' "
			     "nodes are %s", f->target, tt, m, lim,
			     rb < 0 ? "unknown or in no tier" : "not on a faster tier");
		return true;
	}
	tier_text(&f->tiers, rb, tb, sizeof(tb));
	nm_diag_emit(e, NM_DIAG_WARN,
		     "move only data that stays cold there, or sysctl kernel.numa_balancing=0 "
		     "(no promotion) while the move should hold",
		     "node %d is on a lower memory tier (%s) than node %d where the threads run "
		     "(%s): with kernel.numa_balancing=%d (memory tiering) the kernel promotes "
		     "every page they touch back to the faster tier%s, undoing the move for all "
		     "but the cold pages", f->target, tt, node, tb, m, lim);
	return true;
}

/* demotion_enabled moves the coldest pages of a node under pressure down a tier. */
static bool rule_tier_demotion(const struct nm_diag_facts *f, struct nm_diag_emit *e)
{
	uint64_t freekb, after, need;
	char tt[160], lower[128];
	struct nm_nodemask below = { 0 };
	int rt;

	if (f->target < 0 || f->tiers.n < 2 || (rt = nm_tier_of(&f->tiers, f->target)) < 0 ||
	    rt == f->tiers.n - 1)
		return true;	/* no tier below the target: nothing to demote to */
	for (int i = rt + 1; i < f->tiers.n; i++)
		below.bits |= f->tiers.nodes[i].bits;
	nm_nodemask_fmt(&below, lower, sizeof(lower));
	tier_text(&f->tiers, rt, tt, sizeof(tt));
	if (f->tiers.demotion != 1) {
		nm_diag_emit(e, NM_DIAG_OK, NULL, "demotion_enabled is %s: reclaim on node %d "
			     "(%s) does not demote pages to the lower tier (nodes %s)",
			     f->tiers.demotion ? "unknown" : "false", f->target, tt, lower);
		return true;
	}
	need = f->pages_known ? f->to_move * f->page_size / 1024 : 0;
	freekb = f->free_known ? f->free_kb[f->target] : 0;
	after = freekb > need ? freekb - need : 0;
	if (f->free_known && f->total_known && f->total_kb[f->target] &&
	    after < f->total_kb[f->target] / 10) {
		char fix[320];

		snprintf(fix, sizeof(fix), "free memory on node %d first (keep at least 10%% of "
			 "it free), or echo false > /sys/kernel/mm/numa/demotion_enabled while the "
			 "move should hold", f->target);
		nm_diag_emit(e, NM_DIAG_WARN, fix,
			     "node %d (%s) will have %.1f MiB free of %.1f MiB after the move, under "
			     "10%%: it is under memory pressure, and with demotion_enabled=true "
			     "reclaim there demotes its coldest pages, moved ones included, to the "
			     "lower tier (nodes %s) instead of keeping them", f->target, tt,
			     (double)after / 1024.0, (double)f->total_kb[f->target] / 1024.0, lower);
		return true;
	}
	nm_diag_emit(e, NM_DIAG_INFO, NULL,
		     "demotion_enabled=true: if node %d (%s) runs short of memory, reclaim demotes "
		     "its coldest pages to the lower tier (nodes %s)%s", f->target, tt, lower,
		     f->free_known ? "; it has enough free memory for now" : "");
	return true;
}
static bool rule_thp(const struct nm_diag_facts *f, struct nm_diag_emit *e)
{
	if (!f->thp_enabled[0]) {
		nm_diag_emit(e, NM_DIAG_INFO, NULL, "transparent huge pages: not available");
		return true;
	}
	nm_diag_emit(e, NM_DIAG_INFO, NULL,
		     "transparent huge pages: enabled=%s, defrag=%s; a huge page moves whole "
		     "only when the target node has a free 2 MiB block, else the kernel splits "
		     "it first", f->thp_enabled, f->thp_defrag[0] ? f->thp_defrag : "unknown");
	return true;
}

/* Whatever else moves this process's pages by its own rule (read/agents.c). */
static bool rule_agents(const struct nm_diag_facts *f, struct nm_diag_emit *e)
{
	if (!f->agents_known)
		return true;
	if (!f->nagents)
		nm_diag_emit(e, NM_DIAG_OK, NULL, "no other placement agent acts on pid %d "
			     "(numad, memtierd, another numa-migrate auto, a DAMON migrate scheme, "
			     "memory-tiering mode, demotion)", f->pid);
	for (size_t i = 0; i < f->nagents && i < NM_DIAG_MAX_AGENTS; i++)
		nm_diag_emit(e, NM_DIAG_WARN, f->agent[i].fix, "%s: it will fight a move of "
			     "pid %d", f->agent[i].what, f->pid);
	if (f->nagents > NM_DIAG_MAX_AGENTS)
		nm_diag_emit(e, NM_DIAG_WARN, "see numa-migrate scan for the whole list",
			     "%zu more placement agents not listed here",
			     f->nagents - NM_DIAG_MAX_AGENTS);
	return true;
}

const struct nm_diag_rule nm_diag_rules[] = {
	{ "nodes", rule_nodes },
	{ "ptrace", rule_ptrace },
	{ "privileges", rule_privileges },
	{ "bpf", rule_bpf },
	{ "btf", rule_btf },
	{ "tracefs", rule_tracefs },
	{ "cpuset", rule_cpuset },
	{ "pages", rule_pages },
	{ "not_present", rule_not_present },
	{ "free_memory", rule_free_memory },
	{ "shared", rule_shared },
	{ "mlocked", rule_mlocked },
	{ "nothing_to_move", rule_nothing_to_move },
	{ "policy", rule_policy },
	{ "cpus", rule_cpus },
	{ "numa_balancing", rule_numa_balancing },
	{ "memory_tiering", rule_memory_tiering },
	{ "tier_promotion", rule_tier_promotion },
	{ "tier_demotion", rule_tier_demotion },
	{ "thp", rule_thp },
	{ "agents", rule_agents },
};

const size_t nm_diag_nrules = NM_ARRAY_SIZE(nm_diag_rules);
