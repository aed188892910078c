/* SPDX-License-Identifier: MIT */
/*
 * check-sockets.c - socket activation against a real bootstrapd: Unix,
 * TCP and UDP sockets (127.0.0.1 only) made at load and started on the
 * first connection or datagram; a connection made while the job restarts
 * waits for the next instance; inetdCompatibility with and without Wait;
 * unload closes the sockets; launch_activate_socket()'s return codes;
 * LISTEN_FDS, LISTEN_FDNAMES and LISTEN_PID; SecureSocketWithKey.
 */
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <launch.h>

#include "helpers/bsctl-run.h"
#include "helpers/daemon.h"
#include "helpers/runner.h"
#include "helpers/unix-connect.h"

static struct test_daemon td;
static char *report, *sock;

static void setup(void)
{
	test_daemon_init(&td, "sockets");
	ck_assert_int_gt(asprintf(&report, "%s/report", td.dir), 0);
	ck_assert_int_gt(asprintf(&sock, "%s/listener", td.dir), 0);
}

static void teardown(void)
{
	test_daemon_stop(&td);
	free(report);
	free(sock);
}

/* The value of the last "KEY=" line of the report, or "" (static buffer). */
static const char *report_get(const char *key)
{
	static char value[512];
	char line[600];
	size_t n = strlen(key);
	FILE *f = fopen(report, "r");

	value[0] = '\0';
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, key, n) == 0 && line[n] == '=') {
			snprintf(value, sizeof(value), "%s", line + n + 1);
			value[strcspn(value, "\n")] = '\0';
		}
	if (f)
		fclose(f);
	return value;
}

/* Poll (bounded) until the report has a KEY= line. */
static const char *wait_report(const char *key)
{
	for (int i = 0; i < 1500 && !*report_get(key); i++)
		test_pause_ms(10);
	return report_get(key);
}

static int wait_log(const char *text)
{
	return test_daemon_wait_log(&td, text, 15000);
}

/* A job running socket-job MODE REPORT ARGS, with @extra keys. */
static void add_job(const char *label, const char *mode, const char *args, const char *extra)
{
	char *body;

	ck_assert_int_gt(asprintf(&body,
		"<key>ProgramArguments</key><array><string>%s</string><string>%s</string>"
		"<string>%s</string>%s</array>\n%s",
		getenv("SOCKET_JOB"), mode, report, args, extra), 0);
	test_daemon_add_job(&td, label, body);
	free(body);
}

/* <key>Sockets</key> with one Unix stream socket NAME at PATH. */
static char *unix_sockets(const char *name, const char *path)
{
	char *s;

	ck_assert_int_gt(asprintf(&s, "<key>Sockets</key><dict><key>%s</key><dict>"
		"<key>SockPathName</key><string>%s</string></dict></dict>\n", name, path), 0);
	return s;
}

/* The pid a stream server writes on a connected @fd (taken). */
static int read_pid(int fd)
{
	char buf[32] = "";
	ssize_t n = 0, r;

	while (n < (ssize_t)sizeof(buf) - 1 && (r = read(fd, buf + n, sizeof(buf) - 1 - (size_t)n)) > 0) {
		n += r;
		if (memchr(buf, '\n', (size_t)n))
			break;
	}
	close(fd);
	return atoi(buf);
}

static int ask_unix(const char *path)
{
	int fd = test_connect_unix(path, SOCK_STREAM);

	ck_assert_msg(fd >= 0, "connect %s: %s", path, strerror(-fd));
	return read_pid(fd);
}

/* A port on 127.0.0.1 free for @type now (the kernel picks it; closed again). */
static int free_port(int type)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);

	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	close(fd);
	return ntohs(sin.sin_port);
}

/* connect() to 127.0.0.1:@port.  Return: the fd, or -errno. */
static int connect_ip(int port, int type)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

static int ask_udp(int port)
{
	int fd = connect_ip(port, SOCK_DGRAM);
	char buf[32] = "";

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(send(fd, "?", 1, 0), 1);
	ck_assert_int_gt(recv(fd, buf, sizeof(buf) - 1, 0), 0);
	close(fd);
	return atoi(buf);
}

