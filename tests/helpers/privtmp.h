/* SPDX-License-Identifier: MIT */
/*
 * privtmp.h - a /tmp of the test's own: a tmpfs mounted over /tmp in a new
 * mount namespace (and, without root, a user namespace that maps only our
 * own uid and gid), for tests of paths fixed in /tmp that concurrent runs
 * would otherwise share.  Processes the test starts afterwards see it too;
 * it vanishes with them.  The build and source trees ($BOOTSTRAPD_BUILD_ROOT,
 * $BOOTSTRAPD_TEST_DATA), when under /tmp, are bound at their paths in it.
 */
#ifndef BOOTSTRAPD_TEST_PRIVTMP_H
#define BOOTSTRAPD_TEST_PRIVTMP_H

/** privtmp_missing() - a runner_part.missing: NULL if privtmp_enter() can work here. */
const char *privtmp_missing(void);

/** privtmp_enter() - give this process (a forked test) its own /tmp; sets $TMPDIR to it. */
void privtmp_enter(void);

#endif
