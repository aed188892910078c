/* SPDX-License-Identifier: MIT */
/*
 * cf-string.c - CFString: immutable UTF-8 strings, CFSTR() constants
 * interned for the life of the process.
 */
#include "cf-string.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The interned CFSTR() constants: one list per process, never freed. */
static struct interned {
	struct interned *next;
	struct __CFString s;
} *interned;
static pthread_mutex_t interned_lock = PTHREAD_MUTEX_INITIALIZER;

static void finalize(struct cf_object *obj)
{
	free((char *)((struct __CFString *)obj)->bytes);
}

static Boolean equal(const struct cf_object *a, const struct cf_object *b)
{
	const struct __CFString *x = (const void *)a, *y = (const void *)b;

	return x->len == y->len && memcmp(x->bytes, y->bytes, x->len) == 0;
}

static CFHashCode hash(const struct cf_object *obj)
{
	const struct __CFString *s = (const void *)obj;
	CFHashCode h = 14695981039346656037ul;

	for (size_t i = 0; i < s->len; i++)
		h = (h ^ (unsigned char)s->bytes[i]) * 1099511628211ul;
	return h;
}

static const struct cf_class string_class = { "CFString", finalize, equal, hash };

__attribute__((constructor)) static void string_register(void)
{
	cf_register_class(CF_TYPE_STRING, &string_class);
}

CFStringRef cf_string_new(const char *bytes, size_t len)
{
	struct __CFString *s = cf_object_new(CF_TYPE_STRING, sizeof(*s));
	char *copy = malloc(len + 1);

	if (!s || !copy) {
		free(s);
		free(copy);
		return NULL;
	}
	memcpy(copy, bytes, len);
	copy[len] = '\0';
	s->bytes = copy;
	s->len = len;
	return s;
}

CF_EXPORT_SYM CFTypeID CFStringGetTypeID(void)
{
	return CF_TYPE_STRING;
}

CF_EXPORT_SYM CFStringRef __CFStringMakeConstantString(const char *cStr)
{
	struct interned *i;
	size_t len = strlen(cStr);

	pthread_mutex_lock(&interned_lock);
	for (i = interned; i; i = i->next)
		if (i->s.len == len && memcmp(i->s.bytes, cStr, len) == 0)
			break;
	if (!i && (i = calloc(1, sizeof(*i) + len + 1))) {
		char *bytes = (char *)(i + 1);

		memcpy(bytes, cStr, len + 1);
		i->s.base.magic = CF_MAGIC;
		i->s.base.type = CF_TYPE_STRING;
		atomic_init(&i->s.base.refs, CF_IMMORTAL);
		i->s.bytes = bytes;
		i->s.len = len;
		i->next = interned;
		interned = i;
	}
	pthread_mutex_unlock(&interned_lock);
	return i ? &i->s : NULL;
}

static bool encoding_ok(CFStringEncoding e, const char *bytes, size_t len)
{
	if (e == kCFStringEncodingUTF8)
		return true;
	if (e != kCFStringEncodingASCII)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)bytes[i] > 0x7f)
			return false;
	return true;
}

CF_EXPORT_SYM CFStringRef CFStringCreateWithCString(CFAllocatorRef alloc, const char *cStr,
						    CFStringEncoding encoding)
{
	size_t len;

	(void)alloc;
	if (!cStr)
		return NULL;
	len = strlen(cStr);
	return encoding_ok(encoding, cStr, len) ? cf_string_new(cStr, len) : NULL;
}

CF_EXPORT_SYM CFIndex CFStringGetLength(CFStringRef theString)
{
	return cf_is(theString, CF_TYPE_STRING) ? (CFIndex)theString->len : 0;
}

CF_EXPORT_SYM Boolean CFStringGetCString(CFStringRef theString, char *buffer, CFIndex bufferSize,
					 CFStringEncoding encoding)
{
	if (!cf_is(theString, CF_TYPE_STRING) || !buffer || bufferSize <= 0 ||
	    (size_t)bufferSize <= theString->len ||
	    !encoding_ok(encoding, theString->bytes, theString->len))
		return false;
	memcpy(buffer, theString->bytes, theString->len + 1);
	return true;
}

CF_EXPORT_SYM const char *CFStringGetCStringPtr(CFStringRef theString, CFStringEncoding encoding)
{
	if (!cf_is(theString, CF_TYPE_STRING) ||
	    !encoding_ok(encoding, theString->bytes, theString->len))
		return NULL;
	return theString->bytes;
}
