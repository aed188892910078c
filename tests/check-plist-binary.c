/* SPDX-License-Identifier: MIT */
/*
 * check-plist-binary.c - binary plists: the same values and jobs as their
 * XML originals (every plist under tests/data, made binary by libplist at
 * test time), hostile binary plists refused with file and byte offset,
 * OpenStep text recognised, `bsctl convert`, and a daemon demand-launching
 * a job whose plist is binary.
 */
#include "plist.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
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

/* --- comparing ---------------------------------------------------------- */

/* Equal values, lines aside (binary plists have none). */
static void assert_same_tree(const struct plist_node *a, const struct plist_node *b,
			     const char *where)
{
	size_t i;

	ck_assert_msg(a->type == b->type, "%s: %s vs %s", where,
		      plist_type_name(a->type), plist_type_name(b->type));
	switch (a->type) {
	case PLIST_DICT:
		ck_assert_msg(a->dict.n == b->dict.n, "%s: %zu vs %zu keys", where,
			      a->dict.n, b->dict.n);
		for (i = 0; i < a->dict.n; i++) {
			ck_assert_str_eq(a->dict.entries[i].key, b->dict.entries[i].key);
			assert_same_tree(a->dict.entries[i].value, b->dict.entries[i].value,
					 a->dict.entries[i].key);
		}
		break;
	case PLIST_ARRAY:
		ck_assert_msg(a->array.n == b->array.n, "%s: array lengths", where);
		for (i = 0; i < a->array.n; i++)
			assert_same_tree(a->array.items[i], b->array.items[i], where);
		break;
	case PLIST_STRING:
		ck_assert_msg(a->string.len == b->string.len &&
			      memcmp(a->string.s, b->string.s, a->string.len) == 0,
			      "%s: \"%s\" vs \"%s\"", where, a->string.s, b->string.s);
		break;
	case PLIST_INTEGER:
		ck_assert_msg(a->integer == b->integer, "%s: %lld vs %lld", where,
			      a->integer, b->integer);
		break;
	case PLIST_REAL:
		ck_assert_msg(a->real == b->real, "%s: %.17g vs %.17g", where, a->real, b->real);
		break;
	case PLIST_BOOL:
		ck_assert_msg(a->boolean == b->boolean, "%s: booleans", where);
		break;
	case PLIST_DATE:
		ck_assert_msg(a->date == b->date, "%s: %lld vs %lld", where, a->date, b->date);
		break;
	case PLIST_DATA:
		ck_assert_msg(a->data.len == b->data.len &&
			      memcmp(a->data.bytes, b->data.bytes, a->data.len) == 0,
			      "%s: data", where);
		break;
	}
}

static void assert_same_strv(char **a, char **b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(a[i], b[i]);
}

#define SAME_STR(f) ck_assert_pstr_eq(a->f, b->f)
#define SAME(f) ck_assert_msg(a->f == b->f, "%s: " #f " differs", a->label)

static void assert_same_keepalive(const struct keepalive *a, const struct keepalive *b)
{
	size_t i;

	ck_assert_int_eq(a->mode, b->mode);
	ck_assert_int_eq(a->has_successful_exit, b->has_successful_exit);
	ck_assert_int_eq(a->successful_exit, b->successful_exit);
	ck_assert_int_eq(a->has_crashed, b->has_crashed);
	ck_assert_int_eq(a->crashed, b->crashed);
	ck_assert_int_eq(a->after_initial_demand, b->after_initial_demand);
	ck_assert_uint_eq(a->n_path_state, b->n_path_state);
	for (i = 0; i < a->n_path_state; i++) {
		ck_assert_str_eq(a->path_state[i].path, b->path_state[i].path);
		ck_assert_int_eq(a->path_state[i].exists, b->path_state[i].exists);
	}
	ck_assert_uint_eq(a->n_other_job_enabled, b->n_other_job_enabled);
	for (i = 0; i < a->n_other_job_enabled; i++) {
		ck_assert_str_eq(a->other_job_enabled[i].label, b->other_job_enabled[i].label);
		ck_assert_int_eq(a->other_job_enabled[i].enabled, b->other_job_enabled[i].enabled);
	}
}

