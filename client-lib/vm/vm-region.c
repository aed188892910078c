/* SPDX-License-Identifier: MIT */
/*
 * vm-region.c - the table of library-made mappings: private memory that
 * becomes shared when a memory entry names it, and fork() inheritance.
 */
#include "vm-region.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mach/mach.h>

#define EXPORT __attribute__((visibility("default")))

EXPORT vm_size_t vm_page_size = 4096;
EXPORT vm_size_t vm_page_mask = 4095;
EXPORT int vm_page_shift = 12;

__attribute__((constructor)) static void page_size_init(void)
{
	long ps = sysconf(_SC_PAGESIZE);

	if (ps > 0) {
		vm_page_size = (vm_size_t)ps;
		vm_page_mask = (vm_size_t)ps - 1;
		vm_page_shift = __builtin_ctzl((unsigned long)ps);
	}
}

size_t vm_round(size_t size)
{
	return (size + vm_page_mask) & ~(size_t)vm_page_mask;
}

/* The task's address-space bookkeeping: global for the same reason as the IPC space. */
static struct {
	pthread_mutex_t lock;
	struct vm_region *r;
	size_t n, cap;
	unsigned long origins;  /* mappings recorded so far: each one's origin */
} regions = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Add @reg to the table.  Lock held. */
static int append(const struct vm_region *reg)
{
	if (regions.n == regions.cap) {
		size_t n = regions.cap ? regions.cap * 2 : 16;
		struct vm_region *r = realloc(regions.r, n * sizeof(*r));

		if (!r)
			return -ENOMEM;
		regions.r = r;
		regions.cap = n;
	}
	regions.r[regions.n++] = *reg;
	return 0;
}

static int record(struct vm_region *reg)
{
	int err;

	pthread_mutex_lock(&regions.lock);
	reg->origin = ++regions.origins;
	err = append(reg);
	pthread_mutex_unlock(&regions.lock);
	return err;
}

/* mmap @reg (addr 0: anywhere); a shared map keeps a dup of @fd in reg->fd. */
static int map_region(struct vm_region *reg, int fd, bool private_map)
{
	int flags = fd < 0 ? MAP_PRIVATE | MAP_ANONYMOUS : (private_map ? MAP_PRIVATE : MAP_SHARED);
	void *p;

	reg->fd = -1;
	if (fd >= 0 && !private_map) {
		reg->fd = vm_map_fd(fd, reg->maxprot);
		if (reg->fd < 0)
			return reg->fd;
		fd = reg->fd;
	}
	p = mmap(NULL, reg->size, reg->prot, flags, fd, fd < 0 ? 0 : (off_t)reg->offset);
	if (p == MAP_FAILED) {
		int err = -errno;

		if (reg->fd >= 0)
			close(reg->fd);
		return err;
	}
	reg->addr = (uintptr_t)p;
	return 0;
}

/* Is @fd's object sealed against new writable mappings (by a read-only entry)? */
static bool write_sealed(int fd)
{
	int seals = fcntl(fd, F_GET_SEALS);

	return seals >= 0 && (seals & (F_SEAL_FUTURE_WRITE | F_SEAL_WRITE));
}

/* Does @r map @want's file, shared and writable, over [@offset, @offset + @size)? */
static bool covers(const struct vm_region *r, const struct stat *want, unsigned long long offset,
		   size_t size)
{
	struct stat st;

	if (r->fd < 0 || !(r->maxprot & PROT_WRITE) || offset < r->offset ||
	    offset - r->offset > r->size || size > r->size - (offset - r->offset))
		return false;
	return fstat(r->fd, &st) == 0 && st.st_dev == want->st_dev && st.st_ino == want->st_ino;
}

/*
 * A writable shared map of an object a read-only entry sealed: the kernel
 * refuses new ones, but a duplicate (mremap() with old size 0) of a
 * writable mapping that this process made before the seal writes as that
 * one does.  Only such a mapping passes the mprotect() probe.
 * Return: 0 with @reg mapped, or -EPERM if no mapping here can give it.
 */
