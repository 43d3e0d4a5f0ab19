/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command and option tables: one source for argument parsing (built on
 * getopt_long), --help, the man page and bash completion.
 */
#ifndef NM_CLI_H
#define NM_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include "nm.h"

enum nm_optid {
	OPT_NONE = 0,
	OPT_PID = 256, OPT_RANGE, OPT_TO_NODE, OPT_FROM_NODE, OPT_ALL,
	OPT_VERIFY, OPT_MIN_VERIFIED, OPT_DRY_RUN, OPT_JSON, OPT_CSV,
	OPT_BY_MAPPING, OPT_SIZE, OPT_NODE, OPT_SEED, OPT_THP, OPT_NO_THP,
	OPT_ACCESS_NODE, OPT_THREADS, OPT_FORK_CHILD, OPT_BATCH, OPT_JOBS,
	OPT_NO_PROGRESS, OPT_NO_BPF, OPT_CHECK, OPT_MAN, OPT_BASH, OPT_HELP,
	OPT_DURATION, OPT_GRANULARITY, OPT_SVG, OPT_ENABLE_BALANCING,
	OPT_EXPLAIN, OPT_PIN_THREADS, OPT_WATCH, OPT_POLICY,
	OPT_INTERVAL, OPT_SHARE, OPT_MIN_SAMPLES, OPT_STABLE, OPT_COOLDOWN,
	OPT_RESERVE, OPT_MAX_RATE, OPT_MAPPING_QUORUM, OPT_DEMOTE_COLD, OPT_LOG,
	OPT_METRICS, OPT_PID_FILE, OPT_DAEMON,
	OPT_CGROUP, OPT_MIN_SIZE, OPT_SORT, OPT_TOP,
};

struct nm_optdef {
	enum nm_optid id;
	const char *name;	/* long option without "--" */
	int has_arg;		/* no_argument, required_argument, optional_argument */
	const char *argname;	/* "PID", "SECONDS" ... */
	const char *help;
};

struct nm_args;
struct nm_cmddef {
	const char *name;
	const char *summary;		/* one line */
	const char *description;	/* paragraph for the man page */
	const enum nm_optid *opts;	/* terminated by OPT_NONE */
	int (*run)(struct nm_args *a);
	bool hidden;
};

struct nm_args {
	const struct nm_cmddef *cmd;
	pid_t pid;
	bool pid_set;
	const char *range;
	int to_node;
	bool to_node_set;
	struct nm_nodemask from;
	bool from_set;
	bool all, dry_run, json, csv, by_mapping, no_progress, no_bpf, check;
	bool verify;
	long verify_s;			/* -1: no re-check */
	double min_verified;		/* default 90 */
	uint64_t size;
	bool size_set;
	int node;
	bool node_set;
	uint64_t seed;
	int thp;			/* -1 default, 0 --no-thp, 1 --thp */
	int access_node;
	bool access_set;
	long threads;
	bool fork_child;
	long batch, jobs;
	bool man, bash;
	long duration;			/* trace: seconds (default 10) */
	uint64_t granularity;		/* trace: region size (default 2 MiB) */
	const char *svg;		/* trace: SVG heat map file */
	bool enable_balancing;		/* trace: turn numa_balancing on for the session */
	bool explain;			/* move: group pages that did not land by cause */
	bool pin_threads;		/* move: run the threads on the target node first */
	long watch;			/* diagnose: seconds to attribute migrations (0: no) */
	const char *policy;		/* move: "bind" (cgroup cpuset) or NULL */
	bool duration_set;
	/* auto */
	long interval;			/* seconds per sample interval (default 2) */
	double share;			/* percent (default 75) */
	long min_samples, stable, cooldown, mapping_quorum, demote_cold;
	uint64_t reserve;		/* bytes (default 256M) */
	long max_rate;			/* MB/s, 0: no cap (default 0) */
	const char *log, *metrics, *pid_file;
	bool daemon;
	/* scan */
	const char *cgroup;		/* cgroup v2 path filter */
	uint64_t min_size;		/* bytes (default 64M) */
	const char *sort;		/* ranking key (default remote) */
	long top;			/* processes with metrics labels (default 20) */
};

/* Table lookups. */
const struct nm_optdef *nm_opt_find(enum nm_optid id);
extern const struct nm_optdef nm_optdefs[];
extern const size_t nm_noptdefs;

/* Parses ARGV for CMD into A (defaults applied). Returns 0, or -EINVAL after
 * printing a one-line error naming the argument. Pure apart from printing. */
int nm_cli_parse(const struct nm_cmddef *cmd, int argc, char **argv,
		 struct nm_args *a);
void nm_args_init(struct nm_args *a);

/* Generators, from the tables. CMDS is the full command table. */
void nm_help_usage(FILE *f, const struct nm_cmddef *cmds, size_t n);
void nm_help_cmd(FILE *f, const struct nm_cmddef *cmd);
void nm_help_man(FILE *f, const struct nm_cmddef *cmds, size_t n);
void nm_help_bash(FILE *f, const struct nm_cmddef *cmds, size_t n);

/* Text shared by --help and the man page. */
extern const char nm_exit_codes_text[];

#endif
