/* SPDX-License-Identifier: MIT */
/*
 * state-restore.c - giving a restarted domain its state back.  Jobs are
 * loaded from their plists as at any start; each job whose label the
 * state holds then takes back its ports (queued messages and every
 * client's send right with them), its Sockets listeners (taken while its
 * sockets are opened, in place of new ones), its check-ins and its state,
 * and its process if that still runs: checked by pidfd and start time, so that a
 * recycled pid is never taken for it, and it is never started twice.  A
 * job whose plist is gone loses its ports; its process, if any, is left
 * to end.  Registered names and (after a re-exec) client connections come
 * back last.  A job started meanwhile starts once the loop runs, after
 * all that (job_start()).
 */
#include "restart.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <syslog.h>
#include <unistd.h>

#include "channels.h"
#include "conn.h"
#include "domain.h"
#include "domain-env.h"
#include "fdstore.h"
#include "job.h"
#include "job-spec.h"
#include "log.h"
#include "process.h"
#include "registry.h"
#include "restore-plan.h"
#include "server.h"
#include "service.h"
#include "sockets.h"
#include "supervise.h"

struct restore_plan *restore_plan_new(struct state *st, int *present, size_t n, bool same)
{
	struct restore_plan *p = calloc(1, sizeof(*p));
	bool ok = true;

	if (p) {
		p->st = *st;
		p->present = present;
		p->n_present = n;
		p->same_process = same;
		p->used = calloc(n ? n : 1, sizeof(bool));
		strmap_init(&p->jobs);
		strmap_init(&p->names);
		strmap_init(&p->published);
	}
	ok = p && p->used;
	for (size_t i = 0; ok && i < st->n_jobs; i++)
		ok = strmap_put(&p->jobs, st->jobs[i].label, &p->st.jobs[i]) == 0;
	/* A per-PID name is apart from the domain's: its string may be one of those too. */
	for (size_t i = 0; ok && i < st->n_services; i++)
		ok = st->services[i].per_pid ||
		     strmap_put(&p->names, st->services[i].name, &p->st.services[i]) == 0;
	for (size_t i = 0; ok && i < st->n_env; i++)
		ok = !st->env[i].job ||
		     strmap_put(&p->published, st->env[i].key, &p->st.env[i]) == 0;
	if (!ok) {
		if (!p) {
			state_free(st);
			for (size_t i = 0; i < n; i++)
				close(present[i]);
			free(present);
		}
		restore_plan_free(p);
		return NULL;
	}
	return p;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int restore_plan_take(struct restore_plan *p, int id)
{
	int *at;

	if (id < 0)
		return -1;
	at = bsearch(&id, p->present, p->n_present, sizeof(int), cmp_int);
	if (!at || p->used[at - p->present])
		return -1;
	p->used[at - p->present] = true;
	return id;
}

void restore_plan_free(struct restore_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_present; i++)
		if (!p->used || !p->used[i])
			close(p->present[i]);
	strmap_deinit(&p->jobs);
	strmap_deinit(&p->names);
	strmap_deinit(&p->published);
	state_free(&p->st);
	free(p->present);
	free(p->used);
	free(p);
}

/* @ss's channels back to @s, whose port was kept: each B the daemon before kept. */
static void restore_channels(struct restore_plan *p, const struct state_service *ss,
			     struct service *s)
{
	size_t lost = 0;

	for (size_t i = 0; i < ss->n_channels; i++) {
		/* Whether a daemon of channels v1 had retired it does not
		 * count: answers go up B either way. */
		struct channel_record rec = { .fd = restore_plan_take(p, ss->channels[i].fd_id),
					      .id = ss->channels[i].id };

		if (rec.fd < 0 || channels_adopt(s, &rec) < 0)
			lost++;
	}
	if (lost)
		log_warnx("%s: %zu channel(s) not kept: their clients read end of file", s->name, lost);
}

static void restore_service(struct domain *d, struct restore_plan *p, const char *label,
			    struct service *s)
{
	struct state_service *ss = strmap_get(&p->names, s->name);
	int r, w;

	if (!ss || !ss->job || strcmp(ss->job, label) != 0)
		return;
	strmap_del(&p->names, s->name);
	r = restore_plan_take(p, ss->recv_id);
	w = restore_plan_take(p, ss->send_id);
	if (r >= 0 && w >= 0) {
		service_adopt_port(s, r, w);
		restore_channels(p, ss, s);
	} else if (ss->send_id >= 0) {
		log_job(LOG_WARNING, label, "the port of %s was not kept: a new one when needed",
			s->name);
		restore_drop(d, r);
		restore_drop(d, w);
	}
	if (ss->checked_in)
		registry_checked_in(s);
	else
		registry_released(s);
	/* The job still holds the right (the decoder let a request come with
	 * nothing else): its release is still to be seen. */
	r = restore_plan_take(p, ss->release_id);
	if (r >= 0 && service_release_adopt(s, r, server_released, d) < 0)
		log_job(LOG_WARNING, label, "%s: its release will be seen at exit only", s->name);
}

