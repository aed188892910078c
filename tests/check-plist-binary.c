/* SPDX-License-Identifier: MIT */
/*
 * check-plist-binary.c - binary plists: the same values and jobs as their
 * XML originals (every plist under tests/data, made binary by libplist at
 * test time), OpenStep text recognised, `bsctl convert`, and a daemon
 * demand-launching a job whose plist is binary.  Hostile binary plists
 * are in check-plist-binary-hostile.c.
 */
#include "plist.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "job-plist.h"
#include "helpers/bplist.h"
#include "helpers/bsctl-run.h"
#include "helpers/daemon.h"
#include "helpers/echo-client.h"
#include "helpers/same.h"
#include "helpers/tmpdir.h"

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" " \
	"\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n" \
	"<plist version=\"1.0\">\n"

/* Every type, and text that XML must escape. */
static const char rich[] = HEAD
	"<dict>\n"
	"<key>Label</key><string>com.example.rich</string>\n"
	"<key>Text</key><string>a &lt;b&gt; &amp; \"c\" 'd' \xc3\xa9\xe2\x82\xac \xf0\x9f\x98\x80</string>\n"
	"<key>Empty</key><string></string>\n"
	"<key>Negative</key><integer>-42</integer>\n"
	"<key>Small</key><integer>7</integer>\n"
	"<key>Big</key><integer>9223372036854775807</integer>\n"
	"<key>Min</key><integer>-9223372036854775808</integer>\n"
	"<key>Real</key><real>3.25</real>\n"
	"<key>Third</key><real>0.333333333333333315</real>\n"
	"<key>When</key><date>2024-02-29T12:34:56Z</date>\n"
	"<key>Before1970</key><date>1960-01-01T00:00:00Z</date>\n"
	"<key>Bytes</key><data>AAECAwQF/w==</data>\n"
	"<key>NoBytes</key><data></data>\n"
	"<key>Yes</key><true/>\n<key>No</key><false/>\n"
	"<key>List</key><array><string>x</string><array/><dict/>"
	"<dict><key>k</key><integer>1</integer></dict></array>\n"
	"<key>ProgramArguments</key><array><string>/bin/true</string></array>\n"
	"</dict>\n</plist>\n";


/* --- binary and XML forms load identically ----------------------------- */

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf = malloc(PLIST_MAX_SIZE + 1);

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(buf);
	*len = fread(buf, 1, PLIST_MAX_SIZE + 1, f);
	fclose(f);
	return buf;
}

static void assert_same_job(const struct plist_node *x, const struct plist_node *b,
			    const char *path)
{
	struct job_spec *sx = NULL, *sb = NULL;
	struct plist_error ex, eb;
	int rx = job_plist_load(x, path, &sx, &ex, NULL, NULL);
	int rb = job_plist_load(b, path, &sb, &eb, NULL, NULL);

	ck_assert_msg(rx == rb, "%s: job %d from XML, %d from binary", path, rx, rb);
	if (rx == 0)
		same_spec(sx, sb);
	else
		ck_assert_str_eq(ex.reason, eb.reason);
	job_spec_free(sx);
	job_spec_free(sb);
}

/*
 * Return: 1 if @path was compared, 0 if the XML parser refuses it (the
 * refusal tests of check-plist cover those).
 */
static int round_trip(const char *path)
{
	struct plist_node *x = NULL, *b = NULL;
	struct plist_error err;
	char msg[PLIST_ERROR_FORMAT_MAX], *xml, *bin;
	size_t len, bin_len = 0;
	int rc;

	xml = read_file(path, &len);
	if (plist_parse_buffer(xml, len, path, &x, &err) != 0) {
		free(xml);
		return 0;
	}
	bin = bplist_from_xml(xml, len, &bin_len);
	ck_assert_msg(bin != NULL, "%s: libplist cannot read what we accept", path);
	ck_assert_int_eq(memcmp(bin, "bplist00", 8), 0);
	rc = plist_parse_buffer(bin, bin_len, path, &b, &err);
	ck_assert_msg(rc == 0, "%s", plist_error_format(&err, msg, sizeof(msg)));
	same_tree(x, b, path);
	assert_same_job(x, b, path);
	plist_node_free(x);
	plist_node_free(b);
	free(xml);
	free(bin);
	return 1;
}

static int is_plist_name(const char *name)
{
	size_t n = strlen(name);

	return n > 6 && strcmp(name + n - 6, ".plist") == 0;
}

