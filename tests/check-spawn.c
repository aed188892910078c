/* SPDX-License-Identifier: MIT */
/*
 * check-spawn - spawn_job() and spawn_kill_group() against a real child,
 * helpers/spawn-probe, which reports what it sees ($SPAWN_PROBE): what a
 * job gets (argv, environment, attributes, limits, signals, stdio, fds,
 * its bootstrap port and sockets) and how its process group is killed.
 * What spawn_job() refuses, and users and groups, are in check-spawn-ids.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers/fdcheck.h"
#include "helpers/probe.h"
#include "helpers/runner.h"
#include "helpers/sanlog.h"
#include "helpers/tmpdir.h"
#include "job-spec.h"
#include "spawn-job.h"

START_TEST(test_argv_env)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", "two words", "", NULL);
	char *out;

	setenv("BOOTSTRAP_SOCKET", "/tmp/not-for-jobs", 1);
	setenv("SPAWN_TEST_LEAK", "1", 1);
	probe_spec_env(s, "FOO=bar");
	probe_spec_env(s, "BOOTSTRAP_FD=7");
	probe_spec_env(s, "BOOTSTRAP_JOB_LABEL=someone.else");
	out = probe_run(s, -1);
	ck_assert_line(out, "argc=4");
	ck_assert_line(out, "argv1=report");
	ck_assert_line(out, "argv2=two words");
	ck_assert_line(out, "argv3=");
	ck_assert_line(out, "env:FOO=bar");
	/* The sbin directories too, as launchd's _PATH_STDPATH: bare daemon names are found. */
	ck_assert_line(out, "env:PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	ck_assert_line(out, "env:" SPAWN_ENV_JOB_LABEL "=" PROBE_LABEL);
	ck_assert_ptr_null(strstr(out, "env:BOOTSTRAP_FD="));
	ck_assert_ptr_null(strstr(out, "env:BOOTSTRAP_SOCKET="));
	ck_assert_ptr_null(strstr(out, "env:SPAWN_TEST_LEAK="));
	ck_assert_ptr_nonnull(strstr(out, "\nenv:HOME="));
	ck_assert_ptr_nonnull(strstr(out, "\nenv:USER="));
	ck_assert_line(out, "cwd=/");
	ck_assert_line(out, "leader=yes");
	ck_assert_line(out, "fd3=none");
	free(out);
	job_spec_free(s);
}
END_TEST

/* Program is what runs; argv[0] is only what the job is told. */
START_TEST(test_program_and_path_search)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);
	char *dir = strdup(probe_path()), *path, *out;

	*strrchr(dir, '/') = '\0';
	ck_assert_int_gt(asprintf(&path, "PATH=/nonexistent:%s", dir), 0);
	probe_spec_env(s, path);
	s->program = strdup(strrchr(probe_path(), '/') + 1);
	free(s->argv[0]);
	s->argv[0] = strdup("custom-name");
	out = probe_run(s, -1);
	ck_assert_line(out, "argv0=custom-name");
	ck_assert_line(out, "argc=2");
	ck_assert_ptr_nonnull(strstr(out, path));
	free(out);
	free(path);
	free(dir);
	job_spec_free(s);
}
END_TEST

START_TEST(test_globbing)
{
	struct job_spec *s;
	char *pattern = probe_tmp_path("*.txt"), *a, *b, *out, *la, *lb;

	free(tmpdir_write(probe_tmp, "b.txt", "", 0644));
	free(tmpdir_write(probe_tmp, "a.txt", "", 0644));
	s = probe_spec_new(probe_tmp, "report", pattern, "nomatch*.zzz", NULL);
	s->enable_globbing = true;
	a = probe_tmp_path("a.txt");
	b = probe_tmp_path("b.txt");
	ck_assert_int_gt(asprintf(&la, "argv2=%s", a), 0);
	ck_assert_int_gt(asprintf(&lb, "argv3=%s", b), 0);
	out = probe_run(s, -1);
	ck_assert_line(out, "argc=5");
	ck_assert_line(out, la);
	ck_assert_line(out, lb);
	ck_assert_line(out, "argv4=nomatch*.zzz");
	free(out);
	free(la);
	free(lb);
	free(a);
	free(b);
	free(pattern);
	job_spec_free(s);
}
END_TEST

