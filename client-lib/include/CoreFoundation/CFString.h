/* SPDX-License-Identifier: MIT */
/*
 * <CoreFoundation/CFString.h> - immutable strings: CFSTR() constants and
 * conversion from and to C strings.  UTF-8 and ASCII only.
 */
#ifndef __COREFOUNDATION_CFSTRING__
#define __COREFOUNDATION_CFSTRING__ 1

#include <CoreFoundation/CFBase.h>

CF_EXTERN_C_BEGIN

typedef UInt32 CFStringEncoding;

enum {
	kCFStringEncodingASCII = 0x0600,
	kCFStringEncodingUTF8 = 0x08000100,
};

/*
 * CFSTR("text") - a constant string: never freed (CFRelease() on it does
 * nothing), and the same object for the same text in the whole process.
 */
#define CFSTR(cStr) __CFStringMakeConstantString("" cStr "")
CF_EXPORT CFStringRef __CFStringMakeConstantString(const char *cStr);

CF_EXPORT CFTypeID CFStringGetTypeID(void);
/** CFStringCreateWithCString() - a new string (the caller releases it), or NULL. */
CF_EXPORT CFStringRef CFStringCreateWithCString(CFAllocatorRef alloc, const char *cStr,
						CFStringEncoding encoding);
/** CFStringGetLength() - the length, in bytes of UTF-8 here (in UTF-16 units on Apple's). */
CF_EXPORT CFIndex CFStringGetLength(CFStringRef theString);
/** CFStringGetCString() - copy into @buffer with its NUL; false if it does not fit. */
CF_EXPORT Boolean CFStringGetCString(CFStringRef theString, char *buffer, CFIndex bufferSize,
				     CFStringEncoding encoding);
/** CFStringGetCStringPtr() - the string's own NUL-terminated bytes (never NULL here). */
CF_EXPORT const char *CFStringGetCStringPtr(CFStringRef theString, CFStringEncoding encoding);

CF_EXTERN_C_END

#endif
