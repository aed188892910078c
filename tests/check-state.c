/* SPDX-License-Identifier: MIT */
/*
 * check-state - the restart state's format: what is encoded decodes the
 * same; anything truncated, flipped, of another version or describing
 * more than it holds is refused cleanly.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "state-format.h"

#include "helpers/runner.h"

static struct state_service services[] = {
	{ .name = "com.example.a", .job = "com.example.job", .recv_id = 7, .send_id = 8,
	  .checked_in = true, .release_id = 13, .owner_pidfd_id = -1 },
	{ .name = "com.example.reg", .job = NULL, .recv_id = -1, .send_id = 9,
	  .owner_pid = 4242, .owner_uid = 1000, .release_id = -1, .until_exit = true,
	  .owner_start = 555, .owner_pidfd_id = 14 },
};
static struct state_listener listeners[] = {
	{ .name = "http", .entry = 0, .pos = 1, .id = 16 },
	{ .name = "control", .entry = 2, .pos = 0, .id = 17 },
};
static struct state_job jobs[] = {
	{ .label = "com.example.job", .failure = "", .state = 2, .pid = 1234,
	  .proc_start = 987654, .start_sec = 1, .start_nsec = 5, .runs = 3, .conn_id = 10,
	  .listeners = listeners, .n_listeners = 2 },
	{ .label = "com.example.broken", .failure = "cannot exec", .state = 4, .runs = 1,
	  .early_failures = 5, .conn_id = -1, .last_status = 256 },
};
static int32_t clients[] = { 11, 12 };

static const struct state sample = {
	.generation = 17, .daemon_pid = 99, .nofile_soft = 1024, .listen_id = 6,
	.services = services, .n_services = 2, .jobs = jobs, .n_jobs = 2,
	.clients = clients, .n_clients = 2,
};

static void encode(char **buf, size_t *len)
{
	ck_assert_int_eq(state_encode(&sample, buf, len), 0);
}

START_TEST(test_round_trip)
{
	struct state st;
	uint64_t gen;
	size_t len;
	char *buf;

	encode(&buf, &len);
	ck_assert_int_eq(state_decode(buf, len, &st), 0);
	ck_assert_int_eq(state_peek_generation(buf, len, &gen), 0);
	ck_assert_uint_eq(gen, 17);
	ck_assert_int_eq(st.daemon_pid, 99);
	ck_assert_int_eq(st.listen_id, 6);
	ck_assert_uint_eq(st.n_services, 2);
	ck_assert_str_eq(st.services[0].name, "com.example.a");
	ck_assert_str_eq(st.services[0].job, "com.example.job");
	ck_assert(st.services[0].checked_in);
	ck_assert_int_eq(st.services[0].release_id, 13);
	ck_assert_ptr_null(st.services[1].job);
	ck_assert_int_eq(st.services[1].release_id, -1);
	ck_assert_int_eq(st.services[1].owner_pid, 4242);
	ck_assert(st.services[1].until_exit && !st.services[0].until_exit);
	ck_assert(st.services[1].exit_rule_saved);
	ck_assert_uint_eq(st.services[1].owner_start, 555);
	ck_assert_int_eq(st.services[1].owner_pidfd_id, 14);
	ck_assert_int_eq(st.services[0].owner_pidfd_id, -1);
	ck_assert_uint_eq(st.n_jobs, 2);
	ck_assert_int_eq(st.jobs[0].pid, 1234);
	ck_assert_uint_eq(st.jobs[0].proc_start, 987654);
	ck_assert_str_eq(st.jobs[1].failure, "cannot exec");
	ck_assert_uint_eq(st.jobs[0].n_listeners, 2);
	ck_assert_str_eq(st.jobs[0].listeners[1].name, "control");
	ck_assert_uint_eq(st.jobs[0].listeners[1].entry, 2);
	ck_assert_uint_eq(st.jobs[0].listeners[0].pos, 1);
	ck_assert_int_eq(st.jobs[0].listeners[1].id, 17);
	ck_assert_uint_eq(st.jobs[1].n_listeners, 0);
	ck_assert_uint_eq(st.n_clients, 2);
	ck_assert_int_eq(st.clients[1], 12);
	state_free(&st);
	free(buf);
}
END_TEST

START_TEST(test_truncated_refused)
{
	struct state st;
	size_t len;
	char *buf;

	encode(&buf, &len);
	for (size_t n = 0; n < len; n++)
		ck_assert_int_eq(state_decode(buf, n, &st), -EBADMSG);
	free(buf);
}
END_TEST

START_TEST(test_flipped_refused)
{
	struct state st;
	size_t len;
	char *buf;

	encode(&buf, &len);
	for (size_t i = 0; i < len; i++) {
		if (i >= 8 && i < 12)
			continue;       /* the version: -EPROTO, below */
		buf[i] ^= 0x40;
		ck_assert_int_eq(state_decode(buf, len, &st), -EBADMSG);
		buf[i] ^= 0x40;
	}
	memcpy(buf + 8, &(uint32_t){ STATE_VERSION + 1 }, 4);   /* a version never written */
	ck_assert_int_eq(state_decode(buf, len, &st), -EPROTO);
	free(buf);
}
END_TEST

