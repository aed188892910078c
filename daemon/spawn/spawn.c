/* SPDX-License-Identifier: MIT */
/*
 * spawn.c - fork a job, let the child apply its plan (spawn-child.c) and
 * exec, and hear how that went.
 *
 * The child reports a record { step, detail, errno, fatal } for each step
 * it carried on from (logged here with the job's label) and for the one
 * that failed, just before _exit(127): into memory it shares with the
 * daemon until its exec, or, forked, through a CLOEXEC pipe that the exec
 * closes after the warnings.  So spawn_job() returns only when the outcome
 * is known, and "exec /no/such: No such file or directory" reaches the log
 * instead of a bare exit status 127.
 */
#include "spawn-job.h"
#include "spawn-child.h"
#include "spawn-plan.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"

static const char *stdio_key(int fd)
{
	return fd == 0 ? "StandardInPath" : fd == 1 ? "StandardOutPath" : "StandardErrorPath";
}

/* A warning is about the key's path; a fatal record about /dev/null, the fallback. */
static const char *stdio_path(const struct job_spec *s, const struct child_report *f)
{
	int fd = f->detail;
	const char *path = fd == 0 ? s->stdin_path : fd == 1 ? s->stdout_path : s->stderr_path;

	return path && !f->fatal ? path : "/dev/null";
}

/* Steps whose reason needs no path or name. */
static const char *const stage_names[] = {
	[0] = "reading the child's report",
	[STAGE_MOVE_FDS] = "moving fds",
	[STAGE_SETSID] = "setsid",
	[STAGE_SIGNALS] = "resetting signals",
	[STAGE_BOOTSTRAP_FD] = "sockets and bootstrap port to fds 3 and up",
	[STAGE_CLOSE_FDS] = "closing inherited fds",
};

static const char *stage_name(int stage)
{
	if (stage < 0 || (size_t)stage >= sizeof(stage_names) / sizeof(stage_names[0]) ||
	    !stage_names[stage])
		return "child setup";
	return stage_names[stage];
}

/* describe() for a stdio path: the key, the path, and why it was not opened. */
static void describe_stdio(const struct job_spec *s, const struct child_report *f, char *buf,
			   size_t len)
{
	const char *key = stdio_key(f->detail), *path = stdio_path(s, f);
	const char *user = s->user_name ? s->user_name : "the job's user";

	if (f->stage == STAGE_STDIO_IDS)
		snprintf(buf, len, "open %s %s: cannot take the file-system ids of %s "
			 "(setgroups, setfsuid or setfsgid refused), not opened", key, path, user);
	else if (f->stage == STAGE_STDIO_UNTRUSTED)
		snprintf(buf, len, "open %s %s: refused to %s, and root opens only the job's own "
			 "file, through directories and symbolic links nobody else may change (%s)",
			 key, path, user, strerror(f->err));
	else
		snprintf(buf, len, "open %s %s: %s", key, path, strerror(f->err));
}

/*
 * What the child's record says went wrong, into @buf (@len > 0), e.g.
 * "chdir /nope: No such file or directory": the reason of a failure, the
 * start of a warning.
 */
