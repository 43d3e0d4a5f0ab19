// SPDX-License-Identifier: GPL-2.0
/*
 * numa-migrate auto --all: one auto for the whole server. Every --interval:
 * rescan the processes (read/scanset.c: --min-size, --cgroup, minus
 * --exclude), take the per-pid lock of each newcomer (one held by another
 * auto is skipped and reported) and add it to the hinting-fault program's
 * pid set (one set of BPF programs filters in the kernel, whatever the
 * number of processes), drop the ones that exited or stopped being eligible
 * with their final report line; then read the faults once, feed each
 * process's policy its own regions, and run each process's step (autoproc.c,
 * the same as auto --pid) with a share of the one --max-rate budget.
 *
 * Bounds: at most NM_AUTOSET_MAX (4096) processes at once (the BPF pid set;
 * fewer when the open-file limit cannot hold 4 descriptors each), 65536
 * regions over all of them in the kernel, and per process the policy state
 * of auto --pid. The report lists at most NM_AUTOSET_MAX processes that left.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "json.h"
#include "agentsout.h"
#include "autoallreport.h"
#include "autoproc.h"
#include "autoset.h"
#include "cmds.h"
#include "daemon.h"
#include "errors.h"
#include "hintfault_load.h"
#include "hooks.h"
#include "nodeenv.h"
#include "pidlock.h"
#include "scanset.h"
#include "session.h"
#include "target.h"
#include "textfile.h"

struct all_ctx {
	struct nm_args *a;
	struct nm_autoproc **p;		/* managed, sorted by pid */
	size_t n, max;
	pid_t *exclude;
	size_t nexclude;
	struct nm_cpu_nodes cpus;
	struct nm_scanset ss;
	struct nm_smallmemo small;	/* who rescans need not read each time */
	struct nm_nodemask mem_nodes;
	struct nm_node_env env0;	/* the static node facts */
	struct nm_engine_opts eo;
	struct nm_pfn_nodes pfns;	/* the memory block table, for every process */
	struct nm_hintfault *hf;	/* NULL on one node: nothing can move */
	FILE *log;
	struct nm_agents agents;	/* other placement agents at the start */
	double t0, next;
	size_t turn;			/* who acts first this interval */
	struct nm_autoall_rec *gone;	/* processes that left (a ring) */
	size_t ngone;
	struct nm_autoall_skip *skip;	/* the last rescan's */
	size_t nskip, capskip;
	struct nm_autoall_totals tot;
	/* scratch, sized for max */
	pid_t *cur, *seen, *add, *del;
	uint64_t *need, *share;
	size_t *order;
	struct nm_autoall_rec *recs;
	const struct nm_autoall_rec **rp;
	char errbuf[512];
};

static int by_pid(const void *k, const void *e)
{
	pid_t a = *(const pid_t *)k, b = (*(struct nm_autoproc *const *)e)->t.pid;

	return (a > b) - (a < b);
}

static int cmp_proc(const void *a, const void *b)
{
	return by_pid(&(*(struct nm_autoproc *const *)a)->t.pid, b);
}

static struct nm_autoproc *find(struct all_ctx *c, pid_t pid)
{
	struct nm_autoproc **p = bsearch(&pid, c->p, c->n, sizeof(*c->p), by_pid);

	return p ? *p : NULL;
}

static void skip_add(struct all_ctx *c, pid_t pid, const char *comm, const char *why)
{
	struct nm_autoall_skip *s;

	if (nm_grow(c->skip, c->nskip, c->capskip, 8))
		return;
	s = &c->skip[c->nskip++];
	s->pid = pid;
	snprintf(s->comm, sizeof(s->comm), "%s", comm);
	snprintf(s->why, sizeof(s->why), "%s", why);
}

/* Opens PID as auto --pid would, without printing: a process that exits
 * meanwhile is no error. 0 or -errno. */
