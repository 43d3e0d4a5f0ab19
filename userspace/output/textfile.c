// SPDX-License-Identifier: GPL-2.0
/* Atomic replacement of a polled text file, and Prometheus label escaping
 * (see textfile.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "json.h"
#include "textfile.h"

int nm_textfile_write(const char *path, int (*fill)(FILE *f, const void *arg), const void *arg)
{
	char tmp[4096];
	FILE *f;
	int fd, err;

	/* PATH.tmp.XXXXXX: the same directory, so rename stays atomic */
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	/* mkstemp makes it 0600; the exporter may read as another user */
	if (fchmod(fd, 0644)) {
		err = -errno;
		close(fd);
		unlink(tmp);
		return err;
	}
	f = fdopen(fd, "w");
	if (!f) {
		err = -errno;
		close(fd);
		unlink(tmp);
		return err;
	}
	err = fill(f, arg);
	if ((fflush(f) || fsync(fileno(f))) && !err)
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
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
