/* SPDX-License-Identifier: MIT */
/*
 * vm-query.c - mach_vm_region() and vm_region_64() on the caller's own
 * task: the basic flavors, for library-made regions (their table has the
 * maximum protection and inheritance) and for every other mapping the
 * kernel lists (/proc/self/maps, which has neither: VM_PROT_ALL and the
 * inheritance mmap() gives on macOS, copy for private and share for
 * shared mappings).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include <mach/mach.h>

#include "vm-maps.h"
#include "vm-region.h"

#define EXPORT __attribute__((visibility("default")))

static vm_prot_t from_prot(int prot)
{
	return ((prot & PROT_READ) ? VM_PROT_READ : 0) | ((prot & PROT_WRITE) ? VM_PROT_WRITE : 0) |
	       ((prot & PROT_EXEC) ? VM_PROT_EXECUTE : 0);
}

/*
 * The region at or above @addr: the kernel's mapping, narrowed to the
 * library-made region it holds there (Linux merges neighbours that XNU
 * keeps apart, and the other way round).
 */
static int find_region(uintptr_t addr, uintptr_t *start, uintptr_t *end,
		       struct vm_region_basic_info_64 *b)
{
	struct vm_mapping m;
	struct vm_region r;
	uintptr_t next, at;
	int err = vm_maps_find(addr, &m);

	if (err < 0)
		return err;
	at = m.start > addr ? m.start : addr;
	memset(b, 0, sizeof(*b));
	b->behavior = VM_BEHAVIOR_DEFAULT;
	if (vm_region_lookup(at, &r, &next) == 0) {
		*start = r.addr > m.start ? r.addr : m.start;
		*end = r.addr + r.size < m.end ? r.addr + r.size : m.end;
		b->protection = from_prot(r.prot);
		b->max_protection = from_prot(r.maxprot);
		b->inheritance = (vm_inherit_t)r.inherit;
		b->shared = r.fd >= 0;
		b->offset = r.offset + (*start - r.addr);
		return 0;
	}
	*start = m.start;
	*end = next > m.start && next < m.end ? next : m.end;
	b->protection = from_prot(m.prot);
	b->max_protection = VM_PROT_ALL;
	b->inheritance = m.shared ? VM_INHERIT_SHARE : VM_INHERIT_COPY;
	b->shared = m.shared;
	b->offset = m.offset;
	return 0;
}

static void put_basic(const struct vm_region_basic_info_64 *b, vm_region_flavor_t flavor,
		      vm_region_info_t info, mach_msg_type_number_t *count)
{
	if (flavor == VM_REGION_BASIC_INFO_64) {
		memcpy(info, b, sizeof(*b));
		*count = VM_REGION_BASIC_INFO_COUNT_64;
	}
}

EXPORT kern_return_t mach_vm_region(vm_map_read_t task, mach_vm_address_t *address,
				    mach_vm_size_t *size, vm_region_flavor_t flavor,
				    vm_region_info_t info, mach_msg_type_number_t *count,
				    mach_port_t *object_name)
{
	struct vm_region_basic_info_64 b;
	uintptr_t start, end;
	int err;

	if (task != mach_task_self() || !address || !size || !info || !count)
		return KERN_INVALID_ARGUMENT;
	if (flavor == VM_REGION_BASIC_INFO)
		flavor = VM_REGION_BASIC_INFO_64;       /* as XNU converts it */
	if (flavor != VM_REGION_BASIC_INFO_64 || *count < VM_REGION_BASIC_INFO_COUNT_64)
		return KERN_INVALID_ARGUMENT;
	if (*address > UINTPTR_MAX)
		return KERN_INVALID_ADDRESS;
	err = find_region((uintptr_t)*address, &start, &end, &b);
	if (err == -ENOENT)
		return KERN_INVALID_ADDRESS;
	if (err < 0)
		return KERN_RESOURCE_SHORTAGE;
	put_basic(&b, flavor, info, count);
	*address = start;
	*size = end - start;
	if (object_name)
		*object_name = MACH_PORT_NULL;
	return KERN_SUCCESS;
}

EXPORT kern_return_t vm_region_64(vm_map_read_t task, vm_address_t *address, vm_size_t *size,
				  vm_region_flavor_t flavor, vm_region_info_t info,
				  mach_msg_type_number_t *count, mach_port_t *object_name)
{
	mach_vm_address_t a = address ? *address : 0;
	mach_vm_size_t s = 0;
	kern_return_t kr;

	if (!address || !size)
		return KERN_INVALID_ARGUMENT;
	kr = mach_vm_region(task, &a, &s, flavor, info, count, object_name);
	if (kr == KERN_SUCCESS) {
		*address = (vm_address_t)a;
		*size = (vm_size_t)s;
	}
	return kr;
}