START_TEST(test_attributes)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);
	char *cwd, *out;
	struct stat st;

	s->working_directory = strdup(probe_tmp);
	s->has_umask = true;
	s->umask = 027;
	s->has_nice = true;
	s->nice = 5;
	probe_spec_rlimit(s, RLIMIT_NOFILE, 64, 128);
	probe_spec_rlimit(s, RLIMIT_CORE, 0, 0);
	ck_assert_int_gt(asprintf(&cwd, "cwd=%s", probe_tmp), 0);
	out = probe_run(s, -1);
	ck_assert_line(out, cwd);
	ck_assert_line(out, "umask=0027");
	ck_assert_line(out, "nice=5");
	ck_assert_line(out, "nofile=64/128");
	ck_assert_line(out, "core=0/0");
	/* The stdout file was created under the job's umask. */
	ck_assert_int_eq(stat(s->stdout_path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0640);
	free(out);
	free(cwd);
	job_spec_free(s);
}
END_TEST

/*
 * Spawn @s (freed) as a daemon that started with a soft fd limit of 100
 * would, and check that the job got that limit back, under our hard one.
 */
static void assert_nofile_given_back(struct job_spec *s)
{
	struct spawn_request req = { s, -1, geteuid() == 0, 100 };
	struct rlimit rl;
	char reason[256], *out, *want;
	pid_t pid = -1;
	int st;

	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	ck_assert_int_eq(spawn_job(&req, &pid, reason, sizeof(reason)), 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	out = probe_slurp(s->stdout_path);
	ck_assert_int_gt(asprintf(&want, "nofile=100/%llu", (unsigned long long)rl.rlim_max), 0);
	ck_assert_line(out, want);
	free(out);
	free(want);
	job_spec_free(s);
}

/*
 * The daemon raises its own fd limit to hold its ports; a job gets the
 * limit the daemon started with back, unless its plist sets one.
 */
START_TEST(test_nofile_given_back)
{
	assert_nofile_given_back(probe_spec_new(probe_tmp, "report", NULL));
}
END_TEST

/*
 * A NumberOfFiles that cannot be set (a hard limit above fs.nr_open, too
 * high even for root) leaves the job the limit it has without the key,
 * not the daemon's raised one.
 */
START_TEST(test_refused_nofile_given_back)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);
	char *nr_open = probe_slurp("/proc/sys/fs/nr_open");
	struct rlimit rl;

	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	probe_spec_rlimit(s, RLIMIT_NOFILE, rl.rlim_cur, strtoull(nr_open, NULL, 10) + 1);
	free(nr_open);
	assert_nofile_given_back(s);
}
END_TEST

/*
 * A NumberOfFiles just big enough for stdio, fd 3 and one more: the
 * limit must not get in the way of spawn_job()'s own setup.
 */
START_TEST(test_small_nofile)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);
	int sv[2];
	char *out;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	probe_spec_rlimit(s, RLIMIT_NOFILE, 5, 5);
	out = probe_run(s, sv[1]);
	ck_assert_line(out, "nofile=5/5");
	ck_assert_line(out, "fds=0,1,2,3");
	free(out);
	close(sv[0]);
	close(sv[1]);
	job_spec_free(s);
}
END_TEST

START_TEST(test_signals_reset)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);
	sigset_t set;
	char *out;

	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	out = probe_run(s, -1);
	ck_assert_line(out, "sigpipe=default");
	ck_assert_line(out, "sighup=default");
	ck_assert_line(out, "blocked=0");
	free(out);
	job_spec_free(s);
}
END_TEST

