/* SPDX-License-Identifier: MIT */
/*
 * job-load.c - a job's life in the domain: loading it (its names in the
 * registry, its sockets, its triggers), detaching and freeing it, and
 * making one of its processes.
 */
#include "job.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/event.h>

#include "conn.h"
#include "domain.h"
#include "domain-env.h"
#include "inetd.h"
#include "job-spec.h"
#include "log.h"
#include "registry.h"
#include "service.h"
#include "sockets.h"
#include "spawn-job.h"
#include "triggers.h"

/* A message waits on one of the job's names. */
static void demanded(struct service *s, void *arg)
{
	job_demand(arg, s);
}

/* Register every MachServices name; a name another job owns is a conflict. */
static int add_services(struct job *job, char *reason, size_t len)
{
	const struct job_spec *spec = job->spec;

	job->services = calloc(spec->n_services ? spec->n_services : 1, sizeof(*job->services));
	if (!job->services)
		return -ENOMEM;
	for (size_t i = 0; i < spec->n_services; i++) {
		const struct job_machservice *ms = &spec->services[i];
		struct service *s;

		if (registry_bound(&job->domain->registry, ms->name)) {
			snprintf(reason, len, "conflict over Mach service %s: already registered",
				 ms->name);
			return -EEXIST;
		}
		s = service_new_machservice(job->domain->base, job, ms->name, ms->reset_at_close,
					    ms->hide_until_checkin, demanded, job);
		if (!s || registry_add(&job->domain->registry, s) != REGISTRY_OK) {
			service_free(s);
			snprintf(reason, len, "cannot declare Mach service %s: %s", ms->name,
				 strerror(errno));
			return -ENOMEM;
		}
		job->services[job->n_services++] = s;
		service_watch(s);
	}
	return 0;
}

/* Take the job's names out of the registry (only those still its own). */
static void unregister_services(struct job *job)
{
	for (size_t i = 0; i < job->n_services; i++)
		registry_remove(&job->domain->registry, job->services[i]);
}

static void remove_services(struct job *job)
{
	unregister_services(job);
	for (size_t i = 0; i < job->n_services; i++)
		service_free(job->services[i]);
	free(job->services);
	job->services = NULL;
	job->n_services = 0;
}

/* @env's value for @key ("KEY=VALUE" strings, NULL-terminated), or NULL. */
static const char *env_value(const char *const *env, const char *key)
{
	size_t n = strlen(key);

	for (size_t i = 0; env && env[i]; i++)
		if (strncmp(env[i], key, n) == 0 && env[i][n] == '=')
			return env[i] + n + 1;
	return NULL;
}

/*
 * @key was @gone's and is out of the domain's environment now: another
 * loaded job with the same SecureSocketWithKey publishes its own path, as
 * in launchd the surviving job's UserEnvironmentVariables still apply.
 */
static void publish_successor(struct job *gone, const char *key)
{
	struct domain *d = gone->domain;
	struct job *job;
	const char *value;
	size_t i = 0;

	if (d->shutting_down)
		return;         /* every job goes: none is left to publish */
	while ((job = strmap_next(&d->jobs, &i))) {
		value = job == gone ? NULL : env_value(sockets_env(job->sockets), key);
		if (value && domain_env_set(d, key, value) == 0) {
			log_job(LOG_INFO, job->spec->label, "%s is exported to the domain now", key);
			return;
		}
	}
}

/*
 * SecureSocketWithKey: as launchd puts the variable in the job's
 * UserEnvironmentVariables, which reach every job of its domain, it is in
 * the domain's environment while the job is loaded (@publish), and taken
 * out again at unload unless someone set it to something else since; then
 * another job with the same key has its path published.  A variable set
 * already (bsctl setenv, another job) is left as it is.
 */
static void share_socket_env(struct job *job, bool publish)
{
	const char *const *env = sockets_env(job->sockets);
	struct domain *d = job->domain;

	for (size_t i = 0; env && env[i]; i++) {
		const char *eq = strchr(env[i], '=');
		char key[DOMAIN_ENV_MAX + 1];
		const char *now;

		if (!eq || (size_t)(eq - env[i]) >= sizeof(key))
			continue;
		memcpy(key, env[i], (size_t)(eq - env[i]));
		key[eq - env[i]] = '\0';
		now = domain_env_get(d, key);
		if (publish && (now || domain_env_set(d, key, eq + 1) < 0)) {
			log_job(LOG_WARNING, job->spec->label, "%s is not exported to the domain: %s",
				key, now ? "set already" : "cannot be set");
		} else if (!publish && now && strcmp(now, eq + 1) == 0) {
			domain_env_unset(d, key);
			publish_successor(job, key);
		}
	}
}

/* sockets_kept_fn: while a restart is restored, the listener the job had before it. */
static int kept_listener(void *arg, const char *name, unsigned int entry, unsigned int pos)
{
	struct job *job = arg;
	struct domain *d = job->domain;

	return d->restore_listener ? d->restore_listener(d, job->spec->label, name, entry, pos) : -1;
}

/* sockets_refused_fn: the restart closes it, and has the fd store let go of its copy. */
static void refused_listener(void *arg, int fd)
{
	struct job *job = arg;
	struct domain *d = job->domain;

	if (d->restore_drop)
		d->restore_drop(d, fd);
	else
		close(fd);
}

static int open_sockets(struct job *job, char *reason, size_t reason_len)
{
	const struct sockets_hooks hooks = { .ready = job_socket_ready, .kept = kept_listener,
					     .refused = refused_listener, .arg = job };
	struct domain *d = job->domain;

	return sockets_open(&job->sockets, job->spec, d->base, d->as_root, &hooks, reason,
			    reason_len);
}

