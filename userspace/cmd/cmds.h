/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands and what check and move share: opening the target. */
#ifndef NM_CMDS_H
#define NM_CMDS_H

#include "cli.h"
#include "engine.h"
#include "maps.h"
#include "range.h"
#include "report.h"
#include "sys.h"

struct nm_target {
	pid_t pid;
	char comm[64];
	struct nm_sys_real real;
	struct nm_sys sys;
	struct nm_vma_list vmas;
	struct nm_range_spec spec;
	struct nm_range_list ranges;
	struct nm_nodemask mem_nodes;	/* nodes with memory on this host */
	struct nm_engine_opts eo;
	enum nm_format fmt;
	struct progress {
		bool on;
		double last;
	} progress;
};

/* Validates common arguments, opens PID (pidfd), reads its maps, resolves
 * --range. Returns 0 or an exit code after printing the error. */
int nm_target_open(struct nm_args *a, struct nm_target *t);
void nm_target_close(struct nm_target *t);
/* Ends a progress bar line, if one was drawn. */
void nm_progress_end(struct nm_target *t);

int nm_cmd_check(struct nm_args *a);
int nm_cmd_move(struct nm_args *a);
int nm_cmd_help(struct nm_args *a);
int nm_cmd_features(struct nm_args *a);
int nm_cmd_trace(struct nm_args *a);
int nm_cmd_diagnose(struct nm_args *a);

struct nm_diag_facts;
struct nm_drift_attr;
struct nm_migtrace;
/* Waits S seconds (SIGINT/SIGTERM cut it short: false), attributing the
 * kernel's migrations of the target's pages into ATTR when MT is set;
 * *TRACED (may be NULL) turns false when reading the events failed. */
bool nm_wait_seconds(long s, struct nm_migtrace *mt, struct nm_drift_attr *attr,
		     bool *traced);
/* The migration tracer with events over T's ranges, or NULL and WHY. */
struct nm_migtrace *nm_drift_trace_open(struct nm_target *t, char *why, size_t len);
struct nm_locked_list;
/* Gathers diagnose's facts about T for a move per A (to_node, all). LOCKED
 * receives the mlocked mappings (free it). Returns 0 or the -errno of the
 * page query (-ESRCH: the target exited). */
int nm_diag_gather(struct nm_args *a, struct nm_target *t, struct nm_diag_facts *f,
		   struct nm_locked_list *locked);
int nm_cmd_auto(struct nm_args *a);

extern const struct nm_cmddef nm_cmds[];
extern const size_t nm_ncmds;

#endif
