// SPDX-License-Identifier: GPL-2.0
/* numa-migrate features: the probe module's findings, hook by hook, and DAMON. */
#include <errno.h>
#include <stdio.h>
#include "cmds.h"
#include "damon.h"
#include "errors.h"
#include "json.h"
#include "kfeatures.h"

int nm_cmd_features(struct nm_args *a)
{
	struct nm_features f;
	struct nm_damon_info d;
	int r = nm_probe_features(&f);

	nm_damon_info_read("", &d);
	if (a->json) {
		struct json_object *o = nm_features_json(&f);

		json_object_object_add(o, "damon", nm_damon_info_json(&d));
		json_object_object_add(o, "cold_sensor", nm_cold_sensor_json(&d));
		nm_out_json(o);	/* main prints it, with any error */
	} else {
		nm_features_text(stdout, &f);
		nm_damon_info_text(stdout, &d);
		nm_cold_sensor_text(stdout, &d);
	}
	if (r == -EPERM) {
		nm_error("not root: loading BPF needs root (or CAP_BPF and CAP_PERFMON); "
			 "the hooks above could not be tried; run it as root");
		return NM_EXIT_PERM;
	}
	return NM_EXIT_OK;
}
