/* SPDX-License-Identifier: MIT */
/*
 * check-plist.c - the plist parser: every value type, integers good and
 * bad, malformed XML with its line, fds and files, no fd leaks.  Hostile
 * documents are in check-plist-hostile.c.
 */
#include "plist.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers/data.h"
#include "helpers/fdcheck.h"
#include "helpers/runner.h"
#include "helpers/tmpdir.h"

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" " \
	"\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n" \
	"<plist version=\"1.0\">\n"

/* Parse HEAD + @body + </plist>: the body starts on line 4. */
static int parse_body(const char *body, struct plist_node **out,
		      struct plist_error *err)
{
	char *doc;
	int rc;

	ck_assert_int_gt(asprintf(&doc, HEAD "%s</plist>\n", body), 0);
	rc = plist_parse_buffer(doc, strlen(doc), "test.plist", out, err);
	free(doc);
	return rc;
}

static struct plist_node *parse_ok(const char *body)
{
	struct plist_node *root = NULL;
	struct plist_error err;
	char msg[PLIST_ERROR_FORMAT_MAX];
	int rc = parse_body(body, &root, &err);

	ck_assert_msg(rc == 0, "rc %d: %s", rc, plist_error_format(&err, msg, sizeof(msg)));
	ck_assert_ptr_nonnull(root);
	return root;
}

START_TEST(test_every_type)
{
	struct plist_node *root = parse_ok(
		"<dict>\n"                                      /* 4 */
		"\t<key>s</key>\n\t<string> a &amp; &#65; </string>\n" /* 5-6 */
		"\t<key>i</key>\n\t<integer>-42</integer>\n"    /* 7-8 */
		"\t<key>r</key>\n\t<real>2.5</real>\n"          /* 9-10 */
		"\t<key>t</key>\n\t<true/>\n"                   /* 11-12 */
		"\t<key>f</key>\n\t<false />\n"                 /* 13-14 */
		"\t<key>d</key>\n\t<date>2001-01-01T00:00:00Z</date>\n" /* 15-16 */
		"\t<key>b</key>\n\t<data>\n\taGVs\n\tbG8=\n\t</data>\n" /* 17-21 */
		"\t<key>a</key>\n\t<array><string>x</string><integer>0x1F</integer></array>\n"
		"\t<key>e</key>\n\t<dict/>\n"
		"</dict>\n");
	const struct plist_node *v;

	ck_assert_int_eq(root->type, PLIST_DICT);
	ck_assert_uint_eq(root->line, 4);
	ck_assert_uint_eq(root->dict.n, 9);
	ck_assert_str_eq(root->dict.entries[0].key, "s");
	ck_assert_uint_eq(root->dict.entries[0].line, 5);
	v = plist_dict_get(root, "s");
	ck_assert_int_eq(v->type, PLIST_STRING);
	ck_assert_str_eq(v->string.s, " a & A ");
	ck_assert_uint_eq(v->string.len, 7);
	ck_assert_uint_eq(v->line, 6);
	v = plist_dict_get(root, "i");
	ck_assert_int_eq(v->type, PLIST_INTEGER);
	ck_assert_int_eq(v->integer, -42);
	ck_assert_uint_eq(v->line, 8);
	v = plist_dict_get(root, "r");
	ck_assert_int_eq(v->type, PLIST_REAL);
	ck_assert_double_eq(v->real, 2.5);
	ck_assert(plist_dict_get(root, "t")->boolean);
	ck_assert_int_eq(plist_dict_get(root, "f")->type, PLIST_BOOL);
	ck_assert(!plist_dict_get(root, "f")->boolean);
	v = plist_dict_get(root, "d");
	ck_assert_int_eq(v->type, PLIST_DATE);
	ck_assert_int_eq(v->date, 978307200);   /* the CFAbsoluteTime epoch */
	v = plist_dict_get(root, "b");
	ck_assert_int_eq(v->type, PLIST_DATA);
	ck_assert_uint_eq(v->data.len, 5);
	ck_assert_mem_eq(v->data.bytes, "hello", 5);
	v = plist_dict_get(root, "a");
	ck_assert_int_eq(v->type, PLIST_ARRAY);
	ck_assert_uint_eq(v->array.n, 2);
	ck_assert_str_eq(v->array.items[0]->string.s, "x");
	ck_assert_int_eq(v->array.items[1]->integer, 31);
	v = plist_dict_get(root, "e");
	ck_assert_int_eq(v->type, PLIST_DICT);
	ck_assert_uint_eq(v->dict.n, 0);
	plist_node_free(root);
}
END_TEST

