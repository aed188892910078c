/* SPDX-License-Identifier: MIT */
/*
 * server.c - bootstrap_check_in, bootstrap_register and bootstrap_look_up,
 * answered as launchd answers them: the routines of bootstrap.defs, called
 * by its generated demux (bootstrapServer.c, run by demux.c).  Who asks is
 * known only from the kernel (SCM_CREDENTIALS on every request, the audit
 * token of the routines), never from the message.
 */
#include "server.h"

#include <errno.h>
#include <string.h>
#include <syslog.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bootstrap_priv.h>
#include <bsm/libbsm.h>

#include "bootstrap-port.h"
#include "bootstrapServer.h"
#include "channels.h"
#include "conn.h"
#include "control.h"
#include "demux.h"
#include "domain.h"
#include "forward.h"
#include "ipc.h"
#include "job.h"
#include "job-spec.h"
#include "launch-proto.h"
#include "log.h"
#include "log-limit.h"
#include "registry.h"
#include "service.h"
#include "sockets.h"

#define NAME_BODY_LEN (sizeof(NDR_record_t) + sizeof(name_t))

/* The service name at the end of the body; NULL unless NUL-terminated within name_t. */
static const char *request_name(const struct ipc_request *rq)
{
	const char *name = rq->body + rq->body_len - sizeof(name_t);

	return memchr(name, '\0', sizeof(name_t)) ? name : NULL;
}

/* The registry's answer as the bootstrap error a client sees. */
static kern_return_t to_kern(enum registry_code code)
{
	switch (code) {
	case REGISTRY_OK:
		return BOOTSTRAP_SUCCESS;
	case REGISTRY_E_UNKNOWN:
		return BOOTSTRAP_UNKNOWN_SERVICE;
	case REGISTRY_E_ACTIVE:
		return BOOTSTRAP_SERVICE_ACTIVE;
	case REGISTRY_E_NO_MEMORY:
		return BOOTSTRAP_NO_MEMORY;
	default:
		return BOOTSTRAP_NOT_PRIVILEGED;
	}
}

/* Who asks, by the kernel's word. */
struct caller {
	struct demux_call *call;
	struct conn *conn;
	struct domain *d;
	pid_t pid;
	uid_t uid;
};

static kern_return_t caller_of(mach_port_t bp, audit_token_t token, struct caller *who)
{
	who->call = demux_call(bp);
	if (!who->call)
		return MIG_SERVER_DIED;
	who->conn = who->call->conn;
	who->d = who->conn->domain;
	who->pid = audit_token_to_pid(token);
	who->uid = audit_token_to_euid(token);
	return KERN_SUCCESS;
}

/*
 * The job of process @pid: the connection's own, else any job's, by the
 * running jobs' index (job-running.c), not a walk of them.  A job's
 * child, on the port it inherited, is no job's.
 */
static struct job *job_of(const struct caller *who)
{
	struct job *j = who->conn->job;

	return j && j->pid == who->pid ? j : job_find_pid(who->d, who->pid);
}

void server_name_died(struct service *s, void *arg)
{
	struct domain *d = arg;

	registry_remove(&d->registry, s);
	service_free(s);
	domain_changed(d);      /* the saved state must not keep the name */
}

/* Wanting fds is answered as a refused connection is; anything else is memory. */
static kern_return_t shortage_or_memory(int err)
{
	return err == EMFILE || err == ENFILE ? KERN_RESOURCE_SHORTAGE : BOOTSTRAP_NO_MEMORY;
}

/*
 * Whether the fds just made for @s (its port, a dynamic name's pidfd) took
 * from the daemon's own part of the reserve: each was the lowest free fd
 * then, so the highest tells.
 */
static bool made_in_reserve(const struct service *s)
{
	int top = s->recv_fd > s->send_fd ? s->recv_fd : s->send_fd;
	int pidfd = s->bound ? service_binding(s)->pidfd : -1;

	return conn_fd_in_daemon_reserve(pidfd > top ? pidfd : top);
}

