/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake process's pages for a move_pages(2) stand-in: NODE[i] is the node of
 * page i of [BASE, BASE + N pages of 4 KiB). Query mode (NODES NULL) reads it,
 * move mode sets it; an address outside is -EFAULT. Include after <cmocka.h>.
 */
#ifndef NM_FAKEPAGES_H
#define NM_FAKEPAGES_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

static inline void fake_pages_move(int *node, size_t n, uint64_t base, unsigned long count,
				   void **pages, const int *nodes, int *status)
{
	for (unsigned long i = 0; i < count; i++) {
		size_t p = ((uintptr_t)pages[i] - base) / 4096;

		if (p >= n) {
			status[i] = -EFAULT;
			continue;
		}
		if (nodes)
			node[p] = nodes[i];
		status[i] = node[p];
	}
}

#endif
