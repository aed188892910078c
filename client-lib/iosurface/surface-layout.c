/* SPDX-License-Identifier: MIT */
/*
 * surface-layout.c - IOSurfaceCreate()'s properties -> the layout, and the
 * check of a layout received from a peer.
 *
 * Rows are aligned as IOSurface aligns them: a bytes-per-row that the
 * caller leaves out is the row's whole elements times the bytes per
 * element, rounded up to 64 bytes (a cache line; IOSurfaceAlignProperty());
 * one the caller gives is kept as given, but must hold a row.  Planes
 * without an offset follow each other at 64-byte boundaries.
 */
#include "surface.h"

#include <errno.h>
#include <string.h>

#define ROW_ALIGN 64u
#define DIM_MAX 32768u
#define BPE_MAX 64u
#define ELEM_MAX 16u
#define ALLOC_MAX (1ull << 31)

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

static uint64_t div_up(uint64_t v, uint64_t d)
{
	return (v + d - 1) / d;
}

/* *@out = the integer @key of @dict, or @def if absent.  Return: 0 or -EINVAL (logged). */
static int get_num(CFDictionaryRef dict, CFStringRef key, uint64_t def, uint64_t max,
		   uint64_t *out, const char *where)
{
	CFTypeRef v = CFDictionaryGetValue(dict, key);
	int64_t n;

	if (!v) {
		*out = def;
		return 0;
	}
	if (CFGetTypeID(v) != CFNumberGetTypeID() ||
	    !CFNumberGetValue(v, kCFNumberSInt64Type, &n) || n < 0 || (uint64_t)n > max) {
		surface_log("IOSurfaceCreate: %s%s must be an integer from 0 to %llu", where,
			    CFStringGetCStringPtr(key, kCFStringEncodingUTF8), (unsigned long long)max);
		return -EINVAL;
	}
	*out = (uint64_t)n;
	return 0;
}

/* The element grid: at least one element of at least one byte; *min_bpr = a row's bytes. */
static int check_elements(uint64_t w, uint64_t bpe, uint64_t ew, uint64_t eh, uint64_t *min_bpr,
			  const char *where)
{
	if (bpe == 0 || ew == 0 || eh == 0) {
		surface_log("IOSurfaceCreate: %sbytes per element, element width and height must not be 0",
			    where);
		return -EINVAL;
	}
	*min_bpr = div_up(w, ew) * bpe;
	return 0;
}

static int plane_from(CFDictionaryRef pd, uint64_t next_offset, struct surface_plane *p)
{
	const char *w = "plane: ";
	uint64_t min_bpr, bpr;

	if (!pd || CFGetTypeID(pd) != CFDictionaryGetTypeID()) {
		surface_log("IOSurfaceCreate: each kIOSurfacePlaneInfo entry must be a dictionary");
		return -EINVAL;
	}
	if (get_num(pd, kIOSurfacePlaneWidth, 0, DIM_MAX, &p->width, w) < 0 ||
	    get_num(pd, kIOSurfacePlaneHeight, 0, DIM_MAX, &p->height, w) < 0 ||
	    get_num(pd, kIOSurfacePlaneBytesPerElement, 1, BPE_MAX, &p->bytes_per_element, w) < 0 ||
	    get_num(pd, kIOSurfacePlaneElementWidth, 1, ELEM_MAX, &p->element_width, w) < 0 ||
	    get_num(pd, kIOSurfacePlaneElementHeight, 1, ELEM_MAX, &p->element_height, w) < 0 ||
	    get_num(pd, kIOSurfacePlaneBytesPerRow, 0, ALLOC_MAX, &bpr, w) < 0 ||
	    get_num(pd, kIOSurfacePlaneBase, next_offset, ALLOC_MAX, &p->offset, w) < 0 ||
	    get_num(pd, kIOSurfacePlaneOffset, p->offset, ALLOC_MAX, &p->offset, w) < 0)
		return -EINVAL;
	if (p->width == 0 || p->height == 0) {
		surface_log("IOSurfaceCreate: a plane needs kIOSurfacePlaneWidth and kIOSurfacePlaneHeight");
		return -EINVAL;
	}
	if (check_elements(p->width, p->bytes_per_element, p->element_width, p->element_height,
			   &min_bpr, w) < 0)
		return -EINVAL;
	if (bpr && bpr < min_bpr) {
		surface_log("IOSurfaceCreate: plane bytes per row %llu is less than a row, %llu",
			    (unsigned long long)bpr, (unsigned long long)min_bpr);
		return -EINVAL;
	}
	p->bytes_per_row = bpr ? bpr : align_up(min_bpr, ROW_ALIGN);
	return get_num(pd, kIOSurfacePlaneSize,
		       div_up(p->height, p->element_height) * p->bytes_per_row, ALLOC_MAX, &p->size, w);
}

