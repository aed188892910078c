/* SPDX-License-Identifier: MIT */
/*
 * address-cap.h - run a step with the address space capped just above
 * what the process has mapped, so that an allocation the step needs to
 * grow fails as it would without memory.
 */
#ifndef BOOTSTRAPD_TEST_ADDRESS_CAP_H
#define BOOTSTRAPD_TEST_ADDRESS_CAP_H

#include <sys/resource.h>

/**
 * address_cap() - cap RLIMIT_AS at what is mapped now plus @headroom
 * bytes (a hard limit lower than that is left as it is); the limit before
 * is saved in *@saved.  Aborts the test on failure.
 */
void address_cap(rlim_t headroom, struct rlimit *saved);
/** address_uncap() - put back the limit address_cap() saved. */
void address_uncap(const struct rlimit *saved);

#endif
