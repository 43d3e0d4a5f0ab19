// SPDX-License-Identifier: GPL-2.0
/*
 * numa-migrate trace: a profiling session. Attaches the hinting-fault and
 * migration hooks filtered to the target (rodata, in BPF), waits, then
 * joins what the kernel aggregated per region with where each region's pages
 * are now, and writes a heat report.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hintfault.h"		/* include/: struct nm_hf_region */
#include "attach.h"
#include "cmds.h"
#include "errors.h"
#include "heatmap.h"
#include "hintfault_load.h"
#include "hooks.h"
#include "json.h"
#include "migtrace.h"
#include "procfs.h"
#include "schednuma_load.h"
#include "session.h"
#include "tiers.h"

static int add_region_faults(void *ctx, uint64_t start, const struct nm_hf_region *r)
{
	return nm_heat_add_faults(ctx, start, r);
}

static int add_thread_moves(void *ctx, const char *event, int from, int to, uint64_t n)
{
	return nm_heat_add_thread_moves(ctx, event, from, to, n);
}

static int add_region_migration(void *ctx, uint64_t start, const char *reason, int from,
				int to, uint64_t pages)
{
	return nm_heat_add_region_migration(ctx, start, reason, from, to, pages);
}

/* NM_DEBUG_MIGEVENTS=1: every migration event on stderr (rig debugging) */
static int debug_event(void *ctx, const struct nm_mig_event *e)
{
	(void)ctx;
	fprintf(stderr, "MIGEV addr=0x%" PRIx64 " src_pfn=0x%" PRIx64 " dst_pfn=0x%" PRIx64
		" from=%d to=%d order=%u reason=%s actor=%d/%d(%s) cpu_node=%d\n", e->addr,
		e->src_pfn, e->dst_pfn, e->from_node, e->to_node, e->order, e->reason,
		e->actor_tgid, e->actor_tid, e->comm, e->cpu_node);
	return 0;
}

struct window_ctx {
	struct nm_heat *h;
	uint32_t w;
};

static int add_window(void *ctx, uint64_t start, const struct nm_hf_region *r)
{
	struct window_ctx *wc = ctx;
	uint64_t total = r->other_node;

	for (int n = 0; n < NM_HF_MAX_NODES; n++)
		total += r->by_cpu_node[n];
	return nm_heat_window_total(wc->h, wc->w, start, total);
}

/* Snapshot of the kernel's cumulative counts at the end of window W. */
static void close_window(struct nm_hintfault *hf, struct nm_heat *h, uint32_t w)
{
	struct window_ctx wc = { h, w };
	struct nm_hf_stats st;

	if (hf && !nm_hintfault_read(hf, add_window, &wc, &st))
		nm_heat_window_done(h, w);
}

/* Waits up to SECONDS, or until a stop signal (the session records it) or
 * the target exits, closing a time window every h->window_s seconds. It
 * sleeps on the target's pidfd until the next window ends: woken by the
 * exit at once, not by polls (without a pidfd, alive() is asked every
 * 50 ms as before). */
static double wait_session(struct nm_target *t, long seconds, struct nm_hintfault *hf,
			   struct nm_heat *h)
{
	double t0 = nm_mono(), end = t0 + (double)seconds, next = t0 + h->window_s;
	uint32_t w = 0;

	while (!nm_session_stopped() && nm_mono() < end) {
		double until = w + 1 < h->nwin && next < end ? next : end;

		if (t->sys.alive && t->sys.alive(t->sys.ctx))
			break;
		if (t->real.pidfd >= 0)
			nm_session_wait_fd(t->real.pidfd, until - nm_mono());
		else
			nm_session_sleep(0.05);
		if (nm_mono() >= next && w + 1 < h->nwin) {
			close_window(hf, h, w++);
			next += h->window_s;
		}
	}
	close_window(hf, h, w);	/* the last, possibly shorter, window */
	return nm_mono() - t0;
}

/* A group of regions whose pages are queried together (memory stays bounded
 * whatever the process size). Piece i's vma field is its region's index. */
struct placement {
	struct nm_target *t;
	struct nm_heat *h;
	uint64_t gran, base;
	struct nm_range_list rl;
	size_t nreg;
};

enum { PLACEMENT_GROUP = 2048 };

static int placement_flush(struct placement *p)
{
	struct nm_query_result q;
	int err;

	if (!p->rl.n)
		return 0;
	err = nm_engine_query(&p->t->sys, p->t->pid, &p->rl, &p->t->eo, p->nreg, NULL, -1, &q);
	for (size_t k = 0; !err && k < p->nreg; k++)
		for (int n = 0; !err && n < NM_MAX_NODES; n++)
			if (q.by_vma[k].node[n])
				err = nm_heat_add_pages(p->h, p->base + k * p->gran, n,
							q.by_vma[k].node[n]);
	nm_query_result_free(&q);
	p->rl.n = 0;
	p->rl.pages = 0;
	p->nreg = 0;
	return err;
}

