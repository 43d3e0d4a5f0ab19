/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which node each physical memory block belongs to, from sysfs
 * (ROOT/sys/devices/system/memory/block_size_bytes and the memoryM links
 * under ROOT/sys/devices/system/node/nodeN/). The migration tracer uses it
 * to name the node of a page frame inside BPF.
 */
#ifndef NM_MEMBLOCKS_H
#define NM_MEMBLOCKS_H

#include <stdint.h>

/* The size of one memory block (a power of two), or -errno. */
int nm_memblocks_block_bytes(const char *root, uint64_t *block_bytes);

/* Calls FN(CTX, block, node) for every memory block of every node and sets
 * *BLOCK_BYTES. ROOT "" or NULL: the real /sys. Returns 0, FN's error, or
 * -errno (-ENOENT when the kernel has no memory block directory). */
int nm_memblocks_read(const char *root, uint64_t *block_bytes,
		      int (*fn)(void *ctx, uint64_t block, int node), void *ctx);

#endif
