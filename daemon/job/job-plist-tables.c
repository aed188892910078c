/* SPDX-License-Identifier: MIT */
/*
 * job-plist-tables.c - the key tables of the dictionaries inside a job
 * (KeepAlive, a MachServices entry, a StartCalendarInterval entry, the
 * resource limits) and the setters that store them into struct job_spec.
 * job-plist.c walks the tables; see there for the key policy.
 */
#include "job-plist-internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* A boolean with a has_ flag beside it (KeepAlive conditions). */
static int set_flag(struct loader *ld, const struct plist_entry *e,
		    const struct key_rule *r, void *obj)
{
	*AUX(obj, r, bool) = true;
	return job_plist_set_bool(ld, e, r, obj);
}

/* --- KeepAlive -------------------------------------------------------------- */

/*
 * A dict<string, bool> (PathState, OtherJobEnabled) into *@array: elements
 * of @size bytes holding a char * at @str_off and a bool at @bool_off.
 * *@n counts the elements filled, so job_spec_free() can release a part.
 */
static int set_bool_map(struct loader *ld, const struct plist_entry *e, void **array,
			size_t *n, size_t size, size_t str_off, size_t bool_off)
{
	const struct plist_node *d = e->value;
	char *elem;
	size_t i;

	for (i = 0; i < d->dict.n; i++)
		if (d->dict.entries[i].value->type != PLIST_BOOL)
			return job_plist_type_error(ld, d->dict.entries[i].value,
						    d->dict.entries[i].key, e->key, TYPE(PLIST_BOOL));
	*array = job_plist_alloc_array(ld, d->dict.n, size);
	if (!*array)
		return -ENOMEM;
	for (i = 0; i < d->dict.n; i++, (*n)++) {
		elem = (char *)*array + i * size;
		*(bool *)(elem + bool_off) = d->dict.entries[i].value->boolean;
		if (job_plist_copy_string(ld, d->dict.entries[i].key, (char **)(elem + str_off)))
			return -ENOMEM;
	}
	return 0;
}

static int set_path_state(struct loader *ld, const struct plist_entry *e,
			  const struct key_rule *r, void *obj)
{
	struct keepalive *ka = obj;

	return set_bool_map(ld, e, (void **)&ka->path_state, &ka->n_path_state,
			    sizeof(struct path_state), offsetof(struct path_state, path),
			    offsetof(struct path_state, exists));
}

/*
 * OtherJobEnabled and OtherJobActive, in one array (one pointer a job, as
 * 100,000 jobs are loaded): this dictionary's entries after the other's.
 */
static int set_other_jobs(struct loader *ld, const struct plist_entry *e,
			  const struct key_rule *r, void *obj)
{
	struct keepalive *ka = obj;
	struct other_job_state *more = NULL, *all;
	size_t n = 0;
	int err = set_bool_map(ld, e, (void **)&more, &n, sizeof(*more),
			       offsetof(struct other_job_state, label),
			       offsetof(struct other_job_state, enabled));

	all = err ? NULL : realloc(ka->other_jobs, (ka->n_other_jobs + n) * sizeof(*all));
	for (size_t i = 0; i < n && !all; i++)
		free(more[i].label);
	if (all) {
		for (size_t i = 0; i < n; i++)
			more[i].active = strcmp(e->key, "OtherJobActive") == 0;
		memcpy(all + ka->n_other_jobs, more, n * sizeof(*all));
		ka->other_jobs = all;
		ka->n_other_jobs += n;
	}
	free(more);
	return err ? err : all || !n ? 0 : -ENOMEM;
}

#define KA(f) offsetof(struct keepalive, f)
static const struct key_rule keepalive_keys[] = {
	{ "SuccessfulExit", TYPE(PLIST_BOOL), set_flag, KA(successful_exit), KA(has_successful_exit) },
	{ "Crashed", TYPE(PLIST_BOOL), set_flag, KA(crashed), KA(has_crashed) },
	{ "NetworkState", TYPE(PLIST_BOOL), set_flag, KA(network_state), KA(has_network_state) },
	{ "PathState", TYPE(PLIST_DICT), set_path_state },
	{ "OtherJobEnabled", TYPE(PLIST_DICT), set_other_jobs },
	{ "OtherJobActive", TYPE(PLIST_DICT), set_other_jobs },
	{ "AfterInitialDemand", TYPE(PLIST_BOOL), job_plist_set_bool, KA(after_initial_demand) },
};

