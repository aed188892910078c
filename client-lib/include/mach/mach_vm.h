/* SPDX-License-Identifier: MIT */
/* <mach/mach_vm.h> - the 64-bit spellings of the vm calls. */
#ifndef _MACH_MACH_VM_H_
#define _MACH_MACH_VM_H_

/* macOS generates this header with MIG, whose output includes <string.h>:
 * programs rely on it for memset() and strcpy(). */
#include <string.h>
#include <mach/message.h>
#include <mach/vm_map.h>
#include <bootstrap/unavailable.h>

#ifdef __cplusplus
extern "C" {
#endif

kern_return_t mach_vm_allocate(vm_map_t target, mach_vm_address_t *address, mach_vm_size_t size, int flags);
kern_return_t mach_vm_deallocate(vm_map_t target, mach_vm_address_t address, mach_vm_size_t size);
kern_return_t mach_vm_map(vm_map_t target_task, mach_vm_address_t *address, mach_vm_size_t size,
	mach_vm_offset_t mask, int flags, mem_entry_name_port_t object,
	memory_object_offset_t offset, boolean_t copy, vm_prot_t cur_protection,
	vm_prot_t max_protection, vm_inherit_t inheritance);
kern_return_t mach_vm_protect(vm_map_t target_task, mach_vm_address_t address,
	mach_vm_size_t size, boolean_t set_maximum, vm_prot_t new_protection);

/* Declared by Apple, not provided here: a call fails to compile.  See vm_allocate(3). */
kern_return_t mach_vm_read(vm_map_read_t target_task, mach_vm_address_t address,
	mach_vm_size_t size, vm_offset_t *data, mach_msg_type_number_t *dataCnt)
	BOOTSTRAP_UNAVAILABLE("mach_vm_read");
kern_return_t mach_vm_read_overwrite(vm_map_read_t target_task, mach_vm_address_t address,
	mach_vm_size_t size, mach_vm_address_t data, mach_vm_size_t *outsize)
	BOOTSTRAP_UNAVAILABLE("mach_vm_read_overwrite");
kern_return_t mach_vm_write(vm_map_t target_task, mach_vm_address_t address,
	vm_offset_t data, mach_msg_type_number_t dataCnt)
	BOOTSTRAP_UNAVAILABLE("mach_vm_write");
kern_return_t mach_vm_copy(vm_map_t target_task, mach_vm_address_t source_address,
	mach_vm_size_t size, mach_vm_address_t dest_address)
	BOOTSTRAP_UNAVAILABLE("mach_vm_copy");

#ifdef __cplusplus
}
#endif
#endif
