// SPDX-License-Identifier: GPL-2.0
/* numa-migrate move: open, preflight, change the target (--pin-threads,
 * --policy bind), move, gather (verify, drift, causes), settle the changes,
 * report. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "attach.h"
#include "cmds.h"
#include "diagfacts.h"
#include "drift.h"
#include "errors.h"
#include "migtrace.h"
#include "numa_maps.h"
#include "pin.h"
#include "procscan.h"
#include "scan.h"
#include "session.h"
#include "stick.h"
#include "sys.h"
#include "target.h"
#include "spreadmove.h"

/* How far (percentage points) a spread's achieved share may miss the requested one. */
#define NM_SPREAD_TOLERANCE 1.0

static int preflight(struct nm_args *a, struct nm_target *t, struct nm_nodemask *mems)
{
	struct nm_nodemask allowed = { 0 };
	char b1[128], b2[128];

	if (nm_target_mems_allowed("", t->pid, &allowed) == 0)
		*mems = allowed;	/* --explain's diagnosis reads it from here */
	for (int i = 0; i < a->to_spread.n; i++) {	/* each node of a spread */
		int node = a->to_spread.node[i];

		if (!nm_nodemask_test(&t->mem_nodes, node)) {
			nm_error("invalid --to-node %d: node %d does not exist or has no memory "
				 "(nodes with memory: %s)", node, node,
				 nm_nodemask_fmt(&t->mem_nodes, b1, sizeof(b1)));
			return NM_EXIT_USAGE;
		}
		if (mems->bits && !nm_nodemask_test(mems, node)) {
			nm_error("node %d is outside pid %d's cpuset (allowed memory nodes: "
				 "%s): pick one of those nodes, or add node %d to the cgroup's "
				 "cpuset.mems", node, t->pid,
				 nm_nodemask_fmt(&allowed, b2, sizeof(b2)), node);
			return NM_EXIT_USAGE;
		}
	}
	if (a->all && !nm_have_cap_sys_nice()) {
		nm_error("permission denied: --all (MPOL_MF_MOVE_ALL) needs CAP_SYS_NICE; "
			 "run as root or grant CAP_SYS_NICE");
		return NM_EXIT_PERM;
	}
	return 0;
}

/* Re-queries every page (and numa_maps) and, with --verify=S, again after S
 * (with --explain, attributing what the kernel moved meanwhile into ATTR). */
static int verify(struct nm_args *a, struct nm_target *t, struct nm_verify *v,
		  struct nm_drift_attr *attr, bool *attr_done, char *why, size_t whylen,
		  struct nm_numa_maps *nmaps, bool *measured,
		  struct nm_spread_check *sc)
{
	struct nm_query_result q;
	struct nm_migtrace *mt = NULL;
	uint8_t *bitmap = NULL;
	int r;

	memset(v, 0, sizeof(*v));
	/* attach before the first query, the drift's baseline, so no migration
	 * between the two goes unseen */
	nm_drift_attr_init(attr, a->to_node, t->pid, getpid());
	if (a->verify_s > 0 && a->explain && a->no_bpf)
		snprintf(why, whylen, "--no-bpf: the kernel's migrations were not traced");
	else if (a->verify_s > 0 && a->explain)
		mt = nm_drift_trace_open(t, why, whylen);
	v->node = a->to_node;
	v->min_percent = a->to_spread.n > 1 ? 0 : a->min_verified;
	v->numa_maps_percent = -1;
	if (a->verify_s > 0) {
		bitmap = calloc(t->ranges.pages / 8 + 1, 1);
		if (!bitmap) {
			nm_migtrace_stop(mt);
			return -ENOMEM;
		}
	}
	r = nm_engine_query(&t->sys, t->pid, &t->ranges, &t->eo, t->vmas.n, bitmap,
			    a->to_node, &q);
	nm_progress_end(t);
	if (r) {
		nm_query_result_free(&q);
		nm_migtrace_stop(mt);
		free(bitmap);
		return r;
	}
	v->pages_examined = q.examined;
	v->pages_present = q.total.present;
	v->pages_on_target = q.total.node[a->to_node];
	v->percent = nm_percent(v->pages_on_target, v->pages_present);
	if (a->to_spread.n > 1)	/* the split, not one node, is what was asked */
		nm_spread_verify(&a->to_spread, &q.total, NM_SPREAD_TOLERANCE, sc);
	if (nm_numa_maps_read("", t->pid, nmaps) == 0) {	/* kept for --explain */
		nm_compare_compute(&t->vmas, &t->ranges, &q, nmaps, NM_PAGE_SIZE_DEFAULT,
				   &v->cmp);
		if (v->cmp.vmas_compared)
			v->numa_maps_percent = nm_percent(v->cmp.numa_maps[a->to_node],
							  v->cmp.numa_maps_total);
	}
	nm_query_result_free(&q);
	*measured = true;
	if (a->verify_s > 0) {
		bool done;

		bool traced = mt != NULL;

		done = nm_wait_seconds(a->verify_s, mt, attr, &traced);
		*attr_done = traced;
		if (mt && !traced)
			snprintf(why, whylen, "reading the migration events failed during the window");
		nm_migtrace_stop(mt);
		if (!done) {
			free(bitmap);
			return -EINTR;
		}
		r = nm_engine_drift(&t->sys, t->pid, &t->ranges, &t->eo, a->to_node, bitmap,
				    &v->drift);
		nm_progress_end(t);
		if (!r) {
			v->drift_done = true;
			v->after_s = (unsigned int)a->verify_s;
		}
	}
	free(bitmap);
	return r;
}

