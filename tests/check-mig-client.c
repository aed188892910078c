/* SPDX-License-Identifier: MIT */
/*
 * check-mig-client - the user stubs bsmig generates for mig/everything.defs
 * against a server thread that answers wrongly on purpose: another
 * routine's reply (MIG_REPLY_MISMATCH), no reply at all (MIG_SERVER_DIED),
 * wrong sizes, forms and counts (MIG_TYPE_ERROR, the reply destroyed), and
 * error replies (the server's code); mig/replies.defs for replies
 * everything.defs has no routine for.  A right in a counted array's slot
 * past its count is a malformed reply too: it would reach no caller.
 */
#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <mach/mach.h>

#include "everything.h"
#include "replies.h"

#include "helpers/runner.h"

enum answer {
	ANSWER_MISMATCH,        /* a reply with another id */
	ANSWER_NONE,            /* drop the reply right */
	ANSWER_ERROR,           /* mig_reply_error_t with KERN_NO_ACCESS */
	ANSWER_SHORT,           /* the expected reply, 4 bytes short */
	ANSWER_COMPLEX,         /* the expected simple reply, marked complex */
	ANSWER_SIMPLE_OK,       /* mig_reply_error_t with KERN_SUCCESS, for a complex reply */
	ANSWER_BIG_COUNT,       /* arrays: a count past its bound */
	ANSWER_NO_NUL,          /* strings: a fixed string without its NUL */
	ANSWER_SAMECOUNT,       /* samecount: a well-formed reply with samecount_n elements */
	ANSWER_INLINE_PORTS,    /* inline_ports: a well-formed reply with one right back */
	ANSWER_FULL_ARRAYS,     /* arrays: a well-formed reply with each array at its bound */
	ANSWER_OOL_WRAP,        /* ool: wback of 4 bytes with a count whose 4 * count wraps to 4 */
	ANSWER_BOUNDED_OOL,     /* bounded_out: bounded_bytes bytes, bounded_ports null rights */
	ANSWER_CIO,             /* cio: cio_vals ints, cio_right twice, 3 words out of line */
};

static mach_msg_type_number_t samecount_n;
static mach_msg_type_number_t bounded_bytes, bounded_ports;
static mach_msg_type_number_t cio_vals;
static mach_port_t cio_right;
static mach_port_t past_count;  /* a send right put in the slot past the count, if not null */

struct fake {
	mach_port_t port;
	enum answer answer;
	mach_msg_size_t size;   /* of the well-formed reply */
};

static union {
	mach_msg_header_t head;
	char bytes[8192];
} rq, rp;

/*
 * 4 null port descriptors (over what build() put as an error reply's
 * NDR), NDR, the one count; the masks and flavors are zeros.
 */
static void samecount_reply(void)
{
	__Reply__samecount_t *r = (__Reply__samecount_t *)&rp;

	r->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	r->Head.msgh_size = sizeof(*r) - 44 + 4 * samecount_n + ((2 * samecount_n + 3) & ~3u);
	r->msgh_body.msgh_descriptor_count = 4;
	for (int i = 0; i < 4; i++) {
		r->handlers[i].name = MACH_PORT_NULL;
		r->handlers[i].disposition = MACH_MSG_TYPE_COPY_SEND;
		r->handlers[i].type = MACH_MSG_PORT_DESCRIPTOR;
	}
	r->NDR = NDR_record;
	r->masksCnt = samecount_n;
	if (past_count != MACH_PORT_NULL)       /* samecount_n < 4 then */
		r->handlers[samecount_n].name = past_count;
}

/*
 * back: one null right counted, then past_count in slot 2; made: two
 * null rights (over what build() put as an error reply's NDR).
 */
static void inline_ports_reply(void)
{
	__Reply__inline_ports_t *r = (__Reply__inline_ports_t *)&rp;

	r->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	r->msgh_body.msgh_descriptor_count = 6;
	for (int i = 0; i < 4; i++) {
		r->back[i].name = MACH_PORT_NULL;
		r->back[i].disposition = MACH_MSG_TYPE_COPY_SEND;
		r->back[i].type = MACH_MSG_PORT_DESCRIPTOR;
	}
	r->back[2].name = past_count;
	for (int i = 0; i < 2; i++) {
		r->made[i].disposition = MACH_MSG_TYPE_MAKE_SEND;
		r->made[i].type = MACH_MSG_PORT_DESCRIPTOR;
	}
	r->NDR = NDR_record;
	r->backCnt = 1;
}

