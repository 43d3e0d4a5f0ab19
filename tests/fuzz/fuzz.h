/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the libFuzzer harnesses in this directory. */
#ifndef NM_FUZZ_H
#define NM_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

/* The parsers take C strings: the input up to its first NUL, terminated. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* A property of the parser's result that must hold: abort() so libFuzzer
 * records the input as a crash. */
#define FUZZ_CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "property violated: %s (%s:%d)\n",	\
				#cond, __FILE__, __LINE__);		\
			abort();					\
		}							\
	} while (0)

/*
 * The line half of a reader harness: PARSE (0 or -errno) fills a buffer of
 * ESIZE bytes (at most 1 KiB) from S; it must return 0, -EINVAL or ERR2 (0:
 * none other); on 0 CHECK holds of the element and the malloc'ed char * at
 * OWNED is freed.
 */
static inline void fuzz_line(const char *s, int (*parse)(const char *s, void *elem), size_t esize,
			     size_t owned, void (*check)(const void *elem), int err2)
{
	_Alignas(max_align_t) unsigned char elem[1024];
	char *own;
	int rc;

	FUZZ_CHECK(esize <= sizeof(elem));
	rc = parse(s, elem);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL || (err2 && rc == err2));
	if (rc)
		return;
	check(elem);
	memcpy(&own, elem + owned, sizeof(own));
	free(own);
}

/* The whole-text half: RC must be 0, -EINVAL or ERR2; on an error the list
 * (N elements at ARR) is left empty and BAD names a line. */
static inline void fuzz_whole(int rc, int err2, size_t bad, size_t n, const void *arr)
{
	FUZZ_CHECK(rc == 0 || rc == -EINVAL || (err2 && rc == err2));
	if (rc)
		FUZZ_CHECK(bad >= 1 && n == 0 && arr == NULL);
}

#endif