static int open_proc(struct all_ctx *c, struct nm_autoproc *p, pid_t pid)
{
	struct nm_target *t = &p->t;

	t->real.pidfd = t->real.pagemap_fd = t->real.kpageflags_fd = -1;
	t->pid = pid;
	t->fmt = c->a->json ? NM_FMT_JSON : NM_FMT_TEXT;
	t->spec.kind = NM_RSPEC_ALL;
	t->mem_nodes = c->mem_nodes;
	t->eo = c->eo;
	p->env = c->env0;
	if (nm_sys_open(&t->real, pid, &t->sys))
		return -ESRCH;
	nm_target_share_pfn_nodes(t, &c->pfns);	/* page queries from pagemap PFNs */
	return nm_target_comm("", pid, t->comm, sizeof(t->comm));
}

/* Takes PID on: lock, open, policy, pid set. */
static void join(struct all_ctx *c, pid_t pid)
{
	struct nm_autoproc *p = calloc(1, sizeof(*p));
	struct nm_pidlock_holder h;
	char who[400], why[512], comm[64] = "";
	int err;

	if (!p)
		return;
	nm_target_comm("", pid, comm, sizeof(comm));
	err = nm_pidlock_hold(NM_PIDLOCK_DIR, pid, &h, &p->lock);
	if (err) {
		if (err == -EWOULDBLOCK)
			snprintf(why, sizeof(why), "managed by another numa-migrate auto: %s holds "
				 "%s/pid-%d.lock (stop it to hand the process over)",
				 nm_pidlock_holder_fmt(&h, who, sizeof(who)), NM_PIDLOCK_DIR, (int)pid);
		else
			snprintf(why, sizeof(why), "cannot take %s/pid-%d.lock: %s", NM_PIDLOCK_DIR,
				 (int)pid, strerror(-err));
		skip_add(c, pid, comm, why);
		free(p);
		return;
	}
	err = open_proc(c, p, pid);
	if (!err)
		err = nm_autoproc_init(p, c->a, c->log, true);
	if (!err && c->hf)
		err = nm_hintfault_pid_add(c->hf, pid);
	if (err) {
		if (err != -ESRCH && err != -ENOENT) {
			snprintf(why, sizeof(why), "cannot open it or read /proc/%d/maps: %s (auto "
				 "--all must run as root in the process's pid namespace)", (int)pid,
				 strerror(-err));
			skip_add(c, pid, comm, why);
		}
		nm_session_undo(p->lock);
		nm_autoproc_free(p);
		free(p);
		return;
	}
	p->mt_ours = NULL;	/* our moves are counted by the executor, per process */
	p->sum.migr_available = false;
	snprintf(p->sum.migr_why, sizeof(p->sum.migr_why), "not counted per process under "
		 "--all (one set of BPF programs for every process)");
	p->sum.max_rate_mbs = (double)c->a->max_rate;
	p->cpus = &c->cpus;
	nm_autoproc_start(p, nm_mono());
	c->p[c->n++] = p;	/* sorted again after the rescan's joins */
	c->tot.joined++;
}

/* Lets the process at index I go: the pid set, its lock, its state. */
static void drop(struct all_ctx *c, size_t i)
{
	struct nm_autoproc *p = c->p[i];

	if (c->hf)
		nm_hintfault_pid_del(c->hf, p->t.pid);
	nm_session_undo(p->lock);
	nm_autoproc_free(p);
	free(p);
	memmove(&c->p[i], &c->p[i + 1], (c->n - i - 1) * sizeof(*c->p));
	c->n--;
}

/* Drops the process at index I with its final report line. */
static void leave(struct all_ctx *c, size_t i, const char *ended_by)
{
	struct nm_autoproc *p = c->p[i];
	struct nm_autoall_rec *r = &c->gone[c->ngone % c->max];
	bool failed = p->errbuf[0];
	char err[600];

	if (!failed)
		p->sum.ended_by = ended_by;
	nm_autoproc_finish(p);
	nm_autoproc_log_summary(p);
	nm_autoall_totals_add(&c->tot, &p->sum);
	if (failed)
		c->tot.failed++;
	else if (!strcmp(ended_by, "target_exit"))
		c->tot.exited++;
	else
		c->tot.left++;
	if (c->ngone >= c->max)
		c->tot.not_listed++;
	nm_autoall_rec_set(r, &p->sum, failed ? "error" : !strcmp(ended_by, "target_exit") ?
			   "exited" : "left");
	c->ngone++;
	if (!c->a->json)
		nm_autoall_line_text(stdout, r);
	if (failed)
		nm_warn("pid %d dropped: %s", (int)p->t.pid,
			nm_text_escape(p->errbuf, err, sizeof(err)));
	drop(c, i);
}

