/* SPDX-License-Identifier: MIT */
/*
 * check-job-plist.c - the key table: every honoured key, every refusal with
 * its line, unsupported keys, the case policy, and the corpus of 40
 * real launchd plists with the outcome each must have.
 */
#include "job-plist.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "helpers/fdcheck.h"

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" " \
	"\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n" \
	"<plist version=\"1.0\">\n<dict>\n"
#define TAIL "</dict>\n</plist>\n"
/* Lines 5-8 of every job below. */
#define LABEL_PROGRAM "<key>Label</key>\n<string>com.example.t</string>\n" \
	"<key>Program</key>\n<string>/bin/true</string>\n"

struct warnings {
	char *msg[32];
	int n;
};

static void collect(void *data, const char *msg)
{
	struct warnings *w = data;

	ck_assert_int_lt(w->n, 32);
	w->msg[w->n++] = strdup(msg);
}

static void warnings_clear(struct warnings *w)
{
	while (w->n)
		free(w->msg[--w->n]);
}

/* Load HEAD + @body + TAIL as "job.plist": the body starts on line 5. */
static int load(const char *body, struct job_spec **spec, struct plist_error *err,
		struct warnings *w)
{
	char *doc;
	int rc;

	ck_assert_int_gt(asprintf(&doc, HEAD "%s" TAIL, body), 0);
	rc = job_plist_load_buffer(doc, strlen(doc), "job.plist", spec, err,
				   w ? collect : NULL, w);
	free(doc);
	return rc;
}

static struct job_spec *load_ok(const char *body, struct warnings *w)
{
	struct job_spec *spec = NULL;
	struct plist_error err;
	char msg[PLIST_ERROR_FORMAT_MAX];
	int rc = load(body, &spec, &err, w);

	ck_assert_msg(rc == 0, "rc %d: %s", rc, plist_error_format(&err, msg, sizeof(msg)));
	ck_assert_ptr_nonnull(spec);
	return spec;
}

START_TEST(test_minimal_and_defaults)
{
	struct warnings w = { 0 };
	struct job_spec *spec = load_ok(LABEL_PROGRAM, &w);

	ck_assert_int_eq(w.n, 0);
	ck_assert_str_eq(spec->label, "com.example.t");
	ck_assert_str_eq(spec->path, "job.plist");
	ck_assert_uint_eq(spec->line, 4);
	ck_assert_str_eq(spec->program, "/bin/true");
	ck_assert_str_eq(job_spec_program(spec), "/bin/true");
	ck_assert_uint_eq(spec->argc, 1);         /* argv is just the Program */
	ck_assert_str_eq(spec->argv[0], "/bin/true");
	ck_assert_ptr_null(spec->argv[1]);
	ck_assert(spec->init_groups);
	ck_assert_int_eq(spec->throttle_interval, 10);
	ck_assert_int_eq(spec->exit_timeout, 20);
	ck_assert_int_eq(spec->start_interval, 0);
	ck_assert_int_eq(spec->keepalive.mode, KEEPALIVE_NEVER);
	ck_assert(!spec->run_at_load && !spec->disabled && !spec->enable_globbing);
	ck_assert(!spec->has_umask && !spec->has_nice);
	ck_assert_uint_eq(spec->n_services + spec->n_env + spec->n_calendar, 0);
	ck_assert_uint_eq(spec->n_rlimits + spec->n_watch_paths + spec->n_queue_directories, 0);
	ck_assert_ptr_null(job_spec_free(spec));
	ck_assert_ptr_null(job_spec_free(NULL));
}
END_TEST

START_TEST(test_program_arguments)
{
	struct job_spec *spec = load_ok(
		"<key>Label</key><string>a</string>\n"
		"<key>ProgramArguments</key><array><string>/bin/sleep</string>"
		"<string>10</string></array>\n", NULL);

	ck_assert_ptr_null(spec->program);
	ck_assert_str_eq(job_spec_program(spec), "/bin/sleep");
	ck_assert_uint_eq(spec->argc, 2);
	ck_assert_str_eq(spec->argv[1], "10");
	ck_assert_ptr_null(spec->argv[2]);
	job_spec_free(spec);
	spec = load_ok(LABEL_PROGRAM "<key>ProgramArguments</key><array><string>name</string></array>\n"
		       "<key>EnableGlobbing</key><true/>\n", NULL);
	ck_assert_str_eq(job_spec_program(spec), "/bin/true");
	ck_assert_str_eq(spec->argv[0], "name");
	ck_assert(spec->enable_globbing);
	job_spec_free(spec);
}
END_TEST

START_TEST(test_bool_and_string_keys)
{
	struct job_spec *spec = load_ok(LABEL_PROGRAM
		"<key>RunAtLoad</key><true/><key>Disabled</key><true/>\n"
		"<key>InitGroups</key><false/><key>AbandonProcessGroup</key><true/>\n"
		"<key>LaunchOnlyOnce</key><true/>\n"
		"<key>WorkingDirectory</key><string>/srv</string>\n"
		"<key>RootDirectory</key><string>/jail</string>\n"
		"<key>UserName</key><string>nobody</string>\n"
		"<key>GroupName</key><string>nogroup</string>\n"
		"<key>StandardInPath</key><string>/dev/null</string>\n"
		"<key>StandardOutPath</key><string>/var/log/o</string>\n"
		"<key>StandardErrorPath</key><string>/var/log/e</string>\n", NULL);

	ck_assert(spec->run_at_load && spec->disabled && !spec->init_groups);
	ck_assert(spec->abandon_process_group && spec->launch_only_once);
	ck_assert_str_eq(spec->working_directory, "/srv");
	ck_assert_str_eq(spec->root_directory, "/jail");
	ck_assert_str_eq(spec->user_name, "nobody");
	ck_assert_str_eq(spec->group_name, "nogroup");
	ck_assert_str_eq(spec->stdin_path, "/dev/null");
	ck_assert_str_eq(spec->stdout_path, "/var/log/o");
	ck_assert_str_eq(spec->stderr_path, "/var/log/e");
	job_spec_free(spec);
}
END_TEST