struct job *job_new(struct domain *d, struct job_spec *spec, char *reason, size_t reason_len)
{
	struct job *job;

	if (strmap_get(&d->jobs, spec->label)) {
		snprintf(reason, reason_len, "duplicate Label %s", spec->label);
		job_spec_free(spec);
		return NULL;
	}
	job = calloc(1, sizeof(*job));
	if (!job) {
		job_spec_free(spec);
		snprintf(reason, reason_len, "out of memory");
		return NULL;
	}
	job->domain = d;
	job->spec = spec;
	job->pidfd = -1;
	snprintf(reason, reason_len, "out of memory");  /* unless a step below says more */
	if (triggers_new(&job->triggers, spec, d->base, job_triggered, job) < 0 ||
	    add_services(job, reason, reason_len) < 0 ||
	    open_sockets(job, reason, reason_len) < 0 ||
	    strmap_put(&d->jobs, spec->label, job) < 0) {
		sockets_close(job->sockets);
		remove_services(job);
		triggers_free(job->triggers);
		job_spec_free(spec);
		free(job);
		return NULL;
	}
	/* Debug: a start loads every job of its directories, 100,000 lines
	 * under a journal that keeps a few thousand; the scan's summary line
	 * and a control load's own line say it at the default level. */
	log_job(LOG_DEBUG, spec->label, "loaded from %s", spec->path ? spec->path : "(control)");
	if (job_curious_add(job) < 0)
		log_job(LOG_WARNING, spec->label, "out of memory: OtherJobEnabled is looked at "
			"only when this job exits");
	triggers_arm(job->triggers);
	sockets_watch(job->sockets);
	share_socket_env(job, true);
	domain_changed(d);
	if (!d->restore_job || !d->restore_job(d, job))
		job_loaded(job);
	job_others_changed(d);
	return job;
}

/* Forget the plist path of a job loaded from a job directory. */
static void forget_path(struct job *job)
{
	struct strmap *paths = &job->domain->job_paths;

	if (job->source.from_dir && job->spec->path && strmap_get(paths, job->spec->path) == job)
		strmap_del(paths, job->spec->path);
}

void job_free(struct job *job)
{
	if (!job)
		return;
	job_forget_pid(job);        /* freed while running only at daemon exit */
	job_curious_remove(job);
	job_drop_pidfd(job);
	job->triggers = triggers_free(job->triggers);
	domain_changed(job->domain);
	if (job->throttle_ev)
		event_free(job->throttle_ev);
	if (job->kill_ev)
		event_free(job->kill_ev);
	if (job->conn)
		conn_close(job->conn);
	forget_path(job);
	remove_services(job);
	share_socket_env(job, false);
	job->sockets = sockets_close(job->sockets);
	job->inetd = inetd_free(job->inetd);
	if (strmap_get(&job->domain->jobs, job->spec->label) == job)
		strmap_del(&job->domain->jobs, job->spec->label);
	for (struct job **pp = &job->domain->detached; *pp; pp = &(*pp)->next_detached) {
		if (*pp == job) {
			*pp = job->next_detached;
			break;
		}
	}
	job_spec_free(job->spec);
	free(job->failure);
	free(job->blame.demand_service);
	free(job);
}

/*
 * An unloaded job that is still stopping leaves the label and its names
 * free at once, so that a reloaded version can take them.
 */
static void detach(struct job *job)
{
	forget_path(job);
	unregister_services(job);
	/* The addresses too: the processes keep their copies. */
	share_socket_env(job, false);
	job->sockets = sockets_close(job->sockets);
	if (strmap_get(&job->domain->jobs, job->spec->label) == job)
		strmap_del(&job->domain->jobs, job->spec->label);
	job->next_detached = job->domain->detached;
	job->domain->detached = job;
}

void job_unload(struct job *job)
{
	struct domain *d = job->domain;

	log_job(LOG_DEBUG, job->spec->label, "unloading");      /* each caller says why, at info */
	if (job_is_running(job) || inetd_running(job->inetd)) {
		job->unload_when_stopped = true;
		job_stop(job);
		detach(job);
	} else {
		job_free(job);
	}
	job_others_changed(d);  /* its label is gone from the map either way */
}

bool job_kept_alive(const struct job *job)
{
	return job && job->spec->keepalive.mode == KEEPALIVE_ALWAYS;
}

/* A bootstrap port: a socketpair whose daemon end is a connection bound to the job. */
static int bootstrap_pair(struct job *job, struct conn **conn, int *child_fd)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	*conn = conn_new(job->domain, sv[0], job);
	if (!*conn) {
		close(sv[1]);
		return -ENOMEM;
	}
	*child_fd = sv[1];
	return 0;
}

int job_spawn_process(struct job *job, int stdio_fd, pid_t *pid, struct conn **conn,
		      char *why, size_t why_len)
{
	struct spawn_request req = { .spec = job->spec, .as_root = job->domain->as_root,
				     .nofile_soft = job->domain->nofile_soft,
				     .domain_env = job->domain->env };
	int err;

	err = bootstrap_pair(job, conn, &req.bootstrap_fd);
	if (err < 0) {
		snprintf(why, why_len, "cannot make bootstrap port: %s", strerror(-err));
		return err;
	}
	sockets_fill_request(job->sockets, &req);
	if (stdio_fd >= 0) {
		req.use_stdio_fd = true;
		req.stdio_fd = stdio_fd;
	}
	err = spawn_job(&req, pid, why, why_len);
	close(req.bootstrap_fd);
	if (err < 0) {
		conn_close(*conn);
		*conn = NULL;
	} else {
		conn_set_owner(*conn, *pid);
	}
	return err;
}
