/* SPDX-License-Identifier: MIT */
/*
 * ctl-client.c - a control request on the bootstrap port: the request
 * carries a send-once right to a private reply port, as MIG's calls do.
 * A load request is a complex message whose one out-of-line descriptor
 * holds the plist's bytes.
 */
#include "ctl-client.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <bootstrap/linux.h>

#include <mach/mach.h>
#include <mach/mig_errors.h>
#include <servers/bootstrap.h>

#include "bootstrap-port.h"
#include "control-proto.h"

#define REPLY_TEXT_MAX (4096 * 16)

#pragma pack(push, 4)
struct request {
	mach_msg_header_t head;
	struct control_request body;
};

struct ool_request {
	mach_msg_header_t head;
	mach_msg_body_t count;
	mach_msg_ool_descriptor_t data;
	struct control_request body;
};
/* A reply whose text did not fit one datagram: the text out of line. */
struct ool_reply {
	mach_msg_header_t head;
	mach_msg_body_t count;
	mach_msg_ool_descriptor_t text;
	NDR_record_t ndr;
	kern_return_t ret;
};
#pragma pack(pop)

union reply {
	mach_msg_header_t head;
	mig_reply_error_t error;
	struct ool_reply ool;
	char buf[sizeof(struct ool_request) + sizeof(mig_reply_error_t) + REPLY_TEXT_MAX +
		 MAX_TRAILER_SIZE];
};

/* The socket chosen (connected at the first request), and the domain named. */
static char chosen[PATH_MAX];
static bool chosen_fixed, chosen_pending;
static int connect_errno;
static char domain_name[CONTROL_DOMAIN_MAX];

void ctl_client_use_socket(const char *path, bool fixed)
{
	if (chosen_fixed || strlen(path) >= sizeof(chosen))
		return;
	strcpy(chosen, path);
	chosen_fixed = fixed;
	chosen_pending = true;
	/* Also for the "no daemon" message, which names the socket. */
	setenv("BOOTSTRAP_SOCKET", path, 1);
}

void ctl_client_set_domain(const char *name)
{
	snprintf(domain_name, sizeof(domain_name), "%s", name);
}

/* Why nobody answers on @path: ECONNREFUSED, ENOENT, EACCES... */
static int probe_errno(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, err = 0;

	if (strlen(path) >= sizeof(sun.sun_path))
		return ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		err = errno;
	close(fd);
	return err;
}

static void connect_chosen(void)
{
	mach_port_t port;

	if (!chosen_pending)
		return;
	chosen_pending = false;
	if (bootstrap_port_connect(chosen, &port) == KERN_SUCCESS) {
		bootstrap_port = port;
		return;
	}
	bootstrap_port = MACH_PORT_DEAD;
	connect_errno = probe_errno(chosen);
}

static const char *socket_path(char *buf, size_t len)
{
	const char *s = getenv("BOOTSTRAP_SOCKET");
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (s && *s)
		return s;
	if (xdg && *xdg) {
		snprintf(buf, len, "%s/bootstrapd/socket", xdg);
		return buf;
	}
	return "/run/bootstrapd/socket";
}

void ctl_print_diag(const char *text)
{
	while (text && *text) {
		size_t n = strcspn(text, "\n");

		fprintf(stderr, "bsctl: %.*s\n", (int)n, text);
		text += n + (text[n] == '\n');
	}
}

/* The codes only bootstrapd answers with, beyond launchd's BOOTSTRAP_* ones. */
static const struct {
	kern_return_t code;
	const char *text;
} own_codes[] = {
	{ CONTROL_E_DISABLED, "Service is disabled" },
	{ CONTROL_E_WRONG_DOMAIN, "The daemon serves another domain than the one named" },
};

const char *ctl_code_text(kern_return_t kr)
{
	for (size_t i = 0; i < sizeof(own_codes) / sizeof(own_codes[0]); i++)
		if (own_codes[i].code == kr)
			return own_codes[i].text;
	return bootstrap_strerror(kr);
}