START_TEST(test_environment)
{
	struct job_spec *spec = load_ok(LABEL_PROGRAM
		"<key>EnvironmentVariables</key><dict>\n"
		"<key>A</key><string>1</string><key>B</key><string>x=y</string>\n"
		"<key>EMPTY</key><string></string></dict>\n", NULL);

	ck_assert_uint_eq(spec->n_env, 3);
	ck_assert_str_eq(spec->env[0], "A=1");
	ck_assert_str_eq(spec->env[1], "B=x=y");
	ck_assert_str_eq(spec->env[2], "EMPTY=");
	ck_assert_ptr_null(spec->env[3]);
	job_spec_free(spec);
}
END_TEST

START_TEST(test_umask_and_intervals)
{
	struct warnings w = { 0 };
	struct job_spec *spec = load_ok(LABEL_PROGRAM
		"<key>Umask</key><integer>18</integer>\n"
		"<key>ThrottleInterval</key><integer>30</integer>\n"
		"<key>ExitTimeOut</key><integer>0</integer>\n"
		"<key>StartInterval</key><integer>3600</integer>\n", &w);

	ck_assert(spec->has_umask);
	ck_assert_uint_eq(spec->umask, 022);
	ck_assert_int_eq(spec->throttle_interval, 30);
	ck_assert_int_eq(spec->exit_timeout, 0);
	ck_assert_int_eq(spec->start_interval, 3600);
	job_spec_free(spec);
	spec = load_ok(LABEL_PROGRAM "<key>Umask</key><string>077</string>\n"
		       "<key>StartInterval</key><integer>0</integer>\n", &w);
	ck_assert_uint_eq(spec->umask, 077);
	ck_assert_int_eq(spec->start_interval, 0);
	ck_assert_int_eq(w.n, 1);
	ck_assert_str_eq(w.msg[0], "job.plist: StartInterval 0 is not positive, ignored");
	warnings_clear(&w);
	job_spec_free(spec);
}
END_TEST

START_TEST(test_calendar)
{
	struct job_spec *spec = load_ok(LABEL_PROGRAM
		"<key>StartCalendarInterval</key><dict><key>Hour</key><integer>8</integer>"
		"<key>Minute</key><integer>0</integer></dict>\n", NULL);

	ck_assert_uint_eq(spec->n_calendar, 1);
	ck_assert_int_eq(spec->calendar[0].hour, 8);
	ck_assert_int_eq(spec->calendar[0].minute, 0);
	ck_assert_int_eq(spec->calendar[0].day, -1);
	ck_assert_int_eq(spec->calendar[0].weekday, -1);
	ck_assert_int_eq(spec->calendar[0].month, -1);
	job_spec_free(spec);
	spec = load_ok(LABEL_PROGRAM "<key>StartCalendarInterval</key><array>\n"
		       "<dict><key>Weekday</key><integer>7</integer></dict>\n"
		       "<dict><key>Day</key><integer>31</integer><key>Month</key><integer>12</integer>"
		       "<key>Weekday</key><integer>6</integer></dict>\n<dict/>\n</array>\n", NULL);
	ck_assert_uint_eq(spec->n_calendar, 3);
	ck_assert_int_eq(spec->calendar[0].weekday, 0);    /* 7 is Sunday too */
	ck_assert_int_eq(spec->calendar[1].day, 31);
	ck_assert_int_eq(spec->calendar[1].month, 12);
	ck_assert_int_eq(spec->calendar[1].weekday, 6);
	ck_assert_int_eq(spec->calendar[2].minute, -1);
	job_spec_free(spec);
}
END_TEST

