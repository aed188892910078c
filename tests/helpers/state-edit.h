/* SPDX-License-Identifier: MIT */
/*
 * state-edit.h - changing the state a killed daemon left in a fake fd
 * store, as a daemon that saved less (or other things) would have left
 * it: decoded, changed, encoded again in the same version and generation.
 */
#ifndef BOOTSTRAPD_TEST_STATE_EDIT_H
#define BOOTSTRAPD_TEST_STATE_EDIT_H

#include "fake-fdstore.h"
#include "state-format.h"

/**
 * state_edit() - call @edit on each state memfd @s holds ("state-a",
 * "state-b"), then write it back.  Call while no daemon runs.  Fails the
 * test if there is none, or one does not decode.
 */
void state_edit(struct fake_fdstore *s, void (*edit)(struct state *st));

#endif
