/* SPDX-License-Identifier: MIT */
#include "daemon.h"

#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sanlog.h"
#include "tmpdir.h"

void test_daemon_init(struct test_daemon *d, const char *tag)
{
	memset(d, 0, sizeof(*d));
	d->dir = tmpdir_new(tag);
	ck_assert_int_gt(asprintf(&d->jobs, "%s/jobs", d->dir), 0);
	ck_assert_int_gt(asprintf(&d->socket, "%s/socket", d->dir), 0);
	ck_assert_int_gt(asprintf(&d->log, "%s/log", d->dir), 0);
	ck_assert_int_gt(asprintf(&d->system_socket, "%s/no-system-domain", d->dir), 0);
	ck_assert_int_eq(mkdir(d->jobs, 0755), 0);
	setenv("BOOTSTRAP_SOCKET", d->socket, 1);
}

/*
 * A job's stderr goes to dir/LABEL.stderr (unless @body names a
 * StandardErrorPath), where test_daemon_stop() looks for sanitizer reports.
 * @body starts on line 5 of the file, after the declaration, <plist>,
 * <dict> and the Label: tests name refusals by that line.
 */
void test_daemon_add_job(struct test_daemon *d, const char *label, const char *body)
{
	char *name, *xml, *stderr_key = NULL;

	if (!strstr(body, "<key>StandardErrorPath</key>"))
		ck_assert_int_gt(asprintf(&stderr_key,
			"<key>StandardErrorPath</key><string>%s/%s" TEST_DAEMON_JOB_LOG "</string>\n",
			d->dir, label), 0);
	ck_assert_int_gt(asprintf(&name, "%s.plist", label), 0);
	ck_assert_int_gt(asprintf(&xml,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<plist version=\"1.0\">\n<dict>\n<key>Label</key><string>%s</string>\n%s\n%s</dict>\n</plist>\n",
		label, body, stderr_key ? stderr_key : ""), 0);
	free(tmpdir_write(d->jobs, name, xml, 0644));
	free(stderr_key);
	free(name);
	free(xml);
}

static int socket_answers(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0), ok;

	strncpy(sun.sun_path, path, sizeof(sun.sun_path) - 1);
	ok = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	return ok;
}

/* The daemon's sd_notify socket: the fixture waits for READY=1, sent once
 * the socket answers and the jobs are loaded. */
static int notify_socket(const struct test_daemon *d, char *path, size_t len)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { 30, 0 };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	snprintf(path, len, "%s/notify", d->dir);
	ck_assert_uint_lt(strlen(path), sizeof(sun.sun_path));
	memcpy(sun.sun_path, path, strlen(path) + 1);
	unlink(path);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	return fd;
}

static void exec_daemon(const struct test_daemon *d, const char *exe, const char *notify)
{
	int fd = open(d->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	/* A test that fails leaves no daemon behind (SIGTERM: its jobs are
	 * stopped too); a paused one is resumed first (resume_at_exit()). */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() == 1)
		_exit(126);
	dup2(fd, 2);
	setenv("NOTIFY_SOCKET", notify, 1);
	if (d->nofile) {
		struct rlimit rl = { (rlim_t)d->nofile, (rlim_t)d->nofile };

		setrlimit(RLIMIT_NOFILE, &rl);
	}
	const char *level = d->log_level ? d->log_level : "debug";
	const char *argv[] = { exe, d->system ? "--system" : "--user", "--foreground",
			       "--log-level", level, "--jobs", d->jobs, "--state", d->dir,
			       "--system-socket", d->system_socket,
			       d->default_socket ? NULL : "--socket", d->socket, NULL };

	execv(exe, (char *const *)argv);
	_exit(127);
}

void test_daemon_start(struct test_daemon *d)
{
	const char *exe = getenv("BOOTSTRAPD");
	char path[4096], buf[64] = "";
	int fd;

	ck_assert_msg(exe != NULL, "BOOTSTRAPD is not set");
	fd = notify_socket(d, path, sizeof(path));
	d->pid = fork();
	ck_assert_int_ge(d->pid, 0);
	if (d->pid == 0)
		exec_daemon(d, exe, path);
	ck_assert_msg(recv(fd, buf, sizeof(buf) - 1, 0) > 0, "bootstrapd did not become ready");
	close(fd);
	ck_assert_str_eq(buf, "READY=1");
	ck_assert_msg(socket_answers(d->socket), "bootstrapd is ready but its socket does not answer");
}

