/* SPDX-License-Identifier: MIT */
/*
 * check-port-inodes - the daemon's index of the ports it made, by S's
 * inode: every port found again; removed ones gone while every other is
 * still found (the entries after a hole move back into it); a removal
 * naming another service or an unknown inode changes nothing; a port
 * filed again under its inode found as its new service.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "helpers/runner.h"
#include "port-inodes.h"

#define N 5000

/* Services are only compared by address here. */
static char services[N];

/* Inodes close together and far apart, as a machine hands them out. */
static uint32_t ino_of(int i)
{
	return i % 2 ? 1000u + (uint32_t)i : 0x9e3779b9u * (uint32_t)(i + 1) | 1u;
}

START_TEST(test_found_again_and_removed)
{
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(port_inodes_add(ino_of(i), (struct service *)&services[i]), 0);
	for (int i = 0; i < N; i++)
		ck_assert_ptr_eq(port_inodes_find(ino_of(i)), &services[i]);
	for (int i = 0; i < N; i += 3)
		port_inodes_remove(ino_of(i), (struct service *)&services[i]);
	for (int i = 0; i < N; i++)
		ck_assert_ptr_eq(port_inodes_find(ino_of(i)), i % 3 ? &services[i] : NULL);
	/* Another service's removal, an unknown inode, inode 0: nothing changes. */
	port_inodes_remove(ino_of(1), (struct service *)&services[2]);
	port_inodes_remove(7, (struct service *)&services[0]);
	port_inodes_remove(0, NULL);
	ck_assert_ptr_eq(port_inodes_find(ino_of(1)), &services[1]);
	ck_assert_ptr_null(port_inodes_find(0));
	/* Filed again: the newer service. */
	ck_assert_int_eq(port_inodes_add(ino_of(1), (struct service *)&services[0]), 0);
	ck_assert_ptr_eq(port_inodes_find(ino_of(1)), &services[0]);
	for (int i = 0; i < N; i++)
		port_inodes_remove(ino_of(i), port_inodes_find(ino_of(i)));
	for (int i = 0; i < N; i++)
		ck_assert_ptr_null(port_inodes_find(ino_of(i)));
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("port-inodes");
	TCase *tc = tcase_create("port-inodes");

	tcase_add_test(tc, test_found_again_and_removed);
	suite_add_tcase(s, tc);
	return runner_main(s, NULL, 0, argc, argv);
}
