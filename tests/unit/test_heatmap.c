// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/output/heatmap.c and heatreport.c: the page heat
 * report of a trace session (aggregation by region, nm_heat_finish, and the
 * text, JSON and CSV outputs; the SVG: test_heatsvg.c). */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "testutil.h"
#include <json-c/json.h>
#include "heatmap.h"
#include "heattest.h"

/* ---- helpers ---------------------------------------------------------------- */

/* nm_heat_json printed, then parsed back with json_tokener_parse. */
static struct json_object *json_roundtrip(const struct nm_heat *h)
{
	struct json_object *o = nm_heat_json(h), *p;
	const char *txt;

	assert_non_null(o);
	txt = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	assert_non_null(txt);
	p = json_tokener_parse(txt);
	if (!p)
		fail_msg("nm_heat_json text does not parse:\n%s", txt);
	json_object_put(o);
	assert_true(json_object_is_type(p, json_type_object));
	return p;
}

/* Lines of TEXT starting with PREFIX. */
static size_t count_prefix(const char *text, const char *prefix)
{
	size_t n = 0, k = strlen(prefix);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, prefix, k))
			n++;
	return n;
}

/* The line of TEXT starting with PREFIX, copied into BUF (no newline). */
static const char *line_with_prefix_(const char *text, const char *prefix, char *buf,
				     size_t size, int ln)
{
	size_t k = strlen(prefix);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, prefix, k)) {
			const char *e = strchr(p, '\n');
			size_t len = e ? (size_t)(e - p) : strlen(p);

			assert_true(len < size);
			memcpy(buf, p, len);
			buf[len] = '\0';
			return buf;
		}
	fail_msg_at(__FILE__, ln, "no line starting '%s' in:\n%s", prefix, text);
	return NULL;
}
#define line_with_prefix(text, prefix, buf) \
	line_with_prefix_((text), (prefix), (buf), sizeof(buf), __LINE__)

static const struct nm_heat_region *find_(const struct nm_heat *h, uint64_t start, int ln)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->r[i].start == start)
			return &h->r[i];
	fail_msg_at(__FILE__, ln, "no region 0x%" PRIx64 " (of %zu)", start, h->n);
	return NULL;
}
#define find(h, start) find_((h), (start), __LINE__)

static int split_words(const char *s, char f[][64], int max);
static size_t csv_fields(const char *p, char f[][128], size_t max);
static size_t csv_col_(char hdr[][128], size_t n, const char *name, int ln);
#define csv_col(hdr, n, name) csv_col_((hdr), (n), (name), __LINE__)
static size_t csv_header_(const char *t, int mn, char hdr[][128], size_t max, int ln);
#define csv_header(t, mn, hdr) csv_header_((t), (mn), (hdr), sizeof(hdr) / sizeof(hdr[0]), __LINE__)
static struct json_object *jget_(struct json_object *o, const char *key, int ln);
#define jget(o, key) jget_((o), (key), __LINE__)
static uint64_t ju64_(struct json_object *o, const char *key, int ln);
#define ju64(o, key) ju64_((o), (key), __LINE__)

/* ---- nm_heat_init ----------------------------------------------------------- */

static void test_init_granularity(void **state)
{
	static const uint64_t bad[] = { 0, 1, 1000, 2048, 4095, 4097, 6144, 12288, 3 * MiB };
	static const uint64_t good[] = { 4096, 64 * KiB, 2 * MiB, 1024 * MiB };
	struct nm_heat h;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (nm_heat_init(&h, bad[i]) != -EINVAL)
			fail_msg("granularity %" PRIu64 " accepted", bad[i]);
		nm_heat_free(&h);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (nm_heat_init(&h, good[i]) != 0)
			fail_msg("granularity %" PRIu64 " rejected", good[i]);
		assert_int_equal(h.granularity, good[i]);
		assert_int_equal(h.n, 0);
		assert_false(h.finished);
		nm_heat_free(&h);
	}
}

/* ---- bucketing -------------------------------------------------------------- */

static void test_bucket_aligns_down(void **state)
{
	struct nm_heat h;
	struct nm_hf_region f = faults(0, 0, 0, 0, (uint64_t)2, -1);

	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	add_pages(&h, BASE + 4096, 0, 3);
	add_pages(&h, BASE + 2 * MiB - 1, 0, 4);
	add_pages(&h, BASE, 1, 5);
	assert_int_equal(nm_heat_add_faults(&h, BASE + 12345, &f), 0);
	assert_int_equal(nm_heat_add_faults(&h, BASE + 2 * MiB - 4096, &f), 0);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.r[0].start, BASE);
	assert_int_equal(h.r[0].pages[0], 7);
	assert_int_equal(h.r[0].pages[1], 5);
	assert_int_equal(h.r[0].access[0], 4);

	/* the next byte is the next region */
	add_pages(&h, BASE + 2 * MiB, 0, 1);
	add_pages(&h, BASE - 1, 0, 1);
	assert_int_equal(h.n, 3);
	nm_heat_finish(&h, NULL);
	assert_int_equal(find(&h, BASE + 2 * MiB)->pages[0], 1);
	assert_int_equal(find(&h, BASE - 2 * MiB)->pages[0], 1);
	assert_int_equal(find(&h, BASE)->pages[0], 7);
	nm_heat_free(&h);
}

static void test_bucket_granularity_counts(void **state)
{
	static const uint64_t addr[] = {
		BASE, BASE + 4096, BASE + 64 * KiB, BASE + 128 * KiB + 5, BASE + 1 * MiB,
		BASE + 2 * MiB - 1, BASE + 2 * MiB, BASE + 2 * MiB + 64 * KiB - 1,
	};
	struct nm_heat h64, h2m;

	assert_int_equal(nm_heat_init(&h64, 64 * KiB), 0);
	assert_int_equal(nm_heat_init(&h2m, 2 * MiB), 0);
	for (size_t i = 0; i < sizeof(addr) / sizeof(addr[0]); i++) {
		add_pages(&h64, addr[i], 0, 1);
		add_pages(&h2m, addr[i], 0, 1);
	}
	/* 64K: BASE, +64K, +128K, +1M, +2M-64K, +2M */
	assert_int_equal(h64.n, 6);
	assert_int_equal(h2m.n, 2);
	nm_heat_finish(&h64, NULL);
	nm_heat_finish(&h2m, NULL);
	assert_int_equal(find(&h64, BASE)->pages[0], 2);
	assert_int_equal(find(&h64, BASE + 128 * KiB)->pages[0], 1);
	assert_int_equal(find(&h64, BASE + 2 * MiB - 64 * KiB)->pages[0], 1);
	assert_int_equal(find(&h64, BASE + 2 * MiB)->pages[0], 2);
	assert_int_equal(find(&h2m, BASE)->pages[0], 6);
	assert_int_equal(find(&h2m, BASE + 2 * MiB)->pages[0], 2);
	nm_heat_free(&h64);
	nm_heat_free(&h2m);
}

/* ---- adds ------------------------------------------------------------------- */

static void test_add_faults_sums(void **state)
{
	struct nm_heat h;
	struct nm_hf_region a = faults(2, 1, 2, 0, (uint64_t)3, 1, (uint64_t)5,
				       NM_HEAT_NODES - 1, (uint64_t)1, -1);
	struct nm_hf_region b = faults(1, 3, 0, 0, (uint64_t)4, 7, (uint64_t)9, -1);

	/* by_mem_node and pages are not accesses: a's pages sit on node 3 */
	a.by_mem_node[3] = a.by_mem_node[0];
	a.by_mem_node[0] = 0;
	a.pages = 512;
	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	assert_int_equal(nm_heat_add_faults(&h, BASE, &a), 0);
	assert_int_equal(nm_heat_add_faults(&h, BASE + 8192, &b), 0);
	assert_int_equal(nm_heat_add_faults(&h, BASE + 4096, &b), 0);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.r[0].access[0], 3 + 4 + 4);
	assert_int_equal(h.r[0].access[1], 5);
	assert_int_equal(h.r[0].access[3], 0);
	assert_int_equal(h.r[0].access[7], 18);
	assert_int_equal(h.r[0].access[NM_HEAT_NODES - 1], 1);
	assert_int_equal(h.r[0].other_access, 2 + 1 + 1);
	assert_int_equal(h.r[0].migrated, 1 + 3 + 3);
	assert_int_equal(h.r[0].migrate_failed, 2);
	for (int n = 0; n < NM_HEAT_NODES; n++)
		assert_int_equal(h.r[0].pages[n], 0);
	assert_int_equal(h.r[0].other_pages, 0);
	nm_heat_finish(&h, NULL);
	assert_int_equal(h.r[0].total_access, 11 + 5 + 18 + 1 + 4);
	nm_heat_free(&h);
}

