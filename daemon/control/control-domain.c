/* SPDX-License-Identifier: MIT */
/*
 * control-domain.c - the requests about a domain as a whole, launchctl 2's
 * way: print DOMAIN (its services, endpoints, environment and overrides),
 * print-disabled, setenv/unsetenv/getenv (domain-env.c keeps the values),
 * bootout DOMAIN (unload every job), reexec, who manages the domain
 * (launchctl 1's managerpid, manageruid, managername), and the job
 * directories in a form for programs (bsctl load -D).
 *
 * print DOMAIN follows `launchctl print system` as far as it applies here:
 * the same header ("system = {", type, handle, counts), the services table
 * (pid or 0, last exit status or "-", label), endpoints ("M" for a Mach
 * name; "A" when a process holds its receive right, "D" when the daemon
 * does and a message starts the job), and "disabled services" as
 * print-disabled prints it.  launchd's port names are not shown: they mean
 * nothing outside the daemon.
 */
#include "control-handlers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "control-proto.h"
#include "domain.h"
#include "domain-env.h"
#include "ipc.h"
#include "job.h"
#include "job-spec.h"
#include "log.h"
#include "overrides.h"
#include "service.h"

const char *control_domain_name(const struct domain *d)
{
	static char name[CONTROL_DOMAIN_MAX];

	if (d->system)
		return "system";
	snprintf(name, sizeof(name), "user/%u", (unsigned int)d->owner);
	return name;
}

const char *control_session_name(const struct domain *d)
{
	return d->system ? "System" : "Background";
}

static bool json(const struct control_call *call)
{
	return call->req->flags & CONTROL_F_JSON;
}

/* --- print-disabled ---------------------------------------------------- */

struct disabled_out {
	FILE *f;
	const char *indent;
	bool json;
	const char *sep;
};

static void disabled_line(void *data, const char *label, enum override value)
{
	struct disabled_out *o = data;
	const char *word = value == OVERRIDE_DISABLED ? "disabled" : "enabled";

	if (o->json) {
		fprintf(o->f, "%s\n%s  ", o->sep, o->indent);
		control_json_str(o->f, label);
		fprintf(o->f, ": \"%s\"", word);
		o->sep = ",";
		return;
	}
	fprintf(o->f, "%s\t\"%s\" => %s\n", o->indent, label, word);
}

/* The overrides, sorted, as launchctl prints them; @indent before each line. */
static kern_return_t print_disabled(struct control_call *call, const char *indent)
{
	struct disabled_out o = { call->out, indent, json(call), "" };
	struct overrides ov;
	int err = overrides_read(&ov, call->d->state_dir);

	if (err < 0 && err != -ENOMEM)
		log_warnx("%s/%s: %s", call->d->state_dir, OVERRIDES_FILE, strerror(-err));
	if (o.json)
		fputc('{', call->out);
	else
		fprintf(call->out, "%sdisabled services = {\n", indent);
	if (err != -ENOMEM)
		err = overrides_each(&ov, disabled_line, &o);
	overrides_deinit(&ov);
	if (o.json && *o.sep)
		fprintf(call->out, "\n%s}", indent);
	else if (o.json)
		fputc('}', call->out);
	else
		fprintf(call->out, "%s}\n", indent);
	return err == -ENOMEM ? BOOTSTRAP_NO_MEMORY : KERN_SUCCESS;
}

kern_return_t control_domain_print_disabled(struct control_call *call)
{
	kern_return_t kr = print_disabled(call, "");

	if (json(call))
		fputc('\n', call->out);
	return kr;
}

/* --- print DOMAIN -------------------------------------------------------- */

static void count_running(const struct domain *d, unsigned int *loaded, unsigned int *running)
{
	struct job *job;
	size_t i = 0;

	*loaded = *running = 0;
	while ((job = strmap_next(&d->jobs, &i))) {
		(*loaded)++;
		*running += job_is_running(job);
	}
}

/* "A": a process holds the receive right (or registered the name), "D": we do. */
static char endpoint_state(const struct service *s)
{
	return registry_status(s, job_kept_alive(s->job)) == REGISTRY_STATUS_ACTIVE ? 'A' : 'D';
}

static void print_head_text(FILE *f, const struct domain *d)
{
	unsigned int loaded, running;

	count_running(d, &loaded, &running);
	fprintf(f, "%s = {\n\ttype = %s\n\thandle = %u\n", control_domain_name(d),
		d->system ? "system" : "user", (unsigned int)d->owner);
	fprintf(f, "\tservice count = %u\n\tactive service count = %u\n", loaded, running);
	fprintf(f, "\tcreator = bootstrapd[%d]\n\tcreator euid = %u\n", (int)getpid(),
		(unsigned int)geteuid());
	fprintf(f, "\tsocket = %s\n\tstate directory = %s\n\tjob directories = {\n",
		d->socket_path, d->state_dir);
	for (size_t i = 0; i < d->n_job_dirs; i++)
		fprintf(f, "\t\t%s\n", d->job_dirs[i]);
	fprintf(f, "\t}\n\n\tenvironment = {\n");
	for (size_t i = 0; i < d->n_env; i++) {
		size_t k = strcspn(d->env[i], "=");

		fprintf(f, "\t\t%.*s => %s\n", (int)k, d->env[i], d->env[i] + k + 1);
	}
	fprintf(f, "\t}\n\n");
}

