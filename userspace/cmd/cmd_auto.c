// SPDX-License-Identifier: GPL-2.0
/*
 * numa-migrate auto: access-driven migration. Every --interval seconds: read
 * the hinting faults the kernel aggregated per region (the difference to the
 * last read is this interval's evidence), let the policy decide (policy.c),
 * move through the engine in rate-capped chunks (one target node per call),
 * verify by a re-query and by the migrate tracepoint (our own migrations,
 * succeeded and failed), log every decision. Ends at --duration, when the
 * target exits, or on SIGINT/SIGTERM, with a final report.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "json.h"
#include "hintfault.h"		/* include/: struct nm_hf_region */
#include "autoreport.h"
#include "attach.h"
#include "cmds.h"
#include "diagread.h"
#include "errors.h"
#include "hintfault_load.h"
#include "migtrace.h"
#include "policy.h"
#include "procfs.h"
#include "target.h"

static volatile sig_atomic_t stop_sig;

static void on_stop(int sig)
{
	stop_sig = sig;
}

/* Sleeps until T (monotonic) unless a signal asks us to stop; false then. */
static bool sleep_until(double t)
{
	while (!stop_sig) {
		double left = t - nm_mono();
		struct timespec ts;

		if (left <= 0)
			return true;
		if (left > 0.05)
			left = 0.05;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(left * 1e9);
		nanosleep(&ts, NULL);
	}
	return false;
}

/* Bytes moved by us, per completed chunk, to find the most moved in any 1 s. */
struct chunk_log {
	double *t;
	uint64_t *bytes;
	size_t n, cap;
	double max_1s;
};

static void chunk_log_add(struct chunk_log *c, double t, uint64_t bytes)
{
	uint64_t sum = 0;

	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 256;
		double *nt = realloc(c->t, nc * sizeof(*nt));
		uint64_t *nb;

		if (!nt)
			return;
		c->t = nt;
		nb = realloc(c->bytes, nc * sizeof(*nb));
		if (!nb)
			return;
		c->bytes = nb;
		c->cap = nc;
	}
	c->t[c->n] = t;
	c->bytes[c->n++] = bytes;
	for (size_t i = c->n; i-- > 0 && t - c->t[i] < 1.0;)
		sum += c->bytes[i];
	if ((double)sum > c->max_1s)
		c->max_1s = (double)sum;
}

/* A move the rate cap cut short: it goes on from RESUME in the next
 * intervals, before new decisions, on the evidence it was decided on. */
struct pending {
	struct nm_decision d;
	long interval;		/* when it was decided */
	int node;
	uint64_t resume;
};

struct auto_ctx {
	struct nm_args *a;
	struct nm_target t;
	struct nm_policy pol;
	struct nm_node_env env;
	struct nm_rate rate;
	struct chunk_log chunks;
	FILE *log;
	double t0;
	struct nm_auto_summary sum;
	struct nm_auto_interval iv;
	bool first_locality_set;
	struct pending *pend;
	size_t npend, cappend;
	struct nm_policy_range *logged;	/* the ranges last written to the log */
	size_t nlogged;
};

/* The node most of RL's present pages are on, -1 when none is present. */
static int dominant_node(struct auto_ctx *c, const struct nm_range_list *rl)
{
	struct nm_query_result q;
	int best = -1;

	if (nm_engine_query(&c->t.sys, c->t.pid, rl, &c->t.eo, 0, NULL, -1, &q))
		return -1;
	for (int n = 0; n < NM_MAX_NODES; n++)
		if (q.total.node[n] && (best < 0 || q.total.node[n] > q.total.node[best]))
			best = n;
	nm_query_result_free(&q);
	return best;
}