/* A change made to the target before the move, registered with the
 * session: kept when the move completes (the report shows its undo), undone
 * when it does not. */
struct change {
	struct nm_change *c;
	char what[2 * PATH_MAX + 128];
	char undo[2 * PATH_MAX + 64];	/* the command, as the report prints it */
	struct nm_move_change rep;
};

/* Registers CH (WHAT and UNDO already set); 0 or an exit code after the
 * error (the session has then undone it). */
static int register_change(struct change *ch, const char *kind, const char *undo,
			   nm_undo_fn fn, const void *arg, size_t argsize)
{
	ch->c = nm_session_change(ch->what, undo, fn, arg, argsize);
	if (!ch->c) {
		nm_error("out of memory registering the %s change (%s); it was undone, and the "
			 "move not started: retry with more free memory", kind, ch->what);
		return NM_EXIT_MIGRATE;
	}
	snprintf(ch->undo, sizeof(ch->undo), "%s", undo);
	ch->rep.kind = kind;
	ch->rep.what = ch->what;
	ch->rep.undo = ch->undo;
	return 0;
}

/* --pin-threads: before the move. Returns 0 or an exit code after the error. */
static int pin(struct nm_args *a, struct nm_target *t, struct nm_pin_result *p,
	       struct change *ch)
{
	struct nm_pin_saved *saved = NULL;
	size_t savedsize = 0;
	int r = nm_pin_threads(t->pid, a->to_node, p, &saved, &savedsize);

	if (p->pinned) {
		int rc;

		snprintf(ch->what, sizeof(ch->what), "the CPU affinity of pid %d's %u pinned "
			 "thread%s (set to node %d's CPUs %s)", t->pid, p->pinned,
			 p->pinned == 1 ? "" : "s", a->to_node, p->cpus);
		if (!saved) {
			nm_error("out of memory saving the previous CPU affinity of pid %d's "
				 "threads; the move was not started: restore it with %s",
				 t->pid, p->undo);
			return NM_EXIT_MIGRATE;
		}
		rc = register_change(ch, "pin_threads", p->undo, nm_pin_restore, saved,
				     savedsize);
		free(saved);
		if (rc)
			return rc;
	}
	if (r == -ENODEV) {
		nm_error("--pin-threads: node %d has no CPUs (a memory-only node), so no thread "
			 "can run there; pin the threads to a nearby node with taskset, or leave "
			 "out --pin-threads", a->to_node);
		return NM_EXIT_USAGE;
	}
	if (r == -ESRCH && !p->threads) {
		nm_error("process not found: pid %d has no threads left", t->pid);
		return NM_EXIT_USAGE;
	}
	if (r && !p->pinned) {
		nm_error("--pin-threads: cannot set the CPU affinity of pid %d's threads (thread "
			 "%d: %s): %s", t->pid, (int)p->first_failed_tid, nm_errno_name(-r),
			 r == -EPERM ? "another user's process needs CAP_SYS_NICE; run as root" :
			 r == -EINVAL ? "its cgroup's cpuset.cpus excludes the node's CPUs; add them "
			 "to the cgroup's cpuset.cpus" : strerror(-r));
		return nm_exit_for_errno(-r);
	}
	return 0;
}

