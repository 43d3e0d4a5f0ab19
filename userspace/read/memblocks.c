// SPDX-License-Identifier: GPL-2.0
/* Memory block -> node table from sysfs (see memblocks.h). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "memblocks.h"
#include "parse.h"
#include "procfs.h"

int nm_memblocks_block_bytes(const char *root, uint64_t *out)
{
	char path[4096], *text = NULL, *end;
	unsigned long long v;
	int err;

	snprintf(path, sizeof(path), "%s/sys/devices/system/memory/block_size_bytes",
		 root ? root : "");
	err = nm_read_text_file(path, &text);
	if (err)
		return err;
	errno = 0;
	v = strtoull(text, &end, 16);	/* the kernel prints it in hex, no 0x */
	while (*end == '\n' || *end == ' ')
		end++;
	err = (errno || end == text || *end || v < 4096 || (v & (v - 1))) ? -EINVAL : 0;
	free(text);
	if (!err)
		*out = v;
	return err;
}

/* "node12" -> 12, "memory345" -> 345; -1 when NAME is not PREFIX + digits */
static long long suffix_number(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	uint64_t v;

	if (strncmp(name, prefix, n) || nm_parse_u64(name + n, &v) || v > (1ULL << 40))
		return -1;
	return (long long)v;
}

int nm_memblocks_read(const char *root, uint64_t *block_bytes,
		      int (*fn)(void *ctx, uint64_t block, int node), void *ctx)
{
	char path[4096];
	struct dirent *de, *me;
	DIR *nodes, *d;
	int err;

	err = nm_memblocks_block_bytes(root, block_bytes);
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s/sys/devices/system/node", root ? root : "");
	nodes = opendir(path);
	if (!nodes)
		return -errno;
	while (!err && (de = readdir(nodes))) {
		long long node = suffix_number(de->d_name, "node");

		if (node < 0 || node > 65534)
			continue;
		snprintf(path, sizeof(path), "%s/sys/devices/system/node/%s", root ? root : "",
			 de->d_name);
		d = opendir(path);
		if (!d)
			continue;
		while (!err && (me = readdir(d))) {
			long long blk = suffix_number(me->d_name, "memory");

			if (blk >= 0)
				err = fn(ctx, (uint64_t)blk, (int)node);
		}
		closedir(d);
	}
	closedir(nodes);
	return err;
}
