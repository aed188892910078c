/* SPDX-License-Identifier: MIT */
/*
 * vm-rw.c - mach_vm_read(), mach_vm_read_overwrite(), mach_vm_write(),
 * mach_vm_copy() on the caller's own task.  The kernel's list of mappings
 * says first whether each range is mapped and allowed (XNU's answers:
 * KERN_INVALID_ADDRESS for a hole, KERN_PROTECTION_FAILURE for a page
 * without the access, whichever comes first in address order); the bytes
 * then move with process_vm_readv/writev on ourselves, which fail with
 * EFAULT instead of faulting should a mapping change meanwhile.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include <mach/mach.h>

#include "vm-maps.h"
#include "vm-region.h"

#define EXPORT __attribute__((visibility("default")))

static kern_return_t check_range(mach_vm_address_t addr, mach_vm_size_t size, int prot)
{
	if (addr > UINTPTR_MAX || size > UINTPTR_MAX - addr)
		return KERN_INVALID_ADDRESS;
	switch (vm_maps_check((uintptr_t)addr, (size_t)size, prot)) {
	case 0:
		return KERN_SUCCESS;
	case -EACCES:
		return KERN_PROTECTION_FAILURE;
	case -EFAULT:
		return KERN_INVALID_ADDRESS;
	default:
		return KERN_RESOURCE_SHORTAGE;
	}
}

/* Write @size bytes of @src at @dst, checked writable, without faulting (as vm_read_self()). */
static int write_self(void *dst, const void *src, size_t size)
{
	struct iovec local = { (void *)src, size }, remote = { dst, size };
	ssize_t n = process_vm_writev(getpid(), &local, 1, &remote, 1, 0);

	if (n == (ssize_t)size)
		return 0;
	if (n < 0 && (errno == ENOSYS || errno == EPERM)) {
		memcpy(dst, src, size);         /* not allowed here: checked already */
		return 0;
	}
	return -EFAULT;
}

/* Move @size bytes from @src to @dst, both checked; through a private copy if @bounce. */
static kern_return_t move_bytes(uintptr_t src, uintptr_t dst, size_t size, bool bounce)
{
	void *buf = bounce ? malloc(size) : (void *)dst;
	kern_return_t kr = KERN_SUCCESS;

	if (!buf)
		return KERN_RESOURCE_SHORTAGE;
	if (vm_read_self(buf, (const void *)src, size) < 0)
		kr = KERN_INVALID_ADDRESS;      /* the mapping changed since the check */
	else if (bounce && write_self((void *)dst, buf, size) < 0)
		kr = KERN_INVALID_ADDRESS;
	if (bounce)
		free(buf);
	return kr;
}

/* Checks and copy shared by read_overwrite, write and copy. */
static kern_return_t copy_over(vm_map_t task, mach_vm_address_t src, mach_vm_size_t size,
			       mach_vm_address_t dst, kern_return_t src_unreadable)
{
	kern_return_t kr;

	if (task != mach_task_self())
		return KERN_INVALID_ARGUMENT;
	if (size == 0)
		return KERN_SUCCESS;
	kr = check_range(src, size, PROT_READ);
	if (kr != KERN_SUCCESS)
		return src_unreadable ? src_unreadable : kr;
	kr = check_range(dst, size, PROT_WRITE);
	if (kr != KERN_SUCCESS)
		return kr;
	/* Through a copy, so that overlapping ranges behave as XNU's snapshot does. */
	return move_bytes((uintptr_t)src, (uintptr_t)dst, (size_t)size, true);
}

EXPORT kern_return_t mach_vm_read(vm_map_read_t task, mach_vm_address_t address,
				  mach_vm_size_t size, vm_offset_t *data,
				  mach_msg_type_number_t *count)
{
	uintptr_t in_page = (uintptr_t)address & vm_page_mask;
	kern_return_t kr;
	void *base;

	if (task != mach_task_self() || !data || !count || (mach_msg_type_number_t)size != size)
		return KERN_INVALID_ARGUMENT;
	if (size == 0) {
		*data = 0;
		*count = 0;
		return KERN_SUCCESS;
	}
	kr = check_range(address, size, PROT_READ);
	if (kr != KERN_SUCCESS)
		return kr;
	/* New pages, the data at the same offset in its page as at @address (XNU's copyout). */
	if (vm_map_new(-1, 0, in_page + (size_t)size, PROT_READ | PROT_WRITE, 1,
		       VM_INHERIT_DEFAULT, &base) < 0)
		return KERN_RESOURCE_SHORTAGE;
	kr = move_bytes((uintptr_t)address, (uintptr_t)base + in_page, (size_t)size, false);
	if (kr != KERN_SUCCESS) {
		vm_release(base, in_page + (size_t)size);
		return kr;
	}
	*data = (vm_offset_t)base + in_page;
	*count = (mach_msg_type_number_t)size;
	return KERN_SUCCESS;
}

EXPORT kern_return_t mach_vm_read_overwrite(vm_map_read_t task, mach_vm_address_t address,
					    mach_vm_size_t size, mach_vm_address_t data,
					    mach_vm_size_t *outsize)
{
	kern_return_t kr = copy_over(task, address, size, data, KERN_SUCCESS);

	if (kr == KERN_SUCCESS && outsize)
		*outsize = size;
	return kr;
}

/*
 * @data is the caller's own buffer, which MIG would copy into a message:
 * unreadable, the send fails with MACH_SEND_INVALID_MEMORY and that is what
 * macOS returns.
 */
EXPORT kern_return_t mach_vm_write(vm_map_t task, mach_vm_address_t address, vm_offset_t data,
				   mach_msg_type_number_t count)
{
	return copy_over(task, data, count, address, MACH_SEND_INVALID_MEMORY);
}

EXPORT kern_return_t mach_vm_copy(vm_map_t task, mach_vm_address_t source_address,
				  mach_vm_size_t size, mach_vm_address_t dest_address)
{
	return copy_over(task, source_address, size, dest_address, KERN_SUCCESS);
}
