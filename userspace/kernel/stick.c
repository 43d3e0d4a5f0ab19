// SPDX-License-Identifier: GPL-2.0
/* move --policy bind through a cgroup v2 cpuset (see stick.h). */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "diagread.h"
#include "procfs.h"
#include "stick.h"

#define CGROOT "/sys/fs/cgroup"

static int write_file(const char *dir, const char *name, const char *val)
{
	char path[PATH_MAX + 64];
	ssize_t n;
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		err = -errno;
	close(fd);
	return err;
}

static bool has_word(const char *text, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = text; (p = strstr(p, w)); p += n)
		if ((p == text || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || !p[n]))
			return true;
	return false;
}

int nm_policy_bind_cpuset(pid_t pid, int node, struct nm_policy_result *r, char *err,
			  size_t errlen)
{
	char cg[PATH_MAX], path[PATH_MAX + 32], val[32], *ctl = NULL;
	int rc;

	memset(r, 0, sizeof(*r));
	r->pid = pid;
	r->node = node;
	rc = nm_cgroup2_path("", pid, cg, sizeof(cg));
	if (rc) {
		snprintf(err, errlen, "--policy bind: cannot find pid %d's cgroup v2 (%s): it "
			 "needs the unified hierarchy at " CGROOT "; use 'numactl --membind=%d' to "
			 "start the process instead", pid, strerror(-rc), node);
		return rc;
	}
	if (snprintf(r->from, sizeof(r->from), CGROOT "%.*s", (int)(sizeof(r->from) - 32),
		     strcmp(cg, "/") ? cg : "") >= (int)sizeof(r->from) - 16)
		return -ENAMETOOLONG;
	snprintf(path, sizeof(path), "%s/cgroup.controllers", r->from);
	rc = nm_read_text_file(path, &ctl);
	if (rc == -ENOENT) {
		snprintf(err, errlen, "--policy bind: %s is not a cgroup v2 directory (no "
			 "cgroup.controllers): this host does not mount the unified hierarchy at "
			 CGROOT "; start the process under 'numactl --membind=%d' instead",
			 r->from, node);
		return rc;
	}
	if (rc || !has_word(ctl, "cpuset")) {
		free(ctl);
		snprintf(err, errlen, "--policy bind: the cpuset controller is not available in "
			 "%s (%s): enable it in the parent's cgroup.subtree_control (echo +cpuset)",
			 r->from, rc ? strerror(-rc) : "not in cgroup.controllers");
		return rc ? rc : -ENOTSUP;
	}
	free(ctl);
	rc = write_file(r->from, "cgroup.subtree_control", "+cpuset");
	if (rc) {
		snprintf(err, errlen, "--policy bind: cannot enable the cpuset controller below "
			 "%s (%s)%s", r->from, strerror(-rc), rc == -EBUSY ? ": the cgroup is "
			 "not a leaf that may hold processes and children; move the process into a "
			 "cgroup of its own first" : "");
		return rc;
	}
	if (snprintf(r->to, sizeof(r->to), "%s/numa-migrate-%d", r->from, (int)pid) >=
	    (int)sizeof(r->to))
		return -ENAMETOOLONG;
	if (mkdir(r->to, 0755) < 0 && errno != EEXIST) {
		rc = -errno;
		snprintf(err, errlen, "--policy bind: cannot create cgroup %s: %s", r->to,
			 strerror(-rc));
		return rc;
	}
	snprintf(val, sizeof(val), "%d", node);
	rc = write_file(r->to, "cpuset.mems", val);
	if (rc) {
		snprintf(err, errlen, "--policy bind: cannot set %s/cpuset.mems to %d: %s (the "
			 "parent's cpuset.mems.effective must include node %d)", r->to, node,
			 strerror(-rc), node);
		rmdir(r->to);
		return rc;
	}
	snprintf(val, sizeof(val), "%d", (int)pid);
	rc = write_file(r->to, "cgroup.procs", val);
	if (rc) {
		snprintf(err, errlen, "--policy bind: cannot move pid %d into %s: %s", pid, r->to,
			 strerror(-rc));
		rmdir(r->to);
		return rc;
	}
	snprintf(r->undo, sizeof(r->undo), "echo %d > %s/cgroup.procs && rmdir %s", (int)pid,
		 r->from, r->to);
	return 0;
}

int nm_policy_unbind(void *arg, char *err, size_t errlen)
{
	const struct nm_policy_result *r = arg;
	char val[32];
	int rc;

	snprintf(val, sizeof(val), "%d", (int)r->pid);
	rc = write_file(r->from, "cgroup.procs", val);
	if (rc && rc != -ESRCH) {
		snprintf(err, errlen, "cannot move pid %d back into %s: %s", (int)r->pid, r->from,
			 strerror(-rc));
		return rc;
	}
	if (rmdir(r->to) < 0) {
		rc = -errno;
		snprintf(err, errlen, "cannot remove cgroup %s: %s", r->to, strerror(-rc));
		return rc;
	}
	return 0;
}
