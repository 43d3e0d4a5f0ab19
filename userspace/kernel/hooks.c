// SPDX-License-Identifier: GPL-2.0
/* The table of kernel hooks (see hooks.h) and the texts written from it. */
#include <stdio.h>
#include <string.h>
#include "bpfenv.h"
#include "errors.h"
#include "hooks.h"
#include "nm.h"

#define MIG_REGIONS_LOST "kernel migrations are counted by reason but not per region or node; " \
			 "diagnose cannot attribute drift"
#define SCHED_LOST "the target's threads moved between nodes are not reported"
#define THP_LOST "THPs the kernel migrates whole are not placed in regions"
#define ADDR_LOST "fault addresses come from page_fault_user, which runs on every page fault " \
		  "of every process while attached (a cost on fault-heavy programs)"

static const struct nm_hook_def hooks[NM_HK_COUNT] = {
	[NM_HK_MIGRATE_PAGES] = {
		"migrate:mm_migrate_pages", "kernel page migrations by reason",
		{ NM_AT_RAW_TP },
		"migrations are not counted: move cannot cross-check its counts, trace cannot "
		"show what the kernel moved", "kernel migration counters" },
	[NM_HK_MIGRATE_START] = {
		"migrate:mm_migrate_pages_start", "the reason of each kernel migration",
		{ NM_AT_TP_BTF }, MIG_REGIONS_LOST, "per-region kernel migrations",
		NM_HK_MIGRATE_PAGES },
	[NM_HK_SET_MIGRATION_PTE] = {
		"migrate:set_migration_pte", "each page the kernel migrates: address, source node",
		{ NM_AT_TP_BTF }, MIG_REGIONS_LOST },
	[NM_HK_REMOVE_MIGRATION_PTE] = {
		"migrate:remove_migration_pte", "its destination node (or that it failed)",
		{ NM_AT_TP_BTF }, MIG_REGIONS_LOST },
	[NM_HK_SET_MIGRATION_PMD] = {
		"migrate:set_migration_pmd", "the same for a THP moved whole (start)",
		{ NM_AT_TP_BTF }, THP_LOST },
	[NM_HK_REMOVE_MIGRATION_PMD] = {
		"migrate:remove_migration_pmd", "the same for a THP moved whole (end)",
		{ NM_AT_TP_BTF }, THP_LOST },
	[NM_HK_TASK_NUMA_FAULT] = {
		"task_numa_fault", "NUMA hinting faults (accessing node)",
		{ NM_AT_FENTRY, NM_AT_KPROBE },
		"no hinting faults: which node touches which page is unknown; trace shows page "
		"placement and kernel migrations only", "hinting faults" },
	[NM_HK_NUMA_MIGRATE_CHECK] = {
		"numa_migrate_check", "fault addresses of hinting faults only (6.12+)",
		{ NM_AT_FENTRY }, ADDR_LOST, .serves = NM_HK_PAGE_FAULT_USER, .btf_func = true },
	[NM_HK_NUMA_MIGRATE_PREP] = {
		"numa_migrate_prep", "fault addresses of hinting faults only (6.1)",
		{ NM_AT_FENTRY }, ADDR_LOST, .serves = NM_HK_PAGE_FAULT_USER, .btf_func = true },
	[NM_HK_PAGE_FAULT_USER] = {
		"page_fault_user", "fault addresses, from every user page fault",
		{ NM_AT_TP_BTF },
		"hinting faults cannot be placed in address regions (counted as without "
		"address)", "fault addresses", NM_HK_TASK_NUMA_FAULT },
	[NM_HK_SCHED_MOVE_NUMA] = {
		"sched:sched_move_numa", "threads the scheduler moved between nodes",
		{ NM_AT_TP_BTF }, SCHED_LOST, "scheduler thread moves" },
	[NM_HK_SCHED_SWAP_NUMA] = {
		"sched:sched_swap_numa", "threads swapped between nodes",
		{ NM_AT_TP_BTF }, SCHED_LOST },
	[NM_HK_SCHED_STICK_NUMA] = {
		"sched:sched_stick_numa", "thread moves considered and refused",
		{ NM_AT_TP_BTF }, SCHED_LOST },
};