START_TEST(test_paths_and_rlimits)
{
	struct warnings w = { 0 };
	struct job_spec *spec = load_ok(LABEL_PROGRAM
		"<key>WatchPaths</key><array><string>/etc/a</string><string>/etc/b</string></array>\n"
		"<key>QueueDirectories</key><array><string>/var/q</string></array>\n"
		"<key>SoftResourceLimits</key><dict><key>NumberOfFiles</key><integer>512</integer>"
		"<key>Core</key><integer>0</integer><key>Swap</key><integer>1</integer></dict>\n"
		"<key>HardResourceLimits</key><dict><key>NumberOfFiles</key><integer>1024</integer>"
		"<key>CPU</key><integer>60</integer><key>Data</key><integer>1</integer>"
		"<key>FileSize</key><integer>2</integer><key>MemoryLock</key><integer>3</integer>"
		"<key>NumberOfProcesses</key><integer>4</integer><key>ResidentSetSize</key><integer>5</integer>"
		"<key>Stack</key><integer>6</integer></dict>\n", &w);
	static const int order[] = { RLIMIT_NOFILE, RLIMIT_CORE, RLIMIT_CPU, RLIMIT_DATA,
				     RLIMIT_FSIZE, RLIMIT_MEMLOCK, RLIMIT_NPROC, RLIMIT_RSS,
				     RLIMIT_STACK };
	size_t i;

	ck_assert_uint_eq(spec->n_watch_paths, 2);
	ck_assert_str_eq(spec->watch_paths[1], "/etc/b");
	ck_assert_ptr_null(spec->watch_paths[2]);
	ck_assert_uint_eq(spec->n_queue_directories, 1);
	ck_assert_str_eq(spec->queue_directories[0], "/var/q");
	ck_assert_uint_eq(spec->n_rlimits, 9);
	for (i = 0; i < 9; i++)
		ck_assert_int_eq(spec->rlimits[i].resource, order[i]);
	ck_assert(spec->rlimits[0].has_soft && spec->rlimits[0].has_hard);
	ck_assert_uint_eq(spec->rlimits[0].soft, 512);
	ck_assert_uint_eq(spec->rlimits[0].hard, 1024);
	ck_assert(spec->rlimits[1].has_soft && !spec->rlimits[1].has_hard);
	ck_assert(!spec->rlimits[2].has_soft && spec->rlimits[2].has_hard);
	ck_assert_uint_eq(spec->rlimits[8].hard, 6);
	ck_assert_int_eq(w.n, 1);
	ck_assert_str_eq(w.msg[0], "job.plist: unsupported key Swap in SoftResourceLimits");
	warnings_clear(&w);
	job_spec_free(spec);
}
END_TEST

START_TEST(test_nice)
{
	struct warnings w = { 0 };
	struct job_spec *spec = load_ok(LABEL_PROGRAM "<key>Nice</key><integer>-20</integer>\n", &w);

	ck_assert(spec->has_nice);
	ck_assert_int_eq(spec->nice, -20);
	job_spec_free(spec);
	/* Out of range: ignored with a warning, as launchd. */
	spec = load_ok(LABEL_PROGRAM "<key>Nice</key><integer>20</integer>\n", &w);
	ck_assert(!spec->has_nice);
	ck_assert_int_eq(w.n, 1);
	ck_assert_str_eq(w.msg[0], "job.plist: Nice 20 is out of range -20..19, ignored");
	warnings_clear(&w);
	job_spec_free(spec);
}
END_TEST

START_TEST(test_machservices)
{
	struct warnings w = { 0 };
	struct job_spec *spec = load_ok(LABEL_PROGRAM
		"<key>MachServices</key><dict>\n"
		"<key>com.example.a</key><true/>\n"
		"<key>com.example.b</key><dict><key>ResetAtClose</key><true/>"
		"<key>HideUntilCheckIn</key><true/>"
		"<key>DrainMessagesOnCrash</key><string>All</string></dict>\n"
		"<key>com.example.c</key><dict/>\n</dict>\n", &w);

	ck_assert_uint_eq(spec->n_services, 3);
	ck_assert_str_eq(spec->services[0].name, "com.example.a");
	ck_assert(!spec->services[0].reset_at_close && !spec->services[0].hide_until_checkin);
	ck_assert_str_eq(spec->services[1].name, "com.example.b");
	ck_assert(spec->services[1].reset_at_close && spec->services[1].hide_until_checkin);
	ck_assert_str_eq(spec->services[2].name, "com.example.c");
	ck_assert_int_eq(w.n, 1);
	ck_assert_str_eq(w.msg[0], "job.plist: unsupported key DrainMessagesOnCrash in "
			 "MachServices \"com.example.b\"");
	warnings_clear(&w);
	job_spec_free(spec);
}
END_TEST

START_TEST(test_keepalive)
{
	struct warnings w = { 0 };
	struct job_spec *spec = load_ok(LABEL_PROGRAM "<key>KeepAlive</key><true/>\n", NULL);
	const struct keepalive *ka;

	ck_assert_int_eq(spec->keepalive.mode, KEEPALIVE_ALWAYS);
	job_spec_free(spec);
	spec = load_ok(LABEL_PROGRAM "<key>KeepAlive</key><dict>\n"
		       "<key>SuccessfulExit</key><false/><key>Crashed</key><true/>\n"
		       "<key>PathState</key><dict><key>/a</key><true/><key>/b</key><false/></dict>\n"
		       "<key>OtherJobEnabled</key><dict><key>com.example.o</key><true/></dict>\n"
		       "<key>AfterInitialDemand</key><true/>\n"
		       "<key>NetworkState</key><true/>\n"
		       "<key>OtherJobActive</key><dict/>\n</dict>\n", &w);
	ka = &spec->keepalive;
	ck_assert_int_eq(ka->mode, KEEPALIVE_CONDITIONAL);
	ck_assert(ka->has_successful_exit && !ka->successful_exit);
	ck_assert(ka->has_crashed && ka->crashed);
	ck_assert_uint_eq(ka->n_path_state, 2);
	ck_assert_str_eq(ka->path_state[0].path, "/a");
	ck_assert(ka->path_state[0].exists && !ka->path_state[1].exists);
	ck_assert_uint_eq(ka->n_other_job_enabled, 1);
	ck_assert_str_eq(ka->other_job_enabled[0].label, "com.example.o");
	ck_assert(ka->other_job_enabled[0].enabled);
	ck_assert(ka->after_initial_demand);
	ck_assert_int_eq(w.n, 2);
	ck_assert_str_eq(w.msg[0], "job.plist: unsupported key NetworkState in KeepAlive");
	ck_assert_str_eq(w.msg[1], "job.plist: unsupported key OtherJobActive in KeepAlive");
	warnings_clear(&w);
	job_spec_free(spec);
}
END_TEST