/* Every field but the line, which binary plists do not have. */
static void assert_same_spec(const struct job_spec *a, const struct job_spec *b)
{
	size_t i;

	SAME_STR(label); SAME_STR(path); SAME_STR(program);
	SAME(argc); assert_same_strv(a->argv, b->argv, a->argc);
	SAME(enable_globbing);
	SAME(n_env); assert_same_strv(a->env, b->env, a->n_env);
	SAME_STR(working_directory); SAME_STR(root_directory);
	SAME_STR(user_name); SAME_STR(group_name); SAME(init_groups);
	SAME(has_umask); SAME(umask);
	SAME_STR(stdin_path); SAME_STR(stdout_path); SAME_STR(stderr_path);
	SAME(n_services);
	for (i = 0; i < a->n_services; i++) {
		SAME_STR(services[i].name);
		SAME(services[i].reset_at_close);
		SAME(services[i].hide_until_checkin);
	}
	SAME(disabled); SAME(run_at_load); SAME(launch_only_once);
	SAME(abandon_process_group);
	assert_same_keepalive(&a->keepalive, &b->keepalive);
	SAME(throttle_interval); SAME(exit_timeout); SAME(start_interval);
	SAME(n_calendar);
	for (i = 0; i < a->n_calendar; i++)
		ck_assert_int_eq(memcmp(&a->calendar[i], &b->calendar[i],
					sizeof(a->calendar[i])), 0);
	SAME(n_watch_paths); assert_same_strv(a->watch_paths, b->watch_paths, a->n_watch_paths);
	SAME(n_queue_directories);
	assert_same_strv(a->queue_directories, b->queue_directories, a->n_queue_directories);
	SAME(n_rlimits);
	for (i = 0; i < a->n_rlimits; i++) {
		SAME(rlimits[i].resource); SAME(rlimits[i].has_soft); SAME(rlimits[i].has_hard);
		SAME(rlimits[i].soft); SAME(rlimits[i].hard);
	}
	SAME(has_nice); SAME(nice);
}

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
		assert_same_spec(sx, sb);
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
	assert_same_tree(x, b, path);
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

/* --- hostile binary plists ---------------------------------------------- */

#define TRAILER_LEN 32

/* A binary plist built object by object: references 2 bytes, offsets 4. */
struct bb {
	unsigned char buf[1 << 20];
	size_t len;
	size_t offs[70000];
	unsigned int n;
};

static struct bb *bb_new(void)
{
	struct bb *b = calloc(1, sizeof(*b));

	ck_assert_ptr_nonnull(b);
	memcpy(b->buf, "bplist00", 8);
	b->len = 8;
	return b;
}

static void bb_put(struct bb *b, uint64_t v, unsigned int size)
{
	for (unsigned int i = size; i-- > 0;)
		b->buf[b->len++] = (unsigned char)(v >> (8 * i));
}

/* Begin object number b->n: its marker.  Return: its number. */
static unsigned int bb_obj(struct bb *b, unsigned char marker)
{
	b->offs[b->n] = b->len;
	b->buf[b->len++] = marker;
	return b->n++;
}

/* An array of @n references to @to (0xA0 | n; n < 15). */
static unsigned int bb_array(struct bb *b, unsigned int n, unsigned int to)
{
	unsigned int o = bb_obj(b, (unsigned char)(0xa0 | n));

	for (unsigned int i = 0; i < n; i++)
		bb_put(b, to, 2);
	return o;
}

static unsigned int bb_ascii(struct bb *b, const char *s)
{
	unsigned int o = bb_obj(b, (unsigned char)(0x50 | strlen(s)));

	memcpy(b->buf + b->len, s, strlen(s));
	b->len += strlen(s);
	return o;
}

/* The offset table and trailer.  Return: where the trailer starts. */
static size_t bb_finish(struct bb *b, unsigned int top)
{
	size_t table = b->len, trailer;

	for (unsigned int i = 0; i < b->n; i++)
		bb_put(b, b->offs[i], 4);
	trailer = b->len;
	bb_put(b, 0, 6);
	b->buf[b->len++] = 4;   /* offset size */
	b->buf[b->len++] = 2;   /* reference size */
	bb_put(b, b->n, 8);
	bb_put(b, top, 8);
	bb_put(b, table, 8);
	return trailer;
}

/* Refused with @rc, naming the file, with @reason and "byte" in the reason. */
static void assert_refused(struct bb *b, int rc, const char *reason)
{
	struct plist_node *root = NULL;
	struct plist_error err;
	char msg[PLIST_ERROR_FORMAT_MAX];
	int r = plist_parse_buffer((const char *)b->buf, b->len, "hostile.plist", &root, &err);

	plist_error_format(&err, msg, sizeof(msg));
	ck_assert_msg(r == rc, "rc %d, want %d: %s", r, rc, msg);
	ck_assert_ptr_null(root);
	ck_assert_str_eq(err.file, "hostile.plist");
	ck_assert_msg(strstr(err.reason, reason) && strstr(err.reason, "byte"),
		      "want \"%s\" and a byte offset: %s", reason, msg);
	free(b);
}

