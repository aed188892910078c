/* SPDX-License-Identifier: MIT */
/*
 * check-sockets-plist.c - the Sockets and inetdCompatibility keys: the
 * defaults of launchd.plist(5), each value spelling, a dictionary or an
 * array of them, the keys that warn, and every refusal with its reason.
 */
#include "job-plist.h"

#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "helpers/runner.h"

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n" \
	"<key>Label</key><string>com.example.t</string>\n" \
	"<key>Program</key><string>/bin/true</string>\n"
#define TAIL "</dict>\n</plist>\n"

struct warnings {
	char msg[8][256];
	int n;
};

static void collect(void *data, const char *msg)
{
	struct warnings *w = data;

	ck_assert_int_lt(w->n, 8);
	snprintf(w->msg[w->n++], sizeof(w->msg[0]), "%s", msg);
}

static int load(const char *body, struct job_spec **spec, struct plist_error *err,
		struct warnings *w)
{
	char *doc;
	int rc;

	ck_assert_int_gt(asprintf(&doc, HEAD "%s" TAIL, body), 0);
	rc = job_plist_load_buffer(doc, strlen(doc), "job.plist", spec, err, collect, w);
	free(doc);
	return rc;
}

static struct job_spec *load_ok(const char *body, struct warnings *w)
{
	struct job_spec *spec = NULL;
	struct plist_error err;

	ck_assert_msg(load(body, &spec, &err, w) == 0, "refused: %s", err.reason);
	return spec;
}

static void refused(const char *body, const char *reason)
{
	struct warnings w = { 0 };
	struct job_spec *spec = NULL;
	struct plist_error err;

	ck_assert_int_eq(load(body, &spec, &err, &w), JOB_PLIST_E_INVALID);
	ck_assert_ptr_null(spec);
	ck_assert_str_eq(err.reason, reason);
}

START_TEST(test_defaults)
{
	struct warnings w = { 0 };
	struct job_spec *spec = load_ok("<key>Sockets</key><dict><key>http</key><dict>"
		"<key>SockServiceName</key><string>http</string></dict></dict>", &w);
	const struct job_socket *js;

	ck_assert_int_eq(w.n, 0);
	ck_assert_uint_eq(spec->n_socket_groups, 1);
	ck_assert_str_eq(spec->socket_groups[0].name, "http");
	ck_assert_uint_eq(spec->socket_groups[0].n_sockets, 1);
	js = &spec->socket_groups[0].sockets[0];
	ck_assert_int_eq(js->type, SOCK_STREAM);
	ck_assert(js->passive);
	ck_assert_int_eq(js->family, AF_UNSPEC);        /* IPv4 and IPv6 */
	ck_assert_int_eq(js->protocol, 0);
	ck_assert_ptr_null(js->node_name);
	ck_assert_str_eq(js->service_name, "http");
	ck_assert(!spec->inetd);
	job_spec_free(spec);
}
END_TEST

START_TEST(test_every_key_and_array)
{
	struct warnings w = { 0 };
	struct job_spec *spec = load_ok("<key>Sockets</key><dict><key>two</key><array>"
		"<dict><key>SockType</key><string>dgram</string><key>SockFamily</key><string>IPv6</string>"
		"<key>SockProtocol</key><string>UDP</string><key>SockNodeName</key><string>::1</string>"
		"<key>SockServiceName</key><integer>5353</integer><key>SockPassive</key><false/>"
		"<key>Bonjour</key><true/><key>MulticastGroup</key><string>ff02::fb</string></dict>"
		"<dict><key>SockPathName</key><string>/run/x.sock</string><key>SockType</key><string>SeqPacket</string>"
		"<key>SockPathMode</key><integer>438</integer><key>SockPathOwner</key><integer>0</integer>"
		"<key>SockPathGroup</key><integer>5</integer></dict></array>"
		"<key>secure</key><dict><key>SecureSocketWithKey</key><string>AUTH_SOCK</string></dict>"
		"</dict>", &w);
	const struct job_socket *a, *b, *c;

	ck_assert_uint_eq(spec->n_socket_groups, 2);
	ck_assert_uint_eq(spec->socket_groups[0].n_sockets, 2);
	a = &spec->socket_groups[0].sockets[0];
	b = &spec->socket_groups[0].sockets[1];
	c = &spec->socket_groups[1].sockets[0];
	ck_assert_int_eq(a->type, SOCK_DGRAM);
	ck_assert_int_eq(a->family, AF_INET6);
	ck_assert_int_eq(a->protocol, IPPROTO_UDP);
	ck_assert_str_eq(a->node_name, "::1");
	ck_assert_str_eq(a->service_name, "5353");
	ck_assert(!a->passive);
	ck_assert_int_eq(b->type, SOCK_SEQPACKET);
	ck_assert_int_eq(b->family, AF_UNIX);           /* implied by the path */
	ck_assert_str_eq(b->path_name, "/run/x.sock");
	ck_assert(b->has_path_mode);
	ck_assert_uint_eq(b->path_mode, 0666);          /* decimal 438 */
	ck_assert(b->has_path_owner && b->path_owner == 0);
	ck_assert(b->has_path_group && b->path_group == 5);
	ck_assert_int_eq(c->family, AF_UNIX);
	ck_assert_str_eq(c->secure_key, "AUTH_SOCK");
	/* Bonjour and MulticastGroup are accepted with a warning each. */
	ck_assert_int_eq(w.n, 2);
	ck_assert_str_eq(w.msg[0], "job.plist: unsupported key Bonjour in Sockets \"two\"[0]");
	ck_assert_str_eq(w.msg[1], "job.plist: unsupported key MulticastGroup in Sockets \"two\"[0]");
	job_spec_free(spec);
}
END_TEST

