/* SPDX-License-Identifier: GPL-2.0 */
/* Watching the target's pages after a move: the kernel's migrations of them,
 * attributed to who moved them (shared by move --verify=S and diagnose
 * --watch). */
#ifndef NM_DRIFT_H
#define NM_DRIFT_H

#include <stdbool.h>
#include <stddef.h>

struct nm_drift_attr;
struct nm_migtrace;
struct nm_target;

/* Waits S seconds (a stop signal cuts it short: false), attributing the
 * kernel's migrations of the target's pages into ATTR when MT is set;
 * *TRACED (may be NULL) turns false when reading the events failed. */
bool nm_wait_seconds(long s, struct nm_migtrace *mt, struct nm_drift_attr *attr,
		     bool *traced);
/* The migration tracer with events over T's ranges, or NULL and WHY. */
struct nm_migtrace *nm_drift_trace_open(struct nm_target *t, char *why, size_t len);

#endif
