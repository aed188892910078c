/* SPDX-License-Identifier: MIT */
/*
 * check-restart-kept - what a restart keeps besides ports and jobs, each
 * test run twice: across a re-exec (bsctl reexec) and across a SIGKILL
 * and a start from the fd store (a fake one speaking systemd's protocol).
 * A process's per-PID names stay its own, apart from the domain's names
 * of the same string; the domain's environment stays as it was: a value
 * set with bsctl setenv, and which job's SecureSocketWithKey path is
 * exported when two jobs share the key, and seen by a job started again
 * before the exporting job loads.  A registration's owner is watched
 * again only through a kept pidfd of that very process, and so is the
 * owner of a name a dynamic check-in made.  A state refused keeps nothing
 * open.
 */
#include <check.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>
#include <bootstrap_priv.h>

#include "helpers/bsctl-run.h"
#include "helpers/daemon.h"
#include "helpers/fake-fdstore.h"
#include "helpers/registrant.h"
#include "helpers/runner.h"
#include "helpers/state-edit.h"

#define SHARED "com.example.shared"
#define OWN "com.example.own"
#define GONE "com.example.gone"
#define DYNAMIC "com.example.dynamic"
#define TAKER "com.example.taker"
#define ENV_JOB "com.example.env"
#define SECURE_A "com.example.securea"
#define SECURE_B "com.example.secureb"
#define PUBLISHER "com.example.a"
#define CONSUMER "com.example.0consumer"      /* loads before PUBLISHER */

static struct test_daemon td;
static struct fake_fdstore store;
static int use_store;

static void setup(void)
{
	fake_fdstore_fixture_setup(&td, "restart-kept");
	/* SecureSocketWithKey directories, of every daemon image: removed with it. */
	setenv("TMPDIR", td.dir, 1);
}

static void teardown(void)
{
	fake_fdstore_fixture_teardown(&td, &store, &use_store);
}

/* Start the daemon; @from_store: under the fake fd store, for a restart by SIGKILL. */
static void start(int from_store)
{
	fake_fdstore_fixture_start(&td, &store, &use_store, from_store);
}

/*
 * Restart it as start() started it: re-exec, or SIGKILL and start again
 * from what the store kept.  The caller made a request after its last
 * change: the state was saved in an earlier turn of the daemon's loop.
 */
static void restart(int from_store)
{
	static struct bsctl_out out;

	if (!from_store) {
		ck_assert_int_eq(BSCTL_RUN(&out, "reexec"), 0);
		return;
	}
	fake_fdstore_kill(&store, &td);
	fake_fdstore_start(&store, &td);
}

static mach_port_t new_port(void)
{
	mach_port_t p;

	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p), 0);
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND), 0);
	return p;
}

/* The port @name names (per-PID for @pid if @pid is not 0), or MACH_PORT_NULL; @kr: the answer. */
static mach_port_t look_up(const char *name, pid_t pid, kern_return_t *kr)
{
	mach_port_t p = MACH_PORT_NULL;

	*kr = bootstrap_look_up2(bootstrap_port, name, &p, pid,
				 pid ? BOOTSTRAP_PER_PID_SERVICE : 0);
	return *kr == KERN_SUCCESS ? p : MACH_PORT_NULL;
}

/* A message sent to what @name resolves to (per-PID for @pid if not 0) arrives on @own. */
static void ck_resolves_to(const char *name, pid_t pid, mach_port_t own)
{
	struct {
		mach_msg_header_t head;
		char body[64];
		mach_msg_trailer_t trailer;
	} m;
	kern_return_t kr;

	memset(&m, 0, sizeof(m));
	m.head.msgh_remote_port = look_up(name, pid, &kr);
	ck_assert_msg(kr == KERN_SUCCESS, "%s%s: not found (%#x)", pid ? "per-PID " : "", name, kr);
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.head.msgh_size = sizeof(m.head) + sizeof(m.body);
	m.head.msgh_id = 4343;
	ck_assert_int_eq(mach_msg(&m.head, MACH_SEND_MSG, m.head.msgh_size, 0, MACH_PORT_NULL, 0,
				  MACH_PORT_NULL), 0);
	memset(&m, 0, sizeof(m));
	ck_assert_int_eq(mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), own,
				  10000, MACH_PORT_NULL), 0);
	ck_assert_int_eq(m.head.msgh_id, 4343);
}

