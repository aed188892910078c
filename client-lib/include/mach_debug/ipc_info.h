/* SPDX-License-Identifier: MIT */
/*
 * <mach_debug/ipc_info.h> - what the IPC debugging calls return, with
 * Apple's layouts: a space's table (mach_port_space_info()) and the
 * exception handler info of task_get_exception_ports_info() and
 * thread_get_exception_ports_info().  libbootstrap answers no debugging
 * call; the types let generated interfaces compile.
 */
#ifndef _MACH_DEBUG_IPC_INFO_H_
#define _MACH_DEBUG_IPC_INFO_H_

#include <mach/port.h>

typedef struct ipc_info_space {
	natural_t iis_genno_mask;       /* generation number mask */
	natural_t iis_table_size;
	natural_t iis_table_next;       /* unused */
	natural_t iis_tree_size;        /* unused */
	natural_t iis_tree_small;       /* unused */
	natural_t iis_tree_hash;        /* unused */
} ipc_info_space_t;

typedef struct ipc_info_space_basic {
	natural_t iisb_genno_mask;
	natural_t iisb_table_size;
	natural_t iisb_table_next;      /* unused */
	natural_t iisb_table_inuse;
	natural_t iisb_reserved[2];
} ipc_info_space_basic_t;

typedef struct ipc_info_name {
	mach_port_name_t iin_name;      /* with its generation number */
	integer_t iin_collision;
	mach_port_type_t iin_type;
	mach_port_urefs_t iin_urefs;
	natural_t iin_object;
	natural_t iin_next;
	natural_t iin_hash;
} ipc_info_name_t;
typedef ipc_info_name_t *ipc_info_name_array_t;

/* Unused since the space became a table; kept for the interfaces' types. */
typedef struct ipc_info_tree_name {
	ipc_info_name_t iitn_name;
	mach_port_name_t iitn_lchild;
	mach_port_name_t iitn_rchild;
} ipc_info_tree_name_t;
typedef ipc_info_tree_name_t *ipc_info_tree_name_array_t;

typedef struct ipc_info_port {
	natural_t iip_port_object;      /* port object identifier */
	natural_t iip_receiver_object;  /* receiver task identifier (if any) */
} ipc_info_port_t;

typedef ipc_info_port_t *exception_handler_info_array_t;

#endif