START_TEST(test_comments_cdata_and_blanks)
{
	struct plist_node *root = parse_ok(
		"<!-- before -->\n<array>\n  <!-- inside -->\n"
		"  <string><![CDATA[<not a tag>]]> tail</string>\n"
		"  <string/>\n  <?pi ignored?>\n</array>\n<!-- after -->\n");

	ck_assert_int_eq(root->type, PLIST_ARRAY);
	ck_assert_uint_eq(root->line, 5);
	ck_assert_uint_eq(root->array.n, 2);
	ck_assert_str_eq(root->array.items[0]->string.s, "<not a tag> tail");
	ck_assert_str_eq(root->array.items[1]->string.s, "");
	ck_assert_uint_eq(root->array.items[1]->string.len, 0);
	plist_node_free(root);
}
END_TEST

static const struct {
	const char *text;
	long long value;
} good_integers[] = {
	{ "0", 0 }, { "42", 42 }, { "-42", -42 }, { "+7", 7 }, { "  8\n", 8 },
	{ "010", 10 },  /* decimal, never octal: CFPropertyList reads it so */
	{ "0x10", 16 }, { "0XfF", 255 }, { "-0x10", -16 },
	{ "9223372036854775807", LLONG_MAX },
	{ "-9223372036854775808", LLONG_MIN },
};

START_TEST(test_integer_good)
{
	char body[128];
	struct plist_node *root;

	snprintf(body, sizeof(body), "<integer>%s</integer>\n", good_integers[_i].text);
	root = parse_ok(body);
	ck_assert_int_eq(root->type, PLIST_INTEGER);
	ck_assert_int_eq(root->integer, good_integers[_i].value);
	plist_node_free(root);
}
END_TEST

static const struct {
	const char *text;
	const char *reason;
} bad_integers[] = {
	{ "9223372036854775808", "out of range" },
	{ "-9223372036854775809", "out of range" },
	{ "99999999999999999999999", "out of range" },
	{ "0x10000000000000000", "out of range" },
	{ "", "not an integer" }, { "1.5", "not an integer" },
	{ "0x", "not an integer" }, { "--1", "not an integer" },
	{ "12 34", "not an integer" }, { "ten", "not an integer" },
};

START_TEST(test_integer_bad)
{
	struct plist_node *root = NULL;
	struct plist_error err;
	char body[128];

	snprintf(body, sizeof(body), "<array>\n<integer>%s</integer>\n</array>\n",
		 bad_integers[_i].text);
	ck_assert_int_eq(parse_body(body, &root, &err), PLIST_E_MALFORMED);
	ck_assert_ptr_null(root);
	ck_assert_uint_eq(err.line, 5);
	ck_assert_str_eq(err.file, "test.plist");
	ck_assert_ptr_nonnull(strstr(err.reason, bad_integers[_i].reason));
}
END_TEST

