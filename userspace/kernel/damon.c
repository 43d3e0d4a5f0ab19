// SPDX-License-Identifier: GPL-2.0
/* DAMON as a sensor (see damon.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "damon.h"
#include "nm.h"
#include "parse.h"
#include "procfs.h"
#include "session.h"

struct nm_damon {
	char base[1024];		/* ROOT/sys/kernel/mm/damon/admin/kdamonds */
	struct nm_change *nr, *state;	/* our changes, undone newest first */
	pid_t kpid;
};

void nm_damon_attrs_default(struct nm_damon_attrs *a)
{
	*a = (struct nm_damon_attrs){ .sample_us = 5000, .aggr_us = 100000,
				      .update_us = 1000000, .min_regions = 10,
				      .max_regions = 1000 };
}

static int vpath(char *buf, size_t len, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, len, fmt, ap);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int put(const char *value, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int put(const char *value, const char *fmt, ...)
{
	char path[2048];
	va_list ap;
	ssize_t w;
	int fd, r;

	va_start(ap, fmt);
	r = vpath(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (r)
		return r;
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	w = write(fd, value, strlen(value));
	r = w < 0 ? -errno : (size_t)w != strlen(value) ? -EIO : 0;
	close(fd);
	return r;
}

/* Reads a decimal number from the file. */
static int get_u64(uint64_t *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int get_u64(uint64_t *v, const char *fmt, ...)
{
	char path[2048], *text = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vpath(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (r)
		return r;
	r = nm_read_text_file(path, &text);
	if (r)
		return r;
	text[strcspn(text, "\n")] = '\0';
	r = nm_parse_u64(text, v) ? -EINVAL : 0;
	free(text);
	return r;
}

int nm_damon_probe(const char *root, char *why, size_t len)
{
	uint64_t n;
	int r = get_u64(&n, "%s%s/kdamonds/nr_kdamonds", root, NM_DAMON_ADMIN);

	if (r == -ENOENT) {
		snprintf(why, len, "this kernel has no DAMON sysfs interface (%s missing: "
			 "CONFIG_DAMON_SYSFS is not set)", NM_DAMON_ADMIN);
		return r;
	}
	if (r) {
		snprintf(why, len, "cannot read %s/kdamonds/nr_kdamonds: %s", NM_DAMON_ADMIN,
			 strerror(-r));
		return r;
	}
	if (n) {
		snprintf(why, len, "%llu kdamond(s) already configured by someone else (%s/"
			 "kdamonds): numa-migrate leaves them alone", (unsigned long long)n,
			 NM_DAMON_ADMIN);
		return -EBUSY;
	}
	why[0] = '\0';
	return 0;
}

/* the largest value the ranges take (kstrtoul; nr_accesses and age are
 * unsigned int in the kernel: clamped there) */
#define ANY "4294967295"

static int configure(struct nm_damon *d, pid_t pid, const struct nm_damon_attrs *a)
{
	const char *k = d->base;
	char v[32];
	int r;

#define PUTN(val, ...) (snprintf(v, sizeof(v), "%lu", (unsigned long)(val)), put(v, __VA_ARGS__))
	if ((r = put("1", "%s/0/contexts/nr_contexts", k)) ||
	    (r = put("vaddr", "%s/0/contexts/0/operations", k)) ||
	    (r = PUTN(a->sample_us, "%s/0/contexts/0/monitoring_attrs/intervals/sample_us", k)) ||
	    (r = PUTN(a->aggr_us, "%s/0/contexts/0/monitoring_attrs/intervals/aggr_us", k)) ||
	    (r = PUTN(a->update_us, "%s/0/contexts/0/monitoring_attrs/intervals/update_us", k)) ||
	    (r = PUTN(a->min_regions, "%s/0/contexts/0/monitoring_attrs/nr_regions/min", k)) ||
	    (r = PUTN(a->max_regions, "%s/0/contexts/0/monitoring_attrs/nr_regions/max", k)) ||
	    (r = put("1", "%s/0/contexts/0/targets/nr_targets", k)) ||
	    (r = PUTN(pid, "%s/0/contexts/0/targets/0/pid_target", k)) ||
	    (r = put("1", "%s/0/contexts/0/schemes/nr_schemes", k)) ||
	    (r = put("stat", "%s/0/contexts/0/schemes/0/action", k)) ||
	    /* the access pattern's ranges start as [0, 0], which no region
	     * matches: every region is to be listed */
	    (r = put("18446744073709551615", "%s/0/contexts/0/schemes/0/access_pattern/sz/max", k)) ||
	    (r = put(ANY, "%s/0/contexts/0/schemes/0/access_pattern/nr_accesses/max", k)) ||
	    (r = put(ANY, "%s/0/contexts/0/schemes/0/access_pattern/age/max", k)))
		return r;
#undef PUTN
	return 0;
}

int nm_damon_start(const char *root, pid_t pid, const struct nm_damon_attrs *a,
		   struct nm_damon **out, char *why, size_t len)
{
	struct nm_damon *d;
	char path[2048];
	uint64_t kp = 0;
	int r;

	*out = NULL;
	r = nm_damon_probe(root, why, len);
	if (r)
		return r;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	snprintf(d->base, sizeof(d->base), "%s%s/kdamonds", root, NM_DAMON_ADMIN);
	snprintf(path, sizeof(path), "%s/nr_kdamonds", d->base);
	d->nr = nm_session_write_file(path, "DAMON nr_kdamonds", "1", NULL, 0);
	if (!d->nr) {
		r = errno ? -errno : -EBUSY;
		snprintf(why, len, "cannot create a kdamond (%s): %s", path, strerror(-r));
		free(d);
		return r;
	}
	r = configure(d, pid, a);
	if (r) {
		snprintf(why, len, "cannot configure DAMON for pid %d under %s: %s", (int)pid,
			 d->base, strerror(-r));
		nm_damon_stop(d);
		return r;
	}
	snprintf(path, sizeof(path), "%s/0/state", d->base);
	d->state = nm_session_write_file(path, "DAMON kdamond 0 state", "on", NULL, 0);
	if (!d->state) {
		r = errno ? -errno : -EIO;
		snprintf(why, len, "cannot start DAMON on pid %d (%s): %s", (int)pid, path,
			 strerror(-r));
		nm_damon_stop(d);
		return r;
	}
	if (!get_u64(&kp, "%s/0/pid", d->base))
		d->kpid = (pid_t)kp;
	*out = d;
	return 0;
}

pid_t nm_damon_pid(const struct nm_damon *d)
{
	return d ? d->kpid : 0;
}

int nm_damon_regions(struct nm_damon *d, struct nm_damon_region **out, size_t *n)
{
	struct nm_damon_region *v = NULL;
	const char *k = d->base;
	size_t cap = 0;
	int r;

	*out = NULL;
	*n = 0;
	r = put("update_schemes_tried_regions", "%s/0/state", k);
	if (r)
		return r == -EINVAL ? -ESRCH : r;	/* refused: the kdamond is off */
	for (size_t i = 0;; i++) {
		struct nm_damon_region x;
		uint64_t acc, age;

		r = get_u64(&x.start, "%s/0/contexts/0/schemes/0/tried_regions/%zu/start", k, i);
		if (r == -ENOENT) {
			r = 0;
			break;
		}
		if (!r)
			r = get_u64(&x.end, "%s/0/contexts/0/schemes/0/tried_regions/%zu/end", k, i);
		if (!r)
			r = get_u64(&acc, "%s/0/contexts/0/schemes/0/tried_regions/%zu/nr_accesses",
				    k, i);
		if (!r)
			r = get_u64(&age, "%s/0/contexts/0/schemes/0/tried_regions/%zu/age", k, i);
		if (r)
			break;
		x.nr_accesses = acc > UINT32_MAX ? UINT32_MAX : (unsigned int)acc;
		x.age = age > UINT32_MAX ? UINT32_MAX : (unsigned int)age;
		if (nm_grow(v, *n, cap, 64)) {
			r = -ENOMEM;
			break;
		}
		v[(*n)++] = x;
	}
	if (r) {
		free(v);
		*n = 0;
		return r;
	}
	*out = v;
	return 0;
}

int nm_damon_stop(struct nm_damon *d)
{
	int r = 0, r2;

	if (!d)
		return 0;
	r = nm_session_undo(d->state);		/* off first: then it can be removed */
	r2 = nm_session_undo(d->nr);
	free(d);
	return r ? r : r2;
}

/* A DAMON module's "enabled" parameter: 1 (Y), 0 (N), -1 no such module. */
static int module_enabled(const char *root, const char *module)
{
	char path[2048], *text = NULL;
	int v;

	snprintf(path, sizeof(path), "%s/sys/module/%s/parameters/enabled", root, module);
	if (nm_read_text_file(path, &text))
		return -1;
	v = text[0] == 'Y' || text[0] == 'y' || text[0] == '1';
	free(text);
	return v;
}

void nm_damon_info_read(const char *root, struct nm_damon_info *info)
{
	char path[2048], *text = NULL;
	struct stat st;
	uint64_t n, pid;

	root = root ? root : "";
	memset(info, 0, sizeof(*info));
	info->nr_kdamonds = -1;
	snprintf(path, sizeof(path), "%s%s", root, NM_DAMON_ADMIN);
	info->sysfs = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
	info->reclaim = module_enabled(root, "damon_reclaim");
	info->lru_sort = module_enabled(root, "damon_lru_sort");
	info->present = info->sysfs || info->reclaim >= 0 || info->lru_sort >= 0;
	if (info->sysfs && !get_u64(&n, "%s%s/kdamonds/nr_kdamonds", root, NM_DAMON_ADMIN)) {
		info->nr_kdamonds = n > INT32_MAX ? INT32_MAX : (int)n;
		for (uint64_t i = 0; i < n && i < 1024; i++) {
			snprintf(path, sizeof(path), "%s%s/kdamonds/%llu/state", root,
				 NM_DAMON_ADMIN, (unsigned long long)i);
			if (nm_read_text_file(path, &text))
				continue;
			if (!strncmp(text, "on", 2)) {
				info->running++;
				if (!info->first_running_pid &&
				    !get_u64(&pid, "%s%s/kdamonds/%llu/pid", root, NM_DAMON_ADMIN,
					     (unsigned long long)i))
					info->first_running_pid = (int)pid;
			}
			free(text);
			text = NULL;
		}
	}
	info->usable = nm_damon_probe(root, info->why, sizeof(info->why)) == 0;
}
