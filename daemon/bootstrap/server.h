/* SPDX-License-Identifier: MIT */
/* server.h - bootstrap requests, dispatched by message id. */
#ifndef BOOTSTRAPD_SERVER_H
#define BOOTSTRAPD_SERVER_H

struct conn;
struct ipc_request;
struct service;

/**
 * server_dispatch() - validate @rq against the handler table and answer it.
 * Every request gets a reply (or, for a caller that gave no reply port,
 * a log line); the request's fds stay owned by @rq.
 */
void server_dispatch(struct conn *c, struct ipc_request *rq);

/**
 * server_name_died() - the port of registered or dynamic name @s died (its
 * receiver went away, or its process exited): the name goes, and the
 * domain @arg's saved state with it.  The callback of such services.
 */
void server_name_died(struct service *s, void *arg);

/**
 * server_released() - the holder of @s's receive right let it go (the
 * port-destroyed request handed out with it fired): the name may be
 * checked in again.  @arg is the domain.
 */
void server_released(struct service *s, void *arg);

#endif
