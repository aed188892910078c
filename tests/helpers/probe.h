/* SPDX-License-Identifier: MIT */
/*
 * probe.h - run helpers/spawn-probe as a job and read what it reports.
 *
 * Specs are built by hand, as job-plist.c would fill them, and released
 * with job_spec_free().  Every helper fails the current test on error.
 */
#ifndef BOOTSTRAPD_TEST_PROBE_H
#define BOOTSTRAPD_TEST_PROBE_H

#include <check.h>
#include <stdbool.h>
#include <sys/types.h>

#include "job-spec.h"

#define PROBE_LABEL "com.example.probe"

/** probe_path() - the probe's path, from $SPAWN_PROBE (set by meson). */
const char *probe_path(void);

/**
 * probe_spec_new() - a spec for "spawn-probe @mode [args...]".
 * @dir: a private directory; stdout goes to @dir/out, stderr to @dir/probe.stderr.
 * @mode: "report" or "group"; further arguments follow, NULL-terminated.
 * Return: a new spec labelled PROBE_LABEL; free it with job_spec_free().
 */
struct job_spec *probe_spec_new(const char *dir, const char *mode, ...)
	__attribute__((sentinel));

/* Append to ProgramArguments, EnvironmentVariables ("K=V") or the limits. */
void probe_spec_arg(struct job_spec *s, const char *arg);
void probe_spec_env(struct job_spec *s, const char *kv);
void probe_spec_rlimit(struct job_spec *s, int resource, unsigned long long soft,
		       unsigned long long hard);

/**
 * probe_spawn() - spawn_job() that must succeed; as root if we are root.
 * Return: the child's pid; the caller reaps it.
 */
pid_t probe_spawn(const struct job_spec *s, int bootstrap_fd);

/**
 * probe_run() - spawn, expect exit status 0 and no sanitizer report on its
 * stderr, read the job's stdout file.
 * Return: the report, malloc'd; the caller frees it.
 */
char *probe_run(const struct job_spec *s, int bootstrap_fd);

/**
 * probe_spawn_logged() - probe_spawn() and reap the job, with the daemon's
 * log (stderr, log.c's default) sent to a file in probe_tmp meanwhile.
 * The job's exit status is in *@status; its stderr holds no sanitizer report.
 * Return: what was logged, malloc'd; the caller frees it.
 */
char *probe_spawn_logged(const struct job_spec *s, int *status);

/** probe_slurp() - a file's content (up to 64 KiB), malloc'd. */
char *probe_slurp(const char *path);

/** probe_has_line() - whether @report has the whole line @line. */
bool probe_has_line(const char *report, const char *line);

/*
 * The check-spawn suites' checked fixture, run in each test's process so
 * leaks are per test: probe_setup() makes a private directory, probe_tmp;
 * probe_teardown() removes it and asserts the open fds number
 * probe_fds_before again (a test that closes one of its own lowers it).
 */
extern char *probe_tmp;
extern int probe_fds_before;
void probe_setup(void);
void probe_teardown(void);

/** probe_tmp_path() - @name in probe_tmp, malloc'd. */
char *probe_tmp_path(const char *name);

/** probe_spawn_fails() - expect spawn_job() to fail with @err and a reason containing @what. */
void probe_spawn_fails(const struct job_spec *s, bool as_root, int err, const char *what);

#define ck_assert_line(report, line) \
	ck_assert_msg(probe_has_line(report, line), "no line \"%s\" in:\n%s", line, report)

#endif