START_TEST(test_ondemand)
{
	struct warnings w = { 0 };
	struct job_spec *spec = load_ok(LABEL_PROGRAM "<key>OnDemand</key><false/>\n", NULL);

	ck_assert_int_eq(spec->keepalive.mode, KEEPALIVE_ALWAYS);
	job_spec_free(spec);
	spec = load_ok(LABEL_PROGRAM "<key>OnDemand</key><true/>\n", NULL);
	ck_assert_int_eq(spec->keepalive.mode, KEEPALIVE_NEVER);
	job_spec_free(spec);
	/* KeepAlive wins wherever it stands. */
	spec = load_ok(LABEL_PROGRAM "<key>KeepAlive</key><false/><key>OnDemand</key><false/>\n", &w);
	ck_assert_int_eq(spec->keepalive.mode, KEEPALIVE_NEVER);
	ck_assert_int_eq(w.n, 1);
	ck_assert_str_eq(w.msg[0], "job.plist: OnDemand ignored: KeepAlive is set");
	warnings_clear(&w);
	job_spec_free(spec);
}
END_TEST

static const char *const unsupported[] = {
	"LimitLoadToHosts", "LimitLoadFromHosts",
	"LimitLoadToSessionType", "LimitLoadToHardware",
	"EnableTransactions", "ProcessType", "POSIXSpawnType", "Debug",
	"WaitForDebugger", "LowPriorityIO", "LowPriorityBackgroundIO", "TimeOut",
	"StartOnMount", "LaunchEvents", "JetsamProperties", "SessionCreate",
	"UserEnvironmentVariables", "HopefullyExitsLast", "LegacyTimers",
	"MachServiceLookupPolicies", "SandboxProfile", "NoSuchKeyAnywhere",
};

START_TEST(test_unsupported_key_warns_and_loads)
{
	struct warnings w = { 0 };
	char body[512], expected[128];
	struct job_spec *spec;

	snprintf(body, sizeof(body), LABEL_PROGRAM "<key>%s</key><dict><key>x</key><true/></dict>\n",
		 unsupported[_i]);
	spec = load_ok(body, &w);
	snprintf(expected, sizeof(expected), "job.plist: unsupported key %s", unsupported[_i]);
	ck_assert_int_eq(w.n, 1);
	ck_assert_str_eq(w.msg[0], expected);
	warnings_clear(&w);
	job_spec_free(spec);
}
END_TEST

/* Without a path, messages name the job by its label. */
START_TEST(test_messages_without_path)
{
	static const char doc[] = HEAD LABEL_PROGRAM "<key>LaunchEvents</key><dict/>\n" TAIL;
	static const char bad[] = HEAD "<key>Label</key><string>com.example.bad</string>\n" TAIL;
	struct warnings w = { 0 };
	struct job_spec *spec = NULL;
	struct plist_error err;

	ck_assert_int_eq(job_plist_load_buffer(doc, sizeof(doc) - 1, NULL, &spec, &err, collect, &w), 0);
	ck_assert_ptr_null(spec->path);
	ck_assert_int_eq(w.n, 1);
	ck_assert_str_eq(w.msg[0], "com.example.t: unsupported key LaunchEvents");
	warnings_clear(&w);
	job_spec_free(spec);
	spec = NULL;
	ck_assert_int_eq(job_plist_load_buffer(bad, sizeof(bad) - 1, NULL, &spec, &err, NULL, NULL),
			 JOB_PLIST_E_INVALID);
	ck_assert_ptr_null(spec);
	ck_assert_str_eq(err.file, "com.example.bad");
	ck_assert_uint_eq(err.line, 4);
	ck_assert_str_eq(err.reason, "neither Program nor ProgramArguments is set");
}
END_TEST

