// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/errors.c: errno classes, names, exit codes, and
 * the error printer. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "testutil.h"
#include <json-c/json.h>
#include "errors.h"
#include "json.h"
#include "nm.h"





static size_t count_char(const char *s, char c)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

/* ---- errno classes ------------------------------------------------------------ */

static void test_errslot_of(void **state)
{
	assert_int_equal(nm_errslot_of(EBUSY), NM_ERR_EBUSY);
	assert_int_equal(nm_errslot_of(EACCES), NM_ERR_EACCES);
	assert_int_equal(nm_errslot_of(EPERM), NM_ERR_EPERM);
	assert_int_equal(nm_errslot_of(ENOMEM), NM_ERR_ENOMEM);
	assert_int_equal(nm_errslot_of(EFAULT), NM_ERR_EFAULT);
	assert_int_equal(nm_errslot_of(ENOENT), NM_ERR_ENOENT);
	assert_int_equal(nm_errslot_of(EIO), NM_ERR_EIO);
	assert_int_equal(nm_errslot_of(EINVAL), NM_ERR_EINVAL);
	/* anything else is OTHER */
	assert_int_equal(nm_errslot_of(0), NM_ERR_OTHER);
	assert_int_equal(nm_errslot_of(ESRCH), NM_ERR_OTHER);
	assert_int_equal(nm_errslot_of(ENODEV), NM_ERR_OTHER);
	assert_int_equal(nm_errslot_of(EAGAIN), NM_ERR_OTHER);
	assert_int_equal(nm_errslot_of(9999), NM_ERR_OTHER);
	assert_int_equal(nm_errslot_of(-EBUSY), NM_ERR_OTHER);
}

static void test_errslot_name(void **state)
{
	static const char *const want[NM_ERR_SLOTS] = {
		[NM_ERR_EBUSY] = "EBUSY",
		[NM_ERR_EACCES] = "EACCES",
		[NM_ERR_EPERM] = "EPERM",
		[NM_ERR_ENOMEM] = "ENOMEM",
		[NM_ERR_EFAULT] = "EFAULT",
		[NM_ERR_ENOENT] = "ENOENT",
		[NM_ERR_EIO] = "EIO",
		[NM_ERR_EINVAL] = "EINVAL",
		[NM_ERR_UNPROCESSED] = "UNPROCESSED",
		[NM_ERR_WRONG_NODE] = "WRONG_NODE",
		[NM_ERR_OTHER] = "OTHER",
	};

	for (int s = 0; s < NM_ERR_SLOTS; s++) {
		assert_non_null(want[s]);	/* the table above covers every slot */
		assert_string_equal(nm_errslot_name(s), want[s]);
	}
	/* out of range: OTHER, not a crash */
	assert_string_equal(nm_errslot_name(NM_ERR_SLOTS), "OTHER");
	assert_string_equal(nm_errslot_name((enum nm_errslot)-1), "OTHER");
	/* name of the slot of an errno is the errno's name */
	assert_string_equal(nm_errslot_name(nm_errslot_of(EBUSY)), nm_errno_name(EBUSY));
	assert_string_equal(nm_errslot_name(nm_errslot_of(EIO)), nm_errno_name(EIO));
}

static void test_errslot_reason(void **state)
{
	for (int s = 0; s < NM_ERR_SLOTS; s++) {
		const char *r = nm_errslot_reason(s);

		assert_non_null(r);
		assert_true(strlen(r) > 10);
		/* each class has its own explanation */
		for (int t = 0; t < s; t++)
			assert_string_not_equal(r, nm_errslot_reason(t));
	}
	/* out of range: OTHER's reason */
	assert_string_equal(nm_errslot_reason(NM_ERR_SLOTS), nm_errslot_reason(NM_ERR_OTHER));
	assert_string_equal(nm_errslot_reason((enum nm_errslot)-1),
			    nm_errslot_reason(NM_ERR_OTHER));
	/* the shared-page class names the fix */
	assert_non_null(strstr(nm_errslot_reason(NM_ERR_EACCES), "--all"));
	assert_non_null(strstr(nm_errslot_reason(NM_ERR_EACCES), "CAP_SYS_NICE"));
	assert_non_null(strstr(nm_errslot_reason(NM_ERR_EBUSY), "retry"));
}

