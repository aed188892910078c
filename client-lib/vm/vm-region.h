/* SPDX-License-Identifier: MIT */
/*
 * vm-region.h - the regions the library mapped (internal).
 *
 * vm_allocate() memory and received out-of-line memory are private
 * (anonymous, or copy-on-write of a sealed memfd), as malloc'd memory is:
 * no fd per allocation, and fork() copies them.  Naming pages in a memory
 * entry moves them into a memfd mapped shared at the same address
 * ("sharing" a region); vm_map() of an entry maps its memfd.  Every region
 * is recorded here, so that mach_make_memory_entry_64() can find or make
 * the memfd behind an address, vm_deallocate() can forget what it unmaps,
 * and a forked child gets what each region's inheritance says.
 */
#ifndef BOOTSTRAP_VM_REGION_H
#define BOOTSTRAP_VM_REGION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct vm_region {
	uintptr_t addr;
	size_t size;            /* page-rounded mapping size */
	int fd;                 /* memfd of a shared mapping, or -1 for private memory */
	unsigned long long offset; /* of addr within the memfd */
	int prot;               /* PROT_* it is mapped with now */
	int maxprot;            /* PROT_* it may ever be given (vm_protect's maximum) */
	int inherit;            /* VM_INHERIT_*: what a forked child gets */
	unsigned long origin;   /* the mapping it was cut from (vm-region.c): pieces of one join again */
};

/**
 * vm_map_new() - map @size bytes: of @fd at @offset when @fd >= 0, else
 * fresh zeroed private memory.
 * @prot: PROT_* bits; @private_map: copy-on-write instead of shared (a
 * shared map keeps its own dup of @fd); @inherit: VM_INHERIT_*.
 * Return: 0 and *addr, or a negative errno.
 */
int vm_map_new(int fd, unsigned long long offset, size_t size, int prot, int private_map,
	       int inherit, void **addr);

/**
 * vm_map_max() - vm_map_new() with a maximum protection @maxprot, which
 * must contain @prot.  A shared map of @fd whose maximum lacks PROT_WRITE
 * is made through a read-only open of @fd, so that the kernel refuses to
 * make it writable (mprotect fails), whatever the caller runs.  One whose
 * maximum has PROT_WRITE, of an object a read-only entry sealed, must
 * duplicate a writable mapping of it made here before the seal.
 * Return: 0 and *addr, or a negative errno (-EACCES: @fd does not allow
 * it; -EPERM: sealed, and no such mapping covers the window).
 */
int vm_map_max(int fd, unsigned long long offset, size_t size, int prot, int maxprot,
	       int private_map, int inherit, void **addr);

/**
 * vm_reopen_ro() - a new read-only open file description of the file
 * behind @fd (through /proc/self/fd), or @fd's own dup if it is read-only
 * already.
 * Return: the fd (O_CLOEXEC; the caller closes it), or a negative errno.
 */
int vm_reopen_ro(int fd);

/**
 * vm_memfd() - a memfd of @size bytes whose size is sealed (shrink and
 * grow), of file mode @mode: 0444 for memory objects, so that a process
 * that finds one in another's (or its own) /proc/PID/fd cannot open it for
 * writing unless it owns the file or is privileged (an IOSurface's is
 * 0600: its user's other processes open it writable through the registry).
 * Return: the fd (O_CLOEXEC), or a negative errno.
 */
int vm_memfd(const char *name, size_t size, mode_t mode);

/**
 * vm_map_fd() - the fd a shared map of @fd keeps: a read-only open when
 * @maxprot lacks PROT_WRITE (the kernel then refuses mprotect(PROT_WRITE)
 * on the map), else, or without /proc, a dup of @fd.
 * Return: the fd (O_CLOEXEC), or a negative errno.
 */
int vm_map_fd(int fd, int maxprot);

/** vm_fd_writable() - whether @fd is open for writing (an entry's fd says what it may allow). */
bool vm_fd_writable(int fd);

/** vm_is_shmem() - whether @fd is shared memory, as memfd_create() makes (not hugetlbfs). */
bool vm_is_shmem(int fd);

/** vm_write_all() - write @size bytes at @p to @fd from offset 0.  Return: 0 or a negative errno. */
int vm_write_all(int fd, const char *p, size_t size);

/** vm_map_copy() - private pages holding a copy of @src (received inline OOL data). */
int vm_map_copy(const void *src, size_t size, void **addr);

/**
 * vm_share() - the region containing [@addr, @addr + @size), moved into a
 * memfd first if it was private.  Pages written by another thread while
 * they move may keep the old value: name memory before sharing it out.
 * Return: 0 and a copy of the region with a dup of its fd in *out (the
 * caller closes it); -ENOENT if the range is not within one library-made
 * region, -EACCES if it is not readable, or another negative errno.
 */
int vm_share(uintptr_t addr, size_t size, struct vm_region *out);

/**
 * vm_region_lookup() - the library-made region containing @at, as a copy
 * (its fd is not given: -1 there), else the start of the first one above
 * @at in *next (UINTPTR_MAX if none).
 * Return: 0 and *out, or -ENOENT.
 */
int vm_region_lookup(uintptr_t at, struct vm_region *out, uintptr_t *next);

/** vm_release() - unmap [@addr, @addr + @size) and forget the regions in it. */
void vm_release(void *addr, size_t size);

/**
 * vm_protect_range() - vm_protect() on [@addr, @addr + @size), page-aligned:
 * set the current protection to @prot, or with @max the maximum (and the
 * current one to what both allow).
 * Return: 0; -EACCES if @prot exceeds the maximum of a page in the range
 * (nothing changed) or the kernel refused; -EFAULT if @max and part
 * of the range is not library-made memory (it has no maximum to lower);
 * another negative errno.
 */
int vm_protect_range(uintptr_t addr, size_t size, int max, int prot);

/*
 * fork() handling, called by the task's handlers (task.c): the
 * region lock nests inside the space lock, so both are taken in one place.
 */
void vm_fork_prepare(void);
void vm_fork_parent(void);
/** vm_fork_child() - apply each region's inheritance in the new child. */
void vm_fork_child(void);

size_t vm_round(size_t size);

/**
 * vm_sealed_copy() - a memfd holding a copy of @size bytes at @addr, sealed
 * against any change (out-of-line data travels this way: receivers map it
 * copy-on-write and refuse it unsealed).
 * Return: the fd, or a negative errno.
 */
int vm_sealed_copy(const void *addr, size_t size);

#endif