START_TEST(test_stdio_files)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);
	char *out, *err;

	free(s->stdout_path);
	s->stdout_path = tmpdir_write(probe_tmp, "out", "old-out\n", 0600);
	free(s->stderr_path);
	s->stderr_path = tmpdir_write(probe_tmp, "err", "old-err\n", 0600);
	s->stdin_path = tmpdir_write(probe_tmp, "in", "hello stdin\nsecond\n", 0600);
	out = probe_run(s, -1);
	err = probe_slurp(s->stderr_path);
	ck_assert_msg(strncmp(out, "old-out\nprobe\n", 14) == 0, "not appended:\n%s", out);
	ck_assert_line(out, "stdin=hello stdin");
	ck_assert_str_eq(err, "old-err\nprobe-stderr\n");
	free(out);
	free(err);
	job_spec_free(s);
}
END_TEST

/*
 * A FIFO with no writer as stdin must not hang spawn_job() in open(), and
 * the job still gets blocking stdio.
 */
START_TEST(test_stdin_fifo_without_writer)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);
	char *out;

	s->stdin_path = probe_tmp_path("fifo");
	ck_assert_int_eq(mkfifo(s->stdin_path, 0600), 0);
	out = probe_run(s, -1);
	ck_assert_line(out, "stdin=");
	ck_assert_line(out, "fd0=blocking");
	ck_assert_line(out, "fd1=blocking");
	ck_assert_line(out, "fd2=blocking");
	free(out);
	job_spec_free(s);
}
END_TEST

/* Spawn @s, wait for its exit 0, and return what the probe wrote to @path. */
static char *run_stdio_probe(const struct job_spec *s, const char *path)
{
	pid_t pid = probe_spawn(s, -1);
	int st;

	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	if (s->stderr_path)
		sanlog_check(s->stderr_path, "spawn-probe");
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "probe status %#x", st);
	return probe_slurp(path);
}

/*
 * Without StandardInPath, StandardOutPath or StandardErrorPath the job
 * gets /dev/null, read-only on stdin, write-only on stdout and stderr,
 * all blocking; stderr shares stdout's /dev/null only when stdout has it.
 */
START_TEST(test_stdio_dev_null)
{
	char *path = probe_tmp_path("stdio"), *out;
	struct job_spec *s = probe_spec_new(probe_tmp, "stdio", path, NULL);

	free(s->stdout_path);
	free(s->stderr_path);
	s->stdout_path = s->stderr_path = NULL;
	out = run_stdio_probe(s, path);
	ck_assert_line(out, "fd0=/dev/null r blocking");
	ck_assert_line(out, "fd1=/dev/null w blocking");
	ck_assert_line(out, "fd2=/dev/null w blocking");
	ck_assert_line(out, "shared12=yes");      /* one open, as >/dev/null 2>&1 */
	free(out);
	/* stdout to a file: stderr is /dev/null of its own. */
	s->stdout_path = probe_tmp_path("stdout.log");
	out = run_stdio_probe(s, path);
	ck_assert_ptr_nonnull(strstr(out, "\nfd1=/"));
	ck_assert_ptr_nonnull(strstr(out, "stdout.log w blocking\n"));
	ck_assert_line(out, "fd2=/dev/null w blocking");
	ck_assert_line(out, "shared12=no");
	free(out);
	/* stderr to a file: stdout is /dev/null. */
	s->stderr_path = s->stdout_path;
	s->stdout_path = NULL;
	out = run_stdio_probe(s, path);
	ck_assert_line(out, "fd1=/dev/null w blocking");
	ck_assert_ptr_nonnull(strstr(out, "\nfd2=/"));
	ck_assert_ptr_nonnull(strstr(out, "stdout.log w blocking\nshared12=no\n"));
	free(out);
	free(path);
	job_spec_free(s);
}
END_TEST

/* Non-CLOEXEC fds of the daemon, even high ones, never reach a job. */
START_TEST(test_no_inherited_fds)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);
	int a = open("/dev/null", O_RDONLY), b = open("/dev/null", O_RDONLY);
	char *out;

	ck_assert_int_ge(a, 0);
	ck_assert_int_eq(dup2(b, 200), 200);
	out = probe_run(s, -1);
	ck_assert_line(out, "fds=0,1,2");
	free(out);
	close(a);
	close(b);
	close(200);
	job_spec_free(s);
}
END_TEST

