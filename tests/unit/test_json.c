// SPDX-License-Identifier: GPL-2.0
/* The output layer's strings: valid UTF-8 in JSON, escaped control bytes in
 * text (issue #11 points 3 and 4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>
#include "testutil.h"
#include <json-c/json.h>
#include "errors.h"
#include "json.h"

/* The JSON text of nm_json_str(S), parsed back: what a strict reader sees. */
static char *roundtrip(const char *s)
{
	struct json_object *o = nm_json_str(s), *back;
	const char *txt = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	char *r;

	/* json-c's parser validates UTF-8 only loosely: check it here too */
	for (const unsigned char *p = (const unsigned char *)txt; *p; p++)
		assert_true(*p != 0xff && *p != 0xfe && *p != 0xc0 && *p != 0xc1);
	back = json_tokener_parse(txt);
	assert_non_null(back);
	r = strdup(json_object_get_string(back));
	json_object_put(back);
	json_object_put(o);
	return r;
}

/* IN through nm_json_str, printed and parsed back, reads WANT. */
static void same_back(const char *in, const char *want)
{
	char *r = roundtrip(in);

	assert_string_equal(r, want);
	free(r);
}

static void test_str_valid_utf8_kept(void **state)
{
	same_back("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 /tmp/a b",
		  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 /tmp/a b");
}

static void test_str_invalid_bytes_escaped(void **state)
{
	same_back("/tmp/\xff\xfe-x", "/tmp/\\xff\\xfe-x");
	/* a lone continuation byte, a truncated sequence at the end */
	same_back("a\x80" "b\xe2\x82", "a\\x80b\\xe2\\x82");
}

static void test_str_overlong_and_surrogates(void **state)
{
	/* overlong "/" (0xc0 0xaf), a UTF-16 surrogate (U+D800), past U+10FFFF */
	same_back("\xc0\xaf|\xed\xa0\x80|\xf4\x90\x80\x80",
		  "\\xc0\\xaf|\\xed\\xa0\\x80|\\xf4\\x90\\x80\\x80");
}

static void test_str_control_bytes_json_escaped(void **state)
{
	struct json_object *o = nm_json_str("a\x1b[2Jb\r\x07");
	const char *txt = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);

	/* json-c writes them as \u00XX: no raw control byte in the JSON text */
	for (const char *p = txt; *p; p++)
		assert_true((unsigned char)*p >= 0x20);
	assert_non_null(strstr(txt, "\\u001b"));
	json_object_put(o);
	assert_null(nm_json_str(NULL));
}

static void test_text_escape(void **state)
{
	char buf[64];

	assert_string_equal(nm_text_escape("evil\x1b]0;pwned\x07\r", buf, sizeof(buf)),
			    "evil\\x1b]0;pwned\\x07\\x0d");
	assert_string_equal(nm_text_escape("tab\there\x7f", buf, sizeof(buf)),
			    "tab\\x09here\\x7f");
	/* valid UTF-8 stays readable, invalid bytes are shown */
	assert_string_equal(nm_text_escape("caf\xc3\xa9\xff", buf, sizeof(buf)),
			    "caf\xc3\xa9\\xff");
	assert_string_equal(nm_text_escape(NULL, buf, sizeof(buf)), "");
}

static void test_text_escape_truncates_whole(void **state)
{
	char buf[10];

	/* 6 characters fit before "...": an escape is kept whole or left out */
	nm_text_escape("ab\x1b" "cdefgh", buf, sizeof(buf));
	assert_string_equal(buf, "ab\\x1b...");
	nm_text_escape("abc\x1b" "defgh", buf, sizeof(buf));
	assert_string_equal(buf, "abc...");
	nm_text_escape("abcdefghijk", buf, sizeof(buf));
	assert_string_equal(buf, "abcdef...");
}

static void test_by_node(void **state)
{
	uint64_t v[4] = { 5, 0, 7, 0 };
	struct json_object *o = nm_json_by_node(v, 4), *a = nm_json_by_node_all(v, 4);

	assert_string_equal(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
			    "{\"0\":5,\"2\":7}");
	assert_string_equal(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN),
			    "{\"0\":5,\"1\":0,\"2\":7,\"3\":0}");
	json_object_put(o);
	json_object_put(a);
}

/* Seconds are written to the millisecond, alone and keyed by node. */
static void test_secs(void **state)
{
	double v[3] = { 1.23456, 0, 0.5 };
	struct json_object *o = nm_json_secs(1.23456), *n = nm_json_by_node_secs(v, 3);

	assert_string_equal(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN), "1.235");
	assert_string_equal(json_object_to_json_string_ext(n, JSON_C_TO_STRING_PLAIN),
			    "{\"0\":1.235,\"2\":0.500}");
	json_object_put(o);
	json_object_put(n);
}

/* One document: the report, with the errors reported meanwhile inside. */
static void test_one_document_with_error(void **state)
{
	struct capture c;
	char *out, *err;
	struct json_object *doc = json_object_new_object(), *back, *e;

	json_object_object_add(doc, "pid", json_object_new_int(42));
	nm_errors_set_json(true);
	capture_begin(&c);
	nm_out_json(doc);
	nm_error("process %d exited during the query", 42);
	nm_error("second");
	assert_int_equal(nm_out_finish(), 0);
	capture_end(&c, &out, &err);
	nm_errors_set_json(false);
	back = json_tokener_parse(out);
	assert_non_null(back);
	/* exactly one document: parsing consumed all but the final newline */
	assert_int_equal(out[strlen(out) - 1], '\n');
	assert_null(strstr(out, "}\n{"));
	assert_true(json_object_object_get_ex(back, "pid", &e));
	assert_true(json_object_object_get_ex(back, "error", &e));
	assert_string_equal(json_object_get_string(e), "process 42 exited during the query");
	assert_true(json_object_object_get_ex(back, "errors", &e));
	assert_int_equal(json_object_array_length(e), 2);
	json_object_put(back);
	free(out);
	free(err);
}

static void test_no_document_in_text_mode(void **state)
{
	struct capture c;

	nm_errors_set_json(false);
	capture_begin(&c);
	nm_out_json(json_object_new_object());
	nm_error("text mode");
	assert_int_equal(nm_out_finish(), 0);
	capture_expect(&c, "", "ERROR: text mode\n");
}

static void test_print_reports_epipe(void **state)
{
	int fds[2];
	FILE *f;

	assert_int_equal(pipe(fds), 0);
	close(fds[0]);
	f = fdopen(fds[1], "w");
	assert_non_null(f);
	/* SIGPIPE as main sets it: ignored, so the write fails with EPIPE */
	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(nm_json_print(f, json_object_new_object()), -EPIPE);
	fclose(f);
}

NM_TEST_MAIN(
	cmocka_unit_test(test_str_valid_utf8_kept),
	cmocka_unit_test(test_str_invalid_bytes_escaped),
	cmocka_unit_test(test_str_overlong_and_surrogates),
	cmocka_unit_test(test_str_control_bytes_json_escaped),
	cmocka_unit_test(test_text_escape),
	cmocka_unit_test(test_text_escape_truncates_whole),
	cmocka_unit_test(test_by_node),
	cmocka_unit_test(test_secs),
	cmocka_unit_test(test_one_document_with_error),
	cmocka_unit_test(test_no_document_in_text_mode),
	cmocka_unit_test(test_print_reports_epipe))
