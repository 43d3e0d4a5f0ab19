// SPDX-License-Identifier: GPL-2.0
/* The --cgroup option of scan and auto --all (see cmds.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "cmds.h"
#include "errors.h"
#include "procscan.h"

/* --cgroup: a path under the cgroup v2 mount, or relative to it ("/x"). */
int nm_cgroup_opt_resolve(const char *arg, const char **rel)
{
	char mnt[2048], path[4096];
	const char *c = arg;
	size_t ml;
	struct stat st;
	int r;

	*rel = NULL;
	if (!c)
		return 0;
	r = nm_cgroup2_mount("", mnt, sizeof(mnt));
	if (r) {
		nm_error("--cgroup %s: no cgroup v2 file system is mounted (/proc/self/mounts "
			 "has no cgroup2 line: %s); mount one or leave out --cgroup", arg,
			 strerror(-r));
		return NM_EXIT_USAGE;
	}
	ml = strlen(mnt);
	if (!strncmp(c, mnt, ml) && (c[ml] == '/' || !c[ml]))
		c += ml;
	if (!*c)
		c = "/";
	if (c[0] != '/') {
		nm_error("--cgroup %s: give an absolute path (%s/X, or /X under that mount)", arg,
			 mnt);
		return NM_EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "%s%s", mnt, c);
	if (stat(path, &st) || !S_ISDIR(st.st_mode)) {
		nm_error("--cgroup %s: %s is not a cgroup v2 directory (%s); list them with "
			 "'ls %s'", arg, path, strerror(errno ? errno : ENOTDIR), mnt);
		return NM_EXIT_USAGE;
	}
	*rel = c;
	return 0;
}
