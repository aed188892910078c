/* SPDX-License-Identifier: MIT */
/*
 * check-bsctl-load - bsctl load, unload, enable, disable and blame against
 * a real bootstrapd (helpers/daemon.c: --user, private socket, --jobs and
 * --state in a temporary directory), the persistence of -w across a
 * restart, malformed control requests, and refusals to another user (the
 * root part, runner.h: `check-bsctl-load root`, meson's check-bsctl-load-root,
 * a skip without root).
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/mig_errors.h>
#include <servers/bootstrap.h>

#include "control-proto.h"
#include "helpers/bsctl-run.h"
#include "helpers/daemon.h"
#include "helpers/echo-client.h"
#include "helpers/runner.h"
#include "helpers/tmpdir.h"

#define LABEL_A "org.test.load.a"
#define LABEL_B "org.test.load.b"
#define SLEEP "<key>ProgramArguments</key><array><string>/bin/sleep</string>" \
	      "<string>30</string></array>\n"
#define NOBODY 65534

static struct test_daemon td;
static struct bsctl_out r;
static char *extra;             /* plists outside the daemon's --jobs dir */

#define BSCTL(...) BSCTL_RUN(&r, __VA_ARGS__)
#define AS_NOBODY(...) bsctl_run(&r, NOBODY, (const char *const[]){ __VA_ARGS__, NULL })

static void setup(void)
{
	test_daemon_init(&td, "bsctl-load");
	ck_assert_int_gt(asprintf(&extra, "%s/extra", td.dir), 0);
	ck_assert_int_eq(mkdir(extra, 0755), 0);
}

static void teardown(void)
{
	test_daemon_stop(&td);
	free(extra);
	extra = NULL;
}

/*
 * The daemon's open memfds: a load must not leave its plist's behind.  (Its
 * total fd count also moves with client connections closing on their own
 * time, so it is not what the check counts.)
 */
static int daemon_memfds(void)
{
	char path[64], link[PATH_MAX], target[PATH_MAX];
	struct dirent *e;
	int n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)td.pid);
	dir = opendir(path);
	ck_assert_ptr_nonnull(dir);
	while ((e = readdir(dir))) {
		ssize_t len;

		if (e->d_name[0] == '.')
			continue;
		snprintf(link, sizeof(link), "%s/%s", path, e->d_name);
		len = readlink(link, target, sizeof(target) - 1);
		target[len < 0 ? 0 : len] = '\0';
		n += strncmp(target, "/memfd:", 7) == 0;
	}
	closedir(dir);
	return n;
}

static int log_until(const char *text)
{
	for (int i = 0; i < 500; i++) {
		if (test_daemon_log_contains(&td, text))
			return 1;
		test_pause_ms(20);
	}
	return 0;
}

static int overrides_have(const char *line)
{
	char path[4096], buf[4096];
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/overrides", td.dir);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (!found && fgets(buf, sizeof(buf), f))
		found = strcmp(buf, line) == 0;
	fclose(f);
	return found;
}

START_TEST(test_load_file_twice)
{
	char *a = bsctl_write_job(extra, "a.plist", LABEL_A, SLEEP "<key>RunAtLoad</key><true/>\n");
	char *real = realpath(a, NULL);
	char want[4200];

	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL("load", a), 0);
	ck_assert_int_eq(BSCTL("print", LABEL_A), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "state = running"));
	snprintf(want, sizeof(want), "path = %s\n", real);
	ck_assert_ptr_nonnull(strstr(r.out, want));
	ck_assert_int_eq(BSCTL("load", a), 0);     /* as launchctl: a note, no failure */
	ck_assert_ptr_nonnull(strstr(r.err, LABEL_A ": already loaded"));
	ck_assert(test_daemon_log_contains(&td, "loads "));
	free(real);
	free(a);
}
END_TEST

