/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Diagnosis (pure): from the facts gathered about the caller, the kernel and
 * the target (struct nm_diag_facts, filled by read/diagfacts.c), the findings
 * of a preflight, each saying whether it blocks a move to the requested node
 * and what to do. The findings come from the rule table in diagrules.c, in
 * its order.
 *
 * A new finding is: a fact (a field here, filled in read/diagfacts.c), a rule
 * (a function and its table entry in diagrules.c), and its docs (README.md);
 * output/diagreport.c too when the fact itself should appear in the JSON
 * "facts" object.
 */
#ifndef NM_DIAGNOSE_H
#define NM_DIAGNOSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "nm.h"
#include "tiers.h"

enum nm_diag_sev {
	NM_DIAG_OK,		/* checked, nothing in the way */
	NM_DIAG_INFO,		/* a fact worth knowing */
	NM_DIAG_WARN,		/* the move works, but some pages fail or may not stay */
	NM_DIAG_BLOCKS,		/* the move to the requested node cannot succeed */
};

const char *nm_diag_sev_name(enum nm_diag_sev s);	/* "ok", "info", "warn", "blocks" */

struct nm_finding {
	char id[24];		/* stable name: "cpuset", "free_memory" ... */
	enum nm_diag_sev sev;
	char what[384];		/* the fact, in plain language */
	char fix[320];		/* what to do about it; "" when nothing */
};

#define NM_DIAG_MAX_FINDINGS 32
#define NM_DIAG_MAX_POLICIES 16
#define NM_DIAG_MAX_AGENTS 6

/* Another placement agent acting on the target (read/agents.h). */
struct nm_diag_agent {
	char kind[16];		/* "numad", "memtierd", "auto", "damon", "tiering", "demotion" */
	char what[192];
	char fix[256];
};

/* One distinct memory policy of the target's mappings (numa_maps). A
 * mapping without its own policy shows the task's policy there. */
struct nm_diag_policy {
	char policy[64];	/* "default", "bind:0", "prefer:1", "interleave:0-1" */
	size_t mappings;
	uint64_t pages;		/* resident, from N<node>= */
	uint64_t example;	/* start of one such mapping */
};

struct nm_diag_facts {
	pid_t pid;
	char comm[64];
	int target;			/* requested node, -1 without --to-node */
	bool move_all;			/* --all was asked for */
	uint64_t page_size;
	struct nm_nodemask mem_nodes;	/* host nodes with memory */

	/* caller */
	bool root, cap_sys_nice, cap_bpf, cap_perfmon, cap_sys_admin;
	int ptrace_err;			/* 0: pagemap of the target opened; else -errno */
	/* kernel */
	bool btf, tracefs;
	int numa_balancing;		/* -1 unreadable */
	char thp_enabled[16], thp_defrag[32];	/* "" unreadable */

	/* target */
	bool mems_known;
	struct nm_nodemask mems_allowed;	/* cpuset: Mems_allowed_list */
	bool cpus_known;
	struct nm_nodemask cpu_nodes;	/* nodes with CPUs on this host */
	unsigned int threads;		/* threads read */
	unsigned int ran_on[NM_MAX_NODES];	/* threads by node of their last CPU */
	unsigned int ran_unknown;
	unsigned int may_run_on_target;	/* threads whose allowed CPUs include a
					 * CPU of the target node */
	struct nm_nodemask may_run_nodes;	/* union of the threads' allowed nodes */

	bool free_known;
	uint64_t free_kb[NM_MAX_NODES];
	bool total_known;
	uint64_t total_kb[NM_MAX_NODES];	/* MemTotal per node */

	/* memory tiers, demotion_enabled, the promotion rate limit (read/tiers.c);
	 * tiers.n == 0 when the kernel shows none */
	struct nm_tiers tiers;

	bool pages_known;
	uint64_t present, not_present;
	uint64_t on_node[NM_MAX_NODES];
	uint64_t to_move;		/* present and not on the target */
	bool shared_known;
	uint64_t shared;		/* of to_move: mapped by other processes too */
	uint64_t shared_example;
	bool locked_known;
	uint64_t locked_kb;		/* smaps Locked: summed over the range */
	uint64_t locked_example;

	bool policies_known;
	size_t npolicies;
	struct nm_diag_policy policy[NM_DIAG_MAX_POLICIES];

	/* other placement agents that act on the target */
	bool agents_known;
	size_t nagents;			/* found; the first NM_DIAG_MAX_AGENTS kept */
	struct nm_diag_agent agent[NM_DIAG_MAX_AGENTS];
};

void nm_diag_facts_init(struct nm_diag_facts *f);
/* Adds one numa_maps mapping's policy and resident pages to F's policies. */
void nm_diag_add_policy(struct nm_diag_facts *f, const char *policy, uint64_t start,
			uint64_t pages);
/* Whether new pages of a mapping with POLICY may come from NODE: "bind:X"
 * and "interleave:X" only from X; "prefer:X" prefers X (false for another
 * node); "default"/"local" allow any. *NODES gets the policy's node list
 * (empty for default/local). */
bool nm_policy_allows(const char *policy, int node, struct nm_nodemask *nodes);

struct nm_diagnosis {
	size_t n;
	struct nm_finding f[NM_DIAG_MAX_FINDINGS];
	enum nm_diag_sev worst;
	bool blocked_by_privilege;	/* a blocking finding is about privileges */
};

/* ---- rules ---------------------------------------------------------------- */

/* What a rule writes its findings into (the rule's id is set by the runner). */
struct nm_diag_emit {
	struct nm_diagnosis *d;
	const char *id;
};

/* Adds a finding with the running rule's id. FIX may be NULL. */
struct nm_finding *nm_diag_emit(struct nm_diag_emit *e, enum nm_diag_sev sev, const char *fix,
				const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Marks the blocking finding just emitted as one about privileges (exit 2). */
void nm_diag_emit_privilege(struct nm_diag_emit *e);

/* One rule: reads the facts, emits zero or more findings under ID. Returns
 * false when the requested node cannot be a target at all: the later rules
 * then judge without a target, so findings about that node do not pile up. */
struct nm_diag_rule {
	const char *id;
	bool (*fn)(const struct nm_diag_facts *f, struct nm_diag_emit *e);
};

/* The rules in the order their findings are listed (diagrules.c). */
extern const struct nm_diag_rule nm_diag_rules[];
extern const size_t nm_diag_nrules;

/* The preflight: runs every rule over F. Pure. */
void nm_diagnose(const struct nm_diag_facts *f, struct nm_diagnosis *d);
/* Exit code of the findings alone: 0 nothing blocks, 2 a privilege blocks, 3 other. */
int nm_diagnosis_exit(const struct nm_diagnosis *d);
/* The one place diagnose's exit code is chosen: the findings' code, and 3
 * when nothing blocks but the page facts are missing (FACTS_MISSING) or
 * --watch was asked for and could not trace (WATCH_FAILED). */
int nm_diagnose_exit_code(const struct nm_diagnosis *d, bool facts_missing, bool watch_failed);
const struct nm_finding *nm_diagnosis_find(const struct nm_diagnosis *d, const char *id);

#endif