/* Moves RL to NODE in chunks the rate cap allows, until DEADLINE. */
static void execute(struct auto_ctx *c, const struct nm_range_list *rl, int node,
		    double deadline, struct nm_action *act)
{
	struct nm_move_request req = { .target_node = node, .dry_run = c->a->dry_run };
	uint64_t chunk = c->rate.bytes_per_s > 0 ? (uint64_t)c->rate.burst : 64ULL << 20;
	struct nm_range_list piece = { 0 };
	bool stopped = false;

	chunk &= ~(NM_PAGE_SIZE_DEFAULT - 1);
	if (chunk < NM_PAGE_SIZE_DEFAULT)
		chunk = NM_PAGE_SIZE_DEFAULT;
	piece.r = calloc(1, sizeof(*piece.r));
	if (!piece.r) {
		act->what = "failed";
		act->fatal = -ENOMEM;
		return;
	}
	piece.cap = 1;
	for (size_t i = 0; i < rl->n && !stopped; i++) {
		for (uint64_t a = rl->r[i].start; a < rl->r[i].end && !stopped;) {
			uint64_t e = a + chunk < rl->r[i].end ? a + chunk : rl->r[i].end;
			struct nm_move_result res;
			double w = c->a->dry_run ? 0 : nm_rate_wait(&c->rate, (double)(e - a), nm_mono());
			int r;

			if (w > 0 && (nm_mono() + w > deadline || !sleep_until(nm_mono() + w))) {
				stopped = true;	/* the rest waits for the next interval */
				act->resume = a;
				break;
			}
			if (stop_sig) {
				stopped = true;
				act->resume = a;
				break;
			}
			piece.r[0] = (struct nm_range){ a, e, rl->r[i].vma };
			piece.n = 1;
			piece.pages = (e - a) / NM_PAGE_SIZE_DEFAULT;
			r = nm_engine_move(&c->t.sys, c->t.pid, &piece, &c->t.eo, &req, &res);
			nm_move_result_add(&act->res, &res);
			act->res.seconds += res.seconds;
			if (!c->a->dry_run) {
				nm_rate_spend(&c->rate, (double)(res.moved * NM_PAGE_SIZE_DEFAULT), nm_mono());
				chunk_log_add(&c->chunks, nm_mono(), res.moved * NM_PAGE_SIZE_DEFAULT);
			}
			if (r) {
				act->fatal = r;
				stopped = true;
			}
			a = e;
		}
	}
	free(piece.r);
	if (act->fatal)
		act->what = "failed";
	else if (c->a->dry_run)
		act->what = "would_move";
	else if (stopped)
		act->what = act->res.moved ? "partial" : "deferred";
	else
		act->what = "moved";
	if (!c->a->dry_run && !act->fatal) {
		struct nm_query_result q;

		if (!nm_engine_query(&c->t.sys, c->t.pid, rl, &c->t.eo, 0, NULL, -1, &q)) {
			act->verified = true;
			act->present = q.total.present;
			act->on_target = q.total.node[node];
			nm_query_result_free(&q);
		}
	}
}

static void log_json(struct auto_ctx *c, struct json_object *o)
{
	if (c->log) {
		fprintf(c->log, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
								 JSON_C_TO_STRING_NOSLASHESCAPE));
		fflush(c->log);
	}
	json_object_put(o);
}

static bool overlaps_pending(const struct auto_ctx *c, const struct nm_decision *d)
{
	for (size_t i = 0; i < c->npend; i++)
		if (d->start < c->pend[i].d.end && c->pend[i].d.start < d->end)
			return true;
	return false;
}

static int pending_add(struct auto_ctx *c, const struct nm_decision *d, int node, uint64_t resume)
{
	if (c->npend == c->cappend) {
		size_t nc = c->cappend ? c->cappend * 2 : 8;
		struct pending *np = realloc(c->pend, nc * sizeof(*np));

		if (!np)
			return -ENOMEM;
		c->pend = np;
		c->cappend = nc;
	}
	c->pend[c->npend++] = (struct pending){ *d, c->pol.interval - 1, node, resume };
	return 0;
}

/* Acts on one decision and records it; P: a move cut short that goes on.
 * Returns -errno of a whole-call error that ends the loop (the target
 * exited, permission), else 0. */
