// SPDX-License-Identifier: GPL-2.0
/* The per-process lock of auto (see pidlock.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "pidlock.h"
#include "session.h"

/* Field 22 (starttime) of ROOT/proc/WHO/stat, after the ")" that ends the
 * command name (which may hold spaces and parentheses). 0 when unreadable. */
static unsigned long long start_time(const char *root, const char *who)
{
	char path[128], buf[1024], *p;
	unsigned long long v = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/proc/%s/stat", root, who);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	/* after ") ": state is field 3, starttime field 22 */
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		v = strtoull(p + 1, NULL, 10);
	return v;
}

static void read_cmdline(const char *root, pid_t pid, char *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/proc/%d/cmdline", root, (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return;
	while (n > 0 && buf[n - 1] == '\0')
		n--;
	buf[n] = '\0';
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
}

/* Reads who holds the lock FD from the file and ROOT/proc. */
static void holder_read(const char *root, int fd, struct nm_pidlock_holder *h)
{
	char buf[64], who[24];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	int pid = 0;

	memset(h, 0, sizeof(*h));
	if (n <= 0)
		return;
	buf[n] = '\0';
	if (sscanf(buf, "%d %llu", &pid, &h->start) < 1 || pid <= 0)
		return;
	h->pid = pid;
	snprintf(who, sizeof(who), "%d", pid);
	h->alive = h->start && start_time(root, who) == h->start;
	if (h->alive)
		read_cmdline(root, h->pid, h->cmdline, sizeof(h->cmdline));
}

/* DIR exists as a directory we own, not a symlink; created 0700. */
static int dir_ready(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0700) && errno != EEXIST)
		return -errno;
	if (lstat(dir, &st))
		return -errno;
	if (S_ISLNK(st.st_mode))
		return -ELOOP;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (st.st_uid != geteuid() || (st.st_mode & 022))
		return -EPERM;	/* someone else could swap the lock files */
	return 0;
}

int nm_pidlock_take(const char *root, const char *dir, pid_t pid, int *fdp,
		    struct nm_pidlock_holder *holder)
{
	char path[512], buf[64];
	struct stat a, b;
	int err = dir_ready(dir), fd = -1, n;

	*fdp = -1;
	memset(holder, 0, sizeof(*holder));
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s/pid-%d.lock", dir, (int)pid);
	/* a holder that releases unlinks the file while holding it: the file
	 * we locked must still be the one at PATH, else open it again */
	for (int tries = 0; tries < 8; tries++) {
		fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0)
			return -errno;
		if (flock(fd, LOCK_EX | LOCK_NB)) {
			err = -errno;
			if (err == -EWOULDBLOCK)
				holder_read(root, fd, holder);
			close(fd);
			return err;
		}
		if (!fstat(fd, &a) && !stat(path, &b) && a.st_ino == b.st_ino &&
		    a.st_dev == b.st_dev)
			break;
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		return -EAGAIN;
	n = snprintf(buf, sizeof(buf), "%d %llu\n", (int)getpid(), start_time(root, "self"));
	if (ftruncate(fd, 0) || pwrite(fd, buf, (size_t)n, 0) != n) {
		err = errno ? -errno : -EIO;
		close(fd);
		return err;
	}
	*fdp = fd;
	return 0;
}

void nm_pidlock_release(const char *dir, pid_t pid, int fd)
{
	char path[512];

	if (fd < 0)
		return;
	snprintf(path, sizeof(path), "%s/pid-%d.lock", dir, (int)pid);
	unlink(path);
	close(fd);
}

struct held {
	int fd;
	pid_t pid;
	char dir[256];
};

static int release_held(void *arg, char *err, size_t len)
{
	const struct held *h = arg;

	(void)err;
	(void)len;
	nm_pidlock_release(h->dir, h->pid, h->fd);
	return 0;
}

int nm_pidlock_hold(const char *dir, pid_t pid, struct nm_pidlock_holder *holder,
		    struct nm_change **change)
{
	struct held h = { .pid = pid };
	char what[320], undo[320];
	int err;

	*change = NULL;
	if (strlen(dir) >= sizeof(h.dir))
		return -ENAMETOOLONG;
	err = nm_pidlock_take("", dir, pid, &h.fd, holder);
	if (err)
		return err;
	snprintf(h.dir, sizeof(h.dir), "%s", dir);
	snprintf(what, sizeof(what), "lock %s/pid-%d.lock", dir, (int)pid);
	snprintf(undo, sizeof(undo), "rm %s/pid-%d.lock", dir, (int)pid);
	*change = nm_session_change(what, undo, release_held, &h, sizeof(h));
	return *change ? 0 : -ENOMEM;	/* released already */
}

const char *nm_pidlock_holder_fmt(const struct nm_pidlock_holder *h, char *buf, size_t len)
{
	if (!h->pid)
		snprintf(buf, len, "a process that has not written its pid yet");
	else if (!h->alive)
		snprintf(buf, len, "pid %d (no longer running under that pid)", (int)h->pid);
	else
		snprintf(buf, len, "pid %d (%s)", (int)h->pid,
			 h->cmdline[0] ? h->cmdline : "command line unreadable");
	return buf;
}
