/* SPDX-License-Identifier: MIT */
/*
 * same.h - assert that two plist trees or two job specs are the same,
 * field by field, lines aside: a binary plist has none.
 */
#ifndef BOOTSTRAPD_TEST_SAME_H
#define BOOTSTRAPD_TEST_SAME_H

#include "job-spec.h"
#include "plist.h"

/** same_tree() - equal types, keys in the same order, equal values. @where names @a in messages. */
void same_tree(const struct plist_node *a, const struct plist_node *b, const char *where);

/** same_spec() - every field of the specs equal, but their lines. */
void same_spec(const struct job_spec *a, const struct job_spec *b);

#endif
