// SPDX-License-Identifier: GPL-2.0
/* The session's registry of system changes and its signal handling (issue
 * #11 point 1: every exit path restores what the run changed). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "testutil.h"
#include "nm.h"
#include "quietthread.h"
#include "session.h"

static char order[16];

static int record(void *arg, char *err, size_t len)
{
	size_t n = strlen(order);

	order[n] = *(const char *)arg;
	order[n + 1] = '\0';
	return 0;
}

static int refuse(void *arg, char *err, size_t len)
{
	snprintf(err, len, "refused on purpose");
	return -EBUSY;
}

static void tmpfile_with(char *path, const char *content)
{
	int fd;

	strcpy(path, "/tmp/nm-session-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
}

static char *file_text(const char *path)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n >= 0);
	buf[n] = '\0';
	return buf;
}

static long file_size(const char *path)
{
	FILE *f = fopen(path, "r");
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fclose(f);
	return n;
}

static void test_undo_newest_first_and_arg_copied(void **state)
{
	char a = 'a', b = 'b', c = 'c';
	struct nm_change *cb;

	order[0] = '\0';
	assert_non_null(nm_session_change("first", "undo a", record, &a, 1));
	cb = nm_session_change("second", "undo b", record, &b, 1);
	assert_non_null(cb);
	assert_non_null(nm_session_change("third", "undo c", record, &c, 1));
	/* the session holds copies: the caller's variables may be gone */
	a = b = c = 'x';
	assert_string_equal(nm_change_what(cb), "second");
	assert_string_equal(nm_change_undo_cmd(cb), "undo b");
	assert_int_equal(nm_session_end(), 0);
	assert_string_equal(order, "cba");
	/* idempotent */
	assert_int_equal(nm_session_end(), 0);
	assert_string_equal(order, "cba");
}

static void test_keep_and_undo_one(void **state)
{
	char a = 'a', b = 'b', c = 'c';
	struct nm_change *ca, *cb;

	order[0] = '\0';
	ca = nm_session_change("kept", "undo a", record, &a, 1);
	cb = nm_session_change("now", "undo b", record, &b, 1);
	assert_non_null(nm_session_change("end", "undo c", record, &c, 1));
	nm_session_keep(ca);
	assert_int_equal(nm_session_undo(cb), 0);
	assert_string_equal(order, "b");
	assert_int_equal(nm_session_end(), 0);
	assert_string_equal(order, "bc");
}

static void test_failed_undo_named_with_command(void **state)
{
	struct capture cap;
	char *out, *err;

	assert_non_null(nm_session_change("cgroup of pid 7", "echo 7 > /sys/fs/cgroup/cgroup.procs",
					  refuse, NULL, 0));
	capture_begin(&cap);
	assert_int_equal(nm_session_end(), -EBUSY);
	capture_end(&cap, &out, &err);
	assert_non_null(strstr(err, "could not undo cgroup of pid 7: refused on purpose"));
	assert_non_null(strstr(err, "echo 7 > /sys/fs/cgroup/cgroup.procs"));
	free(out);
	free(err);
}

static void test_write_file_restores(void **state)
{
	char path[64], old[16], cmd[96];
	struct nm_change *c;

	tmpfile_with(path, "0\n");
	c = nm_session_write_file(path, "kernel.numa_balancing", "1", old, sizeof(old));
	assert_non_null(c);
	assert_string_equal(old, "0");
	assert_string_equal(file_text(path), "1");
	assert_string_equal(nm_change_what(c), "kernel.numa_balancing 0 -> 1");
	snprintf(cmd, sizeof(cmd), "echo 0 > %s", path);
	assert_string_equal(nm_change_undo_cmd(c), cmd);
	assert_int_equal(nm_session_end(), 0);
	assert_string_equal(file_text(path), "0\n");
	unlink(path);
}

static void test_write_file_same_value_untouched(void **state)
{
	char path[64], old[16];

	tmpfile_with(path, "1\n");
	errno = EINVAL;
	assert_null(nm_session_write_file(path, "x", "1", old, sizeof(old)));
	assert_int_equal(errno, 0);
	assert_string_equal(file_text(path), "1\n");
	assert_int_equal(nm_session_end(), 0);
	assert_string_equal(file_text(path), "1\n");
	unlink(path);
}

static void test_write_file_missing(void **state)
{
	assert_null(nm_session_write_file("/nonexistent/nm/x", "x", "1", NULL, 0));
	assert_int_equal(errno, ENOENT);
}

/* A long path, a long old value and a long command are kept whole: the
 * registry cut them at 256 and 64 bytes, so the undo wrote a truncated
 * value back, or named a command that did not exist. */
