// SPDX-License-Identifier: GPL-2.0
/*
 * numa-migrate: dispatches the subcommand through the command table. Only
 * main picks the exit code. The seed forms
 *   numa-migrate --pid P --range R --to-node N [--verify]   (move)
 *   numa-migrate --pid P --check                            (check)
 * are kept working.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "cmds.h"
#include "errors.h"
#include "json.h"
#include "session.h"
#include "version.h"	/* generated from debian/changelog */

static const struct nm_cmddef *find_cmd(const char *name)
{
	for (size_t i = 0; i < nm_ncmds; i++)
		if (!strcmp(name, nm_cmds[i].name))
			return &nm_cmds[i];
	return NULL;
}

static int exit_code(int r)
{
	/* nm_cli_parse: 1 = help printed, <0 = bad arguments */
	return r > 0 ? NM_EXIT_OK : NM_EXIT_USAGE;
}

/* "check, move, ..." from the command table. */
static const char *command_list(char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < nm_ncmds && o < len; i++)
		if (!nm_cmds[i].hidden)
			o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? ", " : "",
					      nm_cmds[i].name);
	return buf;
}

static int dispatch(int argc, char **argv, struct nm_args *a)
{
	const struct nm_cmddef *cmd;
	char list[256];
	int r;

	if (argc < 2) {
		nm_help_usage(stderr, nm_cmds, nm_ncmds);
		return NM_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		nm_help_usage(stdout, nm_cmds, nm_ncmds);
		return NM_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("numa-migrate %s\n", NM_VERSION);
		return NM_EXIT_OK;
	}
	if (argv[1][0] == '-') {
		r = nm_cli_parse(&nm_seed_cmd, argc, argv, a);
		if (r)
			return exit_code(r);
		/* by name: the table's order is not part of the interface */
		a->cmd = find_cmd(a->check ? "check" : "move");
		return a->cmd->run(a);
	}
	if ((cmd = find_cmd(argv[1]))) {
		r = nm_cli_parse(cmd, argc - 1, argv + 1, a);
		if (r)
			return exit_code(r);
		return cmd->run(a);
	}
	nm_error("unknown command '%s'; commands: %s (see 'numa-migrate --help')", argv[1],
		 command_list(list, sizeof(list)));
	return NM_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	struct nm_args a;
	int rc, r;

	nm_args_init(&a);
	setvbuf(stdout, NULL, _IOLBF, 0);
	r = nm_session_init();
	if (r) {
		nm_error("cannot install signal handlers: %s", strerror(-r));
		return NM_EXIT_USAGE;
	}
	rc = dispatch(argc, argv, &a);
	/* every path: undo what the run changed, then the one JSON document */
	if (nm_session_end() && rc == NM_EXIT_OK)
		rc = NM_EXIT_MIGRATE;
	r = nm_out_finish();
	if (r == -EPIPE) {
		/* the reader went away: end as tools killed by SIGPIPE do */
		struct sigaction dfl = { .sa_handler = SIG_DFL };

		sigemptyset(&dfl.sa_mask);
		sigaction(SIGPIPE, &dfl, NULL);
		raise(SIGPIPE);
	}
	return rc;
}