static void test_errno_name(void **state)
{
	static const struct { int err; const char *name; } want[] = {
		{ EBUSY, "EBUSY" }, { EPERM, "EPERM" }, { EACCES, "EACCES" }, { ESRCH, "ESRCH" },
		{ ENODEV, "ENODEV" }, { ENOMEM, "ENOMEM" },
		/* no name: the number */
		{ 9999, "E9999" }, { 4242, "E4242" }, { -3, "E-3" },
	};

	for (size_t i = 0; i < NM_ARRAY_SIZE(want); i++)
		assert_string_equal(nm_errno_name(want[i].err), want[i].name);
}

static void *other_thread(void *arg)
{
	/* another thread's unknown errno must not clobber ours */
	for (int i = 0; i < 10000; i++)
		if (strcmp(nm_errno_name(8888), "E8888"))
			return (void *)1;
	return NULL;
}

static void test_errno_name_thread_safe(void **state)
{
	pthread_t t;
	void *ret = (void *)2;
	int bad = 0;

	assert_int_equal(pthread_create(&t, NULL, other_thread, NULL), 0);
	for (int i = 0; i < 10000; i++)
		bad += strcmp(nm_errno_name(7777), "E7777") != 0;
	assert_int_equal(pthread_join(t, &ret), 0);
	assert_int_equal(bad, 0);
	assert_null(ret);
}

static void test_exit_for_errno(void **state)
{
	assert_int_equal(nm_exit_for_errno(EPERM), 2);
	assert_int_equal(nm_exit_for_errno(EACCES), 2);
	assert_int_equal(nm_exit_for_errno(ESRCH), 1);
	assert_int_equal(nm_exit_for_errno(EINVAL), 1);
	assert_int_equal(nm_exit_for_errno(ENODEV), 1);
	assert_int_equal(nm_exit_for_errno(EIO), 3);
	assert_int_equal(nm_exit_for_errno(EBUSY), 3);
	assert_int_equal(nm_exit_for_errno(ENOMEM), 3);
	/* and the named constants agree with the documented numbers */
	assert_int_equal(NM_EXIT_OK, 0);
	assert_int_equal(NM_EXIT_USAGE, 1);
	assert_int_equal(NM_EXIT_PERM, 2);
	assert_int_equal(NM_EXIT_MIGRATE, 3);
	assert_int_equal(nm_exit_for_errno(EPERM), NM_EXIT_PERM);
	assert_int_equal(nm_exit_for_errno(ESRCH), NM_EXIT_USAGE);
	assert_int_equal(nm_exit_for_errno(EIO), NM_EXIT_MIGRATE);
}

/* ---- nm_describe_target_error ------------------------------------------------ */

/* What nm_describe_target_error says for ERR of PID's VERB (with --all or
 * not): every HAS in it, HASNT not, or exactly EXACT. */
static const struct describe_case {
	int err, pid;
	const char *verb;
	bool all;
	const char *has[6], *hasnt, *exact;
} describe_cases[] = {
	{ ESRCH, 4321, "query", false, .has = { "process not found", "4321" } },
	/* without --all it does not blame --all */
	{ EPERM, 4321, "move", false,
	  .has = { "permission denied", "ptrace", "CAP_SYS_NICE", "4321", "to move pages" },
	  .hasnt = "--all" },
	{ EPERM, 4321, "query", false, .has = { "to query pages" } },
	{ EPERM, 4321, "move", true, .has = { "permission denied", "CAP_SYS_NICE", "--all" } },
	{ EACCES, 4321, "query", false, .has = { "permission denied", "4321", "CAP_SYS_PTRACE" } },
	{ ENODEV, 4321, "move", false, .has = { "ENODEV", "node" } },
	{ EIO, 4321, "query", false,
	  .exact = "query of pid 4321 failed: Input/output error (EIO)" },
	{ 9999, 7, "move", false, .has = { "move of pid 7 failed", "(E9999)" } },
};

static void test_describe(void **state)
{
	for (size_t i = 0; i < NM_ARRAY_SIZE(describe_cases); i++) {
		const struct describe_case *t = &describe_cases[i];
		char buf[512];
		const char *m = nm_describe_target_error(t->err, t->pid, t->verb, t->all, buf,
							 sizeof(buf));

		assert_ptr_equal(m, buf);
		for (size_t k = 0; k < NM_ARRAY_SIZE(t->has) && t->has[k]; k++)
			if (!strstr(m, t->has[k]))
				fail_msg("case %zu: no '%s' in '%s'", i, t->has[k], m);
		if (t->hasnt && strstr(m, t->hasnt))
			fail_msg("case %zu: '%s' in '%s'", i, t->hasnt, m);
		if (t->exact)
			assert_string_equal(m, t->exact);
	}
}

