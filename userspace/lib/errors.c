// SPDX-License-Identifier: GPL-2.0
/* errno -> names, reasons and exit codes; the one error printer. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "errors.h"
#include "nm.h"

static bool json_mode;

void nm_errors_set_json(bool on) { json_mode = on; }
bool nm_errors_json(void) { return json_mode; }

static const struct {
	const char *name;
	const char *reason;
} slots[NM_ERR_SLOTS] = {
	[NM_ERR_EBUSY] = { "EBUSY",
		"page busy: isolated by another migration or pinned (e.g. by I/O or RDMA); retry later" },
	[NM_ERR_EACCES] = { "EACCES",
		"page mapped by several processes (shared or copy-on-write after fork): use --all with CAP_SYS_NICE" },
	[NM_ERR_EPERM] = { "EPERM",
		"page cannot be moved by this caller (mlocked or special mapping)" },
	[NM_ERR_ENOMEM] = { "ENOMEM",
		"target node has no free memory left: free memory there or choose another node" },
	[NM_ERR_EFAULT] = { "EFAULT",
		"address not mapped or zero page: nothing to move" },
	[NM_ERR_ENOENT] = { "ENOENT",
		"page not present: nothing to move" },
	[NM_ERR_EIO] = { "EIO",
		"dirty file page the filesystem could not write back for migration: sync the file and retry" },
	[NM_ERR_EINVAL] = { "EINVAL",
		"page cannot be migrated (unmovable mapping, e.g. a driver or special page)" },
	[NM_ERR_UNPROCESSED] = { "UNPROCESSED",
		"move_pages stopped before this page and retries ran out: retry later" },
	[NM_ERR_WRONG_NODE] = { "WRONG_NODE",
		"the kernel placed the page on another node than requested" },
	[NM_ERR_OTHER] = { "OTHER", "unexpected per-page error" },
};

enum nm_errslot nm_errslot_of(int err)
{
	switch (err) {
	case EBUSY: return NM_ERR_EBUSY;
	case EACCES: return NM_ERR_EACCES;
	case EPERM: return NM_ERR_EPERM;
	case ENOMEM: return NM_ERR_ENOMEM;
	case EFAULT: return NM_ERR_EFAULT;
	case ENOENT: return NM_ERR_ENOENT;
	case EIO: return NM_ERR_EIO;
	case EINVAL: return NM_ERR_EINVAL;
	default: return NM_ERR_OTHER;
	}
}

const char *nm_errslot_name(enum nm_errslot s)
{
	return (unsigned)s < NM_ERR_SLOTS ? slots[s].name : "OTHER";
}

const char *nm_errslot_reason(enum nm_errslot s)
{
	return (unsigned)s < NM_ERR_SLOTS ? slots[s].reason : slots[NM_ERR_OTHER].reason;
}

const char *nm_errno_name(int err)
{
	static __thread char buf[16];
	const char *n = strerrorname_np(err);

	if (n)
		return n;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

int nm_exit_for_errno(int err)
{
	switch (err) {
	case EPERM:
	case EACCES:
		return NM_EXIT_PERM;
	case ESRCH:
	case EINVAL:
	case ENODEV:
	case ENOENT:
	case ERANGE:
		return NM_EXIT_USAGE;
	default:
		return NM_EXIT_MIGRATE;
	}
}

/* The errors of this run, in order, for the JSON document (json.h). */
static char *messages[16];
static size_t nmessages;

size_t nm_errors_count(void) { return nmessages; }
const char *nm_errors_get(size_t i) { return i < nmessages ? messages[i] : NULL; }

void nm_errors_clear(void)
{
	for (size_t i = 0; i < nmessages; i++)
		free(messages[i]);
	nmessages = 0;
}

static void vemit(const char *prefix, const char *fmt, va_list ap, bool keep)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "%s%s\n", prefix, msg);
	if (!keep)
		return;
	if (nmessages < NM_ARRAY_SIZE(messages) && (messages[nmessages] = strdup(msg)))
		nmessages++;
}

void nm_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vemit("ERROR: ", fmt, ap, json_mode);
	va_end(ap);
}

void nm_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vemit("warning: ", fmt, ap, false);
	va_end(ap);
}

const char *nm_describe_target_error(int err, int pid, const char *op,
				     bool move_all, char *buf, size_t len)
{
	switch (err) {
	case ESRCH:
		snprintf(buf, len, "process not found: pid %d does not exist (or exited)", pid);
		break;
	case EPERM:
		if (move_all)
			snprintf(buf, len,
				 "permission denied: --all (MPOL_MF_MOVE_ALL) needs CAP_SYS_NICE; "
				 "run as root or grant CAP_SYS_NICE");
		else
			snprintf(buf, len,
				 "permission denied: to %s pages of pid %d you need ptrace access "
				 "to it (same user and kernel.yama.ptrace_scope allowing it) or "
				 "CAP_SYS_NICE for another user's process; run as root", op, pid);
		break;
	case EACCES:
		snprintf(buf, len,
			 "permission denied: cannot read pid %d's memory maps: another user's "
			 "process needs ptrace read access (CAP_SYS_PTRACE) to inspect and "
			 "CAP_SYS_NICE to move its pages; run as root", pid);
		break;
	case ENODEV:
		snprintf(buf, len,
			 "target node is not online or has no memory (move_pages: ENODEV); "
			 "see /sys/devices/system/node/has_memory");
		break;
	default:
		snprintf(buf, len, "%s of pid %d failed: %s (%s)", op, pid,
			 strerror(err), nm_errno_name(err));
	}
	return buf;
}
