/* SPDX-License-Identifier: GPL-2.0 */
/* Loads bpf/migrate.bpf.c and reads its per-reason counters. */
#ifndef NM_MIGTRACE_H
#define NM_MIGTRACE_H

#include <sys/types.h>
#include "report.h"

struct nm_migtrace;

/* Opens, loads and attaches the migration tracepoint counter, counting the
 * migrations done by task group TGID (0: all). On failure returns -errno and
 * writes why into kc->why (kc->available = false): the move goes on. */
int nm_migtrace_start(struct nm_migtrace **out, pid_t tgid,
		      struct nm_kernel_counts *kc);
/* Reads the counters into KC (reason names from the running kernel's BTF). */
int nm_migtrace_read(struct nm_migtrace *t, struct nm_kernel_counts *kc);
void nm_migtrace_stop(struct nm_migtrace *t);

/* Silences libbpf's own messages unless NM_BPF_DEBUG is set. */
void nm_bpf_quiet(void);

#endif
