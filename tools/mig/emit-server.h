/* SPDX-License-Identifier: MIT */
/* emit-server.h - the server stub of one routine, used by the server file emitter. */
#ifndef BSMIG_EMIT_SERVER_H
#define BSMIG_EMIT_SERVER_H

#include "emit.h"

/** server_stub() - the work routine's prototype and the _X<routine> stub. */
void server_stub(FILE *f, const struct gen *g, const struct mig_routine *rt);

/** server_check() - validate the request; failures answer with a MIG error. */
void server_check(FILE *f, const struct mig_routine *rt, const struct routine_layout *lay);

/** server_field() - the request or reply field of @a of @kind, or NULL. */
const struct field *server_field(const struct msg_layout *m, const struct mig_arg *a,
				 enum field_kind kind);

/** server_call() - locals, checks, the work routine's call and its error return. */
void server_call(FILE *f, const struct gen *g, const struct mig_routine *rt,
		 const struct routine_layout *lay);

/**
 * server_release() - for a reply refused after the work routine succeeded:
 * the statements that leave the request's contents to the routine and
 * release the rights and memory it handed over for the reply.
 * Return: the statements ("" when there is nothing to do), for the caller to free.
 */
char *server_release(const struct mig_routine *rt, const struct routine_layout *lay);

/** server_includes() - the headers every generated header and server file includes. */
void server_includes(FILE *f);

#endif
