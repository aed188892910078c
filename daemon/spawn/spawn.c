/* SPDX-License-Identifier: MIT */
/*
 * spawn.c - fork a job, apply its plan in the child, exec.
 *
 * The child reports a setup failure to the parent through a CLOEXEC pipe:
 * a record { step, detail, errno } written just before _exit(127).  A
 * successful exec closes the pipe with nothing written.  So spawn_job()
 * returns only when the outcome is known, and "exec /no/such: No such file
 * or directory" reaches the log instead of a bare exit status 127.
 *
 * Between fork and exec the child makes only async-signal-safe calls
 * (the daemon may hold locks in malloc or NSS at fork time); everything
 * else was computed by spawn-plan.c.
 */
#include "spawn-job.h"
#include "spawn-plan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The failing step, as the child reports it. */
enum stage {
	STAGE_MOVE_FDS = 1,
	STAGE_SETSID,
	STAGE_SIGNALS,
	STAGE_RLIMIT,           /* detail: index in plan->rlimits */
	STAGE_NICE,
	STAGE_STDIO,            /* detail: 0, 1 or 2 */
	STAGE_CHROOT,
	STAGE_CHDIR,
	STAGE_SETGROUPS,
	STAGE_SETGID,
	STAGE_SETUID,
	STAGE_BOOTSTRAP_FD,
	STAGE_CLOSE_FDS,
	STAGE_EXEC,
};

struct child_failure {
	int32_t stage;
	int32_t detail;
	int32_t err;
};

struct child {
	const struct spawn_plan *plan;
	int err_fd;             /* write end of the failure pipe, above bootstrap_target */
	int bootstrap_target;   /* 3 + the number of sockets */
	int bootstrap_fd;       /* a copy above bootstrap_target, or -1 */
	int stdio_fd;           /* likewise, or -1 */
	int socket_fds[SPAWN_MAX_SOCKET_FDS];   /* likewise */
	struct child_failure failure;
};