START_TEST(test_inetd)
{
	struct job_spec *spec = load_ok("<key>Sockets</key><dict><key>s</key><dict>"
		"<key>SockServiceName</key><string>13</string></dict></dict>"
		"<key>inetdCompatibility</key><dict><key>Wait</key><false/></dict>", NULL);

	ck_assert(spec->inetd);
	ck_assert(!spec->inetd_wait);
	job_spec_free(spec);
	spec = load_ok("<key>Sockets</key><dict><key>s</key><dict>"
		"<key>SockServiceName</key><string>13</string><key>SockType</key><string>dgram</string>"
		"</dict></dict><key>inetdCompatibility</key><dict><key>Wait</key><true/></dict>", NULL);
	ck_assert(spec->inetd_wait);
	job_spec_free(spec);
}
END_TEST

static const struct {
	const char *body, *reason;
} bad[] = {
	{ "<key>Sockets</key><dict><key>s</key><dict><key>SockType</key><string>raw</string></dict></dict>",
	  "SockType \"raw\": expected one of stream, dgram, seqpacket" },
	{ "<key>Sockets</key><dict><key>s</key><dict><key>SockFamily</key><string>AppleTalk</string></dict></dict>",
	  "SockFamily \"AppleTalk\": expected one of IPv4, IPv6, IPv4v6, Unix" },
	{ "<key>Sockets</key><dict><key>s</key><dict><key>SockNodeName</key><string>localhost</string></dict></dict>",
	  "Sockets \"s\": an IP socket needs SockServiceName" },
	{ "<key>Sockets</key><dict><key>s</key><dict><key>SockServiceName</key><integer>70000</integer></dict></dict>",
	  "SockServiceName: 70000 is not a port (1..65535)" },
	{ "<key>Sockets</key><dict><key>s</key><dict><key>SockFamily</key><string>Unix</string></dict></dict>",
	  "Sockets \"s\": a Unix socket needs SockPathName or SecureSocketWithKey" },
	{ "<key>Sockets</key><dict><key>s</key><dict><key>SockPathName</key><string>/x</string>"
	  "<key>SockFamily</key><string>IPv4</string></dict></dict>",
	  "Sockets \"s\": SockPathName and SecureSocketWithKey are for Unix sockets" },
	{ "<key>Sockets</key><dict><key>s</key><dict><key>SockPathName</key><string>rel/x</string></dict></dict>",
	  "SockPathName \"rel/x\" is not an absolute path" },
	{ "<key>Sockets</key><dict><key>s</key><dict><key>SockServiceName</key><string>1</string>"
	  "<key>SockPathMode</key><integer>420</integer></dict></dict>",
	  "Sockets \"s\": SockPathMode, SockPathOwner and SockPathGroup are for Unix sockets" },
	{ "<key>Sockets</key><dict><key>a:b</key><dict><key>SockServiceName</key><string>1</string></dict></dict>",
	  "Sockets name \"a:b\" contains ':'" },
	{ "<key>Sockets</key><dict><key>s</key><string>x</string></dict>",
	  "s in Sockets: expected dictionary or array, got string" },
	{ "<key>Sockets</key><dict><key>s</key><array/></dict>", "Sockets \"s\": empty array" },
	{ "<key>Sockets</key><dict><key>s</key><dict><key>sockType</key><string>dgram</string></dict></dict>",
	  "unknown key \"sockType\" in Sockets \"s\": keys are case-sensitive, did you mean \"SockType\"?" },
	{ "<key>inetdCompatibility</key><dict><key>Wait</key><true/></dict>",
	  "inetdCompatibility needs Sockets" },
	{ "<key>Sockets</key><dict><key>s</key><dict><key>SockServiceName</key><string>1</string>"
	  "<key>SockType</key><string>dgram</string></dict></dict>"
	  "<key>inetdCompatibility</key><dict><key>Wait</key><false/></dict>",
	  "inetdCompatibility Wait false needs listening stream sockets (Sockets \"s\")" },
};

START_TEST(test_refusals)
{
	refused(bad[_i].body, bad[_i].reason);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sockets-plist");
	TCase *tc = tcase_create("keys");

	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_every_key_and_array);
	tcase_add_test(tc, test_inetd);
	tcase_add_loop_test(tc, test_refusals, 0, sizeof(bad) / sizeof(bad[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(suite(), NULL, 0, argc, argv);
}
