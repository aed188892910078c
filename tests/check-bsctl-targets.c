/* SPDX-License-Identifier: MIT */
/*
 * check-bsctl-targets - launchctl 2's addressing against real daemons:
 * domain targets (system, user/UID, gui/UID) and service targets
 * (DOMAIN/LABEL) for each verb, bootstrap and bootout, print of a domain,
 * print-disabled, setenv/unsetenv/getenv seen by the jobs started after,
 * and refusals to another user (as root only: the suite exits 77 after the
 * rest passed when it cannot run that part).
 *
 * The daemons listen where bsctl looks for a domain, under a private
 * $BOOTSTRAPD_RUN_DIR: RUN/user/UID/bootstrapd/socket for a user's,
 * RUN/bootstrapd/socket for the system's.  $BOOTSTRAP_SOCKET and
 * $XDG_RUNTIME_DIR are unset, so nothing but the target leads bsctl there.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "helpers/bsctl-run.h"
#include "helpers/daemon.h"
#include "helpers/tmpdir.h"

#define LABEL_A "org.test.targets.a"
#define LABEL_B "org.test.targets.b"
#define SLEEP "<key>ProgramArguments</key><array><string>/bin/sleep</string>" \
	      "<string>30</string></array>\n"
#define NOBODY 65534

static struct test_daemon td;   /* the test user's domain */
static struct test_daemon sys;  /* the system domain, when a test starts it */
static struct bsctl_out r;
static char *run;               /* $BOOTSTRAPD_RUN_DIR */
static char *extra;             /* plists outside the daemon's --jobs dir */
static char user_domain[32];    /* "user/UID" of the test's uid */

#define BSCTL(...) BSCTL_RUN(&r, __VA_ARGS__)
#define AS_NOBODY(...) bsctl_run(&r, NOBODY, (const char *const[]){ __VA_ARGS__, NULL })

/* @domain/@label, in a static buffer (one of four, for use in one call). */
static const char *svc(const char *domain, const char *label)
{
	static char bufs[4][256];
	static int n;
	char *b = bufs[n++ % 4];

	snprintf(b, sizeof(bufs[0]), "%s/%s", domain, label);
	return b;
}

/* mkdir -p @path, each new directory 0711 (others may pass, not list). */
static void make_dirs(const char *path)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		ck_assert(mkdir(buf, 0711) == 0 || errno == EEXIST);
		*p = '/';
	}
	ck_assert(mkdir(buf, 0711) == 0 || errno == EEXIST);
}

/* Listen on @sock instead of the fixture's: its directories made first. */
static void listen_at(struct test_daemon *d, const char *sock)
{
	char *dir = strdup(sock);

	ck_assert_ptr_nonnull(dir);
	*strrchr(dir, '/') = '\0';
	make_dirs(dir);
	free(dir);
	free(d->socket);
	d->socket = strdup(sock);
	ck_assert_ptr_nonnull(d->socket);
}

static void setup(void)
{
	char *sock;

	test_daemon_init(&td, "bsctl-targets");
	ck_assert_int_eq(chmod(td.dir, 0711), 0);
	ck_assert_int_gt(asprintf(&run, "%s/run", td.dir), 0);
	ck_assert_int_gt(asprintf(&extra, "%s/extra", td.dir), 0);
	ck_assert_int_eq(mkdir(extra, 0755), 0);
	ck_assert_int_gt(asprintf(&sock, "%s/user/%u/bootstrapd/socket", run,
				  (unsigned int)getuid()), 0);
	listen_at(&td, sock);
	free(sock);
	snprintf(user_domain, sizeof(user_domain), "user/%u", (unsigned int)getuid());
	setenv("BOOTSTRAPD_RUN_DIR", run, 1);
	unsetenv("BOOTSTRAP_SOCKET");
	unsetenv("XDG_RUNTIME_DIR");
	memset(&sys, 0, sizeof(sys));
}

