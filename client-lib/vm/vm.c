/* SPDX-License-Identifier: MIT */
/*
 * vm.c - vm_allocate(), vm_deallocate(), vm_protect() and their mach_vm_
 * spellings, over the region table of vm-region.c.
 */
#include "vm-region.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mach/mach.h>

#define EXPORT __attribute__((visibility("default")))

EXPORT kern_return_t mach_vm_allocate(vm_map_t target, mach_vm_address_t *address,
				      mach_vm_size_t size, int flags)
{
	void *p;

	if (target != mach_task_self())
		return KERN_INVALID_TASK;
	if (!address || !(flags & VM_FLAGS_ANYWHERE))
		return KERN_INVALID_ARGUMENT;   /* fixed placement is not supported */
	if (size == 0) {
		*address = 0;
		return KERN_SUCCESS;
	}
	if (vm_map_new(-1, 0, (size_t)size, PROT_READ | PROT_WRITE, 1, VM_INHERIT_DEFAULT, &p) < 0)
		return KERN_RESOURCE_SHORTAGE;
	*address = (mach_vm_address_t)(uintptr_t)p;
	return KERN_SUCCESS;
}

EXPORT kern_return_t vm_allocate(vm_map_t target, vm_address_t *address, vm_size_t size, int flags)
{
	mach_vm_address_t a = 0;
	kern_return_t kr = mach_vm_allocate(target, &a, size, flags);

	if (kr == KERN_SUCCESS)
		*address = (vm_address_t)a;
	return kr;
}

EXPORT kern_return_t mach_vm_deallocate(vm_map_t target, mach_vm_address_t address,
					mach_vm_size_t size)
{
	if (target != mach_task_self())
		return KERN_INVALID_TASK;
	if (size == 0)
		return KERN_SUCCESS;
	vm_release((void *)(uintptr_t)address, (size_t)size);
	return KERN_SUCCESS;
}

EXPORT kern_return_t vm_deallocate(vm_map_t target, vm_address_t address, vm_size_t size)
{
	return mach_vm_deallocate(target, address, size);
}

static int to_prot(vm_prot_t p)
{
	return ((p & VM_PROT_READ) ? PROT_READ : 0) | ((p & VM_PROT_WRITE) ? PROT_WRITE : 0) |
	       ((p & VM_PROT_EXECUTE) ? PROT_EXEC : 0);
}

/*
 * The maximum protection is the library's record for private memory (the
 * caller's own pages), and the kernel's too for shared mappings that may
 * not be written: those are mapped through a read-only fd (vm-region.c).
 */
EXPORT kern_return_t mach_vm_protect(vm_map_t target, mach_vm_address_t address,
				     mach_vm_size_t size, boolean_t set_maximum, vm_prot_t prot)
{
	uintptr_t start, end;
	int err;

	if (target != mach_task_self())
		return KERN_INVALID_TASK;
	if (size == 0)
		return KERN_SUCCESS;
	if (address > UINTPTR_MAX - vm_page_mask || size > UINTPTR_MAX - vm_page_mask - address)
		return KERN_INVALID_ARGUMENT;
	start = (uintptr_t)address & ~(uintptr_t)vm_page_mask;
	end = (uintptr_t)vm_round((size_t)(address + size));
	err = vm_protect_range(start, end - start, set_maximum, to_prot(prot));
	switch (err) {
	case 0:
		return KERN_SUCCESS;
	case -EACCES:
	case -EPERM:
		return KERN_PROTECTION_FAILURE;
	case -EFAULT:
		return KERN_INVALID_ADDRESS;
	default:
		return KERN_RESOURCE_SHORTAGE;
	}
}

EXPORT kern_return_t vm_protect(vm_map_t target, vm_address_t address, vm_size_t size,
				boolean_t set_maximum, vm_prot_t prot)
{
	return mach_vm_protect(target, address, size, set_maximum, prot);
}
