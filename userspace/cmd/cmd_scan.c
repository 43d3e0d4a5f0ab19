// SPDX-License-Identifier: GPL-2.0
/*
 * numa-migrate scan: every process (or those of a cgroup, above --min-size),
 * worst placed first: resident bytes by node (numa_maps, as numastat -p
 * reads them), where its threads ran over the window (per-thread CPU time
 * sampled every quarter second), the bytes on nodes where none of that time
 * ran, and the command that fixes it. --watch S repeats every S seconds.
 * open (topology) -> gather (scanset) -> report (scanreport).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cmds.h"
#include "agents.h"
#include "errors.h"
#include "json.h"
#include "procscan.h"
#include "scanloc.h"
#include "scanreport.h"
#include "scanset.h"
#include "session.h"
#include "target.h"
#include "textfile.h"

#define SCAN_STEP_S 0.25	/* CPU samples this often within the window */
#define FIX_SHARE 90.0		/* % of CPU time on one node to suggest a move there */
#define MAX_SKIP_TEXT 10	/* not-read processes listed in the text report */

static int write_metrics(FILE *f, const void *arg)
{
	return nm_scan_metrics(f, arg);
}

static int report(struct nm_args *a, struct nm_scanset *s, struct nm_nodemask mem_nodes,
		  double window, const char *locality_why)
{
	struct nm_agents agents = { 0 };
	int ar = nm_agents_read("", 0, getpid(), &agents);

	struct nm_scan_report r = {
		.p = s->p, .n = s->n, .skip = s->skip, .nskip = s->nskip,
		.examined = s->examined, .below_min = s->below_min, .outside_cgroup = s->outside,
		.mem_nodes = mem_nodes, .window_s = window, .min_size = s->min_size,
		.cgroup = a->cgroup, .sort = a->sort ? a->sort : "remote",
		.locality_why = locality_why,
		.top = a->top, .agents = ar ? NULL : &agents,
	};
	bool tty = isatty(STDOUT_FILENO), again = a->watch > 0;
	int rc = 0;

	if (a->metrics) {
		int m = nm_textfile_write(a->metrics, write_metrics, &r);

		if (m) {
			nm_error("cannot write --metrics %s: %s; check that its directory exists "
				 "and is writable", a->metrics, strerror(-m));
			rc = NM_EXIT_USAGE;
		}
	}
	if (a->json) {
		if (again)	/* --watch: one JSON document per line */
			nm_json_print_line(stdout, nm_scan_json(&r));
		else
			nm_out_json(nm_scan_json(&r));
	} else if (a->csv) {
		nm_scan_csv(stdout, &r);
	} else {
		size_t all = r.nskip;

		if (again && tty)
			fputs("\x1b[H\x1b[2J", stdout);	/* like top: redraw in place */
		r.nskip = all > MAX_SKIP_TEXT ? MAX_SKIP_TEXT : all;
		nm_scan_text(stdout, &r, tty);
		if (all > r.nskip)
			printf("not read: %zu more (--json lists them all)\n", all - r.nskip);
		if (again && !tty)
			putchar('\n');
	}
	fflush(stdout);
	nm_agents_free(&agents);
	return rc;
}

/* A failed read of the locality counters (ERR) ends the measuring: the
 * report's locality is null from then on, with the reason in WHY. */
static void loc_check(struct nm_scanloc **loc, int err, char *why, size_t len)
{
	if (!err)
		return;
	snprintf(why, len, "reading the hinting-fault counters failed: %s", strerror(-err));
	nm_scanloc_close(*loc);
	*loc = NULL;
}

int nm_cmd_scan(struct nm_args *a)
{
	struct nm_cpu_nodes cpus;
	struct nm_nodemask mem_nodes = { 0 };
	struct nm_scanset s = {
		.root = "", .min_size = a->min_size, .fix_share = FIX_SHARE, .self = getpid(),
		.hz = sysconf(_SC_CLK_TCK), .page_size = (uint64_t)sysconf(_SC_PAGESIZE),
		.cpus = &cpus,
	};
	double window = a->watch ? (double)a->watch : a->duration_set ? (double)a->duration : 1.0;
	struct nm_scanloc *loc = NULL;
	char why[640] = "";
	int rc, r;

	if (a->sort && nm_scan_sort_parse(a->sort, &s.sort)) {
		nm_error("invalid --sort '%s': expected remote, rss, cpu, locality or pid", a->sort);
		return NM_EXIT_USAGE;
	}
	rc = nm_cgroup_opt_resolve(a->cgroup, &s.cgroup);
	if (rc)
		return rc;
	r = nm_cpu_nodes_read("", &cpus);
	if (!r)
		r = nm_nodes_with_memory("", &mem_nodes);
	if (r == -ENOENT) {
		/* a kernel without NUMA: everything is node 0 */
		for (int c = 0; c < NM_MAX_CPUS; c++)
			cpus.node[c] = 0;
		nm_nodemask_set(&mem_nodes, 0);
		r = 0;
	}
	if (r) {
		nm_error("cannot read the node topology under /sys/devices/system/node: %s",
			 strerror(-r));
		return NM_EXIT_USAGE;
	}
	loc = nm_scanloc_open(why, sizeof(why));
	do {
		double t0, left;

		nm_scanset_reset(&s);
		r = nm_scanset_collect(&s);
		if (r) {
			nm_error("cannot list the processes in /proc: %s", strerror(-r));
			rc = NM_EXIT_USAGE;
			break;
		}
		if (loc)
			loc_check(&loc, nm_scanloc_begin(loc, &s), why, sizeof(why));
		t0 = nm_mono();
		while ((left = t0 + window - nm_mono()) > 0 && !nm_session_stopped()) {
			nm_session_sleep(left < SCAN_STEP_S ? left : SCAN_STEP_S);
			nm_scanset_sample(&s);
		}
		if (nm_session_stopped() && a->watch)
			break;	/* --watch ends on a signal, after the last full round */
		if (loc)
			loc_check(&loc, nm_scanloc_end(loc, &s), why, sizeof(why));
		nm_scanset_finish(&s);
		rc = report(a, &s, mem_nodes, nm_mono() - t0, loc ? NULL : why);
	} while (a->watch && !nm_session_stopped() && !rc);
	nm_scanloc_close(loc);
	nm_scanset_free(&s);
	return rc;
}
