/* SPDX-License-Identifier: MIT */
/*
 * ctl-client.h - bsctl's one request and one reply to bootstrapd, and its
 * exit codes.
 *
 * Exit codes (also in `bsctl help`):
 *   0 ok, 1 failure, 2 usage error, 3 no daemon listening,
 *   4 no such job, 5 not permitted.
 */
#ifndef BOOTSTRAPD_CTL_CLIENT_H
#define BOOTSTRAPD_CTL_CLIENT_H

#include <stdint.h>

enum bsctl_exit {
	BSCTL_OK = 0,
	BSCTL_FAILURE = 1,
	BSCTL_USAGE = 2,
	BSCTL_NO_DAEMON = 3,
	BSCTL_NOT_FOUND = 4,
	BSCTL_NOT_PERMITTED = 5,
};

/**
 * ctl_call() - send control request @id for @label and print the reply's
 * text on stdout (when @print_text), or a message naming what went wrong
 * on stderr.
 * Return: an enum bsctl_exit.
 */
int ctl_call(int id, uint32_t flags, int32_t signal, const char *label, int print_text);

#endif