START_TEST(test_load_directory)
{
	char *bad_dir;

	free(bsctl_write_job(extra, "a.plist", LABEL_A, SLEEP));
	free(bsctl_write_job(extra, "b.PLIST", LABEL_B, SLEEP));
	free(tmpdir_write(extra, "notes.txt", "not a plist\n", 0644));
	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL("load", extra), 0);
	ck_assert_int_eq(BSCTL("list"), 0);
	ck_assert_ptr_nonnull(strstr(r.out, LABEL_A));
	ck_assert_ptr_nonnull(strstr(r.out, LABEL_B));

	/* A broken plist: refused with file and line, the others still load. */
	ck_assert_int_gt(asprintf(&bad_dir, "%s/bad", td.dir), 0);
	ck_assert_int_eq(mkdir(bad_dir, 0755), 0);
	free(tmpdir_write(bad_dir, "broken.plist",
			  "<?xml version=\"1.0\"?>\n<plist>\n<dict>\n<key>Label</key>\n\n</dict>\n</plist>\n",
			  0644));
	free(bsctl_write_job(bad_dir, "c.plist", "org.test.load.c", SLEEP));
	ck_assert_int_eq(BSCTL("load", bad_dir), 1);
	ck_assert_msg(strstr(r.err, "/broken.plist:4: key \"Label\" has no value\n"), "%s", r.err);
	ck_assert_int_eq(BSCTL("print", "org.test.load.c"), 0);
	free(bad_dir);
}
END_TEST

START_TEST(test_load_sizes)
{
	/* ~5 KiB travels inside the datagram, ~40 KiB in a memfd. */
	static const int counts[] = { 80, 700 };
	test_daemon_start(&td);
	for (int i = 0; i < 2; i++) {
		char label[64], name[64], *keys, *w, *path;

		snprintf(label, sizeof(label), "org.test.load.size%d", i);
		snprintf(name, sizeof(name), "size%d.plist", i);
		keys = w = malloc((size_t)counts[i] * 80 + 256);
		ck_assert_ptr_nonnull(keys);
		w += sprintf(w, SLEEP "<key>EnvironmentVariables</key><dict>\n");
		for (int k = 0; k < counts[i]; k++)
			w += sprintf(w, "<key>VAR%d</key><string>%040d</string>\n", k, k);
		strcpy(w, "</dict>\n");
		path = bsctl_write_job(extra, name, label, keys);
		ck_assert_msg(BSCTL("load", path) == 0, "%s", r.err);
		ck_assert_int_eq(BSCTL("print", label), 0);
		ck_assert_int_eq(BSCTL("load", path), 0);  /* already loaded, after reading: no fd kept */
		ck_assert_ptr_nonnull(strstr(r.err, "already loaded"));
		free(path);
		free(keys);
	}
	ck_assert_int_eq(daemon_memfds(), 0);
}
END_TEST

START_TEST(test_unload_label_and_path)
{
	char *b = bsctl_write_job(extra, "b.plist", LABEL_B, SLEEP "<key>RunAtLoad</key><true/>\n");

	free(bsctl_write_job(extra, "a.plist", LABEL_A, SLEEP));
	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL("load", extra), 0);
	ck_assert_int_eq(BSCTL("unload", LABEL_A), 0);
	ck_assert_int_eq(BSCTL("unload", b), 0);          /* running: stopped, then unloaded */
	ck_assert(bsctl_listed_until(&r, LABEL_A, false));
	ck_assert(bsctl_listed_until(&r, LABEL_B, false));
	ck_assert(log_until(LABEL_B ": stopping"));
	ck_assert_int_eq(BSCTL("unload", LABEL_A), 0);     /* not loaded: a note */
	ck_assert_ptr_nonnull(strstr(r.err, "not loaded"));
	free(b);
}
END_TEST

/*
 * Overrides that cannot be read whole (here a directory where the file
 * goes: EIO) cannot say a job is enabled: load refuses it, with why, and
 * -F loads it anyway.  A job disabled in the part not read used to load.
 */