/* Record the current errno as the failure of @stage; returns -1. */
static int failed(struct child *c, enum stage stage, int detail)
{
	c->failure.stage = stage;
	c->failure.detail = detail;
	c->failure.err = errno ? errno : EIO;
	return -1;
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
	int fd = move_high(c, c->err_fd);

	/* On failure nothing has been overwritten yet: report through it. */
	if (fd < 0)
		return failed(c, STAGE_MOVE_FDS, 0);
	c->err_fd = fd;
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
 */
static int step_nice(struct child *c)
{
	const struct job_spec *s = c->plan->spec;

	if (s->has_nice && setpriority(PRIO_PROCESS, 0, s->nice) < 0)
		return failed(c, STAGE_NICE, 0);
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
 * it is cleared again, the job expects blocking stdio.
 */
static int redirect(const char *path, int flags, int target)
{
	int fd = open(path, flags | O_NOCTTY | O_NONBLOCK, 0644);
	int fl;

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
	fl = fcntl(target, F_GETFL);
	return fl < 0 ? -1 : fcntl(target, F_SETFL, fl & ~O_NONBLOCK);
}

/*
 * Stdio is opened before RootDirectory and UserName apply: paths are the
 * daemon's view of the file system, and a job running as nobody can
 * still log to a root-owned directory such as /var/log.  Umask applies.
 */
static int step_stdio(struct child *c)
{
	const struct job_spec *s = c->plan->spec;
	const char *paths[3] = { s->stdin_path, s->stdout_path, s->stderr_path };
	int fd;

	for (fd = 0; fd < 3; fd++) {
		/* inetdCompatibility: the connection or the listening socket, as launchproxy. */
		if (c->stdio_fd >= 0) {
			if (dup2(c->stdio_fd, fd) < 0)
				return failed(c, STAGE_STDIO, fd);
			continue;
		}
		int flags = fd ? O_WRONLY | O_CREAT | O_APPEND : O_RDONLY;

		if (redirect(paths[fd] ? paths[fd] : "/dev/null", flags, fd) < 0)
			return failed(c, STAGE_STDIO, fd);
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
 * failure pipe stays open until exec closes it (it is CLOEXEC).  Before
 * chroot, so that the fallback still finds /proc.
 */
static int step_close_fds(struct child *c)
{
	int first = c->bootstrap_target + (c->bootstrap_fd >= 0 ? 1 : 0);

	return spawn_close_from(first, c->err_fd) < 0 ? failed(c, STAGE_CLOSE_FDS, 0) : 0;
}

/* Before chdir, so that WorkingDirectory is a path inside RootDirectory. */
static int step_chroot(struct child *c)
{
	if (c->plan->chroot && chroot(c->plan->spec->root_directory) < 0)
		return failed(c, STAGE_CHROOT, 0);
	return 0;
}

static int step_chdir(struct child *c)
{
	const char *dir = c->plan->spec->working_directory;

	return chdir(dir ? dir : "/") < 0 ? failed(c, STAGE_CHDIR, 0) : 0;
}

/*
 * Limits come late, once every fd is in place (a small NumberOfFiles would
 * make our own open() and dup2() fail), but before setuid(): raising a
 * hard limit needs the privilege it drops.
 */
static int step_rlimits(struct child *c)
{
	const struct spawn_plan *p = c->plan;
	size_t i;

	for (i = 0; i < p->n_rlimits; i++)
		if (setrlimit(p->rlimits[i].resource, &p->rlimits[i].rl) < 0)
			return failed(c, STAGE_RLIMIT, (int)i);
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

static __attribute__((noreturn)) void child_run(const struct spawn_plan *plan, int err_fd)
{
	struct child c = { .plan = plan, .err_fd = err_fd, .bootstrap_fd = -1, .stdio_fd = -1,
			   .bootstrap_target = SPAWN_BOOTSTRAP_FD + (int)plan->n_socket_fds };
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (steps[i](&c) < 0)
			break;
	/* Fewer than PIPE_BUF bytes: one write, whole or not at all. */
	if (write(c.err_fd, &c.failure, sizeof(c.failure)) < 0)
		_exit(127);
	_exit(127);
}

/* --- parent side ------------------------------------------------------ */

static const char *stdio_key(int fd)
{
	return fd == 0 ? "StandardInPath" : fd == 1 ? "StandardOutPath" : "StandardErrorPath";
}

static const char *stdio_path(const struct job_spec *s, int fd)
{
	const char *path = fd == 0 ? s->stdin_path : fd == 1 ? s->stdout_path : s->stderr_path;

	return path ? path : "/dev/null";
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

/* Turn the child's record into the reason spawn_job() promises. */
static int describe(const struct spawn_plan *p, const struct child_failure *f)
{
	const struct job_spec *s = p->spec;
	const char *e = strerror(f->err);
	int err = -f->err;

	switch (f->stage) {
	case STAGE_RLIMIT:
		return spawn_plan_fail(p, err, "setrlimit %s: %s",
				       spawn_plan_rlimit_name(p->rlimits[f->detail].resource), e);
	case STAGE_NICE:
		return spawn_plan_fail(p, err, "Nice %d: %s", s->nice, e);
	case STAGE_STDIO:
		return spawn_plan_fail(p, err, "open %s %s: %s", stdio_key(f->detail),
				       stdio_path(s, f->detail), e);
	case STAGE_CHROOT:
		return spawn_plan_fail(p, err, "chroot %s: %s", s->root_directory, e);
	case STAGE_CHDIR:
		return spawn_plan_fail(p, err, "chdir %s: %s",
				       s->working_directory ? s->working_directory : "/", e);
	case STAGE_SETGROUPS:
		return spawn_plan_fail(p, err, "setgroups for %s: %s", s->user_name, e);
	case STAGE_SETGID:
		return spawn_plan_fail(p, err, "setgid %u: %s", (unsigned)p->gid, e);
	case STAGE_SETUID:
		return spawn_plan_fail(p, err, "setuid %s: %s", s->user_name, e);
	case STAGE_EXEC:
		return spawn_plan_fail(p, err, "exec %s: %s",
				       f->detail < 0 ? p->program : p->exec_paths[f->detail], e);
	default:
		if (f->stage < 0 || (size_t)f->stage >= sizeof(stage_names) / sizeof(stage_names[0]))
			return spawn_plan_fail(p, err, "child setup: %s", e);
		return spawn_plan_fail(p, err, "%s: %s", stage_names[f->stage], e);
	}
}

/* Return: 0 once the child exec'ed, 1 with *@f filled if it failed. */
static int read_failure(int fd, struct child_failure *f)
{
	ssize_t n;

	do
		n = read(fd, f, sizeof(*f));
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return 0;
	if (n != (ssize_t)sizeof(*f) || f->err <= 0) {
		f->stage = 0;
		f->err = n < 0 ? errno : EIO;
	}
	return 1;
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
 * own stack and the plan, the parent sleeps until the exec (CLONE_VFORK),
 * and the daemon is single-threaded, so the static stack has one user.
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
	int pfd[2];
};

static int child_main(void *arg)
{
	struct child_start *cs = arg;

	close(cs->pfd[0]);      /* the child's own fd table: the parent keeps its copy */
	child_run(cs->plan, cs->pfd[1]);
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

static int fork_child(const struct spawn_plan *plan, pid_t *pid)
{
	struct child_start cs = { .plan = plan };
	struct child_failure f;
	sigset_t all, old;
	int *pfd = cs.pfd, e;
	pid_t child;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return spawn_plan_fail(plan, -errno, "pipe: %s", strerror(errno));
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	child = start_child(&cs);
	e = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(pfd[1]);
	if (child < 0) {
		close(pfd[0]);
		return spawn_plan_fail(plan, -e, "fork: %s", strerror(e));
	}
	e = read_failure(pfd[0], &f);
	close(pfd[0]);
	if (e == 0) {
		*pid = child;
		return 0;
	}
	/* The caller never sees this child: reap it here, not in SIGCHLD. */
	reap(child);
	return describe(plan, &f);
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
	if (kill(-pid, sig) == 0)
		return 0;
	if (errno == ESRCH && kill(pid, sig) == 0)
		return 0;
	return -errno;
}
