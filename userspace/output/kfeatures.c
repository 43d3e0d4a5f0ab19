// SPDX-License-Identifier: GPL-2.0
/* Printing the features table (pure: takes a filled struct nm_features). */
#include <stdio.h>
#include <string.h>
#include "json.h"
#include "kfeatures.h"
#include "nm.h"

void nm_features_text(FILE *out, const struct nm_features *f)
{
	fprintf(out, "kernel %s: BTF %s, tracefs %s, kernel.numa_balancing %s%s\n",
		f->kernel, f->btf ? "yes" : "NO", f->tracefs ? "mounted" : "not mounted",
		f->numa_balancing < 0 ? "unreadable" :
		f->numa_balancing == 0 ? "0 (off: no hinting faults)" :
		f->numa_balancing == 1 ? "1 (on)" : "2 (memory tiering)",
		f->root ? "" : "; NOT ROOT: BPF could not be tried");
	fprintf(out, "\n%-30s %-10s %-11s %s\n", "hook", "state", "via", "role");
	for (size_t i = 0; i < f->nhooks; i++) {
		const struct nm_hook *h = &f->hooks[i];

		fprintf(out, "%-30s %-10s %-11s %s\n", h->name, nm_hook_state_name(h->state),
			h->via[0] ? h->via : "-", h->role);
		if (h->detail[0])
			fprintf(out, "%-30s   %s\n", "", h->detail);
		if (h->lost[0])
			fprintf(out, "%-30s   lost: %s\n", "", h->lost);
	}
}

struct json_object *nm_features_json(const struct nm_features *f)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array();

	json_object_object_add(o, "kernel", nm_json_str(f->kernel));
	json_object_object_add(o, "root", json_object_new_boolean(f->root));
	json_object_object_add(o, "btf", json_object_new_boolean(f->btf));
	json_object_object_add(o, "tracefs", json_object_new_boolean(f->tracefs));
	json_object_object_add(o, "numa_balancing", f->numa_balancing < 0 ? NULL :
			       json_object_new_int(f->numa_balancing));
	for (size_t i = 0; i < f->nhooks; i++) {
		const struct nm_hook *h = &f->hooks[i];
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "name", nm_json_str(h->name));
		json_object_object_add(e, "role", nm_json_str(h->role));
		json_object_object_add(e, "state", nm_json_str(nm_hook_state_name(h->state)));
		json_object_object_add(e, "via", h->via[0] ? nm_json_str(h->via) : NULL);
		json_object_object_add(e, "detail", h->detail[0] ?
				       nm_json_str(h->detail) : NULL);
		json_object_object_add(e, "lost", h->lost[0] ? nm_json_str(h->lost) : NULL);
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "hooks", a);
	return o;
}