static void teardown(void)
{
	if (sys.dir)
		test_daemon_stop(&sys);
	test_daemon_stop(&td);
	free(run);
	free(extra);
	run = extra = NULL;
}

/* Poll `bsctl print TARGET` (bounded: 10 s) until its output has @want. */
static int print_until(const char *target, const char *want)
{
	return bsctl_until(&r, (const char *const[]){ "print", target, NULL }, want, true);
}

/* Poll (bounded: 10 s) until the daemon's log has @text. */
static int log_until(const char *text)
{
	for (int i = 0; i < 500; i++) {
		if (test_daemon_log_contains(&td, text))
			return 1;
		test_pause_ms(20);
	}
	return 0;
}

/* Wait (bounded: 10 s) for @path to hold a whole line; Return: it (static). */
static const char *file_line(const char *path)
{
	static char line[1024];

	for (int i = 0; i < 500; i++) {
		FILE *f = fopen(path, "r");
		bool whole = false;

		if (f) {
			whole = fgets(line, sizeof(line), f) && strchr(line, '\n');
			fclose(f);
		}
		if (whole)
			return line;
		test_pause_ms(20);
	}
	ck_abort_msg("%s was never written", path);
	return NULL;
}

/* Every verb that takes a job, with user/UID/LABEL and gui/UID/LABEL. */
START_TEST(test_service_targets)
{
	char gui_domain[32];

	snprintf(gui_domain, sizeof(gui_domain), "gui/%u", (unsigned int)getuid());
	test_daemon_add_job(&td, LABEL_A, SLEEP);
	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL("print", svc(user_domain, LABEL_A)), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "state = waiting"));
	ck_assert_int_eq(BSCTL("print", svc(gui_domain, LABEL_A)), 0);
	ck_assert_int_eq(BSCTL("list", svc(user_domain, LABEL_A)), 0);
	ck_assert_int_eq(BSCTL("kickstart", svc(user_domain, LABEL_A)), 0);
	ck_assert_int_eq(BSCTL("print", svc(user_domain, LABEL_A)), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "state = running"));
	ck_assert_int_eq(BSCTL("blame", svc(gui_domain, LABEL_A)), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "bsctl start or kickstart"));
	ck_assert_int_eq(BSCTL("kill", "USR1", svc(gui_domain, LABEL_A)), 0);
	ck_assert(print_until(svc(user_domain, LABEL_A), "last exit signal = 10"));
	ck_assert_int_eq(BSCTL("kickstart", "-k", svc(user_domain, LABEL_A)), 0);
	ck_assert_int_eq(BSCTL("stop", svc(user_domain, LABEL_A)), 0);
	ck_assert(print_until(svc(user_domain, LABEL_A), "last exit signal = 15"));
	ck_assert_int_eq(BSCTL("start", svc(user_domain, LABEL_A)), 0);
	ck_assert_int_eq(BSCTL("disable", svc(user_domain, LABEL_A)), 0);
	ck_assert_int_eq(BSCTL("enable", svc(gui_domain, "org.test.targets.other")), 0);
	ck_assert_int_eq(BSCTL("print-disabled", user_domain), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "\t\"" LABEL_A "\" => disabled\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "\t\"org.test.targets.other\" => enabled\n"));
	ck_assert_int_eq(BSCTL("print", svc(user_domain, "org.test.nope")), 4);
	ck_assert_int_eq(BSCTL("kickstart", svc(user_domain, "org.test.nope")), 4);

	/*
	 * The legacy spellings still reach the default domain, and without
	 * $BOOTSTRAPD_RUN_DIR, so does the caller's own user/UID: where its
	 * clients find it, $BOOTSTRAP_SOCKET here.
	 */
	setenv("BOOTSTRAP_SOCKET", td.socket, 1);
	ck_assert_int_eq(BSCTL("print", LABEL_A), 0);
	ck_assert_int_eq(BSCTL("stop", LABEL_A), 0);
	unsetenv("BOOTSTRAPD_RUN_DIR");
	ck_assert_int_eq(BSCTL("blame", svc(gui_domain, LABEL_A)), 0);
	setenv("BOOTSTRAPD_RUN_DIR", run, 1);
	unsetenv("BOOTSTRAP_SOCKET");
}
END_TEST

