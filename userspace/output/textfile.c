// SPDX-License-Identifier: GPL-2.0
/* Atomic textfile writes and Prometheus label escaping (see textfile.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "json.h"
#include "textfile.h"

int nm_textfile_write(const char *path, int (*write)(void *ctx, FILE *f), void *ctx)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + 16);
	FILE *f;
	int fd, r;

	if (!tmp)
		return -ENOMEM;
	snprintf(tmp, n + 16, "%s.tmp.XXXXXX", path);
	fd = mkstemp(tmp);	/* O_CREAT|O_EXCL, a name nobody can guess */
	if (fd < 0) {
		r = -errno;
		free(tmp);
		return r;
	}
	if (fchmod(fd, 0644) || !(f = fdopen(fd, "w"))) {
		r = -errno;
		close(fd);
		goto fail;
	}
	r = write(ctx, f);
	if (fflush(f) && !r)
		r = -errno;
	if (ferror(f) && !r)
		r = -EIO;
	if (fclose(f) && !r)
		r = -errno;
	if (!r && rename(tmp, path))
		r = -errno;
	if (!r) {
		free(tmp);
		return 0;
	}
fail:
	unlink(tmp);
	free(tmp);
	return r;
}

void nm_prom_label(FILE *f, const char *s)
{
	char *e = nm_text_escape_dup(s);	/* control and invalid bytes: \xNN */

	for (const char *p = e ? e : ""; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', f);
		fputc(*p, f);
	}
	free(e);
}