START_TEST(test_unreadable_overrides_refuse_load)
{
	char *a = bsctl_write_job(extra, "a.plist", LABEL_A, SLEEP), path[4096];

	test_daemon_start(&td);
	snprintf(path, sizeof(path), "%s/overrides", td.dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_eq(BSCTL("load", a), 1);
	ck_assert_ptr_nonnull(strstr(r.err, "cannot read the overrides"));
	ck_assert_int_eq(BSCTL("print", LABEL_A), 4);
	ck_assert_int_eq(BSCTL("load", "-F", a), 0);
	ck_assert_int_eq(BSCTL("print", LABEL_A), 0);
	ck_assert_int_eq(rmdir(path), 0);
	free(a);
}
END_TEST

START_TEST(test_disabled_key_and_force)
{
	char *a = bsctl_write_job(extra, "a.plist", LABEL_A, SLEEP "<key>Disabled</key><true/>\n");

	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL("load", a), 1);
	ck_assert_ptr_nonnull(strstr(r.err, "is disabled"));
	ck_assert_int_eq(BSCTL("load", extra), 0);         /* in a directory: skipped */
	ck_assert_ptr_nonnull(strstr(r.err, "disabled: skipped"));
	ck_assert_int_eq(BSCTL("print", LABEL_A), 4);
	ck_assert_int_eq(BSCTL("load", "-F", a), 0);
	ck_assert_int_eq(BSCTL("print", LABEL_A), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "disabled = true"));
	ck_assert(!overrides_have("enabled " LABEL_A "\n"));
	ck_assert_int_eq(BSCTL("unload", LABEL_A), 0);
	ck_assert_int_eq(BSCTL("load", "-w", a), 0);       /* enables it for good */
	ck_assert(overrides_have("enabled " LABEL_A "\n"));
	ck_assert_int_eq(BSCTL("print", LABEL_A), 0);
	ck_assert_ptr_null(strstr(r.out, "disabled = true"));
	free(a);
}
END_TEST

START_TEST(test_dubious_files)
{
	char *a = bsctl_write_job(extra, "a.plist", LABEL_A, SLEEP);

	ck_assert_int_eq(chmod(a, 0666), 0);
	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL("load", a), 1);
	ck_assert_ptr_nonnull(strstr(r.err, "dubious permissions"));
	ck_assert_int_eq(BSCTL("load", "-F", a), 0);
	ck_assert_int_eq(BSCTL("unload", LABEL_A), 0);
	ck_assert_int_eq(BSCTL("load", "-x", a), 2);
	ck_assert_int_eq(BSCTL("load"), 2);
	free(a);
}
END_TEST

/* The root part: a plist owned by another user is refused. */
START_TEST(test_dubious_owner)
{
	char *a = bsctl_write_job(extra, "a.plist", LABEL_A, SLEEP);

	ck_assert_int_eq(chown(a, 12345, 12345), 0);
	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL("load", a), 1);
	ck_assert_ptr_nonnull(strstr(r.err, "dubious ownership"));
	free(a);
}
END_TEST

/* unload -w, restart on the same state dir: still unloaded; enable + SIGHUP: back. */
START_TEST(test_persist_across_restart)
{
	test_daemon_add_job(&td, LABEL_A, SLEEP);
	test_daemon_start(&td);
	ck_assert(bsctl_listed_until(&r, LABEL_A, true));
	ck_assert_int_eq(BSCTL("unload", "-w", LABEL_A), 0);
	ck_assert(overrides_have("disabled " LABEL_A "\n"));
	ck_assert(bsctl_listed_until(&r, LABEL_A, false));

	test_daemon_signal(&td, SIGTERM);
	test_daemon_wait(&td);
	test_daemon_start(&td);
	ck_assert(log_until("disabled: skipped"));
	ck_assert(bsctl_listed_until(&r, LABEL_A, false));

	ck_assert_int_eq(BSCTL("enable", LABEL_A), 0);
	ck_assert(overrides_have("enabled " LABEL_A "\n"));
	ck_assert(bsctl_listed_until(&r, LABEL_A, false));               /* enable loads nothing by itself */
	test_daemon_signal(&td, SIGHUP);
	ck_assert(bsctl_listed_until(&r, LABEL_A, true));
}
END_TEST