/*
 * A forged state with a valid checksum: its counts and fields are still
 * checked.  Return: state_decode()'s answer; what was wrong in *@why.
 */
static int decode_forged_why(const struct state *s, const char **why)
{
	struct state st;
	size_t len;
	char *buf;
	int err;

	*why = NULL;
	ck_assert_int_eq(state_encode(s, &buf, &len), 0);
	err = state_decode_why(buf, len, &st, why);
	if (err == 0)
		state_free(&st);
	free(buf);
	return err;
}

static int decode_forged(const struct state *s)
{
	const char *why;

	return decode_forged_why(s, &why);
}

START_TEST(test_inconsistent_refused)
{
	struct state s = sample;
	struct state_service bad_svc[2];
	struct state_job bad_job[2];

	memcpy(bad_svc, services, sizeof(bad_svc));
	memcpy(bad_job, jobs, sizeof(bad_job));
	s.services = bad_svc;
	s.jobs = bad_job;
	bad_svc[0].recv_id = -1;        /* a job's name without its receive right */
	ck_assert_int_eq(decode_forged(&s), -EBADMSG);
	bad_svc[0].recv_id = STATE_FD_ID_MAX;
	ck_assert_int_eq(decode_forged(&s), -EBADMSG);
	bad_svc[0].recv_id = 7;
	bad_svc[1].owner_pid = 0;       /* a registered name without its owner */
	ck_assert_int_eq(decode_forged(&s), -EBADMSG);
	bad_svc[1].owner_pid = 4242;
	bad_svc[0].until_exit = true;   /* a job's name going with a process */
	ck_assert_int_eq(decode_forged(&s), -EBADMSG);
	bad_svc[0].until_exit = false;
	bad_job[0].pid = 0;             /* running without a process */
	ck_assert_int_eq(decode_forged(&s), -EBADMSG);
	bad_job[0].pid = 1234;
	bad_job[1].state = 9;
	ck_assert_int_eq(decode_forged(&s), -EBADMSG);
	bad_job[1].state = 4;
	bad_svc[0].name = "";
	ck_assert_int_eq(decode_forged(&s), -EBADMSG);
	bad_svc[0].name = "com.example.a";
	bad_svc[1].release_id = 14;     /* a release request of a name nobody checked in */
	ck_assert_int_eq(decode_forged(&s), -EBADMSG);
	bad_svc[1].release_id = -1;
	ck_assert_int_eq(decode_forged(&s), 0);
}
END_TEST

/* Refused with @why naming what is wrong. */
static void ck_refused_for(const struct state *s, const char *why)
{
	const char *got;

	ck_assert_int_eq(decode_forged_why(s, &got), -EBADMSG);
	ck_assert_ptr_nonnull(got);
	ck_assert_msg(strstr(got, why), "refused for \"%s\", not \"%s\"", got, why);
}

/* A job's start after now (its clock is this boot's): the time since it would overflow. */
START_TEST(test_start_from_the_future_refused)
{
	struct state s = sample;
	struct state_job bad_job[2];

	memcpy(bad_job, jobs, sizeof(bad_job));
	s.jobs = bad_job;
	bad_job[1].start_sec = INT64_MAX;
	ck_refused_for(&s, "started later than now");
	bad_job[1].start_sec = 1;
	ck_assert_int_eq(decode_forged(&s), 0);
}
END_TEST

