/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types shared by bpf/migrate.bpf.c and userspace/migtrace.c: counters of the
 * kernel's migrate:mm_migrate_pages tracepoint, aggregated in the kernel per
 * migration reason. The reason number is the kernel's enum migrate_reason,
 * which differs between kernels: user space resolves it to a name from BTF.
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

/* Pages the kernel began migrating per address region (address >>
 * region_shift), by reason, from migrate:set_migration_pte. The reason is
 * the one of the task's last mm_migrate_pages_start; the last slot collects
 * migrations whose start was not seen. */
#define NM_MIGRATE_REASON_UNKNOWN (NM_MIGRATE_MAX_REASONS - 1)
#define NM_MIGRATE_MAX_REGIONS 16384

struct nm_migrate_region {
	__u64 pages[NM_MIGRATE_MAX_REASONS];
};

_Static_assert(sizeof(struct nm_migrate_region) == 8 * NM_MIGRATE_MAX_REASONS,
	       "nm_migrate_region layout is shared with BPF");

#endif
