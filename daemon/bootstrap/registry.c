/* SPDX-License-Identifier: MIT */
/* registry.c - the name rules of registry.h. */
#include "registry.h"

#include "service.h"

void registry_init(struct registry *r, bool system, uid_t owner)
{
	strmap_init(&r->names);
	strmap_init(&r->per_pid);
	r->system = system;
	r->owner = owner;
}

void registry_deinit(struct registry *r)
{
	strmap_deinit(&r->names);
	strmap_deinit(&r->per_pid);
}

enum registry_code registry_may_ask(const struct registry *r, uid_t uid)
{
	/* A user's domain is that user's (and root's) alone. */
	if (!r->system && uid != 0 && uid != r->owner)
		return REGISTRY_E_NOT_OWNER;
	return REGISTRY_OK;
}

enum registry_code registry_look_up(const struct registry *r, const char *name,
				    struct service **out)
{
	struct service *s = strmap_get(&r->names, name);

	*out = NULL;
	/* As launchd: hidden whenever its job does not hold it (between runs too). */
	if (!s || (s->hide_until_checkin && !s->checked_in))
		return REGISTRY_E_UNKNOWN;
	*out = s;
	return REGISTRY_OK;
}

/*
 * As launchd: in the system domain only root and the domain's jobs bind
 * names (their UserName is root's choice), or any user could squat a name
 * a root job is about to declare, or hold the daemon's fds with names.
 */
static bool may_bind(const struct registry *r, uid_t uid, bool is_job)
{
	return !r->system || uid == 0 || is_job;
}

enum registry_code registry_look_up_pid(const struct registry *r, const char *name, pid_t pid,
					struct service **out)
{
	char key[SERVICE_KEY_MAX];

	*out = strmap_get(&r->per_pid, service_key_of(key, pid, name));
	return *out ? REGISTRY_OK : REGISTRY_E_UNKNOWN;
}

enum registry_code registry_check_in_pid(const struct registry *r, const char *name, pid_t pid,
					 uid_t uid, bool is_job, struct service **out)
{
	if (registry_look_up_pid(r, name, pid, out) != REGISTRY_OK)
		return may_bind(r, uid, is_job) ? REGISTRY_CREATE : REGISTRY_E_NOT_ROOT;
	return (*out)->dynamic && !(*out)->checked_in ? REGISTRY_OK : REGISTRY_E_ACTIVE;
}

/*
 * Register over a name the caller already has, as launchd's
 * job_mig_register2(): one it holds (its registration, or a receive right
 * it took) is active whatever the port, a null one included; a name it
 * let go is undeclared by a null port, and a port is refused (the caller
 * checks the name in instead).
 */
static enum registry_code register_over_own(struct service *s, bool unregister,
					    struct service **out)
{
	bool held = s->checked_in;      /* its registration, or a right it took */

	if (held)
		return REGISTRY_E_ACTIVE;
	if (!unregister)
		return REGISTRY_E_LET_GO;
	*out = s;
	return REGISTRY_OK;
}

enum registry_code registry_may_register_pid(const struct registry *r, const char *name,
					     pid_t pid, uid_t uid, bool is_job, bool unregister,
					     struct service **out)
{
	struct service *s;

	*out = NULL;
	if (!may_bind(r, uid, is_job))
		return REGISTRY_E_NOT_ROOT;
	if (registry_look_up_pid(r, name, pid, &s) != REGISTRY_OK)
		return REGISTRY_OK;
	return register_over_own(s, unregister, out);
}

enum registry_code registry_check_in(const struct registry *r, const char *name,
				     const struct job *caller, pid_t pid, uid_t uid,
				     struct service **out)
{
	struct service *s = strmap_get(&r->names, name);

	*out = s;
	if (!s)         /* as register: no user squats a name in the system domain */
		return may_bind(r, uid, caller != NULL) ? REGISTRY_CREATE : REGISTRY_E_NOT_ROOT;
	if (!s->job && service_owner_pid(s) != pid)
		return REGISTRY_E_NOT_JOB;
	if (!s->job)    /* its own: dynamic once let go; registered, launchd's "active" */
		return s->dynamic && !s->checked_in ? REGISTRY_OK : REGISTRY_E_ACTIVE;
	if (s->job != caller)
		return REGISTRY_E_NOT_JOB;
	if (s->checked_in)
		return REGISTRY_E_ACTIVE;
	return REGISTRY_OK;
}

void registry_checked_in(struct service *s)
{
	s->checked_in = true;
}

void registry_released(struct service *s)
{
	s->checked_in = false;
}

enum registry_code registry_may_register(const struct registry *r, const char *name,
					 const struct job *caller, pid_t pid, uid_t uid,
					 bool unregister, struct service **out)
{
	struct service *s = strmap_get(&r->names, name);

	*out = NULL;
	if (!may_bind(r, uid, caller != NULL))
		return REGISTRY_E_NOT_ROOT;
	if (!s)
		return REGISTRY_OK;
	/* A declared name is its job's to check in, and stays declared. */
	if (s->job)
		return s->job == caller && s->checked_in ? REGISTRY_E_ACTIVE : REGISTRY_E_JOB_NAME;
	if (service_owner_pid(s) != pid)
		return REGISTRY_E_OTHER_PROCESS;
	return register_over_own(s, unregister, out);
}

static struct strmap *map_of(struct registry *r, const struct service *s)
{
	return s->per_pid ? &r->per_pid : &r->names;
}

enum registry_code registry_add(struct registry *r, struct service *s)
{
	struct strmap *m = map_of(r, s);

	if (strmap_get(m, service_key(s)))
		return REGISTRY_E_ACTIVE;
	return strmap_put(m, service_key(s), s) < 0 ? REGISTRY_E_NO_MEMORY : REGISTRY_OK;
}

void registry_remove(struct registry *r, struct service *s)
{
	struct strmap *m = map_of(r, s);

	if (strmap_get(m, service_key(s)) == s)
		strmap_del(m, service_key(s));
}

bool registry_bound(const struct registry *r, const char *name)
{
	return strmap_get(&r->names, name) != NULL;
}

struct service *registry_next(const struct registry *r, size_t *i)
{
	return strmap_next(&r->names, i);
}

struct service *registry_next_pid(const struct registry *r, size_t *i)
{
	return strmap_next(&r->per_pid, i);
}

size_t registry_count(const struct registry *r)
{
	return r->names.count;
}

size_t registry_count_pid(const struct registry *r)
{
	return r->per_pid.count;
}

enum registry_status registry_status(const struct service *s, bool kept_alive)
{
	/* A registered name's process holds it while it is bound. */
	if (s->checked_in || (!s->job && !s->dynamic))
		return REGISTRY_STATUS_ACTIVE;
	/* As launchd's machservice_status(): a job kept alive is not started
	 * by a message; it is down or not checked in yet. */
	if (kept_alive)
		return REGISTRY_STATUS_INACTIVE;
	return REGISTRY_STATUS_ON_DEMAND;       /* a message starts its job */
}
