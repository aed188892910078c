/* SPDX-License-Identifier: MIT */
/*
 * <IOSurface/IOSurfaceRef.h> - IOSurfaceRef: pixel buffers shared between
 * processes, with Apple's names, types and semantics.  See IOSurface(3).
 */
#ifndef _IOSURFACE_REF_H
#define _IOSURFACE_REF_H 1

#include <stddef.h>

#include <mach/port.h>

#include <CoreFoundation/CoreFoundation.h>
#include <IOSurface/IOSurfaceTypes.h>

CF_EXTERN_C_BEGIN

typedef struct __IOSurface *IOSurfaceRef;

/* Properties of IOSurfaceCreate()'s dictionary (CFNumber values unless said). */
extern const CFStringRef kIOSurfaceAllocSize;          /* default: the planes', or height * bytes per row */
extern const CFStringRef kIOSurfaceWidth;
extern const CFStringRef kIOSurfaceHeight;
extern const CFStringRef kIOSurfaceBytesPerRow;        /* default: aligned, see IOSurfaceAlignProperty() */
extern const CFStringRef kIOSurfaceBytesPerElement;    /* default 1 */
extern const CFStringRef kIOSurfaceElementWidth;       /* default 1 */
extern const CFStringRef kIOSurfaceElementHeight;      /* default 1 */
extern const CFStringRef kIOSurfaceOffset;             /* must be 0 here */
extern const CFStringRef kIOSurfacePixelFormat;        /* OSType, e.g. 'BGRA', '420v' */
extern const CFStringRef kIOSurfaceName;               /* CFString, attached as a value */
extern const CFStringRef kIOSurfacePlaneInfo;          /* CFArray of CFDictionary, one per plane */
extern const CFStringRef kIOSurfacePlaneWidth;
extern const CFStringRef kIOSurfacePlaneHeight;
extern const CFStringRef kIOSurfacePlaneBytesPerRow;
extern const CFStringRef kIOSurfacePlaneOffset;
extern const CFStringRef kIOSurfacePlaneSize;
extern const CFStringRef kIOSurfacePlaneBase;          /* the same as kIOSurfacePlaneOffset */
extern const CFStringRef kIOSurfacePlaneBytesPerElement;
extern const CFStringRef kIOSurfacePlaneElementWidth;
extern const CFStringRef kIOSurfacePlaneElementHeight;

CFTypeID IOSurfaceGetTypeID(void);

/**
 * IOSurfaceCreate() - a new surface described by @properties, zero-filled.
 * Return: the surface (release it with CFRelease()), or NULL when a
 * property is missing, of the wrong type or inconsistent (the reason goes
 * to the log function set with IOSurfaceSetLogFunction()) or memory ran out.
 */
IOSurfaceRef IOSurfaceCreate(CFDictionaryRef properties);

/**
 * IOSurfaceLookup() - the surface with ID @csid, made by a process of the
 * same user (the kernel refuses others); NULL if there is none.  Release it.
 */
IOSurfaceRef IOSurfaceLookup(IOSurfaceID csid);
IOSurfaceID IOSurfaceGetID(IOSurfaceRef buffer);

/**
 * IOSurfaceLock() - start CPU access.  Without kIOSurfaceLockReadOnly the
 * seed changes on the matching unlock, in every process.  @seed, if not
 * NULL, receives the seed.  Return: kIOReturnSuccess, kIOReturnNotWritable
 * (a write lock on a read-only surface), kIOReturnBadArgument.
 */
IOReturn IOSurfaceLock(IOSurfaceRef buffer, IOSurfaceLockOptions options, uint32_t *seed);
/** IOSurfaceUnlock() - end it, with the same @options.  Return: as IOSurfaceLock(). */
IOReturn IOSurfaceUnlock(IOSurfaceRef buffer, IOSurfaceLockOptions options, uint32_t *seed);

size_t IOSurfaceGetAllocSize(IOSurfaceRef buffer);
size_t IOSurfaceGetWidth(IOSurfaceRef buffer);
size_t IOSurfaceGetHeight(IOSurfaceRef buffer);
size_t IOSurfaceGetBytesPerElement(IOSurfaceRef buffer);
size_t IOSurfaceGetBytesPerRow(IOSurfaceRef buffer);
size_t IOSurfaceGetElementWidth(IOSurfaceRef buffer);
size_t IOSurfaceGetElementHeight(IOSurfaceRef buffer);
OSType IOSurfaceGetPixelFormat(IOSurfaceRef buffer);
/** IOSurfaceGetSeed() - the seed, read from the shared pages. */
uint32_t IOSurfaceGetSeed(IOSurfaceRef buffer);
void *IOSurfaceGetBaseAddress(IOSurfaceRef buffer);

