// SPDX-License-Identifier: GPL-2.0
/*
 * The generators of --help, the man page and the bash completion, from the
 * command and option tables of cli.h, so they cannot disagree with the
 * parser.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

const char nm_exit_codes_text[] =
	"0  success\n"
	"1  invalid arguments, or process not found\n"
	"2  permission denied (the message names the missing privilege: CAP_SYS_NICE, ptrace access)\n"
	"3  migration failure: pages busy or failed for a reason other than already on the "
	"target or not present, verification below --min-verified, the target exited "
	"during the move (partial report), or a thread refused --pin-threads; for diagnose: "
	"a finding blocks the move\n"
	"4  auto only: nothing to act on here: this host has a single NUMA node, or this kernel "
	"offers no hook that attributes NUMA hinting faults to addresses (see 'numa-migrate "
	"features')\n";

static void opt_synopsis(char *buf, size_t len, const struct nm_optdef *d)
{
	if (d->has_arg == required_argument)
		snprintf(buf, len, "--%s %s", d->name, d->argname);
	else if (d->has_arg == optional_argument)
		snprintf(buf, len, "--%s[=%s]", d->name, d->argname);
	else
		snprintf(buf, len, "--%s", d->name);
}

/* Each visible command's name, between BEFORE and AFTER. */
static void cmd_names(FILE *f, const struct nm_cmddef *cmds, size_t n, const char *before,
		      const char *after)
{
	for (size_t i = 0; i < n; i++)
		if (!cmds[i].hidden)
			fprintf(f, "%s%s%s", before, cmds[i].name, after);
}

void nm_help_usage(FILE *f, const struct nm_cmddef *cmds, size_t n)
{
	fprintf(f, "Usage: numa-migrate COMMAND [OPTIONS]\n"
		"       numa-migrate --pid PID --range RANGE --to-node N [--verify]  (seed form of move)\n"
		"       numa-migrate --pid PID --check                              (seed form of check)\n"
		"       numa-migrate --version\n\n"
		"Shows where a process's memory lives across NUMA nodes, moves it, and proves\n"
		"the move held.\n\nCommands:\n");
	for (size_t i = 0; i < n; i++)
		if (!cmds[i].hidden)
			fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\nRun 'numa-migrate COMMAND --help' for a command's options.\n\n"
		"Exit codes:\n");
	for (const char *p = nm_exit_codes_text; *p;) {
		const char *e = strchr(p, '\n');

		fprintf(f, "  %.*s\n", (int)(e - p), p);
		p = e + 1;
	}
}

void nm_help_cmd(FILE *f, const struct nm_cmddef *cmd)
{
	char syn[64];

	fprintf(f, "Usage: numa-migrate %s [OPTIONS]\n\n%s\n\n%s\n\nOptions:\n", cmd->name,
		cmd->summary, cmd->description);
	for (size_t i = 0; cmd->opts[i] != OPT_NONE; i++) {
		const struct nm_optdef *d = nm_opt_find(cmd->opts[i]);

		opt_synopsis(syn, sizeof(syn), d);
		fprintf(f, "  %-26s %s\n", syn, d->help);
	}
	fprintf(f, "  %-26s %s\n\nExit codes:\n%s", "-h, --help", "show this help",
		nm_exit_codes_text);
}

/* roff needs '-' as '\-' in option names and a leading '.' or '\'' escaped */
static void roff(FILE *f, const char *s)
{
	bool bol = true;

	for (; *s; s++) {
		if (bol && (*s == '.' || *s == '\''))
			fputs("\\&", f);
		if (*s == '-')
			fputs("\\-", f);
		else if (*s == '\\')
			fputs("\\e", f);
		else
			fputc(*s, f);
		bol = *s == '\n';
	}
}

