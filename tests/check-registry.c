/* SPDX-License-Identifier: MIT */
/*
 * check-registry.c - the name rules, without a daemon or a socket: jobs
 * and services are plain structs (a service's ports are not needed to
 * decide who may hold its name).
 */
#include <check.h>
#include <stdlib.h>

#include "registry.h"
#include "service.h"

/* Only compared by address: the registry never looks inside a job. */
static struct job *const job_a = (struct job *)&job_a;
static struct job *const job_b = (struct job *)&job_b;

static struct service job_service(const char *name, struct job *job, bool hide)
{
	return (struct service){ .name = (char *)name, .job = job, .recv_fd = -1, .send_fd = -1,
				 .hide_until_checkin = hide };
}

/* A name bound to a process: its binding follows the struct (service_binding()). */
struct bound_service {
	struct service s;
	struct service_binding b;
};

static struct bound_service registered(const char *name, pid_t pid, uid_t uid)
{
	return (struct bound_service){
		.s = { .name = (char *)name, .recv_fd = -1, .send_fd = -1, .checked_in = true,
		       .bound = true },
		.b = { .pid = pid, .uid = uid, .pidfd = -1 },
	};
}

/* A user domain of uid 1000 holding com.a (job_a's) and com.reg (pid 42's). */
struct two_names {
	struct registry r;
	struct service a;
	struct bound_service reg;
};

static void two_names_init(struct two_names *t)
{
	registry_init(&t->r, false, 1000);
	t->a = job_service("com.a", job_a, false);
	t->reg = registered("com.reg", 42, 1000);
	ck_assert_int_eq(registry_add(&t->r, &t->a), REGISTRY_OK);
	ck_assert_int_eq(registry_add(&t->r, &t->reg.s), REGISTRY_OK);
}

START_TEST(test_user_domain_answers_owner_and_root)
{
	struct registry user, sys;

	registry_init(&user, false, 1000);
	registry_init(&sys, true, 0);
	ck_assert_int_eq(registry_may_ask(&user, 1000), REGISTRY_OK);
	ck_assert_int_eq(registry_may_ask(&user, 0), REGISTRY_OK);
	ck_assert_int_eq(registry_may_ask(&user, 1001), REGISTRY_E_NOT_OWNER);
	ck_assert_int_eq(registry_may_ask(&sys, 1001), REGISTRY_OK);
	registry_deinit(&user);
	registry_deinit(&sys);
}
END_TEST

START_TEST(test_look_up)
{
	struct registry r;
	struct service a = job_service("com.a", job_a, false), *out = &a;

	registry_init(&r, false, 1000);
	ck_assert_int_eq(registry_look_up(&r, "com.a", &out), REGISTRY_E_UNKNOWN);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(registry_add(&r, &a), REGISTRY_OK);
	ck_assert_int_eq(registry_look_up(&r, "com.a", &out), REGISTRY_OK);
	ck_assert_ptr_eq(out, &a);
	ck_assert_int_eq(registry_look_up(&r, "com.b", &out), REGISTRY_E_UNKNOWN);
	registry_deinit(&r);
}
END_TEST

START_TEST(test_hide_until_check_in)
{
	struct registry r;
	struct service a = job_service("com.hidden", job_a, true), *out;

	registry_init(&r, false, 1000);
	registry_add(&r, &a);
	ck_assert_int_eq(registry_look_up(&r, "com.hidden", &out), REGISTRY_E_UNKNOWN);
	ck_assert_int_eq(registry_check_in(&r, "com.hidden", job_a, 7, 1000, &out), REGISTRY_OK);
	registry_checked_in(&a);
	ck_assert_int_eq(registry_look_up(&r, "com.hidden", &out), REGISTRY_OK);
	/* As launchd: hidden again once its job let go (exited). */
	registry_released(&a);
	ck_assert_int_eq(registry_look_up(&r, "com.hidden", &out), REGISTRY_E_UNKNOWN);
	registry_deinit(&r);
}
END_TEST

