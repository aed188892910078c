/* SPDX-License-Identifier: MIT */
/*
 * job-network.c - the domain's one watch of the network, for KeepAlive
 * NetworkState: made when the first job that names the network is loaded,
 * freed when the last one goes.  A watch that cannot be made (no netlink
 * socket: out of fds, a sandbox) is not asked for again by each such job
 * loaded after: the failure is logged once, and tried again at the next
 * rescan of the job directories, or when a job needs it after none did.
 */
#include "job.h"

#include <errno.h>
#include <string.h>

#include "domain.h"
#include "job-spec.h"
#include "log.h"
#include "netstate.h"

static void network_changed(void *arg)
{
	job_others_changed(arg);
}

/* Make the watch.  Return: 0, or -1 with the failure logged and remembered. */
static int watch(struct domain *d)
{
	d->net = netstate_new(d->base, network_changed, d);
	if (d->net)
		return 0;
	d->net_failed = true;
	log_warnx("cannot watch the network (%s): NetworkState is looked at only when its "
		  "job exits; tried again at the next rescan of the job directories",
		  strerror(errno));
	return -1;
}

void job_network_hold(struct job *job)
{
	struct domain *d = job->domain;

	if (!job->spec->keepalive.has_network_state)
		return;
	if (d->n_net_users++ == 0)
		d->net_failed = false;  /* the first user since none: worth a new try */
	if (!d->net && !d->net_failed)
		watch(d);
}

void job_network_release(struct job *job)
{
	struct domain *d = job->domain;

	if (!job->spec->keepalive.has_network_state || d->n_net_users == 0)
		return;
	if (--d->n_net_users > 0)
		return;
	netstate_free(d->net);
	d->net = NULL;
	d->net_failed = false;
}

void job_network_retry(struct domain *d)
{
	if (d->net || d->n_net_users == 0)
		return;
	log_info("trying again to watch the network for %zu NetworkState job(s)", d->n_net_users);
	/* Up meanwhile: the jobs kept alive while it is up look again. */
	if (watch(d) == 0)
		job_others_changed(d);
}

bool job_network_up(struct domain *d)
{
	return d->net ? netstate_up(d->net) : netstate_now();
}

void job_network_deinit(struct domain *d)
{
	netstate_free(d->net);
	d->net = NULL;
	d->n_net_users = 0;
	d->net_failed = false;
}
