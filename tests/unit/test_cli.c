// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/cli.c: nm_cli_parse and the help, man page and
 * bash completion generators. */
#include <errno.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "testutil.h"
#include <json-c/json.h>
#include "cli.h"
#include "json.h"
#include "errors.h"
#include "policy.h"

/* ---- command definitions built here from nm_optdefs ------------------------ */

static int run_nothing(struct nm_args *a)
{
	return 0;
}

static const enum nm_optid move_opts[] = {
	OPT_PID, OPT_TO_NODE, OPT_RANGE, OPT_FROM_NODE, OPT_ALL, OPT_VERIFY,
	OPT_MIN_VERIFIED, OPT_DRY_RUN, OPT_JSON, OPT_CSV, OPT_BATCH, OPT_JOBS,
	OPT_NO_PROGRESS, OPT_NO_BPF, OPT_NONE
};
static const enum nm_optid check_opts[] = {
	OPT_PID, OPT_RANGE, OPT_BY_MAPPING, OPT_JSON, OPT_CSV, OPT_BATCH, OPT_JOBS,
	OPT_NO_PROGRESS, OPT_NONE
};
static const enum nm_optid helper_opts[] = {
	OPT_SIZE, OPT_NODE, OPT_SEED, OPT_THP, OPT_NO_THP, OPT_ACCESS_NODE, OPT_THREADS,
	OPT_FORK_CHILD, OPT_NONE
};
static const enum nm_optid help_opts[] = { OPT_MAN, OPT_BASH, OPT_NONE };
static const enum nm_optid secret_opts[] = { OPT_CHECK, OPT_NONE };

static const struct nm_cmddef move_cmd = {
	"move", "move pages to a node", "Moves the pages of a process to --to-node.",
	move_opts, run_nothing, false
};

static const struct nm_cmddef cmds[] = {
	{ "check", "show which nodes pages are on", "Counts pages per node.",
	  check_opts, run_nothing, false },
	{ "move", "move pages to a node", "Moves the pages of a process to --to-node.",
	  move_opts, run_nothing, false },
	{ "helper", "run a test process", "Allocates memory with a pattern.",
	  helper_opts, run_nothing, false },
	{ "help", "show help", "Prints help, the man page or completion.",
	  help_opts, run_nothing, false },
	{ "zzsecret", "a hidden command", "Never documented.",
	  secret_opts, run_nothing, true },
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))
#define HELPER_CMD (&cmds[2])
#define CHECK_CMD (&cmds[0])
#define HELP_CMD (&cmds[3])


/* Every option the table defines, as one command's list. */
static enum nm_optid every_opts[64];
static struct nm_cmddef every_cmd = {
	"every", "every option", "A command that takes every option.",
	every_opts, run_nothing, false
};

static void build_every(void)
{
	size_t k = 0;

	assert_true(nm_noptdefs < NM_ARRAY_SIZE(every_opts));
	for (size_t i = 0; i < nm_noptdefs; i++)
		if (nm_optdefs[i].id != OPT_HELP)
			every_opts[k++] = nm_optdefs[i].id;
	every_opts[k] = OPT_NONE;
}





/* ---- parsing helpers ---------------------------------------------------------- */

/* What a parse printed. */
static char *p_out, *p_err;

static void free_printed(void)
{
	free(p_out);
	free(p_err);
	p_out = p_err = NULL;
}

/* nm_args_init, then nm_cli_parse of the NULL-terminated ARGV with stdout
 * and stderr captured into p_out / p_err. */
static int parse_argv(const struct nm_cmddef *cmd, struct nm_args *a, char **argv)
{
	struct capture c;
	int argc = 0, r;

	while (argv[argc])
		argc++;
	free_printed();
	nm_errors_set_json(false);	/* as a fresh process starts */
	nm_args_init(a);
	capture_begin(&c);
	r = nm_cli_parse(cmd, argc, argv, a);
	nm_out_finish();	/* what main does after every command */
	capture_end(&c, &p_out, &p_err);
	return r;
}

#define ARGV(...) ((char *[]){ __VA_ARGS__, NULL })
#define PARSE(cmd, a, ...) parse_argv((cmd), (a), ARGV(__VA_ARGS__))

/* glibc keeps getopt's position inside a short-option cluster between calls
 * unless optind is set to 0; start every test from a clean state. glibc also
 * takes the ordering ('+': stop at the first non-option) only when it
 * (re)initialises, so this must use "+" like nm_cli_parse does. */
static void reset_getopt(void)
{
	char *argv[] = { (char *)"x", NULL };

	optind = 0;
	opterr = 0;
	while (getopt(1, argv, "+") != -1)
		;
}

static int setup(void **state)
{
	reset_getopt();
	nm_errors_set_json(false);
	build_every();
	return 0;
}

static int teardown(void **state)
{
	free_printed();
	nm_errors_set_json(false);
	reset_getopt();
	return 0;
}

/* An invalid parse: -EINVAL, one "ERROR: " line on stderr containing each
 * of the NULL-terminated strings, nothing on stdout (in JSON mode: the one
 * {"error": ...} document with the same message). */
static void assert_invalid(const struct nm_cmddef *cmd, char **argv, ...)
{
	struct nm_args a;
	const char *want;
	va_list ap;
	int r = parse_argv(cmd, &a, argv);
	size_t nl = 0;

	if (r != -EINVAL)
		fail_msg("'%s %s %s': expected -EINVAL, got %d (stderr: %s)", argv[0],
			 argv[1] ? argv[1] : "", argv[1] && argv[2] ? argv[2] : "", r, p_err);
	assert_int_equal(strncmp(p_err, "ERROR: ", 7), 0);
	for (const char *s = p_err; *s; s++)
		nl += *s == '\n';
	assert_int_equal(nl, 1);
	if (nm_errors_json()) {
		struct json_object *o = json_tokener_parse(p_out), *e;

		if (!o || !json_object_object_get_ex(o, "error", &e))
			fail_msg("JSON mode: stdout '%s' is not an {\"error\": ...} document", p_out);
		assert_int_equal(strncmp(p_err + 7, json_object_get_string(e),
					 strlen(json_object_get_string(e))), 0);
		json_object_put(o);
	} else {
		assert_string_equal(p_out, "");
	}
	va_start(ap, argv);
	while ((want = va_arg(ap, const char *)))
		if (!strstr(p_err, want)) {
			va_end(ap);
			fail_msg("error message '%s' does not contain '%s'", p_err, want);
		}
	va_end(ap);
}

