/* SPDX-License-Identifier: MIT */
/* <mach/boolean.h> - boolean_t as on Darwin (x86_64 user: unsigned int). */
#ifndef _MACH_BOOLEAN_H_
#define _MACH_BOOLEAN_H_

#if defined(__x86_64__) || defined(__i386__)
typedef unsigned int boolean_t;
#else
typedef int boolean_t;
#endif

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

#endif
