// SPDX-License-Identifier: GPL-2.0
/* numa-migrate check: where the pages are.
 * Default: one read of numa_maps, parsed in place (numastat -p's cost); with
 * --by-mapping the maps are read too, numa_maps alongside on a thread.
 * --exact (or --range): open -> gather (move_pages query; numa_maps read
 * alongside on a thread of its own, both streamed into a few bytes a
 * mapping) -> compare -> report. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "attach.h"
#include "cmds.h"
#include "errors.h"
#include "numa_maps.h"
#include "parse.h"
#include "procfs.h"
#include "quietthread.h"
#include "session.h"
#include "target.h"

struct nmaps_read {
	struct nm_nmaps_match m;
	pid_t pid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int state;		/* 0: M not set up yet, 1: it is, -errno: never */
	int rc;			/* of the read */
	/* numa_maps as the source (no --exact): the counts of every line, and
	 * with --by-mapping each mapping's row (lines come in address order) */
	bool source;
	struct nm_hist total;
	struct nm_vmacount *rows;
	size_t cur;
};

/* An nm_numa_maps_fn (CTX: the nmaps_read): the cross-check's match when
 * the mappings are known, and the counts when numa_maps is the source. */
static int nmaps_line(void *ctx, const struct nm_numa_maps_entry *e)
{
	struct nmaps_read *nr = ctx;
	const struct nm_vma_list *vl = nr->m.vmas;
	struct nm_hist h;
	int rc = vl ? nm_nmaps_match_line(&nr->m, e) : 0;

	if (rc || !nr->source)
		return rc;
	if (!nr->rows) {
		nr->total.present += nm_numa_maps_entry_pages(e, NM_PAGE_SIZE_DEFAULT,
							      nr->total.node);
		return 0;
	}
	memset(&h, 0, sizeof(h));
	h.present = nm_numa_maps_entry_pages(e, NM_PAGE_SIZE_DEFAULT, h.node);
	for (int n = 0; n < NM_MAX_NODES; n++)
		nr->total.node[n] += h.node[n];
	nr->total.present += h.present;
	while (nr->cur < vl->n && vl->v[nr->cur].start < e->start)
		nr->cur++;
	if (nr->cur < vl->n && vl->v[nr->cur].start == e->start) {
		uint64_t pages = (vl->v[nr->cur].end - e->start) / NM_PAGE_SIZE_DEFAULT;

		h.not_present = pages > h.present ? pages - h.present : 0;
		/* -ENOMEM widening the rows: the row keeps what it had */
		(void)nm_vmacount_add(nr->rows, nr->cur, &h);
	}
	return 0;
}

/* An nm_ready_fn: whether M is set up (the mappings are read). */
static int nmaps_ready(void *arg, bool block)
{
	struct nmaps_read *nr = arg;
	int st;

	pthread_mutex_lock(&nr->mu);
	while (block && !nr->state)
		pthread_cond_wait(&nr->cv, &nr->mu);
	st = nr->state;
	pthread_mutex_unlock(&nr->mu);
	return st;
}

static void nmaps_go(struct nmaps_read *nr, int state)
{
	pthread_mutex_lock(&nr->mu);
	nr->state = state;
	pthread_cond_broadcast(&nr->cv);
	pthread_mutex_unlock(&nr->mu);
}

/* Reads numa_maps from the start, alongside the maps read and the query:
 * the kernel's numa_maps walk costs as much as both, and all of them take
 * mmap_lock only for reading. Lines wait (as text) until the mappings they
 * are matched to are known. Signals stay with the main thread, which polls
 * the session. */
static void read_nmaps(struct nmaps_read *nr)
{
	nr->rc = nm_numa_maps_each("", nr->pid, nmaps_line, nr, nmaps_ready);
	nr->m.read_ok = nr->rc == 0;
}

static void *reader_thread(void *arg)
{
	read_nmaps(arg);
	return NULL;
}

/* Per-mapping counts from the engine, serialised by it. */
static void add_piece(void *arg, size_t vma, const struct nm_hist *h)
{
	struct nm_vmacount *vc = arg;

	/* -ENOMEM widening the rows: the row keeps what it had */
	(void)nm_vmacount_add(vc, vma, h);
}

