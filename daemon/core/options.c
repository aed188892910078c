/* SPDX-License-Identifier: MIT */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "bootstrap-proto.h"
#include "config.h"
#include "domain.h"
#include "log.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bootstrapd [--system | --user] [--foreground] [--socket PATH]\n"
		"                  [--system-socket PATH] [--jobs DIR]... [--state DIR]\n"
		"                  [--log-level LEVEL]\n"
		"\n"
		"  --system          serve the system domain (LaunchDaemons)\n"
		"  --user            serve the caller's user domain (LaunchAgents; default)\n"
		"  --foreground, -f  stay in the foreground and log to stderr\n"
		"  --socket PATH     listen on PATH instead of the domain's socket\n"
		"  --system-socket PATH  a user domain asks the system domain there for\n"
		"                    the names it does not know (default " BOOTSTRAP_SYSTEM_SOCKET ")\n"
		"  --jobs DIR        load plists from DIR (repeatable; replaces the defaults)\n"
		"  --state DIR       keep the domain's state (overrides) in DIR\n"
		"  --log-level L     error, warning, notice, info (default) or debug\n"
		"See bootstrapd(8).\n");
}

void options_parse(struct options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "system", no_argument, NULL, 'S' },
		{ "user", no_argument, NULL, 'U' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "socket", required_argument, NULL, 's' },
		{ "system-socket", required_argument, NULL, 'P' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "state", required_argument, NULL, 't' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->system = geteuid() == 0;
	o->log_level = LOG_INFO;
	o->job_dirs = calloc((size_t)argc + 1, sizeof(*o->job_dirs));
	if (!o->job_dirs)
		fatal("calloc");
	while ((c = getopt_long(argc, argv, "f", longopts, NULL)) != -1) {
		switch (c) {
		case 'S': o->system = true; break;
		case 'U': o->system = false; break;
		case 'f': o->foreground = true; break;
		case 's': o->socket_path = optarg; break;
		case 'P': o->system_socket = optarg; break;
		case 'j': o->job_dirs[o->n_job_dirs++] = optarg; break;
		case 't': o->state_dir = optarg; break;
		case 'l':
			o->log_level = log_level_parse(optarg);
			if (o->log_level < 0) {
				fprintf(stderr, "bootstrapd: unknown log level %s\n", optarg);
				exit(2);
			}
			break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("bootstrapd %s\n", BOOTSTRAPD_VERSION); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (optind < argc) {
		usage(stderr);
		exit(2);
	}
}

/* $VAR/suffix, or $HOME/home_suffix/suffix when VAR is unset. */
static char *xdg_path(const char *var, const char *home_suffix, const char *suffix)
{
	const char *base = getenv(var), *home = getenv("HOME");
	char *p = NULL;

	if (base && *base)
		return asprintf(&p, "%s/%s", base, suffix) < 0 ? NULL : p;
	return asprintf(&p, "%s/%s/%s", home ? home : "/", home_suffix, suffix) < 0 ? NULL : p;
}

static char *default_socket(bool system)
{
	const char *run = getenv("XDG_RUNTIME_DIR");
	char *p = NULL;

	if (system)
		return strdup(BOOTSTRAP_SYSTEM_SOCKET);
	if (run && *run)
		return asprintf(&p, "%s/%s", run, BOOTSTRAP_USER_SOCKET) < 0 ? NULL : p;
	return asprintf(&p, BOOTSTRAP_USER_SOCKET_FALLBACK, (int)getuid()) < 0 ? NULL : p;
}

/*
 * @dir as an absolute path: the daemon reads it from its own working
 * directory, but hands it to bsctl (load -D), which runs elsewhere.
 */
static char *absolute_dir(const char *dir)
{
	char *cwd, *p = NULL;

	if (dir[0] == '/')
		return strdup(dir);
	cwd = getcwd(NULL, 0);
	if (cwd && asprintf(&p, "%s/%s", cwd, dir) < 0)
		p = NULL;
	free(cwd);
	return p;
}

int options_apply(const struct options *o, struct domain *d)
{
	int n = o->n_job_dirs ? o->n_job_dirs : 1;

	d->system = o->system;
	d->owner = o->system ? 0 : getuid();
	d->as_root = geteuid() == 0;
	d->socket_path = o->socket_path ? strdup(o->socket_path) : default_socket(o->system);
	/* A user domain's parent is the system domain; the system domain has none. */
	if (!o->system && !(d->parent_socket = strdup(o->system_socket ? o->system_socket :
						      BOOTSTRAP_SYSTEM_SOCKET)))
		return -ENOMEM;
	d->state_dir = o->state_dir ? strdup(o->state_dir) :
		o->system ? strdup(BOOTSTRAPD_LOCALSTATEDIR "/lib/bootstrapd") :
			    xdg_path("XDG_STATE_HOME", ".local/state", "bootstrapd");
	d->job_dirs = calloc((size_t)n, sizeof(*d->job_dirs));
	if (!d->socket_path || !d->state_dir || !d->job_dirs)
		return -ENOMEM;
	for (int i = 0; i < o->n_job_dirs; i++)
		d->job_dirs[i] = absolute_dir(o->job_dirs[i]);
	if (!o->n_job_dirs)
		d->job_dirs[0] = o->system ? strdup(BOOTSTRAPD_SYSCONFDIR "/bootstrapd/LaunchDaemons") :
			xdg_path("XDG_CONFIG_HOME", ".config", "bootstrapd/LaunchAgents");
	d->n_job_dirs = (size_t)n;
	for (int i = 0; i < n; i++)
		if (!d->job_dirs[i])
			return -ENOMEM;
	return 0;
}

void options_deinit(struct options *o)
{
	free(o->job_dirs);
	o->job_dirs = NULL;
}
