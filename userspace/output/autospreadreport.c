// SPDX-License-Identifier: GPL-2.0
/* auto --spread's report and log lines (see autospreadreport.h). */
#include <inttypes.h>
#include "autospreadreport.h"
#include "json.h"
#include "spreadreport.h"

static struct json_object *split(const struct nm_aspread *s)
{
	return nm_spread_json(&s->sp, s->measured ? &s->check : NULL);
}

struct json_object *nm_aspreads_json(const struct nm_aspreads *s)
{
	struct json_object *a = json_object_new_array();

	for (int i = 0; s && i < s->n; i++) {
		const struct nm_aspread *x = &s->s[i];
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "where", nm_json_str(x->where));
		json_object_object_add(o, "split", split(x));
		json_object_object_add(o, "reapplied", json_object_new_uint64(x->reapplied));
		json_object_object_add(o, "pages_moved", json_object_new_uint64(x->pages_moved));
		json_object_object_add(o, "pages_failed", json_object_new_uint64(x->pages_failed));
		json_object_array_add(a, o);
	}
	return a;
}

void nm_aspreads_text(FILE *f, const struct nm_aspreads *s)
{
	char where[300], spec[256];

	for (int i = 0; s && i < s->n; i++) {
		const struct nm_aspread *x = &s->s[i];

		fprintf(f, "  Spread %s=%s: %lu re-applications, %" PRIu64 " pages moved, %"
			PRIu64 " failed\n", nm_text_escape(x->where, where, sizeof(where)),
			nm_spread_fmt(&x->sp, spec, sizeof(spec)), x->reapplied, x->pages_moved,
			x->pages_failed);
		nm_spread_text(f, &x->sp, x->measured ? &x->check : NULL);
	}
}

struct json_object *nm_aspread_log_json(long interval, double t, const struct nm_aspread *s,
					const struct nm_spread_check *seen, uint64_t moved,
					uint64_t failed)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "type", nm_json_str("spread"));
	json_object_object_add(o, "interval", json_object_new_int64(interval));
	json_object_object_add(o, "t", json_object_new_double(t));
	json_object_object_add(o, "where", nm_json_str(s->where));
	json_object_object_add(o, "event", nm_json_str(seen ? "reapply" : "apply"));
	json_object_object_add(o, "seen", seen ? nm_spread_json(&s->sp, seen) : NULL);
	json_object_object_add(o, "moved", json_object_new_uint64(moved));
	json_object_object_add(o, "failed", json_object_new_uint64(failed));
	json_object_object_add(o, "after", split(s));
	return o;
}
