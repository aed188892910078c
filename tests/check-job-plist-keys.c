/* SPDX-License-Identifier: MIT */
/*
 * check-job-plist-keys.c - the key table: every honoured key, its defaults,
 * unsupported keys that warn and load, and messages that name the job by
 * its label when it has no path.  Refusals are in check-job-plist-refusals.c,
 * the corpus of real launchd plists in check-job-plist-corpus.c.
 */
#include "job-plist.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "helpers/job-body.h"
#include "helpers/runner.h"

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
	/* launchd's PRIO_MAX is 20, and setpriority() takes it as 19. */
	spec = load_ok(LABEL_PROGRAM "<key>Nice</key><integer>20</integer>\n", &w);
	ck_assert(spec->has_nice);
	ck_assert_int_eq(spec->nice, 20);
	ck_assert_int_eq(w.n, 0);
	job_spec_free(spec);
	/* Out of range: ignored with a warning, as launchd. */
	spec = load_ok(LABEL_PROGRAM "<key>Nice</key><integer>21</integer>\n", &w);
	ck_assert(!spec->has_nice);
	ck_assert_int_eq(w.n, 1);
	ck_assert_str_eq(w.msg[0], "job.plist: Nice 21 is out of range -20..20, ignored");
	warnings_clear(&w);
	job_spec_free(spec);
}
END_TEST

/* A ThrottleInterval or ExitTimeOut below zero: ignored with a warning, the default kept, as launchd. */
START_TEST(test_negative_seconds_ignored)
{
	struct warnings w = { 0 };
	struct job_spec *spec = load_ok(LABEL_PROGRAM "<key>ThrottleInterval</key><integer>-5</integer>\n"
					"<key>ExitTimeOut</key><integer>-1</integer>\n", &w);

	ck_assert_int_eq(spec->throttle_interval, JOB_DEFAULT_THROTTLE_INTERVAL);
	ck_assert_int_eq(spec->exit_timeout, JOB_DEFAULT_EXIT_TIMEOUT);
	ck_assert_int_eq(w.n, 2);
	ck_assert_str_eq(w.msg[0], "job.plist: ThrottleInterval -5 is below zero, ignored");
	ck_assert_str_eq(w.msg[1], "job.plist: ExitTimeOut -1 is below zero, ignored");
	warnings_clear(&w);
	job_spec_free(spec);
}
END_TEST

/*
 * As launchd: UserName root and GroupName wheel are dropped, the job runs
 * as the daemon would without them; a macOS GroupName wheel used to name a
 * group (none on Debian, an admin group elsewhere).
 */
START_TEST(test_root_and_wheel_dropped)
{
	struct job_spec *spec = load_ok(LABEL_PROGRAM "<key>UserName</key><string>root</string>\n"
					"<key>GroupName</key><string>wheel</string>\n", NULL);

	ck_assert_ptr_null(spec->user_name);
	ck_assert_ptr_null(spec->group_name);
	job_spec_free(spec);
	spec = load_ok(LABEL_PROGRAM "<key>UserName</key><string>nobody</string>\n"
		       "<key>GroupName</key><string>wheel</string>\n", NULL);
	ck_assert_str_eq(spec->user_name, "nobody");
	ck_assert_ptr_null(spec->group_name);
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
		       "<key>OtherJobActive</key><dict><key>com.example.a</key><false/></dict>\n"
		       "</dict>\n", &w);
	ka = &spec->keepalive;
	ck_assert_int_eq(ka->mode, KEEPALIVE_CONDITIONAL);
	ck_assert(ka->has_successful_exit && !ka->successful_exit);
	ck_assert(ka->has_crashed && ka->crashed);
	ck_assert_uint_eq(ka->n_path_state, 2);
	ck_assert_str_eq(ka->path_state[0].path, "/a");
	ck_assert(ka->path_state[0].exists && !ka->path_state[1].exists);
	ck_assert_uint_eq(ka->n_other_jobs, 2);
	ck_assert_str_eq(ka->other_jobs[0].label, "com.example.o");
	ck_assert(ka->other_jobs[0].enabled && !ka->other_jobs[0].active);
	ck_assert_str_eq(ka->other_jobs[1].label, "com.example.a");
	ck_assert(!ka->other_jobs[1].enabled && ka->other_jobs[1].active);
	ck_assert(ka->after_initial_demand);
	ck_assert(ka->has_network_state && ka->network_state);
	ck_assert_int_eq(w.n, 0);
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

/* A loaded spec keeps its strings and common lists in one block, intact. */
static bool in_block(const struct job_spec *spec, const void *p)
{
	const char *b = spec->block;

	return b && (const char *)p >= b && (const char *)p < b + spec->block_size;
}

START_TEST(test_compacted)
{
	struct job_spec *spec = load_ok(LABEL_PROGRAM
		"<key>ProgramArguments</key><array><string>x</string><string>y</string></array>\n"
		"<key>EnvironmentVariables</key><dict><key>A</key><string>1</string></dict>\n"
		"<key>WorkingDirectory</key><string>/tmp</string>\n"
		"<key>WatchPaths</key><array><string>/etc/w</string></array>\n"
		"<key>QueueDirectories</key><array><string>/var/q</string></array>\n"
		"<key>MachServices</key><dict><key>com.example.m</key><true/></dict>\n", NULL);
	const void *moved[] = { spec->label, spec->path, spec->program, spec->argv, spec->argv[0],
				spec->argv[1], spec->env, spec->env[0], spec->working_directory,
				spec->watch_paths, spec->watch_paths[0], spec->queue_directories,
				spec->queue_directories[0], spec->services, spec->services[0].name };

	for (size_t i = 0; i < sizeof(moved) / sizeof(moved[0]); i++)
		ck_assert_msg(in_block(spec, moved[i]), "pointer %zu is not in the block", i);
	ck_assert_str_eq(spec->label, "com.example.t");
	ck_assert_str_eq(spec->program, "/bin/true");
	ck_assert_str_eq(spec->argv[0], "x");
	ck_assert_str_eq(spec->argv[1], "y");
	ck_assert_ptr_null(spec->argv[2]);
	ck_assert_str_eq(spec->env[0], "A=1");
	ck_assert_ptr_null(spec->env[1]);
	ck_assert_str_eq(spec->working_directory, "/tmp");
	ck_assert_str_eq(spec->watch_paths[0], "/etc/w");
	ck_assert_str_eq(spec->queue_directories[0], "/var/q");
	ck_assert_str_eq(spec->services[0].name, "com.example.m");
	ck_assert_ptr_null(spec->services[1].name);
	job_spec_compact(spec);         /* once only */
	ck_assert_str_eq(spec->argv[1], "y");
	job_spec_free(spec);
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
	tcase_add_test(tc, test_negative_seconds_ignored);
	tcase_add_test(tc, test_root_and_wheel_dropped);
	tcase_add_test(tc, test_machservices);
	tcase_add_test(tc, test_keepalive);
	tcase_add_test(tc, test_ondemand);
	tcase_add_loop_test(tc, test_unsupported_key_warns_and_loads, 0,
			    sizeof(unsupported) / sizeof(unsupported[0]));
	tcase_add_test(tc, test_messages_without_path);
	tcase_add_test(tc, test_compacted);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(job_plist_suite(), NULL, 0, argc, argv);
}