/* Inline refusals: { body after HEAD, line, reason }. */
static const struct {
	const char *body;
	unsigned int line;
	const char *reason;
} refusals[] = {
	{ LABEL_PROGRAM "<key>RunAtLoad</key>\n<string>yes</string>\n", 10,
	  "RunAtLoad: expected boolean, got string" },
	{ LABEL_PROGRAM "<key>Umask</key>\n<real>1.0</real>\n", 10,
	  "Umask: expected string or integer, got real" },
	{ LABEL_PROGRAM "<key>Umask</key>\n<string>0-22</string>\n", 10,
	  "Umask \"0-22\" is not an octal number" },
	{ LABEL_PROGRAM "<key>Umask</key>\n<integer>512</integer>\n", 10,
	  "Umask 512 is out of range 0..511 (octal 0777)" },
	{ LABEL_PROGRAM "<key>StartInterval</key>\n<integer>4294967296</integer>\n", 10,
	  "StartInterval: 4294967296 is out of range 0..2147483647" },
	{ LABEL_PROGRAM "<key>UserName</key>\n<string></string>\n", 10, "UserName is empty" },
	{ "<key>Label</key>\n<string>a\tb</string>\n", 6, "Label contains a control character" },
	{ LABEL_PROGRAM "<key>EnvironmentVariables</key><dict>\n<key>A=B</key><string>x</string>\n</dict>\n",
	  10, "EnvironmentVariables: invalid name \"A=B\"" },
	{ LABEL_PROGRAM "<key>EnvironmentVariables</key><dict>\n<key>N</key>\n<integer>1</integer>\n</dict>\n",
	  11, "N in EnvironmentVariables: expected string, got integer" },
	{ LABEL_PROGRAM "<key>WatchPaths</key><array>\n<true/>\n</array>\n", 10,
	  "WatchPaths[0]: expected string, got boolean" },
	{ LABEL_PROGRAM "<key>KeepAlive</key><dict>\n<key>SuccessfulExit</key>\n<integer>1</integer>\n</dict>\n",
	  11, "SuccessfulExit in KeepAlive: expected boolean, got integer" },
	{ LABEL_PROGRAM "<key>KeepAlive</key><dict>\n<key>PathState</key><dict>\n<key>/p</key>\n<string>x</string>\n"
	  "</dict></dict>\n", 12, "/p in PathState: expected boolean, got string" },
	{ LABEL_PROGRAM "<key>KeepAlive</key><dict>\n<key>successfulExit</key><true/>\n</dict>\n", 10,
	  "unknown key \"successfulExit\" in KeepAlive: keys are case-sensitive, did you mean \"SuccessfulExit\"?" },
	{ LABEL_PROGRAM "<key>MachServices</key><dict>\n<key>com.example.s</key><dict>\n"
	  "<key>ResetAtClose</key>\n<string>yes</string>\n</dict></dict>\n", 12,
	  "ResetAtClose in MachServices \"com.example.s\": expected boolean, got string" },
	{ LABEL_PROGRAM "<key>StartCalendarInterval</key><array>\n<dict/>\n<integer>5</integer>\n</array>\n",
	  11, "StartCalendarInterval[1]: expected dictionary, got integer" },
	{ LABEL_PROGRAM "<key>StartCalendarInterval</key><dict>\n<key>Minute</key><integer>-1</integer>\n</dict>\n",
	  10, "Minute: -1 is out of range 0..59" },
	{ LABEL_PROGRAM "<key>StartCalendarInterval</key><dict>\n<key>Hour</key><integer>24</integer>\n</dict>\n",
	  10, "Hour: 24 is out of range 0..23" },
	{ LABEL_PROGRAM "<key>StartCalendarInterval</key><dict>\n<key>Day</key><integer>0</integer>\n</dict>\n",
	  10, "Day: 0 is out of range 1..31" },
	{ LABEL_PROGRAM "<key>StartCalendarInterval</key><dict>\n<key>Day</key><integer>32</integer>\n</dict>\n",
	  10, "Day: 32 is out of range 1..31" },
	{ LABEL_PROGRAM "<key>StartCalendarInterval</key><dict>\n<key>Weekday</key><integer>8</integer>\n</dict>\n",
	  10, "Weekday: 8 is out of range 0..7" },
	{ LABEL_PROGRAM "<key>StartCalendarInterval</key><dict>\n<key>Month</key><integer>0</integer>\n</dict>\n",
	  10, "Month: 0 is out of range 1..12" },
	{ LABEL_PROGRAM "<key>StartCalendarInterval</key><dict>\n<key>Month</key><integer>13</integer>\n</dict>\n",
	  10, "Month: 13 is out of range 1..12" },
	{ LABEL_PROGRAM "<key>HardResourceLimits</key><dict>\n<key>Core</key><integer>-1</integer>\n</dict>\n",
	  10, "Core: -1 is negative" },
	{ "<key>Label</key><string>x</string>\n<key>programarguments</key><array/>\n", 6,
	  "unknown key \"programarguments\": keys are case-sensitive, did you mean \"ProgramArguments\"?" },
};

START_TEST(test_refusal_inline)
{
	struct job_spec *spec = NULL;
	struct plist_error err;
	char msg[PLIST_ERROR_FORMAT_MAX], want[PLIST_ERROR_FORMAT_MAX];
	int rc = load(refusals[_i].body, &spec, &err, NULL);

	plist_error_format(&err, msg, sizeof(msg));
	ck_assert_msg(rc == JOB_PLIST_E_INVALID, "rc %d: %s", rc, msg);
	ck_assert_ptr_null(spec);
	ck_assert_str_eq(err.file, "job.plist");
	ck_assert_msg(err.line == refusals[_i].line, "expected line %u: %s", refusals[_i].line, msg);
	ck_assert_str_eq(err.reason, refusals[_i].reason);
	/* What the daemon logs and bsctl prints: file, line, reason. */
	snprintf(want, sizeof(want), "job.plist:%u: %s", refusals[_i].line, refusals[_i].reason);
	ck_assert_str_eq(msg, want);
}
END_TEST