static void test_add_pages_nodes(void **state)
{
	struct nm_heat h;

	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	add_pages(&h, BASE, 0, 10);
	add_pages(&h, BASE, 0, 5);
	add_pages(&h, BASE, NM_HEAT_NODES - 1, 7);
	add_pages(&h, BASE, NM_HEAT_NODES, 3);
	add_pages(&h, BASE, NM_HEAT_NODES + 40, 4);
	assert_int_equal(nm_heat_add_pages(&h, BASE, -1, 100), -EINVAL);
	assert_int_equal(nm_heat_add_pages(&h, BASE, -1000, 100), -EINVAL);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.r[0].pages[0], 15);
	assert_int_equal(h.r[0].pages[NM_HEAT_NODES - 1], 7);
	assert_int_equal(h.r[0].other_pages, 7);
	for (int n = 1; n < NM_HEAT_NODES - 1; n++)
		assert_int_equal(h.r[0].pages[n], 0);
	for (int n = 0; n < NM_HEAT_NODES; n++)
		assert_int_equal(h.r[0].access[n], 0);
	nm_heat_free(&h);
}

/* A rejected add must leave no trace: no empty region in the report. */
static void test_add_pages_negative_node_adds_no_region(void **state)
{
	struct nm_heat h;

	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	assert_int_equal(nm_heat_add_pages(&h, BASE, -1, 100), -EINVAL);
	assert_int_equal(h.n, 0);
	add_pages(&h, BASE, 0, 1);
	assert_int_equal(nm_heat_add_pages(&h, BASE + 4 * MiB, -2, 1), -EINVAL);
	assert_int_equal(h.n, 1);
	nm_heat_free(&h);
}

static void test_add_after_finish(void **state)
{
	struct nm_heat h;
	struct nm_hf_region f = faults(0, 0, 0, 0, (uint64_t)1, -1);

	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	add_pages(&h, BASE, 0, 1);
	nm_heat_finish(&h, NULL);
	assert_true(h.finished);
	/* an existing region and a new one */
	assert_int_equal(nm_heat_add_faults(&h, BASE, &f), -EINVAL);
	assert_int_equal(nm_heat_add_faults(&h, BASE + 8 * MiB, &f), -EINVAL);
	assert_int_equal(nm_heat_add_pages(&h, BASE, 0, 5), -EINVAL);
	assert_int_equal(nm_heat_add_pages(&h, BASE + 8 * MiB, 0, 5), -EINVAL);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.r[0].pages[0], 1);
	assert_int_equal(h.r[0].access[0], 0);
	nm_heat_free(&h);
}

/* ---- nm_heat_finish --------------------------------------------------------- */

static void test_finish_dominant_and_misplaced(void **state)
{
	struct nm_heat h;
	const uint64_t A = BASE, B = BASE + 2 * MiB, C = BASE + 4 * MiB, D = BASE + 6 * MiB,
		       E = BASE + 8 * MiB;
	const struct nm_heat_region *r;

	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	/* A: tie between nodes 1 and 2 (5 each) above node 0 -> 1 */
	add_access(&h, A, 2, 5);
	add_access(&h, A, 0, 3);
	add_access(&h, A, 1, 5);
	add_pages(&h, A, 0, 10);
	add_pages(&h, A, 1, 20);
	add_pages(&h, A, 2, 30);
	/* B: pages only: no samples */
	add_pages(&h, B, 0, 8);
	add_pages(&h, B, 1, 9);
	add_pages(&h, B, NM_HEAT_NODES + 1, 2);
	/* C: node 3 hot; pages elsewhere and on an unnumbered node */
	add_access(&h, C, 3, 10);
	add_access(&h, C, 0, 1);
	add_pages(&h, C, 3, 4);
	add_pages(&h, C, 0, 2);
	add_pages(&h, C, NM_HEAT_NODES, 7);
	/* D: the highest node wins alone */
	add_access(&h, D, NM_HEAT_NODES - 1, 1);
	add_pages(&h, D, NM_HEAT_NODES - 1, 6);
	/* E: all nodes tie -> 0 */
	for (int n = NM_HEAT_NODES - 1; n >= 0; n--)
		add_access(&h, E, n, 2);
	add_pages(&h, E, 0, 1);
	add_pages(&h, E, 5, 1);
	nm_heat_finish(&h, NULL);

	r = find(&h, A);
	assert_int_equal(r->dominant, 1);
	assert_int_equal(r->misplaced, 40);
	assert_int_equal(r->total_access, 13);
	r = find(&h, B);
	assert_int_equal(r->dominant, -1);
	assert_int_equal(r->misplaced, 0);
	assert_int_equal(r->total_access, 0);
	r = find(&h, C);
	assert_int_equal(r->dominant, 3);
	assert_int_equal(r->misplaced, 2 + 7);
	assert_int_equal(r->total_access, 11);
	r = find(&h, D);
	assert_int_equal(r->dominant, NM_HEAT_NODES - 1);
	assert_int_equal(r->misplaced, 0);
	r = find(&h, E);
	assert_int_equal(r->dominant, 0);
	assert_int_equal(r->misplaced, 1);
	assert_int_equal(r->total_access, 2 * NM_HEAT_NODES);
	nm_heat_free(&h);
}

static void test_finish_total_includes_other(void **state)
{
	struct nm_heat h;
	struct nm_hf_region f = faults(6, 0, 0, 2, (uint64_t)4, -1);

	assert_int_equal(nm_heat_init(&h, 4096), 0);
	assert_int_equal(nm_heat_add_faults(&h, BASE, &f), 0);
	nm_heat_finish(&h, NULL);
	assert_int_equal(h.r[0].total_access, 10);
	assert_int_equal(h.r[0].dominant, 2);
	nm_heat_free(&h);
}

static void test_finish_order(void **state)
{
	static const struct { uint64_t off; uint64_t acc; } in[] = {
		{ 3, 5 }, { 1, 10 }, { 7, 0 }, { 2, 5 }, { 0, 0 }, { 4, 10 }, { 6, 11 }, { 5, 1 },
	};
	static const uint64_t want[] = { 6, 1, 4, 2, 3, 5, 0, 7 };
	struct nm_heat h;

	assert_int_equal(nm_heat_init(&h, 64 * KiB), 0);
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		uint64_t a = BASE + in[i].off * 64 * KiB;

		add_pages(&h, a, 0, 1);
		if (in[i].acc) {
			/* split over nodes so only the total orders */
			add_access(&h, a, 1, in[i].acc / 2);
			add_access(&h, a, 0, in[i].acc - in[i].acc / 2);
		}
	}
	nm_heat_finish(&h, NULL);
	assert_int_equal(h.n, 8);
	for (size_t i = 0; i < h.n; i++)
		if (h.r[i].start != BASE + want[i] * 64 * KiB)
			fail_msg("row %zu is 0x%" PRIx64 " (%" PRIu64 " accesses), expected 0x%"
				 PRIx64, i, h.r[i].start, h.r[i].total_access,
				 BASE + want[i] * 64 * KiB);
	nm_heat_free(&h);
}

/* An address and the mapping its region must be labelled with. */
struct label {
	uint64_t at;
	const char *mapping;
};

/* One sample page on node 0 at each of the N addresses of WANT, then the
 * regions finished against L. */
static void add_label_pages(struct nm_heat *h, const struct label *want, size_t n,
			    const struct nm_vma_list *l)
{
	for (size_t i = 0; i < n; i++)
		add_pages(h, want[i].at, 0, 1);
	nm_heat_finish(h, l);
}

/* The region (of REGION bytes) holding each address of WANT is labelled with
 * its mapping. */
static void assert_labels(struct nm_heat *h, uint64_t region, const struct label *want, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *got = find(h, want[i].at - want[i].at % region)->mapping;

		if (strcmp(got, want[i].mapping))
			fail_msg("region of 0x%" PRIx64 " is labelled '%s', expected '%s'", want[i].at,
				 got, want[i].mapping);
	}
}
#define NLABELS(a) (sizeof(a) / sizeof((a)[0]))

