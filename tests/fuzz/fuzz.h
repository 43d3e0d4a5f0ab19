/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the libFuzzer harnesses in this directory. */
#ifndef NM_FUZZ_H
#define NM_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

#endif