static void describe(const struct spawn_plan *p, const struct child_report *f, char *buf,
		     size_t len)
{
	const struct job_spec *s = p->spec;
	const char *e = strerror(f->err);

	switch (f->stage) {
	case STAGE_RLIMIT:
		snprintf(buf, len, "setrlimit %s: %s",
			 spawn_plan_rlimit_name(p->rlimits[f->detail].resource), e);
		break;
	case STAGE_NICE:
		snprintf(buf, len, "Nice %d: %s", s->nice, e);
		break;
	case STAGE_STDIO:
	case STAGE_STDIO_IDS:
	case STAGE_STDIO_UNTRUSTED:
		describe_stdio(s, f, buf, len);
		break;
	case STAGE_STDIO_SOCKET:
		snprintf(buf, len, "inetdCompatibility socket to fd %d: %s", (int)f->detail, e);
		break;
	case STAGE_CHROOT:
		snprintf(buf, len, "chroot %s: %s", s->root_directory, e);
		break;
	case STAGE_CHDIR:
		/* A warning is about WorkingDirectory, a fatal record about "/". */
		snprintf(buf, len, "chdir %s: %s", f->fatal ? "/" : s->working_directory, e);
		break;
	case STAGE_SETGROUPS:
		snprintf(buf, len, "setgroups for %s: %s", s->user_name, e);
		break;
	case STAGE_SETGID:
		snprintf(buf, len, "setgid %u: %s", (unsigned)p->gid, e);
		break;
	case STAGE_SETUID:
		snprintf(buf, len, "setuid %s: %s", s->user_name, e);
		break;
	case STAGE_EXEC:
		snprintf(buf, len, "exec %s: %s",
			 f->detail < 0 ? p->program : p->exec_paths[f->detail], e);
		break;
	default:
		snprintf(buf, len, "%s: %s", stage_name(f->stage), e);
	}
}

/* Turn the child's fatal record into the reason spawn_job() promises. */
static int failure(const struct spawn_plan *p, const struct child_report *f)
{
	if (p->reason && p->reason_len)
		describe(p, f, p->reason, p->reason_len);
	return -f->err;
}

/*
 * Log a step the child carried on from, and how.  A job left in "/" may
 * well not work there: an error, as launchd logs it; the rest are warnings.
 */
static void log_carried_on(const struct spawn_plan *p, const struct child_report *f)
{
	char what[1024];
	const char *how = f->stage == STAGE_STDIO || f->stage == STAGE_STDIO_IDS ||
			  f->stage == STAGE_STDIO_UNTRUSTED ?
			  "using /dev/null" :
			  f->stage == STAGE_CHDIR ? "staying in /" :
			  f->stage == STAGE_RLIMIT ? "leaving the limit as it was" : "carrying on";

	describe(p, f, what, sizeof(what));
	log_job(f->stage == STAGE_CHDIR ? LOG_ERR : LOG_WARNING, p->spec->label, "%s: %s",
		what, how);
}

/*
 * Read the forked child's records into @out until end of file, which its
 * exec or its exit brings.  Something that is not a record becomes a
 * fatal one of stage 0: the report could not be read.
 */
static void read_reports(int fd, struct child_reports *out)
{
	struct child_report r;
	ssize_t n;

	for (;;) {
		do
			n = read(fd, &r, sizeof(r));
		while (n < 0 && errno == EINTR);
		if (n == 0)
			return;
		if (n != (ssize_t)sizeof(r) || r.err <= 0) {
			r = (struct child_report){ .err = n < 0 ? errno : EIO, .fatal = 1 };
			child_reports_add(out, &r);
			return;
		}
		child_reports_add(out, &r);
	}
}

/*
 * Log each warning of @out, keep its fatal record.
 * Return: 0 if the child exec'ed, 1 with *@f filled if it failed.
 */
static int take_reports(const struct spawn_plan *p, const struct child_reports *out,
			struct child_report *f)
{
	int failed = 0;

	for (unsigned int i = 0; i < out->n; i++) {
		if (out->rec[i].fatal) {
			*f = out->rec[i];
			failed = 1;
		} else {
			log_carried_on(p, &out->rec[i]);
		}
	}
	return failed;
}

