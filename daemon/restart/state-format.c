/* SPDX-License-Identifier: MIT */
/*
 * state-format.c - encoding and decoding the state (state-format.h).
 *
 *   header (32 bytes): "BSDSTATE", u32 version, u32 crc32 of what follows it,
 *                      u64 payload length, u64 generation
 *   (version 2 adds a service's release id at the end of its row and drops
 *   the byte after checked_in, which no longer counts; version 3 adds after
 *   it u8 until_exit and u64 owner start; version 4 then i32 owner pidfd
 *   id; version 5 then u8 per_pid, and the environment after the clients;
 *   version 6 ends a job's row with u32 n, n listeners (name, u32 entry,
 *   u32 pos, i32 fd id); version 7 ends a service's row with u8 dynamic;
 *   version 8 then with u32 n, n channels (i32 fd id, i32 id, u8 retired,
 *   which only channels v1 set: 0 or 1);
 *   1 to 7 are still read)
 *   payload: i32 daemon pid, u64 nofile, i32 listen id,
 *            u32 n, n services, u32 n, n jobs, u32 n, n client ids,
 *            u32 n, n variables (key, value, publishing job's label or "")
 *   strings: u32 length, then the bytes (no NUL inside)
 *
 * Integers are in the host's order: the state never leaves the machine.
 */
#include "state-format.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"

static const char magic[8] = { 'B', 'S', 'D', 'S', 'T', 'A', 'T', 'E' };

struct wbuf {
	char *p;
	size_t len, cap;
	bool failed;
	uint32_t version;       /* the layout written */
};

static void put(struct wbuf *w, const void *v, size_t n)
{
	if (w->failed || n == 0)
		return;
	if (w->len + n > w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 4096;
		char *p;

		while (cap < w->len + n)
			cap *= 2;
		p = realloc(w->p, cap);
		if (!p) {
			w->failed = true;
			return;
		}
		w->p = p;
		w->cap = cap;
	}
	memcpy(w->p + w->len, v, n);
	w->len += n;
}

#define PUT(w, type, v) do { type v_ = (type)(v); put((w), &v_, sizeof(v_)); } while (0)

static void put_str(struct wbuf *w, const char *s)
{
	size_t n = s ? strnlen(s, STATE_STR_MAX) : 0;

	PUT(w, uint32_t, n);
	put(w, s ? s : "", n);
}

static uint32_t crc32(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
	}
	return ~c;
}

static void put_service(struct wbuf *w, const struct state_service *s)
{
	put_str(w, s->name);
	PUT(w, uint8_t, s->job != NULL);
	put_str(w, s->job);
	PUT(w, int32_t, s->recv_id);
	PUT(w, int32_t, s->send_id);
	PUT(w, uint8_t, s->checked_in);
	if (w->version == 1)
		PUT(w, uint8_t, s->checked_in); /* "checked in once", which no longer counts */
	PUT(w, int32_t, s->owner_pid);
	PUT(w, uint32_t, s->owner_uid);
	if (w->version >= 2)
		PUT(w, int32_t, s->release_id);
	if (w->version >= 3) {
		PUT(w, uint8_t, s->until_exit);
		PUT(w, uint64_t, s->owner_start);
	}
	if (w->version >= 4)
		PUT(w, int32_t, s->owner_pidfd_id);
	if (w->version >= 5)
		PUT(w, uint8_t, s->per_pid);
	if (w->version >= 7)
		PUT(w, uint8_t, s->dynamic);
	if (w->version < 8)
		return;
	PUT(w, uint32_t, s->n_channels);
	for (size_t i = 0; i < s->n_channels; i++) {
		PUT(w, int32_t, s->channels[i].fd_id);
		PUT(w, int32_t, s->channels[i].id);
		PUT(w, uint8_t, s->channels[i].retired);
	}
}

static void put_env(struct wbuf *w, const struct state *s)
{
	if (w->version < 5)
		return;
	PUT(w, uint32_t, s->n_env);
	for (size_t i = 0; i < s->n_env; i++) {
		put_str(w, s->env[i].key);
		put_str(w, s->env[i].value);
		put_str(w, s->env[i].job);      /* NULL: "" (a label is never empty) */
	}
}

