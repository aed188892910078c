/* SPDX-License-Identifier: MIT */
/*
 * plist-scalar.h - the text of plist scalars into values (internal).
 *
 * Pure functions on NUL-terminated text, used by plist.c; they know
 * nothing of XML or of line numbers, so plist.c words the messages.
 */
#ifndef BOOTSTRAPD_PLIST_SCALAR_H
#define BOOTSTRAPD_PLIST_SCALAR_H

#include <stddef.h>

/**
 * plist_scalar_integer() - decimal or 0x hexadecimal with an optional sign.
 * @s:   the text, without surrounding white space
 * @out: the value, set only on success
 *
 * Return: 0, -EINVAL if @s is not an integer, -ERANGE if it does not fit.
 */
int plist_scalar_integer(const char *s, long long *out);

/**
 * plist_scalar_real() - a real number as strtod() reads it.
 * @s:   the text, without surrounding white space
 * @out: the value; set even on failure
 *
 * Return: 0, -EINVAL if @s is not a real number, -ERANGE if it overflows.
 */
int plist_scalar_real(const char *s, double *out);

/**
 * plist_scalar_date() - ISO 8601 in UTC (YYYY-MM-DDTHH:MM:SSZ).
 * @s:   the text, without surrounding white space
 * @out: seconds since the Epoch
 *
 * Return: 0, or -EINVAL if @s is not such a date (30 February included).
 */
int plist_scalar_date(const char *s, long long *out);

/**
 * plist_scalar_base64() - base64 with white space anywhere.
 * @s:       the text
 * @out:     at least strlen(@s) / 4 * 3 + 3 bytes, owned by the caller
 * @out_len: the bytes decoded, set only on success
 *
 * Return: 0, or -EINVAL for a symbol outside base64 or truncated input.
 */
int plist_scalar_base64(const char *s, unsigned char *out, size_t *out_len);

#endif
