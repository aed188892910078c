/* SPDX-License-Identifier: MIT */
/* <mach/mach_error.h> - printing Mach errors. */
#ifndef _MACH_MACH_ERROR_H_
#define _MACH_MACH_ERROR_H_

#include <mach/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Return: a static string describing @error_value; never NULL. */
char *mach_error_string(mach_error_t error_value);
/* Print "@str <description> (0x...)" to stderr. */
void mach_error(const char *str, mach_error_t error_value);
/* Return: a static string naming the error's system and subsystem. */
char *mach_error_type(mach_error_t error_value);

#ifdef __cplusplus
}
#endif
#endif
