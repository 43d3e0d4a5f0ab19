// SPDX-License-Identifier: GPL-2.0
/* Line-by-line readers of /proc files (see procstream.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "procstream.h"

/* /proc files come in reads of whatever fits the buffer: a large buffer
 * means few system calls for a large file (glibc's stdio would size its
 * buffer by st_blksize, 1 KiB for /proc). */
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

/* Lines read so far and not yet handed on. */
struct lines {
	char *buf;
	size_t len, cap;
	size_t lineno;
};

/* Hands the complete lines of L to FN (the last one too when ALL), keeping
 * the rest. Returns 0 or FN's error (*bad_line set). */
static int hand_on(struct lines *l, bool all, nm_line_fn fn, void *ctx, size_t *bad_line)
{
	size_t at = 0;
	int rc = 0;

	if (!l->len)
		return 0;	/* nothing read yet (and maybe no buffer) */
	while (at < l->len && !rc) {
		char *nl = memchr(l->buf + at, '\n', l->len - at);

		if (!nl && !all)
			break;
		if (nl)
			*nl = '\0';
		else
			l->buf[l->len] = '\0';	/* a last line without newline */
		l->lineno++;
		rc = fn(ctx, l->buf + at);
		if (rc && bad_line)
			*bad_line = l->lineno;
		at = nl ? (size_t)(nl - l->buf) + 1 : l->len;
	}
	memmove(l->buf, l->buf + at, l->len - at);
	l->len -= at;
	return rc;
}

int nm_proc_each_line_when(const char *root, pid_t pid, const char *name, nm_line_fn fn,
			   void *ctx, nm_ready_fn ready, size_t *bad_line)
{
	struct lines l = { 0 };
	int fd = open_proc(root, pid, name), rc = 0;
	bool go = !ready, eof = false;

	if (fd < 0)
		return fd;
	while (!rc && !eof) {
		ssize_t got;

		if (!go)
			go = ready(ctx, false) > 0;
		if (go)
			rc = hand_on(&l, false, fn, ctx, bad_line);
		/* room for a read and the NUL of a last line */
		if (!rc && l.cap - l.len < STREAM_BUF + 1) {
			size_t cap = l.cap ? l.cap * 2 : 2 * STREAM_BUF;
			char *nb = realloc(l.buf, cap);

			if (!nb) {
				rc = -ENOMEM;
				break;
			}
			l.buf = nb;
			l.cap = cap;
		}
		if (rc)
			break;
		got = read(fd, l.buf + l.len, STREAM_BUF);
		if (got < 0 && errno != EINTR)
			rc = -errno;
		else if (got == 0)
			eof = true;
		else if (got > 0)
			l.len += (size_t)got;
	}
	if (!rc && !go) {
		rc = ready(ctx, true);
		rc = rc > 0 ? 0 : rc ? rc : -ECANCELED;
	}
	if (!rc)
		rc = hand_on(&l, true, fn, ctx, bad_line);
	free(l.buf);
	close(fd);
	return rc;
}

int nm_proc_each_line(const char *root, pid_t pid, const char *name, nm_line_fn fn,
		      void *ctx, size_t *bad_line)
{
	return nm_proc_each_line_when(root, pid, name, fn, ctx, NULL, bad_line);
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

void nm_line_list_free(const struct nm_line_type *t, void *arr, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *owned;

		memcpy(&owned, (unsigned char *)arr + i * t->esize + t->owned, sizeof(owned));
		free(owned);
	}
	free(arr);
}