/* Valid plists that are invalid jobs, in tests/data/, one defect each. */
static const struct {
	const char *file;
	unsigned int line;
	const char *reason;
} refused_files[] = {
	{ "root-not-dict.plist", 4, "the root value is array, expected dictionary" },
	{ "label-missing.plist", 4, "missing Label" },
	{ "label-empty.plist", 6, "Label is empty" },
	{ "label-not-string.plist", 8, "Label: expected string, got integer" },
	{ "program-missing.plist", 4, "neither Program nor ProgramArguments is set" },
	{ "program-arguments-empty.plist", 8, "ProgramArguments is empty" },
	{ "program-arguments-non-string.plist", 10, "ProgramArguments[1]: expected string, got integer" },
	{ "keepalive-wrong-type.plist", 10, "KeepAlive: expected dictionary or boolean, got string" },
	{ "machservices-empty-name.plist", 11, "MachServices name \"\" must be 1 to 127 bytes long" },
	{ "machservices-name-too-long.plist", 11,
	  "MachServices name \"com.example.xxxxxxxxxxxxxxxxxxxxxxxxxxxx...\" must be 1 to 127 bytes long" },
	{ "machservices-false.plist", 12, "MachServices \"com.example.svc\": expected true or dictionary, got false" },
	{ "machservices-string.plist", 12, "MachServices \"com.example.svc\": expected true or dictionary, got string" },
	{ "throttle-interval-negative.plist", 10, "ThrottleInterval: -5 is out of range 0..2147483647" },
	{ "exit-timeout-negative.plist", 10, "ExitTimeOut: -1 is out of range 0..2147483647" },
	{ "calendar-minute-out-of-range.plist", 12, "Minute: 60 is out of range 0..59" },
	{ "key-case-mismatch.plist", 9,
	  "unknown key \"keepalive\": keys are case-sensitive, did you mean \"KeepAlive\"?" },
};

START_TEST(test_refusal_file)
{
	const char *dir = getenv("BOOTSTRAPD_TEST_DATA");
	struct job_spec *spec = NULL;
	struct plist_error err;
	char *path, msg[PLIST_ERROR_FORMAT_MAX];
	int rc;

	ck_assert_ptr_nonnull(dir);
	ck_assert_int_gt(asprintf(&path, "%s/%s", dir, refused_files[_i].file), 0);
	rc = job_plist_load_file(path, &spec, &err, NULL, NULL);
	plist_error_format(&err, msg, sizeof(msg));
	ck_assert_msg(rc == JOB_PLIST_E_INVALID, "rc %d: %s", rc, msg);
	ck_assert_ptr_null(spec);
	ck_assert_str_eq(err.file, path);
	ck_assert_msg(err.line == refused_files[_i].line, "expected line %u: %s",
		      refused_files[_i].line, msg);
	ck_assert_str_eq(err.reason, refused_files[_i].reason);
	free(path);
}
END_TEST

/* Trees built by hand, for what plist.c never produces: repeated keys. */
static struct plist_node *node_new(enum plist_type type, const char *s)
{
	struct plist_node *n = calloc(1, sizeof(*n));

	ck_assert_ptr_nonnull(n);
	n->type = type;
	n->boolean = true;
	if (type == PLIST_STRING)
		n->string.s = strdup(s);
	else if (type == PLIST_DICT)
		n->dict.entries = calloc(8, sizeof(*n->dict.entries));
	return n;
}

static struct plist_node *dict_add(struct plist_node *dict, const char *key,
				   unsigned int line, struct plist_node *value)
{
	struct plist_entry *e = &dict->dict.entries[dict->dict.n++];

	ck_assert_uint_le(dict->dict.n, 8);
	e->key = strdup(key);
	e->line = line;
	e->value = value;
	return value;
}

static void load_tree_refused(struct plist_node *root, unsigned int line, const char *reason)
{
	struct job_spec *spec = NULL;
	struct plist_error err;

	ck_assert_int_eq(job_plist_load(root, "hand.plist", &spec, &err, NULL, NULL),
			 JOB_PLIST_E_INVALID);
	ck_assert_ptr_null(spec);
	ck_assert_uint_eq(err.line, line);
	ck_assert_str_eq(err.reason, reason);
	plist_node_free(root);
}

START_TEST(test_duplicate_service_names)
{
	struct plist_node *root = node_new(PLIST_DICT, NULL), *svcs;

	dict_add(root, "Label", 2, node_new(PLIST_STRING, "dup"));
	dict_add(root, "Program", 3, node_new(PLIST_STRING, "/bin/true"));
	svcs = dict_add(root, "MachServices", 4, node_new(PLIST_DICT, NULL));
	dict_add(svcs, "com.example.s", 5, node_new(PLIST_BOOL, NULL));
	dict_add(svcs, "com.example.s", 6, node_new(PLIST_BOOL, NULL));
	load_tree_refused(root, 6, "duplicate MachServices name \"com.example.s\"");
}
END_TEST

START_TEST(test_duplicate_key_in_tree)
{
	struct plist_node *root = node_new(PLIST_DICT, NULL);

	dict_add(root, "Label", 2, node_new(PLIST_STRING, "dup"));
	dict_add(root, "Program", 3, node_new(PLIST_STRING, "/bin/true"));
	dict_add(root, "Program", 4, node_new(PLIST_STRING, "/bin/false"));
	load_tree_refused(root, 4, "duplicate key \"Program\"");
}
END_TEST

START_TEST(test_parse_errors_pass_through)
{
	const char *dir = getenv("BOOTSTRAPD_TEST_DATA");
	struct job_spec *spec = NULL;
	struct plist_error err;
	char *path;
	int before = fdcheck_count();

	ck_assert_int_gt(asprintf(&path, "%s/billion-laughs.plist", dir), 0);
	ck_assert_int_eq(job_plist_load_file(path, &spec, &err, NULL, NULL), PLIST_E_ENTITY);
	ck_assert_int_eq(job_plist_load_file("/nonexistent.plist", &spec, &err, NULL, NULL), -ENOENT);
	ck_assert_int_eq(job_plist_load_buffer("<plist>", 7, "x", &spec, &err, NULL, NULL),
			 PLIST_E_MALFORMED);
	ck_assert_ptr_null(spec);
	ck_assert_int_eq(fdcheck_count(), before);
	free(path);
}
END_TEST

