/* SPDX-License-Identifier: GPL-2.0 */
/* /proc/PID/numa_maps: parser (pure) and reader (takes a root path). */
#ifndef NM_NUMA_MAPS_H
#define NM_NUMA_MAPS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "nm.h"
#include "procstream.h"

struct nm_numa_maps_entry {
	uint64_t start;
	char policy[64];		/* "default", "bind:0", "prefer:1" ... */
	uint64_t node_pages[NM_MAX_NODES]; /* N<node>=, in kernelpagesize_kB units
					    * (base pages, except hugetlb) */
	uint64_t anon, dirty, mapped, mapmax, active, swapcache, writeback;
	uint64_t unevictable;
	uint64_t kernelpagesize_kb;	/* 0 when absent */
	int heap, stack, huge;
	char *file;			/* owned, or NULL */
};

struct nm_numa_maps {
	struct nm_numa_maps_entry *e;
	size_t n, cap;
};

/* Returns 0, -EINVAL (malformed, e.g. bad number or node >= NM_MAX_NODES:
 * -ERANGE), -ENOMEM. */
int nm_numa_maps_parse_line(const char *line, struct nm_numa_maps_entry *out);
/* Replaces OUT's contents (start from a zeroed or freed list); on error OUT
 * is left empty and *bad_line (1-based) names the line of -EINVAL/-ERANGE. */
int nm_numa_maps_parse(const char *text, struct nm_numa_maps *out, size_t *bad_line);
int nm_numa_maps_read(const char *root, pid_t pid, struct nm_numa_maps *out);
void nm_numa_maps_free(struct nm_numa_maps *m);

/* Streams ROOT/proc/PID/numa_maps: FN(CTX, entry) for each line as it is
 * read, in the kernel's (address) order, so memory stays one line whatever
 * the number of mappings. ENTRY is valid during the call only; its file is
 * NULL (lines are parsed in place, with no allocation: the path is not
 * kept). FN returns 0 to go on or -errno to stop with. READY (may be NULL):
 * the file is read from the start and its lines kept until READY(CTX)
 * says FN may have them (nm_proc_each_line_when). Returns 0 or -errno (a
 * malformed line: -EINVAL or -ERANGE). */
typedef int (*nm_numa_maps_fn)(void *ctx, const struct nm_numa_maps_entry *e);
int nm_numa_maps_each(const char *root, pid_t pid, nm_numa_maps_fn fn, void *ctx,
		      nm_ready_fn ready);

/* Finds the entry whose start equals START, or NULL. */
const struct nm_numa_maps_entry *
nm_numa_maps_find(const struct nm_numa_maps *m, uint64_t start);

/* Sum of N<node>= for one entry. */
uint64_t nm_numa_maps_entry_total(const struct nm_numa_maps_entry *e);

/* Adds E's pages by node to NODE in base pages of PAGE_SIZE (numa_maps
 * counts in the mapping's kernel page size, kernelpagesize_kB: hugetlb)
 * and returns their sum. */
uint64_t nm_numa_maps_entry_pages(const struct nm_numa_maps_entry *e, uint64_t page_size,
				  uint64_t node[NM_MAX_NODES]);

#endif