/*
 * The port of @s, made now if need be (service.h: ports are lazy).  Made
 * for a client (a look-up, or a check-in of a name its job does not
 * declare), it may not take the fds kept for the daemon's own needs
 * (conn_fd_in_daemon_reserve()): those go to spawns, replies and the log,
 * not to ports a client asks for by the thousand.  A job's own declared
 * names are bounded by the plists, and refusing one would only send the
 * job into a restart loop.  Wanting fds is answered as a refused connection
 * is, KERN_RESOURCE_SHORTAGE, so that a caller sees one answer for one
 * cause whichever limit it met first.
 */
static kern_return_t port_made(struct service *s, bool for_client)
{
	bool fresh = !service_has_port(s);
	int err = service_port_ensure(s);

	if (err == 0 && fresh && for_client && made_in_reserve(s)) {
		service_reset_port(s);
		err = -EMFILE;
	}
	if (err == 0)
		return KERN_SUCCESS;
	log_warnx_limited("cannot make the port of %s: %s", s->name, strerror(-err));
	return shortage_or_memory(-err);
}

/* The reply carrying the receive right went out: the job now holds it. */
static void checked_in(void *arg, bool ok)
{
	struct service *s = arg;

	service_release_sent(s);
	if (!ok)
		return;         /* the caller is gone: nothing changes */
	registry_checked_in(s);
	if (s->job)
		log_job(LOG_DEBUG, s->job->spec->label, "checked in %s", s->name);
}

void server_released(struct service *s, void *arg)
{
	struct domain *d = arg;

	if (!s->checked_in)
		return;         /* its job exited: known already */
	registry_released(s);
	/* Its channels are not told: the process lives on, and with it the
	 * reply rights of the calls it took, which it may still answer or
	 * drop (SO_DIED).  Its exit tells them (job.c release_ports()). */
	if (!s->job) {
		log_debug("pid %d let go of %s", (int)service_owner_pid(s), s->name);
		domain_changed(d);      /* a dynamic name: a restart must not find it held */
		return;
	}
	log_job(LOG_DEBUG, s->job->spec->label, "let go of %s", s->name);
	/* As launchd's machservice_resetport() when the right comes back. */
	if (s->reset_at_close)
		service_reset_port(s);
	domain_changed(s->job->domain); /* a restart must not find it held */
}

/*
 * @s's receive right to the caller: a copy of R (the daemon keeps its own,
 * so that messages sent after the job exits wait for the next launch), S,
 * a port-destroyed request, as launchd attaches one, by which the daemon
 * learns when the caller lets R go, and every channel's B (channels.h):
 * the receiver answers channel calls up them.  Checked in once the reply
 * is out.
 */
static mach_port_t give_receive(const struct caller *who, struct service *s)
{
	int fds[DEMUX_RIGHT_MAX_FDS] = { s->recv_fd, s->send_fd,
					 service_release_arm(s, server_released, who->d) };
	bool pd = fds[2] >= 0;
	size_t n = pd ? 3 : 2, nchan = channels_check_in(s, fds + n, DEMUX_RIGHT_MAX_FDS - n);

	if (!pd)
		log_warnx_limited("%s: no port-destroyed request (%s): its release is seen at exit only",
				  s->name, strerror(-fds[2]));
	who->call->sent = checked_in;
	who->call->sent_arg = s;
	return demux_give_receive(who->call, fds, n + nchan,
				  WIRE_F_MASTER | (pd ? WIRE_F_PDREQUEST : 0), nchan);
}