static void test_long_values_kept_whole(void **state)
{
	char dir[] = "/tmp/nm-session-long-XXXXXX", path[512], cmd[1024];
	char oldv[3001], undo[600];
	struct nm_change *c;
	FILE *f;
	size_t n;

	assert_non_null(mkdtemp(dir));
	/* 300 bytes: a directory of 200 'p' and a file of 'q' (a name <= 255) */
	n = (size_t)snprintf(path, sizeof(path), "%s/", dir);
	memset(path + n, 'p', 200);
	path[n + 200] = '\0';
	assert_int_equal(mkdir(path, 0700), 0);
	n += 200;
	path[n++] = '/';
	memset(path + n, 'q', 300 - n);
	path[300] = '\0';
	memset(oldv, '7', sizeof(oldv) - 1);
	oldv[sizeof(oldv) - 1] = '\0';
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(oldv, f);
	fclose(f);
	c = nm_session_write_file(path, "long", "1", NULL, 0);
	assert_non_null(c);
	snprintf(cmd, sizeof(cmd), "echo %.20s", oldv);
	assert_memory_equal(nm_change_undo_cmd(c), cmd, strlen(cmd));
	assert_int_equal(strlen(nm_change_undo_cmd(c)), strlen("echo  > ") + 3000 + 300);
	memset(undo, 'u', sizeof(undo) - 1);
	undo[sizeof(undo) - 1] = '\0';
	assert_string_equal(nm_change_undo_cmd(nm_session_change("x", undo, record, "z", 1)), undo);
	order[0] = '\0';
	assert_int_equal(nm_session_end(), 0);
	assert_string_equal(file_text(path), oldv);
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
	rmdir(dir);
}

/* A file too large to keep whole is refused, and left as it was. */
static void test_write_file_too_large_refused(void **state)
{
	char path[64];
	static char big[5000];

	memset(big, '9', sizeof(big) - 1);
	tmpfile_with(path, big);
	assert_null(nm_session_write_file(path, "big", "1", NULL, 0));
	assert_int_equal(errno, EFBIG);
	assert_int_equal(file_size(path), (long)sizeof(big) - 1);
	unlink(path);
}

/* In a child: init, change a file, raise SIG once (recorded, the run goes
 * on) and, with TWICE, again (restore at once, exit 128+SIG). */
static int child_signals(const char *path, int sig, bool twice)
{
	pid_t p = fork();
	int st;

	assert_true(p >= 0);
	if (p == 0) {
		if (nm_session_init() || !nm_session_write_file(path, "x", "1", NULL, 0))
			_exit(90);
		raise(sig);
		if (nm_session_stopped() != sig)
			_exit(91);
		if (!nm_session_sleep(5) && !twice)
			_exit(nm_session_end() ? 92 : 0);	/* the normal path */
		raise(sig);
		_exit(93);	/* not reached: the second signal exits */
	}
	assert_int_equal(waitpid(p, &st, 0), p);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void test_signal_recorded_then_undone(void **state)
{
	const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	char path[64];

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		tmpfile_with(path, "0\n");
		assert_int_equal(child_signals(path, sigs[i], false), 0);
		assert_string_equal(file_text(path), "0\n");
		unlink(path);
	}
}

static void test_second_signal_restores_and_exits(void **state)
{
	char path[64];

	tmpfile_with(path, "0\n");
	assert_int_equal(child_signals(path, SIGTERM, true), 128 + SIGTERM);
	assert_string_equal(file_text(path), "0\n");
	unlink(path);
}

static void test_crash_restores(void **state)
{
	char path[64];
	pid_t p;
	int st;

	tmpfile_with(path, "0\n");
	p = fork();
	assert_true(p >= 0);
	if (p == 0) {
		if (nm_session_init() || !nm_session_write_file(path, "x", "1", NULL, 0))
			_exit(90);
		abort();
	}
	assert_int_equal(waitpid(p, &st, 0), p);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGABRT);
	assert_string_equal(file_text(path), "0\n");
	unlink(path);
}

