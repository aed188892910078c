/* SPDX-License-Identifier: MIT */
/*
 * spawn-child.c - the child's side of a spawn: apply the plan, in order,
 * then exec.
 *
 * Between fork and exec the child makes only async-signal-safe calls
 * (the daemon may hold locks in malloc or NSS at fork time); everything
 * else was computed by spawn-plan.c.  It cannot log either: what the
 * daemon should hear goes to the parent as records (spawn-child.h).
 */
#include "spawn-child.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

struct child {
	const struct spawn_plan *plan;
	struct child_reports *out;
	int report_fd;          /* out's pipe, moved above bootstrap_target; or -1 */
	int bootstrap_target;   /* 3 + the number of sockets */
	int bootstrap_fd;       /* a copy above bootstrap_target, or -1 */
	int stdio_fd;           /* likewise, or -1 */
	int socket_fds[SPAWN_MAX_SOCKET_FDS];   /* likewise */
};

/*
 * Send the parent a record of @stage with the current errno: into the
 * memory it shares, or down the pipe.  Fewer than PIPE_BUF bytes: one
 * write, whole or not at all.  A record that cannot be written is lost;
 * the child has no one else to tell.
 */
static void report(struct child *c, enum child_stage stage, int detail, bool fatal)
{
	struct child_report r = {
		.stage = stage, .detail = detail, .err = errno ? errno : EIO, .fatal = fatal,
	};
	ssize_t n;

	if (c->report_fd < 0) {
		child_reports_add(c->out, &r);
		return;
	}
	n = write(c->report_fd, &r, sizeof(r));
	(void)n;
}

/* Report the current errno as the fatal failure of @stage; returns -1. */
static int failed(struct child *c, enum child_stage stage, int detail)
{
	report(c, stage, detail, true);
	return -1;
}

/* Report the current errno as a failure of @stage that setup carries on from. */
static void warned(struct child *c, enum child_stage stage, int detail)
{
	report(c, stage, detail, false);
}

/*
 * The pipe, the bootstrap fd and the sockets may sit anywhere, including
 * 0-3 if the daemon runs with stdio closed; move them above the last fd
 * the job gets (its bootstrap port), so that setting up fds 0 to that one
 * below cannot overwrite any of them.  The copies are close-on-exec.
 */
static int move_high(const struct child *c, int fd)
{
	return fd > c->bootstrap_target ? fd : fcntl(fd, F_DUPFD_CLOEXEC, c->bootstrap_target + 1);
}

static int step_move_fds(struct child *c)
{
	const struct spawn_plan *p = c->plan;

	if (c->report_fd >= 0) {
		int fd = move_high(c, c->report_fd);

		/* On failure nothing has been overwritten yet: report through it. */
		if (fd < 0)
			return failed(c, STAGE_MOVE_FDS, 0);
		c->report_fd = fd;
	}
	if (p->bootstrap_fd >= 0 && (c->bootstrap_fd = move_high(c, p->bootstrap_fd)) < 0)
		return failed(c, STAGE_MOVE_FDS, 0);
	if (p->use_stdio_fd && (c->stdio_fd = move_high(c, p->stdio_fd)) < 0)
		return failed(c, STAGE_MOVE_FDS, 0);
	for (size_t i = 0; i < p->n_socket_fds; i++)
		if ((c->socket_fds[i] = move_high(c, p->socket_fds[i])) < 0)
			return failed(c, STAGE_MOVE_FDS, (int)i);
	return 0;
}

/* After the '=' of @kv, the pid of the process that execs (async-signal-safe). */
static void write_pid(char *kv, pid_t pid)
{
	char buf[16];
	int n = 0;

	while (*kv && *kv++ != '=')
		;
	do
		buf[n++] = (char)('0' + pid % 10);
	while ((pid /= 10) > 0 && n < (int)sizeof(buf));
	while (n > 0)
		*kv++ = buf[--n];
	*kv = '\0';
}

/* systemd's LISTEN_PID and our BOOTSTRAP_FD_PID: the job's pid, known only here. */
static int step_pid_vars(struct child *c)
{
	pid_t pid = getpid();

	for (size_t i = 0; i < 2; i++)
		if (c->plan->pid_kv[i])
			write_pid(c->plan->pid_kv[i], pid);
	return 0;
}

/*
 * A new session makes the job a process group leader, so the supervisor
 * can signal the job and everything it forks with one kill(-pid), and
 * takes it off the daemon's controlling terminal, whose ^C must not reach
 * jobs.  It comes first so that all of the job's life, setup included,
 * happens in its own group.
 */
static int step_setsid(struct child *c)
{
	return setsid() < 0 ? failed(c, STAGE_SETSID, 0) : 0;
}

/*
 * Ignored signals and the signal mask survive exec: a job must not
 * inherit the daemon's SIG_IGN for SIGPIPE or its blocked SIGCHLD.  The
 * parent blocked every signal around fork(), so the daemon's handlers
 * cannot run in the child before they are reset here.
 */
