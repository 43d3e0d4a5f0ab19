// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/pagemap.c. */
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
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "testutil.h"
#include "pagemap.h"

static void test_decode(void **state)
{
	struct nm_pagemap_entry e;

	nm_pagemap_decode(0, &e);
	assert_false(e.present);
	assert_false(e.swapped);
	assert_false(e.file_or_shared);
	assert_false(e.exclusive);
	assert_int_equal(e.pfn, 0);

	nm_pagemap_decode(NM_PM_PRESENT | NM_PM_EXCLUSIVE | NM_PM_SOFT_DIRTY | 0x12345, &e);
	assert_true(e.present);
	assert_false(e.swapped);
	assert_false(e.file_or_shared);
	assert_true(e.exclusive);
	assert_int_equal(e.pfn, 0x12345);

	/* The PFN field is bits 0-54 only. */
	nm_pagemap_decode(NM_PM_PRESENT | NM_PM_FILE | NM_PM_PFN_MASK, &e);
	assert_true(e.file_or_shared);
	assert_int_equal(e.pfn, (1ULL << 55) - 1);

	/* Present without CAP_SYS_ADMIN: the kernel zeroes the PFN. */
	nm_pagemap_decode(NM_PM_PRESENT, &e);
	assert_true(e.present);
	assert_int_equal(e.pfn, 0);

	/* Swapped: bits 0-54 are swap type/offset, not a PFN. */
	nm_pagemap_decode(NM_PM_SWAP | 0x3e1, &e);
	assert_false(e.present);
	assert_true(e.swapped);
	assert_int_equal(e.pfn, 0);

	/* Not present: whatever the low bits, no PFN. */
	nm_pagemap_decode(0x777, &e);
	assert_int_equal(e.pfn, 0);
}

static uint64_t *thp(uint64_t first_pfn)
{
	uint64_t *raw = calloc(512, sizeof(*raw));

	assert_non_null(raw);
	for (size_t i = 0; i < 512; i++)
		raw[i] = NM_PM_PRESENT | NM_PM_EXCLUSIVE | (first_pfn + i);
	return raw;
}

static void test_pmd_contiguous(void **state)
{
	uint64_t *raw = thp(0x40000);

	assert_true(nm_pagemap_pmd_contiguous(raw, 512));

	raw[300] = NM_PM_PRESENT | (0x40000 + 301);	/* a gap */
	assert_false(nm_pagemap_pmd_contiguous(raw, 512));
	raw[300] = NM_PM_PRESENT | (0x40000 + 300);
	assert_true(nm_pagemap_pmd_contiguous(raw, 512));

	raw[511] = 0;					/* last page not present */
	assert_false(nm_pagemap_pmd_contiguous(raw, 512));
	raw[511] = NM_PM_SWAP | (0x40000 + 511);	/* swapped, same low bits */
	assert_false(nm_pagemap_pmd_contiguous(raw, 512));
	free(raw);

	raw = thp(0x40001);				/* contiguous, misaligned */
	assert_false(nm_pagemap_pmd_contiguous(raw, 512));
	free(raw);

	raw = thp(0);					/* PFNs hidden */
	for (size_t i = 0; i < 512; i++)
		raw[i] = NM_PM_PRESENT;
	assert_false(nm_pagemap_pmd_contiguous(raw, 512));
	assert_false(nm_pagemap_pmd_contiguous(raw, 0));
	assert_false(nm_pagemap_pmd_contiguous(NULL, 512));
	free(raw);
}

/* A fake ROOT with proc/42/pagemap holding entry i = i * 3 + 1. */
struct fake {
	char dir[64], file[128];
};

