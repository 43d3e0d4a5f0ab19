// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/PID/pagemap: one little-endian u64 per virtual page, at file
 * offset (vaddr / page size) * 8 (Documentation/admin-guide/mm/pagemap.rst).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "pagemap.h"

void nm_pagemap_decode(uint64_t raw, struct nm_pagemap_entry *out)
{
	out->present = raw & NM_PM_PRESENT;
	out->swapped = raw & NM_PM_SWAP;
	out->file_or_shared = raw & NM_PM_FILE;
	out->exclusive = raw & NM_PM_EXCLUSIVE;
	/* For a swapped page bits 0-54 hold the swap type and offset, not
	 * a PFN; without CAP_SYS_ADMIN the kernel reports PFN 0. */
	out->pfn = out->present && !out->swapped ? raw & NM_PM_PFN_MASK : 0;
}

/*
 * N is the number of base pages per PMD (512 with 4 KiB pages); the first
 * PFN must be aligned to N because a PMD-mapped THP is naturally aligned.
 */
bool nm_pagemap_pmd_contiguous(const uint64_t *raw, size_t n)
{
	struct nm_pagemap_entry first, e;

	if (!raw || n == 0)
		return false;
	nm_pagemap_decode(raw[0], &first);
	if (!first.present || first.pfn == 0 || first.pfn % n != 0)
		return false;
	for (size_t i = 1; i < n; i++) {
		nm_pagemap_decode(raw[i], &e);
		if (!e.present || e.pfn != first.pfn + i)
			return false;
	}
	return true;
}

int nm_pagemap_open(const char *root, pid_t pid)
{
	char path[PATH_MAX];
	struct stat st;
	int n, fd;

	if (!root)
		root = "";
	n = snprintf(path, sizeof(path), "%s/proc/%d/pagemap", root, (int)pid);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	if (errno != ENOENT)
		return -errno;
	/* As for maps: a missing /proc/PID means the process is gone. */
	snprintf(path, sizeof(path), "%s/proc/%d", root, (int)pid);
	if (stat(path, &st) < 0 && errno == ENOENT)
		return -ESRCH;
	return -ENOENT;
}

int nm_pagemap_read(int fd, uint64_t addr, uint64_t ps, size_t n, uint64_t *out)
{
	uint64_t index, off, want, done = 0;

	if (ps == 0 || (ps & (ps - 1)))
		return -EINVAL;
	index = addr / ps;
	/* The byte range must fit off_t: (index + n) * 8 <= INT64_MAX. */
	if (n > (uint64_t)INT64_MAX / 8 || index > (uint64_t)INT64_MAX / 8 - n)
		return -EOVERFLOW;
	off = index * 8;
	want = (uint64_t)n * 8;
	while (done < want) {
		ssize_t got = pread(fd, (char *)out + done, want - done,
				    (off_t)(off + done));

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -errno;
		if (got == 0)
			return -EIO;	/* past the end of the address space */
		done += (uint64_t)got;
	}
	return 0;
}
