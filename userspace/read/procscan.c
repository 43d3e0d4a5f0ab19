// SPDX-License-Identifier: GPL-2.0
/* /proc readers for numa-migrate scan (see procscan.h). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "numa_maps.h"
#include "parse.h"
#include "procfs.h"
#include "procscan.h"

static int is_pid_name(const char *s, pid_t *pid)
{
	return s[0] >= '1' && s[0] <= '9' && nm_parse_pid(s, pid) == 0;
}

static int by_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* The numeric entries of directory PATH, ascending. */
static int list_ids(const char *path, pid_t **out, size_t *n)
{
	DIR *d = opendir(path);
	struct dirent *e;
	size_t cap = 0;
	pid_t *ids = NULL;

	*out = NULL;
	*n = 0;
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		pid_t id;

		if (!is_pid_name(e->d_name, &id))
			continue;
		if (nm_grow(ids, *n, cap, 256)) {
			free(ids);
			closedir(d);
			*n = 0;
			return -ENOMEM;
		}
		ids[(*n)++] = id;
	}
	closedir(d);
	if (*n > 1)
		qsort(ids, *n, sizeof(*ids), by_pid);
	*out = ids;
	return 0;
}

int nm_pids_list(const char *root, pid_t **out, size_t *n)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/proc", root ? root : "");
	return list_ids(path, out, n);
}

int nm_proc_statm(const char *root, pid_t pid, uint64_t page_size, uint64_t *size,
		  uint64_t *rss)
{
	char *text = NULL, *f[2], *save = NULL;
	uint64_t v[2];
	int r = nm_proc_read_text(root, pid, "statm", &text);

	if (r)
		return r;
	/* "size resident shared text lib data dt" */
	f[0] = strtok_r(text, " \n", &save);
	f[1] = f[0] ? strtok_r(NULL, " \n", &save) : NULL;
	r = f[1] && nm_parse_u64(f[0], &v[0]) == 0 && nm_parse_u64(f[1], &v[1]) == 0 ? 0 :
	    -EINVAL;
	if (!r) {
		*size = v[0] * page_size;
		*rss = v[1] * page_size;
	}
	free(text);
	return r;
}

int nm_proc_rss(const char *root, pid_t pid, uint64_t page_size, uint64_t *bytes)
{
	uint64_t size;

	return nm_proc_statm(root, pid, page_size, &size, bytes);
}

int nm_proc_threads(const char *root, pid_t pid, struct nm_scan_sample *out)
{
	char path[4096];
	pid_t *tids;
	size_t n;
	int r;

	out->n = 0;
	snprintf(path, sizeof(path), "%s/proc/%d/task", root ? root : "", (int)pid);
	r = list_ids(path, &tids, &n);
	if (r)
		return r == -ENOENT ? -ESRCH : r;
	for (size_t i = 0; i < n; i++) {
		char *text = NULL;
		struct nm_scan_thread t = { .tid = tids[i] };

		snprintf(path, sizeof(path), "%s/proc/%d/task/%d/stat", root ? root : "",
			 (int)pid, (int)tids[i]);
		r = nm_read_text_file(path, &text);
		if (r == -ENOENT || r == -ESRCH) {
			r = 0;	/* the thread exited meanwhile */
			continue;
		}
		if (!r)
			r = nm_scan_parse_stat(text, &t.ticks, &t.cpu, &t.state);
		free(text);
		if (r)
			break;
		if (nm_grow(out->t, out->n, out->cap, 16)) {
			r = -ENOMEM;
			break;
		}
		out->t[out->n++] = t;
	}
	free(tids);
	return r;	/* already sorted: tids were */
}

int nm_proc_cgroup(const char *root, pid_t pid, char *buf, size_t len)
{
	char *text = NULL, *line;
	int r = nm_proc_read_text(root, pid, "cgroup", &text);

	if (r)
		return r;
	r = -ENODATA;
	for (line = text; line && *line; ) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		if (!strncmp(line, "0::", 3)) {
			snprintf(buf, len, "%s", line + 3);
			r = 0;
			break;
		}
		line = nl ? nl + 1 : NULL;
	}
	free(text);
	return r;
}

int nm_proc_node_bytes(const char *root, pid_t pid, uint64_t bytes[NM_MAX_NODES],
		       uint64_t *total)
{
	struct nm_numa_maps m = { 0 };
	int r = nm_numa_maps_read(root, pid, &m);

	memset(bytes, 0, sizeof(uint64_t) * NM_MAX_NODES);
	*total = 0;
	if (r)
		return r;
	for (size_t i = 0; i < m.n; i++) {
		const struct nm_numa_maps_entry *e = &m.e[i];
		uint64_t ps = e->kernelpagesize_kb ? e->kernelpagesize_kb * 1024 :
			      NM_PAGE_SIZE_DEFAULT;

		for (int nd = 0; nd < NM_MAX_NODES; nd++) {
			bytes[nd] += e->node_pages[nd] * ps;
			*total += e->node_pages[nd] * ps;
		}
	}
	nm_numa_maps_free(&m);
	return 0;
}

int nm_cgroup2_mount(const char *root, char *buf, size_t len)
{
	char path[4096], *text = NULL, *line;
	int r;

	snprintf(path, sizeof(path), "%s/proc/self/mounts", root ? root : "");
	r = nm_read_text_file(path, &text);
	if (r)
		return r;
	r = -ENOENT;
	for (line = text; line && *line; ) {
		char *nl = strchr(line, '\n'), dev[256], dir[2048], type[64];

		if (nl)
			*nl = '\0';
		/* "cgroup2 /sys/fs/cgroup cgroup2 rw,..." (no spaces in these paths) */
		if (sscanf(line, "%255s %2047s %63s", dev, dir, type) == 3 &&
		    !strcmp(type, "cgroup2")) {
			snprintf(buf, len, "%s", dir);
			r = 0;
			break;
		}
		line = nl ? nl + 1 : NULL;
	}
	free(text);
	return r;
}

bool nm_cgroup_under(const char *cg, const char *prefix)
{
	size_t n = strlen(prefix);

	while (n > 1 && prefix[n - 1] == '/')
		n--;
	if (n == 1 && prefix[0] == '/')
		return cg[0] == '/';
	return !strncmp(cg, prefix, n) && (cg[n] == '\0' || cg[n] == '/');
}