/* rev: 0..31, rchars: "abcdefghij", the other results zeros. */
static void full_arrays_reply(void)
{
	__Reply__arrays_t *r = (__Reply__arrays_t *)&rp;

	r->revCnt = 32;
	for (int i = 0; i < 32; i++)
		r->rev[i] = i;
	r->rcharsCnt = 10;
	memcpy(r->rchars, "abcdefghij", 10);
}

static void ool_desc(mach_msg_ool_descriptor_t *d, void *address, mach_msg_size_t size)
{
	d->address = address;
	d->size = size;
	d->deallocate = FALSE;
	d->copy = MACH_MSG_VIRTUAL_COPY;
	d->type = MACH_MSG_OOL_DESCRIPTOR;
}

/* back: empty; wback: 4 bytes, said to be 0x40000001 ints (4 * that is 4 in 32 bits). */
static void ool_wrap_reply(void)
{
	static int word = 7;
	__Reply__ool_t *r = (__Reply__ool_t *)&rp;

	r->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	r->msgh_body.msgh_descriptor_count = 2;
	ool_desc(&r->back, NULL, 0);
	ool_desc(&r->wback, &word, sizeof(word));
	r->NDR = NDR_record;
	r->backCnt = 0;
	r->wbackCnt = 0x40000001u;
}

/* Sizes agreeing with the counts, which may pass the bounds (16 bytes, 2 rights). */
static void bounded_ool_reply(void)
{
	static char bytes[32];
	static mach_port_t names[4];
	__Reply__bounded_out_t *r = (__Reply__bounded_out_t *)&rp;

	r->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	r->msgh_body.msgh_descriptor_count = 2;
	ool_desc(&r->bytes, bytes, bounded_bytes);
	r->ports.address = names;
	r->ports.count = bounded_ports;
	r->ports.deallocate = FALSE;
	r->ports.copy = MACH_MSG_VIRTUAL_COPY;
	r->ports.disposition = MACH_MSG_TYPE_COPY_SEND;
	r->ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	r->NDR = NDR_record;
	r->bytesCnt = bounded_bytes;
	r->portsCnt = bounded_ports;
}

/* vals: 10, 11, ...; then sCnt and wCnt packed after the cio_vals ints. */
static void cio_reply(void)
{
	static int words[3] = { 7, 8, 9 };
	__Reply__cio_t *r = (__Reply__cio_t *)&rp;
	mach_msg_type_number_t *after = (mach_msg_type_number_t *)&r->vals[cio_vals];

	r->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	r->Head.msgh_size = sizeof(*r) - 4 * (8 - cio_vals);
	r->msgh_body.msgh_descriptor_count = 5;
	for (int i = 0; i < 4; i++) {
		r->s[i].name = i < 2 ? cio_right : MACH_PORT_NULL;
		r->s[i].disposition = MACH_MSG_TYPE_COPY_SEND;
		r->s[i].type = MACH_MSG_PORT_DESCRIPTOR;
	}
	ool_desc(&r->w, words, sizeof(words));
	r->NDR = NDR_record;
	r->valsCnt = cio_vals;
	for (mach_msg_type_number_t i = 0; i < cio_vals; i++)
		r->vals[i] = 10 + (int)i;
	after[0] = 2;
	after[1] = 3;
}

/* The answers that are a routine's well-formed reply (or one flaw in it), by routine. */
static void (*const routine_reply[])(void) = {
	[ANSWER_SAMECOUNT] = samecount_reply,
	[ANSWER_INLINE_PORTS] = inline_ports_reply,
	[ANSWER_FULL_ARRAYS] = full_arrays_reply,
	[ANSWER_OOL_WRAP] = ool_wrap_reply,
	[ANSWER_BOUNDED_OOL] = bounded_ool_reply,
	[ANSWER_CIO] = cio_reply,
};