START_TEST(test_check_in_only_by_its_job_once_per_run)
{
	struct two_names t;
	struct service *out;

	two_names_init(&t);
	ck_assert_int_eq(registry_check_in(&t.r, "com.a", job_b, 7, 1000, &out), REGISTRY_E_NOT_JOB);
	ck_assert_ptr_eq(out, &t.a);
	ck_assert_int_eq(registry_check_in(&t.r, "com.a", NULL, 7, 1000, &out), REGISTRY_E_NOT_JOB);
	ck_assert_int_eq(registry_check_in(&t.r, "com.reg", NULL, 7, 1000, &out), REGISTRY_E_NOT_JOB);
	ck_assert_int_eq(registry_check_in(&t.r, "com.reg", job_a, 7, 1000, &out), REGISTRY_E_NOT_JOB);
	/* The process holding a registered name is told it is active, as launchd does. */
	ck_assert_int_eq(registry_check_in(&t.r, "com.reg", NULL, 42, 1000, &out), REGISTRY_E_ACTIVE);
	ck_assert_int_eq(registry_check_in(&t.r, "com.a", job_a, 7, 1000, &out), REGISTRY_OK);
	registry_checked_in(&t.a);
	ck_assert_int_eq(registry_check_in(&t.r, "com.a", job_a, 7, 1000, &out), REGISTRY_E_ACTIVE);
	registry_released(&t.a);
	ck_assert_int_eq(registry_check_in(&t.r, "com.a", job_a, 7, 1000, &out), REGISTRY_OK);
	registry_deinit(&t.r);
}
END_TEST

START_TEST(test_check_in_of_a_free_name_creates_it)
{
	struct two_names t;
	struct registry sys;
	struct service *out = NULL;
	struct bound_service dyn_b = registered("com.dyn", 7, 1000);
	struct service *dyn = &dyn_b.s;

	dyn->dynamic = true;

	two_names_init(&t);
	registry_init(&sys, true, 0);
	ck_assert_int_eq(registry_check_in(&t.r, "com.dyn", NULL, 7, 1000, &out),
			 REGISTRY_CREATE);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(registry_check_in(&t.r, "com.dyn", job_a, 7, 1000, &out),
			 REGISTRY_CREATE);
	ck_assert_int_eq(registry_check_in(&sys, "com.dyn", NULL, 7, 1000, &out),
			 REGISTRY_E_NOT_ROOT);
	ck_assert_int_eq(registry_check_in(&sys, "com.dyn", NULL, 7, 0, &out), REGISTRY_CREATE);
	ck_assert_int_eq(registry_check_in(&sys, "com.dyn", job_a, 7, 1000, &out), REGISTRY_CREATE);
	/* Once made, it is its process's: others are refused; it may check it
	 * in again once it let the right go, not while it holds it. */
	ck_assert_int_eq(registry_add(&t.r, dyn), REGISTRY_OK);
	registry_checked_in(dyn);
	ck_assert_int_eq(registry_check_in(&t.r, "com.dyn", NULL, 8, 1000, &out),
			 REGISTRY_E_NOT_JOB);
	ck_assert_int_eq(registry_check_in(&t.r, "com.dyn", NULL, 7, 1000, &out),
			 REGISTRY_E_ACTIVE);
	ck_assert_int_eq(registry_status(dyn, false), REGISTRY_STATUS_ACTIVE);
	registry_released(dyn);
	ck_assert_int_eq(registry_check_in(&t.r, "com.dyn", NULL, 7, 1000, &out), REGISTRY_OK);
	ck_assert_int_eq(registry_status(dyn, false), REGISTRY_STATUS_ON_DEMAND);
	ck_assert_int_eq(registry_look_up(&t.r, "com.dyn", &out), REGISTRY_OK);
	registry_deinit(&t.r);
	registry_deinit(&sys);
}
END_TEST

START_TEST(test_status)
{
	struct two_names t;

	two_names_init(&t);
	ck_assert_int_eq(registry_status(&t.a, false), REGISTRY_STATUS_ON_DEMAND);
	registry_checked_in(&t.a);
	ck_assert_int_eq(registry_status(&t.a, false), REGISTRY_STATUS_ACTIVE);
	registry_released(&t.a);
	ck_assert_int_eq(registry_status(&t.a, false), REGISTRY_STATUS_ON_DEMAND);
	ck_assert_int_eq(registry_status(&t.reg.s, false), REGISTRY_STATUS_ACTIVE);
	/* A job kept alive that does not hold its name is inactive. */
	ck_assert_int_eq(registry_status(&t.a, true), REGISTRY_STATUS_INACTIVE);
	registry_checked_in(&t.a);
	ck_assert_int_eq(registry_status(&t.a, true), REGISTRY_STATUS_ACTIVE);
	registry_deinit(&t.r);
}
END_TEST