#define INVALID(cmd, argv, ...) assert_invalid((cmd), argv, __VA_ARGS__, (const char *)NULL)

/* ---- tables --------------------------------------------------------------------- */

static void test_opt_table(void **state)
{
	/* every id is found, names are unique, argnames where arguments are */
	for (size_t i = 0; i < nm_noptdefs; i++) {
		const struct nm_optdef *d = &nm_optdefs[i];

		assert_ptr_equal(nm_opt_find(d->id), d);
		assert_non_null(d->name);
		assert_non_null(d->help);
		assert_true(strlen(d->help) > 0);
		assert_null(strchr(d->name, '='));
		assert_true(d->name[0] != '-');
		if (d->has_arg != no_argument)
			assert_non_null(d->argname);
		for (size_t k = 0; k < i; k++) {
			assert_string_not_equal(nm_optdefs[k].name, d->name);
			assert_int_not_equal(nm_optdefs[k].id, d->id);
		}
	}
	assert_null(nm_opt_find(OPT_NONE));
	assert_string_equal(nm_opt_find(OPT_TO_NODE)->name, "to-node");
	assert_int_equal(nm_opt_find(OPT_VERIFY)->has_arg, optional_argument);
	assert_int_equal(nm_opt_find(OPT_PID)->has_arg, required_argument);
	assert_int_equal(nm_opt_find(OPT_JSON)->has_arg, no_argument);
}

/* Bytes of struct nm_args a kind fills (0: none). */
static size_t kind_bytes(enum nm_optkind k)
{
	switch (k) {
	case NM_OPT_FLAG: return sizeof(bool);
	case NM_OPT_CONST: case NM_OPT_NODE: return sizeof(int);
	case NM_OPT_PID: return sizeof(pid_t);
	case NM_OPT_NODES: return sizeof(struct nm_nodemask);
	case NM_OPT_LONG: return sizeof(long);
	case NM_OPT_PERCENT: return sizeof(double);
	case NM_OPT_SIZE: case NM_OPT_U64: return sizeof(uint64_t);
	case NM_OPT_STRING: return sizeof(const char *);
	case NM_OPT_SPREAD: return sizeof(struct nm_to_node);
	case NM_OPT_LIST: return sizeof(struct nm_strlist);
	default: return 0;
	}
}

/* Issue #12 point 5: every option says in the table what it is and what
 * it fills, consistently. */
static void test_opt_table_kinds(void **state)
{
	for (size_t i = 0; i < nm_noptdefs; i++) {
		const struct nm_optdef *d = &nm_optdefs[i];
		bool valued = d->kind != NM_OPT_FLAG && d->kind != NM_OPT_CONST;

		if (d->id == OPT_HELP) {
			assert_int_equal(d->kind, NM_OPT_PARSER);
			continue;
		}
		if (d->kind == NM_OPT_PARSER || d->kind >= NM_OPT_NKINDS)
			fail_msg("--%s: no kind in the option table", d->name);
		/* a flag takes no argument, a value one */
		if (valued == (d->has_arg == no_argument))
			fail_msg("--%s: kind %d but has_arg %d", d->name, d->kind, d->has_arg);
		/* the field and the given-bool lie inside struct nm_args, past cmd */
		assert_true(d->off >= sizeof(void *));
		assert_true(d->off + kind_bytes(d->kind) <= sizeof(struct nm_args));
		assert_true(d->given == 0 || d->given + sizeof(bool) <= sizeof(struct nm_args));
		/* a value that can be refused has a reason */
		if (valued && d->kind != NM_OPT_STRING && !d->why)
			fail_msg("--%s: no reason for refused values", d->name);
		if (d->check && !d->why)
			fail_msg("--%s: a check but no reason", d->name);
		if (d->kind == NM_OPT_LONG)
			assert_true(d->min <= d->max);
		/* options filling one field (--thp, --no-thp) agree on its default */
		for (size_t k = 0; k < i; k++)
			if (nm_optdefs[k].kind != NM_OPT_PARSER && nm_optdefs[k].off == d->off) {
				assert_int_equal(nm_optdefs[k].kind, d->kind);
				assert_memory_equal(&nm_optdefs[k].def, &d->def, kind_bytes(d->kind));
			}
	}
}

/* A command offering only option ID (so no rule between options applies). */
static enum nm_optid one_opts[2];
static struct nm_cmddef one_cmd = { "one", "one option", "Takes one option.", one_opts,
				    run_nothing, false };

static const struct nm_cmddef *only(enum nm_optid id)
{
	one_opts[0] = id;
	one_opts[1] = OPT_NONE;
	return &one_cmd;
}

/* A valid value of D's kind, other than its default where the kind allows. */
static const char *sample_value(const struct nm_optdef *d, char *buf, size_t len)
{
	switch (d->kind) {
	case NM_OPT_PID: case NM_OPT_U64: return "7";
	case NM_OPT_NODE: case NM_OPT_NODES: case NM_OPT_SPREAD: return "1";
	case NM_OPT_LONG:
		snprintf(buf, len, "%ld", d->def.l == d->max ? d->min : d->max);
		return buf;
	case NM_OPT_PERCENT: return "99.5";
	case NM_OPT_SIZE: return "1G";
	case NM_OPT_STRING:	/* the one --policy takes; --cold-sensor has its names */
		return d->id == OPT_COLD_SENSOR ? "damon" : "bind";
	case NM_OPT_LIST: return "heap=0:1";	/* --spread */
	default: return NULL;
	}
}

/* Each option, given alone, changes exactly the field the table names (and
 * its given-bool), to something other than the default. */