static void put_job(struct wbuf *w, const struct state_job *j)
{
	put_str(w, j->label);
	put_str(w, j->failure);
	PUT(w, uint8_t, j->state);
	PUT(w, uint8_t, j->pending_reason);
	PUT(w, uint8_t, j->last_reason);
	PUT(w, uint8_t, j->has_exited);
	PUT(w, uint8_t, j->demanded);
	PUT(w, int32_t, j->pid);
	PUT(w, uint64_t, j->proc_start);
	PUT(w, int64_t, j->start_sec);
	PUT(w, int64_t, j->start_nsec);
	PUT(w, uint32_t, j->runs);
	PUT(w, uint32_t, j->early_failures);
	PUT(w, int32_t, j->last_status);
	PUT(w, int32_t, j->conn_id);
	if (w->version < 6)
		return;
	PUT(w, uint32_t, j->n_listeners);
	for (size_t i = 0; i < j->n_listeners; i++) {
		put_str(w, j->listeners[i].name);
		PUT(w, uint32_t, j->listeners[i].entry);
		PUT(w, uint32_t, j->listeners[i].pos);
		PUT(w, int32_t, j->listeners[i].id);
	}
}

int state_encode(const struct state *s, char **buf, size_t *len)
{
	return state_encode_as(s, STATE_VERSION, buf, len);
}

void state_seal(void *buf, size_t len)
{
	unsigned char *p = buf;
	uint64_t plen = len - STATE_HEADER_SIZE;
	uint32_t crc;

	memcpy(p + 16, &plen, sizeof(plen));
	crc = crc32(p + 16, len - 16);
	memcpy(p + 12, &crc, sizeof(crc));
}

int state_encode_as(const struct state *s, uint32_t version, char **buf, size_t *len)
{
	struct wbuf w = { .version = version };

	put(&w, magic, sizeof(magic));
	PUT(&w, uint32_t, version);
	put(&w, (char[20]){ 0 }, 20);   /* crc, length, generation: below */
	PUT(&w, int32_t, s->daemon_pid);
	PUT(&w, uint64_t, s->nofile_soft);
	PUT(&w, int32_t, s->listen_id);
	PUT(&w, uint32_t, s->n_services);
	for (size_t i = 0; i < s->n_services; i++)
		put_service(&w, &s->services[i]);
	PUT(&w, uint32_t, s->n_jobs);
	for (size_t i = 0; i < s->n_jobs; i++)
		put_job(&w, &s->jobs[i]);
	PUT(&w, uint32_t, s->n_clients);
	put(&w, s->clients, s->n_clients * sizeof(int32_t));
	put_env(&w, s);
	if (w.failed || w.len > STATE_MAX_BYTES) {
		free(w.p);
		return -ENOMEM;
	}
	memcpy(w.p + 24, &s->generation, 8);
	state_seal(w.p, w.len);
	*buf = w.p;
	*len = w.len;
	return 0;
}

/* Decoding: a cursor that fails, once and for good, on any overrun. */
struct rbuf {
	const unsigned char *p;
	size_t left;
	bool bad;
	const char *why;        /* what made it bad, if more is known than "malformed" */
	uint32_t version;       /* the layout read */
	uint64_t now_sec;       /* CLOCK_MONOTONIC when the read began: no start is later */
};

static void refuse(struct rbuf *r, const char *why)
{
	if (!r->bad)
		r->why = why;
	r->bad = true;
}

static void get(struct rbuf *r, void *v, size_t n)
{
	if (r->bad || n > r->left) {
		r->bad = true;
		memset(v, 0, n);
		return;
	}
	memcpy(v, r->p, n);
	r->p += n;
	r->left -= n;
}

#define GET(r, type, dst) do { type v_; get((r), &v_, sizeof(v_)); (dst) = v_; } while (0)

/* A string: bounded, no NUL inside.  NULL on error (r->bad set). */
static char *get_str(struct rbuf *r, size_t max)
{
	uint32_t n;
	char *s;

	GET(r, uint32_t, n);
	if (r->bad || n > max || n > r->left || memchr(r->p, '\0', n)) {
		r->bad = true;
		return NULL;
	}
	s = malloc(n + 1);
	if (!s) {
		r->bad = true;
		return NULL;
	}
	memcpy(s, r->p, n);
	s[n] = '\0';
	r->p += n;
	r->left -= n;
	return s;
}

static bool fd_id_ok(int32_t id, bool may_be_none)
{
	return (id == -1 && may_be_none) || (id >= STATE_FD_ID_MIN && id < STATE_FD_ID_MAX);
}

