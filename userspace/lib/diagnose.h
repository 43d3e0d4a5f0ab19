/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Diagnosis (pure): from facts gathered about the caller, the kernel and the
 * target (struct nm_diag_facts), the findings of a preflight, each saying
 * whether it blocks a move to the requested node and what to do; and, after
 * a move, the pages that did not land grouped by cause. move_pages's errno
 * alone does not tell every cause apart, so the grouping also uses what
 * /proc says (mlocked mappings from smaps, the target's cpuset, file or
 * anonymous mapping).
 */
#ifndef NM_DIAGNOSE_H
#define NM_DIAGNOSE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <json-c/json.h>
#include "diagread.h"
#include "engine.h"
#include "maps.h"
#include "nm.h"

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

struct nm_range_list;
/* Reads what ROOT/proc and ROOT/sys say into F (pid, target and mem_nodes
 * set by the caller): numa_balancing, THP, the cpuset, CPUs per node, the
 * threads' last and allowed CPUs, free memory per node, mlocked memory
 * (LOCKED gets the locked mappings; free it) and the memory policies of the
 * mappings that overlap RANGES. What cannot be read stays unknown. */
void nm_diag_read(pid_t pid, const char *root, const struct nm_vma_list *vmas,
		  const struct nm_range_list *ranges, struct nm_diag_facts *f,
		  struct nm_locked_list *locked);

/* Page counts from a query made with bitmap_node = F->target. */
void nm_diag_add_query(struct nm_diag_facts *f, const struct nm_query_result *q);

struct nm_diagnosis {
	size_t n;
	struct nm_finding f[NM_DIAG_MAX_FINDINGS];
	enum nm_diag_sev worst;
	bool blocked_by_privilege;	/* a blocking finding is about privileges */
};

/* The preflight: classifies F into findings. Pure. */
void nm_diagnose(const struct nm_diag_facts *f, struct nm_diagnosis *d);
/* Exit code of diagnose: 0 nothing blocks, 2 a privilege blocks, 3 other. */
int nm_diagnosis_exit(const struct nm_diagnosis *d);
const struct nm_finding *nm_diagnosis_find(const struct nm_diagnosis *d, const char *id);

/* ---- why pages did not land ---------------------------------------------- */

enum nm_cause {
	NM_CAUSE_BUSY,		/* EBUSY / early stop, retries ran out */
	NM_CAUSE_MLOCKED,	/* busy or refused inside an mlocked mapping */
	NM_CAUSE_SHARED,	/* EACCES: mapped by other processes */
	NM_CAUSE_CPUSET,	/* EACCES and the target is outside the cpuset */
	NM_CAUSE_NODE_FULL,	/* ENOMEM */
	NM_CAUSE_NOT_PRESENT,	/* not present, zero page, unmapped */
	NM_CAUSE_FILE_DIRTY,	/* EIO/EINVAL on a file mapping */
	NM_CAUSE_UNMOVABLE,	/* EIO/EINVAL/EPERM elsewhere */
	NM_CAUSE_WRONG_NODE,	/* landed on another node */
	NM_CAUSE_OTHER,
	NM_CAUSES
};

const char *nm_cause_name(enum nm_cause c);	/* "busy", "shared", ... */

struct nm_cause_example {
	uint64_t addr;
	char mapping[128];	/* "0x7f..-0x7f.. rw-p anon" or the path */
};

struct nm_cause_group {
	enum nm_cause cause;
	uint64_t pages;
	char errnos[64];	/* the statuses it comes from: "EBUSY,UNPROCESSED" */
	char reason[256];
	char fix[320];
	unsigned int nex;
	struct nm_cause_example ex[4];
};

/* What /proc says around a move, used to tell causes apart. */
struct nm_explain_ctx {
	int target;
	uint64_t page_size;
	const struct nm_vma_list *vmas;		/* may be NULL */
	const struct nm_locked_list *locked;	/* may be NULL */
	bool mems_known;
	struct nm_nodemask mems_allowed;
	bool free_known;
	uint64_t target_free_kb;
};

/* Groups the pages of RES that did not land by cause (largest first).
 * Returns the number of groups written to OUT (at most NM_CAUSES). */
size_t nm_explain_move(const struct nm_move_result *res, const struct nm_explain_ctx *ctx,
		       struct nm_cause_group *out);

/* ---- who moved pages away (drift attribution) --------------------------- */

enum nm_drift_cause {
	NM_DRIFT_BALANCING,	/* numa_misplaced: a hinting fault moved it to the CPU's node */
	NM_DRIFT_DEMOTION,	/* demotion to a lower memory tier */
	NM_DRIFT_COMPACTION,	/* compaction, contig_range */
	NM_DRIFT_SELF,		/* the process's own mbind/move_pages/migrate_pages */
	NM_DRIFT_OTHER_PROCESS,	/* another process's syscall (migratepages, move_pages) */
	NM_DRIFT_OTHER,		/* longterm_pin, memory_failure, hotplug, damon, unknown */
	NM_DRIFT_CAUSES
};

const char *nm_drift_cause_name(enum nm_drift_cause c);

#define NM_DRIFT_MAX_ACTORS 8

struct nm_drift_attr {
	int target;			/* the node pages should stay on (-1: any move) */
	pid_t pid;			/* the target process */
	pid_t self;			/* numa-migrate: its own moves are not drift */
	uint64_t events, ignored, failed;
	uint64_t pages[NM_DRIFT_CAUSES];
	uint64_t to_node[NM_DRIFT_CAUSES][NM_MAX_NODES];
	uint64_t cpu_node[NM_MAX_NODES];	/* balancing: node of the faulting CPU */
	size_t nactors;
	struct {
		pid_t tgid;
		char comm[16];
		char reason[32];
		uint64_t pages;
	} actor[NM_DRIFT_MAX_ACTORS];	/* other processes, and kernel threads */
};

void nm_drift_attr_init(struct nm_drift_attr *a, int target, pid_t pid, pid_t self);
/* One migration of a page of the target: REASON is the kernel's name
 * ("numa_misplaced", "demotion", ...), FROM == TO when it failed. Only pages
 * leaving the target node (any move when target < 0) count. */
void nm_drift_attr_add(struct nm_drift_attr *a, const char *reason, pid_t actor_tgid,
		       const char *comm, int from, int to, int cpu_node, unsigned int order);
/* The fix for pages that drifted for cause C. */
void nm_drift_fix(const struct nm_drift_attr *a, enum nm_drift_cause c, char *buf, size_t len);
void nm_drift_attr_text(FILE *out, const struct nm_drift_attr *a);
struct json_object *nm_drift_attr_json(const struct nm_drift_attr *a);

/* Output. */
void nm_diagnosis_text(FILE *out, const struct nm_diag_facts *f, const struct nm_diagnosis *d);
struct json_object *nm_diagnosis_json(const struct nm_diag_facts *f,
				      const struct nm_diagnosis *d);
void nm_causes_text(FILE *out, const struct nm_cause_group *g, size_t n);
struct json_object *nm_causes_json(const struct nm_cause_group *g, size_t n);

#endif
