// SPDX-License-Identifier: GPL-2.0
/*
 * Options: one table drives getopt_long, --help, the man page and bash
 * completion, so they cannot disagree.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "errors.h"
#include "parse.h"
#include "policy.h"

const struct nm_optdef nm_optdefs[] = {
	{ OPT_PID, "pid", required_argument, "PID", "target process id" },
	{ OPT_RANGE, "range", required_argument, "RANGE",
	  "START-END, START+LEN, heap, stack, anon, a file path, or SIZE (the first "
	  "SIZE bytes of the largest anonymous mapping); default: every mapping" },
	{ OPT_TO_NODE, "to-node", required_argument, "NODE", "node to move pages to" },
	{ OPT_FROM_NODE, "from-node", required_argument, "LIST",
	  "only move pages now on these nodes (e.g. 0,2-3)" },
	{ OPT_ALL, "all", no_argument, NULL,
	  "also move pages shared with other processes (MPOL_MF_MOVE_ALL, needs CAP_SYS_NICE)" },
	{ OPT_VERIFY, "verify", optional_argument, "SECONDS",
	  "re-query every page and numa_maps after the move; with SECONDS, check again "
	  "after that long and report drift" },
	{ OPT_MIN_VERIFIED, "min-verified", required_argument, "PCT",
	  "exit 3 when less than PCT% of present pages are on the target (default 90)" },
	{ OPT_DRY_RUN, "dry-run", no_argument, NULL, "only query and say what would move" },
	{ OPT_JSON, "json", no_argument, NULL, "JSON output" },
	{ OPT_CSV, "csv", no_argument, NULL, "CSV output" },
	{ OPT_BY_MAPPING, "by-mapping", no_argument, NULL, "also break counts down per mapping" },
	{ OPT_SIZE, "size", required_argument, "SIZE", "bytes to allocate (K/M/G suffixes)" },
	{ OPT_NODE, "node", required_argument, "NODE", "node whose CPU first-touches the memory" },
	{ OPT_SEED, "seed", required_argument, "N", "pattern seed (default 42)" },
	{ OPT_THP, "thp", no_argument, NULL, "ask for transparent huge pages (MADV_HUGEPAGE)" },
	{ OPT_NO_THP, "no-thp", no_argument, NULL, "forbid transparent huge pages (MADV_NOHUGEPAGE)" },
	{ OPT_ACCESS_NODE, "access-node", required_argument, "NODE",
	  "run the access threads on this node" },
	{ OPT_THREADS, "threads", required_argument, "N",
	  "threads that keep reading and rewriting the region" },
	{ OPT_FORK_CHILD, "fork-child", no_argument, NULL,
	  "fork a child after filling, so pages are shared copy-on-write" },
	{ OPT_BATCH, "batch", required_argument, "PAGES",
	  "pages per move_pages call (default 16384)" },
	{ OPT_JOBS, "jobs", required_argument, "N",
	  "parallel move_pages callers (default: online CPUs, at most 4)" },
	{ OPT_NO_PROGRESS, "no-progress", no_argument, NULL, "no progress bar on stderr" },
	{ OPT_NO_BPF, "no-bpf", no_argument, NULL, "do not load the migration tracepoint counters" },
	{ OPT_CHECK, "check", no_argument, NULL, "seed form: same as the check command" },
	{ OPT_MAN, "man", no_argument, NULL, "print the man page (roff)" },
	{ OPT_BASH, "bash-completion", no_argument, NULL, "print the bash completion script" },
	{ OPT_DURATION, "duration", required_argument, "SECONDS",
	  "how long to run (trace: default 10; auto: default until the target exits); "
	  "Ctrl-C ends early and still reports" },
	{ OPT_GRANULARITY, "granularity", required_argument, "SIZE",
	  "region size of the heat report, a power of two (default 2M)" },
	{ OPT_SVG, "svg", required_argument, "FILE", "also write an SVG heat map to FILE" },
	{ OPT_ENABLE_BALANCING, "enable-balancing", no_argument, NULL,
	  "turn kernel.numa_balancing on for the session and restore it afterwards "
	  "(hinting faults only exist while it is on)" },
	{ OPT_EXPLAIN, "explain", no_argument, NULL,
	  "group the pages that did not land by cause (busy, shared, mlocked, node full, not "
	  "present, dirty file pages, cpuset) with the fix and example addresses; with "
	  "--dry-run, the diagnose findings that predict them" },
	{ OPT_PIN_THREADS, "pin-threads", no_argument, NULL,
	  "first set every thread's CPU affinity to the target node's CPUs, so NUMA "
	  "balancing does not pull the pages back; reports the previous affinity and the "
	  "command that restores it" },
	{ OPT_WATCH, "watch", required_argument, "SECONDS",
	  "after the findings, trace the kernel's migrations of the process's pages for "
	  "SECONDS (BPF, root) and attribute each page that left --to-node (any node "
	  "without it) to NUMA balancing, demotion, compaction, its own policy or another "
	  "process, with the fix" },
	{ OPT_POLICY, "policy", required_argument, "bind",
	  "first confine the whole process to the target node: it moves into a child of "
	  "its cgroup (v2) whose cpuset.mems is the node, so the kernel moves its memory "
	  "there and keeps new and returning pages there; reports the command that undoes "
	  "it ('preferred' cannot be set on another process: see the README)" },
	{ OPT_INTERVAL, "interval", required_argument, "SECONDS",
	  "sample interval: decide and move once per interval (default 2)" },
	{ OPT_SHARE, "share", required_argument, "PCT",
	  "a region moves to node X only when X has at least PCT% of its samples (default 75)" },
	{ OPT_MIN_SAMPLES, "min-samples", required_argument, "N",
	  "fewer hinting-fault samples than N in an interval decide nothing (default 8)" },
	{ OPT_STABLE, "stable", required_argument, "K",
	  "the same node must win K consecutive intervals with evidence (default 2)" },
	{ OPT_COOLDOWN, "cooldown", required_argument, "N",
	  "a region or mapping moved is not moved again for N intervals (default 5)" },
	{ OPT_RESERVE, "reserve", required_argument, "SIZE",
	  "never fill a node below SIZE of free memory (default 256M)" },
	{ OPT_MAX_RATE, "max-rate", required_argument, "MB/s",
	  "cap on migration bandwidth in MB/s (MiB), paced by a token bucket; 0: no cap (default 0)" },
	{ OPT_MAPPING_QUORUM, "mapping-quorum", required_argument, "N",
	  "move a whole mapping when N of its sampled regions agree on a node and none "
	  "disagrees (default 2; 0: only sampled regions move)" },
	{ OPT_DEMOTE_COLD, "demote-cold", required_argument, "N",
	  "move regions without samples for N intervals in which the process had samples "
	  "to the nearest memory-only node (default 0: off)" },
	{ OPT_LOG, "log", required_argument, "FILE",
	  "append every decision and interval as a JSON line to FILE" },
	{ OPT_METRICS, "metrics", required_argument, "FILE",
	  "write Prometheus textfile metrics to FILE every interval (atomically)" },
	{ OPT_PID_FILE, "pid-file", required_argument, "FILE", "write our process id to FILE" },
	{ OPT_DAEMON, "daemon", no_argument, NULL,
	  "detach into the background (new session; standard streams to /dev/null, so "
	  "pair it with --log and --pid-file; under systemd run without it)" },
	{ OPT_HELP, "help", no_argument, NULL, "show this help" },
};
const size_t nm_noptdefs = NM_ARRAY_SIZE(nm_optdefs);

const char nm_exit_codes_text[] =
	"0  success\n"
	"1  invalid arguments, or process not found\n"
	"2  permission denied (the message names the missing privilege: CAP_SYS_NICE, ptrace access)\n"
	"3  migration failure: pages busy or failed for a reason other than already on the "
	"target or not present, verification below --min-verified, the target exited "
	"during the move (partial report), or a thread refused --pin-threads; for diagnose: "
	"a finding blocks the move\n"
	"4  auto only: nothing to act on here: this host has a single NUMA node, or this kernel "
	"offers no hook that attributes NUMA hinting faults to addresses (see 'numa-migrate "
	"features')\n";

const struct nm_optdef *nm_opt_find(enum nm_optid id)
{
	for (size_t i = 0; i < nm_noptdefs; i++)
		if (nm_optdefs[i].id == id)
			return &nm_optdefs[i];
	return NULL;
}

void nm_args_init(struct nm_args *a)
{
	struct nm_policy_opts po;

	memset(a, 0, sizeof(*a));
	a->verify_s = -1;
	a->min_verified = 90.0;
	a->seed = 42;
	a->thp = -1;
	a->threads = 0;
	a->batch = 16384;
	a->jobs = 0;
	a->to_node = -1;
	a->node = -1;
	a->access_node = -1;
	a->duration = 10;
	a->granularity = 2ULL << 20;
	a->interval = 2;
	/* auto's policy knobs: policy.c holds their defaults */
	nm_policy_opts_default(&po);
	a->share = po.share_pct;
	a->min_samples = (long)po.min_samples;
	a->stable = po.stable;
	a->cooldown = po.cooldown;
	a->mapping_quorum = po.mapping_quorum;
	a->demote_cold = po.demote_cold;
	a->reserve = po.reserve_bytes;
}

