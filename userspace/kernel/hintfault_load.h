/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loads bpf/hintfault.bpf.c, choosing at load time the hinting-fault hook this
 * kernel allows (fentry, else kprobe) and the cheapest address hook it
 * allows, and says what it chose and why the others were refused.
 */
#ifndef NM_HINTFAULT_LOAD_H
#define NM_HINTFAULT_LOAD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "hooks.h"

struct nm_hintfault;

struct nm_hf_choice {
	/* what happened to task_numa_fault, by the methods of the hook table
	 * (hooks.h) */
	struct nm_hook_status fault;
	/* and to the address hooks, tried in this order until one attaches:
	 * numa_migrate_check (6.12+), numa_migrate_prep (6.1), page_fault_user */
	struct nm_hook_status check, prep, addr;
};

/* Whether one of the address hooks attached. */
bool nm_hf_choice_addr(const struct nm_hf_choice *c);
/* C's statuses into ST, the array of every hook by id. */
void nm_hf_choice_hooks(const struct nm_hf_choice *c, struct nm_hook_status *st);

/* Counts hinting faults of task group TGID per 2^REGION_SHIFT bytes (TGID 0:
 * of the processes in the pid set, nm_hintfault_pid_add; auto --all). Returns
 * 0 when at least one of the two hooks attached (see CHOICE for which), or
 * -errno of the last failure when none did. */
int nm_hintfault_open(struct nm_hintfault **out, pid_t tgid, unsigned int region_shift,
		      struct nm_hf_choice *choice);
/* The same with a region map of MAX_REGIONS entries (at least
 * NM_HF_MAX_REGIONS; nm_hf_region_bound sizes it from the footprint). */
int nm_hintfault_open_sized(struct nm_hintfault **out, pid_t tgid, unsigned int region_shift,
			    uint32_t max_regions, struct nm_hf_choice *choice);
/* nm_hintfault_open_sized for task group TGID with the map sized from its
 * resident size (nm_hf_region_bound); the default when that cannot be read. */
int nm_hintfault_open_footprint(struct nm_hintfault **out, pid_t tgid, unsigned int region_shift,
				struct nm_hf_choice *choice);
/* Entries of H's region map: past them faults are counted as dropped. */
uint32_t nm_hintfault_max_regions(const struct nm_hintfault *h);
void nm_hintfault_close(struct nm_hintfault *h);

struct nm_hf_region;
struct nm_hf_stats {
	uint64_t faults;	/* hinting faults of the target */
	uint64_t no_addr;	/* of those, without a remembered address */
	uint64_t dropped;	/* not attributed: the region map was full */
	uint64_t page_faults;	/* address hook events of the target */
};

/* Calls FN for every region with faults (REGION_START = first address of the
 * region) and sums the per-CPU counters into ST. Returns 0, FN's first
 * non-zero return, or -errno. */
int nm_hintfault_read(struct nm_hintfault *h,
		      int (*fn)(void *ctx, uint64_t region_start,
				const struct nm_hf_region *r),
		      void *ctx, struct nm_hf_stats *st);
/* The target's hinting faults so far (st.faults of a read) without the
 * regions: a few lookups, cheap enough to poll. 0 or -errno. */
int nm_hintfault_faults(struct nm_hintfault *h, uint64_t *faults);
/* The same with the process of each region (the pid set's form). */
int nm_hintfault_read_pids(struct nm_hintfault *h,
			   int (*fn)(void *ctx, pid_t pid, uint64_t region_start,
				     const struct nm_hf_region *r),
			   void *ctx, struct nm_hf_stats *st);

/* Adds PID to the pid set (a handle opened with TGID 0): its faults count
 * from now on. 0 or -errno (-E2BIG: the set holds NM_HF_MAX_PIDS already). */
int nm_hintfault_pid_add(struct nm_hintfault *h, pid_t pid);
/* Removes PID from the set and forgets its regions (a later process with the
 * same pid starts from zero). One pass over the region map. 0 or -errno. */
int nm_hintfault_pid_del(struct nm_hintfault *h, pid_t pid);

#endif
