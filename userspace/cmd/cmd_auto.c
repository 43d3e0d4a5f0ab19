// SPDX-License-Identifier: GPL-2.0
/*
 * numa-migrate auto: access-driven migration. Every --interval seconds: read
 * the hinting faults the kernel aggregated per region (the difference to the
 * last read is this interval's evidence), let the policy decide (policy.c),
 * act through the executor (autoexec.c: rate-capped chunks, one target node
 * per call, verified by a re-query), count our own and the kernel's
 * migrations by the migrate tracepoint, log every decision. Ends at
 * --duration, when the target exits, or on a stop signal (the session's),
 * with a final report.
 *
 * nm_cmd_auto is setup, one step per interval, and the summary. What this
 * run changes (kernel.numa_balancing, the pid file) is registered with the
 * session, which undoes it on every exit path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "json.h"
#include "hintfault.h"		/* include/: struct nm_hf_region */
#include "attach.h"
#include "pace.h"
#include "autoexec.h"
#include "autoreport.h"
#include "cmds.h"
#include "daemon.h"
#include "errors.h"
#include "hintfault_load.h"
#include "hooks.h"
#include "textfile.h"
#include "migtrace.h"
#include "nodeenv.h"
#include "policy.h"
#include "session.h"
#include "target.h"

struct auto_ctx {
	struct nm_args *a;
	struct nm_target t;
	struct nm_policy pol;
	struct nm_node_env env;
	struct nm_exec x;
	FILE *log;
	double t0, next;
	struct nm_auto_summary sum;
	struct nm_auto_interval iv;
	bool first_locality_set;
	struct nm_policy_range *logged;	/* the ranges last written to the log */
	size_t nlogged;
	struct nm_hintfault *hf;
	struct nm_migtrace *mt_ours, *mt_kern;
	struct nm_auto_migr m0, mprev;
	char errbuf[512];		/* what ended the loop, "" */
};

/* Writes one --log line. A log that cannot be written ends the run: the
 * operator asked for the record. */
static void log_json(struct auto_ctx *c, struct json_object *o)
{
	int err;

	if (!c->log) {
		json_object_put(o);
		return;
	}
	err = nm_json_print_line(c->log, o);
	if (!err && fflush(c->log))
		err = -errno;
	if (err && !c->errbuf[0])
		snprintf(c->errbuf, sizeof(c->errbuf), "cannot write --log %s: %s; pick a "
			 "writable path with room", c->a->log, strerror(-err));
}

static int observe(void *ctx, uint64_t start, const struct nm_hf_region *r)
{
	nm_policy_observe(ctx, start, r);
	return 0;
}

/* Managed ranges for the policy: without --range only anonymous memory,
 * the heap and the stack (files' pages are shared page cache). */
static int refresh_ranges(struct auto_ctx *c)
{
	struct nm_vma_list vmas = { 0 };
	struct nm_range_list rl = { 0 };
	struct nm_policy_range *pr;
	size_t n = 0;
	char err[256];
	int r = nm_maps_read("", c->t.pid, &vmas);

	if (r)
		return r;
	r = nm_range_resolve(&c->t.spec, &vmas, NM_PAGE_SIZE_DEFAULT, &rl, err, sizeof(err));
	if (r) {
		nm_vma_list_free(&vmas);
		return r;
	}
	pr = calloc(rl.n ? rl.n : 1, sizeof(*pr));
	if (!pr) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < rl.n; i++) {
		const struct nm_vma *v = &vmas.v[rl.r[i].vma];

		if (!c->a->range && v->kind != NM_VMA_ANON && v->kind != NM_VMA_HEAP &&
		    v->kind != NM_VMA_STACK)
			continue;
		pr[n++] = (struct nm_policy_range){ rl.r[i].start, rl.r[i].end, v->start, v->end };
	}
	r = nm_policy_set_ranges(&c->pol, pr, n);
	if (!r && (n != c->nlogged || memcmp(pr, c->logged, n * sizeof(*pr)))) {
		/* the log carries what the policy manages, for a replay */
		log_json(c, nm_auto_ranges_json(c->pol.interval, pr, n));
		free(c->logged);
		c->logged = pr;
		c->nlogged = n;
		pr = NULL;
	}
	free(pr);
	if (!r) {	/* the executor moves only inside the current ranges */
		nm_range_list_free(&c->t.ranges);
		nm_vma_list_free(&c->t.vmas);
		c->t.ranges = rl;
		c->t.vmas = vmas;
		return 0;
	}
