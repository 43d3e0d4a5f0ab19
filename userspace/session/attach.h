/* SPDX-License-Identifier: GPL-2.0 */
/* The target process as a command holds it: opened once, closed once. */
#ifndef NM_ATTACH_H
#define NM_ATTACH_H

#include "cli.h"
#include "engine.h"
#include "maps.h"
#include "pfnnode.h"
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
	struct nm_pfn_nodes pfns;	/* see nm_target_pfn_nodes */
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
/* Lets the engine take a present page's node from its pagemap PFN where that
 * tells it (engine.h, nm_sys.pfn_node), from sysfs's memory block table:
 * one pagemap read instead of a page-table walk per page in move_pages.
 * Without the table every page is asked of move_pages, as before. */
void nm_target_pfn_nodes(struct nm_target *t);
/* The same with a table the caller reads and frees (auto --all: one table
 * for every process it manages). */
void nm_target_share_pfn_nodes(struct nm_target *t, const struct nm_pfn_nodes *table);
/* The engine's options from --batch and --jobs (default: online CPUs, at
 * most 4), stopping on the session's signals. */
void nm_engine_opts_from_args(const struct nm_args *a, struct nm_engine_opts *eo);
/* Ends a progress bar line, if one was drawn. */
void nm_progress_end(struct nm_target *t);
/* Prints the error of ERR (-errno) when WHAT ("open", "query the pages of")
 * failed on PID, and returns the exit code for it. */
int nm_target_error(int err, pid_t pid, const char *what);

#endif
