/* SPDX-License-Identifier: GPL-2.0 */
/*
 * auto --spread WHERE=SPREAD: a part of the process that auto keeps spread
 * over several nodes by weight (spread.h), for bandwidth-bound memory that
 * should live on DRAM and CXL at once. WHERE is a --range form (ranges.h:
 * START+LEN, START-END, heap, stack, anon, /path) or a bare address, which
 * means the whole mapping around it. The policy never moves a region inside
 * a spread (nm_policy_exclude, reason "spread"); auto applies the spread at
 * the start and re-applies it when a query finds a node's share more than
 * NM_ASPREAD_TOLERANCE points off (the kernel's balancing moves pages
 * back). Pure: parsing, resolution, the checks, the exclusion list and the
 * re-apply test; cmd/autospread.c moves and queries.
 */
#ifndef NM_ASPREAD_H
#define NM_ASPREAD_H

#include <stdbool.h>
#include <stdint.h>
#include "maps.h"
#include "policy.h"
#include "range.h"
#include "spreadmove.h"

#define NM_ASPREAD_MAX 16		/* --spread given at most this often */
#define NM_ASPREAD_TOLERANCE 1.0	/* percentage points of drift re-applied */

struct nm_aspread {
	const char *arg;		/* WHERE=SPREAD as typed */
	char where[256];		/* WHERE */
	bool at_addr;			/* WHERE is an address: its whole mapping */
	uint64_t addr;
	struct nm_range_spec spec;	/* otherwise the --range form */
	struct nm_spread sp;
	struct nm_range_list ranges;	/* resolved against the process's maps */
	/* the run */
	bool applied;			/* the first application was made */
	bool measured;			/* CHECK holds a query */
	struct nm_spread_check check;	/* the last query's split */
	unsigned long reapplied;	/* applications after the first */
	uint64_t pages_moved;		/* by every application */
	uint64_t pages_failed;
};

/* Every spread of one auto run, and the ranges the policy leaves alone. */
struct nm_aspreads {
	struct nm_aspread s[NM_ASPREAD_MAX];
	int n;
	struct nm_policy_excl *excl;	/* nm_aspread_excl */
	size_t nexcl;
};

/* Parses ARG (WHERE=SPREAD) into OUT (zeroed first). 0 or -EINVAL, WHY
 * naming the part that is wrong. */
int nm_aspread_parse(const char *arg, struct nm_aspread *out, char *why, size_t len);

/* Resolves S's WHERE against VMAS into S->ranges. 0; -ENOENT when nothing of
 * the process is there (WHY says so); -ENOMEM. */
int nm_aspread_resolve(struct nm_aspread *s, const struct nm_vma_list *vmas, char *why,
		       size_t len);

/* The first node of S's spread that HAS_MEMORY lacks, or that ALLOWED (the
 * process's cpuset mems; empty: any) lacks, with WHY; -1 when every node is
 * good. */
int nm_aspread_bad_node(const struct nm_aspread *s, const struct nm_nodemask *has_memory,
			const struct nm_nodemask *allowed, char *why, size_t len);

/* Whether two of the N resolved spreads share an address: *A < *B their
 * indexes, *AT the first shared address. -ENOMEM when out of memory. */
int nm_aspread_overlap(const struct nm_aspread *s, int n, int *a, int *b, uint64_t *at);

/* The pieces of the N spreads, sorted and merged, for nm_policy_exclude
 * (*OUT to free). 0 or -ENOMEM. */
int nm_aspread_excl(const struct nm_aspread *s, int n, struct nm_policy_excl **out,
		    size_t *nout);

/* Whether S needs an application now: never applied, or its last query
 * found present pages more than NM_ASPREAD_TOLERANCE off the split. */
bool nm_aspread_due(const struct nm_aspread *s);

/* Frees S (NULL: nothing) with its spreads' ranges. */
void nm_aspreads_free(struct nm_aspreads *s);

#endif