static void test_finish_mapping(void **state)
{
	struct nm_vma_list l = { 0 };
	struct nm_heat h, h2;
	const uint64_t G = 2 * MiB;

	vma_add(&l, 0x400000, 0x600000, NM_VMA_FILE, "/usr/bin/app");
	vma_add(&l, 0x1000000, 0x1400000, NM_VMA_HEAP, NULL);
	vma_add(&l, 0x2100000, 0x2180000, NM_VMA_FILE, "/lib/late.so");	/* mid-region */
	vma_add(&l, 0x3000000, 0x3100000, NM_VMA_FILE, "/lib/a.so");
	vma_add(&l, 0x3100000, 0x3200000, NM_VMA_FILE, "/lib/b.so");
	vma_add(&l, 0x4200000, 0x4400000, NM_VMA_ANON, NULL);		/* starts at next region */
	vma_add(&l, 0x5000000, 0x5100000, NM_VMA_FILE, "/lib/ends.so");	/* ends before 0x5200000 */
	vma_add(&l, 0x6000000, 0x6200000, NM_VMA_HEAP, "[heap]");
	vma_add(&l, 0x7000000, 0x7200000, NM_VMA_ANON, "[anon:jit]");
	vma_add(&l, BASE, BASE + 4 * G, NM_VMA_ANON, NULL);
	vma_add(&l, 0x7ffff0000000, 0x7ffff0200000, NM_VMA_STACK, NULL);

	const struct label want[] = {
		{ 0x400000, "/usr/bin/app" }, { 0x1200000 + 4096, "[heap]" }, { 0x2000000, "/lib/late.so" },
		{ 0x3000000, "/lib/a.so" }, { 0x4000000, "unmapped" }, { 0x5200000, "unmapped" },
		{ 0x6000000, "[heap]" }, { 0x7000000, "[anon:jit]" }, { BASE + 3 * G, "anon" },
		{ 0x7ffff0000000, "[stack]" }, { 0x40000000, "unmapped" },
	};

	assert_int_equal(nm_heat_init(&h, G), 0);
	add_label_pages(&h, want, NLABELS(want), &l);
	assert_labels(&h, G, want, NLABELS(want));

	/* no vma list at all */
	assert_int_equal(nm_heat_init(&h2, G), 0);
	add_pages(&h2, 0x400000, 0, 1);
	nm_heat_finish(&h2, NULL);
	assert_string_equal(h2.r[0].mapping, "unmapped");
	nm_heat_free(&h2);
	nm_heat_free(&h);
	nm_vma_list_free(&l);
}

static void test_samples(void **state)
{
	struct nm_heat h;
	struct nm_hf_region f = faults(3, 9, 9, 0, (uint64_t)2, 4, (uint64_t)5, -1);

	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	assert_int_equal(nm_heat_samples(&h), 0);
	add_pages(&h, BASE, 0, 100);
	assert_int_equal(nm_heat_samples(&h), 0);
	assert_int_equal(nm_heat_add_faults(&h, BASE, &f), 0);
	assert_int_equal(nm_heat_add_faults(&h, BASE + 10 * MiB, &f), 0);
	add_access(&h, BASE + 20 * MiB, NM_HEAT_NODES - 1, 7);
	assert_int_equal(nm_heat_samples(&h), 2 * (3 + 2 + 5) + 7);
	nm_heat_finish(&h, NULL);
	assert_int_equal(nm_heat_samples(&h), 27);
	nm_heat_free(&h);
}

/* ---- kernel migrations ------------------------------------------------------ */

static void test_kernel_migrations(void **state)
{
	struct nm_heat h;
	char name[32];

	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	assert_int_equal(nm_heat_add_kernel_migrations(&h, "numa_misplaced", 3, 1), 0);
	assert_int_equal(nm_heat_add_kernel_migrations(&h, "compaction", 2, 0), 0);
	assert_int_equal(nm_heat_add_kernel_migrations(&h, "numa_misplaced", 4, 2), 0);
	assert_int_equal(h.nreasons, 2);
	assert_string_equal(h.reason[0].name, "numa_misplaced");
	assert_int_equal(h.reason[0].succeeded, 7);
	assert_int_equal(h.reason[0].failed, 3);
	assert_string_equal(h.reason[1].name, "compaction");
	assert_int_equal(h.reason[1].succeeded, 2);
	assert_int_equal(h.reason[1].failed, 0);

	for (int i = 2; i < 32; i++) {
		snprintf(name, sizeof(name), "reason%d", i);
		assert_int_equal(nm_heat_add_kernel_migrations(&h, name, (uint64_t)i, 1), 0);
	}
	assert_int_equal(h.nreasons, 32);
	assert_int_equal(nm_heat_add_kernel_migrations(&h, "one_too_many", 1, 1), -ENOSPC);
	assert_int_equal(h.nreasons, 32);
	/* known reasons still accumulate when the table is full */
	assert_int_equal(nm_heat_add_kernel_migrations(&h, "reason31", 1, 1), 0);
	assert_int_equal(h.reason[31].succeeded, 32);
	assert_int_equal(h.reason[31].failed, 2);
	assert_int_equal(nm_heat_add_kernel_migrations(&h, "compaction", 1, 0), 0);
	assert_int_equal(h.reason[1].succeeded, 3);
	nm_heat_free(&h);
}

/* The same (long) reason twice is one reason, not two entries with one name. */
static void test_kernel_migrations_long_name(void **state)
{
	static const char longname[] = "a_reason_name_longer_than_thirty_one_chars";
	struct nm_heat h;

	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	assert_int_equal(nm_heat_add_kernel_migrations(&h, longname, 1, 0), 0);
	assert_int_equal(nm_heat_add_kernel_migrations(&h, longname, 2, 1), 0);
	assert_int_equal(h.nreasons, 1);
	assert_int_equal(h.reason[0].succeeded, 3);
	assert_int_equal(h.reason[0].failed, 1);
	nm_heat_free(&h);
}

/* Per-region kernel migrations (nm_heat_add_region_migration) and where the
 * reports show them. */
static void test_region_migrations(void **state)
{
	struct nm_heat h;
	const struct nm_heat_region *r;
	struct json_object *o, *km;
	char *t, buf[256], f[8][64], hdr[32][128], row[32][128];
	int nf;
	size_t nh;

	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	assert_int_equal(nm_heat_add_kernel_migrations(&h, "compaction", 9, 1), 0);
	assert_int_equal(nm_heat_add_region_migration(&h, BASE + 4096, "numa_misplaced", 0, 1, 100), 0);
	assert_int_equal(nm_heat_add_region_migration(&h, BASE + 2 * MiB - 1, "numa_misplaced", 0, 1, 50), 0);
	assert_int_equal(nm_heat_add_region_migration(&h, BASE, "compaction", 0, 1, 7), 0);
	assert_int_equal(nm_heat_add_region_migration(&h, BASE + 2 * MiB, "compaction", 0, 1, 3), 0);
	/* a failed one (stayed on node 1) and one whose frames' node is unknown */
	assert_int_equal(nm_heat_add_region_migration(&h, BASE, "numa_misplaced", 1, 1, 2), 0);
	assert_int_equal(nm_heat_add_region_migration(&h, BASE, "compaction", -1, 0, 4), 0);
	add_access(&h, BASE, 0, 5);
	add_pages(&h, BASE, 0, 1);
	assert_int_equal(h.n, 2);
	h.mig_dropped = 4;
	h.region_bound = 131072;
	nm_heat_set_meta(&h, 3, 1.0, 5, 0, 0);
	nm_heat_finish(&h, NULL);
	r = find(&h, BASE);
	assert_int_equal(r->kmig_total, 163);
	assert_int_equal(find(&h, BASE + 2 * MiB)->kmig_total, 3);
	/* by node: 157 left node 0 for node 1; 2 failed; 4 of unknown origin */
	assert_int_equal(r->kmig_out[0], 157);
	assert_int_equal(r->kmig_in[1], 157);
	assert_int_equal(r->kmig_in[0], 0);
	assert_int_equal(r->kmig_out[1], 0);
	assert_int_equal(r->kmig_failed, 2);
	assert_int_equal(r->kmig_unknown_node, 4);
	assert_int_equal(r->nflows, 4);	/* (reason, from, to) merged */
	/* the session totals are the ones given, not the per-region sums */
	assert_int_equal(h.reason[0].succeeded, 9);
	assert_int_equal(h.reason[0].failed, 1);

	t = render(TEXT, &h, 50);
	assert_line(t, "WARNING: 4 kernel migrations could not be placed in regions (region map full)");
	assert_line(t, "region map: 131072 entries (sized from the resident footprint)");
	line_with_prefix(t, "0x00007f0000000000 ", buf);
	nf = split_words(strchr(buf, ']') + 1, f, 8);
	assert_int_equal(nf, 6);
	assert_string_equal(f[4], "163");
	assert_string_equal(f[5], "unmapped");
	assert_line(t, "  0x00007f0000000000  numa_misplaced   node 0 -> 1: 150 pages");
	assert_line(t, "  0x00007f0000000000  numa_misplaced   node 1 -> 1: 2 pages (failed)");
	assert_line(t, "  0x00007f0000000000  compaction       node ? -> 0: 4 pages");
	assert_line(t, "  0x00007f0000200000  compaction       node 0 -> 1: 3 pages");
	free(t);

	t = render(META, &h, 0);
	assert_line(t, "# WARNING: 4 kernel migrations could not be placed in regions (region map full)");
	free(t);
	t = render(CSV, &h, 0);
	assert_null(strstr(t, "WARNING"));
	nh = csv_header(t, 1, hdr);
	assert_int_equal(csv_fields(strstr(t, "\n0x7f0000000000,") + 1, row, 32), nh);
	assert_string_equal(row[csv_col(hdr, nh, "kernel_migrated_pages")], "163");
	assert_string_equal(row[csv_col(hdr, nh, "migrated_out_node0")], "157");
	assert_string_equal(row[csv_col(hdr, nh, "migrated_in_node1")], "157");
	assert_string_equal(row[csv_col(hdr, nh, "migrated_in_node0")], "0");
	assert_string_equal(row[csv_col(hdr, nh, "kernel_migrations_failed")], "2");
	assert_int_equal(csv_fields(strstr(t, "\n0x7f0000200000,") + 1, row, 32), nh);
	assert_string_equal(row[csv_col(hdr, nh, "kernel_migrated_pages")], "3");
	free(t);

	o = json_roundtrip(&h);
	assert_int_equal(ju64(o, "migrations_dropped"), 4);
	assert_int_equal(ju64(o, "region_map_entries"), 131072);
	km = jget(json_object_array_get_idx(jget(o, "regions"), 0), "kernel_migrations");
	assert_int_equal(json_object_object_length(km), 2);
	assert_int_equal(ju64(km, "numa_misplaced"), 152);
	assert_int_equal(ju64(km, "compaction"), 11);
	{
		struct json_object *r0 = json_object_array_get_idx(jget(o, "regions"), 0);
		struct json_object *fl = jget(r0, "kernel_migration_flows"), *x;

		assert_int_equal(ju64(jget(r0, "migrated_out_by_node"), "0"), 157);
		assert_int_equal(ju64(jget(r0, "migrated_in_by_node"), "1"), 157);
		assert_int_equal(json_object_object_length(jget(r0, "migrated_in_by_node")), 1);
		assert_int_equal(ju64(r0, "kernel_migrations_failed"), 2);
		assert_int_equal(ju64(r0, "kernel_migrations_unknown_node"), 4);
		assert_int_equal(json_object_array_length(fl), 4);
		x = json_object_array_get_idx(fl, 0);
		assert_string_equal(json_object_get_string(jget(x, "reason")), "numa_misplaced");
		assert_int_equal(json_object_get_int(jget(x, "from_node")), 0);
		assert_int_equal(json_object_get_int(jget(x, "to_node")), 1);
		assert_int_equal(ju64(x, "pages"), 150);
		x = json_object_array_get_idx(fl, 3);	/* compaction from an unknown node */
		{
			struct json_object *v = (struct json_object *)1;

			assert_true(json_object_object_get_ex(x, "from_node", &v));
			assert_null(v);	/* JSON null: unknown */
			assert_string_equal(json_object_get_string(jget(x, "reason")), "compaction");
		}
	}
	km = jget(json_object_array_get_idx(jget(o, "regions"), 1), "kernel_migrations");
	assert_int_equal(json_object_object_length(km), 1);
	assert_int_equal(ju64(km, "compaction"), 3);
	assert_int_equal(ju64(jget(jget(o, "kernel_migrations"), "compaction"), "succeeded"), 9);
	json_object_put(o);
	nm_heat_free(&h);
}