/* kickstart -p prints the pid; -kp that of the process started after the kill. */
START_TEST(test_kickstart_pid)
{
	char want[64];
	long pid;

	test_daemon_add_job(&td, LABEL_A, SLEEP);
	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL("kickstart", "-p", svc(user_domain, LABEL_A)), 0);
	pid = atol(r.out);
	ck_assert_int_gt(pid, 0);
	snprintf(want, sizeof(want), "\tpid = %ld\n", pid);
	ck_assert_int_eq(BSCTL("print", svc(user_domain, LABEL_A)), 0);
	ck_assert_ptr_nonnull(strstr(r.out, want));
	ck_assert_int_eq(BSCTL("kickstart", "-p", svc(user_domain, LABEL_A)), 0);
	ck_assert_int_eq(atol(r.out), pid);                    /* already running */
	ck_assert_int_eq(BSCTL("kickstart", "-kp", svc(user_domain, LABEL_A)), 0);
	ck_assert_int_gt(atol(r.out), 0);
	ck_assert_int_ne(atol(r.out), pid);                    /* killed, started again */
	ck_assert_int_eq(BSCTL("kickstart", "-x", svc(user_domain, LABEL_A)), 2);
}
END_TEST

/* Targets that cannot be, and a daemon serving another domain than named. */
START_TEST(test_bad_targets)
{
	char other[64], want[4200];

	test_daemon_add_job(&td, LABEL_A, SLEEP);
	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL("print", "pid/1"), 2);
	ck_assert_ptr_nonnull(strstr(r.err, "no such domain here"));
	ck_assert_int_eq(BSCTL("print", "user/alice/x"), 2);
	ck_assert_ptr_nonnull(strstr(r.err, "numeric uid"));
	ck_assert_int_eq(BSCTL("kickstart", user_domain), 2);   /* a domain, not a job */
	ck_assert_ptr_nonnull(strstr(r.err, "is a domain"));
	ck_assert_int_eq(BSCTL("bootstrap", svc(user_domain, LABEL_A), extra), 2);
	ck_assert_int_eq(BSCTL("bootout", "org.test.x"), 2);

	/* Nobody listens for the system domain here: bsctl says where it looked. */
	ck_assert_int_eq(BSCTL("print", svc("system", LABEL_A)), 3);
	snprintf(want, sizeof(want), "%s/bootstrapd/socket", run);
	ck_assert_msg(strstr(r.err, want), "%s", r.err);
	snprintf(other, sizeof(other), "user/%u", (unsigned int)getuid() + 1);
	ck_assert_int_eq(BSCTL("print", other), 3);

	/* --socket wins, but the daemon checks the domain named. */
	ck_assert_int_eq(BSCTL("--socket", td.socket, "print", "system"), 1);
	ck_assert_msg(strstr(r.err, "serves user/") && strstr(r.err, "not system"), "%s", r.err);
	ck_assert_int_eq(BSCTL("--socket", td.socket, "kickstart", svc(other, LABEL_A)), 1);
	ck_assert(log_until("asked for user/"));
	ck_assert_int_eq(BSCTL("print", svc(user_domain, LABEL_A)), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "runs = 0"));
	ck_assert_int_eq(BSCTL("--socket", td.socket, "print", user_domain), 0);
	ck_assert_int_eq(BSCTL("version"), 0);
	ck_assert(strncmp(r.out, "bsctl ", 6) == 0);
}
END_TEST

