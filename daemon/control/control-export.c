/* SPDX-License-Identifier: MIT */
/*
 * control-export.c - one job as launchd's dictionary, for `bsctl list
 * LABEL` and `bsctl list -x LABEL`: the keys launchd-842's job_export()
 * sends back for a job, printed as launchctl's print_obj() prints them
 *
 *	{
 *		"LimitLoadToSessionType" = "Background";
 *		"Label" = "com.example.hello";
 *		"OnDemand" = true;
 *		"LastExitStatus" = 0;
 *		"PID" = 4242;
 *		...
 *	};
 *
 * or (CONTROL_F_XML) as the XML plist launchctl list -x prints, its keys
 * sorted as CoreFoundation writes them.  Scripts grep "PID" = and
 * "LastExitStatus" = in the first, so its shape is launchd's, not ours.
 *
 * What launchd says and how it is found here: LimitLoadToSessionType is
 * the name of the job's manager, "System" in the system domain and, for a
 * per-user launchd, "Background" (bootstrapd has no GUI sessions: gui/UID
 * is the user's one domain); OnDemand is false only under KeepAlive true
 * (launchd's ondemand bit: a KeepAlive dictionary leaves it true);
 * LastExitStatus is the wait status of the last exit (status << 8, or the
 * signal), 0 before any; PID only while a process runs; Program is always
 * given, the path executed.  MachServices values are port objects, which
 * mean nothing outside the daemon ("mach-port-object", 0 in XML, as
 * launchctl converts them).  Keys launchd sends that bootstrapd has no
 * value for (TimeOut, Sockets' descriptors) are left out.
 */
#include "control-handlers.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "job.h"
#include "job-spec.h"
#include "plist-write.h"
#include "service.h"

struct out {
	FILE *f;
	bool xml;
	unsigned int depth;     /* of the values being written */
};

static void indent(const struct out *o)
{
	for (unsigned int i = 0; i < o->depth; i++)
		fputc('\t', o->f);
}

/* The key (NULL in an array) and what goes before the value. */
static void put_key(const struct out *o, const char *key)
{
	if (o->xml && key) {
		indent(o);
		fputs("<key>", o->f);
		plist_write_text(o->f, key, strlen(key));
		fputs("</key>\n", o->f);
	}
	indent(o);
	if (!o->xml && key) {
		control_json_str(o->f, key);
		fputs(" = ", o->f);
	}
}

/*
 * Between quotes, as launchctl prints strings, with a quote, a backslash
 * or a control character escaped: no argument or label can forge a line
 * a script greps ("PID" = ...).
 */
static void put_string(const struct out *o, const char *key, const char *s)
{
	put_key(o, key);
	if (!o->xml) {
		control_json_str(o->f, s);
		fputs(";\n", o->f);
		return;
	}
	fputs("<string>", o->f);
	plist_write_text(o->f, s, strlen(s));
	fputs("</string>\n", o->f);
}

static void put_integer(const struct out *o, const char *key, long long n)
{
	put_key(o, key);
	fprintf(o->f, o->xml ? "<integer>%lld</integer>\n" : "%lld;\n", n);
}

static void put_bool(const struct out *o, const char *key, bool b)
{
	put_key(o, key);
	if (o->xml)
		fputs(b ? "<true/>\n" : "<false/>\n", o->f);
	else
		fputs(b ? "true;\n" : "false;\n", o->f);
}

/* A Mach port: a name only the daemon could use. */
static void put_port(const struct out *o, const char *key)
{
	put_key(o, key);
	fputs(o->xml ? "<integer>0</integer>\n" : "mach-port-object;\n", o->f);
}

/* Open a dictionary or an array (known not to be empty) under @key. */
static void open_container(struct out *o, const char *key, bool dict)
{
	put_key(o, key);
	if (o->xml)
		fputs(dict ? "<dict>\n" : "<array>\n", o->f);
	else
		fputs(dict ? "{\n" : "(\n", o->f);
	o->depth++;
}

static void close_container(struct out *o, bool dict)
{
	o->depth--;
	indent(o);
	if (o->xml)
		fputs(dict ? "</dict>\n" : "</array>\n", o->f);
	else
		fputs(dict ? "};\n" : ");\n", o->f);
}

