// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of userspace/output/heatsvg.c: the heat map picture. Each test
 * looks for one element in the SVG text (title, a legend per colour scale,
 * the placement panel's cells, the misplaced mark, the region axis's mapping
 * names) and its values, and fails when it is missing.
 *
 * `test_heatsvg --sample FILE` writes the picture of a synthetic session
 * (two nodes, misplaced regions, long and hostile mapping names, time
 * windows) for the Chromium check in tests/host (svgcheck.sh).
 */
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
#include "heatmap.h"
#include "heattest.h"
#include "xmlcheck.h"

/* The checker itself can fail. */
static void test_xml_checker(void **state)
{
	static const char *const bad[] = {
		"<svg><g></svg>",
		"<svg><g></g>",
		"<svg></g></svg>",
		"<svg width=10></svg>",
		"<svg width=\"10></svg>",
		"<svg><text>a & b</text></svg>",
		"<svg><text>a &amp b</text></svg>",
		"<svg><text>a < b</text></svg>",
		"<svg a=\"x<y\"/>",
		"<svg a=\"x&y\"/>",
		"<svg/><svg/>",
		"<html></html>",
		"text<svg/>",
		"",
	};
	static const char *const good[] = {
		"<?xml version=\"1.0\"?>\n<svg a=\"1\" b='2'>\n<rect x=\"1\"/><g><title>a &lt; &amp; "
		"&#38; &#x26; &gt; b</title></g></svg>\n",
		"<svg/>",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!xml_check(bad[i], "svg"))
			fail_msg("checker accepted: %s", bad[i]);
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		const char *e = xml_check(good[i], "svg");

		if (e)
			fail_msg("checker rejected (%s): %s", e, good[i]);
	}
}

static size_t count_str(const char *s, const char *needle)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* An attribute NAME="number" after P; -1 when absent before the tag ends. */
static long attr_num(const char *p, const char *name)
{
	char key[32];
	const char *e = strchr(p, '>'), *a;

	snprintf(key, sizeof(key), " %s=\"", name);
	a = strstr(p, key);
	if (!a || (e && a > e))
		return -1;
	return strtol(a + strlen(key), NULL, 10);
}

/* The text of the first element whose start tag begins with TAG (e.g.
 * "<text id=\"title\""), without child elements, into BUF; NULL when none. */
static const char *text_of(const char *s, const char *tag, char *buf, size_t size)
{
	const char *p = strstr(s, tag), *e;
	size_t n = 0;
	int depth = 0;

	if (!p || !(p = strchr(p, '>')))
		return NULL;
	for (p++; *p; p++) {
		if (*p == '<') {
			if (p[1] == '/' && !depth)
				break;
			depth += p[1] == '/' ? -1 : 1;
			e = strchr(p, '>');
			if (!e)
				return NULL;
			if (e[-1] == '/')
				depth--;
			p = e;
			continue;
		}
		if (!depth && n + 1 < size)
			buf[n++] = *p;
	}
	buf[n] = 0;
	return buf;
}

/* The start tag (up to '>') of the first element after P holding NEEDLE. */
static const char *tag_with(const char *s, const char *needle, char *buf, size_t size)
{
	const char *p = strstr(s, needle), *b, *e;

	if (!p)
		return NULL;
	for (b = p - 1; b > s && *b != '<'; b--)
		;
	e = strchr(b, '>');
	if (!e || (size_t)(e - b + 1) >= size)
		return NULL;
	memcpy(buf, b, (size_t)(e - b + 1));
	buf[e - b + 1] = 0;
	return buf;
}

/* The <g id="legend-ID"> ... </g> group of S, copied into a new string. */
static char *legend_of(const char *s, const char *id)
{
	char key[64];
	const char *p, *e;

	snprintf(key, sizeof(key), "<g class=\"legend\" id=\"legend-%s\">", id);
	p = strstr(s, key);
	if (!p)
		return NULL;
	e = strstr(p, "</g>");
	assert_non_null(e);
	return strndup(p, (size_t)(e - p + 4));
}

/* Region A (0x7f0000000000) hot from node 0, pages 4 on node 0 and 2 on
 * node 1; B (+2 MiB) accessed from node 1, 3 pages on node 1; C (+4 MiB)
 * accessed from node 1 but 8 of its 10 pages on node 0: misplaced; D (+6
 * MiB) 5 pages on node 0, never accessed; E (+8 MiB) accessed, no pages known. */
