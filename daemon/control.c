/* SPDX-License-Identifier: MIT */
/*
 * control.c - bsctl's requests.  Everyone may read (list, print, blame);
 * changing the domain needs its owner or root, judged from the kernel's
 * credentials of the request.
 */
#include "control.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "conn.h"
#include "control-proto.h"
#include "domain.h"
#include "ipc.h"
#include "job.h"
#include "job-spec.h"
#include "log.h"

bool control_owns(mach_msg_id_t id)
{
	return id >= CONTROL_LIST && id <= CONTROL_LAST;
}

/* launchctl list's status column: last exit status, -signal, or "-". */
static void format_status(const struct job *job, char *buf, size_t len)
{
	if (!job->has_exited)
		snprintf(buf, len, "-");
	else if (WIFSIGNALED(job->last_status))
		snprintf(buf, len, "-%d", WTERMSIG(job->last_status));
	else
		snprintf(buf, len, "%d", WEXITSTATUS(job->last_status));
}

static int list_all(struct domain *d, char **out, size_t *len)
{
	FILE *f = open_memstream(out, len);
	struct job *job;
	size_t i = 0;

	if (!f)
		return -1;
	fprintf(f, "PID\tStatus\tLabel\n");
	while ((job = strmap_next(&d->jobs, &i))) {
		char status[16];

		format_status(job, status, sizeof(status));
		if (job->state == JOB_RUNNING || job->state == JOB_STOPPING)
			fprintf(f, "%d\t%s\t%s\n", (int)job->pid, status, job->spec->label);
		else
			fprintf(f, "-\t%s\t%s\n", status, job->spec->label);
	}
	return fclose(f);
}

void control_dispatch(struct conn *c, struct ipc_request *rq)
{
	char *text = NULL;
	size_t len = 0;

	if (rq->hdr->id != CONTROL_LIST) {
		ipc_reply_error(rq, MIG_BAD_ID);
		return;
	}
	if (list_all(c->domain, &text, &len) < 0) {
		ipc_reply_error(rq, BOOTSTRAP_NO_MEMORY);
		return;
	}
	ipc_reply_data(rq, KERN_SUCCESS, text, len + 1);
	free(text);
}