/* disable stops nothing and only keeps the job from loading again. */
START_TEST(test_disable_enable)
{
	test_daemon_add_job(&td, LABEL_A, SLEEP "<key>RunAtLoad</key><true/>\n");
	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL("disable", LABEL_A), 0);
	ck_assert(overrides_have("disabled " LABEL_A "\n"));
	ck_assert_int_eq(BSCTL("print", LABEL_A), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "state = running"));
	ck_assert_int_eq(BSCTL("unload", LABEL_A), 0);
	ck_assert(bsctl_listed_until(&r, LABEL_A, false));
	test_daemon_signal(&td, SIGHUP);
	ck_assert(log_until("disabled: skipped"));
	ck_assert(bsctl_listed_until(&r, LABEL_A, false));
	ck_assert_int_eq(BSCTL("enable", LABEL_A), 0);
	test_daemon_signal(&td, SIGHUP);
	ck_assert(bsctl_listed_until(&r, LABEL_A, true));
	ck_assert_int_eq(BSCTL("unload", "-w", "org.test.never.loaded"), 0);
	ck_assert_ptr_nonnull(strstr(r.err, "not loaded; disabled"));
	ck_assert_int_eq(BSCTL("enable"), 2);
}
END_TEST

START_TEST(test_blame)
{
	mach_port_t port;

	echo_add_job(&td, NULL, NULL);
	test_daemon_add_job(&td, LABEL_A, SLEEP "<key>RunAtLoad</key><true/>\n");
	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL("blame", ECHO_SERVICE_NAME), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "not started since it was loaded"));
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, ECHO_SERVICE_NAME, &port), 0);
	ck_assert_int_gt(echo_query(port).pid, 0);
	ck_assert_int_eq(BSCTL("blame", ECHO_SERVICE_NAME), 0);
	ck_assert_msg(strstr(r.out, "running (pid ") && strstr(r.out, "demand: a message on "
		      ECHO_SERVICE_NAME), "%s", r.out);
	ck_assert_int_eq(BSCTL("blame", "--json", ECHO_SERVICE_NAME), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "\"service\": \"" ECHO_SERVICE_NAME "\""));
	ck_assert_int_eq(BSCTL("blame", LABEL_A), 0);
	ck_assert_ptr_nonnull(strstr(r.out, ": RunAtLoad\n"));
	ck_assert_int_eq(BSCTL("stop", LABEL_A), 0);
	ck_assert(log_until(LABEL_A ": exited"));
	ck_assert_int_eq(BSCTL("blame", LABEL_A), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "last started"));
	ck_assert_int_eq(BSCTL("kickstart", LABEL_A), 0);
	ck_assert_int_eq(BSCTL("blame", LABEL_A), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "bsctl start or kickstart"));
	ck_assert_int_eq(BSCTL("blame", "org.test.nope"), 4);
	mach_port_deallocate(mach_task_self(), port);
}
END_TEST

/* One control request, built by hand; @ool: add an out-of-line descriptor. */
static kern_return_t raw_control(mach_msg_id_t id, const char *arg, int ool)
{
	union {
		struct {
			mach_msg_header_t head;
			mach_msg_body_t count;
			mach_msg_ool_descriptor_t data;
			struct control_request body;
		} ool;
		struct {
			mach_msg_header_t head;
			struct control_request body;
		} plain;
		char buf[sizeof(mig_reply_error_t) + 8192 + MAX_TRAILER_SIZE];
	} u;
	static const char bytes[] = "<plist/>";
	struct control_request *body = ool ? &u.ool.body : &u.plain.body;
	mach_msg_size_t size = ool ? sizeof(u.ool) : sizeof(u.plain);
	mach_port_t reply, unused;
	kern_return_t kr;

	/* A look-up resolves bootstrap_port. */
	bootstrap_look_up(bootstrap_port, "org.test.resolve", &unused);
	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply), 0);
	memset(&u, 0, sizeof(u));
	body->ndr = NDR_record;
	snprintf(body->arg, sizeof(body->arg), "%s", arg);
	if (ool) {
		u.ool.head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
		u.ool.count.msgh_descriptor_count = 1;
		u.ool.data.address = (void *)bytes;
		u.ool.data.size = sizeof(bytes) - 1;
		u.ool.data.type = MACH_MSG_OOL_DESCRIPTOR;
	}
	u.plain.head.msgh_bits |= MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
						 MACH_MSG_TYPE_MAKE_SEND_ONCE);
	u.plain.head.msgh_remote_port = bootstrap_port;
	u.plain.head.msgh_local_port = reply;
	u.plain.head.msgh_id = id;
	kr = mach_msg(&u.plain.head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, size,
		      sizeof(u), reply, 10000, MACH_PORT_NULL);
	mach_port_destroy(mach_task_self(), reply);
	ck_assert_int_eq(kr, MACH_MSG_SUCCESS);
	ck_assert_int_eq(u.plain.head.msgh_id, id + 100);
	kr = ((mig_reply_error_t *)&u)->RetCode;
	mach_msg_destroy(&u.plain.head);
	return kr;
}

