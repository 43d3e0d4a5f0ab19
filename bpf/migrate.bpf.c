// SPDX-License-Identifier: GPL-2.0
/*
 * Counts the kernel's page migrations (migrate:mm_migrate_pages) per reason.
 *
 * filter_tgid selects whose migrations count: the tracepoint fires in the
 * context of the task that migrates, so for move_pages(2) it is the caller
 * (numa-migrate itself), and for NUMA balancing it is the faulting task.
 * 0 counts every migration on the system.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "migrate.h"

const volatile __u32 filter_tgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NM_MIGRATE_MAX_REASONS);
	__type(key, __u32);
	__type(value, struct nm_migrate_stats);
} migrate_stats SEC(".maps");

/* Reasons at or past NM_MIGRATE_MAX_REASONS land here so nothing is lost. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} unknown_reason SEC(".maps");

SEC("tp/migrate/mm_migrate_pages")
int handle_mm_migrate_pages(struct trace_event_raw_mm_migrate_pages *ctx)
{
	struct nm_migrate_stats *s;
	__u32 reason, zero = 0;
	__u64 *unk;

	if (filter_tgid && (bpf_get_current_pid_tgid() >> 32) != filter_tgid)
		return 0;

	reason = (__u32)BPF_CORE_READ(ctx, reason);
	if (reason >= NM_MIGRATE_MAX_REASONS) {
		unk = bpf_map_lookup_elem(&unknown_reason, &zero);
		if (unk)
			__sync_fetch_and_add(unk, 1);
		return 0;
	}
	s = bpf_map_lookup_elem(&migrate_stats, &reason);
	if (!s)
		return 0;
	s->events++;
	s->succeeded += BPF_CORE_READ(ctx, succeeded);
	s->failed += BPF_CORE_READ(ctx, failed);
	s->thp_succeeded += BPF_CORE_READ(ctx, thp_succeeded);
	s->thp_failed += BPF_CORE_READ(ctx, thp_failed);
	if (bpf_core_field_exists(ctx->thp_split))
		s->thp_split += BPF_CORE_READ(ctx, thp_split);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
