/* SPDX-License-Identifier: MIT */
/*
 * surface.c - the IOSurfaceRef object: making a surface's memfd, mapping
 * one received from a peer, and letting go of it.
 */
#include "surface.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mach/mach.h>

#include "vm-region.h"

#define EXPORT __attribute__((visibility("default")))

static void finalize(struct cf_object *obj)
{
	IOSurfaceRef s = (IOSurfaceRef)obj;

	surface_lookup_remove(s);
	/* A forked child's copy: the registry entry and the use count are the parent's. */
	if (s->pid == getpid())
		surface_shared_release_use(s);
	munmap(s->map, s->map_size);
	close(s->fd);
	pthread_mutex_destroy(&s->lock);
}

static const struct cf_class surface_class = { "IOSurface", finalize, NULL, NULL };

__attribute__((constructor)) static void surface_register(void)
{
	cf_register_class(CF_TYPE_IOSURFACE, &surface_class);
}

EXPORT CFTypeID IOSurfaceGetTypeID(void)
{
	return CF_TYPE_IOSURFACE;
}

bool surface_retain_live(IOSurfaceRef s)
{
	long n = atomic_load(&s->base.refs);

	while (n > 0) {
		if (atomic_compare_exchange_weak(&s->base.refs, &n, n + 1))
			return true;
	}
	return false;
}

size_t surface_shared_size(void)
{
	return (sizeof(struct surface_shared) + vm_page_mask) & ~(size_t)vm_page_mask;
}

static size_t data_size_of(const struct surface_desc *d)
{
	return ((size_t)d->alloc_size + vm_page_mask) & ~(size_t)vm_page_mask;
}

/* Map the whole of @fd; read-only if @fd or the seals allow no more. */
static int map_file(IOSurfaceRef s, size_t size)
{
	int acc = fcntl(s->fd, F_GETFL);

	s->read_only = acc < 0 || (acc & O_ACCMODE) == O_RDONLY;
	s->map = MAP_FAILED;
	if (!s->read_only)
		s->map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
	if (s->map == MAP_FAILED && !s->read_only && errno != EPERM)
		return -errno;
	if (s->map == MAP_FAILED) {     /* EPERM: sealed by a read-only port */
		int ro = s->read_only ? -1 : vm_reopen_ro(s->fd);

		if (ro >= 0) {          /* hold what we may use: ports we make are read-only */
			close(s->fd);
			s->fd = ro;
		}
		s->read_only = true;
		s->map = mmap(NULL, size, PROT_READ, MAP_SHARED, s->fd, 0);
	}
	if (s->map == MAP_FAILED)
		return -errno;
	s->map_size = size;
	return 0;
}

static IOSurfaceRef surface_new(int fd)
{
	IOSurfaceRef s = cf_object_new(CF_TYPE_IOSURFACE, sizeof(*s));

	if (!s)
		return NULL;
	s->fd = fd;
	s->pid = getpid();
	s->map = MAP_FAILED;
	pthread_mutex_init(&s->lock, NULL);
	return s;
}

/* Free a surface that never became visible (no lookup entry, no use count). */
static void surface_discard(IOSurfaceRef s)
{
	if (s->map != MAP_FAILED)
		munmap(s->map, s->map_size);
	close(s->fd);
	pthread_mutex_destroy(&s->lock);
	s->base.magic = 0;
	free(s);
}

static ino_t fd_ino(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? st.st_ino : 0;
}

/*
 * Fixed size: receivers of a port refuse a memfd that could shrink under
 * their mapping.  Mode 0600, so that IOSurfaceLookup() in a process of the
 * same user can open it writable through /proc.
 */
static int make_memfd(size_t size)
{
	return vm_memfd(SURFACE_MEMFD_NAME, size, 0600);
}