static void five_regions(struct nm_heat *h)
{
	two_regions(h);
	add_access(h, BASE + 4 * MiB, 1, 6);
	add_pages(h, BASE + 4 * MiB, 0, 8);
	add_pages(h, BASE + 4 * MiB, 1, 2);
	add_pages(h, BASE + 6 * MiB, 0, 5);
	add_access(h, BASE + 8 * MiB, 0, 1);
	nm_heat_set_meta(h, 321, 2.0, 25, 4, 1);
	nm_heat_set_comm(h, "my<app>");
}

/* five_regions finished and drawn; fails unless well-formed. */
static char *five_svg(void)
{
	struct nm_heat h;
	char *t;

	five_regions(&h);
	nm_heat_finish(&h, NULL);
	t = render(SVG, &h, 0);
	assert_xml_ok(t);
	nm_heat_free(&h);
	return t;
}

static void test_svg_title(void **state)
{
	struct nm_heat h;
	char *t, buf[512];

	t = five_svg();
	assert_contains(t, "xmlns=\"http://www.w3.org/2000/svg\"");
	assert_non_null(text_of(t, "<text id=\"title\"", buf, sizeof(buf)));
	assert_string_equal(buf, "numa-migrate trace: pid 321 (my&lt;app&gt;), 2.0 s, 22 samples");
	assert_non_null(text_of(t, "<text id=\"subtitle\"", buf, sizeof(buf)));
	assert_string_equal(buf, "25 hinting faults, 4 dropped, 1 without address; 5 regions of "
			    "2048 KiB, 5 drawn, 1 misplaced");
	free(t);

	/* no comm known: a question mark, not empty parentheses */
	two_regions(&h);
	nm_heat_finish(&h, NULL);
	t = render(SVG, &h, 0);
	assert_non_null(text_of(t, "<text id=\"title\"", buf, sizeof(buf)));
	assert_string_equal(buf, "numa-migrate trace: pid 0 (?), 0.0 s, 15 samples");
	free(t);
	nm_heat_free(&h);
}

/* A legend has its caption, 11 swatches from white to the scale's darkest,
 * and its two ends. */
static void assert_legend_(const char *t, const char *id, const char *caption,
			   const char *first, const char *last, const char *lo, const char *hi,
			   int ln)
{
	char *g = legend_of(t, id), buf[256], want[128];

	if (!g)
		fail_msg_at(__FILE__, ln, "no legend %s in:\n%s", id, t);
	if (!text_of(g, "<text", buf, sizeof(buf)) || strcmp(buf, caption))
		fail_msg_at(__FILE__, ln, "legend %s caption '%s', not '%s'", id, buf, caption);
	if (count_str(g, "<rect ") != 11)
		fail_msg_at(__FILE__, ln, "legend %s has %zu swatches:\n%s", id,
			    count_str(g, "<rect "), g);
	snprintf(want, sizeof(want), "fill=\"%s\"", first);
	if (!strstr(g, want) || strstr(g, want) != strstr(g, "fill="))
		fail_msg_at(__FILE__, ln, "legend %s does not start at %s:\n%s", id, first, g);
	snprintf(want, sizeof(want), "fill=\"%s\" stroke=\"#999\"/>\n<text", last);
	if (!strstr(g, want))
		fail_msg_at(__FILE__, ln, "legend %s does not end at %s:\n%s", id, last, g);
	snprintf(want, sizeof(want), ">%s</text>\n<text", lo);
	if (!strstr(g, want))
		fail_msg_at(__FILE__, ln, "legend %s: no low end %s:\n%s", id, lo, g);
	snprintf(want, sizeof(want), "text-anchor=\"end\">%s</text>", hi);
	if (!strstr(g, want))
		fail_msg_at(__FILE__, ln, "legend %s: no high end %s:\n%s", id, hi, g);
	free(g);
}
#define assert_legend(t, id, cap, first, last, lo, hi) \
	assert_legend_((t), (id), (cap), (first), (last), (lo), (hi), __LINE__)

static void test_svg_legends(void **state)
{
	char *t, *g;

	t = five_svg();
	assert_legend(t, "access", "accesses (hinting faults)", "rgb(255,255,255)", "rgb(255,0,0)",
		      "0", "10");
	assert_legend(t, "placement", "share of the region&apos;s pages", "rgb(255,255,255)",
		      "rgb(0,130,0)", "0%", "100%");
	/* no windows recorded: no time scale, and the panel says so */
	assert_null(legend_of(t, "time"));
	assert_contains(t, ">no time windows recorded</text>");
	g = legend_of(t, "misplaced");
	assert_non_null(g);
	assert_contains(g, "stroke=\"#e66100\"");
	assert_contains(g, ">misplaced: accessed mostly from one node,</text>");
	free(g);
	free(t);
}