/* The rescan: who joins, who leaves. */
static int rescan(struct all_ctx *c)
{
	size_t nseen = 0, nadd, ndel, waiting;
	int err;

	nm_scanset_reset(&c->ss);
	err = nm_scanset_collect(&c->ss);
	if (err)
		return err;
	c->nskip = 0;
	for (size_t i = 0; i < c->ss.nskip && i < 64; i++)
		skip_add(c, c->ss.skip[i].pid, c->ss.skip[i].comm, c->ss.skip[i].why);
	for (size_t i = 0; i < c->ss.n && nseen < c->max * 2; i++)
		c->seen[nseen++] = c->ss.p[i].pid;	/* --exclude: left out by scanset */
	nseen = nm_pidlist_sort(c->seen, nseen);
	for (size_t i = 0; i < c->n; i++)
		c->cur[i] = c->p[i]->t.pid;
	nm_autoset_diff(c->cur, c->n, c->seen, nseen, c->max - c->n, c->add, &nadd, c->del,
			&ndel, &waiting);
	if (waiting && !c->tot.waiting)
		nm_warn("%zu eligible processes wait: auto --all manages %zu at once (%s)", waiting,
			c->max, c->max < NM_AUTOSET_MAX ? "4 open files each: raise LimitNOFILE= or "
			"'ulimit -n' for up to 4096" : "the size of the BPF pid set");
	if (waiting > c->tot.waiting)
		c->tot.waiting = waiting;
	for (size_t i = 0; i < ndel; i++) {
		struct nm_autoproc **pp = bsearch(&c->del[i], c->p, c->n, sizeof(*c->p), by_pid);
		const struct nm_sys *sys;

		if (!pp)
			continue;
		sys = &(*pp)->t.sys;
		leave(c, (size_t)(pp - c->p), sys->alive && sys->alive(sys->ctx) ? "target_exit" :
		      "not_eligible");
	}
	for (size_t i = 0; i < nadd; i++)
		join(c, c->add[i]);
	qsort(c->p, c->n, sizeof(*c->p), cmp_proc);
	return 0;
}

static int dispatch(void *ctx, pid_t pid, uint64_t start, const struct nm_hf_region *r)
{
	struct nm_autoproc *p = find(ctx, pid);

	if (p)
		nm_autoproc_observe(p, start, r);
	return 0;
}

/* One --max-rate budget per interval, shared by need (autoset.h). */
static void share_rate(struct all_ctx *c)
{
	double now = nm_mono();
	uint64_t budget;

	if (c->a->max_rate <= 0)
		return;
	for (size_t i = 0; i < c->n; i++)
		c->need[i] = c->p[i]->need;
	budget = (uint64_t)c->a->max_rate * 1024 * 1024 * (uint64_t)c->a->interval;
	nm_share_budget(c->need, c->n, budget, c->share, c->order);
	for (size_t i = 0; i < c->n; i++) {
		struct nm_rate *r = &c->p[i]->x.rate;
		double grant = (double)c->share[i];

		/* this interval's grant and nothing more: the bucket barely refills
		 * (1 byte/s), and its size is one chunk of the executor */
		nm_rate_init(r, 1.0, grant < NM_PAGE_SIZE_DEFAULT ? NM_PAGE_SIZE_DEFAULT : grant, now);
		r->tokens = grant;
	}
}

static int fill_metrics(FILE *f, const void *arg);

