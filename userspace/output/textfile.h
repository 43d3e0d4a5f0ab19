/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writes a file atomically for readers that poll it (the Prometheus node
 * exporter's textfile collector): a temporary file made with mkstemp(3) in
 * the same directory (an unpredictable name, created O_EXCL, so a symlink
 * planted there is never followed), filled, fsync'ed, then rename(2)d over
 * PATH. Readers see the old file or the new one, never a part.
 */
#ifndef NM_TEXTFILE_H
#define NM_TEXTFILE_H

#include <stdio.h>

/* Writes PATH with FILL(f, ARG) (which returns 0 or -errno), mode 0644.
 * Returns 0 or -errno; no temporary file is left behind either way. */
int nm_textfile_write(const char *path, int (*fill)(FILE *f, const void *arg), const void *arg);

/* Writes S as a Prometheus label value: backslash, quote and newline
 * escaped, control and invalid UTF-8 bytes as \xNN (so the file parses). */
void nm_prom_label(FILE *f, const char *s);

#endif