void test_daemon_signal(struct test_daemon *d, int sig)
{
	ck_assert_int_eq(kill(d->pid, sig), 0);
}

/* The daemon a test paused, until it resumes it. */
static pid_t paused_pid;

/*
 * A failed check exits the test's process at once: a daemon it left
 * paused would sit on the SIGTERM its parent's death sends.
 */
static void resume_at_exit(void)
{
	int status;

	/* Only while it is still our unreaped child: its pid is not reused then. */
	if (paused_pid > 0 && waitpid(paused_pid, &status, WNOHANG) == 0)
		kill(paused_pid, SIGCONT);
}

void test_daemon_pause(struct test_daemon *d)
{
	static int registered;
	int status;

	if (!registered++)
		atexit(resume_at_exit);
	paused_pid = d->pid;
	test_daemon_signal(d, SIGSTOP);
	ck_assert_int_eq(waitpid(d->pid, &status, WUNTRACED), d->pid);
	ck_assert(WIFSTOPPED(status));
}

void test_daemon_resume(struct test_daemon *d)
{
	paused_pid = 0;
	test_daemon_signal(d, SIGCONT);
}

int test_daemon_wait(struct test_daemon *d)
{
	int status = 0;

	ck_assert_int_eq(waitpid(d->pid, &status, 0), d->pid);
	d->pid = 0;
	sanlog_check(d->log, "bootstrapd");
	return status;
}

int test_daemon_log_count(const struct test_daemon *d, const char *text)
{
	FILE *f = fopen(d->log, "r");
	char line[4096];
	int n = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, text) != NULL;
	fclose(f);
	return n;
}

int test_daemon_log_contains(const struct test_daemon *d, const char *text)
{
	return test_daemon_log_count(d, text) > 0;
}

int test_daemon_wait_log(const struct test_daemon *d, const char *text, long bound_ms)
{
	for (long waited = 0; waited <= bound_ms; waited += 10) {
		if (test_daemon_log_contains(d, text))
			return 1;
		test_pause_ms(10);
	}
	return 0;
}

int test_daemon_wait_log_count(const struct test_daemon *d, const char *text, int n,
			       long bound_ms)
{
	for (long waited = 0; waited <= bound_ms; waited += 10) {
		if (test_daemon_log_count(d, text) >= n)
			return 1;
		test_pause_ms(10);
	}
	return 0;
}

static void describe_status(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "wait status %#x", status);
}

/*
 * SIGTERM, wait, then the verdict: a clean exit (status 0) and no
 * sanitizer report in the daemon's log or a job's, each shown on stderr.
 * The directory goes first, so that a failure leaves nothing behind.
 */
void test_daemon_stop(struct test_daemon *d)
{
	char daemon_why[1200] = "", job_why[1200] = "", how[64] = "";
	int status = 0, stopped = d->pid > 0, clean = 1, daemon_bad, jobs_bad;

	if (stopped) {
		if (paused_pid == d->pid)
			test_daemon_resume(d);
		ck_assert_int_eq(kill(d->pid, SIGTERM), 0);
		ck_assert_int_eq(waitpid(d->pid, &status, 0), d->pid);
		d->pid = 0;
		clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
		describe_status(status, how, sizeof(how));
	}
	daemon_bad = sanlog_report(d->log, "bootstrapd", daemon_why, sizeof(daemon_why));
	jobs_bad = sanlog_report_dir(d->dir, TEST_DAEMON_JOB_LOG, job_why, sizeof(job_why));
	if (!clean && !daemon_bad)
		sanlog_tail(d->log, "bootstrapd", 30);
	tmpdir_remove(d->dir);
	d->dir = NULL;
	free(d->jobs);
	free(d->socket);
	free(d->log);
	free(d->system_socket);
	d->jobs = d->socket = d->log = d->system_socket = NULL;
	ck_assert_msg(!daemon_bad, "sanitizer report: %s", daemon_why);
	ck_assert_msg(!jobs_bad, "sanitizer report: %s", job_why);
	ck_assert_msg(clean, "bootstrapd did not exit cleanly on SIGTERM: %s", how);
}

void test_pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}
