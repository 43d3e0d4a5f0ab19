// SPDX-License-Identifier: GPL-2.0
/* BTF, tracefs and kprobes, checked in one place; see bpfenv.h. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "bpfenv.h"
#include "tracefs.h"

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
	char p[PATH_MAX];

	return !nm_tracefs_path(root, "/events", p, sizeof(p));
}

bool nm_kprobes_present(const char *root)
{
	char p[PATH_MAX];

	return exists(root, "/sys/bus/event_source/devices/kprobe") ||
	       !nm_tracefs_path(root, "/kprobe_events", p, sizeof(p));
}