int ctl_exit(kern_return_t kr, const char *what, const char *text)
{
	char path[4096];

	if (kr != KERN_SUCCESS)
		ctl_print_diag(text);
	switch (kr) {
	case KERN_SUCCESS:
		return BSCTL_OK;
	case MACH_SEND_INVALID_DEST:
	case MIG_SERVER_DIED:
		if (kr == MACH_SEND_INVALID_DEST && connect_errno == EACCES) {
			fprintf(stderr, "bsctl: %s: %s: a user's domain is its owner's and root's\n",
				socket_path(path, sizeof(path)), strerror(EACCES));
			return BSCTL_NOT_PERMITTED;
		}
		fprintf(stderr, "bsctl: no bootstrapd is listening on %s; start one with: "
			"bootstrapd --%s\n", socket_path(path, sizeof(path)),
			strcmp(domain_name, "system") == 0 ? "system" : "user");
		return BSCTL_NO_DAEMON;
	default:
		/* In the words bsctl error uses: launchd's, for launchd's codes. */
		if (!text || !*text)
			fprintf(stderr, "bsctl: %s: %s\n", what, ctl_code_text(kr));
		return kr == CONTROL_E_NOT_FOUND ? BSCTL_NOT_FOUND :
		       kr == CONTROL_E_NOT_PERMITTED ? BSCTL_NOT_PERMITTED : BSCTL_FAILURE;
	}
}

/* Send the @len bytes of @req from @rep's buffer and receive the reply into it. */
static kern_return_t exchange(mach_msg_header_t *req, mach_msg_size_t len, union reply *rep)
{
	mach_port_t bp, rp;
	kern_return_t kr;

	connect_chosen();
	bp = bootstrap_port;
	kr = bootstrap_port_resolve(&bp);

	if (kr != KERN_SUCCESS)
		return kr;
	bootstrap_port = bp;
	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &rp);
	if (kr != KERN_SUCCESS)
		return kr;
	req->msgh_bits |= MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	req->msgh_size = len;
	req->msgh_remote_port = bp;
	req->msgh_local_port = rp;
	/* mach_msg() receives into the buffer it sent from. */
	memcpy(rep->buf, req, len);
	kr = mach_msg(&rep->head, MACH_SEND_MSG | MACH_RCV_MSG, len, sizeof(*rep), rp,
		      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	mach_port_mod_refs(mach_task_self(), rp, MACH_PORT_RIGHT_RECEIVE, -1);
	if (kr == MACH_MSG_SUCCESS && rep->head.msgh_id == MACH_NOTIFY_SEND_ONCE)
		kr = MIG_SERVER_DIED;
	else if (kr == MACH_MSG_SUCCESS && (rep->head.msgh_id != req->msgh_id + 100 ||
					    rep->head.msgh_size < sizeof(mig_reply_error_t))) {
		mach_msg_destroy(&rep->head);
		kr = MIG_REPLY_MISMATCH;
	}
	if (kr == MACH_MSG_SUCCESS && MACH_MSGH_BITS_IS_COMPLEX(rep->head.msgh_bits) &&
	    (rep->head.msgh_size != sizeof(struct ool_reply) ||
	     rep->ool.count.msgh_descriptor_count != 1 ||
	     rep->ool.text.type != MACH_MSG_OOL_DESCRIPTOR)) {
		mach_msg_destroy(&rep->head);
		kr = MIG_TYPE_ERROR;
	}
	if (kr != MACH_MSG_SUCCESS) {
		rep->head.msgh_size = 0;        /* no reply, so no text */
		return kr;
	}
	return MACH_MSGH_BITS_IS_COMPLEX(rep->head.msgh_bits) ? rep->ool.ret : rep->error.RetCode;
}

static int fill_body(struct control_request *body, const struct ctl_msg *m)
{
	const char *arg = m->arg ? m->arg : "";

	if (strlen(arg) >= sizeof(body->arg))
		return -1;
	body->ndr = NDR_record;
	body->flags = m->flags;
	body->signal = m->signal;
	strcpy(body->arg, arg);
	strcpy(body->domain, domain_name);
	return 0;
}