static void test_each_option_fills_its_field(void **state)
{
	for (size_t i = 0; i < nm_noptdefs; i++) {
		const struct nm_optdef *d = &nm_optdefs[i];
		struct nm_args def, a;
		char opt[64], buf[32];
		const char *v;
		unsigned char *p = (unsigned char *)&a, *q = (unsigned char *)&def;

		if (d->kind == NM_OPT_PARSER)
			continue;
		v = sample_value(d, buf, sizeof(buf));
		if (v)
			snprintf(opt, sizeof(opt), "--%s=%s", d->name, v);
		else
			snprintf(opt, sizeof(opt), "--%s", d->name);
		nm_args_init(&def);
		def.cmd = &one_cmd;
		if (PARSE(only(d->id), &a, "one", opt) != 0)
			fail_msg("'%s' alone: refused (%s)", opt, p_err);
		for (size_t b = 0; b < sizeof(a); b++) {
			bool in_field = b >= d->off && b < d->off + kind_bytes(d->kind);
			bool in_given = d->given && b == d->given;

			if (!in_field && !in_given && p[b] != q[b])
				fail_msg("'%s' changed byte %zu of nm_args outside its field "
					 "(offset %zu)", opt, b, d->off);
		}
		if (!memcmp(p + d->off, q + d->off, kind_bytes(d->kind)) &&
		    !(d->kind == NM_OPT_CONST && d->min == d->def.i))
			fail_msg("'%s' left its field at the default", opt);
		if (d->given)
			assert_true(*(bool *)(p + d->given));
	}
}

/* The defaults come from one place: the table, or for auto's knobs the
 * policy's own defaults. */
static void test_defaults_from_table_and_policy(void **state)
{
	struct nm_policy_opts po;
	struct nm_args a;

	nm_policy_opts_default(&po);
	nm_args_init(&a);
	assert_true(a.share == po.share_pct);
	assert_int_equal(a.min_samples, po.min_samples);
	assert_int_equal(a.stable, po.stable);
	assert_int_equal(a.cooldown, po.cooldown);
	assert_int_equal(a.mapping_quorum, po.mapping_quorum);
	assert_int_equal(a.demote_cold, po.demote_cold);
	assert_int_equal(a.reserve, po.reserve_bytes);
	/* the rest as the table says */
	for (size_t i = 0; i < nm_noptdefs; i++) {
		const struct nm_optdef *d = &nm_optdefs[i];

		if (d->kind == NM_OPT_PARSER || d->src != NM_DEF_TABLE)
			continue;
		/* a spread's default is its node (first); the rest is zero; a
		 * list starts empty (the union has no member for it) */
		if (memcmp((char *)&a + d->off, &d->def,
			   d->kind == NM_OPT_SPREAD ? sizeof(int) :
			   d->kind == NM_OPT_LIST ? 0 : kind_bytes(d->kind)))
			fail_msg("--%s: nm_args_init does not store the table's default", d->name);
	}
	assert_int_equal(a.duration, 10);
	assert_int_equal(a.granularity, 2ULL << 20);
	assert_int_equal(a.interval, 2);
	assert_int_equal(a.max_rate, 0);
	assert_int_equal(a.watch, 0);
}

/* A "(default N)" in an option's help is what nm_args_init stores: parsing
 * N gives the default field. */
static void test_help_states_the_real_default(void **state)
{
	size_t checked = 0;

	for (size_t i = 0; i < nm_noptdefs; i++) {
		const struct nm_optdef *d = &nm_optdefs[i];
		const char *p = strstr(d->help, "default ");
		char val[32], opt[64];
		size_t n = 0;
		struct nm_args def, a;

		if (!p || d->kind == NM_OPT_PARSER || d->kind == NM_OPT_FLAG)
			continue;
		for (p += strlen("default "); n + 1 < sizeof(val) &&
		     ((*p >= '0' && *p <= '9') || *p == '.' || (*p >= 'A' && *p <= 'Z')); p++)
			val[n++] = *p;
		val[n] = '\0';
		if (!n || val[0] < '0' || val[0] > '9')
			continue;	/* "default: online CPUs" */
		snprintf(opt, sizeof(opt), "--%s=%s", d->name, val);
		nm_args_init(&def);
		if (PARSE(only(d->id), &a, "one", opt) != 0)
			fail_msg("--%s: the help's default '%s' is refused: %s", d->name, val, p_err);
		if (memcmp((char *)&a + d->off, (char *)&def + d->off, kind_bytes(d->kind)))
			fail_msg("--%s: the help says default %s, nm_args_init stores another",
				 d->name, val);
		checked++;
	}
	/* min-verified, seed, batch, duration, granularity, interval, share,
	 * min-samples, stable, cooldown, reserve, max-rate, mapping-quorum,
	 * demote-cold */
	assert_true(checked >= 14);
}

/* The rules name two different options of the table, with a reason. */
static void test_opt_rules_table(void **state)
{
	assert_true(nm_noptrules > 0);
	for (size_t i = 0; i < nm_noptrules; i++) {
		const struct nm_optrule *u = &nm_optrules[i];

		assert_non_null(nm_opt_find(u->a));
		assert_non_null(nm_opt_find(u->b));
		assert_int_not_equal(u->a, u->b);
		assert_true(u->a != OPT_HELP && u->b != OPT_HELP);
		assert_non_null(u->why);
		assert_true(strlen(u->why) > 0);
		for (size_t k = 0; k < i; k++) {
			const struct nm_optrule *o = &nm_optrules[k];

			if ((o->a == u->a && o->b == u->b) ||
			    (!o->needs && !u->needs && o->a == u->b && o->b == u->a))
				fail_msg("rule %zu repeats rule %zu", i, k);
		}
	}
}

/* The defaults nm_args_init sets, and a parse that gives no option keeps. */
static void assert_defaults(const struct nm_args *a)
{
	assert_int_equal(a->pid, 0);
	assert_false(a->pid_set);
	assert_null(a->range);
	assert_int_equal(a->to_node, -1);
	assert_false(a->to_node_set);
	assert_int_equal(a->from.bits, 0);
	assert_false(a->from_set);
	assert_false(a->verify);
	assert_int_equal(a->verify_s, -1);
	assert_true(a->min_verified == 90.0);
	assert_int_equal(a->seed, 42);
	assert_int_equal(a->thp, -1);
	assert_int_equal(a->batch, 16384);
	assert_int_equal(a->jobs, 0);
	assert_int_equal(a->threads, 0);
	assert_int_equal(a->node, -1);
	assert_int_equal(a->access_node, -1);
}

static void test_args_init(void **state)
{
	struct nm_args a;

	memset(&a, 0x5a, sizeof(a));
	nm_args_init(&a);
	assert_null(a.cmd);
	assert_defaults(&a);
}

/* ---- valid input --------------------------------------------------------------- */

