/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's migrations of a process's pages, as the BPF counters saw them
 * (filled by kernel/migtrace.c, printed by the reports). */
#ifndef NM_KCOUNTS_H
#define NM_KCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Kernel-side migration counters (BPF), optional. */
struct nm_kernel_counts {
	bool available;
	char why[256];			/* when not available */
	bool regions;			/* per-region attribution attached */
	char regions_why[160];		/* when it did not */
	bool thp_flows;			/* the THP (pmd) pair attached too */
	char thp_flows_why[160];	/* when it did not */
	size_t nreasons;
	struct {
		char name[32];		/* "syscall", "numa_misplaced" ... */
		uint64_t events, succeeded, failed, thp_succeeded, thp_failed;
	} reason[32];
};

#endif
