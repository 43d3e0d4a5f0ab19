// SPDX-License-Identifier: GPL-2.0
/* Diagnosis: facts -> findings with fixes; failed pages -> causes (pure). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "diagnose.h"
#include "errors.h"
#include "numa_maps.h"
#include "parse.h"
#include "range.h"
#include "target.h"

static const char *const sev_names[] = { "ok", "info", "warn", "blocks" };

const char *nm_diag_sev_name(enum nm_diag_sev s)
{
	return (unsigned)s < NM_ARRAY_SIZE(sev_names) ? sev_names[s] : "?";
}

void nm_diag_facts_init(struct nm_diag_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->target = -1;
	f->numa_balancing = -1;
	f->page_size = NM_PAGE_SIZE_DEFAULT;
}

void nm_diag_add_policy(struct nm_diag_facts *f, const char *policy, uint64_t start,
			uint64_t pages)
{
	size_t i;

	for (i = 0; i < f->npolicies; i++)
		if (!strcmp(f->policy[i].policy, policy))
			break;
	if (i == f->npolicies) {
		if (i == NM_DIAG_MAX_POLICIES)
			return;
		f->npolicies++;
		memset(&f->policy[i], 0, sizeof(f->policy[i]));
		snprintf(f->policy[i].policy, sizeof(f->policy[i].policy), "%s", policy);
		f->policy[i].example = start;
	}
	f->policy[i].mappings++;
	f->policy[i].pages += pages;
}

/* "bind:0-1", "bind=static:1", "prefer (many):0", "interleave:0-1",
 * "weighted interleave:0-1", "prefer=relative:1": the list after the last ':'. */
