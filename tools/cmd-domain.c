/* SPDX-License-Identifier: MIT */
/*
 * cmd-domain.c - the subcommands about a domain as a whole: print-disabled,
 * setenv/unsetenv/getenv, export, and launchctl 1's managerpid, manageruid
 * and managername, each with an optional domain target first (the default
 * domain without one).
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
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
	char *kv;
	int d, ret;

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
	/* Whole, so that one that does not fit a request is refused as every verb refuses it. */
	if (asprintf(&kv, "%s=%s", argv[1 + d], argv[2 + d]) < 0) {
		fprintf(stderr, "bsctl: out of memory\n");
		return BSCTL_FAILURE;
	}
	ret = ctl_call(CONTROL_SETENV, 0, 0, kv, stderr);
	free(kv);
	return ret;
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

/* A variable that is not set prints nothing and is no failure, as in launchctl. */
int cmd_getenv(int argc, char **argv, const struct bsctl_opts *o)
{
	int d;

	(void)o;
	if (argc != 2 && argc != 3)
		return BSCTL_USAGE;
	d = optional_domain(argc, argv, 3);
	if (d < 0 || !argv[1 + d][0])
		return BSCTL_USAGE;
	return ctl_call(CONTROL_GETENV, 0, 0, argv[1 + d], stdout);
}

int cmd_reexec(int argc, char **argv, const struct bsctl_opts *o)
{
	(void)argv;
	(void)o;
	if (argc != 1)
		return BSCTL_USAGE;
	return ctl_call(CONTROL_REEXEC, 0, 0, "", stderr);
}

/* @s between double quotes, for sh: ", \\, $ and ` escaped. */
static void put_sh_quoted(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (strchr("\"\\$`", *s))
			putchar('\\');
		putchar(*s);
	}
	putchar('"');
}

/* @s between single quotes, for csh: each ' as '\''. */
static void put_csh_quoted(const char *s)
{
	putchar('\'');
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*s);
	}
	putchar('\'');
}

/* Whether @s is a name sh and csh take for a variable: [A-Za-z_][A-Za-z0-9_]*. */
static bool shell_name(const char *s)
{
	if (!*s || isdigit((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* One variable, as launchctl export prints it. */
static void put_export(const char *name, const char *value, bool csh)
{
	if (csh) {
		printf("setenv %s ", name);
		put_csh_quoted(value);
		printf(";\n");
	} else {
		printf("%s=", name);
		put_sh_quoted(value);
		printf("; export %s;\n", name);
	}
}

/*
 * export [DOMAIN]: what setenv set, as commands for the shell, as
 * launchctl export prints them: NAME="value"; export NAME; or, when $SHELL
 * is a csh, setenv NAME 'value';
 */
int cmd_export(int argc, char **argv, const struct bsctl_opts *o)
{
	struct ctl_msg m = { .id = CONTROL_GETENV, .arg = "" };     /* "": every variable */
	const char *shell = getenv("SHELL");
	struct ctl_reply r;
	char *copy, *line, *save;
	int ret;

	(void)o;
	if (argc > 2 || optional_domain(argc, argv, 2) < 0)
		return BSCTL_USAGE;
	ret = ctl_ask(&m, "export", NULL, &r);
	if (ret != BSCTL_OK)
		return ret;
	copy = strdup(r.text);
	if (!copy) {
		fprintf(stderr, "bsctl: export: out of memory\n");
		return BSCTL_FAILURE;
	}
	/* "KEY=VALUE" lines: a key holds no '=', a value no newline. */
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');

		if (!eq)
			continue;
		*eq = '\0';
		/* A name the shell would read as code is left out, said on stderr. */
		if (!shell_name(line)) {
			fprintf(stderr, "bsctl: export: %s is no shell variable name: left out\n", line);
			continue;
		}
		put_export(line, eq + 1, shell && strstr(shell, "csh"));
	}
	free(copy);
	return BSCTL_OK;
}

/*
 * managerpid, manageruid, managername [DOMAIN]: who serves the domain, as
 * launchctl 1 asks launchd: the daemon's pid, the uid it runs as, and the
 * name of its manager ("System", or "Background" in a user's domain).
 */
int cmd_manager(int argc, char **argv, const struct bsctl_opts *o)
{
	struct ctl_msg m = { .id = CONTROL_MANAGER };
	struct ctl_reply r;
	char name[32];
	unsigned int uid;
	int pid, ret;

	(void)o;
	if (argc > 2 || optional_domain(argc, argv, 2) < 0)
		return BSCTL_USAGE;
	ret = ctl_ask(&m, argv[0], NULL, &r);
	if (ret != BSCTL_OK)
		return ret;
	if (sscanf(r.text, "%d %u %31s", &pid, &uid, name) != 3) {
		fprintf(stderr, "bsctl: %s: the daemon's answer is not understood\n", argv[0]);
		return BSCTL_FAILURE;
	}
	if (strcmp(argv[0], "managerpid") == 0)
		printf("%d\n", pid);
	else if (strcmp(argv[0], "manageruid") == 0)
		printf("%u\n", uid);
	else
		printf("%s\n", name);
	return BSCTL_OK;
}
