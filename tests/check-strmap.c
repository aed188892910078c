/* SPDX-License-Identifier: MIT */
/*
 * check-strmap - the daemon's string map: every key found again among
 * many that share a long prefix (as labels and paths do), replaced in
 * place, deleted and put back (reusing what deletion left), walked once
 * each, kept whole across its growth, and given room ahead.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/runner.h"
#include "strmap.h"

#define N 20000

static char keys[N][64];

static void make_keys(void)
{
	for (int i = 0; i < N; i++)
		snprintf(keys[i], sizeof(keys[i]), "/var/lib/jobs/com.example.scale.%05d.plist", i);
}

START_TEST(test_every_key_found_again)
{
	struct strmap m;

	make_keys();
	strmap_init(&m);
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(strmap_put(&m, keys[i], keys[i]), 0);
	ck_assert_uint_eq(m.count, N);
	for (int i = 0; i < N; i++)
		ck_assert_ptr_eq(strmap_get(&m, keys[i]), keys[i]);
	ck_assert_ptr_null(strmap_get(&m, "/var/lib/jobs/com.example.scale.99999.plist"));
	ck_assert_ptr_null(strmap_get(&m, ""));
	strmap_deinit(&m);
}
END_TEST

START_TEST(test_replace_delete_and_put_back)
{
	struct strmap m;
	size_t used, walked = 0, it = 0;
	static int mark;

	make_keys();
	strmap_init(&m);
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(strmap_put(&m, keys[i], keys[i]), 0);
	ck_assert_int_eq(strmap_put(&m, keys[7], &mark), 0);   /* replaced, not added */
	ck_assert_uint_eq(m.count, N);
	ck_assert_ptr_eq(strmap_get(&m, keys[7]), &mark);
	for (int i = 0; i < N; i += 2)
		ck_assert_ptr_nonnull(strmap_del(&m, keys[i]));
	ck_assert_ptr_null(strmap_del(&m, keys[0]));
	ck_assert_uint_eq(m.count, N / 2);
	for (int i = 0; i < N; i++)
		ck_assert((strmap_get(&m, keys[i]) == NULL) == (i % 2 == 0));
	used = m.used;
	for (int i = 0; i < N; i += 2)
		ck_assert_int_eq(strmap_put(&m, keys[i], keys[i]), 0);
	ck_assert_uint_le(m.used, used);        /* deleted slots taken again first */
	while (strmap_next(&m, &it))
		walked++;
	ck_assert_uint_eq(walked, N);
	for (int i = 0; i < N; i++)
		ck_assert_ptr_nonnull(strmap_get(&m, keys[i]));
	strmap_deinit(&m);
}
END_TEST

/* Keys put and deleted again and again: the deleted slots are cleared, the map does not grow. */
START_TEST(test_churn_does_not_grow)
{
	struct strmap m;
	char key[32];

	strmap_init(&m);
	ck_assert_int_eq(strmap_put(&m, "kept", &m), 0);
	for (int i = 0; i < 200000; i++) {
		snprintf(key, sizeof(key), "%d", i);
		ck_assert_int_eq(strmap_put(&m, key, key), 0);
		ck_assert_ptr_eq(strmap_del(&m, key), key);
	}
	ck_assert_uint_le(m.cap, 64);
	ck_assert_ptr_eq(strmap_get(&m, "kept"), &m);
	strmap_deinit(&m);
}
END_TEST

/* Room made ahead holds what it was made for without growing, and keeps what was there. */
START_TEST(test_reserve_then_fill)
{
	struct strmap m;
	void *slots;
	size_t cap;

	make_keys();
	strmap_init(&m);
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(strmap_put(&m, keys[i], keys[i]), 0);
	ck_assert_int_eq(strmap_reserve(&m, N - 10), 0);
	cap = m.cap;
	slots = m.slots;
	ck_assert_uint_ge(cap * 3, (size_t)N * 4);
	for (int i = 0; i < 10; i++)
		ck_assert_ptr_eq(strmap_get(&m, keys[i]), keys[i]);
	for (int i = 10; i < N; i++)
		ck_assert_int_eq(strmap_put(&m, keys[i], keys[i]), 0);
	ck_assert_uint_eq(m.cap, cap);          /* no rehash on the way */
	ck_assert_ptr_eq(m.slots, slots);
	for (int i = 0; i < N; i++)
		ck_assert_ptr_eq(strmap_get(&m, keys[i]), keys[i]);
	/* Room for these is there already: nothing changes. */
	ck_assert_int_eq(strmap_reserve(&m, 5), 0);
	ck_assert_uint_eq(m.cap, cap);
	ck_assert_int_eq(strmap_reserve(&m, 0), 0);
	ck_assert_uint_eq(m.cap, cap);
	strmap_deinit(&m);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("strmap");
	TCase *tc = tcase_create("strmap");

	tcase_add_test(tc, test_every_key_found_again);
	tcase_add_test(tc, test_replace_delete_and_put_back);
	tcase_add_test(tc, test_churn_does_not_grow);
	tcase_add_test(tc, test_reserve_then_fill);
	suite_add_tcase(s, tc);
	return runner_main(s, NULL, 0, argc, argv);
}
