/* SPDX-License-Identifier: MIT */
/*
 * state-collect.c - the domain's state, as state-format.h describes it.
 */
#include "restart.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "channels.h"
#include "conn.h"
#include "domain.h"
#include "domain-env.h"
#include "job.h"
#include "job-spec.h"
#include "process.h"
#include "registry.h"
#include "service.h"
#include "sockets.h"
#include "state-format.h"

/* Every channel the daemon keeps for a port fits in the state. */
_Static_assert(STATE_MAX_CHANNELS >= CHANNELS_PER_SERVICE, "a port's channels in the state");

/* @s's channels, kept like its port (only a port kept has them); none: nothing allocated. */
static int channel_rows(const struct service *s, struct state_service *row)
{
	size_t n = s->recv_fd >= 0 ? channels_count(s) : 0;

	if (!n)
		return 0;
	row->channels = calloc(n, sizeof(*row->channels));
	if (!row->channels)
		return -ENOMEM;
	for (size_t i = 0; i < n && i < STATE_MAX_CHANNELS; i++) {
		struct channel_record c = channels_record(s, i);

		/* Nothing is retired since channels v2: the byte is written 0. */
		row->channels[i] = (struct state_channel){ .fd_id = c.fd, .id = c.id };
		row->n_channels = i + 1;
	}
	return 0;
}

static int service_row(const struct service *s, struct state_service *row)
{
	row->name = strdup(s->name);
	row->job = s->job ? strdup(s->job->spec->label) : NULL;
	row->recv_id = s->recv_fd;
	row->send_id = s->send_fd;
	row->release_id = (s->job || s->dynamic) && s->checked_in ? service_release_fd(s) : -1;
	row->checked_in = s->checked_in;
	row->owner_pid = service_owner_pid(s);
	row->owner_uid = s->bound ? service_binding(s)->uid : 0;
	/* A registration that goes with its owner: when the owner started
	 * (read when it registered), so that a daemon reading no pidfd does not
	 * take a later process of that pid for it. */
	row->until_exit = !s->job && service_goes_with_owner(s);
	row->owner_start = row->until_exit ? service_binding(s)->start : 0;
	/* The pidfd watching that owner goes along: it names that process only,
	 * also where its start time could not be read. */
	row->owner_pidfd_id = row->until_exit ? service_binding(s)->pidfd : -1;
	row->per_pid = s->per_pid;
	row->dynamic = s->dynamic;
	if (channel_rows(s, row) < 0)
		return -ENOMEM;
	return row->name && (!s->job || row->job) ? 0 : -ENOMEM;
}

/*
 * @job's listeners, each by the entry it was opened for: kept like ports,
 * a restart gives them back to the job in place of new ones.
 */
static int listener_rows(const struct job *job, struct state_job *row)
{
	struct sockets_listener v[SOCKETS_MAX_FDS];
	size_t n = sockets_listeners(job->sockets, v, SOCKETS_MAX_FDS);

	row->listeners = calloc(n ? n : 1, sizeof(*row->listeners));
	if (!row->listeners)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		row->listeners[i] = (struct state_listener){ .name = strdup(v[i].name),
							     .entry = v[i].entry, .pos = v[i].pos,
							     .id = v[i].fd };
		row->n_listeners = i + 1;
		if (!row->listeners[i].name)
			return -ENOMEM;
	}
	return 0;
}

static int job_row(const struct job *job, struct state_job *row)
{
	row->label = strdup(job->spec->label);
	row->failure = strdup(job->state == JOB_FAILED && job->failure ? job->failure : "");
	row->state = (uint8_t)job->state;
	row->pending_reason = (uint8_t)job->pending_reason;
	row->last_reason = (uint8_t)job->blame.last_reason;
	row->has_exited = job->has_exited;
	row->demanded = job->blame.demanded;
	row->pid = job_is_running(job) ? job->pid : 0;
	if (row->pid > 0 && process_start_time(row->pid, &row->proc_start) < 0)
		row->proc_start = 0;    /* gone already: seen as exited */
	row->start_sec = job->start_time.tv_sec;
	row->start_nsec = job->start_time.tv_nsec;
	row->runs = job->runs;
	row->early_failures = job->early_failures;
	row->last_status = job->last_status;
	row->conn_id = row->pid > 0 && job->conn ? job->conn->fd : -1;
	return row->label && row->failure ? listener_rows(job, row) : -ENOMEM;
}

/*
 * A row for each name @next walks in @r (the domain's, or the per-PID
 * ones).  A dynamic name goes with its process's pidfd, kept like a port:
 * a restarted daemon watches that process, never a later one of its pid.
 */
static int service_rows(struct service *(*next)(const struct registry *, size_t *),
			const struct registry *r, struct state *st)
{
	struct service *s;
	size_t i = 0;

	while ((s = next(r, &i)))
		if (service_row(s, &st->services[st->n_services++]) < 0)
			return -ENOMEM;
	return 0;
}

