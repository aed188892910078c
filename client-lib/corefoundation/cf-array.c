/* SPDX-License-Identifier: MIT */
/* cf-array.c - CFArray: a growable vector of values with callbacks. */
#include "cf-runtime.h"

#include <stdlib.h>

struct __CFArray {
	struct cf_object base;
	CFArrayCallBacks cb;
	const void **v;
	CFIndex n, cap;
};

CF_EXPORT_SYM const CFArrayCallBacks kCFTypeArrayCallBacks = {
	0, cf_callback_retain, cf_callback_release, NULL, CFEqual
};

static void finalize(struct cf_object *obj)
{
	struct __CFArray *a = (void *)obj;

	for (CFIndex i = 0; i < a->n; i++)
		if (a->cb.release)
			a->cb.release(NULL, a->v[i]);
	free(a->v);
}

static Boolean equal(const struct cf_object *x, const struct cf_object *y)
{
	const struct __CFArray *a = (const void *)x, *b = (const void *)y;

	if (a->n != b->n)
		return false;
	for (CFIndex i = 0; i < a->n; i++) {
		if (a->v[i] != b->v[i] && !(a->cb.equal && a->cb.equal(a->v[i], b->v[i])))
			return false;
	}
	return true;
}

static const struct cf_class array_class = { "CFArray", finalize, equal, NULL };

__attribute__((constructor)) static void array_register(void)
{
	cf_register_class(CF_TYPE_ARRAY, &array_class);
}

CF_EXPORT_SYM CFTypeID CFArrayGetTypeID(void)
{
	return CF_TYPE_ARRAY;
}

CF_EXPORT_SYM CFMutableArrayRef CFArrayCreateMutable(CFAllocatorRef allocator, CFIndex capacity,
						     const CFArrayCallBacks *callBacks)
{
	struct __CFArray *a = cf_object_new(CF_TYPE_ARRAY, sizeof(*a));

	(void)allocator;
	(void)capacity;
	if (a && callBacks)
		a->cb = *callBacks;
	return a;
}

static bool grow(struct __CFArray *a)
{
	CFIndex cap = a->cap ? a->cap * 2 : 4;
	const void **v = realloc(a->v, (size_t)cap * sizeof(*v));

	if (!v)
		return false;
	a->v = v;
	a->cap = cap;
	return true;
}

CF_EXPORT_SYM void CFArrayAppendValue(CFMutableArrayRef theArray, const void *value)
{
	if (!cf_is(theArray, CF_TYPE_ARRAY) || (theArray->n == theArray->cap && !grow(theArray)))
		return;
	theArray->v[theArray->n++] = theArray->cb.retain ? theArray->cb.retain(NULL, value) : value;
}

CF_EXPORT_SYM CFArrayRef CFArrayCreate(CFAllocatorRef allocator, const void **values,
				       CFIndex numValues, const CFArrayCallBacks *callBacks)
{
	struct __CFArray *a = CFArrayCreateMutable(allocator, numValues, callBacks);

	if (!a || numValues < 0)
		return a;
	for (CFIndex i = 0; i < numValues; i++) {
		CFArrayAppendValue(a, values[i]);
		if (a->n != i + 1) {
			CFRelease(a);
			return NULL;
		}
	}
	return a;
}

CF_EXPORT_SYM CFIndex CFArrayGetCount(CFArrayRef theArray)
{
	return cf_is(theArray, CF_TYPE_ARRAY) ? theArray->n : 0;
}

CF_EXPORT_SYM const void *CFArrayGetValueAtIndex(CFArrayRef theArray, CFIndex idx)
{
	if (!cf_is(theArray, CF_TYPE_ARRAY) || idx < 0 || idx >= theArray->n)
		return NULL;
	return theArray->v[idx];
}