static void print_lists_text(FILE *f, const struct domain *d)
{
	struct job *job;
	struct service *s;
	size_t i = 0;

	fprintf(f, "\tservices = {\n");
	while ((job = strmap_next(&d->jobs, &i))) {
		char status[16];

		control_format_status(job, status, sizeof(status));
		fprintf(f, "\t\t%8d %6s \t%s\n", job_is_running(job) ? (int)job->pid : 0, status,
			job->spec->label);
	}
	fprintf(f, "\t}\n\n\tendpoints = {\n");
	i = 0;
	while ((s = registry_next(&d->registry, &i)))
		fprintf(f, "\t\t    M   %c   %s\n", endpoint_state(s), s->name);
	fprintf(f, "\t}\n\n");
}

static void print_head_json(FILE *f, const struct domain *d)
{
	unsigned int loaded, running;

	count_running(d, &loaded, &running);
	fputs("{\n  \"domain\": ", f);
	control_json_str(f, control_domain_name(d));
	fprintf(f, ",\n  \"type\": \"%s\",\n  \"handle\": %u", d->system ? "system" : "user",
		(unsigned int)d->owner);
	fprintf(f, ",\n  \"service_count\": %u,\n  \"active_service_count\": %u", loaded, running);
	fprintf(f, ",\n  \"creator_pid\": %d,\n  \"socket\": ", (int)getpid());
	control_json_str(f, d->socket_path);
	fputs(",\n  \"environment\": {", f);
	for (size_t i = 0; i < d->n_env; i++) {
		size_t k = strcspn(d->env[i], "=");
		char *key = strndup(d->env[i], k);

		fputs(i ? ", " : "", f);
		control_json_str(f, key ? key : "");
		fputs(": ", f);
		control_json_str(f, d->env[i] + k + 1);
		free(key);
	}
	fputs("}", f);
}

static void print_lists_json(FILE *f, const struct domain *d)
{
	const char *sep = "";
	struct job *job;
	struct service *s;
	size_t i = 0;

	fputs(",\n  \"services\": [", f);
	while ((job = strmap_next(&d->jobs, &i))) {
		fprintf(f, "%s\n    ", sep);
		control_json_job(f, job);
		sep = ",";
	}
	fputs(*sep ? "\n  ],\n  \"endpoints\": [" : "],\n  \"endpoints\": [", f);
	sep = "";
	i = 0;
	while ((s = registry_next(&d->registry, &i))) {
		fprintf(f, "%s\n    {\"name\": ", sep);
		control_json_str(f, s->name);
		fputs(", \"job\": ", f);
		control_json_str(f, s->job ? s->job->spec->label : NULL);
		fprintf(f, ", \"active\": %s}", endpoint_state(s) == 'A' ? "true" : "false");
		sep = ",";
	}
	fputs(*sep ? "\n  ],\n  \"disabled\": " : "],\n  \"disabled\": ", f);
}

kern_return_t control_domain_print(struct control_call *call)
{
	kern_return_t kr;

	if (json(call)) {
		print_head_json(call->out, call->d);
		print_lists_json(call->out, call->d);
		kr = print_disabled(call, "  ");
		fputs("\n}\n", call->out);
		return kr;
	}
	print_head_text(call->out, call->d);
	print_lists_text(call->out, call->d);
	kr = print_disabled(call, "\t");
	fputs("}\n", call->out);
	return kr;
}

/* --- job directories, for programs ----------------------------------------- */

/* @path on a line of its own: a backslash doubled, a newline as "\n". */
static void put_escaped_line(FILE *f, const char *path)
{
	for (const char *p = path; *p; p++) {
		if (*p == '\\')
			fputs("\\\\", f);
		else if (*p == '\n')
			fputs("\\n", f);
		else
			fputc(*p, f);
	}
	fputc('\n', f);
}

/* bsctl load -D: print DOMAIN says them too, but for people, not programs. */
kern_return_t control_domain_job_dirs(struct control_call *call)
{
	for (size_t i = 0; i < call->d->n_job_dirs; i++)
		put_escaped_line(call->out, call->d->job_dirs[i]);
	return KERN_SUCCESS;
}

/* --- setenv, unsetenv, getenv ---------------------------------------------- */

