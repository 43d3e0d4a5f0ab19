// SPDX-License-Identifier: GPL-2.0
/* The command table: names, help text, options and handlers, in one place. */
#include <stdio.h>
#include "cmds.h"
#include "helper.h"

static const enum nm_optid check_opts[] = {
	OPT_PID, OPT_RANGE, OPT_BY_MAPPING, OPT_EXACT, OPT_JSON, OPT_CSV, OPT_BATCH, OPT_JOBS,
	OPT_NO_PROGRESS, OPT_NONE
};
static const enum nm_optid move_opts[] = {
	OPT_PID, OPT_TO_NODE, OPT_RANGE, OPT_FROM_NODE, OPT_ALL, OPT_VERIFY,
	OPT_MIN_VERIFIED, OPT_DRY_RUN, OPT_JSON, OPT_CSV, OPT_BATCH, OPT_JOBS,
	OPT_NO_PROGRESS, OPT_NO_BPF, OPT_EXPLAIN, OPT_PIN_THREADS, OPT_POLICY, OPT_MAX_STALL,
	OPT_MOVER_ANY_CPU, OPT_NONE
};
static const enum nm_optid diagnose_opts[] = {
	OPT_PID, OPT_TO_NODE, OPT_RANGE, OPT_ALL, OPT_WATCH, OPT_JSON, OPT_BATCH, OPT_JOBS,
	OPT_NO_PROGRESS, OPT_NONE
};
static const enum nm_optid helper_opts[] = {
	OPT_SIZE, OPT_NODE, OPT_SEED, OPT_THP, OPT_NO_THP, OPT_ACCESS_NODE, OPT_THREADS,
	OPT_FORK_CHILD, OPT_NONE
};
static const enum nm_optid trace_opts[] = {
	OPT_PID, OPT_DURATION, OPT_GRANULARITY, OPT_RANGE, OPT_JSON, OPT_CSV, OPT_SVG,
	OPT_ENABLE_BALANCING, OPT_NO_PROGRESS, OPT_NONE
};
static const enum nm_optid auto_opts[] = {
	OPT_PID, OPT_INTERVAL, OPT_DURATION, OPT_RANGE, OPT_GRANULARITY, OPT_SHARE,
	OPT_MIN_SAMPLES, OPT_STABLE, OPT_COOLDOWN, OPT_RESERVE, OPT_MAX_RATE,
	OPT_MAPPING_QUORUM, OPT_DEMOTE_COLD, OPT_DRY_RUN, OPT_LOG, OPT_JSON, OPT_METRICS,
	OPT_ENABLE_BALANCING, OPT_DAEMON, OPT_PID_FILE, OPT_BATCH, OPT_JOBS, OPT_ALL,
	OPT_CGROUP, OPT_MIN_SIZE, OPT_EXCLUDE, OPT_TOP, OPT_MAX_STALL,
	OPT_SPREAD, OPT_COLD_SENSOR, OPT_NO_CPU_CONFIRM, OPT_MOVER_ANY_CPU, OPT_NONE
};
static const enum nm_optid scan_opts[] = {
	OPT_CGROUP, OPT_MIN_SIZE, OPT_DURATION, OPT_SORT, OPT_WATCH, OPT_JSON, OPT_CSV,
	OPT_METRICS, OPT_TOP, OPT_NONE
};
static const enum nm_optid features_opts[] = { OPT_JSON, OPT_NONE };
static const enum nm_optid help_opts[] = { OPT_MAN, OPT_BASH, OPT_NONE };

