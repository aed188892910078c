/* SPDX-License-Identifier: MIT */
/*
 * control-show.c - the read-only requests: list, print and blame, as
 * launchctl-like text or (CONTROL_F_JSON) JSON.  Everyone may ask.
 */
#include "control-handlers.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "control-proto.h"
#include "domain.h"
#include "job.h"
#include "job-spec.h"
#include "service.h"

static struct job *find(const struct control_call *call)
{
	return call->req->arg[0] ? strmap_get(&call->d->jobs, call->req->arg) : NULL;
}

/* launchctl list's status column: last exit status, -signal, or "-". */
void control_format_status(const struct job *job, char *buf, size_t len)
{
	if (!job->has_exited)
		snprintf(buf, len, "-");
	else if (WIFSIGNALED(job->last_status))
		snprintf(buf, len, "-%d", WTERMSIG(job->last_status));
	else
		snprintf(buf, len, "%d", WEXITSTATUS(job->last_status));
}

/* A JSON string literal for @s (NULL is null). */
void control_json_str(FILE *f, const char *s)
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

		control_format_status(job, status, sizeof(status));
		if (job_is_running(job))
			fprintf(f, "%d\t%s\t%s\n", (int)job->pid, status, job->spec->label);
		else
			fprintf(f, "-\t%s\t%s\n", status, job->spec->label);
	}
}

void control_json_job(FILE *f, const struct job *job)
{
	char status[16];

	control_format_status(job, status, sizeof(status));
	fputs("{\"label\": ", f);
	control_json_str(f, job->spec->label);
	if (job_is_running(job))
		fprintf(f, ", \"pid\": %d", (int)job->pid);
	else
		fputs(", \"pid\": null", f);
	fprintf(f, ", \"status\": %s}", job->has_exited ? status : "null");
}

static void list_json(FILE *f, struct domain *d)
{
	struct job *job;
	size_t i = 0;
	const char *sep = "";

	fputc('[', f);
	while ((job = strmap_next(&d->jobs, &i))) {
		fprintf(f, "%s\n  ", sep);
		control_json_job(f, job);
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

static void print_service_text(FILE *f, const struct service *s)
{
	unsigned long queued = service_queued_bytes(s);

	fprintf(f, "\t\t%s = %s", s->name, s->checked_in ? "checked in" : "not checked in");
	if (!service_has_port(s))
		fputs(", port not made yet", f);
	if (queued)
		fprintf(f, ", %lu bytes of messages waiting", queued);
	fputc('\n', f);
}

static void print_text(FILE *f, const struct job *job)
{
	const struct job_spec *spec = job->spec;

	fprintf(f, "%s = {\n\tlabel = %s\n", spec->label, spec->label);
	fprintf(f, "\tprogram = %s\n", job_spec_program(spec));
	fprintf(f, "\targuments = {\n");
	for (size_t i = 0; i < spec->argc; i++)
		fprintf(f, "\t\t%s\n", spec->argv[i]);
	fprintf(f, "\t}\n\tstate = %s\n", job_state_name(job->state));
	if (job->disabled)
		fprintf(f, "\tdisabled = true (loaded with -F)\n");
	if (job_is_running(job))
		fprintf(f, "\tpid = %d\n", (int)job->pid);
	if (job->state == JOB_THROTTLED)
		fprintf(f, "\tstarts in = %lld s\n", (job_throttle_left_ms(job) + 999) / 1000);
	print_exit_text(f, job);
	fprintf(f, "\truns = %u\n", job->runs);
	fprintf(f, "\tlast start reason = %s\n", job_reason_name(job->blame.last_reason));
	fprintf(f, "\tthrottle interval = %d s\n", spec->throttle_interval);
	fprintf(f, "\tmachservices = {\n");
	for (size_t i = 0; i < job->n_services; i++)
		print_service_text(f, job->services[i]);
	fprintf(f, "\t}\n");
	if (job->failure)
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
		control_json_str(f, job->spec->argv[i]);
	}
	fputs("],\n  \"machservices\": {", f);
	for (size_t i = 0; i < job->n_services; i++) {
		fputs(i ? ", " : "", f);
		control_json_str(f, job->services[i]->name);
		fprintf(f, ": {\"checked_in\": %s, \"port_made\": %s, \"queued_bytes\": %lu}",
			job->services[i]->checked_in ? "true" : "false",
			service_has_port(job->services[i]) ? "true" : "false",
			service_queued_bytes(job->services[i]));
	}
	fputc('}', f);
}

static void print_json(FILE *f, const struct job *job)
{
	const struct job_spec *spec = job->spec;
	bool sig = job->has_exited && WIFSIGNALED(job->last_status);

	fputs("{\n  \"label\": ", f);
	control_json_str(f, spec->label);
	fputs(",\n  \"program\": ", f);
	control_json_str(f, job_spec_program(spec));
	print_json_arrays(f, job);
	fputs(",\n  \"state\": ", f);
	control_json_str(f, job_state_name(job->state));
	fprintf(f, ",\n  \"disabled\": %s", job->disabled ? "true" : "false");
	if (job_is_running(job))
		fprintf(f, ",\n  \"pid\": %d", (int)job->pid);
	if (job->state == JOB_THROTTLED)
		fprintf(f, ",\n  \"starts_in_ms\": %lld", job_throttle_left_ms(job));
	if (job->has_exited)
		fprintf(f, ",\n  \"%s\": %d", sig ? "last_exit_signal" : "last_exit_status",
			sig ? WTERMSIG(job->last_status) : WEXITSTATUS(job->last_status));
	fprintf(f, ",\n  \"runs\": %u,\n  \"last_start_reason\": ", job->runs);
	control_json_str(f, job_reason_name(job->blame.last_reason));
	fputs(",\n  \"failure\": ", f);
	control_json_str(f, job->failure);
	fputs(",\n  \"path\": ", f);
	control_json_str(f, spec->path);
	fputs("\n}\n", f);
}

kern_return_t control_show_print(struct control_call *call)
{
	struct job *job = find(call);

	if (!job)
		return CONTROL_E_NOT_FOUND;
	if (call->req->flags & CONTROL_F_JSON)
		print_json(call->out, job);
	else
		print_text(call->out, job);
	return KERN_SUCCESS;
}

/* list LABEL: launchd's dictionary (JSON: as print). */
static kern_return_t list_job(struct control_call *call)
{
	struct job *job = find(call);

	if (call->req->flags & CONTROL_F_JSON)
		return control_show_print(call);
	if (!job)
		return CONTROL_E_NOT_FOUND;
	control_export_job(call->out, job, call->req->flags & CONTROL_F_XML);
	return KERN_SUCCESS;
}

kern_return_t control_show_list(struct control_call *call)
{
	if (call->req->arg[0])
		return list_job(call);
	if (call->req->flags & CONTROL_F_JSON)
		list_json(call->out, call->d);
	else
		list_text(call->out, call->d);
	return KERN_SUCCESS;
}

/* The proximate cause of the last start, in words (launchctl blame's answer). */
static void blame_reason(const struct job *job, char *buf, size_t len)
{
	const struct job_spec *spec = job->spec;

	switch (job->blame.last_reason) {
	case REASON_DEMAND:
		snprintf(buf, len, "demand: a message on %s",
			 job->blame.demand_service ? job->blame.demand_service : "a MachServices name");
		break;
	case REASON_INTERVAL:
		snprintf(buf, len, "StartInterval (every %d s)", spec->start_interval);
		break;
	case REASON_WATCH_PATH:
		snprintf(buf, len, "WatchPaths or QueueDirectories");
		break;
	case REASON_CONTROL:
		snprintf(buf, len, "bsctl start or kickstart");
		break;
	default:
		snprintf(buf, len, "%s", job_reason_name(job->blame.last_reason));
		break;
	}
}

/* Seconds since the last start (monotonic, so clock changes do not lie). */
static long since_start(const struct job *job)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - job->start_time.tv_sec);
}

