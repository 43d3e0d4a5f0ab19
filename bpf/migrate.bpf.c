// SPDX-License-Identifier: GPL-2.0
/*
 * Counts the kernel's page migrations (migrate:mm_migrate_pages, as a raw
 * tracepoint) per reason.
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
#include "migstats.h"

const volatile __u32 filter_tgid = 0;
const volatile __u32 region_shift = 21;

/*
 * The running kernel's value of each member of NM_MIGRATE_KNOWN_REASONS (-1:
 * not in this kernel), written by the first program that sees a migration,
 * before it counts anything: user space reads it to name the reasons it
 * finds, instead of parsing the kernel's BTF a second time (libbpf parsed it
 * for these relocations; under QEMU that second parse cost 0.07 s a move).
 */
__s32 reason_value[NM_KR_COUNT];
__u32 reason_values_set;

static __always_inline void note_reason_values(void)
{
	if (reason_values_set)
		return;
#define NM_KR_VALUE(id, name)							\
	reason_value[NM_KR_##id] = bpf_core_enum_value_exists(enum migrate_reason, MR_##id) ? \
				   (__s32)bpf_core_enum_value(enum migrate_reason, MR_##id) : -1;
	NM_MIGRATE_KNOWN_REASONS(NM_KR_VALUE)
#undef NM_KR_VALUE
	asm volatile("" ::: "memory");	/* the table before its flag */
	reason_values_set = 1;
}

/*
 * A raw tracepoint, not a classic one: its link is released without the
 * grace-period wait with which perf closes the last user of a classic
 * tracepoint (0.08 s of every move on the build machine, more under QEMU),
 * and it needs no tracefs. Its arguments are mm_migrate_pages' TP_PROTO:
 * succeeded, failed, thp_succeeded, thp_failed, then thp_split (5.18+) and
 * large_folio_split (6.12+) where the kernel has them, then mode and
 * reason: the event's fields in the same order, so the kernel's BTF of
 * the event's record says which arguments there are. Each branch reads the
 * context at constant offsets; the verifier drops the ones CO-RE made dead.
 */
SEC("raw_tp/mm_migrate_pages")
int handle_mm_migrate_pages(struct bpf_raw_tracepoint_args *ctx)
{
	struct trace_event_raw_mm_migrate_pages *fmt = NULL;
	__u64 split = 0;
	__u32 reason;

	if (filter_tgid && (bpf_get_current_pid_tgid() >> 32) != filter_tgid)
		return 0;

	if (bpf_core_field_exists(fmt->large_folio_split)) {
		split = ctx->args[4];
		reason = (__u32)ctx->args[7];
		NM_CTX_READ_DONE();
	} else if (bpf_core_field_exists(fmt->thp_split)) {
		split = ctx->args[4];
		reason = (__u32)ctx->args[6];
		NM_CTX_READ_DONE();
	} else {
		reason = (__u32)ctx->args[5];
		NM_CTX_READ_DONE();
	}
	note_reason_values();
	nm_count_migration(ctx->args, reason, split);
	return 0;
}

/* ---- which regions the kernel migrates, by reason and nodes ------------ */

const volatile __u32 block_pfn_shift = 15;	/* 128 MiB memory blocks */
const volatile bool emit_events = false;

/* memory block (pfn >> block_pfn_shift) -> node + 1 (0: unknown), filled
 * by user space between load and attach */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NM_MIGRATE_MAX_BLOCKS);
	__type(key, __u32);
	__type(value, __u32);
} block_node SEC(".maps");

/* regions (address >> region_shift) of the target, filled by user space
 * when emit_events is set: other tasks' migrations there are sent */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NM_MIGRATE_MAX_FLOWS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);
	__type(value, __u8);
} target_regions SEC(".maps");

struct pending_key {
	__u64 addr;
	__u32 tid;
	__u32 pad;
};

struct pending {
	__u64 src_pfn;
	__u32 reason;
	__u32 count;	/* a shared folio at the same address in several mms */
	__u16 from_node;
	__u16 foreign;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct pending_key);
	__type(value, struct pending);
} pending SEC(".maps");