static int act_on(struct auto_ctx *c, const struct nm_decision *d, double deadline,
		  struct pending *p)
{
	struct nm_action act = { .what = "none", .node = p ? p->node : d->node, .continues = -1 };
	struct nm_range_list rl = { 0 };
	int err = 0;

	if (d->covered) {
		act.what = "covered";	/* its mapping moves whole */
		goto log;
	}
	if (p) {
		act.continues = p->interval;
	} else {
		c->sum.decisions[d->reason]++;
		if ((d->reason == NM_R_MOVE || d->reason == NM_R_MOVE_MAPPING ||
		     d->reason == NM_R_DEMOTE) && overlaps_pending(c, d)) {
			act.what = "pending";
			goto log;
		}
	}
	if (d->reason == NM_R_MOVE || d->reason == NM_R_MOVE_MAPPING || d->reason == NM_R_DEMOTE) {
		err = nm_range_list_clip(&c->t.ranges, p ? p->resume : d->start, d->end, &rl);
		if (err)
			goto out;
		if (d->reason == NM_R_DEMOTE && !p) {
			int cur = dominant_node(c, &rl);

			act.node = cur < 0 ? -1 : nm_nearest_memory_only(&c->env, cur);
			if (cur < 0 || !nm_nodemask_test(&c->env.has_cpu, cur)) {
				act.what = "already_there";	/* nothing present, or already in a slow tier */
				nm_policy_acted(&c->pol, d, cur);
				goto log;
			}
			if (act.node < 0) {
				act.what = "no_tier";
				nm_policy_acted(&c->pol, d, cur);
				goto log;
			}
		}
		execute(c, &rl, act.node, deadline, &act);
		c->iv.moves++;
		c->iv.pages_moved += act.res.moved;
		c->iv.bytes_moved += act.res.moved * NM_PAGE_SIZE_DEFAULT;
		c->sum.pages_moved += act.res.moved;
		c->sum.pages_would_move += act.res.would_move;
		c->sum.pages_already += act.res.already;
		c->sum.pages_busy += act.res.busy;
		c->sum.pages_failed += act.res.failed;
		for (int k = 0; k < NM_ERR_SLOTS; k++)
			c->sum.failed_by_errno[k] += act.res.by_errno[k];
		/* moves_deferred: decisions the cap cut short (once each);
		 * moves_done: decisions whose whole range was done */
		if (!p && (!strcmp(act.what, "deferred") || !strcmp(act.what, "partial")))
			c->sum.moves_deferred++;
		if (!strcmp(act.what, "moved"))
			c->sum.moves_done++;
		/* the cooldown starts once the whole range was done: a move the
		 * rate cap cut short goes on next interval (its streak holds while
		 * the evidence agrees); a dry run never starts one, it would hide
		 * the next intervals' view of the same decision */
		if (!strcmp(act.what, "moved") && (act.res.moved || act.res.already || p))
			nm_policy_acted(&c->pol, d, act.node);
		if (act.resume && !c->a->dry_run && !act.fatal) {
			if (p)
				p->resume = act.resume;
			else
				err = pending_add(c, d, act.node, act.resume);
		} else if (p) {
			p->resume = 0;	/* done (or failed): dropped by the caller */
		}
		if (act.fatal == -ESRCH || act.fatal == -EPERM || act.fatal == -ENODEV)
			err = act.fatal;

	}
log:
	c->iv.decisions++;
	log_json(c, nm_auto_decision_json(c->pol.interval - 1, nm_mono() - c->t0, d, &act,
					  c->a->dry_run));
out:
	free(rl.r);
	return err;
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

static void read_env(struct auto_ctx *c)
{
	struct nm_nodemask allowed = { 0 };

	if (!nm_target_mems_allowed("", c->t.pid, &allowed))
		c->env.allowed = allowed;
	c->env.free_known = true;
	for (int n = 0; n < NM_MAX_NODES; n++) {
		uint64_t kb;

		if (!nm_nodemask_test(&c->env.has_memory, n))
			continue;
		if (nm_node_free_kb("", n, &kb))
			c->env.free_known = false;
		else
			c->env.free_bytes[n] = kb * 1024;
	}
}

static void migr_read(struct nm_migtrace *ours, struct nm_migtrace *kern,
		      struct nm_auto_migr *m)
{
	struct nm_kernel_counts kc;

