// SPDX-License-Identifier: GPL-2.0
/* Opening the target process for a command: arguments, pidfd, maps, --range,
 * the engine's options and the progress bar (see attach.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "attach.h"
#include "errors.h"
#include "parse.h"
#include "session.h"
#include "target.h"

static void progress_cb(void *arg, uint64_t done, uint64_t total)
{
	struct nm_target *t = arg;
	double now = nm_mono();
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

int nm_target_error(int err, pid_t pid, const char *what)
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

void nm_engine_opts_from_args(const struct nm_args *a, struct nm_engine_opts *eo)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	nm_engine_opts_default(eo);
	eo->batch_pages = (size_t)a->batch;
	eo->stop = nm_session_stopped;
	eo->jobs = a->jobs ? (unsigned int)a->jobs :
		   (unsigned int)(ncpu < 1 ? 1 : ncpu > 4 ? 4 : ncpu);
	/* every move_pages call that moves pays a fixed cost (the kernel
	 * drains every CPU's LRU caches first: 9 ms under QEMU), which
	 * several jobs overlap and one job pays per batch: its default batch
	 * is four times larger (5 MB of buffers) */
	if (eo->jobs == 1 && !a->batch_set)
		eo->batch_pages = NM_BATCH_ONE_JOB;
}

int nm_target_open(struct nm_args *a, struct nm_target *t)
{
	char err[512];
	int r;

	memset(t, 0, sizeof(*t));
	t->real.pidfd = t->real.pagemap_fd = t->real.kpageflags_fd = -1;
	if (!a->pid_set) {
		nm_error("%s needs --pid PID", a->cmd->name);
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
		return nm_target_error(r, t->pid, "open");
	r = nm_target_comm("", t->pid, t->comm, sizeof(t->comm));
	if (r)
		return nm_target_error(r, t->pid, "read the name of");
	r = nm_maps_read("", t->pid, &t->vmas);
	if (r)
		return nm_target_error(r, t->pid, "read the memory maps of");
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

	nm_engine_opts_from_args(a, &t->eo);
	t->progress.on = !a->no_progress && isatty(STDERR_FILENO);
	if (t->progress.on) {
		t->eo.progress = progress_cb;
		t->eo.progress_arg = t;
	}
	return 0;
}

static int pfn_node(const void *ctx, uint64_t pfn)
{
	return nm_pfn_node(ctx, pfn);
}

void nm_target_share_pfn_nodes(struct nm_target *t, const struct nm_pfn_nodes *table)
{
	t->sys.pfn_node = pfn_node;	/* an empty table answers -1: move_pages asked */
	t->sys.pfn_ctx = table;
}

void nm_target_pfn_nodes(struct nm_target *t)
{
	if (t->sys.pfn_node || nm_pfn_nodes_read("", NM_PAGE_SIZE_DEFAULT, &t->pfns))
		return;
	nm_target_share_pfn_nodes(t, &t->pfns);
}

void nm_target_close(struct nm_target *t)
{
	nm_pfn_nodes_free(&t->pfns);
	nm_range_list_free(&t->ranges);
	nm_vma_list_free(&t->vmas);
	nm_sys_close(&t->real);
}