/* --policy bind: before the move. Returns 0 or an exit code after the error. */
static int bind_policy(struct nm_args *a, struct nm_target *t, struct nm_policy_result *p,
		       struct change *ch)
{
	char perr[1024];
	int r = nm_policy_bind_cpuset(t->pid, a->to_node, p, perr, sizeof(perr));

	if (r) {
		nm_error("%s", perr);
		return r == -EACCES || r == -EPERM ? NM_EXIT_PERM : NM_EXIT_MIGRATE;
	}
	snprintf(ch->what, sizeof(ch->what), "the cgroup of pid %d (moved from %s into %s)",
		 t->pid, p->from, p->to);
	r = register_change(ch, "policy", p->undo, nm_policy_unbind, p, sizeof(*p));
	if (r)
		return r;
	if (a->range)
		nm_warn("--policy bind confines the whole process, not only --range %s: "
			"the kernel moves all of its memory to node %d", a->range, a->to_node);
	return 0;
}

/* The run completed: the changes stay and the report shows their undo
 * commands. Otherwise they are undone now and listed in OUT as restored or
 * not. Returns how many OUT got. */
static size_t settle_changes(struct change *ch, size_t n, bool completed,
			     struct nm_move_change *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (!ch[i].c)
			continue;
		if (completed) {
			nm_session_keep(ch[i].c);
			ch[i].c = NULL;
			continue;
		}
		out[k] = ch[i].rep;
		out[k].restored = nm_session_undo(ch[i].c) == 0;
		ch[i].c = NULL;
		k++;
	}
	return k;
}

/* --explain: what /proc says now, the diagnosis, and the failed pages by cause. */
static void explain(struct nm_args *a, struct nm_target *t, const struct nm_move_result *res,
		    struct nm_diag_facts *f, struct nm_diagnosis *d, bool *have_diag,
		    struct nm_cause_group *causes, size_t *ncauses,
		    const struct nm_nodemask *mems, const struct nm_numa_maps *nmaps)
{
	struct nm_locked_list locked = { 0 };
	struct nm_explain_ctx ctx = {
		.target = a->to_node, .page_size = NM_PAGE_SIZE_DEFAULT, .vmas = &t->vmas,
	};
	struct nm_diag_source src = {
		.pid = t->pid, .comm = t->comm, .target = a->to_node, .move_all = a->all,
		.mem_nodes = t->mem_nodes, .vmas = &t->vmas, .ranges = &t->ranges,
		.sys = &t->sys, .eo = &t->eo, .mems_read = !a->policy,	/* bind changes it */
		.mems_allowed = *mems, .nmaps = nmaps && nmaps->e ? nmaps : NULL,
	};
	int r = nm_diag_gather("", &src, f, &locked);

	nm_progress_end(t);

	if (r)
		nm_warn("--explain: cannot query pid %d's pages again (%s); the causes rest on "
			"move_pages's statuses alone", t->pid, strerror(-r));
	ctx.locked = f->locked_known ? &locked : NULL;
	ctx.mems_known = f->mems_known;
	ctx.mems_allowed = f->mems_allowed;
	ctx.free_known = f->free_known;
	ctx.target_free_kb = f->free_known ? f->free_kb[a->to_node] : 0;
	*ncauses = nm_explain_move(res, &ctx, causes);
	if (!r) {
		nm_diagnose(f, d);
		*have_diag = true;
	}
	nm_locked_list_free(&locked);
}


/* A spread (--to-node N:W,...) is verified always; what needs one target
 * node is refused. Returns 0 or an exit code after the error. */
static int spread_options(struct nm_args *a)
{
	const char *opt = a->pin_threads ? "--pin-threads" : a->policy ? "--policy" :
			  a->explain ? "--explain" : a->verify_s > 0 ? "--verify=SECONDS" : NULL;

	if (a->to_spread.n < 2)
		return 0;
	if (opt) {
		nm_error("%s needs one target node, and this --to-node is a spread over %d nodes; "
			 "leave out %s, or move to one node", opt, a->to_spread.n, opt);
		return NM_EXIT_USAGE;
	}
	a->verify = true;	/* the achieved split decides the exit code */
	return 0;
}