/*
 * Whether process @pid started at @want (0: not known, so no), read after
 * a pidfd of it was taken: then the process the pidfd names, not a later
 * one given the pid (that one would have started later).
 */
static bool started_at(pid_t pid, uint64_t want)
{
	uint64_t start;

	return want && process_start_time(pid, &start) == 0 && start == want;
}

/* The process of @sj, if it still runs: our child after a re-exec, else by pidfd. */
static void find_process(struct restore_plan *p, const struct state_job *sj, struct job_saved *sv)
{
	int pidfd;

	if (sj->pid <= 0)
		return;
	if (p->same_process) {
		sv->pid = sj->pid;      /* still our child: if it ended, waitpid tells */
		return;
	}
	pidfd = (int)syscall(SYS_pidfd_open, sj->pid, 0);
	if (pidfd < 0 || !started_at(sj->pid, sj->proc_start)) {
		if (pidfd >= 0)
			close(pidfd);
		sv->exited_while_down = true;
		return;
	}
	sv->pid = sj->pid;
	sv->pidfd = pidfd;
}

void restore_env(struct domain *d, struct restore_plan *p)
{
	for (size_t i = 0; i < p->st.n_env; i++) {
		const struct state_env *e = &p->st.env[i];
		int err = e->job ? 0 : domain_env_set(d, e->key, e->value);

		if (err < 0)
			log_warnx("environment variable %s not restored: %s", e->key, strerror(-err));
	}
}

/*
 * The variables @job published before the restart: its own again, now
 * naming its listeners opened anew, whichever job with the same key
 * published first while loading.
 */
static void publish_again(struct domain *d, struct restore_plan *p, const struct job *job)
{
	const char *const *env = sockets_env(job->sockets);

	for (size_t k = 0; env && env[k]; k++) {
		char key[DOMAIN_ENV_MAX + 1];
		const char *value = domain_env_split(env[k], key);
		struct state_env *e = value ? strmap_get(&p->published, key) : NULL;

		if (!e || strcmp(e->job, job->spec->label) != 0)
			continue;
		strmap_del(&p->published, key);
		if (domain_env_set(d, key, value) < 0)
			log_job(LOG_WARNING, job->spec->label, "%s is not exported to the domain again",
				key);
		else
			log_job(LOG_INFO, job->spec->label, "%s is exported to the domain again", key);
	}
}

bool restore_job(struct domain *d, struct job *job)
{
	struct restore_plan *p = d->restore;
	struct state_job *sj = strmap_del(&p->jobs, job->spec->label);
	struct job_saved sv = { .pidfd = -1, .conn_fd = -1 };

	publish_again(d, p, job);
	if (!sj)
		return false;
	for (size_t i = 0; i < job->n_services; i++)
		restore_service(d, p, job->spec->label, job->services[i]);
	find_process(p, sj, &sv);
	if (sv.pid > 0)
		sv.conn_fd = restore_plan_take(p, sj->conn_id);
	sv.state = (enum job_state)sj->state;
	sv.pending_reason = (enum job_reason)sj->pending_reason;
	sv.last_reason = (enum job_reason)sj->last_reason;
	sv.has_exited = sj->has_exited;
	sv.demanded = sj->demanded;
	sv.start_time = (struct timespec){ .tv_sec = sj->start_sec, .tv_nsec = sj->start_nsec };
	sv.runs = sj->runs;
	sv.early_failures = sj->early_failures;
	sv.last_status = sj->last_status;
	sv.failure = sj->failure;
	job_restore(job, &sv);
	return true;
}

int restore_listener(struct domain *d, const char *label, const char *name, unsigned int entry,
		     unsigned int pos)
{
	struct restore_plan *p = d->restore;
	const struct state_job *sj = strmap_get(&p->jobs, label);

	for (size_t i = 0; sj && i < sj->n_listeners; i++) {
		const struct state_listener *l = &sj->listeners[i];

		if (l->entry == entry && l->pos == pos && strcmp(l->name, name) == 0)
			return restore_plan_take(p, l->id);
	}
	return -1;
}

void restore_drop(struct domain *d, int fd)
{
	if (fd < 0)
		return;
	close(fd);
	fdstore_remove_id(d->fdstore, fd);
}

void restore_drop_listener(struct domain *d, int fd)
{
	restore_drop(d, fd);
	fdstore_wait_removed(d->fdstore);
}