/* One interval for every managed process. False when the run ends. */
static bool step(struct all_ctx *c)
{
	struct nm_args *a = c->a;
	struct nm_hf_stats st;
	int err;

	nm_session_sleep(c->next - nm_mono());
	if (nm_session_stopped())
		return false;
	err = rescan(c);
	if (err) {
		snprintf(c->errbuf, sizeof(c->errbuf), "listing the processes in /proc failed: %s",
			 strerror(-err));
		return false;
	}
	for (size_t i = 0; i < c->n;) {
		err = nm_autoproc_refresh(c->p[i]);
		if (err == -ESRCH || err == -ENOENT) {
			leave(c, i, "target_exit");
			continue;
		}
		if (err)
			snprintf(c->p[i]->errbuf, sizeof(c->p[i]->errbuf), "reading its mappings "
				 "failed: %s", strerror(-err));
		nm_autoproc_begin(c->p[i]);
		i++;
	}
	/* with nothing managed the region table is empty, and walking it
	 * still visits every bucket of its 65536 */
	if (c->hf && c->n) {
		err = nm_hintfault_read_pids(c->hf, dispatch, c, &st);
		if (err) {
			snprintf(c->errbuf, sizeof(c->errbuf), "reading the hinting-fault counters "
				 "failed: %s", strerror(-err));
			return false;
		}
	}
	for (size_t i = 0; i < c->n; i++)
		if (!c->p[i]->errbuf[0])
			nm_autoproc_decide(c->p[i]);
	c->next += (double)a->interval;
	share_rate(c);
	/* in turn, from a different first process each interval: a backlog
	 * that uses up the interval's time does not always hit the same ones */
	for (size_t k = 0; k < c->n && !nm_session_stopped(); k++) {
		struct nm_autoproc *p = c->p[(c->turn + k) % c->n];
		char buf[256];

		if (p->errbuf[0])
			continue;
		err = nm_autoproc_act(p, c->next);
		if (err == -ESRCH)
			p->leaving = "target_exit";
		else if (err)
			snprintf(p->errbuf, sizeof(p->errbuf), "moving its pages failed: %s",
				 nm_describe_target_error(-err, p->t.pid, "move", false, buf,
							  sizeof(buf)));
	}
	for (size_t i = c->n; i-- > 0;)	/* after the loop: indexes stay put in it */
		if (c->p[i]->leaving || c->p[i]->errbuf[0])
			leave(c, i, c->p[i]->errbuf[0] ? "error" : c->p[i]->leaving);
	c->turn++;
	c->tot.intervals++;
	nm_auto_metrics_write(a, fill_metrics, c, c->errbuf, sizeof(c->errbuf));
	if (c->errbuf[0])
		return false;
	if (nm_auto_duration_over(a, c->t0)) {
		c->tot.ended_by = "duration";
		return false;
	}
	return !nm_session_stopped();
}

/* The records of every process, managed then gone, and the totals of the
 * managed ones added to a copy of the running totals. Returns the count. */
static size_t records(struct all_ctx *c, struct nm_autoall_totals *t)
{
	size_t n = 0, ng = c->ngone < c->max ? c->ngone : c->max;

	*t = c->tot;
	t->managed = c->n;
	t->seconds = nm_mono() - c->t0;
	for (size_t i = 0; i < c->n; i++) {
		c->p[i]->sum.ended_by = t->ended_by;
		nm_autoproc_finish(c->p[i]);
		nm_autoall_rec_set(&c->recs[i], &c->p[i]->sum, "managed");
		nm_autoall_totals_add(t, &c->p[i]->sum);
		c->rp[n++] = &c->recs[i];
	}
	for (size_t i = 0; i < ng; i++)
		c->rp[n++] = &c->gone[i];
	return n;
}

static int fill_metrics(FILE *f, const void *arg)
{
	struct all_ctx *c = (struct all_ctx *)arg;
	struct nm_autoall_totals t;
	size_t n = records(c, &t);

	return nm_autoall_metrics(f, c->rp, n, (size_t)c->a->top, &t, c->order);
}

