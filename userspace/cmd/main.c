// SPDX-License-Identifier: GPL-2.0
/*
 * numa-migrate: dispatches the subcommand through the command table. Only
 * main picks the exit code. The seed forms
 *   numa-migrate --pid P --range R --to-node N [--verify]   (move)
 *   numa-migrate --pid P --check                            (check)
 * are kept working.
 */
#include <stdio.h>
#include <string.h>
#include "cmds.h"
#include "errors.h"

/* Seed form: the options of move plus --check. */
static const enum nm_optid seed_opts[] = {
	OPT_PID, OPT_TO_NODE, OPT_RANGE, OPT_FROM_NODE, OPT_ALL, OPT_VERIFY,
	OPT_MIN_VERIFIED, OPT_DRY_RUN, OPT_JSON, OPT_CSV, OPT_BY_MAPPING, OPT_BATCH,
	OPT_JOBS, OPT_NO_PROGRESS, OPT_NO_BPF, OPT_CHECK, OPT_NONE
};

static const struct nm_cmddef seed_cmd = {
	"move", "seed form", "numa-migrate --pid P [--range R] --to-node N [--verify] | --check",
	seed_opts, NULL, true
};

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

int main(int argc, char **argv)
{
	const struct nm_cmddef *cmd;
	struct nm_args a;
	int r;

	nm_args_init(&a);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		nm_help_usage(stdout, nm_cmds, nm_ncmds);
		return argc < 2 ? NM_EXIT_USAGE : NM_EXIT_OK;
	}
	if (argv[1][0] == '-') {
		r = nm_cli_parse(&seed_cmd, argc, argv, &a);
		if (r)
			return exit_code(r);
		/* by name: the table's order is not part of the interface */
		a.cmd = find_cmd(a.check ? "check" : "move");
		return a.cmd->run(&a);
	}
	if ((cmd = find_cmd(argv[1]))) {
		r = nm_cli_parse(cmd, argc - 1, argv + 1, &a);
		if (r)
			return exit_code(r);
		return cmd->run(&a);
	}
	nm_error("unknown command '%s'; commands: check, move, trace, auto, features, helper, help "
		 "(see 'numa-migrate --help')", argv[1]);
	return NM_EXIT_USAGE;
}