static void check_bootstrap_fd(int peer, int bootstrap_fd)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);
	int extra = open("/dev/null", O_RDONLY);
	char buf[8] = "";
	char *out;

	ck_assert_int_ge(extra, 0);
	out = probe_run(s, bootstrap_fd);
	ck_assert_line(out, "fds=0,1,2,3");
	ck_assert_line(out, "fd3=socket");
	ck_assert_line(out, "env:" BOOTSTRAP_ENV_FD "=3");
	/* It is the same socket: what the job wrote to fd 3 arrives here. */
	ck_assert_int_eq(recv(peer, buf, sizeof(buf), MSG_DONTWAIT), 4);
	ck_assert_str_eq(buf, "ping");
	free(out);
	close(extra);
	job_spec_free(s);
}

START_TEST(test_bootstrap_fd)
{
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	check_bootstrap_fd(sv[0], sv[1]);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* A daemon started with stdin closed may hold its port as fd 0. */
START_TEST(test_bootstrap_fd_low)
{
	int sv[2];

	close(STDIN_FILENO);
	probe_fds_before--;
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	ck_assert_int_eq(sv[0], 0);
	check_bootstrap_fd(sv[1], sv[0]);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/*
 * Sockets at 3 and up in the order given (their sources sit where the
 * targets are: a copy must not overwrite one not yet placed), the
 * bootstrap port after them, and systemd's variables with the job's pid.
 */
static int move_fd_high(int fd)
{
	int high = fcntl(fd, F_DUPFD_CLOEXEC, 100);

	ck_assert_int_ge(high, 100);
	close(fd);
	return high;
}

/* What the probe reported: its fds, systemd's variables and the daemon's, with its @pid. */
static void assert_socket_env(const char *out, pid_t pid)
{
	char line[64];

	ck_assert_line(out, "fds=0,1,2,3,4,5");
	ck_assert_line(out, "env:LISTEN_FDS=2");
	ck_assert_line(out, "env:LISTEN_FDNAMES=b:a");
	snprintf(line, sizeof(line), "env:LISTEN_PID=%d", (int)pid);
	ck_assert_line(out, line);
	ck_assert_line(out, "env:" BOOTSTRAP_ENV_FD "=5");
	snprintf(line, sizeof(line), "env:" BOOTSTRAP_ENV_FD_PID "=%d", (int)pid);
	ck_assert_line(out, line);
}

START_TEST(test_socket_fds_and_listen_env)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);
	int a[2], b[2], boot[2], st, fds[2];
	struct spawn_request req = { s, -1, geteuid() == 0 };
	/* SecureSocketWithKey names: they cannot take the daemon's own variables. */
	char *const claims[] = { BOOTSTRAP_ENV_FD "=9", BOOTSTRAP_ENV_FD_PID "=1", NULL };
	char reason[256], buf[8] = "";
	pid_t pid = -1;
	char *out;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, a), 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, b), 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, boot), 0);
	/* The second socket and the port already at their targets (4 and 5):
	 * dup2() onto itself would keep FD_CLOEXEC, so the child must move
	 * them away first.  (check's own pipe may hold fd 3.) */
	for (int i = 0; i < 2; i++) {
		a[i] = move_fd_high(a[i]);
		b[i] = move_fd_high(b[i]);
		boot[i] = move_fd_high(boot[i]);
	}
	ck_assert_int_eq(fcntl(4, F_GETFD), -1);
	ck_assert_int_eq(fcntl(5, F_GETFD), -1);
	ck_assert_int_eq(dup3(a[1], 4, O_CLOEXEC), 4);
	ck_assert_int_eq(dup3(boot[1], 5, O_CLOEXEC), 5);
	fds[0] = b[1];
	fds[1] = 4;
	req.bootstrap_fd = 5;
	req.socket_fds = fds;
	req.n_socket_fds = 2;
	req.socket_names = "b:a";
	req.extra_env = claims;
	ck_assert_msg(spawn_job(&req, &pid, reason, sizeof(reason)) == 0, "%s", reason);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	out = probe_slurp(s->stdout_path);
	assert_socket_env(out, pid);
	/* fd 3 is the first socket given: the probe's "ping" arrives on b. */
	ck_assert_int_eq(recv(b[0], buf, sizeof(buf), MSG_DONTWAIT), 4);
	ck_assert_int_eq(recv(a[0], buf, sizeof(buf), MSG_DONTWAIT), -1);
	free(out);
	for (int i = 0; i < 2; i++) {
		close(a[i]);
		close(b[i]);
		close(boot[i]);
		close(4 + i);
	}
	job_spec_free(s);
}
END_TEST