static int summary(struct all_ctx *c)
{
	struct nm_autoall_totals t;
	size_t n;
	int rc = 0;

	n = records(c, &t);
	if (c->errbuf[0]) {
		t.ended_by = "error";
		t.error = c->errbuf;
		rc = NM_EXIT_MIGRATE;
	} else if (t.pages_failed || t.failed) {
		rc = NM_EXIT_MIGRATE;
	} else if (t.single_node || !t.joined) {
		rc = NM_EXIT_UNSUPPORTED;	/* nothing could be acted on */
	}
	t.exit_code = rc;
	for (size_t i = 0; i < c->n; i++)
		nm_autoproc_log_summary(c->p[i]);
	if (c->a->metrics && nm_textfile_write(c->a->metrics, fill_metrics, c) &&
	    !strstr(c->errbuf, "--metrics"))
		nm_warn("cannot write --metrics %s; check that its directory exists and is "
			"writable", c->a->metrics);
	if (c->a->json) {
		struct json_object *o = nm_autoall_json(c->rp, n, c->skip, c->nskip, &t);

		json_object_object_add(o, "agents", nm_agents_json(&c->agents));
		nm_out_json(o);
	}
	else
		nm_autoall_text(stdout, c->rp, n, c->skip, c->nskip, &t);
	if (c->errbuf[0])
		nm_error("%s", c->errbuf);
	else if (rc == NM_EXIT_UNSUPPORTED)
		nm_warn("%s; exit 4", t.single_node ? "one node with memory: nothing was moved" :
			"no eligible process (see --min-size, --cgroup, --exclude)");
	return rc;
}

/* Room for MAX processes: the scratch arrays and the open-file limit (four
 * descriptors each: pidfd, pagemap, kpageflags, the lock). */
static int size_for(struct all_ctx *c)
{
	struct rlimit rl;
	size_t want = NM_AUTOSET_MAX;

	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		rlim_t need = (rlim_t)want * 4 + 64;

		if (rl.rlim_cur < need) {
			rl.rlim_cur = rl.rlim_max < need ? rl.rlim_max : need;
			setrlimit(RLIMIT_NOFILE, &rl);
			getrlimit(RLIMIT_NOFILE, &rl);
		}
		if (rl.rlim_cur < need)	/* said when a process has to wait (rescan) */
			want = rl.rlim_cur > 64 + 4 ? (size_t)(rl.rlim_cur - 64) / 4 : 1;
	}
	c->max = want;
	c->tot.max_procs = want;
	c->p = calloc(want + 1, sizeof(*c->p));
	c->cur = calloc(want, sizeof(*c->cur));
	c->seen = calloc(want * 2, sizeof(*c->seen));
	c->add = calloc(want * 2, sizeof(*c->add));
	c->del = calloc(want, sizeof(*c->del));
	c->need = calloc(want, sizeof(*c->need));
	c->share = calloc(want, sizeof(*c->share));
	c->order = calloc(want * 2, sizeof(*c->order));
	c->recs = calloc(want, sizeof(*c->recs));
	c->rp = calloc(want * 2, sizeof(*c->rp));
	c->gone = calloc(want, sizeof(*c->gone));
	if (!c->p || !c->cur || !c->seen || !c->add || !c->del || !c->need || !c->share ||
	    !c->order || !c->recs || !c->rp || !c->gone)
		return -ENOMEM;
	return 0;
}

