/* SPDX-License-Identifier: MIT */
/*
 * control.c - bsctl's requests: one table says, for each id, how many
 * out-of-line descriptors it carries, who may ask and which handler
 * answers.  Everyone may read the jobs' state (list, print, blame,
 * print-disabled); changing the domain needs its owner or root, and so
 * does reading the environment it gives its jobs (getenv, print DOMAIN)
 * and where its job directories are, in a user's domain (in the system
 * domain anyone may read them, as launchd's system domain "may be read
 * or queried by anyone").  Both are judged from
 * the kernel's credentials of the request, never from what the client
 * says.  A request naming another domain than ours is refused first.  The
 * start/stop family is here; the read-only requests are in control-show.c,
 * the ones that change the job set in control-load.c, the ones about the
 * domain as a whole in control-domain.c.
 */
#include "control.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "control-handlers.h"
#include "control-proto.h"
#include "domain.h"
#include "ipc.h"
#include "job.h"
#include "job-spec.h"
#include "log.h"
#include "log-limit.h"

/* Who may make a request. */
enum access {
	ANYONE,
	OWNER,                  /* the domain's owner or root */
	OWNER_UNLESS_SYSTEM,    /* reads private to a user's domain */
};

struct handler {
	enum control_id id;
	enum access access;
	unsigned int ndesc;     /* out-of-line descriptors (each an OOL region) */
	bool whole_domain;      /* arg is no label (it may hold a secret): logs name the domain */
	const char *what;       /* for the refusal's log line */
	control_fn *fn;
};

bool control_owns(mach_msg_id_t id)
{
	return id >= CONTROL_LIST && id <= CONTROL_LAST;
}

static struct job *find(const struct control_call *call)
{
	return call->req->arg[0] ? strmap_get(&call->d->jobs, call->req->arg) : NULL;
}

static kern_return_t do_start(struct control_call *call)
{
	struct job *job = find(call);

	if (!job)
		return CONTROL_E_NOT_FOUND;
	if (job_is_running(job))
		return KERN_SUCCESS;
	return job_start(job, REASON_CONTROL) < 0 ? KERN_FAILURE : KERN_SUCCESS;
}

static kern_return_t do_stop(struct control_call *call)
{
	struct job *job = find(call);

	if (!job)
		return CONTROL_E_NOT_FOUND;
	job_stop(job);
	return KERN_SUCCESS;
}

/* -k on a running job: job_restart(). */
static kern_return_t do_kickstart(struct control_call *call)
{
	struct job *job = find(call);

	if (!job)
		return CONTROL_E_NOT_FOUND;
	if (!job_is_running(job))
		return job_kickstart(job) < 0 ? KERN_FAILURE : KERN_SUCCESS;
	if (!(call->req->flags & CONTROL_F_KILL))
		return KERN_SUCCESS;
	return job_restart(job) < 0 ? KERN_FAILURE : KERN_SUCCESS;
}

static kern_return_t do_kill(struct control_call *call)
{
	struct job *job = find(call);
	int sig = call->req->signal;

	if (!job)
		return CONTROL_E_NOT_FOUND;
	if (sig <= 0 || sig >= NSIG)
		return CONTROL_E_INVALID;
	if (!job_is_running(job))
		return KERN_FAILURE;
	return kill(job->pid, sig) < 0 ? KERN_FAILURE : KERN_SUCCESS;
}

static const struct handler handlers[] = {
	{ CONTROL_LIST, ANYONE, 0, false, "list", control_show_list },
	{ CONTROL_PRINT, ANYONE, 0, false, "print", control_show_print },
	{ CONTROL_BLAME, ANYONE, 0, false, "blame", control_show_blame },
	{ CONTROL_LOAD, OWNER, 1, false, "load", control_load },
	{ CONTROL_UNLOAD, OWNER, 0, false, "unload", control_unload },
	{ CONTROL_ENABLE, OWNER, 0, false, "enable", control_enable },
	{ CONTROL_DISABLE, OWNER, 0, false, "disable", control_disable },
	{ CONTROL_START, OWNER, 0, false, "start", do_start },
	{ CONTROL_STOP, OWNER, 0, false, "stop", do_stop },
	{ CONTROL_KICKSTART, OWNER, 0, false, "kickstart", do_kickstart },
	{ CONTROL_KILL, OWNER, 0, false, "kill", do_kill },
	{ CONTROL_PRINT_DOMAIN, OWNER_UNLESS_SYSTEM, 0, true, "print", control_domain_print },
	{ CONTROL_PRINT_DISABLED, ANYONE, 0, true, "print-disabled", control_domain_print_disabled },
	{ CONTROL_SETENV, OWNER, 0, true, "setenv", control_domain_setenv },
	{ CONTROL_UNSETENV, OWNER, 0, true, "unsetenv", control_domain_unsetenv },
	{ CONTROL_GETENV, OWNER_UNLESS_SYSTEM, 0, true, "getenv", control_domain_getenv },
	{ CONTROL_BOOTOUT_DOMAIN, OWNER, 0, true, "bootout", control_domain_bootout },
	{ CONTROL_REEXEC, OWNER, 0, true, "reexec", control_domain_reexec },
	{ CONTROL_MANAGER, ANYONE, 0, true, "manager", control_domain_manager },
	{ CONTROL_JOB_DIRS, OWNER_UNLESS_SYSTEM, 0, true, "job directories", control_domain_job_dirs },
};

