/* SPDX-License-Identifier: MIT */
/*
 * cmd-job.c - list, print, blame, start, stop, remove, kickstart, kill,
 * enable and disable: one request each, naming a job by its label in the default
 * domain, or as launchctl 2 does, DOMAIN/LABEL (target.h); print also
 * takes a domain.
 */
#include <ctype.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "bsctl.h"
#include "control-proto.h"
#include "ctl-client.h"
#include "target.h"

static uint32_t json_flag(const struct bsctl_opts *o)
{
	return o->json ? CONTROL_F_JSON : 0;
}

/*
 * @arg as a job, LABEL or DOMAIN/LABEL; the request goes to its domain.
 * Return: the label, or NULL (why printed).
 */
static const char *job_arg(const char *arg)
{
	struct target t;

	if (target_parse(arg, &t) < 0)
		return NULL;
	if (t.kind == TARGET_DOMAIN) {
		fprintf(stderr, "bsctl: %s is a domain; a job is LABEL or %s/LABEL\n", arg,
			t.domain);
		return NULL;
	}
	return target_use(&t) < 0 ? NULL : t.label;
}

/* Request @id for the job @arg names. */
static int job_call(int id, uint32_t flags, int32_t sig, const char *arg, FILE *text_to)
{
	const char *label = job_arg(arg);

	return label ? ctl_call(id, flags, sig, label, text_to) : BSCTL_USAGE;
}

/*
 * list: every job, a table; list JOB: launchd's dictionary of the job, or
 * with -x (launchctl list -x) the same as an XML plist; with --json, as
 * print --json.  -x without a job lists them all, as launchctl does.
 */
int cmd_list(int argc, char **argv, const struct bsctl_opts *o)
{
	uint32_t flags = json_flag(o);
	int i = 1;

	if (argc > 1 && strcmp(argv[1], "-x") == 0) {
		flags |= CONTROL_F_XML;
		i++;
	}
	if (argc > i + 1 || (o->json && (flags & CONTROL_F_XML)))
		return BSCTL_USAGE;
	if (argc == i)
		return ctl_call(CONTROL_LIST, json_flag(o), 0, "", stdout);
	return job_call(CONTROL_LIST, flags, 0, argv[i], stdout);
}

/* print DOMAIN, print DOMAIN/LABEL, print LABEL. */
int cmd_print(int argc, char **argv, const struct bsctl_opts *o)
{
	struct target t;

	if (argc != 2)
		return BSCTL_USAGE;
	if (target_parse(argv[1], &t) < 0 || target_use(&t) < 0)
		return BSCTL_USAGE;
	if (t.kind == TARGET_DOMAIN)
		return ctl_call(CONTROL_PRINT_DOMAIN, json_flag(o), 0, "", stdout);
	return ctl_call(CONTROL_PRINT, json_flag(o), 0, t.label, stdout);
}

/* Why it runs, or last ran (launchctl blame). */
int cmd_blame(int argc, char **argv, const struct bsctl_opts *o)
{
	if (argc != 2)
		return BSCTL_USAGE;
	return job_call(CONTROL_BLAME, json_flag(o), 0, argv[1], stdout);
}

/* Persistent: loads nothing now; the next directory scan (SIGHUP) honours it. */
int cmd_enable(int argc, char **argv, const struct bsctl_opts *o)
{
	(void)o;
	if (argc != 2)
		return BSCTL_USAGE;
	return job_call(CONTROL_ENABLE, 0, 0, argv[1], stderr);
}

/* Persistent: a loaded job keeps running; it will not be loaded again. */
int cmd_disable(int argc, char **argv, const struct bsctl_opts *o)
{
	(void)o;
	if (argc != 2)
		return BSCTL_USAGE;
	return job_call(CONTROL_DISABLE, 0, 0, argv[1], stderr);
}

int cmd_start(int argc, char **argv, const struct bsctl_opts *o)
{
	(void)o;
	if (argc != 2)
		return BSCTL_USAGE;
	return job_call(CONTROL_START, 0, 0, argv[1], NULL);
}

int cmd_stop(int argc, char **argv, const struct bsctl_opts *o)
{
	(void)o;
	if (argc != 2)
		return BSCTL_USAGE;
	return job_call(CONTROL_STOP, 0, 0, argv[1], NULL);
}

/*
 * remove JOB: unload it, as launchctl remove; a job that is not loaded is
 * launchctl's "No such process" (ESRCH), exit 1.
 */
int cmd_remove(int argc, char **argv, const struct bsctl_opts *o)
{
	const char *label;
	bool loaded;
	int ret;

	(void)o;
	if (argc != 2)
		return BSCTL_USAGE;
	label = job_arg(argv[1]);
	if (!label)
		return BSCTL_USAGE;
	ret = cmd_unload_job(label, 0, &loaded);
	if (loaded)
		return ret;
	fprintf(stderr, "bsctl remove error: No such process\n");
	return BSCTL_FAILURE;
}

