// SPDX-License-Identifier: GPL-2.0
/*
 * NUMA hinting faults of one process (target_tgid), or of every process in
 * the pid set map (target_tgid 0: auto --all, one set of programs for the
 * whole server), aggregated per (process, address region).
 *
 * task_numa_fault(last_cpupid, mem_node, pages, flags) ends every hinting
 * fault, on the faulting CPU, but carries no address. The address is
 * remembered per thread just before, by the first of these that attaches:
 *   fentry/numa_migrate_check (6.12+) or fentry/numa_migrate_prep (6.1): the
 *     hinting fault's own step that decides where the page goes, called only
 *     for hinting faults (4 KiB and THP);
 *   tp_btf/page_fault_user: every user page fault of every process (1154 of
 *     1156 hinting faults matched in the kernel notes' test), so every fault
 *     on the machine pays the dispatch while it is attached.
 * The hinting-fault hook exists in two flavours, fentry (cheaper) and kprobe;
 * user space (hintfault.c) loads what this kernel allows and says which.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "hintfault.h"

/* kernel/sched/sched.h: #defines, so not in BTF; stable since 3.8 */
#define TNF_MIGRATED		0x01
#define TNF_MIGRATE_FAIL	0x10

/* the one process traced; 0: the processes of the pids map */
const volatile __u32 target_tgid = 0;
const volatile __u32 region_shift = 21;

/* The last user fault address, per CPU, tagged with the thread: the
 * hinting fault is handled on the CPU that took the fault, so a per-CPU slot
 * is enough and much cheaper than a hash update on every fault (the fault-
 * heavy benchmark). A thread moved to another CPU mid-fault finds no match
 * and is counted as NM_HF_NO_ADDR, never attributed to a wrong address. */
struct fault_slot {
	__u32 tid;
	__u32 pad;
	__u64 addr;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fault_slot);
} fault_addr SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NM_HF_MAX_PIDS);
	__type(key, __u32);		/* tgid */
	__type(value, __u8);
} pids SEC(".maps");

/*
 * The pid set's first test (auto --all, scan: target_tgid 0), kept by user
 * space with `pids`: how many of the set's tgids fall in each slot. An
 * array lookup is inlined by the verifier, so the page faults of a process
 * outside the set (every other process while auto --all runs) stop there
 * instead of paying the hash lookup, 240-250 ns a fault under QEMU.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NM_HF_PID_HINTS);
	__type(key, __u32);
	__type(value, __u32);
} pid_hint SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NM_HF_MAX_REGIONS);
	__type(key, struct nm_hf_key);
	__type(value, struct nm_hf_region);
} regions SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NM_HF_NSTATS);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static const struct nm_hf_region zero_region;

static __always_inline void stat_inc(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &which);

	if (v)
		(*v)++;
}

static __always_inline bool is_target(__u32 tgid)
{
	__u32 slot = tgid & (NM_HF_PID_HINTS - 1), *n;

	if (target_tgid)
		return tgid == target_tgid;
	n = bpf_map_lookup_elem(&pid_hint, &slot);
	if (!n || !*n)
		return false;
	return bpf_map_lookup_elem(&pids, &tgid) != NULL;
}

/* The address of the thread's fault, for its task_numa_fault. */
static __always_inline int remember(unsigned long address)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct fault_slot *slot;
	__u32 zero = 0;

	if (!is_target((__u32)(id >> 32)))
		return 0;
	slot = bpf_map_lookup_elem(&fault_addr, &zero);
	if (slot) {
		slot->tid = (__u32)id;
		slot->addr = address;
	}
	stat_inc(NM_HF_PAGE_FAULTS);
	return 0;
}

SEC("tp_btf/page_fault_user")
int BPF_PROG(on_page_fault_user, unsigned long address, struct pt_regs *regs,
	     unsigned long error_code)
{
	return remember(address);
}

/* 6.12+: numa_migrate_check(folio, vmf, addr, flags, writable, last_cpupid),
 * from do_numa_page and do_huge_pmd_numa_page (addr: the huge page's start) */
SEC("fentry/numa_migrate_check")
int BPF_PROG(fentry_numa_migrate_check, void *folio, void *vmf, unsigned long addr)
{
	return remember(addr);
}

/* 6.1: numa_migrate_prep(page, vma, addr, page_nid, flags), the same two
 * callers */
SEC("fentry/numa_migrate_prep")
int BPF_PROG(fentry_numa_migrate_prep, void *page, void *vma, unsigned long addr)
{
	return remember(addr);
}

/* arr[node]++, or (*other)++ for a node past the array. The empty asm hides
 * the bound from clang, which would otherwise drop the mask and index with
 * the unchecked register, which the verifier rejects. */
static __always_inline void count_node(__u64 *arr, __u64 *other, __u32 node)
{
	if (node >= NM_HF_MAX_NODES) {
		__sync_fetch_and_add(other, 1);
		return;
	}
	asm volatile("" : "+r"(node));
	__sync_fetch_and_add(&arr[node & (NM_HF_MAX_NODES - 1)], 1);
}

static __always_inline int account(int mem_node, int pages, int flags)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	__u32 cpu_node;
	struct nm_hf_region *r;
	struct fault_slot *slot;
	__u32 zero = 0;
	struct nm_hf_key key = { .tgid = (__u32)(id >> 32) };

	/* every process's hinting faults come here: those of a process not
	 * traced leave before any other helper call (auto --all's bystanders) */
	if (!is_target(key.tgid))
		return 0;
	cpu_node = bpf_get_numa_node_id();
	stat_inc(NM_HF_FAULTS);
	slot = bpf_map_lookup_elem(&fault_addr, &zero);
	if (!slot || slot->tid != tid) {
		stat_inc(NM_HF_NO_ADDR);
		return 0;
	}
	key.region = slot->addr >> region_shift;
	slot->tid = 0;	/* one fault, one address */
	r = bpf_map_lookup_elem(&regions, &key);
	if (!r) {
		if (bpf_map_update_elem(&regions, &key, &zero_region, BPF_NOEXIST) &&
		    !bpf_map_lookup_elem(&regions, &key)) {
			stat_inc(NM_HF_DROPPED);	/* map full */
			return 0;
		}
		r = bpf_map_lookup_elem(&regions, &key);
		if (!r)
			return 0;
	}
	count_node(r->by_cpu_node, &r->other_node, cpu_node);
	count_node(r->by_mem_node, &r->other_node, (__u32)mem_node);
	__sync_fetch_and_add(&r->pages, pages > 0 ? pages : 0);
	if (flags & TNF_MIGRATED)
		__sync_fetch_and_add(&r->migrated, 1);
	else if ((__u32)mem_node == cpu_node)
		__sync_fetch_and_add(&r->local, 1);	/* local before the fault */
	if (flags & TNF_MIGRATE_FAIL)
		__sync_fetch_and_add(&r->migrate_failed, 1);
	return 0;
}

SEC("fentry/task_numa_fault")
int BPF_PROG(fentry_task_numa_fault, int last_cpupid, int mem_node, int pages, int flags)
{
	return account(mem_node, pages, flags);
}

SEC("kprobe/task_numa_fault")
int BPF_KPROBE(kprobe_task_numa_fault, int last_cpupid, int mem_node, int pages, int flags)
{
	return account(mem_node, pages, flags);
}

char LICENSE[] SEC("license") = "GPL";