static const struct handler *handler_find(mach_msg_id_t id)
{
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if ((mach_msg_id_t)handlers[i].id == id)
			return &handlers[i];
	return NULL;
}

/* Authority comes from the request's kernel credentials (server.c refuses
 * requests without them). */
static bool authorized(const struct conn *c, const struct ipc_request *rq,
		       const struct handler *h, const char *label)
{
	uid_t uid = rq->creds.uid;

	if (h->access == ANYONE || (h->access == OWNER_UNLESS_SYSTEM && c->domain->system))
		return true;
	if (uid == 0 || uid == c->domain->owner)
		return true;
	log_warnx_limited("control: refused %s of %s to pid %d uid %u", h->what,
			  h->whole_domain ? control_domain_name(c->domain) : label, (int)rq->creds.pid,
			  (unsigned int)uid);
	return false;
}

/* An out-of-line region, inline or in a memfd (wire_validate() checked the rest). */
static bool is_ool(const struct wire_desc *d)
{
	bool ool = d->type == MACH_MSG_OOL_DESCRIPTOR ||
		   d->type == MACH_MSG_OOL_VOLATILE_DESCRIPTOR;

	return ool && (d->kind == WIRE_OOL_INLINE || d->kind == WIRE_OOL_MEMFD);
}

/* Copy and check the body (whole, with a NUL-terminated arg) and the descriptors. */
static int parse_request(const struct ipc_request *rq, const struct handler *h,
			 struct control_request *req)
{
	if (rq->body_len < sizeof(*req) || rq->hdr->ndesc != h->ndesc)
		return -EBADMSG;
	for (unsigned int i = 0; i < h->ndesc; i++)
		if (!is_ool(&rq->desc[i]))
			return -EBADMSG;
	memcpy(req, rq->body, sizeof(*req));
	if (!memchr(req->arg, '\0', sizeof(req->arg)) ||
	    !memchr(req->domain, '\0', sizeof(req->domain)))
		return -EBADMSG;
	return 0;
}

/* The request names another domain: say which one this is. */
static kern_return_t wrong_domain(struct control_call *call)
{
	const char *ours = control_domain_name(call->d);

	fprintf(call->out, "%s: this bootstrapd serves %s, not %s\n", call->d->socket_path,
		ours, call->req->domain);
	log_warnx_limited("control: pid %d uid %u asked for %s, this is %s", (int)call->rq->creds.pid,
			  (unsigned int)call->rq->creds.uid, call->req->domain, ours);
	return CONTROL_E_WRONG_DOMAIN;
}

/* Answer with @fn's code and text (a refusal's text says why). */
static void run(struct conn *c, struct ipc_request *rq, control_fn *fn,
		const struct control_request *req)
{
	struct control_call call = { .d = c->domain, .req = req, .rq = rq };
	char *text = NULL;
	size_t len = 0;
	kern_return_t kr;

	call.out = open_memstream(&text, &len);
	if (!call.out) {
		ipc_reply_error(rq, BOOTSTRAP_NO_MEMORY);
		return;
	}
	kr = fn(&call);
	if (fclose(call.out) != 0) {
		kr = BOOTSTRAP_NO_MEMORY;
		len = 0;
	}
	if (kr != KERN_SUCCESS && len == 0)
		ipc_reply_error(rq, kr);
	else if (ipc_reply_data(rq, kr, text, len + 1) == -E2BIG)
		ipc_reply_error(rq, kr == KERN_SUCCESS ? BOOTSTRAP_NO_MEMORY : kr);
	free(text);
}

void control_dispatch(struct conn *c, struct ipc_request *rq)
{
	const struct handler *h = handler_find(rq->hdr->id);
	struct control_request req;

	if (!h) {
		ipc_reply_error(rq, MIG_BAD_ID);
		return;
	}
	if (parse_request(rq, h, &req) < 0) {
		log_warnx_limited("control: malformed %s request from pid %d uid %u", h->what,
				  (int)rq->creds.pid, (unsigned int)rq->creds.uid);
		ipc_reply_error(rq, MIG_BAD_ARGUMENTS);
		return;
	}
	if (req.domain[0] && strcmp(req.domain, control_domain_name(c->domain)) != 0) {
		run(c, rq, wrong_domain, &req);
		return;
	}
	if (!authorized(c, rq, h, req.arg)) {
		ipc_reply_error(rq, CONTROL_E_NOT_PERMITTED);
		return;
	}
	run(c, rq, h->fn, &req);
}