/* The spread's verification missed: exit 3, with the node and the figures. */
static void spread_missed(const struct nm_spread *sp, const struct nm_spread_check *c)
{
	if (c->worst < 0) {
		nm_error("spread: no page of the range is present, so no split was achieved; "
			 "exit 3");
		return;
	}
	nm_error("spread: node %d holds %.2f%% of the %llu present pages, %.2f points off "
		 "the requested %.2f%% (tolerance %.1f); pages skipped (--from-node), failed or "
		 "moved back (see the counts above), or holes in the range skew it; exit 3",
		 sp->node[c->worst], c->achieved[c->worst], (unsigned long long)c->present,
		 c->worst_miss, c->requested[c->worst], c->tolerance);
}
/* The request from the arguments. */
static void request(const struct nm_args *a, struct nm_move_request *req)
{
	memset(req, 0, sizeof(*req));
	req->target_node = a->to_node;
	req->from = a->from;
	req->from_set = a->from_set;
	req->move_all = a->all;
	req->dry_run = a->dry_run;
}

/* Why the move stopped (FATAL, empty when it did not) and its exit code. */
static int move_outcome(const struct nm_args *a, const struct nm_target *t,
			const struct nm_move_result *res, int r, char *fatal, size_t len)
{
	char buf[512];

	if (r == -ESRCH) {
		snprintf(fatal, len, "process %d exited during the move after %llu of %llu "
			 "pages were examined; the counts are partial", t->pid,
			 (unsigned long long)res->examined, (unsigned long long)t->ranges.pages);
		return NM_EXIT_MIGRATE;
	}
	if (r == -EINTR) {
		snprintf(fatal, len, "interrupted by SIG%s after %llu of %llu pages were "
			 "examined; the counts are partial",
			 sigabbrev_np(nm_session_stopped()) ?: "?",
			 (unsigned long long)res->examined, (unsigned long long)t->ranges.pages);
		return NM_EXIT_MIGRATE;
	}
	if (r) {
		/* whole-call failure: nothing more can be done, explain it */
		if (r == -EACCES)
			snprintf(buf, sizeof(buf), "move_pages refused node %d for pid %d "
				 "(EACCES): the node is outside the process's cpuset", a->to_node,
				 t->pid);
		else
			nm_describe_target_error(-r, t->pid, "move", a->all, buf, sizeof(buf));
		snprintf(fatal, len, "%s", buf);
		return nm_exit_for_errno(-r);
	}
	return nm_move_exit_code(res);
}

/*
 * A paced move (--max-stall) runs on the CPUs none of the process's running
 * threads may run on, when there are such (nm_mover_cpus over one sample of
 * its threads), and then calls without the pacer's pauses: the pauses give
 * a shared CPU back to the application, and there is none to give back.
 * True when MV holds the narrowing (nm_mover_enter).
 */
static bool mover_off_process(const struct nm_args *a, pid_t pid, struct nm_engine_opts *mo,
			      struct nm_mover *mv)
{
	struct nm_scan_sample s = { 0 };
	cpu_set_t free_cpus;
	bool off = false;

	if (!mo->max_stall_us || a->mover_any_cpu || a->dry_run)
		return false;
	if (!nm_proc_threads("", pid, &s))
		off = nm_mover_enter(mv, &free_cpus, nm_mover_cpus(NULL, &s, &free_cpus), mo);
	nm_scan_sample_free(&s);
	return off;
}

/* The errors of a finished report (after it, so they follow it on a
 * terminal; in JSON mode they become the document's "error"). */
static void report_errors(const struct nm_args *a, const struct nm_move_result *res,
			  const struct nm_verify *v, const struct nm_pin_result *pinres,
			  const char *fatal, int rc)
{
	if (fatal[0]) {
		nm_error("%s", fatal);
	} else if (rc == NM_EXIT_MIGRATE) {
		if (res->busy || res->failed)
			nm_error("%llu pages busy and %llu failed (see the reasons above); exit 3",
				 (unsigned long long)res->busy, (unsigned long long)res->failed);
		else if (v && v->percent < v->min_percent)	/* a spread: spread_missed */
			nm_error("only %.1f%% of present pages are on node %d, below "
				 "--min-verified %.1f%%; exit 3", v->percent, v->node,
				 v->min_percent);
	}
	if (a->pin_threads && pinres->failed)
		nm_error("%u of %u threads could not be pinned to node %d (thread %d: %s); "
			 "exit %d", pinres->failed, pinres->threads, a->to_node,
			 (int)pinres->first_failed_tid, strerror(pinres->first_err), rc);
}

