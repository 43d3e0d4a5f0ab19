/* SPDX-License-Identifier: GPL-2.0 */
/* Running in the background: detaching, and the pid file. */
#ifndef NM_DAEMON_H
#define NM_DAEMON_H

/* Forks; the parent exits 0 at once, the child leads a new session with
 * stdin, stdout and stderr on /dev/null. Returns 0 in the child or -errno. */
int nm_daemonize(void);

/* Writes this process's pid to PATH (created 0644, not through a symlink)
 * and registers its removal with the session, so every exit path removes
 * it. Returns 0 or -errno. */
int nm_pid_file_write(const char *path);

#endif