static int bad(const char *opt, const char *val, const char *why)
{
	nm_error("invalid --%s '%s': %s", opt, val, why);
	return -EINVAL;
}

static int set_opt(struct nm_args *a, const struct nm_optdef *d, const char *v)
{
	long l;
	int r;

	switch (d->id) {
	case OPT_PID:
		if (nm_parse_pid(v, &a->pid))
			return bad(d->name, v, "expected a process id (1-4194304)");
		a->pid_set = true;
		break;
	case OPT_RANGE:
		a->range = v;
		break;
	case OPT_TO_NODE:
		if (nm_parse_node(v, &a->to_node))
			return bad(d->name, v, "expected a node number (0-63)");
		a->to_node_set = true;
		break;
	case OPT_FROM_NODE:
		r = nm_parse_nodelist(v, &a->from);
		if (r)
			return bad(d->name, v, r == -ERANGE ? "node number out of range (0-63)" :
				   "expected a node list such as 0 or 0,2-3");
		a->from_set = true;
		break;
	case OPT_ALL: a->all = true; break;
	case OPT_VERIFY:
		a->verify = true;
		if (v) {
			if (nm_parse_long(v, 1, 86400, &l))
				return bad(d->name, v, "expected whole seconds (1-86400)");
			a->verify_s = l;
		}
		break;
	case OPT_MIN_VERIFIED:
		if (nm_parse_percent(v, &a->min_verified))
			return bad(d->name, v, "expected a percentage 0-100");
		break;
	case OPT_DRY_RUN: a->dry_run = true; break;
	case OPT_JSON: a->json = true; nm_errors_set_json(true); break;
	case OPT_CSV: a->csv = true; break;
	case OPT_BY_MAPPING: a->by_mapping = true; break;
	case OPT_SIZE:
		r = nm_parse_size(v, &a->size);
		if (r || a->size == 0)
			return bad(d->name, v, r == -ERANGE ? "too large" :
				   "expected a size such as 512M or 1G");
		a->size_set = true;
		break;
	case OPT_NODE:
		if (nm_parse_node(v, &a->node))
			return bad(d->name, v, "expected a node number (0-63)");
		a->node_set = true;
		break;
	case OPT_SEED:
		if (nm_parse_u64(v, &a->seed))
			return bad(d->name, v, "expected an unsigned integer");
		break;
	case OPT_THP: a->thp = 1; break;
	case OPT_NO_THP: a->thp = 0; break;
	case OPT_ACCESS_NODE:
		if (nm_parse_node(v, &a->access_node))
			return bad(d->name, v, "expected a node number (0-63)");
		a->access_set = true;
		break;
	case OPT_THREADS:
		if (nm_parse_long(v, 1, 256, &a->threads))
			return bad(d->name, v, "expected 1-256");
		break;
	case OPT_FORK_CHILD: a->fork_child = true; break;
	case OPT_BATCH:
		if (nm_parse_long(v, 1, 1L << 20, &a->batch))
			return bad(d->name, v, "expected 1-1048576 pages");
		break;
	case OPT_JOBS:
		if (nm_parse_long(v, 1, 64, &a->jobs))
			return bad(d->name, v, "expected 1-64");
		break;
	case OPT_NO_PROGRESS: a->no_progress = true; break;
	case OPT_NO_BPF: a->no_bpf = true; break;
	case OPT_CHECK: a->check = true; break;
	case OPT_MAN: a->man = true; break;
	case OPT_DURATION:
		if (nm_parse_long(v, 1, 86400, &a->duration))
			return bad(d->name, v, "expected whole seconds (1-86400)");
		a->duration_set = true;
		break;
	case OPT_INTERVAL:
		if (nm_parse_long(v, 1, 3600, &a->interval))
			return bad(d->name, v, "expected whole seconds (1-3600)");
		break;
	case OPT_SHARE:
		if (nm_parse_percent(v, &a->share) || a->share <= 50.0)
			return bad(d->name, v, "expected a percentage above 50 and at most 100");
		break;
	case OPT_MIN_SAMPLES:
		if (nm_parse_long(v, 1, 1000000, &a->min_samples))
			return bad(d->name, v, "expected 1-1000000");
		break;
	case OPT_STABLE:
		if (nm_parse_long(v, 1, 1000, &a->stable))
			return bad(d->name, v, "expected 1-1000 intervals");
		break;
	case OPT_COOLDOWN:
		if (nm_parse_long(v, 0, 100000, &a->cooldown))
			return bad(d->name, v, "expected 0-100000 intervals");
		break;
	case OPT_RESERVE:
		if (nm_parse_size(v, &a->reserve))
			return bad(d->name, v, "expected a size such as 0, 64M or 1G");
		break;
	case OPT_MAX_RATE:
		if (nm_parse_long(v, 0, 1000000, &a->max_rate))
			return bad(d->name, v, "expected MB/s, 0-1000000 (0: no cap)");
		break;
	case OPT_MAPPING_QUORUM:
		if (nm_parse_long(v, 0, 1000000, &a->mapping_quorum))
			return bad(d->name, v, "expected a region count (0: off)");
		break;
	case OPT_DEMOTE_COLD:
		if (nm_parse_long(v, 0, 100000, &a->demote_cold))
			return bad(d->name, v, "expected 0-100000 intervals (0: off)");
		break;
	case OPT_LOG: a->log = v; break;
	case OPT_METRICS: a->metrics = v; break;
	case OPT_PID_FILE: a->pid_file = v; break;
	case OPT_DAEMON: a->daemon = true; break;
	case OPT_GRANULARITY:
		r = nm_parse_size(v, &a->granularity);
		if (r || a->granularity < 4096 || (a->granularity & (a->granularity - 1)))
			return bad(d->name, v, "expected a power of two of at least 4K, such as 64K or 2M");
		break;
	case OPT_SVG: a->svg = v; break;
	case OPT_ENABLE_BALANCING: a->enable_balancing = true; break;
	case OPT_BASH: a->bash = true; break;
	case OPT_EXPLAIN: a->explain = true; break;
	case OPT_PIN_THREADS: a->pin_threads = true; break;
	case OPT_POLICY:
		if (!strcmp(v, "preferred"))
			return bad(d->name, v, "a preferred policy can only be set by the process "
				   "itself (start it under 'numactl --preferred=N'); --pin-threads "
				   "makes its new pages local to the node, --policy bind confines it");
		if (strcmp(v, "bind"))
			return bad(d->name, v, "expected 'bind'");
		a->policy = v;
		break;
	case OPT_WATCH:
		if (nm_parse_long(v, 1, 86400, &a->watch))
			return bad(d->name, v, "expected whole seconds (1-86400)");
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static size_t count_opts(const struct nm_cmddef *cmd)
{
	size_t n = 0;

	while (cmd->opts[n] != OPT_NONE)
		n++;
	return n;
}

int nm_cli_parse(const struct nm_cmddef *cmd, int argc, char **argv, struct nm_args *a)
{
	size_t n = count_opts(cmd);
	struct option *lo = calloc(n + 2, sizeof(*lo));
	int c, err = 0;

	if (!lo)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct nm_optdef *d = nm_opt_find(cmd->opts[i]);

		lo[i] = (struct option){ d->name, d->has_arg, NULL, d->id };
	}
	lo[n] = (struct option){ "help", no_argument, NULL, OPT_HELP };
	a->cmd = cmd;
	/* --json anywhere asks for JSON errors, even for an argument before it */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--json"))
			nm_errors_set_json(true);
	optind = 0;	/* 0, not 1: glibc then resets its state fully (e.g. "-xh") */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", lo, NULL)) != -1) {
		const struct nm_optdef *d;

		if (c == 'h' || c == OPT_HELP) {
			nm_help_cmd(stdout, cmd);
			err = 1;	/* caller exits 0 */
			break;
		}
		if (c == '?' || c == ':') {
			if (optopt && optopt < 256)
				nm_error("%s: unknown option '-%c'; see 'numa-migrate %s --help'",
					 cmd->name, optopt, cmd->name);
			else if (optopt)
				nm_error("%s: option '%s' needs an argument; see 'numa-migrate %s --help'",
					 cmd->name, argv[optind - 1], cmd->name);
			else
				nm_error("%s: unknown option '%s' (or an ambiguous abbreviation); see 'numa-migrate %s --help'",
					 cmd->name, argv[optind - 1], cmd->name);
			err = -EINVAL;
			break;
		}
		d = nm_opt_find((enum nm_optid)c);
		err = d ? set_opt(a, d, optarg) : -EINVAL;
		if (err)
			break;
	}
	if (!err && optind < argc) {
		nm_error("%s: unexpected argument '%s'; see 'numa-migrate %s --help'",
			 cmd->name, argv[optind], cmd->name);
		err = -EINVAL;
	}
	free(lo);
	return err;
}

