// SPDX-License-Identifier: GPL-2.0
/* numa-migrate move: preflight, move, verify, re-check for drift, report. */
#include <errno.h>
#include <signal.h>
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
#include "stick.h"
#include "target.h"

static int preflight(struct nm_args *a, struct nm_target *t, struct nm_nodemask *mems)
{
	struct nm_nodemask allowed = { 0 };
	char b1[128], b2[128];

	if (!nm_nodemask_test(&t->mem_nodes, a->to_node)) {
		nm_error("invalid --to-node %d: node %d does not exist or has no memory "
			 "(nodes with memory: %s)", a->to_node, a->to_node,
			 nm_nodemask_fmt(&t->mem_nodes, b1, sizeof(b1)));
		return NM_EXIT_USAGE;
	}
	if (nm_target_mems_allowed("", t->pid, &allowed) == 0)
		*mems = allowed;	/* --explain's diagnosis reads it from here */
	if (mems->bits && !nm_nodemask_test(mems, a->to_node)) {
		nm_error("node %d is outside pid %d's cpuset (allowed memory nodes: %s): "
			 "pick one of those nodes, or add node %d to the cgroup's cpuset.mems",
			 a->to_node, t->pid, nm_nodemask_fmt(&allowed, b2, sizeof(b2)),
			 a->to_node);
		return NM_EXIT_USAGE;
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
		  struct nm_numa_maps *nmaps)
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
	v->min_percent = a->min_verified;
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
	if (nm_numa_maps_read("", t->pid, nmaps) == 0) {	/* kept for --explain */
		nm_compare_compute(&t->vmas, &t->ranges, &q, nmaps, NM_PAGE_SIZE_DEFAULT,
				   &v->cmp);
		if (v->cmp.vmas_compared)
			v->numa_maps_percent = nm_percent(v->cmp.numa_maps[a->to_node],
							  v->cmp.numa_maps_total);
	}
	nm_query_result_free(&q);
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

/* --pin-threads: before the move. Returns 0 or an exit code after the error. */
static int pin(struct nm_args *a, struct nm_target *t, struct nm_pin_result *p)
{
	int r = nm_pin_threads(t->pid, a->to_node, p);

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

int nm_cmd_move(struct nm_args *a)
{
	struct nm_pin_result pinres;
	struct nm_policy_result polres;
	struct nm_drift_attr attr;
	bool attr_done = false;
	char attr_why[256] = "";
	struct nm_diag_facts *facts = NULL;
	struct nm_nodemask mems = { 0 };
	struct nm_numa_maps nmaps = { 0 };
	struct nm_diagnosis *diag = NULL;
	struct nm_cause_group causes[NM_CAUSES];
	size_t ncauses = 0;
	bool have_diag = false;
	struct nm_move_request req = { 0 };
	struct nm_move_result res;
	struct nm_kernel_counts kc = { 0 };
	struct nm_migtrace *mt = NULL;
	struct nm_verify v;
	struct nm_move_report rep;
	struct nm_target t;
	char fatal[512] = "";
	int r, rc;

	if (!a->to_node_set) {
		nm_error("move needs --to-node NODE");
		return NM_EXIT_USAGE;
	}
	rc = nm_target_open(a, &t);
	if (rc)
		goto out;
	rc = preflight(a, &t, &mems);
	if (rc)
		goto out;
	if ((a->pin_threads || a->policy) && a->dry_run) {
		nm_error("--%s changes the process, which a --dry-run must not do; leave out "
			 "one of them", a->pin_threads ? "pin-threads" : "policy");
		rc = NM_EXIT_USAGE;
		goto out;
	}
	if (a->pin_threads) {
		rc = pin(a, &t, &pinres);
		if (rc)
			goto out;
	}
	if (a->policy) {
		char perr[1024];
		int pr = nm_policy_bind_cpuset(t.pid, a->to_node, &polres, perr, sizeof(perr));

		if (pr) {
			nm_error("%s", perr);
			rc = pr == -EACCES || pr == -EPERM ? NM_EXIT_PERM : NM_EXIT_MIGRATE;
			goto out;
		}
		if (a->range)
			nm_warn("--policy bind confines the whole process, not only --range %s: "
				"the kernel moves all of its memory to node %d", a->range, a->to_node);
	}

	req.target_node = a->to_node;
	req.from = a->from;
	req.from_set = a->from_set;
	req.move_all = a->all;
	req.dry_run = a->dry_run;

	if (!a->no_bpf && !a->dry_run)
		nm_migtrace_start(&mt, getpid(), &kc);

	r = nm_engine_move(&t.sys, t.pid, &t.ranges, &t.eo, &req, &res);
	nm_progress_end(&t);
	if (mt)
		nm_migtrace_read(mt, &kc);
	nm_migtrace_stop(mt);
	rc = nm_move_exit_code(&res);

	if (r == -ESRCH) {
		snprintf(fatal, sizeof(fatal),
			 "process %d exited during the move after %llu of %llu pages were "
			 "examined; the counts are partial", t.pid,
			 (unsigned long long)res.examined, (unsigned long long)t.ranges.pages);
		rc = NM_EXIT_MIGRATE;
	} else if (r) {
		char buf[512];

		/* whole-call failure: nothing more can be done, explain it */
		if (r == -EACCES)
			snprintf(buf, sizeof(buf), "move_pages refused node %d for pid %d "
				 "(EACCES): the node is outside the process's cpuset", a->to_node,
				 t.pid);
		else
			nm_describe_target_error(-r, t.pid, "move", a->all, buf, sizeof(buf));
		snprintf(fatal, sizeof(fatal), "%s", buf);
		rc = nm_exit_for_errno(-r);
	}

	bool verified = false;

	if (a->verify && !r && !a->dry_run) {
		int vr = verify(a, &t, &v, &attr, &attr_done, attr_why, sizeof(attr_why),
				&nmaps);

		if (vr == -ESRCH) {
			snprintf(fatal, sizeof(fatal), "process %d exited during verification",
				 t.pid);
			rc = NM_EXIT_MIGRATE;
		} else if (vr == -EINTR) {
			snprintf(fatal, sizeof(fatal), "interrupted before the drift re-check");
			rc = NM_EXIT_MIGRATE;
			verified = true;
		} else if (vr) {
			snprintf(fatal, sizeof(fatal), "verification failed: %s", strerror(-vr));
			rc = NM_EXIT_MIGRATE;
		} else {
			verified = true;
		}
		if (verified && v.pages_present && v.percent < v.min_percent && !rc)
			rc = NM_EXIT_MIGRATE;
	}

	if (a->pin_threads && pinres.failed && !rc)
		rc = NM_EXIT_MIGRATE;	/* partly pinned is not success */
	if (a->explain && r != -ESRCH) {
		facts = malloc(sizeof(*facts));
		diag = malloc(sizeof(*diag));
		if (facts && diag)
			explain(a, &t, &res, facts, diag, &have_diag, causes, &ncauses, &mems,
				&nmaps);
		else
			nm_warn("--explain: out of memory");
	}

	rep = (struct nm_move_report){
		.pid = t.pid, .comm = t.comm, .page_size = NM_PAGE_SIZE_DEFAULT,
		.range_text = a->range, .ranges = &t.ranges, .req = &req, .res = &res,
		.verify = verified ? &v : NULL,
		.kernel = (!a->no_bpf && !a->dry_run) ? &kc : NULL,
		.fatal_msg = fatal[0] ? fatal : NULL, .exit_code = rc,
		.pin = a->pin_threads ? &pinres : NULL, .explain = a->explain,
		.policy = a->policy ? &polres : NULL,
		.causes = causes, .ncauses = ncauses,
		.facts = have_diag ? facts : NULL, .diag = have_diag ? diag : NULL,
		.drift_attr = attr_done ? &attr : NULL,
		.drift_attr_why = attr_why[0] ? attr_why : NULL,
	};
	nm_report_move(stdout, t.fmt, &rep);
	fflush(stdout);
	if (fatal[0]) {
		bool saved = nm_errors_json();

		nm_errors_set_json(false);	/* already in the JSON report */
		nm_error("%s", fatal);
		nm_errors_set_json(saved);
	} else if (rc == NM_EXIT_MIGRATE) {
		if (res.busy || res.failed)
			fprintf(stderr, "numa-migrate: %llu pages busy and %llu failed (see the "
				"reasons above); exit 3\n", (unsigned long long)res.busy,
				(unsigned long long)res.failed);
		else if (verified)
			fprintf(stderr, "numa-migrate: only %.1f%% of present pages are on node "
				"%d, below --min-verified %.1f%%; exit 3\n", v.percent, v.node,
				v.min_percent);
	}
	if (a->pin_threads && pinres.failed)
		fprintf(stderr, "numa-migrate: %u of %u threads could not be pinned to node %d "
			"(thread %d: %s); exit %d\n", pinres.failed, pinres.threads, a->to_node,
			(int)pinres.first_failed_tid, strerror(pinres.first_err), rc);
out:
	nm_numa_maps_free(&nmaps);
	free(facts);
	free(diag);
	nm_target_close(&t);
	return rc;
}