static void build(const struct fake *fk)
{
	mig_reply_error_t *e = (mig_reply_error_t *)&rp;

	memset(&rp, 0, sizeof(rp));
	rp.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	rp.head.msgh_remote_port = rq.head.msgh_remote_port;
	rp.head.msgh_id = rq.head.msgh_id + 100;
	rp.head.msgh_size = fk->size;
	e->NDR = NDR_record;
	switch (fk->answer) {
	case ANSWER_MISMATCH:
		rp.head.msgh_id += 1;
		break;
	case ANSWER_ERROR:
		rp.head.msgh_size = sizeof(*e);
		e->RetCode = KERN_NO_ACCESS;
		break;
	case ANSWER_SHORT:
		rp.head.msgh_size -= 4;
		break;
	case ANSWER_COMPLEX:
		rp.head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
		break;
	case ANSWER_SIMPLE_OK:
		rp.head.msgh_size = sizeof(*e);
		break;
	case ANSWER_BIG_COUNT:
		((__Reply__arrays_t *)&rp)->revCnt = 33;
		break;
	case ANSWER_NO_NUL:
		memset(((__Reply__strings_t *)&rp)->upper, 'x', sizeof(name_t));
		((__Reply__strings_t *)&rp)->vupperCnt = 1;
		break;
	default:
		if (fk->answer < sizeof(routine_reply) / sizeof(routine_reply[0]) &&
		    routine_reply[fk->answer])
			routine_reply[fk->answer]();
		break;
	}
}