out:
	nm_range_list_free(&rl);
	nm_vma_list_free(&vmas);
	return r;
}

static void migr_read(const struct auto_ctx *c, struct nm_auto_migr *m)
{
	struct nm_kernel_counts kc;

	memset(m, 0, sizeof(*m));
	if (c->mt_ours && !nm_migtrace_read(c->mt_ours, &kc))
		for (size_t i = 0; i < kc.nreasons; i++) {
			m->ours_ok += kc.reason[i].succeeded;
			m->ours_failed += kc.reason[i].failed;
		}
	if (c->mt_kern && !nm_migtrace_read(c->mt_kern, &kc))
		for (size_t i = 0; i < kc.nreasons; i++) {
			m->kernel_ok += kc.reason[i].succeeded;
			m->kernel_failed += kc.reason[i].failed;
			if (!strcmp(kc.reason[i].name, "numa_misplaced"))
				m->kernel_numa += kc.reason[i].succeeded;
		}
}

static void migr_sub(struct nm_auto_migr *d, const struct nm_auto_migr *a,
		     const struct nm_auto_migr *b)
{
	d->ours_ok = a->ours_ok - b->ours_ok;
	d->ours_failed = a->ours_failed - b->ours_failed;
	d->kernel_ok = a->kernel_ok - b->kernel_ok;
	d->kernel_failed = a->kernel_failed - b->kernel_failed;
	d->kernel_numa = a->kernel_numa - b->kernel_numa;
}

static int fill_metrics(FILE *f, const void *s)
{
	return nm_auto_metrics(f, s);
}

/* The session totals as of NOW (the tracepoint counts), for the metrics
 * and the report. */
static void sum_update(struct auto_ctx *c, const struct nm_auto_migr *now)
{
	migr_sub(&c->sum.mig, now, &c->m0);
	c->sum.samples = c->pol.total_samples;
	c->sum.local = c->pol.total_local;
	c->sum.intervals = c->pol.interval;
}

static void locality_track(struct auto_ctx *c)
{
	double loc = nm_evidence_locality(&c->iv.ev);

	if (c->iv.ev.samples < c->pol.o.min_samples)
		return;
	if (!c->first_locality_set) {
		c->sum.locality_before = loc;
		c->sum.before_interval = c->iv.interval;
		c->first_locality_set = true;
	}
	c->sum.locality_after = loc;
	c->sum.after_interval = c->iv.interval;
}

/* Acts on D (P: the queued move it continues) and logs what became of it. */
static int act_on(struct auto_ctx *c, const struct nm_decision *d, struct nm_pending *p)
{
	struct nm_action act;
	int err = nm_exec_decision(&c->x, &c->pol, &c->env, d, c->next, p, &act);

	if (err && act.what == NM_ACT_NONE)
		return err;	/* before any action: nothing to log */
	if (act.executed) {
		c->iv.moves++;
		c->iv.pages_moved += act.res.moved;
		c->iv.bytes_moved += act.res.moved * NM_PAGE_SIZE_DEFAULT;
	}
	c->iv.decisions++;
	log_json(c, nm_auto_decision_json(c->pol.interval - 1, nm_mono() - c->t0, d, &act,
					  c->a->dry_run));
	return err;
}

static void policy_opts(const struct nm_args *a, struct nm_policy_opts *po)
{
	nm_policy_opts_default(po);
	po->share_pct = a->share;
	po->min_samples = (uint64_t)a->min_samples;
	po->stable = (unsigned int)a->stable;
	po->cooldown = (unsigned int)a->cooldown;
	po->reserve_bytes = a->reserve;
	po->mapping_quorum = (unsigned int)a->mapping_quorum;
	po->demote_cold = (unsigned int)a->demote_cold;
}

/* Opens the target and every hook, turns balancing on if asked. Returns 0
 * or the exit code after printing the error. */
