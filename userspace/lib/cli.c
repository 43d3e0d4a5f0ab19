// SPDX-License-Identifier: GPL-2.0
/*
 * Options: one table drives getopt_long, the defaults of struct nm_args,
 * --help, the man page and bash completion (cli_help.c), so they cannot
 * disagree; a second table refuses options that make no sense together. The
 * parser that reads them is cli_parse.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "engine.h"
#include "errors.h"
#include "parse.h"
#include "policy.h"

/*
 * The option table. Each entry says, besides its name and help, what kind of
 * value the option takes, which field of struct nm_args it fills (checked at
 * compile time against the kind's C type), its bounds, its default, and the
 * reason printed when a value is refused. Parsing, defaults, --help, the man
 * page and bash completion all read it.
 */

/* offsetof(struct nm_args, F), refused at compile time unless F has type T */
#define ARG(f, T) (offsetof(struct nm_args, f) + 0 * sizeof(char[ \
	__builtin_types_compatible_p(__typeof__(((struct nm_args *)0)->f), T) ? 1 : -1]))
#define GIVEN(f)		.given = ARG(f, bool)
#define FLAG(f)			.kind = NM_OPT_FLAG, .off = ARG(f, bool)
#define CONST(f, v, dv)		.kind = NM_OPT_CONST, .off = ARG(f, int), .min = (v), .def.i = (dv)
#define PID(f, g)		.kind = NM_OPT_PID, .off = ARG(f, pid_t), GIVEN(g)
#define NODE(f, g)		.kind = NM_OPT_NODE, .off = ARG(f, int), GIVEN(g), .def.i = -1
#define SPREAD(f, g)		.kind = NM_OPT_SPREAD, .off = ARG(f, struct nm_to_node), GIVEN(g), \
				.def.i = -1	/* the node; no spread */
#define NODES(f, g)		.kind = NM_OPT_NODES, .off = ARG(f, struct nm_nodemask), GIVEN(g)
#define LONG(f, lo, hi, dv)	.kind = NM_OPT_LONG, .off = ARG(f, long), .min = (lo), \
				.max = (hi), .def.l = (dv)
#define PERCENT(f, dv)		.kind = NM_OPT_PERCENT, .off = ARG(f, double), .def.d = (dv)
#define SIZE(f, lo, dv)		.kind = NM_OPT_SIZE, .off = ARG(f, uint64_t), .min = (lo), .def.u = (dv)
#define U64(f, dv)		.kind = NM_OPT_U64, .off = ARG(f, uint64_t), .def.u = (dv)
#define STRING(f)		.kind = NM_OPT_STRING, .off = ARG(f, const char *)
#define LIST(f)			.kind = NM_OPT_LIST, .off = ARG(f, struct nm_strlist)

/* The default is the policy's (policy.c owns auto's knobs): field F of
 * struct nm_policy_opts, of the C type T names. */