/*
 * An owner's pidfd is kept only for a registration that goes with its
 * owner, under an id in range that names no other fd: the restore takes
 * it for that process and watches it.
 */
START_TEST(test_owner_pidfd_refused_where_it_cannot_be)
{
	struct state s = sample;
	struct state_service bad_svc[2];
	int32_t bad_clients[2];

	memcpy(bad_svc, services, sizeof(bad_svc));
	memcpy(bad_clients, clients, sizeof(bad_clients));
	s.services = bad_svc;
	s.clients = bad_clients;
	bad_svc[0].owner_pidfd_id = 15;         /* a job's name */
	ck_refused_for(&s, "not bound to its owner's life");
	bad_svc[0].owner_pidfd_id = -1;
	bad_svc[1].until_exit = false;          /* a registration that outlives its owner */
	ck_refused_for(&s, "not bound to its owner's life");
	bad_svc[1].until_exit = true;
	bad_svc[1].owner_pidfd_id = STATE_FD_ID_MAX;
	ck_refused_for(&s, "out of range");
	bad_svc[1].owner_pidfd_id = -2;
	ck_refused_for(&s, "out of range");
	bad_svc[1].owner_pidfd_id = 9;          /* its own port's send right */
	ck_refused_for(&s, "names another fd");
	bad_svc[1].owner_pidfd_id = 13;         /* another name's release request */
	ck_refused_for(&s, "names another fd");
	bad_svc[1].owner_pidfd_id = 12;         /* a client connection */
	ck_refused_for(&s, "names another fd");
	bad_svc[1].owner_pidfd_id = 6;          /* the listening socket */
	ck_refused_for(&s, "names another fd");
	bad_svc[1].owner_pidfd_id = 10;         /* a job's bootstrap port */
	ck_refused_for(&s, "names another fd");
	bad_svc[1].owner_pidfd_id = 14;
	bad_clients[0] = 14;
	ck_refused_for(&s, "names another fd");
	bad_clients[0] = 11;
	ck_assert_int_eq(decode_forged(&s), 0);
}
END_TEST

/*
 * Every fd id is 3 or more, as the fd store's names are: 0 to 2 are the
 * daemon's stdin, stdout and stderr, which a restart must not take for a
 * port, a connection or a pidfd.  They were accepted.
 */
START_TEST(test_stdio_fd_ids_refused)
{
	struct state s = sample;
	struct state_service bad_svc[2];
	struct state_job bad_job[2];
	int32_t bad_clients[2];

	memcpy(bad_svc, services, sizeof(bad_svc));
	memcpy(bad_job, jobs, sizeof(bad_job));
	memcpy(bad_clients, clients, sizeof(bad_clients));
	s.services = bad_svc;
	s.jobs = bad_job;
	s.clients = bad_clients;
	s.listen_id = 2;
	ck_assert_int_eq(decode_forged(&s), -EBADMSG);
	s.listen_id = 6;
	bad_svc[0].recv_id = 0;
	ck_assert_int_eq(decode_forged(&s), -EBADMSG);
	bad_svc[0].recv_id = 7;
	bad_svc[1].send_id = 1;
	ck_assert_int_eq(decode_forged(&s), -EBADMSG);
	bad_svc[1].send_id = 9;
	bad_svc[0].release_id = 2;
	ck_assert_int_eq(decode_forged(&s), -EBADMSG);
	bad_svc[0].release_id = 13;
	bad_svc[1].owner_pidfd_id = 2;
	ck_refused_for(&s, "out of range");
	bad_svc[1].owner_pidfd_id = 14;
	bad_job[0].conn_id = 0;
	ck_assert_int_eq(decode_forged(&s), -EBADMSG);
	bad_job[0].conn_id = 10;
	bad_clients[1] = 1;
	ck_assert_int_eq(decode_forged(&s), -EBADMSG);
	bad_clients[1] = 3;
	ck_assert_int_eq(decode_forged(&s), 0);
}
END_TEST

