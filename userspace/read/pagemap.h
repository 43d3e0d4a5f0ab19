/* SPDX-License-Identifier: GPL-2.0 */
/* /proc/PID/pagemap and /proc/kpageflags entries (Documentation/admin-guide/mm/pagemap.rst). */
#ifndef NM_PAGEMAP_H
#define NM_PAGEMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define NM_PM_PFN_MASK		((1ULL << 55) - 1)
#define NM_PM_SOFT_DIRTY	(1ULL << 55)
#define NM_PM_EXCLUSIVE		(1ULL << 56)
#define NM_PM_UFFD_WP		(1ULL << 57)
#define NM_PM_FILE		(1ULL << 61)
#define NM_PM_SWAP		(1ULL << 62)
#define NM_PM_PRESENT		(1ULL << 63)

/* kpageflags bits */
#define NM_KPF_COMPOUND_HEAD	15
#define NM_KPF_COMPOUND_TAIL	16
#define NM_KPF_HUGE		17
#define NM_KPF_NOPAGE		20
#define NM_KPF_THP		22
#define NM_KPF_ZERO_PAGE	24

struct nm_pagemap_entry {
	bool present, swapped, file_or_shared, exclusive;
	uint64_t pfn;		/* 0 when hidden (no CAP_SYS_ADMIN) or not present */
};

void nm_pagemap_decode(uint64_t raw, struct nm_pagemap_entry *out);

/* Whether the 512 entries (one PMD) look like one mapped THP: all present,
 * PFNs non-zero, contiguous, and the first aligned to 512. The caller then
 * confirms with kpageflags. */
bool nm_pagemap_pmd_contiguous(const uint64_t *raw, size_t n);

static inline bool nm_kpf_test(uint64_t flags, int bit)
{
	return (flags >> bit) & 1;
}

/* Opens ROOT/proc/PID/pagemap read-only. Returns fd or -errno. */
int nm_pagemap_open(const char *root, pid_t pid);
/* Reads N entries for pages starting at virtual address ADDR (page size PS,
 * a power of two). Returns 0 or -errno: -EIO on a short read, -EINVAL for a
 * bad PS, -EOVERFLOW when the offset does not fit off_t. */
int nm_pagemap_read(int fd, uint64_t addr, uint64_t ps, size_t n, uint64_t *out);

#endif
