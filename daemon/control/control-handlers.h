/* SPDX-License-Identifier: MIT */
/*
 * control-handlers.h - the handlers control.c dispatches to, by file:
 * control.c (start, stop, kickstart, kill), control-show.c (list, print,
 * blame: read-only; list LABEL through control-export.c), control-load.c (load, unload, enable, disable),
 * control-domain.c (the domain as a whole: print, print-disabled, setenv,
 * unsetenv, getenv, bootout, reexec, manager, job directories).
 *
 * A handler runs after control.c checked the request's framing (body
 * length, NUL-terminated arg, descriptor count and kinds) and the caller's
 * authority.  It returns KERN_SUCCESS or a CONTROL_E_* / BOOTSTRAP_* code;
 * what it writes to @out is the reply's text, sent on success and on
 * refusal alike (bsctl prints it: stdout on success for list/print/blame,
 * stderr otherwise).
 */
#ifndef BOOTSTRAPD_CONTROL_HANDLERS_H
#define BOOTSTRAPD_CONTROL_HANDLERS_H

#include <stdbool.h>
#include <stdio.h>

#include <mach/mach.h>

struct domain;
struct job;
struct control_request;
struct ipc_request;

struct control_call {
	struct domain *d;
	const struct control_request *req;      /* copied and checked */
	struct ipc_request *rq;                 /* descriptors and the sender's credentials */
	FILE *out;                              /* the reply's text */
};

typedef kern_return_t control_fn(struct control_call *call);

control_fn control_show_list;
control_fn control_show_print;
control_fn control_show_blame;

control_fn control_load;
control_fn control_unload;
control_fn control_enable;
control_fn control_disable;

control_fn control_domain_print;
control_fn control_domain_print_disabled;
control_fn control_domain_setenv;
control_fn control_domain_unsetenv;
control_fn control_domain_getenv;
control_fn control_domain_bootout;
control_fn control_domain_reexec;
control_fn control_domain_manager;
control_fn control_domain_job_dirs;

/**
 * control_export_job() - @job as launchd's dictionary on @f: launchctl
 * list LABEL's text, or with @xml the XML plist of launchctl list -x
 * (control-export.c).
 */
void control_export_job(FILE *f, const struct job *job, bool xml);

/** control_domain_name() - "system" or "user/UID", as launchctl names domains. */
const char *control_domain_name(const struct domain *d);

/**
 * control_session_name() - the name launchd gives the job manager of @d:
 * "System" for the system domain, "Background" for a per-user launchd
 * (there are no "Aqua" login sessions here).
 */
const char *control_session_name(const struct domain *d);

/* Shared by control-show.c and control-domain.c. */

/** control_format_status() - launchctl list's status column: exit status, -signal or "-". */
void control_format_status(const struct job *job, char *buf, size_t len);

/** control_json_job() - one job as bsctl list --json shows it: label, pid, status. */
void control_json_job(FILE *f, const struct job *job);

/** control_json_str() - @s as a JSON string literal (NULL: null). */
void control_json_str(FILE *f, const char *s);

#endif