/*
 * The corpus (tests/data/corpus): 40 real plists, each with the outcome it must have.
 * All load except the SMJobBless helper, whose launchd plist names no
 * program (launchd takes it from the app bundle, which we do not have).
 * For the files that load, the label is checked too.
 */
static const struct {
	const char *file;
	const char *label;      /* NULL: must be refused with @reason */
	const char *reason;
} corpus[] = {
	{ "FreeRADIUS__freeradius-server__scripts__osx__org.freeradius.radiusd.plist", "org.freeradius.radiusd" },
	{ "Rockapela__uebersicht-launchagents__examples__launchagents__com.example.brew-autoupdate.plist", "com.example.brew-autoupdate" },
	{ "Tunnelblick__Tunnelblick__tunnelblick__LeaseWatch.plist", "net.tunnelblick.openvpn.leasewatch" },
	{ "apple-oss-distributions__DiskArbitration__DiskArbitrationAgent__com.apple.DiskArbitrationAgent.plist", "com.apple.DiskArbitrationAgent" },
	{ "apple-oss-distributions__Heimdal__packages__mac__com.apple.Kerberos.kcm.plist", "com.apple.Kerberos.kcm" },
	{ "apple-oss-distributions__Libnotify__notifyd__com.apple.notifyd.plist", "com.apple.notifyd" },
	{ "apple-oss-distributions__NFS__mount_nfs__com.apple.nfsconf.plist", "com.apple.nfsconf" },
	{ "apple-oss-distributions__OpenSSH__com.openssh.ssh-agent.plist", "com.openssh.ssh-agent" },
	{ "apple-oss-distributions__PowerManagement__pmconfigd__com.apple.powerd.plist", "com.apple.powerd" },
	{ "apple-oss-distributions__PowerManagement__swd__com.apple.powerd.swd.plist", "com.apple.powerd.swd" },
	{ "apple-oss-distributions__apache__org.apache.httpd.plist", "org.apache.httpd" },
	{ "apple-oss-distributions__bootp__dhcp6d.tproj__com.apple.dhcp6d.plist", "com.apple.dhcp6d" },
	{ "apple-oss-distributions__configd__SystemConfiguration.fproj__helper__com.apple.SCHelper.plist", "com.apple.SCHelper" },
	{ "apple-oss-distributions__configd__configd.tproj__com.apple.configd.plist", "com.apple.configd" },
	{ "apple-oss-distributions__eap8021x__eapolcfg_auth.tproj__com.apple.eapolcfg_auth.plist", "com.apple.eapolcfg_auth" },
	{ "apple-oss-distributions__launchd__SystemStarter__com.apple.SystemStarter.plist", "com.apple.SystemStarter" },
	{ "apple-oss-distributions__mDNSResponder__mDNSMacOSX__com.apple.dnsextd.plist", "com.apple.dnsextd" },
	{ "apple-oss-distributions__mDNSResponder__mDNSMacOSX__com.apple.mDNSResponderHelper.plist", "com.apple.mDNSResponderHelper.reloaded" },
	{ "apple-oss-distributions__ntp__org.ntp.ntpd.plist", "org.ntp.ntpd" },
	{ "apple-oss-distributions__postfix__Postfix.LaunchDaemons__com.apple.postfix.newaliases.plist", "com.apple.postfix.newaliases" },
	{ "apple-oss-distributions__postfix__Postfix.LaunchDaemons__com.apple.postfixsetup.plist", "com.apple.postfixsetup" },
	{ "apple-oss-distributions__syslog__newsyslog__com.apple.newsyslog.plist", "com.apple.newsyslog" },
	{ "apple-oss-distributions__system_cmds__atrun__com.apple.atrun.plist", "com.apple.atrun" },
	{ "apple-oss-distributions__system_cmds__dynamic_pager__com.apple.dynamic_pager.plist", "com.apple.dynamic_pager" },
	{ "apple-oss-distributions__xinetd__org.xinetd.xinetd.plist", "org.xinetd.xinetd" },
	{ "darlinghq__darling__src__private-frameworks__CoreSymbolication__resources__com.apple.coresymbolicationd.plist", "com.apple.coresymbolicationd" },
	{ "darlinghq__darling__src__shellspawn__org.darlinghq.shellspawn.plist", "org.darlinghq.shellspawn" },
	{ "erikberglund__SwiftPrivilegedHelper__SwiftPrivilegedHelperApplication__SwiftPrivilegedHelper__Helper-Launchd.plist",
	  NULL, "neither Program nor ProgramArguments is set" },
	{ "freebsd__openlaunchd__launchd__testing__StartInterval.plist", "com.apple.launchd.test.StartInterval" },
	{ "freebsd__openlaunchd__launchd__testing__signaldeath.plist", "com.apple.launchd.test.signaldeath" },
	{ "google__santa__Conf__com.google.santa.plist", "com.google.santa" },
	{ "ipfs__kubo__misc__launchd__io.ipfs.ipfs-daemon.plist", "io.ipfs.ipfs-daemon" },
	{ "lima-vm__socket_vmnet__launchd__io.github.lima-vm.socket_vmnet.plist", "io.github.lima-vm.socket_vmnet" },
	{ "log2timeline__plaso__test_data__plist__launchd.minimal.plist", "foo" },
	{ "macadmins__outset__Package__Library__LaunchDaemons__io.macadmins.Outset.boot.plist", "io.macadmins.Outset.boot" },
	{ "munki__munki__launchd__LaunchDaemons__com.googlecode.munki.managedsoftwareupdate-check.plist", "com.googlecode.munki.managedsoftwareupdate-check" },
	{ "osquery__osquery__tools__deployment__com.facebook.osqueryd.plist", "com.facebook.osqueryd" },
	{ "pkgdemon__freebsd-launchd-mach__overlays__System__Library__LaunchDaemons__com.apple.getty.plist", "com.apple.getty" },
	{ "postgres__postgres__contrib__start-scripts__macos__org.postgresql.postgres.plist", "org.postgresql.postgres" },
	{ "pqrs-org__Karabiner-Elements__src__apps__ServiceManager-Non-Privileged-Agents__LaunchAgents__org.pqrs.service.agent.Karabiner-Console-User-Server.plist", "org.pqrs.service.agent.Karabiner-Console-User-Server" },
};
#define N_CORPUS (sizeof(corpus) / sizeof(corpus[0]))

