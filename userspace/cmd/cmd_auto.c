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
 * nm_cmd_auto is setup, one step per interval, and the summary; the
 * process's own part (policy, executor, log, summary) is autoproc.c, which
 * auto --all (autoall.c) runs once per process. What this run changes
 * (kernel.numa_balancing, the pid file, the pid lock) is registered with
 * the session, which undoes it on every exit path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "agentsout.h"
#include "json.h"
#include "autoproc.h"
#include "autospread.h"
#include "burst.h"
#include "cmds.h"
#include "daemon.h"
#include "errors.h"
#include "hintfault_load.h"
#include "hooks.h"
#include "selfpol.h"
#include "textfile.h"
#include "migtrace.h"
#include "nodeenv.h"
#include "session.h"
#include "target.h"

struct auto_ctx {
	struct nm_args *a;
	struct nm_autoproc p;
	FILE *log;
	double next;
	struct nm_hintfault *hf;
	struct nm_migtrace *mt_ours, *mt_kern;
	struct nm_agents agents;
	struct nm_burst burst;	/* a round comes early after a burst */
	struct nm_cpu_nodes cpus;
};

static int observe(void *ctx, uint64_t start, const struct nm_hf_region *r)
{
	nm_autoproc_observe(ctx, start, r);
	return 0;
}

static int fill_metrics(FILE *f, const void *s)
{
	return nm_auto_metrics(f, s);
}

/* Opens the target and every hook, turns balancing on if asked. Returns 0
 * or the exit code after printing the error. */
static int setup(struct auto_ctx *c)
{
	struct nm_args *a = c->a;
	struct nm_autoproc *p = &c->p;
	struct nm_kernel_counts kc_ours = { 0 }, kc_kern = { 0 };
	struct nm_migtrace_opts mo = { 0 };
	char buf[128];
	int prev_bal, err, rc;

	a->no_progress = true;
	rc = nm_target_open(a, &p->t);
	if (rc)
		return rc;
	nm_target_pfn_nodes(&p->t);	/* its page queries from pagemap PFNs */
	/* before anything else: a process another auto manages is not ours
	 * to look at, on any host */
	if (geteuid() == 0 && nm_auto_lock(p->t.pid, &p->lock))
		return NM_EXIT_USAGE;
	rc = nm_autospread_open(a, &p->t, &p->spread);
	if (rc)
		return rc;
	/* one node: nothing to move, unless a spread asks to keep pages there */
	if (__builtin_popcountll(p->t.mem_nodes.bits) < 2 && !p->spread) {
		nm_error("this host has a single NUMA node with memory (node %s): there is no "
			 "other node to move pid %d's memory to, and no access is remote; auto "
			 "has nothing to do here (run it on a multi-node machine)",
			 nm_nodemask_fmt(&p->t.mem_nodes, buf, sizeof(buf)), p->t.pid);
		return NM_EXIT_UNSUPPORTED;
	}
	if (geteuid() != 0) {
		nm_error("permission denied: auto loads BPF programs (hinting faults, migrate "
			 "tracepoint), which needs root (or CAP_BPF and CAP_PERFMON)");
		return NM_EXIT_PERM;
	}
	nm_node_env_read_static("", &p->t.mem_nodes, &p->env);
	rc = nm_auto_open_log(a, &c->log);
	if (!rc)
		rc = nm_auto_agents(p->t.pid, c->log, &c->agents);
	if (!rc)
		rc = nm_auto_balancing_check(a, &prev_bal);
	if (rc)
		return rc;
	/* one node with --spread: no access can be remote, the policy has nothing to
	 * decide; auto only keeps the spreads (no hinting-fault programs) */
	rc = __builtin_popcountll(p->t.mem_nodes.bits) < 2 ? 0 :
	     nm_auto_hintfault_open(a, p->t.pid, &c->hf);
	if (rc)
		return rc;
	err = nm_autoproc_init(p, a, c->log, false);
	p->sum.region_map_entries = nm_hintfault_max_regions(c->hf);
	if (err) {
		nm_error("cannot set up the policy for pid %d: %s", p->t.pid, strerror(-err));
		return NM_EXIT_MIGRATE;
	}
	rc = nm_auto_daemonize(a);
	if (rc)
		return rc;
	/* after --daemon: our own migrations are counted by our pid */
	mo.tgid = getpid();
	nm_migtrace_open(&c->mt_ours, &mo, &kc_ours);
	mo.tgid = p->t.pid;
	if (kc_ours.available)
		nm_migtrace_open(&c->mt_kern, &mo, &kc_kern);
	p->mt_ours = c->mt_ours;
	p->mt_kern = c->mt_kern;
	p->sum.migr_available = kc_ours.available && kc_kern.available;
	if (!p->sum.migr_available) {
		snprintf(p->sum.migr_why, sizeof(p->sum.migr_why), "%s",
			 kc_ours.available ? kc_kern.why : kc_ours.why);
		nm_warn("migrate tracepoint unavailable (%s): moves are verified by re-query only",
			p->sum.migr_why);
	}
	rc = nm_auto_session_setup(a, prev_bal, &p->bal_on);
	if (rc)
		return rc;
	if (a->max_rate > 0) {
		double bps = (double)a->max_rate * 1024 * 1024;
		double burst = bps / 4 > (double)(2 << 20) ? bps / 4 : (double)(2 << 20);

		nm_rate_init(&p->x.rate, bps, burst, nm_mono());
		p->sum.max_rate_mbs = (double)a->max_rate;
	}
	nm_warn("auto on pid %d (%s), every %ld s%s%s; Ctrl-C ends with a report", p->t.pid,
		nm_text_escape(p->t.comm, buf, sizeof(buf)), a->interval, a->duration_set ? " for a limited time" : " until it exits",
		a->dry_run ? ", DRY RUN: nothing is moved" : "");
	/* without the CPUs' nodes the policy waits --stable intervals */
	if (!nm_cpu_nodes_read("", &c->cpus))
		p->cpus = &c->cpus;
	nm_autoproc_start(p, nm_mono());
	err = nm_autospread_step(p);	/* --spread: applied at the start */
	if (err) {
		nm_error("cannot apply --spread to pid %d: %s", p->t.pid,
			 nm_describe_target_error(-err, p->t.pid, "move", false, buf, sizeof(buf)));
		return err == -ESRCH ? NM_EXIT_USAGE : NM_EXIT_MIGRATE;
	}
	c->next = p->t0 + (double)a->interval;
	nm_burst_init(&c->burst, nm_mono(), 0, (uint64_t)a->min_samples);
	p->sum.early_on = c->hf != NULL;
	return 0;
}

