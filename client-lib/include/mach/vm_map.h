/* SPDX-License-Identifier: MIT */
/*
 * <mach/vm_map.h> - shared memory and memory entries.  See vm_allocate(3).
 *
 * vm_allocate() hands out memfd-backed pages so that they can be named by
 * mach_make_memory_entry_64() and mapped by another process.  Memory the
 * library did not allocate (malloc, stack) cannot be named:
 * KERN_INVALID_ARGUMENT.
 */
#ifndef _MACH_VM_MAP_H_
#define _MACH_VM_MAP_H_

/* macOS generates this header with MIG, whose output includes <string.h>:
 * programs rely on it for memset() and strcpy(). */
#include <string.h>
#include <mach/kern_return.h>
#include <mach/mach_types.h>
#include <mach/vm_prot.h>
#include <mach/vm_inherit.h>
#include <mach/vm_statistics.h>
#include <mach/memory_object_types.h>
#include <mach/vm_region.h>

#ifdef __cplusplus
extern "C" {
#endif

kern_return_t vm_allocate(vm_map_t target_task, vm_address_t *address, vm_size_t size, int flags);
kern_return_t vm_deallocate(vm_map_t target_task, vm_address_t address, vm_size_t size);
kern_return_t vm_map(vm_map_t target_task, vm_address_t *address, vm_size_t size,
	vm_address_t mask, int flags, mem_entry_name_port_t object, vm_offset_t offset,
	boolean_t copy, vm_prot_t cur_protection, vm_prot_t max_protection,
	vm_inherit_t inheritance);
kern_return_t vm_protect(vm_map_t target_task, vm_address_t address, vm_size_t size,
	boolean_t set_maximum, vm_prot_t new_protection);
kern_return_t mach_make_memory_entry(vm_map_t target_task, vm_size_t *size,
	vm_offset_t offset, vm_prot_t permission, mem_entry_name_port_t *object_handle,
	mem_entry_name_port_t parent_entry);
kern_return_t mach_make_memory_entry_64(vm_map_t target_task, memory_object_size_t *size,
	memory_object_offset_t offset, vm_prot_t permission, mach_port_t *object_handle,
	mem_entry_name_port_t parent_entry);
kern_return_t vm_region_64(vm_map_read_t target_task, vm_address_t *address, vm_size_t *size,
	vm_region_flavor_t flavor, vm_region_info_t info, mach_msg_type_number_t *infoCnt,
	mach_port_t *object_name);

#ifdef __cplusplus
}
#endif
#endif
