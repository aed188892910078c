/* SPDX-License-Identifier: MIT */
/*
 * cf-dictionary.c - CFDictionary: key/value pairs in insertion order,
 * searched linearly (property dictionaries hold a dozen entries).
 */
#include "cf-runtime.h"

#include <stdlib.h>

struct __CFDictionary {
	struct cf_object base;
	CFDictionaryKeyCallBacks kcb;
	CFDictionaryValueCallBacks vcb;
	const void **keys, **values;
	CFIndex n, cap;
};

CF_EXPORT_SYM const CFDictionaryKeyCallBacks kCFTypeDictionaryKeyCallBacks = {
	0, cf_callback_retain, cf_callback_release, NULL, CFEqual, CFHash
};
CF_EXPORT_SYM const CFDictionaryValueCallBacks kCFTypeDictionaryValueCallBacks = {
	0, cf_callback_retain, cf_callback_release, NULL, CFEqual
};

static void finalize(struct cf_object *obj)
{
	struct __CFDictionary *d = (void *)obj;

	for (CFIndex i = 0; i < d->n; i++) {
		if (d->kcb.release)
			d->kcb.release(NULL, d->keys[i]);
		if (d->vcb.release)
			d->vcb.release(NULL, d->values[i]);
	}
	free(d->keys);
	free(d->values);
}

static CFIndex find(const struct __CFDictionary *d, const void *key)
{
	for (CFIndex i = 0; i < d->n; i++) {
		if (d->keys[i] == key || (d->kcb.equal && d->kcb.equal(d->keys[i], key)))
			return i;
	}
	return -1;
}

static Boolean equal(const struct cf_object *x, const struct cf_object *y)
{
	const struct __CFDictionary *a = (const void *)x, *b = (const void *)y;

	if (a->n != b->n)
		return false;
	for (CFIndex i = 0; i < a->n; i++) {
		CFIndex j = find(b, a->keys[i]);

		if (j < 0 || (a->values[i] != b->values[j] &&
			      !(a->vcb.equal && a->vcb.equal(a->values[i], b->values[j]))))
			return false;
	}
	return true;
}

static const struct cf_class dictionary_class = { "CFDictionary", finalize, equal, NULL };

__attribute__((constructor)) static void dictionary_register(void)
{
	cf_register_class(CF_TYPE_DICTIONARY, &dictionary_class);
}

CF_EXPORT_SYM CFTypeID CFDictionaryGetTypeID(void)
{
	return CF_TYPE_DICTIONARY;
}

CF_EXPORT_SYM CFMutableDictionaryRef CFDictionaryCreateMutable(CFAllocatorRef allocator,
	CFIndex capacity, const CFDictionaryKeyCallBacks *keyCallBacks,
	const CFDictionaryValueCallBacks *valueCallBacks)
{
	struct __CFDictionary *d = cf_object_new(CF_TYPE_DICTIONARY, sizeof(*d));

	(void)allocator;
	(void)capacity;
	if (!d)
		return NULL;
	if (keyCallBacks)
		d->kcb = *keyCallBacks;
	if (valueCallBacks)
		d->vcb = *valueCallBacks;
	return d;
}

static bool grow(struct __CFDictionary *d)
{
	CFIndex cap = d->cap ? d->cap * 2 : 8;
	const void **k = realloc(d->keys, (size_t)cap * sizeof(*k));
	const void **v;

	if (!k)
		return false;
	d->keys = k;
	v = realloc(d->values, (size_t)cap * sizeof(*v));
	if (!v)
		return false;
	d->values = v;
	d->cap = cap;
	return true;
}

/* Return: false if memory ran out (nothing changed). */
static bool set(struct __CFDictionary *d, const void *key, const void *value)
{
	CFIndex i = find(d, key);

	if (i < 0) {
		if (d->n == d->cap && !grow(d))
			return false;
		i = d->n++;
		d->keys[i] = d->kcb.retain ? d->kcb.retain(NULL, key) : key;
	} else if (d->vcb.release) {
		const void *old = d->values[i];

		d->values[i] = d->vcb.retain ? d->vcb.retain(NULL, value) : value;
		d->vcb.release(NULL, old);
		return true;
	}
	d->values[i] = d->vcb.retain ? d->vcb.retain(NULL, value) : value;
	return true;
}

CF_EXPORT_SYM CFDictionaryRef CFDictionaryCreate(CFAllocatorRef allocator, const void **keys,
	const void **values, CFIndex numValues, const CFDictionaryKeyCallBacks *keyCallBacks,
	const CFDictionaryValueCallBacks *valueCallBacks)
{
	struct __CFDictionary *d = CFDictionaryCreateMutable(allocator, numValues, keyCallBacks,
							      valueCallBacks);

	for (CFIndex i = 0; d && i < numValues; i++) {
		if (!set(d, keys[i], values[i])) {
			CFRelease(d);
			return NULL;
		}
	}
	return d;
}

CF_EXPORT_SYM void CFDictionarySetValue(CFMutableDictionaryRef theDict, const void *key,
					const void *value)
{
	if (cf_is(theDict, CF_TYPE_DICTIONARY))
		set(theDict, key, value);
}

CF_EXPORT_SYM const void *CFDictionaryGetValue(CFDictionaryRef theDict, const void *key)
{
	CFIndex i = cf_is(theDict, CF_TYPE_DICTIONARY) ? find(theDict, key) : -1;

	return i < 0 ? NULL : theDict->values[i];
}

CF_EXPORT_SYM Boolean CFDictionaryContainsKey(CFDictionaryRef theDict, const void *key)
{
	return cf_is(theDict, CF_TYPE_DICTIONARY) && find(theDict, key) >= 0;
}

CF_EXPORT_SYM CFIndex CFDictionaryGetCount(CFDictionaryRef theDict)
{
	return cf_is(theDict, CF_TYPE_DICTIONARY) ? theDict->n : 0;
}

CF_EXPORT_SYM void CFDictionaryGetKeysAndValues(CFDictionaryRef theDict, const void **keys,
						const void **values)
{
	if (!cf_is(theDict, CF_TYPE_DICTIONARY))
		return;
	for (CFIndex i = 0; i < theDict->n; i++) {
		if (keys)
			keys[i] = theDict->keys[i];
		if (values)
			values[i] = theDict->values[i];
	}
}

CF_EXPORT_SYM void CFDictionaryRemoveValue(CFMutableDictionaryRef theDict, const void *key)
{
	struct __CFDictionary *d = theDict;
	CFIndex i = cf_is(d, CF_TYPE_DICTIONARY) ? find(d, key) : -1;
	const void *k, *v;

	if (i < 0)
		return;
	k = d->keys[i];
	v = d->values[i];
	d->n--;
	for (; i < d->n; i++) {
		d->keys[i] = d->keys[i + 1];
		d->values[i] = d->values[i + 1];
	}
	if (d->kcb.release)
		d->kcb.release(NULL, k);
	if (d->vcb.release)
		d->vcb.release(NULL, v);
}
