/* SPDX-License-Identifier: MIT */
/*
 * check-plist-binary-hostile.c - damaged and hostile binary plists, built
 * byte by byte: truncated, offsets and counts outside the file, reference
 * cycles, shared references that expand past the node limit, deep
 * nesting, unknown versions and objects.  Each is refused with the file
 * and a reason naming the byte offset; none crashes or hangs.
 */
#include "plist.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static Suite *plist_binary_hostile_suite(void)
{
	Suite *s = suite_create("plist-binary-hostile");
	TCase *tc = tcase_create("hostile");

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
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(plist_binary_hostile_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
