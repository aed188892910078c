/* SPDX-License-Identifier: MIT */
/* <mach/vm_types.h> - VM address and size types (LP64). */
#ifndef _MACH_VM_TYPES_H_
#define _MACH_VM_TYPES_H_

#include <stdint.h>
#include <mach/port.h>

typedef uintptr_t vm_offset_t;
typedef uintptr_t vm_size_t;
typedef vm_offset_t vm_address_t;
typedef uint64_t mach_vm_address_t;
typedef uint64_t mach_vm_offset_t;
typedef uint64_t mach_vm_size_t;
typedef unsigned long long memory_object_offset_t;
typedef unsigned long long memory_object_size_t;
typedef mach_port_t vm_map_t;
typedef mach_port_t vm_map_read_t;
typedef mach_port_t vm_map_inspect_t;
typedef int vm_prot_t;
typedef unsigned int vm_inherit_t;

/*
 * mach_vm_range_create()'s ranges: the flavor names the recipe layout,
 * the recipes travel as raw bytes.  The packed layout is Apple's.
 */
struct mach_vm_range {
	mach_vm_offset_t min_address;
	mach_vm_offset_t max_address;
};
typedef struct mach_vm_range *mach_vm_range_t;

typedef uint32_t mach_vm_range_flavor_t;
#define MACH_VM_RANGE_FLAVOR_INVALID 0
#define MACH_VM_RANGE_FLAVOR_V1      1
#define MACH_VM_RANGE_FLAVOR_DEFAULT MACH_VM_RANGE_FLAVOR_V1

typedef uint64_t mach_vm_range_flags_t;
#define MACH_VM_RANGE_NONE 0

typedef uint16_t mach_vm_range_tag_t;
#define MACH_VM_RANGE_DEFAULT 0
#define MACH_VM_RANGE_DATA    1
#define MACH_VM_RANGE_FIXED   2

typedef struct __attribute__((packed)) {
	__extension__ mach_vm_range_flags_t flags : 48;
	__extension__ mach_vm_range_tag_t range_tag : 8;
	__extension__ uint8_t vm_tag : 8;
	struct mach_vm_range range;
} mach_vm_range_recipe_v1_t;
typedef mach_vm_range_recipe_v1_t mach_vm_range_recipe_t;

typedef uint8_t *mach_vm_range_recipes_raw_t;

#endif
