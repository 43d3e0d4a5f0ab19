// SPDX-License-Identifier: GPL-2.0
/* Readers of the /proc and /sys facts diagnose rests on (root path for fixtures). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diagread.h"
#include "parse.h"
#include "procfs.h"
#include "target.h"

/* Reads ROOT followed by the path FMT... into a malloc'ed *TEXT. */
static int read_under(const char *root, char **text, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int read_under(const char *root, char **text, const char *fmt, ...)
{
	char path[PATH_MAX];
	int n = snprintf(path, sizeof(path), "%s", root ? root : "");
	va_list ap;

	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	va_start(ap, fmt);
	vsnprintf(path + n, sizeof(path) - (size_t)n, fmt, ap);
	va_end(ap);
	return nm_read_text_file(path, text);
}

int nm_cpulist_parse(const char *s, void (*fn)(void *ctx, int cpu), void *ctx)
{
	const char *p = s;

	while (*p && *p != '\n') {
		uint64_t lo, hi;

		if (nm_scan_digits(&p, 10, &lo))
			return -EINVAL;
		hi = lo;
		if (*p == '-') {
			p++;
			if (nm_scan_digits(&p, 10, &hi) || hi < lo)
				return -EINVAL;
		}
		if (hi >= NM_MAX_CPUS)
			return -ERANGE;
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			return -EINVAL;
		for (uint64_t c = lo; c <= hi; c++)
			if (fn)
				fn(ctx, (int)c);
	}
	return 0;
}

struct set_node_ctx {
	struct nm_cpu_nodes *cn;
	int node;
};

static void set_cpu_node(void *ctx, int cpu)
{
	struct set_node_ctx *c = ctx;

	c->cn->node[cpu] = (int16_t)c->node;
	nm_nodemask_set(&c->cn->with_cpus, c->node);
}

int nm_cpu_nodes_read(const char *root, struct nm_cpu_nodes *out)
{
	int found = 0;

	for (int c = 0; c < NM_MAX_CPUS; c++)
		out->node[c] = -1;
	out->with_cpus.bits = 0;
	for (int n = 0; n < NM_MAX_NODES; n++) {
		struct set_node_ctx ctx = { out, n };
		char *text;
		int rc;

		if (read_under(root, &text, "/sys/devices/system/node/node%d/cpulist", n))
			continue;
		found++;
		rc = nm_cpulist_parse(text, set_cpu_node, &ctx);
		free(text);
		if (rc)
			return rc;
	}
	return found ? 0 : -ENOENT;
}

struct nodes_ctx {
	const struct nm_cpu_nodes *cn;
	struct nm_nodemask *out;
};

static void add_cpu_node(void *ctx, int cpu)
{
	struct nodes_ctx *c = ctx;

	if (c->cn->node[cpu] >= 0)
		nm_nodemask_set(c->out, c->cn->node[cpu]);
}

int nm_cpulist_nodes(const char *s, const struct nm_cpu_nodes *cn, struct nm_nodemask *out)
{
	struct nodes_ctx ctx = { cn, out };

	out->bits = 0;
	return nm_cpulist_parse(s, add_cpu_node, &ctx);
}

/* Lines look like "Node 1 MemFree:        1234 kB". */
int nm_node_meminfo_parse(const char *text, const char *key, uint64_t *kb)
{
	size_t klen = strlen(key);
	const char *line = text;

	while (*line) {
		const char *p = line;

		if (!strncmp(p, "Node ", 5)) {
			p += 5;
			while (isdigit((unsigned char)*p))
				p++;
			p += strspn(p, " ");
			if (!strncmp(p, key, klen) && p[klen] == ':') {
				p += klen + 1;
				p += strspn(p, " \t");
				return nm_scan_digits(&p, 10, kb) ? -EINVAL : 0;
			}
		}
		line += strcspn(line, "\n");
		if (*line)
			line++;
	}
	return -ENODATA;
}

int nm_node_free_kb(const char *root, int node, uint64_t *kb)
{
	char *text;
	int rc = read_under(root, &text, "/sys/devices/system/node/node%d/meminfo", node);

	if (rc)
		return rc;
	rc = nm_node_meminfo_parse(text, "MemFree", kb);
	free(text);
	return rc;
}

/* stat: "pid (comm) state ppid ..." — field 3 follows the last ')'. */
int nm_stat_processor(const char *stat_text)
{
	const char *p = strrchr(stat_text, ')');
	int field = 2;

	if (!p)
		return -EINVAL;
	p++;
	while (*p) {
		p += strspn(p, " ");
		if (!*p || *p == '\n')
			break;
		field++;
		if (field == 39) {
			uint64_t v;

			if (nm_scan_digits(&p, 10, &v) || v > INT_MAX)
				return -EINVAL;
			return (int)v;
		}
		p += strcspn(p, " \n");
	}
	return -EINVAL;
}

static int read_thread(const char *root, pid_t pid, pid_t tid, struct nm_thread_info *t)
{
	char name[64];
	char *text;
	int rc;

	t->tid = tid;
	t->last_cpu = -1;
	t->cpus_allowed[0] = '\0';
	snprintf(name, sizeof(name), "task/%d/stat", (int)tid);
	rc = nm_proc_read_text(root, pid, name, &text);
	if (rc)
		return rc;
	t->last_cpu = nm_stat_processor(text);
	free(text);
	snprintf(name, sizeof(name), "task/%d/status", (int)tid);
	rc = nm_proc_read_text(root, pid, name, &text);
	if (rc)
		return rc;
	nm_status_field(text, "Cpus_allowed_list", t->cpus_allowed, sizeof(t->cpus_allowed));
	free(text);
	return 0;
}

int nm_threads_read(const char *root, pid_t pid, struct nm_thread_info **out, size_t *n)
{
	char path[PATH_MAX];
	struct nm_thread_info *v = NULL;
	size_t cnt = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/proc/%d/task", root ? root : "", (int)pid);
	d = opendir(path);
	if (!d)
		return errno == ENOENT ? -ESRCH : -errno;
	while ((de = readdir(d))) {
		pid_t tid;

		if (nm_parse_pid(de->d_name, &tid))
			continue;
		if (cnt == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct nm_thread_info *nv = realloc(v, nc * sizeof(*v));

			if (!nv) {
				closedir(d);
				free(v);
				return -ENOMEM;
			}
			v = nv;
			cap = nc;
		}
		if (read_thread(root, pid, tid, &v[cnt]) == 0)
			cnt++;
	}
	closedir(d);
	*out = v;
	*n = cnt;
	return 0;
}

static int locked_push(struct nm_locked_list *l, uint64_t start, uint64_t end, uint64_t kb)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 8;
		struct nm_locked_vma *nv = realloc(l->v, nc * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		l->v = nv;
		l->cap = nc;
	}
	l->v[l->n++] = (struct nm_locked_vma){ start, end, kb };
	l->total_kb += kb;
	return 0;
}