static int step_signals(struct child *c)
{
	struct sigaction sa;
	sigset_t none;
	int sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP || !sigismember(c->plan->reset_signals, sig))
			continue;
		/* EINVAL: a signal reserved by libc, never ours to reset. */
		if (sigaction(sig, &sa, NULL) < 0 && errno != EINVAL)
			return failed(c, STAGE_SIGNALS, sig);
	}
	sigemptyset(&none);
	return sigprocmask(SIG_SETMASK, &none, NULL) < 0 ? failed(c, STAGE_SIGNALS, 0) : 0;
}

/*
 * Before setuid(), as lowering nice below 0 needs privilege; setpriority(),
 * not nice(3), because Nice is absolute, not relative to the daemon's.
 * Without that privilege the job runs at the daemon's priority, with a
 * warning, as launchd does: a Nice is a preference, not a condition.
 */
static int step_nice(struct child *c)
{
	const struct job_spec *s = c->plan->spec;

	if (s->has_nice && setpriority(PRIO_PROCESS, 0, s->nice) < 0)
		warned(c, STAGE_NICE, 0);
	return 0;
}

/* Before stdio, so that a StandardOutPath it creates honours Umask. */
static int step_umask(struct child *c)
{
	if (c->plan->spec->has_umask)
		umask(c->plan->spec->umask);
	return 0;
}

/*
 * O_NOCTTY: we are a session leader now, and opening a terminal would
 * make it our controlling tty.  O_NONBLOCK: opening a FIFO with no peer
 * must fail or succeed at once, not hang the daemon waiting for our exec;
 * it is cleared again, the job expects blocking stdio.  F_SETFL changes
 * only O_APPEND and O_NONBLOCK of what @flags holds: setting @flags
 * itself clears the one and keeps the other, with no F_GETFL first.
 */
static int redirect(const struct spawn_plan *p, const char *path, int flags, int target,
		    enum child_stage *stage)
{
	int fd = spawn_open_stdio(p, path, flags | O_NOCTTY | O_NONBLOCK, stage);

	if (fd < 0)
		return -1;
	if (fd != target) {
		if (dup2(fd, target) < 0) {
			int e = errno;

			close(fd);
			errno = e;
			return -1;
		}
		close(fd);
	}
	return fcntl(target, F_SETFL, flags);
}

/*
 * Stdio is opened before RootDirectory and UserName apply: paths are the
 * daemon's view of the file system, and a job running as nobody can
 * still log to a root-owned directory such as /var/log, though never
 * through a path its user could bend (spawn-stdio.c).  Umask applies
 * to the files created (mode 0666 before it), StandardInPath's included,
 * as in launchd.  A path that cannot be opened is warned about and the
 * job gets /dev/null there instead, as it would without the key: launchd
 * starts such a job too, and a job should not be kept from running by
 * its log file.
 */
static int step_stdio(struct child *c)
{
	const struct job_spec *s = c->plan->spec;
	const char *paths[3] = { s->stdin_path, s->stdout_path, s->stderr_path };
	enum child_stage stage;
	bool out_null = false;  /* stdout is /dev/null: stderr shares it, as 2>&1 would */
	int fd;

	for (fd = 0; fd < 3; fd++) {
		/* inetdCompatibility: the connection or the listening socket, as
		 * launchproxy: stdin, and stdout and stderr unless sent to files. */
		if (c->stdio_fd >= 0 && (fd == 0 || !paths[fd])) {
			if (dup2(c->stdio_fd, fd) < 0)
				return failed(c, STAGE_STDIO_SOCKET, fd);
			continue;
		}
		int flags = fd ? O_WRONLY | O_CREAT | O_APPEND : O_RDONLY | O_CREAT;

		if (paths[fd] && redirect(c->plan, paths[fd], flags, fd, &stage) == 0)
			continue;
		if (paths[fd])
			warned(c, stage, fd);
		if (fd == 2 && out_null) {
			if (dup2(1, 2) < 0)
				return failed(c, STAGE_STDIO, fd);
			continue;
		}
		/* Never O_CREAT: a missing /dev/null must not become a file. */
		if (redirect(c->plan, "/dev/null", fd ? O_WRONLY : O_RDONLY, fd, &stage) < 0)
			return failed(c, stage, fd);
		out_null = fd == 1;
	}
	return 0;
}

/*
 * Sockets at 3, 4, ..., the bootstrap port after them.  dup2() to a
 * different fd number yields a copy without FD_CLOEXEC, and every source
 * sits above the targets (step_move_fds()).
 */
static int step_bootstrap_fd(struct child *c)
{
	for (size_t i = 0; i < c->plan->n_socket_fds; i++)
		if (dup2(c->socket_fds[i], SPAWN_BOOTSTRAP_FD + (int)i) < 0)
			return failed(c, STAGE_BOOTSTRAP_FD, 0);
	if (c->bootstrap_fd >= 0 && dup2(c->bootstrap_fd, c->bootstrap_target) < 0)
		return failed(c, STAGE_BOOTSTRAP_FD, 0);
	return 0;
}

