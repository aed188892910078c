/* SPDX-License-Identifier: MIT */
/*
 * surface-values.c - attached values (IOSurfaceSetValue and friends),
 * kept serialized in the shared header so that every process that maps
 * the surface, now or later, reads the same dictionary.
 *
 * The encoding, native byte order (both ends run on one machine):
 *   'i' int64 | 'f' double | 'T' | 'F' | 's' u16 len, bytes
 *   'a' u16 count, values | 'd' u16 count, (u16 len, key bytes, value)...
 * The whole area is one 'd'.  Decoding checks every length: a peer may
 * have written anything there.
 */
#include "surface.h"

#include <errno.h>
#include <string.h>

#include "../corefoundation/cf-string.h"

#define EXPORT __attribute__((visibility("default")))
#define DEPTH_MAX 4

struct cursor {
	uint8_t *p;
	size_t len, at;
};

static bool put(struct cursor *c, const void *src, size_t n)
{
	if (n > c->len - c->at)
		return false;
	memcpy(c->p + c->at, src, n);
	c->at += n;
	return true;
}

static bool put_u16(struct cursor *c, size_t v)
{
	uint16_t u = (uint16_t)v;

	return v <= UINT16_MAX && put(c, &u, sizeof(u));
}

static bool put_str(struct cursor *c, CFStringRef s)
{
	return put_u16(c, s->len) && put(c, s->bytes, s->len);
}

static bool put_value(struct cursor *c, CFTypeRef v, int depth);

static bool put_dict(struct cursor *c, CFDictionaryRef d, int depth)
{
	CFIndex n = CFDictionaryGetCount(d);
	const void *keys[n ? n : 1], *vals[n ? n : 1];

	CFDictionaryGetKeysAndValues(d, keys, vals);
	if (!put(c, "d", 1) || !put_u16(c, (size_t)n))
		return false;
	for (CFIndex i = 0; i < n; i++) {
		if (CFGetTypeID(keys[i]) != CFStringGetTypeID() || !put_str(c, keys[i]) ||
		    !put_value(c, vals[i], depth + 1))
			return false;
	}
	return true;
}

static bool put_value(struct cursor *c, CFTypeRef v, int depth)
{
	CFTypeID t = CFGetTypeID(v);

	if (depth > DEPTH_MAX)
		return false;
	if (t == CFNumberGetTypeID()) {
		int64_t i;
		double f;

		if (CFNumberIsFloatType(v))
			return CFNumberGetValue(v, kCFNumberDoubleType, &f), put(c, "f", 1) && put(c, &f, 8);
		CFNumberGetValue(v, kCFNumberSInt64Type, &i);
		return put(c, "i", 1) && put(c, &i, 8);
	}
	if (t == CFBooleanGetTypeID())
		return put(c, CFBooleanGetValue(v) ? "T" : "F", 1);
	if (t == CFStringGetTypeID())
		return put(c, "s", 1) && put_str(c, v);
	if (t == CFArrayGetTypeID()) {
		CFIndex n = CFArrayGetCount(v);

		if (!put(c, "a", 1) || !put_u16(c, (size_t)n))
			return false;
		for (CFIndex i = 0; i < n; i++)
			if (!put_value(c, CFArrayGetValueAtIndex(v, i), depth + 1))
				return false;
		return true;
	}
	return t == CFDictionaryGetTypeID() && put_dict(c, v, depth);
}

ssize_t surface_values_encode(CFDictionaryRef dict, uint8_t *buf, size_t cap)
{
	struct cursor c = { buf, cap, 0 };

	if (!put_dict(&c, dict, 0))
		return c.at >= cap ? -E2BIG : -EINVAL;
	return (ssize_t)c.at;
}

static bool get(struct cursor *c, void *dst, size_t n)
{
	if (n > c->len - c->at)
		return false;
	memcpy(dst, c->p + c->at, n);
	c->at += n;
	return true;
}

static CFStringRef get_str(struct cursor *c)
{
	uint16_t n;
	CFStringRef s;

	if (!get(c, &n, sizeof(n)) || n > c->len - c->at || memchr(c->p + c->at, 0, n))
		return NULL;
	s = cf_string_new((const char *)c->p + c->at, n);
	c->at += n;
	return s;
}

static CFTypeRef get_value(struct cursor *c, int depth);

static CFTypeRef get_collection(struct cursor *c, char tag, int depth)
{
	uint16_t n;
	CFTypeRef coll = tag == 'a' ? (CFTypeRef)CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks)
				    : (CFTypeRef)CFDictionaryCreateMutable(NULL, 0, &kCFTypeDictionaryKeyCallBacks,
									   &kCFTypeDictionaryValueCallBacks);

	if (!coll || !get(c, &n, sizeof(n)))
		goto fail;
	for (uint16_t i = 0; i < n; i++) {
		CFStringRef k = tag == 'd' ? get_str(c) : NULL;
		CFTypeRef v = (tag == 'a' || k) ? get_value(c, depth + 1) : NULL;

		if (v && tag == 'a')
			CFArrayAppendValue((CFMutableArrayRef)coll, v);
		else if (v)
			CFDictionarySetValue((CFMutableDictionaryRef)coll, k, v);
		if (k)
			CFRelease(k);
		if (!v)
			goto fail;
		CFRelease(v);
	}
	return coll;
