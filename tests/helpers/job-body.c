/* SPDX-License-Identifier: MIT */
/* job-body.c - a job plist from the body of its root dictionary. */
#include "helpers/job-body.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void collect(void *data, const char *msg)
{
	struct warnings *w = data;

	ck_assert_int_lt(w->n, 32);
	w->msg[w->n++] = strdup(msg);
}

void warnings_clear(struct warnings *w)
{
	while (w->n)
		free(w->msg[--w->n]);
}

int load(const char *body, struct job_spec **spec, struct plist_error *err,
	 struct warnings *w)
{
	char *doc;
	int rc;

	ck_assert_int_gt(asprintf(&doc, HEAD "%s" TAIL, body), 0);
	rc = job_plist_load_buffer(doc, strlen(doc), "job.plist", spec, err,
				   w ? collect : NULL, w);
	free(doc);
	return rc;
}

struct job_spec *load_ok(const char *body, struct warnings *w)
{
	struct job_spec *spec = NULL;
	struct plist_error err;
	char msg[PLIST_ERROR_FORMAT_MAX];
	int rc = load(body, &spec, &err, w);

	ck_assert_msg(rc == 0, "rc %d: %s", rc, plist_error_format(&err, msg, sizeof(msg)));
	ck_assert_ptr_nonnull(spec);
	return spec;
}
