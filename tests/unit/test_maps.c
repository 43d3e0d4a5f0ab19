// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/maps.c. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
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
#include "maps.h"
#include "testutil.h"
#include "procstream.h"

/* The fake ROOT (testutil.h: $NM_FIXTURES, next to the sources, or
 * repo-relative). */
static const char *fixture_root(char *buf, size_t len)
{
	return nm_test_fixtures(buf, len, "root");
}

static void assert_vma(const struct nm_vma *v, uint64_t start, uint64_t end,
		       const char *perms, enum nm_vma_kind kind, const char *path)
{
	assert_int_equal(v->start, start);
	assert_int_equal(v->end, end);
	assert_string_equal(v->perms, perms);
	assert_int_equal(v->kind, kind);
	if (path)
		assert_string_equal(v->path, path);
	else
		assert_null(v->path);
}

static void test_line_anon(void **state)
{
	struct nm_vma v;

	assert_int_equal(nm_maps_parse_line(
		"7f3a2c000000-7f3a4c000000 rw-p 00000000 00:00 0", &v), 0);
	assert_vma(&v, 0x7f3a2c000000, 0x7f3a4c000000, "rw-p", NM_VMA_ANON, NULL);
	assert_int_equal(v.offset, 0);
	assert_int_equal(v.inode, 0);

	/* What the kernel really prints: a space after the inode, a newline. */
	assert_int_equal(nm_maps_parse_line(
		"7f3a2c000000-7f3a4c000000 rw-p 00000000 00:00 0 \n", &v), 0);
	assert_vma(&v, 0x7f3a2c000000, 0x7f3a4c000000, "rw-p", NM_VMA_ANON, NULL);
}

static void test_line_named(void **state)
{
	struct nm_vma v;

	assert_int_equal(nm_maps_parse_line("55d0c0a00000-55d0c0a21000 rw-p 00000000 00:00 0"
		"                          [heap]\n", &v), 0);
	assert_vma(&v, 0x55d0c0a00000, 0x55d0c0a21000, "rw-p", NM_VMA_HEAP, "[heap]");
	free(v.path);

	assert_int_equal(nm_maps_parse_line("7ffd1c000000-7ffd1c021000 rw-p 00000000 00:00 0 [stack]", &v), 0);
	assert_vma(&v, 0x7ffd1c000000, 0x7ffd1c021000, "rw-p", NM_VMA_STACK, "[stack]");
	free(v.path);

	assert_int_equal(nm_maps_parse_line("7f0000000000-7f0000001000 rw-p 00000000 00:00 0 [stack:4321]", &v), 0);
	assert_int_equal(v.kind, NM_VMA_STACK);
	free(v.path);

	assert_int_equal(nm_maps_parse_line("7ffd1c1f4000-7ffd1c1f6000 r-xp 00000000 00:00 0 [vdso]", &v), 0);
	assert_vma(&v, 0x7ffd1c1f4000, 0x7ffd1c1f6000, "r-xp", NM_VMA_SPECIAL, "[vdso]");
	free(v.path);

	assert_int_equal(nm_maps_parse_line("7ffd1c1f0000-7ffd1c1f4000 r--p 00000000 00:00 0 [vvar]", &v), 0);
	assert_int_equal(v.kind, NM_VMA_SPECIAL);
	free(v.path);

	assert_int_equal(nm_maps_parse_line("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0"
		"                  [vsyscall]", &v), 0);
	assert_vma(&v, 0xffffffffff600000, 0xffffffffff601000, "--xp", NM_VMA_SPECIAL, "[vsyscall]");
	free(v.path);

	assert_int_equal(nm_maps_parse_line("7f3a4c001000-7f3a4c801000 rw-p 00000000 00:00 0 [anon:worker arena]", &v), 0);
	assert_vma(&v, 0x7f3a4c001000, 0x7f3a4c801000, "rw-p", NM_VMA_ANON, "[anon:worker arena]");
	free(v.path);

	assert_int_equal(nm_maps_parse_line("7f3a4c001000-7f3a4c801000 rw-s 00000000 00:01 9 [anon_shmem:cache]", &v), 0);
	assert_int_equal(v.kind, NM_VMA_ANON);
	free(v.path);

	assert_int_equal(nm_maps_parse_line("7f0000000000-7f0000001000 rw-s 00000000 00:0e 12 anon_inode:[perf_event]", &v), 0);
	assert_vma(&v, 0x7f0000000000, 0x7f0000001000, "rw-s", NM_VMA_SPECIAL, "anon_inode:[perf_event]");
	free(v.path);
}