bool nm_policy_allows(const char *policy, int node, struct nm_nodemask *nodes)
{
	const char *colon = strrchr(policy, ':');
	struct nm_nodemask m = { 0 };

	if (nodes)
		nodes->bits = 0;
	if (!colon || !strncmp(policy, "default", 7) || !strncmp(policy, "local", 5))
		return true;
	if (nm_parse_nodelist(colon + 1, &m))
		return true;	/* unknown form: do not claim a conflict */
	if (nodes)
		*nodes = m;
	return nm_nodemask_test(&m, node);
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

static bool overlaps(uint64_t start, uint64_t end, const struct nm_range_list *r)
{
	for (size_t i = 0; r && i < r->n; i++)
		if (r->r[i].start < end && r->r[i].end > start)
			return true;
	return false;
}

void nm_diag_read(pid_t pid, const char *root, const struct nm_vma_list *vmas,
		  const struct nm_range_list *ranges, struct nm_diag_facts *f,
		  struct nm_locked_list *locked)
{
	struct nm_numa_maps nmaps = { 0 };

	f->numa_balancing = nm_numa_balancing_mode(root);
	nm_thp_settings(root, f->thp_enabled, sizeof(f->thp_enabled), f->thp_defrag,
			sizeof(f->thp_defrag));
	f->mems_known = nm_target_mems_allowed(root, pid, &f->mems_allowed) == 0 &&
			f->mems_allowed.bits;
	read_threads(root, pid, f);
	f->free_known = true;
	for (int n = 0; n < NM_MAX_NODES; n++)
		if (nm_nodemask_test(&f->mem_nodes, n) && nm_node_free_kb(root, n, &f->free_kb[n]))
			f->free_known = false;
	if (nm_smaps_locked_read(root, pid, locked) == 0) {
		f->locked_known = true;
		for (size_t i = 0; i < locked->n; i++) {
			if (!overlaps(locked->v[i].start, locked->v[i].end, ranges))
				continue;
			if (!f->locked_kb)
				f->locked_example = locked->v[i].start;
			f->locked_kb += locked->v[i].locked_kb;
		}
	}
	if (nm_numa_maps_read(root, pid, &nmaps) == 0) {
		f->policies_known = true;
		for (size_t i = 0; vmas && i < vmas->n; i++) {
			const struct nm_numa_maps_entry *e;

			if (!overlaps(vmas->v[i].start, vmas->v[i].end, ranges))
				continue;
			e = nm_numa_maps_find(&nmaps, vmas->v[i].start);
			if (e)
				nm_diag_add_policy(f, e->policy, e->start,
						   nm_numa_maps_entry_total(e));
		}
		nm_numa_maps_free(&nmaps);
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

static struct nm_finding *add(struct nm_diagnosis *d, const char *id, enum nm_diag_sev sev,
			      const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static struct nm_finding *add(struct nm_diagnosis *d, const char *id, enum nm_diag_sev sev,
			      const char *fix, const char *fmt, ...)
{
	struct nm_finding *x;
	va_list ap;

	if (d->n == NM_DIAG_MAX_FINDINGS)
		return NULL;
	x = &d->f[d->n++];
	snprintf(x->id, sizeof(x->id), "%s", id);
	x->sev = sev;
	va_start(ap, fmt);
	vsnprintf(x->what, sizeof(x->what), fmt, ap);
	va_end(ap);
	snprintf(x->fix, sizeof(x->fix), "%s", fix ? fix : "");
	if (sev > d->worst)
		d->worst = sev;
	return x;
}

static double mib(uint64_t bytes)
{
	return (double)bytes / (1024.0 * 1024.0);
}

static bool one_node(const struct nm_nodemask *m)
{
	return m->bits && !(m->bits & (m->bits - 1));
}

/* Returns false when the requested node cannot be a target at all: the
 * findings about that node are then left out, not piled on. */
static bool diag_nodes(const struct nm_diag_facts *f, struct nm_diagnosis *d)
{
	char b[128];

	nm_nodemask_fmt(&f->mem_nodes, b, sizeof(b));
	if (f->target >= 0 && !nm_nodemask_test(&f->mem_nodes, f->target)) {
		add(d, "nodes", NM_DIAG_BLOCKS, "pick a node with memory (see numactl --hardware)",
		    "node %d does not exist or has no memory on this host (nodes with memory: %s)",
		    f->target, b);
		return false;
	}
	if (one_node(&f->mem_nodes))
		add(d, "nodes", NM_DIAG_INFO, "run on a machine with several NUMA nodes",
		    "only one NUMA node has memory (node %s): every page is already there and "
		    "there is nowhere else to move it", b);
	else
		add(d, "nodes", NM_DIAG_OK, NULL, "nodes with memory: %s", b);
	return true;
}

static void diag_privileges(const struct nm_diag_facts *f, struct nm_diagnosis *d)
{
	if (f->ptrace_err) {
		d->blocked_by_privilege = true;
		add(d, "ptrace", NM_DIAG_BLOCKS,
		    "run as the process's user with ptrace allowed (kernel.yama.ptrace_scope), or as root",
		    "no ptrace read access to pid %d (%s): move_pages and pagemap need it",
		    f->pid, nm_errno_name(-f->ptrace_err));
	}
	if (f->move_all && !f->cap_sys_nice) {
		d->blocked_by_privilege = true;
		add(d, "privileges", NM_DIAG_BLOCKS, "run as root or grant CAP_SYS_NICE",
		    "--all (MPOL_MF_MOVE_ALL) needs CAP_SYS_NICE, which this caller lacks");
	} else if (!f->root && !f->cap_sys_nice) {
		add(d, "privileges", NM_DIAG_INFO,
		    "run as root (or with CAP_SYS_NICE) to move other users' processes and shared pages",
		    "not root and no CAP_SYS_NICE: only processes of the same user can be moved, "
		    "and never pages shared with other processes");
	} else {
		add(d, "privileges", NM_DIAG_OK, NULL, "%s: can move any process's pages, "
		    "shared ones with --all", f->root ? "root" : "CAP_SYS_NICE");
	}
	if (!f->root && !(f->cap_bpf && f->cap_perfmon))
		add(d, "bpf", NM_DIAG_WARN, "run as root, or grant CAP_BPF and CAP_PERFMON",
		    "cannot load BPF (needs root, or CAP_BPF and CAP_PERFMON): the kernel's own "
		    "migrations of the pages (drift attribution) cannot be traced");
	if (!f->btf)
		add(d, "btf", NM_DIAG_WARN, "use a kernel built with CONFIG_DEBUG_INFO_BTF=y",
		    "no kernel BTF (/sys/kernel/btf/vmlinux): the CO-RE tracing programs cannot load");
	if (!f->tracefs)
		add(d, "tracefs", NM_DIAG_INFO,
		    "as root: mount -t tracefs nodev /sys/kernel/tracing (numa-migrate does it when root)",
		    "tracefs is not mounted: tracepoint programs attach only once it is");
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

static void diag_balancing(const struct nm_diag_facts *f, struct nm_diagnosis *d)
{
	char ran[256];
	unsigned int away = f->target >= 0 ? ran_away(f) : 0;
	int m = f->numa_balancing;

	ran_on_text(f, ran, sizeof(ran));
	if (m < 0) {
		add(d, "numa_balancing", NM_DIAG_INFO, NULL,
		    "kernel.numa_balancing is unreadable (kernel without NUMA balancing?)");
		return;
	}
	if (m == 0) {
		add(d, "numa_balancing", NM_DIAG_OK, NULL,
		    "kernel.numa_balancing=0: the kernel does not move pages towards the CPUs "
		    "that touch them");
		return;
	}
	if (m & 1) {
		if (f->target >= 0 && away)
			add(d, "numa_balancing", NM_DIAG_WARN,
			    "--pin-threads (run the threads on the target node's CPUs), or "
			    "sysctl kernel.numa_balancing=0",
			    "kernel.numa_balancing=%d: the kernel moves pages towards the nodes of the "
			    "CPUs that touch them, and %u of %u threads last ran off node %d (%s): "
			    "moved pages will drift back", m, away, f->threads, f->target, ran);
		else
			add(d, "numa_balancing", NM_DIAG_INFO, NULL,
			    "kernel.numa_balancing=%d: the kernel moves pages towards the CPUs that "
			    "touch them (threads last ran on %s)", m, ran);
	}
	if (m & 2)
		add(d, "memory_tiering", NM_DIAG_WARN,
		    "keep hot data on a top-tier node, or sysctl kernel.numa_balancing=1",
		    "kernel.numa_balancing=%d (memory tiering): the kernel promotes hot pages from "
		    "slower (CPU-less) nodes and demotes cold ones under memory pressure", m);
}

static void diag_cpuset(const struct nm_diag_facts *f, struct nm_diagnosis *d)
{
	char b[128];

	if (!f->mems_known || f->target < 0)
		return;
	nm_nodemask_fmt(&f->mems_allowed, b, sizeof(b));
	if (!nm_nodemask_test(&f->mems_allowed, f->target)) {
		char fix[320];

		snprintf(fix, sizeof(fix), "pick one of nodes %s, or add node %d to the cpuset.mems "
			 "of pid %d's cgroup (/proc/%d/cpuset)", b, f->target, f->pid, f->pid);
		add(d, "cpuset", NM_DIAG_BLOCKS, fix,
		    "node %d is outside pid %d's cpuset (allowed memory nodes: %s): move_pages "
		    "refuses it (EACCES)", f->target, f->pid, b);
	} else {
		add(d, "cpuset", NM_DIAG_OK, NULL, "node %d is inside pid %d's cpuset (mems %s)",
		    f->target, f->pid, b);
	}
}

static void diag_policies(const struct nm_diag_facts *f, struct nm_diagnosis *d)
{
	bool conflict = false;

	if (!f->policies_known || f->target < 0)
		return;
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
		add(d, "policy", NM_DIAG_WARN, fix,
		    "%zu mapping%s (%" PRIu64 " resident pages, e.g. at 0x%" PRIx64 ") ha%s memory "
		    "policy %s: move_pages moves their pages anyway, but new pages of %s come "
		    "from node%s %s, not node %d", p->mappings, p->mappings == 1 ? "" : "s",
		    p->pages, p->example, p->mappings == 1 ? "s" : "ve", p->policy,
		    p->mappings == 1 ? "it" : "them", one_node(&nodes) ? "" : "s", b, f->target);
	}
	if (!conflict)
		add(d, "policy", NM_DIAG_OK, NULL,
		    "no memory policy (task or mapping, numa_maps) keeps node %d out", f->target);
}

static void diag_cpus(const struct nm_diag_facts *f, struct nm_diagnosis *d)
{
	char ran[256], b[128];

	if (!f->cpus_known || f->target < 0 || !f->threads)
		return;
	ran_on_text(f, ran, sizeof(ran));
	if (!nm_nodemask_test(&f->cpu_nodes, f->target)) {
		add(d, "cpus", NM_DIAG_INFO, NULL,
		    "node %d has no CPUs (a memory-only node, e.g. CXL): no thread can run "
		    "there; %u thread%s last ran on %s", f->target, f->threads,
		    f->threads == 1 ? "" : "s", ran);
		return;
	}
	nm_nodemask_fmt(&f->may_run_nodes, b, sizeof(b));
	if (!f->may_run_on_target) {
		add(d, "cpus", NM_DIAG_WARN,
		    "widen the threads' affinity (taskset -a -p, cgroup cpuset.cpus) so they may "
		    "run on the target node, then use --pin-threads",
		    "none of the %u threads may run on node %d's CPUs (they may run on node%s %s): "
		    "their new pages come from there, and NUMA balancing pulls moved pages back",
		    f->threads, f->target, one_node(&f->may_run_nodes) ? "" : "s", b);
		return;
	}
	add(d, "cpus", ran_away(f) ? NM_DIAG_INFO : NM_DIAG_OK,
	    ran_away(f) ? "--pin-threads runs them on the target node's CPUs" : NULL,
	    "%u of %u threads may run on node %d; they last ran on %s", f->may_run_on_target,
	    f->threads, f->target, ran);
}

static void diag_pages(const struct nm_diag_facts *f, struct nm_diagnosis *d)
{
	uint64_t need, freeb;
	char fix[320];

	if (!f->pages_known)
		return;
	if (f->target >= 0)
		add(d, "pages", NM_DIAG_INFO, NULL,
		    "%" PRIu64 " pages present: %" PRIu64 " already on node %d, %" PRIu64
		    " to move (%.1f MiB)", f->present, f->on_node[f->target], f->target,
		    f->to_move, mib(f->to_move * f->page_size));
	else
		add(d, "pages", NM_DIAG_INFO, NULL, "%" PRIu64 " pages present", f->present);
	if (f->not_present)
		add(d, "not_present", NM_DIAG_INFO, NULL,
		    "%" PRIu64 " pages are not present (never touched, swapped out, or the shared "
		    "zero page): nothing to move; they are allocated by policy when touched",
		    f->not_present);
	if (f->target >= 0 && f->free_known && f->to_move) {
		need = f->to_move * f->page_size;
		freeb = f->free_kb[f->target] * 1024;
		if (need > freeb) {
			snprintf(fix, sizeof(fix), "free at least %.0f MiB on node %d, pick another "
				 "node, or move a smaller --range", mib(need - freeb) + 1, f->target);
			add(d, "free_memory", NM_DIAG_BLOCKS, fix,
			    "moving %.1f MiB to node %d needs that much free memory, node %d has "
			    "%.1f MiB free: at least %.1f MiB would fail (ENOMEM)", mib(need),
			    f->target, f->target, mib(freeb), mib(need - freeb));
		} else if (need > freeb / 10 * 9) {
			snprintf(fix, sizeof(fix), "free some memory on node %d first", f->target);
			add(d, "free_memory", NM_DIAG_WARN, fix,
			    "moving %.1f MiB to node %d leaves less than 10%% of its %.1f MiB free: "
			    "the kernel keeps a reserve (watermarks), so the last pages may fail "
			    "(ENOMEM)", mib(need), f->target, mib(freeb));
		} else {
			add(d, "free_memory", NM_DIAG_OK, NULL,
			    "node %d has %.1f MiB free for the %.1f MiB to move", f->target,
			    mib(freeb), mib(need));
		}
	}
	if (f->shared_known && f->shared) {
		if (f->move_all)
			add(d, "shared", NM_DIAG_INFO, NULL,
			    "%" PRIu64 " of the pages to move (e.g. at 0x%" PRIx64 ") are mapped by "
			    "other processes too; --all moves them for every process", f->shared,
			    f->shared_example);
		else
			add(d, "shared", NM_DIAG_WARN,
			    "--all (MPOL_MF_MOVE_ALL, needs CAP_SYS_NICE) moves them for every "
			    "process mapping them",
			    "%" PRIu64 " of the pages to move (%.1f MiB, e.g. at 0x%" PRIx64 ") are "
			    "mapped by other processes too (shared, or copy-on-write after fork): "
			    "move_pages refuses them (EACCES)", f->shared,
			    mib(f->shared * f->page_size), f->shared_example);
	}
	if (f->locked_known && f->locked_kb)
		add(d, "mlocked", NM_DIAG_INFO,
		    "if such pages stay busy after the move, stop the I/O that pins them and retry",
		    "%.1f MiB are mlocked (e.g. the mapping at 0x%" PRIx64 "): mlock keeps pages "
		    "in memory, not on a node, so the kernel still migrates them; pages pinned "
		    "for I/O (RDMA, vmsplice, io_uring buffers) stay busy instead",
		    (double)f->locked_kb / 1024.0, f->locked_example);
	if (f->target >= 0 && !f->to_move && f->present)
		add(d, "nothing_to_move", NM_DIAG_INFO, NULL,
		    "every present page is on node %d already", f->target);
}

static void diag_thp(const struct nm_diag_facts *f, struct nm_diagnosis *d)
{
	if (!f->thp_enabled[0]) {
		add(d, "thp", NM_DIAG_INFO, NULL, "transparent huge pages: not available");
		return;
	}
	add(d, "thp", NM_DIAG_INFO, NULL,
	    "transparent huge pages: enabled=%s, defrag=%s; a huge page moves whole only when "
	    "the target node has a free 2 MiB block, else the kernel splits it first",
	    f->thp_enabled, f->thp_defrag[0] ? f->thp_defrag : "unknown");
}

void nm_diagnose(const struct nm_diag_facts *in, struct nm_diagnosis *d)
{
	struct nm_diag_facts f = *in;

	memset(d, 0, sizeof(*d));
	if (!diag_nodes(&f, d))
		f.target = -1;	/* no node to judge the rest against */
	diag_privileges(&f, d);
	diag_cpuset(&f, d);
	diag_pages(&f, d);
	diag_policies(&f, d);
	diag_cpus(&f, d);
	diag_balancing(&f, d);
	diag_thp(&f, d);
}

int nm_diagnosis_exit(const struct nm_diagnosis *d)
{
	if (d->worst < NM_DIAG_BLOCKS)
		return NM_EXIT_OK;
	return d->blocked_by_privilege ? NM_EXIT_PERM : NM_EXIT_MIGRATE;
}

const struct nm_finding *nm_diagnosis_find(const struct nm_diagnosis *d, const char *id)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->f[i].id, id))
			return &d->f[i];
	return NULL;
}

/* ---- causes ------------------------------------------------------------ */

static const char *const cause_names[NM_CAUSES] = {
	[NM_CAUSE_BUSY] = "busy", [NM_CAUSE_MLOCKED] = "mlocked",
	[NM_CAUSE_SHARED] = "shared", [NM_CAUSE_CPUSET] = "cpuset",
	[NM_CAUSE_NODE_FULL] = "node_full", [NM_CAUSE_NOT_PRESENT] = "not_present",
	[NM_CAUSE_FILE_DIRTY] = "file_dirty", [NM_CAUSE_UNMOVABLE] = "unmovable",
	[NM_CAUSE_WRONG_NODE] = "wrong_node", [NM_CAUSE_OTHER] = "other",
};

const char *nm_cause_name(enum nm_cause c)
{
	return (unsigned)c < NM_CAUSES ? cause_names[c] : "other";
}

static const struct nm_vma *vma_of(const struct nm_vma_list *l, uint64_t addr)
{
	for (size_t i = 0; l && i < l->n; i++)
		if (addr >= l->v[i].start && addr < l->v[i].end)
			return &l->v[i];
	return NULL;
}

/* How many of slot S's examples satisfy PRED. */
static unsigned int count_ex(const struct nm_move_result *r, enum nm_errslot s,
			     const struct nm_explain_ctx *c,
			     bool (*pred)(const struct nm_explain_ctx *, uint64_t))
{
	unsigned int n = 0;

	for (unsigned int k = 0; k < r->nexample[s]; k++)
		n += pred(c, r->example[s][k]);
	return n;
}

static bool in_locked(const struct nm_explain_ctx *c, uint64_t a)
{
	return c->locked && nm_locked_find(c->locked, a);
}

static bool in_file(const struct nm_explain_ctx *c, uint64_t a)
{
	const struct nm_vma *v = vma_of(c->vmas, a);

	return v && v->kind == NM_VMA_FILE;
}

/* Which cause the pages of slot S belong to: the errno, refined by what the
 * examples' mappings are (most examples decide). */
static enum nm_cause cause_of(const struct nm_move_result *r, enum nm_errslot s,
			      const struct nm_explain_ctx *c)
{
	unsigned int nex = r->nexample[s];

	switch (s) {
	case NM_ERR_EBUSY:
	case NM_ERR_UNPROCESSED:
	case NM_ERR_EPERM:
		if (nex && 2 * count_ex(r, s, c, in_locked) > nex)
			return NM_CAUSE_MLOCKED;
		return s == NM_ERR_EPERM ? NM_CAUSE_UNMOVABLE : NM_CAUSE_BUSY;
	case NM_ERR_EACCES:
		if (c->mems_known && !nm_nodemask_test(&c->mems_allowed, c->target))
			return NM_CAUSE_CPUSET;
		return NM_CAUSE_SHARED;
	case NM_ERR_ENOMEM:
		return NM_CAUSE_NODE_FULL;
	case NM_ERR_EFAULT:
	case NM_ERR_ENOENT:
		return NM_CAUSE_NOT_PRESENT;
	case NM_ERR_EIO:
	case NM_ERR_EINVAL:
		if (nex && 2 * count_ex(r, s, c, in_file) > nex)
			return NM_CAUSE_FILE_DIRTY;
		return NM_CAUSE_UNMOVABLE;
	case NM_ERR_WRONG_NODE:
		return NM_CAUSE_WRONG_NODE;
	default:
		return NM_CAUSE_OTHER;
	}
}

static void describe(struct nm_cause_group *g, const struct nm_explain_ctx *c)
{
	char b[128];
	double need = mib(g->pages * c->page_size);

	switch (g->cause) {
	case NM_CAUSE_BUSY:
		snprintf(g->reason, sizeof(g->reason), "busy: isolated by another migration or "
			 "pinned (I/O, RDMA, vmsplice) and still busy after the retries");
		snprintf(g->fix, sizeof(g->fix), "retry later; pages that stay busy are pinned "
			 "until the I/O holding them ends");
		break;
	case NM_CAUSE_MLOCKED:
		snprintf(g->reason, sizeof(g->reason), "in an mlocked mapping and busy or refused: "
			 "locked and pinned for I/O");
		snprintf(g->fix, sizeof(g->fix), "stop the I/O that pins them (or munlock) and "
			 "retry");
		break;
	case NM_CAUSE_SHARED:
		snprintf(g->reason, sizeof(g->reason), "mapped by other processes too (shared, or "
			 "copy-on-write after fork)");
		snprintf(g->fix, sizeof(g->fix), "--all (MPOL_MF_MOVE_ALL, needs CAP_SYS_NICE) "
			 "moves them for every process mapping them");
		break;
	case NM_CAUSE_CPUSET:
		nm_nodemask_fmt(&c->mems_allowed, b, sizeof(b));
		snprintf(g->reason, sizeof(g->reason), "node %d is outside the process's cpuset "
			 "(allowed memory nodes: %s)", c->target, b);
		snprintf(g->fix, sizeof(g->fix), "pick one of nodes %s, or add node %d to the "
			 "cgroup's cpuset.mems", b, c->target);
		break;
	case NM_CAUSE_NODE_FULL:
		snprintf(g->reason, sizeof(g->reason), "node %d ran out of free memory", c->target);
		if (c->free_known)
			snprintf(g->fix, sizeof(g->fix), "free at least %.1f MiB on node %d (it has "
				 "%.1f MiB free now) or pick another node", need, c->target,
				 (double)c->target_free_kb / 1024.0);
		else
			snprintf(g->fix, sizeof(g->fix), "free at least %.1f MiB on node %d or "
				 "pick another node", need, c->target);
		break;
	case NM_CAUSE_NOT_PRESENT:
		snprintf(g->reason, sizeof(g->reason), "not present: never touched, swapped out, "
			 "or the shared zero page");
		snprintf(g->fix, sizeof(g->fix), "nothing to move; new pages follow the memory "
			 "policy and the CPU that touches them");
		break;
	case NM_CAUSE_FILE_DIRTY:
		snprintf(g->reason, sizeof(g->reason), "dirty file pages the filesystem could not "
			 "write back or migrate");
		snprintf(g->fix, sizeof(g->fix), "sync the file (or let writeback finish) and "
			 "retry");
		break;
	case NM_CAUSE_UNMOVABLE:
		snprintf(g->reason, sizeof(g->reason), "the kernel cannot migrate these pages "
			 "(special or driver mapping)");
		snprintf(g->fix, sizeof(g->fix), "none: leave them out with --range");
		break;
	case NM_CAUSE_WRONG_NODE:
		snprintf(g->reason, sizeof(g->reason), "the kernel placed them on another node "
			 "than requested");
		snprintf(g->fix, sizeof(g->fix), "check free memory on node %d and retry",
			 c->target);
		break;
	default:
		snprintf(g->reason, sizeof(g->reason), "unexpected per-page error");
		snprintf(g->fix, sizeof(g->fix), "report it with the move's JSON output");
	}
}

static void example(struct nm_cause_group *g, const struct nm_explain_ctx *c, uint64_t a)
{
	const struct nm_vma *v = vma_of(c->vmas, a);
	struct nm_cause_example *e;

	if (g->nex >= NM_ARRAY_SIZE(g->ex))
		return;
	e = &g->ex[g->nex++];
	e->addr = a;
	if (!v)
		snprintf(e->mapping, sizeof(e->mapping), "unmapped");
	else
		snprintf(e->mapping, sizeof(e->mapping), "0x%" PRIx64 "-0x%" PRIx64 " %s %s",
			 v->start, v->end, v->perms, v->path ? v->path : nm_vma_kind_name(v->kind));
}

static void append_errno(struct nm_cause_group *g, const char *name)
{
	size_t pos = strlen(g->errnos);

	if (pos < sizeof(g->errnos))
		snprintf(g->errnos + pos, sizeof(g->errnos) - pos, "%s%s", pos ? "," : "", name);
}

size_t nm_explain_move(const struct nm_move_result *res, const struct nm_explain_ctx *ctx,
		       struct nm_cause_group *out)
{
	struct nm_cause_group g[NM_CAUSES];
	size_t n = 0;

	memset(g, 0, sizeof(g));
	for (int c = 0; c < NM_CAUSES; c++)
		g[c].cause = (enum nm_cause)c;
	if (res->not_present) {
		g[NM_CAUSE_NOT_PRESENT].pages += res->not_present;
		append_errno(&g[NM_CAUSE_NOT_PRESENT], "query");
	}
	for (int s = 0; s < NM_ERR_SLOTS; s++) {
		enum nm_cause c;

		if (!res->by_errno[s])
			continue;
		c = cause_of(res, (enum nm_errslot)s, ctx);
		g[c].pages += res->by_errno[s];
		append_errno(&g[c], nm_errslot_name((enum nm_errslot)s));
		for (unsigned int k = 0; k < res->nexample[s]; k++)
			example(&g[c], ctx, res->example[s][k]);
	}
	for (int c = 0; c < NM_CAUSES; c++) {
		if (!g[c].pages)
			continue;
		describe(&g[c], ctx);
		out[n++] = g[c];
	}
	/* largest first; stable for equal counts */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && out[j].pages > out[j - 1].pages; j--) {
			struct nm_cause_group t = out[j];

			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}

/* ---- drift attribution --------------------------------------------------- */

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

void nm_drift_fix(const struct nm_drift_attr *a, enum nm_drift_cause c, char *buf, size_t len)
{
	switch (c) {
	case NM_DRIFT_BALANCING:
		snprintf(buf, len, "the process's threads touch these pages from other nodes' "
			 "CPUs: --pin-threads to run them on node %d, or sysctl "
			 "kernel.numa_balancing=0", a->target);
		break;
	case NM_DRIFT_DEMOTION:
		snprintf(buf, len, "reclaim demoted cold pages to a lower memory tier (node %d "
			 "short of memory, or the cgroup's memory.high, memory.max or "
			 "memory.reclaim): free memory there, raise the cgroup's limit, or echo 0 > "
			 "/sys/kernel/mm/numa/demotion_enabled", a->target);
		break;
	case NM_DRIFT_COMPACTION:
		snprintf(buf, len, "the kernel compacted memory (for huge pages or a contiguous "
			 "range); nothing to change unless it recurs");
		break;
	case NM_DRIFT_SELF:
		snprintf(buf, len, "the process moves its own memory (mbind/set_mempolicy with "
			 "MPOL_MF_MOVE, or move_pages): change its policy, e.g. numactl "
			 "--membind=%d", a->target);
		break;
	case NM_DRIFT_OTHER_PROCESS:
		snprintf(buf, len, "another process moved them (see actors: migratepages, "
			 "numad, an orchestrator): stop it or tell it about node %d", a->target);
		break;
	default:
		snprintf(buf, len, "see the kernel reason in the actors list");
	}
}

void nm_drift_attr_text(FILE *out, const struct nm_drift_attr *a)
{
	char fix[320];
	uint64_t total = 0;

	for (int c = 0; c < NM_DRIFT_CAUSES; c++)
		total += a->pages[c];
	if (a->target >= 0)
		fprintf(out, "Drift causes (kernel migrations traced: %" PRIu64 " events, %" PRIu64
			" pages left node %d, %" PRIu64 " failed):%s\n", a->events, total,
			a->target, a->failed, total ? "" : " none");
	else
		fprintf(out, "Migrations of the pages (traced: %" PRIu64 " events, %" PRIu64
			" pages moved between nodes, %" PRIu64 " failed):%s\n", a->events, total,
			a->failed, total ? "" : " none");
	for (int c = 0; c < NM_DRIFT_CAUSES; c++) {
		if (!a->pages[c])
			continue;
		fprintf(out, "  %s: %" PRIu64 " pages", nm_drift_cause_name(c), a->pages[c]);
		for (int n = 0; n < NM_MAX_NODES; n++)
			if (a->to_node[c][n])
				fprintf(out, ", to node %d: %" PRIu64, n, a->to_node[c][n]);
		if (c == NM_DRIFT_BALANCING)
			for (int n = 0; n < NM_MAX_NODES; n++)
				if (a->cpu_node[n])
					fprintf(out, "; faulting CPUs on node %d: %" PRIu64, n,
						a->cpu_node[n]);
		nm_drift_fix(a, c, fix, sizeof(fix));
		fprintf(out, "\n    fix: %s\n", fix);
	}
	for (size_t i = 0; i < a->nactors; i++)
		fprintf(out, "  actor %s (pid %d), %s: %" PRIu64 " pages\n", a->actor[i].comm,
			(int)a->actor[i].tgid, a->actor[i].reason, a->actor[i].pages);
}

/* ---- output ------------------------------------------------------------ */

static const char *verdict(const struct nm_diagnosis *d)
{
	return d->worst == NM_DIAG_BLOCKS ? "blocked" : d->worst == NM_DIAG_WARN ?
	       "warnings" : "ok";
}

void nm_diagnosis_text(FILE *out, const struct nm_diag_facts *f, const struct nm_diagnosis *d)
{
	size_t blocks = 0, warns = 0;

	if (f->target >= 0)
		fprintf(out, "Diagnosis of pid %d (%s) for a move to node %d\n", f->pid, f->comm,
			f->target);
	else
		fprintf(out, "Diagnosis of pid %d (%s)\n", f->pid, f->comm);
	for (size_t i = 0; i < d->n; i++) {
		const struct nm_finding *x = &d->f[i];

		blocks += x->sev == NM_DIAG_BLOCKS;
		warns += x->sev == NM_DIAG_WARN;
		fprintf(out, "  %-9s %s: %s\n", x->sev == NM_DIAG_BLOCKS ? "[BLOCKS]" :
			x->sev == NM_DIAG_WARN ? "[warn]" : x->sev == NM_DIAG_INFO ? "[info]" :
			"[ok]", x->id, x->what);
		if (x->fix[0] && x->sev != NM_DIAG_OK)
			fprintf(out, "  %-9s fix: %s\n", "", x->fix);
	}
	if (blocks)
		fprintf(out, "Verdict: blocked: %zu finding%s block%s a move to node %d\n", blocks,
			blocks == 1 ? "" : "s", blocks == 1 ? "s" : "", f->target);
	else if (warns)
		fprintf(out, "Verdict: %zu warning%s; nothing blocks the move\n", warns,
			warns == 1 ? "" : "s");
	else
		fprintf(out, "Verdict: ok; nothing blocks the move\n");
}

static struct json_object *j_hex(uint64_t v)
{
	char b[32];

	snprintf(b, sizeof(b), "0x%" PRIx64, v);
	return nm_json_str(b);
}

static struct json_object *j_nodes(const struct nm_nodemask *m)
{
	struct json_object *a = json_object_new_array();

	for (int n = 0; n < NM_MAX_NODES; n++)
		if (nm_nodemask_test(m, n))
			json_object_array_add(a, json_object_new_int(n));
	return a;
}

static struct json_object *facts_json(const struct nm_diag_facts *f)
{
	struct json_object *o = json_object_new_object(), *x;
	char key[16];

	x = json_object_new_object();
	json_object_object_add(x, "root", json_object_new_boolean(f->root));
	json_object_object_add(x, "cap_sys_nice", json_object_new_boolean(f->cap_sys_nice));
	json_object_object_add(x, "cap_bpf", json_object_new_boolean(f->cap_bpf));
	json_object_object_add(x, "cap_perfmon", json_object_new_boolean(f->cap_perfmon));
	json_object_object_add(x, "ptrace", json_object_new_boolean(!f->ptrace_err));
	json_object_object_add(o, "privileges", x);
	json_object_object_add(o, "btf", json_object_new_boolean(f->btf));
	json_object_object_add(o, "tracefs", json_object_new_boolean(f->tracefs));
	json_object_object_add(o, "numa_balancing", f->numa_balancing < 0 ? NULL :
			       json_object_new_int(f->numa_balancing));
	json_object_object_add(o, "nodes_with_memory", j_nodes(&f->mem_nodes));
	json_object_object_add(o, "nodes_with_cpus", f->cpus_known ? j_nodes(&f->cpu_nodes) : NULL);
	json_object_object_add(o, "mems_allowed", f->mems_known ? j_nodes(&f->mems_allowed) : NULL);
	x = json_object_new_object();
	json_object_object_add(x, "count", json_object_new_int((int)f->threads));
	json_object_object_add(x, "may_run_on_target", json_object_new_int((int)f->may_run_on_target));
	json_object_object_add(x, "may_run_nodes", j_nodes(&f->may_run_nodes));
	{
		struct json_object *r = json_object_new_object();

		for (int n = 0; n < NM_MAX_NODES; n++)
			if (f->ran_on[n]) {
				snprintf(key, sizeof(key), "%d", n);
				json_object_object_add(r, key, json_object_new_int((int)f->ran_on[n]));
			}
		json_object_object_add(x, "last_ran_on_node", r);
	}
	json_object_object_add(o, "threads", x);
	x = json_object_new_object();
	for (int n = 0; f->free_known && n < NM_MAX_NODES; n++)
		if (nm_nodemask_test(&f->mem_nodes, n)) {
			snprintf(key, sizeof(key), "%d", n);
			json_object_object_add(x, key, json_object_new_double(
				(double)(int64_t)(f->free_kb[n] * 10 / 1024) / 10.0));
		}
	json_object_object_add(o, "free_mib_by_node", x);
	if (f->pages_known) {
		struct json_object *p = json_object_new_object(), *on = json_object_new_object();

		json_object_object_add(p, "present", json_object_new_uint64(f->present));
		json_object_object_add(p, "not_present", json_object_new_uint64(f->not_present));
		json_object_object_add(p, "to_move", json_object_new_uint64(f->to_move));
		json_object_object_add(p, "shared", f->shared_known ? json_object_new_uint64(f->shared) : NULL);
		json_object_object_add(p, "locked_kb", f->locked_known ? json_object_new_uint64(f->locked_kb) : NULL);
		for (int n = 0; n < NM_MAX_NODES; n++)
			if (f->on_node[n]) {
				snprintf(key, sizeof(key), "%d", n);
				json_object_object_add(on, key, json_object_new_uint64(f->on_node[n]));
			}
		json_object_object_add(p, "by_node", on);
		json_object_object_add(o, "pages", p);
	} else {
		json_object_object_add(o, "pages", NULL);
	}
	x = json_object_new_array();
	for (size_t i = 0; i < f->npolicies; i++) {
		struct json_object *p = json_object_new_object();

		json_object_object_add(p, "policy", nm_json_str(f->policy[i].policy));
		json_object_object_add(p, "mappings", json_object_new_uint64(f->policy[i].mappings));
		json_object_object_add(p, "pages", json_object_new_uint64(f->policy[i].pages));
		json_object_object_add(p, "example", j_hex(f->policy[i].example));
		json_object_array_add(x, p);
	}
	json_object_object_add(o, "policies", x);
	x = json_object_new_object();
	json_object_object_add(x, "enabled", f->thp_enabled[0] ?
			       nm_json_str(f->thp_enabled) : NULL);
	json_object_object_add(x, "defrag", f->thp_defrag[0] ?
			       nm_json_str(f->thp_defrag) : NULL);
	json_object_object_add(o, "thp", x);
	return o;
}

struct json_object *nm_diagnosis_json(const struct nm_diag_facts *f,
				      const struct nm_diagnosis *d)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array();

	json_object_object_add(o, "pid", json_object_new_int(f->pid));
	json_object_object_add(o, "comm", nm_json_str(f->comm));
	json_object_object_add(o, "target_node", f->target >= 0 ?
			       json_object_new_int(f->target) : NULL);
	json_object_object_add(o, "verdict", nm_json_str(verdict(d)));
	json_object_object_add(o, "exit_code", json_object_new_int(nm_diagnosis_exit(d)));
	for (size_t i = 0; i < d->n; i++) {
		struct json_object *x = json_object_new_object();

		json_object_object_add(x, "id", nm_json_str(d->f[i].id));
		json_object_object_add(x, "severity",
				       nm_json_str(nm_diag_sev_name(d->f[i].sev)));
		json_object_object_add(x, "blocks",
				       json_object_new_boolean(d->f[i].sev == NM_DIAG_BLOCKS));
		json_object_object_add(x, "what", nm_json_str(d->f[i].what));
		json_object_object_add(x, "fix", d->f[i].fix[0] ?
				       nm_json_str(d->f[i].fix) : NULL);
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "findings", a);
	json_object_object_add(o, "facts", facts_json(f));
	return o;
}