/* print DOMAIN: launchctl's layout, for user/UID and gui/UID alike. */
START_TEST(test_print_domain)
{
	char head[64], gui_domain[32];

	test_daemon_add_job(&td, LABEL_A, SLEEP "<key>RunAtLoad</key><true/>\n"
			    "<key>MachServices</key><dict><key>" LABEL_A ".port</key><true/></dict>\n");
	test_daemon_add_job(&td, LABEL_B, SLEEP);
	test_daemon_start(&td);
	ck_assert(print_until(svc(user_domain, LABEL_A), "state = running"));
	ck_assert_int_eq(BSCTL("disable", svc(user_domain, "org.test.targets.off")), 0);
	ck_assert_int_eq(BSCTL("setenv", user_domain, "TARGETS_TEST", "yes"), 0);
	snprintf(gui_domain, sizeof(gui_domain), "gui/%u", (unsigned int)getuid());
	ck_assert_int_eq(BSCTL("print", gui_domain), 0);
	snprintf(head, sizeof(head), "%s = {\n\ttype = user\n\thandle = %u\n", user_domain,
		 (unsigned int)getuid());
	ck_assert_msg(strncmp(r.out, head, strlen(head)) == 0, "%s", r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "\tservice count = 2\n\tactive service count = 1\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "\tenvironment = {\n\t\tTARGETS_TEST => yes\n\t}\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "      - \t" LABEL_A "\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "\t\t       0      - \t" LABEL_B "\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "\tendpoints = {\n\t\t    M   D   " LABEL_A ".port\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "\tdisabled services = {\n"
					    "\t\t\"org.test.targets.off\" => disabled\n\t}\n}\n"));
	ck_assert_int_eq(BSCTL("print", "--json", user_domain), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "\"environment\": {\"TARGETS_TEST\": \"yes\"}"));
	ck_assert_ptr_nonnull(strstr(r.out, "\"org.test.targets.off\": \"disabled\""));
}
END_TEST

/* print-disabled: launchctl's format, sorted; legacy enable/disable feed it too. */
START_TEST(test_print_disabled)
{
	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL("print-disabled", user_domain), 0);
	ck_assert_str_eq(r.out, "disabled services = {\n}\n");
	ck_assert_int_eq(BSCTL("disable", svc(user_domain, "org.test.z")), 0);
	ck_assert_int_eq(BSCTL("enable", svc(user_domain, "org.test.m")), 0);
	setenv("BOOTSTRAP_SOCKET", td.socket, 1);
	ck_assert_int_eq(BSCTL("disable", "org.test.a"), 0);
	ck_assert_int_eq(BSCTL("print-disabled"), 0);      /* the default domain */
	unsetenv("BOOTSTRAP_SOCKET");
	ck_assert_str_eq(r.out, "disabled services = {\n"
				"\t\"org.test.a\" => disabled\n"
				"\t\"org.test.m\" => enabled\n"
				"\t\"org.test.z\" => disabled\n"
				"}\n");
	ck_assert_int_eq(BSCTL("--json", "print-disabled", user_domain), 0);
	ck_assert_str_eq(r.out, "{\n  \"org.test.a\": \"disabled\",\n  \"org.test.m\": \"enabled\","
				"\n  \"org.test.z\": \"disabled\"\n}\n");
	ck_assert_int_eq(BSCTL("print-disabled", svc(user_domain, "x")), 2);
}
END_TEST

/* A job that writes "FOO=...|BAR=..." of its environment to @out, then sleeps. */
static void add_env_job(const char *label, const char *out, const char *keys)
{
	char *body;

	ck_assert_int_gt(asprintf(&body,
		"<key>ProgramArguments</key><array><string>/bin/sh</string><string>-c</string>"
		"<string>echo \"FOO=$FOO|BAR=$BAR\" &gt; %s.tmp &amp;&amp; mv %s.tmp %s &amp;&amp; "
		"exec sleep 30</string></array>\n%s", out, out, out, keys), 0);
	test_daemon_add_job(&td, label, body);
	free(body);
}

/*
 * setenv reaches the jobs started after it, not one already running; the
 * plist's EnvironmentVariables wins; unsetenv takes it back; getenv reads.
 */
