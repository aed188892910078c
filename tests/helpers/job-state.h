/* SPDX-License-Identifier: MIT */
/* job-state.h - what the daemon says of a job, asked through bsctl print. */
#ifndef BOOTSTRAPD_TEST_JOB_STATE_H
#define BOOTSTRAPD_TEST_JOB_STATE_H

/**
 * job_state_assert() - fail unless `bsctl print @label` shows @state
 * ("waiting", "throttled", "running", ...) and @runs starts.
 *
 * The daemon answers one request at a time, after whatever it was doing:
 * asked after an event (READY, an exit in the log), the answer shows what
 * it decided then.  A start it scheduled, however late it would come,
 * already shows as "throttled" or "running" and one run more.  This is how
 * the tests prove that nothing happened, instead of sleeping.
 */
void job_state_assert(const char *label, const char *state, unsigned int runs);

#endif