/*
 * No fd other than stdio, the sockets and the bootstrap port reaches the job.  The
 * report pipe, if any, stays open until exec closes it (it is CLOEXEC).
 * Before chroot, so that the fallback still finds /proc.
 */
static int step_close_fds(struct child *c)
{
	int first = c->bootstrap_target + (c->bootstrap_fd >= 0 ? 1 : 0);

	return spawn_close_from(first, c->report_fd) < 0 ? failed(c, STAGE_CLOSE_FDS, 0) : 0;
}

/* Before chdir, so that WorkingDirectory is a path inside RootDirectory. */
static int step_chroot(struct child *c)
{
	if (c->plan->chroot && chroot(c->plan->spec->root_directory) < 0)
		return failed(c, STAGE_CHROOT, 0);
	return 0;
}

/*
 * A WorkingDirectory that cannot be entered is logged and the job starts
 * anyway, as launchd does; in "/", its default, so that its cwd never
 * depends on the daemon's.
 */
static int step_chdir(struct child *c)
{
	const char *dir = c->plan->spec->working_directory;

	if (dir && chdir(dir) == 0)
		return 0;
	if (dir)
		warned(c, STAGE_CHDIR, 0);
	return chdir("/") < 0 ? failed(c, STAGE_CHDIR, 0) : 0;
}

/*
 * A NumberOfFiles that could not be set leaves the daemon's own soft
 * limit, raised for its many connections (select() breaks above 1024):
 * give the job the one it would have without the key, as the plan does
 * (spawn-rlimits.c).
 */
static void nofile_as_unnamed(const struct spawn_plan *p)
{
	if (p->has_nofile_unnamed)
		setrlimit(RLIMIT_NOFILE, &p->nofile_unnamed);
}

/*
 * Limits come late, once every fd is in place (a small NumberOfFiles would
 * make our own open() and dup2() fail), but before setuid(): raising a
 * hard limit needs the privilege it drops.  A limit that cannot be set
 * (raising a hard one without that privilege) stays as it was, with a
 * warning, as in launchd; the others still apply.
 */
static int step_rlimits(struct child *c)
{
	const struct spawn_plan *p = c->plan;
	size_t i;

	for (i = 0; i < p->n_rlimits; i++) {
		if (setrlimit(p->rlimits[i].resource, &p->rlimits[i].rl) == 0)
			continue;
		warned(c, STAGE_RLIMIT, (int)i);
		if (p->rlimits[i].resource == RLIMIT_NOFILE)
			nofile_as_unnamed(p);
	}
	return 0;
}

/* Groups, then gid, then uid: each step needs the privilege the next drops. */
static int step_ids(struct child *c)
{
	const struct spawn_plan *p = c->plan;

	if (p->set_groups && setgroups(p->n_groups, p->groups) < 0)
		return failed(c, STAGE_SETGROUPS, 0);
	if (p->set_gid && setgid(p->gid) < 0)
		return failed(c, STAGE_SETGID, 0);
	if (p->set_uid && setuid(p->uid) < 0)
		return failed(c, STAGE_SETUID, 0);
	return 0;
}

/*
 * The execvp(3) search over the prepared candidates: a missing or
 * unreachable candidate moves on, EACCES is remembered in case nothing
 * else is found, anything else (ENOEXEC, E2BIG, ...) is the answer.
 */
static int step_exec(struct child *c)
{
	const struct spawn_plan *p = c->plan;
	bool denied = false;
	size_t i;

	for (i = 0; p->exec_paths[i]; i++) {
		execve(p->exec_paths[i], p->argv, p->envp);
		if (errno == EACCES)
			denied = true;
		else if (errno != ENOENT && errno != ENOTDIR && errno != ESTALE &&
			 errno != ENODEV && errno != ETIMEDOUT)
			return failed(c, STAGE_EXEC, (int)i);
	}
	errno = denied ? EACCES : ENOENT;
	return failed(c, STAGE_EXEC, -1);
}

/*
 * In order; each step's comment says why it sits where it does.  Roughly:
 * process state (session, signals, nice, umask), then fds (stdio, fds 3
 * and up, nothing else), then the file system view (root, cwd), then limits and
 * identity, which need root until the very end.
 */
static int (*const steps[])(struct child *c) = {
	step_move_fds,
	step_pid_vars,
	step_setsid,
	step_signals,
	step_nice,
	step_umask,
	step_stdio,
	step_bootstrap_fd,
	step_close_fds,
	step_chroot,
	step_chdir,
	step_rlimits,
	step_ids,
	step_exec,
};

void spawn_child_run(const struct spawn_plan *plan, struct child_reports *out)
{
	struct child c = { .plan = plan, .out = out, .report_fd = out->fd, .bootstrap_fd = -1,
			   .stdio_fd = -1,
			   .bootstrap_target = SPAWN_BOOTSTRAP_FD + (int)plan->n_socket_fds };
	size_t i;

	/* A step that fails has sent its record; step_exec() returns only then. */
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (steps[i](&c) < 0)
			break;
	_exit(127);
}
