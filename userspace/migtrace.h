/* SPDX-License-Identifier: GPL-2.0 */
/* Loads bpf/migrate.bpf.c and reads its per-reason counters. */
#ifndef NM_MIGTRACE_H
#define NM_MIGTRACE_H

#include <stdint.h>
#include <sys/types.h>
#include "report.h"

struct nm_migtrace;

/* Opens, loads and attaches the migration tracepoint counter, counting the
 * migrations done by task group TGID (0: all). On failure returns -errno and
 * writes why into kc->why (kc->available = false): the move goes on. */
int nm_migtrace_start(struct nm_migtrace **out, pid_t tgid,
		      struct nm_kernel_counts *kc);
/* The same, also counting per 2^REGION_SHIFT-byte region the pages the kernel
 * starts migrating (set_migration_pte), by reason. If those hooks are refused,
 * the counters still work and kc->regions_why says why. */
int nm_migtrace_start_regions(struct nm_migtrace **out, pid_t tgid, unsigned int region_shift,
			      struct nm_kernel_counts *kc);
/* Calls FN per region and reason with the pages migrated; *DROPPED counts
 * events not placed (region map full). Returns 0, FN's error or -errno. */
int nm_migtrace_read_regions(struct nm_migtrace *t,
			     int (*fn)(void *ctx, uint64_t region_start, const char *reason,
				       uint64_t pages),
			     void *ctx, uint64_t *dropped);

/* Reads the counters into KC (reason names from the running kernel's BTF). */
int nm_migtrace_read(struct nm_migtrace *t, struct nm_kernel_counts *kc);
void nm_migtrace_stop(struct nm_migtrace *t);

/* Silences libbpf's own messages unless NM_BPF_DEBUG is set. */
void nm_bpf_quiet(void);

#endif
