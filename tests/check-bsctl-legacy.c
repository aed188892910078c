/* SPDX-License-Identifier: MIT */
/*
 * check-bsctl-legacy - the verbs of launchctl 1 (launchd-842's launchctl)
 * as scripts written for macOS use them, against a real bootstrapd
 * (helpers/daemon.c: --user, private socket, --jobs and --state in a
 * temporary directory): load and unload as launchctl's idioms need them,
 * list LABEL in launchd's dictionary format, remove, managerpid, manageruid,
 * managername, error, export, one line for an unknown subcommand, getenv of
 * a variable not set, load's and unload's flags, kill with any signal, and
 * load of a file not named *.plist.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "helpers/bsctl-run.h"
#include "helpers/daemon.h"
#include "helpers/tmpdir.h"

#define LABEL_A "org.test.legacy.a"
#define LABEL_B "org.test.legacy.b"
#define SLEEP "<key>ProgramArguments</key><array><string>/bin/sleep</string>" \
	      "<string>30</string></array>\n"

static struct test_daemon td;
static struct bsctl_out r, r2;
static char *extra;             /* plists outside the daemon's --jobs dir */
static char user_domain[32];    /* "user/UID" of the test's uid */

#define BSCTL(...) BSCTL_RUN(&r, __VA_ARGS__)

static void setup(void)
{
	test_daemon_init(&td, "bsctl-legacy");
	ck_assert_int_gt(asprintf(&extra, "%s/extra", td.dir), 0);
	ck_assert_int_eq(mkdir(extra, 0755), 0);
	snprintf(user_domain, sizeof(user_domain), "user/%u", (unsigned int)getuid());
}

static void teardown(void)
{
	test_daemon_stop(&td);
	free(extra);
	extra = NULL;
}

/*
 * launchctl's idiom under set -e: unload, then load, whether or not the
 * job is loaded; each step exits 0 and says what it found.  A job not
 * loaded and one already loaded stay failures for bootout and bootstrap.
 */
START_TEST(test_unload_load_idiom)
{
	char *a = bsctl_write_job(extra, "a.plist", LABEL_A, SLEEP);

	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL("unload", a), 0);           /* not loaded */
	ck_assert_msg(strstr(r.err, "bsctl: Error unloading: " LABEL_A ": not loaded\n"), "%s", r.err);
	ck_assert_int_eq(BSCTL("load", a), 0);
	ck_assert_str_eq(r.err, "");
	ck_assert_int_eq(BSCTL("unload", a), 0);           /* loaded */
	ck_assert_str_eq(r.err, "");
	ck_assert(bsctl_listed_until(&r, LABEL_A, false));
	ck_assert_int_eq(BSCTL("load", a), 0);
	ck_assert_int_eq(BSCTL("load", a), 0);             /* already loaded */
	ck_assert_ptr_nonnull(strstr(r.err, LABEL_A ": already loaded\n"));
	ck_assert_int_eq(BSCTL("unload", LABEL_A, LABEL_B), 0);
	ck_assert_ptr_nonnull(strstr(r.err, "Error unloading: " LABEL_B ": not loaded"));
	ck_assert(bsctl_listed_until(&r, LABEL_A, false));

	ck_assert_int_eq(BSCTL("bootout", user_domain, LABEL_A), 4);
	ck_assert_int_eq(BSCTL("bootstrap", user_domain, a), 0);
	ck_assert_int_eq(BSCTL("bootstrap", user_domain, a), 1);
	ck_assert_ptr_nonnull(strstr(r.err, "already loaded"));
	free(a);
}
END_TEST

/* Poll (bounded: 10 s) until `bsctl list LABEL` prints @want. */
static int dict_until(const char *label, const char *want)
{
	return bsctl_until(&r, (const char *const[]){ "list", label, NULL }, want, true);
}

static long running_pid(const char *label)
{
	const char *p;

	ck_assert_int_eq(BSCTL("print", "--json", label), 0);
	p = strstr(r.out, "\"pid\": ");
	ck_assert_ptr_nonnull(p);
	return strtol(p + 7, NULL, 10);
}