/* A valid little plist: { "k" = ( true ) }, to damage. */
static struct bb *small(size_t *trailer)
{
	struct bb *b = bb_new();

	bb_obj(b, 0xd1);        /* 0: dict of one entry */
	bb_put(b, 1, 2);
	bb_put(b, 2, 2);
	bb_ascii(b, "k");       /* 1 */
	bb_array(b, 1, 3);      /* 2 */
	bb_obj(b, 0x09);        /* 3: true */
	*trailer = bb_finish(b, 0);
	return b;
}

START_TEST(test_small_is_valid)
{
	struct plist_node *root = NULL;
	struct plist_error err;
	size_t trailer;
	struct bb *b = small(&trailer);

	ck_assert_int_eq(plist_parse_buffer((const char *)b->buf, b->len, "ok.plist",
					    &root, &err), 0);
	ck_assert_int_eq(plist_dict_get(root, "k")->array.items[0]->boolean, 1);
	plist_node_free(root);
	free(b);
}
END_TEST

START_TEST(test_truncated)
{
	size_t trailer;
	struct bb *b = small(&trailer);

	b->len = 30;
	assert_refused(b, PLIST_E_MALFORMED, "truncated at byte 30");
}
END_TEST

START_TEST(test_cut_short)
{
	size_t trailer;
	struct bb *b = small(&trailer);

	/* Losing the last bytes moves the trailer onto the offset table. */
	b->len -= 5;
	assert_refused(b, PLIST_E_MALFORMED, "trailer at byte");
}
END_TEST

START_TEST(test_offset_table_outside)
{
	size_t trailer;
	struct bb *b = small(&trailer);

	b->len = trailer + 24;
	bb_put(b, 1u << 30, 8);
	assert_refused(b, PLIST_E_MALFORMED, "offset table at byte 1073741824 lies outside");
}
END_TEST

START_TEST(test_object_offset_outside)
{
	size_t trailer;
	struct bb *b = small(&trailer);

	/* Object 3's offset points into the offset table itself. */
	b->len = trailer - 4;
	bb_put(b, trailer - 8, 4);
	b->len = trailer + TRAILER_LEN;
	assert_refused(b, PLIST_E_MALFORMED, "object 3 lies outside the objects");
}
END_TEST

START_TEST(test_reference_cycle)
{
	struct bb *b = bb_new();

	bb_array(b, 1, 1);      /* 0 -> 1 */
	bb_array(b, 2, 0);      /* 1 -> 0, 0 */
	bb_finish(b, 0);
	assert_refused(b, PLIST_E_MALFORMED, "object 0 at byte 8: reached again from inside itself");
}
END_TEST

START_TEST(test_self_reference)
{
	struct bb *b = bb_new();

	bb_obj(b, 0xd1);        /* 0: { "k" = <itself> } */
	bb_put(b, 1, 2);
	bb_put(b, 0, 2);
	bb_ascii(b, "k");
	bb_finish(b, 0);
	assert_refused(b, PLIST_E_MALFORMED, "reference cycle");
}
END_TEST

START_TEST(test_huge_object_count)
{
	size_t trailer;
	struct bb *b = small(&trailer);

	b->len = trailer + 8;
	bb_put(b, UINT64_MAX / 2, 8);
	b->len = trailer + TRAILER_LEN;
	assert_refused(b, PLIST_E_LIMIT, "objects (1 to 65536 allowed)");
}
END_TEST

/* 1 KiB naming 2^30 values: each array holds the next one twice. */
START_TEST(test_shared_references_expand)
{
	struct bb *b = bb_new();

	for (unsigned int i = 0; i < 30; i++)
		bb_array(b, 2, i + 1);
	bb_obj(b, 0x09);
	bb_finish(b, 0);
	ck_assert_uint_lt(b->len, 1024);
	assert_refused(b, PLIST_E_LIMIT, "more than 65536 values once references are followed");
}
END_TEST

START_TEST(test_deep_nesting)
{
	struct bb *b = bb_new();

	for (unsigned int i = 0; i < 70; i++)
		bb_array(b, 1, i + 1);
	bb_obj(b, 0x09);
	bb_finish(b, 0);
	assert_refused(b, PLIST_E_LIMIT, "values nested deeper than 64 levels");
}
END_TEST

