/* SPDX-License-Identifier: MIT */
/*
 * privtmp.h - a /tmp of the test's own: a tmpfs mounted over /tmp in a new
 * mount namespace (and, without root, a user namespace that maps only our
 * own uid and gid), for tests of paths fixed in /tmp that concurrent runs
 * would otherwise share.  Processes the test starts afterwards see it too;
 * it vanishes with them.
 */
#ifndef BOOTSTRAPD_TEST_PRIVTMP_H
#define BOOTSTRAPD_TEST_PRIVTMP_H

/** privtmp_missing() - a runner_part.missing: NULL if privtmp_enter() can work here. */
const char *privtmp_missing(void);

/** privtmp_enter() - give this process (a forked test) its own empty /tmp. */
void privtmp_enter(void);

#endif
