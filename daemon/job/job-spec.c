/* SPDX-License-Identifier: MIT */
/*
 * job-spec.c - lifetime of struct job_spec.
 *
 * Filling a spec from a plist is job-plist.c's business; this file only
 * knows the defaults and how to let go of what a spec owns.  Every list is
 * freed up to its count, so a spec that validation abandoned half-filled
 * is released like a complete one.
 */
#include "job-spec.h"

#include <stdlib.h>

struct job_spec *job_spec_new(void)
{
	struct job_spec *spec = calloc(1, sizeof(*spec));

	if (!spec)
		return NULL;
	spec->init_groups = true;
	spec->throttle_interval = JOB_DEFAULT_THROTTLE_INTERVAL;
	spec->exit_timeout = JOB_DEFAULT_EXIT_TIMEOUT;
	return spec;
}

static void free_strings(char **v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

static void free_keepalive(struct keepalive *ka)
{
	size_t i;

	for (i = 0; i < ka->n_path_state; i++)
		free(ka->path_state[i].path);
	free(ka->path_state);
	for (i = 0; i < ka->n_other_job_enabled; i++)
		free(ka->other_job_enabled[i].label);
	free(ka->other_job_enabled);
}

static void free_socket_groups(struct job_socket_group *g, size_t n)
{
	for (size_t i = 0; g && i < n; i++) {
		for (size_t k = 0; k < g[i].n_sockets; k++) {
			struct job_socket *js = &g[i].sockets[k];

			free(js->node_name);
			free(js->service_name);
			free(js->path_name);
			free(js->secure_key);
		}
		free(g[i].sockets);
		free(g[i].name);
	}
	free(g);
}

struct job_spec *job_spec_free(struct job_spec *spec)
{
	size_t i;

	if (!spec)
		return NULL;
	free(spec->label);
	free(spec->path);
	free(spec->program);
	free_strings(spec->argv, spec->argc);
	free_strings(spec->env, spec->n_env);
	free(spec->working_directory);
	free(spec->root_directory);
	free(spec->user_name);
	free(spec->group_name);
	free(spec->stdin_path);
	free(spec->stdout_path);
	free(spec->stderr_path);
	for (i = 0; i < spec->n_services; i++)
		free(spec->services[i].name);
	free(spec->services);
	free_socket_groups(spec->socket_groups, spec->n_socket_groups);
	free_keepalive(&spec->keepalive);
	free(spec->calendar);
	free_strings(spec->watch_paths, spec->n_watch_paths);
	free_strings(spec->queue_directories, spec->n_queue_directories);
	free(spec->rlimits);
	free(spec);
	return NULL;
}

const char *job_spec_program(const struct job_spec *spec)
{
	if (spec->program)
		return spec->program;
	return spec->argv && spec->argc ? spec->argv[0] : NULL;
}
