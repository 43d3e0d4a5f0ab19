/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the heat report's tests (test_heatmap.c for aggregation,
 * text, JSON and CSV; test_heatsvg.c for the SVG): building a report and
 * rendering it to a string. Include after <cmocka.h> and "testutil.h".
 */
#ifndef NM_HEATTEST_H
#define NM_HEATTEST_H

#include <stdarg.h>
#include "heatmap.h"

#define KiB 1024ULL
#define MiB (1024ULL * 1024)
#define BASE 0x7f0000000000ULL		/* 2 MiB aligned */


/* noinline: gcc -O3 otherwise takes the memstream buffer for a dangling
 * pointer to the local that open_memstream() fills in */
enum fmt { TEXT, CSV, SVG, META };

static __attribute__((noinline, unused)) char *
render(enum fmt fmt, const struct nm_heat *h, size_t max_rows)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	assert_non_null(f);
	switch (fmt) {
	case TEXT: nm_heat_report_text(f, h, max_rows); break;
	case CSV: nm_heat_report_csv(f, h); break;
	case SVG: nm_heat_report_svg(f, h); break;
	case META: nm_heat_report_meta(f, h, "# "); break;
	}
	assert_int_equal(fclose(f), 0);
	assert_non_null(s);
	assert_int_equal(strlen(s), len);
	return s;
}

/* assert_contains and assert_lacks: testutil.h */

/* A hinting-fault record: NODE_ACCESS pairs (node, count) end with -1;
 * OTHER faults come from CPUs of nodes past NM_HEAT_NODES. */
static inline struct nm_hf_region faults(uint64_t other, uint64_t migrated, uint64_t failed, ...)
{
	struct nm_hf_region f;
	va_list ap;
	int node;

	memset(&f, 0, sizeof(f));
	f.other_node = other;
	f.migrated = migrated;
	f.migrate_failed = failed;
	va_start(ap, failed);
	while ((node = va_arg(ap, int)) >= 0) {
		uint64_t c = va_arg(ap, uint64_t);

		f.by_cpu_node[node] = c;
		f.by_mem_node[0] += c;
	}
	va_end(ap);
	/* as the kernel counts: every fault once by CPU node and once by page
	 * node (here all pages on node 0), OTHER being CPUs past the array */
	f.by_mem_node[0] += other;
	return f;
}

/* Adds accesses C on NODE at ADDR. */
static inline void add_access(struct nm_heat *h, uint64_t addr, int node, uint64_t c)
{
	struct nm_hf_region f = faults(0, 0, 0, node, c, -1);

	assert_int_equal(nm_heat_add_faults(h, addr, &f), 0);
}

static inline void add_pages(struct nm_heat *h, uint64_t addr, int node, uint64_t p)
{
	assert_int_equal(nm_heat_add_pages(h, addr, node, p), 0);
}


static inline void vma_add(struct nm_vma_list *l, uint64_t start, uint64_t end,
		    enum nm_vma_kind kind, const char *path)
{
	struct nm_vma *v;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		assert_non_null(l->v);
	}
	v = &l->v[l->n++];
	memset(v, 0, sizeof(*v));
	v->start = start;
	v->end = end;
	memcpy(v->perms, "rw-p", 5);
	v->kind = kind;
	v->path = path ? strdup(path) : NULL;
}


/* Two regions, 15 samples: A hot on node 0, B on node 1. */
static inline void two_regions(struct nm_heat *h)
{
	assert_int_equal(nm_heat_init(h, 2 * MiB), 0);
	add_access(h, BASE, 0, 10);
	add_pages(h, BASE, 0, 4);
	add_pages(h, BASE, 1, 2);
	add_access(h, BASE + 2 * MiB, 1, 5);
	add_pages(h, BASE + 2 * MiB, 1, 3);
}

#endif