static bool target_gone(const struct auto_ctx *c)
{
	return c->p.t.sys.alive && c->p.t.sys.alive(c->p.t.sys.ctx);
}

/* True when a burst of the kernel's hinting faults has come and settled
 * (burst.h): the round need not wait for the interval's end. */
static bool burst_came(struct auto_ctx *c)
{
	uint64_t faults;

	return c->hf && !nm_hintfault_faults(c->hf, &faults) &&
	       nm_burst_ready(&c->burst, nm_mono(), faults);
}

/* Waits for the interval's end, or a settled burst of samples, then reads,
 * decides, acts and logs. Returns true to go on; false when the run ends
 * (sum.ended_by or errbuf say why). */
static bool step(struct auto_ctx *c)
{
	struct nm_args *a = c->a;
	struct nm_autoproc *p = &c->p;
	struct nm_hf_stats st;
	double slot_end = c->next;
	bool early = false;
	int err, act_err;
	char buf[128];

	while (!nm_session_stopped() && nm_mono() < c->next && !target_gone(c)) {
		if (burst_came(c)) {
			early = true;
			break;
		}
		nm_session_sleep(c->next - nm_mono() < 0.05 ? c->next - nm_mono() : 0.05);
	}
	if (nm_session_stopped())
		return false;
	if (target_gone(c)) {
		p->sum.ended_by = "target_exit";
		return false;
	}
	err = nm_autoproc_refresh(p);
	if (err == -ESRCH || err == -ENOENT) {
		p->sum.ended_by = "target_exit";
		return false;
	}
	if (err) {
		snprintf(p->errbuf, sizeof(p->errbuf), "reading pid %d's mappings failed: %s",
			 p->t.pid, strerror(-err));
		return false;
	}
	nm_autoproc_begin(p);
	err = c->hf ? nm_hintfault_read(c->hf, observe, p, &st) : 0;
	if (c->hf && !err) {
		p->sum.samples_dropped = st.dropped;	/* cumulative since the start */
		nm_burst_round(&c->burst, nm_mono(), st.faults, slot_end);
	}
	p->iv.early = early;
	p->sum.early_rounds += early;
	if (err) {
		snprintf(p->errbuf, sizeof(p->errbuf), "reading the hinting-fault counters "
			 "failed: %s", strerror(-err));
		return false;
	}
	if (nm_autoproc_decide(p))
		return false;
	/* moves may use this interval's time, not more: the next interval's
	 * evidence must not wait on a rate-capped backlog. The intervals keep
	 * their grid after an early round too: one round in each (burst.h). */
	c->next += (double)a->interval;
	act_err = nm_autoproc_act(p, c->next);
	if (!p->errbuf[0])
		nm_auto_metrics_write(a, fill_metrics, &p->sum, p->errbuf, sizeof(p->errbuf));
	if (p->errbuf[0])
		return false;
	if (act_err == -ESRCH) {
		p->sum.ended_by = "target_exit";
		return false;
	}
	if (act_err) {
		snprintf(p->errbuf, sizeof(p->errbuf), "moving pid %d's pages failed: %s", p->t.pid,
			 nm_describe_target_error(-act_err, p->t.pid, "move", false, buf, sizeof(buf)));
		return false;
	}
	if (nm_auto_duration_over(a, p->t0)) {
		p->sum.ended_by = "duration";
		return false;
	}
	return !nm_session_stopped();
}

