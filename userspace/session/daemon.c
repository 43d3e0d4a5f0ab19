// SPDX-License-Identifier: GPL-2.0
/* Detaching and the pid file (see daemon.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "daemon.h"
#include "session.h"

int nm_daemonize(void)
{
	pid_t p = fork();
	int fd;

	if (p < 0)
		return -errno;
	if (p > 0)
		_exit(0);
	if (setsid() < 0)
		return -errno;
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (dup2(fd, STDIN_FILENO) < 0 || dup2(fd, STDOUT_FILENO) < 0 ||
	    dup2(fd, STDERR_FILENO) < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	if (fd > STDERR_FILENO)
		close(fd);
	return 0;
}

static int remove_pid_file(void *arg, char *err, size_t len)
{
	const char *path = arg;

	if (unlink(path) && errno != ENOENT) {
		int e = -errno;

		snprintf(err, len, "cannot remove %s: %s", path, strerror(errno));
		return e;
	}
	return 0;
}

int nm_pid_file_write(const char *path)
{
	char buf[32], what[300], undo[300];
	int fd, n, err = 0;
	ssize_t w;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	w = write(fd, buf, (size_t)n);
	if (w < 0)
		err = -errno;
	else if (w != n)
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	if (err) {
		unlink(path);
		return err;
	}
	snprintf(what, sizeof(what), "pid file %s", path);
	snprintf(undo, sizeof(undo), "rm %s", path);
	if (!nm_session_change(what, undo, remove_pid_file, path, strlen(path) + 1))
		return -errno;	/* undone (removed) already */
	return 0;
}
