/* SPDX-License-Identifier: MIT */
/*
 * vm.h - the regions the library mapped (internal).
 *
 * vm_allocate() memory and received out-of-line memory are memfd-backed
 * (or anonymous for small inline regions) and recorded here, so that
 * mach_make_memory_entry_64() can find the memfd behind an address and
 * vm_deallocate() can unmap exactly what was mapped.
 */
#ifndef BOOTSTRAP_VM_H
#define BOOTSTRAP_VM_H

#include <stddef.h>
#include <stdint.h>

struct vm_region {
	uintptr_t addr;
	size_t size;            /* page-rounded mapping size */
	int fd;                 /* memfd, or -1 for anonymous memory */
	unsigned long long offset; /* of addr within the memfd */
};

/**
 * vm_map_new() - map @size bytes: of @fd at @offset when @fd >= 0 (the
 * table keeps its own dup of @fd), else fresh shared memory in a new memfd.
 * @prot: PROT_* bits; @private: MAP_PRIVATE instead of MAP_SHARED.
 * Return: 0 and *addr, or a negative errno.
 */
int vm_map_new(int fd, unsigned long long offset, size_t size, int prot, int private_map,
	       void **addr);

/** vm_map_copy() - anonymous pages holding a copy of @src (received inline OOL data). */
int vm_map_copy(const void *src, size_t size, void **addr);

/**
 * vm_lookup() - the region containing [@addr, @addr + @size).
 * Return: 0 and a copy of the region with a dup of its fd in *out (the
 * caller closes it), -ENOENT if the range is not one library-made
 * memfd mapping.
 */
int vm_lookup(uintptr_t addr, size_t size, struct vm_region *out);

/** vm_release() - unmap [@addr, @addr + @size) and forget the regions in it. */
void vm_release(void *addr, size_t size);

size_t vm_round(size_t size);

#endif
