/* SPDX-License-Identifier: MIT */
/*
 * domain-env.h - the environment a domain gives its jobs (bsctl setenv,
 * launchctl setenv): kept for the daemon's lifetime, as launchd kept it,
 * across a restart too (restart.h), gone when the daemon stops.  A job
 * started after a change sees it; a running one keeps what it was started
 * with.  The job's own plist wins: EnvironmentVariables is applied after
 * these (spawn-plan.c).
 */
#ifndef BOOTSTRAPD_DOMAIN_ENV_H
#define BOOTSTRAPD_DOMAIN_ENV_H

#include <stdbool.h>
#include <stddef.h>

struct domain;

/* The longest KEY=VALUE, so that it travels in one control request. */
#define DOMAIN_ENV_MAX 1023

/**
 * domain_env_key_ok() - whether @key may name a variable: not empty, no
 * '=', no control characters or spaces.
 */
bool domain_env_key_ok(const char *key);

/**
 * domain_env_set() - set @key to @value (replacing an old value).
 * Return: 0; -EINVAL for a bad key, a value with control characters, or a
 * pair longer than DOMAIN_ENV_MAX; -ENOMEM.
 */
int domain_env_set(struct domain *d, const char *key, const char *value);

/** domain_env_unset() - Return: 0, or -ENOENT if @key was not set. */
int domain_env_unset(struct domain *d, const char *key);

/**
 * domain_env_find() - whether @key is set; then where its "KEY=VALUE" is
 * in d->env, in *@i.
 */
bool domain_env_find(const struct domain *d, const char *key, size_t *i);

/**
 * domain_env_split() - the key of "KEY=VALUE" @kv, in @key.
 * Return: the value in @kv, or NULL if @kv has no '=' or its key does not fit.
 */
const char *domain_env_split(const char *kv, char key[DOMAIN_ENV_MAX + 1]);

/** domain_env_get() - @key's value, or NULL. */
const char *domain_env_get(const struct domain *d, const char *key);

/** domain_env_deinit() - free every variable. */
void domain_env_deinit(struct domain *d);

#endif