START_TEST(test_unix_started_by_first_connection)
{
	char *sockets, pid[16];
	struct stat st;

	ck_assert_int_gt(asprintf(&sockets, "<key>Sockets</key><dict><key>listener</key><dict>"
		"<key>SockPathName</key><string>%s</string><key>SockPathMode</key>"
		"<integer>384</integer></dict></dict>\n", sock), 0);
	add_job("com.example.unix", "listen", "", sockets);
	test_daemon_start(&td);
	/* Listening at load, before the job runs, with SockPathMode (decimal 384 = 0600). */
	ck_assert_int_eq(stat(sock, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	ck_assert(!test_daemon_log_contains(&td, "started (pid"));
	snprintf(pid, sizeof(pid), "%d", ask_unix(sock));
	ck_assert(wait_log("reason demand"));
	ck_assert_str_eq(report_get("pid"), pid);
	/* systemd's variables: the job's own pid, fd 3, the bootstrap port after it. */
	ck_assert_str_eq(report_get("LISTEN_PID"), pid);
	ck_assert_str_eq(report_get("LISTEN_FDS"), "1");
	ck_assert_str_eq(report_get("LISTEN_FDNAMES"), "listener");
	ck_assert_str_eq(report_get("BOOTSTRAP_FD"), "4");
	/* The job serves further connections itself. */
	ck_assert_int_eq(ask_unix(sock), atoi(pid));
	free(sockets);
}
END_TEST

START_TEST(test_tcp_and_udp_with_launch_activate_socket)
{
	int tport = free_port(SOCK_STREAM), uport = free_port(SOCK_DGRAM), pid;
	char *extra;

	ck_assert_int_gt(asprintf(&extra, "<key>Sockets</key><dict>"
		"<key>tcp</key><dict><key>SockNodeName</key><string>127.0.0.1</string>"
		"<key>SockServiceName</key><integer>%d</integer></dict>"
		"<key>udp</key><array><dict><key>SockNodeName</key><string>127.0.0.1</string>"
		"<key>SockServiceName</key><string>%d</string><key>SockType</key><string>dgram</string>"
		"<key>SockFamily</key><string>IPv4</string></dict></array></dict>\n",
		tport, uport), 0);
	add_job("com.example.ip", "activate", "<string>tcp</string><string>udp</string>", extra);
	test_daemon_start(&td);
	ck_assert(!test_daemon_log_contains(&td, "started (pid"));
	/* A datagram starts it; the TCP socket is then served by the same process. */
	pid = ask_udp(uport);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(atoi(report_get("pid")), pid);
	ck_assert_int_eq(read_pid(connect_ip(tport, SOCK_STREAM)), pid);
	ck_assert_str_eq(report_get("activate tcp"), "0 1");
	ck_assert_str_eq(report_get("activate udp"), "0 1");
	ck_assert_int_eq(atoi(report_get("again tcp")), EALREADY);
	ck_assert_int_eq(atoi(report_get("again udp")), EALREADY);
	ck_assert_int_eq(atoi(report_get("missing")), ENOENT);
	ck_assert_str_eq(report_get("leaked"), "0");
	ck_assert_int_eq(atoi(wait_report("child")), ESRCH);
	ck_assert_str_eq(report_get("LISTEN_FDNAMES"), "tcp:udp");
	free(extra);
}
END_TEST

/* Not a job at all: no inherited bootstrap port. */
START_TEST(test_activate_from_plain_process)
{
	int *fds = NULL;
	size_t n = 0;

	unsetenv("BOOTSTRAP_FD");
	ck_assert_int_eq(launch_activate_socket("listener", &fds, &n), ESRCH);
	ck_assert_int_eq(launch_activate_socket(NULL, &fds, &n), EINVAL);
	ck_assert_ptr_null(fds);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_connection_during_restart_waits)
{
	char *sockets = unix_sockets("listener", sock), *extra;
	int first, fd, second;

	ck_assert_int_gt(asprintf(&extra, "%s<key>KeepAlive</key><true/>"
		"<key>ThrottleInterval</key><integer>3</integer>", sockets), 0);
	add_job("com.example.restart", "listen", "", extra);
	test_daemon_start(&td);
	first = ask_unix(sock);
	ck_assert_int_gt(first, 0);
	ck_assert_int_eq(kill(first, SIGKILL), 0);
	ck_assert(wait_log("exited on signal 9"));
	ck_assert(wait_log("throttling respawn"));
	/* Down and throttled: the daemon's socket still takes the connection... */
	fd = test_connect_unix(sock, SOCK_STREAM);
	ck_assert_msg(fd >= 0, "connect while restarting: %s", strerror(-fd));
	/* ...and the next instance serves it. */
	second = read_pid(fd);
	ck_assert_int_gt(second, 0);
	ck_assert_int_ne(second, first);
	free(extra);
	free(sockets);
}
END_TEST

START_TEST(test_inetd_instance_per_connection)
{
	char *sockets = unix_sockets("inetd", sock), *extra;
	int a, b, pa, pb;

	ck_assert_int_gt(asprintf(&extra, "%s<key>inetdCompatibility</key><dict>"
		"<key>Wait</key><false/></dict>", sockets), 0);
	add_job("com.example.inetd", "inetd", "", extra);
	test_daemon_start(&td);
	a = test_connect_unix(sock, SOCK_STREAM);
	b = test_connect_unix(sock, SOCK_STREAM);
	ck_assert_int_ge(a, 0);
	ck_assert_int_ge(b, 0);
	/* Each instance answers, then waits for its client's EOF: both run at once. */
	ck_assert_int_gt(pa = read_pid(dup(a)), 0);
	ck_assert_int_gt(pb = read_pid(dup(b)), 0);
	ck_assert_int_ne(pa, pb);
	ck_assert(wait_log("2 running"));
	close(a);
	close(b);
	ck_assert(wait_log("exited with status 0"));
	/* Instances get no LISTEN_FDS: their connection is stdin. */
	ck_assert_str_eq(report_get("LISTEN_FDS"), "(unset)");
	free(extra);
	free(sockets);
}
END_TEST

/*
 * As launchproxy: an instance's stdout and stderr are its connection only
 * where StandardOutPath and StandardErrorPath do not send them to files,
 * so its error output never reaches the client.  They always were.
 */
START_TEST(test_inetd_stderr_path_kept)
{
	char *sockets = unix_sockets("inetd", sock), *extra, *err_log, buf[64] = "";
	int fd, pid;
	ssize_t n = 0, r;
	FILE *f;

	ck_assert_int_gt(asprintf(&err_log, "%s/err.log", td.dir), 0);
	ck_assert_int_gt(asprintf(&extra, "%s<key>inetdCompatibility</key><dict>"
		"<key>Wait</key><false/></dict><key>StandardErrorPath</key><string>%s</string>",
		sockets, err_log), 0);
	add_job("com.example.inetd", "inetd", "", extra);
	test_daemon_start(&td);
	fd = test_connect_unix(sock, SOCK_STREAM);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(shutdown(fd, SHUT_WR), 0);
	while (n < (ssize_t)sizeof(buf) - 1 && (r = read(fd, buf + n, sizeof(buf) - 1 - (size_t)n)) > 0)
		n += r;
	close(fd);
	pid = atoi(buf);
	ck_assert_int_gt(pid, 0);
	ck_assert_ptr_null(strstr(buf, "inetd-stderr"));
	ck_assert(wait_log("exited with status 0"));
	f = fopen(err_log, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	ck_assert_str_eq(buf, "inetd-stderr\n");
	fclose(f);
	free(err_log);
	free(extra);
	free(sockets);
}
END_TEST

START_TEST(test_inetd_wait_listening_socket_is_stdin)
{
	char *sockets = unix_sockets("inetd", sock), *extra;
	int first, second;

	ck_assert_int_gt(asprintf(&extra, "%s<key>inetdCompatibility</key><dict>"
		"<key>Wait</key><true/></dict><key>ThrottleInterval</key><integer>0</integer>",
		sockets), 0);
	add_job("com.example.inetdwait", "inetd-wait", "", extra);
	test_daemon_start(&td);
	first = ask_unix(sock);
	ck_assert_int_gt(first, 0);
	/* It answered one client and exited: the next connection starts it again. */
	ck_assert(wait_log("exited with status 0"));
	second = ask_unix(sock);
	ck_assert_int_gt(second, 0);
	ck_assert_int_ne(second, first);
	free(extra);
	free(sockets);
}
END_TEST

/* Open fds of the daemon, from /proc. */
static int daemon_fds(void)
{
	char path[64], link[64];
	int n = 0;

	for (int fd = 0; fd < 4096; fd++) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)td.pid, fd);
		n += readlink(path, link, sizeof(link)) > 0;
	}
	return n;
}

