/* SPDX-License-Identifier: MIT */
/*
 * <CoreFoundation/CFBase.h> - the base types of the CoreFoundation subset
 * that libbootstrap provides for IOSurface's C callers: CFTypeRef,
 * CFRetain(), CFRelease(), CFGetTypeID(), CFEqual(), CFHash().  Apple's
 * names and signatures; nothing beyond what IOSurface(3) needs.
 */
#ifndef __COREFOUNDATION_CFBASE__
#define __COREFOUNDATION_CFBASE__ 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define CF_EXTERN_C_BEGIN extern "C" {
#define CF_EXTERN_C_END }
#else
#define CF_EXTERN_C_BEGIN
#define CF_EXTERN_C_END
#endif
#define CF_EXPORT extern

CF_EXTERN_C_BEGIN

typedef unsigned char Boolean;
typedef uint8_t UInt8;
typedef int8_t SInt8;
typedef uint16_t UInt16;
typedef int16_t SInt16;
typedef uint32_t UInt32;
typedef int32_t SInt32;
typedef uint64_t UInt64;
typedef int64_t SInt64;
typedef float Float32;
typedef double Float64;
typedef UInt32 OSType;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

typedef unsigned long CFTypeID;
typedef unsigned long CFOptionFlags;
typedef unsigned long CFHashCode;
typedef signed long CFIndex;

typedef const void *CFTypeRef;
typedef const struct __CFString *CFStringRef;
typedef struct __CFString *CFMutableStringRef;
typedef const struct __CFAllocator *CFAllocatorRef;

typedef struct {
	CFIndex location;
	CFIndex length;
} CFRange;

/* Only the default allocator exists: every allocator argument may be NULL or it. */
CF_EXPORT const CFAllocatorRef kCFAllocatorDefault;

/** CFGetTypeID() - the type of @cf (CFStringGetTypeID(), IOSurfaceGetTypeID(), ...). */
CF_EXPORT CFTypeID CFGetTypeID(CFTypeRef cf);
/** CFRetain() - add a reference to @cf (not NULL); Return: @cf. */
CF_EXPORT CFTypeRef CFRetain(CFTypeRef cf);
/** CFRelease() - drop a reference; the last one frees @cf (not NULL). */
CF_EXPORT void CFRelease(CFTypeRef cf);
/** CFGetRetainCount() - the reference count (for debugging only). */
CF_EXPORT CFIndex CFGetRetainCount(CFTypeRef cf);
/** CFEqual() - equal values: strings by content, numbers by value, others by identity. */
CF_EXPORT Boolean CFEqual(CFTypeRef cf1, CFTypeRef cf2);
/** CFHash() - a hash consistent with CFEqual(). */
CF_EXPORT CFHashCode CFHash(CFTypeRef cf);

CF_EXTERN_C_END

#endif