/* print shows what waits in a service's port for a job that never checks in. */
START_TEST(test_print_shows_waiting_messages)
{
	mach_port_t port;

	test_daemon_add_job(&td, LABEL_A, SLEEP
		"<key>MachServices</key><dict><key>org.test.load.queue</key><true/></dict>");
	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL("print", LABEL_A), 0);
	ck_assert_ptr_null(strstr(r.out, "bytes of messages waiting"));
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, "org.test.load.queue", &port),
			 BOOTSTRAP_SUCCESS);
	ck_assert_int_eq(echo_send(port, ECHO_DATA, 1, 1000), MACH_MSG_SUCCESS);
	ck_assert_int_eq(BSCTL("print", LABEL_A), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "org.test.load.queue = not checked in, "));
	ck_assert_ptr_nonnull(strstr(r.out, "bytes of messages waiting"));
}
END_TEST

/* A list longer than one datagram comes back out of line, whole. */
START_TEST(test_list_of_many_jobs)
{
	enum { N = 3000 };
	int lines = 0;

	for (int i = 0; i < N; i++) {
		char label[64];

		snprintf(label, sizeof(label), "org.test.load.many.%05d", i);
		test_daemon_add_job(&td, label, SLEEP);
	}
	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL("list"), 0);
	ck_assert_uint_gt(strlen(r.out), 64 * 1024);
	for (const char *p = r.out; (p = strchr(p, '\n')); p++)
		lines++;
	ck_assert_int_eq(lines, N + 1);
	ck_assert_ptr_nonnull(strstr(r.out, "-\t-\torg.test.load.many.02999\n"));
}
END_TEST

START_TEST(test_malformed_requests)
{
	test_daemon_add_job(&td, LABEL_A, SLEEP);
	test_daemon_start(&td);
	ck_assert_int_eq(raw_control(CONTROL_LOAD, "/x.plist", 0), MIG_BAD_ARGUMENTS);
	ck_assert(log_until("malformed load request"));
	ck_assert_int_eq(raw_control(CONTROL_START, LABEL_A, 1), MIG_BAD_ARGUMENTS);
	ck_assert(log_until("malformed start request"));
	ck_assert_int_eq(raw_control(CONTROL_LOAD, "/x.plist", 1), CONTROL_E_INVALID);
	ck_assert_int_eq(BSCTL("print", LABEL_A), 0);      /* the daemon still answers */
}
END_TEST

/*
 * At the default level a start says how many jobs it loaded, and a
 * domain's bootout how many it unloaded, not one line each: 100,000 of
 * those would flood a journal that keeps a few thousand.
 */
START_TEST(test_start_logs_no_line_per_job)
{
	char label[64], domain[32];

	for (int i = 0; i < 20; i++) {
		snprintf(label, sizeof(label), "org.test.quiet.%d", i);
		test_daemon_add_job(&td, label, "<key>Program</key><string>/bin/true</string>");
	}
	td.log_level = "info";
	test_daemon_start(&td);
	ck_assert(test_daemon_log_contains(&td, "20 job(s) loaded"));
	ck_assert(!test_daemon_log_contains(&td, "loaded from"));
	snprintf(domain, sizeof(domain), "user/%u", (unsigned int)getuid());
	ck_assert_int_eq(BSCTL("bootout", domain), 0);
	ck_assert(test_daemon_log_contains(&td, "20 job(s) unloaded"));      /* before the answer */
	ck_assert(!test_daemon_log_contains(&td, "unloading"));
}
END_TEST