/* A message of id 4343 sent to what @name resolves to: for another process to receive. */
static void ck_resolves_to_process(const char *name)
{
	mach_msg_header_t head = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
				   .msgh_size = sizeof(head), .msgh_id = 4343 };
	kern_return_t kr;

	head.msgh_remote_port = look_up(name, 0, &kr);
	ck_assert_msg(kr == KERN_SUCCESS, "%s: not found (%#x)", name, kr);
	ck_assert_int_eq(mach_msg(&head, MACH_SEND_MSG, head.msgh_size, 0, MACH_PORT_NULL, 0,
				  MACH_PORT_NULL), 0);
}

static void ck_unknown(const char *name, pid_t pid)
{
	kern_return_t kr;

	look_up(name, pid, &kr);
	ck_assert_msg(kr == BOOTSTRAP_UNKNOWN_SERVICE, "%s%s (pid %d): %#x", pid ? "per-PID " : "",
		      name, (int)pid, kr);
}

/*
 * One string registered both as the domain's name and as this process's
 * per-PID name (two ports), and a name registered per-PID only: after a
 * restart each resolves as before, the per-PID ones only through a
 * per-PID look-up naming this process.  Per-PID names used not to be
 * saved: they were gone after a restart.
 */
START_TEST(test_per_pid_names_kept)
{
	mach_port_t plain = new_port(), mine = new_port(), only_mine = new_port();
	kern_return_t kr;

	start(_i);
	ck_assert_int_eq(bootstrap_register(bootstrap_port, SHARED, plain), KERN_SUCCESS);
	ck_assert_int_eq(bootstrap_register2(bootstrap_port, SHARED, mine,
					     BOOTSTRAP_PER_PID_SERVICE), KERN_SUCCESS);
	ck_assert_int_eq(bootstrap_register2(bootstrap_port, OWN, only_mine,
					     BOOTSTRAP_PER_PID_SERVICE), KERN_SUCCESS);
	look_up(SHARED, 0, &kr);        /* a later turn of its loop: all of the above is saved */
	restart(_i);
	ck_resolves_to(SHARED, 0, plain);
	ck_resolves_to(SHARED, getpid(), mine);
	ck_resolves_to(OWN, getpid(), only_mine);
	ck_unknown(OWN, 0);                     /* not one of the domain's names */
	ck_unknown(SHARED, td.pid);             /* another process's per-PID name */
	ck_assert(!test_daemon_log_contains(&td, "dropped"));
}
END_TEST

/* A per-PID name kept across a restart still goes when its process exits. */
START_TEST(test_per_pid_name_goes_with_its_process)
{
	mach_port_t taker, port;
	kern_return_t kr;
	pid_t child;
	int go;

	start(_i);
	ck_assert_int_eq(bootstrap_check_in(bootstrap_port, TAKER, &taker), BOOTSTRAP_SUCCESS);
	child = registrant_start(GONE, TAKER, &go);     /* plainly and per-PID */
	port = registrant_take(taker);
	look_up(GONE, 0, &kr);
	restart(_i);
	ck_resolves_to(GONE, child, port);
	ck_unknown(GONE, getpid());
	registrant_end(child, go);
	ck_assert_int_eq(look_up_until_gone(GONE, child, BOOTSTRAP_PER_PID_SERVICE),
			 BOOTSTRAP_UNKNOWN_SERVICE);
	ck_assert_int_eq(look_up_until_gone(GONE, 0, 0), BOOTSTRAP_UNKNOWN_SERVICE);
	mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
}
END_TEST