/* --- the keys ------------------------------------------------------------ */

typedef void field_fn(struct out *o, const char *key, const struct job *job);

static void put_session(struct out *o, const char *key, const struct job *job)
{
	put_string(o, key, control_session_name(job->domain));
}

static void put_label(struct out *o, const char *key, const struct job *job)
{
	put_string(o, key, job->spec->label);
}

static void put_ondemand(struct out *o, const char *key, const struct job *job)
{
	put_bool(o, key, !job_kept_alive(job));
}

static void put_last_exit(struct out *o, const char *key, const struct job *job)
{
	put_integer(o, key, job->has_exited ? job->last_status : 0);
}

static void put_pid(struct out *o, const char *key, const struct job *job)
{
	if (job_is_running(job))
		put_integer(o, key, job->pid);
}

static void put_program(struct out *o, const char *key, const struct job *job)
{
	put_string(o, key, job_spec_program(job->spec));
}

static void put_if_set(const struct out *o, const char *key, const char *s)
{
	if (s)
		put_string(o, key, s);
}

static void put_stdin(struct out *o, const char *key, const struct job *job)
{
	put_if_set(o, key, job->spec->stdin_path);
}

static void put_stdout(struct out *o, const char *key, const struct job *job)
{
	put_if_set(o, key, job->spec->stdout_path);
}

static void put_stderr(struct out *o, const char *key, const struct job *job)
{
	put_if_set(o, key, job->spec->stderr_path);
}

static void put_arguments(struct out *o, const char *key, const struct job *job)
{
	if (job->spec->argc == 0)
		return;
	open_container(o, key, false);
	for (size_t i = 0; i < job->spec->argc; i++)
		put_string(o, NULL, job->spec->argv[i]);
	close_container(o, false);
}

static void put_inetd(struct out *o, const char *key, const struct job *job)
{
	if (!job->spec->inetd)
		return;
	open_container(o, key, true);
	put_bool(o, "Wait", job->spec->inetd_wait);
	close_container(o, true);
}

static int by_name(const void *a, const void *b)
{
	const struct service *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* In the job's order as text; sorted by name in XML, as CoreFoundation writes. */
static void put_services(struct out *o, const char *key, const struct job *job)
{
	size_t n = job->n_services;
	struct service **s;

	if (n == 0)
		return;
	s = malloc(n * sizeof(*s));     /* out of memory: unsorted, still a plist */
	if (s) {
		memcpy(s, job->services, n * sizeof(*s));
		if (o->xml)
			qsort(s, n, sizeof(*s), by_name);
	}
	open_container(o, key, true);
	for (size_t i = 0; i < n; i++)
		put_port(o, (s ? s[i] : job->services[i])->name);
	close_container(o, true);
	free(s);
}

struct field {
	const char *key;
	field_fn *put;
};

/* In launchctl's order of printing (its hash's order, which scripts' eyes know). */
static const struct field fields[] = {
	{ "LimitLoadToSessionType", put_session },
	{ "Label", put_label },
	{ "OnDemand", put_ondemand },
	{ "LastExitStatus", put_last_exit },
	{ "PID", put_pid },
	{ "Program", put_program },
	{ "StandardInPath", put_stdin },
	{ "StandardOutPath", put_stdout },
	{ "StandardErrorPath", put_stderr },
	{ "ProgramArguments", put_arguments },
	{ "inetdCompatibility", put_inetd },
	{ "MachServices", put_services },
};

#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

static int by_key(const void *a, const void *b)
{
	const struct field *const *x = a, *const *y = b;

	return strcmp((*x)->key, (*y)->key);
}

void control_export_job(FILE *f, const struct job *job, bool xml)
{
	const struct field *order[N_FIELDS];
	struct out o = { .f = f, .xml = xml };

	for (size_t i = 0; i < N_FIELDS; i++)
		order[i] = &fields[i];
	if (xml) {
		qsort(order, N_FIELDS, sizeof(order[0]), by_key);
		plist_write_head(f);
	}
	open_container(&o, NULL, true);
	for (size_t i = 0; i < N_FIELDS; i++)
		order[i]->put(&o, order[i]->key, job);
	close_container(&o, true);
	if (xml)
		plist_write_tail(f);
}