/* NV12 ('420v', '420f') without kIOSurfacePlaneInfo: luma, then interleaved chroma. */
static void nv12_planes(struct surface_desc *d)
{
	struct surface_plane *y = &d->planes[0], *c = &d->planes[1];

	*y = (struct surface_plane){ d->width, d->height, 1, align_up(d->width, ROW_ALIGN), 1, 1, 0, 0 };
	y->size = y->height * y->bytes_per_row;
	*c = (struct surface_plane){ div_up(d->width, 2), div_up(d->height, 2), 2, 0, 1, 1,
				     align_up(y->size, ROW_ALIGN), 0 };
	c->bytes_per_row = align_up(c->width * 2, ROW_ALIGN);
	c->size = c->height * c->bytes_per_row;
	d->plane_count = 2;
}

static int planes_from(CFDictionaryRef props, struct surface_desc *d)
{
	CFTypeRef info = CFDictionaryGetValue(props, kIOSurfacePlaneInfo);
	uint64_t next = 0;
	CFIndex n;

	if (!info) {
		if (d->pixel_format == 0x34323076 || d->pixel_format == 0x34323066)
			nv12_planes(d);
		return 0;
	}
	n = CFGetTypeID(info) == CFArrayGetTypeID() ? CFArrayGetCount(info) : -1;
	if (n < 1 || n > SURFACE_PLANES_MAX) {
		surface_log("IOSurfaceCreate: kIOSurfacePlaneInfo must be an array of 1 to %d dictionaries",
			    SURFACE_PLANES_MAX);
		return -EINVAL;
	}
	for (CFIndex i = 0; i < n; i++) {
		if (plane_from(CFArrayGetValueAtIndex(info, i), next, &d->planes[i]) < 0)
			return -EINVAL;
		next = align_up(d->planes[i].offset + d->planes[i].size, ROW_ALIGN);
	}
	d->plane_count = (uint32_t)n;
	return 0;
}

/* The bytes the layout needs: the planes' extent, or the rows'. */
static uint64_t needed(const struct surface_desc *d)
{
	uint64_t end = 0;

	if (d->plane_count == 0)
		return div_up(d->height, d->element_height) * d->bytes_per_row;
	for (uint32_t i = 0; i < d->plane_count; i++) {
		uint64_t e = d->planes[i].offset + d->planes[i].size;

		end = e > end ? e : end;
	}
	return end;
}

/* Planes must not overlap nor exceed the allocation.  Return: 0 or -EINVAL (logged). */
static int check_planes(const struct surface_desc *d)
{
	for (uint32_t i = 0; i < d->plane_count; i++) {
		const struct surface_plane *p = &d->planes[i];

		if (p->offset > d->alloc_size || p->size > d->alloc_size - p->offset ||
		    p->size < (p->height ? div_up(p->height, p->element_height) - 1 : 0) *
			      p->bytes_per_row + div_up(p->width, p->element_width) * p->bytes_per_element) {
			surface_log("IOSurfaceCreate: plane %u does not fit its size or the allocation", i);
			return -EINVAL;
		}
		for (uint32_t j = 0; j < i; j++) {
			const struct surface_plane *q = &d->planes[j];

			if (p->offset < q->offset + q->size && q->offset < p->offset + p->size) {
				surface_log("IOSurfaceCreate: planes %u and %u overlap", j, i);
				return -EINVAL;
			}
		}
	}
	return 0;
}

