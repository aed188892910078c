/* SPDX-License-Identifier: MIT */
/*
 * domain-env.c - a domain's environment for its jobs: a sorted,
 * NULL-terminated array of "KEY=VALUE" strings that spawn_job() takes as is.
 */
#include "domain-env.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "domain.h"

bool domain_env_key_ok(const char *key)
{
	if (!*key)
		return false;
	for (const unsigned char *p = (const void *)key; *p; p++)
		if (*p == '=' || *p <= ' ' || *p == 0x7f)
			return false;
	return true;
}

static bool value_ok(const char *value)
{
	for (const unsigned char *p = (const void *)value; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

/*
 * Where @key is, or would be inserted.  Return: its index; *@found says
 * whether it is there.
 */
static size_t find(const struct domain *d, const char *key, bool *found)
{
	size_t n = strlen(key), lo = 0, hi = d->n_env;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *kv = d->env[mid];
		size_t klen = strcspn(kv, "=");
		int c = strncmp(kv, key, klen < n ? klen : n);

		if (c == 0 && klen == n) {
			*found = true;
			return mid;
		}
		if (c < 0 || (c == 0 && klen < n))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Make room for one more entry and its NULL.  Return: 0 or -ENOMEM. */
static int grow(struct domain *d)
{
	char **v = realloc(d->env, (d->n_env + 2) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	d->env = v;
	return 0;
}

int domain_env_set(struct domain *d, const char *key, const char *value)
{
	bool found;
	size_t i;
	char *kv;

	if (!domain_env_key_ok(key) || !value_ok(value) ||
	    strlen(key) + 1 + strlen(value) > DOMAIN_ENV_MAX)
		return -EINVAL;
	if (asprintf(&kv, "%s=%s", key, value) < 0)
		return -ENOMEM;
	i = find(d, key, &found);
	if (found) {
		free(d->env[i]);
		d->env[i] = kv;
		return 0;
	}
	if (grow(d) < 0) {
		free(kv);
		return -ENOMEM;
	}
	memmove(&d->env[i + 1], &d->env[i], (d->n_env - i) * sizeof(*d->env));
	d->env[i] = kv;
	d->env[++d->n_env] = NULL;
	return 0;
}

int domain_env_unset(struct domain *d, const char *key)
{
	bool found;
	size_t i = find(d, key, &found);

	if (!found)
		return -ENOENT;
	free(d->env[i]);
	memmove(&d->env[i], &d->env[i + 1], (d->n_env - i) * sizeof(*d->env));
	d->n_env--;
	return 0;
}

bool domain_env_find(const struct domain *d, const char *key, size_t *i)
{
	bool found;

	*i = find(d, key, &found);
	return found;
}

const char *domain_env_split(const char *kv, char key[DOMAIN_ENV_MAX + 1])
{
	size_t klen = strcspn(kv, "=");

	if (!kv[klen] || klen > DOMAIN_ENV_MAX)
		return NULL;
	memcpy(key, kv, klen);
	key[klen] = '\0';
	return kv + klen + 1;
}

const char *domain_env_get(const struct domain *d, const char *key)
{
	bool found;
	size_t i = d->n_env ? find(d, key, &found) : 0;

	return d->n_env && found ? d->env[i] + strlen(key) + 1 : NULL;
}

void domain_env_deinit(struct domain *d)
{
	for (size_t i = 0; i < d->n_env; i++)
		free(d->env[i]);
	free(d->env);
	d->env = NULL;
	d->n_env = 0;
}
