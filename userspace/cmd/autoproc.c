// SPDX-License-Identifier: GPL-2.0
/* One process under auto (see autoproc.h): what --pid and --all share. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "json.h"
#include "hintfault.h"		/* include/: struct nm_hf_region */
#include "autoproc.h"
#include "autospread.h"
#include "pace.h"
#include "daemon.h"
#include "errors.h"
#include "agentsout.h"
#include "pidlock.h"
#include "sys.h"
#include "textfile.h"
#include "hintfault_load.h"
#include "hooks.h"
#include "migtrace.h"
#include "nodeenv.h"
#include "procscan.h"
#include "session.h"

/* Writes one --log line. A log that cannot be written ends the run: the
 * operator asked for the record. */
static void log_json(struct nm_autoproc *p, struct json_object *o)
{
	int err;

	if (!p->log) {
		json_object_put(o);
		return;
	}
	if (p->log_pid)
		json_object_object_add(o, "pid", json_object_new_int(p->t.pid));
	err = nm_json_print_line(p->log, o);
	if (!err && fflush(p->log))
		err = -errno;
	if (err && !p->errbuf[0])
		snprintf(p->errbuf, sizeof(p->errbuf), "cannot write --log %s: %s; pick a "
			 "writable path with room", p->a->log, strerror(-err));
}

void nm_autoproc_log(struct nm_autoproc *p, struct json_object *o)
{
	log_json(p, o);
}

/* Managed ranges for the policy: without --range only anonymous memory,
 * the heap and the stack (files' pages are shared page cache). */
int nm_autoproc_refresh(struct nm_autoproc *p)
{
	struct nm_vma_list vmas = { 0 };
	struct nm_range_list rl = { 0 };
	struct nm_policy_range *pr;
	size_t n = 0;
	char err[256];
	int r = nm_maps_read("", p->t.pid, &vmas);

	if (r)
		return r;
	r = nm_range_resolve(&p->t.spec, &vmas, NM_PAGE_SIZE_DEFAULT, &rl, err, sizeof(err));
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

		if (!p->a->range && v->kind != NM_VMA_ANON && v->kind != NM_VMA_HEAP &&
		    v->kind != NM_VMA_STACK)
			continue;
		pr[n++] = (struct nm_policy_range){ rl.r[i].start, rl.r[i].end, v->start, v->end };
	}
	r = nm_policy_set_ranges(&p->pol, pr, n);
	if (!r && (n != p->nlogged || memcmp(pr, p->logged, n * sizeof(*pr)))) {
		/* the log carries what the policy manages, for a replay */
		log_json(p, nm_auto_ranges_json(p->pol.interval, pr, n));
		free(p->logged);
		p->logged = pr;
		p->nlogged = n;
		pr = NULL;
	}
	free(pr);
	if (!r) {	/* the executor moves only inside the current ranges */
		nm_range_list_free(&p->t.ranges);
		nm_vma_list_free(&p->t.vmas);
		p->t.ranges = rl;
		p->t.vmas = vmas;
		return 0;
	}
out:
	nm_range_list_free(&rl);
	nm_vma_list_free(&vmas);
	return r;
}

