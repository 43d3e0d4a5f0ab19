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
#include <bpf/bpf_tracing.h>
#include "migrate.h"

const volatile __u32 filter_tgid = 0;
const volatile __u32 region_shift = 21;

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

/* ---- which regions the kernel migrates, by reason ---------------------- */

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);		/* thread id */
	__type(value, __u32);		/* reason of its current migration */
} cur_reason SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NM_MIGRATE_MAX_REGIONS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);		/* address >> region_shift */
	__type(value, struct nm_migrate_region);
} mig_regions SEC(".maps");

/* [0]: set_migration_pte events not placed (region map full) */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} mig_dropped SEC(".maps");

static const struct nm_migrate_region zero_region;

static __always_inline bool wanted(void)
{
	return !filter_tgid || (bpf_get_current_pid_tgid() >> 32) == filter_tgid;
}

SEC("tp_btf/mm_migrate_pages_start")
int BPF_PROG(on_migrate_start, enum migrate_mode mode, int reason)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), r = (__u32)reason;

	if (!wanted())
		return 0;
	bpf_map_update_elem(&cur_reason, &tid, &r, BPF_ANY);
	return 0;
}

SEC("tp_btf/set_migration_pte")
int BPF_PROG(on_set_migration_pte, unsigned long addr, unsigned long pte, int order)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), zero = 0, reason;
	struct nm_migrate_region *v;
	__u64 key = addr >> region_shift, *d;
	__u32 *rp;

	if (!wanted())
		return 0;
	rp = bpf_map_lookup_elem(&cur_reason, &tid);
	reason = rp ? *rp : NM_MIGRATE_REASON_UNKNOWN;
	v = bpf_map_lookup_elem(&mig_regions, &key);
	if (!v) {
		bpf_map_update_elem(&mig_regions, &key, &zero_region, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&mig_regions, &key);
		if (!v) {
			d = bpf_map_lookup_elem(&mig_dropped, &zero);
			if (d)
				__sync_fetch_and_add(d, 1);
			return 0;
		}
	}
	if (reason >= NM_MIGRATE_MAX_REASONS)
		reason = NM_MIGRATE_REASON_UNKNOWN;
	asm volatile("" : "+r"(reason));	/* keep the mask for the verifier */
	__sync_fetch_and_add(&v->pages[reason & (NM_MIGRATE_MAX_REASONS - 1)],
			     1ULL << (order & 15));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
