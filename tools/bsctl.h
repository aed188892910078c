/* SPDX-License-Identifier: MIT */
/* bsctl.h - the subcommands, each in its cmd-*.c. */
#ifndef BOOTSTRAPD_BSCTL_H
#define BOOTSTRAPD_BSCTL_H

#include <stdbool.h>
#include <stdint.h>

struct bsctl_opts {
	bool json;
};

/* Each returns an enum bsctl_exit; argv[0] is the command's name. */
int cmd_list(int argc, char **argv, const struct bsctl_opts *o);
int cmd_print(int argc, char **argv, const struct bsctl_opts *o);
int cmd_start(int argc, char **argv, const struct bsctl_opts *o);
int cmd_stop(int argc, char **argv, const struct bsctl_opts *o);
int cmd_kickstart(int argc, char **argv, const struct bsctl_opts *o);
int cmd_kill(int argc, char **argv, const struct bsctl_opts *o);
int cmd_enable(int argc, char **argv, const struct bsctl_opts *o);
int cmd_disable(int argc, char **argv, const struct bsctl_opts *o);
int cmd_blame(int argc, char **argv, const struct bsctl_opts *o);
int cmd_load(int argc, char **argv, const struct bsctl_opts *o);
int cmd_unload(int argc, char **argv, const struct bsctl_opts *o);
int cmd_lint(int argc, char **argv, const struct bsctl_opts *o);
int cmd_convert(int argc, char **argv, const struct bsctl_opts *o);
int cmd_bootstrap(int argc, char **argv, const struct bsctl_opts *o);
int cmd_bootout(int argc, char **argv, const struct bsctl_opts *o);
int cmd_print_disabled(int argc, char **argv, const struct bsctl_opts *o);
int cmd_setenv(int argc, char **argv, const struct bsctl_opts *o);
int cmd_unsetenv(int argc, char **argv, const struct bsctl_opts *o);
int cmd_getenv(int argc, char **argv, const struct bsctl_opts *o);
int cmd_reexec(int argc, char **argv, const struct bsctl_opts *o);
int cmd_remove(int argc, char **argv, const struct bsctl_opts *o);
int cmd_export(int argc, char **argv, const struct bsctl_opts *o);
int cmd_manager(int argc, char **argv, const struct bsctl_opts *o);
int cmd_error(int argc, char **argv, const struct bsctl_opts *o);

/**
 * cmd_unload_job() - unload job @label (@flags: CONTROL_F_PERSIST), the
 * daemon's notes on stderr, as unload LABEL and remove do; a failure is
 * said there too, except a job that is not loaded, which each verb says
 * in its own words.
 * @loaded: set false for a job that was not loaded (then BSCTL_OK).
 * Return: an enum bsctl_exit.
 */
int cmd_unload_job(const char *label, uint32_t flags, bool *loaded);

#endif
