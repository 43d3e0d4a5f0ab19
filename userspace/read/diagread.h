/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Readers of the /proc and /sys facts `diagnose` rests on. Each takes a ROOT
 * path ("" for the real system) so unit tests can point it at a fixture tree,
 * and each parser is a pure function of the text.
 */
#ifndef NM_DIAGREAD_H
#define NM_DIAGREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "nm.h"

/* CPUs we map to nodes; a CPU number past this is counted as unknown. */
#define NM_MAX_CPUS 1024

/* Which node each CPU belongs to (-1: none/unknown), from
 * ROOT/sys/devices/system/node/nodeN/cpulist. */
struct nm_cpu_nodes {
	int16_t node[NM_MAX_CPUS];
	struct nm_nodemask with_cpus;	/* nodes that have at least one CPU */
};

/* Parses a kernel CPU list ("0-3,8\n", "" = empty) calling FN for each CPU.
 * Returns 0, -EINVAL (malformed) or -ERANGE (a CPU >= NM_MAX_CPUS). */
int nm_cpulist_parse(const char *s, void (*fn)(void *ctx, int cpu), void *ctx);

int nm_cpu_nodes_read(const char *root, struct nm_cpu_nodes *out);
/* The nodes of the CPUs in a CPU list text; unknown CPUs are ignored. */
int nm_cpulist_nodes(const char *s, const struct nm_cpu_nodes *cn, struct nm_nodemask *out);

/* "Node 1 MemFree:  123456 kB" from ROOT/sys/devices/system/node/nodeN/meminfo.
 * Returns 0 or -errno (-ENODATA when the line is missing). */
int nm_node_meminfo_parse(const char *text, const char *key, uint64_t *kb);
int nm_node_free_kb(const char *root, int node, uint64_t *kb);

/* One thread of the target: the CPU it last ran on (stat field 39) and
 * where it may run (status Cpus_allowed_list, kept as text). */
struct nm_thread_info {
	pid_t tid;
	int last_cpu;			/* -1 unknown */
	char cpus_allowed[256];		/* "" unknown */
};

/* Field 39 (processor) of a stat line; comm may hold spaces and ')'.
 * Returns the CPU or -EINVAL. */
int nm_stat_processor(const char *stat_text);

/* Reads every ROOT/proc/PID/task/TID. *OUT is malloc'ed; a thread that
 * exits meanwhile is skipped. Returns 0 or -errno. */
int nm_threads_read(const char *root, pid_t pid, struct nm_thread_info **out, size_t *n);

/* Mappings with mlocked memory, from smaps ("Locked:" per mapping). */
struct nm_locked_vma {
	uint64_t start, end;
	uint64_t locked_kb;
};
struct nm_locked_list {
	struct nm_locked_vma *v;
	size_t n, cap;
	uint64_t total_kb;
};
/* Parses a smaps text. Returns 0, -EINVAL (a Locked: line before any
 * mapping header, or a bad number) or -ENOMEM. */
int nm_smaps_locked_parse(const char *text, struct nm_locked_list *out);
int nm_smaps_locked_read(const char *root, pid_t pid, struct nm_locked_list *out);
void nm_locked_list_free(struct nm_locked_list *l);
/* The locked mapping that holds ADDR, or NULL. */
const struct nm_locked_vma *nm_locked_find(const struct nm_locked_list *l, uint64_t addr);

/* The selected word of a sysfs choice file: "always [madvise] never" ->
 * "madvise". Returns 0 or -ENODATA (no brackets). */
int nm_sysfs_choice(const char *text, char *buf, size_t len);
/* THP "enabled" and "defrag" from ROOT/sys/kernel/mm/transparent_hugepage. */
int nm_thp_settings(const char *root, char *enabled, size_t elen, char *defrag, size_t dlen);
/* kernel.numa_balancing from ROOT/proc/sys/kernel/numa_balancing; -1 unreadable. */
int nm_numa_balancing_mode(const char *root);

/* The cgroup v2 path of PID ("/user.slice/x.scope") from ROOT/proc/PID/cgroup
 * (the "0::" line). Returns 0, -ENODATA (no v2 line: cgroup v1 only) or -errno. */
int nm_cgroup2_path_parse(const char *text, char *buf, size_t len);
int nm_cgroup2_path(const char *root, pid_t pid, char *buf, size_t len);

#endif
