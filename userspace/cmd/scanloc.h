/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scan's locality column: the share of each process's NUMA hinting faults
 * that were local, over the scan window, for every process of the round
 * from one set of BPF programs (bpf/hintfault.bpf.c in its pid-set form,
 * regions of 1 GiB summed per process). Counts are read at the start and at
 * the end of each round; the difference is the window's.
 */
#ifndef NM_SCANLOC_H
#define NM_SCANLOC_H

#include <stddef.h>
#include "scanset.h"

struct nm_scanloc;

/* Loads and attaches the programs. NULL when locality cannot be measured
 * here, with WHY saying why (not root, a hook refused, numa_balancing off). */
struct nm_scanloc *nm_scanloc_open(char *why, size_t len);
/* A round starts: S's processes join the set and their counts so far are
 * noted. 0 or -errno (-ENOMEM). */
int nm_scanloc_begin(struct nm_scanloc *l, const struct nm_scanset *s);
/* The round ends (before nm_scanset_finish): fills each process's locality
 * and samples from its faults since nm_scanloc_begin (locality stays < 0
 * without faults). 0 or -errno. */
int nm_scanloc_end(struct nm_scanloc *l, struct nm_scanset *s);
/* NULL is fine. */
void nm_scanloc_close(struct nm_scanloc *l);

#endif