static int map_alias(struct vm_region *reg, int fd)
{
	struct stat want;
	int err = -EPERM;

	/* Only an entry that may write asks for a writable alias. */
	if (!vm_fd_writable(fd))
		return -EACCES;
	if (fstat(fd, &want) < 0)
		return -errno;
	pthread_mutex_lock(&regions.lock);
	for (size_t i = 0; i < regions.n && err == -EPERM; i++) {
		const struct vm_region *r = &regions.r[i];
		void *p;

		if (!covers(r, &want, reg->offset, reg->size))
			continue;
		p = mremap((void *)(r->addr + (reg->offset - r->offset)), 0, reg->size, MREMAP_MAYMOVE);
		if (p == MAP_FAILED)
			continue;
		if (mprotect(p, reg->size, PROT_READ | PROT_WRITE) < 0 ||
		    mprotect(p, reg->size, reg->prot) < 0 ||
		    (reg->fd = fcntl(r->fd, F_DUPFD_CLOEXEC, 0)) < 0) {
			munmap(p, reg->size);
			continue;
		}
		reg->addr = (uintptr_t)p;
		err = 0;
	}
	pthread_mutex_unlock(&regions.lock);
	return err;
}

int vm_map_max(int fd, unsigned long long offset, size_t size, int prot, int maxprot,
	       int private_map, int inherit, void **addr)
{
	struct vm_region reg = { .size = vm_round(size), .offset = fd < 0 ? 0 : offset,
				 .prot = prot, .maxprot = maxprot, .inherit = inherit };
	int err;

	if (size == 0 || (prot & ~maxprot))
		return -EINVAL;
	if (fd >= 0 && !private_map && (maxprot & PROT_WRITE) && write_sealed(fd))
		err = map_alias(&reg, fd);
	else
		err = map_region(&reg, fd, private_map);
	if (err < 0)
		return err;
	err = record(&reg);
	if (err < 0) {
		munmap((void *)reg.addr, reg.size);
		if (reg.fd >= 0)
			close(reg.fd);
		return err;
	}
	*addr = (void *)reg.addr;
	return 0;
}

int vm_map_new(int fd, unsigned long long offset, size_t size, int prot, int private_map,
	       int inherit, void **addr)
{
	return vm_map_max(fd, offset, size, prot, PROT_READ | PROT_WRITE | PROT_EXEC, private_map,
			  inherit, addr);
}

int vm_map_copy(const void *src, size_t size, void **addr)
{
	int err = vm_map_new(-1, 0, size, PROT_READ | PROT_WRITE, 1, VM_INHERIT_DEFAULT, addr);

	if (err == 0)
		memcpy(*addr, src, size);
	return err;
}

static int share(struct vm_region *r)
{
	int fd, mfd, err;

	if (!(r->prot & PROT_READ))
		return -EACCES;
	fd = vm_memfd("bootstrap-vm", r->size, 0444);
	if (fd < 0)
		return fd;
	err = vm_write_all(fd, (const char *)r->addr, r->size);
	mfd = err ? -1 : vm_map_fd(fd, r->maxprot);
	if (mfd < 0 && !err)
		err = mfd;
	if (!err && mmap((void *)r->addr, r->size, r->prot, MAP_SHARED | MAP_FIXED, mfd, 0) == MAP_FAILED)
		err = -errno;
	if (mfd >= 0)
		close(mfd);
	if (err) {
		close(fd);
		return err;
	}
	r->fd = fd;
	r->offset = 0;
	r->origin = ++regions.origins;  /* a mapping of its own now: no piece of the old one joins it */
	return 0;
}

int vm_share(uintptr_t addr, size_t size, struct vm_region *out)
{
	int err = -ENOENT;

	pthread_mutex_lock(&regions.lock);
	for (size_t i = 0; i < regions.n; i++) {
		struct vm_region *r = &regions.r[i];

		if (addr < r->addr || addr - r->addr > r->size || size > r->size - (addr - r->addr))
			continue;
		err = r->fd >= 0 ? 0 : share(r);
		if (err == 0) {
			*out = *r;
			out->fd = fcntl(r->fd, F_DUPFD_CLOEXEC, 0);
			err = out->fd < 0 ? -errno : 0;
		}
		break;
	}
	pthread_mutex_unlock(&regions.lock);
	return err;
}

int vm_region_lookup(uintptr_t at, struct vm_region *out, uintptr_t *next)
{
	int err = -ENOENT;

	*next = UINTPTR_MAX;
	pthread_mutex_lock(&regions.lock);
	for (size_t i = 0; i < regions.n; i++) {
		const struct vm_region *r = &regions.r[i];

		if (r->addr <= at && at - r->addr < r->size) {
			*out = *r;
			err = 0;
			break;
		}
		if (r->addr > at && r->addr < *next)
			*next = r->addr;
	}
	pthread_mutex_unlock(&regions.lock);
	return err;
}