static void test_parse_valid_move(void **state)
{
	struct nm_args a;
	char **argv = ARGV("move", "--pid", "42", "--to-node", "1", "--verify=10",
			   "--min-verified", "95.5", "--from-node", "0,2-3", "--json",
			   "--batch", "512", "--jobs", "2", "--range", "512M");

	assert_int_equal(parse_argv(&move_cmd, &a, argv), 0);
	assert_string_equal(p_err, "");
	assert_string_equal(p_out, "");
	assert_ptr_equal(a.cmd, &move_cmd);
	assert_int_equal(a.pid, 42);
	assert_true(a.pid_set);
	assert_non_null(a.range);
	assert_string_equal(a.range, "512M");
	assert_ptr_equal(a.range, argv[16]);
	assert_int_equal(a.to_node, 1);
	assert_true(a.to_node_set);
	assert_int_equal(a.from.bits, (1ULL << 0) | (1ULL << 2) | (1ULL << 3));
	assert_true(a.from_set);
	assert_false(a.all);
	assert_false(a.dry_run);
	assert_true(a.json);
	assert_false(a.csv);
	assert_false(a.by_mapping);
	assert_false(a.no_progress);
	assert_false(a.no_bpf);
	assert_false(a.check);
	assert_true(a.verify);
	assert_int_equal(a.verify_s, 10);
	assert_true(a.min_verified == 95.5);
	assert_int_equal(a.size, 0);
	assert_false(a.size_set);
	assert_int_equal(a.node, -1);
	assert_false(a.node_set);
	assert_int_equal(a.seed, 42);
	assert_int_equal(a.thp, -1);
	assert_int_equal(a.access_node, -1);
	assert_false(a.access_set);
	assert_int_equal(a.threads, 0);
	assert_false(a.fork_child);
	assert_int_equal(a.batch, 512);
	assert_int_equal(a.jobs, 2);
	assert_false(a.man);
	assert_false(a.bash);
	/* --json also switches the error printer to JSON */
	assert_true(nm_errors_json());
}

static void test_parse_flags(void **state)
{
	struct nm_args a;

	assert_int_equal(PARSE(&move_cmd, &a, "move", "--pid=7", "--all", "--dry-run", "--csv",
			       "--no-progress"), 0);
	assert_int_equal(a.pid, 7);
	assert_true(a.all);
	assert_true(a.dry_run);
	assert_true(a.csv);
	assert_false(a.json);
	assert_true(a.no_progress);
	assert_false(a.no_bpf);
	assert_false(a.verify);
	assert_false(nm_errors_json());
	/* --no-bpf and --verify mean nothing with --dry-run: apart */
	assert_int_equal(PARSE(&move_cmd, &a, "move", "--no-bpf", "--verify"), 0);
	assert_false(a.dry_run);
	assert_true(a.no_bpf);
	assert_true(a.verify);
}

static void test_parse_verify_without_value(void **state)
{
	struct nm_args a;

	assert_int_equal(PARSE(&move_cmd, &a, "move", "--pid", "42", "--verify"), 0);
	assert_true(a.verify);
	assert_int_equal(a.verify_s, -1);

	assert_int_equal(PARSE(&move_cmd, &a, "move", "--verify", "--pid", "42"), 0);
	assert_true(a.verify);
	assert_int_equal(a.verify_s, -1);
	assert_int_equal(a.pid, 42);

	assert_int_equal(PARSE(&move_cmd, &a, "move", "--verify=86400"), 0);
	assert_int_equal(a.verify_s, 86400);
}

static void test_parse_defaults(void **state)
{
	struct nm_args a;

	assert_int_equal(PARSE(&move_cmd, &a, "move"), 0);
	assert_ptr_equal(a.cmd, &move_cmd);
	assert_defaults(&a);
}

static void test_parse_bounds_accepted(void **state)
{
	struct nm_args a;

	assert_int_equal(PARSE(&move_cmd, &a, "move", "--pid", "4194304", "--to-node", "63",
			       "--verify", "--min-verified", "100", "--batch", "1048576", "--jobs", "64",
			       "--from-node", "63"), 0);
	assert_int_equal(a.pid, 4194304);
	assert_int_equal(a.to_node, 63);
	assert_true(a.min_verified == 100.0);
	assert_int_equal(a.batch, 1048576);
	assert_int_equal(a.jobs, 64);
	assert_int_equal(a.from.bits, 1ULL << 63);

	assert_int_equal(PARSE(&move_cmd, &a, "move", "--pid", "1", "--to-node", "0",
			       "--verify", "--min-verified", "0", "--batch", "1", "--jobs", "1"), 0);
	assert_int_equal(a.pid, 1);
	assert_int_equal(a.to_node, 0);
	assert_true(a.to_node_set);
	assert_true(a.min_verified == 0.0);
	assert_int_equal(a.batch, 1);
	assert_int_equal(a.jobs, 1);
}

static void test_parse_helper(void **state)
{
	struct nm_args a;

	assert_int_equal(PARSE(HELPER_CMD, &a, "helper", "--size", "512M", "--node", "1",
			       "--seed", "0x10", "--thp", "--access-node", "0", "--threads", "4",
			       "--fork-child"), 0);
	assert_int_equal(a.size, 512ULL << 20);
	assert_true(a.size_set);
	assert_int_equal(a.node, 1);
	assert_true(a.node_set);
	assert_int_equal(a.seed, 16);
	assert_int_equal(a.thp, 1);
	assert_int_equal(a.access_node, 0);
	assert_true(a.access_set);
	assert_int_equal(a.threads, 4);
	assert_true(a.fork_child);

	assert_int_equal(PARSE(HELPER_CMD, &a, "helper", "--no-thp"), 0);
	assert_int_equal(a.thp, 0);
	assert_int_equal(a.seed, 42);

	/* a move option is unknown to the helper */
	INVALID(HELPER_CMD, ARGV("helper", "--pid", "1"), "unknown option", "--pid");
	INVALID(HELPER_CMD, ARGV("helper", "--size", "0"), "--size", "'0'");
	INVALID(HELPER_CMD, ARGV("helper", "--threads", "257"), "--threads");
}