/*
 * Poll (bounded) until the daemon holds at most @n fds, as it does once the
 * job's exit is handled.  At most: @n may count a client connection (the
 * fixture's, bsctl's) that the daemon had not closed yet when it was taken.
 */
static int wait_daemon_fds(int n)
{
	for (int i = 0; i < 1500 && daemon_fds() > n; i++)
		test_pause_ms(10);
	return daemon_fds();
}

/* Load @label from td.dir/@label.plist with bsctl. */
static char *load_plist(const char *label, const char *body)
{
	struct bsctl_out *r = malloc(sizeof(*r));
	char *path, *xml;
	FILE *f;

	ck_assert_int_gt(asprintf(&path, "%s/%s.plist", td.dir, label), 0);
	ck_assert_int_gt(asprintf(&xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<plist version=\"1.0\"><dict><key>Label</key><string>%s</string>\n%s</dict></plist>\n",
		label, body), 0);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(xml, f);
	fclose(f);
	ck_assert_msg(BSCTL_RUN(r, "load", path) == 0, "bsctl load: %s", r->err);
	free(r);
	free(xml);
	return path;
}

static void unload(const char *label)
{
	struct bsctl_out *r = malloc(sizeof(*r));

	ck_assert_msg(BSCTL_RUN(r, "unload", label) == 0, "bsctl unload: %s", r->err);
	free(r);
}