/*
 * An owner pidfd: only a registration whose name goes with its owner has
 * one (nothing else would watch it, and the restore adopts it as that).
 */
static void check_owner_pidfd(struct rbuf *r, const struct state_service *s)
{
	if (!fd_id_ok(s->owner_pidfd_id, true))
		refuse(r, "an owner pidfd id is out of range");
	else if (s->owner_pidfd_id >= 0 && (s->job || !s->until_exit))
		refuse(r, "an owner pidfd id for a name not bound to its owner's life");
}

/*
 * A per-PID name is a registration going with its process: no job declares
 * one, and it never outlives its owner (server.c binds it so).
 */
static void check_per_pid(struct rbuf *r, const struct state_service *s)
{
	if (s->per_pid && (s->job || !s->until_exit))
		refuse(r, "a per-PID name not bound to its owner's life");
}

/*
 * A dynamic name is a registration going with its process, watched through
 * that process's pidfd: no job declares one (server.c makes it for a name
 * no job declares).
 */
static void check_dynamic(struct rbuf *r, const struct state_service *s)
{
	if (s->dynamic && (s->job || !s->until_exit || s->owner_pidfd_id < 0))
		refuse(r, "a dynamic name not bound to its owner's life");
}

static size_t get_count(struct rbuf *r, size_t min);

/* A port's channels (version 8 on): a kept port's only, each an fd id and a nonzero number. */
static void get_channels(struct rbuf *r, struct state_service *s)
{
	s->n_channels = r->version >= 8 ? get_count(r, 9) : 0;
	if (s->n_channels > STATE_MAX_CHANNELS || (s->n_channels && s->recv_id < 0))
		refuse(r, "channels past the cap, or of a port not kept");
	/* None allocated (none, or refused): none counted either. */
	s->channels = r->bad || !s->n_channels ? NULL : calloc(s->n_channels, sizeof(*s->channels));
	if (!s->channels) {
		if (s->n_channels && !r->bad)
			r->bad = true;  /* no memory */
		s->n_channels = 0;
	}
	for (size_t i = 0; i < s->n_channels && !r->bad; i++) {
		struct state_channel *c = &s->channels[i];
		uint8_t ret;

		GET(r, int32_t, c->fd_id);
		GET(r, int32_t, c->id);
		GET(r, uint8_t, ret);
		c->retired = ret;
		if (!r->bad && (!fd_id_ok(c->fd_id, false) || c->id <= 0 || ret > 1))
			refuse(r, "a channel without an fd id or number");
	}
}

static void get_service(struct rbuf *r, struct state_service *s)
{
	uint8_t has_job, ci, eci = 0, ue = 0, pp = 0, dyn = 0;

	s->name = get_str(r, 127);      /* a name_t */
	GET(r, uint8_t, has_job);
	s->job = get_str(r, STATE_STR_MAX);
	GET(r, int32_t, s->recv_id);
	GET(r, int32_t, s->send_id);
	GET(r, uint8_t, ci);
	if (r->version == 1)
		GET(r, uint8_t, eci);   /* checked in once: read, no longer used */
	GET(r, int32_t, s->owner_pid);
	GET(r, uint32_t, s->owner_uid);
	s->release_id = -1;
	if (r->version >= 2)
		GET(r, int32_t, s->release_id);
	s->owner_start = 0;     /* before 3: a registration lived to its port's death */
	if (r->version >= 3) {
		GET(r, uint8_t, ue);
		GET(r, uint64_t, s->owner_start);
	}
	s->owner_pidfd_id = -1;
	if (r->version >= 4)
		GET(r, int32_t, s->owner_pidfd_id);
	if (r->version >= 5)
		GET(r, uint8_t, pp);
	if (r->version >= 7)
		GET(r, uint8_t, dyn);
	if (r->bad)
		return;
	s->checked_in = ci;
	s->until_exit = ue;
	s->per_pid = pp;
	s->dynamic = dyn;
	s->exit_rule_saved = r->version >= 3;
	if (!has_job) {
		free(s->job);
		s->job = NULL;
	}
	if (has_job > 1 || ci > 1 || eci > 1 || ue > 1 || pp > 1 || dyn > 1 || (ue && has_job) ||
	    !s->name[0] || (has_job && !s->job[0]) ||
	    !fd_id_ok(s->release_id, true) || (s->release_id >= 0 && !((has_job || dyn) && ci)) ||
	    !fd_id_ok(s->recv_id, true) || !fd_id_ok(s->send_id, has_job) ||
	    (has_job && (s->recv_id < 0) != (s->send_id < 0)) ||
	    (!has_job && ((s->recv_id >= 0 && !dyn) || s->owner_pid <= 0)))
		r->bad = true;
	check_owner_pidfd(r, s);
	check_per_pid(r, s);
	check_dynamic(r, s);
	if (!r->bad)
		get_channels(r, s);
}