static void test_line_file(void **state)
{
	struct nm_vma v;

	assert_int_equal(nm_maps_parse_line("7f3a50028000-7f3a501bd000 r-xp 00028000 fd:01 2097300"
		"                    /usr/lib/x86_64-linux-gnu/libc.so.6\n", &v), 0);
	assert_vma(&v, 0x7f3a50028000, 0x7f3a501bd000, "r-xp", NM_VMA_FILE,
		   "/usr/lib/x86_64-linux-gnu/libc.so.6");
	assert_int_equal(v.offset, 0x28000);
	assert_int_equal(v.inode, 2097300);
	free(v.path);

	/* Spaces inside the path (kept, including a double and a trailing
	 * one), and the " (deleted)" marker kept verbatim. */
	assert_int_equal(nm_maps_parse_line("7f3a60000000-7f3a60100000 rw-s 00000000 00:05 4242"
		"   /tmp/my  data file (deleted)", &v), 0);
	assert_vma(&v, 0x7f3a60000000, 0x7f3a60100000, "rw-s", NM_VMA_FILE,
		   "/tmp/my  data file (deleted)");
	free(v.path);

	assert_int_equal(nm_maps_parse_line("1000-2000 r--p 00000000 08:01 1 /a b ", &v), 0);
	assert_string_equal(v.path, "/a b ");
	free(v.path);

	/* Major numbers above 0xff print with more digits. */
	assert_int_equal(nm_maps_parse_line("1000-2000 r--p 00001000 103:02 77 /x", &v), 0);
	assert_int_equal(v.offset, 0x1000);
	assert_int_equal(v.inode, 77);
	free(v.path);
}

static void check_bad(const char *line)
{
	struct nm_vma v;
	int rc = nm_maps_parse_line(line, &v);

	if (rc != -EINVAL)
		fail_msg("nm_maps_parse_line(\"%s\") = %d, want -EINVAL", line, rc);
}

static void test_line_bad(void **state)
{
	static const char good[] = "7f3a2c000000-7f3a4c000000 rw-p 00000000 00:00 0";
	char buf[sizeof(good)];

	/* Every truncation of a valid line (its last field is one digit). */
	for (size_t n = 0; n < sizeof(good) - 1; n++) {
		memcpy(buf, good, n);
		buf[n] = '\0';
		check_bad(buf);
	}
	check_bad("\n");
	check_bad(" 7f3a2c000000-7f3a4c000000 rw-p 00000000 00:00 0");
	check_bad("-7f3a2c000000-7f3a4c000000 rw-p 00000000 00:00 0");
	check_bad("0x7f3a2c000000-7f3a4c000000 rw-p 00000000 00:00 0");
	check_bad("7f3a2c000000--7f3a4c000000 rw-p 00000000 00:00 0");
	check_bad("7f3a2c000000-7f3a4c000000  rw-p 00000000 00:00 0");
	check_bad("7f3a2c000000-7f3a4c000000 rwzp 00000000 00:00 0");
	check_bad("7f3a2c000000-7f3a4c000000 rw-x 00000000 00:00 0");
	check_bad("7f3a2c000000-7f3a4c000000 rw- 00000000 00:00 0");
	check_bad("7f3a2c000000-7f3a4c000000 rw-pp 00000000 00:00 0");
	check_bad("7f3a2c000000-7f3a4c000000 rw-p 0000000g 00:00 0");
	check_bad("7f3a2c000000-7f3a4c000000 rw-p 00000000 0000 0");
	check_bad("7f3a2c000000-7f3a4c000000 rw-p 00000000 00:00 x");
	check_bad("7f3a2c000000-7f3a4c000000 rw-p 00000000 00:00 -1");
	check_bad("7f3a2c000000-7f3a4c000000 rw-p 00000000 00:00 0abc");
	check_bad("7f3a2c000000-7f3a4c000000 rw-p 00000000 00:00 0\t[heap]");
	check_bad("7f3a4c000000-7f3a2c000000 rw-p 00000000 00:00 0");	/* end < start */
	check_bad("7f3a2c000000-7f3a2c000000 rw-p 00000000 00:00 0");	/* empty */
	check_bad("10000000000000000-10000000000000001 rw-p 00000000 00:00 0");
	check_bad("1000-2000 rw-p 00000000 00:00 99999999999999999999999");
	/* Two lines are not one. */
	check_bad("1000-2000 rw-p 00000000 00:00 0\n3000-4000 rw-p 00000000 00:00 0");
	check_bad("1000-2000 rw-p 00000000 00:00 0\n\n");
	assert_int_equal(nm_maps_parse_line(NULL, &(struct nm_vma){ 0 }), -EINVAL);
}

