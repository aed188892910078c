/* SPDX-License-Identifier: MIT */
/*
 * server.c - bootstrap_check_in, bootstrap_register and bootstrap_look_up,
 * answered as launchd answers them.  Who asks is known only from the
 * kernel (SCM_CREDENTIALS on every request), never from the message.
 */
#include "server.h"

#include <errno.h>
#include <string.h>
#include <syslog.h>

#include "bootstrap-proto.h"
#include "conn.h"
#include "control.h"
#include "domain.h"
#include "inetd.h"
#include "ipc.h"
#include "job.h"
#include "job-spec.h"
#include "launch-proto.h"
#include "log.h"
#include "registry.h"
#include "service.h"
#include "sockets.h"

#define NAME_BODY_LEN (sizeof(NDR_record_t) + sizeof(name_t))

struct handler {
	mach_msg_id_t id;
	size_t body_len;        /* exact inline body length */
	unsigned int ndesc;
	kern_return_t (*fn)(struct conn *c, struct ipc_request *rq, const char *name);
};

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

static kern_return_t check_in(struct conn *c, struct ipc_request *rq, const char *name)
{
	struct domain *d = c->domain;
	struct job *caller = c->job && c->job->pid == rq->creds.pid ? c->job :
			     job_find_pid(d, rq->creds.pid);
	enum registry_code code;
	struct service *s;
	int fds[2];

	code = registry_check_in(&d->registry, name, caller, &s);
	if (code == REGISTRY_E_NOT_JOB)
		log_warnx("pid %d uid %d (%s) tried to check in %s, which belongs to %s: refused",
			  (int)rq->creds.pid, (int)rq->creds.uid,
			  caller ? caller->spec->label : "not a job", name,
			  s->job ? s->job->spec->label : "a registered port");
	if (code != REGISTRY_OK)
		return to_kern(code);
	fds[0] = s->recv_fd;
	fds[1] = s->send_fd;
	/* The job gets a copy of R: the daemon keeps its own, so that messages
	 * sent after the job exits wait in the port for the next launch. */
	if (ipc_reply_port(rq, WIRE_PORT_RECEIVE, fds, 2, WIRE_F_MASTER) < 0)
		return KERN_SUCCESS;    /* the caller is gone: nothing changes */
	registry_checked_in(s);
	log_job(LOG_DEBUG, caller->spec->label, "checked in %s", name);
	return KERN_SUCCESS;
}

static kern_return_t look_up(struct conn *c, struct ipc_request *rq, const char *name)
{
	struct service *s;
	enum registry_code code = registry_look_up(&c->domain->registry, name, &s);

	if (code != REGISTRY_OK)
		return to_kern(code);
	ipc_reply_port(rq, WIRE_PORT_SEND, &s->send_fd, 1, 0);
	return KERN_SUCCESS;
}

static void log_register_refused(const struct ipc_request *rq, const char *name,
				 enum registry_code code)
{
	if (code == REGISTRY_E_NOT_ROOT)
		log_warnx("pid %d uid %d tried to register %s in the system domain: refused",
			  (int)rq->creds.pid, (int)rq->creds.uid, name);
	else if (code == REGISTRY_E_JOB_NAME || code == REGISTRY_E_OTHER_PROCESS)
		log_warnx("pid %d uid %d tried to register %s, which %s: refused",
			  (int)rq->creds.pid, (int)rq->creds.uid, name,
			  code == REGISTRY_E_JOB_NAME ? "a job declares (use bootstrap_check_in)" :
							"another process holds");
}

/* A registered port died: its name goes with it. */
static void registered_died(struct service *s, void *arg)
{
	struct domain *d = arg;

	registry_remove(&d->registry, s);
	service_free(s);
}