	memset(m, 0, sizeof(*m));
	if (ours && !nm_migtrace_read(ours, &kc))
		for (size_t i = 0; i < kc.nreasons; i++) {
			m->ours_ok += kc.reason[i].succeeded;
			m->ours_failed += kc.reason[i].failed;
		}
	if (kern && !nm_migtrace_read(kern, &kc))
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

/* Writes the Prometheus textfile atomically: a temporary file in the same
 * directory, then rename(2). */
static int write_metrics(const char *path, const struct nm_auto_summary *s)
{
	char tmp[4096];
	FILE *f;
	int err = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	nm_auto_metrics(f, s);
	if (fflush(f) || fsync(fileno(f)))
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

static int count_nodes(const struct nm_nodemask *m)
{
	return __builtin_popcountll(m->bits);
}

static int daemonize(void)
{
	pid_t p = fork();
	int fd;

	if (p < 0)
		return -errno;
	if (p > 0)
		_exit(0);
	if (setsid() < 0)
		return -errno;
	fd = open("/dev/null", O_RDWR);
	if (fd < 0)
		return -errno;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	return 0;
}

static int write_pid_file(const char *path)
{
	FILE *f = fopen(path, "w");
	int err = 0;

	if (!f)
		return -errno;
	if (fprintf(f, "%d\n", (int)getpid()) < 0)
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
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

int nm_cmd_auto(struct nm_args *a)
{
	struct sigaction sa = { .sa_handler = on_stop }, oint, oterm;
	struct nm_kernel_counts kc_ours = { 0 }, kc_kern = { 0 };
	struct nm_migtrace *mt_ours = NULL, *mt_kern = NULL;
	struct nm_hintfault *hf = NULL;
	struct nm_hf_choice choice;
	struct nm_policy_opts po;
	struct nm_auto_migr m0 = { 0 }, mprev = { 0 }, mnow = { 0 };
	struct auto_ctx *c;
	char buf[128], errbuf[512] = "";
	int prev_bal = -1, rc = 0, err, shift = 0;
	bool bal_changed = false, sig_installed = false, pid_written = false;
	double next;

	c = calloc(1, sizeof(*c));
	if (!c) {
		nm_error("out of memory");
		return NM_EXIT_MIGRATE;
	}
	c->a = a;
	a->no_progress = true;
	c->sum.locality_before = c->sum.locality_after = -1;
	c->sum.before_interval = c->sum.after_interval = -1;
	rc = nm_target_open(a, &c->t);
	if (rc)
		goto out;
	c->env.has_memory = c->t.mem_nodes;
	if (count_nodes(&c->t.mem_nodes) < 2) {
		nm_error("this host has a single NUMA node with memory (node %s): there is no "
			 "other node to move pid %d's memory to, and no access is remote; auto "
			 "has nothing to do here (run it on a multi-node machine)",
			 nm_nodemask_fmt(&c->t.mem_nodes, buf, sizeof(buf)), c->t.pid);
		rc = NM_EXIT_UNSUPPORTED;
		goto out;
	}
	if (geteuid() != 0) {
		nm_error("permission denied: auto loads BPF programs (hinting faults, migrate "
			 "tracepoint), which needs root (or CAP_BPF and CAP_PERFMON)");
		rc = NM_EXIT_PERM;
		goto out;
	}
	if (nm_nodes_with_cpus("", &c->env.has_cpu))
		c->env.has_cpu = c->t.mem_nodes;	/* unknown: treat every node as a CPU node */
	for (int n = 0; n < NM_MAX_NODES; n++)
		if (nm_nodemask_test(&c->t.mem_nodes, n) &&
		    nm_node_distances("", n, c->env.distance[n]))
			for (int k = 0; k < NM_MAX_NODES; k++)
				c->env.distance[n][k] = UINT32_MAX;
	if (a->log) {
		c->log = fopen(a->log, "a");
		if (!c->log) {
			nm_error("cannot open --log %s for appending: %s; pick a writable path",
				 a->log, strerror(errno));
			rc = NM_EXIT_USAGE;
			goto out;
		}
	}
	prev_bal = nm_numa_balancing_read();
	if (prev_bal == 0 && !a->enable_balancing) {
		nm_error("kernel.numa_balancing is 0: auto decides from NUMA hinting faults, "
			 "which the kernel makes only while it is on; pass --enable-balancing (it "
			 "is restored on exit) or run 'sysctl kernel.numa_balancing=1'");
		rc = NM_EXIT_USAGE;
		goto out;
	}
	while ((1ULL << shift) < a->granularity)
		shift++;
	err = nm_hintfault_open(&hf, c->t.pid, (unsigned int)shift, &choice);
	if (err || !choice.fault_hook || !choice.addr_hook) {
		nm_error("hinting faults cannot be attributed to addresses on this kernel "
			 "(task_numa_fault by fentry: %s, by kprobe: %s; tp_btf/page_fault_user: "
			 "%s): auto cannot decide; see 'numa-migrate features'",
			 choice.fentry_err ? strerror(-choice.fentry_err) : "ok",
			 choice.kprobe_err ? strerror(-choice.kprobe_err) : "ok",
			 choice.addr_hook ? "ok" : strerror(-choice.addr_err));
		rc = NM_EXIT_UNSUPPORTED;
		goto out;
	}
	nm_policy_opts_default(&po);
	po.share_pct = a->share;
	po.min_samples = (uint64_t)a->min_samples;
	po.stable = (unsigned int)a->stable;
	po.cooldown = (unsigned int)a->cooldown;
	po.reserve_bytes = a->reserve;
	po.mapping_quorum = (unsigned int)a->mapping_quorum;
	po.demote_cold = (unsigned int)a->demote_cold;
	err = nm_policy_init(&c->pol, &po, a->granularity);
	if (!err)
		err = refresh_ranges(c);
	if (err) {
		nm_error("cannot set up the policy for pid %d: %s", c->t.pid, strerror(-err));
		rc = NM_EXIT_MIGRATE;
		goto out;
	}
	if (a->daemon) {
		err = daemonize();
		if (err) {
			nm_error("cannot detach (--daemon): %s", strerror(-err));
			rc = NM_EXIT_MIGRATE;
			goto out;
		}
	}
	/* after --daemon: our own migrations are counted by our pid */
	{
		struct nm_migtrace_opts mo = { .tgid = getpid() };

		nm_migtrace_open(&mt_ours, &mo, &kc_ours);
		mo.tgid = c->t.pid;
		if (kc_ours.available)
			nm_migtrace_open(&mt_kern, &mo, &kc_kern);
	}
	c->sum.migr_available = kc_ours.available && kc_kern.available;
	if (!c->sum.migr_available) {
		snprintf(c->sum.migr_why, sizeof(c->sum.migr_why), "%s",
			 kc_ours.available ? kc_kern.why : kc_ours.why);
		nm_warn("migrate tracepoint unavailable (%s): moves are verified by re-query only",
			c->sum.migr_why);
	}

	if (a->pid_file) {
		err = write_pid_file(a->pid_file);
		if (err) {
			nm_error("cannot write --pid-file %s: %s", a->pid_file, strerror(-err));
			rc = NM_EXIT_USAGE;
			goto out;
		}
		pid_written = true;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &oint);
	sigaction(SIGTERM, &sa, &oterm);
	sig_installed = true;
	if (prev_bal == 0) {
		err = nm_numa_balancing_write(1);
		if (err) {
			nm_error("cannot turn kernel.numa_balancing on: %s", strerror(-err));
			rc = NM_EXIT_PERM;
			goto out;
		}
		bal_changed = true;
		fprintf(stderr, "numa-migrate: kernel.numa_balancing turned on for this session "
			"(was 0; restored on exit)\n");
	}
	if (a->max_rate > 0) {
		double bps = (double)a->max_rate * 1024 * 1024;
		double burst = bps / 4 > (double)(2 << 20) ? bps / 4 : (double)(2 << 20);

		nm_rate_init(&c->rate, bps, burst, nm_mono());
		c->sum.max_rate_mbs = (double)a->max_rate;
	}
	fprintf(stderr, "numa-migrate: auto on pid %d (%s), every %ld s%s%s; Ctrl-C ends with a "
		"report\n", c->t.pid, c->t.comm, a->interval,
		a->duration_set ? " for a limited time" : " until it exits",
		a->dry_run ? ", DRY RUN: nothing is moved" : "");
	migr_read(mt_ours, mt_kern, &m0);
	mprev = m0;
	c->t0 = nm_mono();
	next = c->t0 + (double)a->interval;
	c->sum.ended_by = "signal";
	for (;;) {
		struct nm_hf_stats st;
		struct nm_decision *dec;
		int act_err;
		size_t ndec;
		double istart = nm_mono();

		while (!stop_sig && nm_mono() < next) {
			if (c->t.sys.alive && c->t.sys.alive(c->t.sys.ctx))
				break;
			sleep_until(nm_mono() + 0.05 < next ? nm_mono() + 0.05 : next);
		}
		if (stop_sig)
			break;
		if (c->t.sys.alive && c->t.sys.alive(c->t.sys.ctx)) {
			c->sum.ended_by = "target_exit";
			break;
		}
		err = refresh_ranges(c);
		if (err == -ESRCH || err == -ENOENT) {
			c->sum.ended_by = "target_exit";
			break;
		}
		if (err) {
			snprintf(errbuf, sizeof(errbuf), "reading pid %d's mappings failed: %s",
				 c->t.pid, strerror(-err));
			break;
		}
		memset(&c->iv, 0, sizeof(c->iv));
		nm_policy_begin(&c->pol);
		err = nm_hintfault_read(hf, observe, &c->pol, &st);
		if (err) {
			snprintf(errbuf, sizeof(errbuf), "reading the hinting-fault counters failed: %s",
				 strerror(-err));
			break;
		}
		read_env(c);
		err = nm_policy_decide(&c->pol, &c->env, &dec, &ndec);
		if (err) {
			snprintf(errbuf, sizeof(errbuf), "policy: %s", strerror(-err));
			break;
		}
		c->iv.interval = c->pol.interval - 1;
		for (size_t i = 0; i < c->pol.nreg; i++) {
			c->iv.ev.samples += c->pol.reg[i].ev.samples;
			c->iv.ev.local += c->pol.reg[i].ev.local;
			c->iv.ev.kernel_migrated += c->pol.reg[i].ev.kernel_migrated;
			for (int n = 0; n < NM_HF_MAX_NODES; n++) {
				c->iv.ev.by_node[n] += c->pol.reg[i].ev.by_node[n];
				c->iv.ev.page_node[n] += c->pol.reg[i].ev.page_node[n];
			}
		}
		c->iv.unmanaged = c->pol.unmanaged;
		/* moves may use this interval's time, not more: the next
		 * interval's evidence must not wait on a rate-capped backlog */
		next += (double)a->interval;
		/* moves the rate cap cut short go on first, in order */
		for (size_t i = 0; i < c->npend && !err; i++)
			err = act_on(c, &c->pend[i].d, next, &c->pend[i]);
		{
			size_t k = 0;

			for (size_t i = 0; i < c->npend; i++)
				if (c->pend[i].resume)
					c->pend[k++] = c->pend[i];
			c->npend = k;
		}
		for (size_t i = 0; i < ndec && !err; i++)
			err = act_on(c, &dec[i], next, NULL);
		act_err = err;
		migr_read(mt_ours, mt_kern, &mnow);
		migr_sub(&c->iv.mig, &mnow, &mprev);
		mprev = mnow;
		c->iv.t = nm_mono() - c->t0;
		c->iv.seconds = nm_mono() - istart;
		locality_track(c);
		log_json(c, nm_auto_interval_json(&c->iv, &c->env));
		c->sum.intervals = c->pol.interval;
		if (a->metrics) {
			c->sum.samples = c->pol.total_samples;
			c->sum.local = c->pol.total_local;
			migr_sub(&c->sum.mig, &mnow, &m0);
			err = write_metrics(a->metrics, &c->sum);
			if (err) {
				snprintf(errbuf, sizeof(errbuf), "cannot write --metrics %s: %s",
					 a->metrics, strerror(-err));
				break;
			}
		}
		if (act_err == -ESRCH) {
			c->sum.ended_by = "target_exit";
			break;
		}
		if (act_err) {
			err = act_err;
			snprintf(errbuf, sizeof(errbuf), "moving pid %d's pages failed: %s", c->t.pid,
				 nm_describe_target_error(-err, c->t.pid, "move", false, buf,
							  sizeof(buf)));
			break;
		}
		if (nm_mono() < next - (double)a->interval)
			next = nm_mono() + (double)a->interval;	/* never burst to catch up */
		if (a->duration_set && nm_mono() - c->t0 >= (double)a->duration) {
			c->sum.ended_by = "duration";
			break;
		}
		if (stop_sig)
			break;
	}
	migr_read(mt_ours, mt_kern, &mnow);
	migr_sub(&c->sum.mig, &mnow, &m0);
	c->sum.samples = c->pol.total_samples;
	c->sum.local = c->pol.total_local;
	c->sum.intervals = c->pol.interval;
	c->sum.seconds = nm_mono() - c->t0;
	if (errbuf[0]) {
		c->sum.ended_by = "error";
		c->sum.error = errbuf;
		rc = NM_EXIT_MIGRATE;
	} else if (c->sum.pages_failed) {
		rc = NM_EXIT_MIGRATE;	/* failed for a reason other than busy */
	}
	c->sum.exit_code = rc;
	c->sum.pid = c->t.pid;
	c->sum.comm = c->t.comm;
	c->sum.dry_run = a->dry_run;
	c->sum.opts = &c->pol.o;
	c->sum.interval_s = a->interval;
	c->sum.granularity = a->granularity;
	c->sum.max_bytes_1s = c->chunks.max_1s;
	if (a->metrics) {
		err = write_metrics(a->metrics, &c->sum);
		if (err)
			nm_warn("cannot write --metrics %s: %s", a->metrics, strerror(-err));
	}
	if (c->log) {
		struct json_object *o = nm_auto_summary_json(&c->sum);

		json_object_object_add(o, "type", nm_json_str("summary"));
		log_json(c, o);
	}
	if (c->t.fmt == NM_FMT_JSON)
		nm_json_print(stdout, nm_auto_summary_json(&c->sum));
	else
		nm_auto_summary_text(stdout, &c->sum);
	fflush(stdout);
	if (errbuf[0]) {
		bool saved = nm_errors_json();

		nm_errors_set_json(false);	/* already in the JSON report */
		nm_error("%s", errbuf);
		nm_errors_set_json(saved);
	} else if (rc == NM_EXIT_MIGRATE) {
		fprintf(stderr, "numa-migrate: %llu pages failed to move (reasons above); exit 3\n",
			(unsigned long long)c->sum.pages_failed);
	}
out:
	if (bal_changed && nm_numa_balancing_read() != 0) {
		err = nm_numa_balancing_write(0);
		if (err)
			nm_error("could not restore kernel.numa_balancing to 0: %s; restore it "
				 "with: sysctl kernel.numa_balancing=0", strerror(-err));
	}
	if (sig_installed) {
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGTERM, &oterm, NULL);
	}
	nm_migtrace_stop(mt_ours);
	nm_migtrace_stop(mt_kern);
	nm_hintfault_close(hf);
	nm_policy_free(&c->pol);
	if (c->log)
		fclose(c->log);
	if (pid_written)
		unlink(a->pid_file);
	free(c->pend);
	free(c->logged);
	free(c->chunks.t);
	free(c->chunks.bytes);
	nm_target_close(&c->t);
	free(c);
	return rc;
}
