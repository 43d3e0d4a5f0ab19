// SPDX-License-Identifier: GPL-2.0
/*
 * numa-migrate diagnose: open the target, gather the facts (read/diagfacts.c),
 * judge them (lib/diagnose.c, the rules in lib/diagrules.c), optionally watch
 * the kernel's migrations for S seconds, report (output/diagreport.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "attach.h"
#include "cmds.h"
#include "diagfacts.h"
#include "diagreport.h"
#include "drift.h"
#include "errors.h"
#include "json.h"
#include "migtrace.h"

/* --watch S: traces the kernel's migrations of the pages into ATTR. Returns
 * true when the window was traced (completely or up to a stop signal); WHY
 * says why not, or why only partly. */
static bool watch(struct nm_args *a, struct nm_target *t, int target,
		  struct nm_drift_attr *attr, char *why, size_t whylen)
{
	struct nm_migtrace *mt = nm_drift_trace_open(t, why, whylen);
	bool traced = true;

	if (!mt) {
		nm_warn("--watch: cannot trace the kernel's migrations: %s", why);
		return false;
	}
	if (!a->json)
		fprintf(stderr, "numa-migrate: watching pid %d's pages for %ld s\n", t->pid,
			a->watch);
	nm_drift_attr_init(attr, target, t->pid, getpid());
	if (!nm_wait_seconds(a->watch, mt, attr, &traced))
		snprintf(why, whylen, "interrupted before %ld s", a->watch);
	if (!traced)
		snprintf(why, whylen, "reading the migration events failed");
	nm_migtrace_stop(mt);
	return traced;
}

int nm_cmd_diagnose(struct nm_args *a)
{
	struct nm_locked_list locked = { 0 };
	struct nm_diag_facts *f = NULL;
	struct nm_diagnosis *d = NULL;
	struct nm_drift_attr *attr = NULL;
	struct nm_diag_watch w = { 0 };
	struct nm_diag_source src;
	struct nm_target t;
	char why[256] = "";
	bool traced = false;
	int r, rc;

	if (a->to_spread.n > 1) {
		nm_error("diagnose judges a move to one node, and --to-node names %d (a spread); "
			 "diagnose each node of it on its own (--to-node %d, ...)", a->to_spread.n,
			 a->to_spread.node[0]);
		return NM_EXIT_USAGE;
	}
	rc = nm_target_open(a, &t);
	if (rc)
		goto out;
	nm_target_pfn_nodes(&t);	/* its page queries from pagemap PFNs */
	f = malloc(sizeof(*f));
	d = malloc(sizeof(*d));
	attr = a->watch ? malloc(sizeof(*attr)) : NULL;
	if (!f || !d || (a->watch && !attr)) {
		nm_error("out of memory diagnosing pid %d: free some memory and retry", t.pid);
		rc = NM_EXIT_MIGRATE;
		goto out;
	}
	src = (struct nm_diag_source){
		.pid = t.pid, .comm = t.comm, .target = a->to_node_set ? a->to_node : -1,
		.move_all = a->all, .mem_nodes = t.mem_nodes, .vmas = &t.vmas,
		.ranges = &t.ranges, .sys = &t.sys, .eo = &t.eo,
	};
	r = nm_diag_gather("", &src, f, &locked);
	nm_progress_end(&t);
	if (r == -ESRCH) {
		nm_error("process %d exited during the diagnosis", t.pid);
		rc = NM_EXIT_USAGE;
		goto out;
	}
	if (r)
		nm_warn("cannot query the pages of pid %d (%s): page findings are missing",
			t.pid, strerror(-r));
	nm_diagnose(f, d);
	if (a->watch)
		traced = watch(a, &t, f->target, attr, why, sizeof(why));
	w = (struct nm_diag_watch){
		.seconds = a->watch, .attr = traced ? attr : NULL, .why = why,
	};
	rc = nm_diagnose_exit_code(d, r != 0, a->watch && !traced);
	if (a->json)
		nm_out_json(nm_diagnose_report_json(f, d, &w, rc));
	else
		nm_diagnose_report_text(stdout, f, d, &w);
out:
	nm_locked_list_free(&locked);
	free(attr);
	free(f);
	free(d);
	nm_target_close(&t);
	return rc;
}
