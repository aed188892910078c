/* SPDX-License-Identifier: MIT */
/*
 * check-job-plist-refusals.c - every refusal of an invalid job, with its line and
 * reason: inline, from files in tests/data/, from trees built by hand
 * (repeated keys), and parse errors passed through.
 */
#include "job-plist.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/fdcheck.h"
#include "helpers/job-body.h"
#include "helpers/runner.h"

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

static Suite *job_plist_suite(void)
{
	Suite *s = suite_create("job-plist");
	TCase *tc = tcase_create("refusals");

	tcase_add_loop_test(tc, test_refusal_inline, 0, sizeof(refusals) / sizeof(refusals[0]));
	tcase_add_loop_test(tc, test_refusal_file, 0, sizeof(refused_files) / sizeof(refused_files[0]));
	tcase_add_test(tc, test_duplicate_service_names);
	tcase_add_test(tc, test_duplicate_key_in_tree);
	tcase_add_test(tc, test_parse_errors_pass_through);
	suite_add_tcase(s, tc);
	return s;
}


int main(int argc, char **argv)
{
	return runner_main(job_plist_suite(), NULL, 0, argc, argv);
}
