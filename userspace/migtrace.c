// SPDX-License-Identifier: GPL-2.0
/*
 * Loads bpf/migrate.bpf.c: open, set rodata, load, attach (the skeleton
 * lifecycle split), then reads its per-CPU counters and names each reason
 * from the running kernel's BTF (enum migrate_reason differs by kernel).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "migrate.h"
#include "migrate.skel.h"
#include "migtrace.h"

struct nm_migtrace {
	struct migrate_bpf *skel;
	unsigned int shift;
	char names[NM_MIGRATE_MAX_REASONS][32];
};

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN && getenv("NM_BPF_DEBUG"))
		return vfprintf(stderr, fmt, ap);
	return 0;
}

/* libbpf's messages only with NM_BPF_DEBUG set: our callers explain failures
 * in their own words (which hook, why, what is lost). */
void nm_bpf_quiet(void)
{
	libbpf_set_print(quiet_print);
}

/* "MR_NUMA_MISPLACED" -> "numa_misplaced" */
static void resolve_reasons(struct nm_migtrace *t)
{
	struct btf *btf = btf__load_vmlinux_btf();
	int id;

	for (int i = 0; i < NM_MIGRATE_MAX_REASONS; i++)
		snprintf(t->names[i], sizeof(t->names[i]), "reason_%d", i);
	if (!btf)
		return;
	id = btf__find_by_name_kind(btf, "migrate_reason", BTF_KIND_ENUM);
	if (id > 0) {
		const struct btf_type *ty = btf__type_by_id(btf, id);
		const struct btf_enum *e = btf_enum(ty);

		for (int i = 0; i < btf_vlen(ty); i++, e++) {
			const char *n = btf__name_by_offset(btf, e->name_off);

			if (e->val < 0 || e->val >= NM_MIGRATE_MAX_REASONS || !n)
				continue;
			if (!strncmp(n, "MR_", 3))
				n += 3;
			size_t k = 0;

			for (; n[k] && k + 1 < sizeof(t->names[0]); k++)
				t->names[e->val][k] = (char)(n[k] >= 'A' && n[k] <= 'Z' ?
							     n[k] - 'A' + 'a' : n[k]);
			t->names[e->val][k] = 0;
		}
	}
	btf__free(btf);
}

static int fail(struct nm_kernel_counts *kc, int err, const char *stage)
{
	kc->available = false;
	snprintf(kc->why, sizeof(kc->why), "%s failed: %s%s", stage, strerror(-err),
		 err == -EPERM ? " (needs root or CAP_BPF+CAP_PERFMON)" :
		 err == -ENOENT ? " (tracepoint migrate:mm_migrate_pages or tracefs missing)" : "");
	return err;
}

/* libbpf finds a tracepoint's id in tracefs, which is not always mounted
 * (the build machine's 6.18 kernel needs it mounted by hand). */
static int ensure_tracefs(void)
{
	struct stat st;

	if (!stat("/sys/kernel/tracing/events", &st) ||
	    !stat("/sys/kernel/debug/tracing/events", &st))
		return 0;
	if (mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) < 0)
		return -errno;
	return 0;
}

/* One attempt: open, set rodata and autoload, load, attach. */
static int try_load(struct nm_migtrace *t, pid_t tgid, unsigned int shift, bool regions,
		    const char **stage)
{
	struct migrate_bpf *s = migrate_bpf__open();
	int err;

	*stage = "BPF open";
	if (!s)
		return errno ? -errno : -EINVAL;
	s->rodata->filter_tgid = (__u32)tgid;
	s->rodata->region_shift = shift;
	bpf_program__set_autoload(s->progs.on_migrate_start, regions);
	bpf_program__set_autoload(s->progs.on_set_migration_pte, regions);
	*stage = "BPF load";
	err = migrate_bpf__load(s);
	if (!err) {
		*stage = "mounting tracefs at /sys/kernel/tracing";
		err = ensure_tracefs();
	}
	if (!err) {
		*stage = "attach to the migrate tracepoints";
		err = migrate_bpf__attach(s);
	}
	if (err) {
		migrate_bpf__destroy(s);
		return err;
	}
	t->skel = s;
	t->shift = shift;
	return 0;
}

