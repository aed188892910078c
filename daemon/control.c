/* SPDX-License-Identifier: MIT */
/*
 * control.c - bsctl's requests.  Everyone may read (list, print, blame);
 * changing the domain needs its owner or root, judged from the kernel's
 * credentials of the request.
 */
#include "control.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "conn.h"
#include "control-proto.h"
#include "domain.h"
#include "ipc.h"
#include "job.h"
#include "job-spec.h"
#include "log.h"
#include "service.h"

typedef kern_return_t control_fn(struct domain *d, const struct control_request *req, FILE *out);

struct handler {
	enum control_id id;
	bool needs_authority;
	const char *what;       /* for the refusal's log line */
	control_fn *fn;
};

bool control_owns(mach_msg_id_t id)
{
	return id >= CONTROL_LIST && id <= CONTROL_LAST;
}

static bool is_running(const struct job *job)
{
	return job->state == JOB_RUNNING || job->state == JOB_STOPPING;
}

/* launchctl list's status column: last exit status, -signal, or "-". */
static void format_status(const struct job *job, char *buf, size_t len)
{
	if (!job->has_exited)
		snprintf(buf, len, "-");
	else if (WIFSIGNALED(job->last_status))
		snprintf(buf, len, "-%d", WTERMSIG(job->last_status));
	else
		snprintf(buf, len, "%d", WEXITSTATUS(job->last_status));
}

/* A JSON string literal for @s (NULL is null). */
static void json_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void list_text(FILE *f, struct domain *d)
{
	struct job *job;
	size_t i = 0;

	fprintf(f, "PID\tStatus\tLabel\n");
	while ((job = strmap_next(&d->jobs, &i))) {
		char status[16];

		format_status(job, status, sizeof(status));
		if (is_running(job))
			fprintf(f, "%d\t%s\t%s\n", (int)job->pid, status, job->spec->label);
		else
			fprintf(f, "-\t%s\t%s\n", status, job->spec->label);
	}
}

static void list_json(FILE *f, struct domain *d)
{
	struct job *job;
	size_t i = 0;
	const char *sep = "";

	fputc('[', f);
	while ((job = strmap_next(&d->jobs, &i))) {
		char status[16];

		format_status(job, status, sizeof(status));
		fprintf(f, "%s\n  {\"label\": ", sep);
		json_str(f, job->spec->label);
		if (is_running(job))
			fprintf(f, ", \"pid\": %d", (int)job->pid);
		else
			fputs(", \"pid\": null", f);
		fprintf(f, ", \"status\": %s}", job->has_exited ? status : "null");
		sep = ",";
	}
	fputs("\n]\n", f);
}

static void print_exit_text(FILE *f, const struct job *job)
{
	if (!job->has_exited)
		return;
	if (WIFSIGNALED(job->last_status))
		fprintf(f, "\tlast exit signal = %d\n", WTERMSIG(job->last_status));
	else
		fprintf(f, "\tlast exit status = %d\n", WEXITSTATUS(job->last_status));
}

static void print_text(FILE *f, const struct job *job)
{
	const struct job_spec *spec = job->spec;

	fprintf(f, "%s = {\n\tlabel = %s\n", spec->label, spec->label);
	fprintf(f, "\tprogram = %s\n", spec->program ? spec->program : spec->argv[0]);
	fprintf(f, "\targuments = {\n");
	for (size_t i = 0; i < spec->argc; i++)
		fprintf(f, "\t\t%s\n", spec->argv[i]);
	fprintf(f, "\t}\n\tstate = %s\n", job_state_name(job->state));
	if (is_running(job))
		fprintf(f, "\tpid = %d\n", (int)job->pid);
	print_exit_text(f, job);
	fprintf(f, "\truns = %u\n", job->runs);
	fprintf(f, "\tlast start reason = %s\n", job_reason_name(job->last_reason));
	fprintf(f, "\tmachservices = {\n");
	for (size_t i = 0; i < job->n_services; i++)
		fprintf(f, "\t\t%s = %s\n", job->services[i]->name,
			job->services[i]->checked_in ? "checked in" : "not checked in");
	fprintf(f, "\t}\n");
	if (job->failure[0])
		fprintf(f, "\tfailure = %s\n", job->failure);
	if (spec->path)
		fprintf(f, "\tpath = %s\n", spec->path);
	fprintf(f, "}\n");
}

static void print_json_arrays(FILE *f, const struct job *job)
{
	fputs(",\n  \"arguments\": [", f);
	for (size_t i = 0; i < job->spec->argc; i++) {
		fputs(i ? ", " : "", f);
		json_str(f, job->spec->argv[i]);
	}
	fputs("],\n  \"machservices\": {", f);
	for (size_t i = 0; i < job->n_services; i++) {
		fputs(i ? ", " : "", f);
		json_str(f, job->services[i]->name);
		fprintf(f, ": %s", job->services[i]->checked_in ? "true" : "false");
	}
	fputc('}', f);
}

static void print_json(FILE *f, const struct job *job)
{
	const struct job_spec *spec = job->spec;
	bool sig = job->has_exited && WIFSIGNALED(job->last_status);

	fputs("{\n  \"label\": ", f);
	json_str(f, spec->label);
	fputs(",\n  \"program\": ", f);
	json_str(f, spec->program ? spec->program : spec->argv[0]);
	print_json_arrays(f, job);
	fputs(",\n  \"state\": ", f);
	json_str(f, job_state_name(job->state));
	if (is_running(job))
		fprintf(f, ",\n  \"pid\": %d", (int)job->pid);
	if (job->has_exited)
		fprintf(f, ",\n  \"%s\": %d", sig ? "last_exit_signal" : "last_exit_status",
			sig ? WTERMSIG(job->last_status) : WEXITSTATUS(job->last_status));
	fprintf(f, ",\n  \"runs\": %u,\n  \"last_start_reason\": ", job->runs);
	json_str(f, job_reason_name(job->last_reason));
	fputs(",\n  \"failure\": ", f);
	json_str(f, job->failure[0] ? job->failure : NULL);
	fputs(",\n  \"path\": ", f);
	json_str(f, spec->path);
	fputs("\n}\n", f);
}