static void make_fake(struct fake *f, size_t entries)
{
	char path[128];
	FILE *fp;

	strcpy(f->dir, "/tmp/nm-pagemap-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(path, sizeof(path), "%s/proc", f->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/proc/42", f->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(f->file, sizeof(f->file), "%s/proc/42/pagemap", f->dir);
	fp = fopen(f->file, "w");
	assert_non_null(fp);
	for (uint64_t i = 0; i < entries; i++) {
		uint64_t v = i * 3 + 1;

		assert_int_equal(fwrite(&v, sizeof(v), 1, fp), 1);
	}
	assert_int_equal(fclose(fp), 0);
}

static void remove_fake(struct fake *f)
{
	char path[128];

	unlink(f->file);
	snprintf(path, sizeof(path), "%s/proc/42", f->dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/proc", f->dir);
	rmdir(path);
	rmdir(f->dir);
}

static void test_open_read(void **state)
{
	struct fake f;
	uint64_t out[4] = { 0 };
	int fd;

	make_fake(&f, 64);
	fd = nm_pagemap_open(f.dir, 42);
	assert_true(fd >= 0);

	/* Page 10 at 4 KiB is entry 10, at offset 80. */
	assert_int_equal(nm_pagemap_read(fd, 10 * 4096, 4096, 4, out), 0);
	assert_int_equal(out[0], 31);
	assert_int_equal(out[3], 40);
	/* An unaligned address reads its page's entry. */
	assert_int_equal(nm_pagemap_read(fd, 10 * 4096 + 123, 4096, 1, out), 0);
	assert_int_equal(out[0], 31);
	/* Page size 2 MiB: address 4 MiB is entry 2. */
	assert_int_equal(nm_pagemap_read(fd, 4ULL << 20, 2ULL << 20, 1, out), 0);
	assert_int_equal(out[0], 7);
	/* The last entries, exactly. */
	assert_int_equal(nm_pagemap_read(fd, 60 * 4096, 4096, 4, out), 0);
	assert_int_equal(out[3], 63 * 3 + 1);
	/* Nothing to read. */
	assert_int_equal(nm_pagemap_read(fd, 0, 4096, 0, out), 0);

	/* Short reads: straddling the end, and past it. */
	assert_int_equal(nm_pagemap_read(fd, 62 * 4096, 4096, 4, out), -EIO);
	assert_int_equal(nm_pagemap_read(fd, 100 * 4096, 4096, 1, out), -EIO);

	/* Page sizes that are not powers of two, an offset beyond off_t. */
	assert_int_equal(nm_pagemap_read(fd, 0, 0, 1, out), -EINVAL);
	assert_int_equal(nm_pagemap_read(fd, 0, 4095, 1, out), -EINVAL);
	assert_int_equal(nm_pagemap_read(fd, UINT64_MAX, 1, 1, out), -EOVERFLOW);
	close(fd);

	assert_int_equal(nm_pagemap_read(-1, 0, 4096, 1, out), -EBADF);
	remove_fake(&f);
}

static void test_open_errors(void **state)
{
	struct fake f;

	make_fake(&f, 1);
	assert_int_equal(nm_pagemap_open(f.dir, 43), -ESRCH);
	unlink(f.file);
	assert_int_equal(nm_pagemap_open(f.dir, 42), -ENOENT);
	remove_fake(&f);
}

/* The real thing: a page we touched is present in our own pagemap. */
static void test_read_self(void **state)
{
	long ps = sysconf(_SC_PAGESIZE);
	struct nm_pagemap_entry e;
	char *page;
	uint64_t raw[2];
	int fd;

	page = mmap(NULL, (size_t)ps * 2, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(page != MAP_FAILED);
	page[0] = 1;				/* first page populated */
	fd = nm_pagemap_open("", getpid());
	if (fd == -ENOENT || fd == -EACCES || fd == -EPERM) {
		munmap(page, (size_t)ps * 2);
		skip();
	}
	assert_true(fd >= 0);
	assert_int_equal(nm_pagemap_read(fd, (uintptr_t)page, (uint64_t)ps, 2, raw), 0);
	nm_pagemap_decode(raw[0], &e);
	assert_true(e.present);
	assert_false(e.swapped);
	nm_pagemap_decode(raw[1], &e);
	assert_false(e.present);		/* never touched */
	close(fd);
	munmap(page, (size_t)ps * 2);
}

NM_TEST_MAIN(
	cmocka_unit_test(test_decode),
	cmocka_unit_test(test_pmd_contiguous),
	cmocka_unit_test(test_open_read),
	cmocka_unit_test(test_open_errors),
	cmocka_unit_test(test_read_self))
