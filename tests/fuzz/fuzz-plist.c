/* SPDX-License-Identifier: MIT */
/*
 * fuzz-plist.c - the XML plist parser and the job layer on top of it: the
 * path every plist file, and every bsctl load, takes to become a job.
 *
 * Input: a document, as read from a file.  Each input is parsed, then (if
 * it parsed) validated as a job, and the error or the spec freed.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz-fds.h"
#include "job-plist.h"
#include "job-spec.h"
#include "log.h"
#include "plist.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_init("fuzz-plist", 1, LOG_ERR);
	return 0;
}

static void count_warning(void *data, const char *message)
{
	(*(size_t *)data) += strlen(message);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char msg[PLIST_ERROR_FORMAT_MAX];
	struct plist_node *root = NULL;
	struct job_spec *spec = NULL;
	struct plist_error err;
	size_t warned = 0;
	int fd_baseline = fuzz_fd_count();

	memset(&err, 0, sizeof(err));
	if (plist_parse_buffer((const char *)data, size, "fuzz.plist", &root, &err) != 0) {
		plist_error_format(&err, msg, sizeof(msg));
		fuzz_fd_check(fd_baseline);
		return 0;
	}
	memset(&err, 0, sizeof(err));
	if (job_plist_load(root, "fuzz.plist", &spec, &err, count_warning, &warned) != 0)
		plist_error_format(&err, msg, sizeof(msg));
	job_spec_free(spec);
	plist_node_free(root);
	fuzz_fd_check(fd_baseline);
	return 0;
}
