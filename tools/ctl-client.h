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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <mach/kern_return.h>

enum bsctl_exit {
	BSCTL_OK = 0,
	BSCTL_FAILURE = 1,
	BSCTL_USAGE = 2,
	BSCTL_NO_DAEMON = 3,
	BSCTL_NOT_FOUND = 4,
	BSCTL_NOT_PERMITTED = 5,
};

/* One control request. */
struct ctl_msg {
	int id;                 /* enum control_id */
	uint32_t flags;         /* CONTROL_F_* */
	int32_t signal;
	const char *arg;        /* label or path; NULL is "" */
	const void *data;       /* CONTROL_LOAD: the plist's bytes (out of line), else NULL */
	size_t data_len;
};

/**
 * ctl_request() - send @m and wait for the reply.
 * @text: receives the reply's text (NUL-terminated, possibly empty),
 *        valid until the next call; may be NULL.
 * Return: the daemon's return code, or the transport's (MIG_SERVER_DIED,
 * MACH_SEND_INVALID_DEST when nobody listens).
 */
kern_return_t ctl_request(const struct ctl_msg *m, const char **text);

/** ctl_print_diag() - print the daemon's @text on stderr, each line after "bsctl: ". */
void ctl_print_diag(const char *text);

/**
 * ctl_code_text() - what code @kr means: bootstrapd's own control codes
 * from one table, others as bootstrap_strerror() (and through it
 * mach_error_string()) says.  bsctl error prints it, and so does a failure
 * the daemon did not explain.
 */
const char *ctl_code_text(kern_return_t kr);

/**
 * ctl_exit() - the exit code for @kr, after printing on stderr what went
 * wrong: the daemon's @text when it sent one, else a message naming @what.
 * Return: an enum bsctl_exit.
 */
int ctl_exit(kern_return_t kr, const char *what, const char *text);

/* A reply, as ctl_ask() hands it to a verb. */
struct ctl_reply {
	kern_return_t kr;       /* the daemon's code, or the transport's */
	const char *text;       /* the reply's text ("" if none), valid until the next request */
};

/**
 * ctl_ask() - make request @m as every verb does: an argument too long for
 * a request is a usage error and nothing is sent; a failure is said on
 * stderr (ctl_exit(), naming @what), except a failure of a code in @own,
 * which the verb gives a meaning of its own and says itself.
 * @own: such codes, up to the first KERN_SUCCESS; NULL: none.
 * @r: receives the code and the text.
 * Return: an enum bsctl_exit; BSCTL_OK for a code in @own too.
 */
int ctl_ask(const struct ctl_msg *m, const char *what, const kern_return_t *own,
	    struct ctl_reply *r);

/**
 * ctl_call() - send control request @id for @label; print the reply's text
 * on @text_to (stdout as is; stderr through ctl_print_diag(); NULL: not at
 * all) on success, or what went wrong on stderr.  Return: an enum bsctl_exit.
 */
int ctl_call(int id, uint32_t flags, int32_t signal, const char *label, FILE *text_to);

/**
 * ctl_client_use_socket() - talk to the daemon on @path instead of the
 * bootstrap port (which, in a job, leads to the job's own domain),
 * connecting at the first request.  If no daemon answers there, requests
 * fail as "no daemon" (or "not permitted" when the socket is out of the
 * caller's reach).  @fixed (bsctl --socket): later calls change nothing.
 */
void ctl_client_use_socket(const char *path, bool fixed);

/**
 * ctl_client_set_domain() - name the domain meant ("system", "user/UID")
 * in every request from now on; a daemon serving another refuses them.
 */
void ctl_client_set_domain(const char *name);

#endif