/* The domain's variables, each unowned until mark_published() says otherwise. */
static int env_rows(const struct domain *d, struct state *st)
{
	for (size_t i = 0; i < d->n_env; i++) {
		struct state_env *e = &st->env[st->n_env++];
		size_t klen = strcspn(d->env[i], "=");

		e->key = strndup(d->env[i], klen);
		e->value = strdup(d->env[i] + klen + 1);
		if (!e->key || !e->value)
			return -ENOMEM;
	}
	return 0;
}

/*
 * The variables whose value is @job's SecureSocketWithKey path: @job's,
 * so that after a restart they name its new path, not whichever job
 * with the same key loads first.
 */
static int mark_published(const struct domain *d, const struct job *job, struct state *st)
{
	const char *const *env = sockets_env(job->sockets);

	for (size_t k = 0; env && env[k]; k++) {
		char key[DOMAIN_ENV_MAX + 1];
		size_t i;

		if (!domain_env_split(env[k], key) || !domain_env_find(d, key, &i) ||
		    strcmp(d->env[i], env[k]) != 0 || st->env[i].job)
			continue;
		st->env[i].job = strdup(job->spec->label);
		if (!st->env[i].job)
			return -ENOMEM;
	}
	return 0;
}

static int collect_lists(struct domain *d, bool with_clients, struct state *st)
{
	struct job *job;
	size_t i = 0;

	if (service_rows(registry_next, &d->registry, st) < 0 ||
	    service_rows(registry_next_pid, &d->registry, st) < 0 || env_rows(d, st) < 0)
		return -ENOMEM;
	while ((job = strmap_next(&d->jobs, &i)))
		if (job_row(job, &st->jobs[st->n_jobs++]) < 0 || mark_published(d, job, st) < 0)
			return -ENOMEM;
	for (struct conn *c = d->conns; c && with_clients; c = c->next)
		if (!c->job)
			st->clients[st->n_clients++] = c->fd;
	return 0;
}

int restart_collect(struct domain *d, bool with_clients, struct state *st)
{
	size_t ns = registry_count(&d->registry) + registry_count_pid(&d->registry);
	size_t nj = d->jobs.count;

	memset(st, 0, sizeof(*st));
	st->daemon_pid = getpid();
	st->nofile_soft = d->nofile_soft;
	st->listen_id = d->listen_fd;
	st->services = calloc(ns ? ns : 1, sizeof(*st->services));
	st->jobs = calloc(nj ? nj : 1, sizeof(*st->jobs));
	st->clients = calloc(d->n_conns ? d->n_conns : 1, sizeof(*st->clients));
	st->env = calloc(d->n_env ? d->n_env : 1, sizeof(*st->env));
	if (!st->services || !st->jobs || !st->clients || !st->env ||
	    collect_lists(d, with_clients, st) < 0) {
		state_free(st);
		return -ENOMEM;
	}
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int restart_kept_ids(const struct state *st, int **ids, size_t *n)
{
	size_t room = 4 * st->n_services + st->n_jobs + 1, k = 0, u = 0;
	int *v;

	for (size_t i = 0; i < st->n_jobs; i++)
		room += st->jobs[i].n_listeners;
	for (size_t i = 0; i < st->n_services; i++)
		room += st->services[i].n_channels;
	v = malloc(room * sizeof(int));
	if (!v)
		return -ENOMEM;
	if (st->listen_id >= 0)
		v[k++] = st->listen_id;
	for (size_t i = 0; i < st->n_services; i++) {
		/* A port not made yet has no fds: it stays not made. */
		if (st->services[i].recv_id >= 0)
			v[k++] = st->services[i].recv_id;
		if (st->services[i].send_id >= 0)
			v[k++] = st->services[i].send_id;
		if (st->services[i].release_id >= 0)
			v[k++] = st->services[i].release_id;
		if (st->services[i].owner_pidfd_id >= 0)
			v[k++] = st->services[i].owner_pidfd_id;
		for (size_t c = 0; c < st->services[i].n_channels; c++)
			v[k++] = st->services[i].channels[c].fd_id;
	}
	for (size_t i = 0; i < st->n_jobs; i++) {
		if (st->jobs[i].conn_id >= 0)
			v[k++] = st->jobs[i].conn_id;
		for (size_t l = 0; l < st->jobs[i].n_listeners; l++)
			v[k++] = st->jobs[i].listeners[l].id;
	}
	qsort(v, k, sizeof(int), cmp_int);
	for (size_t i = 0; i < k; i++)
		if (u == 0 || v[u - 1] != v[i])
			v[u++] = v[i];
	*ids = v;
	*n = u;
	return 0;
}