/* The final report: log, metrics, stdout. Returns the exit code. */
static int summary(struct auto_ctx *c)
{
	struct nm_args *a = c->a;
	struct nm_autoproc *p = &c->p;
	int rc = nm_autoproc_finish(p), err;

	if (a->metrics) {
		err = nm_textfile_write(a->metrics, fill_metrics, &p->sum);
		/* said once: when the loop already ended on it, errbuf holds it */
		if (err && !strstr(p->errbuf, "--metrics"))
			nm_warn("cannot write --metrics %s: %s; check that its directory exists "
				"and is writable", a->metrics, strerror(-err));
	}
	nm_autoproc_log_summary(p);
	if (p->t.fmt == NM_FMT_JSON) {
		struct json_object *o = nm_auto_summary_json(&p->sum);

		json_object_object_add(o, "agents", nm_agents_json(&c->agents));
		nm_out_json(o);
	}
	else
		nm_auto_summary_text(stdout, &p->sum);
	if (p->errbuf[0])
		nm_error("%s", p->errbuf);	/* in JSON mode: the report's "error" */
	else if (rc == NM_EXIT_MIGRATE)
		nm_warn("%llu pages failed to move (reasons above); exit 3",
			(unsigned long long)p->x.tot.res.failed);
	return rc;
}

static int setup_cb(void *c) { return setup(c); }
static bool step_cb(void *c) { return step(c); }
static int summary_cb(void *c) { return summary(c); }

int nm_cmd_auto(struct nm_args *a)
{
	struct auto_ctx *c;
	int rc;

	if (a->all && (a->pid_set || a->range)) {	/* --all means another thing to move */
		nm_error("--all and --%s exclude each other (--all manages every eligible "
			 "process, %s); leave out one of them", a->pid_set ? "pid" : "range",
			 a->pid_set ? "--pid one" : "a --range names addresses of one process");
		return NM_EXIT_USAGE;
	}
	/* before any thread: keeps the kernel from migrating our own memory */
	rc = nm_self_unbalanced();
	if (rc)
		nm_warn("auto: cannot set its own memory policy to MPOL_LOCAL (%s): the kernel's "
			"balancing may also migrate numa-migrate's own pages; nothing else changes",
			strerror(-rc));
	if (a->all)
		return nm_auto_all(a);
	c = calloc(1, sizeof(*c));
	if (!c)
		return nm_auto_out_of_memory();
	c->a = a;
	rc = nm_auto_loop(c, setup_cb, step_cb, summary_cb);
	nm_migtrace_stop(c->mt_kern);
	nm_auto_release(c->mt_ours, c->hf, &c->agents, c->log);
	nm_autoproc_free(&c->p);
	free(c);
	return rc;
}
