/* SPDX-License-Identifier: MIT */
/*
 * control-load.c - the requests that change which jobs a domain has: load
 * (a plist's bytes, never a path to open), unload, and the persistent
 * enable/disable state of overrides.c.
 *
 * Decisions, after launchctl:
 *  - load of a label already loaded is refused (CONTROL_E_EXISTS);
 *  - a disabled job (override, else the plist's Disabled key) is refused
 *    (CONTROL_E_DISABLED) unless -F (load it anyway, state unchanged) or
 *    -w (persist "enabled" first, then load: a load that then fails, say on
 *    a MachServices conflict, leaves the job enabled, as launchctl did);
 *  - unload -w persists "disabled" even when the job is not loaded, and
 *    then succeeds; plain unload of an unknown label is CONTROL_E_NOT_FOUND;
 *  - enable/disable only write the override: enable loads nothing (the
 *    next directory scan, SIGHUP or restart, picks the job up), disable
 *    stops nothing (the job stays until unloaded).
 */
#include "control-handlers.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "control-proto.h"
#include "domain.h"
#include "ipc.h"
#include "job.h"
#include "job-plist.h"
#include "job-spec.h"
#include "log.h"
#include "overrides.h"
#include "plist.h"

static void warn_to_reply(void *data, const char *message)
{
	fprintf(data, "warning: %s\n", message);
}

/* pread() all @size bytes of a memfd; never more than PLIST_MAX_SIZE. */
static int read_memfd(int fd, size_t size, char **out)
{
	struct stat st;
	char *buf;
	size_t done = 0;

	/* Only a regular file (a memfd is one) cannot block the daemon. */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size < size)
		return -EBADMSG;
	buf = malloc(size ? size : 1);
	if (!buf)
		return -ENOMEM;
	while (done < size) {
		ssize_t n = pread(fd, buf + done, size - done, (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(buf);
			return n < 0 ? -errno : -EBADMSG;
		}
		done += (size_t)n;
	}
	*out = buf;
	return 0;
}

/*
 * The request's out-of-line bytes (control.c checked there is one OOL
 * descriptor): inline after the body, or in a memfd.  *@owned is the copy
 * to free (NULL for inline bytes).  Return: 0, or a negative errno.
 */
static int plist_bytes(struct ipc_request *rq, const char **buf, size_t *len, char **owned)
{
	const struct wire_desc *desc = &rq->desc[0];
	int fd, err;

	*owned = NULL;
	*len = desc->size;
	if (desc->size > PLIST_MAX_SIZE)
		return -EFBIG;
	if (desc->kind == WIRE_OOL_INLINE) {
		*buf = rq->body + rq->body_len + desc->offset;
		return 0;
	}
	fd = ipc_take_desc_fd(rq, 0);
	if (fd < 0)
		return -EBADMSG;
	err = read_memfd(fd, desc->size, owned);
	close(fd);
	*buf = *owned;
	return err;
}

/* Parse the plist under its path's name; refusals are written to the reply. */
static kern_return_t parse(struct control_call *call, struct job_spec **spec)
{
	const char *path = call->req->arg;
	char msg[PLIST_ERROR_FORMAT_MAX];
	struct plist_error err;
	const char *buf;
	char *owned;
	size_t len;
	int r = plist_bytes(call->rq, &buf, &len, &owned);

	if (r < 0) {
		fprintf(call->out, "%s: cannot read the plist sent: %s\n", path,
			r == -EFBIG ? "too large" : strerror(-r));
		return r == -ENOMEM ? BOOTSTRAP_NO_MEMORY : CONTROL_E_INVALID;
	}
	memset(&err, 0, sizeof(err));
	r = job_plist_load_buffer(buf, len, path, spec, &err, warn_to_reply, call->out);
	free(owned);
	if (r == -ENOMEM)
		return BOOTSTRAP_NO_MEMORY;
	if (r != 0) {
		fprintf(call->out, "%s\n", plist_error_format(&err, msg, sizeof(msg)));
		return CONTROL_E_INVALID;
	}
	return KERN_SUCCESS;
}

