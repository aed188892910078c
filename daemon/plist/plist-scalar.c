/* SPDX-License-Identifier: MIT */
/*
 * plist-scalar.c - the text of <integer>, <real>, <date> and <data> into
 * values, as CFPropertyList reads them.  No XML here: plist.c hands over
 * the text and words the message when it is refused.
 */
#include "plist-scalar.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int plist_scalar_integer(const char *s, long long *out)
{
	unsigned long long v;
	bool neg = false;
	int base = 10;
	char *end;

	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!(base == 16 ? isxdigit((unsigned char)*s) : isdigit((unsigned char)*s)))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v > (unsigned long long)LLONG_MAX + neg)
		return -ERANGE;
	*out = neg ? (long long)(0 - v) : (long long)v;
	return 0;
}

int plist_scalar_real(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (!*s || *end)
		return -EINVAL;
	if (errno == ERANGE && isinf(*out))
		return -ERANGE;
	return 0;
}

/* The only form CFPropertyList writes. */
int plist_scalar_date(const char *s, long long *out)
{
	static const char pattern[] = "dddd-dd-ddTdd:dd:ddZ";
	struct tm tm = { 0 };
	size_t i;

	if (strlen(s) != sizeof(pattern) - 1)
		return -EINVAL;
	for (i = 0; pattern[i]; i++)
		if (pattern[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != pattern[i])
			return -EINVAL;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
		   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return -EINVAL;
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_hour > 23 ||
	    tm.tm_min > 59 || tm.tm_sec > 60)
		return -EINVAL;
	i = (size_t)tm.tm_mday;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = (long long)timegm(&tm);
	/* timegm() normalises 30 February into March: refuse such dates. */
	return (size_t)tm.tm_mday == i ? 0 : -EINVAL;
}

static int base64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* White space anywhere, as <data> is written over lines. */
int plist_scalar_base64(const char *s, unsigned char *out, size_t *out_len)
{
	unsigned int acc = 0, bits = 0, pad = 0;
	size_t len = 0;
	int v;

	for (; *s; s++) {
		if (isspace((unsigned char)*s))
			continue;
		if (*s == '=' && ++pad <= 2)
			continue;
		v = base64_value((unsigned char)*s);
		if (v < 0 || pad)
			return -EINVAL;
		acc = (acc << 6) | (unsigned int)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[len++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	/* A single leftover symbol carries fewer than 8 bits: truncated input. */
	if (bits >= 6)
		return -EINVAL;
	*out_len = len;
	return 0;
}