EXPORT IOSurfaceRef IOSurfaceCreate(CFDictionaryRef properties)
{
	struct surface_desc d;
	size_t data;
	IOSurfaceRef s;
	CFTypeRef name;
	int fd;

	if (surface_layout_from_properties(properties, &d) < 0)
		return NULL;
	data = data_size_of(&d);
	fd = make_memfd(data + surface_shared_size());
	if (fd < 0) {
		surface_log("IOSurfaceCreate: cannot make the memory: %s", strerror(-fd));
		return NULL;
	}
	s = surface_new(fd);
	if (!s) {
		close(fd);
		return NULL;
	}
	if (map_file(s, data + surface_shared_size()) < 0) {
		surface_log("IOSurfaceCreate: cannot map the memory: %s", strerror(errno));
		surface_discard(s);
		return NULL;
	}
	s->desc = d;
	s->id = surface_lookup_new_id();
	s->ino = fd_ino(fd);
	s->shared = (struct surface_shared *)((char *)s->map + data);
	surface_shared_init(s->shared, s->id, &d, data);
	surface_lookup_add(s);
	name = CFDictionaryGetValue(properties, kIOSurfaceName);
	if (name && CFGetTypeID(name) == CFStringGetTypeID())
		IOSurfaceSetValue(s, kIOSurfaceName, name);
	return s;
}

/* The header of @fd, checked: *out is a private copy.  Return: 0 or -EINVAL. */
static int read_header(int fd, size_t *file_size, struct surface_shared *out)
{
	size_t hsize = surface_shared_size();
	int seals = fcntl(fd, F_GET_SEALS);
	struct stat st;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || seals < 0 || !(seals & F_SEAL_SHRINK) ||
	    (uint64_t)st.st_size < hsize || (st.st_size & vm_page_mask) || !vm_is_shmem(fd)) {
		surface_log("IOSurface: not a surface's memory (type, size or seals)");
		return -EINVAL;
	}
	if (pread(fd, out, sizeof(*out), st.st_size - (off_t)hsize) != (ssize_t)sizeof(*out)) {
		surface_log("IOSurface: cannot read the surface header");
		return -EINVAL;
	}
	if (out->magic != SURFACE_MAGIC || out->version != SURFACE_VERSION ||
	    out->data_size != (uint64_t)st.st_size - hsize) {
		surface_log("IOSurface: bad surface header (magic, version or size)");
		return -EINVAL;
	}
	if (surface_layout_check(&out->desc, out->data_size) < 0)
		return -EINVAL;
	*file_size = (size_t)st.st_size;
	return 0;
}

static IOSurfaceRef map_received(int fd, const struct surface_shared *h, size_t size, ino_t ino)
{
	IOSurfaceRef s = surface_new(fd);

	if (!s) {
		close(fd);
		return NULL;
	}
	if (map_file(s, size) < 0) {
		surface_log("IOSurface: cannot map the surface: %s", strerror(errno));
		surface_discard(s);
		return NULL;
	}
	s->desc = h->desc;
	s->id = h->id;
	s->ino = ino;
	s->shared = (struct surface_shared *)((char *)s->map + h->data_size);
	surface_lookup_add(s);
	return s;
}

/*
 * A surface's ID is written by whoever made its memory: one received may
 * claim another's, which IOSurfaceLookup() would then find in its place,
 * here and, once published, for every process of this user.
 */
static bool id_claimed(IOSurfaceID id, const struct stat *st)
{
	if (!surface_lookup_id_claimed(id, st))
		return false;
	surface_log("IOSurface: a surface received claims ID %u, another surface's: refused", id);
	return true;
}

IOSurfaceRef surface_from_fd(int fd, IOSurfaceID want_id)
{
	struct surface_shared *h = malloc(sizeof(*h));
	IOSurfaceRef s = NULL;
	struct stat st;
	size_t size;

	if (!h || fstat(fd, &st) < 0) {
		free(h);
		close(fd);
		return NULL;
	}
	s = surface_lookup_find_ino(st.st_ino);         /* already mapped here: the same object */
	if (s && want_id && s->id != want_id) {
		CFRelease(s);
		s = NULL;
		close(fd);
	} else if (s) {
		close(fd);
	} else if (read_header(fd, &size, h) < 0 || (want_id && h->id != want_id) ||
		   id_claimed(h->id, &st)) {
		close(fd);
	} else {
		s = map_received(fd, h, size, st.st_ino);
	}
	free(h);
	return s;
}