static void test_parse_help(void **state)
{
	struct nm_args a;

	assert_int_equal(PARSE(&move_cmd, &a, "move", "--help"), 1);
	assert_contains(p_out, "Usage: numa-migrate move", "--to-node");
	assert_string_equal(p_err, "");

	assert_int_equal(PARSE(&move_cmd, &a, "move", "-h"), 1);
	assert_non_null(strstr(p_out, "Usage: numa-migrate move"));

	/* help wins over later options, even invalid ones */
	assert_int_equal(PARSE(&move_cmd, &a, "move", "--pid", "42", "--help", "--pid", "x"), 1);
}

/* ---- invalid input ------------------------------------------------------------- */

/* Values the option table refuses: `move OPT VALUE` (or `move OPT=VALUE`
 * where VALUE is NULL) fails with an error naming the option and the value. */
static const struct bad_value {
	const char *opt, *value, *want;
} bad_values[] = {
	{ "--pid", "abc", "invalid --pid 'abc'" },
	{ "--pid", "0", "invalid --pid '0'" },
	{ "--pid", "-1", "invalid --pid '-1'" },
	{ "--pid", "4194305", "invalid --pid '4194305'" },
	{ "--pid", "", "invalid --pid ''" },
	{ "--pid", "99999999999999999999999", "invalid --pid '99999999999999999999999'" },
	/* trailing garbage */
	{ "--pid", "42x", "invalid --pid '42x'" },
	{ "--pid", "42 ", "invalid --pid '42 '" },
	{ "--to-node", "1a", "invalid --to-node '1a'" },
	{ "--batch", "512k", "invalid --batch '512k'" },
	{ "--min-verified", "95.5%", "invalid --min-verified '95.5%'" },
	{ "--from-node", "0,", "invalid --from-node '0,'" },
	/* nodes */
	{ "--to-node", "64", "invalid --to-node '64'" },
	{ "--to-node", "-1", "invalid --to-node '-1'" },
	{ "--from-node", "0,64", "out of range" },
	{ "--from-node", "3-1", "invalid --from-node '3-1'" },
	{ "--from-node", "x", "invalid --from-node 'x'" },
	/* the verify threshold */
	{ "--min-verified", "100.1", "invalid --min-verified '100.1'" },
	{ "--min-verified", "-1", "invalid --min-verified '-1'" },
	{ "--min-verified", "nan", "invalid --min-verified 'nan'" },
	{ "--min-verified", "1e2", "invalid --min-verified '1e2'" },
	/* --verify's optional value, only as --verify=S */
	{ "--verify=10s", NULL, "invalid --verify '10s'" },
	{ "--verify=0", NULL, "invalid --verify '0'" },
	{ "--verify=86401", NULL, "invalid --verify '86401'" },
	{ "--verify=-5", NULL, "invalid --verify '-5'" },
};

static void test_parse_bad_values(void **state)
{
	for (size_t i = 0; i < NM_ARRAY_SIZE(bad_values); i++) {
		const struct bad_value *b = &bad_values[i];

		INVALID(&move_cmd, ARGV("move", (char *)b->opt, (char *)b->value), b->want);
	}
	INVALID(&move_cmd, ARGV("move", "--from-node", "0,64"), "--from-node", "'0,64'");
	/* a separate word is not --verify's value but a stray argument */
	INVALID(&move_cmd, ARGV("move", "--verify", "10"), "unexpected argument", "'10'");
}

/* --to-node with node:weight pairs (#16): the spread, its first node in to_node */
static void test_parse_spread(void **state)
{
	struct nm_args a;

	assert_int_equal(PARSE(&move_cmd, &a, "move", "--pid", "1", "--to-node", "0:3,2:1"), 0);
	assert_int_equal(a.to_spread.n, 2);
	assert_int_equal(a.to_spread.node[1], 2);
	assert_int_equal(a.to_spread.weight[0], 3);
	assert_int_equal(a.to_node, 0);
	assert_true(a.to_node_set);
	assert_int_equal(PARSE(&move_cmd, &a, "move", "--pid", "1", "--to-node", "5"), 0);
	assert_int_equal(a.to_spread.n, 1);
	assert_int_equal(a.to_node, 5);
	assert_int_equal(PARSE(&move_cmd, &a, "move", "--pid", "1"), 0);
	assert_int_equal(a.to_spread.n, 0);
	assert_int_equal(a.to_node, -1);
	INVALID(&move_cmd, ARGV("move", "--to-node", "0:3,0:1"), "--to-node", "named twice");
	INVALID(&move_cmd, ARGV("move", "--to-node", "0:3,2"), "--to-node", "has no weight");
	INVALID(&move_cmd, ARGV("move", "--to-node", "0:0,2:1"), "--to-node", "expected 1-1000");
}

static void test_parse_unknown_option(void **state)
{
	INVALID(&move_cmd, ARGV("move", "--bogus"), "unknown option", "'--bogus'");
	INVALID(&move_cmd, ARGV("move", "--pid", "1", "--bogus=3"), "unknown option", "--bogus");
	INVALID(&move_cmd, ARGV("move", "-x"), "unknown option", "'-x'");
	/* an option of another command */
	INVALID(&move_cmd, ARGV("move", "--size", "1M"), "unknown option", "--size");
	INVALID(&move_cmd, ARGV("move", "--by-mapping"), "unknown option", "--by-mapping");
}

static void test_parse_missing_argument(void **state)
{
	INVALID(&move_cmd, ARGV("move", "--pid"), "--pid", "needs an argument");
	INVALID(&move_cmd, ARGV("move", "--pid", "42", "--to-node"), "--to-node",
		"needs an argument");
	/* no argument for an option that takes none */
	INVALID(&move_cmd, ARGV("move", "--json=yes"), "--json takes no argument");
}

/* Issue #11 point 9: "--json=1" said "needs an argument", the opposite of
 * the truth. A flag given a value says it takes none, and names the flag
 * (also when abbreviated). */
static void test_flag_with_value_takes_no_argument(void **state)
{
	INVALID(&move_cmd, ARGV("move", "--json=1"), "--json takes no argument", "'--json=1'");
	assert_null(strstr(p_err, "needs an argument"));
	INVALID(&move_cmd, ARGV("move", "--pid", "1", "--dry-run=yes"),
		"--dry-run takes no argument");
	assert_null(strstr(p_err, "needs an argument"));
	/* an abbreviation is named by the option's full name */
	INVALID(&move_cmd, ARGV("move", "--dry=1"), "--dry-run takes no argument");
	INVALID(HELP_CMD, ARGV("help", "--man=x"), "--man takes no argument");
	/* a missing argument still says so */
	INVALID(&move_cmd, ARGV("move", "--batch"), "--batch", "needs an argument");
}