static kern_return_t persist(struct control_call *call, const char *label, enum override v)
{
	int err = overrides_set(call->d->state_dir, label, v);

	if (err < 0) {
		fprintf(call->out, "%s: cannot write %s/%s: %s\n", label, call->d->state_dir,
			OVERRIDES_FILE, strerror(-err));
		log_warnx("%s/%s: %s", call->d->state_dir, OVERRIDES_FILE, strerror(-err));
		return KERN_FAILURE;
	}
	log_job(LOG_INFO, label, "%s (persistent) by pid %d uid %u",
		v == OVERRIDE_DISABLED ? "disabled" : "enabled", (int)call->rq->creds.pid,
		(unsigned int)call->rq->creds.uid);
	return KERN_SUCCESS;
}

/* Whether the job may be loaded now: not already there, not disabled. */
static kern_return_t admit(struct control_call *call, const struct job_spec *spec, bool *forced)
{
	uint32_t flags = call->req->flags;
	struct overrides ov;
	bool disabled;
	int err;

	*forced = false;
	if (strmap_get(&call->d->jobs, spec->label)) {
		fprintf(call->out, "%s: %s: already loaded\n", call->req->arg, spec->label);
		return CONTROL_E_EXISTS;
	}
	if (flags & CONTROL_F_PERSIST)
		return persist(call, spec->label, OVERRIDE_ENABLED);
	err = overrides_read(&ov, call->d->state_dir);
	if (err < 0)
		log_warnx("%s/%s: %s", call->d->state_dir, OVERRIDES_FILE, strerror(-err));
	/* Read in part, the overrides cannot say the job is enabled: only -F loads it then. */
	if (err < 0 && !(flags & CONTROL_F_FORCE)) {
		overrides_deinit(&ov);
		fprintf(call->out, "%s: %s: cannot read the overrides (%s): not loaded "
			"(load -F loads it anyway)\n", call->req->arg, spec->label, strerror(-err));
		return KERN_FAILURE;
	}
	disabled = overrides_disabled(&ov, spec);
	overrides_deinit(&ov);
	if (disabled && !(flags & CONTROL_F_FORCE)) {
		fprintf(call->out, "%s: %s is disabled (bsctl enable %s, or load -w or -F)\n",
			call->req->arg, spec->label, spec->label);
		return CONTROL_E_DISABLED;
	}
	*forced = disabled;
	return KERN_SUCCESS;
}

kern_return_t control_load(struct control_call *call)
{
	struct job_spec *spec = NULL;
	char reason[256];
	struct job *job;
	bool forced;
	kern_return_t kr = parse(call, &spec);

	if (kr == KERN_SUCCESS)
		kr = admit(call, spec, &forced);
	if (kr != KERN_SUCCESS) {
		job_spec_free(spec);
		return kr;
	}
	log_info("control: pid %d uid %u loads %s", (int)call->rq->creds.pid,
		 (unsigned int)call->rq->creds.uid, call->req->arg);
	job = job_new(call->d, spec, reason, sizeof(reason));       /* takes spec */
	if (!job) {
		fprintf(call->out, "%s: %s\n", call->req->arg, reason);
		log_warnx("%s: %s", call->req->arg, reason);
		return KERN_FAILURE;
	}
	job->disabled = forced;
	return KERN_SUCCESS;
}

/* A label that can be written to the overrides file and the log. */
static bool label_ok(const char *label)
{
	if (!*label)
		return false;
	for (const unsigned char *p = (const void *)label; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

kern_return_t control_unload(struct control_call *call)
{
	const char *label = call->req->arg;
	struct job *job = strmap_get(&call->d->jobs, label);
	kern_return_t kr;

	if (!label_ok(label))
		return CONTROL_E_INVALID;
	if (call->req->flags & CONTROL_F_PERSIST) {
		kr = persist(call, label, OVERRIDE_DISABLED);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	if (!job && (call->req->flags & CONTROL_F_PERSIST)) {
		fprintf(call->out, "%s: not loaded; disabled\n", label);
		return KERN_SUCCESS;
	}
	if (!job)
		return CONTROL_E_NOT_FOUND;
	log_info("control: pid %d uid %u unloads %s", (int)call->rq->creds.pid,
		 (unsigned int)call->rq->creds.uid, label);
	job_unload(job);
	return KERN_SUCCESS;
}

kern_return_t control_enable(struct control_call *call)
{
	if (!label_ok(call->req->arg))
		return CONTROL_E_INVALID;
	return persist(call, call->req->arg, OVERRIDE_ENABLED);
}

kern_return_t control_disable(struct control_call *call)
{
	if (!label_ok(call->req->arg))
		return CONTROL_E_INVALID;
	return persist(call, call->req->arg, OVERRIDE_DISABLED);
}
