/* SPDX-License-Identifier: GPL-2.0 */
/* Binary search over arrays sorted by a uint64_t field (mapping starts). */
#ifndef NM_BSEARCH_H
#define NM_BSEARCH_H

#include <stddef.h>
#include <stdint.h>

/* The index of the first of the N elements of SIZE bytes at BASE whose
 * uint64_t at OFFSET is >= KEY (N when none is); the array is sorted by
 * that field. */
size_t nm_lower_bound_u64(const void *base, size_t n, size_t size, size_t offset,
			  uint64_t key);

#endif