#define POLICY_T_DOUBLE	double
#define POLICY_T_U64	uint64_t
#define POLICY_T_UINT	unsigned int
#define FROM_POLICY(T, f)	.src = NM_DEF_POLICY_##T, \
	.src_off = offsetof(struct nm_policy_opts, f) + 0 * sizeof(char[ \
		__builtin_types_compatible_p(__typeof__(((struct nm_policy_opts *)0)->f), \
					     POLICY_T_##T) ? 1 : -1])

/* .given == 0 means "no such bool": offset 0 is the command pointer */
_Static_assert(offsetof(struct nm_args, cmd) == 0, "nm_args.cmd must come first");
/* to_node and to_spread name the fields of nm_args.to */
_Static_assert(offsetof(struct nm_args, to_node) == offsetof(struct nm_args, to) &&
	       offsetof(struct nm_args, to_spread) - offsetof(struct nm_args, to) ==
	       offsetof(struct nm_to_node, spread), "nm_args.to and its names disagree");

static const char *check_pow2(const struct nm_optdef *d, const char *v,
			      const union nm_optval *val)
{
	return val->u & (val->u - 1) ? d->why : NULL;
}

static const char *check_majority(const struct nm_optdef *d, const char *v,
				  const union nm_optval *val)
{
	return val->d > 50.0 ? NULL : d->why;
}

static const char *check_cold_sensor(const struct nm_optdef *d, const char *v,
				     const union nm_optval *val)
{
	enum nm_cold_sensor s;

	return nm_cold_sensor_parse(v, &s) ? d->why : NULL;
}

static const char *check_policy(const struct nm_optdef *d, const char *v,
				const union nm_optval *val)
{
	if (!strcmp(v, "preferred"))
		return "a preferred policy can only be set by the process itself (start it "
		       "under 'numactl --preferred=N'); --pin-threads makes its new pages "
		       "local to the node, --policy bind confines it";
	return strcmp(v, "bind") ? d->why : NULL;
}

const struct nm_optdef nm_optdefs[] = {
	{ OPT_PID, "pid", required_argument, "PID", "target process id",
	  PID(pid, pid_set), .why = "expected a process id (1-4194304)" },
	{ OPT_RANGE, "range", required_argument, "RANGE",
	  "START-END, START+LEN, heap, stack, anon, a file path, or SIZE (the first "
	  "SIZE bytes of the largest anonymous mapping); default: every mapping",
	  STRING(range) },
	{ OPT_TO_NODE, "to-node", required_argument, "NODE",
	  "node to move pages to; or node:weight pairs (move: 0:3,2:1 spreads the pages by "
	  "weight, in 2 MiB-aligned chunks)",
	  SPREAD(to, to_node_set), .why = "expected a node number (0-63)" },
	{ OPT_FROM_NODE, "from-node", required_argument, "LIST",
	  "only move pages now on these nodes (e.g. 0,2-3)",
	  NODES(from, from_set), .why = "expected a node list such as 0 or 0,2-3",
	  .why_range = "node number out of range (0-63)" },
	{ OPT_ALL, "all", no_argument, NULL,
	  "move, diagnose: also move pages shared with other processes (MPOL_MF_MOVE_ALL, "
	  "needs CAP_SYS_NICE); auto: manage every process with at least --min-size resident "
	  "(or those of --cgroup), picked up and dropped as they start and exit, with one "
	  "set of BPF programs and one --max-rate shared between them; at most 4096 processes",
	  FLAG(all) },
	{ OPT_VERIFY, "verify", optional_argument, "SECONDS",
	  "re-query every page and numa_maps after the move; with SECONDS, check again "
	  "after that long and report drift",
	  LONG(verify_s, 1, 86400, -1), GIVEN(verify), .why = "expected whole seconds (1-86400)" },
	{ OPT_MIN_VERIFIED, "min-verified", required_argument, "PCT",
	  "exit 3 when less than PCT% of present pages are on the target (default 90)",
	  PERCENT(min_verified, 90.0), .why = "expected a percentage 0-100" },
	{ OPT_DRY_RUN, "dry-run", no_argument, NULL, "only query and say what would move",
	  FLAG(dry_run) },
	{ OPT_JSON, "json", no_argument, NULL, "JSON output",
	  FLAG(json) },
	{ OPT_CSV, "csv", no_argument, NULL, "CSV output",
	  FLAG(csv) },
	{ OPT_BY_MAPPING, "by-mapping", no_argument, NULL, "also break counts down per mapping",
	  FLAG(by_mapping) },
	{ OPT_EXACT, "exact", no_argument, NULL,
	  "check: also query every page with move_pages(2) and cross-check it with numa_maps "
	  "(the default reads numa_maps once, as numastat -p; --range implies --exact)",
	  FLAG(exact) },
	{ OPT_SIZE, "size", required_argument, "SIZE", "bytes to allocate (K/M/G suffixes)",
	  SIZE(size, 1, 0), GIVEN(size_set), .why = "expected a size such as 512M or 1G",
	  .why_range = "too large" },
	{ OPT_NODE, "node", required_argument, "NODE", "node whose CPU first-touches the memory",
	  NODE(node, node_set), .why = "expected a node number (0-63)" },
	{ OPT_SEED, "seed", required_argument, "N", "pattern seed (default 42)",
	  U64(seed, 42), .why = "expected an unsigned integer" },
	{ OPT_THP, "thp", no_argument, NULL, "ask for transparent huge pages (MADV_HUGEPAGE)",
	  CONST(thp, 1, -1) },
	{ OPT_NO_THP, "no-thp", no_argument, NULL, "forbid transparent huge pages (MADV_NOHUGEPAGE)",
	  CONST(thp, 0, -1) },
	{ OPT_ACCESS_NODE, "access-node", required_argument, "NODE",
	  "run the access threads on this node",
	  NODE(access_node, access_set), .why = "expected a node number (0-63)" },
	{ OPT_THREADS, "threads", required_argument, "N",
	  "threads that keep reading and rewriting the region",
	  LONG(threads, 1, 256, 0), .why = "expected 1-256" },
	{ OPT_FORK_CHILD, "fork-child", no_argument, NULL,
	  "fork a child after filling, so pages are shared copy-on-write",
	  FLAG(fork_child) },
	{ OPT_BATCH, "batch", required_argument, "PAGES",
	  "pages per move_pages call (default 16384; 65536 with one job)",
	  LONG(batch, 1, 1L << 20, NM_BATCH_DEFAULT), GIVEN(batch_set), .why = "expected 1-1048576 pages" },
	{ OPT_JOBS, "jobs", required_argument, "N",
	  "parallel move_pages callers (default: online CPUs, at most 4)",
	  LONG(jobs, 1, 64, 0), .why = "expected 1-64" },
	{ OPT_MAX_STALL, "max-stall", required_argument, "MS",
	  "bound the target's page-touch stalls: move in small calls, sized from their measured "
	  "time, with a pause between them unless on CPUs of their own (move: default none; "
	  "auto: 5 on CPUs of its own, 2 beside the process's threads; 0: none)",
	  LONG(max_stall, 0, 1000, 0), GIVEN(max_stall_set), .why = "expected milliseconds, 0-1000" },
	{ OPT_NO_PROGRESS, "no-progress", no_argument, NULL, "no progress bar on stderr",
	  FLAG(no_progress) },
	{ OPT_NO_BPF, "no-bpf", no_argument, NULL, "do not load the migration tracepoint counters",
	  FLAG(no_bpf) },
	{ OPT_CHECK, "check", no_argument, NULL, "seed form: same as the check command",
	  FLAG(check) },
	{ OPT_MAN, "man", no_argument, NULL, "print the man page (roff)",
	  FLAG(man) },
	{ OPT_BASH, "bash-completion", no_argument, NULL, "print the bash completion script",
	  FLAG(bash) },
	{ OPT_DURATION, "duration", required_argument, "SECONDS",
	  "how long to run (trace: default 10; auto: default until the target exits; scan: "
	  "the CPU-time window, default 1); Ctrl-C ends early and still reports",
	  LONG(duration, 1, 86400, 10), GIVEN(duration_set),
	  .why = "expected whole seconds (1-86400)" },
	{ OPT_GRANULARITY, "granularity", required_argument, "SIZE",
	  "region size of the heat report, a power of two (default 2M)",
	  SIZE(granularity, 4096, 2ULL << 20), .check = check_pow2,
	  .why = "expected a power of two of at least 4K, such as 64K or 2M" },
	{ OPT_SVG, "svg", required_argument, "FILE", "also write an SVG heat map to FILE",
	  STRING(svg) },
	{ OPT_ENABLE_BALANCING, "enable-balancing", no_argument, NULL,
	  "turn kernel.numa_balancing on for the session and restore it afterwards "
	  "(hinting faults only exist while it is on)",
	  FLAG(enable_balancing) },
	{ OPT_EXPLAIN, "explain", no_argument, NULL,
	  "group the pages that did not land by cause (busy, shared, mlocked, node full, not "
	  "present, dirty file pages, cpuset) with the fix and example addresses; with "
	  "--dry-run, the diagnose findings that predict them",
	  FLAG(explain) },
	{ OPT_PIN_THREADS, "pin-threads", no_argument, NULL,
	  "first set every thread's CPU affinity to the target node's CPUs, so NUMA "
	  "balancing does not pull the pages back; reports the previous affinity and the "
	  "command that restores it",
	  FLAG(pin_threads) },
	{ OPT_WATCH, "watch", required_argument, "SECONDS",
	  "diagnose: after the findings, trace the kernel's migrations of the process's "
	  "pages for SECONDS (BPF, root) and attribute each page that left --to-node (any "
	  "node without it) to NUMA balancing, demotion, compaction, its own policy or "
	  "another process, with the fix; scan: repeat every SECONDS until Ctrl-C",
	  LONG(watch, 1, 86400, 0), .why = "expected whole seconds (1-86400)" },
	{ OPT_POLICY, "policy", required_argument, "bind",
	  "first confine the whole process to the target node: it moves into a child of "
	  "its cgroup (v2) whose cpuset.mems is the node, so the kernel moves its memory "
	  "there and keeps new and returning pages there; reports the command that undoes "
	  "it ('preferred' cannot be set on another process: see docs/move.md)",
	  STRING(policy), .check = check_policy, .why = "expected 'bind'" },
	{ OPT_INTERVAL, "interval", required_argument, "SECONDS",
	  "sample interval: decide and move once per interval (auto --pid: early when a burst of samples has settled; default 2)",
	  LONG(interval, 1, 3600, 2), .why = "expected whole seconds (1-3600)" },
	{ OPT_SHARE, "share", required_argument, "PCT",
	  "a region moves to node X only when X has at least PCT% of its samples (default 75)",
	  PERCENT(share, 0), FROM_POLICY(DOUBLE, share_pct), .check = check_majority,
	  .why = "expected a percentage above 50 and at most 100" },
	{ OPT_MIN_SAMPLES, "min-samples", required_argument, "N",
	  "fewer hinting-fault samples than N in an interval decide nothing (default 8)",
	  LONG(min_samples, 1, 1000000, 0), FROM_POLICY(U64, min_samples),
	  .why = "expected 1-1000000" },
	{ OPT_STABLE, "stable", required_argument, "K",
	  "the same node must win K consecutive intervals with evidence (default 2), or "
	  "one when the process's threads ran on that node all through it (see "
	  "--no-cpu-confirm)",
	  LONG(stable, 1, 1000, 0), FROM_POLICY(UINT, stable), .why = "expected 1-1000 intervals" },
	{ OPT_NO_CPU_CONFIRM, "no-cpu-confirm", no_argument, NULL,
	  "always wait for --stable intervals of evidence, even when at least --share of "
	  "the process's CPU time ran on the winning node all through the interval, "
	  "which otherwise confirms a node after one",
	  FLAG(no_cpu_confirm) },
	{ OPT_MOVER_ANY_CPU, "mover-any-cpu", no_argument, NULL,
	  "run paced moves (--max-stall) where numa-migrate runs, with pauses; by default "
	  "they run on the CPUs none of the process's working threads may run on (their "
	  "affinity), when there are such, without pauses",
	  FLAG(mover_any_cpu) },
	{ OPT_COOLDOWN, "cooldown", required_argument, "N",
	  "a region or mapping moved is not moved again for N intervals (default 5)",
	  LONG(cooldown, 0, 100000, 0), FROM_POLICY(UINT, cooldown),
	  .why = "expected 0-100000 intervals" },
	{ OPT_RESERVE, "reserve", required_argument, "SIZE",
	  "never fill a node below SIZE of free memory (default 256M)",
	  SIZE(reserve, 0, 0), FROM_POLICY(U64, reserve_bytes),
	  .why = "expected a size such as 0, 64M or 1G" },
	{ OPT_MAX_RATE, "max-rate", required_argument, "MB/s",
	  "cap on migration bandwidth in MB/s (MiB), paced by a token bucket; 0: no cap (default 0)",
	  LONG(max_rate, 0, 1000000, 0), .why = "expected MB/s, 0-1000000 (0: no cap)" },
	{ OPT_MAPPING_QUORUM, "mapping-quorum", required_argument, "N",
	  "move a whole mapping when N of its sampled regions agree on a node and none "
	  "disagrees (default 2; 0: only sampled regions move)",
	  LONG(mapping_quorum, 0, 1000000, 0), FROM_POLICY(UINT, mapping_quorum),
	  .why = "expected a region count (0: off)" },
	{ OPT_DEMOTE_COLD, "demote-cold", required_argument, "N",
	  "move regions without samples for N intervals in which the process had samples "
	  "to the nearest memory-only node (default 0: off)",
	  LONG(demote_cold, 0, 100000, 0), FROM_POLICY(UINT, demote_cold),
	  .why = "expected 0-100000 intervals (0: off)" },
	{ OPT_COLD_SENSOR, "cold-sensor", required_argument, "auto|damon|faults",
	  "what tells --demote-cold that memory is cold: DAMON's access sampling, hinting "
	  "faults, or auto (DAMON where usable, else faults; default auto)",
	  STRING(cold_sensor), .check = check_cold_sensor,
	  .why = "expected auto, damon or faults" },
	{ OPT_LOG, "log", required_argument, "FILE",
	  "append every decision and interval as a JSON line to FILE",
	  STRING(log) },
	{ OPT_METRICS, "metrics", required_argument, "FILE",
	  "write Prometheus textfile metrics to FILE every interval (atomically)",
	  STRING(metrics) },
	{ OPT_PID_FILE, "pid-file", required_argument, "FILE", "write our process id to FILE",
	  STRING(pid_file) },
	{ OPT_DAEMON, "daemon", no_argument, NULL,
	  "detach into the background (new session; standard streams to /dev/null, so "
	  "pair it with --log and --pid-file; under systemd run without it)",
	  FLAG(daemon) },
	{ OPT_CGROUP, "cgroup", required_argument, "PATH",
	  "only processes in this cgroup v2 or below it (a path under the cgroup2 mount, "
	  "or /X relative to it)", STRING(cgroup) },
	{ OPT_MIN_SIZE, "min-size", required_argument, "SIZE",
	  "only processes with at least SIZE resident (default 64M)",
	  SIZE(min_size, 0, 64ULL << 20), .why = "expected a size such as 64M or 1G (0: every process)" },
	{ OPT_SORT, "sort", required_argument, "KEY",
	  "rank by remote (bytes on nodes none of its CPU time ran on; the default), rss, "
	  "cpu, locality or pid", STRING(sort) },
	{ OPT_TOP, "top", required_argument, "N",
	  "--metrics: per-process series for the N worst-placed processes only (default 20)",
	  LONG(top, 0, 100000, 20), .why = "expected 0-100000" },
	{ OPT_EXCLUDE, "exclude", required_argument, "PID,...",
	  "auto --all: leave these processes alone", STRING(exclude) },
	{ OPT_SPREAD, "spread", required_argument, "WHERE=SPREAD",
	  "auto: keep WHERE (a --range form, or an address: its whole mapping) spread by "
	  "node:weight pairs (0:3,2:1), re-applied when a node's share drifts more than 1 point; "
	  "the policy leaves it alone (repeatable)",
	  LIST(spread), .why = "given too often: at most 16 spreads" },
	{ OPT_HELP, "help", no_argument, NULL, "show this help", .kind = NM_OPT_PARSER },
};
const size_t nm_noptdefs = NM_ARRAY_SIZE(nm_optdefs);

const struct nm_optdef *nm_opt_find(enum nm_optid id)
{
	for (size_t i = 0; i < nm_noptdefs; i++)
		if (nm_optdefs[i].id == id)
			return &nm_optdefs[i];
	return NULL;
}

static const enum nm_optid seed_opts[] = {
	OPT_PID, OPT_TO_NODE, OPT_RANGE, OPT_FROM_NODE, OPT_ALL, OPT_VERIFY,
	OPT_MIN_VERIFIED, OPT_DRY_RUN, OPT_JSON, OPT_CSV, OPT_BY_MAPPING, OPT_BATCH,
	OPT_JOBS, OPT_NO_PROGRESS, OPT_NO_BPF, OPT_CHECK, OPT_NONE
};
const struct nm_cmddef nm_seed_cmd = {
	"move", "seed form", "numa-migrate --pid P [--range R] --to-node N [--verify] | --check",
	seed_opts, NULL, true
};

/*
 * Pairs of options a form accepts that make no sense together: one would be
 * silently ignored, or they contradict. A rule is checked only in a form that
 * offers both options.
 */
const struct nm_optrule nm_optrules[] = {
	{ OPT_MAN, OPT_BASH, false, "help prints one document at a time" },
	{ OPT_JSON, OPT_CSV, false, "a report has one format" },
	{ OPT_THP, OPT_NO_THP, false, "they ask for opposite things" },
	/* the seed form with --check is the check command: move's options
	 * would be ignored */
#define SEED_CHECK "with --check the seed form only counts pages, as 'numa-migrate check' does"
	{ OPT_CHECK, OPT_TO_NODE, false, SEED_CHECK },
	{ OPT_CHECK, OPT_FROM_NODE, false, SEED_CHECK },
	{ OPT_CHECK, OPT_ALL, false, SEED_CHECK },
	{ OPT_CHECK, OPT_VERIFY, false, SEED_CHECK },
	{ OPT_CHECK, OPT_MIN_VERIFIED, false, SEED_CHECK },
	{ OPT_CHECK, OPT_DRY_RUN, false, SEED_CHECK },
	{ OPT_CHECK, OPT_NO_BPF, false, SEED_CHECK },
	{ OPT_BY_MAPPING, OPT_CHECK, true, "the move form has no per-mapping breakdown" },
	/* check reads numa_maps unless --exact: the query's tuning would be ignored */
	{ OPT_BATCH, OPT_EXACT, true, "it sizes the page-exact query's calls" },
	{ OPT_JOBS, OPT_EXACT, true, "it sets the page-exact query's callers" },
	/* a dry run moves nothing, so there is nothing to verify or trace, and
	 * it must not change the process */
	{ OPT_DRY_RUN, OPT_VERIFY, false, "a dry run moves nothing, so nothing is verified" },
	{ OPT_DRY_RUN, OPT_NO_BPF, false, "a dry run loads no BPF anyway" },
	{ OPT_DRY_RUN, OPT_PIN_THREADS, false,
	  "--pin-threads changes the process, which a --dry-run must not do" },
	{ OPT_DRY_RUN, OPT_POLICY, false,
	  "--policy changes the process, which a --dry-run must not do" },
	{ OPT_MIN_VERIFIED, OPT_VERIFY, true, "it is the threshold of --verify's check" },
	/* the helper's access threads: how many and where */
	{ OPT_THREADS, OPT_ACCESS_NODE, true, "the threads run on that node" },
	{ OPT_ACCESS_NODE, OPT_THREADS, true, "it places the access threads, none without it" },
	{ OPT_EXCLUDE, OPT_ALL, true, "it leaves processes out of --all" },
	{ OPT_CGROUP, OPT_ALL, true, "it narrows --all to a cgroup" },
	{ OPT_COLD_SENSOR, OPT_DEMOTE_COLD, true, "it picks how --demote-cold tells cold memory" },
	{ OPT_MIN_SIZE, OPT_ALL, true, "it narrows --all to large processes" },
	{ OPT_TOP, OPT_ALL, true, "it bounds the per-process metrics of --all" },
	{ OPT_SPREAD, OPT_ALL, false,
	  "a spread names addresses, which belong to one process: use auto --pid P --spread" },
	{ OPT_DAEMON, OPT_JSON, false,
	  "a daemon's standard output is /dev/null, so the report would be lost (use --log FILE)" },
};
#undef SEED_CHECK
const size_t nm_noptrules = NM_ARRAY_SIZE(nm_optrules);
