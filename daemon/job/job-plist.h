/* SPDX-License-Identifier: MIT */
/*
 * job-plist.h - a launchd.plist tree -> a validated struct job_spec.
 *
 * Keys are matched exactly, through one table.  A key that equals an
 * honoured key except for case is refused ("did you mean ...?"), since
 * launchd matched case-insensitively and would have honoured it; any other
 * key we do not honour is reported through the warning callback as
 * "FILE: unsupported key KEY" and the job still loads.  The library never
 * logs: warnings go to the callback, refusals to struct plist_error.
 */
#ifndef BOOTSTRAPD_JOB_PLIST_H
#define BOOTSTRAPD_JOB_PLIST_H

#include <stddef.h>

#include "job-spec.h"
#include "plist.h"

/*
 * The plist is a well-formed plist but not a valid job.  Distinct from the
 * PLIST_E_* codes, which job_plist_load_buffer() and _file() pass through.
 */
enum { JOB_PLIST_E_INVALID = 16 };

/**
 * typedef job_plist_warn_fn - receives one warning about a job that loads.
 * @data: the caller's warn_data.
 * @message: e.g. "FILE: unsupported key KEY", FILE being the path or, when
 *           there is none, the label; valid only during the call.
 */
typedef void (*job_plist_warn_fn)(void *data, const char *message);

/**
 * job_plist_load() - validate a parsed plist and build the job it defines.
 * @root: the plist's root value; borrowed.
 * @path: the file it came from, copied into the spec and used in messages;
 *        NULL when the plist came from elsewhere (then the label names it).
 * @out: receives the new spec on success; the caller frees it with
 *       job_spec_free().  Untouched on failure.
 * @err: filled with file, line and reason on failure.
 * @warn: called for each warning, or NULL to drop them.
 * @warn_data: passed to @warn.
 *
 * Return: 0 on success; JOB_PLIST_E_INVALID when the plist is not a valid
 * job; -ENOMEM.
 */
int job_plist_load(const struct plist_node *root, const char *path,
		   struct job_spec **out, struct plist_error *err,
		   job_plist_warn_fn warn, void *warn_data);

/**
 * job_plist_load_buffer() - plist_parse_buffer() then job_plist_load().
 * @buf: the XML document.
 * @len: its length in bytes.
 * @path: as for job_plist_load().
 * @out: as for job_plist_load().
 * @err: as for job_plist_load().
 * @warn: as for job_plist_load().
 * @warn_data: as for job_plist_load().
 *
 * Return: as job_plist_load(), or a code of plist_parse_buffer().
 */
int job_plist_load_buffer(const char *buf, size_t len, const char *path,
			  struct job_spec **out, struct plist_error *err,
			  job_plist_warn_fn warn, void *warn_data);

/**
 * job_plist_load_file() - plist_parse_file() then job_plist_load().
 * @path: the file to read; it names the job in messages.
 * @out: as for job_plist_load().
 * @err: as for job_plist_load().
 * @warn: as for job_plist_load().
 * @warn_data: as for job_plist_load().
 *
 * Return: as job_plist_load(), or a code of plist_parse_file().
 */
int job_plist_load_file(const char *path, struct job_spec **out,
			struct plist_error *err, job_plist_warn_fn warn,
			void *warn_data);

/**
 * job_plist_read_fd() - the plist read from @fd (a file opened as @path,
 * and judged by its caller), but the spec is not compacted: for a
 * thread that hands it to another, which adopts it (job_spec_adopt())
 * into its own part of the heap.
 * Return: as job_plist_load_file().
 */
int job_plist_read_fd(int fd, const char *path, struct job_spec **out,
		      struct plist_error *err, job_plist_warn_fn warn, void *warn_data);

#endif
