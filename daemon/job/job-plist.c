/* SPDX-License-Identifier: MIT */
/*
 * job-plist.c - plist tree -> struct job_spec via key tables.
 *
 * Each dictionary a job may contain (the job itself, KeepAlive, one
 * MachServices entry, a StartCalendarInterval entry, a resource-limit
 * dictionary) has a table of { key, accepted types, setter }; the job's
 * is here, the others are in job-plist-tables.c.  job_plist_apply_rules()
 * walks a dictionary in document order, finds each key's rule, checks the
 * value's type and calls the setter, which checks ranges and stores into
 * the spec at once, so that job_spec_free() releases a half-built spec on
 * any refusal.
 *
 * Key policy.  launchd matched keys case-insensitively (strcasecmp in
 * job_import_*).  We match exactly.  A key equal to an honoured key but
 * for case is refused with "did you mean KEY?": launchd would have honoured
 * it, so ignoring it with a warning would silently change what the job
 * does (a "keepalive" job never restarted).  Every other key we do not
 * honour, known to launchd or not, only warns "FILE: unsupported key KEY".
 */
#include "job-plist.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "job-plist-internal.h"

int job_plist_reject(struct loader *ld, unsigned int line, const char *fmt, ...)
{
	char reason[sizeof(ld->err->reason)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	plist_error_set(ld->err, ld->name, line, "%s", reason);
	return JOB_PLIST_E_INVALID;
}

__attribute__((format(printf, 2, 3)))
static void warning(struct loader *ld, const char *fmt, ...)
{
	char msg[PATH_MAX + 512], *p;
	int n;
	va_list ap;

	if (!ld->warn)
		return;
	n = snprintf(msg, sizeof(msg), "%s: ", ld->name);
	if (n < 0 || (size_t)n >= sizeof(msg))    /* a label may be 64 KiB */
		n = (int)sizeof(msg) - 1;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	/* As plist_error_set(): quoted keys must not split a log line. */
	for (p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	ld->warn(ld->warn_data, msg);
}

static int nomem(struct loader *ld)
{
	plist_error_set(ld->err, ld->name, 0, "%s", strerror(ENOMEM));
	return -ENOMEM;
}

int job_plist_copy_string(struct loader *ld, const char *s, char **out)
{
	*out = strdup(s);
	return *out ? 0 : nomem(ld);
}

void *job_plist_alloc_array(struct loader *ld, size_t n, size_t size)
{
	/* One spare element keeps string lists NULL-terminated. */
	void *p = calloc(n + 1, size);

	if (!p)
		nomem(ld);
	return p;
}


/* "KEY[ in WHERE]: expected A or B, got C", at the value's line. */
int job_plist_type_error(struct loader *ld, const struct plist_node *v,
			 const char *what, const char *where, unsigned int types)
{
	char expected[128] = "";
	size_t len = 0;
	int t;

	for (t = PLIST_DICT; t <= PLIST_DATA; t++)
		if (types & TYPE(t))
			len += (size_t)snprintf(expected + len, sizeof(expected) - len,
						"%s%s", len ? " or " : "",
						plist_type_name(t));
	return job_plist_reject(ld, v->line, "%s%s%s: expected %s, got %s", what,
				where ? " in " : "", where ? where : "", expected,
				plist_type_name(v->type));
}

/* The rule for @e, or *@out = NULL (after a warning) for unsupported keys. */
static int find_rule(struct loader *ld, const struct plist_entry *e,
		     const struct key_rule *rules, size_t n, const char *where,
		     const struct key_rule **out)
{
	size_t i;

	*out = NULL;
	for (i = 0; i < n; i++)
		if (strcmp(e->key, rules[i].key) == 0) {
			*out = &rules[i];
			return 0;
		}
	for (i = 0; i < n; i++)
		if (strcasecmp(e->key, rules[i].key) == 0)
			return job_plist_reject(ld, e->line,
						"unknown key \"%s\"%s%s: keys are case-sensitive, did you mean \"%s\"?",
						e->key, where ? " in " : "",
						where ? where : "", rules[i].key);
	if (where)
		warning(ld, "unsupported key %s in %s", e->key, where);
	else
		warning(ld, "unsupported key %s", e->key);
	return 0;
}

/* Apply @rules to every key of @dict, in document order, storing into @obj. */
int job_plist_apply_rules(struct loader *ld, const struct plist_node *dict,
			  const struct key_rule *rules, size_t n, const char *where,
			  void *obj)
{
	const struct key_rule *r;
	unsigned long long seen = 0, bit;
	size_t i;
	int rc;

	for (i = 0; i < dict->dict.n; i++) {
		const struct plist_entry *e = &dict->dict.entries[i];

		rc = find_rule(ld, e, rules, n, where, &r);
		if (rc)
			return rc;
		if (!r)
			continue;
		/* plist.c refuses repeated keys; a tree built by hand may not. */
		bit = 1ull << (r - rules);
		if (seen & bit)
			return job_plist_reject(ld, e->line, "duplicate key \"%s\"", e->key);
		seen |= bit;
		if (!(r->types & TYPE(e->value->type)))
			return job_plist_type_error(ld, e->value, e->key, where, r->types);
		rc = r->set(ld, e, r, obj);
		if (rc)
			return rc;
	}
	return 0;
}

/* --- generic setters ---------------------------------------------------- */

int job_plist_set_bool(struct loader *ld, const struct plist_entry *e,
		       const struct key_rule *r, void *obj)
{
	*FIELD(obj, r, bool) = e->value->boolean;
	return 0;
}

int job_plist_check_range(struct loader *ld, const struct plist_entry *e,
			  const struct key_rule *r)
{
	long long v = e->value->integer;

	if (v < r->min || v > r->max)
		return job_plist_reject(ld, e->value->line, "%s: %lld is out of range %lld..%lld",
					e->key, v, r->min, r->max);
	return 0;
}

int job_plist_set_int(struct loader *ld, const struct plist_entry *e,
		      const struct key_rule *r, void *obj)
{
	int rc = job_plist_check_range(ld, e, r);

	if (rc)
		return rc;
	*FIELD(obj, r, int) = (int)e->value->integer;
	return 0;
}

/* A non-empty string: an empty path or user name is always a mistake. */
int job_plist_set_string(struct loader *ld, const struct plist_entry *e,
			 const struct key_rule *r, void *obj)
{
	if (!*e->value->string.s)
		return job_plist_reject(ld, e->value->line, "%s is empty", e->key);
	return job_plist_copy_string(ld, e->value->string.s, FIELD(obj, r, char *));
}

/*
 * UserName and GroupName.  As launchd, "root" and "wheel" are dropped: the
 * job runs as it would without the key.  A macOS plist's GroupName wheel
 * must not name a group here: Debian has none, elsewhere it is the admins'.
 */
static int set_identity(struct loader *ld, const struct plist_entry *e,
			const struct key_rule *r, void *obj)
{
	const char *implied = strcmp(e->key, "UserName") == 0 ? "root" : "wheel";

	if (strcmp(e->value->string.s, implied) == 0)
		return 0;
	return job_plist_set_string(ld, e, r, obj);
}

/* An array of strings into a NULL-terminated list and its count. */
static int set_strings(struct loader *ld, const struct plist_entry *e,
		       const struct key_rule *r, void *obj)
{
	const struct plist_node *v = e->value;
	char ***list = FIELD(obj, r, char **);
	size_t *n = AUX(obj, r, size_t), i;
	int rc;

	if ((long long)v->array.n < r->min)
		return job_plist_reject(ld, v->line, "%s is empty", e->key);
	*list = job_plist_alloc_array(ld, v->array.n, sizeof(**list));
	if (!*list)
		return -ENOMEM;
	for (i = 0; i < v->array.n; i++) {
		const struct plist_node *item = v->array.items[i];
		char what[64];

		if (item->type != PLIST_STRING) {
			snprintf(what, sizeof(what), "%s[%zu]", e->key, i);
			return job_plist_type_error(ld, item, what, NULL, TYPE(PLIST_STRING));
		}
		rc = job_plist_copy_string(ld, item->string.s, &(*list)[i]);
		if (rc)
			return rc;
		(*n)++;
	}
	return 0;
}

/* --- job keys with their own rules ---------------------------------------- */

static int set_label(struct loader *ld, const struct plist_entry *e,
		     const struct key_rule *r, void *obj)
{
	const unsigned char *s = (const unsigned char *)e->value->string.s;

	/* Labels appear in tab-separated listings and in log lines. */
	for (; *s; s++)
		if (*s < 0x20 || *s == 0x7f)
			return job_plist_reject(ld, e->value->line,
						"Label contains a control character");
	return job_plist_set_string(ld, e, r, obj);
}

static int set_umask(struct loader *ld, const struct plist_entry *e,
		     const struct key_rule *r, void *obj)
{
	const struct plist_node *v = e->value;
	long long mask = v->integer;
	char *end;

	/* Newer launchd also takes the octal string people mean ("022"). */
	if (v->type == PLIST_STRING) {
		if (v->string.len == 0 || strspn(v->string.s, "01234567") != v->string.len)
			return job_plist_reject(ld, v->line, "Umask \"%s\" is not an octal number",
						v->string.s);
		mask = strtoll(v->string.s, &end, 8);
	}
	if (mask < 0 || mask > 0777)
		return job_plist_reject(ld, v->line, "Umask %lld is out of range 0..511 (octal 0777)", mask);
	ld->spec->has_umask = true;
	ld->spec->umask = (mode_t)mask;
	return 0;
}

/* launchd ignores a ThrottleInterval or ExitTimeOut below zero, with a warning: the default stays. */
static int set_seconds(struct loader *ld, const struct plist_entry *e,
		       const struct key_rule *r, void *obj)
{
	if (e->value->integer < 0) {
		warning(ld, "%s %lld is below zero, ignored", r->key, e->value->integer);
		return 0;
	}
	return job_plist_set_int(ld, e, r, obj);
}

/* launchd ignores a StartInterval that is not positive, with a warning. */
static int set_start_interval(struct loader *ld, const struct plist_entry *e,
			      const struct key_rule *r, void *obj)
{
	if (e->value->integer <= 0) {
		warning(ld, "StartInterval %lld is not positive, ignored", e->value->integer);
		return 0;
	}
	return job_plist_set_int(ld, e, r, obj);
}

/*
 * launchd ignores a Nice outside [PRIO_MIN, PRIO_MAX], -20..20, with a
 * warning (setpriority() takes 20 as 19).
 */
static int set_nice(struct loader *ld, const struct plist_entry *e,
		    const struct key_rule *r, void *obj)
{
	long long v = e->value->integer;

	if (v < -20 || v > 20) {
		warning(ld, "Nice %lld is out of range -20..20, ignored", v);
		return 0;
	}
	ld->spec->has_nice = true;
	ld->spec->nice = (int)v;
	return 0;
}

static int set_env(struct loader *ld, const struct plist_entry *e,
		   const struct key_rule *r, void *obj)
{
	const struct plist_node *d = e->value;
	struct job_spec *spec = ld->spec;
	size_t i;

	spec->env = job_plist_alloc_array(ld, d->dict.n, sizeof(*spec->env));
	if (!spec->env)
		return -ENOMEM;
	for (i = 0; i < d->dict.n; i++) {
		const struct plist_entry *var = &d->dict.entries[i];

		if (!*var->key || strchr(var->key, '='))
			return job_plist_reject(ld, var->line, "EnvironmentVariables: invalid name \"%s\"",
						var->key);
		if (var->value->type != PLIST_STRING)
			return job_plist_type_error(ld, var->value, var->key, e->key,
						    TYPE(PLIST_STRING));
		if (asprintf(&spec->env[i], "%s=%s", var->key, var->value->string.s) < 0) {
			spec->env[i] = NULL;
			return nomem(ld);
		}
		spec->n_env++;
	}
	return 0;
}

static int set_ondemand(struct loader *ld, const struct plist_entry *e,
			const struct key_rule *r, void *obj)
{
	/* Applied in finish(): a KeepAlive anywhere in the dict overrides it. */
	ld->ondemand = e->value;
	return 0;
}

/* --- the job ------------------------------------------------------------------ */

#define JS(f) offsetof(struct job_spec, f)
#define SECONDS 0, 0, INT_MAX
static const struct key_rule job_keys[] = {
	{ "Label", TYPE(PLIST_STRING), set_label, JS(label) },
	{ "Program", TYPE(PLIST_STRING), job_plist_set_string, JS(program) },
	{ "ProgramArguments", TYPE(PLIST_ARRAY), set_strings, JS(argv), JS(argc), 1 },
	{ "EnableGlobbing", TYPE(PLIST_BOOL), job_plist_set_bool, JS(enable_globbing) },
	{ "MachServices", TYPE(PLIST_DICT), job_plist_tables_services },
	{ "Sockets", TYPE(PLIST_DICT), job_plist_sockets },
	{ "inetdCompatibility", TYPE(PLIST_DICT), job_plist_inetd },
	{ "RunAtLoad", TYPE(PLIST_BOOL), job_plist_set_bool, JS(run_at_load) },
	{ "KeepAlive", TYPE(PLIST_BOOL) | TYPE(PLIST_DICT), job_plist_tables_keepalive },
	{ "OnDemand", TYPE(PLIST_BOOL), set_ondemand },
	{ "Disabled", TYPE(PLIST_BOOL), job_plist_set_bool, JS(disabled) },
	{ "EnvironmentVariables", TYPE(PLIST_DICT), set_env },
	{ "WorkingDirectory", TYPE(PLIST_STRING), job_plist_set_string, JS(working_directory) },
	{ "RootDirectory", TYPE(PLIST_STRING), job_plist_set_string, JS(root_directory) },
	{ "UserName", TYPE(PLIST_STRING), set_identity, JS(user_name) },
	{ "GroupName", TYPE(PLIST_STRING), set_identity, JS(group_name) },
	{ "InitGroups", TYPE(PLIST_BOOL), job_plist_set_bool, JS(init_groups) },
	{ "Umask", TYPE(PLIST_INTEGER) | TYPE(PLIST_STRING), set_umask },
	{ "StandardInPath", TYPE(PLIST_STRING), job_plist_set_string, JS(stdin_path) },
	{ "StandardOutPath", TYPE(PLIST_STRING), job_plist_set_string, JS(stdout_path) },
	{ "StandardErrorPath", TYPE(PLIST_STRING), job_plist_set_string, JS(stderr_path) },
	{ "ThrottleInterval", TYPE(PLIST_INTEGER), set_seconds, JS(throttle_interval), SECONDS },
	{ "ExitTimeOut", TYPE(PLIST_INTEGER), set_seconds, JS(exit_timeout), SECONDS },
	{ "StartInterval", TYPE(PLIST_INTEGER), set_start_interval, JS(start_interval), SECONDS },
	{ "StartCalendarInterval", TYPE(PLIST_DICT) | TYPE(PLIST_ARRAY), job_plist_tables_calendar },
	{ "WatchPaths", TYPE(PLIST_ARRAY), set_strings, JS(watch_paths), JS(n_watch_paths) },
	{ "QueueDirectories", TYPE(PLIST_ARRAY), set_strings, JS(queue_directories),
	  JS(n_queue_directories) },
	{ "SoftResourceLimits", TYPE(PLIST_DICT), job_plist_tables_rlimits, 0, false },
	{ "HardResourceLimits", TYPE(PLIST_DICT), job_plist_tables_rlimits, 0, true },
	{ "Nice", TYPE(PLIST_INTEGER), set_nice },
	{ "AbandonProcessGroup", TYPE(PLIST_BOOL), job_plist_set_bool, JS(abandon_process_group) },
	{ "LaunchOnlyOnce", TYPE(PLIST_BOOL), job_plist_set_bool, JS(launch_only_once) },
};

/* job_plist_apply_rules() tracks the rules it applied in 64 bits. */
_Static_assert(N_RULES(job_keys) <= 64, "job_keys too long for job_plist_apply_rules()");

/* Checks that need the whole dictionary. */
static int finish(struct loader *ld, const struct plist_node *root)
{
	struct job_spec *spec = ld->spec;

	if (!spec->label)
		return job_plist_reject(ld, root->line, "missing Label");
	if (!spec->program && !spec->argv)
		return job_plist_reject(ld, root->line, "neither Program nor ProgramArguments is set");
	if (job_plist_sockets_check(ld, root->line))
		return JOB_PLIST_E_INVALID;
	if (ld->ondemand && ld->has_keepalive)
		warning(ld, "OnDemand ignored: KeepAlive is set");
	else if (ld->ondemand)  /* the 10.4 spelling: OnDemand false = KeepAlive true */
		spec->keepalive.mode = ld->ondemand->boolean ? KEEPALIVE_NEVER : KEEPALIVE_ALWAYS;
	if (spec->argv)
		return 0;
	/* As launchd: without ProgramArguments, argv is just the Program. */
	spec->argv = job_plist_alloc_array(ld, 1, sizeof(*spec->argv));
	if (!spec->argv)
		return -ENOMEM;
	spec->argc = 1;
	return job_plist_copy_string(ld, spec->program, &spec->argv[0]);
}

/* job_plist_load(), the spec compacted only if @compact. */
static int load(const struct plist_node *root, const char *path, bool compact,
		struct job_spec **out, struct plist_error *err,
		job_plist_warn_fn warn_fn, void *warn_data)
{
	const struct plist_node *label = plist_dict_get(root, "Label");
	struct loader ld = { .name = path, .err = err, .warn = warn_fn,
			     .warn_data = warn_data };
	int rc;

	if (!ld.name && label && label->type == PLIST_STRING && *label->string.s)
		ld.name = label->string.s;
	if (!ld.name)
		ld.name = "(no label)";
	if (root->type != PLIST_DICT)
		return job_plist_reject(&ld, root->line, "the root value is %s, expected dictionary",
					plist_type_name(root->type));
	ld.spec = job_spec_new();
	if (!ld.spec)
		return nomem(&ld);
	ld.spec->line = root->line;
	rc = path ? job_plist_copy_string(&ld, path, &ld.spec->path) : 0;
	if (!rc)
		rc = job_plist_apply_rules(&ld, root, job_keys, N_RULES(job_keys), NULL, ld.spec);
	if (!rc)
		rc = finish(&ld, root);
	if (rc) {
		job_spec_free(ld.spec);
		return rc;
	}
	if (compact)
		job_spec_compact(ld.spec);
	*out = ld.spec;
	return 0;
}

int job_plist_load(const struct plist_node *root, const char *path,
		   struct job_spec **out, struct plist_error *err,
		   job_plist_warn_fn warn_fn, void *warn_data)
{
	return load(root, path, true, out, err, warn_fn, warn_data);
}

/* Convert a tree just parsed with code @rc, then free it. */
static int load_parsed(int rc, struct plist_node *root, const char *path, bool compact,
		       struct job_spec **out, struct plist_error *err,
		       job_plist_warn_fn warn_fn, void *warn_data)
{
	if (rc == 0)
		rc = load(root, path, compact, out, err, warn_fn, warn_data);
	plist_node_free(root);
	return rc;
}

int job_plist_load_buffer(const char *buf, size_t len, const char *path,
			  struct job_spec **out, struct plist_error *err,
			  job_plist_warn_fn warn_fn, void *warn_data)
{
	struct plist_node *root = NULL;
	int rc = plist_parse_buffer(buf, len, path, &root, err);

	return load_parsed(rc, root, path, true, out, err, warn_fn, warn_data);
}

int job_plist_load_file(const char *path, struct job_spec **out,
			struct plist_error *err, job_plist_warn_fn warn_fn,
			void *warn_data)
{
	struct plist_node *root = NULL;
	int rc = plist_parse_file(path, &root, err);

	return load_parsed(rc, root, path, true, out, err, warn_fn, warn_data);
}

int job_plist_read_fd(int fd, const char *path, struct job_spec **out,
		      struct plist_error *err, job_plist_warn_fn warn_fn, void *warn_data)
{
	struct plist_node *root = NULL;
	int rc = plist_parse_fd(fd, path, &root, err);

	return load_parsed(rc, root, path, false, out, err, warn_fn, warn_data);
}