/* Two registrations of one process hold a pidfd each: one id for both is refused. */
START_TEST(test_owner_pidfd_shared_refused)
{
	struct state_service two[2] = { services[1], services[1] };
	struct state s = { .listen_id = -1, .services = two, .n_services = 2 };

	two[1].name = "com.example.reg2";
	two[1].send_id = 20;
	ck_refused_for(&s, "names another fd");
	two[1].owner_pidfd_id = 21;
	ck_assert_int_eq(decode_forged(&s), 0);
}
END_TEST

/*
 * A state an older daemon wrote (version 1, no release requests) is read:
 * a daemon re-executed into a newer one resumes.  It used to be refused,
 * and a re-exec across the change would lose everything it kept.
 */
START_TEST(test_older_version_read)
{
	struct state st;
	size_t len;
	char *buf;

	ck_assert_int_eq(state_encode_as(&sample, 1, &buf, &len), 0);
	ck_assert_int_eq(state_decode(buf, len, &st), 0);
	ck_assert_uint_eq(st.n_services, 2);
	ck_assert_int_eq(st.services[0].release_id, -1);
	ck_assert_int_eq(st.services[0].send_id, 8);
	ck_assert_int_eq(st.services[1].owner_pid, 4242);
	ck_assert_int_eq(st.jobs[0].pid, 1234);
	state_free(&st);
	free(buf);
	/* Version 2: a registration went with its port only. */
	ck_assert_int_eq(state_encode_as(&sample, 2, &buf, &len), 0);
	ck_assert_int_eq(state_decode(buf, len, &st), 0);
	ck_assert_int_eq(st.services[0].release_id, 13);
	ck_assert(!st.services[1].until_exit && !st.services[1].exit_rule_saved);
	ck_assert_uint_eq(st.services[1].owner_start, 0);
	ck_assert_int_eq(st.services[1].owner_pidfd_id, -1);
	state_free(&st);
	free(buf);
	/* Version 3: the start time only; the pidfd was not kept. */
	ck_assert_int_eq(state_encode_as(&sample, 3, &buf, &len), 0);
	ck_assert_int_eq(state_decode(buf, len, &st), 0);
	ck_assert(st.services[1].until_exit && st.services[1].exit_rule_saved);
	ck_assert_uint_eq(st.services[1].owner_start, 555);
	ck_assert_int_eq(st.services[1].owner_pidfd_id, -1);
	ck_assert_int_eq(st.services[0].owner_pidfd_id, -1);
	state_free(&st);
	free(buf);
}
END_TEST

/*
 * A process's per-PID name and its plain name of the same string, and the
 * domain's environment: one variable set by hand, one a job published.
 */
static struct state_service same_name[] = {
	{ .name = "com.example.reg", .recv_id = -1, .send_id = 9, .owner_pid = 4242,
	  .owner_uid = 1000, .release_id = -1, .until_exit = true, .owner_start = 555,
	  .owner_pidfd_id = 14 },
	{ .name = "com.example.reg", .recv_id = -1, .send_id = 15, .owner_pid = 4242,
	  .owner_uid = 1000, .release_id = -1, .until_exit = true, .owner_start = 555,
	  .owner_pidfd_id = 16, .per_pid = true },
};
static struct state_env env[] = {
	{ .key = "FOO", .value = "set by hand" },
	{ .key = "SECURE_SOCKET", .value = "/tmp/bootstrapd.x/a", .job = "com.example.job" },
};
static const struct state kept = {
	.listen_id = -1, .services = same_name, .n_services = 2, .env = env, .n_env = 2,
};

/*
 * Whether a registration is a per-PID name, and the domain's environment,
 * are kept.  A per-PID name was not saved at all: after a restart it was
 * gone, and the environment with it.
 */
START_TEST(test_per_pid_and_env_round_trip)
{
	struct state st;
	size_t len;
	char *buf;

	ck_assert_int_eq(state_encode(&kept, &buf, &len), 0);
	ck_assert_int_eq(state_decode(buf, len, &st), 0);
	ck_assert_uint_eq(st.n_services, 2);
	ck_assert(!st.services[0].per_pid && st.services[1].per_pid);
	ck_assert_str_eq(st.services[1].name, "com.example.reg");
	ck_assert_int_eq(st.services[1].send_id, 15);
	ck_assert_uint_eq(st.n_env, 2);
	ck_assert_str_eq(st.env[0].key, "FOO");
	ck_assert_str_eq(st.env[0].value, "set by hand");
	ck_assert_ptr_null(st.env[0].job);
	ck_assert_str_eq(st.env[1].value, "/tmp/bootstrapd.x/a");
	ck_assert_str_eq(st.env[1].job, "com.example.job");
	state_free(&st);
	for (size_t n = 0; n < len; n++)
		ck_assert_int_eq(state_decode(buf, n, &st), -EBADMSG);
	free(buf);
}
END_TEST