static void *serve(void *arg)
{
	const struct fake *fk = arg;

	if (mach_msg(&rq.head, MACH_RCV_MSG, 0, sizeof(rq), fk->port, MACH_MSG_TIMEOUT_NONE,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return NULL;
	if (fk->answer == ANSWER_NONE) {
		mach_port_deallocate(mach_task_self(), rq.head.msgh_remote_port);
		return NULL;
	}
	build(fk);
	mach_msg(&rp.head, MACH_SEND_MSG, rp.head.msgh_size, 0, MACH_PORT_NULL,
		 MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	return NULL;
}

static struct fake fk;
static pthread_t thread;

static mach_port_t answer_with(enum answer a, mach_msg_size_t size)
{
	mach_port_t send;

	fk.answer = a;
	fk.size = size;
	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &fk.port),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), fk.port, fk.port,
						MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	send = fk.port;
	ck_assert_int_eq(pthread_create(&thread, NULL, serve, &fk), 0);
	return send;
}

static void done(void)
{
	ck_assert_int_eq(pthread_join(thread, NULL), 0);
	mach_port_destroy(mach_task_self(), fk.port);
}

START_TEST(test_mismatch)
{
	int version = 0;

	ck_assert_int_eq(u_ping(answer_with(ANSWER_MISMATCH, sizeof(__Reply__ping_t)), &version),
			 MIG_REPLY_MISMATCH);
	done();
}
END_TEST

START_TEST(test_server_died)
{
	int version = 0;

	ck_assert_int_eq(u_ping(answer_with(ANSWER_NONE, 0), &version), MIG_SERVER_DIED);
	done();
}
END_TEST

START_TEST(test_error_reply)
{
	int version = 0, seen = 0;
	mach_port_t q = MACH_PORT_NULL;
	mach_msg_type_name_t qPoly = 0;

	ck_assert_int_eq(u_ping(answer_with(ANSWER_ERROR, 0), &version), KERN_NO_ACCESS);
	done();
	/* A routine whose reply is complex takes the error form as well. */
	ck_assert_int_eq(u_poly(answer_with(ANSWER_ERROR, 0), MACH_PORT_NULL, MACH_MSG_TYPE_COPY_SEND,
				&seen, &q, &qPoly), KERN_NO_ACCESS);
	done();
}
END_TEST

START_TEST(test_malformed_replies)
{
	int version = 0, seen = 0, rev[32];
	mach_port_t q = MACH_PORT_NULL;
	mach_msg_type_name_t qPoly = 0;
	mach_msg_type_number_t revCnt = 32, rcharsCnt = 10;
	fixed4_t fixed = { 0 }, sum4;
	pair_t pair = { 0, 0 }, ipair = { 0, 0 };
	name_t name = "a", upper;
	char vupper[64], rchars[10];

	ck_assert_int_eq(u_ping(answer_with(ANSWER_SHORT, sizeof(__Reply__ping_t)), &version),
			 MIG_TYPE_ERROR);
	done();
	ck_assert_int_eq(u_ping(answer_with(ANSWER_COMPLEX, sizeof(__Reply__ping_t)), &version),
			 MIG_TYPE_ERROR);
	done();
	ck_assert_int_eq(u_poly(answer_with(ANSWER_SIMPLE_OK, 0), MACH_PORT_NULL,
				MACH_MSG_TYPE_COPY_SEND, &seen, &q, &qPoly), MIG_TYPE_ERROR);
	done();
	ck_assert_int_eq(u_arrays(answer_with(ANSWER_BIG_COUNT, sizeof(__Reply__arrays_t)), fixed,
				  rev, 0, "", 0, pair, rev, &revCnt, sum4, rchars, &rcharsCnt, &ipair),
			 MIG_TYPE_ERROR);
	done();
	ck_assert_int_eq(u_strings(answer_with(ANSWER_NO_NUL, sizeof(__Reply__strings_t) - 60),
				   name, "b", upper, vupper), MIG_TYPE_ERROR);
	done();
}
END_TEST

/* One count for three out arrays: each array's own bound holds it. */
START_TEST(test_samecount_reply)
{
	int ins[8] = { 0 }, masks[8];
	mach_port_t inports[8] = { 0 }, handlers[4];
	s16_t inflav[6] = { 0 }, flavors[6];
	mach_msg_type_number_t masksCnt = 8;

	samecount_n = 3;
	ck_assert_int_eq(u_samecount(answer_with(ANSWER_SAMECOUNT, 0), ins, 0, inflav, inports, masks,
				     &masksCnt, handlers, flavors), KERN_SUCCESS);
	done();
	ck_assert_uint_eq(masksCnt, 3);
	samecount_n = 5;        /* within the masks' 8 and the flavors' 6, past the handlers' 4 */
	masksCnt = 8;
	ck_assert_int_eq(u_samecount(answer_with(ANSWER_SAMECOUNT, 0), ins, 0, inflav, inports, masks,
				     &masksCnt, handlers, flavors), MIG_TYPE_ERROR);
	done();
	samecount_n = 7;        /* past the flavors' 6 as well */
	ck_assert_int_eq(u_samecount(answer_with(ANSWER_SAMECOUNT, 0), ins, 0, inflav, inports, masks,
				     &masksCnt, handlers, flavors), MIG_TYPE_ERROR);
	done();
}
END_TEST

static mach_port_urefs_t send_refs(mach_port_t name)
{
	mach_port_urefs_t refs = 0;

	ck_assert_int_eq(mach_port_get_refs(mach_task_self(), name, MACH_PORT_RIGHT_SEND, &refs),
			 KERN_SUCCESS);
	return refs;
}

/*
 * A right in a counted in-line port array past its count would never
 * reach the caller, nor be released: the reply is refused and destroyed,
 * with the count its own (inline_ports) or shared (samecount).
 */
START_TEST(test_rights_past_count)
{
	mach_port_t sends[4] = { 0 }, recvs[2] = { 0 }, back[4], made[2], handlers[4];
	mach_port_t ins_ports[8] = { 0 };
	int types[4], ins[8] = { 0 }, masks[8];
	s16_t inflav[6] = { 0 }, flavors[6];
	mach_msg_type_number_t backCnt = 4, masksCnt = 8;

	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &past_count),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), past_count, past_count,
						MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	ck_assert_int_eq(u_inline_ports(answer_with(ANSWER_INLINE_PORTS, sizeof(__Reply__inline_ports_t)),
				       sends, 0, recvs, types, back, &backCnt, made), MIG_TYPE_ERROR);
	done();
	ck_assert_uint_eq(send_refs(past_count), 1);
	samecount_n = 3;
	ck_assert_int_eq(u_samecount(answer_with(ANSWER_SAMECOUNT, 0), ins, 0, inflav, ins_ports, masks,
				     &masksCnt, handlers, flavors), MIG_TYPE_ERROR);
	done();
	ck_assert_uint_eq(send_refs(past_count), 1);
	mach_port_destroy(mach_task_self(), past_count);
	past_count = MACH_PORT_NULL;    /* the same replies are taken without it */
	ck_assert_int_eq(u_inline_ports(answer_with(ANSWER_INLINE_PORTS, sizeof(__Reply__inline_ports_t)),
				       sends, 0, recvs, types, back, &backCnt, made), KERN_SUCCESS);
	done();
	ck_assert_uint_eq(backCnt, 1);
}
END_TEST

