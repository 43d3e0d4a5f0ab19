// SPDX-License-Identifier: GPL-2.0
/* numa-migrate features: the probe module's findings, hook by hook. */
#include <errno.h>
#include <stdio.h>
#include "cmds.h"
#include "errors.h"
#include "kfeatures.h"

int nm_cmd_features(struct nm_args *a)
{
	struct nm_features f;
	int r = nm_probe_features(&f);

	if (a->json) {
		struct json_object *o = nm_features_json(&f);

		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE |
								 JSON_C_TO_STRING_SPACED));
		json_object_put(o);
	} else {
		nm_features_text(stdout, &f);
	}
	if (r == -EPERM) {
		bool saved = nm_errors_json();

		nm_errors_set_json(false);
		nm_error("not root: loading BPF needs root (or CAP_BPF and CAP_PERFMON); "
			 "the hooks above could not be tried");
		nm_errors_set_json(saved);
		return NM_EXIT_PERM;
	}
	return NM_EXIT_OK;
}
