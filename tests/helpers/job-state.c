/* SPDX-License-Identifier: MIT */
#include "job-state.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bsctl-run.h"

void job_state_assert(const char *label, const char *state, unsigned int runs)
{
	struct bsctl_out *r = calloc(1, sizeof(*r));
	char want_state[128], want_runs[64];

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(bsctl_run(r, (uid_t)-1, (const char *const[]){ "print", label, NULL }), 0);
	snprintf(want_state, sizeof(want_state), "\n\tstate = %s\n", state);
	snprintf(want_runs, sizeof(want_runs), "\n\truns = %u\n", runs);
	ck_assert_msg(strstr(r->out, want_state) && strstr(r->out, want_runs),
		      "%s: expected state %s, runs %u:\n%s", label, state, runs, r->out);
	free(r);
}