START_TEST(test_setenv)
{
	char *early, *late;

	ck_assert_int_gt(asprintf(&early, "%s/early", td.dir), 0);
	ck_assert_int_gt(asprintf(&late, "%s/late", td.dir), 0);
	add_env_job(LABEL_A, early, "<key>RunAtLoad</key><true/>\n");
	add_env_job(LABEL_B, late, "<key>EnvironmentVariables</key><dict>"
		    "<key>BAR</key><string>plist</string></dict>\n");
	test_daemon_start(&td);
	ck_assert_str_eq(file_line(early), "FOO=|BAR=\n");
	ck_assert_int_eq(BSCTL("setenv", user_domain, "FOO", "domain foo"), 0);
	setenv("BOOTSTRAP_SOCKET", td.socket, 1);                       /* the default domain */
	ck_assert_int_eq(BSCTL("setenv", "BAR", "domain bar"), 0);
	unsetenv("BOOTSTRAP_SOCKET");
	ck_assert_int_eq(BSCTL("getenv", user_domain, "FOO"), 0);
	ck_assert_str_eq(r.out, "domain foo\n");
	ck_assert_int_eq(BSCTL("kickstart", svc(user_domain, LABEL_B)), 0);
	ck_assert_str_eq(file_line(late), "FOO=domain foo|BAR=plist\n");
	ck_assert_int_eq(BSCTL("print", svc(user_domain, LABEL_A)), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "runs = 1\n"));     /* still the first run */
	ck_assert_str_eq(file_line(early), "FOO=|BAR=\n");

	/* The one already running gets it only when it starts again. */
	ck_assert_int_eq(unlink(early), 0);
	ck_assert_int_eq(BSCTL("kickstart", "-k", svc(user_domain, LABEL_A)), 0);
	ck_assert_str_eq(file_line(early), "FOO=domain foo|BAR=domain bar\n");

	ck_assert_int_eq(BSCTL("unsetenv", user_domain, "FOO"), 0);
	ck_assert_int_eq(BSCTL("getenv", user_domain, "FOO"), 0);  /* not set: nothing */
	ck_assert_str_eq(r.out, "");
	ck_assert_int_eq(BSCTL("unsetenv", user_domain, "FOO"), 0); /* not set: no error */
	ck_assert_int_eq(unlink(late), 0);
	ck_assert_int_eq(BSCTL("kickstart", "-k", svc(user_domain, LABEL_B)), 0);
	ck_assert_str_eq(file_line(late), "FOO=|BAR=plist\n");

	ck_assert_int_eq(BSCTL("setenv", user_domain, "A=B", "x"), 2);
	ck_assert_int_eq(BSCTL("setenv", user_domain, "A B", "x"), 1);
	ck_assert_ptr_nonnull(strstr(r.err, "control characters"));
	ck_assert_int_eq(BSCTL("setenv", "pid/1", "A", "x"), 2);
	ck_assert_int_eq(BSCTL("getenv"), 2);
	free(early);
	free(late);
}
END_TEST