/* A smaps mapping header starts "start-end " in hex. */
static bool smaps_header(const char *line, uint64_t *start, uint64_t *end)
{
	const char *p = line;

	if (nm_scan_digits(&p, 16, start) || *p != '-')
		return false;
	p++;
	return !nm_scan_digits(&p, 16, end) && *p == ' ';
}

int nm_smaps_locked_parse(const char *text, struct nm_locked_list *out)
{
	const char *line = text;
	uint64_t start = 0, end = 0;
	bool have = false;

	memset(out, 0, sizeof(*out));
	while (*line) {
		uint64_t s, e;

		if (smaps_header(line, &s, &e)) {
			start = s;
			end = e;
			have = true;
		} else if (!strncmp(line, "Locked:", 7)) {
			const char *p = line + 7 + strspn(line + 7, " \t");
			uint64_t kb;
			int rc;

			if (!have || nm_scan_digits(&p, 10, &kb)) {
				nm_locked_list_free(out);
				return -EINVAL;
			}
			rc = kb ? locked_push(out, start, end, kb) : 0;
			if (rc) {
				nm_locked_list_free(out);
				return rc;
			}
		}
		line += strcspn(line, "\n");
		if (*line)
			line++;
	}
	return 0;
}

int nm_smaps_locked_read(const char *root, pid_t pid, struct nm_locked_list *out)
{
	char *text;
	int rc = nm_proc_read_text(root, pid, "smaps", &text);

	if (rc) {
		memset(out, 0, sizeof(*out));
		return rc;
	}
	rc = nm_smaps_locked_parse(text, out);
	free(text);
	return rc;
}

void nm_locked_list_free(struct nm_locked_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

const struct nm_locked_vma *nm_locked_find(const struct nm_locked_list *l, uint64_t addr)
{
	for (size_t i = 0; l && i < l->n; i++)
		if (addr >= l->v[i].start && addr < l->v[i].end)
			return &l->v[i];
	return NULL;
}

int nm_sysfs_choice(const char *text, char *buf, size_t len)
{
	const char *a = strchr(text, '['), *b = a ? strchr(a, ']') : NULL;
	size_t n;

	if (!a || !b || !len)
		return -ENODATA;
	n = (size_t)(b - a - 1);
	if (n >= len)
		n = len - 1;
	memcpy(buf, a + 1, n);
	buf[n] = '\0';
	return 0;
}

static int read_choice(const char *root, const char *name, char *buf, size_t len)
{
	char *text;
	int rc = read_under(root, &text, "/sys/kernel/mm/transparent_hugepage/%s", name);

	if (rc)
		return rc;
	rc = nm_sysfs_choice(text, buf, len);
	free(text);
	return rc;
}

int nm_thp_settings(const char *root, char *enabled, size_t elen, char *defrag, size_t dlen)
{
	int r1 = read_choice(root, "enabled", enabled, elen);
	int r2 = read_choice(root, "defrag", defrag, dlen);

	if (r1 && elen)
		enabled[0] = '\0';
	if (r2 && dlen)
		defrag[0] = '\0';
	return r1 ? r1 : r2;
}

int nm_numa_balancing_mode(const char *root)
{
	const char *p;
	char *text;
	uint64_t v;
	int rc;

	if (read_under(root, &text, "/proc/sys/kernel/numa_balancing"))
		return -1;
	p = text;
	rc = nm_scan_digits(&p, 10, &v);
	free(text);
	return rc || v > 255 ? -1 : (int)v;
}

int nm_cgroup2_path_parse(const char *text, char *buf, size_t len)
{
	const char *line = text;

	while (*line) {
		size_t n = strcspn(line, "\n");

		if (!strncmp(line, "0::", 3)) {
			n -= 3;
			if (!len || n >= len)
				return -ENAMETOOLONG;
			memcpy(buf, line + 3, n);
			buf[n] = '\0';
			return 0;
		}
		line += n;
		if (*line)
			line++;
	}
	return -ENODATA;
}

int nm_cgroup2_path(const char *root, pid_t pid, char *buf, size_t len)
{
	char *text = NULL;	/* set only when the read succeeds */
	int rc = nm_proc_read_text(root, pid, "cgroup", &text);

	if (!rc)
		rc = nm_cgroup2_path_parse(text, buf, len);
	free(text);
	return rc;
}
