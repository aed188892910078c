/* SPDX-License-Identifier: MIT */
/*
 * <CoreFoundation/CoreFoundation.h> - the CoreFoundation subset that
 * IOSurface's C callers need, and nothing more: CFTypeRef with
 * CFRetain/CFRelease/CFGetTypeID/CFEqual/CFHash; CFString (CFSTR, C
 * strings); CFNumber and CFBoolean; CFArray; CFDictionary.  Apple's names,
 * types and signatures.  Only the default allocator exists.  See IOSurface(3).
 */
#ifndef __COREFOUNDATION_COREFOUNDATION__
#define __COREFOUNDATION_COREFOUNDATION__ 1

#include <CoreFoundation/CFBase.h>
#include <CoreFoundation/CFString.h>
#include <CoreFoundation/CFNumber.h>
#include <CoreFoundation/CFArray.h>
#include <CoreFoundation/CFDictionary.h>

#endif
