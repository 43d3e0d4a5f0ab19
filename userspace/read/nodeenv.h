/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The nodes as auto's policy sees them (struct nm_node_env), read with the
 * same /sys and /proc readers diagnose uses (target.h, diagread.h).
 */
#ifndef NM_NODEENV_H
#define NM_NODEENV_H

#include <sys/types.h>
#include "nm.h"
#include "policy.h"

/* What does not change while auto runs: MEM_NODES (nodes with memory), the
 * nodes with CPUs (unknown: every memory node counts as one) and the
 * distances (unknown: UINT32_MAX). */
void nm_node_env_read_static(const char *root, const struct nm_nodemask *mem_nodes,
			     struct nm_node_env *env);
/* Once per interval: PID's allowed memory nodes (kept when unreadable) and
 * every memory node's free memory (free_known false when one is unknown). */
void nm_node_env_read_interval(const char *root, pid_t pid, struct nm_node_env *env);

#endif