START_TEST(test_nesting_at_the_limit)
{
	struct plist_node *root = NULL;
	struct plist_error err;
	struct bb *b = bb_new();

	for (unsigned int i = 0; i < 63; i++)
		bb_array(b, 1, i + 1);
	bb_obj(b, 0x09);        /* the 64th level */
	bb_finish(b, 0);
	ck_assert_int_eq(plist_parse_buffer((const char *)b->buf, b->len, "deep.plist",
					    &root, &err), 0);
	plist_node_free(root);
	free(b);
}
END_TEST

START_TEST(test_wrong_version)
{
	size_t trailer;
	struct bb *b = small(&trailer);

	memcpy(b->buf, "bplist15", 8);
	assert_refused(b, PLIST_E_MALFORMED, "version \"15\" at byte 6 is not supported");
}
END_TEST

START_TEST(test_count_past_end)
{
	struct bb *b = bb_new();

	bb_obj(b, 0xaf);        /* an array whose count follows */
	bb_obj(b, 0x13);        /* as an 8-byte integer: 2^40 */
	bb_put(b, 1ull << 40, 8);
	b->n = 1;
	bb_finish(b, 0);
	assert_refused(b, PLIST_E_MALFORMED, "object 0 at byte 8: references run past the objects");
}
END_TEST

