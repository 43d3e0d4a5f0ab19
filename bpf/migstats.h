/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-reason migration counter, shared by bpf/migrate.bpf.c and
 * bpf/migcount.bpf.c: the map user space reads (migtrace.c) and one
 * mm_migrate_pages event counted into it.
 */
#ifndef NM_BPF_MIGSTATS_H
#define NM_BPF_MIGSTATS_H

#include "migrate.h"

/* Ends each branch that reads the raw tracepoint's context at its own
 * constant offset: without it clang may merge the branches' loads into one
 * from the context plus a computed offset, which the verifier refuses
 * ("dereference of modified ctx ptr"). */
#define NM_CTX_READ_DONE() asm volatile("" ::: "memory")

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NM_MIGRATE_MAX_REASONS);
	__type(key, __u32);
	__type(value, struct nm_migrate_stats);
} migrate_stats SEC(".maps");

/* Counts one event: ARGS are the tracepoint's (succeeded, failed,
 * thp_succeeded, thp_failed first), REASON the kernel's value (one past the
 * table counts as NM_MIGRATE_REASON_UNKNOWN), SPLIT its THPs split. */
static __always_inline void nm_count_migration(const __u64 *args, __u32 reason, __u64 split)
{
	struct nm_migrate_stats *s;

	if (reason >= NM_MIGRATE_MAX_REASONS)
		reason = NM_MIGRATE_REASON_UNKNOWN;
	s = bpf_map_lookup_elem(&migrate_stats, &reason);
	if (!s)
		return;
	s->events++;
	s->succeeded += args[0];
	s->failed += args[1];
	s->thp_succeeded += args[2];
	s->thp_failed += args[3];
	s->thp_split += split;
}

#endif
