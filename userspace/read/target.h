/* SPDX-License-Identifier: GPL-2.0 */
/* Facts about the target process and this host's nodes. */
#ifndef NM_TARGET_H
#define NM_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "nm.h"

/* Reads ROOT/proc/PID/comm. Returns 0 or -errno (-ESRCH when gone). */
int nm_target_comm(const char *root, pid_t pid, char *buf, size_t len);

/* Nodes with memory (ROOT/sys/devices/system/node/has_memory, falling back
 * to "online"). Returns 0 (an empty file gives an empty mask), -ENOENT on
 * a kernel without NUMA, -ERANGE for a node >= 64. */
int nm_nodes_with_memory(const char *root, struct nm_nodemask *out);

/* The target's allowed memory nodes (Mems_allowed_list in status);
 * -ENODATA when status has no such line, -ERANGE for a node >= 64. */
int nm_target_mems_allowed(const char *root, pid_t pid, struct nm_nodemask *out);

/* The value of status field KEY ("Cpus_allowed_list", "VmLck") without the
 * key and surrounding blanks, truncated to LEN. Returns 0 or -ENODATA. */
int nm_status_field(const char *text, const char *key, char *buf, size_t len);

/* Whether this process has capability CAP (CAP_BPF ...) in its effective set. */
bool nm_have_cap(int cap);

/* Formats the members I < NBITS of SET (TEST says which) as "0-1,3". */
const char *nm_list_fmt(bool (*test)(const void *set, int i), const void *set, int nbits,
			char *buf, size_t len);
/* Nodes with CPUs (ROOT/sys/devices/system/node/has_cpu): the others are
 * memory-only nodes (CXL-like tiers). Returns 0 or -errno. */
int nm_nodes_with_cpus(const char *root, struct nm_nodemask *out);

/* NODE's distances (ROOT/sys/devices/system/node/nodeN/distance, one value
 * per online node in ascending order): OUT[M] is the distance to node M,
 * UINT32_MAX for nodes not online. Returns 0 or -errno (-EINVAL when the
 * row does not match the online list). */
int nm_node_distances(const char *root, int node, uint32_t out[NM_MAX_NODES]);

/* Formats a nodemask as "0-1,3". */
const char *nm_nodemask_fmt(const struct nm_nodemask *m, char *buf, size_t len);

/* Whether this process has CAP_SYS_NICE in its effective set. */
bool nm_have_cap_sys_nice(void);

#endif
