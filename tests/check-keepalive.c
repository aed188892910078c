/* SPDX-License-Identifier: MIT */
/*
 * check-keepalive.c - KeepAlive's decisions, against launchd-842's
 * job_keepalive() and semaphoreitem_setup(): a SuccessfulExit or Crashed
 * condition starts the job at load; "not a successful exit" includes a
 * death by signal.
 */
#include <check.h>
#include <signal.h>
#include <sys/wait.h>

#include "helpers/runner.h"
#include "job-spec.h"
#include "keepalive.h"
#include "strmap.h"

/* A wait status: exit @code, or death by signal @sig when @sig is set. */
static int status_of(int code, int sig)
{
	return sig ? sig : (code & 0xff) << 8;
}

static bool after_exit(const struct keepalive *ka, int status)
{
	struct keepalive_facts f = { .ka = ka, .last_status = status };

	return keepalive_after_exit(&f);
}

static bool at_load(const struct keepalive *ka)
{
	struct keepalive_facts f = { .ka = ka };

	return keepalive_at_load(&f);
}

START_TEST(test_successful_exit_false_restarts_after_a_signal)
{
	struct keepalive ka = { .mode = KEEPALIVE_CONDITIONAL, .has_successful_exit = true,
				.successful_exit = false };

	ck_assert(after_exit(&ka, status_of(3, 0)));
	ck_assert(after_exit(&ka, status_of(0, SIGSEGV)));
	ck_assert(after_exit(&ka, status_of(0, SIGKILL)));
	ck_assert(!after_exit(&ka, status_of(0, 0)));
	ka.successful_exit = true;
	ck_assert(after_exit(&ka, status_of(0, 0)));
	ck_assert(!after_exit(&ka, status_of(0, SIGSEGV)));
	ck_assert(!after_exit(&ka, status_of(1, 0)));
}
END_TEST

START_TEST(test_exit_conditions_start_at_load)
{
	struct keepalive crashed = { .mode = KEEPALIVE_CONDITIONAL, .has_crashed = true,
				     .crashed = true };
	struct keepalive not_crashed = { .mode = KEEPALIVE_CONDITIONAL, .has_crashed = true };
	struct keepalive exit_ok = { .mode = KEEPALIVE_CONDITIONAL, .has_successful_exit = true };
	struct keepalive demand = { .mode = KEEPALIVE_CONDITIONAL, .has_crashed = true,
				    .after_initial_demand = true };
	struct keepalive none = { .mode = KEEPALIVE_CONDITIONAL };

	ck_assert(at_load(&crashed));
	ck_assert(at_load(&not_crashed));
	ck_assert(at_load(&exit_ok));
	ck_assert(!at_load(&demand));
	ck_assert(!at_load(&none));
}
END_TEST

static bool after_exit_kicked_off(const struct keepalive *ka, int status, bool demanded)
{
	struct keepalive_facts f = { .ka = ka, .last_status = status, .demanded = demanded };

	return keepalive_after_exit(&f);
}

/*
 * launchd's needs_kickoff: nothing but a first demand (or bsctl) starts
 * the job; then a dictionary holding AfterInitialDemand alone keeps it
 * alive, and one with conditions applies them.
 */
START_TEST(test_after_initial_demand)
{
	struct keepalive alone = { .mode = KEEPALIVE_CONDITIONAL, .after_initial_demand = true };
	struct keepalive with_exit = { .mode = KEEPALIVE_CONDITIONAL, .after_initial_demand = true,
				       .has_successful_exit = true };
	struct keepalive_facts waiting = { .ka = &alone }, kicked = { .ka = &alone, .demanded = true };

	ck_assert(keepalive_awaits_demand(&waiting));
	ck_assert(!keepalive_awaits_demand(&kicked));
	ck_assert(!at_load(&alone));
	ck_assert(!after_exit_kicked_off(&alone, status_of(0, 0), false));
	ck_assert(after_exit_kicked_off(&alone, status_of(0, 0), true));
	ck_assert(after_exit_kicked_off(&alone, status_of(0, SIGTERM), true));
	ck_assert(!after_exit_kicked_off(&with_exit, status_of(0, 0), false));
	ck_assert(!after_exit_kicked_off(&with_exit, status_of(0, 0), true));
	ck_assert(after_exit_kicked_off(&with_exit, status_of(1, 0), true));
}
END_TEST