/* A count of items, each at least @min bytes: never more than the input holds. */
static size_t get_count(struct rbuf *r, size_t min)
{
	uint32_t n;

	GET(r, uint32_t, n);
	if (!r->bad && n > r->left / min)
		refuse(r, "a count of more items than the bytes that follow");
	return r->bad ? 0 : n;
}

/* A job's listeners (version 6 on): each a named entry's, with an fd id. */
static void get_listeners(struct rbuf *r, struct state_job *j)
{
	j->n_listeners = r->version >= 6 ? get_count(r, 4 * sizeof(uint32_t)) : 0;
	j->listeners = calloc(j->n_listeners ? j->n_listeners : 1, sizeof(*j->listeners));
	if (!j->listeners)
		r->bad = true;
	for (size_t i = 0; i < j->n_listeners && !r->bad; i++) {
		struct state_listener *l = &j->listeners[i];

		l->name = get_str(r, STATE_STR_MAX);
		GET(r, uint32_t, l->entry);
		GET(r, uint32_t, l->pos);
		GET(r, int32_t, l->id);
		if (!r->bad && (!l->name[0] || !fd_id_ok(l->id, false)))
			refuse(r, "a listener without a name or fd id");
	}
}

static void get_job(struct rbuf *r, struct state_job *j)
{
	uint8_t ex, dem;

	j->label = get_str(r, STATE_STR_MAX);
	j->failure = get_str(r, 255);
	GET(r, uint8_t, j->state);
	GET(r, uint8_t, j->pending_reason);
	GET(r, uint8_t, j->last_reason);
	GET(r, uint8_t, ex);
	GET(r, uint8_t, dem);
	GET(r, int32_t, j->pid);
	GET(r, uint64_t, j->proc_start);
	GET(r, int64_t, j->start_sec);
	GET(r, int64_t, j->start_nsec);
	GET(r, uint32_t, j->runs);
	GET(r, uint32_t, j->early_failures);
	GET(r, int32_t, j->last_status);
	GET(r, int32_t, j->conn_id);
	if (r->bad)
		return;
	j->has_exited = ex;
	j->demanded = dem;
	if (ex > 1 || dem > 1 || !j->label[0] || j->state > 4 || j->pending_reason > 7 ||
	    j->last_reason > 7 || j->pid < 0 || j->start_sec < 0 || j->start_nsec < 0 ||
	    j->start_nsec >= 1000000000 || !fd_id_ok(j->conn_id, true) ||
	    (j->pid > 0) != (j->state == 2 || j->state == 3))
		r->bad = true;
	else if ((uint64_t)j->start_sec > r->now_sec)   /* this boot's clock */
		refuse(r, "a job started later than now");
	get_listeners(r, j);
}

static int check_header(const void *buf, size_t len, uint64_t *plen, uint32_t *version)
{
	uint32_t crc;

	if (len < STATE_HEADER_SIZE || memcmp(buf, magic, sizeof(magic)) != 0)
		return -EBADMSG;
	memcpy(version, (const char *)buf + 8, 4);
	if (*version < STATE_VERSION_OLDEST || *version > STATE_VERSION)
		return -EPROTO;
	memcpy(&crc, (const char *)buf + 12, 4);
	memcpy(plen, (const char *)buf + 16, 8);
	if (len > STATE_MAX_BYTES || *plen != len - STATE_HEADER_SIZE ||
	    crc32((const unsigned char *)buf + 16, len - 16) != crc)
		return -EBADMSG;
	return 0;
}

int state_peek_generation(const void *buf, size_t len, uint64_t *gen)
{
	uint64_t plen;
	uint32_t version;
	int err = check_header(buf, len, &plen, &version);

	if (err == 0)
		memcpy(gen, (const char *)buf + 24, 8);
	return err;
}

/*
 * The domain's environment (version 5 on): each key names a variable;
 * what else a variable must be is checked where it is set again
 * (domain_env_set()), which refuses it alone.
 */
