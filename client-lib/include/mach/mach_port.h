/* SPDX-License-Identifier: MIT */
/* <mach/mach_port.h> - port manipulation calls, Apple's signatures.  See mach_port(3). */
#ifndef _MACH_MACH_PORT_H_
#define _MACH_MACH_PORT_H_

/* macOS generates this header with MIG, whose output includes <string.h>:
 * programs rely on it for memset() and strcpy(). */
#include <string.h>
#include <mach/kern_return.h>
#include <mach/message.h>
#include <mach/mach_types.h>
#include <bootstrap/unavailable.h>

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

kern_return_t mach_port_allocate_name(ipc_space_t task, mach_port_right_t right, mach_port_name_t name);
kern_return_t mach_port_names(ipc_space_t task, mach_port_name_array_t *names,
	mach_msg_type_number_t *namesCnt, mach_port_type_array_t *types,
	mach_msg_type_number_t *typesCnt);
kern_return_t mach_port_get_attributes(ipc_space_t task, mach_port_name_t name,
	mach_port_flavor_t flavor, mach_port_info_t port_info_out,
	mach_msg_type_number_t *port_info_outCnt);
kern_return_t mach_port_set_attributes(ipc_space_t task, mach_port_name_t name,
	mach_port_flavor_t flavor, mach_port_info_t port_info, mach_msg_type_number_t port_infoCnt);
kern_return_t mach_port_construct(ipc_space_t task, mach_port_options_ptr_t options,
	mach_port_context_t context, mach_port_name_t *name);
kern_return_t mach_port_destruct(ipc_space_t task, mach_port_name_t name,
	mach_port_delta_t srdelta, mach_port_context_t guard);
kern_return_t mach_port_guard(ipc_space_t task, mach_port_name_t name,
	mach_port_context_t guard, boolean_t strict);
kern_return_t mach_port_unguard(ipc_space_t task, mach_port_name_t name, mach_port_context_t guard);
kern_return_t mach_port_get_context(ipc_space_t task, mach_port_name_t name, mach_port_context_t *context);
kern_return_t mach_port_set_context(ipc_space_t task, mach_port_name_t name, mach_port_context_t context);
kern_return_t mach_port_set_seqno(ipc_space_t task, mach_port_name_t name, mach_port_seqno_t seqno);
kern_return_t mach_port_extract_right(ipc_space_t task, mach_port_name_t name,
	mach_msg_type_name_t msgt_name, mach_port_t *poly, mach_msg_type_name_t *polyPoly);

/* Declared by Apple, not provided here: a call fails to compile.  See mach_port(3). */
kern_return_t mach_port_set_mscount(ipc_space_t task, mach_port_name_t name, mach_port_mscount_t mscount)
	BOOTSTRAP_UNAVAILABLE("mach_port_set_mscount");

#ifdef __cplusplus
}
#endif
#endif