static int surface_fields(CFDictionaryRef props, struct surface_desc *d, uint64_t *bpr)
{
	uint64_t fmt, offset;

	if (get_num(props, kIOSurfaceWidth, 0, DIM_MAX, &d->width, "") < 0 ||
	    get_num(props, kIOSurfaceHeight, 0, DIM_MAX, &d->height, "") < 0 ||
	    get_num(props, kIOSurfaceBytesPerElement, 1, BPE_MAX, &d->bytes_per_element, "") < 0 ||
	    get_num(props, kIOSurfaceElementWidth, 1, ELEM_MAX, &d->element_width, "") < 0 ||
	    get_num(props, kIOSurfaceElementHeight, 1, ELEM_MAX, &d->element_height, "") < 0 ||
	    get_num(props, kIOSurfaceBytesPerRow, 0, ALLOC_MAX, bpr, "") < 0 ||
	    get_num(props, kIOSurfacePixelFormat, 0, UINT32_MAX, &fmt, "") < 0 ||
	    get_num(props, kIOSurfaceOffset, 0, 0, &offset, "") < 0 ||
	    get_num(props, kIOSurfaceAllocSize, 0, ALLOC_MAX, &d->alloc_size, "") < 0)
		return -EINVAL;
	d->pixel_format = (uint32_t)fmt;
	if (d->width == 0 || d->height == 0) {
		surface_log("IOSurfaceCreate: kIOSurfaceWidth and kIOSurfaceHeight are required and not 0");
		return -EINVAL;
	}
	return 0;
}

int surface_layout_from_properties(CFDictionaryRef props, struct surface_desc *d)
{
	uint64_t bpr, min_bpr, need;

	memset(d, 0, sizeof(*d));
	if (!props || CFGetTypeID(props) != CFDictionaryGetTypeID()) {
		surface_log("IOSurfaceCreate: the properties must be a CFDictionary");
		return -EINVAL;
	}
	if (surface_fields(props, d, &bpr) < 0 ||
	    check_elements(d->width, d->bytes_per_element, d->element_width, d->element_height,
			   &min_bpr, "") < 0)
		return -EINVAL;
	if (bpr && bpr < min_bpr) {
		surface_log("IOSurfaceCreate: kIOSurfaceBytesPerRow %llu is less than a row, %llu",
			    (unsigned long long)bpr, (unsigned long long)min_bpr);
		return -EINVAL;
	}
	d->bytes_per_row = bpr ? bpr : align_up(min_bpr, ROW_ALIGN);
	if (planes_from(props, d) < 0)
		return -EINVAL;
	need = needed(d);
	if (need > ALLOC_MAX || (d->alloc_size && d->alloc_size < need)) {
		surface_log("IOSurfaceCreate: the surface needs %llu bytes; kIOSurfaceAllocSize or the limit (%llu) is less",
			    (unsigned long long)need, (unsigned long long)ALLOC_MAX);
		return -EINVAL;
	}
	if (!d->alloc_size)
		d->alloc_size = need;
	return check_planes(d);
}

int surface_layout_check(const struct surface_desc *d, uint64_t data_size)
{
	uint64_t min_bpr;

	if (d->width == 0 || d->height == 0 || d->width > DIM_MAX || d->height > DIM_MAX ||
	    d->bytes_per_element == 0 || d->bytes_per_element > BPE_MAX ||
	    d->element_width == 0 || d->element_width > ELEM_MAX ||
	    d->element_height == 0 || d->element_height > ELEM_MAX ||
	    d->plane_count > SURFACE_PLANES_MAX || d->alloc_size > ALLOC_MAX ||
	    d->alloc_size > data_size || d->bytes_per_row > ALLOC_MAX) {
		surface_log("IOSurface: a received surface has an impossible layout");
		return -EINVAL;
	}
	min_bpr = div_up(d->width, d->element_width) * d->bytes_per_element;
	for (uint32_t i = 0; i < d->plane_count; i++) {
		const struct surface_plane *p = &d->planes[i];

		if (p->width > DIM_MAX || p->height > DIM_MAX || p->element_width == 0 ||
		    p->element_height == 0 || p->element_width > ELEM_MAX || p->element_height > ELEM_MAX ||
		    p->bytes_per_element > BPE_MAX || p->bytes_per_row > ALLOC_MAX ||
		    p->offset > ALLOC_MAX || p->size > ALLOC_MAX) {
			surface_log("IOSurface: a received surface has an impossible plane");
			return -EINVAL;
		}
	}
	if (d->bytes_per_row < min_bpr || needed(d) > d->alloc_size || check_planes(d) < 0) {
		surface_log("IOSurface: a received surface's layout does not fit its memory");
		return -EINVAL;
	}
	return 0;
}
