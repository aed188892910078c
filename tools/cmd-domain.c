/* SPDX-License-Identifier: MIT */
/*
 * cmd-domain.c - the subcommands about a domain as a whole: print-disabled
 * and setenv/unsetenv/getenv, each with an optional domain target first
 * (the default domain without one).
 */
#include <stdio.h>
#include <string.h>

#include "bsctl.h"
#include "control-proto.h"
#include "ctl-client.h"
#include "target.h"

/*
 * With @argc == @with_domain, argv[1] is a domain target: use it.
 * Return: how many operands the domain took (0 or 1), or -1 (why printed).
 */
static int optional_domain(int argc, char **argv, int with_domain)
{
	struct target t;

	if (argc != with_domain)
		return 0;
	if (target_parse(argv[1], &t) < 0)
		return -1;
	if (t.kind != TARGET_DOMAIN) {
		fprintf(stderr, "bsctl: %s: not a domain (system, user/UID, gui/UID)\n", argv[1]);
		return -1;
	}
	return target_use(&t) < 0 ? -1 : 1;
}

/* Just the overrides, launchctl's way: "disabled services = { "LABEL" => disabled ... }". */
int cmd_print_disabled(int argc, char **argv, const struct bsctl_opts *o)
{
	if (argc > 2 || optional_domain(argc, argv, 2) < 0)
		return BSCTL_USAGE;
	return ctl_call(CONTROL_PRINT_DISABLED, o->json ? CONTROL_F_JSON : 0, 0, "", stdout);
}

int cmd_setenv(int argc, char **argv, const struct bsctl_opts *o)
{
	char kv[CONTROL_ARG_MAX];
	int d;

	(void)o;
	if (argc != 3 && argc != 4)
		return BSCTL_USAGE;
	d = optional_domain(argc, argv, 4);
	if (d < 0)
		return BSCTL_USAGE;
	if (strchr(argv[1 + d], '=') || !argv[1 + d][0]) {
		fprintf(stderr, "bsctl: %s: not a variable name\n", argv[1 + d]);
		return BSCTL_USAGE;
	}
	if (snprintf(kv, sizeof(kv), "%s=%s", argv[1 + d], argv[2 + d]) >= (int)sizeof(kv)) {
		fprintf(stderr, "bsctl: %s: name and value longer than %d bytes\n", argv[1 + d],
			CONTROL_ARG_MAX - 1);
		return BSCTL_FAILURE;
	}
	return ctl_call(CONTROL_SETENV, 0, 0, kv, stderr);
}

int cmd_unsetenv(int argc, char **argv, const struct bsctl_opts *o)
{
	int d;

	(void)o;
	if (argc != 2 && argc != 3)
		return BSCTL_USAGE;
	d = optional_domain(argc, argv, 3);
	return d < 0 ? BSCTL_USAGE : ctl_call(CONTROL_UNSETENV, 0, 0, argv[1 + d], stderr);
}

int cmd_getenv(int argc, char **argv, const struct bsctl_opts *o)
{
	int d;

	(void)o;
	if (argc != 2 && argc != 3)
		return BSCTL_USAGE;
	d = optional_domain(argc, argv, 3);
	return d < 0 ? BSCTL_USAGE : ctl_call(CONTROL_GETENV, 0, 0, argv[1 + d], stdout);
}

int cmd_reexec(int argc, char **argv, const struct bsctl_opts *o)
{
	(void)argv;
	(void)o;
	if (argc != 1)
		return BSCTL_USAGE;
	return ctl_call(CONTROL_REEXEC, 0, 0, "", stderr);
}