/*
 * A crash signal while the job was being stopped is no crash, as
 * launchd's job_reap() does not mark a job it stopped as crashed: Crashed
 * true does not restart a job that aborts on its way out.
 */
START_TEST(test_crash_while_stopping_is_no_crash)
{
	struct keepalive ka = { .mode = KEEPALIVE_CONDITIONAL, .has_crashed = true,
				.crashed = true };
	struct keepalive_facts f = { .ka = &ka, .last_status = status_of(0, SIGABRT),
				     .exit_asked = true };

	ck_assert(!keepalive_after_exit(&f));
	ka.crashed = false;
	ck_assert(keepalive_after_exit(&f));
	f.exit_asked = false;
	ck_assert(!keepalive_after_exit(&f));
	ka.crashed = true;
	ck_assert(keepalive_after_exit(&f));
}
END_TEST

/*
 * NetworkState, as launchd's job_keepalive(): true keeps the job alive
 * while the network is up, false while it is down; either way it starts
 * at load if it holds then.
 */
START_TEST(test_network_state)
{
	struct keepalive ka = { .mode = KEEPALIVE_CONDITIONAL, .has_network_state = true,
				.network_state = true };
	struct keepalive_facts f = { .ka = &ka, .network_up = true };

	ck_assert(keepalive_at_load(&f) && keepalive_after_exit(&f) && keepalive_others_hold(&f));
	f.network_up = false;
	ck_assert(!keepalive_at_load(&f) && !keepalive_after_exit(&f) &&
		  !keepalive_others_hold(&f));
	ka.network_state = false;
	ck_assert(keepalive_at_load(&f) && keepalive_others_hold(&f));
}
END_TEST

/* Only compared by address, and whether it "runs". */
static const char running_job = 'r', idle_job = 'i';

static bool fake_runs(const void *job)
{
	return job == &running_job;
}

/*
 * OtherJobActive, as launchd's job_keepalive(): true holds while the job
 * named is loaded and runs, false while it is loaded and does not; a job
 * not loaded is neither.
 */
START_TEST(test_other_job_active)
{
	struct other_job_state want = { .label = "com.example.other", .enabled = true,
					.active = true };
	struct keepalive ka = { .mode = KEEPALIVE_CONDITIONAL, .other_jobs = &want,
				.n_other_jobs = 1 };
	struct strmap jobs;
	struct keepalive_facts f = { .ka = &ka, .jobs = &jobs, .runs = fake_runs };

	strmap_init(&jobs);
	ck_assert(!keepalive_at_load(&f) && !keepalive_after_exit(&f));
	ck_assert_int_eq(strmap_put(&jobs, "com.example.other", (void *)&idle_job), 0);
	ck_assert(!keepalive_others_hold(&f) && !keepalive_after_exit(&f));
	want.enabled = false;
	ck_assert(keepalive_others_hold(&f) && keepalive_after_exit(&f));
	ck_assert_int_eq(strmap_put(&jobs, "com.example.other", (void *)&running_job), 0);
	ck_assert(!keepalive_others_hold(&f));
	want.enabled = true;
	ck_assert(keepalive_at_load(&f) && keepalive_others_hold(&f));
	strmap_deinit(&jobs);
}
END_TEST

static Suite *keepalive_suite(void)
{
	Suite *s = suite_create("keepalive");
	TCase *tc = tcase_create("decide");

	tcase_add_test(tc, test_successful_exit_false_restarts_after_a_signal);
	tcase_add_test(tc, test_exit_conditions_start_at_load);
	tcase_add_test(tc, test_after_initial_demand);
	tcase_add_test(tc, test_other_job_active);
	tcase_add_test(tc, test_network_state);
	tcase_add_test(tc, test_crash_while_stopping_is_no_crash);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(keepalive_suite(), NULL, 0, argc, argv);
}
