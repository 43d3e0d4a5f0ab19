// SPDX-License-Identifier: GPL-2.0
/* The split of a weighted spread (see spreadreport.h). */
#include <inttypes.h>
#include <stdio.h>
#include "json.h"
#include "spreadreport.h"

const char *nm_spread_fmt(const struct nm_spread *sp, char *buf, size_t len)
{
	size_t pos = 0;

	buf[0] = '\0';
	for (int i = 0; i < sp->n && pos < len; i++)
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%d:%u", i ? "," : "", sp->node[i],
					sp->weight[i]);
	return buf;
}

void nm_spread_text(FILE *f, const struct nm_spread *sp, const struct nm_spread_check *c)
{
	fprintf(f, "Spread: requested");
	for (int i = 0; i < sp->n; i++)
		fprintf(f, "%s node %d %.1f%%", i ? "," : "", sp->node[i], nm_spread_share(sp, i));
	fputc('\n', f);
	if (!c)
		return;
	fprintf(f, "  achieved (of %" PRIu64 " present pages):", c->present);
	for (int i = 0; i < sp->n; i++)
		fprintf(f, "%s node %d %.2f%% (%" PRIu64 " pages)", i ? "," : "", sp->node[i],
			c->achieved[i], c->pages[i]);
	fputc('\n', f);
	if (c->worst < 0)
		fprintf(f, "  MISSED: no page of the range is present\n");
	else
		fprintf(f, "  %s: node %d is %.2f points off its share (tolerance %.1f)\n",
			c->missed ? "MISSED" : "within tolerance", sp->node[c->worst],
			c->worst_miss, c->tolerance);
}

/* {node: percent} with DECIMALS decimals */
static struct json_object *by_node(const struct nm_spread *sp, const double *pct, int decimals)
{
	struct json_object *o = json_object_new_object();
	char key[16], v[32];

	for (int i = 0; i < sp->n; i++) {
		snprintf(key, sizeof(key), "%d", sp->node[i]);
		snprintf(v, sizeof(v), "%.*f", decimals, pct[i]);
		json_object_object_add(o, key, json_object_new_double_s(pct[i], v));
	}
	return o;
}

struct json_object *nm_spread_json(const struct nm_spread *sp, const struct nm_spread_check *c)
{
	struct json_object *o = json_object_new_object(), *p;
	double req[NM_MAX_NODES];
	char spec[512], key[16];

	for (int i = 0; i < sp->n; i++)
		req[i] = nm_spread_share(sp, i);
	json_object_object_add(o, "spec", nm_json_str(nm_spread_fmt(sp, spec, sizeof(spec))));
	json_object_object_add(o, "requested", by_node(sp, req, 1));
	json_object_object_add(o, "achieved", c ? by_node(sp, c->achieved, 2) : NULL);
	if (!c)
		return o;
	p = json_object_new_object();
	for (int i = 0; i < sp->n; i++) {
		snprintf(key, sizeof(key), "%d", sp->node[i]);
		json_object_object_add(p, key, json_object_new_uint64(c->pages[i]));
	}
	json_object_object_add(o, "pages", p);
	json_object_object_add(o, "present", json_object_new_uint64(c->present));
	json_object_object_add(o, "tolerance_pct", json_object_new_double(c->tolerance));
	json_object_object_add(o, "worst_miss_pct", c->worst < 0 ? NULL :
			       json_object_new_double(c->worst_miss));
	json_object_object_add(o, "within_tolerance", json_object_new_boolean(!c->missed));
	return o;
}