#define SERVICES "<key>MachServices</key><dict><key>" LABEL_A ".z</key><true/>" \
		 "<key>" LABEL_A ".b</key><true/></dict>\n"

/* The job whose dictionary the list tests look at: running, with two services. */
static void add_job_a(void)
{
	test_daemon_add_job(&td, LABEL_A, SLEEP "<key>RunAtLoad</key><true/>\n"
			    "<key>StandardOutPath</key><string>/dev/null</string>\n"
			    "<key>StandardErrorPath</key><string>/dev/null</string>\n" SERVICES);
}

/*
 * list LABEL prints launchd's dictionary, as launchctl 842 does: scripts
 * grep "PID" = and "LastExitStatus" = (a wait status: exit << 8, or the
 * signal).
 */
START_TEST(test_list_label_dictionary)
{
	char *want;

	add_job_a();
	test_daemon_add_job(&td, LABEL_B, "<key>ProgramArguments</key><array><string>/bin/sh</string>"
			    "<string>-c</string><string>exit 3</string></array>\n"
			    "<key>KeepAlive</key><dict><key>SuccessfulExit</key><true/></dict>\n");
	test_daemon_add_job(&td, "org.test.legacy.kept", SLEEP "<key>KeepAlive</key><true/>\n");
	test_daemon_start(&td);
	ck_assert_int_gt(asprintf(&want, "{\n"
		"\t\"LimitLoadToSessionType\" = \"Background\";\n"
		"\t\"Label\" = \"" LABEL_A "\";\n"
		"\t\"OnDemand\" = true;\n"
		"\t\"LastExitStatus\" = 0;\n"
		"\t\"PID\" = %ld;\n"
		"\t\"Program\" = \"/bin/sleep\";\n"
		"\t\"StandardOutPath\" = \"/dev/null\";\n"
		"\t\"StandardErrorPath\" = \"/dev/null\";\n"
		"\t\"ProgramArguments\" = (\n\t\t\"/bin/sleep\";\n\t\t\"30\";\n\t);\n"
		"\t\"MachServices\" = {\n"
		"\t\t\"" LABEL_A ".z\" = mach-port-object;\n"
		"\t\t\"" LABEL_A ".b\" = mach-port-object;\n"
		"\t};\n"
		"};\n", running_pid(LABEL_A)), 0);
	ck_assert_int_eq(BSCTL("list", LABEL_A), 0);
	ck_assert_str_eq(r.out, want);
	free(want);

	ck_assert_int_eq(BSCTL("kill", "TERM", LABEL_A), 0);
	ck_assert(dict_until(LABEL_A, "\t\"LastExitStatus\" = 15;\n"));
	ck_assert_ptr_null(strstr(r.out, "\"PID\""));
	ck_assert_int_eq(BSCTL("kickstart", LABEL_B), 0);
	ck_assert(dict_until(LABEL_B, "\t\"LastExitStatus\" = 768;\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "\t\"OnDemand\" = true;\n"));   /* a KeepAlive dictionary */
	ck_assert_int_eq(BSCTL("list", "org.test.legacy.kept"), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "\t\"OnDemand\" = false;\n"));
	ck_assert_int_eq(BSCTL("list", "org.test.legacy.nope"), 4);
}
END_TEST

/* list -x LABEL: the same as an XML plist, keys sorted, as plutil writes it. */
/*
 * A quote, backslash or newline in what the dictionary prints is escaped:
 * no argument can forge a line a script greps ("PID" = for a job that does
 * not run).  They used to be printed as they were.
 */
START_TEST(test_list_label_escapes)
{
	test_daemon_add_job(&td, LABEL_B, "<key>ProgramArguments</key><array>"
			    "<string>/bin/sleep</string><string>x\";&#10;\t\"PID\" = 1;\\</string>"
			    "</array>\n");
	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL("list", LABEL_B), 0);
	ck_assert_ptr_null(strstr(r.out, "\n\t\"PID\""));
	ck_assert_ptr_nonnull(strstr(r.out, "\t\t\"x\\\";\\u000a\\u0009\\\"PID\\\" = 1;\\\\\";\n"));
}
END_TEST