static bool vmacount_row(const void *arg, size_t v, struct nm_hist *out)
{
	const struct nm_vmacount *vc = arg;

	if (v >= vc->n)
		return false;
	nm_vmacount_get(vc, v, out);
	return true;
}

/* The highest node with memory, plus one: the columns of the counts. */
static unsigned int node_columns(const struct nm_nodemask *m)
{
	unsigned int cols = 1;

	for (int n = 0; n < NM_MAX_NODES; n++)
		if (nm_nodemask_test(m, n))
			cols = (unsigned int)n + 1;
	return cols;
}

/* The process's virtual size in base pages (VmSize; 0 for a kernel thread):
 * the pages numa_maps' counts are out of. 0 or -errno. */
static int vm_pages(pid_t pid, uint64_t *out)
{
	char *text, v[64];
	unsigned long long kb = 0;
	int rc = nm_proc_read_text("", pid, "status", &text);

	if (rc)
		return rc;
	if (!nm_status_field(text, "VmSize", v, sizeof(v)) && sscanf(v, "%llu", &kb) != 1)
		kb = 0;
	free(text);
	*out = kb * 1024 / NM_PAGE_SIZE_DEFAULT;
	return 0;
}

/* The totals of a numa_maps read: not present is what the mapped size
 * leaves (saturating: the two reads are moments apart). */
static void numa_maps_totals(struct nm_query_result *q, const struct nm_hist *total,
			     uint64_t mapped)
{
	memset(q, 0, sizeof(*q));
	q->total = *total;
	q->total.not_present = mapped > total->present ? mapped - total->present : 0;
	q->examined = q->total.present + q->total.not_present;
}

static void nodes_or_node0(struct nm_nodemask *m)
{
	int r = nm_nodes_with_memory("", m);

	if (r) {
		/* -ENOENT: a kernel without NUMA, where node 0 is all there is */
		if (r != -ENOENT)
			nm_warn("cannot read /sys/devices/system/node/has_memory (%s); "
				"assuming node 0 is the only node with memory", strerror(-r));
		nm_nodemask_set(m, 0);
	}
}

/* numa_maps is there to read (a kernel with NUMA): the default may use it. */
static bool have_numa_maps(void)
{
	return access("/proc/self/numa_maps", F_OK) == 0;
}

static int numa_maps_error(int err, pid_t pid)
{
	if (err == -ESRCH || err == -ENOENT || err == -EACCES || err == -EPERM)
		return nm_target_error(err, pid, "read the numa_maps of");
	nm_error("cannot read /proc/%d/numa_maps: %s; check --exact counts the pages with "
		 "move_pages(2) instead", (int)pid, strerror(-err));
	return NM_EXIT_MIGRATE;
}

/* The default without --by-mapping: what numastat -p reads, and nothing
 * else (no maps, no pidfd, no thread): comm, numa_maps, VmSize. */
static int check_numa_maps(struct nm_args *a)
{
	struct nmaps_read nr = { .pid = a->pid, .source = true };
	struct nm_vma_list none = { 0 };
	struct nm_query_result q;
	struct nm_check_report rep;
	uint64_t mapped = 0;
	char comm[64];
	int r;

	if (!a->pid_set) {
		nm_error("%s needs --pid PID", a->cmd->name);
		return NM_EXIT_USAGE;
	}
	r = nm_target_comm("", a->pid, comm, sizeof(comm));
	if (r)
		return nm_target_error(r, a->pid, "read the name of");
	r = nm_numa_maps_each("", a->pid, nmaps_line, &nr, NULL);
	if (!r)
		r = vm_pages(a->pid, &mapped);
	if (r)
		return numa_maps_error(r, a->pid);
	numa_maps_totals(&q, &nr.total, mapped);
	rep = (struct nm_check_report){
		.pid = a->pid, .comm = comm, .page_size = NM_PAGE_SIZE_DEFAULT,
		.vmas = &none, .q = &q, .from_numa_maps = true,
	};
	nodes_or_node0(&rep.nodes);
	nm_check_out(a->json ? NM_FMT_JSON : a->csv ? NM_FMT_CSV : NM_FMT_TEXT, &rep);
	return 0;
}