/* Adds [a, e), which lies inside the region starting at RS. */
static int placement_add(struct placement *p, uint64_t rs, uint64_t a, uint64_t e)
{
	int err;

	if (p->nreg && ((rs - p->base) / p->gran >= PLACEMENT_GROUP || p->rl.n == p->rl.cap)) {
		err = placement_flush(p);
		if (err)
			return err;
	}
	if (!p->nreg)
		p->base = rs;
	p->rl.r[p->rl.n++] = (struct nm_range){ a, e, (size_t)((rs - p->base) / p->gran) };
	p->rl.pages += (e - a) / NM_PAGE_SIZE_DEFAULT;
	p->nreg = (rs - p->base) / p->gran + 1;
	return 0;
}

/* Where each region's pages are now: the process's ranges cut at region
 * boundaries, queried a group of regions at a time. */
static int add_placement(struct nm_target *t, struct nm_heat *h, uint64_t gran)
{
	struct placement p = { .t = t, .h = h, .gran = gran };
	int err = 0;

	/* a stop signal ended the session: the report still gets where the
	 * pages are (a second signal ends the run at once, see session.h) */
	t->eo.stop = NULL;

	p.rl.cap = PLACEMENT_GROUP * 2;
	p.rl.r = calloc(p.rl.cap, sizeof(*p.rl.r));
	if (!p.rl.r)
		return -ENOMEM;
	for (size_t i = 0; !err && i < t->ranges.n; i++) {
		const struct nm_range *r = &t->ranges.r[i];

		for (uint64_t a = r->start; !err && a < r->end;) {
			uint64_t rs = a & ~(gran - 1);
			uint64_t e = rs + gran < r->end ? rs + gran : r->end;

			err = placement_add(&p, rs, a, e);
			a = e;
		}
	}
	if (!err)
		err = placement_flush(&p);
	free(p.rl.r);
	return err;
}

static int log2u(uint64_t v)
{
	int s = 0;

	while ((1ULL << s) < v)
		s++;
	return s;
}

/* Warns, from the hook table, about every hook missing from ST. */
static void warn_missing_hooks(const struct nm_hook_status *st)
{
	char buf[1024];

	for (int id = NM_HK_NONE + 1; id < NM_HK_COUNT; id++)
		if (nm_hook_warning(id, st, buf, sizeof(buf)))
			nm_warn("%s", buf);
}

/* Turns kernel.numa_balancing on through the session, which restores it on
 * every way out (return, error, stop signal, a crash). 0 or -errno. */
static int balancing_on(void)
{
	errno = 0;
	if (!nm_session_write_file("/proc/sys/kernel/numa_balancing", "kernel.numa_balancing",
				   "1", NULL, 0) && errno)
		return -errno;
	return 0;
}

