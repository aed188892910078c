/* SPDX-License-Identifier: MIT */
/*
 * log.c - log lines to stderr (foreground, or systemd's journal stream) or
 * to syslog.  Each event is formatted into one buffer and written with one
 * write(2), so lines from the daemon never interleave mid-line with output
 * of the jobs it runs.
 */
#include "log.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Longer messages are truncated: a log line is not a data channel. */
#define LOG_LINE_MAX 2048

/*
 * The logging configuration is the daemon's one global.  Every module logs,
 * often deep in a call chain, and the configuration is decided once at
 * startup; passing a logger down to every function would widen nearly
 * every signature for no gain in testability.
 */
static struct {
	const char *ident;
	int level;
	bool to_stderr;
	bool journal;           /* stderr is systemd's journal stream */
} log_cfg = { "bootstrapd", LOG_INFO, true, false };

static const struct {
	const char *name;
	int prio;
} levels[] = {
	{ "error", LOG_ERR },
	{ "warning", LOG_WARNING },
	{ "notice", LOG_NOTICE },
	{ "info", LOG_INFO },
	{ "debug", LOG_DEBUG },
};

static const char *level_tag(int prio)
{
	size_t i;

	if (prio < LOG_ERR)
		return "fatal";
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (levels[i].prio == prio)
			return levels[i].name;
	return "debug";
}

/*
 * $JOURNAL_STREAM names the device and inode of the stream systemd gave us.
 * Comparing it with stderr (as sd-daemon(3) advises) rather than trusting
 * its mere presence keeps the prefixes out of a terminal or file when a
 * program run by systemd starts us with stderr redirected.
 */
static bool stderr_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!e || sscanf(e, "%llu:%llu", &dev, &ino) != 2)
		return false;
	if (fstat(STDERR_FILENO, &st) < 0)
		return false;
	return st.st_dev == (dev_t)dev && st.st_ino == (ino_t)ino;
}

void log_init(const char *ident, int to_stderr, int level)
{
	int saved = errno;

	if (!log_cfg.to_stderr)
		closelog();
	log_cfg.ident = ident ? ident : "bootstrapd";
	log_cfg.to_stderr = to_stderr != 0;
	log_cfg.journal = log_cfg.to_stderr && stderr_is_journal();
	log_setlevel(level);
	/* LOG_NDELAY: connect now, while /dev/log is surely reachable. */
	if (!log_cfg.to_stderr)
		openlog(log_cfg.ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	errno = saved;
}

void log_setlevel(int level)
{
	if (level < LOG_ERR)
		level = LOG_ERR;
	if (level > LOG_DEBUG)
		level = LOG_DEBUG;
	log_cfg.level = level;
}

int log_level_parse(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(levels) / sizeof(levels[0]); i++)
		if (strcmp(name, levels[i].name) == 0)
			return levels[i].prio;
	return -EINVAL;
}

/* Append to @buf of @size at offset @n; returns the new offset, clamped. */
static size_t vappend(char *buf, size_t size, size_t n, const char *fmt, va_list ap)
	LOG_PRINTF(4, 0);
static size_t vappend(char *buf, size_t size, size_t n, const char *fmt, va_list ap)
{
	int r;

	if (n >= size - 1)
		return size - 1;
	r = vsnprintf(buf + n, size - n, fmt, ap);
	if (r < 0)
		return n;
	return (size_t)r >= size - n ? size - 1 : n + (size_t)r;
}

static size_t append(char *buf, size_t size, size_t n, const char *fmt, ...) LOG_PRINTF(4, 5);
static size_t append(char *buf, size_t size, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	n = vappend(buf, size, n, fmt, ap);
	va_end(ap);
	return n;
}

static void write_stderr(int prio, const char *msg)
{
	char line[LOG_LINE_MAX + 64];
	size_t n, off = 0;

	if (log_cfg.journal)
		n = append(line, sizeof(line) - 1, 0, "<%d>%s", prio, msg);
	else
		n = append(line, sizeof(line) - 1, 0, "%s: %s: %s", log_cfg.ident,
			   level_tag(prio), msg);
	line[n++] = '\n';
	while (off < n) {
		ssize_t w = write(STDERR_FILENO, line + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* nowhere left to complain to */
		off += (size_t)w;
	}
}

/*
 * @in into @out (@size bytes, truncated) with every control character
 * written as an escape (\n, \t, \r, \xNN).  Lines carry what clients
 * send (labels, names, paths): a newline among them would start a line
 * of their own making, which the journal stream would even take at the
 * priority its "<N>" says.
 */
static void escape_controls(const char *in, char *out, size_t size)
{
	static const char named[][3] = { ['\t'] = "\\t", ['\n'] = "\\n", ['\r'] = "\\r" };
	size_t n = 0;

	for (; *in && n + 5 < size; in++) {
		unsigned char c = (unsigned char)*in;

		if (c >= 0x20 && c != 0x7f)
			out[n++] = (char)c;
		else if (c < sizeof(named) / sizeof(named[0]) && named[c][0])
			n += (size_t)snprintf(out + n, size - n, "%s", named[c]);
		else
			n += (size_t)snprintf(out + n, size - n, "\\x%02x", c);
	}
	out[n] = '\0';
}

void log_vlog(int prio, const char *label, int errnum, const char *fmt, va_list ap)
{
	int saved = errno;
	char raw[LOG_LINE_MAX], msg[LOG_LINE_MAX];
	size_t n = 0;

	if (prio > log_cfg.level)
		return;
	raw[0] = '\0';
	if (label)
		n = append(raw, sizeof(raw), n, "%s: ", label);
	n = vappend(raw, sizeof(raw), n, fmt, ap);
	if (errnum)
		append(raw, sizeof(raw), n, ": %s", strerror(errnum));
	escape_controls(raw, msg, sizeof(msg));
	if (log_cfg.to_stderr)
		write_stderr(prio, msg);
	else
		syslog(prio, "%s", msg);
	errno = saved;
}

/*
 * The variadic front ends differ only in priority, in whether errno is
 * appended and in what follows (fatal exits); errno is read before
 * anything else can change it.
 */
#define LOG_FRONT_END(name, prio, with_errno, then)                           \
	void name(const char *fmt, ...)                                       \
	{                                                                     \
		int errnum = (with_errno) ? errno : 0;                        \
		va_list ap;                                                   \
		va_start(ap, fmt);                                            \
		log_vlog(prio, NULL, errnum, fmt, ap);                        \
		va_end(ap);                                                   \
		then;                                                         \
	}

LOG_FRONT_END(log_warn, LOG_WARNING, 1, )
LOG_FRONT_END(log_warnx, LOG_WARNING, 0, )
LOG_FRONT_END(log_notice, LOG_NOTICE, 0, )
LOG_FRONT_END(log_info, LOG_INFO, 0, )
LOG_FRONT_END(log_debug, LOG_DEBUG, 0, )
LOG_FRONT_END(fatal, LOG_CRIT, 1, exit(1))
LOG_FRONT_END(fatalx, LOG_CRIT, 0, exit(1))

void log_job(int prio, const char *label, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vlog(prio, label, 0, fmt, ap);
	va_end(ap);
}

void log_job_warn(const char *label, const char *fmt, ...)
{
	int errnum = errno;
	va_list ap;

	va_start(ap, fmt);
	log_vlog(LOG_WARNING, label, errnum, fmt, ap);
	va_end(ap);
}