int restart_listen_fd(struct domain *d)
{
	struct restore_plan *p = d->restore;

	return p ? restore_plan_take(p, p->st.listen_id) : -1;
}

/* Why a registration is not restored when its owner is gone: its ordinary end. */
static const char owner_exited[] = "its process exited";
static const char owner_exited_in_restart[] = "its process exited during the restart";

/* A registration not restored, and why: a warning unless its owner exited. */
static void log_dropped(const struct state_service *ss, const char *why)
{
	if (why == owner_exited || why == owner_exited_in_restart)
		log_info("%s name %s of process %d removed: %s",
			 ss->dynamic ? "dynamic" : "registered", ss->name, (int)ss->owner_pid, why);
	else
		log_warnx("%s name %s of process %d dropped: %s",
			  ss->dynamic ? "dynamic" : "registered", ss->name, (int)ss->owner_pid, why);
}

/* Whether the process @pidfd names has exited: a pidfd polls readable then. */
static bool pidfd_exited(int pidfd)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

	/* An error leaves it watched: its exit still removes the name. */
	return poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLIN | POLLHUP));
}

/*
 * Why the process that a pidfd just opened from @ss's owner pid names may
 * not be the one that registered the name, or NULL.  Read after that
 * pidfd was taken: of the process it names, not of a later one given the
 * pid (that one would have started later).
 */
static const char *not_the_registrant(const struct state_service *ss)
{
	if (!ss->owner_start)
		return "its process's start time was not saved, nor its pidfd kept: "
		       "a later process of its pid could not be told from it";
	return started_at(ss->owner_pid, ss->owner_start) ? NULL : owner_exited;
}

/*
 * @ss's registration again on port @fd (taken), watching its owner again
 * if it went with it: through @pidfd (taken), the owner's pidfd kept
 * across the restart, else one opened from its pid and checked by start
 * time.  Return: the service, or NULL with *@why set.
 */
static struct service *registered_again(struct domain *d, const struct state_service *ss,
					int fd, int pidfd, const char **why)
{
	/* An older daemon did not say: a plain process's name went with it. */
	bool until_exit = ss->exit_rule_saved ? ss->until_exit : !job_find_pid(d, ss->owner_pid);
	struct service_owner owner = { .pid = ss->owner_pid, .uid = ss->owner_uid,
				       .per_pid = ss->per_pid, .until_exit = until_exit,
				       .start = ss->owner_start };
	struct service *s;

	if (pidfd >= 0)
		s = service_adopt_registered(d->base, ss->name, fd, &owner, pidfd,
					     server_name_died, d);
	else
		s = service_new_registered(d->base, ss->name, fd, &owner, server_name_died, d);
	if (!s)
		*why = errno == ESRCH ? owner_exited : strerror(errno);
	else if (pidfd < 0 && until_exit && ss->exit_rule_saved &&
		 (*why = not_the_registrant(ss)))
		s = service_free(s);
	return s;
}

/*
 * Why @pidfd, kept for @ss's owner, is not to be watched for it, or NULL.
 * It must be a pidfd, and of that process (or of one exited since, which
 * the exit check sees): a damaged or forged state, or a store that kept
 * another file under its number, could name any fd kept.
 */
static const char *kept_pidfd_wrong(const struct state_service *ss, int pidfd)
{
	pid_t pid;
	int err = process_pidfd_pid(pidfd, &pid);

	if (err == -EBADF)
		return "its kept pidfd is not a pidfd";
	if (err < 0)
		return "its kept pidfd cannot be read (no /proc)";
	if (pid > 0 && pid != ss->owner_pid)
		return "its kept pidfd names another process";
	return NULL;
}

/* Why the owner pidfd @pidfd kept for @ss (-1: none) is not to be watched, or NULL. */
static const char *kept_owner_wrong(const struct state_service *ss, int pidfd)
{
	const char *why = pidfd >= 0 ? kept_pidfd_wrong(ss, pidfd) : NULL;

	if (!why && pidfd >= 0 && pidfd_exited(pidfd))
		why = owner_exited_in_restart;
	return why;
}

/*
 * A registration again.  An owner that exited meanwhile takes its names
 * with it, as it would have with the daemon running; a name dropped for
 * any reason is logged with why.
 */
static void restore_one_registered(struct domain *d, struct restore_plan *p,
				   const struct state_service *ss, int fd)
{
	int pidfd = restore_plan_take(p, ss->owner_pidfd_id);
	const char *why = kept_owner_wrong(ss, pidfd);
	struct service *s = NULL;

	if (why) {
		restore_drop(d, pidfd);
		restore_drop(d, fd);
	} else {
		s = registered_again(d, ss, fd, pidfd, &why);
	}
	if (s && registry_add(&d->registry, s) != REGISTRY_OK) {
		why = "the name is taken now";
		s = service_free(s);
	}
	if (!s)
		log_dropped(ss, why);
}

