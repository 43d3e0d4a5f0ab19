// SPDX-License-Identifier: GPL-2.0
/* Where tracefs is (see tracefs.h). */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include "tracefs.h"

int nm_tracefs_path(const char *root, const char *rel, char *buf, size_t len)
{
	static const char *const mounts[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	int err = -ENOENT;

	for (size_t i = 0; i < sizeof(mounts) / sizeof(mounts[0]); i++) {
		struct stat st;
		int n = snprintf(buf, len, "%s%s%s", root ? root : "", mounts[i], rel);

		if (n < 0 || (size_t)n >= len) {
			err = -ENAMETOOLONG;
			continue;
		}
		if (!stat(buf, &st))
			return 0;
	}
	return err;
}
