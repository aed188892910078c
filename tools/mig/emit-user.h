/* SPDX-License-Identifier: MIT */
/* emit-user.h - the halves of a user stub that emit-user-reply.c writes. */
#ifndef BSMIG_EMIT_USER_H
#define BSMIG_EMIT_USER_H

#include "emit.h"

/** user_error_macros() - __MachMsgErrorWithTimeout and friends, as MIG defines them. */
void user_error_macros(FILE *f);

/** user_send() - the mach_msg() call; @mig_port: the reply port is mig_get_reply_port()'s. */
void user_send(FILE *f, const struct gen *g, const struct mig_routine *rt, bool mig_port);

/** user_reply_locals() - the locals user_reply() needs besides the common ones. */
void user_reply_locals(FILE *f, const struct mig_routine *rt);

/** user_reply() - check the reply and copy out the results. */
void user_reply(FILE *f, const struct gen *g, const struct mig_routine *rt,
		const struct msg_layout *rep);

#endif