static int corpus_index(const char *name)
{
	size_t i;

	for (i = 0; i < N_CORPUS; i++)
		if (strcmp(corpus[i].file, name) == 0)
			return (int)i;
	return -1;
}

/* Load one corpus file, print its outcome and check it against the table. */
static void check_corpus_file(const char *dir, const char *name, bool *seen)
{
	struct job_spec *spec = NULL;
	struct plist_error err;
	char *path, msg[PLIST_ERROR_FORMAT_MAX];
	int i = corpus_index(name), rc;

	ck_assert_msg(i >= 0, "%s is not in the expected-outcome table", name);
	ck_assert_msg(!seen[i], "%s seen twice", name);
	seen[i] = true;
	ck_assert_int_gt(asprintf(&path, "%s/%s", dir, name), 0);
	rc = job_plist_load_file(path, &spec, &err, NULL, NULL);
	if (rc == 0) {
		printf("LOADED %s\n", name);
		ck_assert_msg(corpus[i].label, "%s loaded but must be refused", name);
		ck_assert_str_eq(spec->label, corpus[i].label);
		ck_assert_ptr_nonnull(job_spec_program(spec));
	} else {
		printf("REJECTED %s: %s\n", name, plist_error_format(&err, msg, sizeof(msg)));
		ck_assert_msg(!corpus[i].label, "%s refused: %s", name, msg);
		ck_assert_int_eq(rc, JOB_PLIST_E_INVALID);
		ck_assert_str_ne(err.reason, "");
		ck_assert_str_eq(err.reason, corpus[i].reason);
	}
	job_spec_free(spec);
	free(path);
}

static int cmp_names(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_plist(const struct dirent *d)
{
	size_t len = strlen(d->d_name);

	return len > 6 && strcmp(d->d_name + len - 6, ".plist") == 0;
}

START_TEST(test_corpus)
{
	const char *dir = getenv("BOOTSTRAPD_TEST_CORPUS");
	struct dirent **names;
	bool seen[N_CORPUS] = { false };
	int n, i;

	ck_assert_msg(dir != NULL, "BOOTSTRAPD_TEST_CORPUS is not set");
	n = scandir(dir, &names, is_plist, cmp_names);
	ck_assert_msg(n >= 0, "cannot open %s: %s", dir, strerror(errno));
	for (i = 0; i < n; i++) {
		check_corpus_file(dir, names[i]->d_name, seen);
		free(names[i]);
	}
	free(names);
	fflush(stdout);
	ck_assert_int_eq(n, (int)N_CORPUS);
	for (i = 0; i < (int)N_CORPUS; i++)
		ck_assert_msg(seen[i], "%s is missing from the corpus", corpus[i].file);
}
END_TEST

static Suite *job_plist_suite(void)
{
	Suite *s = suite_create("job-plist");
	TCase *tc = tcase_create("keys");

	tcase_add_test(tc, test_minimal_and_defaults);
	tcase_add_test(tc, test_program_arguments);
	tcase_add_test(tc, test_bool_and_string_keys);
	tcase_add_test(tc, test_environment);
	tcase_add_test(tc, test_umask_and_intervals);
	tcase_add_test(tc, test_calendar);
	tcase_add_test(tc, test_paths_and_rlimits);
	tcase_add_test(tc, test_nice);
	tcase_add_test(tc, test_machservices);
	tcase_add_test(tc, test_keepalive);
	tcase_add_test(tc, test_ondemand);
	tcase_add_loop_test(tc, test_unsupported_key_warns_and_loads, 0,
			    sizeof(unsupported) / sizeof(unsupported[0]));
	tcase_add_test(tc, test_messages_without_path);
	suite_add_tcase(s, tc);
	tc = tcase_create("refusals");
	tcase_add_loop_test(tc, test_refusal_inline, 0, sizeof(refusals) / sizeof(refusals[0]));
	tcase_add_loop_test(tc, test_refusal_file, 0, sizeof(refused_files) / sizeof(refused_files[0]));
	tcase_add_test(tc, test_duplicate_service_names);
	tcase_add_test(tc, test_duplicate_key_in_tree);
	tcase_add_test(tc, test_parse_errors_pass_through);
	suite_add_tcase(s, tc);
	tc = tcase_create("corpus");
	tcase_add_test(tc, test_corpus);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(job_plist_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
