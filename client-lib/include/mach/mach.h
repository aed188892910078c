/* SPDX-License-Identifier: MIT */
/*
 * <mach/mach.h> - everything a Mach client includes: ports, messages,
 * memory objects, task special ports and errors, on bootstrapd's
 * libbootstrap.  See mach_msg(3), mach_port(3), vm_allocate(3).
 */
#ifndef _MACH_H_
#define _MACH_H_

#include <sys/cdefs.h>
#include <mach/std_types.h>
#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/port.h>
#include <mach/message.h>
#include <mach/notify.h>
#include <mach/ndr.h>
#include <mach/mig_errors.h>
#include <mach/mig.h>
#include <mach/mach_types.h>
#include <mach/mach_port.h>
#include <mach/mach_init.h>
#include <mach/mach_error.h>
#include <mach/task.h>
#include <mach/vm_map.h>
#include <mach/mach_vm.h>

#ifdef __cplusplus
extern "C" {
#endif

mach_msg_return_t mach_msg_send(mach_msg_header_t *msg);
mach_msg_return_t mach_msg_receive(mach_msg_header_t *msg);
/* Release every right and out-of-line region a received message carries. */
void mach_msg_destroy(mach_msg_header_t *msg);

/**
 * mach_msg_server_once() - receive one request on @rcv_name, hand it to
 * @demux and send the reply it builds.  @max_size bounds a request (with
 * MACH_RCV_LARGE in @options a larger one is received into a bigger
 * buffer).  A request answered with an error or not at all has its rights
 * and memory released.  Return: MACH_MSG_SUCCESS, or the receive or send
 * error.
 */
mach_msg_return_t mach_msg_server_once(boolean_t (*demux)(mach_msg_header_t *, mach_msg_header_t *),
	mach_msg_size_t max_size, mach_port_t rcv_name, mach_msg_options_t options);

/** mach_msg_server() - mach_msg_server_once() in a loop; returns only on a receive error. */
mach_msg_return_t mach_msg_server(boolean_t (*demux)(mach_msg_header_t *, mach_msg_header_t *),
	mach_msg_size_t max_size, mach_port_t rcv_name, mach_msg_options_t options);

#ifdef __cplusplus
}
#endif
#endif