/*
 * The job's pid in *@pid, 0 if it is not running.  A failed request is
 * said as any verb's is.  Return: an enum bsctl_exit.
 */
static int job_pid(const char *label, long *pid)
{
	struct ctl_msg m = { .id = CONTROL_PRINT, .flags = CONTROL_F_JSON, .arg = label };
	static const char key[] = "\n  \"pid\": ";
	struct ctl_reply r;
	const char *p;
	int ret = ctl_ask(&m, label, NULL, &r);

	if (ret != BSCTL_OK)
		return ret;
	p = strstr(r.text, key);
	*pid = p ? strtol(p + sizeof(key) - 1, NULL, 10) : 0;
	return BSCTL_OK;
}

/*
 * kickstart -p: print the pid of the process started, or of the one
 * already running.  With -k the old one is killed and a new one started
 * once it exited: wait (bounded: 10 s) for a pid other than the old one.
 */
static int print_pid(const char *label, long old)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	long pid = 0;
	int ret = job_pid(label, &pid);

	for (int i = 0; i < 500 && ret == BSCTL_OK && (pid == 0 || pid == old); i++) {
		nanosleep(&ts, NULL);
		ret = job_pid(label, &pid);
	}
	if (ret != BSCTL_OK)
		return ret;
	if (pid <= 0 || pid == old) {
		fprintf(stderr, "bsctl: %s: not running\n", label);
		return BSCTL_FAILURE;
	}
	printf("%ld\n", pid);
	return BSCTL_OK;
}

/* -k, -p, or both (-kp), as launchctl takes them. */
static int kickstart_flags(const char *arg, uint32_t *flags, bool *pid)
{
	for (const char *p = arg + 1; *p; p++) {
		if (*p == 'k')
			*flags |= CONTROL_F_KILL;
		else if (*p == 'p')
			*pid = true;
		else
			return -1;
	}
	return arg[1] ? 0 : -1;
}

int cmd_kickstart(int argc, char **argv, const struct bsctl_opts *o)
{
	uint32_t flags = 0;
	bool pid = false;
	const char *label;
	long old = 0;
	int i, r;

	(void)o;
	for (i = 1; i < argc - 1 && argv[i][0] == '-'; i++)
		if (kickstart_flags(argv[i], &flags, &pid) < 0)
			return BSCTL_USAGE;
	if (i != argc - 1 || argv[i][0] == '-')
		return BSCTL_USAGE;
	label = job_arg(argv[i]);
	if (!label)
		return BSCTL_USAGE;
	if (pid && (flags & CONTROL_F_KILL) && (r = job_pid(label, &old)) != BSCTL_OK)
		return r;
	r = ctl_call(CONTROL_KICKSTART, flags, 0, label, NULL);
	return r == BSCTL_OK && pid ? print_pid(label, old) : r;
}

/* Other names for signals sigabbrev_np() names otherwise: ABRT, CHLD, POLL. */
static const struct {
	const char *name;
	int sig;
} aliases[] = {
	{ "IOT", SIGABRT }, { "CLD", SIGCHLD }, { "IO", SIGIO },
};

/* RTMIN, RTMIN+N, RTMAX, RTMAX-N, within SIGRTMIN..SIGRTMAX.  Return: it, or 0. */
static int parse_realtime(const char *s)
{
	bool max = strncasecmp(s, "RTMAX", 5) == 0;
	char *end;
	long n = 0;

	if (!max && strncasecmp(s, "RTMIN", 5) != 0)
		return 0;
	s += 5;
	if (*s) {
		if (*s != (max ? '-' : '+') || !isdigit((unsigned char)s[1]))
			return 0;
		n = strtol(s + 1, &end, 10);
		if (*end || n > SIGRTMAX - SIGRTMIN)
			return 0;
	}
	return max ? SIGRTMAX - (int)n : SIGRTMIN + (int)n;
}

/*
 * A number, or any signal's name with or without "SIG", in any case: the
 * names of <signal.h> (sigabbrev_np()), their aliases, and the real-time
 * signals.  Return: the signal, or 0.
 */
static int parse_signal(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s && !*end)
		return n > 0 && n < NSIG ? (int)n : 0;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (int sig = 1; sig < NSIG; sig++) {
		const char *name = sigabbrev_np(sig);

		if (name && strcasecmp(s, name) == 0)
			return sig;
	}
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcasecmp(s, aliases[i].name) == 0)
			return aliases[i].sig;
	return parse_realtime(s);
}

int cmd_kill(int argc, char **argv, const struct bsctl_opts *o)
{
	int sig;

	(void)o;
	if (argc != 3)
		return BSCTL_USAGE;
	sig = parse_signal(argv[1]);
	if (!sig) {
		fprintf(stderr, "bsctl: %s: unknown signal\n", argv[1]);
		return BSCTL_USAGE;
	}
	return job_call(CONTROL_KILL, 0, sig, argv[2], NULL);
}