int nm_cmd_check(struct nm_args *a)
{
	struct nm_target t;
	struct nm_query_result q = { 0 };
	bool exact = a->exact || a->range || !have_numa_maps();
	struct nmaps_read nr = { .pid = a->pid, .mu = PTHREAD_MUTEX_INITIALIZER,
				 .cv = PTHREAD_COND_INITIALIZER, .source = !exact };
	struct nm_vmacount vc = { 0 };
	struct nm_compare cmp = { 0 };
	struct nm_check_report rep;
	struct json_object *doc;
	pthread_t reader;
	bool reading = false;
	char why[64] = "";
	int r = 0, rc;

	if (!exact && !a->by_mapping)
		return check_numa_maps(a);
	if (a->pid_set)
		reading = nm_thread_start_quiet(&reader, reader_thread, &nr) == 0;
	rc = nm_target_open(a, &t);
	if (rc)
		goto out;
	r = nm_vmacount_init(&vc, t.vmas.n, node_columns(&t.mem_nodes));
	if (!r)
		r = nm_nmaps_match_init(&nr.m, &t.vmas, &t.ranges, NM_PAGE_SIZE_DEFAULT,
					a->by_mapping);
	if (r) {
		rc = nm_target_error(r, t.pid, "count the pages of");
		goto out;
	}
	if (!exact)
		nr.rows = &vc;
	nmaps_go(&nr, 1);
	if (exact) {
		/* a page's node from its PFN where pagemap shows it (engine.h) */
		nm_target_pfn_nodes(&t);
		r = nm_engine_query_each(&t.sys, t.pid, &t.ranges, &t.eo, add_piece, &vc, NULL,
					 -1, &q);
		nm_progress_end(&t);
	}
	if (reading)
		pthread_join(reader, NULL);
	else
		read_nmaps(&nr);
	reading = false;
	if (!exact && nr.rc) {
		rc = numa_maps_error(nr.rc, t.pid);
		goto out_free;
	}
	if (r && r != -ESRCH && r != -EINTR) {
		rc = nm_target_error(r, t.pid, "query the pages of");
		goto out_free;
	}
	if (r == -EINTR)
		snprintf(why, sizeof(why), "interrupted by SIG%s during the query",
			 sigabbrev_np(nm_session_stopped()) ?: "?");
	if (exact) {
		nm_compare_finish(&nr.m, vmacount_row, &vc, &cmp);
	} else {
		uint64_t mapped = 0;

		for (size_t v = 0; v < t.vmas.n; v++)
			mapped += (t.vmas.v[v].end - t.vmas.v[v].start) / NM_PAGE_SIZE_DEFAULT;
		numa_maps_totals(&q, &nr.total, mapped);
	}
	rep = (struct nm_check_report){
		.pid = t.pid, .comm = t.comm, .page_size = NM_PAGE_SIZE_DEFAULT,
		.range_text = a->range, .vmas = &t.vmas, .ranges = &t.ranges, .q = &q,
		.by_vma = &vc, .nmaps = &nr.m, .cmp = exact ? &cmp : NULL, .nodes = t.mem_nodes,
		.by_mapping = a->by_mapping, .from_numa_maps = !exact, .partial = r != 0,
		.partial_why = why[0] ? why : NULL,
	};
	/* JSON: the one document; the error below becomes its "error" member.
	 * With --by-mapping its rows are written as main prints it. */
	doc = t.fmt == NM_FMT_JSON && a->by_mapping ?
	      nm_check_json_streamed(&rep, &t.vmas, &vc, &nr.m, stdout) : NULL;
	if (doc)
		nm_out_json(doc);
	else
		nm_check_out(t.fmt, &rep);
	if (r == -ESRCH) {
		nm_error("process %d exited during the query; the report above is partial", t.pid);
		rc = NM_EXIT_USAGE;
	} else if (r == -EINTR) {
		nm_error("%s of pid %d; the report above is partial", why, t.pid);
		rc = NM_EXIT_MIGRATE;
	}
out_free:
	nm_nmaps_match_free(&nr.m);
out:
	if (reading) {
		nmaps_go(&nr, -ECANCELED);
		pthread_join(reader, NULL);
	}
	nm_vmacount_free(&vc);
	nm_target_close(&t);
	return rc;
}
