// SPDX-License-Identifier: GPL-2.0
/* Signals and the registry of what this run changed (see session.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "errors.h"
#include "nm.h"
#include "session.h"

struct nm_change {
	struct nm_change *prev;		/* the one registered before */
	/* whole, never truncated: an undo command cut short would be wrong */
	char *what;
	char *undo_cmd;
	nm_undo_fn fn;
	void *arg;
	bool kept;
	/* a file write, undone with open/write: also from a signal handler,
	 * so PATH and OLD are allocated before the change is linked */
	bool is_file;
	char *path;
	char *old;
	size_t oldlen;
	_Alignas(max_align_t) unsigned char argbuf[];	/* the copy of ARG */
};

static struct nm_change *newest;
static volatile sig_atomic_t stop_sig;
static volatile sig_atomic_t in_emergency;

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL };

/* Async-signal-safe: writes back every file change not kept. */
static void restore_files_now(void)
{
	for (struct nm_change *c = newest; c; c = c->prev) {
		int fd;

		if (!c->is_file || c->kept)
			continue;
		fd = open(c->path, O_WRONLY | O_TRUNC | O_CLOEXEC);
		if (fd >= 0) {
			ssize_t w = write(fd, c->old, c->oldlen);

			(void)w;
			close(fd);
		}
	}
}

static void on_stop(int sig)
{
	if (!stop_sig) {
		stop_sig = sig;
		return;
	}
	/* asked twice: do not wait for the command to unwind */
	if (!in_emergency) {
		in_emergency = 1;
		restore_files_now();
	}
	_exit(128 + sig);
}

static void on_crash(int sig)
{
	if (!in_emergency) {
		in_emergency = 1;
		restore_files_now();
	}
	/* SA_RESETHAND: the default action follows */
	raise(sig);
}

int nm_session_init(void)
{
	struct sigaction sa = { .sa_handler = on_stop };
	struct sigaction ign = { .sa_handler = SIG_IGN };
	struct sigaction crash = { .sa_handler = on_crash, .sa_flags = SA_RESETHAND | SA_NODEFER };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < (size_t)NM_ARRAY_SIZE(stop_signals); i++)
		sigaddset(&sa.sa_mask, stop_signals[i]);
	for (size_t i = 0; i < (size_t)NM_ARRAY_SIZE(stop_signals); i++)
		if (sigaction(stop_signals[i], &sa, NULL))
			return -errno;
	sigemptyset(&ign.sa_mask);
	if (sigaction(SIGPIPE, &ign, NULL))
		return -errno;
	sigemptyset(&crash.sa_mask);
	for (size_t i = 0; i < (size_t)NM_ARRAY_SIZE(crash_signals); i++)
		if (sigaction(crash_signals[i], &crash, NULL))
			return -errno;
	return 0;
}

int nm_session_stopped(void)
{
	return stop_sig;
}

/*
 * Waits in ppoll with the stop signals blocked since the check of stop_sig
 * and unblocked by ppoll itself, atomically: a stop signal that comes after
 * the check, or was pending while the caller blocked it, ends the wait at
 * once. So the wait needs no short steps (it wakes when there is something
 * to do, not 4 times a second). The caller's mask is given back.
 */
bool nm_session_wait_fd(int fd, double s)
{
	double end = nm_mono() + s;
	sigset_t stops, old, during;

	sigemptyset(&stops);
	for (size_t i = 0; i < (size_t)NM_ARRAY_SIZE(stop_signals); i++)
		sigaddset(&stops, stop_signals[i]);
	if (pthread_sigmask(SIG_BLOCK, &stops, &old))
		return !stop_sig;
	during = old;
	for (size_t i = 0; i < (size_t)NM_ARRAY_SIZE(stop_signals); i++)
		sigdelset(&during, stop_signals[i]);
	while (!stop_sig) {
		double left = end - nm_mono();
		/* a negative fd is skipped by ppoll: then it only waits */
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct timespec ts;

		if (left <= 0)
			break;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		if (ppoll(&p, 1, &ts, &during) > 0)
			break;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return !stop_sig;
}

bool nm_session_sleep(double s)
{
	return nm_session_wait_fd(-1, s);
}

/* The largest file value a write may change: the old value is kept whole,
 * and a larger file is refused rather than restored in part. */
#define NM_SESSION_OLD_MAX 4096

static char *fmt_dup(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

static void change_free(struct nm_change *c)
{
	if (!c)
		return;
	free(c->what);
	free(c->undo_cmd);
	free(c->path);
	free(c->old);
	free(c);
}

static void link_change(struct nm_change *c)
{
	sigset_t all, old;

	/* the handlers walk the list: link with the stop signals blocked */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	c->prev = newest;
	newest = c;
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void unlink_change(struct nm_change *c)
{
	sigset_t all, old;
	struct nm_change **p;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	for (p = &newest; *p && *p != c; p = &(*p)->prev)
		;
	if (*p)
		*p = c->prev;
	sigprocmask(SIG_SETMASK, &old, NULL);
}

struct nm_change *nm_session_change(const char *what, const char *undo_cmd,
				    nm_undo_fn fn, const void *arg, size_t argsize)
{
	struct nm_change *c = calloc(1, sizeof(*c) + argsize);

	if (c) {
		c->what = strdup(what);
		c->undo_cmd = strdup(undo_cmd ? undo_cmd : "");
		if (!c->what || !c->undo_cmd) {
			change_free(c);
			c = NULL;
		}
	}
	if (!c) {
		char err[128] = "";

		if (fn && fn((void *)arg, err, sizeof(err)))
			nm_error("out of memory registering '%s', and undoing it failed (%s): "
				 "undo it by hand: %s", what, err, undo_cmd);
		errno = ENOMEM;
		return NULL;
	}
	c->fn = fn;
	if (argsize) {
		memcpy(c->argbuf, arg, argsize);
		c->arg = c->argbuf;
	} else {
		c->arg = (void *)arg;
	}
	link_change(c);
	return c;
}

/* Reads PATH whole into BUF (LEN bytes with the NUL): -EFBIG when it does
 * not fit, so a value is never kept, and later restored, cut short. */
static int read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n < 0) {
			int e = -errno;

			if (e == -EINTR)
				continue;
			close(fd);
			return e;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got == len) {
			close(fd);
			return -EFBIG;
		}
	}
	close(fd);
	buf[got] = '\0';
	return 0;
}

