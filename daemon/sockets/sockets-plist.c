/* SPDX-License-Identifier: MIT */
/*
 * sockets-plist.c - the Sockets and inetdCompatibility keys, into struct
 * job_spec.  Values are spelled as launchd.plist(5) spells them (SockType
 * "stream", SockFamily "IPv4", ...), compared without regard to case as
 * launchctl compared them; keys are exact, as everywhere else.  Bonjour
 * and MulticastGroup have no rule: they warn as unsupported keys.
 * Nothing here touches the network: names are resolved when the job loads
 * (sockets.c), so that lint gives the same answer on any host.
 */
#include "job-plist-internal.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>

struct choice {
	const char *word;
	int value;
};

/* Store the value of @e matched against @choices in *@out, or refuse naming them. */
static int choose(struct loader *ld, const struct plist_entry *e, const struct choice *choices,
		  size_t n, int *out)
{
	char list[128] = "";
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		if (strcasecmp(e->value->string.s, choices[i].word) == 0) {
			*out = choices[i].value;
			return 0;
		}
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
					choices[i].word);
	}
	return job_plist_reject(ld, e->value->line, "%s \"%s\": expected one of %s", e->key,
				e->value->string.s, list);
}

static int set_type(struct loader *ld, const struct plist_entry *e,
		    const struct key_rule *r, void *obj)
{
	static const struct choice types[] = {
		{ "stream", SOCK_STREAM }, { "dgram", SOCK_DGRAM }, { "seqpacket", SOCK_SEQPACKET },
	};

	return choose(ld, e, types, N_RULES(types), &((struct job_socket *)obj)->type);
}

static int set_family(struct loader *ld, const struct plist_entry *e,
		      const struct key_rule *r, void *obj)
{
	static const struct choice families[] = {
		{ "IPv4", AF_INET }, { "IPv6", AF_INET6 }, { "IPv4v6", AF_UNSPEC }, { "Unix", AF_UNIX },
	};

	return choose(ld, e, families, N_RULES(families), &((struct job_socket *)obj)->family);
}

static int set_protocol(struct loader *ld, const struct plist_entry *e,
			const struct key_rule *r, void *obj)
{
	static const struct choice protocols[] = { { "TCP", IPPROTO_TCP }, { "UDP", IPPROTO_UDP } };

	return choose(ld, e, protocols, N_RULES(protocols), &((struct job_socket *)obj)->protocol);
}

/* A port number or an /etc/services name; an integer is a port. */
static int set_service(struct loader *ld, const struct plist_entry *e,
		       const struct key_rule *r, void *obj)
{
	struct job_socket *js = obj;
	char port[16];

	if (e->value->type == PLIST_STRING)
		return job_plist_set_string(ld, e, r, obj);
	if (e->value->integer < 1 || e->value->integer > 65535)
		return job_plist_reject(ld, e->value->line, "%s: %lld is not a port (1..65535)",
					e->key, e->value->integer);
	snprintf(port, sizeof(port), "%lld", e->value->integer);
	return job_plist_copy_string(ld, port, &js->service_name);
}