void nm_help_man(FILE *f, const struct nm_cmddef *cmds, size_t n)
{
	char syn[64];

	fprintf(f, ".TH NUMA-MIGRATE 8 \"\" \"numa-migrate\" \"System Administration\"\n"
		".SH NAME\nnuma\\-migrate \\- show, move and verify a process's memory across NUMA nodes\n"
		".SH SYNOPSIS\n");
	cmd_names(f, cmds, n, ".B numa\\-migrate ", "\n[\\fIOPTIONS\\fR]\n.br\n");
	fprintf(f, ".B numa\\-migrate \\-\\-version\n.br\n");
	fprintf(f, ".SH DESCRIPTION\n");
	roff(f, "numa-migrate shows where a running process's memory lives across NUMA "
	     "nodes, moves it where it should be with move_pages(2), and proves the move held.\n");
	fprintf(f, ".SH COMMANDS\n");
	for (size_t i = 0; i < n; i++) {
		if (cmds[i].hidden)
			continue;
		fprintf(f, ".SS %s\n", cmds[i].name);
		roff(f, cmds[i].summary);
		fprintf(f, "\n.PP\n");
		roff(f, cmds[i].description);
		fprintf(f, "\n");
		for (size_t k = 0; cmds[i].opts[k] != OPT_NONE; k++) {
			const struct nm_optdef *d = nm_opt_find(cmds[i].opts[k]);

			opt_synopsis(syn, sizeof(syn), d);
			fprintf(f, ".TP\n.B ");
			roff(f, syn);
			fprintf(f, "\n");
			roff(f, d->help);
			fprintf(f, "\n");
		}
	}
	fprintf(f, ".SH EXIT STATUS\n");
	for (const char *p = nm_exit_codes_text; *p;) {
		const char *e = strchr(p, '\n');
		char line[512];

		snprintf(line, sizeof(line), "%.*s", (int)(e - p), p);
		fprintf(f, ".TP\n.B %c\n", line[0]);
		roff(f, line + 3);
		fprintf(f, "\n");
		p = e + 1;
	}
	fprintf(f, ".SH SEE ALSO\n.BR move_pages (2),\n.BR migratepages (8),\n.BR numastat (8)\n"
		".PP\nThe documentation in the numa\\-migrate source, docs/README.md: a page per "
		"command (docs/COMMAND.md) with examples and its JSON fields, docs/ranges.md, "
		"docs/exit\\-codes.md, docs/json.md, docs/metrics.md, docs/service.md (the "
		"numa\\-migrate\\-auto@.service unit), docs/tiers.md.\n");
}

void nm_help_bash(FILE *f, const struct nm_cmddef *cmds, size_t n)
{
	fprintf(f, "# bash completion for numa-migrate (generated by 'numa-migrate help "
		"--bash-completion')\n_numa_migrate()\n{\n"
		"    local cur=${COMP_WORDS[COMP_CWORD]} cmd=${COMP_WORDS[1]}\n"
		"    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
		"        COMPREPLY=( $(compgen -W \"");
	cmd_names(f, cmds, n, "", " ");
	fprintf(f, "--pid --help\" -- \"$cur\") )\n        return\n    fi\n"
		"    case \"${COMP_WORDS[COMP_CWORD-1]}\" in\n"
		"        --pid) COMPREPLY=( $(compgen -W \"$(ls /proc | grep -E '^[0-9]+$')\" -- \"$cur\") ); return;;\n"
		"    esac\n    case \"$cmd\" in\n");
	for (size_t i = 0; i < n; i++) {
		if (cmds[i].hidden)
			continue;
		fprintf(f, "        %s) COMPREPLY=( $(compgen -W \"", cmds[i].name);
		for (size_t k = 0; cmds[i].opts[k] != OPT_NONE; k++)
			fprintf(f, "--%s ", nm_opt_find(cmds[i].opts[k])->name);
		fprintf(f, "--help\" -- \"$cur\") );;\n");
	}
	fprintf(f, "    esac\n}\ncomplete -F _numa_migrate numa-migrate\n");
}
