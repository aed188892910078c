/* SPDX-License-Identifier: MIT */
/* <mach/mach_port.h> - port manipulation calls, Apple's signatures.  See mach_port(3). */
#ifndef _MACH_MACH_PORT_H_
#define _MACH_MACH_PORT_H_

#include <mach/kern_return.h>
#include <mach/message.h>
#include <mach/mach_types.h>

#ifdef __cplusplus
extern "C" {
#endif

kern_return_t mach_port_allocate(ipc_space_t task, mach_port_right_t right, mach_port_name_t *name);
kern_return_t mach_port_deallocate(ipc_space_t task, mach_port_name_t name);
kern_return_t mach_port_destroy(ipc_space_t task, mach_port_name_t name);
kern_return_t mach_port_mod_refs(ipc_space_t task, mach_port_name_t name,
	mach_port_right_t right, mach_port_delta_t delta);
kern_return_t mach_port_get_refs(ipc_space_t task, mach_port_name_t name,
	mach_port_right_t right, mach_port_urefs_t *refs);
kern_return_t mach_port_insert_right(ipc_space_t task, mach_port_name_t name,
	mach_port_t poly, mach_msg_type_name_t polyPoly);
kern_return_t mach_port_type(ipc_space_t task, mach_port_name_t name, mach_port_type_t *ptype);
kern_return_t mach_port_move_member(ipc_space_t task, mach_port_name_t member, mach_port_name_t after);
kern_return_t mach_port_insert_member(ipc_space_t task, mach_port_name_t name, mach_port_name_t pset);
kern_return_t mach_port_extract_member(ipc_space_t task, mach_port_name_t name, mach_port_name_t pset);
kern_return_t mach_port_request_notification(ipc_space_t task, mach_port_name_t name,
	mach_msg_id_t msgid, mach_port_mscount_t sync, mach_port_t notify,
	mach_msg_type_name_t notifyPoly, mach_port_t *previous);

#ifdef __cplusplus
}
#endif
#endif