/* Small malformed documents in tests/data/, one defect each. */
static const struct {
	const char *file;
	int rc;
	unsigned int line;
	const char *reason;
} malformed[] = {
	{ "garbage.plist", PLIST_E_MALFORMED, 1, "Start tag expected" },
	{ "unclosed-tag.plist", PLIST_E_MALFORMED, 7, "Opening and ending tag mismatch" },
	{ "integer-overflow.plist", PLIST_E_MALFORMED, 4, "integer 9223372036854775808 is out of range" },
	{ "integer-not-a-number.plist", PLIST_E_MALFORMED, 5, "\"12abc\" is not an integer" },
	{ "real-not-a-number.plist", PLIST_E_MALFORMED, 4, "\"1.5.2\" is not a real number" },
	{ "date-invalid.plist", PLIST_E_MALFORMED, 4, "is not a date" },
	{ "data-invalid-base64.plist", PLIST_E_MALFORMED, 4, "invalid base64" },
	{ "bool-with-content.plist", PLIST_E_MALFORMED, 4, "<true> must be empty" },
	{ "key-without-value.plist", PLIST_E_MALFORMED, 7, "key \"Program\" has no value" },
	{ "value-without-key.plist", PLIST_E_MALFORMED, 7, "<string> without a <key>" },
	{ "duplicate-key.plist", PLIST_E_MALFORMED, 7, "duplicate key \"Label\"" },
	{ "unknown-element.plist", PLIST_E_MALFORMED, 6, "unknown element <str>" },
	{ "text-in-dict.plist", PLIST_E_MALFORMED, 8, "unexpected text in <dict>" },
	{ "element-in-string.plist", PLIST_E_MALFORMED, 4, "unexpected <b> inside <string>" },
	{ "root-not-plist.plist", PLIST_E_MALFORMED, 2, "root element is <dict>, expected <plist>" },
	{ "plist-empty.plist", PLIST_E_MALFORMED, 3, "<plist> holds no value" },
	{ "plist-two-values.plist", PLIST_E_MALFORMED, 5, "<plist> holds more than one value" },
	{ "billion-laughs.plist", PLIST_E_ENTITY, 3, "entity declarations are not allowed (entity \"a\")" },
	{ "external-entity.plist", PLIST_E_ENTITY, 3, "entity declarations are not allowed (entity \"passwd\")" },
	{ "parameter-entity.plist", PLIST_E_ENTITY, 3, "entity declarations are not allowed (entity \"ext\")" },
};

START_TEST(test_malformed_file)
{
	char *path = data_path(malformed[_i].file);
	struct plist_node *root = NULL;
	struct plist_error err;
	char msg[PLIST_ERROR_FORMAT_MAX];
	int rc = plist_parse_file(path, &root, &err);

	plist_error_format(&err, msg, sizeof(msg));
	ck_assert_msg(rc == malformed[_i].rc, "%s: rc %d, %s", malformed[_i].file, rc, msg);
	ck_assert_ptr_null(root);
	ck_assert_str_eq(err.file, path);
	ck_assert_msg(err.line == malformed[_i].line, "%s: expected line %u: %s",
		      malformed[_i].file, malformed[_i].line, msg);
	ck_assert_msg(strstr(err.reason, malformed[_i].reason) != NULL,
		      "%s: expected \"%s\": %s", malformed[_i].file, malformed[_i].reason, msg);
	free(path);
}
END_TEST


START_TEST(test_parse_fd_pipe)
{
	static const char doc[] = HEAD "<string>piped</string>\n</plist>\n";
	struct plist_node *root = NULL;
	struct plist_error err;
	int p[2];

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	ck_assert_int_eq(write(p[1], doc, sizeof(doc) - 1), (ssize_t)sizeof(doc) - 1);
	close(p[1]);
	ck_assert_int_eq(plist_parse_fd(p[0], "stdin", &root, &err), 0);
	ck_assert_str_eq(root->string.s, "piped");
	ck_assert_uint_eq(root->line, 4);
	close(p[0]);
	plist_node_free(root);
}
END_TEST