START_TEST(test_system_domain_only_root_and_jobs_register)
{
	struct registry r;
	struct service *out;

	registry_init(&r, true, 0);
	ck_assert_int_eq(registry_may_register(&r, "com.x", NULL, 42, 1000, false, &out),
			 REGISTRY_E_NOT_ROOT);
	ck_assert_int_eq(registry_may_register(&r, "com.x", NULL, 42, 1000, true, &out),
			 REGISTRY_E_NOT_ROOT);
	ck_assert_int_eq(registry_may_register(&r, "com.x", NULL, 42, 0, false, &out), REGISTRY_OK);
	/* The domain's jobs may, whatever their UserName, as in launchd. */
	ck_assert_int_eq(registry_may_register(&r, "com.x", job_a, 42, 1000, false, &out),
			 REGISTRY_OK);
	/* Per-PID names too: no other user's process holds the daemon's fds with them. */
	ck_assert_int_eq(registry_may_register_pid(&r, "com.x", 42, 1000, false, false, &out),
			 REGISTRY_E_NOT_ROOT);
	ck_assert_int_eq(registry_check_in_pid(&r, "com.x", 42, 1000, false, &out),
			 REGISTRY_E_NOT_ROOT);
	ck_assert_int_eq(registry_may_register_pid(&r, "com.x", 42, 1000, true, false, &out),
			 REGISTRY_OK);
	ck_assert_int_eq(registry_check_in_pid(&r, "com.x", 42, 0, false, &out), REGISTRY_CREATE);
	registry_deinit(&r);
}
END_TEST

START_TEST(test_register_never_over_a_job_or_another_process)
{
	struct two_names t;
	struct service *out;

	two_names_init(&t);
	ck_assert_int_eq(registry_may_register(&t.r, "com.a", NULL, 42, 1000, false, &out),
			 REGISTRY_E_JOB_NAME);
	ck_assert_int_eq(registry_may_register(&t.r, "com.a", NULL, 42, 0, true, &out),
			 REGISTRY_E_JOB_NAME);
	ck_assert_int_eq(registry_may_register(&t.r, "com.a", job_b, 42, 1000, true, &out),
			 REGISTRY_E_JOB_NAME);
	ck_assert_int_eq(registry_may_register(&t.r, "com.reg", NULL, 43, 1000, false, &out),
			 REGISTRY_E_OTHER_PROCESS);
	ck_assert_int_eq(registry_may_register(&t.r, "com.reg", NULL, 43, 1000, true, &out),
			 REGISTRY_E_OTHER_PROCESS);
	ck_assert_int_eq(registry_may_register(&t.r, "com.new", NULL, 43, 1000, false, &out),
			 REGISTRY_OK);
	registry_deinit(&t.r);
}
END_TEST

/*
 * Over one's own name, launchd's answers (job_mig_register2()): a name
 * held, registered or taken, is active whatever the port, a null one
 * included, so a registration is not undone by registering null; a
 * dynamic name let go is undeclared by a null port, and a port over it is
 * refused.  A job's own declared name it holds is active; one it does not
 * hold stays declared.  A null port over one's registration used to
 * remove it, and over a held dynamic name to take it from its holder.
 */