/* ---- generators --------------------------------------------------------- */

static void opt_synopsis(char *buf, size_t len, const struct nm_optdef *d)
{
	if (d->has_arg == required_argument)
		snprintf(buf, len, "--%s %s", d->name, d->argname);
	else if (d->has_arg == optional_argument)
		snprintf(buf, len, "--%s[=%s]", d->name, d->argname);
	else
		snprintf(buf, len, "--%s", d->name);
}

void nm_help_usage(FILE *f, const struct nm_cmddef *cmds, size_t n)
{
	fprintf(f, "Usage: numa-migrate COMMAND [OPTIONS]\n"
		"       numa-migrate --pid PID --range RANGE --to-node N [--verify]  (seed form of move)\n"
		"       numa-migrate --pid PID --check                              (seed form of check)\n"
		"       numa-migrate --version\n\n"
		"Shows where a process's memory lives across NUMA nodes, moves it, and proves\n"
		"the move held.\n\nCommands:\n");
	for (size_t i = 0; i < n; i++)
		if (!cmds[i].hidden)
			fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\nRun 'numa-migrate COMMAND --help' for a command's options.\n\n"
		"Exit codes:\n");
	for (const char *p = nm_exit_codes_text; *p;) {
		const char *e = strchr(p, '\n');

		fprintf(f, "  %.*s\n", (int)(e - p), p);
		p = e + 1;
	}
}

