/* SPDX-License-Identifier: MIT */
/*
 * state-ids.c - the fd ids a decoded state names, checked against each
 * other (state_check_pidfds()).
 */
#include "state-format.h"

#include <errno.h>
#include <stdlib.h>

/* An fd id the state names, and whether it names an owner's pidfd. */
struct named_id {
	int32_t id;
	bool pidfd;
};

static int cmp_named_id(const void *a, const void *b)
{
	const struct named_id *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static void name_id(struct named_id *v, size_t *n, int32_t id, bool pidfd)
{
	if (id >= 0)
		v[(*n)++] = (struct named_id){ .id = id, .pidfd = pidfd };
}

/* Every fd id of @s, in @v (room for 4 per service, 1 per channel, job, listener and client, 1). */
static size_t named_ids(const struct state *s, struct named_id *v)
{
	size_t n = 0;

	name_id(v, &n, s->listen_id, false);
	for (size_t i = 0; i < s->n_services; i++) {
		name_id(v, &n, s->services[i].recv_id, false);
		name_id(v, &n, s->services[i].send_id, false);
		name_id(v, &n, s->services[i].release_id, false);
		name_id(v, &n, s->services[i].owner_pidfd_id, true);
		for (size_t k = 0; k < s->services[i].n_channels; k++)
			name_id(v, &n, s->services[i].channels[k].fd_id, false);
	}
	for (size_t i = 0; i < s->n_jobs; i++) {
		name_id(v, &n, s->jobs[i].conn_id, false);
		for (size_t k = 0; k < s->jobs[i].n_listeners; k++)
			name_id(v, &n, s->jobs[i].listeners[k].id, false);
	}
	for (size_t i = 0; i < s->n_clients; i++)
		name_id(v, &n, s->clients[i], false);
	return n;
}

int state_check_pidfds(const struct state *s, const char **why)
{
	size_t room = 4 * s->n_services + s->n_jobs + s->n_clients + 1, n;
	struct named_id *v;
	int err = 0;

	for (size_t i = 0; i < s->n_jobs; i++)
		room += s->jobs[i].n_listeners;
	for (size_t i = 0; i < s->n_services; i++)
		room += s->services[i].n_channels;
	v = malloc(room * sizeof(*v));
	if (!v)
		return -ENOMEM;
	n = named_ids(s, v);
	qsort(v, n, sizeof(*v), cmp_named_id);
	for (size_t i = 1; i < n && err == 0; i++)
		if (v[i].id == v[i - 1].id && (v[i].pidfd || v[i - 1].pidfd)) {
			*why = "an owner pidfd id names another fd of the state too";
			err = -EBADMSG;
		}
	free(v);
	return err;
}
