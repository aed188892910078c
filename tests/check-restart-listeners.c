/* SPDX-License-Identifier: MIT */
/*
 * check-restart-listeners - a job's Sockets listeners across a restart,
 * each test run across a re-exec (bsctl reexec) and across a SIGKILL and
 * a start from the fd store (a fake one speaking systemd's protocol),
 * unless it says otherwise.  A running job goes on accepting new clients
 * on its listener, which is watched again once it exits; a connection
 * made while the daemon is down waits for the job; a SecureSocketWithKey
 * path stays the same; a listener whose entry changed in the plist is
 * replaced, saying why.  Listeners used to be opened anew: new clients
 * waited in a listener the running job did not hold, and connections
 * made while the daemon was down were refused.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "helpers/bsctl-run.h"
#include "helpers/daemon.h"
#include "helpers/fake-fdstore.h"
#include "helpers/runner.h"
#include "helpers/unix-connect.h"

#define JOB "com.example.listener"

static struct test_daemon td;
static struct fake_fdstore store;
static int use_store;
static char *report, *sock, *moved;

static void setup(void)
{
	fake_fdstore_fixture_setup(&td, "restart-listeners");
	/* SecureSocketWithKey directories, of every daemon image: removed with it. */
	setenv("TMPDIR", td.dir, 1);
	ck_assert_int_gt(asprintf(&report, "%s/report", td.dir), 0);
	ck_assert_int_gt(asprintf(&sock, "%s/listener", td.dir), 0);
	ck_assert_int_gt(asprintf(&moved, "%s/moved", td.dir), 0);
}

static void teardown(void)
{
	fake_fdstore_fixture_teardown(&td, &store, &use_store);
	free(report);
	free(sock);
	free(moved);
}

/* Start the daemon; @from_store: under the fake fd store, for a restart by SIGKILL. */
static void start(int from_store)
{
	fake_fdstore_fixture_start(&td, &store, &use_store, from_store);
}

/* A request answered: whatever came before it is in the state saved since. */
static void settle(void)
{
	static struct bsctl_out out;

	ck_assert_int_eq(BSCTL_RUN(&out, "list"), 0);
}

/* Restart it as start() started it: re-exec, or SIGKILL and start again from the store. */
static void restart(int from_store)
{
	static struct bsctl_out out;

	settle();
	if (!from_store) {
		ck_assert_int_eq(BSCTL_RUN(&out, "reexec"), 0);
		settle();       /* answered by the new image */
		return;
	}
	fake_fdstore_kill(&store, &td);
	fake_fdstore_start(&store, &td);
}

/*
 * JOB, serving its sockets (socket-job listen), with the Sockets dict
 * @sockets; started again at once when it exits early.
 */
static void add_job(const char *sockets)
{
	char *body;

	ck_assert_int_gt(asprintf(&body,
		"<key>ProgramArguments</key><array><string>%s</string><string>listen</string>"
		"<string>%s</string></array>\n<key>Sockets</key><dict>%s</dict>\n"
		"<key>ThrottleInterval</key><integer>0</integer>\n",
		getenv("SOCKET_JOB"), report, sockets), 0);
	test_daemon_add_job(&td, JOB, body);
	free(body);
}

/* A Sockets entry @name at SockPathName @path (a static buffer). */
static const char *path_entry(const char *name, const char *path)
{
	static char s[512];

	snprintf(s, sizeof(s), "<key>%s</key><dict><key>SockPathName</key><string>%s</string>"
		 "</dict>", name, path);
	return s;
}

/* The pid the job writes on connection @fd (taken), or 0 if it closed without. */
static int read_pid(int fd)
{
	char buf[32] = "";
	ssize_t n = 0, r;

	while (n < (ssize_t)sizeof(buf) - 1 &&
	       (r = read(fd, buf + n, sizeof(buf) - 1 - (size_t)n)) > 0) {
		n += r;
		if (memchr(buf, '\n', (size_t)n))
			break;
	}
	close(fd);
	return atoi(buf);
}

/* A Sockets entry @name: IPv4 TCP on @node:@port (a static buffer). */
static const char *tcp_entry_at(const char *name, const char *node, int port)
{
	static char s[512];

	snprintf(s, sizeof(s), "<key>%s</key><dict><key>SockNodeName</key><string>%s"
		 "</string><key>SockServiceName</key><string>%d</string><key>SockFamily</key>"
		 "<string>IPv4</string></dict>", name, node, port);
	return s;
}

