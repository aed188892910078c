/* SPDX-License-Identifier: MIT */
/*
 * <bootstrap/unavailable.h> - how the compatibility headers mark Apple
 * declarations that libbootstrap does not implement.  A program that calls
 * one fails to compile, with a message naming the call, instead of
 * linking to something that would not do what macOS does.  Declaring them
 * keeps programs that merely mention a type or a constant compiling.
 */
#ifndef _BOOTSTRAP_UNAVAILABLE_H_
#define _BOOTSTRAP_UNAVAILABLE_H_

#if defined(__has_attribute)
#if __has_attribute(__unavailable__)
#define BOOTSTRAP_UNAVAILABLE(why) \
	__attribute__((__unavailable__("not supported by libbootstrap: " why)))
#endif
#endif
#ifndef BOOTSTRAP_UNAVAILABLE
/* Older GCC: an error at every call the compiler keeps. */
#define BOOTSTRAP_UNAVAILABLE(why) \
	__attribute__((__error__("not supported by libbootstrap: " why)))
#endif

#endif
