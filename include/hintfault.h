/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types shared by bpf/hintfault.bpf.c and user space: NUMA hinting faults of
 * one target process, aggregated in the kernel per address region (address
 * >> region_shift) so a busy process does not flood user space.
 */
#ifndef NM_INCLUDE_HINTFAULT_H
#define NM_INCLUDE_HINTFAULT_H

#ifndef __BPF__
#include <linux/types.h>
#endif

/* Nodes counted per region in the kernel; faults from or to a node at or
 * past this are counted in the region's 'other_node' and in the stats. */
#define NM_HF_MAX_NODES 16	/* a power of two: BPF masks indexes with it */
/* Regions tracked at once (over every process) by default; past this,
 * faults are counted as dropped. trace and auto --pid size the map from the
 * target's footprint at load time (userspace/lib/hfbound.h), never below. */
#define NM_HF_MAX_REGIONS 65536
/* Processes in the pid set (auto --all): the set is a hash map this big. */
#define NM_HF_MAX_PIDS 4096
/* Slots of the pid set's first test (tgid & (NM_HF_PID_HINTS - 1)): how
 * many tgids of the set fall in each, a power of two. */
#define NM_HF_PID_HINTS 65536

/* A region of one process: the regions map's key. */
struct nm_hf_key {
	__u32 tgid;
	__u32 pad;		/* zero */
	__u64 region;		/* address >> region_shift */
};

struct nm_hf_region {
	__u64 by_cpu_node[NM_HF_MAX_NODES];	/* faults by accessing CPU's node */
	__u64 by_mem_node[NM_HF_MAX_NODES];	/* faults by the page's node after the fault */
	__u64 pages;		/* base pages the faults covered (THP: 512) */
	__u64 migrated;		/* faults on which the kernel migrated the page */
	__u64 migrate_failed;	/* faults where a migration was tried and failed */
	__u64 other_node;	/* node >= NM_HF_MAX_NODES */
	__u64 local;		/* the page was on the accessing CPU's node and
				 * the kernel did not move it on this fault */
};

/* Global counters: index into the stats array map. */
enum nm_hf_stat {
	NM_HF_FAULTS,		/* hinting faults of the target seen */
	NM_HF_NO_ADDR,		/* fault without a remembered address */
	NM_HF_DROPPED,		/* region map full: fault not attributed */
	NM_HF_PAGE_FAULTS,	/* address hook events of the target */
	NM_HF_NSTATS
};

_Static_assert(sizeof(struct nm_hf_key) == 16, "nm_hf_key layout is shared with BPF");
_Static_assert(sizeof(struct nm_hf_region) == 8 * (2 * NM_HF_MAX_NODES + 5),
	       "nm_hf_region layout is shared with BPF");

#endif
