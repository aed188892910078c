/* SPDX-License-Identifier: MIT */
/*
 * check-plist-hostile.c - the plist parser against hostile documents:
 * entities, depth, size, element count, duplicate keys among many, no file
 * or network access, nothing on stderr.
 */
#include "plist.h"

#include <arpa/inet.h>
#include <check.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers/data.h"
#include "helpers/runner.h"
#include "helpers/tmpdir.h"

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" " \
	"\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n" \
	"<plist version=\"1.0\">\n"

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
	/* An encoding iconv knows, bytes it cannot convert (libxml2's encoder errors). */
	DOC("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n<plist><string>a\x81\x20" "b</string></plist>"),
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

static Suite *plist_suite(void)
{
	Suite *s = suite_create("plist");
	TCase *tc = tcase_create("hostile");

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

int main(int argc, char **argv)
{
	return runner_main(plist_suite(), NULL, 0, argc, argv);
}
