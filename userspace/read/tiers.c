// SPDX-License-Identifier: GPL-2.0
/* Memory tiers and the kernel's tiering settings (see tiers.h). */
#include <dirent.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"
#include "procfs.h"
#include "target.h"
#include "tiers.h"

static int read_trim(const char *root, const char *rel, char **text)
{
	char path[2048];
	int r;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	r = nm_read_text_file(path, text);
	if (!r)
		(*text)[strcspn(*text, "\n")] = '\0';
	return r;
}

int nm_tiers_read(const char *root, struct nm_tiers *t)
{
	static const char dir[] = "/sys/devices/virtual/memory_tiering";
	char path[2048], *text;
	struct dirent *e;
	DIR *d;
	int r = 0;
	long v;

	root = root ? root : "";
	memset(t, 0, sizeof(*t));
	t->demotion = t->balancing = -1;
	t->promote_mbps = -1;
	snprintf(path, sizeof(path), "%s%s", root, dir);
	d = opendir(path);
	while (d && (e = readdir(d)) && !r) {
		long id;
		char rel[512];
		int i;

		if (strncmp(e->d_name, "memory_tier", 11) ||
		    nm_parse_long(e->d_name + 11, 0, 1L << 20, &id) || t->n >= NM_MAX_TIERS)
			continue;
		snprintf(rel, sizeof(rel), "%s/%s/nodelist", dir, e->d_name);
		if (read_trim(root, rel, &text))
			continue;
		/* insert sorted by id */
		for (i = t->n; i > 0 && t->id[i - 1] > id; i--) {
			t->id[i] = t->id[i - 1];
			t->nodes[i] = t->nodes[i - 1];
		}
		t->id[i] = (int)id;
		t->nodes[i].bits = 0;
		r = text[0] ? nm_parse_nodelist(text, &t->nodes[i]) : 0;
		free(text);
		t->n++;
	}
	if (d)
		closedir(d);
	if (r)
		return r;
	if (!read_trim(root, "/sys/kernel/mm/numa/demotion_enabled", &text)) {
		t->demotion = !strcmp(text, "true") || !strcmp(text, "1") ? 1 :
			      !strcmp(text, "false") || !strcmp(text, "0") ? 0 : -1;
		free(text);
	}
	if (!read_trim(root, "/proc/sys/kernel/numa_balancing", &text)) {
		if (!nm_parse_long(text, 0, 255, &v))
			t->balancing = (int)v;
		free(text);
	}
	if (!read_trim(root, "/proc/sys/kernel/numa_balancing_promote_rate_limit_MBps", &text)) {
		if (!nm_parse_long(text, 0, 1L << 40, &v))
			t->promote_mbps = v;
		free(text);
	}
	return 0;
}

int nm_tier_of(const struct nm_tiers *t, int node)
{
	for (int i = 0; i < t->n; i++)
		if (nm_nodemask_test(&t->nodes[i], node))
			return i;
	return -1;
}

bool nm_tiers_top_unsampled(const struct nm_tiers *t)
{
	/* NUMA_BALANCING_MEMORY_TIERING (2) without NORMAL (1): the kernel
	 * scans only for promotion from lower tiers */
	return t->balancing > 0 && (t->balancing & 2) && !(t->balancing & 1);
}

int nm_tiers_trace_warning(const struct nm_tiers *t, char *buf, size_t len)
{
	char nodes[128] = "";

	buf[0] = '\0';
	if (!nm_tiers_top_unsampled(t))
		return 0;
	if (t->n > 0)
		nm_nodemask_fmt(&t->nodes[0], nodes, sizeof(nodes));
	snprintf(buf, len, "kernel.numa_balancing=%d (memory tiering): the kernel does not scan "
		 "the top tier%s%s%s, so pages there make no hinting faults and their heat is "
		 "blind (they look cold); to sample every tier: sysctl kernel.numa_balancing=3",
		 t->balancing, t->n > 0 ? " (nodes " : "", nodes, t->n > 0 ? ")" : "");
	return 1;
}