START_TEST(test_unload_closes_sockets)
{
	int port = free_port(SOCK_STREAM), before;
	char *body, *path;

	test_daemon_start(&td);
	before = daemon_fds();
	ck_assert_int_gt(asprintf(&body, "<key>ProgramArguments</key><array><string>%s</string>"
		"<string>listen</string><string>%s</string></array>"
		"<key>Sockets</key><dict><key>listener</key><dict>"
		"<key>SockPathName</key><string>%s</string></dict><key>tcp</key><dict>"
		"<key>SockNodeName</key><string>127.0.0.1</string><key>SockServiceName</key>"
		"<string>%d</string><key>SockFamily</key><string>IPv4</string></dict></dict>",
		getenv("SOCKET_JOB"), report, sock, port), 0);
	path = load_plist("com.example.unload", body);
	ck_assert_int_gt(ask_unix(sock), 0);
	unload("com.example.unload");
	ck_assert(wait_log("exited on signal 15"));
	/* The path the daemon made is gone, the TCP port refuses, no fd is left. */
	ck_assert_int_eq(test_connect_unix(sock, SOCK_STREAM), -ENOENT);
	ck_assert_int_eq(access(sock, F_OK), -1);
	ck_assert_int_eq(connect_ip(port, SOCK_STREAM), -ECONNREFUSED);
	ck_assert_int_le(wait_daemon_fds(before), before);
	free(path);
	free(body);
}
END_TEST

/* Unloading an inetd job stops its instances and closes everything. */
START_TEST(test_unload_inetd_with_instances)
{
	char *body, *path;
	int before, a, b;

	test_daemon_start(&td);
	before = daemon_fds();
	ck_assert_int_gt(asprintf(&body, "<key>ProgramArguments</key><array><string>%s</string>"
		"<string>inetd</string><string>%s</string></array>"
		"<key>Sockets</key><dict><key>s</key><dict><key>SockPathName</key><string>%s</string>"
		"</dict></dict><key>inetdCompatibility</key><dict><key>Wait</key><false/></dict>",
		getenv("SOCKET_JOB"), report, sock), 0);
	path = load_plist("com.example.inetdunload", body);
	a = test_connect_unix(sock, SOCK_STREAM);
	b = test_connect_unix(sock, SOCK_STREAM);
	ck_assert_int_gt(read_pid(dup(a)), 0);
	ck_assert_int_gt(read_pid(dup(b)), 0);
	unload("com.example.inetdunload");
	ck_assert(wait_log("stopping 2 instance(s)"));
	ck_assert(wait_log("exited on signal 15"));
	ck_assert_int_le(wait_daemon_fds(before), before);
	ck_assert_int_eq(access(sock, F_OK), -1);
	close(a);
	close(b);
	free(path);
	free(body);
}
END_TEST

