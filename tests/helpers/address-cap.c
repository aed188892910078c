/* SPDX-License-Identifier: MIT */
/* address-cap.c - the address space capped for a step (address-cap.h). */
#include "address-cap.h"

#include <stdio.h>
#include <unistd.h>

#include <check.h>

/* Bytes of address space this process has mapped. */
static rlim_t mapped_bytes(void)
{
	unsigned long long pages = 0;
	FILE *f = fopen("/proc/self/statm", "re");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%llu", &pages), 1);
	fclose(f);
	return (rlim_t)(pages * (unsigned long long)sysconf(_SC_PAGESIZE));
}

void address_cap(rlim_t headroom, struct rlimit *saved)
{
	struct rlimit capped;
	rlim_t want;

	ck_assert_int_eq(getrlimit(RLIMIT_AS, saved), 0);
	capped = *saved;
	want = mapped_bytes() + headroom;
	if (capped.rlim_max == RLIM_INFINITY || capped.rlim_max > want)
		capped.rlim_cur = want;
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &capped), 0);
}

void address_uncap(const struct rlimit *saved)
{
	ck_assert_int_eq(setrlimit(RLIMIT_AS, saved), 0);
}