static void test_svg_windows(void **state)
{
	struct nm_heat h;
	char *t;

	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	assert_int_equal(nm_heat_set_windows(&h, 3, 1.0), 0);
	for (uint32_t w = 0; w < 3; w++) {
		assert_int_equal(nm_heat_window_total(&h, w, BASE, 4 * (w + 1)), 0);
		nm_heat_window_done(&h, w);
	}
	add_access(&h, BASE, 0, 12);
	add_access(&h, BASE + 2 * MiB, 0, 1);
	nm_heat_finish(&h, NULL);
	t = render(SVG, &h, 0);
	assert_xml_ok(t);
	assert_legend(t, "time", "accesses per time window", "rgb(255,255,255)", "rgb(0,0,255)",
		      "0", "4");
	assert_contains(t, ">accesses over time: 3 windows of 1.0 s</text>");
	assert_contains(t, ">0 s</text>");
	assert_contains(t, "text-anchor=\"end\">3 s</text>");
	assert_contains(t, "<title>0x7f0000000000 window 2: 4 accesses</title>");
	assert_contains(t, "<title>0x7f0000200000 window 0: 0 accesses</title>");
	assert_int_equal(count_str(t, "class=\"cell time\""), 2 * 3);
	assert_lacks(t, "no time windows recorded");
	free(t);
	nm_heat_free(&h);
}

/* The cell of PANEL whose tooltip is TITLE has colour FILL. */
static void assert_cell_fill_(const char *t, const char *panel, const char *title,
			      const char *fill, int ln)
{
	char key[160], tag[512], want[80];

	snprintf(key, sizeof(key), "<title>%s</title>", title);
	snprintf(want, sizeof(want), " fill=\"%s\" ", fill);
	if (!tag_with(t, key, tag, sizeof(tag)))
		fail_msg_at(__FILE__, ln, "no cell %s", title);
	snprintf(key, sizeof(key), "<rect class=\"cell %s\" ", panel);
	if (strncmp(tag, key, strlen(key)) || !strstr(tag, want))
		fail_msg_at(__FILE__, ln, "cell %s: want a %s cell with%s: %s", title, panel, want, tag);
}
#define assert_cell_fill(t, panel, title, fill) \
	assert_cell_fill_((t), (panel), (title), (fill), __LINE__)

/* The access and placement panels: one cell per region and node, with the
 * counts in its tooltip and the colour of its share. */
static void test_svg_panels(void **state)
{
	char *t;

	t = five_svg();
	assert_int_equal(count_str(t, "<g class=\"region\">"), 5);
	assert_int_equal(count_str(t, "class=\"cell access\""), 5 * 2);
	assert_int_equal(count_str(t, "class=\"cell placement\""), 5 * 2);
	assert_contains(t, ">accesses by CPU node</text>");
	assert_contains(t, ">pages by node now</text>");
	/* both panels label nodes 0 and 1, nothing else */
	assert_int_equal(count_str(t, "class=\"node-label\""), 2 * 2);
	assert_int_equal(count_str(t, "\">node 0</text>"), 2);
	assert_int_equal(count_str(t, "\">node 1</text>"), 2);
	/* rows by address */
	assert_true(strstr(t, ">0x7f0000000000 ") < strstr(t, ">0x7f0000200000 "));
	assert_true(strstr(t, ">0x7f0000600000 ") < strstr(t, ">0x7f0000800000 "));
	/* A: 4 of 6 pages on node 0 (share 2/3: 255 - 2/3 of 255, of 125), 2 on node 1 */
	assert_cell_fill(t, "placement", "0x7f0000000000 on node 0: 4 of 6 pages", "rgb(85,172,85)");
	assert_contains(t, "<title>0x7f0000000000 on node 1: 2 of 6 pages</title>");
	/* B: all on node 1, the darkest green; E: no pages known, white */
	assert_cell_fill(t, "placement", "0x7f0000200000 on node 1: 3 of 3 pages", "rgb(0,130,0)");
	assert_cell_fill(t, "placement", "0x7f0000800000 on node 0: 0 of 0 pages",
			 "rgb(255,255,255)");
	/* accesses: the hottest cell red, an idle one white */
	assert_cell_fill(t, "access", "0x7f0000000000 from node 0: 10 accesses", "rgb(255,0,0)");
	assert_cell_fill(t, "access", "0x7f0000000000 from node 1: 0 accesses", "rgb(255,255,255)");
	free(t);
}

