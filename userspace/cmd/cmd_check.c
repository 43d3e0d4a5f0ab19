// SPDX-License-Identifier: GPL-2.0
/* numa-migrate check, and the target setup it shares with move. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cmds.h"
#include "errors.h"
#include "numa_maps.h"
#include "parse.h"
#include "target.h"

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void progress_cb(void *arg, uint64_t done, uint64_t total)
{
	struct nm_target *t = arg;
	double now = mono();
	int width = 40, fill;
	char b1[32], b2[32];

	if (done < total && now - t->progress.last < 0.1)
		return;
	t->progress.last = now;
	fill = total ? (int)(done * (uint64_t)width / total) : width;
	fprintf(stderr, "\r[%.*s%*s] %5.1f%% %s / %s", fill,
		"########################################", width - fill, "",
		total ? 100.0 * (double)done / (double)total : 100.0,
		nm_fmt_bytes(done * t->eo.page_size, b1, sizeof(b1)),
		nm_fmt_bytes(total * t->eo.page_size, b2, sizeof(b2)));
}

void nm_progress_end(struct nm_target *t)
{
	if (t->progress.on && t->progress.last > 0)
		fprintf(stderr, "\r%*s\r", 72, "");
	t->progress.last = 0;
}

static int target_error(int err, pid_t pid, const char *what)
{
	char buf[512];

	if (err == -ESRCH || err == -ENOENT) {
		nm_error("process not found: pid %d does not exist", pid);
		return NM_EXIT_USAGE;
	}
	if (err == -EACCES || err == -EPERM) {
		nm_error("%s", nm_describe_target_error(EACCES, pid, what, false, buf, sizeof(buf)));
		return NM_EXIT_PERM;
	}
	nm_error("cannot %s pid %d: %s", what, pid, strerror(-err));
	return NM_EXIT_MIGRATE;
}

int nm_target_open(struct nm_args *a, struct nm_target *t)
{
	char err[512];
	long ncpu;
	int r;

	memset(t, 0, sizeof(*t));
	t->real.pidfd = t->real.pagemap_fd = t->real.kpageflags_fd = -1;
	if (!a->pid_set) {
		nm_error("%s needs --pid PID", a->cmd->name);
		return NM_EXIT_USAGE;
	}
	if (a->json && a->csv) {
		nm_error("--json and --csv exclude each other; pick one");
		return NM_EXIT_USAGE;
	}
	t->pid = a->pid;
	t->fmt = a->json ? NM_FMT_JSON : a->csv ? NM_FMT_CSV : NM_FMT_TEXT;
	if (a->range) {
		r = nm_range_spec_parse(a->range, &t->spec, err, sizeof(err));
		if (r) {
			nm_error("%s (--range)", err);
			return NM_EXIT_USAGE;
		}
	} else {
		t->spec.kind = NM_RSPEC_ALL;
	}
	r = nm_sys_open(&t->real, t->pid, &t->sys);
	if (r)
		return target_error(r, t->pid, "open");
	r = nm_target_comm("", t->pid, t->comm, sizeof(t->comm));
	if (r)
		return target_error(r, t->pid, "read the name of");
	r = nm_maps_read("", t->pid, &t->vmas);
	if (r)
		return target_error(r, t->pid, "read the memory maps of");
	r = nm_range_resolve(&t->spec, &t->vmas, NM_PAGE_SIZE_DEFAULT, &t->ranges, err,
			     sizeof(err));
	if (r == -ENOENT) {
		nm_error("--range %s: %s (pid %d)", a->range ? a->range : "(all)", err, t->pid);
		return NM_EXIT_USAGE;
	}
	if (r) {
		nm_error("cannot resolve --range for pid %d: %s", t->pid, strerror(-r));
		return NM_EXIT_MIGRATE;
	}
	r = nm_nodes_with_memory("", &t->mem_nodes);
	if (r) {
		/* -ENOENT: a kernel without NUMA, where node 0 is all there is */
		if (r != -ENOENT)
			nm_warn("cannot read /sys/devices/system/node/has_memory (%s); "
				"assuming node 0 is the only node with memory", strerror(-r));
		nm_nodemask_set(&t->mem_nodes, 0);
	}

	nm_engine_opts_default(&t->eo);
	t->eo.batch_pages = (size_t)a->batch;
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	t->eo.jobs = a->jobs ? (unsigned int)a->jobs :
		     (unsigned int)(ncpu < 1 ? 1 : ncpu > 4 ? 4 : ncpu);
	t->progress.on = !a->no_progress && isatty(STDERR_FILENO);
	if (t->progress.on) {
		t->eo.progress = progress_cb;
		t->eo.progress_arg = t;
	}
	return 0;
}

void nm_target_close(struct nm_target *t)
{
	nm_range_list_free(&t->ranges);
	nm_vma_list_free(&t->vmas);
	nm_sys_close(&t->real);
}

int nm_cmd_check(struct nm_args *a)
{
	struct nm_target t;
	struct nm_query_result q;
	struct nm_numa_maps nmaps = { 0 };
	struct nm_compare cmp;
	struct nm_check_report rep;
	bool have_nm;
	int r, rc;

	rc = nm_target_open(a, &t);
	if (rc)
		goto out;
	r = nm_engine_query(&t.sys, t.pid, &t.ranges, &t.eo, t.vmas.n, NULL, -1, &q);
	nm_progress_end(&t);
	if (r && r != -ESRCH) {
		rc = target_error(r, t.pid, "query the pages of");
		nm_query_result_free(&q);
		goto out;
	}
	have_nm = nm_numa_maps_read("", t.pid, &nmaps) == 0;
	nm_compare_compute(&t.vmas, &t.ranges, &q, have_nm ? &nmaps : NULL,
			   NM_PAGE_SIZE_DEFAULT, &cmp);
	rep = (struct nm_check_report){
		.pid = t.pid, .comm = t.comm, .page_size = NM_PAGE_SIZE_DEFAULT,
		.range_text = a->range, .vmas = &t.vmas, .ranges = &t.ranges, .q = &q,
		.nmaps = have_nm ? &nmaps : NULL, .cmp = &cmp, .nodes = t.mem_nodes,
		.by_mapping = a->by_mapping, .partial = r == -ESRCH,
	};
	nm_report_check(stdout, t.fmt, &rep);
	if (r == -ESRCH) {
		nm_error("process %d exited during the query; the report above is partial", t.pid);
		rc = NM_EXIT_USAGE;
	}
	nm_numa_maps_free(&nmaps);
	nm_query_result_free(&q);
out:
	nm_target_close(&t);
	return rc;
}
