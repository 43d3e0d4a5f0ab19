// SPDX-License-Identifier: GPL-2.0
/* Other placement agents as JSON and warnings (see agentsout.h). */
#include "agentsout.h"
#include "errors.h"
#include "json.h"

struct json_object *nm_agents_json(const struct nm_agents *a)
{
	struct json_object *l = json_object_new_array();

	for (size_t i = 0; a && i < a->n; i++) {
		struct json_object *x = json_object_new_object();

		json_object_object_add(x, "kind", json_object_new_string(nm_agent_name(a->a[i].kind)));
		json_object_object_add(x, "pid", a->a[i].pid ? json_object_new_int(a->a[i].pid) : NULL);
		json_object_object_add(x, "target", a->a[i].target ?
				       json_object_new_int(a->a[i].target) : NULL);
		json_object_object_add(x, "what", nm_json_str(a->a[i].what));
		json_object_object_add(x, "fix", nm_json_str(a->a[i].fix));
		json_object_array_add(l, x);
	}
	return l;
}

void nm_agents_warn(const struct nm_agents *a)
{
	for (size_t i = 0; a && i < a->n; i++)
		nm_warn("other placement agent: %s; %s", a->a[i].what, a->a[i].fix);
}
