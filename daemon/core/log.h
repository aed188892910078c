/* SPDX-License-Identifier: MIT */
/*
 * log.h - the daemon's logging: stderr in the foreground, syslog otherwise.
 *
 * Levels are syslog priorities (LOG_ERR ... LOG_DEBUG).  Every function
 * preserves errno, so a caller can log and then return -errno.  Only the
 * daemon and its tools log; the client library never does.
 */
#ifndef BOOTSTRAPD_LOG_H
#define BOOTSTRAPD_LOG_H

#include <stdarg.h>
#include <syslog.h>

#define LOG_PRINTF(a, b) __attribute__((format(printf, a, b)))

/**
 * log_init() - choose where log lines go and how much to keep.
 * @ident: program name put in front of every line; borrowed, must outlive
 *         the logging (a string literal or argv[0]).
 * @to_stderr: non-zero to write to stderr (foreground), zero for syslog
 *         (openlog with LOG_PID, facility LOG_DAEMON).
 * @level: the most verbose priority kept (LOG_ERR ... LOG_DEBUG).
 *
 * On stderr, when stderr is the stream named by $JOURNAL_STREAM (we run
 * under systemd), lines carry "<N>" priority prefixes instead of a textual
 * tag so that the journal records their levels.  May be called again to
 * switch destination (e.g. after daemonizing).
 */
void log_init(const char *ident, int to_stderr, int level);

/**
 * log_setlevel() - change the most verbose priority kept.
 * @level: LOG_ERR ... LOG_DEBUG; values outside are clamped.
 */
void log_setlevel(int level);

/**
 * log_level_parse() - parse a --log-level argument.
 * @name: "error", "warning", "notice", "info" or "debug" (exact, lower case).
 *
 * Return: the LOG_* priority, or -EINVAL for any other string or NULL.
 */
int log_level_parse(const char *name);

/* log_warn() appends ": strerror(errno)"; the others log the text only. */
void log_warn(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_warnx(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_notice(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_info(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_debug(const char *fmt, ...) LOG_PRINTF(1, 2);

/*
 * For broken invariants and startup failures only, never for peer input:
 * log at LOG_CRIT (fatal() with ": strerror(errno)") and exit(1).
 */
void fatal(const char *fmt, ...) LOG_PRINTF(1, 2) __attribute__((noreturn));
void fatalx(const char *fmt, ...) LOG_PRINTF(1, 2) __attribute__((noreturn));

/**
 * log_job() - log an event of one job, prefixed with its label.
 * @prio: LOG_ERR ... LOG_DEBUG.
 * @label: the job's label, e.g. "com.example.hello: started (pid 12)".
 * @fmt: printf format of the message.
 */
void log_job(int prio, const char *label, const char *fmt, ...) LOG_PRINTF(3, 4);

/**
 * log_job_warn() - log_job() at LOG_WARNING with ": strerror(errno)" appended.
 * @label: the job's label.
 * @fmt: printf format of the message.
 */
void log_job_warn(const char *label, const char *fmt, ...) LOG_PRINTF(2, 3);

/**
 * log_vlog() - the common path, for wrappers of the functions above.
 * @prio: LOG_CRIT ... LOG_DEBUG.
 * @label: a job label to prefix, or NULL.
 * @errnum: an errno value whose strerror() is appended, or 0.
 * @fmt: printf format.
 * @ap: its arguments.
 */
void log_vlog(int prio, const char *label, int errnum, const char *fmt, va_list ap)
	LOG_PRINTF(4, 0);

#endif
