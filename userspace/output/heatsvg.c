// SPDX-License-Identifier: GPL-2.0
/*
 * The page heat report as an SVG picture for people. From left to right, one
 * row per region (the hottest NM_HEAT_SVG_ROWS, drawn by address):
 *   the region axis   start address and mapping name (shortened; in full in
 *                     the row's tooltip)
 *   access panel      hinting faults by accessing CPU node (red)
 *   placement panel   the share of the region's pages on each node now (green);
 *                     a misplaced region (accessed mostly from node X,
 *                     resident mostly on node Y) gets an orange frame here
 *   mark column       "from X, on Y" for each misplaced region
 *   time panel        accesses per time window (blue)
 * Above them a title (pid, comm, duration, samples) and one legend per colour
 * scale. Every element carries a class (or id) the tests look for. Sizes
 * assume an 11 px monospace font: 6.6 px a character, rows 14 px apart.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "heatmap.h"
#include "json.h"

enum {
	ROW_H = 14,		/* > the 11 px font's line box: labels never touch */
	CELL_W = 52,		/* "node 15" fits */
	GAP = 24,		/* between panels */
	LEFT = 10,
	NAME_CHARS = 28,	/* mapping names on the axis, at most */
	LABEL_W = (15 + NAME_CHARS) * 7,
	LEGEND_Y = 58,		/* legend captions */
	TOP = 160,		/* the first row */
	SWATCHES = 11,
	SWATCH_W = 16,
	MARK_W = 190,		/* "accessed from 15, pages on 15" */
};

/* Pixels a string of N characters takes in the 11 px monospace font. */
static int text_w(size_t n)
{
	return (int)(n * 66 + 9) / 10;
}

/* Characters (UTF-8 code points) of S. */
static size_t nchars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* S (valid UTF-8) as XML text or attribute value. */
static void xml_put(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* A name a user chose: control bytes and invalid UTF-8 as \xNN first. */
static void xml_name(FILE *f, const char *s)
{
	char *e = nm_text_escape_dup(s);

	xml_put(f, e ? e : "?");
	free(e);
}

const char *nm_heat_short_name(const char *name, char *buf, size_t size, size_t max)
{
	const char *base, *tail;
	char *e = nm_text_escape_dup(name ? name : "");
	size_t n;

	if (!e || max < 8) {
		snprintf(buf, size, "%s", e ? "..." : "?");
		free(e);
		return buf;
	}
	n = nchars(e);
	if (n <= max) {
		snprintf(buf, size, "%s", e);
		free(e);
		return buf;
	}
	/* the file name tells more than the directories: ".../name", else the
	 * name's end */
	base = strrchr(e, '/');
	if (base && base[1] && nchars(base) + 3 <= max) {
		snprintf(buf, size, "...%s", base);
	} else {
		tail = e + strlen(e);
		for (size_t k = 0; k < max - 3 && tail > e;) {
			tail--;
			k += ((unsigned char)*tail & 0xc0) != 0x80;
		}
		snprintf(buf, size, "...%s", tail);
	}
	free(e);
	return buf;
}

/* Colour of fraction F (0..1) on each scale. */
enum scale { ACCESS, PLACE, TIME };

static void fill(FILE *f, enum scale s, double x)
{
	unsigned int v;

	x = x < 0 ? 0 : x > 1 ? 1 : x;
	v = (unsigned int)(255 - x * 255 + 0.5);
	switch (s) {
	case ACCESS: fprintf(f, "fill=\"rgb(255,%u,%u)\"", v, v); break;
	case PLACE: fprintf(f, "fill=\"rgb(%u,%u,%u)\"", v, (unsigned int)(255 - x * 125 + 0.5), v);
		break;
	case TIME: fprintf(f, "fill=\"rgb(%u,%u,255)\"", v, v); break;
	}
}

/* One legend: caption, SWATCHES swatches from 0 to 1, LO and HI below them.
 * Returns its width. */
static int legend(FILE *f, int x, enum scale s, const char *id, const char *caption,
		  const char *lo, const char *hi)
{
	int w = SWATCHES * SWATCH_W, cw = text_w(strlen(caption));

	fprintf(f, "<g class=\"legend\" id=\"legend-%s\">\n<text x=\"%d\" y=\"%d\">", id, x,
		LEGEND_Y);
	xml_put(f, caption);
	fprintf(f, "</text>\n");
	for (int k = 0; k < SWATCHES; k++) {
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"12\" ", x + k * SWATCH_W,
			LEGEND_Y + 8, SWATCH_W);
		fill(f, s, k / (double)(SWATCHES - 1));
		fprintf(f, " stroke=\"#999\"/>\n");
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\">%s</text>\n<text x=\"%d\" y=\"%d\" "
		"text-anchor=\"end\">%s</text>\n</g>\n", x, LEGEND_Y + 34, lo, x + w,
		LEGEND_Y + 34, hi);
	return w > cw ? w : cw;
}

