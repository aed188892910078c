/* SPDX-License-Identifier: MIT */
/*
 * <mach/vm_region.h> - what mach_vm_region() reports about a region.
 * Only the basic flavors are answered; see vm_allocate(3).
 */
#ifndef _MACH_VM_REGION_H_
#define _MACH_VM_REGION_H_

#include <stdint.h>
#include <mach/boolean.h>
#include <mach/message.h>
#include <mach/memory_object_types.h>
#include <mach/vm_behavior.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>
#include <mach/vm_types.h>

#pragma pack(push, 4)

#define VM_REGION_INFO_MAX      (1024)
typedef int *vm_region_info_t;
typedef int *vm_region_info_64_t;
typedef int vm_region_flavor_t;
typedef int vm_region_info_data_t[VM_REGION_INFO_MAX];

#define VM_REGION_BASIC_INFO_64 9
struct vm_region_basic_info_64 {
	vm_prot_t protection;
	vm_prot_t max_protection;
	vm_inherit_t inheritance;
	boolean_t shared;
	boolean_t reserved;
	memory_object_offset_t offset;
	vm_behavior_t behavior;
	unsigned short user_wired_count;
};
typedef struct vm_region_basic_info_64 *vm_region_basic_info_64_t;
typedef struct vm_region_basic_info_64 vm_region_basic_info_data_64_t;
#define VM_REGION_BASIC_INFO_COUNT_64 ((mach_msg_type_number_t) \
	(sizeof(vm_region_basic_info_data_64_t) / sizeof(int)))

/* Given to mach_vm_region() or vm_region_64(), it means VM_REGION_BASIC_INFO_64. */
#define VM_REGION_BASIC_INFO    10
struct vm_region_basic_info {
	vm_prot_t protection;
	vm_prot_t max_protection;
	vm_inherit_t inheritance;
	boolean_t shared;
	boolean_t reserved;
	uint32_t offset;
	vm_behavior_t behavior;
	unsigned short user_wired_count;
};
typedef struct vm_region_basic_info *vm_region_basic_info_t;
typedef struct vm_region_basic_info vm_region_basic_info_data_t;
#define VM_REGION_BASIC_INFO_COUNT ((mach_msg_type_number_t) \
	(sizeof(vm_region_basic_info_data_t) / sizeof(int)))

/* Declared for source compatibility; mach_vm_region() refuses these flavors. */
#define VM_REGION_TOP_INFO      12
#define VM_REGION_EXTENDED_INFO 13

typedef int *vm_region_recurse_info_t;
typedef int *vm_region_recurse_info_64_t;

typedef int vm_page_info_flavor_t;
typedef int *vm_page_info_t;

/* The address ranges of mach_vm_read_list and vm_read_list. */
struct mach_vm_read_entry {
	mach_vm_address_t address;
	mach_vm_size_t size;
};
struct vm_read_entry {
	vm_address_t address;
	vm_size_t size;
};
#define VM_MAP_ENTRY_MAX (256)
typedef struct mach_vm_read_entry mach_vm_read_entry_t[VM_MAP_ENTRY_MAX];
typedef struct vm_read_entry vm_read_entry_t[VM_MAP_ENTRY_MAX];

#pragma pack(pop)

#endif
