// SPDX-License-Identifier: GPL-2.0
/*
 * The parser of the option table (cli.c): defaults into struct nm_args,
 * getopt_long over a command's options, each value parsed and bounded by its
 * kind, then the rules between options.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "errors.h"
#include "parse.h"
#include "policy.h"

/* Bytes of struct nm_args a kind's field takes. */
static const size_t kind_size[NM_OPT_NKINDS] = {
	[NM_OPT_FLAG] = sizeof(bool),
	[NM_OPT_CONST] = sizeof(int),
	[NM_OPT_PID] = sizeof(pid_t),
	[NM_OPT_NODE] = sizeof(int),
	[NM_OPT_NODES] = sizeof(struct nm_nodemask),
	[NM_OPT_LONG] = sizeof(long),
	[NM_OPT_PERCENT] = sizeof(double),
	[NM_OPT_SIZE] = sizeof(uint64_t),
	[NM_OPT_U64] = sizeof(uint64_t),
	[NM_OPT_STRING] = sizeof(const char *),
	[NM_OPT_SPREAD] = sizeof(struct nm_to_node),
	[NM_OPT_LIST] = sizeof(struct nm_strlist),
};

/* Every member of the union starts at its first byte, so the first
 * kind_size bytes are the value whatever the kind. */
static void store(struct nm_args *a, const struct nm_optdef *d, const union nm_optval *val)
{
	if (d->kind == NM_OPT_SPREAD) {	/* larger than the union: VAL is the node */
		struct nm_to_node *t = (struct nm_to_node *)((char *)a + d->off);

		memset(t, 0, sizeof(*t));
		t->node = val->i;
		return;
	}
	if (d->kind == NM_OPT_LIST)	/* nothing by default; set_opt appends */
		return;
	memcpy((char *)a + d->off, val, kind_size[d->kind]);
}

static void set_given(struct nm_args *a, const struct nm_optdef *d)
{
	if (d->given)
		*(bool *)((char *)a + d->given) = true;
}

/* The default of D, from the table or from the policy's defaults. */
static union nm_optval opt_default(const struct nm_optdef *d, const struct nm_policy_opts *po)
{
	const char *src = (const char *)po + d->src_off;
	union nm_optval val = d->def;
	double pd = 0;
	uint64_t pu = 0;
	unsigned int ui;

	switch (d->src) {
	case NM_DEF_TABLE:
		return val;
	case NM_DEF_POLICY_DOUBLE:
		memcpy(&pd, src, sizeof(pd));
		pu = (uint64_t)pd;
		break;
	case NM_DEF_POLICY_U64:
		memcpy(&pu, src, sizeof(pu));
		pd = (double)pu;
		break;
	case NM_DEF_POLICY_UINT:
		memcpy(&ui, src, sizeof(ui));
		pu = ui;
		pd = ui;
		break;
	}
	switch (d->kind) {
	case NM_OPT_PERCENT: val.d = pd; break;
	case NM_OPT_LONG: val.l = (long)pu; break;
	case NM_OPT_SIZE:
	case NM_OPT_U64: val.u = pu; break;
	default: break;
	}
	return val;
}

void nm_args_init(struct nm_args *a)
{
	struct nm_policy_opts po;

	memset(a, 0, sizeof(*a));
	nm_policy_opts_default(&po);
	for (size_t i = 0; i < nm_noptdefs; i++) {
		const struct nm_optdef *d = &nm_optdefs[i];
		union nm_optval val;

		if (d->kind == NM_OPT_PARSER)
			continue;
		val = opt_default(d, &po);
		store(a, d, &val);
	}
}

static int bad(const char *opt, const char *val, const char *why)
{
	nm_error("invalid --%s '%s': %s", opt, val, why);
	return -EINVAL;
}

/* Parses V (NULL: an optional argument left out) as D says and fills A. */
static int set_opt(struct nm_args *a, const struct nm_optdef *d, const char *v)
{
	char spwhy[160];
	struct nm_spread sp;
	union nm_optval val;
	const char *why = NULL;
	int r = 0;

	memset(&val, 0, sizeof(val));
	if (!v && d->has_arg == optional_argument) {
		set_given(a, d);
		return 0;
	}
	switch (d->kind) {
	case NM_OPT_FLAG: val.b = true; break;
	case NM_OPT_CONST: val.i = (int)d->min; break;
	case NM_OPT_PID: r = nm_parse_pid(v, &val.pid); break;
	case NM_OPT_NODE: r = nm_parse_node(v, &val.i); break;
	case NM_OPT_NODES: r = nm_parse_nodelist(v, &val.nodes); break;
	case NM_OPT_LONG: r = nm_parse_long(v, d->min, d->max, &val.l); break;
	case NM_OPT_PERCENT: r = nm_parse_percent(v, &val.d); break;
	case NM_OPT_SIZE:
		r = nm_parse_size(v, &val.u);
		if (!r && val.u < (uint64_t)d->min)
			r = -EINVAL;
		break;
	case NM_OPT_U64: r = nm_parse_u64(v, &val.u); break;
	case NM_OPT_STRING: val.s = v; break;
	case NM_OPT_LIST: {
		struct nm_strlist *l = (struct nm_strlist *)((char *)a + d->off);

		if (l->n >= NM_STRLIST_MAX)
			return bad(d->name, v, d->why);
		l->v[l->n++] = v;
		set_given(a, d);
		return 0;
	}
	case NM_OPT_SPREAD:
		if (nm_spread_parse(v, &sp, spwhy, sizeof(spwhy)))
			return bad(d->name, v, spwhy);
		val.i = sp.node[0];
		break;
	default: return -EINVAL;
	}
	if (r)
		why = r == -ERANGE && d->why_range ? d->why_range : d->why;
	else if (d->check)
		why = d->check(d, v, &val);
	if (why)
		return bad(d->name, v, why);
	store(a, d, &val);
	set_given(a, d);
	if (d->kind == NM_OPT_SPREAD)
		((struct nm_to_node *)((char *)a + d->off))->spread = sp;
	if (d->id == OPT_JSON)
		nm_errors_set_json(true);	/* errors from here on are JSON too */
	return 0;
}

