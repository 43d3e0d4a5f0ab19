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
#include "spread.h"

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
	OPT_EXCLUDE,
	OPT_MAX_STALL,
	OPT_EXACT,
	OPT_SPREAD,
	OPT_COLD_SENSOR,
	OPT_NO_CPU_CONFIRM,
	OPT_MOVER_ANY_CPU,
	OPT_END			/* one past the last id */
};

/* What an option's value is, and so how it is parsed and stored. */
enum nm_optkind {
	NM_OPT_PARSER = 0,	/* handled by the parser itself (--help) */
	NM_OPT_FLAG,		/* bool field = true */
	NM_OPT_CONST,		/* int field = .min (e.g. --thp 1, --no-thp 0) */
	NM_OPT_PID,		/* pid_t, nm_parse_pid */
	NM_OPT_NODE,		/* int, nm_parse_node */
	NM_OPT_NODES,		/* struct nm_nodemask, nm_parse_nodelist */
	NM_OPT_LONG,		/* long in [.min, .max] */
	NM_OPT_PERCENT,		/* double, nm_parse_percent */
	NM_OPT_SIZE,		/* uint64_t bytes (K/M/G), at least .min */
	NM_OPT_U64,		/* uint64_t, decimal or 0x hex */
	NM_OPT_STRING,		/* const char *, the argv word itself */
	NM_OPT_SPREAD,		/* struct nm_to_node, nm_spread_parse (--to-node 0:3,2:1) */
	NM_OPT_LIST,		/* struct nm_strlist: each use appends its word (repeatable) */
	NM_OPT_NKINDS
};

/* A value of any kind (the member the kind names). */
union nm_optval {
	bool b;
	int i;
	pid_t pid;
	long l;
	double d;
	uint64_t u;
	const char *s;
	struct nm_nodemask nodes;
};

/* Where a default comes from when another module owns it. */
enum nm_optdef_src {
	NM_DEF_TABLE = 0,	/* .def */
	NM_DEF_POLICY_DOUBLE,	/* a double of struct nm_policy_opts at .src_off */
	NM_DEF_POLICY_U64,	/* a uint64_t of it */
	NM_DEF_POLICY_UINT,	/* an unsigned int of it */
};

struct nm_optdef {
	enum nm_optid id;
	const char *name;	/* long option without "--" */
	int has_arg;		/* no_argument, required_argument, optional_argument */
	const char *argname;	/* "PID", "SECONDS" ... */
	const char *help;
	/* what the parser does with it */
	enum nm_optkind kind;
	size_t off;		/* offsetof(struct nm_args, field it fills) */
	size_t given;		/* offsetof a bool set when given; 0: none */
	long min, max;		/* NM_OPT_LONG bounds; NM_OPT_SIZE min; NM_OPT_CONST value */
	union nm_optval def;	/* the field's value when not given */
	enum nm_optdef_src src;	/* or the default comes from elsewhere */
	size_t src_off;
	const char *why;	/* why a value is refused: "expected 1-64" */
	const char *why_range;	/* instead, when the parser says -ERANGE */
	/* a check beyond the kind's: NULL when VAL (parsed from V) is good,
	 * else the reason it is refused */
	const char *(*check)(const struct nm_optdef *d, const char *v,
			     const union nm_optval *val);
};

/* Options a form takes but that make no sense together: refused by
 * nm_cli_parse with a message naming both. NEEDS: A given without B is
 * refused, in a form that offers B. Otherwise A and B exclude each other. */
struct nm_optrule {
	enum nm_optid a, b;
	bool needs;
	const char *why;
};
extern const struct nm_optrule nm_optrules[];
extern const size_t nm_noptrules;

struct nm_args;
struct nm_cmddef {
	const char *name;
	const char *summary;		/* one line */
	const char *description;	/* paragraph for the man page */
	const enum nm_optid *opts;	/* terminated by OPT_NONE */
	int (*run)(struct nm_args *a);
	bool hidden;
};

/* The seed form main keeps working: move's options plus --check, no handler
 * (main runs check or move by --check). Here so tests parse the real one. */
extern const struct nm_cmddef nm_seed_cmd;

/* --to-node: node:weight pairs (one pair, or a bare node, for one node), and
 * the first node (-1 when not given). */
struct nm_to_node {
	int node;		/* first: the table's default (.def.i) is it */
	struct nm_spread spread;
};

/* A repeatable option's words, in order. */
#define NM_STRLIST_MAX 16
struct nm_strlist {
	const char *v[NM_STRLIST_MAX];
	int n;
};

struct nm_args {
	const struct nm_cmddef *cmd;
	pid_t pid;
	bool pid_set;
	const char *range;
	union {	/* --to-node: the table fills TO; the names below read it */
		struct nm_to_node to;
		struct {
			int to_node;			/* the first node; -1 */
			struct nm_spread to_spread;	/* n == 1 for a bare node */
		};
	};
	bool to_node_set;
	struct nm_nodemask from;
	bool from_set;
	bool all, dry_run, json, csv, by_mapping, no_progress, no_bpf, check;
	bool exact;		/* check: the page-exact query and its cross-check */
	bool no_cpu_confirm;	/* auto: --stable intervals always (policy.h) */
	bool mover_any_cpu;	/* move, auto: paced moves where we run, with pauses */
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
	bool batch_set;
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
	const char *exclude;		/* auto --all: "PID,..." left alone */
	/* move, auto: page-touch stall bound, ms (0: none); auto's default
	 * when not given is NM_AUTO_MAX_STALL_MS (lib/pace.h) */
	long max_stall;
	bool max_stall_set;
	struct nm_strlist spread;	/* auto --spread WHERE=SPREAD (aspread.h) */
	const char *cold_sensor;	/* auto: "auto" (NULL), "damon" or "faults" */
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

/* Generators (cli_help.c), from the tables. CMDS is the full command table. */
void nm_help_usage(FILE *f, const struct nm_cmddef *cmds, size_t n);
void nm_help_cmd(FILE *f, const struct nm_cmddef *cmd);
void nm_help_man(FILE *f, const struct nm_cmddef *cmds, size_t n);
void nm_help_bash(FILE *f, const struct nm_cmddef *cmds, size_t n);

/* Text shared by --help and the man page. */
extern const char nm_exit_codes_text[];

#endif