/*
 * A child that checks @name in (a name no job declares: made for it),
 * keeps the receive right, writes 'k' to @out, then the id of the first
 * message the port receives (within 20 s), lets the right go and writes
 * the answer to checking @name in again, and exits once *@go is closed.
 */
static pid_t dynamic_start(const char *name, int *out, int *go)
{
	int res[2], gp[2];
	pid_t child;

	ck_assert_int_eq(pipe2(res, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(gp, O_CLOEXEC), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		struct {
			mach_msg_header_t head;
			char body[64];
			mach_msg_trailer_t trailer;
		} m;
		mach_port_t p;
		char c;

		close(res[0]);
		close(gp[1]);
		if (bootstrap_check_in(bootstrap_port, name, &p) != KERN_SUCCESS ||
		    write(res[1], "k", 1) != 1)
			_exit(1);
		memset(&m, 0, sizeof(m));
		if (mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), p, 20000,
			     MACH_PORT_NULL) != MACH_MSG_SUCCESS ||
		    write(res[1], &m.head.msgh_id, sizeof(m.head.msgh_id)) < 0)
			_exit(1);
		/* Let the right go and check the name in again. */
		mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1);
		m.head.msgh_id = bootstrap_check_in(bootstrap_port, name, &p);
		if (write(res[1], &m.head.msgh_id, sizeof(m.head.msgh_id)) < 0)
			_exit(1);
		_exit(read(gp[0], &c, 1) == 0 ? 0 : 1);
	}
	close(res[1]);
	close(gp[0]);
	*out = res[0];
	*go = gp[1];
	return child;
}

/*
 * A name made by a dynamic check-in is kept across a restart: a look-up
 * afterwards reaches the port its process holds, the process may let it
 * go and check it in again, and the name still goes when that process
 * exits.  It used to be gone after a restart.
 */
START_TEST(test_dynamic_name_kept_until_its_process_exits)
{
	struct pollfd pfd;
	mach_msg_id_t id = 0;
	kern_return_t kr;
	char c = 0;
	pid_t child;
	int out, go;

	start(_i);
	child = dynamic_start(DYNAMIC, &out, &go);
	ck_assert_int_eq(read(out, &c, 1), 1);
	ck_assert_int_eq(c, 'k');
	look_up(DYNAMIC, 0, &kr);       /* a later turn of its loop: the check-in is saved */
	ck_assert_int_eq(kr, KERN_SUCCESS);
	restart(_i);
	look_up(DYNAMIC, 0, &kr);
	ck_assert_msg(kr == KERN_SUCCESS, "%s not found after the restart (%#x)", DYNAMIC, kr);
	ck_resolves_to_process(DYNAMIC);
	pfd = (struct pollfd){ .fd = out, .events = POLLIN };
	ck_assert_int_eq(poll(&pfd, 1, 10000), 1);
	ck_assert_int_eq(read(out, &id, sizeof(id)), (ssize_t)sizeof(id));
	ck_assert_int_eq(id, 4343);
	ck_assert_int_eq(read(out, &id, sizeof(id)), (ssize_t)sizeof(id));
	ck_assert_msg(id == KERN_SUCCESS, "let go after the restart, checked in again: %#x", id);
	close(out);
	registrant_end(child, go);
	ck_assert_int_eq(look_up_until_gone(DYNAMIC, 0, 0), BOOTSTRAP_UNKNOWN_SERVICE);
	ck_assert(!test_daemon_log_contains(&td, "dropped"));
}
END_TEST

/* The first line of @path once it is there (10 s at most; a static buffer), or "". */
static const char *wait_line(const char *path)
{
	static char line[512];
	FILE *f = NULL;

	line[0] = '\0';
	for (int i = 0; i < 1000 && !(f = fopen(path, "r")); i++)
		test_pause_ms(10);
	if (f && !fgets(line, sizeof(line), f))
		line[0] = '\0';
	if (f)
		fclose(f);
	return line;
}

/* What `bsctl getenv @key` prints, without its newline (a static buffer). */
static const char *domain_env(const char *key)
{
	static struct bsctl_out out;

	ck_assert_int_eq(BSCTL_RUN(&out, "getenv", key), 0);
	out.out[strcspn(out.out, "\n")] = '\0';
	return out.out;
}