START_TEST(test_list_x_plist)
{
	char *want, *xml;

	add_job_a();
	test_daemon_start(&td);
	ck_assert_int_gt(asprintf(&want, "\t<key>PID</key>\n\t<integer>%ld</integer>\n",
				  running_pid(LABEL_A)), 0);
	ck_assert_int_eq(BSCTL("list", "-x", LABEL_A), 0);
	ck_assert(strncmp(r.out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39) == 0);
	ck_assert_ptr_nonnull(strstr(r.out, "<dict>\n\t<key>Label</key>\n\t<string>" LABEL_A
				     "</string>\n\t<key>LastExitStatus</key>\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "\t<key>MachServices</key>\n\t<dict>\n"
				     "\t\t<key>" LABEL_A ".b</key>\n\t\t<integer>0</integer>\n"));
	ck_assert_ptr_nonnull(strstr(r.out, want));
	xml = tmpdir_write(td.dir, "list.plist", r.out, 0644);
	ck_assert_int_eq(BSCTL("convert", xml), 0);        /* bsctl convert reads it ... */
	ck_assert_int_eq(BSCTL_RUN(&r2, "list", "-x", LABEL_A), 0);
	ck_assert_str_eq(r.out, r2.out);                   /* ... and writes it back the same */

	ck_assert_int_eq(BSCTL("list", "-x"), 0);                  /* every job, as launchctl */
	ck_assert(strncmp(r.out, "PID\tStatus\tLabel\n", 17) == 0);
	ck_assert_int_eq(BSCTL("list", "-x", "--json", LABEL_A), 2);
	ck_assert_int_eq(BSCTL("list", "-x", LABEL_A, LABEL_B), 2);
	free(want);
	free(xml);
}
END_TEST

/* remove LABEL: unload, as launchctl remove; a job not loaded is "No such process". */
START_TEST(test_remove)
{
	test_daemon_add_job(&td, LABEL_A, SLEEP "<key>RunAtLoad</key><true/>\n");
	test_daemon_start(&td);
	ck_assert(bsctl_listed_until(&r, LABEL_A, true));
	ck_assert_int_eq(BSCTL("remove", LABEL_A), 0);
	ck_assert_str_eq(r.err, "");
	ck_assert(bsctl_listed_until(&r, LABEL_A, false));
	ck_assert_int_eq(BSCTL("remove", LABEL_A), 1);
	ck_assert_str_eq(r.err, "bsctl remove error: No such process\n");
	ck_assert_int_eq(BSCTL("remove"), 2);
	ck_assert_int_eq(BSCTL("remove", user_domain), 2);        /* a domain, not a job */
}
END_TEST

/*
 * An argument longer than a request holds fails alike in every verb that
 * sends one: list's message and exit code (a usage error), and nothing sent.
 */
START_TEST(test_long_argument_alike)
{
	static const char *const verbs[] = { "remove", "getenv", "print", "blame", "start",
					     "unload", "bootout", "setenv" };
	char arg[1100];
	size_t first_line;

	memset(arg, 'a', sizeof(arg) - 1);
	arg[sizeof(arg) - 1] = '\0';
	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL_RUN(&r2, "list", arg), 2);
	ck_assert_msg(strstr(r2.err, "too long"), "%s", r2.err);
	first_line = strcspn(r2.err, "\n") + 1;
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (strcmp(verbs[i], "bootout") == 0)
			BSCTL(verbs[i], user_domain, arg);
		else if (strcmp(verbs[i], "setenv") == 0)
			BSCTL(verbs[i], "NAME", arg);
		else
			BSCTL(verbs[i], arg);
		/* The same first line; the verb's own usage follows it. */
		ck_assert_msg(r.status == r2.status && strncmp(r.err, r2.err, first_line) == 0,
			      "%s: exit %d, %s", verbs[i], r.status, r.err);
	}
}
END_TEST

