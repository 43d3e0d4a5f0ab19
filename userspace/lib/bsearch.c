// SPDX-License-Identifier: GPL-2.0
/* Binary search over arrays sorted by a uint64_t field (see bsearch.h). */
#include <string.h>
#include "bsearch.h"

size_t nm_lower_bound_u64(const void *base, size_t n, size_t size, size_t offset,
			  uint64_t key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t v;

		memcpy(&v, (const char *)base + mid * size + offset, sizeof(v));
		if (v < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