/* A job that never runs by itself, with a SecureSocketWithKey socket @name under @key. */
static void add_secure_job(const char *label, const char *name, const char *key)
{
	char *body;

	ck_assert_int_gt(asprintf(&body, "<key>Program</key><string>/bin/true</string>\n"
		"<key>Sockets</key><dict><key>%s</key><dict><key>SecureSocketWithKey</key>"
		"<string>%s</string></dict></dict>\n", name, key), 0);
	test_daemon_add_job(&td, label, body);
	free(body);
}

/* A job writing "FOO=...|BAR=..." of its environment to the file it returns (free it). */
static char *add_env_job(const char *label, const char *extra)
{
	char *seen, *body;

	ck_assert_int_gt(asprintf(&seen, "%s/%s.seen", td.dir, label), 0);
	ck_assert_int_gt(asprintf(&body,
		"<key>ProgramArguments</key><array><string>/bin/sh</string><string>-c</string>"
		"<string>echo \"FOO=$FOO|BAR=$BAR\" &gt; %s.tmp &amp;&amp; mv %s.tmp %s</string>"
		"</array>\n%s", seen, seen, seen, extra), 0);
	test_daemon_add_job(&td, label, body);
	free(body);
	return seen;
}

/*
 * A value set with bsctl setenv is the domain's after a restart, and a job
 * started after it gets it, also one started while the jobs are loaded.
 * It wins over a job's SecureSocketWithKey path of the same key, as it did
 * before the restart: the environment is back before the jobs publish
 * theirs.  The environment used to be lost.
 */
START_TEST(test_setenv_kept)
{
	static struct bsctl_out out;
	char *seen = add_env_job(ENV_JOB, ""), *at_load;

	add_secure_job(SECURE_A, "a", "BAR");
	start(_i);
	ck_assert_str_ne(domain_env("BAR"), "");        /* the job's path, at first */
	ck_assert_int_eq(BSCTL_RUN(&out, "setenv", "FOO", "set by hand"), 0);
	ck_assert_int_eq(BSCTL_RUN(&out, "setenv", "BAR", "by hand too"), 0);
	ck_assert_str_eq(domain_env("FOO"), "set by hand");
	/* New to the restarted daemon, which starts it as it loads it. */
	at_load = add_env_job(ENV_JOB ".atload", "<key>RunAtLoad</key><true/>\n");
	restart(_i);
	ck_assert_str_eq(wait_line(at_load), "FOO=set by hand|BAR=by hand too\n");
	ck_assert_str_eq(domain_env("FOO"), "set by hand");
	ck_assert_str_eq(domain_env("BAR"), "by hand too");
	ck_assert_int_eq(BSCTL_RUN(&out, "start", ENV_JOB), 0);
	ck_assert_str_eq(wait_line(seen), "FOO=set by hand|BAR=by hand too\n");
	free(at_load);
	free(seen);
}
END_TEST

/*
 * Two jobs share a SecureSocketWithKey key; the one loaded first exports
 * its path.  Once it is unloaded the other's is exported, and stays so
 * when the first is loaded again.  After a restart the same job's path is
 * exported (its listener kept, at the same path), though the first one
 * loads first again: it used to take the variable back.
 */
