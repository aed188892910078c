/* SPDX-License-Identifier: MIT */
/* <mach/memory_object_types.h> - MAP_MEM_* flags for mach_make_memory_entry. */
#ifndef _MACH_MEMORY_OBJECT_TYPES_H_
#define _MACH_MEMORY_OBJECT_TYPES_H_

#include <mach/vm_types.h>

typedef mach_port_t mem_entry_name_port_t;
typedef mach_port_t memory_object_t;
typedef mach_port_t memory_object_control_t;
typedef natural_t memory_object_cluster_size_t;
typedef natural_t *memory_object_fault_info_t;
typedef int memory_object_copy_strategy_t;
typedef int memory_object_return_t;
typedef int memory_object_flavor_t;
typedef int *memory_object_info_t;
typedef mach_port_t memory_object_name_t;
typedef mach_port_t memory_object_default_t;
#define MEMORY_OBJECT_CONTROL_NULL ((memory_object_control_t) 0)
#define MEMORY_OBJECT_NAME_NULL    ((memory_object_name_t) 0)
#define MEMORY_OBJECT_DEFAULT_NULL ((memory_object_default_t) 0)

#define MAP_MEM_NOOP            0
#define MAP_MEM_COPYBACK        1
#define MAP_MEM_IO              2
#define MAP_MEM_WTHRU           3
#define MAP_MEM_WCOMB           4
#define GET_MAP_MEM(flags)      ((((unsigned int)(flags)) >> 24) & 0xFF)
#define SET_MAP_MEM(caching, flags) \
	((flags) = ((((unsigned int)(caching)) << 24) & 0xFF000000) | ((flags) & 0xFFFFFF))

#define MAP_MEM_PROT_MASK       0xFF
#define MAP_MEM_LEDGER_TAGGED   0x002000
#define MAP_MEM_PURGABLE_KERNEL_ONLY 0x004000
#define MAP_MEM_GRAB_SECLUDED   0x008000
#define MAP_MEM_ONLY            0x010000
#define MAP_MEM_NAMED_CREATE    0x020000
#define MAP_MEM_PURGABLE        0x040000
#define MAP_MEM_NAMED_REUSE     0x080000
#define MAP_MEM_USE_DATA_ADDR   0x100000
#define MAP_MEM_VM_COPY         0x200000
#define MAP_MEM_VM_SHARE        0x400000
#define MAP_MEM_4K_DATA_ADDR    0x800000
#define MAP_MEM_FLAGS_MASK      0x00FFFF00

#endif