/* As launchd: a check-in of a name nobody holds makes it, for the caller. */
static kern_return_t check_in_dynamic(const struct caller *who, const char *name,
				      const struct job *job, bool per_pid, mach_port_t *sp)
{
	struct service *s = service_new_dynamic(who->d->base, name, who->pid, who->uid, per_pid,
						server_name_died, who->d);
	if (!s && errno == ESRCH)       /* the caller is gone, nobody reads the answer */
		return BOOTSTRAP_NOT_PRIVILEGED;
	/* Its port and pidfd were made for a client: as port_made(). */
	if (s && made_in_reserve(s)) {
		s = service_free(s);
		errno = EMFILE;
	}
	if (!s) {
		log_warnx_limited("cannot make the port of %s: %s", name, strerror(errno));
		return shortage_or_memory(errno);
	}
	if (registry_add(&who->d->registry, s) != REGISTRY_OK) {
		service_free(s);
		return BOOTSTRAP_NO_MEMORY;
	}
	if (job && !per_pid)
		log_job(LOG_NOTICE, job->spec->label, "checked in %s, which it does not declare: "
			"made until its process exits (add it to the job's MachServices)", name);
	else
		log_info("pid %d uid %d checked in %s: a dynamic %sservice until its process exits",
			 (int)who->pid, (int)who->uid, name, per_pid ? "per-PID " : "");
	*sp = give_receive(who, s);
	return KERN_SUCCESS;
}

static void log_check_in_refused(const struct caller *who, const char *name,
				 const struct job *caller, const struct service *s)
{
	log_warnx_limited("pid %d uid %d (%s) tried to check in %s, which belongs to %s: refused",
			  (int)who->pid, (int)who->uid, caller ? caller->spec->label : "not a job", name,
			  s->job ? s->job->spec->label : "another process");
}

/*
 * A right to @name (@who's per-PID name if @per_pid) let go before this
 * request was sent, which the loop has not seen yet: seen now, so that
 * neither a check-in nor a register finds the name still held.
 */
static void settle_release(const struct caller *who, const char *name, bool per_pid)
{
	struct service *s = NULL;

	if (per_pid)
		registry_look_up_pid(&who->d->registry, name, who->pid, &s);
	else
		registry_look_up(&who->d->registry, name, &s);
	if (s && s->checked_in)
		service_release_settle(s);
}

/* The registry's answer to @who's check-in of @name (its per-PID name if @per_pid). */
static enum registry_code check_in_code(const struct caller *who, const char *name,
					const struct job *caller, bool per_pid,
					struct service **s)
{
	const struct registry *r = &who->d->registry;

	if (per_pid)
		return registry_check_in_pid(r, name, who->pid, who->uid, caller != NULL, s);
	return registry_check_in(r, name, caller, who->pid, who->uid, s);
}

kern_return_t bsd_mig_check_in2(mach_port_t bp, name_t name, mach_port_t *sp,
				audit_token_t token, uint64_t flags)
{
	bool per_pid = flags & BOOTSTRAP_PER_PID_SERVICE;
	struct caller who;
	struct job *caller;
	enum registry_code code;
	struct service *s;
	kern_return_t kr = caller_of(bp, token, &who);

	if (kr != KERN_SUCCESS)
		return kr;
	caller = job_of(&who);
	settle_release(&who, name, per_pid);
	code = check_in_code(&who, name, caller, per_pid, &s);
	if (code == REGISTRY_E_NOT_JOB)
		log_check_in_refused(&who, name, caller, s);
	if (code == REGISTRY_E_NOT_ROOT)
		log_warnx_limited("pid %d uid %d tried to make %s in the system domain: refused (root only)",
				  (int)who.pid, (int)who.uid, name);
	if (code == REGISTRY_CREATE && (flags & BOOTSTRAP_STRICT_CHECKIN))
		return BOOTSTRAP_UNKNOWN_SERVICE;       /* launchd's strict check-in */
	if (code == REGISTRY_CREATE)
		return check_in_dynamic(&who, name, caller, per_pid, sp);
	if (code != REGISTRY_OK)
		return to_kern(code);
	kr = port_made(s, !s->job);     /* a job's own declared name: not a client's ask */
	if (kr != KERN_SUCCESS)
		return kr;
	*sp = give_receive(&who, s);
	return KERN_SUCCESS;
}