START_TEST(test_secure_socket_exporter_kept)
{
	static struct bsctl_out out;
	char *path_a, before[256];
	const char *now;

	add_secure_job(SECURE_A, "a", "SECURE_SOCKET");
	add_secure_job(SECURE_B, "b", "SECURE_SOCKET");
	ck_assert_int_gt(asprintf(&path_a, "%s/" SECURE_A ".plist", td.jobs), 0);
	start(_i);
	ck_assert_str_eq(strrchr(domain_env("SECURE_SOCKET"), '/'), "/a");
	ck_assert_int_eq(BSCTL_RUN(&out, "unload", SECURE_A), 0);
	ck_assert_str_eq(strrchr(domain_env("SECURE_SOCKET"), '/'), "/b");
	ck_assert_msg(BSCTL_RUN(&out, "load", path_a) == 0, "bsctl load: %s", out.err);
	snprintf(before, sizeof(before), "%s", domain_env("SECURE_SOCKET"));
	ck_assert_str_eq(strrchr(before, '/'), "/b");
	restart(_i);
	now = domain_env("SECURE_SOCKET");
	ck_assert_msg(strrchr(now, '/') && strcmp(strrchr(now, '/'), "/b") == 0,
		      "SECURE_SOCKET=%s", now);
	/* The listener kept, at its path. */
	ck_assert_str_eq(now, before);
	ck_assert_int_eq(access(now, F_OK), 0);
	free(path_a);
}
END_TEST

static int32_t owner_pidfd_id;

static void find_owner_pidfd(struct state *st)
{
	for (size_t i = 0; i < st->n_services; i++)
		if (strcmp(st->services[i].name, OWN) == 0)
			owner_pidfd_id = st->services[i].owner_pidfd_id;
}

/*
 * A registration's owner is watched after a restart from the store only
 * through a kept pidfd that is one, of that process: in its place, an
 * eventfd, then a pidfd of another process, drop the name with why.  Both
 * were watched as the owner's: the name outlived it, or went with the
 * other process.
 */
START_TEST(test_kept_owner_pidfd_checked)
{
	const char *why = _i == 0 ? "dropped: its kept pidfd is not a pidfd" :
				    "dropped: its kept pidfd names another process";
	mach_port_t own = new_port();
	kern_return_t kr;
	char name[32];
	pid_t other;

	start(1);
	ck_assert_int_eq(bootstrap_register(bootstrap_port, OWN, own), KERN_SUCCESS);
	ck_resolves_to(OWN, 0, own);    /* a later turn of its loop: the name is saved */
	fake_fdstore_kill(&store, &td);
	owner_pidfd_id = -1;
	state_edit(&store, find_owner_pidfd);
	ck_assert_int_ge(owner_pidfd_id, 3);
	snprintf(name, sizeof(name), "fd%d", (int)owner_pidfd_id);
	other = fork();
	ck_assert_int_ge(other, 0);
	if (other == 0) {
		pause();
		_exit(0);
	}
	fake_fdstore_replace(&store, name, _i == 0 ? eventfd(0, EFD_CLOEXEC) :
				(int)syscall(SYS_pidfd_open, other, 0));
	fake_fdstore_start(&store, &td);
	look_up(OWN, 0, &kr);
	ck_assert_int_eq(kr, BOOTSTRAP_UNKNOWN_SERVICE);
	ck_assert_msg(test_daemon_log_contains(&td, why), "no \"%s\" in the log", why);
	kill(other, SIGKILL);
	waitpid(other, NULL, 0);
	mach_port_mod_refs(mach_task_self(), own, MACH_PORT_RIGHT_RECEIVE, -1);
}
END_TEST

/*
 * A state refused after a re-exec leaves none of the fds the daemon
 * before kept for it open: the write end of a pipe it inherited, as it
 * would a port, is closed before the daemon is ready (a port held so
 * would never die for its senders).  They stayed open, FD_CLOEXEC clear.
 */
START_TEST(test_refused_state_closes_what_it_kept)
{
	int p[2], state = memfd_create("bootstrapd-state", 0);
	struct pollfd pfd;
	char env[16];

	ck_assert_int_ge(state, 3);
	ck_assert_int_eq(write(state, "BSDSTATE", 8), 8);       /* shorter than a header */
	ck_assert_int_eq(pipe(p), 0);
	snprintf(env, sizeof(env), "%d", state);
	setenv("BOOTSTRAPD_STATE_FD", env, 1);
	start(0);
	unsetenv("BOOTSTRAPD_STATE_FD");
	close(state);
	close(p[1]);
	ck_assert(test_daemon_log_contains(&td, "the saved state was refused"));
	pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	ck_assert_int_eq(poll(&pfd, 1, 0), 1);
	ck_assert(pfd.revents & POLLHUP);
	close(p[0]);
}
END_TEST