fail:
	if (coll)
		CFRelease(coll);
	return NULL;
}

static CFTypeRef get_value(struct cursor *c, int depth)
{
	char tag;
	int64_t i;
	double f;

	if (depth > DEPTH_MAX || !get(c, &tag, 1))
		return NULL;
	switch (tag) {
	case 'i':
		return get(c, &i, 8) ? CFNumberCreate(NULL, kCFNumberSInt64Type, &i) : NULL;
	case 'f':
		return get(c, &f, 8) ? CFNumberCreate(NULL, kCFNumberDoubleType, &f) : NULL;
	case 'T':
		return kCFBooleanTrue;
	case 'F':
		return kCFBooleanFalse;
	case 's':
		return get_str(c);
	case 'a':
	case 'd':
		return get_collection(c, tag, depth);
	default:
		return NULL;
	}
}

CFMutableDictionaryRef surface_values_decode(const uint8_t *buf, size_t len)
{
	struct cursor c = { (uint8_t *)buf, len, 0 };
	CFTypeRef v;

	if (len == 0)
		return CFDictionaryCreateMutable(NULL, 0, &kCFTypeDictionaryKeyCallBacks,
						 &kCFTypeDictionaryValueCallBacks);
	v = get_value(&c, 0);
	if (v && CFGetTypeID(v) != CFDictionaryGetTypeID()) {
		CFRelease(v);
		v = NULL;
	}
	return (CFMutableDictionaryRef)v;
}

/* The values now, decoded from a private copy of the area.  Values lock held. */
static CFMutableDictionaryRef current(IOSurfaceRef s)
{
	uint8_t copy[SURFACE_VALUES_MAX];
	uint32_t len = s->shared->values_len;

	if (len > sizeof(copy))
		len = 0;
	memcpy(copy, s->shared->values, len);
	return surface_values_decode(copy, len);
}

/* Apply @key -> @value (NULL: remove) to the shared values. */
static void update(IOSurfaceRef s, CFStringRef key, CFTypeRef value)
{
	uint8_t buf[SURFACE_VALUES_MAX];
	CFMutableDictionaryRef d;
	ssize_t n;

	if (!cf_is(s, CF_TYPE_IOSURFACE) || !cf_is(key, CF_TYPE_STRING))
		return;
	if (s->read_only) {
		surface_log("IOSurfaceSetValue: the surface is read-only here");
		return;
	}
	if (surface_shared_values_lock(s->shared) < 0) {
		surface_log("IOSurfaceSetValue: another process holds the values lock");
		return;
	}
	d = current(s);
	if (!d)         /* garbled by a peer: start again */
		d = surface_values_decode(NULL, 0);
	if (d) {
		if (value)
			CFDictionarySetValue(d, key, value);
		else
			CFDictionaryRemoveValue(d, key);
		n = surface_values_encode(d, buf, sizeof(buf));
		if (n >= 0) {
			memcpy(s->shared->values, buf, (size_t)n);
			s->shared->values_len = (uint32_t)n;
		} else {
			surface_log("IOSurfaceSetValue: value refused: %s",
				    n == -E2BIG ? "the values exceed 4 KiB" : "unsupported type");
		}
		CFRelease(d);
	}
	surface_shared_values_unlock(s->shared);
}

EXPORT void IOSurfaceSetValue(IOSurfaceRef buffer, CFStringRef key, CFTypeRef value)
{
	if (value)
		update(buffer, key, value);
}

EXPORT void IOSurfaceRemoveValue(IOSurfaceRef buffer, CFStringRef key)
{
	update(buffer, key, NULL);
}

EXPORT CFDictionaryRef IOSurfaceCopyAllValues(IOSurfaceRef buffer)
{
	CFMutableDictionaryRef d;
	bool locked;

	if (!cf_is(buffer, CF_TYPE_IOSURFACE))
		return NULL;
	/*
	 * A read-only mapping cannot take the lock: it copies the bytes and a
	 * torn copy fails to decode.  Without the lock, the same.
	 */
	locked = !buffer->read_only && surface_shared_values_lock(buffer->shared) == 0;
	d = current(buffer);
	if (locked)
		surface_shared_values_unlock(buffer->shared);
	return d;
}

EXPORT CFTypeRef IOSurfaceCopyValue(IOSurfaceRef buffer, CFStringRef key)
{
	CFDictionaryRef d = IOSurfaceCopyAllValues(buffer);
	CFTypeRef v = d ? CFDictionaryGetValue(d, key) : NULL;

	if (v)
		CFRetain(v);
	if (d)
		CFRelease(d);
	return v;
}