static int setup(struct auto_ctx *c)
{
	struct nm_args *a = c->a;
	struct nm_kernel_counts kc_ours = { 0 }, kc_kern = { 0 };
	struct nm_migtrace_opts mo = { 0 };
	struct nm_hf_choice choice;
	struct nm_policy_opts po;
	char buf[128];
	int prev_bal, err, shift = 0, rc;

	a->no_progress = true;
	c->sum.locality_before = c->sum.locality_after = -1;
	c->sum.before_interval = c->sum.after_interval = -1;
	rc = nm_target_open(a, &c->t);
	if (rc)
		return rc;
	c->sum.max_stall_ms = a->max_stall_set ? a->max_stall : NM_AUTO_MAX_STALL_MS;
	c->t.eo.max_stall_us = (unsigned int)c->sum.max_stall_ms * 1000;
	if (__builtin_popcountll(c->t.mem_nodes.bits) < 2) {
		nm_error("this host has a single NUMA node with memory (node %s): there is no "
			 "other node to move pid %d's memory to, and no access is remote; auto "
			 "has nothing to do here (run it on a multi-node machine)",
			 nm_nodemask_fmt(&c->t.mem_nodes, buf, sizeof(buf)), c->t.pid);
		return NM_EXIT_UNSUPPORTED;
	}
	if (geteuid() != 0) {
		nm_error("permission denied: auto loads BPF programs (hinting faults, migrate "
			 "tracepoint), which needs root (or CAP_BPF and CAP_PERFMON)");
		return NM_EXIT_PERM;
	}
	nm_node_env_read_static("", &c->t.mem_nodes, &c->env);
	if (a->log) {
		c->log = fopen(a->log, "a");
		if (!c->log) {
			nm_error("cannot open --log %s for appending: %s; pick a writable path",
				 a->log, strerror(errno));
			return NM_EXIT_USAGE;
		}
	}
	prev_bal = nm_numa_balancing_read();
	if (prev_bal == 0 && !a->enable_balancing) {
		nm_error("kernel.numa_balancing is 0: auto decides from NUMA hinting faults, "
			 "which the kernel makes only while it is on; pass --enable-balancing (it "
			 "is restored on exit) or run 'sysctl kernel.numa_balancing=1'");
		return NM_EXIT_USAGE;
	}
	while ((1ULL << shift) < a->granularity)
		shift++;
	err = nm_hintfault_open(&c->hf, c->t.pid, (unsigned int)shift, &choice);
	if (err || choice.fault.used < 0 || choice.addr.used < 0) {
		char f[256], p[256];

		nm_error("hinting faults cannot be attributed to addresses on this kernel "
			 "(%s; %s): auto cannot decide; see 'numa-migrate features'",
			 nm_hook_tried(NM_HK_TASK_NUMA_FAULT, &choice.fault, f, sizeof(f)),
			 nm_hook_tried(NM_HK_PAGE_FAULT_USER, &choice.addr, p, sizeof(p)));
		return NM_EXIT_UNSUPPORTED;
	}
	policy_opts(a, &po);
	err = nm_policy_init(&c->pol, &po, a->granularity);
	if (!err)
		err = refresh_ranges(c);
	if (err) {
		nm_error("cannot set up the policy for pid %d: %s", c->t.pid, strerror(-err));
		return NM_EXIT_MIGRATE;
	}
	if (a->daemon) {
		err = nm_daemonize();
		if (err) {
			nm_error("cannot detach (--daemon): %s", strerror(-err));
			return NM_EXIT_MIGRATE;
		}
	}
	/* after --daemon: our own migrations are counted by our pid */
	mo.tgid = getpid();
	nm_migtrace_open(&c->mt_ours, &mo, &kc_ours);
	mo.tgid = c->t.pid;
	if (kc_ours.available)
		nm_migtrace_open(&c->mt_kern, &mo, &kc_kern);
	c->sum.migr_available = kc_ours.available && kc_kern.available;
	if (!c->sum.migr_available) {
		snprintf(c->sum.migr_why, sizeof(c->sum.migr_why), "%s",
			 kc_ours.available ? kc_kern.why : kc_ours.why);
		nm_warn("migrate tracepoint unavailable (%s): moves are verified by re-query only",
			c->sum.migr_why);
	}
	if (a->pid_file) {
		err = nm_pid_file_write(a->pid_file);
		if (err) {
			nm_error("cannot write --pid-file %s: %s; pick a writable path that is "
				 "not a symlink", a->pid_file, strerror(-err));
			return NM_EXIT_USAGE;
		}
	}
	if (prev_bal == 0) {
		if (!nm_session_write_file("/proc/sys/kernel/numa_balancing",
					   "kernel.numa_balancing", "1", NULL, 0) && errno) {
			nm_error("cannot turn kernel.numa_balancing on: %s; run as root, or turn "
				 "it on with 'sysctl kernel.numa_balancing=1'", strerror(errno));
			return NM_EXIT_PERM;
		}
		nm_warn("kernel.numa_balancing turned on for this session (was 0; restored on "
			"exit)");
	}
	c->x = (struct nm_exec){ .sys = &c->t.sys, .pid = c->t.pid, .eo = &c->t.eo,
				 .ranges = &c->t.ranges, .dry_run = a->dry_run,
				 .wait = nm_session_sleep, .stopped = nm_session_stopped };
	/* the metrics read the summary every interval: what it says from the
	 * start (the pid label too) is set here */
	c->sum.ex = &c->x.tot;
	c->sum.pid = c->t.pid;
	c->sum.comm = c->t.comm;
	c->sum.dry_run = a->dry_run;
	c->sum.opts = &c->pol.o;
	c->sum.interval_s = a->interval;
	c->sum.granularity = a->granularity;
	if (a->max_rate > 0) {
		double bps = (double)a->max_rate * 1024 * 1024;
		double burst = bps / 4 > (double)(2 << 20) ? bps / 4 : (double)(2 << 20);

		nm_rate_init(&c->x.rate, bps, burst, nm_mono());
		c->sum.max_rate_mbs = (double)a->max_rate;
	}
	nm_warn("auto on pid %d (%s), every %ld s%s%s; Ctrl-C ends with a report", c->t.pid,
		nm_text_escape(c->t.comm, buf, sizeof(buf)), a->interval, a->duration_set ? " for a limited time" : " until it exits",
		a->dry_run ? ", DRY RUN: nothing is moved" : "");
	migr_read(c, &c->m0);
	c->mprev = c->m0;
	c->t0 = nm_mono();
	c->next = c->t0 + (double)a->interval;
	c->sum.ended_by = "signal";
	return 0;
}