/* managerpid, manageruid, managername: the daemon serving the domain. */
START_TEST(test_manager)
{
	char want[32];

	test_daemon_start(&td);
	snprintf(want, sizeof(want), "%d\n", (int)td.pid);
	ck_assert_int_eq(BSCTL("managerpid"), 0);
	ck_assert_str_eq(r.out, want);
	snprintf(want, sizeof(want), "%u\n", (unsigned int)getuid());
	ck_assert_int_eq(BSCTL("manageruid"), 0);
	ck_assert_str_eq(r.out, want);
	ck_assert_int_eq(BSCTL("managername"), 0);
	ck_assert_str_eq(r.out, "Background\n");
	ck_assert_int_eq(BSCTL("managername", "--socket"), 2);
	ck_assert_int_eq(BSCTL("managerpid", "x", "y"), 2);
}
END_TEST

START_TEST(test_manager_system)
{
	td.system = 1;
	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL("managername"), 0);
	ck_assert_str_eq(r.out, "System\n");
	ck_assert_int_eq(BSCTL("--system", "--socket", td.socket, "managername", "system"), 0);
	ck_assert_str_eq(r.out, "System\n");
}
END_TEST

/* An unknown verb: one line and exit 1, as launchctl's demux_cmd; bad arguments stay 2. */
START_TEST(test_unknown_subcommand)
{
	ck_assert_int_eq(BSCTL("submit", "-l", "x", "--", "/bin/true"), 1);
	ck_assert_str_eq(r.err, "bsctl: unknown subcommand \"submit\"\n");
	ck_assert_str_eq(r.out, "");
	ck_assert_int_eq(BSCTL("--json", "bstree"), 1);
	ck_assert_str_eq(r.err, "bsctl: unknown subcommand \"bstree\"\n");
	ck_assert_int_eq(BSCTL("list", "a", "b"), 2);
	ck_assert_ptr_nonnull(strstr(r.err, "usage: bsctl list"));
}
END_TEST

/* error CODE: what it means, as launchctl error prints it. */
START_TEST(test_error)
{
	ck_assert_int_eq(BSCTL("error", "3"), 0);
	ck_assert_str_eq(r.out, "3: No such process\n");
	ck_assert_int_eq(BSCTL("error", "1102"), 0);
	ck_assert_str_eq(r.out, "1102: Unknown service name\n");
	ck_assert_int_eq(BSCTL("error", "bootstrap", "1100"), 0);
	ck_assert_str_eq(r.out, "1100: Permission denied\n");
	ck_assert_int_eq(BSCTL("error", "mach", "0x10000003"), 0);
	ck_assert_str_eq(r.out, "268435459: (ipc/send) invalid destination port\n");
	ck_assert_int_eq(BSCTL("error", "posix", "2"), 0);
	ck_assert_str_eq(r.out, "2: No such file or directory\n");
	ck_assert_int_eq(BSCTL("error", "1150"), 0);
	ck_assert_str_eq(r.out, "1150: Service is disabled\n");
	ck_assert_int_eq(BSCTL("error", "x"), 2);
	ck_assert_int_eq(BSCTL("error", "kernel", "1"), 2);
	ck_assert_int_eq(BSCTL("error"), 2);
}
END_TEST

#define TRICKY "a \"b\" $c `d` \\e 'f'"

/* export: NAME="value"; export NAME; lines that sh reads back as they were set. */
START_TEST(test_export)
{
	char cmd[512];
	FILE *p;
	char got[256] = "";

	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL("export"), 0);
	ck_assert_str_eq(r.out, "");
	ck_assert_int_eq(BSCTL("setenv", "FOO", TRICKY), 0);
	ck_assert_int_eq(BSCTL("setenv", "BAR", "x"), 0);
	setenv("SHELL", "/bin/sh", 1);
	ck_assert_int_eq(BSCTL("export"), 0);
	ck_assert_str_eq(r.out, "BAR=\"x\"; export BAR;\n"
				"FOO=\"a \\\"b\\\" \\$c \\`d\\` \\\\e 'f'\"; export FOO;\n");
	snprintf(cmd, sizeof(cmd), "eval \"$(\"$BSCTL\" export)\"; sh -c 'printf %%s \"$FOO\"'");
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(got, sizeof(got), p));
	ck_assert_int_eq(pclose(p), 0);
	ck_assert_str_eq(got, TRICKY);
	setenv("SHELL", "/bin/tcsh", 1);
	ck_assert_int_eq(BSCTL("export", user_domain), 0);
	ck_assert_str_eq(r.out, "setenv BAR 'x';\nsetenv FOO 'a \"b\" $c `d` \\e '\\''f'\\''';\n");
	ck_assert_int_eq(BSCTL("export", "a", "b"), 2);
	/* A name the shell would run as code is left out, not printed. */
	ck_assert_int_eq(BSCTL("setenv", "a;touch${IFS}x;b", "v"), 0);
	setenv("SHELL", "/bin/sh", 1);
	ck_assert_int_eq(BSCTL("export"), 0);
	ck_assert_ptr_null(strstr(r.out, "touch"));
	ck_assert_ptr_nonnull(strstr(r.err, "left out"));
}
END_TEST

