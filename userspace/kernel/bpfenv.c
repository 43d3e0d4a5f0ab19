// SPDX-License-Identifier: GPL-2.0
/* BTF, tracefs and kprobes, checked in one place; see bpfenv.h. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "bpfenv.h"

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
