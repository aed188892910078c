/* SPDX-License-Identifier: MIT */
/*
 * fuzz-state.c - the restart state's decoder (daemon/restart/state-format.c):
 * what a re-executed daemon reads from a memfd, and a daemon restarted by
 * systemd from its fd store, both written by a daemon before it, which
 * may have been another version or have crashed while writing.
 *
 * Input: one option byte, then the state.  Unless the option's bit 0 is
 * set, the header's payload length and checksum are made to describe the
 * bytes given (a fuzzer would almost never get a checksum right, and the
 * body would never be read).  The state is decoded from a buffer of its
 * exact size; one decoded is encoded again and must decode again, as the
 * next save writes it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "state-format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define KEEP_HEADER 1u

/* What a save writes of the state just read decodes again. */
static void encode_again(const struct state *st)
{
	struct state again;
	size_t len;
	char *buf;

	if (state_encode(st, &buf, &len) < 0)
		return;         /* out of memory */
	if (state_decode(buf, len, &again) != 0)
		abort();
	if (again.n_services != st->n_services || again.n_jobs != st->n_jobs ||
	    again.n_clients != st->n_clients || again.n_env != st->n_env ||
	    again.generation != st->generation)
		abort();
	state_free(&again);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;
	struct state st;
	unsigned char *buf;
	uint64_t gen;
	int err;

	if (size < 1)
		return 0;
	buf = malloc(size - 1 ? size - 1 : 1);    /* the exact size: ASan sees any overrun */
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	if (!(data[0] & KEEP_HEADER) && size - 1 >= STATE_HEADER_SIZE)
		state_seal(buf, size - 1);
	state_peek_generation(buf, size - 1, &gen);
	err = state_decode_why(buf, size - 1, &st, &why);
	if (err == 0) {
		encode_again(&st);
		state_free(&st);
	} else if (err == -EBADMSG && !why) {
		abort();        /* every refusal says why */
	}
	free(buf);
	return 0;
}
