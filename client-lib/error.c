/* SPDX-License-Identifier: MIT */
/*
 * error.c - error strings: mach_error_string(), mach_error(),
 * bootstrap_strerror().
 */
#include <stdbool.h>
#include <stdio.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "error-table.h"

#define EXPORT __attribute__((visibility("default")))

/*
 * Old-style IPC and server codes are small numbers; Libsystem maps them
 * into the system/subsystem layout before the look-up, and so do we.  The
 * MIG codes (-300..-309) land in (ipc/mig) of the mach-ipc system this way.
 */
static mach_error_t compat_code(mach_error_t err)
{
	if (err > -200 && err <= -100)
		return -(err + 100) | err_ipc | err_sub(0);
	if (err > -300 && err <= -200)
		return -(err + 200) | err_ipc | err_sub(1);
	if (err > -400 && err <= -300)
		return -(err + 300) | err_mach_ipc | err_sub(2);
	if (err >= 1000 && err < 1100)
		return (err - 1000) | err_server | err_sub(0);
	if (err >= 1600 && err < 1700)
		return (err - 1600) | err_server | err_sub(1);
	if (err >= 27600 && err < 27700)
		return (err - 27600) | err_server | err_sub(2);
	return err;
}

/*
 * The text for @err; *@diag is set when the code is not in the tables, in
 * which case mach_error() adds the subsystem and the number.
 */
static const char *error_text(mach_error_t err, bool *diag)
{
	err = compat_code(err);
	const struct error_system *sys = &error_systems[err_get_system(err)];
	unsigned int sub = (unsigned int)err_get_sub(err);
	unsigned int code = (unsigned int)err_get_code(err);

	*diag = true;
	/* macOS returns NULL here; a string is kinder to printf. */
	if (sys->nsubs == 0)
		return "(?/?) unknown error system";
	if (sub >= sys->nsubs)
		return sys->bad_sub;
	if (code >= sys->subs[sub].ncodes)
		return UNKNOWN_CODE;
	*diag = false;
	return sys->subs[sub].codes[code];
}

EXPORT char *mach_error_string(mach_error_t error_value)
{
	bool diag;

	return (char *)error_text(error_value, &diag);
}

EXPORT char *mach_error_type(mach_error_t error_value)
{
	mach_error_t err = compat_code(error_value);
	const struct error_system *sys = &error_systems[err_get_system(err)];
	unsigned int sub = (unsigned int)err_get_sub(err);

	/* macOS returns NULL for the nameless user-space subsystem. */
	if (sub >= sys->nsubs || sys->subs[sub].name == NULL)
		return (char *)"(?/?)";
	return (char *)sys->subs[sub].name;
}

/* Libsystem's format: the number, in bare hex, only for unknown codes. */
EXPORT void mach_error(const char *str, mach_error_t error_value)
{
	bool diag;
	const char *text = error_text(error_value, &diag);

	if (str == NULL)
		str = "(null)";
	if (diag)
		fprintf(stderr, "%s %s %s (%x)\n", str, mach_error_type(error_value), text,
			(unsigned int)error_value);
	else
		fprintf(stderr, "%s %s\n", str, text);
}

EXPORT const char *bootstrap_strerror(kern_return_t r)
{
	switch (r) {
	case BOOTSTRAP_SUCCESS:
		return "Success";
	case BOOTSTRAP_NOT_PRIVILEGED:
		return "Permission denied";
	case BOOTSTRAP_NAME_IN_USE:
	case BOOTSTRAP_SERVICE_ACTIVE:
		return "Service name already exists";
	case BOOTSTRAP_UNKNOWN_SERVICE:
		return "Unknown service name";
	case BOOTSTRAP_BAD_COUNT:
		return "Too many lookups were requested in one request";
	case BOOTSTRAP_NO_MEMORY:
		return "Out of memory";
	default:
		return mach_error_string(r);
	}
}
