/* SPDX-License-Identifier: GPL-2.0 */
/* The deterministic fixture: numa-migrate helper. */
#ifndef NM_HELPER_H
#define NM_HELPER_H

#include <stddef.h>
#include <stdint.h>

/* The pattern word at byte offset OFF (multiple of 8) for SEED. Pure. */
uint64_t nm_pattern_word(uint64_t seed, uint64_t off);

/* Fills / checks [p, p+len) (len multiple of 8). check returns the number of
 * bytes that differ and the byte offset of the first in *first. */
void nm_pattern_fill(void *p, size_t len, uint64_t seed);
uint64_t nm_pattern_check(const void *p, size_t len, uint64_t seed, size_t *first);

struct nm_args;
int nm_helper_run(struct nm_args *a);

#endif