kern_return_t control_domain_setenv(struct control_call *call)
{
	char kv[CONTROL_ARG_MAX];
	char *eq;
	int err;

	snprintf(kv, sizeof(kv), "%s", call->req->arg);
	eq = strchr(kv, '=');
	if (!eq) {
		fprintf(call->out, "setenv: want KEY=VALUE\n");
		return CONTROL_E_INVALID;
	}
	*eq = '\0';
	err = domain_env_set(call->d, kv, eq + 1);
	if (err == -ENOMEM)
		return BOOTSTRAP_NO_MEMORY;
	if (err < 0) {
		fprintf(call->out, "setenv: a name without '=', spaces or control characters, "
			"a value without control characters, together at most %d bytes\n",
			DOMAIN_ENV_MAX);
		return CONTROL_E_INVALID;
	}
	/* Values may be secrets: the log names the variable only. */
	log_info("control: pid %d uid %u set %s for jobs of %s", (int)call->rq->creds.pid,
		 (unsigned int)call->rq->creds.uid, kv, control_domain_name(call->d));
	return KERN_SUCCESS;
}

kern_return_t control_domain_unsetenv(struct control_call *call)
{
	const char *key = call->req->arg;

	if (!domain_env_key_ok(key))
		return CONTROL_E_INVALID;
	if (domain_env_unset(call->d, key) == 0)
		log_info("control: pid %d uid %u unset %s for jobs of %s",
			 (int)call->rq->creds.pid, (unsigned int)call->rq->creds.uid, key,
			 control_domain_name(call->d));
	return KERN_SUCCESS;    /* unsetting what is not set is no error, as in launchctl */
}

/* getenv KEY; with no key, every variable (bsctl export). */
kern_return_t control_domain_getenv(struct control_call *call)
{
	const char *key = call->req->arg;
	const char *value;

	if (!key[0]) {
		for (size_t i = 0; i < call->d->n_env; i++)
			fprintf(call->out, "%s\n", call->d->env[i]);
		return KERN_SUCCESS;
	}
	if (!domain_env_key_ok(key))
		return CONTROL_E_INVALID;
	/* Not set: nothing, and no error, as launchctl getenv. */
	value = domain_env_get(call->d, key);
	if (value)
		fprintf(call->out, "%s\n", value);
	return KERN_SUCCESS;    /* set or not */
}

/* --- bootout DOMAIN --------------------------------------------------------- */

/* Every job: running ones are stopped first and freed once they exited. */
kern_return_t control_domain_bootout(struct control_call *call)
{
	struct domain *d = call->d;
	unsigned int n = 0;
	struct job *job;
	size_t i = 0;

	log_info("control: pid %d uid %u unloads every job of %s", (int)call->rq->creds.pid,
		 (unsigned int)call->rq->creds.uid, control_domain_name(d));
	/* job_unload() deletes its own entry only (a tombstone; no other moves),
	 * so the walk goes on from there: restarting it was O(jobs^2). */
	while ((job = strmap_next(&d->jobs, &i))) {
		job_unload(job);
		n++;
	}
	log_info("%s: %u job(s) unloaded", control_domain_name(d), n);
	fprintf(call->out, "%s: %u job(s) unloaded\n", control_domain_name(d), n);
	return KERN_SUCCESS;
}

/* --- managerpid, manageruid, managername ----------------------------------- */

/*
 * Who serves the domain, as launchd's VPROC_GSK_MGR_PID, _UID and _NAME
 * answer: the daemon's pid, the uid it runs as, its manager's name.
 */
kern_return_t control_domain_manager(struct control_call *call)
{
	fprintf(call->out, "%d %u %s\n", (int)getpid(), (unsigned int)getuid(),
		control_session_name(call->d));
	return KERN_SUCCESS;
}

/* --- reexec ----------------------------------------------------------------- */

/*
 * An unloaded job still stopping is in no map and in no state: a new image
 * would not send its SIGKILL at ExitTimeOut, nor SIGTERM to what is left
 * of its group, and would start a second copy of a job its directory
 * still holds.  Return: how many there are; *@first one's label.
 */
static unsigned stopping_unloaded(const struct domain *d, const char **first)
{
	unsigned n = 0;

	for (const struct job *job = d->detached; job; job = job->next_detached, n++)
		*first = job->spec->label;
	return n;
}

/* Made by the loop once this reply has gone (restart/reexec.c). */
kern_return_t control_domain_reexec(struct control_call *call)
{
	const char *label = NULL;
	unsigned stopping = stopping_unloaded(call->d, &label);

	if (stopping) {
		log_warnx("control: reexec of %s refused: %u unloaded job(s) still stopping (%s)",
			  control_domain_name(call->d), stopping, label);
		fprintf(call->out, "reexec: %u unloaded job(s) still stopping (%s): "
			"try again once they exited\n", stopping, label);
		return KERN_FAILURE;
	}
	log_info("control: pid %d uid %u asks %s to execute itself again",
		 (int)call->rq->creds.pid, (unsigned int)call->rq->creds.uid,
		 control_domain_name(call->d));
	call->d->reexec_requested = true;
	return KERN_SUCCESS;
}