const struct nm_hook_def *nm_hook(enum nm_hook_id id)
{
	return id > NM_HK_NONE && id < NM_HK_COUNT ? &hooks[id] : NULL;
}

const char *nm_attach_name(enum nm_attach m)
{
	static const char *const n[] = {
		[NM_AT_NONE] = "", [NM_AT_TP_BTF] = "tp_btf",
		[NM_AT_FENTRY] = "fentry", [NM_AT_KPROBE] = "kprobe", [NM_AT_BTF] = "BTF",
		[NM_AT_RAW_TP] = "raw_tp",
	};

	return (unsigned)m < NM_ARRAY_SIZE(n) ? n[m] : "?";
}

void nm_hook_status_init(struct nm_hook_status *st, size_t n)
{
	memset(st, 0, n * sizeof(*st));
	for (size_t i = 0; i < n; i++)
		st[i].used = -1;
}

void nm_hook_result(struct nm_hook_status *s, int i, int err)
{
	if (i < 0 || i >= NM_HOOK_MAX_METHODS)
		return;
	s->tried = true;
	s->err[i] = err;
	if (!err && s->used < 0)
		s->used = i;
}

const char *nm_hook_detail(enum nm_hook_id id, const struct nm_hook_status *s, char *buf,
			   size_t len)
{
	const struct nm_hook_def *d = nm_hook(id);
	bool kprobe_refused = false;
	size_t n = 0;

	buf[0] = 0;
	if (!d || !len)
		return buf;
	if (s->why[0]) {
		snprintf(buf, len, "%s", s->why);
		return buf;
	}
	for (int i = 0; i < NM_HOOK_MAX_METHODS && d->method[i]; i++) {
		if (!s->err[i])
			continue;
		if (d->method[i] == NM_AT_KPROBE)
			kprobe_refused = true;
		n = strlen(buf);
		snprintf(buf + n, len - n, "%s%s%s: %s (%s)", n ? "; " : "",
			 nm_attach_name(d->method[i]), s->used > i ? " refused" : "",
			 strerror(-s->err[i]), nm_errno_name(-s->err[i]));
	}
	if (s->used < 0 && kprobe_refused && !nm_kprobes_present("")) {
		n = strlen(buf);
		snprintf(buf + n, len - n, " - this kernel has no kprobes (CONFIG_KPROBES unset)");
	}
	return buf;
}

const char *nm_hook_warning(enum nm_hook_id id, const struct nm_hook_status *status,
			    char *buf, size_t len)
{
	const struct nm_hook_def *d = nm_hook(id);
	char why[512];

	if (!d || !d->warn || status[id].used >= 0)
		return NULL;
	for (int r = NM_HK_NONE + 1; r < NM_HK_COUNT; r++)
		if (hooks[r].serves == id && status[r].used >= 0)
			return NULL;	/* another hook gave its data */
	if (d->depends && status[d->depends].used < 0)
		return NULL;
	snprintf(buf, len, "%s unavailable (%s): %s; see 'numa-migrate features'", d->warn,
		 nm_hook_detail(id, &status[id], why, sizeof(why)), d->lost);
	return buf;
}

const char *nm_hook_tried(enum nm_hook_id id, const struct nm_hook_status *s, char *buf,
			  size_t len)
{
	const struct nm_hook_def *d = nm_hook(id);
	size_t n;

	buf[0] = 0;
	if (!d || !len)
		return buf;
	snprintf(buf, len, "%s", d->name);
	if (s->why[0]) {
		n = strlen(buf);
		snprintf(buf + n, len - n, ": %s", s->why);
		return buf;
	}
	for (int i = 0; i < NM_HOOK_MAX_METHODS && d->method[i]; i++) {
		n = strlen(buf);
		snprintf(buf + n, len - n, "%s by %s: %s", i ? "," : "",
			 nm_attach_name(d->method[i]),
			 s->err[i] ? strerror(-s->err[i]) : s->used == i ? "ok" : "not tried");
		if (s->used == i)
			break;
	}
	return buf;
}