static bool target_gone(const struct auto_ctx *c)
{
	return c->t.sys.alive && c->t.sys.alive(c->t.sys.ctx);
}

/* Waits for the interval's end, then reads, decides, acts and logs. Returns
 * true to go on; false when the run ends (sum.ended_by or errbuf say why). */
static bool step(struct auto_ctx *c)
{
	struct nm_args *a = c->a;
	struct nm_auto_migr mnow;
	struct nm_decision *dec;
	struct nm_hf_stats st;
	size_t ndec;
	int err, act_err = 0;
	double istart = nm_mono();
	char buf[128];

	while (!nm_session_stopped() && nm_mono() < c->next && !target_gone(c))
		nm_session_sleep(c->next - nm_mono() < 0.05 ? c->next - nm_mono() : 0.05);
	if (nm_session_stopped())
		return false;
	if (target_gone(c)) {
		c->sum.ended_by = "target_exit";
		return false;
	}
	err = refresh_ranges(c);
	if (err == -ESRCH || err == -ENOENT) {
		c->sum.ended_by = "target_exit";
		return false;
	}
	if (err) {
		snprintf(c->errbuf, sizeof(c->errbuf), "reading pid %d's mappings failed: %s",
			 c->t.pid, strerror(-err));
		return false;
	}
	memset(&c->iv, 0, sizeof(c->iv));
	nm_policy_begin(&c->pol);
	err = nm_hintfault_read(c->hf, observe, &c->pol, &st);
	if (err) {
		snprintf(c->errbuf, sizeof(c->errbuf), "reading the hinting-fault counters "
			 "failed: %s", strerror(-err));
		return false;
	}
	nm_node_env_read_interval("", c->t.pid, &c->env);
	err = nm_policy_decide(&c->pol, &c->env, &dec, &ndec);
	if (err) {
		snprintf(c->errbuf, sizeof(c->errbuf), "policy: %s", strerror(-err));
		return false;
	}
	c->iv.interval = c->pol.interval - 1;
	c->iv.ev = c->pol.ev;
	c->iv.unmanaged = c->pol.unmanaged;
	/* moves may use this interval's time, not more: the next interval's
	 * evidence must not wait on a rate-capped backlog */
	c->next += (double)a->interval;
	/* moves the rate cap cut short go on first, in order */
	for (size_t i = 0; i < c->x.pend.n && !act_err; i++)
		act_err = act_on(c, &c->x.pend.p[i].d, &c->x.pend.p[i]);
	nm_exec_pending_done(&c->x);
	for (size_t i = 0; i < ndec && !act_err; i++)
		act_err = act_on(c, &dec[i], NULL);
	migr_read(c, &mnow);
	migr_sub(&c->iv.mig, &mnow, &c->mprev);
	c->mprev = mnow;
	c->iv.t = nm_mono() - c->t0;
	c->iv.seconds = nm_mono() - istart;
	locality_track(c);
	log_json(c, nm_auto_interval_json(&c->iv, &c->env));
	sum_update(c, &mnow);
	if (a->metrics) {
		err = nm_textfile_write(a->metrics, fill_metrics, &c->sum);
		if (err && !c->errbuf[0])
			snprintf(c->errbuf, sizeof(c->errbuf), "cannot write --metrics %s: %s; "
				 "check that its directory exists and is writable",
				 a->metrics, strerror(-err));
	}
	if (c->errbuf[0])
		return false;
	if (act_err == -ESRCH) {
		c->sum.ended_by = "target_exit";
		return false;
	}
	if (act_err) {
		snprintf(c->errbuf, sizeof(c->errbuf), "moving pid %d's pages failed: %s", c->t.pid,
			 nm_describe_target_error(-act_err, c->t.pid, "move", false, buf, sizeof(buf)));
		return false;
	}
	if (nm_mono() < c->next - (double)a->interval)
		c->next = nm_mono() + (double)a->interval;	/* never burst to catch up */
	if (a->duration_set && nm_mono() - c->t0 >= (double)a->duration) {
		c->sum.ended_by = "duration";
		return false;
	}
	return !nm_session_stopped();
}

