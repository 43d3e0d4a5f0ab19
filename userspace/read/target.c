// SPDX-License-Identifier: GPL-2.0
/* Facts about the target process and this host's nodes. */
#include <errno.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "parse.h"
#include "procfs.h"
#include "target.h"


int nm_target_comm(const char *root, pid_t pid, char *buf, size_t len)
{
	char *text;
	size_t n;
	int rc;

	if (!buf || !len)
		return -EINVAL;
	rc = nm_proc_read_text(root, pid, "comm", &text);
	if (rc)
		return rc;
	n = strcspn(text, "\n");
	if (n >= len)
		n = len - 1;
	memcpy(buf, text, n);
	buf[n] = '\0';
	free(text);
	return 0;
}

/*
 * A sysfs or status node list, "0-1,3" with a trailing newline. The kernel
 * prints an empty mask as an empty line, which is an empty mask here and
 * not the parse error nm_parse_nodelist() gives "".
 */
static int parse_kernel_nodelist(char *s, struct nm_nodemask *out)
{
	s[strcspn(s, "\n")] = '\0';
	if (!*s) {
		out->bits = 0;
		return 0;
	}
	return nm_parse_nodelist(s, out);
}

static int read_nodelist_file(const char *root, const char *name,
			      struct nm_nodemask *out)
{
	char path[PATH_MAX];
	char *text;
	int n, rc;

	n = snprintf(path, sizeof(path), "%s/sys/devices/system/node/%s",
		     root ? root : "", name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	rc = nm_read_text_file(path, &text);
	if (rc)
		return rc;
	rc = parse_kernel_nodelist(text, out);
	free(text);
	return rc;
}

/* has_memory exists only on kernels with N_MEMORY node states (2.6.37+);
 * before that every online node was assumed to have memory. */
int nm_nodes_with_memory(const char *root, struct nm_nodemask *out)
{
	int rc = read_nodelist_file(root, "has_memory", out);

	if (rc == -ENOENT)
		rc = read_nodelist_file(root, "online", out);
	return rc;
}

/* The value of "KEY:\tVALUE" in a status text (up to the newline), or
 * NULL. KEY must match a whole line prefix: "Mems_allowed" is not
 * "Mems_allowed_list". */
static const char *status_field(const char *text, const char *key)
{
	size_t klen = strlen(key);
	const char *line = text;

	while (*line) {
		if (!strncmp(line, key, klen) && line[klen] == ':')
			return line + klen + 1 + strspn(line + klen + 1, " \t");
		line += strcspn(line, "\n");
		if (*line)
			line++;
	}
	return NULL;
}

int nm_status_field(const char *text, const char *key, char *buf, size_t len)
{
	const char *v = status_field(text, key);
	size_t n;

	if (!v)
		return -ENODATA;
	n = strcspn(v, "\n");
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	if (len) {
		if (n >= len)
			n = len - 1;
		memcpy(buf, v, n);
		buf[n] = '\0';
	}
	return 0;
}

/* -ENODATA when status has no Mems_allowed_list (kernels without cpusets
 * still print it, so this means a truncated or foreign file). */
int nm_target_mems_allowed(const char *root, pid_t pid, struct nm_nodemask *out)
{
	char *text, v[512];
	int rc = nm_proc_read_text(root, pid, "status", &text);

	if (rc)
		return rc;
	rc = nm_status_field(text, "Mems_allowed_list", v, sizeof(v));
	if (!rc)
		rc = parse_kernel_nodelist(v, out);
	free(text);
	return rc;
}

/* Appends "N" or "N-M" (with a leading comma after the first element);
 * snprintf truncates once buf is full and *pos keeps the would-be length. */
static void append_range(char *buf, size_t len, size_t *pos, int lo, int hi)
{
	const char *comma = *pos ? "," : "";
	int n;

	if (*pos >= len)
		return;
	if (lo == hi)
		n = snprintf(buf + *pos, len - *pos, "%s%d", comma, lo);
	else
		n = snprintf(buf + *pos, len - *pos, "%s%d-%d", comma, lo, hi);
	if (n > 0)
		*pos += (size_t)n;
}

const char *nm_list_fmt(bool (*test)(const void *set, int i), const void *set, int nbits,
			char *buf, size_t len)
{
	size_t pos = 0;

	if (!buf || !len)
		return buf;
	buf[0] = '\0';
	for (int n = 0; n < nbits; n++) {
		int hi = n;

		if (!test(set, n))
			continue;
		while (hi + 1 < nbits && test(set, hi + 1))
			hi++;
		append_range(buf, len, &pos, n, hi);
		n = hi;
	}
	return buf;
}

static bool nodemask_test(const void *set, int i)
{
	return nm_nodemask_test(set, i);
}

const char *nm_nodemask_fmt(const struct nm_nodemask *m, char *buf, size_t len)
{
	return nm_list_fmt(nodemask_test, m, NM_MAX_NODES, buf, len);
}

/* capget(2) directly: libcap is not a dependency for a few bits. */
bool nm_have_cap(int cap)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = 0,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(data, 0, sizeof(data));
	if (cap < 0 || CAP_TO_INDEX(cap) >= _LINUX_CAPABILITY_U32S_3 ||
	    syscall(SYS_capget, &hdr, data) != 0)
		return false;
	return data[CAP_TO_INDEX(cap)].effective & CAP_TO_MASK(cap);
}

bool nm_have_cap_sys_nice(void)
{
	return nm_have_cap(CAP_SYS_NICE);
}

int nm_nodes_with_cpus(const char *root, struct nm_nodemask *out)
{
	return read_nodelist_file(root, "has_cpu", out);
}

static int node_file(const char *root, int node, const char *name, char **text)
{
	char path[PATH_MAX];
	int n;

	if (node < 0 || node >= NM_MAX_NODES)
		return -EINVAL;
	n = snprintf(path, sizeof(path), "%s/sys/devices/system/node/node%d/%s",
		     root ? root : "", node, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	return nm_read_text_file(path, text);
}

int nm_node_distances(const char *root, int node, uint32_t out[NM_MAX_NODES])
{
	struct nm_nodemask online;
	char *text, *p, *end;
	int rc, m;

	for (m = 0; m < NM_MAX_NODES; m++)
		out[m] = UINT32_MAX;
	rc = read_nodelist_file(root, "online", &online);
	if (rc)
		return rc;
	rc = node_file(root, node, "distance", &text);
	if (rc)
		return rc;
	p = text;
	for (m = 0; m < NM_MAX_NODES && !rc; m++) {
		unsigned long v;

		if (!nm_nodemask_test(&online, m))
			continue;
		errno = 0;
		v = strtoul(p, &end, 10);
		if (end == p || errno || v > UINT32_MAX)
			rc = -EINVAL;
		else
			out[m] = (uint32_t)v;
		p = end;
	}
	p += strspn(p, " \t\n");
	if (!rc && *p)
		rc = -EINVAL;	/* more values than online nodes */
	free(text);
	return rc;
}
