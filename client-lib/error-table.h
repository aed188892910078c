/* SPDX-License-Identifier: MIT */
/*
 * error-table.h - the Mach error text tables behind mach_error_string(),
 * laid out as Libsystem lays them out: a system holds subsystems, a
 * subsystem holds codes.  Internal to libbootstrap.
 */
#ifndef BOOTSTRAP_ERROR_TABLE_H
#define BOOTSTRAP_ERROR_TABLE_H

#include <stddef.h>

#define ERROR_TABLE_COUNT(a) (sizeof(a) / sizeof((a)[0]))
/* What macOS prints for a code beyond its subsystem's table. */
#define UNKNOWN_CODE "unknown error code"

struct error_subsystem {
	const char *name;               /* "(os/kern)"; NULL where macOS has none */
	size_t ncodes;
	const char *const *codes;
};

struct error_system {
	size_t nsubs;                   /* 0: macOS has no table for it */
	const char *bad_sub;            /* text for a subsystem past the table */
	const struct error_subsystem *subs;
};

/* Indexed by err_get_system(); 64 entries. */
extern const struct error_system error_systems[64];

#endif