/* { "k" = VALUE }, VALUE given as the bytes of one object. */
static const struct {
	const char *what;
	unsigned char value[24];
	size_t len;
	int rc;
	const char *reason;
} bad_values[] = {
	{ "null", { 0x00 }, 1, PLIST_E_MALFORMED, "null is not a plist value" },
	{ "fill", { 0x0f }, 1, PLIST_E_MALFORMED, "unknown object type" },
	{ "type 7", { 0x70 }, 1, PLIST_E_MALFORMED, "unknown object type" },
	{ "UID", { 0x80, 0x01 }, 2, PLIST_E_MALFORMED, "UID (keyed archive)" },
	{ "NUL in ASCII", { 0x53, 'a', 0, 'b' }, 4, PLIST_E_MALFORMED, "NUL or non-ASCII" },
	{ "Latin-1 as ASCII", { 0x51, 0xe9 }, 2, PLIST_E_MALFORMED, "NUL or non-ASCII" },
	{ "NUL in UTF-16", { 0x62, 0, 'a', 0, 0 }, 5, PLIST_E_MALFORMED, "NUL character" },
	{ "32-byte integer", { 0x15 }, 1, PLIST_E_MALFORMED, "not 1, 2, 4, 8 or 16 bytes" },
	{ "integer cut", { 0x13, 1, 2 }, 3, PLIST_E_MALFORMED, "integer runs past" },
	{ "128-bit integer", { 0x14, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, 17,
	  PLIST_E_MALFORMED, "integer is out of range" },
	{ "unsigned beyond LLONG_MAX", { 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0 },
	  17, PLIST_E_MALFORMED, "integer is out of range" },
	{ "2-byte real", { 0x21, 0, 0 }, 3, PLIST_E_MALFORMED, "real is not 4 or 8 bytes" },
	{ "NaN date", { 0x33, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0 }, 9, PLIST_E_MALFORMED,
	  "date is out of range" },
	{ "date in 10^20", { 0x33, 0x44, 0x15, 0xaf, 0x1d, 0x78, 0xb5, 0x8c, 0x40 }, 9,
	  PLIST_E_MALFORMED, "date is out of range" },
	{ "count not an integer", { 0x4f, 0x51, 'x' }, 3, PLIST_E_MALFORMED,
	  "count is not an integer" },
	{ "data past end", { 0x4f, 0x11, 0x10, 0x00 }, 4, PLIST_E_MALFORMED, "data runs past" },
	{ "long string", { 0x5f, 0x12, 0x00, 0x01, 0x00, 0x01 }, 6, PLIST_E_LIMIT,
	  "string longer than 65536" },
	{ "reference past objects", { 0xa1, 0x00, 0x09 }, 3, PLIST_E_MALFORMED,
	  "refers to an object that does not exist" },
};

START_TEST(test_bad_values)
{
	struct bb *b = bb_new();

	bb_obj(b, 0xd1);
	bb_put(b, 1, 2);
	bb_put(b, 2, 2);
	bb_ascii(b, "k");
	bb_obj(b, bad_values[_i].value[0]);
	memcpy(b->buf + b->len, bad_values[_i].value + 1, bad_values[_i].len - 1);
	b->len += bad_values[_i].len - 1;
	bb_finish(b, 0);
	assert_refused(b, bad_values[_i].rc, bad_values[_i].reason);
}
END_TEST

START_TEST(test_key_not_a_string)
{
	struct bb *b = bb_new();

	bb_obj(b, 0xd1);        /* { 7 = 7 } */
	bb_put(b, 1, 2);
	bb_put(b, 1, 2);
	bb_obj(b, 0x10);
	bb_put(b, 7, 1);
	bb_finish(b, 0);
	assert_refused(b, PLIST_E_MALFORMED, "dictionary key is not a string");
}
END_TEST

START_TEST(test_duplicate_key)
{
	struct plist_node *root = NULL;
	struct plist_error err;
	struct bb *b = bb_new();

	bb_obj(b, 0xd2);        /* { "k" = true; "k" = true } */
	bb_put(b, 1, 2);
	bb_put(b, 1, 2);
	bb_put(b, 2, 2);
	bb_put(b, 2, 2);
	bb_ascii(b, "k");
	bb_obj(b, 0x09);
	bb_finish(b, 0);
	ck_assert_int_eq(plist_parse_buffer((const char *)b->buf, b->len, "dup.plist",
					    &root, &err), PLIST_E_MALFORMED);
	ck_assert_str_eq(err.file, "dup.plist");
	ck_assert_str_eq(err.reason, "binary plist: duplicate key \"k\" in dictionary");
	free(b);
}
END_TEST

/* A UTF-16 string of 30000 characters is 90000 bytes of UTF-8. */
START_TEST(test_utf16_grows_past_the_limit)
{
	struct plist_node *root = NULL;
	struct plist_error err;
	struct bb *b = bb_new();

	bb_obj(b, 0x6f);
	bb_put(b, 0x11, 1);
	bb_put(b, 30000, 2);
	for (int i = 0; i < 30000; i++)
		bb_put(b, 0x20ac, 2);   /* the euro sign, 3 bytes in UTF-8 */
	bb_finish(b, 0);
	ck_assert_int_eq(plist_parse_buffer((const char *)b->buf, b->len, "euro.plist",
					    &root, &err), PLIST_E_LIMIT);
	ck_assert_str_eq(err.reason, "binary plist: string longer than 65536 bytes");
	free(b);
}
END_TEST

START_TEST(test_too_large)
{
	struct plist_node *root = NULL;
	struct plist_error err;
	struct bb *b = bb_new();

	b->len = PLIST_MAX_SIZE + 1;
	ck_assert_int_eq(plist_parse_buffer((const char *)b->buf, b->len, "big.plist",
					    &root, &err), PLIST_E_LIMIT);
	ck_assert_str_eq(err.reason, "larger than 1048576 bytes");
	free(b);
}
END_TEST

/* Whatever byte a damaged copy holds, it is refused or read: never a crash. */
START_TEST(test_every_byte_damaged)
{
	struct plist_node *root;
	struct plist_error err;
	size_t trailer, len;
	struct bb *b = small(&trailer);

	len = b->len;
	for (size_t i = 0; i < len; i++) {
		unsigned char keep = b->buf[i];

		for (unsigned int v = 0; v < 256; v++) {
			root = NULL;
			b->buf[i] = (unsigned char)v;
			if (plist_parse_buffer((const char *)b->buf, len, "x.plist", &root, &err) == 0)
				ck_assert_ptr_nonnull(root);
			else
				ck_assert_ptr_null(root);
			plist_node_free(root);
		}
		b->buf[i] = keep;
	}
	free(b);
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
	assert_same_tree(want, got, path);
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
	struct test_daemon other;      /* only its jobs directory: where to write */
	mach_port_t port = MACH_PORT_NULL;
	char *extra = tmpdir_new("bplist-extra"), *path, *bad;

	test_daemon_init(&td, "bplist-load");
	other.jobs = extra;
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
	tc = tcase_create("hostile");
	tcase_add_test(tc, test_small_is_valid);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_cut_short);
	tcase_add_test(tc, test_offset_table_outside);
	tcase_add_test(tc, test_object_offset_outside);
	tcase_add_test(tc, test_reference_cycle);
	tcase_add_test(tc, test_self_reference);
	tcase_add_test(tc, test_huge_object_count);
	tcase_add_test(tc, test_shared_references_expand);
	tcase_add_test(tc, test_deep_nesting);
	tcase_add_test(tc, test_nesting_at_the_limit);
	tcase_add_test(tc, test_wrong_version);
	tcase_add_test(tc, test_count_past_end);
	tcase_add_loop_test(tc, test_bad_values, 0, sizeof(bad_values) / sizeof(bad_values[0]));
	tcase_add_test(tc, test_key_not_a_string);
	tcase_add_test(tc, test_duplicate_key);
	tcase_add_test(tc, test_utf16_grows_past_the_limit);
	tcase_add_test(tc, test_too_large);
	tcase_add_test(tc, test_every_byte_damaged);
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