static void test_migratable(void **state)
{
	struct nm_vma v = { .start = 0x1000, .end = 0x2000, .kind = NM_VMA_ANON };

	strcpy(v.perms, "rw-p");
	assert_true(nm_vma_is_migratable(&v));
	strcpy(v.perms, "r--p");
	assert_true(nm_vma_is_migratable(&v));
	strcpy(v.perms, "--xp");
	assert_true(nm_vma_is_migratable(&v));
	strcpy(v.perms, "---p");		/* guard page */
	assert_false(nm_vma_is_migratable(&v));
	strcpy(v.perms, "---s");
	assert_false(nm_vma_is_migratable(&v));

	strcpy(v.perms, "r-xp");
	v.kind = NM_VMA_SPECIAL;		/* [vdso] */
	assert_false(nm_vma_is_migratable(&v));
	v.kind = NM_VMA_FILE;
	assert_true(nm_vma_is_migratable(&v));
	v.kind = NM_VMA_HEAP;
	assert_true(nm_vma_is_migratable(&v));
	v.kind = NM_VMA_STACK;
	assert_true(nm_vma_is_migratable(&v));
}

static void test_kind_name(void **state)
{
	assert_string_equal(nm_vma_kind_name(NM_VMA_ANON), "anon");
	assert_string_equal(nm_vma_kind_name(NM_VMA_HEAP), "heap");
	assert_string_equal(nm_vma_kind_name(NM_VMA_STACK), "stack");
	assert_string_equal(nm_vma_kind_name(NM_VMA_FILE), "file");
	assert_string_equal(nm_vma_kind_name(NM_VMA_SPECIAL), "special");
	assert_string_equal(nm_vma_kind_name((enum nm_vma_kind)42), "unknown");
}

