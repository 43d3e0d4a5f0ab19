// SPDX-License-Identifier: GPL-2.0
/* BTF and tracefs, checked and (tracefs) mounted in one place; see bpfenv.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include "bpfenv.h"
#include "errors.h"
#include "session.h"

#define TRACEFS "/sys/kernel/tracing"

static bool exists(const char *root, const char *path)
{
	char p[512];
	struct stat st;

	snprintf(p, sizeof(p), "%s%s", root ? root : "", path);
	return !stat(p, &st);
}

bool nm_btf_present(const char *root)
{
	return exists(root, "/sys/kernel/btf/vmlinux");
}

bool nm_tracefs_mounted(const char *root)
{
	return exists(root, TRACEFS "/events") || exists(root, "/sys/kernel/debug/tracing/events");
}

bool nm_kprobes_present(const char *root)
{
	return exists(root, "/sys/bus/event_source/devices/kprobe") ||
	       exists(root, TRACEFS "/kprobe_events") ||
	       exists(root, "/sys/kernel/debug/tracing/kprobe_events");
}

static int unmount_tracefs(void *arg, char *err, size_t len)
{
	(void)arg;
	if (umount2(TRACEFS, 0) < 0) {
		int e = errno;

		if (e == EBUSY) {
			/* someone opened a file in it meanwhile: theirs now */
			nm_warn("tracefs at %s is in use by another program: left mounted "
				"(unmount it with: umount %s)", TRACEFS, TRACEFS);
			return 0;
		}

		snprintf(err, len, "cannot unmount tracefs at %s: %s", TRACEFS, strerror(e));
		return -e;
	}
	return 0;
}

int nm_tracefs_ensure(void)
{
	if (nm_tracefs_mounted(""))
		return 0;
	if (mount("nodev", TRACEFS, "tracefs", 0, NULL) < 0)
		return -errno;
	/* this run mounted it: this run unmounts it */
	if (!nm_session_change("tracefs mounted at " TRACEFS, "umount " TRACEFS,
			       unmount_tracefs, NULL, 0))
		return -ENOMEM;
	return 0;
}
