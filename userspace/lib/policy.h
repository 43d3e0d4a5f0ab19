/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The decision policy of 'numa-migrate auto' (pure: no BPF, no syscalls, so
 * unit tests replay recorded sample sequences through it).
 *
 * Input, once per interval: the kernel's cumulative hinting-fault counts per
 * region (struct nm_hf_region: by accessing CPU's node, by page node, and
 * how many were local), and the state of the nodes (cpuset, free memory).
 * The policy turns them into per-interval evidence (differences of the
 * cumulative counts) and decides, per region and per mapping, whether to
 * move it and where, with a reason for every decision it records.
 *
 * Rules (every number is an option, defaults in nm_policy_opts_default):
 *  - a region moves to node X only when X's share of the region's samples in
 *    the interval is >= share_pct, with >= min_samples samples, and X was
 *    the choice in `stable` consecutive intervals that had evidence (an
 *    interval without enough samples neither advances nor breaks a streak;
 *    a majority for another node, or none, breaks it), or in one such
 *    interval when cpu_confirm is on and the process's threads stayed on X
 *    all through it (nm_policy_cpu: at least share_pct of its CPU time,
 *    and at least NM_POLICY_CPU_MIN_S of it, by threads that were on X's
 *    CPUs at both ends of the interval): the second look the stable rule
 *    takes, taken on the scheduler's placement instead of a second scan;
 *  - whole mapping (generalisation): the kernel samples only scan_size_mb
 *    per scan period, so a large mapping is sampled a slice at a time. When
 *    at least `mapping_quorum` regions of a mapping each pass the share
 *    test for X in an interval, no region of the mapping has a majority for
 *    another node, and the mapping's pooled samples pass the share,
 *    min_samples and stable tests, the whole mapping moves to X, the
 *    unsampled regions with it (0 turns this off);
 *  - never to a node outside the target's allowed memory nodes, a node
 *    without memory, or one whose free memory would drop below reserve
 *    bytes (the region's whole size is counted, an upper bound);
 *  - a region or mapping that was moved is not moved again for `cooldown`
 *    intervals (no ping-pong); a region shared by two mappings (the end of
 *    one and the start of the next in one granule) pools its samples into
 *    the one with more bytes in it, and cools down with a whole move of
 *    either;
 *  - demote_cold N with the DAMON sensor (cold_idle_s > 0, coldsense.h): a
 *    region without samples this interval whose DAMON regions all saw no
 *    access for cold_idle_s seconds is a candidate for demotion;
 *  - otherwise (the faults sensor) a region without samples for N active
 *    intervals is a
 *    candidate for demotion to the nearest memory-only node (0: off). An
 *    active interval is one in which the process's managed memory had at
 *    least min_samples samples: the kernel backs its scanning off (up to
 *    scan_period_max_ms, 60 s) while accesses are local, and an interval
 *    it did not scan says nothing about coldness.
 */
#ifndef NM_POLICY_H
#define NM_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hintfault.h"		/* include/: struct nm_hf_region, NM_HF_MAX_NODES */
#include "coldsense.h"
#include "nm.h"

struct nm_policy_opts {
	double share_pct;		/* --share, default 75 */
	uint64_t min_samples;		/* --min-samples, default 8 */
	unsigned int stable;		/* --stable, default 2 */
	bool cpu_confirm;		/* off with --no-cpu-confirm, default on */
	unsigned int cooldown;		/* --cooldown (intervals), default 5 */
	uint64_t reserve_bytes;		/* --reserve, default 256 MiB */
	unsigned int mapping_quorum;	/* --mapping-quorum, default 2 (0: off) */
	unsigned int demote_cold;	/* --demote-cold, default 0 (off) */
	double cold_idle_s;		/* the DAMON sensor: a region is cold after this
					 * many seconds without access (demote_cold *
					 * the interval); 0: the hinting-fault rule */
};

void nm_policy_opts_default(struct nm_policy_opts *o);

/* Why a region got its decision, and the log's name for it: the enum and
 * nm_reason_name's table are both made from this one list. */
#define NM_REASONS(X)							\
	X(MOVE, "move")			/* region: evidence passed every test */ \
	X(MOVE_MAPPING, "move_mapping")	/* whole mapping: generalised from its regions */ \
	X(DEMOTE, "demote_cold")	/* cold region to a memory-only node */ \
	X(FEW_SAMPLES, "few_samples")	/* below min_samples this interval */ \
	X(NO_MAJORITY, "no_majority")	/* no node reached share_pct */	\
	X(NOT_STABLE, "not_stable")	/* majority, but not yet for `stable` intervals */ \
	X(COOLDOWN, "cooldown")		/* moved too recently */	\
	X(ALREADY_LOCAL, "already_local") /* every sample was local: nothing to gain */ \
	X(OUTSIDE_CPUSET, "outside_cpuset") /* the node is not in the target's mems */ \
	X(NO_MEMORY, "no_memory")	/* the node has no memory */	\
	X(RESERVE, "reserve")		/* the node's free memory would go below reserve */ \
	X(SPREAD, "spread")		/* inside an auto --spread range: the spread places it */

#define NM_R_ENUM(id, name) NM_R_##id,
enum nm_reason {
	NM_REASONS(NM_R_ENUM)
	NM_R_NREASONS
};
#undef NM_R_ENUM

const char *nm_reason_name(enum nm_reason r);	/* "move", "cooldown", ... */

/* The nodes as the policy sees them in one interval. */
struct nm_node_env {
	struct nm_nodemask allowed;	/* the target's allowed memory nodes */
	struct nm_nodemask has_memory;
	struct nm_nodemask has_cpu;	/* nodes without CPUs are memory-only */
	uint64_t free_bytes[NM_MAX_NODES];
	bool free_known;		/* false: the reserve test is not applied */
	uint32_t distance[NM_MAX_NODES][NM_MAX_NODES];	/* UINT32_MAX: unknown */
};

/* One interval's evidence of a region or a mapping. */
struct nm_evidence {
	uint64_t samples;			/* hinting faults with a known CPU node */
	uint64_t by_node[NM_HF_MAX_NODES];	/* by accessing CPU's node */
	uint64_t page_node[NM_HF_MAX_NODES];	/* by the page's node (after the fault) */
	uint64_t local;				/* the page was on the CPU's node */
	uint64_t kernel_migrated;		/* faults on which the kernel moved the page */
};

struct nm_pregion {
	uint64_t start, end;		/* [start, end) of the managed range in the region */
	size_t mapping;			/* index into nm_policy.map: the first
					 * mapping with a piece in the region */
	size_t mapping_last;		/* and the last: a granule can hold the
					 * end of one mapping and the start of the
					 * next. A whole-mapping move of any of them
					 * covers the region and starts its cooldown */
	size_t owner;			/* the one with the most bytes in the
					 * region (ties: the first): the region's
					 * samples are one, so they pool into it */
	struct nm_hf_region last;	/* cumulative counts at the last observation */
	struct nm_evidence ev;		/* this interval */
	int cand;			/* node of the current streak, -1 none */
	unsigned int streak;
	long cooldown_until;		/* interval before which it stays put */
	long last_sample;		/* active interval of its last samples, -1 never */
	long born;			/* active intervals when it was first managed */
	int moved_to;			/* last node we moved it to, -1 */
	bool spread;			/* overlaps an auto --spread range: never moved */
	struct nm_cold_seen seen;	/* the DAMON sensor's last reading of it */
};

struct nm_pmapping {
	uint64_t start, end;		/* the mapping (the managed part of it) */
	struct nm_evidence ev;		/* pooled over its regions, this interval */
	unsigned int agree;		/* regions that passed the share test for cand */
	unsigned int disagree;		/* regions with a majority for another node */
	int cand;
	unsigned int streak;
	long cooldown_until;
	bool spread;			/* holds an auto --spread range: never moved whole */
};

struct nm_decision {
	bool mapping;			/* a whole-mapping decision */
	bool covered;			/* a region whose mapping moves whole this
					 * interval: recorded for its evidence (the
					 * log can be replayed), not acted on */
	size_t index;			/* region or mapping index */
	uint64_t start, end;
	struct nm_evidence ev;
	int node;			/* chosen node, -1 when none */
	double share;			/* of node's samples, percent */
	unsigned int streak;
	unsigned int agree;		/* mapping: regions agreeing */
	bool cpu_confirmed;		/* streak below `stable`, passed on the
					 * process's CPU placement (cpu_confirm) */
	struct nm_cold_seen seen;	/* demotion: what DAMON saw (known false: faults) */
	long quiet;			/* demotion: active intervals without a sample */
	enum nm_reason reason;
};

struct nm_policy {
	struct nm_policy_opts o;
	uint64_t granularity;		/* region size, a power of two */
	long interval;			/* intervals completed so far */
	long active;			/* of those, with >= min_samples samples */
	struct nm_pregion *reg;		/* sorted by start */
	size_t nreg, capreg;
	struct nm_pmapping *map;	/* sorted by start */
	size_t nmap, capmap;
	uint64_t unmanaged;		/* samples this interval outside every managed range */
	struct nm_evidence ev;		/* this interval, pooled over every managed
					 * region (set by nm_policy_decide; the one
					 * sum: callers read it, never re-add) */
	struct nm_decision *dec;	/* this interval's decisions */
	size_t ndec, capdec;
	/* this interval's CPU placement (nm_policy_cpu): the node that had at
	 * least share_pct of the process's CPU time, -1 none or not known */
	int cpu_node;
	double cpu_s;
	double cpu_by_node[NM_MAX_NODES];	/* steady seconds by node */
	/* totals over the session, of the evidence */
	uint64_t total_samples, total_local;
	const struct nm_policy_excl *excl;	/* auto --spread: never moved (not owned) */
	size_t nexcl;
};

int nm_policy_init(struct nm_policy *p, const struct nm_policy_opts *o, uint64_t granularity);
void nm_policy_free(struct nm_policy *p);

/* The managed ranges, [start, end) pairs sorted by address, each inside
 * mapping MAPSTART[i]..MAPEND[i]. Regions and mappings that persist keep
 * their state; new ones start fresh, vanished ones are dropped. */
struct nm_policy_range {
	uint64_t start, end;
	uint64_t map_start, map_end;
};
int nm_policy_set_ranges(struct nm_policy *p, const struct nm_policy_range *r, size_t n);

/* Ranges the policy never moves (auto --spread), sorted and disjoint, kept by
 * the caller while P uses them: a region or mapping overlapping one gets
 * reason NM_R_SPREAD instead of a move, and cold ones are not demoted. */
struct nm_policy_excl {
	uint64_t start, end;
};
void nm_policy_exclude(struct nm_policy *p, const struct nm_policy_excl *x, size_t n);

/* Starts an interval: clears the interval's evidence. */
void nm_policy_begin(struct nm_policy *p);
/* Adds the cumulative counts of the region starting at REGION_START (the
 * difference to the last observation is this interval's evidence). */
void nm_policy_observe(struct nm_policy *p, uint64_t region_start, const struct nm_hf_region *r);

/* Less CPU time than this in an interval confirms nothing (cpu_confirm). */
#define NM_POLICY_CPU_MIN_S 0.05

/* This interval's CPU time of the process by node, counting only threads
 * that were on that node at both ends of the interval
 * (nm_scan_account_steady), and its total: sets cpu_node when one node had
 * at least share_pct of TOTAL_S and TOTAL_S >= NM_POLICY_CPU_MIN_S. Not
 * called: no confirmation (cpu_node -1). Call after nm_policy_begin. */
void nm_policy_cpu(struct nm_policy *p, const double by_node[NM_MAX_NODES], double total_s);

/* Decides, and ends the interval. *OUT gets the decisions worth recording
 * (every region or mapping with samples this interval, and cold regions),
 * valid until the next call: moves first, most samples first (so a rate
 * cap defers the least used), then the rest by address. Planned moves are
 * charged against a copy of ENV's free memory, so one interval's moves
 * together respect the reserve. Regions of a mapping that moves whole are
 * recorded too, with `covered` set and their own verdict. The caller
 * executes the moves (node -1 on
 * a demotion: the caller picks the nearest memory-only node to where the
 * pages are) and reports back with nm_policy_acted. Returns 0 or -ENOMEM. */
int nm_policy_decide(struct nm_policy *p, const struct nm_node_env *env,
		     struct nm_decision **out, size_t *n);

/* The caller acted on D (moved all or part of its range to NODE, or found
 * a cold region already on a memory-only node): starts the cooldown of the
 * region or of the mapping and its regions. */
void nm_policy_acted(struct nm_policy *p, const struct nm_decision *d, int node);

/* The DAMON sensor's reading (policydamon.c): DAMON's regions R (sorted by
 * address) mapped onto the policy's regions, which keep what was seen until
 * the next reading. 0, -ENOMEM or -EINVAL (R not sorted). */
int nm_policy_damon(struct nm_policy *p, const struct nm_damon_region *r, size_t n,
		    unsigned long aggr_us);

/* Locality of an evidence: percent of samples local, -1 without samples. */
double nm_evidence_locality(const struct nm_evidence *e);

/* The memory-only node nearest to FROM (by distance; ties: lowest number),
 * among ENV's allowed nodes with memory; -1 when there is none. */
int nm_nearest_memory_only(const struct nm_node_env *env, int from);

/* ---- rate cap: a token bucket ---------------------------------------- */
struct nm_rate {
	double bytes_per_s;		/* 0: unlimited */
	double burst;			/* bucket size, bytes */
	double tokens;
	double last;			/* time of the last update, seconds */
};

void nm_rate_init(struct nm_rate *r, double bytes_per_s, double burst, double now);
/* Seconds to wait at NOW before BYTES may be spent (0: now). BYTES above the
 * burst are treated as the burst (the caller cuts its work to the burst). */
double nm_rate_wait(struct nm_rate *r, double bytes, double now);
/* Spends BYTES at NOW (the bucket may go negative: later waits pay it). */
void nm_rate_spend(struct nm_rate *r, double bytes, double now);

#endif
