// SPDX-License-Identifier: GPL-2.0
/* mm->numa_scan_seq of a process (see numaseq.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "numaseq.h"
#include "procfs.h"

int nm_numa_scan_seq(const char *root, pid_t pid, long *seq)
{
	static const char key[] = "mm->numa_scan_seq";
	char *text, *p, *end;
	int err = nm_proc_read_text(root, pid, "sched", &text);

	if (err)
		return err;
	err = -ENOENT;
	for (p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, sizeof(key) - 1))
			continue;
		p += sizeof(key) - 1;
		p += strspn(p, " \t:");
		errno = 0;
		*seq = strtol(p, &end, 10);
		err = end == p || errno ? -EINVAL : 0;
		break;
	}
	free(text);
	return err;
}