int nm_cmd_move(struct nm_args *a)
{
	struct nm_pin_result pinres;
	struct nm_policy_result polres;
	struct change changes[2] = { 0 };
	struct nm_move_change undone[2];
	size_t nundone = 0;
	struct nm_drift_attr attr;
	bool attr_done = false;
	char attr_why[256] = "";
	struct nm_diag_facts *facts = NULL;
	struct nm_nodemask mems = { 0 };
	struct nm_numa_maps nmaps = { 0 };
	struct nm_diagnosis *diag = NULL;
	struct nm_cause_group causes[NM_CAUSES];
	size_t ncauses = 0;
	bool have_diag = false, verified = false;
	struct nm_move_request req;
	struct nm_engine_opts mo;
	struct nm_move_result res;
	struct nm_kernel_counts kc = { 0 };
	struct nm_migtrace *mt = NULL;
	struct nm_verify v;
	struct nm_move_report rep;
	struct nm_spread_check sc = { .worst = -1 };
	struct nm_target t;
	char fatal[512] = "";
	struct nm_mover mv;
	unsigned int jobs;
	bool off = false;
	int r, rc, stop;

	if (!a->to_node_set) {
		nm_error("move needs --to-node NODE");
		return NM_EXIT_USAGE;
	}
	/* open */
	rc = nm_target_open(a, &t);
	if (rc)
		goto out;
	/* the batches' queries and the verification's from pagemap PFNs: a
	 * move_pages query walks the page tables once more per page (0.1 s
	 * of 1.9 s for 256 MiB of 4 KiB pages under QEMU, issue 14 point 3) */
	nm_target_pfn_nodes(&t);
	t.eo.max_stall_us = (unsigned int)a->max_stall * 1000;	/* 0: unpaced */
	rc = preflight(a, &t, &mems);
	if (rc)
		goto out;
	if ((a->pin_threads || a->policy) && a->dry_run) {
		nm_error("--%s changes the process, which a --dry-run must not do; leave out "
			 "one of them", a->pin_threads ? "pin-threads" : "policy");
		rc = NM_EXIT_USAGE;
		goto out;
	}
	rc = spread_options(a);
	if (rc)
		goto out;
	/* change the target (registered: undone unless the run completes) */
	if (a->pin_threads) {
		rc = pin(a, &t, &pinres, &changes[0]);
		if (rc)
			goto out;
	}
	if (a->policy) {
		rc = bind_policy(a, &t, &polres, &changes[1]);
		if (rc)
			goto out;
	}

	/* move */
	request(a, &req);
	if (!a->no_bpf && !a->dry_run)
		nm_migtrace_start(&mt, getpid(), &kc);
	/* one job queries the next batch while the current one moves, when
	 * the thread doing it has a CPU of its own to run on */
	mo = t.eo;
	off = mover_off_process(a, t.pid, &mo, &mv);
	jobs = mo.jobs;
	mo.prefetch = mo.jobs == 1 && nm_self_cpus() > 1;
	if (a->to_spread.n > 1)
		r = nm_spread_move(&t.sys, t.pid, &t.ranges, &mo, &req, &a->to_spread, &res);
	else
		r = nm_engine_move(&t.sys, t.pid, &t.ranges, &mo, &req, &res);
	if (off) {
		int e = nm_mover_leave(&mv, &mo);

		if (e)	/* what is left is this process's own: say so, go on */
			nm_warn("cannot widen numa-migrate's CPUs back from %s after the move: %s",
				mv.cpus, strerror(e));
	}
	nm_progress_end(&t);
	if (mt)
		nm_migtrace_read(mt, &kc);
	nm_migtrace_stop(mt);
	rc = move_outcome(a, &t, &res, r, fatal, sizeof(fatal));

	/* gather: verification, drift, causes */
	if (a->verify && !r && !a->dry_run) {
		bool measured = false;
		int vr = verify(a, &t, &v, &attr, &attr_done, attr_why, sizeof(attr_why),
				&nmaps, &measured, &sc);

		verified = measured && (!vr || vr == -EINTR);
		if (vr == -ESRCH)
			snprintf(fatal, sizeof(fatal), "process %d exited during verification",
				 t.pid);
		else if (vr == -EINTR)
			snprintf(fatal, sizeof(fatal), "interrupted by SIG%s %s",
				 sigabbrev_np(nm_session_stopped()) ?: "?",
				 measured ? "before the drift re-check" : "during verification");
		else if (vr)
			snprintf(fatal, sizeof(fatal), "verification failed: %s", strerror(-vr));
		if (vr)
			rc = NM_EXIT_MIGRATE;
		if (verified && v.pages_present && v.percent < v.min_percent && !rc)
			rc = NM_EXIT_MIGRATE;
		if (verified && a->to_spread.n > 1 && sc.missed && !rc)
			rc = NM_EXIT_MIGRATE;
	}
	if (a->pin_threads && pinres.failed && !rc)
		rc = NM_EXIT_MIGRATE;	/* partly pinned is not success */
	stop = nm_session_stopped();
	if (stop && !fatal[0]) {
		/* the signal came after the last loop that polls for it */
		snprintf(fatal, sizeof(fatal), "interrupted by SIG%s", sigabbrev_np(stop) ?: "?");
		rc = NM_EXIT_MIGRATE;
	}
	if (a->explain && r != -ESRCH && !stop) {
		facts = malloc(sizeof(*facts));
		diag = malloc(sizeof(*diag));
		if (facts && diag)
			explain(a, &t, &res, facts, diag, &have_diag, causes, &ncauses, &mems,
				&nmaps);
		else
			nm_warn("--explain: out of memory");
	}
	/* compute: the changes stay only when the move completed */
	nundone = settle_changes(changes, NM_ARRAY_SIZE(changes), !fatal[0], undone);
	for (size_t i = 0; i < nundone; i++)
		if (!undone[i].restored && !rc)
			rc = NM_EXIT_MIGRATE;

	/* report */
	rep = (struct nm_move_report){
		.pid = t.pid, .comm = t.comm, .page_size = NM_PAGE_SIZE_DEFAULT,
		.range_text = a->range, .ranges = &t.ranges, .req = &req, .res = &res,
		.jobs = jobs, .batch_pages = t.eo.batch_pages,
		.max_stall_ms = (unsigned int)a->max_stall,
		.mover_cpus = off ? mv.cpus : NULL,
		.verify = verified ? &v : NULL,
		.kernel = (!a->no_bpf && !a->dry_run) ? &kc : NULL,
		.fatal_msg = fatal[0] ? fatal : NULL, .exit_code = rc,
		.pin = a->pin_threads ? &pinres : NULL, .explain = a->explain,
		.policy = a->policy ? &polres : NULL,
		.causes = causes, .ncauses = ncauses,
		.facts = have_diag ? facts : NULL, .diag = have_diag ? diag : NULL,
		.drift_attr = attr_done ? &attr : NULL,
		.drift_attr_why = attr_why[0] ? attr_why : NULL,
		.stop_signal = stop, .changes = undone, .nchanges = nundone,
		.spread = a->to_spread.n > 1 ? &a->to_spread : NULL,
		.spread_check = a->to_spread.n > 1 && verified ? &sc : NULL,
	};
	nm_move_out(t.fmt, &rep);
	fflush(stdout);
	report_errors(a, &res, verified ? &v : NULL, &pinres, fatal, rc);
	if (!fatal[0] && verified && a->to_spread.n > 1 && sc.missed)
		spread_missed(&a->to_spread, &sc);
out:
	nm_numa_maps_free(&nmaps);
	/* an error before the move: nothing stays changed */
	for (size_t i = 0; i < NM_ARRAY_SIZE(changes); i++)
		if (changes[i].c && nm_session_undo(changes[i].c) == 0)
			nm_warn("restored %s: the move did not start", changes[i].what);
	free(facts);
	free(diag);
	nm_target_close(&t);
	return rc;
}