static int write_small(const char *path, const char *v, size_t n)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ssize_t w;

	if (fd < 0)
		return -errno;
	w = write(fd, v, n);
	if (w < 0 || (size_t)w != n) {
		int e = w < 0 ? -errno : -EIO;

		close(fd);
		return e;
	}
	return close(fd) ? -errno : 0;
}

static int undo_file(void *arg, char *err, size_t len)
{
	struct nm_change *c = arg;
	int r = write_small(c->path, c->old, c->oldlen);

	if (r)
		snprintf(err, len, "cannot write %s: %s", c->path, strerror(-r));
	return r;
}

struct nm_change *nm_session_write_file(const char *path, const char *name,
					const char *value, char *old, size_t oldlen)
{
	struct nm_change *c = calloc(1, sizeof(*c));
	char *trimmed = NULL;
	int r = -ENOMEM;

	if (!c || !(c->old = malloc(NM_SESSION_OLD_MAX + 1)))
		goto fail;
	r = read_small(path, c->old, NM_SESSION_OLD_MAX + 1);
	if (r)
		goto fail;
	r = -ENOMEM;
	c->oldlen = strlen(c->old);
	trimmed = strndup(c->old, strcspn(c->old, "\n"));
	if (!trimmed)
		goto fail;
	if (old)
		snprintf(old, oldlen, "%s", trimmed);
	if (!strcmp(trimmed, value)) {
		free(trimmed);
		change_free(c);
		errno = 0;
		return NULL;
	}
	c->path = strdup(path);
	c->what = fmt_dup("%s %s -> %s", name, trimmed, value);
	if (!strncmp(path, "/proc/sys/", 10))
		c->undo_cmd = fmt_dup("sysctl %s=%s", name, trimmed);
	else
		c->undo_cmd = fmt_dup("echo %s > %s", trimmed, path);
	if (!c->path || !c->what || !c->undo_cmd)
		goto fail;
	free(trimmed);
	trimmed = NULL;
	c->fn = undo_file;
	c->arg = c;
	c->is_file = true;
	/* registered before the write: a signal in between restores the old value */
	link_change(c);
	r = write_small(path, value, strlen(value));
	if (r) {
		unlink_change(c);
		goto fail;
	}
	return c;
fail:
	free(trimmed);
	change_free(c);
	errno = -r;
	return NULL;
}

void nm_session_keep(struct nm_change *c)
{
	if (c)
		c->kept = true;
}

const char *nm_change_what(const struct nm_change *c)
{
	return c->what;
}

const char *nm_change_undo_cmd(const struct nm_change *c)
{
	return c->undo_cmd;
}

static int undo_one(struct nm_change *c)
{
	char err[256] = "";
	int r = c->fn ? c->fn(c->arg, err, sizeof(err)) : 0;

	if (r)
		nm_error("could not undo %s: %s; undo it by hand: %s", c->what,
			 err[0] ? err : strerror(-r), c->undo_cmd);
	return r;
}

int nm_session_undo(struct nm_change *c)
{
	int r;

	if (!c)
		return 0;
	unlink_change(c);
	r = undo_one(c);
	change_free(c);
	return r;
}

int nm_session_end(void)
{
	int first = 0;

	while (newest) {
		struct nm_change *c = newest;
		int r = 0;

		unlink_change(c);
		if (!c->kept)
			r = undo_one(c);
		if (r && !first)
			first = r;
		change_free(c);
	}
	return first;
}
