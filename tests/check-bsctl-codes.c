/* SPDX-License-Identifier: MIT */
/*
 * check-bsctl-codes - one meaning per code: what bsctl prints when the
 * daemon refuses with a code and no text of its own (ctl_exit(), of
 * tools/ctl-client.c, built into this test) is what `bsctl error CODE`
 * ($BSCTL) says the code means, for bootstrapd's own control codes and
 * the bootstrap and Mach codes it answers with.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control-proto.h"
#include "helpers/bsctl-run.h"
#include "helpers/stderr-capture.h"
#include "tools/ctl-client.h"

static struct bsctl_out r;

/* What ctl_exit(@kr, @what, NULL) writes on stderr, into @buf; its return in *@exit_code. */
static void ctl_exit_says(kern_return_t kr, const char *what, char *buf, size_t len,
			  int *exit_code)
{
	struct stderr_capture c;

	stderr_capture_begin(&c);
	*exit_code = ctl_exit(kr, what, NULL);
	stderr_capture_end(&c, buf, len);
}

/*
 * "bsctl: WHAT: TEXT\n", TEXT what `bsctl error bootstrap CODE` prints
 * after "CODE: "; the exit code @exit_want.
 */
static void expect_text_and_exit(kern_return_t kr, int exit_want)
{
	char code[16], prefix[24], want[512], got[512];
	int exit_code;

	snprintf(code, sizeof(code), "%d", (int)kr);
	ck_assert_int_eq(BSCTL_RUN(&r, "error", "bootstrap", code), 0);
	snprintf(prefix, sizeof(prefix), "%s: ", code);
	ck_assert_msg(strncmp(r.out, prefix, strlen(prefix)) == 0, "%s", r.out);
	snprintf(want, sizeof(want), "bsctl: org.test.codes: %s", r.out + strlen(prefix));
	ctl_exit_says(kr, "org.test.codes", got, sizeof(got), &exit_code);
	ck_assert_msg(strcmp(got, want) == 0, "code %s: ctl_exit says \"%s\", bsctl error \"%s\"",
		      code, got, want);
	ck_assert_int_eq(exit_code, exit_want);
}

static void expect_same_text(kern_return_t kr)
{
	expect_text_and_exit(kr, BSCTL_FAILURE);
}

START_TEST(test_own_codes_one_text)
{
	expect_same_text(CONTROL_E_DISABLED);
	expect_same_text(CONTROL_E_WRONG_DOMAIN);
}
END_TEST

/* No such job and not permitted keep their own exit codes, in launchd's words. */
START_TEST(test_job_codes_one_text)
{
	expect_text_and_exit(CONTROL_E_NOT_FOUND, BSCTL_NOT_FOUND);
	expect_text_and_exit(CONTROL_E_NOT_PERMITTED, BSCTL_NOT_PERMITTED);
}
END_TEST

START_TEST(test_other_codes_one_text)
{
	expect_same_text(CONTROL_E_EXISTS);
	expect_same_text(CONTROL_E_INVALID);
	expect_same_text(BOOTSTRAP_NO_MEMORY);
	expect_same_text(KERN_FAILURE);
}
END_TEST

static Suite *codes_suite(void)
{
	Suite *s = suite_create("bsctl-codes");
	TCase *tc = tcase_create("codes");

	tcase_add_test(tc, test_own_codes_one_text);
	tcase_add_test(tc, test_job_codes_one_text);
	tcase_add_test(tc, test_other_codes_one_text);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(codes_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