/* A user domain asks the system domain for a name it does not know. */
static kern_return_t forward_look_up(const struct caller *who, const char *name,
				     pid_t target_pid, uint64_t flags)
{
	struct domain *d = who->d;

	if (!d->parent && !(d->parent = forwarder_new(d->parent_socket)))
		return BOOTSTRAP_NO_MEMORY;
	return forwarder_look_up(d->parent, who->call->rq, name, target_pid, flags);
}

kern_return_t bsd_mig_look_up2(mach_port_t bp, name_t name, mach_port_t *sp,
			       audit_token_t token, int targetpid, uint64_t flags)
{
	struct caller who;
	struct service *s;
	enum registry_code code;
	kern_return_t kr = caller_of(bp, token, &who);

	if (kr != KERN_SUCCESS)
		return kr;
	/* As launchd: a per-PID look-up finds that process's own names only,
	 * here, and a plain one never finds them. */
	if (flags & BOOTSTRAP_PER_PID_SERVICE)
		code = registry_look_up_pid(&who.d->registry, name, targetpid, &s);
	else
		code = registry_look_up(&who.d->registry, name, &s);
	/* Never a request this daemon forwarded itself: a parent path leading
	 * back here would loop. */
	if (code == REGISTRY_E_UNKNOWN && who.d->parent_socket && who.pid != getpid() &&
	    !(flags & (BOOTSTRAP_FORCE_LOCAL | BOOTSTRAP_PER_PID_SERVICE)))
		return forward_look_up(&who, name, targetpid, flags);
	if (code != REGISTRY_OK)
		return to_kern(code);
	kr = port_made(s, true);
	if (kr != KERN_SUCCESS)
		return kr;
	*sp = demux_give_port(who.call, s->send_fd, s->send_ino);
	return KERN_SUCCESS;
}

/* The reply went out (or not): the daemon's copy of the parent's port goes. */
static void close_parent(void *arg, bool ok)
{
	(void)ok;
	close((int)(intptr_t)arg);
}

/*
 * launchd: a user domain's parent is the system domain; the root domain's
 * is itself.  Anyone may ask, as launchd's job_mig_parent() lets them
 * (Apple's header says root only; the code never checked): the system
 * domain's socket is open to every user anyway.
 */
kern_return_t bsd_mig_parent(mach_port_t bp, mach_port_t *pp, audit_token_t token)
{
	struct caller who;
	kern_return_t kr = caller_of(bp, token, &who);
	int fd;

	if (kr != KERN_SUCCESS)
		return kr;
	fd = bootstrap_port_connect_fd(who.d->parent_socket ? who.d->parent_socket :
				       who.d->socket_path);
	if (fd < 0) {
		log_warnx("cannot reach the parent domain: %s", strerror(-fd));
		return shortage_or_memory(-fd);
	}
	*pp = demux_give(who.call, WIRE_PORT_SEND, &fd, 1, 0);
	who.call->sent = close_parent;
	who.call->sent_arg = (void *)(intptr_t)fd;
	return KERN_SUCCESS;
}

/* bootstrap_info's three arrays for the domain's names; malloc'd, freed with the reply. */
static kern_return_t info_arrays(const struct registry *r, name_t **names, name_t **jobs,
				 int **actives, size_t *n)
{
	struct service *s;
	size_t i = 0, k = 0;

	*n = registry_count(r);
	*names = calloc(*n ? *n : 1, sizeof(name_t));
	*jobs = calloc(*n ? *n : 1, sizeof(name_t));
	*actives = calloc(*n ? *n : 1, sizeof(int));
	if (!*names || !*jobs || !*actives) {
		free(*names);
		free(*jobs);
		free(*actives);
		return BOOTSTRAP_NO_MEMORY;
	}
	while (k < *n && (s = registry_next(r, &i))) {
		snprintf((*names)[k], sizeof(name_t), "%s", s->name);
		snprintf((*jobs)[k], sizeof(name_t), "%s", s->job ? s->job->spec->label : "");
		(*actives)[k++] = (int)registry_status(s, job_kept_alive(s->job));
	}
	*n = k;
	return KERN_SUCCESS;
}