/* getenv of a variable not set prints nothing and exits 0, as launchctl's. */
START_TEST(test_getenv_unset)
{
	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL("getenv", "NOPE"), 0);
	ck_assert_str_eq(r.out, "");
	ck_assert_str_eq(r.err, "");
	ck_assert_int_eq(BSCTL("setenv", "NOPE", ""), 0);
	ck_assert_int_eq(BSCTL("getenv", user_domain, "NOPE"), 0);
	ck_assert_str_eq(r.out, "\n");                    /* set, to nothing */
	ck_assert_int_eq(BSCTL("getenv", "A B"), 1);       /* not a name: refused */
	ck_assert_int_eq(BSCTL("getenv", ""), 2);
}
END_TEST

/*
 * load and unload take launchctl's flags: -S SESSIONTYPE (ignored), -D
 * DOMAIN (the domain's job directories, whichever launchd word), -F on
 * unload too; wrong ones are usage errors.
 */
START_TEST(test_load_flags)
{
	char *b = bsctl_write_job(extra, "b.plist", LABEL_B, SLEEP), *a;

	test_daemon_add_job(&td, LABEL_A, SLEEP);
	test_daemon_start(&td);
	ck_assert(bsctl_listed_until(&r, LABEL_A, true));
	ck_assert_int_eq(BSCTL("unload", "-S", "Aqua", "-D", "all"), 0);
	ck_assert(bsctl_listed_until(&r, LABEL_A, false));
	ck_assert_int_eq(BSCTL("load", "-D", "system"), 0);
	ck_assert(bsctl_listed_until(&r, LABEL_A, true));
	ck_assert_int_eq(BSCTL("load", "-SAqua", "-D", "LOCAL", b), 0);
	ck_assert_ptr_nonnull(strstr(r.err, LABEL_A ": already loaded"));
	ck_assert(bsctl_listed_until(&r, LABEL_B, true));
	ck_assert_int_eq(BSCTL("unload", "-wF", "-S", "Background", b), 0);
	ck_assert(bsctl_listed_until(&r, LABEL_B, false));
	ck_assert_int_eq(BSCTL("load", "-wF", b), 0);
	ck_assert(bsctl_listed_until(&r, LABEL_B, true));
	ck_assert_int_eq(BSCTL("unload", "-D", "user", LABEL_B), 0);
	ck_assert(bsctl_listed_until(&r, LABEL_A, false));
	ck_assert(bsctl_listed_until(&r, LABEL_B, false));

	ck_assert_int_eq(BSCTL("load", "-D", "bogus"), 2);
	ck_assert_int_eq(BSCTL("load", "-D"), 2);
	ck_assert_int_eq(BSCTL("load", "-S", "Aqua"), 2);       /* nothing to load */
	ck_assert_int_eq(BSCTL("unload", "-x", LABEL_A), 2);

	/* -D checks the directories as launchctl does, -F skips it. */
	ck_assert_int_eq(chmod(td.jobs, 0777), 0);
	ck_assert_int_eq(BSCTL("load", "-D", "all"), 1);
	ck_assert_ptr_nonnull(strstr(r.err, "dubious permissions"));
	ck_assert_int_eq(BSCTL("load", "-F", "-D", "all"), 0);
	ck_assert(bsctl_listed_until(&r, LABEL_A, true));
	ck_assert_int_gt(asprintf(&a, "%s/" LABEL_A ".plist", td.jobs), 0);
	ck_assert_int_eq(unlink(a), 0);
	ck_assert_int_eq(rmdir(td.jobs), 0);
	ck_assert_int_eq(BSCTL("load", "-D", "all"), 1);
	ck_assert_ptr_nonnull(strstr(r.err, "nothing found"));
	free(a);
	free(b);
}
END_TEST

