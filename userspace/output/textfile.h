/* SPDX-License-Identifier: GPL-2.0 */
/* Writing a file others read while we rewrite it (Prometheus textfiles):
 * a new temporary made with mkstemp in the same directory (never a name an
 * attacker can plant a symlink at), then rename over the old one. */
#ifndef NM_TEXTFILE_H
#define NM_TEXTFILE_H

#include <stdio.h>

/* Calls WRITE(CTX, f) on a temporary next to PATH and renames it to PATH
 * (mode 0644). 0, WRITE's -errno, or -errno of the file operations. */
int nm_textfile_write(const char *path, int (*write)(void *ctx, FILE *f), void *ctx);

/* Writes S as a Prometheus label value: backslash, quote and newline
 * escaped, control and invalid UTF-8 bytes as \xNN (so the file parses). */
void nm_prom_label(FILE *f, const char *s);

#endif