void nm_help_cmd(FILE *f, const struct nm_cmddef *cmd)
{
	char syn[64];

	fprintf(f, "Usage: numa-migrate %s [OPTIONS]\n\n%s\n\n%s\n\nOptions:\n", cmd->name,
		cmd->summary, cmd->description);
	for (size_t i = 0; cmd->opts[i] != OPT_NONE; i++) {
		const struct nm_optdef *d = nm_opt_find(cmd->opts[i]);

		opt_synopsis(syn, sizeof(syn), d);
		fprintf(f, "  %-26s %s\n", syn, d->help);
	}
	fprintf(f, "  %-26s %s\n\nExit codes:\n%s", "-h, --help", "show this help",
		nm_exit_codes_text);
}

/* roff needs '-' as '\-' in option names and a leading '.' or '\'' escaped */
static void roff(FILE *f, const char *s)
{
	bool bol = true;

	for (; *s; s++) {
		if (bol && (*s == '.' || *s == '\''))
			fputs("\\&", f);
		if (*s == '-')
			fputs("\\-", f);
		else if (*s == '\\')
			fputs("\\e", f);
		else
			fputc(*s, f);
		bol = *s == '\n';
	}
}

void nm_help_man(FILE *f, const struct nm_cmddef *cmds, size_t n)
{
	char syn[64];

	fprintf(f, ".TH NUMA-MIGRATE 8 \"\" \"numa-migrate\" \"System Administration\"\n"
		".SH NAME\nnuma\\-migrate \\- show, move and verify a process's memory across NUMA nodes\n"
		".SH SYNOPSIS\n");
	for (size_t i = 0; i < n; i++)
		if (!cmds[i].hidden)
			fprintf(f, ".B numa\\-migrate %s\n[\\fIOPTIONS\\fR]\n.br\n", cmds[i].name);
	fprintf(f, ".B numa\\-migrate \\-\\-version\n.br\n");
	fprintf(f, ".SH DESCRIPTION\n");
	roff(f, "numa-migrate shows where a running process's memory lives across NUMA "
	     "nodes, moves it where it should be with move_pages(2), and proves the move held.\n");
	fprintf(f, ".SH COMMANDS\n");
	for (size_t i = 0; i < n; i++) {
		if (cmds[i].hidden)
			continue;
		fprintf(f, ".SS %s\n", cmds[i].name);
		roff(f, cmds[i].summary);
		fprintf(f, "\n.PP\n");
		roff(f, cmds[i].description);
		fprintf(f, "\n");
		for (size_t k = 0; cmds[i].opts[k] != OPT_NONE; k++) {
			const struct nm_optdef *d = nm_opt_find(cmds[i].opts[k]);

			opt_synopsis(syn, sizeof(syn), d);
			fprintf(f, ".TP\n.B ");
			roff(f, syn);
			fprintf(f, "\n");
			roff(f, d->help);
			fprintf(f, "\n");
		}
	}
	fprintf(f, ".SH EXIT STATUS\n");
	for (const char *p = nm_exit_codes_text; *p;) {
		const char *e = strchr(p, '\n');
		char line[512];

		snprintf(line, sizeof(line), "%.*s", (int)(e - p), p);
		fprintf(f, ".TP\n.B %c\n", line[0]);
		roff(f, line + 3);
		fprintf(f, "\n");
		p = e + 1;
	}
	fprintf(f, ".SH SEE ALSO\n.BR move_pages (2),\n.BR migratepages (8),\n.BR numastat (8)\n");
}

