/* SPDX-License-Identifier: MIT */
/*
 * check-state-channels - a port's channels in the restart state (version
 * 8): what is encoded decodes the same, also the retired byte a daemon of
 * channels v1 set (a v2 daemon writes it 0 and reads past it); an older
 * version reads none; a channel the daemon could not have kept (no fd id,
 * number 0, past the cap, of a port not kept) is refused.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "state-format.h"

#include "helpers/runner.h"

static struct state_channel chans[] = {
	{ .fd_id = 22, .id = 1 },
	{ .fd_id = 23, .id = 7, .retired = true },     /* as a daemon of channels v1 wrote it */
};

static struct state_service row(void)
{
	return (struct state_service){ .name = "com.example.a", .job = "com.example.job",
				       .recv_id = 7, .send_id = 8, .checked_in = true,
				       .release_id = 13, .owner_pidfd_id = -1,
				       .channels = chans, .n_channels = 2 };
}

/* @svc alone in a state, as version @version writes it, decoded: 0 or the error. */
static int decode_as(const struct state_service *svc, uint32_t version, struct state *st)
{
	struct state s = { .listen_id = -1, .services = (struct state_service *)svc,
			   .n_services = 1 };
	size_t len;
	char *buf;
	int err;

	ck_assert_int_eq(state_encode_as(&s, version, &buf, &len), 0);
	err = state_decode(buf, len, st);
	free(buf);
	return err;
}

START_TEST(test_channels_round_trip)
{
	struct state_service svc = row();
	struct state st;

	ck_assert_int_eq(decode_as(&svc, STATE_VERSION, &st), 0);
	ck_assert_uint_eq(st.services[0].n_channels, 2);
	ck_assert_int_eq(st.services[0].channels[0].fd_id, 22);
	ck_assert_int_eq(st.services[0].channels[0].id, 1);
	ck_assert(!st.services[0].channels[0].retired);
	ck_assert_int_eq(st.services[0].channels[1].fd_id, 23);
	ck_assert_int_eq(st.services[0].channels[1].id, 7);
	ck_assert(st.services[0].channels[1].retired);
	state_free(&st);
	ck_assert_int_eq(decode_as(&svc, 7, &st), 0);   /* an older daemon kept none */
	ck_assert_uint_eq(st.services[0].n_channels, 0);
	ck_assert_ptr_null(st.services[0].channels);    /* none: nothing allocated */
	state_free(&st);
	svc.n_channels = 0;
	svc.channels = NULL;
	ck_assert_int_eq(decode_as(&svc, STATE_VERSION, &st), 0);
	ck_assert_uint_eq(st.services[0].n_channels, 0);
	ck_assert_ptr_null(st.services[0].channels);
	state_free(&st);
}
END_TEST

static void ck_refused(const struct state_service *svc)
{
	struct state st;

	ck_assert_int_eq(decode_as(svc, STATE_VERSION, &st), -EBADMSG);
}

START_TEST(test_channels_refused_where_they_cannot_be)
{
	struct state_channel bad[STATE_MAX_CHANNELS + 1];
	struct state_service svc = row();
	struct state st;

	memcpy(bad, chans, sizeof(chans));
	svc.channels = bad;
	bad[1].fd_id = -1;                      /* no fd */
	ck_refused(&svc);
	bad[1].fd_id = 2;                       /* stderr */
	ck_refused(&svc);
	bad[1].fd_id = 23;
	bad[1].id = 0;                          /* no OFFER is numbered 0 */
	ck_refused(&svc);
	bad[1].id = 7;
	svc.recv_id = svc.send_id = -1;         /* a port not kept has no channels */
	svc.release_id = -1;
	ck_refused(&svc);
	svc = row();
	for (int i = 0; i <= STATE_MAX_CHANNELS; i++)
		bad[i] = (struct state_channel){ .fd_id = 30 + i, .id = 1 + i };
	svc.channels = bad;
	svc.n_channels = STATE_MAX_CHANNELS + 1; /* past the cap */
	ck_refused(&svc);
	svc.n_channels = STATE_MAX_CHANNELS;   /* at the cap */
	ck_assert_int_eq(decode_as(&svc, STATE_VERSION, &st), 0);
	state_free(&st);
}
END_TEST

static Suite *state_channels_suite(void)
{
	Suite *s = suite_create("state-channels");
	TCase *tc = tcase_create("channels");

	tcase_add_test(tc, test_channels_round_trip);
	tcase_add_test(tc, test_channels_refused_where_they_cannot_be);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(state_channels_suite(), NULL, 0, argc, argv);
}
