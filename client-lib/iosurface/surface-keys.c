/* SPDX-License-Identifier: MIT */
/*
 * surface-keys.c - the kIOSurface* property keys (Apple's strings), and
 * the limits and alignment of each property.
 */
#include "surface.h"

#include <mach/mach.h>

#include "../corefoundation/cf-string.h"

#define EXPORT __attribute__((visibility("default")))

#define KEY(name) \
	CF_CONST_STRING(name, #name); \
	EXPORT const CFStringRef k##name = &name##_obj;

KEY(IOSurfaceAllocSize)
KEY(IOSurfaceWidth)
KEY(IOSurfaceHeight)
KEY(IOSurfaceBytesPerRow)
KEY(IOSurfaceBytesPerElement)
KEY(IOSurfaceElementWidth)
KEY(IOSurfaceElementHeight)
KEY(IOSurfaceOffset)
KEY(IOSurfacePixelFormat)
KEY(IOSurfaceName)
KEY(IOSurfacePlaneInfo)
KEY(IOSurfacePlaneWidth)
KEY(IOSurfacePlaneHeight)
KEY(IOSurfacePlaneBytesPerRow)
KEY(IOSurfacePlaneOffset)
KEY(IOSurfacePlaneSize)
KEY(IOSurfacePlaneBase)
KEY(IOSurfacePlaneBytesPerElement)
KEY(IOSurfacePlaneElementWidth)
KEY(IOSurfacePlaneElementHeight)

EXPORT size_t IOSurfaceGetPropertyMaximum(CFStringRef property)
{
	if (CFEqual(property, kIOSurfaceWidth) || CFEqual(property, kIOSurfaceHeight) ||
	    CFEqual(property, kIOSurfacePlaneWidth) || CFEqual(property, kIOSurfacePlaneHeight))
		return 32768;
	if (CFEqual(property, kIOSurfaceBytesPerRow) || CFEqual(property, kIOSurfacePlaneBytesPerRow) ||
	    CFEqual(property, kIOSurfaceAllocSize))
		return (size_t)1 << 31;
	if (CFEqual(property, kIOSurfaceBytesPerElement) ||
	    CFEqual(property, kIOSurfacePlaneBytesPerElement))
		return 64;
	if (CFEqual(property, kIOSurfaceElementWidth) || CFEqual(property, kIOSurfaceElementHeight) ||
	    CFEqual(property, kIOSurfacePlaneElementWidth) ||
	    CFEqual(property, kIOSurfacePlaneElementHeight))
		return 16;
	return 0;
}

EXPORT size_t IOSurfaceGetPropertyAlignment(CFStringRef property)
{
	if (CFEqual(property, kIOSurfaceBytesPerRow) || CFEqual(property, kIOSurfacePlaneBytesPerRow) ||
	    CFEqual(property, kIOSurfacePlaneOffset) || CFEqual(property, kIOSurfacePlaneBase))
		return 64;
	if (CFEqual(property, kIOSurfaceAllocSize))
		return vm_page_size;
	return 1;
}

EXPORT size_t IOSurfaceAlignProperty(CFStringRef property, size_t value)
{
	size_t a = IOSurfaceGetPropertyAlignment(property);

	return (value + a - 1) / a * a;
}
