/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The processes one scan looks at, from /proc under a root path: collect
 * them (with the first CPU sample), sample their threads again as often as
 * the caller likes, then finish (resident bytes by node, verdict, ranking).
 * The timing is the caller's.
 */
#ifndef NM_SCANSET_H
#define NM_SCANSET_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "autoset.h"
#include "diagread.h"
#include "scan.h"

struct nm_scanset {
	/* set by the caller */
	const char *root;		/* "" for the real /proc and /sys */
	uint64_t min_size;
	const char *cgroup;		/* cgroup v2 path relative to the mount, or NULL */
	enum nm_scan_sort sort;
	double fix_share;		/* % of CPU time on one node to suggest a move */
	pid_t self;			/* left out */
	const pid_t *exclude;		/* ascending: counted, not read */
	size_t nexclude;
	long hz;
	uint64_t page_size;
	const struct nm_cpu_nodes *cpus;
	bool no_cpu_sample;		/* collect without the first CPU sample */
	struct nm_smallmemo *memo;	/* repeated collects: who was small (autoset.h) */
	/* results */
	struct nm_scan_proc *p;
	size_t n, cap;
	struct nm_scan_skip *skip;
	size_t nskip, skipcap;
	size_t examined, below_min, outside;
	struct nm_scan_sample cur;	/* scratch */
};

/* Lists the processes of ROOT/proc worth a look, with their first CPU
 * sample (unless no_cpu_sample). With a memo, a process it has settled as
 * small is not read (counted below the minimum) except on its turn. 0 or -errno (of listing /proc; a process that cannot be read is
 * recorded in SKIP, one that exits is left out). */
int nm_scanset_collect(struct nm_scanset *s);
/* Samples every process's threads again and charges their CPU time since
 * the last sample to the nodes they ran on. */
void nm_scanset_sample(struct nm_scanset *s);
/* Reads resident bytes by node, judges and ranks; drops the processes that
 * exited. */
void nm_scanset_finish(struct nm_scanset *s);
/* Frees the results (the settings stay), ready for the next round. */
void nm_scanset_reset(struct nm_scanset *s);
void nm_scanset_free(struct nm_scanset *s);

#endif
