/* SPDX-License-Identifier: MIT */
/* <IOSurface/IOSurfaceTypes.h> - IOSurfaceID, lock options, IOReturn codes. */
#ifndef _IOSURFACE_TYPES_H
#define _IOSURFACE_TYPES_H 1

#include <stdint.h>

#include <mach/kern_return.h>

typedef uint32_t IOSurfaceID;

typedef uint32_t IOSurfaceLockOptions;
enum {
	/* The caller will not write: the seed does not change on unlock. */
	kIOSurfaceLockReadOnly = 0x00000001,
	/* Fail rather than synchronise; memory here never needs it, so it never fails. */
	kIOSurfaceLockAvoidSync = 0x00000002,
};

/* IOKit's return type and the codes IOSurface functions return. */
typedef kern_return_t IOReturn;
#ifndef kIOReturnSuccess
#define kIOReturnSuccess        KERN_SUCCESS
#define kIOReturnError          ((IOReturn)0xe00002bc)
#define kIOReturnNoMemory       ((IOReturn)0xe00002bd)
#define kIOReturnBadArgument    ((IOReturn)0xe00002c2)
#define kIOReturnUnsupported    ((IOReturn)0xe00002c7)
#define kIOReturnCannotLock     ((IOReturn)0xe00002cc)
#define kIOReturnNotWritable    ((IOReturn)0xe00002cf)
#define kIOReturnNoSpace        ((IOReturn)0xe00002db)
#define kIOReturnNotPermitted   ((IOReturn)0xe00002e2)
#endif

#endif
