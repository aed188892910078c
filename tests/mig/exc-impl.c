/* SPDX-License-Identifier: MIT */
/*
 * exc-impl.c - catch_mach_exception_raise*() for the interoperability
 * servers: the same work routines behind Apple's generated demux and
 * behind bsmig's.  Results depend on every argument, so a field read from
 * the wrong offset shows up in the test.
 */
#include <string.h>

#include <mach/mach.h>

#include "mach_exc.h"

kern_return_t catch_mach_exception_raise(mach_port_t port, mach_port_t thread, mach_port_t task,
					 exception_type_t exception, mach_exception_data_t code,
					 mach_msg_type_number_t codeCnt);
kern_return_t catch_mach_exception_raise_state(mach_port_t port, exception_type_t exception,
					       const mach_exception_data_t code,
					       mach_msg_type_number_t codeCnt, int *flavor,
					       const thread_state_t old_state,
					       mach_msg_type_number_t old_stateCnt,
					       thread_state_t new_state,
					       mach_msg_type_number_t *new_stateCnt);
kern_return_t catch_mach_exception_raise_state_identity(mach_port_t port, mach_port_t thread,
							mach_port_t task, exception_type_t exception,
							mach_exception_data_t code,
							mach_msg_type_number_t codeCnt, int *flavor,
							thread_state_t old_state,
							mach_msg_type_number_t old_stateCnt,
							thread_state_t new_state,
							mach_msg_type_number_t *new_stateCnt);

/* Say @id on @port through our send right, then drop it. */
static void poke(mach_port_t port, mach_msg_id_t id)
{
	mach_msg_header_t h = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0),
		.msgh_size = sizeof(h),
		.msgh_remote_port = port,
		.msgh_id = id,
	};

	mach_msg(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

kern_return_t catch_mach_exception_raise(mach_port_t port, mach_port_t thread, mach_port_t task,
					 exception_type_t exception, mach_exception_data_t code,
					 mach_msg_type_number_t codeCnt)
{
	int64_t c[2] = { 0, 0 };

	(void)port;
	poke(thread, 100 + exception);
	poke(task, 200 + (int)codeCnt);
	/* In-line data is only 4-byte aligned in a message, as on macOS. */
	memcpy(c, code, (codeCnt > 2 ? 2 : codeCnt) * sizeof(c[0]));
	if (codeCnt == 2 && c[0] == -1 && c[1] == (int64_t)1 << 40)
		return KERN_SUCCESS;
	return KERN_INVALID_ARGUMENT;
}

static kern_return_t state(exception_type_t exception, const mach_exception_data_t code,
			   mach_msg_type_number_t codeCnt, int *flavor, const thread_state_t old_state,
			   mach_msg_type_number_t old_stateCnt, thread_state_t new_state,
			   mach_msg_type_number_t *new_stateCnt)
{
	int64_t c0 = 0;
	int f;

	if (*new_stateCnt < old_stateCnt)
		return KERN_NO_SPACE;
	if (codeCnt)
		memcpy(&c0, code, sizeof(c0));
	for (mach_msg_type_number_t i = 0; i < old_stateCnt; i++)
		new_state[i] = old_state[old_stateCnt - 1 - i] + (natural_t)exception;
	*new_stateCnt = old_stateCnt;
	memcpy(&f, flavor, sizeof(f));
	f = f * 10 + (int)codeCnt + (int)c0;
	memcpy(flavor, &f, sizeof(f));
	return KERN_SUCCESS;
}

kern_return_t catch_mach_exception_raise_state(mach_port_t port, exception_type_t exception,
					       const mach_exception_data_t code,
					       mach_msg_type_number_t codeCnt, int *flavor,
					       const thread_state_t old_state,
					       mach_msg_type_number_t old_stateCnt,
					       thread_state_t new_state,
					       mach_msg_type_number_t *new_stateCnt)
{
	(void)port;
	return state(exception, code, codeCnt, flavor, old_state, old_stateCnt, new_state,
		     new_stateCnt);
}

kern_return_t catch_mach_exception_raise_state_identity(mach_port_t port, mach_port_t thread,
							mach_port_t task, exception_type_t exception,
							mach_exception_data_t code,
							mach_msg_type_number_t codeCnt, int *flavor,
							thread_state_t old_state,
							mach_msg_type_number_t old_stateCnt,
							thread_state_t new_state,
							mach_msg_type_number_t *new_stateCnt)
{
	(void)port;
	poke(thread, 300);
	poke(task, 301);
	return state(exception, code, codeCnt, flavor, old_state, old_stateCnt, new_state,
		     new_stateCnt);
}