/* Issue #11 point 9: options that do nothing in a form are refused (exit 1
 * through -EINVAL) with a message naming both options. */
static void test_refuse_seed_check_with_move_options(void **state)
{
	/* the seed form with --check is the check command: move's options
	 * would be ignored */
	static const struct { const char *opt, *value, *name; } moves[] = {
		{ "--to-node", "0", "--to-node" }, { "--from-node", "0", "--from-node" },
		{ "--verify", NULL, "--verify" }, { "--verify=5", NULL, "--verify" },
		{ "--all", NULL, "--all" }, { "--dry-run", NULL, "--dry-run" },
		{ "--no-bpf", NULL, "--no-bpf" },
	};

	for (size_t i = 0; i < NM_ARRAY_SIZE(moves); i++)
		INVALID(&nm_seed_cmd, ARGV("numa-migrate", "--pid", "1", "--check",
					   (char *)moves[i].opt, (char *)moves[i].value),
			"--check", moves[i].name);
	INVALID(&nm_seed_cmd, ARGV("numa-migrate", "--verify", "--pid", "1", "--check"),
		"--check", "--verify");
	/* --by-mapping belongs to the check form: ignored by the move form */
	INVALID(&nm_seed_cmd, ARGV("numa-migrate", "--pid", "1", "--to-node", "0", "--by-mapping"),
		"--by-mapping", "--check");
}

static void test_refuse_help_two_outputs(void **state)
{
	INVALID(HELP_CMD, ARGV("help", "--man", "--bash-completion"), "--man",
		"--bash-completion");
	INVALID(HELP_CMD, ARGV("help", "--bash-completion", "--man"), "--man",
		"--bash-completion");
}

/* The other pairs a form accepts but cannot honour together. */
static void test_refuse_meaningless_combinations(void **state)
{
	INVALID(&move_cmd, ARGV("move", "--json", "--csv"), "--json", "--csv");
	INVALID(CHECK_CMD, ARGV("check", "--csv", "--json"), "--json", "--csv");
	INVALID(&every_cmd, ARGV("trace", "--json", "--csv"), "--json", "--csv");
	INVALID(HELPER_CMD, ARGV("helper", "--thp", "--no-thp"), "--thp", "--no-thp");
	/* a dry run moves nothing: nothing to verify, no threshold, no tracer */
	INVALID(&every_cmd, ARGV("move", "--dry-run", "--verify"), "--dry-run", "--verify");
	INVALID(&every_cmd, ARGV("move", "--dry-run", "--no-bpf"), "--dry-run", "--no-bpf");
	/* and must not change the process */
	INVALID(&every_cmd, ARGV("move", "--dry-run", "--pin-threads"), "--dry-run",
		"--pin-threads");
	INVALID(&every_cmd, ARGV("move", "--policy", "bind", "--dry-run"), "--dry-run",
		"--policy");
	/* --min-verified is --verify's threshold */
	INVALID(&every_cmd, ARGV("move", "--min-verified", "95"), "--min-verified",
		"--verify");
	/* the helper's access threads need both halves */
	INVALID(HELPER_CMD, ARGV("helper", "--threads", "2"), "--threads", "--access-node");
	INVALID(HELPER_CMD, ARGV("helper", "--access-node", "1"), "--access-node", "--threads");
	/* a daemon's stdout is /dev/null: the JSON report would be lost */
	INVALID(&every_cmd, ARGV("auto", "--daemon", "--json"), "--daemon", "--json");
}

/* What the exclusions must not refuse. */
static void test_accept_meaningful_combinations(void **state)
{
	struct nm_args a;

	assert_int_equal(PARSE(&nm_seed_cmd, &a, "numa-migrate", "--pid", "1", "--check",
			       "--by-mapping", "--range", "heap", "--json", "--batch", "8",
			       "--jobs", "2", "--no-progress"), 0);
	assert_true(a.check);
	assert_true(a.by_mapping);
	assert_int_equal(PARSE(&nm_seed_cmd, &a, "numa-migrate", "--pid", "1", "--to-node", "0",
			       "--verify=5", "--min-verified", "95", "--all", "--from-node", "1"), 0);
	/* --by-mapping needs --check only where --check exists */
	assert_int_equal(PARSE(CHECK_CMD, &a, "check", "--pid", "1", "--by-mapping"), 0);
	assert_true(a.by_mapping);
	assert_int_equal(PARSE(&every_cmd, &a, "move", "--dry-run", "--explain", "--json"), 0);
	assert_int_equal(PARSE(&every_cmd, &a, "move", "--verify", "--min-verified", "95",
			       "--pin-threads", "--no-bpf", "--explain"), 0);
	assert_int_equal(PARSE(HELPER_CMD, &a, "helper", "--threads", "2", "--access-node", "0",
			       "--thp"), 0);
	assert_int_equal(PARSE(&every_cmd, &a, "auto", "--daemon", "--dry-run", "--log", "l",
			       "--pid-file", "p"), 0);
	assert_int_equal(PARSE(&every_cmd, &a, "auto", "--json", "--pid-file", "p"), 0);
	assert_int_equal(PARSE(HELP_CMD, &a, "help", "--man"), 0);
	assert_true(a.man);
	/* --help still wins over a conflict */
	assert_int_equal(PARSE(HELP_CMD, &a, "help", "--man", "--bash-completion", "--help"), 1);
}

static void test_parse_stray_positional(void **state)
{
	INVALID(&move_cmd, ARGV("move", "extra"), "unexpected argument", "'extra'");
	INVALID(&move_cmd, ARGV("move", "--pid", "42", "extra", "--verify"),
		"unexpected argument", "'extra'");
	INVALID(&move_cmd, ARGV("move", "--pid", "42", "--", "extra"),
		"unexpected argument", "'extra'");
}

static void test_parse_bad_batch_jobs(void **state)
{
	INVALID(&move_cmd, ARGV("move", "--batch", "0"), "--batch", "'0'");
	INVALID(&move_cmd, ARGV("move", "--batch", "1048577"), "--batch");
	INVALID(&move_cmd, ARGV("move", "--jobs", "0"), "--jobs");
	INVALID(&move_cmd, ARGV("move", "--jobs", "65"), "--jobs");
}