static void migr_read(const struct nm_autoproc *p, struct nm_auto_migr *m)
{
	struct nm_kernel_counts kc;

	memset(m, 0, sizeof(*m));
	if (p->mt_ours && !nm_migtrace_read(p->mt_ours, &kc))
		for (size_t i = 0; i < kc.nreasons; i++) {
			m->ours_ok += kc.reason[i].succeeded;
			m->ours_failed += kc.reason[i].failed;
		}
	if (p->mt_kern && !nm_migtrace_read(p->mt_kern, &kc))
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

/* The session totals as of NOW (the tracepoint counts), for the metrics
 * and the report. */
static void sum_update(struct nm_autoproc *p, const struct nm_auto_migr *now)
{
	migr_sub(&p->sum.mig, now, &p->m0);
	p->sum.samples = p->pol.total_samples;
	p->sum.local = p->pol.total_local;
	p->sum.intervals = p->pol.interval;
}

static void locality_track(struct nm_autoproc *p)
{
	double loc = nm_evidence_locality(&p->iv.ev);

	if (p->iv.ev.samples < p->pol.o.min_samples)
		return;
	if (!p->first_locality_set) {
		p->sum.locality_before = loc;
		p->sum.before_interval = p->iv.interval;
		p->first_locality_set = true;
	}
	p->sum.locality_after = loc;
	p->sum.after_interval = p->iv.interval;
}

/* Acts on D (Q: the queued move it continues) and logs what became of it. */
static int act_on(struct nm_autoproc *p, const struct nm_decision *d, struct nm_pending *q,
		  double deadline)
{
	struct nm_action act;
	int err = nm_exec_decision(&p->x, &p->pol, &p->env, d, deadline, q, &act);

	if (err && act.what == NM_ACT_NONE)
		return err;	/* before any action: nothing to log */
	if (act.executed && d->cpu_confirmed && !d->covered)
		p->sum.cpu_confirmed++;
	if (act.executed) {
		p->iv.moves++;
		p->iv.pages_moved += act.res.moved;
		p->iv.bytes_moved += act.res.moved * NM_PAGE_SIZE_DEFAULT;
	}
	p->iv.decisions++;
	log_json(p, nm_auto_decision_json(p->pol.interval - 1, nm_mono() - p->t0, d, &act,
					  p->a->dry_run));
	return err;
}

static void policy_opts(const struct nm_args *a, struct nm_policy_opts *po)
{
	nm_policy_opts_default(po);
	po->share_pct = a->share;
	po->min_samples = (uint64_t)a->min_samples;
	po->stable = (unsigned int)a->stable;
	po->cpu_confirm = !a->no_cpu_confirm;
	po->cooldown = (unsigned int)a->cooldown;
	po->reserve_bytes = a->reserve;
	po->mapping_quorum = (unsigned int)a->mapping_quorum;
	po->demote_cold = (unsigned int)a->demote_cold;
}

int nm_autoproc_init(struct nm_autoproc *p, const struct nm_args *a, FILE *log, bool log_pid)
{
	struct nm_policy_opts po;
	int err;

	p->a = a;
	p->log = log;
	p->log_pid = log_pid;
	p->sum.locality_before = p->sum.locality_after = -1;
	p->sum.before_interval = p->sum.after_interval = -1;
	policy_opts(a, &po);
	err = nm_policy_init(&p->pol, &po, a->granularity);
	if (!err && p->spread)	/* the policy leaves the spreads alone */
		nm_policy_exclude(&p->pol, p->spread->excl, p->spread->nexcl);
	if (!err)
		err = nm_autoproc_refresh(p);
	if (err)
		return err;
	p->x = (struct nm_exec){ .sys = &p->t.sys, .pid = p->t.pid, .eo = &p->t.eo,
				 .ranges = &p->t.ranges, .dry_run = a->dry_run,
				 .wait = nm_session_sleep, .stopped = nm_session_stopped };
	/* the metrics read the summary every interval: what it says from the
	 * start (the pid label too) is set here */
	p->sum.ex = &p->x.tot;
	p->sum.pid = p->t.pid;
	p->sum.comm = p->t.comm;
	p->sum.dry_run = a->dry_run;
	p->sum.spreads = p->spread;
	p->sum.opts = &p->pol.o;
	p->sum.interval_s = a->interval;
	p->sum.granularity = a->granularity;
	p->sum.ended_by = "signal";
	nm_autoproc_sensor_init(p);
	p->sum.mover_any_cpu = a->mover_any_cpu;
	/* auto moves memory of processes that are serving: paced by default,
	 * more finely where a move shares CPUs with the process (pace.h) */
	p->sum.max_stall_set = a->max_stall_set;
	p->sum.max_stall_ms = a->max_stall_set ? a->max_stall : NM_AUTO_MAX_STALL_MS;
	p->sum.max_stall_shared_ms = a->max_stall_set ? a->max_stall : NM_AUTO_MAX_STALL_SHARED_MS;
	/* until a round knows where the threads run (--spread's first move) */
	p->t.eo.max_stall_us = (unsigned int)p->sum.max_stall_shared_ms * 1000;
	return 0;
}

/*
 * Where the process's threads ran since the last round (cpu_confirm): each
 * thread's CPU time on the node it was on at both samples. A first sample,
 * or one that cannot be read (the process is going), confirms nothing.
 */
static void cpu_placement(struct nm_autoproc *p)
{
	double by_node[NM_MAX_NODES] = { 0 }, total;
	struct nm_scan_sample t;

	p->mover_pair = false;
	if (!p->cpus || !p->pol.o.cpu_confirm)
		return;
	if (nm_proc_threads("", p->t.pid, &p->cpu_cur)) {
		p->cpu_prev_ok = false;
		return;
	}
	p->sum.cpu_measured = true;
	if (p->cpu_prev_ok) {
		total = nm_scan_account_steady(&p->cpu_prev, &p->cpu_cur, p->cpus->node,
					       NM_MAX_CPUS, sysconf(_SC_CLK_TCK), by_node);
		nm_policy_cpu(&p->pol, by_node, total);
		p->mover_pair = !p->a->mover_any_cpu;
	}
	t = p->cpu_prev;
	p->cpu_prev = p->cpu_cur;
	p->cpu_cur = t;
	p->cpu_prev_ok = true;
}

void nm_autoproc_start(struct nm_autoproc *p, double t0)
{
	p->t0 = t0;
	cpu_placement(p);	/* the first sample */
	nm_autoproc_sensor_start(p);
	migr_read(p, &p->m0);
	p->mprev = p->m0;
}

void nm_autoproc_begin(struct nm_autoproc *p)
{
	memset(&p->iv, 0, sizeof(p->iv));
	nm_policy_begin(&p->pol);
}

void nm_autoproc_observe(struct nm_autoproc *p, uint64_t start, const struct nm_hf_region *r)
{
	nm_policy_observe(&p->pol, start, r);
}

/* Bytes a decision's move would take: the part of [start, end) a queued
 * move has not done yet. */
static uint64_t move_bytes(const struct nm_decision *d, uint64_t resume)
{
	uint64_t s = resume > d->start ? resume : d->start;

	if (d->covered || d->node < 0 || s >= d->end)
		return 0;
	if (d->reason != NM_R_MOVE && d->reason != NM_R_MOVE_MAPPING && d->reason != NM_R_DEMOTE)
		return 0;
	return d->end - s;
}

int nm_autoproc_decide(struct nm_autoproc *p)
{
	int err;

	if (p->errbuf[0] || nm_autoproc_sensor_read(p))
		return -EIO;	/* errbuf says what */
	nm_node_env_read_interval("", p->t.pid, &p->env);
	cpu_placement(p);
	err = nm_policy_decide(&p->pol, &p->env, &p->dec, &p->ndec);
	if (err) {
		snprintf(p->errbuf, sizeof(p->errbuf), "policy: %s", strerror(-err));
		return err;
	}
	p->iv.interval = p->pol.interval - 1;
	p->iv.ev = p->pol.ev;
	p->iv.cpu_known = p->pol.cpu_s > 0 || p->pol.cpu_node >= 0;
	p->iv.cpu_s = p->pol.cpu_s;
	memcpy(p->iv.cpu_s_by_node, p->pol.cpu_by_node, sizeof(p->iv.cpu_s_by_node));
	p->iv.unmanaged = p->pol.unmanaged;
	p->need = 0;
	for (size_t i = 0; i < p->x.pend.n; i++)
		p->need += move_bytes(&p->x.pend.p[i].d, p->x.pend.p[i].resume);
	for (size_t i = 0; i < p->ndec; i++)
		p->need += move_bytes(&p->dec[i], 0);
	return 0;
}

/*
 * Its paced moves run off the CPUs the process's threads at work may run on
 * (mover_cpus), without the pacer's pauses (they give a shared CPU back to
 * the application, and there is none to give back), under the bound for
 * CPUs of its own; where none is free they run beside the threads, under the
 * shared bound. True when MV holds the narrowing (nm_mover_enter).
 */
static bool mover_off_process(struct nm_autoproc *p, struct nm_mover *mv)
{
	cpu_set_t cpus;
	bool off = false;

	p->t.eo.max_stall_us = (unsigned int)p->sum.max_stall_shared_ms * 1000;
	/* the threads' affinity is read only when a paced move is due: one
	 * syscall per thread that ran, not every round (cpu_placement) */
	if (p->need && !p->a->dry_run && p->sum.max_stall_ms && p->mover_pair &&
	    nm_mover_enter(mv, &cpus, nm_mover_cpus(&p->cpu_cur, &p->cpu_prev, &cpus), &p->t.eo)) {
		memcpy(p->iv.mover_cpus, mv->cpus, sizeof(p->iv.mover_cpus));
		p->t.eo.max_stall_us = (unsigned int)p->sum.max_stall_ms * 1000;
		off = true;
	}
	p->iv.max_stall_ms = p->t.eo.max_stall_us / 1000;
	return off;
}

int nm_autoproc_act(struct nm_autoproc *p, double deadline)
{
	struct nm_auto_migr mnow;
	double istart = nm_mono();
	struct nm_mover mv;
	bool off = mover_off_process(p, &mv);
	int err = 0;

	/* moves the rate cap cut short go on first, in order */
	for (size_t i = 0; i < p->x.pend.n && !err; i++)
		err = act_on(p, &p->x.pend.p[i].d, &p->x.pend.p[i], deadline);
	nm_exec_pending_done(&p->x);
	for (size_t i = 0; i < p->ndec && !err; i++)
		err = act_on(p, &p->dec[i], NULL, deadline);
	if (!err)	/* --spread: re-applied when the kernel moved it off its split */
		err = nm_autospread_step(p);
	if (off) {
		int e = nm_mover_leave(&mv, &p->t.eo);

		if (e)
			nm_warn("cannot give auto back its CPUs after moving pid %d's pages: %s; "
				"it keeps running on CPUs %s", p->t.pid, strerror(e), mv.cpus);
	}
	if (p->iv.moves) {
		p->sum.move_intervals++;
		p->sum.mover_off_intervals += off;
	} else {
		p->iv.mover_cpus[0] = '\0';	/* nothing ran there */
		p->iv.max_stall_ms = 0;
	}
	migr_read(p, &mnow);
	migr_sub(&p->iv.mig, &mnow, &p->mprev);
	p->mprev = mnow;
	p->iv.t = nm_mono() - p->t0;
	p->iv.seconds = nm_mono() - istart;
	locality_track(p);
	log_json(p, nm_auto_interval_json(&p->iv, &p->env));
	sum_update(p, &mnow);
	return err;
}

int nm_autoproc_finish(struct nm_autoproc *p)
{
	struct nm_auto_migr mnow;
	int rc = 0;

	/* --spread: at the end of --duration the split is settled (balancing
	 * restored first, then checked and re-applied until it holds), so auto
	 * leaves it as asked */
	if (p->spread && !p->errbuf[0] && !strcmp(p->sum.ended_by, "duration")) {
		int err = nm_autospread_settle(p);

		if (err)
			snprintf(p->errbuf, sizeof(p->errbuf), "the last check of --spread on pid "
				 "%d failed: %s", p->t.pid, strerror(-err));
	}
	migr_read(p, &mnow);
	sum_update(p, &mnow);
	p->sum.seconds = nm_mono() - p->t0;
	if (p->errbuf[0]) {
		p->sum.ended_by = "error";
		p->sum.error = p->errbuf;
		rc = NM_EXIT_MIGRATE;
	} else if (p->x.tot.res.failed) {
		rc = NM_EXIT_MIGRATE;	/* failed for a reason other than busy */
	}
	p->sum.exit_code = rc;
	p->sum.max_bytes_1s = p->x.chunks.max_1s;
	return rc;
}

void nm_autoproc_log_summary(struct nm_autoproc *p)
{
	struct json_object *o;

	if (!p->log)
		return;
	o = nm_auto_summary_json(&p->sum);
	json_object_object_add(o, "type", nm_json_str("summary"));
	log_json(p, o);
}

void nm_autoproc_free(struct nm_autoproc *p)
{
	nm_aspreads_free(p->spread);
	p->spread = NULL;
	nm_autoproc_sensor_stop(p);
	nm_policy_free(&p->pol);
	nm_exec_free(&p->x);
	free(p->logged);
	p->logged = NULL;
	nm_scan_sample_free(&p->cpu_prev);
	nm_scan_sample_free(&p->cpu_cur);
	nm_target_close(&p->t);
}

int nm_auto_open_log(const struct nm_args *a, FILE **log)
{
	*log = NULL;
	if (!a->log)
		return 0;
	*log = fopen(a->log, "a");
	if (!*log) {
		nm_error("cannot open --log %s for appending: %s; pick a writable path",
			 a->log, strerror(errno));
		return NM_EXIT_USAGE;
	}
	return 0;
}

int nm_auto_balancing_check(const struct nm_args *a, int *prev)
{
	*prev = nm_numa_balancing_read();
	if (*prev == 0 && !a->enable_balancing) {
		nm_error("kernel.numa_balancing is 0: auto decides from NUMA hinting faults, "
			 "which the kernel makes only while it is on; pass --enable-balancing (it "
			 "is restored on exit) or run 'sysctl kernel.numa_balancing=1'");
		return NM_EXIT_USAGE;
	}
	/* the other check of the system before anything starts: the cold
	 * sensor asked for must be there */
	return nm_auto_sensor_check(a);
}

int nm_auto_session_setup(const struct nm_args *a, int prev_bal, struct nm_change **bal_on)
{
	struct nm_change *c;
	int err;

	if (bal_on)
		*bal_on = NULL;
	if (a->pid_file) {
		err = nm_pid_file_write(a->pid_file);
		if (err) {
			nm_error("cannot write --pid-file %s: %s; pick a writable path that is "
				 "not a symlink", a->pid_file, strerror(-err));
			return NM_EXIT_USAGE;
		}
	}
	if (prev_bal == 0) {
		c = nm_session_write_file("/proc/sys/kernel/numa_balancing",
					  "kernel.numa_balancing", "1", NULL, 0);
		if (!c && errno) {
			nm_error("cannot turn kernel.numa_balancing on: %s; run as root, or turn "
				 "it on with 'sysctl kernel.numa_balancing=1'", strerror(errno));
			return NM_EXIT_PERM;
		}
		nm_warn("kernel.numa_balancing turned on for this session (was 0; restored on "
			"exit)");
		if (bal_on)
			*bal_on = c;
	}
	return 0;
}

int nm_auto_lock(pid_t pid, struct nm_change **lock)
{
	struct nm_pidlock_holder h;
	char who[400], esc[400];
	int err = nm_pidlock_hold(NM_PIDLOCK_DIR, pid, &h, lock);

	if (!err)
		return 0;
	if (err == -EWOULDBLOCK) {
		nm_pidlock_holder_fmt(&h, who, sizeof(who));
		nm_error("pid %d is managed by another numa-migrate auto already: %s holds %s/"
			 "pid-%d.lock; two agents would fight over its pages: stop that one "
			 "first (kill %d), or leave this process to it", (int)pid,
			 nm_text_escape(who, esc, sizeof(esc)), NM_PIDLOCK_DIR, (int)pid,
			 (int)h.pid);
		return err;
	}
	nm_error("cannot take the lock %s/pid-%d.lock: %s; %s must be a directory owned by "
		 "root with mode 0700 (remove what is in its place)", NM_PIDLOCK_DIR, (int)pid,
		 strerror(-err), NM_PIDLOCK_DIR);
	return err;
}

int nm_auto_agents(pid_t pid, FILE *log, struct nm_agents *out)
{
	struct json_object *o;
	int err = nm_agents_read("", pid, getpid(), out);

	if (err) {	/* not a reason to stop: auto works without knowing */
		nm_warn("cannot look for other placement agents: %s", strerror(-err));
		return 0;
	}
	nm_agents_warn(out);
	if (!log)
		return 0;
	o = json_object_new_object();
	json_object_object_add(o, "type", json_object_new_string("agents"));
	json_object_object_add(o, "target", pid ? json_object_new_int(pid) : NULL);
	json_object_object_add(o, "agents", nm_agents_json(out));
	err = nm_json_print_line(log, o);
	if (!err && fflush(log))
		err = -errno;
	if (!err)
		return 0;
	nm_error("cannot write --log: %s; pick a writable path with room", strerror(-err));
	return NM_EXIT_USAGE;
}

int nm_auto_loop(void *ctx, int (*setup)(void *), bool (*step)(void *), int (*summary)(void *))
{
	int rc = setup(ctx);

	if (rc)
		return rc;
	while (step(ctx))
		;
	return summary(ctx);
}

void nm_auto_release(struct nm_migtrace *mt_ours, struct nm_hintfault *hf,
		     struct nm_agents *agents, FILE *log)
{
	nm_migtrace_stop(mt_ours);
	nm_hintfault_close(hf);
	nm_agents_free(agents);
	if (log)
		fclose(log);
}

int nm_auto_out_of_memory(void)
{
	nm_error("out of memory starting auto; free some memory and run it again");
	return NM_EXIT_MIGRATE;
}

void nm_auto_metrics_write(const struct nm_args *a, int (*fill)(FILE *f, const void *arg),
			   const void *arg, char *errbuf, size_t len)
{
	int err;

	if (!a->metrics)
		return;
	err = nm_textfile_write(a->metrics, fill, arg);
	if (err)
		snprintf(errbuf, len, "cannot write --metrics %s: %s; check that its directory "
			 "exists and is writable", a->metrics, strerror(-err));
}

bool nm_auto_duration_over(const struct nm_args *a, double t0)
{
	return a->duration_set && nm_mono() - t0 >= (double)a->duration;
}

int nm_auto_hintfault_open(const struct nm_args *a, pid_t tgid, struct nm_hintfault **hf)
{
	struct nm_hf_choice choice;
	char f[256], q[256];
	int shift = 0, err;

	while ((1ULL << shift) < a->granularity)
		shift++;
	/* auto --pid: the region map sized from the footprint; the pid set's
	 * (tgid 0, auto --all) keeps the default */
	err = tgid ? nm_hintfault_open_footprint(hf, tgid, (unsigned int)shift, &choice)
		   : nm_hintfault_open(hf, tgid, (unsigned int)shift, &choice);
	if (!err && choice.fault.used >= 0 && nm_hf_choice_addr(&choice))
		return 0;
	nm_error("hinting faults cannot be attributed to addresses on this kernel "
		 "(%s; %s): auto cannot decide; see 'numa-migrate features'",
		 nm_hook_tried(NM_HK_TASK_NUMA_FAULT, &choice.fault, f, sizeof(f)),
		 nm_hook_tried(NM_HK_PAGE_FAULT_USER, &choice.addr, q, sizeof(q)));
	return NM_EXIT_UNSUPPORTED;
}

int nm_auto_daemonize(const struct nm_args *a)
{
	int err = a->daemon ? nm_daemonize() : 0;

	if (!err)
		return 0;
	nm_error("cannot detach (--daemon): %s", strerror(-err));
	return NM_EXIT_MIGRATE;
}
