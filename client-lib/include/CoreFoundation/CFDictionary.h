/* SPDX-License-Identifier: MIT */
/* <CoreFoundation/CFDictionary.h> - dictionaries (IOSurfaceCreate()'s properties). */
#ifndef __COREFOUNDATION_CFDICTIONARY__
#define __COREFOUNDATION_CFDICTIONARY__ 1

#include <CoreFoundation/CFBase.h>

CF_EXTERN_C_BEGIN

typedef const void *(*CFDictionaryRetainCallBack)(CFAllocatorRef allocator, const void *value);
typedef void (*CFDictionaryReleaseCallBack)(CFAllocatorRef allocator, const void *value);
typedef CFStringRef (*CFDictionaryCopyDescriptionCallBack)(const void *value);
typedef Boolean (*CFDictionaryEqualCallBack)(const void *value1, const void *value2);
typedef CFHashCode (*CFDictionaryHashCallBack)(const void *value);

typedef struct {
	CFIndex version;
	CFDictionaryRetainCallBack retain;
	CFDictionaryReleaseCallBack release;
	CFDictionaryCopyDescriptionCallBack copyDescription;
	CFDictionaryEqualCallBack equal;
	CFDictionaryHashCallBack hash;
} CFDictionaryKeyCallBacks;

typedef struct {
	CFIndex version;
	CFDictionaryRetainCallBack retain;
	CFDictionaryReleaseCallBack release;
	CFDictionaryCopyDescriptionCallBack copyDescription;
	CFDictionaryEqualCallBack equal;
} CFDictionaryValueCallBacks;

/* Keys and values retained with CFRetain(), compared with CFEqual(). */
CF_EXPORT const CFDictionaryKeyCallBacks kCFTypeDictionaryKeyCallBacks;
CF_EXPORT const CFDictionaryValueCallBacks kCFTypeDictionaryValueCallBacks;

typedef const struct __CFDictionary *CFDictionaryRef;
typedef struct __CFDictionary *CFMutableDictionaryRef;

CF_EXPORT CFTypeID CFDictionaryGetTypeID(void);
/**
 * CFDictionaryCreate() - an immutable dictionary of @numValues pairs (a
 * later duplicate key replaces an earlier one).  NULL callbacks: keys or
 * values are neither retained nor compared by value.  Caller releases it.
 */
CF_EXPORT CFDictionaryRef CFDictionaryCreate(CFAllocatorRef allocator, const void **keys,
					     const void **values, CFIndex numValues,
					     const CFDictionaryKeyCallBacks *keyCallBacks,
					     const CFDictionaryValueCallBacks *valueCallBacks);
CF_EXPORT CFMutableDictionaryRef CFDictionaryCreateMutable(CFAllocatorRef allocator,
							   CFIndex capacity,
							   const CFDictionaryKeyCallBacks *keyCallBacks,
							   const CFDictionaryValueCallBacks *valueCallBacks);
/** CFDictionaryGetValue() - the value for @key (not retained for the caller), or NULL. */
CF_EXPORT const void *CFDictionaryGetValue(CFDictionaryRef theDict, const void *key);
CF_EXPORT Boolean CFDictionaryContainsKey(CFDictionaryRef theDict, const void *key);
CF_EXPORT CFIndex CFDictionaryGetCount(CFDictionaryRef theDict);
/** CFDictionaryGetKeysAndValues() - fill @keys and @values (either may be NULL), count entries each. */
CF_EXPORT void CFDictionaryGetKeysAndValues(CFDictionaryRef theDict, const void **keys,
					    const void **values);
CF_EXPORT void CFDictionarySetValue(CFMutableDictionaryRef theDict, const void *key,
				    const void *value);
CF_EXPORT void CFDictionaryRemoveValue(CFMutableDictionaryRef theDict, const void *key);

CF_EXTERN_C_END

#endif
