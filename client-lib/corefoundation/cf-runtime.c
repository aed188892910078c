/* SPDX-License-Identifier: MIT */
/*
 * cf-runtime.c - CFTypeRef: reference counts, type IDs, CFEqual/CFHash
 * dispatched to each type's class.
 */
#include "cf-runtime.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

CF_EXPORT_SYM const CFAllocatorRef kCFAllocatorDefault = NULL;

/* Filled by constructors before main(); read-only afterwards. */
static const struct cf_class *classes[CF_TYPE_MAX];

void cf_register_class(enum cf_type type, const struct cf_class *cls)
{
	if (type > 0 && type < CF_TYPE_MAX)
		classes[type] = cls;
}

void *cf_object_new(enum cf_type type, size_t size)
{
	struct cf_object *o = calloc(1, size);

	if (!o)
		return NULL;
	o->magic = CF_MAGIC;
	o->type = type;
	atomic_init(&o->refs, 1);
	return o;
}

bool cf_is(CFTypeRef cf, enum cf_type type)
{
	const struct cf_object *o = cf;

	return o && o->magic == CF_MAGIC && o->type == (unsigned int)type;
}

CF_EXPORT_SYM CFTypeID CFGetTypeID(CFTypeRef cf)
{
	const struct cf_object *o = cf;

	return o && o->magic == CF_MAGIC ? o->type : 0;
}

CF_EXPORT_SYM CFTypeRef CFRetain(CFTypeRef cf)
{
	struct cf_object *o = (struct cf_object *)cf;

	if (o && atomic_load(&o->refs) != CF_IMMORTAL)
		atomic_fetch_add(&o->refs, 1);
	return cf;
}

const void *cf_callback_retain(CFAllocatorRef allocator, const void *value)
{
	(void)allocator;
	return CFRetain(value);
}

void cf_callback_release(CFAllocatorRef allocator, const void *value)
{
	(void)allocator;
	CFRelease(value);
}

CF_EXPORT_SYM void CFRelease(CFTypeRef cf)
{
	struct cf_object *o = (struct cf_object *)cf;
	const struct cf_class *cls;

	if (!o || atomic_load(&o->refs) == CF_IMMORTAL)
		return;
	if (atomic_fetch_sub(&o->refs, 1) != 1)
		return;
	cls = o->type < CF_TYPE_MAX ? classes[o->type] : NULL;
	if (cls && cls->finalize)
		cls->finalize(o);
	o->magic = 0;
	free(o);
}

CF_EXPORT_SYM CFIndex CFGetRetainCount(CFTypeRef cf)
{
	const struct cf_object *o = cf;
	long n = o ? atomic_load(&o->refs) : 0;

	return n == CF_IMMORTAL ? (CFIndex)LONG_MAX : n;
}

CF_EXPORT_SYM Boolean CFEqual(CFTypeRef cf1, CFTypeRef cf2)
{
	const struct cf_object *a = cf1, *b = cf2;
	const struct cf_class *cls;

	if (a == b)
		return true;
	if (!a || !b || a->type != b->type || a->type >= CF_TYPE_MAX)
		return false;
	cls = classes[a->type];
	return cls && cls->equal ? cls->equal(a, b) : false;
}

CF_EXPORT_SYM CFHashCode CFHash(CFTypeRef cf)
{
	const struct cf_object *o = cf;
	const struct cf_class *cls = o && o->type < CF_TYPE_MAX ? classes[o->type] : NULL;

	return cls && cls->hash ? cls->hash(o) : (CFHashCode)(uintptr_t)cf;
}
