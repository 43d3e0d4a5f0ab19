// SPDX-License-Identifier: GPL-2.0
/*
 * The scheduler moving the target's threads between nodes for NUMA
 * balancing: sched_move_numa, sched_swap_numa, sched_stick_numa, counted per
 * (event, source CPU, destination CPU). User space turns CPUs into nodes.
 * tp_btf gives typed task pointers, so the filter reads task->tgid.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "schednuma.h"

const volatile __u32 target_tgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NM_SCHED_MAX_KEYS);
	__type(key, struct nm_sched_key);
	__type(value, __u64);
} sched_events SEC(".maps");

static __always_inline void count(__u32 event, int src, int dst)
{
	struct nm_sched_key k = { .event = event, .src_cpu = (__u32)src, .dst_cpu = (__u32)dst };
	__u64 one = 1, *v = bpf_map_lookup_elem(&sched_events, &k);

	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&sched_events, &k, &one, BPF_NOEXIST);
}

/* EVENT from SRC to DST, counted when task T (may be NULL) is the target's. */
static __always_inline void count_task(struct task_struct *t, __u32 event, int src, int dst)
{
	if (t && t->tgid == target_tgid)
		count(event, src, dst);
}

SEC("tp_btf/sched_move_numa")
int BPF_PROG(on_move_numa, struct task_struct *t, int src_cpu, int dst_cpu)
{
	count_task(t, NM_SCHED_MOVE, src_cpu, dst_cpu);
	return 0;
}

/* A swap (BOTH) moves the two tasks, each the other way; a stick moved
 * neither, and counts against the source task only. */
static __always_inline int pair_event(__u32 event, bool both, struct task_struct *src,
				      int src_cpu, struct task_struct *dst, int dst_cpu)
{
	count_task(src, event, src_cpu, dst_cpu);
	if (both)
		count_task(dst, event, dst_cpu, src_cpu);
	return 0;
}

SEC("tp_btf/sched_swap_numa")
int BPF_PROG(on_swap_numa, struct task_struct *src, int src_cpu, struct task_struct *dst,
	     int dst_cpu)
{
	return pair_event(NM_SCHED_SWAP, true, src, src_cpu, dst, dst_cpu);
}

SEC("tp_btf/sched_stick_numa")
int BPF_PROG(on_stick_numa, struct task_struct *src, int src_cpu, struct task_struct *dst,
	     int dst_cpu)
{
	return pair_event(NM_SCHED_STICK, false, src, src_cpu, dst, dst_cpu);
}

char LICENSE[] SEC("license") = "GPL";
