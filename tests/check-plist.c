/* SPDX-License-Identifier: MIT */
/*
 * check-plist.c - the plist parser: every value type, malformed XML with
 * its line, hostile documents (entities, depth, size, element count), no
 * file or network access, nothing on stderr, no fd leaks.
 */
#include "plist.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers/fdcheck.h"
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

static char *data_path(const char *name)
{
	const char *dir = getenv("BOOTSTRAPD_TEST_DATA");
	char *path;

	ck_assert_msg(dir != NULL, "BOOTSTRAPD_TEST_DATA is not set");
	ck_assert_int_gt(asprintf(&path, "%s/%s", dir, name), 0);
	return path;
}

/* A document of @n copies of @unit between @prefix and @suffix. */
static char *repeat_doc(const char *prefix, const char *unit, size_t n,
			const char *suffix, size_t *len)
{
	size_t ul = strlen(unit), pl = strlen(prefix), sl = strlen(suffix), i;
	char *doc = malloc(pl + ul * n + sl + 1), *p = doc;

	ck_assert_ptr_nonnull(doc);
	p = stpcpy(p, prefix);
	for (i = 0; i < n; i++)
		p = stpcpy(p, unit);
	p = stpcpy(p, suffix);
	*len = (size_t)(p - doc);
	return doc;
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

/*
 * Refused at the first declaration (line 3), long before the &j; of line
 * 15 could be expanded: no tree, and the error names entity "a".  (How long
 * that takes is measured in bench/, next to a plain plist of the same size.)
 */
START_TEST(test_billion_laughs_not_expanded)
{
	char *path = data_path("billion-laughs.plist");
	struct plist_node *root = NULL;
	struct plist_error err;

	ck_assert_int_eq(plist_parse_file(path, &root, &err), PLIST_E_ENTITY);
	ck_assert_ptr_null(root);
	ck_assert_uint_eq(err.line, 3);
	ck_assert_str_eq(err.reason, "entity declarations are not allowed (entity \"a\")");
	free(path);
}
END_TEST

START_TEST(test_external_entity_not_expanded)
{
	char *path = data_path("external-entity.plist");
	struct plist_node *root = NULL;
	struct plist_error err;

	ck_assert_int_eq(plist_parse_file(path, &root, &err), PLIST_E_ENTITY);
	ck_assert_ptr_null(root);
	ck_assert_ptr_null(strstr(err.reason, "root:"));
	free(path);
}
END_TEST

static int listen_loopback(unsigned short *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	ck_assert_int_ge(fd, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(fd, 8), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

/*
 * A DOCTYPE or entity naming a FIFO would block the parser forever if it
 * opened it (alarm() turns that into a failure), and one naming a local
 * HTTP server would leave a connection in its backlog.
 */
START_TEST(test_no_file_or_network_access)
{
	char *dir = tmpdir_new("plist-xxe"), *fifo, doc[1024];
	struct plist_node *root = NULL;
	struct plist_error err;
	unsigned short port;
	int lfd = listen_loopback(&port);
	struct pollfd pfd = { .fd = lfd, .events = POLLIN };

	ck_assert_int_gt(asprintf(&fifo, "%s/dtd", dir), 0);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	alarm(10);
	snprintf(doc, sizeof(doc), "<?xml version=\"1.0\"?>\n<!DOCTYPE plist SYSTEM \"file://%s\">\n"
		 "<plist><true/></plist>\n", fifo);
	ck_assert_int_eq(plist_parse_buffer(doc, strlen(doc), "t", &root, &err), 0);
	root = plist_node_free(root);
	snprintf(doc, sizeof(doc), "<?xml version=\"1.0\"?>\n<!DOCTYPE plist SYSTEM "
		 "\"http://127.0.0.1:%u/x.dtd\">\n<plist><true/></plist>\n", port);
	ck_assert_int_eq(plist_parse_buffer(doc, strlen(doc), "t", &root, &err), 0);
	root = plist_node_free(root);
	snprintf(doc, sizeof(doc), "<?xml version=\"1.0\"?>\n<!DOCTYPE plist [\n"
		 "<!ENTITY f SYSTEM \"file://%s\">\n<!ENTITY n SYSTEM \"http://127.0.0.1:%u/e\">\n]>\n"
		 "<plist><string>&f;&n;</string></plist>\n", fifo, port);
	ck_assert_int_eq(plist_parse_buffer(doc, strlen(doc), "t", &root, &err), PLIST_E_ENTITY);
	alarm(0);
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
	close(lfd);
	free(fifo);
	tmpdir_remove(dir);
}
END_TEST

static int parse_nested(size_t depth, struct plist_error *err)
{
	struct plist_node *root = NULL;
	size_t len;
	char *open = repeat_doc("<plist>", "<array>", depth, "", &len);
	char *doc = repeat_doc(open, "</array>", depth, "</plist>", &len);
	int rc = plist_parse_buffer(doc, len, "deep", &root, err);

	plist_node_free(root);
	free(open);
	free(doc);
	return rc;
}

START_TEST(test_depth)
{
	struct plist_error err;

	ck_assert_int_eq(parse_nested(PLIST_MAX_DEPTH, &err), 0);
	ck_assert_int_eq(parse_nested(PLIST_MAX_DEPTH + 1, &err), PLIST_E_LIMIT);
	ck_assert_int_eq(parse_nested(1000, &err), PLIST_E_LIMIT);
	ck_assert_uint_eq(err.line, 1);
	ck_assert_str_eq(err.reason, "values nested deeper than 64 levels");
}
END_TEST

START_TEST(test_huge_string)
{
	size_t len;
	char *doc = repeat_doc(HEAD "<string>", "x", PLIST_MAX_SIZE, "</string></plist>", &len);
	char *dir = tmpdir_new("plist-big"), *path;
	struct plist_node *root = NULL;
	struct plist_error err;

	ck_assert_int_eq(plist_parse_buffer(doc, len, "big", &root, &err), PLIST_E_LIMIT);
	ck_assert_str_eq(err.reason, "larger than 1048576 bytes");
	ck_assert_uint_eq(err.line, 0);
	path = tmpdir_write(dir, "big.plist", doc, 0600);
	ck_assert_int_eq(plist_parse_file(path, &root, &err), PLIST_E_LIMIT);
	ck_assert_str_eq(err.file, path);
	ck_assert_ptr_null(root);
	free(path);
	free(doc);
	tmpdir_remove(dir);
}
END_TEST

START_TEST(test_string_limit)
{
	size_t len;
	char *doc = repeat_doc(HEAD "\n<string>", "x", PLIST_MAX_STRING + 1, "</string></plist>", &len);
	struct plist_node *root = NULL;
	struct plist_error err;

	ck_assert_int_eq(plist_parse_buffer(doc, len, "s", &root, &err), PLIST_E_LIMIT);
	ck_assert_uint_eq(err.line, 5);
	ck_assert_str_eq(err.reason, "<string> longer than 65536 bytes");
	free(doc);
	doc = repeat_doc(HEAD "<string>", "x", PLIST_MAX_STRING, "</string></plist>", &len);
	ck_assert_int_eq(plist_parse_buffer(doc, len, "s", &root, &err), 0);
	ck_assert_uint_eq(root->string.len, PLIST_MAX_STRING);
	plist_node_free(root);
	free(doc);
}
END_TEST

START_TEST(test_element_limit)
{
	size_t len;
	char *doc = repeat_doc("<plist><array>", "<true/>", PLIST_MAX_NODES, "</array></plist>", &len);
	struct plist_node *root = NULL;
	struct plist_error err;

	ck_assert_int_eq(plist_parse_buffer(doc, len, "n", &root, &err), PLIST_E_LIMIT);
	ck_assert_str_eq(err.reason, "more than 65536 elements");
	free(doc);
	/* <plist> and <array> count: this is exactly the limit. */
	doc = repeat_doc("<plist><array>", "<true/>", PLIST_MAX_NODES - 2, "</array></plist>", &len);
	ck_assert_int_eq(plist_parse_buffer(doc, len, "n", &root, &err), 0);
	ck_assert_uint_eq(root->array.n, PLIST_MAX_NODES - 2);
	plist_node_free(root);
	free(doc);
}
END_TEST

/* Duplicates among many keys are found by sorting, at the later line. */
START_TEST(test_many_keys_duplicate)
{
	size_t n = 20000, i;
	char *doc = malloc(n * 32 + 128), *p = doc;
	struct plist_node *root = NULL;
	struct plist_error err;

	ck_assert_ptr_nonnull(doc);
	p = stpcpy(p, "<plist><dict>\n");
	for (i = 0; i < n; i++)
		p += sprintf(p, "<key>k%zu</key><true/>\n", i);
	strcpy(p, "</dict></plist>");
	ck_assert_int_eq(plist_parse_buffer(doc, strlen(doc), "d", &root, &err), 0);
	ck_assert_uint_eq(root->dict.n, n);
	ck_assert_ptr_nonnull(plist_dict_get(root, "k19999"));
	root = plist_node_free(root);
	strcpy(p, "<key>k5</key><false/>\n</dict></plist>");
	ck_assert_int_eq(plist_parse_buffer(doc, strlen(doc), "d", &root, &err), PLIST_E_MALFORMED);
	ck_assert_uint_eq(err.line, n + 2);
	ck_assert_str_eq(err.reason, "duplicate key \"k5\" in <dict>");
	free(doc);
}
END_TEST

#define DOC(s) { s, sizeof(s) - 1 }
static const struct {
	const char *doc;
	size_t len;
} stderr_docs[] = {
	DOC("garbage\n"),
	DOC("<plist><dict><key>a</key></plist>"),
	DOC("<plist><string>\xc3\x28</string></plist>"),      /* bad UTF-8 */
	DOC("<?xml version=\"1.0\" encoding=\"X-NO-SUCH\"?><plist><true/></plist>"),
	DOC("<plist><string>&undefined;</string></plist>"),
	DOC("<!DOCTYPE plist [<!ENTITY a \"b\">]><plist><string>&a;</string></plist>"),
	DOC("<plist xmlns:x=\"relative\"><x:true/></plist>"),
	DOC("\xff\xfe<\0p\0"),                                 /* truncated UTF-16 */
};

/* libxml2's messages must reach err, never the daemon's stderr. */
START_TEST(test_nothing_on_stderr)
{
	char *dir = tmpdir_new("plist-stderr"), *path;
	struct plist_node *root = NULL;
	struct plist_error err;
	struct stat st;
	int saved = dup(STDERR_FILENO), fd;
	size_t i;

	path = tmpdir_write(dir, "stderr", "", 0600);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_ge(dup2(fd, STDERR_FILENO), 0);
	for (i = 0; i < sizeof(stderr_docs) / sizeof(stderr_docs[0]); i++) {
		ck_assert_int_gt(plist_parse_buffer(stderr_docs[i].doc, stderr_docs[i].len,
						    "e", &root, &err), 0);
		ck_assert_str_ne(err.reason, "");
	}
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fd);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_size, 0);
	free(path);
	tmpdir_remove(dir);
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
	tc = tcase_create("hostile");
	tcase_add_test(tc, test_billion_laughs_not_expanded);
	tcase_add_test(tc, test_external_entity_not_expanded);
	tcase_add_test(tc, test_no_file_or_network_access);
	tcase_add_test(tc, test_depth);
	tcase_add_test(tc, test_huge_string);
	tcase_add_test(tc, test_string_limit);
	tcase_add_test(tc, test_element_limit);
	tcase_add_test(tc, test_many_keys_duplicate);
	tcase_add_test(tc, test_nothing_on_stderr);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(plist_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
