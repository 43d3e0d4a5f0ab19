/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsers of command-line values. Each parses the whole string (no trailing
 * garbage, no sign, no overflow) and returns 0 or -EINVAL / -ERANGE.
 */
#ifndef NM_PARSE_H
#define NM_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "nm.h"

/* The digits at *S in BASE (10 or 16, no prefix), stopping at the first
 * non-digit; advances *S past them. At least one digit; -ERANGE on overflow. */
int nm_scan_digits(const char **s, unsigned int base, uint64_t *out);

/* Decimal or 0x-hex unsigned 64-bit integer. */
int nm_parse_u64(const char *s, uint64_t *out);

/* A size: an integer (decimal or 0x hex) with an optional binary suffix
 * K, M, G, T (also KB/KiB etc., case-insensitive). "0" is allowed;
 * callers reject it where it makes no sense. */
int nm_parse_size(const char *s, uint64_t *out);

/* A decimal integer in [min, max]. */
int nm_parse_long(const char *s, long min, long max, long *out);

/* A process id: decimal, 1 .. 2^22 (PID_MAX_LIMIT). */
int nm_parse_pid(const char *s, pid_t *out);

/* A node number 0 .. NM_MAX_NODES-1. */
int nm_parse_node(const char *s, int *out);

/* A node list: "0", "0,2", "1-3", "0,2-3". Ranges must be ascending. */
int nm_parse_nodelist(const char *s, struct nm_nodemask *out);

/* A percentage 0 .. 100, decimal with optional fraction. */
int nm_parse_percent(const char *s, double *out);

/* Formats BYTES as "512.0 MiB" into buf. Returns buf. */
const char *nm_fmt_bytes(uint64_t bytes, char *buf, size_t len);

#endif
