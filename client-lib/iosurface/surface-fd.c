/* SPDX-License-Identifier: MIT */
/*
 * surface-fd.c - the Linux extensions on a surface's memfd: the fd
 * itself (for wl_shm), a dma-buf of it (for EGL and Vulkan import).
 */
#include "surface.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/udmabuf.h>

#define EXPORT __attribute__((visibility("default")))

EXPORT int IOSurfaceGetFd(IOSurfaceRef buffer)
{
	if (!cf_is(buffer, CF_TYPE_IOSURFACE)) {
		errno = EINVAL;
		return -1;
	}
	return buffer->fd;
}

EXPORT Boolean IOSurfaceIsReadOnly(IOSurfaceRef buffer)
{
	return cf_is(buffer, CF_TYPE_IOSURFACE) && buffer->read_only;
}

/*
 * udmabuf wants a memfd sealed against shrinking (ours is, from birth)
 * and not against writes, and a page-aligned window: the pixels, from
 * offset 0, rounded up to pages, which is where the header starts.
 */
EXPORT int IOSurfaceCreateDmaBuf(IOSurfaceRef buffer)
{
	struct udmabuf_create req = { 0 };
	int dev, fd, err;

	if (!cf_is(buffer, CF_TYPE_IOSURFACE)) {
		errno = EINVAL;
		return -1;
	}
	if (buffer->read_only || (fcntl(buffer->fd, F_GET_SEALS) & F_SEAL_FUTURE_WRITE)) {
		errno = EPERM;          /* a dma-buf is writable: not of read-only memory */
		return -1;
	}
	dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		if (errno == ENOENT || errno == ENXIO)
			errno = ENODEV;
		return -1;
	}
	req.memfd = (uint32_t)buffer->fd;
	req.flags = UDMABUF_FLAGS_CLOEXEC;
	req.offset = 0;
	req.size = ((uint64_t)buffer->desc.alloc_size + vm_page_mask) & ~(uint64_t)vm_page_mask;
	fd = ioctl(dev, UDMABUF_CREATE, &req);
	err = errno;
	close(dev);
	errno = err;
	return fd;
}