kern_return_t bsd_mig_info(mach_port_t bp, name_array_t *names, mach_msg_type_number_t *nn,
			   name_array_t *jobs, mach_msg_type_number_t *nj,
			   bootstrap_status_array_t *actives, mach_msg_type_number_t *na,
			   audit_token_t token, uint64_t flags)
{
	struct caller who;
	kern_return_t kr = caller_of(bp, token, &who);
	size_t n;

	(void)flags;    /* a domain lists its own names: BOOTSTRAP_FORCE_LOCAL always */
	if (kr == KERN_SUCCESS)
		kr = info_arrays(&who.d->registry, names, jobs, actives, &n);
	if (kr != KERN_SUCCESS)
		return kr;
	*nn = *nj = *na = (mach_msg_type_number_t)n;
	return KERN_SUCCESS;
}

static void log_register_refused(const struct caller *who, const char *name,
				 enum registry_code code)
{
	static const char *const why[] = {
		[REGISTRY_E_JOB_NAME] = "a job declares (use bootstrap_check_in)",
		[REGISTRY_E_OTHER_PROCESS] = "another process holds",
		[REGISTRY_E_LET_GO] = "it let go (use bootstrap_check_in)",
	};

	if (code == REGISTRY_E_NOT_ROOT)
		log_warnx_limited("pid %d uid %d tried to register %s in the system domain: refused",
				  (int)who->pid, (int)who->uid, name);
	else if (code < sizeof(why) / sizeof(why[0]) && why[code])
		log_warnx_limited("pid %d uid %d tried to register %s, which %s: refused",
				  (int)who->pid, (int)who->uid, name, why[code]);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

/*
 * Bind @name (@who's own if @per_pid) to the send right in @fd (taken),
 * for @who (@job: the job it is the process of, or NULL).  As launchd, a
 * plain process's names go when it exits; a job's stay with the job.
 */
static kern_return_t bind_registered(const struct caller *who, const char *name, bool per_pid,
				     const struct job *job, int *fd)
{
	struct domain *d = who->d;
	struct service_owner owner = { .pid = who->pid, .uid = who->uid, .per_pid = per_pid,
				       .until_exit = per_pid || !job };
	struct service *s = service_new_registered(d->base, name, *fd, &owner, server_name_died, d);

	*fd = -1;               /* taken either way */
	if (!s && errno == ESRCH)       /* the caller is gone, nobody reads the answer */
		return BOOTSTRAP_NOT_PRIVILEGED;
	if (s && made_in_reserve(s)) {  /* its pidfd, made for a client: as port_made() */
		s = service_free(s);
		errno = EMFILE;
	}
	if (!s) {
		log_warnx_limited("cannot register %s: %s", name, strerror(errno));
		return shortage_or_memory(errno);
	}
	if (registry_add(&d->registry, s) != REGISTRY_OK) {
		service_free(s);
		return BOOTSTRAP_NO_MEMORY;
	}
	log_info("pid %d uid %d registered %s%s", (int)who->pid, (int)who->uid,
		 per_pid ? "its per-PID " : "", name);
	return BOOTSTRAP_SUCCESS;
}

kern_return_t bsd_mig_register2(mach_port_t bp, name_t name, mach_port_t sp,
				audit_token_t token, uint64_t flags)
{
	__attribute__((cleanup(close_fd))) int fd = -1;
	struct caller who;
	enum registry_code code;
	struct service *s;
	struct job *job;
	bool per_pid = flags & BOOTSTRAP_PER_PID_SERVICE;
	kern_return_t kr = caller_of(bp, token, &who);

	if (kr != KERN_SUCCESS)
		return kr;
	if (sp != MACH_PORT_NULL && (fd = demux_take(who.call, sp)) < 0)
		return BOOTSTRAP_NOT_PRIVILEGED;
	job = job_of(&who);
	settle_release(&who, name, per_pid);    /* the same race as check-in's */
	if (per_pid)
		code = registry_may_register_pid(&who.d->registry, name, who.pid, who.uid, job != NULL,
						 sp == MACH_PORT_NULL, &s);
	else
		code = registry_may_register(&who.d->registry, name, job, who.pid, who.uid,
					     sp == MACH_PORT_NULL, &s);
	log_register_refused(&who, name, code);
	if (code != REGISTRY_OK)
		return to_kern(code);
	if (sp != MACH_PORT_NULL)
		return bind_registered(&who, name, per_pid, job, &fd);
	if (s) {
		log_info("pid %d uid %d undeclared %s", (int)who.pid, (int)who.uid, name);
		registry_remove(&who.d->registry, s);
		service_free(s);
	}
	return BOOTSTRAP_SUCCESS;
}

/*
 * launch_activate_socket(): the caller's job by its kernel pid, as for
 * check-in.  The reply code is an errno value (launch-proto.h).
 */
static kern_return_t activate_socket(struct conn *c, struct ipc_request *rq, const char *name)
{
	pid_t pid = rq->creds.pid;
	bool instance = false;
	/* The connection's own job first, as job_of(): no walk in the common case. */
	struct job *job = c->job && c->job->pid == pid ? c->job :
			  job_find_child(c->domain, pid, &instance);
	const int *fds;
	size_t n;
	int r;

	if (job && instance)
		return ENOENT;  /* an inetd instance: its connection is its stdin */
	if (!job) {
		log_debug("pid %d uid %d asked for socket %s but is not a job: ESRCH", (int)pid,
			  (int)rq->creds.uid, name);
		return ESRCH;
	}
	r = sockets_activate(job->sockets, pid, name, &fds, &n);
	if (r < 0)
		return -r;
	if (ipc_reply_fds(rq, fds, n) == 0)
		log_job(LOG_DEBUG, job->spec->label, "socket %s activated (%zu fd(s))", name, n);
	return KERN_SUCCESS;
}

static void answer(struct ipc_request *rq, kern_return_t kr)
{
	/* A handler that replied itself sets no error; errors are replied here. */
	if (kr != KERN_SUCCESS || ipc_reply_pending(rq))
		ipc_reply_error(rq, kr);
}

/* launch_activate_socket(): not a bootstrap routine; its own layout (launch-proto.h). */
static void dispatch_activate_socket(struct conn *c, struct ipc_request *rq)
{
	const char *name;

	if (rq->body_len != NAME_BODY_LEN || rq->hdr->ndesc != 0 || !(name = request_name(rq))) {
		log_warnx_limited("malformed request %d from pid %d uid %d", rq->hdr->id,
				  (int)rq->creds.pid, (int)rq->creds.uid);
		answer(rq, MIG_BAD_ARGUMENTS);
		return;
	}
	answer(rq, activate_socket(c, rq, name));
}

void server_dispatch(struct conn *c, struct ipc_request *rq)
{
	if (!rq->creds.valid) {
		log_warnx_limited("request %d without kernel credentials: refused", rq->hdr->id);
		answer(rq, BOOTSTRAP_NOT_PRIVILEGED);
		return;
	}
	if (control_owns(rq->hdr->id)) {
		control_dispatch(c, rq);
		return;
	}
	if (registry_may_ask(&c->domain->registry, rq->creds.uid) != REGISTRY_OK) {
		log_warnx_limited("request %d from pid %d uid %d, not the owner of this user domain: refused",
				  rq->hdr->id, (int)rq->creds.pid, (int)rq->creds.uid);
		answer(rq, BOOTSTRAP_NOT_PRIVILEGED);
		return;
	}
	if (rq->hdr->id == LAUNCH_MSG_ACTIVATE_SOCKET)
		dispatch_activate_socket(c, rq);
	else
		demux_run(c, rq, job_server);
}