/* A refused nm_heat_add_region_migration leaves no trace: no empty region
 * when the reason table is full, no new reason after finish. */
static void test_region_migration_full_no_region(void **state)
{
	struct nm_heat h;
	char name[32];

	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	for (int i = 0; i < 32; i++) {
		snprintf(name, sizeof(name), "reason%d", i);
		assert_int_equal(nm_heat_add_kernel_migrations(&h, name, 1, 0), 0);
	}
	assert_int_equal(nm_heat_add_region_migration(&h, BASE, "one_too_many", 0, 1, 5), -ENOSPC);
	assert_int_equal(h.nreasons, 32);
	assert_int_equal(h.n, 0);
	nm_heat_free(&h);
}

static void test_region_migration_after_finish_no_new_reason(void **state)
{
	struct nm_heat h;

	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	assert_int_equal(nm_heat_add_region_migration(&h, BASE, "numa_misplaced", 0, 1, 5), 0);
	nm_heat_finish(&h, NULL);
	assert_int_equal(nm_heat_add_region_migration(&h, BASE, "compaction", 0, 1, 5), -EINVAL);
	assert_int_equal(nm_heat_add_region_migration(&h, BASE, "numa_misplaced", 0, 1, 5), -EINVAL);
	assert_int_equal(h.nreasons, 1);
	assert_int_equal(h.r[0].kmig_total, 5);
	nm_heat_free(&h);
}

/* ---- many regions ----------------------------------------------------------- */

#define MANY 100000

static uint64_t many_acc(size_t i, int n)
{
	uint64_t a = 0;

	if (n == (int)(i % 5))
		a += i % 1000;
	if (n == (int)((i + 1) % 5))
		a += 1;
	return a;
}

static void test_many_regions(void **state)
{
	struct nm_heat h;
	uint64_t want_samples = 0;
	static const size_t spot[] = { 0, 1, 999, 1000, 4096, 65535, 65536, 77777, 99998, 99999 };

	assert_int_equal(nm_heat_init(&h, 4096), 0);
	for (size_t i = 0; i < MANY; i++) {
		uint64_t a = BASE + i * 4096 + (i % 4096);
		struct nm_hf_region f = faults(i % 2, 0, 0, (int)(i % 5), (uint64_t)(i % 1000), -1);

		add_pages(&h, a, (int)(i % 4), i % 7 + 1);
		assert_int_equal(nm_heat_add_faults(&h, a, &f), 0);
		want_samples += i % 1000 + i % 2 + 1;
	}
	/* a second pass finds every region again after all the rehashing */
	for (size_t i = 0; i < MANY; i++) {
		struct nm_hf_region f = faults(0, 0, 0, (int)((i + 1) % 5), (uint64_t)1, -1);

		assert_int_equal(nm_heat_add_faults(&h, BASE + i * 4096 + 4095, &f), 0);
	}
	assert_int_equal(h.n, MANY);
	nm_heat_finish(&h, NULL);
	assert_int_equal(h.n, MANY);
	assert_int_equal(nm_heat_samples(&h), want_samples);

	bool *seen = calloc(MANY, sizeof(*seen));

	assert_non_null(seen);
	for (size_t k = 0; k < h.n; k++) {
		const struct nm_heat_region *r = &h.r[k];
		size_t i;

		assert_true(r->start >= BASE && (r->start - BASE) % 4096 == 0);
		i = (size_t)((r->start - BASE) / 4096);
		assert_true(i < MANY);
		assert_false(seen[i]);
		seen[i] = true;
		for (int n = 0; n < NM_HEAT_NODES; n++) {
			if (r->pages[n] != (n == (int)(i % 4) ? i % 7 + 1 : 0))
				fail_msg("region %zu node %d: %" PRIu64 " pages", i, n, r->pages[n]);
			if (r->access[n] != many_acc(i, n))
				fail_msg("region %zu node %d: %" PRIu64 " accesses, expected %"
					 PRIu64, i, n, r->access[n], many_acc(i, n));
		}
		assert_int_equal(r->other_access, i % 2);
		assert_int_equal(r->total_access, i % 1000 + 1 + i % 2);
		if (k > 0) {
			const struct nm_heat_region *p = &h.r[k - 1];

			if (p->total_access < r->total_access ||
			    (p->total_access == r->total_access && p->start >= r->start))
				fail_msg("rows %zu and %zu out of order", k - 1, k);
		}
	}
	free(seen);

	/* spot checks by address */
	for (size_t s = 0; s < sizeof(spot) / sizeof(spot[0]); s++) {
		size_t i = spot[s];
		const struct nm_heat_region *r = find(&h, BASE + i * 4096);
		int dom = i % 1000 > 1 ? (int)(i % 5) :
			  i % 1000 == 1 ? (int)(i % 5 < (i + 1) % 5 ? i % 5 : (i + 1) % 5) :
			  (int)((i + 1) % 5);

		assert_int_equal(r->pages[i % 4], i % 7 + 1);
		assert_int_equal(r->access[i % 5], i % 1000);
		assert_int_equal(r->access[(i + 1) % 5], 1);
		assert_int_equal(r->dominant, dom);
		assert_int_equal(r->misplaced, dom == (int)(i % 4) ? 0 : i % 7 + 1);
	}
	/* the hottest: i % 1000 == 999, i % 2 == 1 -> 1001; lowest address first */
	assert_int_equal(h.r[0].start, BASE + 999 * 4096);
	assert_int_equal(h.r[0].total_access, 1001);
	assert_int_equal(h.r[1].start, BASE + 1999 * 4096);
	nm_heat_free(&h);
}

/* ---- text ------------------------------------------------------------------- */

/* H with its meta (PID, DURATION_S, HINT_FAULTS, DROPPED, NO_ADDR) set,
 * finished, and rendered in FMT at MAX_ROWS. */
static char *finish_render(struct nm_heat *h, enum fmt fmt, size_t max_rows, pid_t pid,
			   double duration_s, uint64_t hint_faults, uint64_t dropped,
			   uint64_t no_addr)
{
	nm_heat_set_meta(h, pid, duration_s, hint_faults, dropped, no_addr);
	nm_heat_finish(h, NULL);
	return render(fmt, h, max_rows);
}

/* two_regions with that meta, finished, and its text at 50 rows. */
static char *two_regions_text(struct nm_heat *h, pid_t pid, double duration_s,
			      uint64_t hint_faults, uint64_t dropped, uint64_t no_addr)
{
	two_regions(h);
	return finish_render(h, TEXT, 50, pid, duration_s, hint_faults, dropped, no_addr);
}