/* Only C (accessed from 1, 8 of 10 pages on 0) is marked: A is local, B
 * local, D never accessed, E without pages. */
static void test_svg_misplaced_mark(void **state)
{
	struct nm_heat h;
	char *t, buf[512];
	const char *row, *next;

	t = five_svg();
	assert_int_equal(count_str(t, "<rect class=\"misplaced\""), 1);
	assert_int_equal(count_str(t, "<text class=\"mark\""), 1);
	assert_non_null(text_of(t, "<text class=\"mark\"", buf, sizeof(buf)));
	assert_string_equal(buf, "accessed from 1, pages on 0");
	assert_contains(t, "<title>accessed mostly from node 1, 8 of 10 pages on node 0</title>");
	/* both inside C's row */
	row = strstr(t, ">0x7f0000400000 ");
	next = strstr(t, ">0x7f0000600000 ");
	assert_non_null(row);
	assert_non_null(next);
	assert_true(strstr(row, "<rect class=\"misplaced\"") < next);
	assert_true(strstr(row, "<text class=\"mark\"") < next);
	free(t);

	/* the same region with most pages moved to node 1: no longer marked */
	five_regions(&h);
	add_pages(&h, BASE + 4 * MiB, 1, 7);
	nm_heat_finish(&h, NULL);
	t = render(SVG, &h, 0);
	assert_lacks(t, "class=\"misplaced\"");
	assert_lacks(t, "class=\"mark\"");
	assert_contains(t, " 0 misplaced</text>");
	free(t);
	nm_heat_free(&h);
}

