// SPDX-License-Identifier: GPL-2.0
/* The helper's seed-derived fill pattern: one 64-bit word per 8 bytes. */
#include "helper.h"

/* splitmix64 finaliser: cheap, and every offset gives a distinct word, so a
 * page copied to the wrong place is caught as surely as a changed byte. */
uint64_t nm_pattern_word(uint64_t seed, uint64_t off)
{
	/* the added constant keeps word(0, 0) from being 0, which a zeroed
	 * buffer would otherwise match */
	uint64_t z = seed * 0x9e3779b97f4a7c15ULL + off + 0x632be59bd9b4e019ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void nm_pattern_fill(void *p, size_t len, uint64_t seed)
{
	uint64_t *w = p;

	for (size_t i = 0; i < len / 8; i++)
		w[i] = nm_pattern_word(seed, i * 8);
}

uint64_t nm_pattern_check(const void *p, size_t len, uint64_t seed, size_t *first)
{
	const volatile uint64_t *w = p;
	uint64_t bad = 0;

	for (size_t i = 0; i < len / 8; i++) {
		uint64_t x = w[i] ^ nm_pattern_word(seed, i * 8);

		if (!x)
			continue;
		if (!bad && first)
			*first = i * 8 + (size_t)(__builtin_ctzll(x) / 8);
		for (; x; x >>= 8)
			bad += (x & 0xff) != 0;
	}
	return bad;
}