static void test_parse_text(void **state)
{
	struct nm_vma_list l;
	size_t bad = 0;

	assert_int_equal(nm_maps_parse("1000-2000 rw-p 00000000 00:00 0 \n"
				       "2000-3000 ---p 00000000 00:00 0 \n"
				       "3000-5000 r--p 00000000 08:01 5 /lib/x.so", &l, &bad), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(bad, 0);
	assert_vma(&l.v[0], 0x1000, 0x2000, "rw-p", NM_VMA_ANON, NULL);
	assert_vma(&l.v[1], 0x2000, 0x3000, "---p", NM_VMA_ANON, NULL);
	assert_vma(&l.v[2], 0x3000, 0x5000, "r--p", NM_VMA_FILE, "/lib/x.so");
	nm_vma_list_free(&l);
	assert_null(l.v);
	assert_int_equal(l.n, 0);

	assert_int_equal(nm_maps_parse("", &l, &bad), 0);
	assert_int_equal(l.n, 0);
	nm_vma_list_free(&l);

	assert_int_equal(nm_maps_parse("1000-2000 rw-p 00000000 00:00 0\n"
				       "2000-3000 rw-p 00000000 00:00 0\n"
				       "3000-2000 rw-p 00000000 00:00 0\n", &l, &bad), -EINVAL);
	assert_int_equal(bad, 3);
	assert_int_equal(l.n, 0);
	assert_null(l.v);

	/* An empty line in the middle is corruption, not padding. */
	assert_int_equal(nm_maps_parse("1000-2000 rw-p 00000000 00:00 0\n\n"
				       "2000-3000 rw-p 00000000 00:00 0\n", &l, &bad), -EINVAL);
	assert_int_equal(bad, 2);

	/* bad_line may be NULL. */
	assert_int_equal(nm_maps_parse("junk\n", &l, NULL), -EINVAL);
}

/* Many lines: the list grows past its first allocation. */
static void test_parse_many(void **state)
{
	size_t n = 1000, len = n * 64;
	char *text = malloc(len), *p = text;
	struct nm_vma_list l;

	assert_non_null(text);
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%zx-%zx rw-p 00000000 00:00 0 \n",
			     (i + 1) * 0x2000, (i + 1) * 0x2000 + 0x1000);
	assert_int_equal(nm_maps_parse(text, &l, NULL), 0);
	assert_int_equal(l.n, n);
	assert_int_equal(l.v[n - 1].start, n * 0x2000);
	nm_vma_list_free(&l);
	free(text);
}

static void test_read_fixture(void **state)
{
	struct nm_vma_list l;
	char root[PATH_MAX];

	fixture_root(root, sizeof(root));
	assert_int_equal(nm_maps_read(root, 1234, &l), 0);
	assert_int_equal(l.n, 14);
	assert_vma(&l.v[0], 0x55d0c09ff000, 0x55d0c0a00000, "r--p", NM_VMA_FILE, "/usr/bin/app");
	assert_vma(&l.v[1], 0x55d0c0a00000, 0x55d0c0a21000, "rw-p", NM_VMA_HEAP, "[heap]");
	assert_vma(&l.v[2], 0x7f3a2c000000, 0x7f3a4c000000, "rw-p", NM_VMA_ANON, NULL);
	assert_vma(&l.v[3], 0x7f3a4c000000, 0x7f3a4c001000, "---p", NM_VMA_ANON, NULL);
	assert_vma(&l.v[4], 0x7f3a4c001000, 0x7f3a4c801000, "rw-p", NM_VMA_ANON, "[anon:worker arena]");
	assert_vma(&l.v[8], 0x7f3a60000000, 0x7f3a60100000, "rw-s", NM_VMA_FILE,
		   "/tmp/my data file (deleted)");
	assert_vma(&l.v[10], 0x7ffd1c000000, 0x7ffd1c021000, "rw-p", NM_VMA_STACK, "[stack]");
	assert_vma(&l.v[13], 0xffffffffff600000, 0xffffffffff601000, "--xp", NM_VMA_SPECIAL, "[vsyscall]");
	assert_false(nm_vma_is_migratable(&l.v[3]));
	assert_false(nm_vma_is_migratable(&l.v[7]));
	assert_false(nm_vma_is_migratable(&l.v[11]));
	assert_false(nm_vma_is_migratable(&l.v[12]));
	assert_false(nm_vma_is_migratable(&l.v[13]));
	nm_vma_list_free(&l);
}

static int read_maps(const char *root, pid_t pid, void *out)
{
	return nm_maps_read(root, pid, out);
}

static void test_read_errors(void **state)
{
	struct nm_vma_list l;

	assert_fixture_read_errors(read_maps, &l);
	assert_int_equal(l.n, 0);
	assert_int_equal(nm_maps_read("/nonexistent-root", 1, &l), -ESRCH);
}

/* Reads ROOT/proc/5/maps as an unprivileged user: root bypasses file
 * permissions, so as root the read runs in a child that drops to nobody. */
static int read_unprivileged(const char *root)
{
	struct nm_vma_list l;
	pid_t pid;
	int status, rc;

	if (geteuid() != 0) {
		rc = nm_maps_read(root, 5, &l);
		if (rc == 0)
			nm_vma_list_free(&l);
		return rc;
	}
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(100);
		rc = nm_maps_read(root, 5, &l);
		_exit(rc == -EACCES ? 0 : 1);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -ECHILD;
	if (WEXITSTATUS(status) == 100)
		return -EPERM;		/* could not drop privileges */
	return WEXITSTATUS(status) == 0 ? -EACCES : -EIO;
}