/*
 * Another user (nobody) may look but not touch a root-owned user domain:
 * exit 5 for every changing request, and the daemon's log names each.
 */
START_TEST(test_refusals)
{
	char *b;

	ck_assert_int_eq(chmod(td.dir, 0711), 0);  /* nobody reaches the socket and extra/ */
	b = bsctl_write_job(extra, "b.plist", LABEL_B, SLEEP);
	test_daemon_add_job(&td, LABEL_A, SLEEP);
	test_daemon_start(&td);
	ck_assert_int_eq(AS_NOBODY("start", LABEL_A), 5);
	ck_assert(log_until("refused start of " LABEL_A " to pid"));
	ck_assert_int_eq(AS_NOBODY("stop", LABEL_A), 5);
	ck_assert(log_until("refused stop of " LABEL_A " to pid"));
	ck_assert_int_eq(AS_NOBODY("load", b), 5);
	ck_assert(log_until("refused load of "));
	ck_assert_int_eq(AS_NOBODY("disable", LABEL_A), 5);
	ck_assert_int_eq(AS_NOBODY("unload", LABEL_A), 5);
	ck_assert(log_until("uid 65534"));
	ck_assert_int_eq(AS_NOBODY("list"), 0);
	ck_assert_int_eq(AS_NOBODY("blame", LABEL_A), 0);
	ck_assert_int_eq(BSCTL("print", LABEL_A), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "runs = 0"));
	ck_assert_int_eq(BSCTL("print", LABEL_B), 4);
	ck_assert(!overrides_have("disabled " LABEL_A "\n"));
	free(b);
}
END_TEST

/*
 * A plist whose absolute path is longer than a request holds is refused
 * as every verb refuses an over-long argument: list's usage error, and
 * nothing loaded.
 */
START_TEST(test_load_long_path)
{
	char dir[4096], part[201], *path;
	size_t n = (size_t)snprintf(dir, sizeof(dir), "%s", extra);

	memset(part, 'd', sizeof(part) - 1);
	part[sizeof(part) - 1] = '\0';
	for (int i = 0; i < 5; i++) {
		n += (size_t)snprintf(dir + n, sizeof(dir) - n, "/%s", part);
		ck_assert_int_eq(mkdir(dir, 0755), 0);
	}
	path = bsctl_write_job(dir, "a.plist", LABEL_A, SLEEP);
	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL("load", path), 2);
	ck_assert_msg(strstr(r.err, "argument too long"), "%s", r.err);
	ck_assert_int_eq(BSCTL("list"), 0);
	ck_assert_ptr_null(strstr(r.out, LABEL_A));
	free(path);
}
END_TEST

static Suite *bsctl_load_suite(void)
{
	Suite *s = suite_create("bsctl-load");
	TCase *tc = tcase_create("load");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_load_file_twice);
	tcase_add_test(tc, test_load_directory);
	tcase_add_test(tc, test_load_sizes);
	tcase_add_test(tc, test_load_long_path);
	tcase_add_test(tc, test_start_logs_no_line_per_job);
	tcase_add_test(tc, test_unload_label_and_path);
	tcase_add_test(tc, test_disabled_key_and_force);
	tcase_add_test(tc, test_unreadable_overrides_refuse_load);
	tcase_add_test(tc, test_dubious_files);
	tcase_add_test(tc, test_persist_across_restart);
	tcase_add_test(tc, test_disable_enable);
	tcase_add_test(tc, test_blame);
	tcase_add_test(tc, test_print_shows_waiting_messages);
	tcase_add_test(tc, test_list_of_many_jobs);
	tcase_add_test(tc, test_malformed_requests);
	suite_add_tcase(s, tc);
	tc = tcase_create("other-uid");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_set_tags(tc, "root");
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_dubious_owner);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	static const struct runner_part parts[] = {
		{ "root", runner_needs_root, "bsctl as uid 65534 refused, a plist of another owner" },
	};

	return runner_main(bsctl_load_suite(), parts, 1, argc, argv);
}
