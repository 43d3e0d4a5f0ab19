/* SPDX-License-Identifier: GPL-2.0 */
/* The /proc readers of numa-migrate scan (each takes a root path, "" for the
 * real one, so fixtures can stand in). */
#ifndef NM_PROCSCAN_H
#define NM_PROCSCAN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "nm.h"
#include "scan.h"

/* The process ids in ROOT/proc, ascending. *OUT is malloc'ed. 0 or -errno. */
int nm_pids_list(const char *root, pid_t **out, size_t *n);

/* Resident bytes of PID from ROOT/proc/PID/statm (field 2 x PAGE). 0 or
 * -errno (-ESRCH: gone). */
int nm_proc_rss(const char *root, pid_t pid, uint64_t page_size, uint64_t *bytes);
/* The same with the address space's size (field 1 x PAGE): 0 for a kernel
 * thread (no address space) or a process that is exiting. */
int nm_proc_statm(const char *root, pid_t pid, uint64_t page_size, uint64_t *size,
		  uint64_t *rss);

/* The threads of PID (ROOT/proc/PID/task/TID/stat), sorted by tid, into
 * OUT (reusing its buffer). Threads that exit while being read are left
 * out. 0 or -errno (-ESRCH: the process is gone, -EACCES...). */
int nm_proc_threads(const char *root, pid_t pid, struct nm_scan_sample *out);

/* PID's cgroup v2 path ("/system.slice/db.service") from ROOT/proc/PID/
 * cgroup's "0::" line. 0, -ENODATA (no v2 line) or -errno. */
int nm_proc_cgroup(const char *root, pid_t pid, char *buf, size_t len);

/* PID's resident bytes by node from ROOT/proc/PID/numa_maps (N<node>= times
 * the page size of the mapping). 0 or -errno. */
int nm_proc_node_bytes(const char *root, pid_t pid, uint64_t bytes[NM_MAX_NODES],
		       uint64_t *total);

/* Where cgroup v2 is mounted (the first cgroup2 line of ROOT/proc/self/
 * mounts: /sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid hosts). 0,
 * -ENOENT (none) or -errno. */
int nm_cgroup2_mount(const char *root, char *buf, size_t len);

/* Whether cgroup path CG is PREFIX or below it ("/a" holds "/a" and "/a/b",
 * not "/ab"). */
bool nm_cgroup_under(const char *cg, const char *prefix);

#endif