static int set_path(struct loader *ld, const struct plist_entry *e,
		    const struct key_rule *r, void *obj)
{
	const char *p = e->value->string.s;

	if (p[0] != '/')
		return job_plist_reject(ld, e->value->line, "%s \"%s\" is not an absolute path",
					e->key, p);
	if (strlen(p) >= sizeof(((struct sockaddr_un *)0)->sun_path))
		return job_plist_reject(ld, e->value->line, "%s is longer than %zu bytes", e->key,
					sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
	return job_plist_set_string(ld, e, r, obj);
}

/* SockPathMode, SockPathOwner, SockPathGroup: a number and its has_ flag. */
static int set_number(struct loader *ld, const struct plist_entry *e,
		      const struct key_rule *r, void *obj)
{
	int rc = job_plist_check_range(ld, e, r);

	if (rc)
		return rc;
	*AUX(obj, r, bool) = true;
	*FIELD(obj, r, unsigned int) = (unsigned int)e->value->integer;
	return 0;
}

_Static_assert(sizeof(mode_t) == sizeof(unsigned int) && sizeof(uid_t) == sizeof(unsigned int) &&
	       sizeof(gid_t) == sizeof(unsigned int), "set_number() stores unsigned int");

#define JSK(f) offsetof(struct job_socket, f)
static const struct key_rule socket_keys[] = {
	{ "SockType", TYPE(PLIST_STRING), set_type },
	{ "SockPassive", TYPE(PLIST_BOOL), job_plist_set_bool, JSK(passive) },
	{ "SockNodeName", TYPE(PLIST_STRING), job_plist_set_string, JSK(node_name) },
	{ "SockServiceName", TYPE(PLIST_STRING) | TYPE(PLIST_INTEGER), set_service,
	  JSK(service_name) },
	{ "SockFamily", TYPE(PLIST_STRING), set_family },
	{ "SockProtocol", TYPE(PLIST_STRING), set_protocol },
	{ "SockPathName", TYPE(PLIST_STRING), set_path, JSK(path_name) },
	{ "SockPathMode", TYPE(PLIST_INTEGER), set_number, JSK(path_mode), JSK(has_path_mode),
	  0, 07777 },
	{ "SockPathOwner", TYPE(PLIST_INTEGER), set_number, JSK(path_owner), JSK(has_path_owner),
	  0, 0xfffffffeLL },
	{ "SockPathGroup", TYPE(PLIST_INTEGER), set_number, JSK(path_group), JSK(has_path_group),
	  0, 0xfffffffeLL },
	{ "SecureSocketWithKey", TYPE(PLIST_STRING), job_plist_set_string, JSK(secure_key) },
};

/* Keys that make sense for one family only. */
static int check_socket(struct loader *ld, const char *where, unsigned int line,
			struct job_socket *js)
{
	bool local = js->path_name || js->secure_key;

	if (js->path_name && js->secure_key)
		return job_plist_reject(ld, line, "%s: SockPathName and SecureSocketWithKey exclude each other",
					where);
	if (local && js->family == AF_UNSPEC)
		js->family = AF_UNIX;   /* launchctl: a path implies a Unix socket */
	if (js->family == AF_UNIX) {
		if (!local)
			return job_plist_reject(ld, line, "%s: a Unix socket needs SockPathName or SecureSocketWithKey",
						where);
		if (js->node_name || js->service_name || js->protocol)
			return job_plist_reject(ld, line, "%s: SockNodeName, SockServiceName and SockProtocol are for IP sockets",
						where);
		if (js->secure_key && !js->passive)
			return job_plist_reject(ld, line, "%s: SecureSocketWithKey needs SockPassive true",
						where);
		return 0;
	}
	if (local)
		return job_plist_reject(ld, line, "%s: SockPathName and SecureSocketWithKey are for Unix sockets",
					where);
	if (js->has_path_mode || js->has_path_owner || js->has_path_group)
		return job_plist_reject(ld, line, "%s: SockPathMode, SockPathOwner and SockPathGroup are for Unix sockets",
					where);
	if (!js->service_name)
		return job_plist_reject(ld, line, "%s: an IP socket needs SockServiceName", where);
	return 0;
}

static int add_socket(struct loader *ld, struct job_socket_group *g, const struct plist_node *v,
		      const char *where)
{
	struct job_socket *js = &g->sockets[g->n_sockets++];
	int rc;

	/* The defaults of launchd.plist(5). */
	js->type = SOCK_STREAM;
	js->passive = true;
	js->family = AF_UNSPEC;
	if (v->type != PLIST_DICT)
		return job_plist_type_error(ld, v, where, NULL, TYPE(PLIST_DICT));
	rc = job_plist_apply_rules(ld, v, socket_keys, N_RULES(socket_keys), where, js);
	return rc ? rc : check_socket(ld, where, v->line, js);
}

static int check_name(struct loader *ld, const struct plist_entry *e)
{
	struct job_spec *spec = ld->spec;
	size_t len = strlen(e->key);

	if (len == 0 || len > JOB_SOCKET_NAME_MAX)
		return job_plist_reject(ld, e->line, "Sockets name \"%.40s%s\" must be 1 to %d bytes long",
					e->key, len > 40 ? "..." : "", JOB_SOCKET_NAME_MAX);
	/* The separator of $LISTEN_FDNAMES. */
	if (strchr(e->key, ':'))
		return job_plist_reject(ld, e->line, "Sockets name \"%s\" contains ':'", e->key);
	for (size_t i = 0; i < spec->n_socket_groups; i++)
		if (strcmp(spec->socket_groups[i].name, e->key) == 0)
			return job_plist_reject(ld, e->line, "duplicate Sockets name \"%s\"", e->key);
	return 0;
}

static int add_group(struct loader *ld, const struct plist_entry *e, size_t *total)
{
	const struct plist_node *v = e->value;
	size_t n = v->type == PLIST_ARRAY ? v->array.n : 1;
	struct job_socket_group *g;
	char where[JOB_SOCKET_NAME_MAX + 32];
	int rc = check_name(ld, e);

	if (rc)
		return rc;
	if (n == 0)
		return job_plist_reject(ld, e->line, "Sockets \"%s\": empty array", e->key);
	*total += n;
	if (*total > JOB_SOCKETS_MAX)
		return job_plist_reject(ld, e->line, "Sockets: more than %d sockets", JOB_SOCKETS_MAX);
	g = &ld->spec->socket_groups[ld->spec->n_socket_groups++];
	g->sockets = job_plist_alloc_array(ld, n, sizeof(*g->sockets));
	if (!g->sockets || job_plist_copy_string(ld, e->key, &g->name))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (v->type == PLIST_ARRAY)
			snprintf(where, sizeof(where), "Sockets \"%s\"[%zu]", e->key, i);
		else
			snprintf(where, sizeof(where), "Sockets \"%s\"", e->key);
		rc = add_socket(ld, g, v->type == PLIST_ARRAY ? v->array.items[i] : v, where);
		if (rc)
			return rc;
	}
	return 0;
}

