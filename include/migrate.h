/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types shared by bpf/migrate.bpf.c and userspace/migtrace.c: counters of the
 * kernel's migrate:mm_migrate_pages tracepoint, aggregated in the kernel per
 * migration reason. The reason number is the kernel's enum migrate_reason,
 * which differs between kernels: the BPF programs record which value each
 * reason of NM_MIGRATE_KNOWN_REASONS has in the running kernel (CO-RE enum
 * relocations), and user space names other values from the kernel's BTF.
 */
#ifndef NM_INCLUDE_MIGRATE_H
#define NM_INCLUDE_MIGRATE_H

#ifdef __BPF__
/* vmlinux.h already provides __u32/__u64 */
#else
#include <linux/types.h>
#endif

/* enum migrate_reason has 10 members on 6.18; leave room for growth. */
#define NM_MIGRATE_MAX_REASONS 32

/* The members of enum migrate_reason that the programs locate in the
 * running kernel (MR_ID there; absent ones are skipped), with the name user
 * space gives them: MR_ID in lower case, as BTF would give it. */
#define NM_MIGRATE_KNOWN_REASONS(X)				\
	X(COMPACTION, "compaction")				\
	X(MEMORY_FAILURE, "memory_failure")			\
	X(MEMORY_HOTPLUG, "memory_hotplug")			\
	X(SYSCALL, "syscall")					\
	X(MEMPOLICY_MBIND, "mempolicy_mbind")			\
	X(NUMA_MISPLACED, "numa_misplaced")			\
	X(CONTIG_RANGE, "contig_range")				\
	X(LONGTERM_PIN, "longterm_pin")				\
	X(DEMOTION, "demotion")					\
	X(DAMON, "damon")

enum nm_known_reason {
#define NM_KR_ENUM(id, name) NM_KR_##id,
	NM_MIGRATE_KNOWN_REASONS(NM_KR_ENUM)
#undef NM_KR_ENUM
	NM_KR_COUNT
};

struct nm_migrate_stats {
	__u64 events;		/* mm_migrate_pages events seen */
	__u64 succeeded;	/* base pages (or folios on older kernels) migrated */
	__u64 failed;		/* pages that failed to migrate */
	__u64 thp_succeeded;	/* THPs migrated */
	__u64 thp_failed;	/* THPs that failed */
	__u64 thp_split;	/* THPs split during migration */
};

_Static_assert(sizeof(struct nm_migrate_stats) == 48,
	       "nm_migrate_stats layout is shared with BPF");

/* Kernel migrations of the target's pages, per address region (address >>
 * region_shift), by reason, source node and destination node, from the
 * migrate:set_migration_pte / remove_migration_pte pair (and the _pmd pair
 * for THPs). The reason is the one of the migrating task's last
 * mm_migrate_pages_start; NM_MIGRATE_REASON_UNKNOWN collects migrations
 * whose start was not seen. Nodes are found from the page frame numbers the
 * two tracepoints carry through a table of memory blocks user space fills
 * (NM_NODE_UNKNOWN when a frame is outside it). from == to means the
 * migration failed and the page stayed where it was. */
#define NM_MIGRATE_REASON_UNKNOWN (NM_MIGRATE_MAX_REASONS - 1)
#define NM_MIGRATE_MAX_FLOWS 65536
#define NM_MIGRATE_MAX_BLOCKS 65536
#define NM_NODE_UNKNOWN 0xffff

struct nm_migrate_flow_key {
	__u64 region;		/* address >> region_shift */
	__u32 reason;
	__u16 from_node;
	__u16 to_node;
};

_Static_assert(sizeof(struct nm_migrate_flow_key) == 16,
	       "nm_migrate_flow_key layout is shared with BPF");

/* mig_dropped slots */
enum nm_migrate_drop {
	NM_MIG_DROP_FLOWS = 0,	/* flow map full: migration not placed */
	NM_MIG_DROP_PENDING,	/* remove_migration_pte without its set_ (map evicted) */
	NM_MIG_DROP_EVENTS,	/* event ring buffer full */
	NM_MIG_DROP_NSLOTS,
};

/* One finished migration of a page mapped at ADDR, sent when emit_events is
 * set: for the target's own threads and, when the address lies in one of
 * the target's regions (target_regions), for any other task too (kcompactd,
 * kswapd demotion, another process's move_pages). User space confirms a
 * foreign event belongs to the target by its source frame. */
struct nm_migrate_event {
	__u64 ts_ns;		/* bpf_ktime_get_ns() */
	__u64 addr;
	__u64 src_pfn;
	__u64 dst_pfn;
	__u32 actor_tgid;	/* the task that migrated the page */
	__u32 actor_tid;
	__u32 reason;
	__u16 from_node;
	__u16 to_node;
	__u16 cpu_node;		/* node of the CPU it ran on */
	__u16 order;		/* 0: base page, 9: THP */
	__u32 pad;
	char comm[16];
};

_Static_assert(sizeof(struct nm_migrate_event) == 72,
	       "nm_migrate_event layout is shared with BPF");

#endif