static void test_text_header(void **state)
{
	struct nm_heat h;
	char *t = two_regions_text(&h, 4242, 12.34, 99, 0, 0);

	assert_true(!strncmp(t, "pid 4242: ", 10));
	assert_line(t, "pid 4242: 12.3 s traced, 99 hinting faults, 15 samples placed in 2 "
		    "regions of 2048 KiB, 0 dropped (region map full), 0 without address");
	assert_lacks(t, "WARNING");
	assert_line(t, "kernel migrations of this process: none");
	free(t);
	nm_heat_free(&h);
}

static void test_text_warning_no_samples(void **state)
{
	struct nm_heat h;
	char *t;

	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	add_pages(&h, BASE, 0, 4);
	t = finish_render(&h, TEXT, 50, 7, 1.0, 0, 0, 0);
	assert_line(t, "pid 7: 1.0 s traced, 0 hinting faults, 0 samples placed in 1 regions of "
		    "2048 KiB, 0 dropped (region map full), 0 without address");
	assert_int_equal(count_prefix(t, "WARNING: no hinting-fault samples"), 1);
	assert_int_equal(count_prefix(t, "WARNING"), 1);
	free(t);
	nm_heat_free(&h);

	/* empty session */
	assert_int_equal(nm_heat_init(&h, 4096), 0);
	nm_heat_finish(&h, NULL);
	t = render(TEXT, &h, 50);
	assert_int_equal(count_prefix(t, "WARNING: no hinting-fault samples"), 1);
	assert_int_equal(count_prefix(t, "0x"), 0);
	free(t);
	nm_heat_free(&h);
}

static void test_text_warning_missing(void **state)
{
	struct nm_heat h;
	char *t = two_regions_text(&h, 1, 2.0, 22, 3, 4);

	assert_contains(t, "3 dropped (region map full), 4 without address\n");
	assert_line(t, "WARNING: 7 samples are missing from the regions below");
	assert_int_equal(count_prefix(t, "WARNING"), 1);
	free(t);

	nm_heat_set_meta(&h, 1, 2.0, 22, 0, 1);
	t = render(TEXT, &h, 50);
	assert_line(t, "WARNING: 1 samples are missing from the regions below");
	free(t);
	nm_heat_set_meta(&h, 1, 2.0, 22, 2, 0);
	t = render(TEXT, &h, 50);
	assert_line(t, "WARNING: 2 samples are missing from the regions below");
	free(t);
	nm_heat_free(&h);

	/* both warnings */
	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	t = finish_render(&h, TEXT, 50, 1, 2.0, 5, 5, 0);
	assert_int_equal(count_prefix(t, "WARNING"), 2);
	assert_line(t, "WARNING: 5 samples are missing from the regions below");
	free(t);
	nm_heat_free(&h);
}

static void test_text_strip(void **state)
{
	struct nm_heat h;
	char *t, buf[256];

	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	add_access(&h, BASE, 0, 100);
	add_access(&h, BASE, 2, 1);
	add_access(&h, BASE + 2 * MiB, 1, 50);
	add_access(&h, BASE + 4 * MiB, 0, 100);
	add_access(&h, BASE + 4 * MiB, 1, 100);
	add_access(&h, BASE + 4 * MiB, 2, 12);
	add_pages(&h, BASE + 6 * MiB, 0, 1);
	nm_heat_finish(&h, NULL);
	t = render(TEXT, &h, 50);
	assert_contains(t, "0..2, ' ' none to '@' the most accesses of any region and node (100)");
	/* 100 of 100 -> '@', 0 -> ' ', 1 of 100 -> '.', 50 -> '+', 12 -> ':' */
	line_with_prefix(t, "0x00007f0000400000 ", buf);
	assert_true(!strncmp(buf, "0x00007f0000400000 [@@:]", 24));
	line_with_prefix(t, "0x00007f0000000000 ", buf);
	assert_true(!strncmp(buf, "0x00007f0000000000 [@ .]", 24));
	line_with_prefix(t, "0x00007f0000200000 ", buf);
	assert_true(!strncmp(buf, "0x00007f0000200000 [ + ]", 24));
	line_with_prefix(t, "0x00007f0000600000 ", buf);
	assert_true(!strncmp(buf, "0x00007f0000600000 [   ]", 24));
	/* hottest first */
	assert_true(strstr(t, "0x00007f0000400000") < strstr(t, "0x00007f0000000000"));
	assert_true(strstr(t, "0x00007f0000000000") < strstr(t, "0x00007f0000200000"));
	assert_true(strstr(t, "0x00007f0000200000") < strstr(t, "0x00007f0000600000"));
	free(t);
	nm_heat_free(&h);
}

/* Splits S at blanks into at most MAX words; returns the count. */
static int split_words(const char *s, char f[][64], int max)
{
	int n = 0;

	while (*s) {
		size_t k = 0;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		assert_true(n < max);
		while (*s && *s != ' ') {
			assert_true(k < 63);
			f[n][k++] = *s++;
		}
		f[n++][k] = '\0';
	}
	return n;
}

static void test_text_row_fields(void **state)
{
	struct nm_heat h;
	struct nm_vma_list l = { 0 };
	char *t, buf[256];
	char f[8][64];
	int nf;

	vma_add(&l, BASE, BASE + 2 * MiB, NM_VMA_FILE, "/lib/x.so");
	two_regions(&h);
	add_pages(&h, BASE + 4 * MiB, 0, 9);
	nm_heat_add_kernel_migrations(&h, "numa_misplaced", 5, 1);
	nm_heat_add_kernel_migrations(&h, "compaction", 2, 0);
	nm_heat_finish(&h, &l);
	t = render(TEXT, &h, 50);
	/* after the strip (which may hold spaces): accesses pages dom misplaced ... mapping */
	line_with_prefix(t, "0x00007f0000000000 ", buf);
	assert_true(!strncmp(buf, "0x00007f0000000000 [@ ]", 23));
	nf = split_words(strchr(buf, ']') + 1, f, 8);
	assert_true(nf >= 5);
	assert_string_equal(f[0], "10");	/* accesses */
	assert_string_equal(f[1], "6");		/* pages */
	assert_string_equal(f[2], "0");		/* dominant */
	assert_string_equal(f[3], "2");		/* misplaced */
	assert_string_equal(f[nf - 1], "/lib/x.so");
	line_with_prefix(t, "0x00007f0000400000 ", buf);
	assert_true(!strncmp(buf, "0x00007f0000400000 [  ]", 23));
	nf = split_words(strchr(buf, ']') + 1, f, 8);
	assert_true(nf >= 5);
	assert_string_equal(f[0], "0");
	assert_string_equal(f[1], "9");
	assert_string_equal(f[2], "-");
	assert_string_equal(f[3], "0");
	assert_string_equal(f[nf - 1], "unmapped");
	assert_line(t, "kernel migrations of this process: numa_misplaced 5 succeeded 1 failed; "
		    "compaction 2 succeeded 0 failed");
	free(t);
	nm_heat_free(&h);
	nm_vma_list_free(&l);
}

/* The column titles sit over their columns: "accesses" ends where the
 * accesses numbers end, "mapping" starts where the mapping names start. */
static void test_text_columns_aligned(void **state)
{
	struct nm_heat h;
	struct nm_vma_list l = { 0 };
	char *t, hdr[256], row[256];

	vma_add(&l, BASE, BASE + 2 * MiB, NM_VMA_FILE, "/lib/x.so");
	for (int mn = 0; mn < 6; mn++) {
		assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
		add_access(&h, BASE, mn, 12345678);
		add_pages(&h, BASE, 0, 87654321);
		nm_heat_finish(&h, &l);
		t = render(TEXT, &h, 50);
		line_with_prefix(t, "region ", hdr);
		line_with_prefix(t, "0x00007f0000000000 ", row);
		if (strstr(hdr, "accesses") + 8 - hdr != strstr(row, "12345678") + 8 - row)
			fail_msg("%d nodes: 'accesses' column misaligned:\n%s\n%s", mn + 1, hdr, row);
		if (strstr(hdr, "mapping") - hdr != strstr(row, "/lib/x.so") - row)
			fail_msg("%d nodes: 'mapping' column misaligned:\n%s\n%s", mn + 1, hdr, row);
		free(t);
		nm_heat_free(&h);
	}
	nm_vma_list_free(&l);
}

static void test_text_truncation(void **state)
{
	struct nm_heat h;
	char *t;

	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	for (int i = 0; i < 5; i++)
		add_access(&h, BASE + (uint64_t)i * 2 * MiB, 0, (uint64_t)i + 1);
	nm_heat_finish(&h, NULL);
	t = render(TEXT, &h, 2);
	assert_int_equal(count_prefix(t, "0x"), 2);
	assert_line(t, "(3 more regions; --json or --csv list them all)");
	/* the two hottest are shown */
	assert_contains(t, "0x00007f0000800000 ");
	assert_contains(t, "0x00007f0000600000 ");
	free(t);
	t = render(TEXT, &h, 0);
	assert_int_equal(count_prefix(t, "0x"), 0);
	assert_int_equal(count_prefix(t, "(5 more regions"), 1);
	free(t);
	t = render(TEXT, &h, 5);
	assert_int_equal(count_prefix(t, "0x"), 5);
	assert_lacks(t, "more regions");
	free(t);
	nm_heat_free(&h);
}

