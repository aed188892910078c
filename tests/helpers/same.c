/* SPDX-License-Identifier: MIT */
/* same.c - assert that two plist trees or two job specs are the same. */
#include "same.h"

#include <check.h>
#include <string.h>

/* Equal values, lines aside (binary plists have none). */
void same_tree(const struct plist_node *a, const struct plist_node *b, const char *where)
{
	size_t i;

	ck_assert_msg(a->type == b->type, "%s: %s vs %s", where,
		      plist_type_name(a->type), plist_type_name(b->type));
	switch (a->type) {
	case PLIST_DICT:
		ck_assert_msg(a->dict.n == b->dict.n, "%s: %zu vs %zu keys", where,
			      a->dict.n, b->dict.n);
		for (i = 0; i < a->dict.n; i++) {
			ck_assert_str_eq(a->dict.entries[i].key, b->dict.entries[i].key);
			same_tree(a->dict.entries[i].value, b->dict.entries[i].value,
					 a->dict.entries[i].key);
		}
		break;
	case PLIST_ARRAY:
		ck_assert_msg(a->array.n == b->array.n, "%s: array lengths", where);
		for (i = 0; i < a->array.n; i++)
			same_tree(a->array.items[i], b->array.items[i], where);
		break;
	case PLIST_STRING:
		ck_assert_msg(a->string.len == b->string.len &&
			      memcmp(a->string.s, b->string.s, a->string.len) == 0,
			      "%s: \"%s\" vs \"%s\"", where, a->string.s, b->string.s);
		break;
	case PLIST_INTEGER:
		ck_assert_msg(a->integer == b->integer, "%s: %lld vs %lld", where,
			      a->integer, b->integer);
		break;
	case PLIST_REAL:
		ck_assert_msg(a->real == b->real, "%s: %.17g vs %.17g", where, a->real, b->real);
		break;
	case PLIST_BOOL:
		ck_assert_msg(a->boolean == b->boolean, "%s: booleans", where);
		break;
	case PLIST_DATE:
		ck_assert_msg(a->date == b->date, "%s: %lld vs %lld", where, a->date, b->date);
		break;
	case PLIST_DATA:
		ck_assert_msg(a->data.len == b->data.len &&
			      memcmp(a->data.bytes, b->data.bytes, a->data.len) == 0,
			      "%s: data", where);
		break;
	}
}

static void same_strv(char **a, char **b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(a[i], b[i]);
}

#define SAME_STR(f) ck_assert_pstr_eq(a->f, b->f)
#define SAME(f) ck_assert_msg(a->f == b->f, "%s: " #f " differs", a->label)

static void same_keepalive(const struct keepalive *a, const struct keepalive *b)
{
	size_t i;

	ck_assert_int_eq(a->mode, b->mode);
	ck_assert_int_eq(a->has_successful_exit, b->has_successful_exit);
	ck_assert_int_eq(a->successful_exit, b->successful_exit);
	ck_assert_int_eq(a->has_crashed, b->has_crashed);
	ck_assert_int_eq(a->crashed, b->crashed);
	ck_assert_int_eq(a->after_initial_demand, b->after_initial_demand);
	ck_assert_uint_eq(a->n_path_state, b->n_path_state);
	for (i = 0; i < a->n_path_state; i++) {
		ck_assert_str_eq(a->path_state[i].path, b->path_state[i].path);
		ck_assert_int_eq(a->path_state[i].exists, b->path_state[i].exists);
	}
	ck_assert_uint_eq(a->n_other_jobs, b->n_other_jobs);
	for (i = 0; i < a->n_other_jobs; i++) {
		ck_assert_str_eq(a->other_jobs[i].label, b->other_jobs[i].label);
		ck_assert_int_eq(a->other_jobs[i].enabled, b->other_jobs[i].enabled);
		ck_assert_int_eq(a->other_jobs[i].active, b->other_jobs[i].active);
	}
}

/* Every field but the line, which binary plists do not have. */
void same_spec(const struct job_spec *a, const struct job_spec *b)
{
	size_t i;

	SAME_STR(label); SAME_STR(path); SAME_STR(program);
	SAME(argc); same_strv(a->argv, b->argv, a->argc);
	SAME(enable_globbing);
	SAME(n_env); same_strv(a->env, b->env, a->n_env);
	SAME_STR(working_directory); SAME_STR(root_directory);
	SAME_STR(user_name); SAME_STR(group_name); SAME(init_groups);
	SAME(has_umask); SAME(umask);
	SAME_STR(stdin_path); SAME_STR(stdout_path); SAME_STR(stderr_path);
	SAME(n_services);
	for (i = 0; i < a->n_services; i++) {
		SAME_STR(services[i].name);
		SAME(services[i].reset_at_close);
		SAME(services[i].hide_until_checkin);
	}
	SAME(disabled); SAME(run_at_load); SAME(launch_only_once);
	SAME(abandon_process_group);
	same_keepalive(&a->keepalive, &b->keepalive);
	SAME(throttle_interval); SAME(exit_timeout); SAME(start_interval);
	SAME(n_calendar);
	for (i = 0; i < a->n_calendar; i++)
		ck_assert_int_eq(memcmp(&a->calendar[i], &b->calendar[i],
					sizeof(a->calendar[i])), 0);
	SAME(n_watch_paths); same_strv(a->watch_paths, b->watch_paths, a->n_watch_paths);
	SAME(n_queue_directories);
	same_strv(a->queue_directories, b->queue_directories, a->n_queue_directories);
	SAME(n_rlimits);
	for (i = 0; i < a->n_rlimits; i++) {
		SAME(rlimits[i].resource); SAME(rlimits[i].has_soft); SAME(rlimits[i].has_hard);
		SAME(rlimits[i].soft); SAME(rlimits[i].hard);
	}
	SAME(has_nice); SAME(nice);
}
