// SPDX-License-Identifier: GPL-2.0
/* Line-by-line readers of /proc files (see procstream.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "procstream.h"

/* /proc files come in reads of whatever fits the buffer: a large buffer
 * means few system calls for a large file. */
#define STREAM_BUF (64 * 1024)

/* Opens ROOT/proc/PID/NAME: the process directory first, so a missing
 * process (-ESRCH) is told from a missing file (-ENOENT). */
static int open_proc(const char *root, pid_t pid, const char *name)
{
	char dir[PATH_MAX];
	int n = snprintf(dir, sizeof(dir), "%s/proc/%d", root ? root : "", (int)pid);
	int dfd, fd, err;

	if (n < 0 || (size_t)n >= sizeof(dir))
		return -ENAMETOOLONG;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	fd = openat(dfd, name, O_RDONLY | O_CLOEXEC);
	err = errno;
	close(dfd);
	return fd < 0 ? -err : fd;
}

int nm_proc_each_line(const char *root, pid_t pid, const char *name, nm_line_fn fn,
		      void *ctx, size_t *bad_line)
{
	int fd = open_proc(root, pid, name);
	size_t cap = 0, lineno = 0;
	char *line = NULL, *buf;
	ssize_t len;
	FILE *f;
	int rc = 0;

	if (fd < 0)
		return fd;
	buf = malloc(STREAM_BUF);
	f = buf ? fdopen(fd, "r") : NULL;
	if (!f) {
		rc = buf ? -errno : -ENOMEM;
		free(buf);
		close(fd);
		return rc;
	}
	/* glibc sizes a buffer it allocates by st_blksize (1 KiB for /proc) */
	setvbuf(f, buf, _IOFBF, STREAM_BUF);
	errno = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (len && line[len - 1] == '\n')
			line[len - 1] = '\0';
		rc = fn(ctx, line);
		if (rc) {
			if (bad_line)
				*bad_line = lineno;
			break;
		}
		errno = 0;
	}
	if (!rc && ferror(f))
		rc = errno ? -errno : -EIO;
	free(line);
	fclose(f);
	free(buf);
	return rc;
}

int nm_line_list_add(void *ctx, const char *line)
{
	const struct nm_line_list *l = ctx;
	size_t esize = l->t->esize;
	_Alignas(max_align_t) unsigned char elem[1024];
	int rc;

	if (esize > sizeof(elem))
		return -EINVAL;
	rc = l->t->parse(line, elem);
	if (rc)
		return rc;
	if (*l->n >= *l->cap) {
		size_t c = *l->cap ? *l->cap * 2 : 64;
		void *p = c > SIZE_MAX / esize ? NULL : realloc(*l->arr, c * esize);

		if (!p) {
			char *owned;

			memcpy(&owned, elem + l->t->owned, sizeof(owned));
			free(owned);
			return -ENOMEM;
		}
		*l->arr = p;
		*l->cap = c;
	}
	memcpy((char *)*l->arr + *l->n * esize, elem, esize);
	(*l->n)++;
	return 0;
}
