/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Never two autos on one process: auto holds an flock on DIR/pid-PID.lock
 * (DIR /run/numa-migrate, created 0700) for every process it manages. The
 * file names the holder (its pid and start time, so a reused pid is seen);
 * the lock dies with the holder, so a lock file left by a crash is free.
 */
#ifndef NM_PIDLOCK_H
#define NM_PIDLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define NM_PIDLOCK_DIR "/run/numa-migrate"

struct nm_change;

/* Who holds a lock another run wanted. */
struct nm_pidlock_holder {
	pid_t pid;			/* 0: unknown (the file was empty) */
	unsigned long long start;	/* its start time, clock ticks after boot */
	bool alive;			/* ROOT/proc/PID is that process still */
	char cmdline[256];		/* its command line, spaces for NULs, "" */
};

/* Takes the lock of PID under DIR without waiting, writing this process's
 * pid and start time (read from ROOT/proc/self/stat) into it. Returns 0
 * with *FD the open, locked file; -EWOULDBLOCK when another process holds
 * it (HOLDER says who, with its command line from ROOT/proc); or -errno
 * (DIR not creatable, a symlink in the way: -ELOOP, -ENOTDIR). */
int nm_pidlock_take(const char *root, const char *dir, pid_t pid, int *fd,
		    struct nm_pidlock_holder *holder);
/* Removes the file (while still holding it) and closes FD. */
void nm_pidlock_release(const char *dir, pid_t pid, int fd);

/* nm_pidlock_take, with the release registered with the session (every exit
 * path releases; nm_session_undo(*CHANGE) releases it early). */
int nm_pidlock_hold(const char *dir, pid_t pid, struct nm_pidlock_holder *holder,
		    struct nm_change **change);

/* "pid 123 (numa-migrate auto --pid 9)" for an error message. */
const char *nm_pidlock_holder_fmt(const struct nm_pidlock_holder *h, char *buf, size_t len);

#endif
