/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory tiers and the kernel's own tiering: which nodes sit in which tier
 * (/sys/devices/virtual/memory_tiering/memory_tierN/nodelist; a lower N is
 * faster), whether the kernel demotes cold pages (/sys/kernel/mm/numa/
 * demotion_enabled), NUMA balancing's mode (bit 2: memory tiering, where the
 * top tier is not scanned) and its promotion rate limit. Root path for
 * fixtures.
 */
#ifndef NM_TIERS_H
#define NM_TIERS_H

#include <stdbool.h>
#include <stddef.h>
#include "nm.h"

#define NM_MAX_TIERS 16

struct nm_tiers {
	int n;				/* tiers found (0: no memory_tiering in sysfs) */
	int id[NM_MAX_TIERS];		/* memory_tierN's N, ascending (faster first) */
	struct nm_nodemask nodes[NM_MAX_TIERS];
	int demotion;			/* 1, 0, -1 unknown */
	int balancing;			/* kernel.numa_balancing, -1 unknown */
	long promote_mbps;		/* numa_balancing_promote_rate_limit_MBps, -1 unknown */
};

/* 0, or -errno of a malformed file (a missing one leaves its field unknown). */
int nm_tiers_read(const char *root, struct nm_tiers *t);

/* NODE's tier rank (0 = the fastest tier present), or -1. */
int nm_tier_of(const struct nm_tiers *t, int node);

/* Whether balancing scans the top tier (mode bit 1 without bit 2 ... see
 * the sysctl documentation: mode 2 alone scans only lower tiers). */
bool nm_tiers_top_unsampled(const struct nm_tiers *t);

/* The warning trace gives when the top tier is not sampled (mode 2 without
 * 1): 1 with BUF filled, else 0 with BUF empty. */
int nm_tiers_trace_warning(const struct nm_tiers *t, char *buf, size_t len);

#endif