int job_plist_tables_keepalive(struct loader *ld, const struct plist_entry *e,
			       const struct key_rule *r, void *obj)
{
	struct keepalive *ka = &ld->spec->keepalive;

	ld->has_keepalive = true;
	if (e->value->type == PLIST_BOOL) {
		ka->mode = e->value->boolean ? KEEPALIVE_ALWAYS : KEEPALIVE_NEVER;
		return 0;
	}
	/* Conditions are ORed; an empty dictionary leaves demand launch only. */
	ka->mode = KEEPALIVE_CONDITIONAL;
	return job_plist_apply_rules(ld, e->value, keepalive_keys, N_RULES(keepalive_keys),
				     e->key, ka);
}

/* --- MachServices ------------------------------------------------------------ */

#define MS(f) offsetof(struct job_machservice, f)
/* DrainMessagesOnCrash, PingEventUpdates and the private keys warn. */
static const struct key_rule service_keys[] = {
	{ "ResetAtClose", TYPE(PLIST_BOOL), job_plist_set_bool, MS(reset_at_close) },
	{ "HideUntilCheckIn", TYPE(PLIST_BOOL), job_plist_set_bool, MS(hide_until_checkin) },
};

static int add_service(struct loader *ld, const struct plist_entry *e)
{
	struct job_spec *spec = ld->spec;
	struct job_machservice *ms = &spec->services[spec->n_services];
	const struct plist_node *v = e->value;
	char where[JOB_SERVICE_NAME_MAX + 32];
	size_t len = strlen(e->key), i;
	int rc;

	if (len == 0 || len > JOB_SERVICE_NAME_MAX)
		return job_plist_reject(ld, e->line, "MachServices name \"%.40s%s\" must be 1 to %d bytes long",
					e->key, len > 40 ? "..." : "", JOB_SERVICE_NAME_MAX);
	for (i = 0; i < spec->n_services; i++)
		if (strcmp(spec->services[i].name, e->key) == 0)
			return job_plist_reject(ld, e->line, "duplicate MachServices name \"%s\"", e->key);
	if (v->type != PLIST_DICT && !(v->type == PLIST_BOOL && v->boolean))
		return job_plist_reject(ld, v->line, "MachServices \"%s\": expected true or dictionary, got %s",
					e->key, v->type == PLIST_BOOL ? "false" : plist_type_name(v->type));
	rc = job_plist_copy_string(ld, e->key, &ms->name);
	if (rc)
		return rc;
	spec->n_services++;
	if (v->type != PLIST_DICT)
		return 0;
	snprintf(where, sizeof(where), "MachServices \"%s\"", e->key);
	return job_plist_apply_rules(ld, v, service_keys, N_RULES(service_keys), where, ms);
}

int job_plist_tables_services(struct loader *ld, const struct plist_entry *e,
			      const struct key_rule *r, void *obj)
{
	const struct plist_node *d = e->value;
	size_t i;
	int rc;

	ld->spec->services = job_plist_alloc_array(ld, d->dict.n, sizeof(*ld->spec->services));
	if (!ld->spec->services)
		return -ENOMEM;
	for (i = 0; i < d->dict.n; i++) {
		rc = add_service(ld, &d->dict.entries[i]);
		if (rc)
			return rc;
	}
	return 0;
}

/* --- StartCalendarInterval -------------------------------------------------- */

#define CAL(f) offsetof(struct calendar_interval, f)
static const struct key_rule calendar_keys[] = {
	{ "Minute", TYPE(PLIST_INTEGER), job_plist_set_int, CAL(minute), 0, 0, 59 },
	{ "Hour", TYPE(PLIST_INTEGER), job_plist_set_int, CAL(hour), 0, 0, 23 },
	{ "Day", TYPE(PLIST_INTEGER), job_plist_set_int, CAL(day), 0, 1, 31 },
	{ "Weekday", TYPE(PLIST_INTEGER), job_plist_set_int, CAL(weekday), 0, 0, 7 },
	{ "Month", TYPE(PLIST_INTEGER), job_plist_set_int, CAL(month), 0, 1, 12 },
};