static void test_sigpipe_ignored(void **state)
{
	pid_t p = fork();
	int st;

	assert_true(p >= 0);
	if (p == 0) {
		int fds[2];

		if (nm_session_init() || pipe(fds))
			_exit(90);
		close(fds[0]);
		/* EPIPE, not death by SIGPIPE */
		_exit(write(fds[1], "x", 1) < 0 && errno == EPIPE ? 0 : 91);
	}
	assert_int_equal(waitpid(p, &st, 0), p);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* nm_session_wait_fd ends when its fd turns readable (a pidfd at the
 * process's exit; a pipe here), and otherwise waits the whole time, in
 * steps the signal race bounds. */
static void test_wait_fd_readable_or_whole_time(void **state)
{
	int fds[2];
	double t0;

	assert_int_equal(pipe(fds), 0);
	t0 = nm_mono();
	assert_true(nm_session_wait_fd(fds[0], 0.6));
	assert_true(nm_mono() - t0 >= 0.6);	/* nothing to read: all of it */
	assert_int_equal(write(fds[1], "x", 1), 1);
	t0 = nm_mono();
	assert_true(nm_session_wait_fd(fds[0], 30));
	assert_true(nm_mono() - t0 < 10);	/* readable: at once, not 30 s */
	t0 = nm_mono();
	assert_true(nm_session_wait_fd(-1, 0.3));	/* no fd: the time only */
	assert_true(nm_mono() - t0 >= 0.3);
	close(fds[0]);
	close(fds[1]);
}

/* A stop signal that is pending while the caller blocks it ends the sleep
 * at once: the sleep waits with the stop signals unblocked, atomically (a
 * signal between the check and the wait is not lost), and gives the
 * caller's mask back. Also: a signal from another process mid-sleep. */
static void test_sleep_ends_on_pending_and_late_signal(void **state)
{
	pid_t p = fork();
	int st;

	assert_true(p >= 0);
	if (p == 0) {
		sigset_t term, now;
		double t0;

		sigemptyset(&term);
		sigaddset(&term, SIGTERM);
		if (nm_session_init() || sigprocmask(SIG_BLOCK, &term, NULL))
			_exit(90);
		raise(SIGTERM);	/* pending: the handler has not run */
		if (nm_session_stopped())
			_exit(91);
		t0 = nm_mono();
		if (nm_session_sleep(20) || nm_session_stopped() != SIGTERM)
			_exit(92);
		if (nm_mono() - t0 > 10)
			_exit(93);
		if (sigprocmask(SIG_SETMASK, NULL, &now) || !sigismember(&now, SIGTERM))
			_exit(94);	/* the caller's mask is back */
		_exit(0);
	}
	assert_int_equal(waitpid(p, &st, 0), p);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);

	p = fork();
	assert_true(p >= 0);
	if (p == 0) {
		int fds[2];
		double t0;

		if (nm_session_init() || pipe(fds))
			_exit(90);
		t0 = nm_mono();
		/* the parent sends SIGINT while this waits on an idle pipe */
		if (nm_session_wait_fd(fds[0], 20) || nm_session_stopped() != SIGINT)
			_exit(92);
		_exit(nm_mono() - t0 > 10 ? 93 : 0);
	}
	usleep(200000);
	assert_int_equal(kill(p, SIGINT), 0);
	assert_int_equal(waitpid(p, &st, 0), p);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* A quiet helper thread has every signal blocked from its start, and the
 * caller's own mask is what it was. */
static void *report_mask(void *arg)
{
	pthread_sigmask(SIG_BLOCK, NULL, arg);
	return NULL;
}

static void test_quiet_thread_blocks_every_signal(void **state)
{
	sigset_t in_thread, before, after;
	pthread_t t;

	(void)state;
	pthread_sigmask(SIG_BLOCK, NULL, &before);
	sigemptyset(&in_thread);
	assert_int_equal(nm_thread_start_quiet(&t, report_mask, &in_thread), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	/* the standard signals (glibc keeps its own 32 and 33 unblocked) */
	for (int sig = 1; sig <= SIGSYS; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			assert_true(sigismember(&in_thread, sig));
	pthread_sigmask(SIG_BLOCK, NULL, &after);
	for (int sig = 1; sig <= SIGSYS; sig++)
		assert_int_equal(sigismember(&after, sig), sigismember(&before, sig));
	assert_false(sigismember(&after, SIGINT));
}

NM_TEST_MAIN(
	cmocka_unit_test(test_undo_newest_first_and_arg_copied),
	cmocka_unit_test(test_keep_and_undo_one),
	cmocka_unit_test(test_failed_undo_named_with_command),
	cmocka_unit_test(test_write_file_restores),
	cmocka_unit_test(test_write_file_same_value_untouched),
	cmocka_unit_test(test_write_file_missing),
	cmocka_unit_test(test_long_values_kept_whole),
	cmocka_unit_test(test_write_file_too_large_refused),
	cmocka_unit_test(test_signal_recorded_then_undone),
	cmocka_unit_test(test_second_signal_restores_and_exits),
	cmocka_unit_test(test_crash_restores),
	cmocka_unit_test(test_sigpipe_ignored),
	cmocka_unit_test(test_wait_fd_readable_or_whole_time),
	cmocka_unit_test(test_sleep_ends_on_pending_and_late_signal),
	cmocka_unit_test(test_quiet_thread_blocks_every_signal))