START_TEST(test_parse_file_errors)
{
	char *dir = tmpdir_new("plist-files"), *fifo;
	struct plist_node *root = NULL;
	struct plist_error err;

	ck_assert_int_eq(plist_parse_file("/nonexistent/x.plist", &root, &err), -ENOENT);
	ck_assert_str_eq(err.file, "/nonexistent/x.plist");
	ck_assert_str_eq(err.reason, "cannot open: No such file or directory");
	ck_assert_int_eq(plist_parse_file(dir, &root, &err), -EINVAL);
	ck_assert_str_eq(err.reason, "not a regular file");
	ck_assert_int_gt(asprintf(&fifo, "%s/fifo", dir), 0);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	alarm(10);      /* opening a FIFO must not wait for a writer */
	ck_assert_int_eq(plist_parse_file(fifo, &root, &err), -EINVAL);
	alarm(0);
	ck_assert_ptr_null(root);
	ck_assert_int_eq(plist_parse_buffer("", 0, "empty", &root, &err), PLIST_E_MALFORMED);
	ck_assert_str_eq(err.reason, "empty document");
	free(fifo);
	tmpdir_remove(dir);
}
END_TEST

START_TEST(test_no_fd_leak)
{
	char *good = data_path("label-missing.plist"), *bad = data_path("garbage.plist");
	struct plist_node *root = NULL;
	struct plist_error err;
	int before = fdcheck_count(), i;

	for (i = 0; i < 50; i++) {
		ck_assert_int_eq(plist_parse_file(good, &root, &err), 0);
		root = plist_node_free(root);
		ck_assert_int_eq(plist_parse_file(bad, &root, &err), PLIST_E_MALFORMED);
		ck_assert_int_lt(plist_parse_file("/nonexistent", &root, &err), 0);
	}
	if (fdcheck_count() != before)
		fdcheck_dump();
	ck_assert_int_eq(fdcheck_count(), before);
	free(good);
	free(bad);
}
END_TEST

START_TEST(test_dict_get_and_format)
{
	struct plist_node *root = parse_ok("<dict><key>Label</key><string>x</string></dict>\n");
	struct plist_error err;
	char buf[PLIST_ERROR_FORMAT_MAX];

	ck_assert_ptr_nonnull(plist_dict_get(root, "Label"));
	ck_assert_ptr_null(plist_dict_get(root, "label"));
	ck_assert_ptr_null(plist_dict_get(root, "Labe"));
	ck_assert_ptr_null(plist_dict_get(plist_dict_get(root, "Label"), "Label"));
	ck_assert_ptr_null(plist_dict_get(NULL, "Label"));
	ck_assert_ptr_null(plist_node_free(root));
	ck_assert_ptr_null(plist_node_free(NULL));
	plist_error_set(&err, "a.plist", 12, "bad %s", "thing\nwith newline");
	ck_assert_str_eq(plist_error_format(&err, buf, sizeof(buf)), "a.plist:12: bad thing?with newline");
	plist_error_set(&err, NULL, 0, "whole");
	ck_assert_str_eq(plist_error_format(&err, buf, sizeof(buf)), "(plist): whole");
	ck_assert_str_eq(plist_type_name(PLIST_BOOL), "boolean");
	ck_assert_str_eq(plist_type_name(PLIST_DICT), "dictionary");
}
END_TEST

static Suite *plist_suite(void)
{
	Suite *s = suite_create("plist");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_every_type);
	tcase_add_test(tc, test_comments_cdata_and_blanks);
	tcase_add_loop_test(tc, test_integer_good, 0, sizeof(good_integers) / sizeof(good_integers[0]));
	tcase_add_loop_test(tc, test_integer_bad, 0, sizeof(bad_integers) / sizeof(bad_integers[0]));
	tcase_add_loop_test(tc, test_malformed_file, 0, sizeof(malformed) / sizeof(malformed[0]));
	tcase_add_test(tc, test_parse_fd_pipe);
	tcase_add_test(tc, test_parse_file_errors);
	tcase_add_test(tc, test_no_fd_leak);
	tcase_add_test(tc, test_dict_get_and_format);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(plist_suite(), NULL, 0, argc, argv);
}
