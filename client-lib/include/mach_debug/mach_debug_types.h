/* SPDX-License-Identifier: MIT */
/*
 * <mach_debug/mach_debug_types.h> - the debugging interfaces' types,
 * which Apple's task.defs, mach_port.defs, mach_vm.defs, vm_map.defs and
 * mach_host.defs import, from the headers Apple includes here.
 * libbootstrap answers no debugging call; the core file layouts are not
 * here.
 */
#ifndef _MACH_DEBUG_MACH_DEBUG_TYPES_H_
#define _MACH_DEBUG_MACH_DEBUG_TYPES_H_

#include <mach_debug/ipc_info.h>
#include <mach_debug/vm_info.h>
#include <mach_debug/zone_info.h>
#include <mach_debug/page_info.h>
#include <mach_debug/hash_info.h>
#include <mach_debug/lockgroup_info.h>

typedef char symtab_name_t[32];

#define KOBJECT_DESCRIPTION_LENGTH 512
typedef char kobject_description_t[KOBJECT_DESCRIPTION_LENGTH];

#endif
