/* nmt-runas UID GID CMD [ARGS...]: run CMD with real/effective/saved uid and gid
 * set to UID/GID and no supplementary groups. The guest's busybox setpriv has no
 * --reuid/--regid/--clear-groups, so the VM tests use this to drop root. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned long parse_id(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0') {
		fprintf(stderr, "nmt-runas: bad %s '%s' (want a number)\n", what, s);
		exit(125);
	}
	return v;
}

int main(int argc, char **argv)
{
	uid_t uid;
	gid_t gid;

	if (argc < 4) {
		fprintf(stderr, "usage: nmt-runas UID GID CMD [ARGS...]\n");
		return 125;
	}
	uid = (uid_t)parse_id(argv[1], "uid");
	gid = (gid_t)parse_id(argv[2], "gid");
	if (setgroups(0, NULL) != 0) {
		perror("nmt-runas: setgroups");
		return 125;
	}
	if (setresgid(gid, gid, gid) != 0) {
		perror("nmt-runas: setresgid");
		return 125;
	}
	if (setresuid(uid, uid, uid) != 0) {
		perror("nmt-runas: setresuid");
		return 125;
	}
	execvp(argv[3], argv + 3);
	fprintf(stderr, "nmt-runas: cannot run %s: %s\n", argv[3], strerror(errno));
	return 127;
}