START_TEST(test_secure_socket_with_key)
{
	struct bsctl_out *r = malloc(sizeof(*r));
	char dir[256], *slash;
	struct stat st;
	int pid;

	add_job("com.example.secure", "activate", "<string>secure</string>",
		"<key>Sockets</key><dict><key>secure</key><dict><key>SecureSocketWithKey</key>"
		"<string>SECURE_SOCKET</string></dict></dict><key>RunAtLoad</key><true/>");
	test_daemon_start(&td);
	snprintf(dir, sizeof(dir), "%s", wait_report("SECURE"));
	ck_assert_msg(dir[0] == '/', "SECURE_SOCKET=%s", dir);
	ck_assert_str_eq(wait_report("activate secure"), "0 1");
	/* The exported path works... */
	pid = ask_unix(dir);
	ck_assert_int_eq(pid, atoi(report_get("pid")));
	/* As launchd's UserEnvironmentVariables, the domain's environment has
	 * it while the job is loaded: every job, and bsctl getenv, find it. */
	ck_assert_int_eq(BSCTL_RUN(r, "getenv", "SECURE_SOCKET"), 0);
	ck_assert_str_eq(strtok(r->out, "\n"), dir);
	/* ...and sits in a directory only the job's user can enter, named
	 * after its Sockets key, as launchd names it. */
	slash = strrchr(dir, '/');
	ck_assert_str_eq(slash, "/secure");
	*slash = '\0';
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	ck_assert_int_eq(BSCTL_RUN(r, "unload", "com.example.secure"), 0);
	ck_assert(wait_log("exited on signal 15"));
	ck_assert_int_eq(access(dir, F_OK), -1);        /* removed with the socket */
	ck_assert_int_eq(BSCTL_RUN(r, "getenv", "SECURE_SOCKET"), 0);   /* gone with the job */
	ck_assert_str_eq(r->out, "");
	free(r);
}
END_TEST

/* The SECURE_SOCKET the domain's environment has now ("" if none). */
static const char *domain_secure_socket(struct bsctl_out *r)
{
	ck_assert_int_eq(BSCTL_RUN(r, "getenv", "SECURE_SOCKET"), 0);
	r->out[strcspn(r->out, "\n")] = '\0';
	return r->out;
}

/*
 * Two jobs with the same SecureSocketWithKey: the domain has one's path;
 * once that job is unloaded, the other's, as launchd applies the
 * UserEnvironmentVariables of the jobs still loaded.  The variable used
 * to go with the first job, and the second's path was never published.
 */
START_TEST(test_secure_socket_key_passes_to_the_job_left)
{
	struct bsctl_out *r = malloc(sizeof(*r));
	char first[256];
	const char *now;

	add_job("com.example.securea", "activate", "<string>a</string>",
		"<key>Sockets</key><dict><key>a</key><dict><key>SecureSocketWithKey</key>"
		"<string>SECURE_SOCKET</string></dict></dict>");
	add_job("com.example.secureb", "activate", "<string>b</string>",
		"<key>Sockets</key><dict><key>b</key><dict><key>SecureSocketWithKey</key>"
		"<string>SECURE_SOCKET</string></dict></dict>");
	test_daemon_start(&td);
	snprintf(first, sizeof(first), "%s", domain_secure_socket(r));
	ck_assert_msg(first[0] == '/', "SECURE_SOCKET=%s", first);
	/* Each job's path ends in its Sockets key. */
	ck_assert_int_eq(BSCTL_RUN(r, "unload", strcmp(strrchr(first, '/'), "/a") == 0 ?
				   "com.example.securea" : "com.example.secureb"), 0);
	now = domain_secure_socket(r);
	ck_assert_msg(now[0] == '/', "SECURE_SOCKET=%s", now);
	ck_assert_str_ne(now, first);
	ck_assert_str_eq(strrchr(now, '/'), strcmp(strrchr(first, '/'), "/a") == 0 ? "/b" : "/a");
	ck_assert_int_eq(access(now, F_OK), 0);         /* the socket of the job left */
	free(r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sockets");
	TCase *tc = tcase_create("activation");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_unix_started_by_first_connection);
	tcase_add_test(tc, test_tcp_and_udp_with_launch_activate_socket);
	tcase_add_test(tc, test_activate_from_plain_process);
	tcase_add_test(tc, test_connection_during_restart_waits);
	tcase_add_test(tc, test_inetd_instance_per_connection);
	tcase_add_test(tc, test_inetd_stderr_path_kept);
	tcase_add_test(tc, test_inetd_wait_listening_socket_is_stdin);
	tcase_add_test(tc, test_unload_closes_sockets);
	tcase_add_test(tc, test_unload_inetd_with_instances);
	tcase_add_test(tc, test_secure_socket_with_key);
	tcase_add_test(tc, test_secure_socket_key_passes_to_the_job_left);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(suite(), NULL, 0, argc, argv);
}