int job_plist_tables_calendar(struct loader *ld, const struct plist_entry *e,
			      const struct key_rule *r, void *obj)
{
	const struct plist_node *v = e->value, *item;
	struct job_spec *spec = ld->spec;
	size_t i, n = v->type == PLIST_ARRAY ? v->array.n : 1;
	struct calendar_interval *c;
	int rc;

	spec->calendar = job_plist_alloc_array(ld, n, sizeof(*spec->calendar));
	if (!spec->calendar)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		char what[64];

		item = v->type == PLIST_ARRAY ? v->array.items[i] : v;
		snprintf(what, sizeof(what), "%s[%zu]", e->key, i);
		if (item->type != PLIST_DICT)
			return job_plist_type_error(ld, item, what, NULL, TYPE(PLIST_DICT));
		c = &spec->calendar[spec->n_calendar++];
		*c = (struct calendar_interval){ -1, -1, -1, -1, -1 };  /* any */
		rc = job_plist_apply_rules(ld, item, calendar_keys, N_RULES(calendar_keys), e->key, c);
		if (rc)
			return rc;
		if (c->weekday == 7)    /* 0 and 7 both mean Sunday */
			c->weekday = 0;
	}
	return 0;
}

/* --- Soft/HardResourceLimits ------------------------------------------------ */

static int set_rlimit(struct loader *ld, const struct plist_entry *e,
		      const struct key_rule *r, void *obj)
{
	struct job_spec *spec = ld->spec;
	long long v = e->value->integer;
	bool hard = *(bool *)obj;
	struct job_rlimit *rl;
	size_t i;

	if (v < 0)
		return job_plist_reject(ld, e->value->line, "%s: %lld is negative", e->key, v);
	for (i = 0; i < spec->n_rlimits && spec->rlimits[i].resource != (int)r->aux; i++)
		;
	rl = &spec->rlimits[i];
	if (i == spec->n_rlimits) {
		rl->resource = (int)r->aux;
		spec->n_rlimits++;
	}
	if (hard) {
		rl->has_hard = true;
		rl->hard = (unsigned long long)v;
	} else {
		rl->has_soft = true;
		rl->soft = (unsigned long long)v;
	}
	return 0;
}

static const struct key_rule rlimit_keys[] = {
	{ "Core", TYPE(PLIST_INTEGER), set_rlimit, 0, RLIMIT_CORE },
	{ "CPU", TYPE(PLIST_INTEGER), set_rlimit, 0, RLIMIT_CPU },
	{ "Data", TYPE(PLIST_INTEGER), set_rlimit, 0, RLIMIT_DATA },
	{ "FileSize", TYPE(PLIST_INTEGER), set_rlimit, 0, RLIMIT_FSIZE },
	{ "MemoryLock", TYPE(PLIST_INTEGER), set_rlimit, 0, RLIMIT_MEMLOCK },
	{ "NumberOfFiles", TYPE(PLIST_INTEGER), set_rlimit, 0, RLIMIT_NOFILE },
	{ "NumberOfProcesses", TYPE(PLIST_INTEGER), set_rlimit, 0, RLIMIT_NPROC },
	{ "ResidentSetSize", TYPE(PLIST_INTEGER), set_rlimit, 0, RLIMIT_RSS },
	{ "Stack", TYPE(PLIST_INTEGER), set_rlimit, 0, RLIMIT_STACK },
};

/* job_plist_apply_rules() tracks the rules it applied in 64 bits. */
_Static_assert(N_RULES(rlimit_keys) <= 64, "rlimit_keys too long for job_plist_apply_rules()");

int job_plist_tables_rlimits(struct loader *ld, const struct plist_entry *e,
			     const struct key_rule *r, void *obj)
{
	bool hard = r->aux;

	/* Soft and hard limits of one resource share an entry. */
	if (!ld->spec->rlimits) {
		ld->spec->rlimits = job_plist_alloc_array(ld, N_RULES(rlimit_keys),
							  sizeof(*ld->spec->rlimits));
		if (!ld->spec->rlimits)
			return -ENOMEM;
	}
	return job_plist_apply_rules(ld, e->value, rlimit_keys, N_RULES(rlimit_keys), e->key, &hard);
}
