/* SPDX-License-Identifier: MIT */
/* options.h - bootstrapd's command line and the domain defaults it implies. */
#ifndef BOOTSTRAPD_OPTIONS_H
#define BOOTSTRAPD_OPTIONS_H

#include <stdbool.h>

struct domain;

struct options {
	bool system;
	bool foreground;
	int log_level;
	const char *socket_path;        /* NULL: the domain's default */
	const char *system_socket;      /* a user domain's parent; NULL: the default */
	const char *state_dir;
	const char **job_dirs;          /* --jobs, in order */
	int n_job_dirs;
};

/**
 * options_parse() - parse argv.  Prints usage and exits on --help, on
 * --version, and (status 2) on a usage error.
 */
void options_parse(struct options *o, int argc, char **argv);

/**
 * options_apply() - fill the domain's paths: the options, else XDG (user)
 * or FHS (system) defaults.  Return: 0 or -ENOMEM.
 */
int options_apply(const struct options *o, struct domain *d);

void options_deinit(struct options *o);

#endif