void nm_help_bash(FILE *f, const struct nm_cmddef *cmds, size_t n)
{
	fprintf(f, "# bash completion for numa-migrate (generated by 'numa-migrate help "
		"--bash-completion')\n_numa_migrate()\n{\n"
		"    local cur=${COMP_WORDS[COMP_CWORD]} cmd=${COMP_WORDS[1]}\n"
		"    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
		"        COMPREPLY=( $(compgen -W \"");
	for (size_t i = 0; i < n; i++)
		if (!cmds[i].hidden)
			fprintf(f, "%s ", cmds[i].name);
	fprintf(f, "--pid --help\" -- \"$cur\") )\n        return\n    fi\n"
		"    case \"${COMP_WORDS[COMP_CWORD-1]}\" in\n"
		"        --pid) COMPREPLY=( $(compgen -W \"$(ls /proc | grep -E '^[0-9]+$')\" -- \"$cur\") ); return;;\n"
		"    esac\n    case \"$cmd\" in\n");
	for (size_t i = 0; i < n; i++) {
		if (cmds[i].hidden)
			continue;
		fprintf(f, "        %s) COMPREPLY=( $(compgen -W \"", cmds[i].name);
		for (size_t k = 0; cmds[i].opts[k] != OPT_NONE; k++)
			fprintf(f, "--%s ", nm_opt_find(cmds[i].opts[k])->name);
		fprintf(f, "--help\" -- \"$cur\") );;\n");
	}
	fprintf(f, "    esac\n}\ncomplete -F _numa_migrate numa-migrate\n");
}
