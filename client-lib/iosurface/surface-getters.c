/* SPDX-License-Identifier: MIT */
/*
 * surface-getters.c - the layout getters, from the surface's checked
 * private copy of its layout (never from the shared pages).
 */
#include "surface.h"

#define EXPORT __attribute__((visibility("default")))

static const struct surface_desc *desc_of(IOSurfaceRef s)
{
	return cf_is(s, CF_TYPE_IOSURFACE) ? &s->desc : NULL;
}

#define SURFACE_GETTER(fn, field)                                       \
	EXPORT size_t fn(IOSurfaceRef buffer)                           \
	{                                                               \
		const struct surface_desc *d = desc_of(buffer);         \
		return d ? (size_t)d->field : 0;                        \
	}

SURFACE_GETTER(IOSurfaceGetAllocSize, alloc_size)
SURFACE_GETTER(IOSurfaceGetWidth, width)
SURFACE_GETTER(IOSurfaceGetHeight, height)
SURFACE_GETTER(IOSurfaceGetBytesPerElement, bytes_per_element)
SURFACE_GETTER(IOSurfaceGetBytesPerRow, bytes_per_row)
SURFACE_GETTER(IOSurfaceGetElementWidth, element_width)
SURFACE_GETTER(IOSurfaceGetElementHeight, element_height)
SURFACE_GETTER(IOSurfaceGetPlaneCount, plane_count)

EXPORT OSType IOSurfaceGetPixelFormat(IOSurfaceRef buffer)
{
	const struct surface_desc *d = desc_of(buffer);

	return d ? d->pixel_format : 0;
}

EXPORT IOSurfaceID IOSurfaceGetID(IOSurfaceRef buffer)
{
	return cf_is(buffer, CF_TYPE_IOSURFACE) ? buffer->id : 0;
}

EXPORT void *IOSurfaceGetBaseAddress(IOSurfaceRef buffer)
{
	return cf_is(buffer, CF_TYPE_IOSURFACE) ? buffer->map : NULL;
}

/*
 * Plane @i as a plane: a surface without planes answers for plane 0 with
 * its own values (Apple's rule, so callers can treat both alike).
 */
static bool plane_of(IOSurfaceRef s, size_t i, struct surface_plane *out)
{
	const struct surface_desc *d = desc_of(s);

	if (!d)
		return false;
	if (i < d->plane_count) {
		*out = d->planes[i];
		return true;
	}
	if (i != 0 || d->plane_count != 0)
		return false;
	*out = (struct surface_plane){ d->width, d->height, d->bytes_per_element,
				       d->bytes_per_row, d->element_width, d->element_height,
				       0, d->alloc_size };
	return true;
}

#define PLANE_GETTER(fn, field)                                         \
	EXPORT size_t fn(IOSurfaceRef buffer, size_t planeIndex)        \
	{                                                               \
		struct surface_plane p;                                 \
		return plane_of(buffer, planeIndex, &p) ? (size_t)p.field : 0; \
	}

PLANE_GETTER(IOSurfaceGetWidthOfPlane, width)
PLANE_GETTER(IOSurfaceGetHeightOfPlane, height)
PLANE_GETTER(IOSurfaceGetBytesPerElementOfPlane, bytes_per_element)
PLANE_GETTER(IOSurfaceGetBytesPerRowOfPlane, bytes_per_row)
PLANE_GETTER(IOSurfaceGetElementWidthOfPlane, element_width)
PLANE_GETTER(IOSurfaceGetElementHeightOfPlane, element_height)

EXPORT void *IOSurfaceGetBaseAddressOfPlane(IOSurfaceRef buffer, size_t planeIndex)
{
	struct surface_plane p;

	if (!plane_of(buffer, planeIndex, &p))
		return NULL;
	return (char *)buffer->map + p.offset;
}