/* Split regions.r[@i] at @at, inside it: the tail becomes a region of its own.  Lock held. */
static int split(size_t i, uintptr_t at)
{
	struct vm_region tail = regions.r[i];
	size_t head = at - tail.addr;
	int err;

	if (tail.fd >= 0) {
		tail.fd = fcntl(tail.fd, F_DUPFD_CLOEXEC, 0);
		if (tail.fd < 0)
			return -errno;
	}
	tail.addr = at;
	tail.size -= head;
	tail.offset += head;
	err = append(&tail);
	if (err < 0) {
		if (tail.fd >= 0)
			close(tail.fd);
		return err;
	}
	regions.r[i].size = head;
	return 0;
}

/* Make region boundaries at @start and @end (a tail split off is visited in turn).  Lock held. */
static int clip(uintptr_t start, uintptr_t end)
{
	for (size_t i = 0; i < regions.n; i++) {
		uintptr_t a = regions.r[i].addr, e = a + regions.r[i].size;
		int err = 0;

		if (a < start && start < e)
			err = split(i, start);
		else if (a < end && end < e)
			err = split(i, end);
		if (err < 0)
			return err;
	}
	return 0;
}

/* Whether @b continues @a: cut from one mapping, next to it, and set alike since. */
static bool continues(const struct vm_region *a, const struct vm_region *b)
{
	return a->origin == b->origin && a->addr + a->size == b->addr &&
	       a->offset + a->size == b->offset && a->prot == b->prot &&
	       a->maxprot == b->maxprot && a->inherit == b->inherit;
}

/* Join the region ending at @at and the one starting there, if one continues the other.  Lock held. */
static bool join_at(uintptr_t at)
{
	size_t a = regions.n, b = regions.n;

	for (size_t i = 0; i < regions.n; i++) {
		if (regions.r[i].addr + regions.r[i].size == at)
			a = i;
		else if (regions.r[i].addr == at)
			b = i;
	}
	if (a == regions.n || b == regions.n || !continues(&regions.r[a], &regions.r[b]))
		return false;
	regions.r[a].size += regions.r[b].size;
	if (regions.r[b].fd >= 0)
		close(regions.r[b].fd);
	regions.r[b] = regions.r[--regions.n];
	return true;
}

/*
 * Join again the pieces of a mapping that clip() cut within or at the ends
 * of [@start, @end) and that are set alike once more (a guard page given
 * back its protection), so that the mapping can be named whole again.
 * Lock held.
 */
static void coalesce(uintptr_t start, uintptr_t end)
{
	join_at(end);
	for (size_t i = 0; i < regions.n; i++)
		if (regions.r[i].addr >= start && regions.r[i].addr < end && join_at(regions.r[i].addr))
			i = (size_t)-1; /* the table changed: look again */
}

/*
 * Regions are cut at the range's ends first, so that what stays mapped
 * keeps a record of its own size: a record that still covered the hole
 * would have fork() copy it (a fault) and sharing map over whatever took
 * its place.  Without the memory to cut, a region partly released is
 * forgotten whole: its other pages are then the caller's, untracked.
 */
void vm_release(void *addr, size_t size)
{
	uintptr_t start = (uintptr_t)addr & ~(uintptr_t)vm_page_mask;
	uintptr_t end = ((uintptr_t)addr + size + vm_page_mask) & ~(uintptr_t)vm_page_mask;

	pthread_mutex_lock(&regions.lock);
	clip(start, end);
	for (size_t i = 0; i < regions.n;) {
		struct vm_region *r = &regions.r[i];

		if (r->addr < end && start < r->addr + r->size) {
			if (r->fd >= 0)
				close(r->fd);
			*r = regions.r[--regions.n];
		} else {
			i++;
		}
	}
	pthread_mutex_unlock(&regions.lock);
	munmap((void *)start, end - start);
}

/*
 * Lower @r's maximum to @max.  A shared region that loses write is mapped
 * again, in place, through a read-only fd, so that the kernel enforces it.
 */
