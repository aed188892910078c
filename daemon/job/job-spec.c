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
#include <string.h>

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

/* What job_spec_compact() moved into the spec's block is freed with the block. */
static void release(const struct job_spec *spec, void *p)
{
	const char *b = spec->block;

	if (!b || (const char *)p < b || (const char *)p >= b + spec->block_size)
		free(p);
}

static void free_strings(const struct job_spec *spec, char **v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		release(spec, v[i]);
	release(spec, v);
}

static void free_keepalive(struct keepalive *ka)
{
	size_t i;

	for (i = 0; i < ka->n_path_state; i++)
		free(ka->path_state[i].path);
	free(ka->path_state);
	for (i = 0; i < ka->n_other_jobs; i++)
		free(ka->other_jobs[i].label);
	free(ka->other_jobs);
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

#define SPEC_TEXTS 10

/* The spec's single strings, for freeing and for moving them alike. */
static void spec_texts(struct job_spec *spec, char **texts[SPEC_TEXTS])
{
	char **all[SPEC_TEXTS] = { &spec->label, &spec->path, &spec->program,
				   &spec->working_directory, &spec->root_directory,
				   &spec->user_name, &spec->group_name, &spec->stdin_path,
				   &spec->stdout_path, &spec->stderr_path };

	memcpy(texts, all, sizeof(all));
}

static void free_texts(struct job_spec *spec)
{
	char **texts[SPEC_TEXTS];

	spec_texts(spec, texts);
	for (size_t i = 0; i < SPEC_TEXTS; i++)
		release(spec, *texts[i]);
}

struct job_spec *job_spec_free(struct job_spec *spec)
{
	size_t i;

	if (!spec)
		return NULL;
	free_texts(spec);
	free_strings(spec, spec->argv, spec->argc);
	free_strings(spec, spec->env, spec->n_env);
	for (i = 0; i < spec->n_services; i++)
		release(spec, spec->services[i].name);
	release(spec, spec->services);
	free_socket_groups(spec->socket_groups, spec->n_socket_groups);
	free_keepalive(&spec->keepalive);
	free(spec->calendar);
	free_strings(spec, spec->watch_paths, spec->n_watch_paths);
	free_strings(spec, spec->queue_directories, spec->n_queue_directories);
	free(spec->rlimits);
	free(spec->block);
	free(spec);
	return NULL;
}

/*
 * Compaction walks every block it moves twice: once to add up the sizes,
 * once to copy each into the new allocation (parents before what they
 * point to, so that a list is read at its new place).
 */
struct compaction {
	size_t total;
	char *next;             /* NULL while measuring */
};

static void move_block(struct compaction *c, void *slot, size_t size)
{
	void **p = slot;
	size_t rounded = (size + 7) & ~(size_t)7;

	if (!*p)
		return;
	if (!c->next) {
		c->total += rounded;
		return;
	}
	memcpy(c->next, *p, size);
	free(*p);
	*p = c->next;
	c->next += rounded;
}

static void move_text(struct compaction *c, char **s)
{
	if (*s)
		move_block(c, s, strlen(*s) + 1);
}

/* A NULL-terminated list of @n strings (allocated with its spare element). */
static void move_texts(struct compaction *c, char ***v, size_t n)
{
	if (!*v)
		return;
	move_block(c, v, (n + 1) * sizeof(**v));
	for (size_t i = 0; i < n; i++)
		move_text(c, &(*v)[i]);
}

static void move_all(struct compaction *c, struct job_spec *spec)
{
	char **texts[SPEC_TEXTS];

	spec_texts(spec, texts);
	for (size_t i = 0; i < SPEC_TEXTS; i++)
		move_text(c, texts[i]);
	move_texts(c, &spec->argv, spec->argc);
	move_texts(c, &spec->env, spec->n_env);
	move_texts(c, &spec->watch_paths, spec->n_watch_paths);
	move_texts(c, &spec->queue_directories, spec->n_queue_directories);
	if (spec->services) {
		move_block(c, &spec->services, (spec->n_services + 1) * sizeof(*spec->services));
		for (size_t i = 0; i < spec->n_services; i++)
			move_text(c, &spec->services[i].name);
	}
}

void job_spec_compact(struct job_spec *spec)
{
	struct compaction c = { 0 };

	if (spec->block)
		return;
	move_all(&c, spec);
	if (!c.total || !(c.next = malloc(c.total)))
		return;
	spec->block = c.next;
	spec->block_size = c.total;
	move_all(&c, spec);
}

struct job_spec *job_spec_adopt(struct job_spec *spec)
{
	struct job_spec *here = malloc(sizeof(*here));

	if (here) {
		memcpy(here, spec, sizeof(*here));
		free(spec);
		spec = here;
	}
	job_spec_compact(spec);
	return spec;
}

const char *job_spec_program(const struct job_spec *spec)
{
	if (spec->program)
		return spec->program;
	return spec->argv && spec->argc ? spec->argv[0] : NULL;
}
