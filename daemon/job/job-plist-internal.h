/* SPDX-License-Identifier: MIT */
/*
 * job-plist-internal.h - the key-table machinery that job-plist.c shares
 * with job-plist-tables.c (internal).
 *
 * job-plist.c owns struct loader, the rule walk and the generic setters;
 * job-plist-tables.c owns the tables of the sub-dictionaries (KeepAlive,
 * MachServices, StartCalendarInterval, resource limits) and their setters.
 */
#ifndef BOOTSTRAPD_JOB_PLIST_INTERNAL_H
#define BOOTSTRAPD_JOB_PLIST_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "job-plist.h"


#define TYPE(t) (1u << (t))
#define N_RULES(a) (sizeof(a) / sizeof((a)[0]))

/* One conversion: where messages go and what later keys depend on. */
struct loader {
	struct job_spec *spec;
	const char *name;               /* FILE of messages: path, else label */
	struct plist_error *err;
	job_plist_warn_fn warn;
	void *warn_data;
	bool has_keepalive;
	const struct plist_node *ondemand;
};

struct key_rule;
typedef int setter_fn(struct loader *ld, const struct plist_entry *e,
		      const struct key_rule *r, void *obj);

struct key_rule {
	const char *key;
	unsigned int types;     /* TYPE(PLIST_*) bits accepted */
	setter_fn *set;
	size_t off;             /* the field in *obj, for generic setters */
	size_t aux;             /* its count or has_ flag, or an RLIMIT_* */
	long long min, max;     /* accepted integers (set_int), list length (set_strings) */
};

#define FIELD(obj, r, type) ((type *)((char *)(obj) + (r)->off))
#define AUX(obj, r, type) ((type *)((char *)(obj) + (r)->aux))

/* In job-plist.c. */

/**
 * job_plist_reject() - refuse the job: store the reason in ld->err.
 * @ld:   the conversion
 * @line: the offending line, 0 if unknown
 * @fmt:  the reason
 *
 * Return: JOB_PLIST_E_INVALID.
 */
__attribute__((format(printf, 3, 4)))
int job_plist_reject(struct loader *ld, unsigned int line, const char *fmt, ...);

/**
 * job_plist_type_error() - refuse @v: "WHAT[ in WHERE]: expected A or B, got C".
 * @ld:    the conversion
 * @v:     the value of the wrong type
 * @what:  its key, or a name such as "KEY[3]"
 * @where: the enclosing key, or NULL
 * @types: the TYPE() bits accepted
 *
 * Return: JOB_PLIST_E_INVALID.
 */
int job_plist_type_error(struct loader *ld, const struct plist_node *v,
			 const char *what, const char *where, unsigned int types);

/**
 * job_plist_copy_string() - strdup() into *@out.
 *
 * Return: 0, or -ENOMEM with ld->err set.
 */
int job_plist_copy_string(struct loader *ld, const char *s, char **out);

/**
 * job_plist_alloc_array() - @n zeroed elements of @size bytes and one spare,
 * which keeps string lists NULL-terminated.
 *
 * Return: the array, owned by the caller, or NULL with ld->err set (ENOMEM).
 */
void *job_plist_alloc_array(struct loader *ld, size_t n, size_t size);

/**
 * job_plist_apply_rules() - apply @rules to every key of @dict, in document
 * order, storing into @obj.  Unsupported keys warn; @where names @dict in
 * messages (NULL for the job itself).
 *
 * Return: 0, JOB_PLIST_E_INVALID or -ENOMEM, with ld->err set.
 */
int job_plist_apply_rules(struct loader *ld, const struct plist_node *dict,
			  const struct key_rule *rules, size_t n, const char *where,
			  void *obj);

/* Generic setters: a boolean, an integer within r->min..r->max, a non-empty string. */
setter_fn job_plist_set_bool;
setter_fn job_plist_set_int;
setter_fn job_plist_set_string;

/** job_plist_check_range() - the integer of @e within r->min..r->max, or rejected. */
int job_plist_check_range(struct loader *ld, const struct plist_entry *e,
			  const struct key_rule *r);

/* In job-plist-tables.c: the setters of the sub-dictionary keys. */
setter_fn job_plist_tables_keepalive;
setter_fn job_plist_tables_services;
setter_fn job_plist_tables_calendar;
setter_fn job_plist_tables_rlimits;

/* In sockets-plist.c: Sockets and inetdCompatibility. */
setter_fn job_plist_sockets;
setter_fn job_plist_inetd;

/**
 * job_plist_sockets_check() - what Sockets and inetdCompatibility require of
 * each other, once the whole job is read.  @line: the job's line.
 * Return: 0 or JOB_PLIST_E_INVALID with ld->err set.
 */
int job_plist_sockets_check(struct loader *ld, unsigned int line);

#endif
