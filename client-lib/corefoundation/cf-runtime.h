/* SPDX-License-Identifier: MIT */
/*
 * cf-runtime.h - the object header every CoreFoundation object starts
 * with, and the per-type operations (internal).
 */
#ifndef BOOTSTRAP_CF_RUNTIME_H
#define BOOTSTRAP_CF_RUNTIME_H

#include <stdatomic.h>

#include <CoreFoundation/CoreFoundation.h>

#define CF_EXPORT_SYM __attribute__((visibility("default")))
#define CF_MAGIC 0xcf0b1ec7u
#define CF_IMMORTAL (-1L)

/* Type IDs; CFGetTypeID() returns them.  0 is never a type. */
enum cf_type {
	CF_TYPE_STRING = 1,
	CF_TYPE_NUMBER,
	CF_TYPE_BOOLEAN,
	CF_TYPE_ARRAY,
	CF_TYPE_DICTIONARY,
	CF_TYPE_IOSURFACE,
	CF_TYPE_MAX
};

struct cf_object {
	unsigned int magic;
	unsigned int type;          /* enum cf_type */
	atomic_long refs;           /* CF_IMMORTAL for constants */
};

/* Static initialiser for constant objects. */
#define CF_OBJECT_INIT(t) { .magic = CF_MAGIC, .type = (t), .refs = CF_IMMORTAL }

struct cf_class {
	const char *name;
	/* Free what the object owns, not the object itself (NULL: nothing). */
	void (*finalize)(struct cf_object *obj);
	/* NULL: identity. */
	Boolean (*equal)(const struct cf_object *a, const struct cf_object *b);
	/* NULL: the address. */
	CFHashCode (*hash)(const struct cf_object *obj);
};

/** cf_register_class() - the operations of type @type (called from constructors). */
void cf_register_class(enum cf_type type, const struct cf_class *cls);

/** cf_object_new() - a zeroed object of @size bytes, type @type, one reference; or NULL. */
void *cf_object_new(enum cf_type type, size_t size);

/** cf_is() - whether @cf is a live object of type @type (false for NULL). */
bool cf_is(CFTypeRef cf, enum cf_type type);

/*
 * cf_callback_retain() / cf_callback_release() - the retain and release
 * callbacks of the kCFType*CallBacks tables: CFRetain/CFRelease with the
 * allocator argument the callback signature carries.
 */
const void *cf_callback_retain(CFAllocatorRef allocator, const void *value);
void cf_callback_release(CFAllocatorRef allocator, const void *value);

#endif