/* A maps file we may not read: EACCES is passed through, not ESRCH. */
static void test_read_eacces(void **state)
{
	char dir[] = "/tmp/nm-maps-XXXXXX", path[PATH_MAX];
	int fd, rc;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/proc", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/proc/5", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/proc/5/maps", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0);
	assert_true(fd >= 0);
	close(fd);
	rc = read_unprivileged(dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/proc/5", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/proc", dir);
	rmdir(path);
	rmdir(dir);
	if (rc == -EPERM)
		skip();
	assert_int_equal(rc, -EACCES);
}

/* The real /proc (ROOT ""): our own maps has a [stack] and our code. */
static void test_read_self(void **state)
{
	struct nm_vma_list l;
	int stack = 0, special = 0;

	assert_int_equal(nm_maps_read("", getpid(), &l), 0);
	assert_true(l.n > 3);
	for (size_t i = 0; i < l.n; i++) {
		assert_true(l.v[i].start < l.v[i].end);
		if (i)
			assert_true(l.v[i - 1].end <= l.v[i].start);
		stack += l.v[i].kind == NM_VMA_STACK;
		special += l.v[i].kind == NM_VMA_SPECIAL;
	}
	assert_int_equal(stack, 1);
	assert_true(special >= 1);	/* [vdso] at least */
	nm_vma_list_free(&l);
	assert_int_equal(nm_maps_read(NULL, getpid(), &l), 0);
	nm_vma_list_free(&l);
}

/* Lines of the fixture's maps: how many, and whether any came early. */
struct gate {
	int asked, open_after;	/* ready once asked this often; -1: never */
	int lines, early;
	bool open;		/* said ready */
};

static int gate_ready(void *ctx, bool block)
{
	struct gate *g = ctx;

	g->asked++;
	if (g->open_after < 0)
		return block ? -ECANCELED : 0;
	g->open = block || g->asked > g->open_after;
	return g->open;
}

static int gate_line(void *ctx, const char *line)
{
	struct gate *g = ctx;

	g->lines++;
	g->early += !g->open;
	return line[0] ? 0 : -EINVAL;
}

/* A read that starts before its consumer: every line, none before ready,
 * and none at all when the consumer never is. */
static void test_each_line_when_ready(void **state)
{
	char root[PATH_MAX];
	struct gate g = { .open_after = 1000 };

	fixture_root(root, sizeof(root));
	assert_int_equal(nm_proc_each_line_when(root, 1234, "maps", gate_line, &g, gate_ready,
						NULL), 0);
	assert_int_equal(g.lines, 14);
	assert_int_equal(g.early, 0);
	assert_true(g.asked >= 2);	/* not ready between reads, waited for at the end */
	g = (struct gate){ .open_after = -1 };
	assert_int_equal(nm_proc_each_line_when(root, 1234, "maps", gate_line, &g, gate_ready,
						NULL), -ECANCELED);
	assert_int_equal(g.lines, 0);
	g = (struct gate){ .open = true };
	assert_int_equal(nm_proc_each_line_when(root, 1234, "maps", gate_line, &g, NULL, NULL), 0);
	assert_int_equal(g.lines, 14);
	assert_int_equal(g.asked, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_anon),
		cmocka_unit_test(test_line_named),
		cmocka_unit_test(test_line_file),
		cmocka_unit_test(test_line_bad),
		cmocka_unit_test(test_migratable),
		cmocka_unit_test(test_kind_name),
		cmocka_unit_test(test_parse_text),
		cmocka_unit_test(test_parse_many),
		cmocka_unit_test(test_read_fixture),
		cmocka_unit_test(test_read_errors),
		cmocka_unit_test(test_read_eacces),
		cmocka_unit_test(test_read_self),
		cmocka_unit_test(test_each_line_when_ready),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