struct layout {
	int mn;				/* nodes 0..mn */
	size_t nrows;
	const struct nm_heat_region **rows;
	uint64_t top, wtop;		/* the darkest access and window cells */
	uint32_t nw;			/* windows drawn */
	int ww;				/* a window's width */
	int ax, px, mx, tx;		/* panel x: access, placement, mark, time */
	int pw, tw;			/* node panel and time panel widths */
	char ttitle[80];		/* the time panel's title */
	int width, height;
	size_t misplaced;
};

static int by_start(const void *a, const void *b)
{
	const struct nm_heat_region *x = *(const struct nm_heat_region *const *)a;
	const struct nm_heat_region *y = *(const struct nm_heat_region *const *)b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static const char ACC_T[] = "accesses by CPU node", PLACE_T[] = "pages by node now";

/* Rows: the hottest regions (h->r is hottest first), drawn by address. */
static int plan(const struct nm_heat *h, struct layout *l)
{
	memset(l, 0, sizeof(*l));
	l->mn = nm_heat_max_node(h);
	l->nrows = h->n < NM_HEAT_SVG_ROWS ? h->n : NM_HEAT_SVG_ROWS;
	l->rows = calloc(l->nrows ? l->nrows : 1, sizeof(*l->rows));
	if (!l->rows)
		return -1;
	for (size_t i = 0; i < l->nrows; i++)
		l->rows[i] = &h->r[i];
	qsort(l->rows, l->nrows, sizeof(*l->rows), by_start);
	l->top = l->wtop = 1;
	l->nw = h->wins_done < 120 ? h->wins_done : 120;
	for (size_t i = 0; i < l->nrows; i++) {
		const struct nm_heat_region *r = l->rows[i];

		for (int n = 0; n <= l->mn; n++)
			if (r->access[n] > l->top)
				l->top = r->access[n];
		for (uint32_t k = 0; r->win && k < l->nw; k++)
			if (r->win[k] > l->wtop)
				l->wtop = r->win[k];
		l->misplaced += nm_heat_region_misplaced(r);
	}
	l->pw = (l->mn + 1) * CELL_W;
	if (l->pw < text_w(sizeof(ACC_T)))
		l->pw = text_w(sizeof(ACC_T));
	l->ww = l->nw ? 480 / (int)l->nw : 0;
	l->ww = l->ww < 4 ? 4 : l->ww > 40 ? 40 : l->ww;
	if (l->nw)
		snprintf(l->ttitle, sizeof(l->ttitle), "accesses over time: %u window%s of %.1f s",
			 l->nw, l->nw == 1 ? "" : "s", h->window_s);
	else
		snprintf(l->ttitle, sizeof(l->ttitle), "no time windows recorded");
	l->tw = (int)l->nw * l->ww;
	if (l->tw < text_w(strlen(l->ttitle)))
		l->tw = text_w(strlen(l->ttitle));
	l->ax = LEFT + LABEL_W;
	l->px = l->ax + l->pw + GAP;
	l->mx = l->px + l->pw + GAP;
	l->tx = l->mx + MARK_W + GAP;
	l->width = l->tx + l->tw + 20;
	l->height = TOP + (int)(l->nrows ? l->nrows : 1) * ROW_H + 34;
	return 0;
}

static void title(FILE *f, const struct nm_heat *h, struct layout *l)
{
	char line[160];
	int n;

	fprintf(f, "<text id=\"title\" x=\"%d\" y=\"24\" font-size=\"15\" font-weight=\"bold\">"
		"numa-migrate trace: pid %d (", LEFT, h->pid);
	xml_name(f, h->comm[0] ? h->comm : "?");
	n = snprintf(line, sizeof(line), "), %.1f s, %" PRIu64 " samples", h->duration_s,
		     nm_heat_samples(h));
	fprintf(f, "%s</text>\n", line);
	/* the title's width: 10 px a character at 15 px bold, the comm escaped at most 4x */
	n = (int)(strlen("numa-migrate trace: pid 4194304 (") + 4 * strlen(h->comm) + (size_t)n) * 10;
	if (LEFT + n + 20 > l->width)
		l->width = LEFT + n + 20;
	fprintf(f, "<text id=\"subtitle\" x=\"%d\" y=\"42\">%" PRIu64 " hinting faults, %" PRIu64
		" dropped, %" PRIu64 " without address; %zu regions of %" PRIu64 " KiB, %zu "
		"drawn, %zu misplaced</text>\n", LEFT, h->hint_faults, h->dropped, h->no_addr, h->n,
		h->granularity / 1024, l->nrows, l->misplaced);
}

static int legends(FILE *f, const struct layout *l)
{
	char hi[32];
	int x = LEFT;

	snprintf(hi, sizeof(hi), "%" PRIu64, l->top);
	x += legend(f, x, ACCESS, "access", "accesses (hinting faults)", "0", hi) + 40;
	x += legend(f, x, PLACE, "placement", "share of the region's pages", "0%", "100%") + 40;
	if (l->nw) {
		snprintf(hi, sizeof(hi), "%" PRIu64, l->wtop);
		x += legend(f, x, TIME, "time", "accesses per time window", "0", hi) + 40;
	}
	fprintf(f, "<g class=\"legend\" id=\"legend-misplaced\">\n<rect x=\"%d\" y=\"%d\" "
		"width=\"%d\" height=\"12\" fill=\"none\" stroke=\"#e66100\" stroke-width=\"2\"/>\n"
		"<text x=\"%d\" y=\"%d\">misplaced: accessed mostly from one node,</text>\n"
		"<text x=\"%d\" y=\"%d\">its pages mostly on another</text>\n</g>\n", x + 1,
		LEGEND_Y + 8, SWATCH_W * 2, x + SWATCH_W * 2 + 8, LEGEND_Y + 18,
		x + SWATCH_W * 2 + 8, LEGEND_Y + 34);
	return x + SWATCH_W * 2 + 8 + text_w(41);
}

static void headers(FILE *f, const struct nm_heat *h, const struct layout *l)
{
	int y = TOP - 26, end;

	fprintf(f, "<text class=\"axis-title\" x=\"%d\" y=\"%d\">region start, mapping</text>\n",
		LEFT, TOP - 8);
	fprintf(f, "<text class=\"panel-title\" x=\"%d\" y=\"%d\">%s</text>\n"
		"<text class=\"panel-title\" x=\"%d\" y=\"%d\">%s</text>\n"
		"<text class=\"panel-title\" x=\"%d\" y=\"%d\">misplaced</text>\n", l->ax, y, ACC_T,
		l->px, y, PLACE_T, l->mx, y);
	for (int n = 0; n <= l->mn; n++)
		fprintf(f, "<text class=\"node-label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">node "
			"%d</text>\n<text class=\"node-label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
			"node %d</text>\n", l->ax + n * CELL_W + CELL_W / 2, TOP - 8, n,
			l->px + n * CELL_W + CELL_W / 2, TOP - 8, n);
	fprintf(f, "<text class=\"panel-title\" x=\"%d\" y=\"%d\">%s</text>\n", l->tx, y, l->ttitle);
	if (!l->nw)
		return;
	/* the end under the last window, or far enough from "0 s" to read */
	end = (int)l->nw * l->ww > 60 ? (int)l->nw * l->ww : 60;
	fprintf(f, "<text class=\"time-label\" x=\"%d\" y=\"%d\">0 s</text>\n<text "
		"class=\"time-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%.0f s</text>\n", l->tx,
		TOP - 8, l->tx + end, TOP - 8, l->nw * h->window_s);
}

static void row(FILE *f, const struct nm_heat *h, const struct layout *l, size_t i)
{
	const struct nm_heat_region *r = l->rows[i];
	const char *map = r->mapping ? r->mapping : "";
	uint64_t pages = nm_heat_region_pages(r);
	int y = TOP + (int)i * ROW_H;
	char name[NAME_CHARS * 4 + 8];

	fprintf(f, "<g class=\"region\"><title>0x%" PRIx64 "-0x%" PRIx64 " ", r->start,
		r->start + h->granularity);
	xml_name(f, map);
	fprintf(f, "</title>\n<text class=\"region-label\" x=\"%d\" y=\"%d\">0x%012" PRIx64 " ",
		LEFT, y + ROW_H - 3, r->start);
	xml_put(f, nm_heat_short_name(map, name, sizeof(name), NAME_CHARS));
	fprintf(f, "</text>\n");
	for (int n = 0; n <= l->mn; n++) {
		fprintf(f, "<rect class=\"cell access\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" ",
			l->ax + n * CELL_W, y, CELL_W, ROW_H);
		fill(f, ACCESS, (double)r->access[n] / (double)l->top);
		fprintf(f, " stroke=\"#ddd\"><title>0x%" PRIx64 " from node %d: %" PRIu64
			" accesses</title></rect>\n", r->start, n, r->access[n]);
	}
	for (int n = 0; n <= l->mn; n++) {
		fprintf(f, "<rect class=\"cell placement\" x=\"%d\" y=\"%d\" width=\"%d\" "
			"height=\"%d\" ", l->px + n * CELL_W, y, CELL_W, ROW_H);
		fill(f, PLACE, pages ? (double)r->pages[n] / (double)pages : 0);
		fprintf(f, " stroke=\"#ddd\"><title>0x%" PRIx64 " on node %d: %" PRIu64 " of %" PRIu64
			" pages</title></rect>\n", r->start, n, r->pages[n], pages);
	}
	if (nm_heat_region_misplaced(r)) {
		fprintf(f, "<rect class=\"misplaced\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
			"fill=\"none\" stroke=\"#e66100\" stroke-width=\"2\"/>\n<text class=\"mark\" "
			"x=\"%d\" y=\"%d\" fill=\"#b34700\"><title>accessed mostly from node %d, "
			"%" PRIu64 " of %" PRIu64 " pages on node %d</title>accessed from %d, "
			"pages on %d</text>\n", l->px + 1, y + 1, (l->mn + 1) * CELL_W - 2, ROW_H - 2,
			l->mx, y + ROW_H - 3, r->dominant, r->pages[r->resident], pages, r->resident,
			r->dominant, r->resident);
	}
	for (uint32_t k = 0; k < l->nw; k++) {
		uint64_t c = r->win ? r->win[k] : 0;

		fprintf(f, "<rect class=\"cell time\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" ",
			l->tx + (int)k * l->ww, y, l->ww, ROW_H);
		fill(f, TIME, (double)c / (double)l->wtop);
		fprintf(f, " stroke=\"#eee\"><title>0x%" PRIx64 " window %u: %" PRIu64
			" accesses</title></rect>\n", r->start, k, c);
	}
	fprintf(f, "</g>\n");
}

void nm_heat_report_svg(FILE *f, const struct nm_heat *h)
{
	struct layout l;
	char *body = NULL;
	size_t blen = 0;
	FILE *b;
	int lw;

	/* the body first, into memory: the title and legends decide the width */
	if (plan(h, &l) || !(b = open_memstream(&body, &blen))) {
		fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www."
			"w3.org/2000/svg\" width=\"400\" height=\"40\" viewBox=\"0 0 400 40\"><text "
			"x=\"10\" y=\"20\">out of memory drawing the heat map</text></svg>\n");
		free(l.rows);
		return;
	}
	title(b, h, &l);
	lw = legends(b, &l);
	if (lw + 20 > l.width)
		l.width = lw + 20;
	headers(b, h, &l);
	fprintf(b, "<g id=\"rows\">\n");
	for (size_t i = 0; i < l.nrows; i++)
		row(b, h, &l, i);
	fprintf(b, "</g>\n");
	if (h->n > l.nrows)
		fprintf(b, "<text id=\"more\" x=\"%d\" y=\"%d\">%zu more regions not drawn (the "
			"coldest; --json lists them all)</text>\n", LEFT,
			TOP + (int)l.nrows * ROW_H + 20, h->n - l.nrows);
	else if (!h->n)
		fprintf(b, "<text id=\"more\" x=\"%d\" y=\"%d\">no regions: nothing was sampled or "
			"resident</text>\n", LEFT, TOP + 11);
	fclose(b);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans Mono,monospace\" font-size=\"11\">\n"
		"<rect id=\"background\" width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
		l.width, l.height, l.width, l.height);
	if (body)
		fwrite(body, 1, blen, f);
	fprintf(f, "</svg>\n");
	free(body);
	free(l.rows);
}