static void test_short_name(void **state)
{
	char buf[256];

	assert_string_equal(nm_heat_short_name("/usr/lib/libc.so.6", buf, sizeof(buf), 28),
			    "/usr/lib/libc.so.6");
	assert_string_equal(nm_heat_short_name("/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30",
					       buf, sizeof(buf), 28), ".../libstdc++.so.6.0.30");
	/* a file name too long for ".../": its end */
	assert_string_equal(nm_heat_short_name("/a/very-long-file-name-that-goes-on.so", buf,
					       sizeof(buf), 16), "...at-goes-on.so");
	/* exactly MAX characters stay whole; UTF-8 counts as characters */
	assert_string_equal(nm_heat_short_name("/d/\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", buf,
					       sizeof(buf), 8), "/d/\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	/* cut on a character, never inside a UTF-8 sequence */
	assert_string_equal(nm_heat_short_name("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
					       "\xc3\xa9\xc3\xa9\xc3\xa9", buf, sizeof(buf), 8),
			    "...\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	/* control bytes and invalid UTF-8 as \xNN */
	assert_string_equal(nm_heat_short_name("a\x01\xff", buf, sizeof(buf), 28), "a\\x01\\xff");
	assert_string_equal(nm_heat_short_name(NULL, buf, sizeof(buf), 28), "");
}

/* Mapping names on the region axis: escaped for XML (and control bytes as
 * \xNN), long paths shortened, the full name in the row's tooltip. */
static void test_svg_mapping_names(void **state)
{
	static const char evil[] = "/tmp/<b>&amp\"q'\x01.so";
	static const char lng[] = "/opt/vendor/application/lib/x86_64/libverylong-runtime.so.3";
	struct nm_heat h;
	struct nm_vma_list l = { 0 };
	char *t, buf[512];

	vma_add(&l, BASE, BASE + 2 * MiB, NM_VMA_FILE, evil);
	vma_add(&l, BASE + 2 * MiB, BASE + 4 * MiB, NM_VMA_FILE, lng);
	vma_add(&l, BASE + 4 * MiB, BASE + 6 * MiB, NM_VMA_HEAP, NULL);
	two_regions(&h);
	add_access(&h, BASE + 4 * MiB, 0, 1);
	nm_heat_finish(&h, &l);
	t = render(SVG, &h, 0);
	assert_xml_ok(t);
	assert_lacks(t, "<b>");
	assert_lacks(t, "\x01");
	assert_non_null(text_of(t, "<text class=\"region-label\"", buf, sizeof(buf)));
	assert_string_equal(buf, "0x7f0000000000 /tmp/&lt;b&gt;&amp;amp&quot;q&apos;\\x01.so");
	assert_contains(t, "<g class=\"region\"><title>0x7f0000000000-0x7f0000200000 "
		        "/tmp/&lt;b&gt;&amp;amp&quot;q&apos;\\x01.so</title>");
	assert_contains(t, ">0x7f0000200000 .../libverylong-runtime.so.3</text>");
	assert_contains(t, "<title>0x7f0000200000-0x7f0000400000 " "/opt/vendor/application/lib/"
			"x86_64/libverylong-runtime.so.3</title>");
	assert_contains(t, ">0x7f0000400000 [heap]</text>");
	free(t);
	nm_heat_free(&h);
	nm_vma_list_free(&l);
}

static void test_svg_empty(void **state)
{
	struct nm_heat h;
	char *t, buf[512];

	assert_int_equal(nm_heat_init(&h, 2 * MiB), 0);
	nm_heat_finish(&h, NULL);
	t = render(SVG, &h, 0);
	assert_xml_ok(t);
	assert_non_null(text_of(t, "<text id=\"title\"", buf, sizeof(buf)));
	assert_string_equal(buf, "numa-migrate trace: pid 0 (?), 0.0 s, 0 samples");
	assert_contains(t, ">no regions: nothing was sampled or resident</text>");
	assert_legend(t, "access", "accesses (hinting faults)", "rgb(255,255,255)", "rgb(255,0,0)",
		      "0", "1");
	assert_int_equal(count_str(t, "\">node 0</text>"), 2);
	free(t);
	nm_heat_free(&h);
}

/* The hottest NM_HEAT_SVG_ROWS regions are drawn, the rest counted. */
static void test_svg_truncated(void **state)
{
	struct nm_heat h;
	char *t, buf[512];

	assert_int_equal(nm_heat_init(&h, 4096), 0);
	for (int i = 0; i < 250; i++)
		add_access(&h, BASE + (uint64_t)i * 4096, i % 3, (uint64_t)i + 1);
	nm_heat_finish(&h, NULL);
	t = render(SVG, &h, 0);
	assert_xml_ok(t);
	assert_int_equal(count_str(t, "<g class=\"region\">"), NM_HEAT_SVG_ROWS);
	assert_non_null(text_of(t, "<text id=\"more\"", buf, sizeof(buf)));
	assert_string_equal(buf, "50 more regions not drawn (the coldest; --json lists them all)");
	/* region 249 is the hottest, region 0 the coldest */
	assert_contains(t, ">0x7f00000f9000 ");
	assert_lacks(t, ">0x7f0000000000 ");
	assert_contains(t, ">0x7f0000032000 ");	/* 50: the coldest drawn */
	assert_lacks(t, ">0x7f0000031000 ");
	assert_int_equal(count_str(t, "\">node 2</text>"), 2);
	free(t);
	nm_heat_free(&h);
}

/* P at "<text": the width its content takes (6.6 px a character at 11 px,
 * 10 px at the title's 15 px bold); 0 when anchored at its middle or end. */
static long text_width(const char *p)
{
	char tag[512], buf[512];
	const char *e = strchr(p, '>');
	long n = 0;

	assert_non_null(e);
	assert_true((size_t)(e - p) < sizeof(tag));
	memcpy(tag, p, (size_t)(e - p));
	tag[e - p] = 0;
	if (strstr(tag, "text-anchor"))
		return 0;
	assert_non_null(text_of(p, "<text", buf, sizeof(buf)));
	for (const char *s = buf; *s; s++) {
		if (*s == '&' && strchr(s, ';'))
			s = strchr(s, ';');	/* an entity is one character */
		n += ((unsigned char)*s & 0xc0) != 0x80;
	}
	return strstr(tag, "font-size=\"15\"") ? n * 10 : n * 66 / 10;
}

/* Everything drawn lies inside the canvas, which the viewBox matches. */
static void test_svg_inside_canvas(void **state)
{
	static const int nregions[] = { 0, 1, 2, 5, 12, 300 };
	struct nm_heat h;

	for (size_t c = 0; c < sizeof(nregions) / sizeof(nregions[0]); c++) {
		char *t, vb[64], tag[512];
		const char *svg;
		long w, ht;

		assert_int_equal(nm_heat_init(&h, 4096), 0);
		assert_int_equal(nm_heat_set_windows(&h, c % 2 ? 60 : 1, 1.0), 0);
		for (int i = 0; i < nregions[c]; i++)
			add_access(&h, BASE + (uint64_t)i * 4096, i % 4, (uint64_t)i + 1);
		nm_heat_window_done(&h, c % 2 ? 59 : 0);
		nm_heat_set_comm(&h, "a-long-comm-name");
		nm_heat_finish(&h, NULL);
		t = render(SVG, &h, 0);
		svg = strstr(t, "<svg ");
		assert_non_null(svg);
		w = attr_num(svg, "width");
		ht = attr_num(svg, "height");
		assert_true(w > 0 && ht > 0);
		snprintf(vb, sizeof(vb), " viewBox=\"0 0 %ld %ld\"", w, ht);
		assert_non_null(tag_with(t, vb, tag, sizeof(tag)) ? t : NULL);
		for (const char *p = svg + 1; (p = strchr(p, '<')); p++) {
			long x, y, rw, rh;

			if (strncmp(p, "<text", 5) && strncmp(p, "<rect", 5))
				continue;
			x = attr_num(p, "x");
			y = attr_num(p, "y");
			rw = attr_num(p, "width");
			rh = attr_num(p, "height");
			if (!strncmp(p, "<text", 5))
				rw = text_width(p);
			if (x < 0 && y < 0)	/* the background: width="100%" */
				continue;
			if (x + (rw > 0 ? rw : 0) > w || y + (rh > 0 ? rh : 0) > ht) {
				const char *e = strchr(p, '\n');

				fail_msg("%d regions: canvas %ldx%ld, but drawn at x=%ld y=%ld w=%ld: %.*s",
					 nregions[c], w, ht, x, y, rw, (int)(e ? e - p : 80), p);
			}
		}
		free(t);
		nm_heat_free(&h);
	}
}

/* The sample for the Chromium check: what a user of a two-node machine
 * sees, with every element and the hard cases of names. */
static int write_sample(const char *path)
{
	static const char *const names[] = {
		"/usr/lib/x86_64-linux-gnu/libc.so.6",
		"/opt/very/long/vendor/path/<weird> & \"quoted\"/libsomething-long.so.1",
		NULL,
	};
	struct nm_vma_list l = { 0 };
	struct nm_heat h;
	FILE *f;
	int rc;

	vma_add(&l, BASE - 4 * MiB, BASE - 2 * MiB, NM_VMA_FILE, names[0]);
	vma_add(&l, BASE - 2 * MiB, BASE, NM_VMA_FILE, names[1]);
	vma_add(&l, BASE, BASE + 64 * MiB, NM_VMA_ANON, names[2]);
	if (nm_heat_init(&h, 2 * MiB) || nm_heat_set_windows(&h, 20, 1.0))
		return 1;
	for (int i = -2; i < 32; i++) {
		uint64_t a = BASE + (uint64_t)(int64_t)i * 2 * MiB;
		bool moved = i >= 20;	/* the kernel moved the upper part */

		for (uint32_t w = 0; w < 20; w++)
			nm_heat_window_total(&h, w, a, (uint64_t)(w + 1) * (uint64_t)(10 + (i & 7)));
		add_access(&h, a, i < 0 ? 0 : 1, (uint64_t)200 + (uint64_t)(i & 7) * 10);
		add_access(&h, a, i < 0 ? 1 : 0, 3);
		add_pages(&h, a, moved || i < 0 ? (i < 0 ? 0 : 1) : 0, 480);
		add_pages(&h, a, moved ? 0 : 1, 32);
	}
	for (uint32_t w = 0; w < 20; w++)
		nm_heat_window_done(&h, w);
	nm_heat_set_meta(&h, 4242, 20.0, 8000, 0, 2);
	nm_heat_set_comm(&h, "db-server");
	nm_heat_finish(&h, &l);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		return 1;
	}
	nm_heat_report_svg(f, &h);
	rc = fclose(f) ? 1 : 0;
	nm_heat_free(&h);
	nm_vma_list_free(&l);
	return rc;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xml_checker),
		cmocka_unit_test(test_svg_title),
		cmocka_unit_test(test_svg_legends),
		cmocka_unit_test(test_svg_windows),
		cmocka_unit_test(test_svg_panels),
		cmocka_unit_test(test_svg_misplaced_mark),
		cmocka_unit_test(test_short_name),
		cmocka_unit_test(test_svg_mapping_names),
		cmocka_unit_test(test_svg_empty),
		cmocka_unit_test(test_svg_truncated),
		cmocka_unit_test(test_svg_inside_canvas),
	};

	if (argc == 3 && !strcmp(argv[1], "--sample"))
		return write_sample(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
