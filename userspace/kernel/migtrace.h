/* SPDX-License-Identifier: GPL-2.0 */
/* Loads bpf/migrate.bpf.c and reads its per-reason counters. */
#ifndef NM_MIGTRACE_H
#define NM_MIGTRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "kcounts.h"

struct nm_migtrace;

/* Opens, loads and attaches the migration tracepoint counter, counting the
 * migrations done by task group TGID (0: all). On failure returns -errno and
 * writes why into kc->why (kc->available = false): the move goes on. */
int nm_migtrace_start(struct nm_migtrace **out, pid_t tgid,
		      struct nm_kernel_counts *kc);
struct nm_migtrace_opts {
	pid_t tgid;			/* whose own migrations count (0: all) */
	unsigned int region_shift;	/* region size 2^shift bytes */
	bool regions;			/* per-region flows by reason and node */
	bool events;			/* also send every migration of the target's
					 * pages as an event (nm_migtrace_poll_events),
					 * other tasks' ones too in the regions given
					 * to nm_migtrace_add_target_region */
};

/* Opens, loads, attaches as O asks. Per-region flows need tp_btf on the
 * migration entry tracepoints: when they are refused the counters still
 * work and kc->regions_why says why (kc->regions false). */
int nm_migtrace_open(struct nm_migtrace **out, const struct nm_migtrace_opts *o,
		     struct nm_kernel_counts *kc);
/* nm_migtrace_open with regions on, events off. */
int nm_migtrace_start_regions(struct nm_migtrace **out, pid_t tgid, unsigned int region_shift,
			      struct nm_kernel_counts *kc);

struct nm_migtrace_drops {
	uint64_t flows;		/* flow map full: migrations not placed */
	uint64_t unmatched;	/* a migration's end without its start */
	uint64_t events;	/* event ring buffer full */
};

/* Calls FN per region, reason, source and destination node (-1: unknown;
 * equal: the migration failed) with the pages the target's own threads
 * migrated. Returns 0, FN's error or -errno. */
int nm_migtrace_read_flows(struct nm_migtrace *t,
			   int (*fn)(void *ctx, uint64_t region_start, const char *reason,
				     int from, int to, uint64_t pages),
			   void *ctx, struct nm_migtrace_drops *drops);

/* Marks the region holding ADDR as the target's, so other tasks'
 * migrations there are sent as events (opts.events). */
int nm_migtrace_add_target_region(struct nm_migtrace *t, uint64_t addr);

struct nm_mig_event {
	uint64_t ts_ns, addr, src_pfn, dst_pfn;
	pid_t actor_tgid, actor_tid;	/* who migrated it */
	const char *reason;		/* name from BTF, "unknown" */
	int from_node, to_node;		/* -1: unknown; equal: failed */
	int cpu_node;			/* node of the CPU the actor ran on */
	unsigned int order;		/* 9: a THP */
	char comm[16];			/* the actor's */
};

/* Waits up to TIMEOUT_MS for events and calls FN for each; returns 0, FN's
 * first error, or -errno. */
int nm_migtrace_poll_events(struct nm_migtrace *t, int timeout_ms,
			    int (*fn)(void *ctx, const struct nm_mig_event *e), void *ctx);

/* The kernel's name of REASON ("numa_misplaced"), "reason_N" when it has
 * none, "unknown" for NM_MIGRATE_REASON_UNKNOWN and above. */
const char *nm_migtrace_reason_name(struct nm_migtrace *t, unsigned int reason);

/* Reads the counters into KC, with the reasons' names. */
int nm_migtrace_read(struct nm_migtrace *t, struct nm_kernel_counts *kc);
void nm_migtrace_stop(struct nm_migtrace *t);

struct nm_hook_status;
/* What nm_migtrace_open's KC says about each migrate:* hook of the hook
 * table, into ST (indexed by enum nm_hook_id). */
void nm_migtrace_hooks(const struct nm_kernel_counts *kc, struct nm_hook_status *st);

/* Silences libbpf's own messages unless NM_BPF_DEBUG is set. */
void nm_bpf_quiet(void);

#endif