/* Everything before the first interval. 0 or the exit code, after the error. */
static int setup(struct all_ctx *c)
{
	struct nm_args *a = c->a;
	char buf[128];
	int prev_bal = 1, err, rc;

	a->no_progress = true;
	c->tot.ended_by = "signal";
	if (nm_pidlist_parse(a->exclude, &c->exclude, &c->nexclude)) {
		nm_error("invalid --exclude '%s': expected process ids separated by commas, "
			 "such as 812,1040", a->exclude);
		return NM_EXIT_USAGE;
	}
	if (geteuid() != 0) {
		nm_error("permission denied: auto --all loads BPF programs, moves other users' "
			 "pages and takes locks under %s, which needs root", NM_PIDLOCK_DIR);
		return NM_EXIT_PERM;
	}
	rc = nm_cgroup_opt_resolve(a->cgroup, &c->ss.cgroup);
	if (rc)
		return rc;
	err = nm_cpu_nodes_read("", &c->cpus);
	if (!err)
		err = nm_nodes_with_memory("", &c->mem_nodes);
	if (err == -ENOENT) {	/* no NUMA: node 0 is all there is */
		memset(&c->cpus, 0, sizeof(c->cpus));
		nm_nodemask_set(&c->mem_nodes, 0);
		err = 0;
	}
	if (err) {
		nm_error("cannot read the node topology under /sys/devices/system/node: %s; "
			 "auto needs a NUMA kernel", strerror(-err));
		return NM_EXIT_USAGE;
	}
	if (size_for(c)) {
		nm_error("out of memory sizing auto --all for %d processes; free some memory",
			 NM_AUTOSET_MAX);
		return NM_EXIT_MIGRATE;
	}
	c->ss.root = "";
	c->ss.min_size = a->min_size;
	c->ss.self = getpid();
	c->ss.hz = sysconf(_SC_CLK_TCK);
	c->ss.page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	c->ss.cpus = &c->cpus;
	c->ss.no_cpu_sample = true;	/* each managed process samples its own */
	/* a process small for NM_SMALL_RECHECK_S is read once that often */
	c->small.period = (unsigned int)((NM_SMALL_RECHECK_S + a->interval - 1) / a->interval);
	c->small.nomm_period = (unsigned int)((NM_NOMM_RECHECK_S + a->interval - 1) / a->interval);
	c->ss.memo = &c->small;
	c->ss.exclude = c->exclude;	/* not even read */
	c->ss.nexclude = c->nexclude;
	c->tot.single_node = __builtin_popcountll(c->mem_nodes.bits) < 2;
	nm_node_env_read_static("", &c->mem_nodes, &c->env0);
	nm_engine_opts_from_args(a, &c->eo);
	/* without the table (no memory blocks) every page is asked of move_pages */
	(void)nm_pfn_nodes_read("", NM_PAGE_SIZE_DEFAULT, &c->pfns);
	rc = nm_auto_open_log(a, &c->log);
	if (!rc)
		rc = nm_auto_agents(0, c->log, &c->agents);
	if (rc)
		return rc;
	if (c->tot.single_node) {
		nm_warn("this host has a single NUMA node with memory (node %s): nothing can be "
			"moved; auto --all lists and locks the eligible processes and exits 4",
			nm_nodemask_fmt(&c->mem_nodes, buf, sizeof(buf)));
	} else {
		rc = nm_auto_balancing_check(a, &prev_bal);
		if (rc)
			return rc;
		nm_auto_sensor_note(a);	/* the cold sensor's fallback, said once */
		rc = nm_auto_hintfault_open(a, 0, &c->hf);	/* 0: the pid set */
		if (rc)
			return rc;
	}
	/* no migration counter: under --all the report does not count moves per
	 * process, and a counter on migrate:mm_migrate_pages would run on every
	 * migration of every process, managed or not, for nothing */
	rc = nm_auto_daemonize(a);
	if (rc)
		return rc;
	rc = nm_auto_session_setup(a, prev_bal, NULL);
	if (rc)
		return rc;
	c->tot.max_rate_mbs = (double)a->max_rate;
	nm_warn("auto --all: every process with at least %llu MiB resident%s%s, every %ld s%s; "
		"at most %zu at once; Ctrl-C ends with a report",
		(unsigned long long)(a->min_size >> 20), a->cgroup ? " in --cgroup " : "",
		a->cgroup ? nm_text_escape(a->cgroup, buf, sizeof(buf)) : "", a->interval,
		a->dry_run ? ", DRY RUN: nothing is moved" : "", c->max);
	c->t0 = nm_mono();
	c->next = c->t0;	/* the first rescan at once, the first decisions an interval later */
	return 0;
}

static int setup_cb(void *c) { return setup(c); }
static bool step_cb(void *c) { return step(c); }
static int summary_cb(void *c) { return summary(c); }

int nm_auto_all(struct nm_args *a)
{
	struct all_ctx *c = calloc(1, sizeof(*c));
	int rc;

	if (!c)
		return nm_auto_out_of_memory();
	c->a = a;
	rc = nm_auto_loop(c, setup_cb, step_cb, summary_cb);
	while (c->n)
		drop(c, c->n - 1);	/* reported already */
	nm_auto_release(NULL, c->hf, &c->agents, c->log);
	nm_scanset_free(&c->ss);
	nm_smallmemo_free(&c->small);
	nm_pfn_nodes_free(&c->pfns);
	free(c->exclude);
	free(c->skip);
	free(c->p);
	free(c->cur);
	free(c->seen);
	free(c->add);
	free(c->del);
	free(c->need);
	free(c->share);
	free(c->order);
	free(c->recs);
	free(c->rp);
	free(c->gone);
	free(c);
	return rc;
}