static void get_env(struct rbuf *r, struct state *s)
{
	struct state_env *e;

	s->n_env = r->version >= 5 ? get_count(r, 3 * sizeof(uint32_t)) : 0;
	s->env = calloc(s->n_env ? s->n_env : 1, sizeof(*s->env));
	if (!s->env)
		r->bad = true;
	for (size_t i = 0; i < s->n_env && !r->bad; i++) {
		e = &s->env[i];
		e->key = get_str(r, STATE_STR_MAX);
		e->value = get_str(r, STATE_STR_MAX);
		e->job = get_str(r, STATE_STR_MAX);
		if (r->bad)
			return;
		if (!e->key[0] || strchr(e->key, '='))
			refuse(r, "a variable of the environment without a name");
		if (!e->job[0]) {
			free(e->job);
			e->job = NULL;
		}
	}
}

static void get_lists(struct rbuf *r, struct state *s)
{
	s->n_services = get_count(r, 28);
	s->services = calloc(s->n_services ? s->n_services : 1, sizeof(*s->services));
	if (!s->services)
		r->bad = true;
	for (size_t i = 0; i < s->n_services && !r->bad; i++)
		get_service(r, &s->services[i]);
	s->n_jobs = r->bad ? 0 : get_count(r, 57);
	s->jobs = calloc(s->n_jobs ? s->n_jobs : 1, sizeof(*s->jobs));
	if (!s->jobs)
		r->bad = true;
	for (size_t i = 0; i < s->n_jobs && !r->bad; i++)
		get_job(r, &s->jobs[i]);
	s->n_clients = r->bad ? 0 : get_count(r, sizeof(int32_t));
	s->clients = calloc(s->n_clients ? s->n_clients : 1, sizeof(int32_t));
	if (!s->clients)
		r->bad = true;
	for (size_t i = 0; i < s->n_clients && !r->bad; i++) {
		GET(r, int32_t, s->clients[i]);
		if (!fd_id_ok(s->clients[i], false))
			r->bad = true;
	}
	if (!r->bad)
		get_env(r, s);
}

int state_decode(const void *buf, size_t len, struct state *s)
{
	return state_decode_why(buf, len, s, NULL);
}

int state_decode_why(const void *buf, size_t len, struct state *s, const char **why)
{
	struct rbuf r;
	uint64_t plen;
	uint32_t version;
	int err;

	memset(s, 0, sizeof(*s));
	err = check_header(buf, len, &plen, &version);
	if (err == -EBADMSG && why)
		*why = "damaged (its header or checksum)";
	if (err < 0)
		return err;
	memcpy(&s->generation, (const char *)buf + 24, 8);
	r = (struct rbuf){ .p = (const unsigned char *)buf + STATE_HEADER_SIZE, .left = plen,
			   .version = version, .now_sec = clock_monotonic_ms() / 1000 };
	GET(&r, int32_t, s->daemon_pid);
	GET(&r, uint64_t, s->nofile_soft);
	GET(&r, int32_t, s->listen_id);
	if (!r.bad && !fd_id_ok(s->listen_id, true))
		r.bad = true;
	if (!r.bad)
		get_lists(&r, s);
	if (!r.bad && r.left != 0)
		refuse(&r, "bytes after the end");
	if (!r.bad && version >= 4) {
		err = state_check_pidfds(s, &r.why);
		if (err == -ENOMEM) {
			state_free(s);
			return err;
		}
		r.bad = err < 0;
	}
	if (r.bad) {
		state_free(s);
		if (why)
			*why = r.why ? r.why : "malformed";
		return -EBADMSG;
	}
	return 0;
}

void state_free(struct state *s)
{
	for (size_t i = 0; s->services && i < s->n_services; i++) {
		free(s->services[i].name);
		free(s->services[i].job);
		free(s->services[i].channels);
	}
	for (size_t i = 0; s->jobs && i < s->n_jobs; i++) {
		free(s->jobs[i].label);
		free(s->jobs[i].failure);
		for (size_t k = 0; s->jobs[i].listeners && k < s->jobs[i].n_listeners; k++)
			free(s->jobs[i].listeners[k].name);
		free(s->jobs[i].listeners);
	}
	for (size_t i = 0; s->env && i < s->n_env; i++) {
		free(s->env[i].key);
		free(s->env[i].value);
		free(s->env[i].job);
	}
	free(s->services);
	free(s->jobs);
	free(s->clients);
	free(s->env);
	memset(s, 0, sizeof(*s));
}