/*
 * The fast path of `pending`: one entry a thread, in its task storage. NUMA
 * balancing migrates one folio a call, so its set and remove meet here and
 * never touch the LRU hash, whose update and delete take its locks (1.7-1.9
 * us a call under QEMU, two calls a page). A thread that has several folios
 * in flight (move_pages, compaction) keeps the first here and the rest in
 * `pending`. Empty when count is 0; a stale one (its remove never seen)
 * only sends that thread's later pages to `pending`, and goes with the task.
 * The slot also holds the reason of the thread's current migration (+1, 0:
 * none seen), written by mm_migrate_pages_start: no hash lookup at either end.
 */
struct pend_slot {
	__u64 addr;
	struct pending p;
	__u32 reason1;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct pend_slot);
} pend_slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NM_MIGRATE_MAX_FLOWS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct nm_migrate_flow_key);
	__type(value, __u64);		/* base pages */
} mig_flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NM_MIG_DROP_NSLOTS);
	__type(key, __u32);
	__type(value, __u64);
} mig_dropped SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} mig_events SEC(".maps");

static __always_inline bool is_target(void)
{
	return !filter_tgid || (bpf_get_current_pid_tgid() >> 32) == filter_tgid;
}

static __always_inline void drop(__u32 slot)
{
	__u64 *d = bpf_map_lookup_elem(&mig_dropped, &slot);

	if (d)
		__sync_fetch_and_add(d, 1);
}

/*
 * x86-64 page table entries. A migration entry is a swap entry whose offset
 * is the source frame, stored inverted (the L1TF mitigation, since 4.19):
 * offset = ~pte << SWP_TYPE_BITS(5) >> SWP_OFFSET_SHIFT(14); the bits above
 * the frame may hold the entry's young/dirty flags, hence the 34-bit mask
 * (64 TiB of physical address space). A present entry holds the frame in
 * bits 12-51; a PROT_NONE one (NUMA hinting) holds it inverted.
 */
#define NM_PFN_MASK ((1ULL << 34) - 1)

static __always_inline __u64 swp_pfn(__u64 pte)
{
	return ((~pte) << 5 >> 14) & NM_PFN_MASK;
}

static __always_inline __u64 present_pfn(__u64 pte)
{
	if (!(pte & 1) && (pte & (1ULL << 8)))
		pte = ~pte;
	return (pte >> 12) & ((1ULL << 40) - 1);
}

static __always_inline __u16 pfn_node(__u64 pfn)
{
	__u64 blk = pfn >> block_pfn_shift;
	__u32 k, *n;

	if (blk >= NM_MIGRATE_MAX_BLOCKS)
		return NM_NODE_UNKNOWN;
	k = (__u32)blk;
	n = bpf_map_lookup_elem(&block_node, &k);
	return n && *n ? (__u16)(*n - 1) : NM_NODE_UNKNOWN;
}

