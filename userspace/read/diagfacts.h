/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place the facts of a diagnosis are gathered (diagnose, move
 * --explain): the caller's privileges, what ROOT/proc and ROOT/sys say about
 * the kernel and the target, and the target's pages (one query).
 */
#ifndef NM_DIAGFACTS_H
#define NM_DIAGFACTS_H

#include <stdbool.h>
#include <sys/types.h>
#include "diagnose.h"
#include "diagread.h"
#include "engine.h"
#include "maps.h"
#include "numa_maps.h"
#include "range.h"

/* What the caller knows about the target, and what it read already. */
struct nm_diag_source {
	pid_t pid;
	const char *comm;
	int target;			/* requested node, -1 without --to-node */
	bool move_all;			/* --all */
	struct nm_nodemask mem_nodes;	/* host nodes with memory */
	const struct nm_vma_list *vmas;
	const struct nm_range_list *ranges;
	/* the page query; SYS NULL: no query (the page facts stay unknown) */
	const struct nm_sys *sys;
	const struct nm_engine_opts *eo;
	/* what the caller read already, so one run reads each file once: the
	 * cpuset's Mems_allowed when MEMS_READ (an empty mask: unknown), and
	 * numa_maps when NMAPS is not NULL; otherwise they are read here */
	bool mems_read;
	struct nm_nodemask mems_allowed;
	const struct nm_numa_maps *nmaps;
};

/* Fills F from ROOT/proc and ROOT/sys ("" for the real system; the caller's
 * capabilities are always this process's): numa_balancing, THP, the cpuset,
 * CPUs per node, the threads' last and allowed CPUs, free memory per node,
 * mlocked memory (LOCKED gets the locked mappings; free it with
 * nm_locked_list_free), the memory policies of the mappings that overlap the
 * ranges, ptrace access, BTF, tracefs, and the pages (query). What cannot be
 * read stays unknown. Returns 0, or the query's -errno (-ESRCH: the target
 * exited) with every other fact filled. */
int nm_diag_gather(const char *root, const struct nm_diag_source *s, struct nm_diag_facts *f,
		   struct nm_locked_list *locked);

/* Page counts from a query made with bitmap_node = F->target. */
void nm_diag_add_query(struct nm_diag_facts *f, const struct nm_query_result *q);

#endif