int nm_cmd_trace(struct nm_args *a)
{
	struct nm_hook_status hooks[NM_HK_COUNT];
	struct nm_kernel_counts kc = { 0 };
	struct nm_migtrace *mt = NULL;
	struct nm_hintfault *hf = NULL;
	struct nm_schednuma *sn = NULL;
	struct nm_hf_choice choice;
	struct nm_hf_stats st = { 0 };
	struct nm_heat heat;
	struct nm_target t;
	uint64_t gran = a->granularity;
	int prev_bal = -1, rc, err;
	char comm[96], tierwarn[384];
	struct nm_tiers tiers;
	double secs;
	FILE *svg = NULL;

	if (gran < NM_PAGE_SIZE_DEFAULT || (gran & (gran - 1))) {
		nm_error("invalid --granularity: %llu is not a power of two of at least 4096",
			 (unsigned long long)gran);
		return NM_EXIT_USAGE;
	}
	rc = nm_target_open(a, &t);
	if (rc)
		goto out;
	nm_target_pfn_nodes(&t);	/* its page queries from pagemap PFNs */
	if (geteuid() != 0) {
		nm_error("permission denied: tracing loads BPF, which needs root (or CAP_BPF "
			 "and CAP_PERFMON)");
		rc = NM_EXIT_PERM;
		goto out;
	}
	if (a->svg) {
		svg = fopen(a->svg, "w");
		if (!svg) {
			nm_error("cannot write --svg %s: %s", a->svg, strerror(errno));
			rc = NM_EXIT_USAGE;
			goto out;
		}
	}

	prev_bal = nm_numa_balancing_read();
	if (prev_bal == 0 && !a->enable_balancing) {
		nm_warn("kernel.numa_balancing is 0: the kernel makes no hinting faults, so "
			"accesses cannot be attributed; pass --enable-balancing to turn it on for "
			"this session");
	}
	/* mode 2: the top tier makes no hinting faults (JSON: "warnings") */
	if (!nm_tiers_read("", &tiers) && nm_tiers_trace_warning(&tiers, tierwarn, sizeof(tierwarn)))
		nm_warn("%s", tierwarn);
	else
		tierwarn[0] = '\0';

	nm_hook_status_init(hooks, NM_HK_COUNT);
	(void)nm_hintfault_open_footprint(&hf, t.pid, (unsigned int)log2u(gran), &choice);
	nm_hf_choice_hooks(&choice, hooks);
	{
		struct nm_migtrace_opts mo = { .tgid = t.pid, .region_shift = (unsigned int)log2u(gran),
					       .regions = true,
					       .events = getenv("NM_DEBUG_MIGEVENTS") != NULL };

		nm_migtrace_open(&mt, &mo, &kc);
	}
	nm_migtrace_hooks(&kc, hooks);
	err = nm_schednuma_open(&sn, t.pid);
	nm_schednuma_hooks(err, hooks);
	warn_missing_hooks(hooks);
	err = nm_heat_init(&heat, gran);
	if (!err)	/* up to 60 windows of at least a second */
		err = nm_heat_set_windows(&heat, (uint32_t)(a->duration < 60 ? a->duration : 60),
					  (double)a->duration / (a->duration < 60 ? a->duration : 60));
	if (err) {
		nm_error("heat report: %s", strerror(-err));
		rc = NM_EXIT_MIGRATE;
		goto detach;
	}
	/* balancing goes on only once every hook is attached: the first scan
	 * migrates the most, and none of it may be missed */
	if (prev_bal == 0 && a->enable_balancing) {
		err = balancing_on();
		if (err) {
			nm_error("cannot turn kernel.numa_balancing on: %s; turn it on with: "
				 "sysctl kernel.numa_balancing=1", strerror(-err));
			rc = NM_EXIT_PERM;
			goto detach_heat;
		}
		fprintf(stderr, "numa-migrate: kernel.numa_balancing turned on for this session "
			"(was 0; restored on exit)\n");
	}
	fprintf(stderr, "numa-migrate: tracing pid %d (%s) for %ld s; Ctrl-C ends early\n",
		t.pid, nm_text_escape(t.comm, comm, sizeof(comm)), a->duration);
	secs = wait_session(&t, a->duration, hf, &heat);
	err = 0;
	if (hf)
		err = nm_hintfault_read(hf, add_region_faults, &heat, &st);
	if (!err && sn) {
		heat.moves_traced = true;	/* attached: no event means none */
		err = nm_schednuma_read(sn, add_thread_moves, &heat);
	}
	if (mt && getenv("NM_DEBUG_MIGEVENTS"))
		nm_migtrace_poll_events(mt, 0, debug_event, NULL);
	if (!err && mt && kc.regions) {
		struct nm_migtrace_drops dr = { 0 };

		err = nm_migtrace_read_flows(mt, add_region_migration, &heat, &dr);
		heat.mig_dropped = dr.flows + dr.unmatched;
	}
	if (mt && !nm_migtrace_read(mt, &kc))
		for (size_t i = 0; i < kc.nreasons; i++)
			nm_heat_add_kernel_migrations(&heat, kc.reason[i].name,
						      kc.reason[i].succeeded, kc.reason[i].failed);
	/* a target that exits ends the session normally (like a profiled
	 * program that finishes): its faults and migrations are in the maps,
	 * only where its pages were is gone */
	if (!err && !(t.sys.alive && t.sys.alive(t.sys.ctx)))
		err = add_placement(&t, &heat, gran);
	else if (!err)
		err = -ESRCH;
	nm_heat_set_meta(&heat, t.pid, secs, st.faults, st.dropped, st.no_addr);
	heat.region_bound = nm_hintfault_max_regions(hf);
	nm_heat_set_comm(&heat, t.comm);
	if (err == -ESRCH) {
		fprintf(stderr, "numa-migrate: pid %d exited after %.1f s; the report has its "
			"hinting faults and migrations, not where its pages were\n", t.pid, secs);
		err = 0;
	} else if (err) {
		nm_error("reading the session's data failed: %s", strerror(-err));
		rc = NM_EXIT_MIGRATE;
	}
	nm_heat_finish(&heat, &t.vmas);
	if (t.fmt == NM_FMT_JSON) {
		struct json_object *o = nm_heat_json(&heat), *w = json_object_new_array();

		if (tierwarn[0])
			json_object_array_add(w, nm_json_str(tierwarn));
		json_object_object_add(o, "warnings", w);
		nm_out_json(o);	/* main prints it, with any error */
	} else if (t.fmt == NM_FMT_CSV) {
		/* stdout is pure CSV; the summary and warnings go to stderr */
		nm_heat_report_meta(stderr, &heat, "numa-migrate: ");
		nm_heat_report_csv(stdout, &heat);
	} else {
		nm_heat_report_text(stdout, &heat, 40);
	}
	if (svg)
		nm_heat_report_svg(svg, &heat);
detach_heat:
	nm_heat_free(&heat);
detach:
	/* kernel.numa_balancing and tracefs are the session's to restore */
	nm_schednuma_close(sn);
	nm_migtrace_stop(mt);
	nm_hintfault_close(hf);
	if (svg && fclose(svg) && !rc) {
		nm_error("writing --svg %s failed: %s", a->svg, strerror(errno));
		rc = NM_EXIT_MIGRATE;
	}
out:
	nm_target_close(&t);
	return rc;
}