/*
 * An out counted array without CountInOut has room for its bound, as in
 * Apple's MIG: its count is a result only, which callers may leave unset
 * (XNU's callers of host_get_exception_ports pass 0), and a reply within
 * the bound is taken whole, data or ports, its own count or shared.
 */
START_TEST(test_out_count_is_result_only)
{
	int rev[32], types[4], ins[8] = { 0 }, masks[8];
	char rchars[10];
	fixed4_t fixed = { 0 }, sum4;
	pair_t pair = { 0, 0 }, ipair = { 0, 0 };
	mach_port_t sends[4] = { 0 }, recvs[2] = { 0 }, back[4], made[2], handlers[4];
	mach_port_t ins_ports[8] = { 0 };
	s16_t inflav[6] = { 0 }, flavors[6];
	mach_msg_type_number_t revCnt = 0, rcharsCnt = 0, backCnt = 0, masksCnt = 0;

	ck_assert_int_eq(u_arrays(answer_with(ANSWER_FULL_ARRAYS, sizeof(__Reply__arrays_t)), fixed,
				  rev, 0, "", 0, pair, rev, &revCnt, sum4, rchars, &rcharsCnt, &ipair),
			 KERN_SUCCESS);
	done();
	ck_assert_uint_eq(revCnt, 32);
	for (int i = 0; i < 32; i++)
		ck_assert_int_eq(rev[i], i);
	ck_assert_uint_eq(rcharsCnt, 10);
	ck_assert_int_eq(memcmp(rchars, "abcdefghij", 10), 0);
	ck_assert_int_eq(u_inline_ports(answer_with(ANSWER_INLINE_PORTS, sizeof(__Reply__inline_ports_t)),
				       sends, 0, recvs, types, back, &backCnt, made), KERN_SUCCESS);
	done();
	ck_assert_uint_eq(backCnt, 1);
	samecount_n = 3;
	ck_assert_int_eq(u_samecount(answer_with(ANSWER_SAMECOUNT, 0), ins, 0, inflav, ins_ports, masks,
				     &masksCnt, handlers, flavors), KERN_SUCCESS);
	done();
	ck_assert_uint_eq(masksCnt, 3);
}
END_TEST

/*
 * An out-of-line array's size is its count times the element's size, in
 * a product that does not wrap: a count of a billion ints for 4 bytes
 * would have the caller read far past the region.
 */
START_TEST(test_ool_count_wraps)
{
	int words[1] = { 0 };
	vm_offset_t back = 0;
	words_ptr_t wback = NULL;
	mach_msg_type_number_t backCnt = 0, wbackCnt = 0;
	boolean_t copied = FALSE;

	ck_assert_int_eq(u_ool(answer_with(ANSWER_OOL_WRAP, sizeof(__Reply__ool_t)), 0, 0, words, 0,
			       NULL, 0, &back, &backCnt, &wback, &wbackCnt, &copied), MIG_TYPE_ERROR);
	done();
	ck_assert_uint_eq(wbackCnt, 0);
}
END_TEST

static kern_return_t bounded_out(mach_msg_type_number_t nbytes, mach_msg_type_number_t nports,
				 mach_msg_type_number_t *bytesCnt, mach_msg_type_number_t *portsCnt)
{
	bytes_ptr_t bytes = NULL;
	send_ool_t ports = NULL;
	kern_return_t kr;

	bounded_bytes = nbytes;
	bounded_ports = nports;
	kr = r_bounded_out(answer_with(ANSWER_BOUNDED_OOL, sizeof(__Reply__bounded_out_t)), &bytes,
			   bytesCnt, &ports, portsCnt);
	done();
	if (kr == KERN_SUCCESS) {
		vm_deallocate(mach_task_self(), (vm_address_t)bytes, *bytesCnt);
		vm_deallocate(mach_task_self(), (vm_address_t)ports, *portsCnt * sizeof(*ports));
	}
	return kr;
}

