// SPDX-License-Identifier: GPL-2.0
/* Printing the features table (pure: takes a filled struct nm_features). */
#include <stdio.h>
#include <string.h>
#include "json.h"
#include "kfeatures.h"
#include "nm.h"
#include "coldsense.h"

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

static const char *module_state(int v)
{
	return v < 0 ? "absent" : v ? "enabled" : "built, disabled";
}

void nm_damon_info_text(FILE *out, const struct nm_damon_info *d)
{
	if (!d->present) {
		fprintf(out, "\nDAMON: not in this kernel (no %s, no DAMON module): no access "
			"sensor besides hinting faults\n", NM_DAMON_ADMIN);
		return;
	}
	fprintf(out, "\nDAMON: yes; sysfs interface %s", d->sysfs ? "yes" : "NO (CONFIG_DAMON_SYSFS "
		"unset: numa-migrate cannot use it)");
	if (d->nr_kdamonds >= 0) {
		fprintf(out, "; kdamonds configured %d, running %d", d->nr_kdamonds, d->running);
		if (d->first_running_pid)
			fprintf(out, " (kdamond pid %d)", d->first_running_pid);
	}
	fprintf(out, "\n  DAMON_RECLAIM %s, DAMON_LRU_SORT %s\n", module_state(d->reclaim),
		module_state(d->lru_sort));
	if (d->usable)
		fprintf(out, "  usable: yes (no kdamond configured: numa-migrate may add its own "
			"and removes it on exit)\n");
	else
		fprintf(out, "  usable: no: %s\n", d->why);
}

static struct json_object *tristate(int v)
{
	return v < 0 ? NULL : json_object_new_boolean(v);
}

struct json_object *nm_damon_info_json(const struct nm_damon_info *d)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "present", json_object_new_boolean(d->present));
	json_object_object_add(o, "sysfs", json_object_new_boolean(d->sysfs));
	json_object_object_add(o, "nr_kdamonds", d->nr_kdamonds < 0 ? NULL :
			       json_object_new_int(d->nr_kdamonds));
	json_object_object_add(o, "running", d->nr_kdamonds < 0 ? NULL :
			       json_object_new_int(d->running));
	json_object_object_add(o, "running_pid", d->first_running_pid ?
			       json_object_new_int(d->first_running_pid) : NULL);
	json_object_object_add(o, "reclaim", tristate(d->reclaim));
	json_object_object_add(o, "lru_sort", tristate(d->lru_sort));
	json_object_object_add(o, "usable", json_object_new_boolean(d->usable));
	json_object_object_add(o, "why", d->usable || !d->why[0] ? NULL : nm_json_str(d->why));
	return o;
}

/* What auto --demote-cold (one process, --cold-sensor auto) would use here. */
static int cold_sensor(const struct nm_damon_info *d, char *why, size_t len)
{
	return nm_cold_sensor_pick(NM_SENSOR_AUTO, false, d->usable ? "" : d->why, why, len);
}

void nm_cold_sensor_text(FILE *out, const struct nm_damon_info *d)
{
	char why[512];
	int s = cold_sensor(d, why, sizeof(why));

	fprintf(out, "\nauto --demote-cold's cold sensor here: %s: %s\n  %s\n",
		nm_cold_sensor_name(s), why, nm_cold_sensor_trust(s));
}

struct json_object *nm_cold_sensor_json(const struct nm_damon_info *d)
{
	struct json_object *o = json_object_new_object();
	char why[512];
	int s = cold_sensor(d, why, sizeof(why));

	json_object_object_add(o, "name", nm_json_str(nm_cold_sensor_name(s)));
	json_object_object_add(o, "why", nm_json_str(why));
	json_object_object_add(o, "trust", nm_json_str(nm_cold_sensor_trust(s)));
	return o;
}