static void blame_text(FILE *f, const struct job *job, const char *why)
{
	if (job->runs == 0)
		fprintf(f, "%s: not started since it was loaded (%s)\n", job->spec->label,
			job_state_name(job->state));
	else if (job_is_running(job))
		fprintf(f, "%s: running (pid %d) for %ld s: %s\n", job->spec->label,
			(int)job->pid, since_start(job), why);
	else
		fprintf(f, "%s: %s; last started %ld s ago: %s\n", job->spec->label,
			job_state_name(job->state), since_start(job), why);
}

static void blame_json(FILE *f, const struct job *job, const char *why)
{
	bool demand = job->runs && job->blame.last_reason == REASON_DEMAND && job->blame.demand_service;

	fputs("{\n  \"label\": ", f);
	control_json_str(f, job->spec->label);
	fputs(",\n  \"state\": ", f);
	control_json_str(f, job_state_name(job->state));
	if (job_is_running(job))
		fprintf(f, ",\n  \"pid\": %d", (int)job->pid);
	fputs(",\n  \"reason\": ", f);
	control_json_str(f, job->runs ? job_reason_name(job->blame.last_reason) : NULL);
	fputs(",\n  \"service\": ", f);
	control_json_str(f, demand ? job->blame.demand_service : NULL);
	fputs(",\n  \"why\": ", f);
	control_json_str(f, job->runs ? why : NULL);
	if (job->runs)
		fprintf(f, ",\n  \"seconds_since_start\": %ld", since_start(job));
	fputs("\n}\n", f);
}

kern_return_t control_show_blame(struct control_call *call)
{
	struct job *job = find(call);
	char why[256];

	if (!job)
		return CONTROL_E_NOT_FOUND;
	blame_reason(job, why, sizeof(why));
	if (call->req->flags & CONTROL_F_JSON)
		blame_json(call->out, job, why);
	else
		blame_text(call->out, job, why);
	return KERN_SUCCESS;
}
