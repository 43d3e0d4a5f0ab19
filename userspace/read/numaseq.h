/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How many NUMA scan passes the kernel has completed over a process's
 * address space: mm->numa_scan_seq, from ROOT/proc/PID/sched (the kernel
 * prints it there with CONFIG_SCHED_DEBUG, as Debian's 6.1 and 6.12 have,
 * and unconditionally from 6.14). task_numa_work adds one each time its
 * scan wraps past the last mapping. scan reads it at both ends of its window
 * to tell "the kernel did not scan this process" from "it scanned, and the
 * process touched none of it" when a process had no hinting fault.
 */
#ifndef NM_NUMASEQ_H
#define NM_NUMASEQ_H

#include <sys/types.h>

/* Reads PID's mm->numa_scan_seq into *SEQ. Returns 0, -ESRCH (no such
 * process), -ENOENT (no sched file, or no such line: a kernel thread or a
 * kernel without it) or another -errno. */
int nm_numa_scan_seq(const char *root, pid_t pid, long *seq);

#endif