/* An older state is read as it was: no per-PID name, no environment. */
START_TEST(test_older_version_not_per_pid)
{
	struct state_service one = same_name[1];
	struct state s = { .listen_id = -1, .services = &one, .n_services = 1,
			   .env = env, .n_env = 2 };
	struct state st;
	size_t len;
	char *buf;

	for (uint32_t v = STATE_VERSION_OLDEST; v < 5; v++) {
		ck_assert_int_eq(state_encode_as(&s, v, &buf, &len), 0);
		ck_assert_int_eq(state_decode(buf, len, &st), 0);
		ck_assert_uint_eq(st.n_services, 1);
		ck_assert(!st.services[0].per_pid);
		ck_assert_uint_eq(st.n_env, 0);
		state_free(&st);
		free(buf);
	}
}
END_TEST

/* A per-PID name goes with its process; a variable has a name. */
START_TEST(test_per_pid_and_env_refused_where_they_cannot_be)
{
	struct state_service bad_svc[2];
	struct state_env bad_env[2];
	struct state s = kept;

	memcpy(bad_svc, services, sizeof(bad_svc));
	memcpy(bad_env, env, sizeof(bad_env));
	s.services = bad_svc;
	s.env = bad_env;
	bad_svc[0].per_pid = true;              /* a job's name */
	ck_refused_for(&s, "per-PID name not bound");
	bad_svc[0].per_pid = false;
	bad_svc[1].per_pid = true;
	bad_svc[1].until_exit = false;          /* outliving its process */
	bad_svc[1].owner_pidfd_id = -1;
	ck_refused_for(&s, "per-PID name not bound");
	bad_svc[1].until_exit = true;
	ck_assert_int_eq(decode_forged(&s), 0);
	bad_env[0].key = "";
	ck_refused_for(&s, "without a name");
	bad_env[0].key = "A=B";
	ck_refused_for(&s, "without a name");
	bad_env[0].key = "FOO";
	ck_assert_int_eq(decode_forged(&s), 0);
}
END_TEST

/*
 * A listener has a name and an fd id in range (none is no listener); a
 * state before version 6 has none.
 */
START_TEST(test_listeners_refused_where_they_cannot_be)
{
	struct state_listener bad[2];
	struct state_job bad_job[2];
	struct state s = sample, st;
	size_t len;
	char *buf;

	memcpy(bad, listeners, sizeof(bad));
	memcpy(bad_job, jobs, sizeof(bad_job));
	bad_job[0].listeners = bad;
	s.jobs = bad_job;
	bad[1].name = "";
	ck_refused_for(&s, "a listener without");
	bad[1].name = "control";
	bad[1].id = -1;
	ck_refused_for(&s, "a listener without");
	bad[1].id = STATE_FD_ID_MAX;
	ck_refused_for(&s, "a listener without");
	bad[1].id = 17;
	ck_assert_int_eq(decode_forged(&s), 0);
	ck_assert_int_eq(state_encode_as(&sample, 5, &buf, &len), 0);
	ck_assert_int_eq(state_decode(buf, len, &st), 0);
	ck_assert_uint_eq(st.jobs[0].n_listeners, 0);
	state_free(&st);
	free(buf);
}
END_TEST

/* A name a dynamic check-in made: its port (R and S), checked in, and its owner's pidfd. */
static const struct state_service dynamic_row = {
	.name = "com.example.dyn", .recv_id = 20, .send_id = 21, .checked_in = true,
	.release_id = 22, .owner_pid = 4242, .owner_uid = 1000, .until_exit = true,
	.owner_pidfd_id = 23, .dynamic = true,
};

/*
 * Whether a registration is a dynamic name is kept, with its receive end
 * and release request; a state before version 7 has none.  A dynamic name
 * used not to be saved: after a restart it was gone.
 */