/* ---- JSON ------------------------------------------------------------------- */

static struct json_object *jget_(struct json_object *o, const char *key, int ln)
{
	struct json_object *v = NULL;

	if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v))
		fail_msg_at(__FILE__, ln, "JSON has no '%s' in %s", key,
			    json_object_to_json_string(o));
	return v;
}

static uint64_t ju64_(struct json_object *o, const char *key, int ln)
{
	struct json_object *v = jget_(o, key, ln);

	if (!json_object_is_type(v, json_type_int))
		fail_msg_at(__FILE__, ln, "'%s' is not an integer", key);
	return json_object_get_uint64(v);
}

static const char *jstr_(struct json_object *o, const char *key, int ln)
{
	struct json_object *v = jget_(o, key, ln);

	if (!json_object_is_type(v, json_type_string))
		fail_msg_at(__FILE__, ln, "'%s' is not a string", key);
	return json_object_get_string(v);
}
#define jstr(o, key) jstr_((o), (key), __LINE__)

/* A by-node object: every key "0".."15" (or "other") absent or equal. */
static void assert_by_node_(struct json_object *o, const uint64_t *want, uint64_t other, int ln)
{
	char key[12];
	struct json_object *v;

	if (!json_object_is_type(o, json_type_object))
		fail_msg_at(__FILE__, ln, "by-node value is not an object");
	for (int n = 0; n < NM_HEAT_NODES; n++) {
		uint64_t got = 0;

		snprintf(key, sizeof(key), "%d", n);
		if (json_object_object_get_ex(o, key, &v)) {
			if (!json_object_is_type(v, json_type_int))
				fail_msg_at(__FILE__, ln, "node %d is not an integer", n);
			got = json_object_get_uint64(v);
		}
		if (got != want[n])
			fail_msg_at(__FILE__, ln, "node %d: %" PRIu64 ", expected %" PRIu64 " in %s",
				    n, got, want[n], json_object_to_json_string(o));
	}
	if ((json_object_object_get_ex(o, "other", &v) ? json_object_get_uint64(v) : 0) != other)
		fail_msg_at(__FILE__, ln, "other: expected %" PRIu64 " in %s", other,
			    json_object_to_json_string(o));
	/* no key besides nodes and "other" */
	json_object_object_foreach(o, k, val) {
		char *end;
		long n = strtol(k, &end, 10);

		(void)val;
		if (strcmp(k, "other") && (*end || end == k || n < 0 || n >= NM_HEAT_NODES))
			fail_msg_at(__FILE__, ln, "unexpected key '%s'", k);
	}
}
#define assert_by_node(o, want, other) assert_by_node_((o), (want), (other), __LINE__)

static void test_json(void **state)
{
	struct nm_heat h;
	struct nm_vma_list l = { 0 };
	struct json_object *o, *regs, *r, *v, *k;
	struct nm_hf_region f = faults(2, 4, 1, 0, (uint64_t)3, 2, (uint64_t)5, -1);
	uint64_t want[NM_HEAT_NODES] = { 0 };

	vma_add(&l, BASE, BASE + 2 * MiB, NM_VMA_HEAP, NULL);
	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	assert_int_equal(nm_heat_add_faults(&h, BASE + 4096, &f), 0);
	add_pages(&h, BASE, 0, 4);
	add_pages(&h, BASE, 2, 6);
	add_pages(&h, BASE, NM_HEAT_NODES + 3, 1);
	add_pages(&h, BASE + 2 * MiB, 1, 8);
	assert_int_equal(nm_heat_add_kernel_migrations(&h, "numa_misplaced", 5, 1), 0);
	assert_int_equal(nm_heat_add_kernel_migrations(&h, "compaction", 0, 3), 0);
	nm_heat_set_meta(&h, 77, 1.5, 10, 2, 1);
	nm_heat_finish(&h, &l);

	o = json_roundtrip(&h);
	assert_int_equal(ju64(o, "pid"), 77);
	v = jget(o, "duration_s");
	assert_true(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int));
	assert_true(json_object_get_double(v) == 1.5);
	assert_int_equal(ju64(o, "hint_faults"), 10);
	assert_int_equal(ju64(o, "samples"), 10);
	assert_int_equal(ju64(o, "dropped"), 2);

	regs = jget(o, "regions");
	assert_true(json_object_is_type(regs, json_type_array));
	assert_int_equal(json_object_array_length(regs), 2);

	r = json_object_array_get_idx(regs, 0);
	assert_string_equal(jstr(r, "start"), "0x7f0000000000");
	assert_string_equal(jstr(r, "end"), "0x7f0000200000");
	assert_string_equal(jstr(r, "mapping"), "[heap]");
	want[0] = 4;
	want[2] = 6;
	assert_by_node(jget(r, "pages_by_node"), want, 1);
	memset(want, 0, sizeof(want));
	want[0] = 3;
	want[2] = 5;
	assert_by_node(jget(r, "accesses_by_node"), want, 2);
	assert_int_equal(ju64(r, "dominant_node"), 2);
	assert_int_equal(ju64(r, "misplaced_pages"), 5);
	assert_int_equal(ju64(r, "accesses"), 10);

	r = json_object_array_get_idx(regs, 1);
	assert_string_equal(jstr(r, "start"), "0x7f0000200000");
	assert_string_equal(jstr(r, "end"), "0x7f0000400000");
	assert_string_equal(jstr(r, "mapping"), "unmapped");
	memset(want, 0, sizeof(want));
	want[1] = 8;
	assert_by_node(jget(r, "pages_by_node"), want, 0);
	memset(want, 0, sizeof(want));
	assert_by_node(jget(r, "accesses_by_node"), want, 0);
	assert_null(jget(r, "dominant_node"));	/* present and null */
	assert_int_equal(ju64(r, "misplaced_pages"), 0);

	k = jget(o, "kernel_migrations");
	assert_true(json_object_is_type(k, json_type_object));
	assert_int_equal(json_object_object_length(k), 2);
	assert_int_equal(ju64(jget(k, "numa_misplaced"), "succeeded"), 5);
	assert_int_equal(ju64(jget(k, "numa_misplaced"), "failed"), 1);
	assert_int_equal(ju64(jget(k, "compaction"), "succeeded"), 0);
	assert_int_equal(ju64(jget(k, "compaction"), "failed"), 3);
	json_object_put(o);
	nm_heat_free(&h);
	nm_vma_list_free(&l);
}

static void test_json_empty(void **state)
{
	struct nm_heat h;
	struct json_object *o;

	assert_int_equal(nm_heat_init(&h, 4096), 0);
	nm_heat_set_meta(&h, 1, 0.25, 0, 0, 0);
	nm_heat_finish(&h, NULL);
	o = json_roundtrip(&h);
	assert_int_equal(ju64(o, "samples"), 0);
	assert_true(json_object_get_double(jget(o, "duration_s")) == 0.25);
	assert_true(json_object_is_type(jget(o, "regions"), json_type_array));
	assert_int_equal(json_object_array_length(jget(o, "regions")), 0);
	assert_true(json_object_is_type(jget(o, "kernel_migrations"), json_type_object));
	assert_int_equal(json_object_object_length(jget(o, "kernel_migrations")), 0);
	json_object_put(o);
	nm_heat_free(&h);
}

static void test_json_mapping_escaping(void **state)
{
	static const char path[] = "/tmp/a \"quoted\" \\back\\slash\nnew\x01line/\t\xc3\xa9.so";
	struct nm_heat h;
	struct nm_vma_list l = { 0 };
	struct json_object *o, *r;

	vma_add(&l, BASE, BASE + 2 * MiB, NM_VMA_FILE, path);
	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	add_access(&h, BASE, 0, 1);
	nm_heat_finish(&h, &l);
	o = json_roundtrip(&h);
	r = json_object_array_get_idx(jget(o, "regions"), 0);
	assert_non_null(r);
	assert_string_equal(jstr(r, "mapping"), path);
	assert_int_equal(json_object_get_string_len(jget(r, "mapping")), strlen(path));
	json_object_put(o);
	nm_heat_free(&h);
	nm_vma_list_free(&l);
}

/* ---- CSV -------------------------------------------------------------------- */

/* Splits one CSV line (up to '\n') into fields, unquoting "..." with ""
 * inside; returns the field count. */