/*
 * -D finds the domain's job directories whatever their names hold: one
 * with a newline, a tab and a brace in its name, as print DOMAIN would
 * print it on lines of its own, is loaded and unloaded whole.
 */
START_TEST(test_load_job_dirs_odd_name)
{
	free(td.jobs);
	ck_assert_int_gt(asprintf(&td.jobs, "%s/odd\n\t}\n\\name", td.dir), 0);
	ck_assert_int_eq(mkdir(td.jobs, 0755), 0);
	test_daemon_add_job(&td, LABEL_A, SLEEP);
	test_daemon_start(&td);
	ck_assert(bsctl_listed_until(&r, LABEL_A, true));
	ck_assert_msg(BSCTL("unload", "-D", "all") == 0, "%s", r.err);
	ck_assert_str_eq(r.err, "");
	ck_assert(bsctl_listed_until(&r, LABEL_A, false));
	ck_assert_msg(BSCTL("load", "-D", "all") == 0, "%s", r.err);
	ck_assert_str_eq(r.err, "");
	ck_assert(bsctl_listed_until(&r, LABEL_A, true));
}
END_TEST

/* A daemon given a relative --jobs: bsctl, elsewhere, still finds the directory. */
START_TEST(test_load_job_dirs_relative)
{
	ck_assert_int_eq(chdir(td.dir), 0);
	free(td.jobs);
	td.jobs = strdup("relative-jobs");
	ck_assert_int_eq(mkdir(td.jobs, 0755), 0);
	test_daemon_add_job(&td, LABEL_A, SLEEP);
	test_daemon_start(&td);
	ck_assert(bsctl_listed_until(&r, LABEL_A, true));
	ck_assert_int_eq(chdir("/"), 0);
	ck_assert_msg(BSCTL("unload", "-D", "all") == 0, "%s", r.err);
	ck_assert(bsctl_listed_until(&r, LABEL_A, false));
}
END_TEST

/* A job directory that cannot be read at a rescan leaves its jobs loaded. */
START_TEST(test_unreadable_job_dir_keeps_jobs)
{
	char *moved;

	test_daemon_add_job(&td, LABEL_A, SLEEP);
	test_daemon_start(&td);
	ck_assert(bsctl_listed_until(&r, LABEL_A, true));
	ck_assert_int_gt(asprintf(&moved, "%s.away", td.jobs), 0);
	ck_assert_int_eq(rename(td.jobs, moved), 0);
	ck_assert_int_eq(close(open(td.jobs, O_WRONLY | O_CREAT, 0600)), 0);  /* ENOTDIR */
	test_daemon_signal(&td, SIGHUP);
	for (int i = 0; i < 500 && !test_daemon_log_contains(&td, "its jobs stay"); i++)
		usleep(10000);
	ck_assert(test_daemon_log_contains(&td, "its jobs stay"));
	ck_assert_int_eq(BSCTL("list", LABEL_A), 0);
	free(moved);
}
END_TEST