static void test_parse_invalid_in_json_mode(void **state)
{
	/* --json first: the error is also a JSON object on stdout */
	struct nm_args a;
	struct json_object *o, *e;

	assert_int_equal(PARSE(&move_cmd, &a, "move", "--json", "--pid", "abc"), -EINVAL);
	assert_int_equal(strncmp(p_err, "ERROR: ", 7), 0);
	o = json_tokener_parse(p_out);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "error", &e));
	assert_non_null(strstr(json_object_get_string(e), "--pid"));
	json_object_put(o);
}

/*
 * BUG (cli.c, nm_cli_parse): with --json after the bad argument, the error
 * never reaches stdout, so a JSON consumer gets nothing although --json was
 * given: set_opt() switches the error printer to JSON only when it reaches
 * --json, and parsing stops at the first error.
 */
static void test_bug_json_after_invalid_argument(void **state)
{
	struct nm_args a;
	struct json_object *o;

	assert_int_equal(PARSE(&move_cmd, &a, "move", "--pid", "abc", "--json"), -EINVAL);
	assert_int_equal(strncmp(p_err, "ERROR: ", 7), 0);
	o = json_tokener_parse(p_out);
	if (!o)
		fail_msg("'move --pid abc --json': stdout is '%s', expected a JSON "
			 "{\"error\":...} object", p_out);
	json_object_put(o);
}

/*
 * BUG (cli.c, nm_cli_parse): it resets getopt with optind = 1, which glibc
 * does not treat as a reinitialisation (that is optind = 0): getopt's
 * position inside a short-option cluster of the previous call survives, and
 * the next parse resumes from a pointer into the previous argv (which may
 * be gone by then).
 */
static void test_bug_parse_state_leaks_between_calls(void **state)
{
	struct nm_args a;
	int r;

	/* stops at the unknown 'x' of "-xh", leaving "h" pending */
	INVALID(&move_cmd, ARGV("move", "-xh"), "unknown option", "'-x'");
	/* a fresh, valid argv must parse to 0 (not "help printed") */
	r = PARSE(&move_cmd, &a, "move", "--pid", "42");
	if (r != 0)
		fail_msg("'move --pid 42' after 'move -xh': got %d (stdout %zu bytes), "
			 "expected 0", r, strlen(p_out));
	assert_int_equal(a.pid, 42);
}

static void test_bug_parse_state_leaks_after_help(void **state)
{
	struct nm_args a;
	int r;

	/* "-hz": help returns at 'h', leaving "z" pending */
	assert_int_equal(PARSE(&move_cmd, &a, "move", "-hz"), 1);
	r = PARSE(&move_cmd, &a, "move", "--pid", "42");
	if (r != 0)
		fail_msg("'move --pid 42' after 'move -hz': got %d (stderr '%s'), expected 0",
			 r, p_err);
}

/* ---- generators ------------------------------------------------------------------- */

/* noinline: gcc -O3 otherwise takes the memstream buffer for a dangling
 * pointer to the local that open_memstream() fills in */
static __attribute__((noinline)) char *
gen(void (*fn)(FILE *, const struct nm_cmddef *, size_t), const struct nm_cmddef *c,
    size_t n)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	assert_non_null(f);
	fn(f, c, n);
	fclose(f);
	assert_non_null(s);
	return s;
}

static __attribute__((noinline)) char *gen_cmd(const struct nm_cmddef *c)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	assert_non_null(f);
	nm_help_cmd(f, c);
	fclose(f);
	assert_non_null(s);
	return s;
}

/* "--to-node" -> "\-\-to\-node" */
static void roff_name(char *buf, size_t len, const char *name)
{
	size_t k = 0;

	for (int i = 0; i < 2; i++) {
		buf[k++] = '\\';
		buf[k++] = '-';
	}
	for (; *name && k + 3 < len; name++) {
		if (*name == '-')
			buf[k++] = '\\';
		buf[k++] = *name;
	}
	buf[k] = '\0';
}


static void test_help_man(void **state)
{
	const struct nm_cmddef all[] = { cmds[0], cmds[1], cmds[2], cmds[3], cmds[4], every_cmd };
	char *man = gen(nm_help_man, all, NM_ARRAY_SIZE(all));
	char esc[128];
	const char *exit_sec;

	assert_memory_equal(man, ".TH NUMA-MIGRATE 8", strlen(".TH NUMA-MIGRATE 8"));
	assert_lines(man, ".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH COMMANDS");
	/* every option of the table, escaped */
	for (size_t i = 0; i < nm_noptdefs; i++) {
		if (nm_optdefs[i].id == OPT_HELP)
			continue;
		roff_name(esc, sizeof(esc), nm_optdefs[i].name);
		if (!strstr(man, esc))
			fail_msg("man page lacks option '%s'", esc);
	}
	assert_contains(man, "\\-\\-to\\-node NODE", "\\-\\-verify[=SECONDS]",
			     "\\-\\-bash\\-completion");
	/* no unescaped "--" anywhere */
	assert_null(strstr(man, "--"));
	for (const char *p = man; (p = strstr(p, ".TP\n.B ")); p++) {
		p += strlen(".TP\n.B ");
		assert_true(*p != '-');
	}
	/* commands, and not the hidden one */
	assert_lines(man, ".SS check", ".SS move", ".SS helper", ".SS help",
			  ".B numa\\-migrate move");
	assert_lacks(man, "zzsecret", "Never documented");
	/* EXIT STATUS with 0, 1, 2, 3 in order */
	exit_sec = strstr(man, "\n.SH EXIT STATUS\n");
	assert_non_null(exit_sec);
	{
		const char *p0 = strstr(exit_sec, ".TP\n.B 0\n");
		const char *p1 = strstr(exit_sec, ".TP\n.B 1\n");
		const char *p2 = strstr(exit_sec, ".TP\n.B 2\n");
		const char *p3 = strstr(exit_sec, ".TP\n.B 3\n");

		assert_non_null(p0);
		assert_non_null(p1);
		assert_non_null(p2);
		assert_non_null(p3);
		assert_true(p0 < p1 && p1 < p2 && p2 < p3);
		assert_non_null(strstr(p0, ".B 0\nsuccess\n"));
		assert_non_null(strstr(p2, "permission denied"));
		assert_non_null(strstr(p3, "\\-\\-min\\-verified"));
	}
	assert_non_null(strstr(man, ".SH SEE ALSO"));
	/* no roff request is started by accident: every line beginning with
	 * '.' is one of the requests the generator writes */
	for (const char *l = man; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
		static const char *const req[] = { ".TH ", ".SH ", ".SS ", ".B ", ".BR ",
						   ".TP\n", ".PP\n", ".br\n" };
		bool ok = *l != '.' && *l != '\'';

		for (size_t k = 0; !ok && k < NM_ARRAY_SIZE(req); k++)
			ok = !strncmp(l, req[k], strlen(req[k]));
		if (!ok)
			fail_msg("man line starts an unknown request: '%.40s'", l);
	}
	free(man);
}