static void test_describe_truncates(void **state)
{
	char buf[32];

	memset(buf, 'x', sizeof(buf));
	nm_describe_target_error(EPERM, 4321, "move", false, buf, 16);
	assert_int_equal(strlen(buf), 15);
	assert_int_equal(buf[16], 'x');		/* nothing written past LEN */
	assert_memory_equal(buf, "permission deni", 15);
}

/* ---- nm_error / nm_warn -------------------------------------------------------- */

static void test_error_text_mode(void **state)
{
	struct capture c;

	nm_errors_set_json(false);
	assert_false(nm_errors_json());
	capture_begin(&c);
	nm_error("cannot open %s: %d", "/proc/1/maps", 13);
	nm_out_finish();
	capture_expect(&c, "", "ERROR: cannot open /proc/1/maps: 13\n");
}

static void test_error_json_mode(void **state)
{
	struct capture c;
	char *out, *err;
	struct json_object *o = NULL, *e = NULL;
	const char *msg = "bad \"value\" \\ here\ttab";

	nm_errors_set_json(true);
	assert_true(nm_errors_json());
	capture_begin(&c);
	nm_error("%s", msg);
	nm_out_finish();
	capture_end(&c, &out, &err);
	nm_errors_set_json(false);

	assert_string_equal(err, "ERROR: bad \"value\" \\ here\ttab\n");
	/* one line on stdout, a JSON object with exactly the message */
	assert_true(strlen(out) > 0);
	assert_int_equal(out[strlen(out) - 1], '\n');
	assert_int_equal(count_char(out, '\n'), 1);
	o = json_tokener_parse(out);
	assert_non_null(o);
	assert_true(json_object_is_type(o, json_type_object));
	assert_int_equal(json_object_object_length(o), 1);
	assert_true(json_object_object_get_ex(o, "error", &e));
	assert_string_equal(json_object_get_string(e), msg);
	json_object_put(o);
	free(out);
	free(err);
}

static void test_error_json_simple(void **state)
{
	struct capture c;
	char *out, *err;
	struct json_object *o, *e = NULL;

	nm_errors_set_json(true);
	capture_begin(&c);
	nm_error("msg");
	nm_out_finish();
	capture_end(&c, &out, &err);
	nm_errors_set_json(false);

	assert_string_equal(err, "ERROR: msg\n");
	o = json_tokener_parse(out);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "error", &e));
	assert_string_equal(json_object_get_string(e), "msg");
	json_object_put(o);
	free(out);
	free(err);
}

static void test_warn(void **state)
{
	struct capture c;
	char *out, *err;

	/* warnings never go to stdout, even in JSON mode */
	nm_errors_set_json(true);
	capture_begin(&c);
	nm_warn("low on %s", "memory");
	capture_end(&c, &out, &err);
	nm_errors_set_json(false);
	assert_string_equal(err, "warning: low on memory\n");
	assert_string_equal(out, "");
	free(out);
	free(err);
}

static void test_error_long_message(void **state)
{
	struct capture c;
	char *out, *err, *big = malloc(3000);
	struct json_object *o;

	assert_non_null(big);
	memset(big, 'a', 2999);
	big[2999] = '\0';
	nm_errors_set_json(true);
	capture_begin(&c);
	nm_error("%s", big);
	nm_out_finish();
	capture_end(&c, &out, &err);
	nm_errors_set_json(false);
	/* truncated, but still one well-formed line and valid JSON */
	assert_memory_equal(err, "ERROR: aaaa", 11);
	assert_int_equal(err[strlen(err) - 1], '\n');
	assert_int_equal(count_char(err, '\n'), 1);
	assert_int_equal(count_char(out, '\n'), 1);
	o = json_tokener_parse(out);
	assert_non_null(o);
	json_object_put(o);
	free(big);
	free(out);
	free(err);
}

NM_TEST_MAIN(
	cmocka_unit_test(test_errslot_of),
	cmocka_unit_test(test_errslot_name),
	cmocka_unit_test(test_errslot_reason),
	cmocka_unit_test(test_errno_name),
	cmocka_unit_test(test_errno_name_thread_safe),
	cmocka_unit_test(test_exit_for_errno),
	cmocka_unit_test(test_describe),
	cmocka_unit_test(test_describe_truncates),
	cmocka_unit_test(test_error_text_mode),
	cmocka_unit_test(test_error_json_mode),
	cmocka_unit_test(test_error_json_simple),
	cmocka_unit_test(test_warn),
	cmocka_unit_test(test_error_long_message))