const struct nm_cmddef nm_cmds[] = {
	{ "check", "show which NUMA nodes a process's pages are on",
	  "Counts the pages of the process per node from one read of /proc/PID/numa_maps "
	  "(as numastat -p does); with --exact (implied by --range) counts every page with "
	  "move_pages(2) in query mode, cross-checks the counts against numa_maps and says "
	  "by how much they differ. --by-mapping breaks them down per mapping.",
	  check_opts, nm_cmd_check, false },
	{ "move", "move a process's pages to a node and verify they stay",
	  "Moves the pages of the process (or of --range) to --to-node with move_pages(2) "
	  "in batches, skipping pages not present or already there, one address per THP, "
	  "retrying busy pages; reports every page's fate by errno, bytes, time and "
	  "throughput; --verify re-queries every page and numa_maps, --verify=S checks "
	  "again after S seconds and reports pages that drifted away and where to.",
	  move_opts, nm_cmd_move, false },
	{ "diagnose", "say what will keep a move from succeeding or from staying, and the fix",
	  "A preflight for a move of the process (or of --range) to --to-node: the caller's "
	  "privileges (root, CAP_SYS_NICE, CAP_BPF/CAP_PERFMON, ptrace access), kernel BTF "
	  "and tracefs, kernel.numa_balancing, the process's cpuset, the memory policies of "
	  "its mappings (numa_maps), where its threads may run and last ran, free memory on "
	  "the target against what would move, pages shared with other processes (pagemap), "
	  "mlocked memory (smaps), pages not present, and THP settings. Each finding says "
	  "whether it blocks the move and what to do. --watch S then traces for S seconds "
	  "who moves the process's pages and why. Exits 0 when nothing blocks, 2 when "
	  "a missing privilege does, 3 when something else does or --watch cannot trace.",
	  diagnose_opts, nm_cmd_diagnose, false },
	{ "helper", "run a deterministic test process with a known memory layout",
	  "Allocates --size bytes, first-touches them from a CPU of --node, fills them with "
	  "a pattern derived from --seed, prints 'HELPER pid=P start=0xA len=N ...', and "
	  "waits. SIGUSR1 checks the pattern ('VERIFY ok ...' or 'VERIFY FAILED ...'); "
	  "SIGTERM checks it and exits 0 when intact, 1 when any byte changed. With "
	  "--threads T --access-node M, T threads on node M keep reading and rewriting the "
	  "region.",
	  helper_opts, nm_helper_run, false },
	{ "trace", "profile which nodes touch which parts of a process's memory",
	  "Attaches CO-RE BPF programs filtered to the process: NUMA hinting faults "
	  "(the accessing CPU's node and the page's node, per address region, aggregated "
	  "in the kernel) and the kernel's page migrations by reason. After --duration "
	  "seconds (or Ctrl-C) it joins them with where each region's pages are now and "
	  "reports, per region: pages by node, accesses by node, the dominant accessor, "
	  "misplaced pages, and how many samples the report rests on and how many were "
	  "dropped. Hinting faults exist only while kernel.numa_balancing is on. --csv "
	  "writes pure CSV to stdout (a header line, one row per region) and the summary "
	  "and warnings to stderr.",
	  trace_opts, nm_cmd_trace, false },
	{ "auto", "move memory to the nodes that use it, continuously, and explain why",
	  "Every --interval seconds reads the NUMA hinting faults of the process per "
	  "--granularity region (BPF, as trace does), decides per region and per mapping "
	  "where it belongs (a node with at least --share of the samples, at least "
	  "--min-samples of them, for --stable intervals in a row, or one when its "
	  "threads stayed on that node all through it; never outside the "
	  "process's cpuset, never below --reserve free memory, not again within "
	  "--cooldown intervals), moves it with move_pages(2) in batches under --max-rate, "
	  "and verifies by re-query and by the migrate tracepoint. Without --range it "
	  "manages anonymous memory, the heap and the stack. --dry-run only decides; "
	  "--log FILE records every decision with its evidence and result as JSON lines. "
	  "Ends at --duration, when the process exits, or on SIGINT/SIGTERM, with a report "
	  "of pages moved by it and by the kernel and the share of local accesses before "
	  "and after. Needs root and kernel.numa_balancing on (--enable-balancing turns "
	  "it on for the session). --all manages every process of at least --min-size "
	  "(or of --cgroup, without --exclude) with one set of BPF programs, picking up "
	  "new processes and dropping exited ones each interval, and reports per process "
	  "and in total. Each managed process is locked under /run/numa-migrate: a second "
	  "auto on it exits 1 naming the first.",
	  auto_opts, nm_cmd_auto, false },
	{ "features", "show which tracing hooks this kernel offers and what is lost without them",
	  "Loads and attaches each BPF hook numa-migrate uses (needs root), trying each "
	  "hook's attach methods in the order the tracer tries them (the hook table; the "
	  "report lists the order). For each hook it says "
	  "attached, fell back to what, or missing with the reason and the data lost; "
	  "hooks of later versions are listed as available or absent in this kernel's BTF.",
	  features_opts, nm_cmd_features, false },
	{ "scan", "find the processes whose memory sits away from where their threads run",
	  "For every process (or those of --cgroup, with at least --min-size resident): its "
	  "resident memory by node from /proc/PID/numa_maps (as numastat -p reads it), where "
	  "its threads ran over --duration seconds (default 1; per-thread CPU time sampled "
	  "every quarter second and charged to the node of the CPU each thread was on), the "
	  "bytes on nodes where none of that time ran (remote), and the command that fixes it: "
	  "a move to the node with at least 90% of its CPU time, else auto. Worst placed "
	  "first (--sort). --watch S repeats every S seconds (redrawn in place on a terminal, "
	  "one report after another otherwise); --metrics FILE writes Prometheus textfile "
	  "metrics. Processes it could not read are named with the reason.",
	  scan_opts, nm_cmd_scan, false },
	{ "help", "show help, the man page or the bash completion",
	  "Without options prints the command list; --man prints numa-migrate(8) as roff; "
	  "--bash-completion prints the completion script.",
	  help_opts, nm_cmd_help, false },
};
const size_t nm_ncmds = NM_ARRAY_SIZE(nm_cmds);

int nm_cmd_help(struct nm_args *a)
{
	if (a->man)
		nm_help_man(stdout, nm_cmds, nm_ncmds);
	else if (a->bash)
		nm_help_bash(stdout, nm_cmds, nm_ncmds);
	else
		nm_help_usage(stdout, nm_cmds, nm_ncmds);
	return 0;
}