/* The final report: log, metrics, stdout. Returns the exit code. */
static int summary(struct auto_ctx *c)
{
	struct nm_args *a = c->a;
	struct nm_auto_migr mnow;
	int rc = 0, err;

	migr_read(c, &mnow);
	sum_update(c, &mnow);
	c->sum.seconds = nm_mono() - c->t0;
	if (c->errbuf[0]) {
		c->sum.ended_by = "error";
		c->sum.error = c->errbuf;
		rc = NM_EXIT_MIGRATE;
	} else if (c->x.tot.res.failed) {
		rc = NM_EXIT_MIGRATE;	/* failed for a reason other than busy */
	}
	c->sum.exit_code = rc;
	c->sum.max_bytes_1s = c->x.chunks.max_1s;
	if (a->metrics) {
		err = nm_textfile_write(a->metrics, fill_metrics, &c->sum);
		/* said once: when the loop already ended on it, errbuf holds it */
		if (err && !strstr(c->errbuf, "--metrics"))
			nm_warn("cannot write --metrics %s: %s; check that its directory exists "
				"and is writable", a->metrics, strerror(-err));
	}
	if (c->log) {
		struct json_object *o = nm_auto_summary_json(&c->sum);

		json_object_object_add(o, "type", nm_json_str("summary"));
		log_json(c, o);
	}
	if (c->t.fmt == NM_FMT_JSON)
		nm_out_json(nm_auto_summary_json(&c->sum));
	else
		nm_auto_summary_text(stdout, &c->sum);
	if (c->errbuf[0])
		nm_error("%s", c->errbuf);	/* in JSON mode: the report's "error" */
	else if (rc == NM_EXIT_MIGRATE)
		nm_warn("%llu pages failed to move (reasons above); exit 3",
			(unsigned long long)c->x.tot.res.failed);
	return rc;
}

int nm_cmd_auto(struct nm_args *a)
{
	struct auto_ctx *c = calloc(1, sizeof(*c));
	int rc;

	if (!c) {
		nm_error("out of memory starting auto; free some memory and run it again");
		return NM_EXIT_MIGRATE;
	}
	c->a = a;
	rc = setup(c);
	if (!rc) {
		while (step(c))
			;
		rc = summary(c);
	}
	nm_migtrace_stop(c->mt_ours);
	nm_migtrace_stop(c->mt_kern);
	nm_hintfault_close(c->hf);
	nm_policy_free(&c->pol);
	if (c->log)
		fclose(c->log);
	nm_exec_free(&c->x);
	free(c->logged);
	nm_target_close(&c->t);
	free(c);
	return rc;
}