/* The reply's text: after the mig_reply_error_t, NUL-terminated within msgh_size. */
static const char *reply_text(union reply *rep)
{
	size_t len = rep->head.msgh_size - sizeof(mig_reply_error_t);
	size_t max = sizeof(rep->buf) - sizeof(mig_reply_error_t) - 1;
	char *text = rep->buf + sizeof(mig_reply_error_t);

	if (len > max)
		len = max;

	text[strnlen(text, len)] = '\0';
	return text;
}

/*
 * Out-of-line text (a long list): copied out, NUL-terminated, and the
 * mapping released.  Return: the text, valid until the next call.
 */
static const char *reply_text_ool(union reply *rep)
{
	static char *copy;
	const mach_msg_ool_descriptor_t *d = &rep->ool.text;

	free(copy);
	copy = malloc((size_t)d->size + 1);
	if (copy) {
		memcpy(copy, d->address, d->size);
		copy[d->size] = '\0';
		copy[strnlen(copy, d->size)] = '\0';
	}
	vm_deallocate(mach_task_self(), (vm_address_t)d->address, d->size);
	return copy ? copy : "";
}

/* A complex message: the plist's bytes in one out-of-line descriptor. */
static void add_ool(struct ool_request *req, const struct ctl_msg *m)
{
	req->head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
	req->count.msgh_descriptor_count = 1;
	req->data.address = (void *)m->data;
	req->data.size = (mach_msg_size_t)m->data_len;
	req->data.deallocate = 0;
	req->data.copy = MACH_MSG_VIRTUAL_COPY;
	req->data.type = MACH_MSG_OOL_DESCRIPTOR;
}

kern_return_t ctl_request(const struct ctl_msg *m, const char **text)
{
	static union reply rep;
	static union {
		struct request plain;
		struct ool_request ool;
	} req;
	kern_return_t kr;

	memset(&req, 0, sizeof(req));
	memset(&rep.head, 0, sizeof(rep.head));
	if (text)
		*text = "";
	if (fill_body(m->data ? &req.ool.body : &req.plain.body, m) < 0)
		return KERN_INVALID_ARGUMENT;
	if (m->data) {
		add_ool(&req.ool, m);
		req.ool.head.msgh_id = m->id;
		kr = exchange(&req.ool.head, sizeof(req.ool), &rep);
	} else {
		req.plain.head.msgh_id = m->id;
		kr = exchange(&req.plain.head, sizeof(req.plain), &rep);
	}
	if (rep.head.msgh_size && MACH_MSGH_BITS_IS_COMPLEX(rep.head.msgh_bits)) {
		const char *ool = reply_text_ool(&rep);         /* also unmaps it */

		if (text)
			*text = ool;
	} else if (text && rep.head.msgh_size > sizeof(mig_reply_error_t)) {
		*text = reply_text(&rep);
	}
	return kr;
}

static bool is_own(kern_return_t kr, const kern_return_t *own)
{
	for (; own && *own != KERN_SUCCESS; own++)
		if (*own == kr)
			return true;
	return false;
}

int ctl_ask(const struct ctl_msg *m, const char *what, const kern_return_t *own,
	    struct ctl_reply *r)
{
	r->text = "";
	if (m->arg && strlen(m->arg) >= CONTROL_ARG_MAX) {
		fprintf(stderr, "bsctl: argument too long: a request holds at most %d bytes\n",
			CONTROL_ARG_MAX - 1);
		r->kr = KERN_INVALID_ARGUMENT;
		return BSCTL_USAGE;
	}
	r->kr = ctl_request(m, &r->text);
	if (r->kr == KERN_SUCCESS || is_own(r->kr, own))
		return BSCTL_OK;
	return ctl_exit(r->kr, what, r->text);
}

int ctl_call(int id, uint32_t flags, int32_t signal, const char *label, FILE *text_to)
{
	struct ctl_msg m = { .id = id, .flags = flags, .signal = signal, .arg = label };
	struct ctl_reply r;
	int ret = ctl_ask(&m, label && *label ? label : "request", NULL, &r);

	if (ret != BSCTL_OK)
		return ret;
	if (text_to == stderr)
		ctl_print_diag(r.text);
	else if (text_to)
		fputs(r.text, text_to);
	return BSCTL_OK;
}
