/* SPDX-License-Identifier: MIT */
/*
 * control-handlers.h - the handlers control.c dispatches to, by file:
 * control.c (start, stop, kickstart, kill), control-show.c (list, print,
 * blame: read-only), control-load.c (load, unload, enable, disable).
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

#include <stdio.h>

#include <mach/mach.h>

struct domain;
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

#endif