START_TEST(test_register_over_own_name)
{
	struct two_names t;
	struct bound_service dyn_b = registered("com.dyn", 42, 1000);
	struct service *dyn = &dyn_b.s, *out = dyn;

	two_names_init(&t);
	dyn->dynamic = true;
	ck_assert_int_eq(registry_add(&t.r, dyn), REGISTRY_OK);
	ck_assert_int_eq(registry_may_register(&t.r, "com.reg", NULL, 42, 1000, false, &out),
			 REGISTRY_E_ACTIVE);
	ck_assert_int_eq(registry_may_register(&t.r, "com.reg", NULL, 42, 1000, true, &out),
			 REGISTRY_E_ACTIVE);
	ck_assert_int_eq(registry_may_register(&t.r, "com.dyn", NULL, 42, 1000, true, &out),
			 REGISTRY_E_ACTIVE);
	registry_released(dyn);
	ck_assert_int_eq(registry_may_register(&t.r, "com.dyn", NULL, 42, 1000, false, &out),
			 REGISTRY_E_LET_GO);
	ck_assert_int_eq(registry_may_register(&t.r, "com.dyn", NULL, 42, 1000, true, &out),
			 REGISTRY_OK);
	ck_assert_ptr_eq(out, dyn);
	ck_assert_int_eq(registry_may_register(&t.r, "com.a", job_a, 42, 1000, true, &out),
			 REGISTRY_E_JOB_NAME);
	registry_checked_in(&t.a);
	ck_assert_int_eq(registry_may_register(&t.r, "com.a", job_a, 42, 1000, false, &out),
			 REGISTRY_E_ACTIVE);
	registry_deinit(&t.r);
}
END_TEST

/* The same rule over one's own per-PID names. */
START_TEST(test_register_over_own_per_pid_name)
{
	/* A per-PID name's key follows its name (service_key()). */
	static char name_and_key[] = "com.p\0" "42:com.p";
	struct registry r;
	struct bound_service reg_b = registered(name_and_key, 42, 1000);
	struct service *reg = &reg_b.s, *out = reg;

	registry_init(&r, false, 1000);
	reg->per_pid = true;
	ck_assert_int_eq(registry_may_register_pid(&r, "com.p", 42, 1000, false, true, &out),
			 REGISTRY_OK);
	ck_assert_ptr_null(out);        /* none: nothing to remove, still success */
	ck_assert_int_eq(registry_add(&r, reg), REGISTRY_OK);
	ck_assert_int_eq(registry_may_register_pid(&r, "com.p", 42, 1000, false, true, &out),
			 REGISTRY_E_ACTIVE);
	ck_assert_int_eq(registry_may_register_pid(&r, "com.p", 43, 1000, false, false, &out),
			 REGISTRY_OK);  /* another process's own */
	registry_released(reg);
	ck_assert_int_eq(registry_may_register_pid(&r, "com.p", 42, 1000, false, false, &out),
			 REGISTRY_E_LET_GO);
	ck_assert_int_eq(registry_may_register_pid(&r, "com.p", 42, 1000, false, true, &out),
			 REGISTRY_OK);
	ck_assert_ptr_eq(out, reg);
	registry_deinit(&r);
}
END_TEST

START_TEST(test_names_are_unique)
{
	struct registry r;
	struct service a = job_service("com.a", job_a, false);
	struct service b = job_service("com.a", job_b, false), *s;
	size_t i = 0, n = 0;

	registry_init(&r, false, 1000);
	ck_assert_int_eq(registry_add(&r, &a), REGISTRY_OK);
	ck_assert_int_eq(registry_add(&r, &b), REGISTRY_E_ACTIVE);
	/* Removing a service that does not hold the name leaves the holder. */
	registry_remove(&r, &b);
	ck_assert(registry_bound(&r, "com.a"));
	while ((s = registry_next(&r, &i))) {
		ck_assert_ptr_eq(s, &a);
		n++;
	}
	ck_assert_uint_eq(n, 1);
	registry_remove(&r, &a);
	ck_assert_int_eq(registry_add(&r, &b), REGISTRY_OK);
	registry_deinit(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("registry");
	TCase *tc = tcase_create("rules");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_user_domain_answers_owner_and_root);
	tcase_add_test(tc, test_look_up);
	tcase_add_test(tc, test_hide_until_check_in);
	tcase_add_test(tc, test_check_in_only_by_its_job_once_per_run);
	tcase_add_test(tc, test_check_in_of_a_free_name_creates_it);
	tcase_add_test(tc, test_status);
	tcase_add_test(tc, test_system_domain_only_root_and_jobs_register);
	tcase_add_test(tc, test_register_never_over_a_job_or_another_process);
	tcase_add_test(tc, test_register_over_own_name);
	tcase_add_test(tc, test_register_over_own_per_pid_name);
	tcase_add_test(tc, test_names_are_unique);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