/* A Sockets entry @name: IPv4 TCP on 127.0.0.1:@port (a static buffer). */
static const char *tcp_entry(const char *name, int port)
{
	return tcp_entry_at(name, "127.0.0.1", port);
}

/* A port on 127.0.0.1 free for TCP now (the kernel picks it; closed again). */
static int free_port(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	close(fd);
	return ntohs(sin.sin_port);
}

/* connect() to 127.0.0.1:@port.  Return: the fd, or -errno. */
static int connect_tcp(int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), e;

	ck_assert_int_ge(fd, 0);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0)
		return fd;
	e = errno;
	close(fd);
	return -e;
}

static int connect_to(const char *path)
{
	int fd = test_connect_unix(path, SOCK_STREAM);

	ck_assert_msg(fd >= 0, "connect %s: %s", path, strerror(-fd));
	return fd;
}

static int ask(const char *path)
{
	return read_pid(connect_to(path));
}

/*
 * A job started by a first client runs through the restart: a client
 * after it is accepted by that same process, on the listener it holds;
 * once it exits, the next client starts it again.
 */
START_TEST(test_running_job_keeps_accepting)
{
	int first, again;

	add_job(path_entry("s", sock));
	start(_i);
	first = ask(sock);
	ck_assert_int_gt(first, 0);
	restart(_i);
	ck_assert_int_eq(ask(sock), first);
	ck_assert(!test_daemon_log_contains(&td, "a new one is opened"));
	ck_assert_int_eq(kill(first, SIGKILL), 0);
	ck_assert(test_daemon_wait_log(&td, _i ? "exited while not our child" :
				       "exited on signal 9", 15000));
	again = ask(sock);
	ck_assert_int_gt(again, 0);
	ck_assert_int_ne(again, first);
}
END_TEST

/*
 * Clients of a job that is not running connect while the daemon is down
 * (killed; the store holds the listeners): once it is back, they start
 * the job, which serves them.
 */
START_TEST(test_connection_while_down_served)
{
	char entries[1024];
	int port = free_port(), a, b, c;

	snprintf(entries, sizeof(entries), "%s", path_entry("a", sock));
	snprintf(entries + strlen(entries), sizeof(entries) - strlen(entries), "%s%s",
		 path_entry("b", moved), tcp_entry("tcp", port));
	add_job(entries);
	start(1);
	settle();
	fake_fdstore_kill(&store, &td);
	a = connect_to(sock);
	b = connect_to(moved);
	c = connect_tcp(port);
	ck_assert_msg(c >= 0, "connect to port %d: %s", port, strerror(-c));
	fake_fdstore_start(&store, &td);
	ck_assert_int_gt(read_pid(a), 0);
	ck_assert_int_gt(read_pid(b), 0);
	ck_assert_int_gt(read_pid(c), 0);
}
END_TEST

/* What `bsctl getenv @key` prints, without its newline (a static buffer). */
static const char *domain_env(const char *key)
{
	static struct bsctl_out out;

	ck_assert_int_eq(BSCTL_RUN(&out, "getenv", key), 0);
	out.out[strcspn(out.out, "\n")] = '\0';
	return out.out;
}

