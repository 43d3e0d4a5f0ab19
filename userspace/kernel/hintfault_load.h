/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loads bpf/hintfault.bpf.c, choosing at load time the hinting-fault hook this
 * kernel allows (fentry, else kprobe) and attaching the tp_btf address hook,
 * and says what it chose and why the others were refused.
 */
#ifndef NM_HINTFAULT_LOAD_H
#define NM_HINTFAULT_LOAD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "hooks.h"

struct nm_hintfault;

struct nm_hf_choice {
	/* what happened to task_numa_fault and page_fault_user, by the
	 * methods of the hook table (hooks.h) */
	struct nm_hook_status fault, addr;
};

/* Counts hinting faults of task group TGID per 2^REGION_SHIFT bytes. Returns
 * 0 when at least one of the two hooks attached (see CHOICE for which), or
 * -errno of the last failure when none did. */
int nm_hintfault_open(struct nm_hintfault **out, pid_t tgid, unsigned int region_shift,
		      struct nm_hf_choice *choice);
void nm_hintfault_close(struct nm_hintfault *h);

struct nm_hf_region;
struct nm_hf_stats {
	uint64_t faults;	/* hinting faults of the target */
	uint64_t no_addr;	/* of those, without a remembered address */
	uint64_t dropped;	/* not attributed: the region map was full */
	uint64_t page_faults;	/* page_fault_user events of the target */
};

/* Calls FN for every region with faults (REGION_START = first address of the
 * region) and sums the per-CPU counters into ST. Returns 0, FN's first
 * non-zero return, or -errno. */
int nm_hintfault_read(struct nm_hintfault *h,
		      int (*fn)(void *ctx, uint64_t region_start,
				const struct nm_hf_region *r),
		      void *ctx, struct nm_hf_stats *st);

#endif