/* Every *.plist under @dir, subdirectories included; @dir may be missing. */
static int round_trip_dir(const char *dir, int *seen)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort), compared = 0;
	char *path;

	for (int i = 0; i < n; i++) {
		ck_assert_int_gt(asprintf(&path, "%s/%s", dir, names[i]->d_name), 0);
		if (names[i]->d_type == DT_DIR && names[i]->d_name[0] != '.') {
			compared += round_trip_dir(path, seen);
		} else if (is_plist_name(names[i]->d_name)) {
			(*seen)++;
			compared += round_trip(path);
		}
		free(path);
		free(names[i]);
	}
	free(n >= 0 ? names : NULL);
	return compared;
}

START_TEST(test_data_round_trips)
{
	int seen = 0, compared = round_trip_dir(getenv("BOOTSTRAPD_TEST_DATA"), &seen);

	/* The jobs and job refusals there parse as plists: most are compared. */
	ck_assert_int_ge(compared, 15);
	ck_assert_int_lt(compared, seen);
}
END_TEST

/* The corpus of real plists is optional: it lives outside the repository. */
START_TEST(test_corpus_round_trips)
{
	const char *dir = getenv("BOOTSTRAPD_TEST_CORPUS");
	int seen = 0, compared = dir ? round_trip_dir(dir, &seen) : 0;

	ck_assert_int_eq(compared, seen);
}
END_TEST

START_TEST(test_every_type_round_trips)
{
	char *path = NULL, *dir = tmpdir_new("bplist-types");

	path = tmpdir_write(dir, "rich.plist", rich, 0644);
	ck_assert_int_eq(round_trip(path), 1);
	/* A plist that is binary already is written anew and compared too. */
	bplist_convert_file(path);
	ck_assert_int_eq(round_trip(path), 1);
	free(path);
	tmpdir_remove(dir);
}
END_TEST


/* --- OpenStep text ------------------------------------------------------- */

static const char *const openstep[] = {
	"{ Label = com.example.old; ProgramArguments = (/bin/true); }\n",
	"  // a comment first\n{ Label = x; }",
	"/* a comment */ (a, b)",
	"\n\t(\"quoted\")",
	"{\"Label\": \"com.example.json\"}",
};

/* libplist 2.2 (Debian 12) reads no OpenStep: recognised and refused by name, as JSON. */
START_TEST(test_openstep_refused)
{
	struct plist_node *root = NULL;
	struct plist_error err;
	const char *doc = openstep[_i];

	ck_assert_int_eq(plist_parse_buffer(doc, strlen(doc), "old.plist", &root, &err),
			 PLIST_E_MALFORMED);
	ck_assert_ptr_null(root);
	ck_assert_str_eq(err.file, "old.plist");
	ck_assert_ptr_nonnull(strstr(err.reason, "OpenStep (old-style) and JSON plists are not supported"));
}
END_TEST

/* Neither binary nor OpenStep: libxml2 says what is wrong, with the line. */
START_TEST(test_other_text_is_xml)
{
	struct plist_node *root = NULL;
	struct plist_error err;

	ck_assert_int_eq(plist_parse_buffer("\n\ngarbage", 9, "g.plist", &root, &err),
			 PLIST_E_MALFORMED);
	ck_assert_ptr_nonnull(strstr(err.reason, "Start tag expected"));
	ck_assert_uint_eq(err.line, 3);
}
END_TEST

/* --- bsctl convert -------------------------------------------------------- */

static struct plist_node *parse_ok(const char *doc, size_t len, const char *name)
{
	struct plist_node *root = NULL;
	struct plist_error err;
	char msg[PLIST_ERROR_FORMAT_MAX];
	int rc = plist_parse_buffer(doc, len, name, &root, &err);

	ck_assert_msg(rc == 0, "%s", plist_error_format(&err, msg, sizeof(msg)));
	return root;
}

static void assert_converts_to(const char *path, const struct plist_node *want)
{
	static struct bsctl_out r;
	struct plist_node *got;

	BSCTL_RUN(&r, "convert", path);
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	ck_assert_str_eq(r.err, "");
	ck_assert_ptr_nonnull(strstr(r.out, "<!DOCTYPE plist PUBLIC"));
	got = parse_ok(r.out, strlen(r.out), "stdout");
	same_tree(want, got, path);
	plist_node_free(got);
}