int nm_migtrace_start_regions(struct nm_migtrace **out, pid_t tgid, unsigned int region_shift,
			      struct nm_kernel_counts *kc)
{
	struct nm_migtrace *t;
	const char *stage;
	int err;

	memset(kc, 0, sizeof(*kc));
	*out = NULL;
	nm_bpf_quiet();
	t = calloc(1, sizeof(*t));
	if (!t)
		return fail(kc, -ENOMEM, "allocation");
	/* per-region attribution needs tp_btf on two more tracepoints; the
	 * per-reason counters must not depend on them */
	err = try_load(t, tgid, region_shift, true, &stage);
	if (!err) {
		kc->regions = true;
	} else {
		snprintf(kc->regions_why, sizeof(kc->regions_why), "%s failed: %s", stage,
			 strerror(-err));
		err = try_load(t, tgid, region_shift, false, &stage);
	}
	if (err) {
		free(t);
		return fail(kc, err, stage);
	}
	resolve_reasons(t);
	kc->available = true;
	*out = t;
	return 0;
}

int nm_migtrace_start(struct nm_migtrace **out, pid_t tgid, struct nm_kernel_counts *kc)
{
	return nm_migtrace_start_regions(out, tgid, 21, kc);
}

int nm_migtrace_read_regions(struct nm_migtrace *t,
			     int (*fn)(void *ctx, uint64_t region_start, const char *reason,
				       uint64_t pages),
			     void *ctx, uint64_t *dropped)
{
	int rfd = bpf_map__fd(t->skel->maps.mig_regions);
	int dfd = bpf_map__fd(t->skel->maps.mig_dropped);
	struct nm_migrate_region v;
	__u64 key, next, d = 0;
	__u32 zero = 0;
	void *prev = NULL;
	int err = 0;

	*dropped = bpf_map_lookup_elem(dfd, &zero, &d) ? 0 : d;
	while (!err && !bpf_map_get_next_key(rfd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(rfd, &key, &v))
			continue;
		for (int r = 0; !err && r < NM_MIGRATE_MAX_REASONS; r++)
			if (v.pages[r])
				err = fn(ctx, key << t->shift, r == NM_MIGRATE_REASON_UNKNOWN ?
					 "unknown" : t->names[r], v.pages[r]);
	}
	return err;
}

int nm_migtrace_read(struct nm_migtrace *t, struct nm_kernel_counts *kc)
{
	int ncpu = libbpf_num_possible_cpus();
	int fd = bpf_map__fd(t->skel->maps.migrate_stats);
	struct nm_migrate_stats *v;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	v = calloc((size_t)ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	kc->nreasons = 0;
	for (__u32 k = 0; k < NM_MIGRATE_MAX_REASONS; k++) {
		struct nm_migrate_stats s = { 0 };

		if (bpf_map_lookup_elem(fd, &k, v))
			continue;
		for (int c = 0; c < ncpu; c++) {
			s.events += v[c].events;
			s.succeeded += v[c].succeeded;
			s.failed += v[c].failed;
			s.thp_succeeded += v[c].thp_succeeded;
			s.thp_failed += v[c].thp_failed;
		}
		if (!s.events || kc->nreasons >= NM_ARRAY_SIZE(kc->reason))
			continue;
		snprintf(kc->reason[kc->nreasons].name, sizeof(kc->reason[0].name), "%s",
			 t->names[k]);
		kc->reason[kc->nreasons].events = s.events;
		kc->reason[kc->nreasons].succeeded = s.succeeded;
		kc->reason[kc->nreasons].failed = s.failed;
		kc->reason[kc->nreasons].thp_succeeded = s.thp_succeeded;
		kc->reason[kc->nreasons].thp_failed = s.thp_failed;
		kc->nreasons++;
	}
	free(v);
	return 0;
}

void nm_migtrace_stop(struct nm_migtrace *t)
{
	if (!t)
		return;
	migrate_bpf__destroy(t->skel);
	free(t);
}