/* bootstrap DOMAIN PATH..., bootout DOMAIN PATH|LABEL, DOMAIN/LABEL, DOMAIN. */
START_TEST(test_bootstrap_bootout)
{
	char *a = bsctl_write_job(extra, "a.plist", LABEL_A, SLEEP "<key>RunAtLoad</key><true/>\n");
	char *b = bsctl_write_job(extra, "b.plist", LABEL_B, SLEEP);
	char *off_dir, *off;

	ck_assert_int_gt(asprintf(&off_dir, "%s/off", td.dir), 0);
	ck_assert_int_eq(mkdir(off_dir, 0755), 0);
	off = bsctl_write_job(off_dir, "off.plist", "org.test.targets.off",
			SLEEP "<key>Disabled</key><true/>\n");
	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL("bootstrap", user_domain, a), 0);
	ck_assert_int_eq(BSCTL("print", svc(user_domain, LABEL_A)), 0);
	ck_assert_int_eq(BSCTL("bootstrap", user_domain, a), 1);
	ck_assert_ptr_nonnull(strstr(r.err, "already loaded"));
	ck_assert_int_eq(BSCTL("bootstrap", user_domain, off), 1);
	ck_assert_ptr_nonnull(strstr(r.err, "is disabled"));
	ck_assert_int_eq(BSCTL("bootstrap", user_domain, off_dir), 0);    /* skipped */
	ck_assert_int_eq(BSCTL("bootstrap", user_domain), 2);

	ck_assert_int_eq(BSCTL("bootout", svc(user_domain, LABEL_A)), 0);
	ck_assert_int_eq(BSCTL("print", svc(user_domain, LABEL_A)), 4);
	ck_assert_int_eq(BSCTL("bootout", svc(user_domain, LABEL_A)), 4);
	ck_assert_int_eq(BSCTL("bootstrap", user_domain, extra), 0);     /* a directory */
	ck_assert_int_eq(BSCTL("bootout", user_domain, b), 0);            /* by path */
	ck_assert_int_eq(BSCTL("print", svc(user_domain, LABEL_B)), 4);
	ck_assert_int_eq(BSCTL("bootout", user_domain, LABEL_A), 0);      /* by label */
	ck_assert_int_eq(BSCTL("print", svc(user_domain, LABEL_A)), 4);

	ck_assert_int_eq(BSCTL("bootstrap", user_domain, a, b), 0);
	ck_assert_int_eq(BSCTL("bootout", user_domain), 0);               /* every job */
	ck_assert_ptr_nonnull(strstr(r.err, "2 job(s) unloaded"));
	ck_assert_int_eq(BSCTL("print", user_domain), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "\tservice count = 0\n"));
	free(a);
	free(b);
	free(off);
	free(off_dir);
}
END_TEST

#define SYSTEM_HEAD "system = {\n\ttype = system\n\thandle = 0\n"

/* The system domain's daemon, found at RUN/bootstrapd/socket by the target alone. */
START_TEST(test_system_domain)
{
	char *sock;

	test_daemon_init(&sys, "bsctl-targets-sys");
	unsetenv("BOOTSTRAP_SOCKET");   /* test_daemon_init() set it */
	sys.system = 1;
	ck_assert_int_gt(asprintf(&sock, "%s/bootstrapd/socket", run), 0);
	listen_at(&sys, sock);
	free(sock);
	test_daemon_add_job(&sys, LABEL_B, SLEEP);
	test_daemon_add_job(&td, LABEL_A, SLEEP);
	test_daemon_start(&sys);
	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL("print", "system"), 0);
	ck_assert_msg(strncmp(r.out, SYSTEM_HEAD, strlen(SYSTEM_HEAD)) == 0, "%s", r.out);
	ck_assert_ptr_null(strstr(r.out, LABEL_A));
	ck_assert_int_eq(BSCTL("print", "system/" LABEL_A), 4);   /* the user's, not here */
	ck_assert_int_eq(BSCTL("--system", "print", LABEL_A), 4);
	ck_assert_int_eq(BSCTL("print", svc(user_domain, LABEL_A)), 0);
	ck_assert_int_eq(BSCTL("getenv", "system", "NOPE"), 0);  /* anyone may read it */
	if (getuid() != 0) {
		/* The system domain is root's; it loads no plist of ours either. */
		ck_assert_int_eq(BSCTL("setenv", "system", "NOPE", "x"), 5);
		return;
	}
	ck_assert_int_eq(BSCTL("print", "system"), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "\t" LABEL_B "\n"));
	ck_assert_int_eq(BSCTL("--system", "print", LABEL_B), 0);
	ck_assert_int_eq(BSCTL("kickstart", "system/" LABEL_B), 0);
	ck_assert_int_eq(BSCTL("print", "system/" LABEL_B), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "state = running"));
}
END_TEST

/*
 * Another user (nobody) addressing root's user domain: the daemon refuses
 * every change and the reads private to the domain, from the kernel's
 * credentials; job state stays public.  Run as root only.
 */
