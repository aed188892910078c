/* SPDX-License-Identifier: MIT */
/*
 * <IOSurface/IOSurfaceLinux.h> - Linux-only extensions of IOSurface: the
 * memfd behind a surface, dma-buf export, read-only ports, and where
 * IOSurfaceCreate() explains a refusal.  See IOSurface(3).
 */
#ifndef _IOSURFACE_LINUX_H
#define _IOSURFACE_LINUX_H 1

#include <IOSurface/IOSurface.h>

CF_EXTERN_C_BEGIN

/**
 * IOSurfaceGetFd() - the memfd holding the surface.  The pixels start at
 * offset 0 (IOSurfaceGetBaseAddress() maps offset 0); the surface's
 * shared state follows them at a page boundary.  The fd stays owned by
 * the surface: dup() it to keep it (e.g. for wl_shm_pool), never close it.
 * Return: the fd, or -1 with errno EINVAL for a NULL surface.
 */
int IOSurfaceGetFd(IOSurfaceRef buffer);

/**
 * IOSurfaceCreateDmaBuf() - a new dma-buf fd for the surface's pixels
 * (IOSurfaceGetAllocSize() rounded up to pages, from offset 0), made by
 * /dev/udmabuf, for EGL or Vulkan import.  The caller closes it.
 * Return: the fd, or -1 with errno: ENODEV (no /dev/udmabuf), EACCES (not
 * allowed to open it), EPERM (a read-only surface), or the kernel's error.
 */
int IOSurfaceCreateDmaBuf(IOSurfaceRef buffer);

/**
 * IOSurfaceCreateMachPortReadOnly() - as IOSurfaceCreateMachPort(), but
 * whoever receives it can map the surface read-only only: the kernel
 * refuses any write (the memory is sealed, see vm_allocate(3) SECURITY).
 * From then on no process can map the surface writable anew: processes
 * that look it up later, by port or ID, get it read-only; those that hold
 * it already keep writing.  Return: the right, or MACH_PORT_NULL.
 */
mach_port_t IOSurfaceCreateMachPortReadOnly(IOSurfaceRef buffer);

/** IOSurfaceIsReadOnly() - whether this process maps @buffer read-only. */
Boolean IOSurfaceIsReadOnly(IOSurfaceRef buffer);

/*
 * The log function: IOSurfaceCreate() and the lookups explain each
 * refusal in one line (without newline) to it.  The library never prints;
 * with no log function set the explanations are dropped.  Process-wide.
 */
typedef void (*IOSurfaceLogFunction)(void *context, const char *message);
void IOSurfaceSetLogFunction(IOSurfaceLogFunction function, void *context);

CF_EXTERN_C_END

#endif