static pid_t wait_grandchild(const char *path)
{
	int i;

	for (i = 0; i < 500; i++) {
		char *out = probe_slurp(path), *p = strstr(out, "grandchild=");
		pid_t pid = p ? (pid_t)atoi(p + strlen("grandchild=")) : 0;

		free(out);
		if (pid > 0)
			return pid;
		nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
	}
	ck_abort_msg("probe never reported its grandchild");
	return -1;
}

START_TEST(test_kill_group)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "group", NULL);
	pid_t pid, grandchild;
	int st;

	/* Orphans come to us, so we can tell how the grandchild died. */
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	pid = probe_spawn(s, -1);
	grandchild = wait_grandchild(s->stdout_path);
	ck_assert_int_eq(getpgid(grandchild), pid);
	ck_assert_int_eq(spawn_kill_group(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	ck_assert_int_eq(waitpid(grandchild, &st, 0), grandchild);
	ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	ck_assert_int_eq(spawn_kill_group(pid, SIGKILL), -ESRCH);
	job_spec_free(s);
}
END_TEST

/* A pid that leads no group (a reaped job's number, reused) is left alone. */
START_TEST(test_kill_group_spares_a_lone_pid)
{
	pid_t pid = fork();
	int st;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	ck_assert_int_eq(spawn_kill_group(pid, SIGTERM), -ESRCH);
	ck_assert_int_eq(waitpid(pid, &st, WNOHANG), 0);       /* still running */
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
}
END_TEST

START_TEST(test_kill_group_refuses_wildcards)
{
	ck_assert_int_eq(spawn_kill_group(0, SIGTERM), -EINVAL);
	ck_assert_int_eq(spawn_kill_group(-1, SIGTERM), -EINVAL);
	ck_assert_int_eq(spawn_kill_group(1, SIGTERM), -EINVAL);
}
END_TEST

static Suite *spawn_suite(void)
{
	Suite *s = suite_create("spawn");
	TCase *ok = tcase_create("child"), *kill = tcase_create("kill");

	tcase_add_test(ok, test_argv_env);
	tcase_add_test(ok, test_program_and_path_search);
	tcase_add_test(ok, test_globbing);
	tcase_add_test(ok, test_attributes);
	tcase_add_test(ok, test_small_nofile);
	tcase_add_test(ok, test_nofile_given_back);
	tcase_add_test(ok, test_refused_nofile_given_back);
	tcase_add_test(ok, test_signals_reset);
	tcase_add_test(ok, test_stdio_files);
	tcase_add_test(ok, test_stdin_fifo_without_writer);
	tcase_add_test(ok, test_stdio_dev_null);
	tcase_add_test(ok, test_no_inherited_fds);
	tcase_add_test(ok, test_bootstrap_fd);
	tcase_add_test(ok, test_bootstrap_fd_low);
	tcase_add_test(ok, test_socket_fds_and_listen_env);
	tcase_add_test(kill, test_kill_group);
	tcase_add_test(kill, test_kill_group_spares_a_lone_pid);
	tcase_add_test(kill, test_kill_group_refuses_wildcards);
	tcase_add_checked_fixture(ok, probe_setup, probe_teardown);
	tcase_add_checked_fixture(kill, probe_setup, probe_teardown);
	suite_add_tcase(s, ok);
	suite_add_tcase(s, kill);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(spawn_suite(), NULL, 0, argc, argv);
}
