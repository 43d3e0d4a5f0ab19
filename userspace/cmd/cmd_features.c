// SPDX-License-Identifier: GPL-2.0
/* numa-migrate features: the probe module's findings, hook by hook. */
#include <errno.h>
#include <stdio.h>
#include "cmds.h"
#include "errors.h"
#include "json.h"
#include "kfeatures.h"

int nm_cmd_features(struct nm_args *a)
{
	struct nm_features f;
	int r = nm_probe_features(&f);

	if (a->json)
		nm_out_json(nm_features_json(&f));	/* main prints it, with any error */
	else
		nm_features_text(stdout, &f);
	if (r == -EPERM) {
		nm_error("not root: loading BPF needs root (or CAP_BPF and CAP_PERFMON); "
			 "the hooks above could not be tried; run it as root");
		return NM_EXIT_PERM;
	}
	return NM_EXIT_OK;
}
