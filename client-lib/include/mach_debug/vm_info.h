/* SPDX-License-Identifier: MIT */
/*
 * <mach_debug/vm_info.h> - what the VM debugging calls return
 * (mach_vm_region_info() and its kin): a map entry and the object behind
 * it, with Apple's layouts.  Apple packs these to 4 bytes, so
 * vm_info_region_64_t's 64-bit offset follows three 32-bit fields
 * unpadded and the whole is 44 bytes, as mach_debug_types.defs counts it
 * in 32-bit words.  vm_info_object_t is larger on 64-bit than the .defs
 * says (88 bytes, not 84: vio_last_alloc is a vm_offset_t), as on macOS.
 * libbootstrap answers no debugging call; the types let generated
 * interfaces compile.
 */
#ifndef _MACH_DEBUG_VM_INFO_H_
#define _MACH_DEBUG_VM_INFO_H_

#include <mach/boolean.h>
#include <mach/memory_object_types.h>
#include <mach/vm_types.h>

#pragma pack(push, 4)

typedef struct mach_vm_info_region {
	mach_vm_offset_t vir_start;
	mach_vm_offset_t vir_end;
	mach_vm_offset_t vir_object;    /* the mapped object (a kernel address) */
	memory_object_offset_t vir_offset;
	boolean_t vir_needs_copy;
	vm_prot_t vir_protection;
	vm_prot_t vir_max_protection;
	vm_inherit_t vir_inheritance;
	natural_t vir_wired_count;
	natural_t vir_user_wired_count;
} mach_vm_info_region_t;

typedef struct vm_info_region_64 {
	natural_t vir_start;
	natural_t vir_end;
	natural_t vir_object;
	memory_object_offset_t vir_offset;      /* at 12: packed to 4 */
	boolean_t vir_needs_copy;
	vm_prot_t vir_protection;
	vm_prot_t vir_max_protection;
	vm_inherit_t vir_inheritance;
	natural_t vir_wired_count;
	natural_t vir_user_wired_count;
} vm_info_region_64_t;

typedef struct vm_info_region {
	natural_t vir_start;
	natural_t vir_end;
	natural_t vir_object;
	natural_t vir_offset;
	boolean_t vir_needs_copy;
	vm_prot_t vir_protection;
	vm_prot_t vir_max_protection;
	vm_inherit_t vir_inheritance;
	natural_t vir_wired_count;
	natural_t vir_user_wired_count;
} vm_info_region_t;

typedef struct vm_info_object {
	natural_t vio_object;
	natural_t vio_size;
	unsigned int vio_ref_count;
	unsigned int vio_resident_page_count;
	unsigned int vio_absent_count;
	natural_t vio_copy;
	natural_t vio_shadow;
	natural_t vio_shadow_offset;
	natural_t vio_paging_offset;
	memory_object_copy_strategy_t vio_copy_strategy;
	vm_offset_t vio_last_alloc;
	unsigned int vio_paging_in_progress;
	boolean_t vio_pager_created;
	boolean_t vio_pager_initialized;
	boolean_t vio_pager_ready;
	boolean_t vio_can_persist;
	boolean_t vio_internal;
	boolean_t vio_temporary;
	boolean_t vio_alive;
	boolean_t vio_purgable;
	boolean_t vio_purgable_volatile;
} vm_info_object_t;

typedef vm_info_object_t *vm_info_object_array_t;

#pragma pack(pop)

#endif