static bool offers(const struct nm_cmddef *cmd, enum nm_optid id)
{
	for (size_t i = 0; cmd->opts[i] != OPT_NONE; i++)
		if (cmd->opts[i] == id)
			return true;
	return false;
}

/* The first rule of nm_optrules the options GIVEN break, refused. */
static int check_rules(const struct nm_cmddef *cmd, const bool *given)
{
	for (size_t i = 0; i < nm_noptrules; i++) {
		const struct nm_optrule *u = &nm_optrules[i];
		const char *na = nm_opt_find(u->a)->name, *nb = nm_opt_find(u->b)->name;

		if (!given[u->a - OPT_PID])
			continue;
		if (u->needs && !given[u->b - OPT_PID] && offers(cmd, u->b)) {
			nm_error("--%s needs --%s (%s); add --%s or leave out --%s", na, nb,
				 u->why, nb, na);
			return -EINVAL;
		}
		if (!u->needs && given[u->b - OPT_PID]) {
			nm_error("--%s and --%s exclude each other (%s); leave out one of them",
				 na, nb, u->why);
			return -EINVAL;
		}
	}
	return 0;
}

static size_t count_opts(const struct nm_cmddef *cmd)
{
	size_t n = 0;

	while (cmd->opts[n] != OPT_NONE)
		n++;
	return n;
}

int nm_cli_parse(const struct nm_cmddef *cmd, int argc, char **argv, struct nm_args *a)
{
	size_t n = count_opts(cmd);
	struct option *lo = calloc(n + 2, sizeof(*lo));
	bool given[OPT_END - OPT_PID] = { false };
	int c, err = 0;

	if (!lo)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct nm_optdef *d = nm_opt_find(cmd->opts[i]);

		lo[i] = (struct option){ d->name, d->has_arg, NULL, d->id };
	}
	lo[n] = (struct option){ "help", no_argument, NULL, OPT_HELP };
	a->cmd = cmd;
	/* --json anywhere asks for JSON errors, even for an argument before it */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--json"))
			nm_errors_set_json(true);
	optind = 0;	/* 0, not 1: glibc then resets its state fully (e.g. "-xh") */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", lo, NULL)) != -1) {
		const struct nm_optdef *d;

		if (c == 'h' || c == OPT_HELP) {
			nm_help_cmd(stdout, cmd);
			err = 1;	/* caller exits 0 */
			break;
		}
		if (c == '?' || c == ':') {
			if (optopt && optopt < 256)
				nm_error("%s: unknown option '-%c'; see 'numa-migrate %s --help'",
					 cmd->name, optopt, cmd->name);
			else if (optopt && nm_opt_find(optopt) &&
				 nm_opt_find(optopt)->has_arg == no_argument)
				nm_error("%s: --%s takes no argument (got '%s'); see "
					 "'numa-migrate %s --help'", cmd->name,
					 nm_opt_find(optopt)->name, argv[optind - 1], cmd->name);
			else if (optopt)
				nm_error("%s: option '%s' needs an argument; see 'numa-migrate %s --help'",
					 cmd->name, argv[optind - 1], cmd->name);
			else
				nm_error("%s: unknown option '%s' (or an ambiguous abbreviation); see 'numa-migrate %s --help'",
					 cmd->name, argv[optind - 1], cmd->name);
			err = -EINVAL;
			break;
		}
		d = nm_opt_find((enum nm_optid)c);
		err = d ? set_opt(a, d, optarg) : -EINVAL;
		if (err)
			break;
		given[c - OPT_PID] = true;
	}
	if (!err && optind < argc) {
		nm_error("%s: unexpected argument '%s'; see 'numa-migrate %s --help'",
			 cmd->name, argv[optind], cmd->name);
		err = -EINVAL;
	}
	if (!err)
		err = check_rules(cmd, given);
	free(lo);
	return err;
}