SEC("tp_btf/mm_migrate_pages_start")
int BPF_PROG(on_migrate_start, enum migrate_mode mode, int reason)
{
	struct pend_slot *slot;

	if (!is_target() && !emit_events)
		return 0;
	note_reason_values();	/* before an event or flow can carry R */
	/* only this thread writes its slot; without one (no memory) its
	 * migrations' reason reads as unknown */
	slot = bpf_task_storage_get(&pend_slots, bpf_get_current_task_btf(), 0,
				    BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (slot)
		slot->reason1 = (__u32)reason + 1;
	return 0;
}

static __always_inline int on_set(__u64 addr, __u64 pte)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct pending_key k = { .addr = addr, .tid = tid };
	struct pending v = { 0 }, *old;
	struct pend_slot *slot;
	bool foreign = false;

	if (!is_target()) {
		__u64 region = addr >> region_shift;

		if (!emit_events || !bpf_map_lookup_elem(&target_regions, &region))
			return 0;
		foreign = true;
	}
	slot = bpf_task_storage_get(&pend_slots, bpf_get_current_task_btf(), 0,
				    BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (slot && slot->p.count && slot->addr == addr) {
		slot->p.count++;	/* only this thread writes its slot */
		return 0;
	}
	/* a free slot takes the folio without a look at `pending`: an entry of
	 * the same address and thread there (its set came while the slot was
	 * busy) describes the same folio, and either remove may take either */
	if (!slot || slot->p.count) {
		old = bpf_map_lookup_elem(&pending, &k);
		if (old) {
			__sync_fetch_and_add(&old->count, 1);
			return 0;
		}
	}
	v.reason = slot && slot->reason1 ? slot->reason1 - 1 : NM_MIGRATE_REASON_UNKNOWN;
	if (v.reason >= NM_MIGRATE_MAX_REASONS)
		v.reason = NM_MIGRATE_REASON_UNKNOWN;
	v.src_pfn = swp_pfn(pte);
	v.from_node = pfn_node(v.src_pfn);
	v.count = 1;
	v.foreign = foreign;
	if (slot && !slot->p.count) {
		slot->addr = addr;
		slot->p = v;
		return 0;
	}
	bpf_map_update_elem(&pending, &k, &v, BPF_ANY);
	return 0;
}

static __always_inline void add_flow(__u64 addr, struct pending *p, __u16 to, __u64 pages)
{
	struct nm_migrate_flow_key fk = {
		.region = addr >> region_shift,
		.reason = p->reason,
		.from_node = p->from_node,
		.to_node = to,
	};
	__u64 *c, one = pages;

	c = bpf_map_lookup_elem(&mig_flows, &fk);
	if (c) {
		__sync_fetch_and_add(c, pages);
		return;
	}
	if (bpf_map_update_elem(&mig_flows, &fk, &one, BPF_NOEXIST)) {
		c = bpf_map_lookup_elem(&mig_flows, &fk);
		if (c)
			__sync_fetch_and_add(c, pages);
		else
			drop(NM_MIG_DROP_FLOWS);
	}
}

static __always_inline int on_remove(__u64 addr, __u64 pte, int order)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct pending_key k = { .addr = addr, .tid = (__u32)id };
	struct nm_migrate_event *e;
	struct pend_slot *slot;
	struct pending p, *pp;
	__u64 dst;
	__u16 to;

	slot = bpf_task_storage_get(&pend_slots, bpf_get_current_task_btf(), 0, 0);
	if (slot && slot->p.count && slot->addr == addr) {
		p = slot->p;
		slot->p.count--;	/* 0: the slot is free again */
	} else {
		pp = bpf_map_lookup_elem(&pending, &k);
		if (!pp) {
			if (is_target())
				drop(NM_MIG_DROP_PENDING);
			return 0;
		}
		p = *pp;
		if (p.count > 1)
			__sync_fetch_and_add(&pp->count, -1);
		else
			bpf_map_delete_elem(&pending, &k);
	}
	dst = present_pfn(pte);
	to = pfn_node(dst);
	if (!p.foreign)
		add_flow(addr, &p, to, 1ULL << (order & 15));
	if (!emit_events)
		return 0;
	e = bpf_ringbuf_reserve(&mig_events, sizeof(*e), 0);
	if (!e) {
		drop(NM_MIG_DROP_EVENTS);
		return 0;
	}
	e->ts_ns = bpf_ktime_get_ns();
	e->addr = addr;
	e->src_pfn = p.src_pfn;
	e->dst_pfn = dst;
	e->actor_tgid = (__u32)(id >> 32);
	e->actor_tid = (__u32)id;
	e->reason = p.reason;
	e->from_node = p.from_node;
	e->to_node = to;
	e->cpu_node = (__u16)bpf_get_numa_node_id();
	e->order = (__u16)(order & 15);
	e->pad = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp_btf/set_migration_pte")
int BPF_PROG(on_set_migration_pte, unsigned long addr, unsigned long pte, int order)
{
	return on_set(addr, pte);
}

SEC("tp_btf/remove_migration_pte")
int BPF_PROG(on_remove_migration_pte, unsigned long addr, unsigned long pte, int order)
{
	return on_remove(addr, pte, order);
}

/* THPs migrated whole: a PMD migration entry is encoded like a PTE one */
SEC("tp_btf/set_migration_pmd")
int BPF_PROG(on_set_migration_pmd, unsigned long addr, unsigned long pmd)
{
	return on_set(addr, pmd);
}

SEC("tp_btf/remove_migration_pmd")
int BPF_PROG(on_remove_migration_pmd, unsigned long addr, unsigned long pmd)
{
	return on_remove(addr, pmd, 9);
}

char LICENSE[] SEC("license") = "GPL";