static void reap(pid_t pid)
{
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/*
 * The child shares the daemon's memory until it execs (as vfork(), and as
 * glibc's posix_spawn()), instead of copying the page tables of a daemon
 * that may hold thousands of jobs only to throw the copy away: that copy
 * was a third of the time of a demand launch.  The child touches only its
 * own stack, the plan and the reports (struct child_start), the parent
 * sleeps until the exec (CLONE_VFORK), and the daemon is single-threaded,
 * so the static stack has one user.
 * Under AddressSanitizer, which cannot follow a second task on its memory,
 * the child is forked.
 */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SPAWN_SHARES_MEMORY 0
#else
#define SPAWN_SHARES_MEMORY 1
#endif

struct child_start {
	const struct spawn_plan *plan;
	struct child_reports reports;   /* filled by the child, shared or through the pipe */
	int read_fd;                    /* the pipe's read end, or -1 */
};

static int child_main(void *arg)
{
	struct child_start *cs = arg;

	if (cs->read_fd >= 0)
		close(cs->read_fd);     /* the child's own fd table: the parent keeps its copy */
	spawn_child_run(cs->plan, &cs->reports);
}

static pid_t start_child(struct child_start *cs)
{
#if SPAWN_SHARES_MEMORY
	static char stack[64 * 1024] __attribute__((aligned(64)));

	return clone(child_main, stack + sizeof(stack), CLONE_VM | CLONE_VFORK | SIGCHLD, cs);
#else
	pid_t pid = fork();

	if (pid == 0)
		child_main(cs);
	return pid;
#endif
}

/*
 * The signals the child must reset: those not at SIG_DFL in the daemon
 * (its handlers, ignored SIGPIPE, whatever it inherited ignored).  Asking
 * about all 64 costs as much as resetting them, so the answer is taken at
 * the first launch and kept: the daemon sets its dispositions at startup
 * and never after.
 */
static const sigset_t *nondefault_signals(void)
{
	static sigset_t set;
	static bool known;

	if (known)
		return &set;
	sigemptyset(&set);
	for (int sig = 1; sig < NSIG; sig++) {
		struct sigaction old;

		if (sigaction(sig, NULL, &old) == 0 && old.sa_handler != SIG_DFL)
			sigaddset(&set, sig);
	}
	known = true;
	return &set;
}

/* The report pipe of a forked child; none for one that shares the daemon's memory. */
static int open_reports(struct child_start *cs)
{
	int pfd[2];

	cs->reports.fd = cs->read_fd = -1;
	if (SPAWN_SHARES_MEMORY)
		return 0;
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	cs->read_fd = pfd[0];
	cs->reports.fd = pfd[1];
	return 0;
}

/* Once the child exec'ed or exited: its records, in cs->reports. */
static void gather_reports(struct child_start *cs)
{
	if (cs->read_fd < 0)
		return;
	close(cs->reports.fd);
	read_reports(cs->read_fd, &cs->reports);
	close(cs->read_fd);
}

static int fork_child(const struct spawn_plan *plan, pid_t *pid)
{
	struct child_start cs = { .plan = plan };
	struct child_report f;
	sigset_t all, old;
	int e = open_reports(&cs);
	pid_t child;

	if (e < 0)
		return spawn_plan_fail(plan, e, "pipe: %s", strerror(-e));
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	child = start_child(&cs);
	e = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (child < 0) {
		gather_reports(&cs);    /* closes the pipe */
		return spawn_plan_fail(plan, -e, "fork: %s", strerror(e));
	}
	gather_reports(&cs);
	if (take_reports(plan, &cs.reports, &f) == 0) {
		*pid = child;
		return 0;
	}
	/* The caller never sees this child: reap it here, not in SIGCHLD. */
	reap(child);
	return failure(plan, &f);
}

int spawn_job(const struct spawn_request *req, pid_t *pid, char *reason, size_t reason_len)
{
	struct spawn_plan plan;
	int r;

	if (reason && reason_len)
		reason[0] = '\0';
	if (!req || !req->spec || !pid)
		return -EINVAL;
	r = spawn_plan_init(&plan, req, reason, reason_len);
	if (r < 0)
		return r;
	plan.reset_signals = nondefault_signals();
	r = fork_child(&plan, pid);
	spawn_plan_deinit(&plan);
	return r;
}

int spawn_kill_group(pid_t pid, int sig)
{
	if (pid <= 1)
		return -EINVAL;
	/* The group only: a job leads its own from before its exec
	 * (setsid()), and a bare pid may already name another process. */
	return kill(-pid, sig) == 0 ? 0 : -errno;
}