static struct json_object *node_counts(const uint64_t *v)
{
	struct json_object *o = json_object_new_object();
	char key[12];

	for (int n = 0; n < NM_MAX_NODES; n++)
		if (v[n]) {
			snprintf(key, sizeof(key), "%d", n);
			json_object_object_add(o, key, json_object_new_uint64(v[n]));
		}
	return o;
}

struct json_object *nm_drift_attr_json(const struct nm_drift_attr *a)
{
	struct json_object *o = json_object_new_object(), *cs = json_object_new_array(),
			   *ac = json_object_new_array();
	char fix[320];

	json_object_object_add(o, "events", json_object_new_uint64(a->events));
	json_object_object_add(o, "failed", json_object_new_uint64(a->failed));
	for (int c = 0; c < NM_DRIFT_CAUSES; c++) {
		struct json_object *x;

		if (!a->pages[c])
			continue;
		x = json_object_new_object();
		json_object_object_add(x, "cause", nm_json_str(nm_drift_cause_name(c)));
		json_object_object_add(x, "pages", json_object_new_uint64(a->pages[c]));
		json_object_object_add(x, "to_nodes", node_counts(a->to_node[c]));
		if (c == NM_DRIFT_BALANCING)
			json_object_object_add(x, "cpu_nodes", node_counts(a->cpu_node));
		nm_drift_fix(a, c, fix, sizeof(fix));
		json_object_object_add(x, "fix", nm_json_str(fix));
		json_object_array_add(cs, x);
	}
	json_object_object_add(o, "causes", cs);
	for (size_t i = 0; i < a->nactors; i++) {
		struct json_object *x = json_object_new_object();

		json_object_object_add(x, "pid", json_object_new_int(a->actor[i].tgid));
		json_object_object_add(x, "comm", nm_json_str(a->actor[i].comm));
		json_object_object_add(x, "reason", nm_json_str(a->actor[i].reason));
		json_object_object_add(x, "pages", json_object_new_uint64(a->actor[i].pages));
		json_object_array_add(ac, x);
	}
	json_object_object_add(o, "actors", ac);
	return o;
}

