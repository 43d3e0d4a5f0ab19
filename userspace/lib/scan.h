/* SPDX-License-Identifier: GPL-2.0 */
/*
 * numa-migrate scan, the pure part: where each process's threads ran during
 * the window (CPU time per node, from per-thread CPU time sampled at the
 * window's edges and in between), the bytes it has on nodes where none of
 * that time ran ("remote"), the fix, and the ranking.
 */
#ifndef NM_SCAN_H
#define NM_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <sched.h>
#include <stdint.h>
#include <sys/types.h>
#include "nm.h"

/* One thread in one sample: CPU time so far and the CPU it last ran on. */
struct nm_scan_thread {
	pid_t tid;
	uint64_t ticks;		/* utime + stime, in clock ticks */
	int cpu;		/* /proc/PID/task/TID/stat field 39 */
	char state;		/* field 3: 'R' running or runnable */
};

/* A sample of one process's threads, sorted by tid (nm_scan_sample_sort). */
struct nm_scan_sample {
	struct nm_scan_thread *t;
	size_t n, cap;
};

enum nm_scan_fix {
	NM_SCAN_FIX_NONE,	/* nothing remote */
	NM_SCAN_FIX_MOVE,	/* its CPU time ran on one node: move there */
	NM_SCAN_FIX_AUTO,	/* several nodes: let auto place by access */
	NM_SCAN_FIX_IDLE,	/* no CPU time in the window: nothing to go by */
};

struct nm_scan_proc {
	pid_t pid;
	char comm[64];
	char cgroup[256];
	uint64_t bytes_by_node[NM_MAX_NODES];	/* resident, from numa_maps */
	uint64_t bytes;
	double cpu_s_by_node[NM_MAX_NODES];	/* CPU seconds in the window */
	double cpu_s;
	struct nm_nodemask home;	/* nodes where some of that CPU time ran */
	uint64_t remote_bytes;		/* on nodes outside HOME */
	double locality;		/* % of hinting faults local; < 0: not measured */
	uint64_t samples;		/* hinting faults behind LOCALITY */
	long scan_seq[2];		/* mm->numa_scan_seq at the window's start and end
					 * when measured with no fault; -1: not read */
	enum nm_scan_fix fix;
	int fix_node;			/* NM_SCAN_FIX_MOVE: where to */
	struct nm_scan_sample last;	/* the previous sample (accounting state) */
};

/* Sorts S by tid. */
void nm_scan_sample_sort(struct nm_scan_sample *s);
void nm_scan_sample_free(struct nm_scan_sample *s);

/*
 * Adds the CPU time each thread spent between PREV and CUR (both sorted by
 * tid) to BY_NODE, in seconds, charging each thread's delta to the node of
 * the CPU it was on at CUR (CPU_NODE[cpu], -1 unknown: not charged to a
 * node but still counted in the returned total). A thread in CUR but not
 * in PREV started in between: all its time counts. A thread gone from CUR
 * exited: its last slice is lost. Linear in the number of threads. Returns
 * the seconds added.
 */
double nm_scan_account(const struct nm_scan_sample *prev, const struct nm_scan_sample *cur,
		       const int16_t *cpu_node, size_t ncpu, long hz,
		       double by_node[NM_MAX_NODES]);

/* The same, but a thread's time is charged to a node only when it was on
 * that node at both PREV and CUR (a thread that moved, or started in
 * between, counts in the total only): auto's check that the process stayed
 * on a node for a whole interval (policy.h, cpu_confirm). */
double nm_scan_account_steady(const struct nm_scan_sample *prev,
			      const struct nm_scan_sample *cur,
			      const int16_t *cpu_node, size_t ncpu, long hz,
			      double by_node[NM_MAX_NODES]);

/*
 * The threads of CUR at work: those that ran since PREV (both sorted by
 * tid; a thread new in CUR when it has run at all), or, with PREV NULL,
 * those running or runnable at CUR (state R). Writes their tids to TIDS
 * (room for CUR->n) and returns how many. Linear in the threads.
 */
size_t nm_scan_active(const struct nm_scan_sample *prev, const struct nm_scan_sample *cur,
		      pid_t *tids);

/* OUT = MINE less THEIRS. Returns the CPUs in OUT when that is a proper,
 * non-empty part of MINE; 0 otherwise, and OUT is then MINE. */
int nm_cpus_left(const cpu_set_t *mine, const cpu_set_t *theirs, cpu_set_t *out);

/* S as a CPU list ("0-3,8") in BUF; "" when empty, cut short with "..."
 * when BUF is too small. Returns BUF. */
const char *nm_cpuset_format(const cpu_set_t *s, char *buf, size_t len);

/* Fills HOME, REMOTE_BYTES, FIX and FIX_NODE of P from its bytes and CPU
 * time. A single node with at least FIX_SHARE percent of the CPU time is
 * the move target. */
void nm_scan_judge(struct nm_scan_proc *p, double fix_share);

enum nm_scan_sort { NM_SCAN_SORT_REMOTE, NM_SCAN_SORT_RSS, NM_SCAN_SORT_CPU,
		    NM_SCAN_SORT_LOCALITY, NM_SCAN_SORT_PID };
/* "remote", "rss", "cpu", "locality", "pid" -> key; -EINVAL otherwise. */
int nm_scan_sort_parse(const char *s, enum nm_scan_sort *out);
/* Sorts N processes by KEY: worst placed first (most remote bytes; lowest
 * locality, unmeasured last), ties by bytes then pid. */
void nm_scan_rank(struct nm_scan_proc *p, size_t n, enum nm_scan_sort key);

/* The command that fixes P ("numa-migrate move --pid 42 --to-node 1"), or
 * "" when nothing is to be done. */
const char *nm_scan_fix_cmd(const struct nm_scan_proc *p, char *buf, size_t len);

/* Parses the fields numa-migrate needs from a /proc/PID/task/TID/stat line:
 * utime + stime, the last CPU and (STATE, may be NULL) the state letter.
 * The comm may hold spaces and parentheses. Returns 0 or -EINVAL. */
int nm_scan_parse_stat(const char *line, uint64_t *ticks, int *cpu, char *state);

/* A process that could not be read, and why. */
struct nm_scan_skip {
	pid_t pid;
	char comm[64];
	char why[192];
};

#endif
