/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The session: what one run of numa-migrate owns beyond its command.
 *
 * Signals. nm_session_init() (main, once) installs sigaction handlers for
 * SIGINT, SIGTERM, SIGHUP and SIGQUIT that only record the signal: commands
 * poll nm_session_stopped() at their loop points and end cleanly, with their
 * report. SIGPIPE is ignored, so a closed stdout is an EPIPE the writer sees;
 * main re-raises it after the undo so the shell sees the usual status. A
 * second stop signal while the first is being handled restores the changes
 * that can be restored from a signal handler (file writes such as sysctls)
 * and exits 128+signal at once. SIGSEGV, SIGBUS, SIGABRT, SIGFPE and SIGILL do
 * the same file restores before the default action.
 *
 * Changes. Whatever a run changes on the system (a sysctl, a mount, a
 * thread's affinity, a cgroup, a DAMON context) is registered here with its
 * undo, right after it is made. nm_session_end() (main, after the command,
 * on every path) undoes, newest first, every change not kept. A change the
 * command keeps on purpose (move --pin-threads) is nm_session_keep()ed once
 * the command completes, and its undo command is then reported; if the run
 * is stopped by a signal before that, the change is undone.
 */
#ifndef NM_SESSION_H
#define NM_SESSION_H

#include <stdbool.h>
#include <stddef.h>

struct nm_change;

/* Undoes the change; 0 or -errno. Writes the reason of a failure into ERR. */
typedef int (*nm_undo_fn)(void *arg, char *err, size_t len);

/* Installs the signal handlers. 0 or -errno. */
int nm_session_init(void);

/* The signal that asked the run to stop (SIGINT, SIGTERM, SIGHUP, SIGQUIT),
 * or 0. */
int nm_session_stopped(void);

/* Sleeps S seconds or until a stop signal; false when a signal cut it short. */
bool nm_session_sleep(double s);
/* The same, and also ends as soon as FD is readable (a pidfd: its process
 * exited); FD < 0 waits for the time or a signal only. */
bool nm_session_wait_fd(int fd, double s);

/* Registers a change made just now. WHAT says what changed ("kernel.numa_
 * balancing 0 -> 1"), UNDO_CMD the shell command that undoes it by hand. FN
 * undoes it, called with a copy of the ARGSIZE bytes at ARG that the session
 * keeps (ARGSIZE 0: ARG itself, which must then outlive the session). Returns
 * the change, or NULL with errno ENOMEM after undoing the change at once. */
struct nm_change *nm_session_change(const char *what, const char *undo_cmd,
				    nm_undo_fn fn, const void *arg, size_t argsize);
/* Writes VALUE to the file PATH (a sysctl, a sysfs knob) after reading what
 * it held, and registers writing that back (also from a signal handler).
 * NAME is the setting's name for messages ("kernel.numa_balancing"). Returns
 * the change, or NULL with errno set; *OLD (may be NULL) gets the old value
 * (up to OLDLEN bytes). A file that already holds VALUE is left alone and
 * NULL returned with errno 0. */
struct nm_change *nm_session_write_file(const char *path, const char *name,
					const char *value, char *old, size_t oldlen);
/* The change stays after the run (the command reports UNDO_CMD). */
void nm_session_keep(struct nm_change *c);
/* Undoes C now and forgets it. 0 or -errno (the error is printed with the
 * undo command). */
int nm_session_undo(struct nm_change *c);

const char *nm_change_what(const struct nm_change *c);
const char *nm_change_undo_cmd(const struct nm_change *c);

/* Undoes every change not kept, newest first, printing any failure with its
 * undo command. Returns 0 or the first -errno. Idempotent. */
int nm_session_end(void);

#endif
