/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the cmocka tests: capturing what a function prints on
 * stdout and stderr, and asserting on whole lines of text.
 * Include after <cmocka.h>.
 */
#ifndef NM_TESTUTIL_H
#define NM_TESTUTIL_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <json-c/json.h>

/* cmocka 1.1 has no fail_msg_at; print and fail at the caller's line. */
#define fail_msg_at(file, ln, ...) do { \
		print_error(__VA_ARGS__); \
		print_error("\n"); \
		_fail(file, ln); \
	} while (0)

/* Whether TEXT has LINE as a whole line. */
static inline bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

static inline void assert_line_(const char *text, const char *line, const char *file, int ln)
{
	if (!has_line(text, line))
		fail_msg_at(file, ln, "no line '%s' in:\n%s", line, text);
}
#define assert_line(text, line) assert_line_((text), (line), __FILE__, __LINE__)

/* Every string of the NULL-terminated list WANT is a whole line of TEXT
 * (WHOLE) or stands somewhere in it (!WHOLE); fails at the caller's line. */
static inline void assert_all_(const char *text, const char *const *want, bool whole,
			       const char *file, int ln)
{
	for (; *want; want++)
		if (whole ? !has_line(text, *want) : !strstr(text, *want))
			fail_msg_at(file, ln, "no %s '%s' in:\n%s", whole ? "line" : "text", *want,
				    text);
}
#define assert_lines(text, ...) \
	assert_all_((text), (const char *const[]){ __VA_ARGS__, NULL }, true, __FILE__, __LINE__)
#define assert_contains(text, ...) \
	assert_all_((text), (const char *const[]){ __VA_ARGS__, NULL }, false, __FILE__, __LINE__)

/* No string of the NULL-terminated list WANT stands anywhere in TEXT. */
static inline void assert_none_(const char *text, const char *const *want, const char *file, int ln)
{
	for (; *want; want++)
		if (strstr(text, *want))
			fail_msg_at(file, ln, "unexpected '%s' in:\n%s", *want, text);
}
#define assert_lacks(text, ...) \
	assert_none_((text), (const char *const[]){ __VA_ARGS__, NULL }, __FILE__, __LINE__)

/* stdout and stderr redirected to temp files between begin and end. */
struct capture {
	FILE *out, *err;	/* temp files the fds point to meanwhile */
	int saved_out, saved_err;
};

static inline void capture_begin(struct capture *c)
{
	fflush(stdout);
	fflush(stderr);
	c->out = tmpfile();
	c->err = tmpfile();
	assert_non_null(c->out);
	assert_non_null(c->err);
	c->saved_out = dup(STDOUT_FILENO);
	c->saved_err = dup(STDERR_FILENO);
	assert_true(c->saved_out >= 0 && c->saved_err >= 0);
	assert_true(dup2(fileno(c->out), STDOUT_FILENO) >= 0);
	assert_true(dup2(fileno(c->err), STDERR_FILENO) >= 0);
}

/* The whole of F, malloc'ed and NUL-terminated, or NULL. */
static inline char *slurp(FILE *f)
{
	long n;
	char *s;

	fflush(f);
	n = lseek(fileno(f), 0, SEEK_END);
	s = calloc(1, (size_t)(n > 0 ? n : 0) + 1);
	if (s && n > 0 && pread(fileno(f), s, (size_t)n, 0) != n) {
		free(s);
		return NULL;
	}
	return s;
}

/* Restores the fds; *out and *err receive what was written (malloc'ed). */
static inline void capture_end(struct capture *c, char **out, char **err)
{
	fflush(stdout);
	fflush(stderr);
	dup2(c->saved_out, STDOUT_FILENO);
	dup2(c->saved_err, STDERR_FILENO);
	close(c->saved_out);
	close(c->saved_err);
	*out = slurp(c->out);
	*err = slurp(c->err);
	fclose(c->out);
	fclose(c->err);
	assert_non_null(*out);
	assert_non_null(*err);
}

/* Ends capture C and checks what was written: exactly WANT_OUT on stdout
 * and WANT_ERR on stderr. */
static inline void capture_expect(struct capture *c, const char *want_out, const char *want_err)
{
	char *out, *err;

	capture_end(c, &out, &err);
	assert_string_equal(out, want_out);
	assert_string_equal(err, want_err);
	free(out);
	free(err);
}

/* The value at dotted PATH ("a.b.c") in json-c object O, or NULL. */
static inline struct json_object *nm_test_json_get(struct json_object *o, const char *path)
{
	char buf[256], *save = NULL, *k;

	snprintf(buf, sizeof(buf), "%s", path);
	for (k = strtok_r(buf, ".", &save); k && o; k = strtok_r(NULL, ".", &save))
		if (!json_object_object_get_ex(o, k, &o))
			return NULL;
	return o;
}

/* The fixture directory SUB: $NM_FIXTURES/SUB, else fixtures/SUB next to
 * this header, else repo-relative (tests run from the repository root). */
static inline const char *nm_test_fixtures(char *buf, size_t len, const char *sub)
{
	const char *env = getenv("NM_FIXTURES");
	const char *slash = strrchr(__FILE__, '/');
	struct stat st;

	if (env && *env) {
		snprintf(buf, len, "%s/%s", env, sub);
		return buf;
	}
	if (slash) {
		snprintf(buf, len, "%.*s/fixtures/%s", (int)(slash - __FILE__), __FILE__, sub);
		if (stat(buf, &st) == 0)
			return buf;
	}
	snprintf(buf, len, "tests/unit/fixtures/%s", sub);
	return buf;
}

/* The errors a /proc reader gives on the fixture root (fixtures/root): no
 * ROOT/proc/999, the process does not exist (-ESRCH); ROOT/proc/1235 without
 * the file, not a dead process (-ENOENT); ROOT/proc/1236's file has a bad line
 * (-EINVAL, read last so the caller can check OUT is left empty). READ wraps
 * the reader with OUT as its result. */
static inline void assert_fixture_read_errors(int (*read)(const char *root, pid_t pid, void *out),
					      void *out)
{
	static const struct { pid_t pid; int rc; } cases[] = {
		{ 999, -ESRCH }, { 1235, -ENOENT }, { 1236, -EINVAL },
	};
	char root[4096];

	nm_test_fixtures(root, sizeof(root), "root");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (read(root, cases[i].pid, out) != cases[i].rc)
			fail_msg("reading pid %d of %s: want %d", (int)cases[i].pid, root, cases[i].rc);
}

/* A test file's main(): runs its cmocka_unit_test(...) entries, in order. */
#define NM_TEST_MAIN(...)						\
	int main(void)							\
	{								\
		const struct CMUnitTest nm_tests[] = { __VA_ARGS__ };	\
		return cmocka_run_group_tests(nm_tests, NULL, NULL);	\
	}

#endif