static size_t csv_fields(const char *p, char f[][128], size_t max)
{
	size_t n = 0;

	for (;;) {
		size_t k = 0;

		assert_true(n < max);
		if (*p == '"') {
			for (p++;; p++) {
				assert_true(*p != '\0');
				if (*p == '"') {
					if (p[1] != '"')
						break;
					p++;
				}
				assert_true(k < 127);
				f[n][k++] = *p;
			}
			p++;
			assert_true(*p == ',' || *p == '\n' || *p == '\0');
		} else {
			for (; *p && *p != ',' && *p != '\n'; p++) {
				assert_true(*p != '"');
				assert_true(k < 127);
				f[n][k++] = *p;
			}
		}
		f[n++][k] = '\0';
		if (*p != ',')
			return n;
		p++;
	}
}

static size_t csv_col_(char hdr[][128], size_t n, const char *name, int ln)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(hdr[i], name))
			return i;
	fail_msg_at(__FILE__, ln, "no CSV column '%s'", name);
	return 0;
}

/* The CSV header: the first line not a "# " comment; checks the fixed
 * leading columns and one pages_nodeN and accesses_nodeN per node 0..MN. */
static size_t csv_header_(const char *t, int mn, char hdr[][128], size_t max, int ln)
{
	static const char lead[] = "start,end,mapping,accesses,dominant_node,misplaced_pages";
	const char *p = t;
	size_t n;
	int np = 0, na = 0;

	while (!strncmp(p, "# ", 2))
		p = strchr(p, '\n') + 1;
	if (strncmp(p, lead, strlen(lead)) || (p[strlen(lead)] != ',' && p[strlen(lead)] != '\n'))
		fail_msg_at(__FILE__, ln, "CSV header does not start '%s':\n%s", lead, t);
	n = csv_fields(p, hdr, max);
	for (size_t i = 0; i < n; i++) {
		char want[32];

		if (!strncmp(hdr[i], "pages_node", 10)) {
			snprintf(want, sizeof(want), "pages_node%d", np++);
			if (strcmp(hdr[i], want))
				fail_msg_at(__FILE__, ln, "column %zu is %s, expected %s", i, hdr[i], want);
		} else if (!strncmp(hdr[i], "accesses_node", 13)) {
			snprintf(want, sizeof(want), "accesses_node%d", na++);
			if (strcmp(hdr[i], want))
				fail_msg_at(__FILE__, ln, "column %zu is %s, expected %s", i, hdr[i], want);
		}
	}
	if (np != mn + 1 || na != mn + 1)
		fail_msg_at(__FILE__, ln, "%d pages_node and %d accesses_node columns, expected %d",
			    np, na, mn + 1);
	return n;
}

/* A region is labelled by the mapping holding most of its bytes, not the one
 * at its start; ties go to the lower address. */
static void test_finish_mapping_majority(void **state)
{
	struct nm_vma_list l = { 0 };
	struct nm_heat h;
	const uint64_t G = 2 * MiB;
	/* 1 MiB each side of 0x9000000 (0x8E00000): the lower one */
	const struct label want[] = {
		{ 0x8000000, "/lib/big.so" }, { 0x8200000, "/lib/big.so" },
		{ 0x8E00000, "/lib/half1.so" }, { 0xA000000, "anon" },
	};

	(void)state;
	/* listed out of address order: the label must not depend on it */
	vma_add(&l, 0x9000000, 0x9100000, NM_VMA_FILE, "/lib/half2.so");
	vma_add(&l, 0x8000000, 0x8040000, NM_VMA_FILE, "/lib/small.so");	/* 256 KiB */
	vma_add(&l, 0x8040000, 0x8400000, NM_VMA_FILE, "/lib/big.so");	/* the rest */
	vma_add(&l, 0x8F00000, 0x9000000, NM_VMA_FILE, "/lib/half1.so");
	vma_add(&l, 0xA1F0000, 0xA200000, NM_VMA_ANON, NULL);		/* 64 KiB at the end */
	assert_int_equal(nm_heat_init(&h, G), 0);
	add_label_pages(&h, want, NLABELS(want), &l);
	assert_labels(&h, G, want, NLABELS(want));
	nm_heat_free(&h);
	nm_vma_list_free(&l);
}