void nm_causes_text(FILE *out, const struct nm_cause_group *g, size_t n)
{
	if (!n)
		return;
	fprintf(out, "Why pages did not land:\n");
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "  %s: %" PRIu64 " pages (%s): %s\n", nm_cause_name(g[i].cause),
			g[i].pages, g[i].errnos, g[i].reason);
		fprintf(out, "    fix: %s\n", g[i].fix);
		for (unsigned int k = 0; k < g[i].nex; k++)
			fprintf(out, "    e.g. 0x%" PRIx64 " in %s\n", g[i].ex[k].addr,
				g[i].ex[k].mapping);
	}
}

struct json_object *nm_causes_json(const struct nm_cause_group *g, size_t n)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++) {
		struct json_object *x = json_object_new_object(), *e = json_object_new_array();

		json_object_object_add(x, "cause", nm_json_str(nm_cause_name(g[i].cause)));
		json_object_object_add(x, "pages", json_object_new_uint64(g[i].pages));
		json_object_object_add(x, "from", nm_json_str(g[i].errnos));
		json_object_object_add(x, "reason", nm_json_str(g[i].reason));
		json_object_object_add(x, "fix", nm_json_str(g[i].fix));
		for (unsigned int k = 0; k < g[i].nex; k++) {
			struct json_object *y = json_object_new_object();

			json_object_object_add(y, "addr", j_hex(g[i].ex[k].addr));
			json_object_object_add(y, "mapping",
					       nm_json_str(g[i].ex[k].mapping));
			json_object_array_add(e, y);
		}
		json_object_object_add(x, "examples", e);
		json_object_array_add(a, x);
	}
	return a;
}