static kern_return_t do_register(struct conn *c, struct ipc_request *rq, const char *name)
{
	struct domain *d = c->domain;
	const struct wire_desc *pd = &rq->desc[0];
	enum registry_code code;
	struct service *s;

	if (pd->type != MACH_MSG_PORT_DESCRIPTOR ||
	    (pd->kind != WIRE_PORT_SEND && pd->kind != WIRE_PORT_NULL))
		return BOOTSTRAP_NOT_PRIVILEGED;
	code = registry_may_register(&d->registry, name, rq->creds.pid, rq->creds.uid,
				     pd->kind == WIRE_PORT_NULL, &s);
	log_register_refused(rq, name, code);
	if (code != REGISTRY_OK)
		return to_kern(code);
	if (pd->kind == WIRE_PORT_NULL) {
		if (s) {
			registry_remove(&d->registry, s);
			service_free(s);
		}
		return BOOTSTRAP_SUCCESS;
	}
	s = service_new_registered(d->base, name, ipc_take_desc_fd(rq, 0), rq->creds.pid,
				   rq->creds.uid, registered_died, d);
	code = s ? registry_add(&d->registry, s) : REGISTRY_E_NO_MEMORY;
	if (code != REGISTRY_OK) {
		service_free(s);
		return BOOTSTRAP_NO_MEMORY;
	}
	log_info("pid %d uid %d registered %s", (int)rq->creds.pid, (int)rq->creds.uid, name);
	return BOOTSTRAP_SUCCESS;
}

/*
 * launch_activate_socket(): the caller's job by its kernel pid, as for
 * check-in.  The reply code is an errno value (launch-proto.h).
 */
static kern_return_t activate_socket(struct conn *c, struct ipc_request *rq, const char *name)
{
	pid_t pid = rq->creds.pid;
	struct job *job = c->job && c->job->pid == pid ? c->job : job_find_pid(c->domain, pid);
	const int *fds;
	size_t n;
	int r;

	if (!job && c->job && inetd_is_instance(c->job->inetd, pid))
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

static const struct handler handlers[] = {
	{ BOOTSTRAP_MSG_CHECK_IN, NAME_BODY_LEN, 0, check_in },
	{ BOOTSTRAP_MSG_REGISTER, NAME_BODY_LEN, 1, do_register },
	{ BOOTSTRAP_MSG_LOOK_UP, NAME_BODY_LEN, 0, look_up },
	{ LAUNCH_MSG_ACTIVATE_SOCKET, NAME_BODY_LEN, 0, activate_socket },
};

static void answer(struct ipc_request *rq, kern_return_t kr)
{
	/* A handler that replied itself sets no error; errors are replied here. */
	if (kr != KERN_SUCCESS || rq->reply_fd >= 0)
		ipc_reply_error(rq, kr);
}

void server_dispatch(struct conn *c, struct ipc_request *rq)
{
	const char *name;

	if (!rq->creds.valid) {
		log_warnx("request %d without kernel credentials: refused", rq->hdr->id);
		answer(rq, BOOTSTRAP_NOT_PRIVILEGED);
		return;
	}
	if (control_owns(rq->hdr->id)) {
		control_dispatch(c, rq);
		return;
	}
	if (registry_may_ask(&c->domain->registry, rq->creds.uid) != REGISTRY_OK) {
		log_warnx("request %d from pid %d uid %d, not the owner of this user domain: refused",
			  rq->hdr->id, (int)rq->creds.pid, (int)rq->creds.uid);
		answer(rq, BOOTSTRAP_NOT_PRIVILEGED);
		return;
	}
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
		const struct handler *h = &handlers[i];

		if (h->id != rq->hdr->id)
			continue;
		if (rq->body_len != h->body_len || rq->hdr->ndesc != h->ndesc ||
		    !(name = request_name(rq))) {
			log_warnx("malformed request %d from pid %d uid %d", h->id,
				  (int)rq->creds.pid, (int)rq->creds.uid);
			answer(rq, MIG_BAD_ARGUMENTS);
			return;
		}
		answer(rq, h->fn(c, rq, name));
		return;
	}
	log_warnx("unknown request %d from pid %d uid %d", rq->hdr->id, (int)rq->creds.pid,
		  (int)rq->creds.uid);
	answer(rq, MIG_BAD_ID);
}