/* Text output escapes control bytes of mapping names (issue #11 point 3). */
static void test_text_escapes_mapping(void **state)
{
	struct nm_vma_list l = { 0 };
	struct nm_heat h;
	char *t;

	(void)state;
	vma_add(&l, BASE, BASE + 2 * MiB, NM_VMA_FILE, "/tmp/\x1b]0;pwned\x07\r");
	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	add_pages(&h, BASE, 0, 1);
	nm_heat_finish(&h, &l);
	t = render(TEXT, &h, 10);
	for (const char *p = t; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\n')
			fail_msg("raw control byte 0x%02x in the text report:\n%s", *p, t);
	assert_contains(t, "/tmp/\\x1b");
	free(t);
	nm_heat_free(&h);
	nm_vma_list_free(&l);
}

static void test_csv(void **state)
{
	static const struct {
		const char *start, *end, *mapping, *accesses, *dom, *misplaced;
		const char *p0, *p1, *a0, *a1;
	} want[] = {
		{ "0x7f0000000000", "0x7f0000200000", "/tmp/my \"data\", file", "10", "0", "2",
		  "4", "2", "10", "0" },
		{ "0x7f0000200000", "0x7f0000400000", "unmapped", "5", "1", "0", "0", "3", "0", "5" },
		{ "0x7f0000400000", "0x7f0000600000", "unmapped", "0", "", "0", "9", "0", "0", "0" },
	};
	struct nm_heat h;
	struct nm_vma_list l = { 0 };
	char *t, hdr[32][128], f[32][128];
	size_t nh, row = 0;

	vma_add(&l, BASE, BASE + 2 * MiB, NM_VMA_FILE, "/tmp/my \"data\", file");
	two_regions(&h);
	add_pages(&h, BASE + 4 * MiB, 0, 9);
	nm_heat_set_meta(&h, 55, 3.0, 20, 3, 0);
	nm_heat_finish(&h, &l);
	/* the summary goes apart (trace writes it to stderr) */
	t = render(META, &h, 0);
	assert_true(!strncmp(t, "# pid 55: ", 10));
	assert_line(t, "# pid 55: 3.0 s traced, 20 hinting faults, 15 samples placed in 3 regions "
		    "of 2048 KiB, 3 dropped (region map full), 0 without address");
	assert_line(t, "# WARNING: 3 samples are missing from the regions below");
	assert_int_equal(count_prefix(t, ""), 2);
	free(t);
	t = render(CSV, &h, 0);
	/* pure CSV: the header is the first line */
	assert_true(!strncmp(t, "start,end,mapping,", 18));
	nh = csv_header(t, 1, hdr);
	/* the name is quoted, its quotes doubled */
	assert_contains(t, "0x7f0000000000,0x7f0000200000,\"/tmp/my \"\"data\"\", file\",10,0,2,");
	for (const char *p = t; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		size_t nf;

		if (strncmp(p, "0x", 2))
			continue;
		assert_true(row < 3);
		nf = csv_fields(p, f, 32);
		assert_int_equal(nf, nh);
		/* hottest first */
		assert_string_equal(f[csv_col(hdr, nh, "start")], want[row].start);
		assert_string_equal(f[csv_col(hdr, nh, "end")], want[row].end);
		assert_string_equal(f[csv_col(hdr, nh, "mapping")], want[row].mapping);
		assert_string_equal(f[csv_col(hdr, nh, "accesses")], want[row].accesses);
		assert_string_equal(f[csv_col(hdr, nh, "dominant_node")], want[row].dom);
		assert_string_equal(f[csv_col(hdr, nh, "misplaced_pages")], want[row].misplaced);
		assert_string_equal(f[csv_col(hdr, nh, "pages_node0")], want[row].p0);
		assert_string_equal(f[csv_col(hdr, nh, "pages_node1")], want[row].p1);
		assert_string_equal(f[csv_col(hdr, nh, "accesses_node0")], want[row].a0);
		assert_string_equal(f[csv_col(hdr, nh, "accesses_node1")], want[row].a1);
		row++;
	}
	assert_int_equal(row, 3);
	/* header, one row per region, nothing else */
	assert_int_equal(count_prefix(t, "# "), 0);
	assert_int_equal(count_prefix(t, ""), 1 + 3);
	free(t);
	nm_heat_free(&h);
	nm_vma_list_free(&l);
}

static void test_csv_no_samples(void **state)
{
	struct nm_heat h;
	char *t, hdr[32][128];

	assert_int_equal(nm_heat_init(&h, 64 * KiB), 0);
	t = finish_render(&h, META, 0, 9, 0.5, 0, 0, 0);
	assert_line(t, "# pid 9: 0.5 s traced, 0 hinting faults, 0 samples placed in 0 regions of "
		    "64 KiB, 0 dropped (region map full), 0 without address");
	assert_int_equal(count_prefix(t, "# WARNING: no hinting-fault samples"), 1);
	free(t);
	t = render(CSV, &h, 0);
	csv_header(t, 0, hdr);
	assert_int_equal(count_prefix(t, ""), 1);
	free(t);
	nm_heat_free(&h);
}

/* ---- time windows ----------------------------------------------------------- */

static void test_windows_declare(void **state)
{
	struct nm_heat h;

	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	assert_int_equal(nm_heat_set_windows(&h, 0, 1.0), -EINVAL);
	assert_int_equal(nm_heat_set_windows(&h, 1001, 1.0), -EINVAL);
	assert_int_equal(nm_heat_set_windows(&h, 10, 0.0), -EINVAL);
	assert_int_equal(nm_heat_set_windows(&h, 10, -1.0), -EINVAL);
	assert_int_equal(nm_heat_set_windows(&h, 1000, 0.5), 0);
	assert_int_equal(h.nwin, 1000);
	assert_int_equal(nm_heat_set_windows(&h, 4, 1.0), 0);
	assert_int_equal(h.nwin, 4);
	assert_int_equal(nm_heat_window_total(&h, 4, BASE, 1), -EINVAL);
	assert_int_equal(nm_heat_window_total(&h, 0, BASE, 1), 0);
	/* not once a region has data */
	assert_int_equal(nm_heat_set_windows(&h, 8, 1.0), -EINVAL);
	assert_int_equal(h.nwin, 4);
	nm_heat_free(&h);

	/* no windows declared: window data is refused */
	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	assert_int_equal(nm_heat_window_total(&h, 0, BASE, 1), -EINVAL);
	assert_int_equal(h.n, 0);
	nm_heat_free(&h);
}

static void test_windows_differences(void **state)
{
	struct nm_heat h;
	const struct nm_heat_region *r;

	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	assert_int_equal(nm_heat_set_windows(&h, 5, 1.0), 0);
	/* A: cumulative 5, 12, 12, 20 -> 5, 7, 0, 8 */
	assert_int_equal(nm_heat_window_total(&h, 0, BASE, 5), 0);
	nm_heat_window_done(&h, 0);
	assert_int_equal(nm_heat_window_total(&h, 1, BASE + 4096, 12), 0);
	/* B first seen in window 1 */
	assert_int_equal(nm_heat_window_total(&h, 1, BASE + 2 * MiB, 4), 0);
	nm_heat_window_done(&h, 1);
	assert_int_equal(nm_heat_window_total(&h, 2, BASE, 12), 0);
	/* a repeated snapshot of one window is not counted twice */
	assert_int_equal(nm_heat_window_total(&h, 2, BASE + 2 * MiB, 9), 0);
	assert_int_equal(nm_heat_window_total(&h, 2, BASE + 2 * MiB, 9), 0);
	nm_heat_window_done(&h, 2);
	assert_int_equal(nm_heat_window_total(&h, 3, BASE, 20), 0);
	/* a counter that went backwards gives 0, not a wrap */
	assert_int_equal(nm_heat_window_total(&h, 3, BASE + 2 * MiB, 2), 0);
	nm_heat_window_done(&h, 3);
	assert_int_equal(h.wins_done, 4);
	nm_heat_window_done(&h, 1);		/* never goes back */
	nm_heat_window_done(&h, 5);		/* past the declared: ignored */
	assert_int_equal(h.wins_done, 4);
	assert_int_equal(h.n, 2);
	nm_heat_finish(&h, NULL);
	assert_int_equal(nm_heat_window_total(&h, 4, BASE, 30), -EINVAL);

	r = find(&h, BASE);
	assert_non_null(r->win);
	assert_int_equal(r->win[0], 5);
	assert_int_equal(r->win[1], 7);
	assert_int_equal(r->win[2], 0);
	assert_int_equal(r->win[3], 8);
	assert_int_equal(r->win[4], 0);
	r = find(&h, BASE + 2 * MiB);
	assert_int_equal(r->win[0], 0);
	assert_int_equal(r->win[1], 4);
	assert_int_equal(r->win[2], 5);
	assert_int_equal(r->win[3], 0);
	nm_heat_free(&h);
}

static void test_windows_json(void **state)
{
	struct nm_heat h;
	struct json_object *o, *r, *w;

	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	assert_int_equal(nm_heat_set_windows(&h, 10, 2.0), 0);
	assert_int_equal(nm_heat_window_total(&h, 0, BASE, 3), 0);
	nm_heat_window_done(&h, 0);
	assert_int_equal(nm_heat_window_total(&h, 1, BASE, 10), 0);
	nm_heat_window_done(&h, 1);
	nm_heat_window_done(&h, 2);
	add_access(&h, BASE, 0, 10);
	add_access(&h, BASE + 2 * MiB, 1, 1);		/* no window data */
	nm_heat_finish(&h, NULL);
	o = json_roundtrip(&h);
	w = jget(o, "windows");
	assert_int_equal(ju64(w, "count"), 3);
	assert_true(json_object_get_double(jget(w, "seconds")) == 2.0);
	r = json_object_array_get_idx(jget(o, "regions"), 0);
	assert_string_equal(jstr(r, "start"), "0x7f0000000000");
	w = jget(r, "accesses_by_window");
	assert_true(json_object_is_type(w, json_type_array));
	assert_int_equal(json_object_array_length(w), 3);
	assert_int_equal(json_object_get_uint64(json_object_array_get_idx(w, 0)), 3);
	assert_int_equal(json_object_get_uint64(json_object_array_get_idx(w, 1)), 7);
	assert_int_equal(json_object_get_uint64(json_object_array_get_idx(w, 2)), 0);
	r = json_object_array_get_idx(jget(o, "regions"), 1);
	w = jget(r, "accesses_by_window");
	assert_int_equal(json_object_array_length(w), 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(json_object_get_uint64(json_object_array_get_idx(w, i)), 0);
	json_object_put(o);
	nm_heat_free(&h);

	/* no windows: no keys */
	two_regions(&h);
	nm_heat_finish(&h, NULL);
	o = json_roundtrip(&h);
	assert_false(json_object_object_get_ex(o, "windows", NULL));
	r = json_object_array_get_idx(jget(o, "regions"), 0);
	assert_false(json_object_object_get_ex(r, "accesses_by_window", NULL));
	json_object_put(o);
	nm_heat_free(&h);
}

/* Faults on pages of a node >= NM_HEAT_NODES are not accesses from "other"
 * CPUs: the kernel's other_node mixes both sides (found by a review). */
static void test_other_node_split(void **state)
{
	struct nm_heat h;
	struct nm_hf_region f;

	assert_int_equal(nm_heat_init(&h, 2 << 20), 0);
	memset(&f, 0, sizeof(f));
	f.by_cpu_node[0] = 3;		/* 3 faults, all from node 0 CPUs */
	f.by_mem_node[0] = 1;		/* 1 on a node-0 page, 2 on node-20 pages */
	f.other_node = 2;
	assert_int_equal(nm_heat_add_faults(&h, 0x7f0000000000ULL, &f), 0);
	assert_int_equal(h.r[0].other_access, 0);
	memset(&f, 0, sizeof(f));
	f.by_mem_node[1] = 2;		/* 2 faults from node-17 CPUs on node-1 pages */
	f.other_node = 2;
	assert_int_equal(nm_heat_add_faults(&h, 0x7f0000000000ULL, &f), 0);
	assert_int_equal(h.r[0].other_access, 2);
	assert_int_equal(h.r[0].access[0], 3);
	nm_heat_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_other_node_split),
		cmocka_unit_test(test_init_granularity),
		cmocka_unit_test(test_bucket_aligns_down),
		cmocka_unit_test(test_bucket_granularity_counts),
		cmocka_unit_test(test_add_faults_sums),
		cmocka_unit_test(test_add_pages_nodes),
		cmocka_unit_test(test_add_pages_negative_node_adds_no_region),
		cmocka_unit_test(test_add_after_finish),
		cmocka_unit_test(test_finish_dominant_and_misplaced),
		cmocka_unit_test(test_finish_total_includes_other),
		cmocka_unit_test(test_finish_order),
		cmocka_unit_test(test_finish_mapping),
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_kernel_migrations),
		cmocka_unit_test(test_kernel_migrations_long_name),
		cmocka_unit_test(test_region_migrations),
		cmocka_unit_test(test_region_migration_full_no_region),
		cmocka_unit_test(test_region_migration_after_finish_no_new_reason),
		cmocka_unit_test(test_many_regions),
		cmocka_unit_test(test_text_header),
		cmocka_unit_test(test_text_warning_no_samples),
		cmocka_unit_test(test_text_warning_missing),
		cmocka_unit_test(test_text_strip),
		cmocka_unit_test(test_text_row_fields),
		cmocka_unit_test(test_text_columns_aligned),
		cmocka_unit_test(test_text_truncation),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_empty),
		cmocka_unit_test(test_json_mapping_escaping),
		cmocka_unit_test(test_finish_mapping_majority),
		cmocka_unit_test(test_text_escapes_mapping),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_csv_no_samples),
		cmocka_unit_test(test_windows_declare),
		cmocka_unit_test(test_windows_differences),
		cmocka_unit_test(test_windows_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
