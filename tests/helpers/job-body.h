/* SPDX-License-Identifier: MIT */
/*
 * job-body.h - a job plist from the body of its root dictionary, loaded as
 * "job.plist", with the warnings it gives; for the job-plist tests.
 */
#ifndef BOOTSTRAPD_TEST_JOB_BODY_H
#define BOOTSTRAPD_TEST_JOB_BODY_H

#include "job-plist.h"

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" " \
	"\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n" \
	"<plist version=\"1.0\">\n<dict>\n"
#define TAIL "</dict>\n</plist>\n"
/* Lines 5-8 of every job below. */
#define LABEL_PROGRAM "<key>Label</key>\n<string>com.example.t</string>\n" \
	"<key>Program</key>\n<string>/bin/true</string>\n"

struct warnings {
	char *msg[32];
	int n;
};

/** collect() - a job_plist warning callback: appends to the struct warnings @data. */
void collect(void *data, const char *msg);

/** warnings_clear() - free and forget the warnings collected in @w. */
void warnings_clear(struct warnings *w);

/** load() - load HEAD + @body + TAIL as "job.plist": the body starts on line 5. */
int load(const char *body, struct job_spec **spec, struct plist_error *err,
	 struct warnings *w);

/** load_ok() - load() that must succeed.  Return: the spec. */
struct job_spec *load_ok(const char *body, struct warnings *w);

#endif