/*
 * Unload @label, and wait (10 s at most) until its process @pid is gone:
 * it runs in its own session, which nothing else ends.
 */
static void stop_job(const char *label, pid_t pid)
{
	static struct bsctl_out out;

	ck_assert_int_eq(BSCTL_RUN(&out, "unload", label), 0);
	for (int i = 0; i < 1000 && pid > 0 && kill(pid, 0) == 0; i++)
		test_pause_ms(10);
}

/*
 * A KeepAlive job that exited while the daemon was down, loaded before
 * the job publishing a SecureSocketWithKey variable, is started again
 * during the restart: it finds the variable set, as the daemon publishes
 * every kept one before it starts any job.  It used to be started before
 * the publishing job loaded, without it.
 */
START_TEST(test_respawn_sees_published_env)
{
	char *seen, *pidfile, *go, *body, want[512], line[512];
	pid_t pid;

	ck_assert_int_gt(asprintf(&seen, "%s/seen", td.dir), 0);
	ck_assert_int_gt(asprintf(&pidfile, "%s/pid", td.dir), 0);
	ck_assert_int_gt(asprintf(&go, "%s/go", td.dir), 0);
	/* Each run says what it saw, then exits (nonzero) once told to. */
	ck_assert_int_gt(asprintf(&body,
		"<key>ProgramArguments</key><array><string>/bin/sh</string><string>-c</string>"
		"<string>echo \"K=$K\" &gt; %s.tmp &amp;&amp; mv %s.tmp %s; echo $$ &gt; %s.tmp "
		"&amp;&amp; mv %s.tmp %s; until [ -e %s ]; do sleep 0.05; done; rm -f %s; exit 3"
		"</string></array>\n<key>KeepAlive</key><true/>\n"
		"<key>ThrottleInterval</key><integer>0</integer>\n",
		seen, seen, seen, pidfile, pidfile, pidfile, go, go), 0);
	test_daemon_add_job(&td, CONSUMER, body);
	add_secure_job(PUBLISHER, "a", "K");
	start(1);
	snprintf(want, sizeof(want), "K=%s\n", domain_env("K"));
	ck_assert_str_ne(want, "K=\n");
	ck_assert_str_ne(wait_line(pidfile), "");
	pid = atoi(wait_line(pidfile));
	ck_assert_int_eq(unlink(seen), 0);
	ck_assert_int_eq(unlink(pidfile), 0);
	fake_fdstore_kill(&store, &td);
	close(open(go, O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);  /* ours while the daemon is down */
	fake_fdstore_start(&store, &td);
	snprintf(line, sizeof(line), "%s", wait_line(seen));
	stop_job(CONSUMER, atoi(wait_line(pidfile)));
	ck_assert_str_eq(line, want);
	free(body);
	free(go);
	free(pidfile);
	free(seen);
}
END_TEST

static Suite *kept_suite(void)
{
	Suite *s = suite_create("restart-kept");
	TCase *tc = tcase_create("kept");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	/* _i: 0 across a re-exec, 1 across a SIGKILL and the fd store. */
	tcase_add_loop_test(tc, test_per_pid_names_kept, 0, 2);
	tcase_add_loop_test(tc, test_per_pid_name_goes_with_its_process, 0, 2);
	tcase_add_loop_test(tc, test_setenv_kept, 0, 2);
	tcase_add_loop_test(tc, test_secure_socket_exporter_kept, 0, 2);
	tcase_add_loop_test(tc, test_kept_owner_pidfd_checked, 0, 2);
	tcase_add_loop_test(tc, test_dynamic_name_kept_until_its_process_exits, 0, 2);
	tcase_add_test(tc, test_refused_state_closes_what_it_kept);
	tcase_add_test(tc, test_respawn_sees_published_env);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(kept_suite(), NULL, 0, argc, argv);
}