/* kill takes every signal: any name, with or without SIG, in any case, or a number. */
START_TEST(test_kill_signals)
{
	static const struct {
		const char *arg;
		const char *status;     /* list's status column after it */
	} sent[] = {
		{ "sigusr2", "-12" }, { "PWR", "-30" }, { "SIGRTMIN+1", "-35" }, { "rtmax", "-64" },
		{ "IO", "-29" }, { "VtAlrm", "-26" }, { "SIGSTKFLT", "-16" }, { "RTMAX-2", "-62" },
	};
	static const char *const refused[] = {
		"RTMIN+31", "RTMAX-31", "RTMIN-1", "RTMAX+1", "65", "0", "SIGFOO", "INFO", "SIG",
	};
	char want[128];

	test_daemon_add_job(&td, LABEL_A, SLEEP);
	test_daemon_start(&td);
	for (size_t i = 0; i < sizeof(sent) / sizeof(sent[0]); i++) {
		ck_assert_int_eq(BSCTL("kickstart", LABEL_A), 0);
		ck_assert_msg(BSCTL("kill", sent[i].arg, LABEL_A) == 0, "kill %s: %s", sent[i].arg, r.err);
		snprintf(want, sizeof(want), "-\t%s\t" LABEL_A "\n", sent[i].status);
		ck_assert_msg(bsctl_listed_until(&r, want, true), "kill %s: not %s", sent[i].arg, want);
	}
	ck_assert_int_eq(BSCTL("kickstart", LABEL_A), 0);
	ck_assert_int_eq(BSCTL("kill", "SIGWINCH", LABEL_A), 0);     /* ignored by sleep */
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		ck_assert_msg(BSCTL("kill", refused[i], LABEL_A) == 2, "kill %s", refused[i]);
		ck_assert_ptr_nonnull(strstr(r.err, "unknown signal"));
	}
	ck_assert_int_eq(BSCTL("list"), 0);
	ck_assert_ptr_null(strstr(r.out, "-\t-62\t" LABEL_A "\n"));    /* still running */
}
END_TEST

/* A file named on the command line must be a *.plist, as launchctl's path_goodness_check says. */
START_TEST(test_load_plist_name)
{
	char *x = bsctl_write_job(extra, "a.xml", LABEL_A, SLEEP);
	char *upper = bsctl_write_job(extra, "B.PLIST", LABEL_B, SLEEP);
	char *bare = bsctl_write_job(extra, ".plist", "org.test.legacy.bare", SLEEP);

	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL("load", x), 1);
	ck_assert_msg(strstr(r.err, "/a.xml: dubious file, not of type .plist: skipped"), "%s", r.err);
	ck_assert_int_eq(BSCTL("list"), 0);
	ck_assert_ptr_null(strstr(r.out, LABEL_A));
	ck_assert_int_eq(BSCTL("bootstrap", user_domain, x), 1);
	ck_assert_int_eq(BSCTL("load", "-F", x), 0);
	ck_assert(bsctl_listed_until(&r, LABEL_A, true));
	ck_assert_int_eq(BSCTL("unload", x), 0);               /* unload reads any name */
	ck_assert(bsctl_listed_until(&r, LABEL_A, false));
	ck_assert_int_eq(BSCTL("load", upper, bare), 0);        /* *.plist in any case */
	ck_assert(bsctl_listed_until(&r, LABEL_B, true));
	ck_assert(bsctl_listed_until(&r, "org.test.legacy.bare", true));
	ck_assert_int_eq(BSCTL("load", extra), 0);             /* a directory: *.plist only */
	ck_assert_ptr_null(strstr(r.err, "a.xml"));
	ck_assert(bsctl_listed_until(&r, LABEL_A, false));
	free(x);
	free(upper);
	free(bare);
}
END_TEST

static Suite *legacy_suite(void)
{
	Suite *s = suite_create("bsctl-legacy");
	TCase *tc = tcase_create("legacy");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_unload_load_idiom);
	tcase_add_test(tc, test_list_label_dictionary);
	tcase_add_test(tc, test_list_label_escapes);
	tcase_add_test(tc, test_list_x_plist);
	tcase_add_test(tc, test_remove);
	tcase_add_test(tc, test_long_argument_alike);
	tcase_add_test(tc, test_manager);
	tcase_add_test(tc, test_manager_system);
	tcase_add_test(tc, test_unknown_subcommand);
	tcase_add_test(tc, test_error);
	tcase_add_test(tc, test_export);
	tcase_add_test(tc, test_getenv_unset);
	tcase_add_test(tc, test_load_flags);
	tcase_add_test(tc, test_load_job_dirs_odd_name);
	tcase_add_test(tc, test_load_job_dirs_relative);
	tcase_add_test(tc, test_unreadable_job_dir_keeps_jobs);
	tcase_add_test(tc, test_kill_signals);
	tcase_add_test(tc, test_load_plist_name);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(legacy_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