/* How many SecureSocketWithKey directories there are (TMPDIR is td.dir). */
static int secure_dirs(void)
{
	DIR *dir = opendir(td.dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(dir);
	while ((e = readdir(dir)))
		n += strncmp(e->d_name, "bootstrapd.", 11) == 0;
	closedir(dir);
	return n;
}

/*
 * A SecureSocketWithKey listener keeps its path: the variable names the
 * same path after the restart, a client of it starts the job, and no
 * second directory is made.
 */
START_TEST(test_secure_path_kept)
{
	char before[256];
	const char *after;

	add_job("<key>s</key><dict><key>SecureSocketWithKey</key><string>SECURE_SOCKET</string>"
		"</dict>");
	start(_i);
	snprintf(before, sizeof(before), "%s", domain_env("SECURE_SOCKET"));
	ck_assert_str_ne(before, "");
	restart(_i);
	after = domain_env("SECURE_SOCKET");
	ck_assert_str_eq(after, before);
	ck_assert_int_gt(ask(after), 0);
	ck_assert_int_eq(secure_dirs(), 1);
}
END_TEST

/* The Sockets entries of test_moved_gets_new_listener, in @out. */
static void moving_entries(char *out, size_t len, const char *path, int port, const char *type)
{
	char *retyped;

	ck_assert_int_gt(asprintf(&retyped, "%s/retyped", td.dir), 0);
	snprintf(out, len, "%s", path_entry("same", sock));
	snprintf(out + strlen(out), len - strlen(out), "%s", path_entry("moving", path));
	snprintf(out + strlen(out), len - strlen(out), "%s", tcp_entry("tcp", port));
	snprintf(out + strlen(out), len - strlen(out), "<key>retyped</key><dict><key>SockPathName"
		 "</key><string>%s</string><key>SockType</key><string>%s</string></dict>",
		 retyped, type);
	free(retyped);
}

/* The log says why the listener kept for Sockets @name was not used. */
static void ck_replaced(const char *name, const char *why)
{
	char *line;

	ck_assert_int_gt(asprintf(&line, "Sockets \"%s\": the listener kept across the restart "
				  "is %s", name, why), 0);
	ck_assert_msg(test_daemon_log_contains(&td, line), "not in the log: %s", line);
	free(line);
}

/*
 * The plist moved a socket to another path, another port, changed
 * another's type while the daemon was down: the listeners kept for them
 * are closed, saying why, and new ones made; the entry left as it was
 * keeps its listener.
 */
START_TEST(test_moved_gets_new_listener)
{
	char entries[2048], *other, *retyped;
	int port = free_port(), new_port = free_port(), fd;

	ck_assert_int_gt(asprintf(&other, "%s/other", td.dir), 0);
	ck_assert_int_gt(asprintf(&retyped, "%s/retyped", td.dir), 0);
	moving_entries(entries, sizeof(entries), other, port, "stream");
	add_job(entries);
	start(_i);
	settle();
	moving_entries(entries, sizeof(entries), moved, new_port, "seqpacket");
	add_job(entries);
	restart(_i);
	ck_replaced("moving", "bound to another path now");
	ck_replaced("tcp", "bound to another address now");
	ck_replaced("retyped", "of another type now");
	ck_assert(!test_daemon_log_contains(&td, "Sockets \"same\": the listener kept"));
	fd = test_connect_unix(other, SOCK_STREAM);
	ck_assert_msg(fd < 0, "the old path still listens");
	fd = connect_tcp(port);
	ck_assert_msg(fd < 0, "the old port still listens");
	ck_assert_int_gt(ask(moved), 0);
	ck_assert_int_gt(read_pid(connect_tcp(new_port)), 0);
	fd = test_connect_unix(retyped, SOCK_SEQPACKET);
	ck_assert_msg(fd >= 0, "connect %s: %s", retyped, strerror(-fd));
	ck_assert_int_gt(read_pid(fd), 0);
	ck_assert_int_gt(ask(sock), 0);
	free(other);
	free(retyped);
}
END_TEST

/*
 * The plist moved an IP entry to another address on the same port while
 * the daemon was down: the kept listener is refused, and the fd store lets
 * go of its copy at once, so that the new listener binds that port (it
 * used to hold it until the first save, and the job failed to load).
 */
START_TEST(test_readdressed_same_port)
{
	static struct bsctl_out out;
	int port = free_port();

	add_job(tcp_entry_at("tcp", "127.0.0.1", port));
	start(_i);
	settle();
	add_job(tcp_entry_at("tcp", "0.0.0.0", port));
	restart(_i);
	settle();
	ck_replaced("tcp", "bound to another address now");
	ck_assert_int_eq(BSCTL_RUN(&out, "list", JOB), 0);
	ck_assert_int_gt(read_pid(connect_tcp(port)), 0);
}
END_TEST

static Suite *listeners_suite(void)
{
	Suite *s = suite_create("restart-listeners");
	TCase *tc = tcase_create("listeners");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	/* _i: 0 across a re-exec, 1 across a SIGKILL and the fd store. */
	tcase_add_loop_test(tc, test_running_job_keeps_accepting, 0, 2);
	tcase_add_test(tc, test_connection_while_down_served);
	tcase_add_loop_test(tc, test_secure_path_kept, 0, 2);
	tcase_add_loop_test(tc, test_moved_gets_new_listener, 0, 2);
	tcase_add_loop_test(tc, test_readdressed_same_port, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(listeners_suite(), NULL, 0, argc, argv);
}