START_TEST(test_dynamic_round_trip)
{
	struct state_service one = dynamic_row;
	struct state s = { .listen_id = -1, .services = &one, .n_services = 1 }, st;
	size_t len;
	char *buf;

	ck_assert_int_eq(state_encode(&s, &buf, &len), 0);
	ck_assert_int_eq(state_decode(buf, len, &st), 0);
	ck_assert(st.services[0].dynamic && st.services[0].checked_in);
	ck_assert_int_eq(st.services[0].recv_id, 20);
	ck_assert_int_eq(st.services[0].release_id, 22);
	ck_assert_int_eq(st.services[0].owner_pidfd_id, 23);
	state_free(&st);
	free(buf);
	s.services = &services[1];      /* a registration, as an older daemon saved it */
	for (uint32_t v = STATE_VERSION_OLDEST; v < 7; v++) {
		ck_assert_int_eq(state_encode_as(&s, v, &buf, &len), 0);
		ck_assert_int_eq(state_decode(buf, len, &st), 0);
		ck_assert(!st.services[0].dynamic);
		state_free(&st);
		free(buf);
	}
}
END_TEST

/* A dynamic name is no job's and goes with its process, watched by its pidfd. */
START_TEST(test_dynamic_refused_where_it_cannot_be)
{
	struct state_service bad_svc[2] = { services[0], dynamic_row };
	struct state s = { .listen_id = -1, .services = bad_svc, .n_services = 2 };

	bad_svc[0].dynamic = true;              /* a job's declared name */
	ck_refused_for(&s, "dynamic name not bound");
	bad_svc[0].dynamic = false;
	bad_svc[1].owner_pidfd_id = -1;         /* its owner not watched */
	ck_refused_for(&s, "dynamic name not bound");
	bad_svc[1].until_exit = false;          /* outliving its process */
	ck_refused_for(&s, "dynamic name not bound");
	bad_svc[1].until_exit = true;
	bad_svc[1].owner_pidfd_id = 23;
	ck_assert_int_eq(decode_forged(&s), 0);
	bad_svc[1].dynamic = false;             /* a registration holds no receive end */
	ck_assert_int_eq(decode_forged(&s), -EBADMSG);
}
END_TEST

/* A count far beyond what the bytes hold is refused before anything is allocated for it. */
START_TEST(test_huge_count_refused)
{
	struct state st, empty = { .listen_id = -1 };
	size_t len;
	char *buf;
	uint32_t huge = 0xffffffffu;

	ck_assert_int_eq(state_encode(&empty, &buf, &len), 0);
	/* payload: pid (4), nofile (8), listen (4), then the service count */
	memcpy(buf + STATE_HEADER_SIZE + 16, &huge, 4);
	state_seal(buf, len);   /* a valid checksum */
	ck_assert_int_eq(state_decode(buf, len, &st), -EBADMSG);
	huge = 0;
	memcpy(buf + STATE_HEADER_SIZE + 16, &huge, 4);
	state_seal(buf, len);
	ck_assert_int_eq(state_decode(buf, len, &st), 0);       /* the same, whole */
	state_free(&st);
	free(buf);
}
END_TEST

static Suite *state_suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("format");

	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_truncated_refused);
	tcase_add_test(tc, test_flipped_refused);
	tcase_add_test(tc, test_inconsistent_refused);
	tcase_add_test(tc, test_start_from_the_future_refused);
	tcase_add_test(tc, test_owner_pidfd_refused_where_it_cannot_be);
	tcase_add_test(tc, test_owner_pidfd_shared_refused);
	tcase_add_test(tc, test_stdio_fd_ids_refused);
	tcase_add_test(tc, test_older_version_read);
	tcase_add_test(tc, test_huge_count_refused);
	tcase_add_test(tc, test_per_pid_and_env_round_trip);
	tcase_add_test(tc, test_older_version_not_per_pid);
	tcase_add_test(tc, test_per_pid_and_env_refused_where_they_cannot_be);
	tcase_add_test(tc, test_listeners_refused_where_they_cannot_be);
	tcase_add_test(tc, test_dynamic_round_trip);
	tcase_add_test(tc, test_dynamic_refused_where_it_cannot_be);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(state_suite(), NULL, 0, argc, argv);
}