/*
 * A bounded out-of-line array holds at most its bound, as Apple's MIG
 * checks in the user stub: callers size what they do with it by the
 * bound.  The descriptor agreeing with the count does not make it fit.
 */
START_TEST(test_ool_count_past_bound)
{
	mach_msg_type_number_t bytesCnt = 0, portsCnt = 0;

	ck_assert_int_eq(bounded_out(16, 2, &bytesCnt, &portsCnt), KERN_SUCCESS);
	ck_assert_uint_eq(bytesCnt, 16);
	ck_assert_uint_eq(portsCnt, 2);
	bytesCnt = portsCnt = 0;
	ck_assert_int_eq(bounded_out(17, 2, &bytesCnt, &portsCnt), MIG_TYPE_ERROR);
	ck_assert_int_eq(bounded_out(16, 3, &bytesCnt, &portsCnt), MIG_TYPE_ERROR);
	ck_assert_uint_eq(bytesCnt, 0);
	ck_assert_uint_eq(portsCnt, 0);
}
END_TEST

/*
 * r_cio with room for @room ints against a reply of 5: vals holds what
 * fits, valsCnt the reply's count, and the caller owns what follows
 * (both rights in s, the words in w) whatever the result, which it
 * returns after giving them back.
 */
static kern_return_t cio_call(mach_msg_type_number_t room, int vals[8])
{
	mach_port_t s[4] = { 0 };
	words_ptr_t w = NULL;
	mach_msg_type_number_t valsCnt = room, sCnt = 0, wCnt = 0;
	kern_return_t kr;

	cio_vals = 5;
	kr = r_cio(answer_with(ANSWER_CIO, 0), vals, &valsCnt, s, &sCnt, &w, &wCnt);
	done();
	ck_assert_uint_eq(valsCnt, 5);
	ck_assert_uint_eq(sCnt, 2);
	ck_assert_uint_eq(s[0], cio_right);
	ck_assert_uint_eq(s[1], cio_right);
	ck_assert_uint_eq(send_refs(cio_right), 3);
	ck_assert_uint_eq(wCnt, 3);
	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(w[0] + w[1] + w[2], 7 + 8 + 9);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), (vm_address_t)w, wCnt * sizeof(*w)),
			 KERN_SUCCESS);
	for (mach_msg_type_number_t i = 0; i < sCnt; i++)
		ck_assert_int_eq(mach_port_deallocate(mach_task_self(), s[i]), KERN_SUCCESS);
	ck_assert_uint_eq(send_refs(cio_right), 1);
	return kr;
}

/*
 * A CountInOut array holding more than the caller's room: the room
 * filled, MIG_ARRAY_TOO_LARGE with the reply's count, as in Apple's MIG,
 * and the results after it still copied out.  Returned before them, the
 * rights would be the caller's with no name it knows, and the memory
 * without a size to vm_deallocate.
 */
START_TEST(test_countinout_too_large_hands_over_the_rest)
{
	int vals[8];

	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &cio_right),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), cio_right, cio_right,
						MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	memset(vals, 0xff, sizeof(vals));
	ck_assert_int_eq(cio_call(2, vals), MIG_ARRAY_TOO_LARGE);
	ck_assert_int_eq(vals[0], 10);
	ck_assert_int_eq(vals[1], 11);
	ck_assert_int_eq(vals[2], -1);          /* past the room: untouched */
	ck_assert_int_eq(cio_call(8, vals), KERN_SUCCESS);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(vals[i], 10 + i);
	mach_port_destroy(mach_task_self(), cio_right);
}
END_TEST

static Suite *mig_client_suite(void)
{
	Suite *s = suite_create("mig-client");
	TCase *tc = tcase_create("replies");

	tcase_add_test(tc, test_mismatch);
	tcase_add_test(tc, test_server_died);
	tcase_add_test(tc, test_error_reply);
	tcase_add_test(tc, test_malformed_replies);
	tcase_add_test(tc, test_samecount_reply);
	tcase_add_test(tc, test_rights_past_count);
	tcase_add_test(tc, test_out_count_is_result_only);
	tcase_add_test(tc, test_ool_count_wraps);
	tcase_add_test(tc, test_ool_count_past_bound);
	tcase_add_test(tc, test_countinout_too_large_hands_over_the_rest);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(mig_client_suite(), NULL, 0, argc, argv);
}