START_TEST(test_convert_binary_to_xml)
{
	char *dir = tmpdir_new("bplist-convert"), *xml_path, *bin_path;
	struct plist_node *want = parse_ok(rich, strlen(rich), "rich");

	xml_path = tmpdir_write(dir, "rich.plist", rich, 0644);
	bin_path = tmpdir_write(dir, "rich-binary.plist", rich, 0644);
	bplist_convert_file(bin_path);
	assert_converts_to(bin_path, want);
	assert_converts_to(xml_path, want);
	plist_node_free(want);
	free(xml_path);
	free(bin_path);
	tmpdir_remove(dir);
}
END_TEST

START_TEST(test_convert_refusals)
{
	static struct bsctl_out r;
	char *dir = tmpdir_new("bplist-convert-bad"), *path;

	path = tmpdir_write(dir, "cut.plist", "bplist00 and then nothing", 0644);
	BSCTL_RUN(&r, "convert", path);
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.out, "");
	ck_assert_ptr_nonnull(strstr(r.err, "cut.plist: binary plist: truncated at byte 25"));
	BSCTL_RUN(&r, "convert");
	ck_assert_int_eq(r.status, 2);
	BSCTL_RUN(&r, "convert", path, path);
	ck_assert_int_eq(r.status, 2);
	free(path);
	tmpdir_remove(dir);
}
END_TEST

/* --- the daemon ----------------------------------------------------------- */

START_TEST(test_daemon_demand_launches_binary_job)
{
	struct test_daemon td;
	mach_port_t port = MACH_PORT_NULL;
	struct echo_msg r;
	char *path;

	test_daemon_init(&td, "bplist");
	echo_add_job(&td, NULL, NULL);
	ck_assert_int_gt(asprintf(&path, "%s/%s.plist", td.jobs, ECHO_SERVICE_NAME), 0);
	bplist_convert_file(path);
	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, ECHO_SERVICE_NAME, &port),
			 BOOTSTRAP_SUCCESS);
	r = echo_query(port);
	ck_assert_int_gt(r.pid, 0);
	ck_assert(test_daemon_log_contains(&td, "reason demand"));
	free(path);
	test_daemon_stop(&td);
}
END_TEST

/* bsctl sends the file's bytes; the daemon tells the format as bootstrapd does. */
START_TEST(test_bsctl_loads_binary_job)
{
	static struct bsctl_out r;
	struct test_daemon td;
	char *extra = tmpdir_new("bplist-extra"), *path, *bad;
	/* Only its directories: where echo_add_job() writes the plist and log. */
	struct test_daemon other = { .dir = extra, .jobs = extra };
	mach_port_t port = MACH_PORT_NULL;

	test_daemon_init(&td, "bplist-load");
	echo_add_job(&other, NULL, NULL);
	ck_assert_int_gt(asprintf(&path, "%s/%s.plist", extra, ECHO_SERVICE_NAME), 0);
	bplist_convert_file(path);
	bad = tmpdir_write(extra, "cut.plist", "bplist00 and then nothing", 0644);
	test_daemon_start(&td);
	BSCTL_RUN(&r, "load", path);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, ECHO_SERVICE_NAME, &port),
			 BOOTSTRAP_SUCCESS);
	ck_assert_int_gt(echo_query(port).pid, 0);
	BSCTL_RUN(&r, "unload", path);
	ck_assert_msg(r.status == 0, "%s", r.err);
	BSCTL_RUN(&r, "load", bad);
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(strstr(r.err, "cut.plist: binary plist: truncated at byte 25"));
	free(path);
	free(bad);
	test_daemon_stop(&td);
	tmpdir_remove(extra);
}
END_TEST

static Suite *plist_binary_suite(void)
{
	Suite *s = suite_create("plist-binary");
	TCase *tc = tcase_create("same as XML");

	tcase_add_test(tc, test_data_round_trips);
	tcase_add_test(tc, test_corpus_round_trips);
	tcase_add_test(tc, test_every_type_round_trips);
	suite_add_tcase(s, tc);
	tc = tcase_create("OpenStep");
	tcase_add_loop_test(tc, test_openstep_refused, 0, sizeof(openstep) / sizeof(openstep[0]));
	tcase_add_test(tc, test_other_text_is_xml);
	suite_add_tcase(s, tc);
	tc = tcase_create("convert and daemon");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_convert_binary_to_xml);
	tcase_add_test(tc, test_convert_refusals);
	tcase_add_test(tc, test_daemon_demand_launches_binary_job);
	tcase_add_test(tc, test_bsctl_loads_binary_job);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(plist_binary_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