int job_plist_sockets(struct loader *ld, const struct plist_entry *e,
		      const struct key_rule *r, void *obj)
{
	const struct plist_node *d = e->value;
	size_t total = 0;
	int rc;

	ld->spec->socket_groups = job_plist_alloc_array(ld, d->dict.n,
							sizeof(*ld->spec->socket_groups));
	if (!ld->spec->socket_groups)
		return -ENOMEM;
	for (size_t i = 0; i < d->dict.n; i++) {
		if (d->dict.entries[i].value->type != PLIST_DICT &&
		    d->dict.entries[i].value->type != PLIST_ARRAY)
			return job_plist_type_error(ld, d->dict.entries[i].value,
						    d->dict.entries[i].key, e->key,
						    TYPE(PLIST_DICT) | TYPE(PLIST_ARRAY));
		rc = add_group(ld, &d->dict.entries[i], &total);
		if (rc)
			return rc;
	}
	return 0;
}

static const struct key_rule inetd_keys[] = {
	{ "Wait", TYPE(PLIST_BOOL), job_plist_set_bool, offsetof(struct job_spec, inetd_wait) },
};

int job_plist_inetd(struct loader *ld, const struct plist_entry *e,
		    const struct key_rule *r, void *obj)
{
	ld->spec->inetd = true;
	return job_plist_apply_rules(ld, e->value, inetd_keys, N_RULES(inetd_keys), e->key,
				     ld->spec);
}

int job_plist_sockets_check(struct loader *ld, unsigned int line)
{
	const struct job_spec *spec = ld->spec;

	if (!spec->inetd)
		return 0;
	if (!spec->n_socket_groups)
		return job_plist_reject(ld, line, "inetdCompatibility needs Sockets");
	if (spec->inetd_wait)
		return 0;
	/* One instance per accepted connection: only listening stream sockets accept. */
	for (size_t i = 0; i < spec->n_socket_groups; i++)
		for (size_t k = 0; k < spec->socket_groups[i].n_sockets; k++) {
			const struct job_socket *js = &spec->socket_groups[i].sockets[k];

			if (js->type == SOCK_DGRAM || !js->passive)
				return job_plist_reject(ld, line,
							"inetdCompatibility Wait false needs listening stream sockets (Sockets \"%s\")",
							spec->socket_groups[i].name);
		}
	return 0;
}
