// SPDX-License-Identifier: GPL-2.0
/* numa-migrate check: where the pages are, cross-checked with numa_maps.
 * open -> gather (move_pages query; numa_maps read alongside on a thread of
 * its own, both streamed into a few bytes a mapping) -> compare -> report. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "attach.h"
#include "cmds.h"
#include "errors.h"
#include "numa_maps.h"
#include "parse.h"
#include "pfnnode.h"
#include "session.h"
#include "target.h"

struct nmaps_read {
	struct nm_nmaps_match m;
	pid_t pid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int state;		/* 0: M not set up yet, 1: it is, -errno: never */
};

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
	int rc = nm_numa_maps_each("", nr->pid, nm_nmaps_match_line, &nr->m, nmaps_ready);

	nr->m.read_ok = rc == 0;
}

static void *reader_thread(void *arg)
{
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
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

static int pfn_node(const void *ctx, uint64_t pfn)
{
	return nm_pfn_node(ctx, pfn);
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

int nm_cmd_check(struct nm_args *a)
{
	struct nm_target t;
	struct nm_query_result q;
	struct nmaps_read nr = { .pid = a->pid, .mu = PTHREAD_MUTEX_INITIALIZER,
				 .cv = PTHREAD_COND_INITIALIZER };
	struct nm_vmacount vc = { 0 };
	struct nm_pfn_nodes pfns = { 0 };
	struct nm_compare cmp;
	struct nm_check_report rep;
	struct json_object *doc;
	pthread_t reader;
	bool reading = false;
	char why[64] = "";
	int r, rc;

	if (a->pid_set)
		reading = pthread_create(&reader, NULL, reader_thread, &nr) == 0;
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
	nmaps_go(&nr, 1);
	/* a page's node from its PFN where pagemap shows it (engine.h) */
	if (nm_pfn_nodes_read("", NM_PAGE_SIZE_DEFAULT, &pfns) == 0) {
		t.sys.pfn_node = pfn_node;
		t.sys.pfn_ctx = &pfns;
	}
	r = nm_engine_query_each(&t.sys, t.pid, &t.ranges, &t.eo, add_piece, &vc, NULL, -1, &q);
	nm_progress_end(&t);
	if (reading)
		pthread_join(reader, NULL);
	else
		read_nmaps(&nr);
	reading = false;
	if (r && r != -ESRCH && r != -EINTR) {
		rc = nm_target_error(r, t.pid, "query the pages of");
		goto out_free;
	}
	if (r == -EINTR)
		snprintf(why, sizeof(why), "interrupted by SIG%s during the query",
			 sigabbrev_np(nm_session_stopped()) ?: "?");
	nm_compare_finish(&nr.m, vmacount_row, &vc, &cmp);
	rep = (struct nm_check_report){
		.pid = t.pid, .comm = t.comm, .page_size = NM_PAGE_SIZE_DEFAULT,
		.range_text = a->range, .vmas = &t.vmas, .ranges = &t.ranges, .q = &q,
		.by_vma = &vc, .nmaps = &nr.m, .cmp = &cmp, .nodes = t.mem_nodes,
		.by_mapping = a->by_mapping, .partial = r != 0, .partial_why = why[0] ? why : NULL,
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
	nm_pfn_nodes_free(&pfns);
	nm_vmacount_free(&vc);
	nm_target_close(&t);
	return rc;
}
