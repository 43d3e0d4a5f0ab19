// SPDX-License-Identifier: GPL-2.0
/* Whole-file readers for /proc and /sys, taking a root path so fixtures can stand in. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "procfs.h"

/* Reads a whole file (/proc files report size 0, so read until EOF). The
 * text is NUL-terminated and malloc'ed. */
static int read_fd(int fd, char **text)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t got;

		if (cap - len < 2) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		got = read(fd, buf + len, cap - len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int err = errno;

			free(buf);
			return -err;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	buf[len] = '\0';
	*text = buf;
	return 0;
}

int nm_read_text_file(const char *path, char **text)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -errno;
	rc = read_fd(fd, text);
	close(fd);
	return rc;
}

/*
 * Reads ROOT/proc/PID/NAME. A missing file means the process is gone
 * (-ESRCH) when ROOT/proc/PID itself is missing; otherwise -ENOENT stays,
 * so a fixture tree lacking one file is not mistaken for a dead process.
 */
int nm_proc_read_text(const char *root, pid_t pid, const char *name, char **text)
{
	char path[PATH_MAX];
	struct stat st;
	int n, rc;

	if (!root)
		root = "";
	n = snprintf(path, sizeof(path), "%s/proc/%d/%s", root, (int)pid, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	rc = nm_read_text_file(path, text);
	if (rc != -ENOENT)
		return rc;
	snprintf(path, sizeof(path), "%s/proc/%d", root, (int)pid);
	if (stat(path, &st) < 0 && errno == ENOENT)
		return -ESRCH;
	return rc;
}

int nm_parse_lines(const char *text, int (*fn)(void *ctx, const char *line),
		   void *ctx, size_t *bad_line)
{
	size_t lineno = 0;

	while (*text) {
		size_t len = strcspn(text, "\n");
		char *copy = strndup(text, len);
		int rc;

		lineno++;
		if (!copy)
			return -ENOMEM;
		rc = fn(ctx, copy);
		free(copy);
		if (rc) {
			if (bad_line)
				*bad_line = lineno;
			return rc;
		}
		text += len;
		if (*text == '\n')
			text++;
	}
	return 0;
}
