/* SPDX-License-Identifier: MIT */
/* bsctl-run.h - run the real bsctl ($BSCTL) and capture what it said. */
#ifndef BOOTSTRAPD_TEST_BSCTL_RUN_H
#define BOOTSTRAPD_TEST_BSCTL_RUN_H

#include <stdbool.h>
#include <sys/types.h>

#define BSCTL_RUN_OUT_MAX (256 * 1024)

struct bsctl_out {
	int status;                     /* exit code; 128 + signal if killed */
	char out[BSCTL_RUN_OUT_MAX];    /* stdout, NUL-terminated (truncated if longer) */
	char err[BSCTL_RUN_OUT_MAX];    /* stderr, likewise */
};

/**
 * bsctl_run() - run `$BSCTL ARGV...` (@argv NULL-terminated, without
 * "bsctl"), as @uid unless it is (uid_t)-1 (then also as gid @uid), with
 * the test's environment ($BOOTSTRAP_SOCKET names the daemon).  Fails the
 * test if bsctl cannot be run.
 * Return: @r->status.
 */
int bsctl_run(struct bsctl_out *r, uid_t uid, const char *const *argv);

/* bsctl_run() as the test's own user: BSCTL_RUN(&r, "list", "--json"). */
#define BSCTL_RUN(r, ...) bsctl_run((r), (uid_t)-1, (const char *const[]){ __VA_ARGS__, NULL })

/**
 * bsctl_until() - run `$BSCTL ARGV...` every 20 ms, for up to 10 s, until
 * it exits 0 with @want in its stdout (@present) or without it.
 * Return: whether it came to that.
 */
bool bsctl_until(struct bsctl_out *r, const char *const *argv, const char *want, bool present);

/**
 * bsctl_listed_until() - bsctl_until() for `bsctl list`: until @label is
 * listed (@listed) or is not.  Return: whether it came to that.
 */
bool bsctl_listed_until(struct bsctl_out *r, const char *label, bool listed);

/**
 * bsctl_write_job() - write @dir/@name, a plist of job @label with @keys
 * (plist text inside its dictionary).  Return: its path (malloc'd).
 */
char *bsctl_write_job(const char *dir, const char *name, const char *label, const char *keys);

#endif