static void test_help_man_escapes_text(void **state)
{
	/* a description line beginning with '.' or '\'' and a backslash */
	static const enum nm_optid none[] = { OPT_NONE };
	const struct nm_cmddef odd[] = {
		{ "odd", ".starts with a dot", "back\\slash and\n'quote line", none,
		  run_nothing, false },
	};
	char *man = gen(nm_help_man, odd, 1);

	assert_contains(man, "\n\\&.starts with a dot\n", "back\\eslash and\n\\&'quote line");
	free(man);
}

static void test_help_bash(void **state)
{
	const struct nm_cmddef all[] = { cmds[0], cmds[1], cmds[2], cmds[3], cmds[4], every_cmd };
	char *sh = gen(nm_help_bash, all, NM_ARRAY_SIZE(all));
	char want[128];

	for (size_t i = 0; i < nm_noptdefs; i++) {
		/* each a whole word: followed by a space or the closing quote */
		snprintf(want, sizeof(want), "--%s ", nm_optdefs[i].name);
		if (strstr(sh, want))
			continue;
		snprintf(want, sizeof(want), "--%s\"", nm_optdefs[i].name);
		if (!strstr(sh, want))
			fail_msg("bash completion lacks '--%s'", nm_optdefs[i].name);
	}
	/* command names on the first word, each command's own options */
	assert_contains(sh, "compgen -W \"check move helper help every --pid --help\"",
			    "        move) COMPREPLY=( $(compgen -W \"--pid --to-node --range "
			    "--from-node --all --verify --min-verified --dry-run --json --csv "
			    "--batch --jobs --no-progress --no-bpf --help\"",
			    "        check) COMPREPLY=( $(compgen -W \"--pid --range "
			    "--by-mapping --json --csv --batch --jobs --no-progress --help\"",
			    "        help) COMPREPLY=( $(compgen -W \"--man "
			    "--bash-completion --help\"");
	assert_null(strstr(sh, "zzsecret"));
	assert_non_null(strstr(sh, "complete -F _numa_migrate numa-migrate\n"));
	free(sh);
}

static void test_help_cmd(void **state)
{
	char *h = gen_cmd(&move_cmd);
	char want[128];

	assert_memory_equal(h, "Usage: numa-migrate move [OPTIONS]\n",
			    strlen("Usage: numa-migrate move [OPTIONS]\n"));
	assert_non_null(strstr(h, move_cmd.summary));
	assert_non_null(strstr(h, move_cmd.description));
	for (size_t i = 0; move_opts[i] != OPT_NONE; i++) {
		const struct nm_optdef *d = nm_opt_find(move_opts[i]);

		snprintf(want, sizeof(want), "  --%s", d->name);
		if (!strstr(h, want))
			fail_msg("move --help lacks '%s'", want);
		if (!strstr(h, d->help))
			fail_msg("move --help lacks the help of --%s", d->name);
	}
	assert_contains(h, "  --pid PID ", "  --verify[=SECONDS] ", "  -h, --help ",
			   "Exit codes:\n");
	assert_non_null(strstr(h, nm_exit_codes_text));
	/* options of other commands are not listed */
	assert_lacks(h, "--size", "--by-mapping");
	free(h);

	/* every option of the every-command */
	h = gen_cmd(&every_cmd);
	for (size_t i = 0; every_opts[i] != OPT_NONE; i++) {
		snprintf(want, sizeof(want), "  --%s", nm_opt_find(every_opts[i])->name);
		if (!strstr(h, want))
			fail_msg("every --help lacks '%s'", want);
	}
	free(h);
}

static void test_help_usage(void **state)
{
	char *u = gen(nm_help_usage, cmds, NCMDS);

	assert_memory_equal(u, "Usage: numa-migrate COMMAND [OPTIONS]\n",
			    strlen("Usage: numa-migrate COMMAND [OPTIONS]\n"));
	for (size_t i = 0; i < NCMDS; i++) {
		if (cmds[i].hidden) {
			assert_null(strstr(u, cmds[i].name));
			continue;
		}
		assert_non_null(strstr(u, cmds[i].name));
		assert_non_null(strstr(u, cmds[i].summary));
	}
	assert_true(has_line(u, "  0  success"));
	assert_contains(u, "\n  1  invalid arguments", "\n  2  permission denied",
			   "\n  3  migration failure");
	free(u);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_opt_table),
		T(test_args_init),
		T(test_opt_table_kinds),
		T(test_each_option_fills_its_field),
		T(test_defaults_from_table_and_policy),
		T(test_help_states_the_real_default),
		T(test_opt_rules_table),
		T(test_parse_valid_move),
		T(test_parse_flags),
		T(test_parse_verify_without_value),
		T(test_parse_defaults),
		T(test_parse_bounds_accepted),
		T(test_parse_helper),
		T(test_parse_help),
		T(test_parse_bad_values),
		T(test_parse_spread),
		T(test_parse_unknown_option),
		T(test_parse_missing_argument),
		T(test_flag_with_value_takes_no_argument),
		T(test_refuse_seed_check_with_move_options),
		T(test_refuse_help_two_outputs),
		T(test_refuse_meaningless_combinations),
		T(test_accept_meaningful_combinations),
		T(test_parse_stray_positional),
		T(test_parse_bad_batch_jobs),
		T(test_parse_invalid_in_json_mode),
		T(test_bug_json_after_invalid_argument),
		T(test_bug_parse_state_leaks_between_calls),
		T(test_bug_parse_state_leaks_after_help),
		T(test_help_man),
		T(test_help_man_escapes_text),
		T(test_help_bash),
		T(test_help_cmd),
		T(test_help_usage),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