static struct job *find(struct domain *d, const struct control_request *req)
{
	return req->arg[0] ? strmap_get(&d->jobs, req->arg) : NULL;
}

static kern_return_t do_print(struct domain *d, const struct control_request *req, FILE *out)
{
	struct job *job = find(d, req);

	if (!job)
		return CONTROL_E_NOT_FOUND;
	if (req->flags & CONTROL_F_JSON)
		print_json(out, job);
	else
		print_text(out, job);
	return KERN_SUCCESS;
}

static kern_return_t do_list(struct domain *d, const struct control_request *req, FILE *out)
{
	if (req->arg[0])
		return do_print(d, req, out);
	if (req->flags & CONTROL_F_JSON)
		list_json(out, d);
	else
		list_text(out, d);
	return KERN_SUCCESS;
}

static kern_return_t do_start(struct domain *d, const struct control_request *req, FILE *out)
{
	struct job *job = find(d, req);

	(void)out;
	if (!job)
		return CONTROL_E_NOT_FOUND;
	if (is_running(job))
		return KERN_SUCCESS;
	return job_start(job, REASON_CONTROL) < 0 ? KERN_FAILURE : KERN_SUCCESS;
}

static kern_return_t do_stop(struct domain *d, const struct control_request *req, FILE *out)
{
	struct job *job = find(d, req);

	(void)out;
	if (!job)
		return CONTROL_E_NOT_FOUND;
	job_stop(job);
	return KERN_SUCCESS;
}

/* -k on a running job: SIGKILL it; job_exited() starts it again. */
static kern_return_t do_kickstart(struct domain *d, const struct control_request *req, FILE *out)
{
	struct job *job = find(d, req);

	if (!job)
		return CONTROL_E_NOT_FOUND;
	if (!is_running(job))
		return do_start(d, req, out);
	if (!(req->flags & CONTROL_F_KILL))
		return KERN_SUCCESS;
	job->restart_requested = true;
	if (kill(job->pid, SIGKILL) < 0) {
		job->restart_requested = false;
		return KERN_FAILURE;
	}
	log_job(LOG_INFO, job->spec->label, "kickstart -k: killed pid %d", (int)job->pid);
	return KERN_SUCCESS;
}

static kern_return_t do_kill(struct domain *d, const struct control_request *req, FILE *out)
{
	struct job *job = find(d, req);

	(void)out;
	if (!job)
		return CONTROL_E_NOT_FOUND;
	if (req->signal <= 0 || req->signal >= NSIG)
		return CONTROL_E_INVALID;
	if (!is_running(job))
		return KERN_FAILURE;
	return kill(job->pid, req->signal) < 0 ? KERN_FAILURE : KERN_SUCCESS;
}

static const struct handler handlers[] = {
	{ CONTROL_LIST, false, "list", do_list },
	{ CONTROL_PRINT, false, "print", do_print },
	{ CONTROL_START, true, "start", do_start },
	{ CONTROL_STOP, true, "stop", do_stop },
	{ CONTROL_KICKSTART, true, "kickstart", do_kickstart },
	{ CONTROL_KILL, true, "kill", do_kill },
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

	if (uid == 0 || uid == c->domain->owner)
		return true;
	log_warnx("control: refused %s of %s to pid %d uid %u", h->what, label,
		  (int)rq->creds.pid, (unsigned int)uid);
	return false;
}

/* Copy and check the body: whole, with a NUL-terminated label. */
static int parse_request(const struct ipc_request *rq, struct control_request *req)
{
	if (rq->body_len < sizeof(*req))
		return -EBADMSG;
	memcpy(req, rq->body, sizeof(*req));
	if (!memchr(req->arg, '\0', sizeof(req->arg)))
		return -EBADMSG;
	return 0;
}

static void run(struct conn *c, struct ipc_request *rq, const struct handler *h,
		const struct control_request *req)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	kern_return_t kr;

	if (!f) {
		ipc_reply_error(rq, BOOTSTRAP_NO_MEMORY);
		return;
	}
	kr = h->fn(c->domain, req, f);
	if (fclose(f) != 0)
		kr = BOOTSTRAP_NO_MEMORY;
	if (kr != KERN_SUCCESS)
		ipc_reply_error(rq, kr);
	else if (ipc_reply_data(rq, KERN_SUCCESS, text, len + 1) == -E2BIG)
		ipc_reply_error(rq, BOOTSTRAP_NO_MEMORY);
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
	if (parse_request(rq, &req) < 0) {
		log_warnx("control: malformed request %d from pid %d uid %u", (int)rq->hdr->id,
			  (int)rq->creds.pid, (unsigned int)rq->creds.uid);
		ipc_reply_error(rq, MIG_BAD_ARGUMENTS);
		return;
	}
	if (h->needs_authority && !authorized(c, rq, h, req.arg)) {
		ipc_reply_error(rq, CONTROL_E_NOT_PERMITTED);
		return;
	}
	run(c, rq, h, &req);
}