START_TEST(test_other_user_refused)
{
	char *b = bsctl_write_job(extra, "b.plist", LABEL_B, SLEEP);
	const char *a = svc("user/0", LABEL_A);
	char *dir;

	ck_assert_uint_eq(getuid(), 0);
	test_daemon_add_job(&td, LABEL_A, SLEEP);
	test_daemon_start(&td);
	ck_assert_int_eq(AS_NOBODY("kickstart", a), 5);
	ck_assert(log_until("refused kickstart of " LABEL_A " to pid"));
	ck_assert_int_eq(AS_NOBODY("kill", "TERM", a), 5);
	ck_assert_int_eq(AS_NOBODY("disable", a), 5);
	ck_assert_int_eq(AS_NOBODY("enable", a), 5);
	ck_assert_int_eq(AS_NOBODY("bootout", a), 5);
	ck_assert_int_eq(AS_NOBODY("bootout", "user/0"), 5);
	ck_assert_int_eq(AS_NOBODY("bootstrap", "user/0", b), 5);
	ck_assert_int_eq(AS_NOBODY("setenv", "user/0", "FOO", "x"), 5);
	ck_assert(log_until("refused setenv of user/0 to pid"));
	ck_assert(!test_daemon_log_contains(&td, "FOO"));           /* nor the value */
	ck_assert_int_eq(AS_NOBODY("unsetenv", "user/0", "FOO"), 5);
	ck_assert_int_eq(AS_NOBODY("getenv", "user/0", "FOO"), 5);
	ck_assert_int_eq(AS_NOBODY("print", "gui/0"), 5);
	ck_assert_int_eq(AS_NOBODY("print", a), 0);                /* job state is public */
	ck_assert_int_eq(AS_NOBODY("print-disabled", "user/0"), 0);
	ck_assert_int_eq(AS_NOBODY("print", "user/65534"), 3);     /* its own: none here */

	ck_assert_int_eq(BSCTL("print", a), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "runs = 0"));
	ck_assert_int_eq(BSCTL("print", svc("user/0", LABEL_B)), 4);
	ck_assert_int_eq(BSCTL("getenv", "user/0", "FOO"), 0);
	ck_assert_int_eq(BSCTL("print-disabled", "user/0"), 0);
	ck_assert_str_eq(r.out, "disabled services = {\n}\n");

	/* A socket out of the caller's reach: refused before any request. */
	ck_assert_int_gt(asprintf(&dir, "%s/user/0/bootstrapd", run), 0);
	ck_assert_int_eq(chmod(dir, 0700), 0);
	ck_assert_int_eq(AS_NOBODY("kickstart", a), 5);
	ck_assert_ptr_nonnull(strstr(r.err, "Permission denied"));
	free(dir);
	free(b);
}
END_TEST

static Suite *targets_suite(void)
{
	Suite *s = suite_create("bsctl-targets");
	TCase *tc = tcase_create("targets");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_service_targets);
	tcase_add_test(tc, test_kickstart_pid);
	tcase_add_test(tc, test_bad_targets);
	tcase_add_test(tc, test_print_domain);
	tcase_add_test(tc, test_print_disabled);
	tcase_add_test(tc, test_setenv);
	tcase_add_test(tc, test_bootstrap_bootout);
	tcase_add_test(tc, test_system_domain);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *other_user_suite(void)
{
	Suite *s = suite_create("bsctl-targets-other-user");
	TCase *tc = tcase_create("other-user");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_other_user_refused);
	suite_add_tcase(s, tc);
	return s;
}

/* Exit 77 (skipped) when the rest passed but the other-user part could not run. */
int main(void)
{
	SRunner *sr = srunner_create(targets_suite());
	bool root = getuid() == 0;
	int failed;

	if (root)
		srunner_add_suite(sr, other_user_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (failed)
		return EXIT_FAILURE;
	if (!root) {
		printf("SKIP: refusals to another user: needs root to act as uid %d\n", NOBODY);
		return 77;
	}
	return EXIT_SUCCESS;
}
