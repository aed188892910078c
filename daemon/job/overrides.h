/* SPDX-License-Identifier: MIT */
/*
 * overrides.h - a domain's persistent enable/disable state.
 *
 * launchd kept the effective value of a job's Disabled key in an overrides
 * database written by `launchctl load/unload -w` and `enable/disable`; so do
 * we, in STATE_DIR/overrides (see OVERRIDES_FILE).  The file is text, one
 * job a line, sorted by label:
 *
 *   # bootstrapd overrides: bsctl enable/disable, load -w/unload -w
 *   disabled com.example.foo
 *   enabled com.example.bar
 *
 * Blank lines and lines starting with '#' are ignored.  Labels never hold
 * control characters (job-plist.c refuses them), so a line is unambiguous.
 * An override beats the plist's Disabled key; without one, the key rules.
 * The file is rewritten whole, atomically (a temporary file renamed over
 * it), so a crash leaves the old or the new version, never a mix.
 */
#ifndef BOOTSTRAPD_OVERRIDES_H
#define BOOTSTRAPD_OVERRIDES_H

#include <stdbool.h>

#include "strmap.h"

struct job_spec;

#define OVERRIDES_FILE "overrides"

enum override {
	OVERRIDE_NONE,          /* the plist's Disabled key decides */
	OVERRIDE_ENABLED,
	OVERRIDE_DISABLED,
};

struct overrides {
	struct strmap map;      /* label -> struct override_entry (owns the label) */
};

/**
 * overrides_read() - read @state_dir's overrides file into @o.
 * @o: initialised here; release it with overrides_deinit() whatever the
 *     result.
 * Return: 0 (a missing file is an empty set); -ENOMEM; the negative errno
 * of opening or reading the file (then @o holds what was read).  Lines that
 * do not parse are skipped with a log line.
 */
int overrides_read(struct overrides *o, const char *state_dir);

/** overrides_deinit() - free every entry. */
void overrides_deinit(struct overrides *o);

/** overrides_get() - @label's override, or OVERRIDE_NONE. */
enum override overrides_get(const struct overrides *o, const char *label);

/**
 * overrides_disabled() - whether the job @spec defines is disabled: its
 * override if it has one, else its Disabled key.
 */
bool overrides_disabled(const struct overrides *o, const struct job_spec *spec);

typedef void overrides_fn(void *data, const char *label, enum override value);

/**
 * overrides_each() - call @fn for every entry of @o, sorted by label.
 * Return: 0, or -ENOMEM (then @fn was not called).
 */
int overrides_each(const struct overrides *o, overrides_fn *fn, void *data);

/**
 * overrides_set() - persist @value for @label in @state_dir (made if
 * missing): read the file, change one line, write it back atomically.
 * OVERRIDE_NONE removes the label's line.
 * Return: 0, or a negative errno (the file on disk is then unchanged).
 */
int overrides_set(const char *state_dir, const char *label, enum override value);

#endif