/*
 * @ss's dynamic name again on its port, R (taken here) and S @fd (taken),
 * bound to its owner's kept pidfd; checked in as it was.  With S alone
 * kept, a registration of S going with its owner: look-ups still reach
 * the owner's port, but the name cannot be checked in again.
 */
static struct service *dynamic_again(struct domain *d, struct restore_plan *p,
				     const struct state_service *ss, int fd, int pidfd)
{
	struct service_owner owner = { .pid = ss->owner_pid, .uid = ss->owner_uid,
				       .per_pid = ss->per_pid, .until_exit = true };
	int r = restore_plan_take(p, ss->recv_id);
	struct service *s;

	if (r < 0) {
		log_warnx("dynamic name %s of process %d: its receive end was not kept, "
			  "it is kept as a registered name", ss->name, (int)ss->owner_pid);
		return service_adopt_registered(d->base, ss->name, fd, &owner, pidfd,
						server_name_died, d);
	}
	s = service_adopt_dynamic(d->base, ss->name, &owner, r, fd, pidfd, server_name_died, d);
	if (s)
		restore_channels(p, ss, s);
	if (s && ss->checked_in)
		registry_checked_in(s);
	r = s && ss->checked_in ? restore_plan_take(p, ss->release_id) : -1;
	if (r >= 0 && service_release_adopt(s, r, server_released, d) < 0)
		log_warnx("%s: its release will be seen at exit only", ss->name);
	return s;
}

/* A dynamic name again, as a registration is (restore_one_registered()). */
static void restore_one_dynamic(struct domain *d, struct restore_plan *p,
				const struct state_service *ss, int fd)
{
	int pidfd = restore_plan_take(p, ss->owner_pidfd_id);
	const char *why = pidfd >= 0 ? kept_owner_wrong(ss, pidfd) : "its process's pidfd was not kept";
	struct service *s = NULL;

	if (why) {
		restore_drop(d, pidfd);
		restore_drop(d, fd);
	} else if (!(s = dynamic_again(d, p, ss, fd, pidfd))) {
		why = strerror(errno);
	}
	if (s && registry_add(&d->registry, s) != REGISTRY_OK) {
		why = "the name is taken now";
		s = service_free(s);
	}
	if (!s)
		log_dropped(ss, why);
}

static void restore_registered(struct domain *d, struct restore_plan *p)
{
	for (size_t i = 0; i < p->st.n_services; i++) {
		struct state_service *ss = &p->st.services[i];
		int fd;

		if (ss->job)
			continue;       /* restored with its job */
		if (!ss->per_pid && strmap_get(&p->names, ss->name) != ss) {
			log_dropped(ss, "saved twice");
			continue;
		}
		fd = restore_plan_take(p, ss->send_id);
		if (fd >= 0 && ss->dynamic)
			restore_one_dynamic(d, p, ss, fd);
		else if (fd >= 0)
			restore_one_registered(d, p, ss, fd);
		else
			log_dropped(ss, "its port was not kept");
	}
}

static void report_vanished(struct restore_plan *p)
{
	for (size_t i = 0; i < p->st.n_jobs; i++) {
		const struct state_job *sj = &p->st.jobs[i];

		if (strmap_get(&p->jobs, sj->label) != sj)
			continue;
		if (sj->pid > 0)
			log_job(LOG_WARNING, sj->label, "no longer loaded: its ports are dropped, "
				"pid %d is left to end", (int)sj->pid);
		else
			log_job(LOG_INFO, sj->label, "no longer loaded: its ports are dropped");
	}
}

void restart_end(struct domain *d)
{
	struct restore_plan *p = d->restore;

	if (!p)
		return;
	restore_registered(d, p);
	report_vanished(p);
	for (size_t i = 0; i < p->st.n_clients; i++) {
		int fd = restore_plan_take(p, p->st.clients[i]);

		if (fd >= 0)
			conn_new(d, fd, NULL);
	}
	/* The fds nothing took are closed next: they leave the store now. */
	for (size_t i = 0; i < p->n_present; i++)
		if (!p->used[i])
			fdstore_remove_id(d->fdstore, p->present[i]);
	restore_plan_free(p);
	d->restore = NULL;
	d->restore_job = NULL;
	d->restore_listener = NULL;
	d->restore_drop = NULL;
	domain_changed(d);
	/* What changed during the restart (a job, the network) is seen now:
	 * the loads just made walked none of the curious jobs. */
	job_others_changed(d);
	supervise_reap(d);      /* children that ended while we were being executed */
}