static int lower_max(struct vm_region *r, int max)
{
	int cur = r->prot & max, ro = -1, err = 0;

	if (r->fd >= 0 && (r->maxprot & PROT_WRITE) && !(max & PROT_WRITE))
		ro = vm_reopen_ro(r->fd);
	if (ro >= 0) {
		if (mmap((void *)r->addr, r->size, cur, MAP_SHARED | MAP_FIXED, ro,
			 (off_t)r->offset) == MAP_FAILED)
			err = -errno;
		close(ro);
	} else if (mprotect((void *)r->addr, r->size, cur) < 0) {
		err = -errno;
	}
	if (err == 0) {
		r->maxprot = max;
		r->prot = cur;
	}
	return err;
}

/* Would @prot exceed the maximum of a page in [start, end)?  Lock held. */
static bool over_max(uintptr_t start, uintptr_t end, int prot)
{
	for (size_t i = 0; i < regions.n; i++) {
		const struct vm_region *r = &regions.r[i];

		if (r->addr < end && start < r->addr + r->size && (prot & ~r->maxprot))
			return true;
	}
	return false;
}

/*
 * The current protection, recorded per region: regions are cut at the
 * range's ends first, so that each record says what all its pages have
 * (fork() reads a region through it).
 */
static int set_cur(uintptr_t start, uintptr_t end, int prot)
{
	int err = clip(start, end);

	if (err < 0)
		return err;
	if (mprotect((void *)start, end - start, prot) < 0)
		return errno == ENOMEM ? -EFAULT : -errno;      /* ENOMEM: not all mapped */
	for (size_t i = 0; i < regions.n; i++) {
		struct vm_region *r = &regions.r[i];

		if (r->addr >= start && r->addr + r->size <= end)
			r->prot = prot;
	}
	coalesce(start, end);
	return 0;
}

/* The maximum: per page, so regions are split at @start and @end first. */
static int set_max(uintptr_t start, uintptr_t end, int prot)
{
	size_t covered = 0;
	int err = clip(start, end);

	for (size_t i = 0; i < regions.n && err == 0; i++) {
		if (regions.r[i].addr >= start && regions.r[i].addr < end)
			covered += regions.r[i].size;
	}
	if (err == 0 && covered != end - start)
		err = -EFAULT;
	for (size_t i = 0; i < regions.n && err == 0; i++) {
		if (regions.r[i].addr >= start && regions.r[i].addr < end)
			err = lower_max(&regions.r[i], prot);
	}
	if (err == 0)
		coalesce(start, end);
	return err;
}

int vm_protect_range(uintptr_t addr, size_t size, int max, int prot)
{
	int err;

	pthread_mutex_lock(&regions.lock);
	if (over_max(addr, addr + size, prot))
		err = -EACCES;
	else
		err = max ? set_max(addr, addr + size, prot) : set_cur(addr, addr + size, prot);
	pthread_mutex_unlock(&regions.lock);
	return err;
}

void vm_fork_prepare(void)
{
	pthread_mutex_lock(&regions.lock);
}

void vm_fork_parent(void)
{
	pthread_mutex_unlock(&regions.lock);
}

/*
 * A shared mapping stays shared across fork(): give the child private
 * pages with the same content in its place, as VM_INHERIT_COPY says.
 * Anonymous memory and mremap() need no fd, which the child may lack.
 */
static int copy_for_child(struct vm_region *r)
{
	void *copy = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (copy == MAP_FAILED)
		return -errno;
	if (!(r->prot & PROT_READ))
		mprotect((void *)r->addr, r->size, PROT_READ);
	memcpy(copy, (const void *)r->addr, r->size);
	if (mremap(copy, r->size, r->size, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)r->addr) == MAP_FAILED) {
		munmap(copy, r->size);
		return -errno;
	}
	mprotect((void *)r->addr, r->size, r->prot);
	close(r->fd);
	r->fd = -1;
	return 0;
}

void vm_fork_child(void)
{
	pthread_mutex_init(&regions.lock, NULL);
	for (size_t i = 0; i < regions.n;) {
		struct vm_region *r = &regions.r[i];

		if (r->inherit == VM_INHERIT_NONE) {
			munmap((void *)r->addr, r->size);
			if (r->fd >= 0)
				close(r->fd);
			*r = regions.r[--regions.n];
			continue;
		}
		if (r->fd >= 0 && r->inherit != VM_INHERIT_SHARE)
			copy_for_child(r);     /* on failure the pages stay shared: nothing better to do */
		i++;
	}
}
