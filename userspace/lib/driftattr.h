/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who moved pages away (drift attribution, pure): the kernel's migrations of
 * the target's pages, as traced, grouped by cause and by the process that
 * asked for them, with the fix for each cause.
 */
#ifndef NM_DRIFTATTR_H
#define NM_DRIFTATTR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "nm.h"

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

#endif