size_t IOSurfaceGetPlaneCount(IOSurfaceRef buffer);
/*
 * The plane getters: 0 (NULL) for @planeIndex >= the plane count, except
 * that plane 0 of a surface without planes gives the surface's values.
 */
size_t IOSurfaceGetWidthOfPlane(IOSurfaceRef buffer, size_t planeIndex);
size_t IOSurfaceGetHeightOfPlane(IOSurfaceRef buffer, size_t planeIndex);
size_t IOSurfaceGetBytesPerElementOfPlane(IOSurfaceRef buffer, size_t planeIndex);
size_t IOSurfaceGetBytesPerRowOfPlane(IOSurfaceRef buffer, size_t planeIndex);
size_t IOSurfaceGetElementWidthOfPlane(IOSurfaceRef buffer, size_t planeIndex);
size_t IOSurfaceGetElementHeightOfPlane(IOSurfaceRef buffer, size_t planeIndex);
void *IOSurfaceGetBaseAddressOfPlane(IOSurfaceRef buffer, size_t planeIndex);

/*
 * Attached values, kept in the surface's shared pages: a process that
 * maps the surface later sees them.  Values: CFString, CFNumber,
 * CFBoolean, and CFArray/CFDictionary of those, four levels deep, at
 * most 4 KiB in all; a value beyond that is refused (and logged).
 */
void IOSurfaceSetValue(IOSurfaceRef buffer, CFStringRef key, CFTypeRef value);
/** IOSurfaceCopyValue() - a copy of the value (the caller releases it), or NULL. */
CFTypeRef IOSurfaceCopyValue(IOSurfaceRef buffer, CFStringRef key);
void IOSurfaceRemoveValue(IOSurfaceRef buffer, CFStringRef key);
/** IOSurfaceCopyAllValues() - all attached values in a new dictionary (caller releases). */
CFDictionaryRef IOSurfaceCopyAllValues(IOSurfaceRef buffer);

/*
 * Use counts: each process has its own; the surface is in use while any
 * process's count is above zero (until it decrements it, releases its
 * last reference to the surface, or ends).
 */
void IOSurfaceIncrementUseCount(IOSurfaceRef buffer);
void IOSurfaceDecrementUseCount(IOSurfaceRef buffer);
/** IOSurfaceGetUseCount() - this process's use count (for debugging). */
int32_t IOSurfaceGetUseCount(IOSurfaceRef buffer);
/** IOSurfaceIsInUse() - whether any process's use count is above zero. */
Boolean IOSurfaceIsInUse(IOSurfaceRef buffer);

/**
 * IOSurfaceCreateMachPort() - a send right that carries the surface: its
 * memory and description.  Send it with MACH_MSG_TYPE_MOVE_SEND (or
 * COPY_SEND and deallocate it).  Return: the right, or MACH_PORT_NULL.
 */
mach_port_t IOSurfaceCreateMachPort(IOSurfaceRef buffer);
/**
 * IOSurfaceLookupFromMachPort() - the surface @port carries, mapping the
 * same pages; the port is not consumed.  Return: the surface (release it),
 * or NULL if @port does not carry a valid surface.
 */
IOSurfaceRef IOSurfaceLookupFromMachPort(mach_port_t port);

/*
 * Limits and alignment of properties: IOSurfaceGetPropertyAlignment() of
 * kIOSurfaceBytesPerRow (and kIOSurfacePlaneBytesPerRow, kIOSurfacePlaneOffset)
 * is 64, of kIOSurfaceAllocSize the page size, of the others 1.
 */
size_t IOSurfaceGetPropertyMaximum(CFStringRef property);
size_t IOSurfaceGetPropertyAlignment(CFStringRef property);
/** IOSurfaceAlignProperty() - the smallest aligned value >= @value. */
size_t IOSurfaceAlignProperty(CFStringRef property, size_t value);

CF_EXTERN_C_END

#endif
