/* SPDX-License-Identifier: MIT */
/*
 * check-mig-server - the demux bsmig generates for mig/everything.defs,
 * fed malformed requests in-process: unknown ids, truncated and oversized
 * messages, wrong descriptor counts, types and dispositions, counts past
 * their bounds or past the message, strings without a NUL, a missing
 * audit trailer.  Each gets the MIG error Apple's generated servers give,
 * never a crash; and a well-formed request gets the exact reply layout.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <mach/mach.h>

#include "everythingServer.h"

#include "helpers/mig-demux.h"
#include "helpers/runner.h"

START_TEST(test_unknown_ids)
{
	static const mach_msg_id_t ids[] = { 0, 4999, 5008, 5031, 5100, -1, 0x7fffffff };

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		request(ids[i], sizeof(mach_msg_header_t), 0);
		ck_assert_int_eq(everything_demux(&in.head, &out.head), FALSE);
		ck_assert_int_eq(((mig_reply_error_t *)&out)->RetCode, MIG_BAD_ID);
		ck_assert(everything_demux_routine(&in.head) == NULL);
	}
}
END_TEST

static __Request__scalars_t *scalars(size_t size, mach_msg_bits_t bits)
{
	__Request__scalars_t *r = request(5001, size, bits);

	r->NDR = NDR_record;
	r->a = 5;
	r->b = 6;
	r->c = TRUE;
	r->d = 7;
	r->acc = 100;
	return r;
}

START_TEST(test_scalars_layout)
{
	__Reply__scalars_t *rep = (__Reply__scalars_t *)&out;

	scalars(sizeof(__Request__scalars_t), 0);
	expect(KERN_SUCCESS);
	ck_assert_uint_eq(out.head.msgh_size, sizeof(__Reply__scalars_t));
	ck_assert_uint_eq(sizeof(__Request__scalars_t), 24 + 8 + 4 + 8 + 4 + 4 + 4);
	ck_assert(rep->sum == 18);
	ck_assert_int_eq(rep->neg, FALSE);
	ck_assert_int_eq(rep->acc, 105);
	ck_assert_int_eq(rep->RetCode, KERN_SUCCESS);
}
END_TEST

START_TEST(test_sizes)
{
	scalars(sizeof(__Request__scalars_t) - 4, 0);
	expect(MIG_BAD_ARGUMENTS);
	scalars(sizeof(__Request__scalars_t) + 4, 0);
	expect(MIG_BAD_ARGUMENTS);
	scalars(sizeof(mach_msg_header_t), 0);
	expect(MIG_BAD_ARGUMENTS);
	scalars(0, 0);
	expect(MIG_BAD_ARGUMENTS);
	scalars(sizeof(__Request__scalars_t), MACH_MSGH_BITS_COMPLEX);
	expect(MIG_BAD_ARGUMENTS);
}
END_TEST

static void port_desc(mach_msg_port_descriptor_t *d, mach_port_t name, mach_msg_type_name_t disp)
{
	d->name = name;
	d->disposition = disp;
	d->type = MACH_MSG_PORT_DESCRIPTOR;
}

/* A poly request (one port descriptor, no in-line data). */
static __Request__poly_t *poly(mach_msg_size_t count)
{
	__Request__poly_t *r = request(5006, sizeof(*r), MACH_MSGH_BITS_COMPLEX);

	r->msgh_body.msgh_descriptor_count = count;
	port_desc(&r->p, 0x77, MACH_MSG_TYPE_PORT_SEND);
	return r;
}

START_TEST(test_descriptors)
{
	__Request__poly_t *r;
	__Reply__poly_t *rep = (__Reply__poly_t *)&out;

	poly(1);
	expect(KERN_SUCCESS);
	ck_assert_uint_eq(out.head.msgh_size, sizeof(__Reply__poly_t));
	ck_assert_uint_eq(rep->msgh_body.msgh_descriptor_count, 1);
	ck_assert_uint_eq(rep->q.name, 0x77);
	ck_assert_uint_eq(rep->q.disposition, MACH_MSG_TYPE_MOVE_SEND);
	ck_assert_int_eq(rep->seen, MACH_MSG_TYPE_PORT_SEND);
	poly(0);
	expect(MIG_BAD_ARGUMENTS);
	poly(2);
	expect(MIG_BAD_ARGUMENTS);
	r = poly(1);
	r->Head.msgh_bits &= ~MACH_MSGH_BITS_COMPLEX;
	expect(MIG_BAD_ARGUMENTS);
	r = poly(1);
	r->p.type = MACH_MSG_OOL_DESCRIPTOR;
	expect(MIG_TYPE_ERROR);
}
END_TEST

/* An in|out pair is checked against its receiving half: a send-once right only. */
START_TEST(test_pair_disposition)
{
	__Request__once_pair_t *r;

	r = request(5021, sizeof(*r), MACH_MSGH_BITS_COMPLEX);
	r->msgh_body.msgh_descriptor_count = 1;
	port_desc(&r->r, MACH_PORT_NULL, MACH_MSG_TYPE_PORT_SEND);
	expect(MIG_TYPE_ERROR);
	r = request(5021, sizeof(*r), MACH_MSGH_BITS_COMPLEX);
	r->msgh_body.msgh_descriptor_count = 1;
	port_desc(&r->r, MACH_PORT_NULL, MACH_MSG_TYPE_PORT_SEND_ONCE);
	expect(KERN_INVALID_RIGHT);
}
END_TEST

static __Request__ports_t *ports(void)
{
	__Request__ports_t *r = request(5005, sizeof(*r), MACH_MSGH_BITS_COMPLEX);

	r->msgh_body.msgh_descriptor_count = 7;
	port_desc(&r->make, 0, MACH_MSG_TYPE_PORT_SEND);
	port_desc(&r->copy, 0, MACH_MSG_TYPE_PORT_SEND);
	port_desc(&r->move, 0, MACH_MSG_TYPE_PORT_SEND);
	port_desc(&r->once, 0, MACH_MSG_TYPE_PORT_SEND_ONCE);
	port_desc(&r->moveonce, 0, MACH_MSG_TYPE_PORT_SEND_ONCE);
	port_desc(&r->recv, 0, MACH_MSG_TYPE_PORT_RECEIVE);
	port_desc(&r->sendr, 0, MACH_MSG_TYPE_PORT_SEND);
	return r;
}

START_TEST(test_dispositions)
{
	/* What each descriptor must carry, as a receiver sees it. */
	ck_assert_uint_eq(sizeof(__Request__ports_t), 24 + 4 + 7 * 12);
	ports()->make.disposition = MACH_MSG_TYPE_PORT_SEND_ONCE;
	expect(MIG_TYPE_ERROR);
	ports()->once.disposition = MACH_MSG_TYPE_PORT_SEND;
	expect(MIG_TYPE_ERROR);
	ports()->recv.disposition = MACH_MSG_TYPE_PORT_SEND;
	expect(MIG_TYPE_ERROR);
	ports()->sendr.disposition = MACH_MSG_TYPE_COPY_SEND;
	expect(MIG_TYPE_ERROR);
	ports()->msgh_body.msgh_descriptor_count = 6;
	expect(MIG_BAD_ARGUMENTS);
	/* An out mach_port_send_once_t goes with the disposition the work routine named. */
	ports();
	expect(KERN_SUCCESS);
	ck_assert_uint_eq(((__Reply__ports_t *)&out)->sonce.disposition, MACH_MSG_TYPE_MAKE_SEND_ONCE);
}
END_TEST

/* arrays: ints (array[*:32] of int) then chars (array[*:10] of char), packed. */
static void arrays(mach_msg_type_number_t nints, mach_msg_type_number_t nchars, long size_adjust)
{
	char buf[sizeof(__Request__arrays_t)];
	__Request__arrays_t *r = (__Request__arrays_t *)buf;
	char *p;
	size_t size;

	memset(buf, 0, sizeof(buf));
	p = (char *)&r->intsCnt;
	memcpy(p, &nints, 4);
	p += 4 + 4 * (nints > 32 ? 0 : nints);
	memcpy(p, &nchars, 4);
	p += 4 + ((nchars > 10 ? 0 : nchars) + 3) / 4 * 4;
	p += sizeof(pair_t) + sizeof(pair_t);
	size = (size_t)(p - buf) + (size_t)size_adjust;
	request(5003, size, 0);
	memcpy(in.bytes + sizeof(mach_msg_header_t), buf + sizeof(mach_msg_header_t),
	       (size_t)(p - buf) - sizeof(mach_msg_header_t));
	((__Request__arrays_t *)&in)->NDR = NDR_record;
}

START_TEST(test_counts)
{
	__Reply__arrays_t *rep = (__Reply__arrays_t *)&out;

	arrays(3, 5, 0);
	expect(KERN_SUCCESS);
	/* Reply: NDR, RetCode, revCnt + 3 ints, sum4, rcharsCnt + 5 chars padded to 8, ipair. */
	ck_assert_uint_eq(out.head.msgh_size, 24 + 8 + 4 + 4 + 12 + 16 + 4 + 8 + 8);
	ck_assert_uint_eq(rep->revCnt, 3);
	arrays(33, 0, 0);
	expect(MIG_BAD_ARGUMENTS);
	arrays(0xffffffffu, 0, 0);
	expect(MIG_BAD_ARGUMENTS);
	arrays(3, 11, 0);
	expect(MIG_BAD_ARGUMENTS);
	arrays(3, 5, -4);
	expect(MIG_BAD_ARGUMENTS);
	arrays(3, 5, 4);
	expect(MIG_BAD_ARGUMENTS);
	arrays(32, 10, 0);
	expect(KERN_SUCCESS);
}
END_TEST

static __Request__strings_t *strings(const char *name, const char *vname, mach_msg_type_number_t cnt)
{
	__Request__strings_t *r = request(5002, sizeof(*r) - 64 + ((cnt + 3) & ~3u), 0);

	r->NDR = NDR_record;
	memcpy(r->name, name, strnlen(name, 64) < 64 ? strlen(name) + 1 : 64);
	r->vnameCnt = cnt;
	memcpy(r->vname, vname, strnlen(vname, 63) + 1 < cnt ? strnlen(vname, 63) + 1 : (cnt > 64 ? 64 : cnt));
	return r;
}

START_TEST(test_strings)
{
	char sixty_four[65];
	__Reply__strings_t *rep = (__Reply__strings_t *)&out;

	memset(sixty_four, 'a', 64);
	sixty_four[64] = '\0';
	strings("ab", "cd", 3);
	expect(KERN_SUCCESS);
	ck_assert_str_eq(rep->upper, "AB");
	ck_assert_uint_eq(rep->vupperCnt, 3);
	ck_assert_uint_eq(rep->vupperOffset, 0);
	strings(sixty_four, "cd", 3);
	expect(MIG_BAD_ARGUMENTS);      /* the fixed string has no NUL */
	strings("ab", "cde", 3);
	expect(MIG_BAD_ARGUMENTS);      /* nor does the counted one */
	strings("ab", "", 0);
	expect(MIG_BAD_ARGUMENTS);      /* a counted string holds at least its NUL */
	strings("ab", "cd", 65);
	expect(MIG_BAD_ARGUMENTS);
}
END_TEST

static __Request__ool_t *ool(vm_address_t data, mach_msg_size_t size, mach_msg_type_number_t cnt)
{
	__Request__ool_t *r = request(5004, sizeof(*r), MACH_MSGH_BITS_COMPLEX);

	r->msgh_body.msgh_descriptor_count = 3;
	r->data.address = (void *)data;
	r->data.size = size;
	r->data.type = MACH_MSG_OOL_DESCRIPTOR;
	r->words.type = MACH_MSG_OOL_DESCRIPTOR;
	r->bounded.type = MACH_MSG_OOL_DESCRIPTOR;
	r->NDR = NDR_record;
	r->dataCnt = cnt;
	return r;
}

START_TEST(test_out_of_line)
{
	__Reply__ool_t *rep = (__Reply__ool_t *)&out;
	vm_address_t data = 0;

	ck_assert_int_eq(vm_allocate(mach_task_self(), &data, 100, VM_FLAGS_ANYWHERE), KERN_SUCCESS);
	((char *)data)[0] = 'x';
	ool(data, 100, 100);
	expect(KERN_SUCCESS);
	ck_assert_uint_eq(out.head.msgh_size, sizeof(__Reply__ool_t));
	ck_assert_uint_eq(rep->msgh_body.msgh_descriptor_count, 2);
	ck_assert_uint_eq(rep->back.type, MACH_MSG_OOL_DESCRIPTOR);
	ck_assert_uint_eq(rep->back.size, 100);
	ck_assert_uint_eq(rep->backCnt, 100);
	ck_assert_int_eq(rep->back.deallocate, TRUE);   /* out back : pointer_t, dealloc */
	ck_assert_int_eq(rep->wback.deallocate, FALSE);
	ck_assert_int_eq(((char *)rep->back.address)[99], 'x');
	vm_deallocate(mach_task_self(), (vm_address_t)rep->back.address, 100);
	ool(0, 100, 99);
	expect(MIG_TYPE_ERROR);         /* the descriptor's size disagrees with the count */
	ool(0, 100, 100)->bounded.size = 5000;
	((__Request__ool_t *)&in)->boundedCnt = 5000;
	expect(MIG_BAD_ARGUMENTS);      /* ^array[*:4096] */
	ool(0, 0, 0)->words.type = MACH_MSG_PORT_DESCRIPTOR;
	expect(MIG_TYPE_ERROR);
	ool(0, 0, 0)->words.size = 4;
	((__Request__ool_t *)&in)->wordsCnt = 0x40000001u;
	expect(MIG_TYPE_ERROR);         /* 4 * 0x40000001 is 4 in 32 bits: the size is not 4 */
}
END_TEST

START_TEST(test_ool_ports)
{
	mach_port_t names[3] = { 11, 12, 13 };
	__Request__port_array_t *r = request(5007, sizeof(*r), MACH_MSGH_BITS_COMPLEX);
	__Reply__port_array_t *rep = (__Reply__port_array_t *)&out;

	r->msgh_body.msgh_descriptor_count = 1;
	r->list.address = names;
	r->list.count = 3;
	r->list.disposition = MACH_MSG_TYPE_PORT_SEND;
	r->list.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	r->NDR = NDR_record;
	r->listCnt = 3;
	expect(KERN_SUCCESS);
	ck_assert_int_eq(rep->count, 3);
	ck_assert_uint_eq(rep->back.type, MACH_MSG_OOL_PORTS_DESCRIPTOR);
	ck_assert_uint_eq(rep->back.count, 3);
	ck_assert_uint_eq(rep->back.disposition, MACH_MSG_TYPE_COPY_SEND);
	ck_assert_ptr_eq(rep->back.address, names);
	r = request(5007, sizeof(*r), MACH_MSGH_BITS_COMPLEX);
	r->msgh_body.msgh_descriptor_count = 1;
	r->list.count = 3;
	r->list.disposition = MACH_MSG_TYPE_PORT_SEND_ONCE;
	r->list.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	r->listCnt = 3;
	expect(MIG_TYPE_ERROR);
}
END_TEST

/* inline_ports: 4 + 2 port descriptors, then NDR and the count of the first 4. */
static __Request__inline_ports_t *inline_ports(mach_msg_type_number_t n)
{
	__Request__inline_ports_t *r = request(5024, sizeof(*r), MACH_MSGH_BITS_COMPLEX);

	r->msgh_body.msgh_descriptor_count = 6;
	for (mach_msg_type_number_t i = 0; i < 4; i++) {
		r->sends[i].name = i < n ? 20 + i : MACH_PORT_NULL;
		r->sends[i].disposition = MACH_MSG_TYPE_PORT_SEND;
		r->sends[i].type = MACH_MSG_PORT_DESCRIPTOR;
	}
	for (mach_msg_type_number_t i = 0; i < 2; i++) {
		r->recvs[i].name = 30 + i;
		r->recvs[i].disposition = MACH_MSG_TYPE_PORT_RECEIVE;
		r->recvs[i].type = MACH_MSG_PORT_DESCRIPTOR;
	}
	r->NDR = NDR_record;
	r->sendsCnt = n;
	return r;
}

START_TEST(test_inline_port_arrays)
{
	__Reply__inline_ports_t *rep = (__Reply__inline_ports_t *)&out;

	inline_ports(2);
	expect(KERN_SUCCESS);
	ck_assert_uint_eq(rep->msgh_body.msgh_descriptor_count, 6);
	ck_assert_int_eq(rep->types[0], 2);
	ck_assert_uint_eq(rep->backCnt, 2);
	for (mach_msg_type_number_t i = 0; i < 4; i++) {
		ck_assert_uint_eq(rep->back[i].name, i < 2 ? 20 + i : MACH_PORT_NULL);
		ck_assert_uint_eq(rep->back[i].disposition, MACH_MSG_TYPE_COPY_SEND);
		ck_assert_uint_eq(rep->back[i].type, MACH_MSG_PORT_DESCRIPTOR);
	}
	for (mach_msg_type_number_t i = 0; i < 2; i++) {
		ck_assert_uint_eq(rep->made[i].name, 30 + i);
		ck_assert_uint_eq(rep->made[i].disposition, MACH_MSG_TYPE_MAKE_SEND);
		ck_assert_uint_eq(rep->made[i].type, MACH_MSG_PORT_DESCRIPTOR);
	}
	inline_ports(5);
	expect(MIG_BAD_ARGUMENTS);      /* past array[*:4] */
	inline_ports(2)->msgh_body.msgh_descriptor_count = 5;
	expect(MIG_BAD_ARGUMENTS);
	inline_ports(2)->sends[3].type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	expect(MIG_TYPE_ERROR);         /* even past the count, each is a port descriptor */
	inline_ports(2)->recvs[0].type = MACH_MSG_OOL_DESCRIPTOR;
	expect(MIG_TYPE_ERROR);
	inline_ports(2)->recvs[1].disposition = MACH_MSG_TYPE_PORT_SEND;
	expect(MIG_TYPE_ERROR);
	inline_ports(2)->sends[1].disposition = MACH_MSG_TYPE_PORT_SEND_ONCE;
	expect(MIG_TYPE_ERROR);         /* a counted element's right is checked too */
	inline_ports(2)->sends[2].name = 22;
	expect(MIG_TYPE_ERROR);         /* a right past the count would never be released */
	inline_ports(0)->sends[0].name = 20;
	expect(MIG_TYPE_ERROR);
}
END_TEST

/* As Apple's MIG: a polymorphic array takes any right and is told which; a send right's does not. */
START_TEST(test_poly_arrays)
{
	__Request__poly_arrays_t *r = request(5026, sizeof(*r), MACH_MSGH_BITS_COMPLEX);
	__Reply__poly_arrays_t *rep = (__Reply__poly_arrays_t *)&out;

	r->msgh_body.msgh_descriptor_count = 6;
	port_desc(&r->sends[0], 40, MACH_MSG_TYPE_PORT_SEND);
	port_desc(&r->sends[1], 41, MACH_MSG_TYPE_PORT_SEND_ONCE);
	for (mach_port_t i = 0; i < 3; i++)
		port_desc(&r->polys[i], 50 + i, MACH_MSG_TYPE_PORT_SEND_ONCE);
	r->list.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	r->list.disposition = MACH_MSG_TYPE_PORT_SEND;
	r->NDR = NDR_record;
	r->polysCnt = 3;
	expect(MIG_TYPE_ERROR);
	r->sends[1].disposition = MACH_MSG_TYPE_PORT_SEND;
	expect(KERN_SUCCESS);
	ck_assert(rep->types[1] == MACH_MSG_TYPE_PORT_SEND_ONCE && rep->back[2].disposition == MACH_MSG_TYPE_MOVE_SEND);
	r = request(5026, sizeof(*r), MACH_MSGH_BITS_COMPLEX);
	r->msgh_body.msgh_descriptor_count = 6;
	port_desc(&r->sends[0], 40, MACH_MSG_TYPE_PORT_SEND);
	port_desc(&r->sends[1], 41, MACH_MSG_TYPE_PORT_SEND);
	port_desc(&r->polys[0], 50, MACH_MSG_TYPE_PORT_SEND_ONCE);
	port_desc(&r->polys[1], 51, MACH_MSG_TYPE_PORT_RECEIVE);
	r->list.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	r->list.disposition = MACH_MSG_TYPE_PORT_SEND;
	r->NDR = NDR_record;
	r->polysCnt = 2;
	expect(MIG_TYPE_ERROR);         /* one Poly for the array: its rights agree */
	r->polys[1].disposition = MACH_MSG_TYPE_PORT_SEND_ONCE;
	expect(KERN_SUCCESS);
}
END_TEST

/* fixed_ool: one out-of-line descriptor of exactly sizeof(triple_t) bytes. */
static __Request__fixed_ool_t *fixed_ool(void *address, mach_msg_size_t size)
{
	__Request__fixed_ool_t *r = request(5022, sizeof(*r), MACH_MSGH_BITS_COMPLEX);

	r->msgh_body.msgh_descriptor_count = 1;
	r->tin.address = address;
	r->tin.size = size;
	r->tin.type = MACH_MSG_OOL_DESCRIPTOR;
	return r;
}

/*
 * samecount: 8 port descriptors, NDR, the one count, then ins and inflav
 * packed after it, inflav straight after ins's @n ints.
 */
static __Request__samecount_t *samecount(mach_msg_type_number_t n, size_t drop)
{
	size_t size = sizeof(__Request__samecount_t) - 44 + 4 * n + ((2 * n + 3) & ~3u) - drop;
	__Request__samecount_t *r = request(5025, size, MACH_MSGH_BITS_COMPLEX);
	int16_t *inflav = (int16_t *)&r->ins[n];

	r->msgh_body.msgh_descriptor_count = 8;
	for (mach_msg_type_number_t i = 0; i < 8; i++) {
		r->inports[i].name = i < n ? 20 + i : MACH_PORT_NULL;
		r->inports[i].disposition = MACH_MSG_TYPE_PORT_SEND;
		r->inports[i].type = MACH_MSG_PORT_DESCRIPTOR;
	}
	r->NDR = NDR_record;
	r->insCnt = n;
	for (mach_msg_type_number_t i = 0; i < n; i++) {
		r->ins[i] = (int)i;
		inflav[i] = (int16_t)(100 + i);
	}
	return r;
}

START_TEST(test_samecount_request)
{
	__Reply__samecount_t *rep = (__Reply__samecount_t *)&out;
	int16_t *flavors = (int16_t *)&rep->masks[2];

	samecount(2, 0);
	expect(KERN_SUCCESS);
	ck_assert_uint_eq(rep->msgh_body.msgh_descriptor_count, 4);
	ck_assert_uint_eq(rep->masksCnt, 2);
	ck_assert_int_eq(rep->masks[1], 1 + 101);
	ck_assert_int_eq(flavors[1], -101);
	for (mach_msg_type_number_t i = 0; i < 4; i++)
		ck_assert_uint_eq(rep->handlers[i].name, i < 2 ? 20 + i : MACH_PORT_NULL);
	ck_assert_uint_eq(out.head.msgh_size, sizeof(*rep) - 32 - 12 + 8 + 4);
	samecount(2, 4);
	expect(MIG_BAD_ARGUMENTS);      /* inflav's two elements are part of the size */
	samecount(7, 0);
	expect(MIG_BAD_ARGUMENTS);      /* within ins's bound of 8, past inflav's 6 */
	samecount(1, 0)->ins[0] = -1;
	expect(MIG_ARRAY_TOO_LARGE);    /* 5 results: past the handlers' bound of 4 */
}
END_TEST

START_TEST(test_fixed_out_of_line)
{
	__Reply__fixed_ool_t *rep = (__Reply__fixed_ool_t *)&out;
	vm_address_t data = 0;

	ck_assert_uint_eq(sizeof(__Request__fixed_ool_t),
			  sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t) +
			  sizeof(mach_msg_ool_descriptor_t));
	ck_assert_int_eq(vm_allocate(mach_task_self(), &data, sizeof(triple_t), VM_FLAGS_ANYWHERE),
			 KERN_SUCCESS);
	((triple_t *)data)->a = 10;
	fixed_ool((void *)data, sizeof(triple_t));
	expect(KERN_SUCCESS);
	ck_assert_uint_eq(out.head.msgh_size, sizeof(__Reply__fixed_ool_t));
	ck_assert_uint_eq(rep->msgh_body.msgh_descriptor_count, 1);
	ck_assert_uint_eq(rep->tout.type, MACH_MSG_OOL_DESCRIPTOR);
	ck_assert_uint_eq(rep->tout.size, sizeof(triple_t));
	ck_assert_int_eq(rep->tout.deallocate, TRUE);   /* out tout : triple_ptr_t, dealloc */
	ck_assert_uint_eq(((triple_t *)rep->tout.address)->a, 21);
	vm_deallocate(mach_task_self(), (vm_address_t)rep->tout.address, sizeof(triple_t));
	fixed_ool(NULL, sizeof(triple_t) - 1);
	expect(MIG_TYPE_ERROR);         /* one byte short of the type */
	fixed_ool(NULL, sizeof(triple_t) + 8);
	expect(MIG_TYPE_ERROR);
	fixed_ool(NULL, sizeof(triple_t))->tin.type = MACH_MSG_PORT_DESCRIPTOR;
	expect(MIG_TYPE_ERROR);
}
END_TEST

START_TEST(test_trailer)
{
	mach_msg_trailer_t *t;

	request(5013, sizeof(__Request__tokens_t), 0);
	expect(KERN_SUCCESS);
	request(5013, sizeof(__Request__tokens_t), 0);
	t = (mach_msg_trailer_t *)(in.bytes + sizeof(__Request__tokens_t));
	t->msgh_trailer_size = sizeof(mach_msg_trailer_t);
	expect(MIG_TRAILER_ERROR);
	request(5013, sizeof(__Request__tokens_t), 0);
	t->msgh_trailer_type = 1;
	expect(MIG_TRAILER_ERROR);
}
END_TEST

/* Every routine, every size up to its maximum, zeros or ones: an answer, never a crash. */
START_TEST(test_sweep)
{
	for (mach_msg_id_t id = 5000; id < 5017; id++) {
		for (size_t size = 0; size <= 512 + 64; size += 4) {
			for (int fill = 0; fill < 2; fill++) {
				request(id, size, fill ? MACH_MSGH_BITS_COMPLEX : 0);
				memset(in.bytes + sizeof(mach_msg_header_t), fill ? 0xff : 0,
				       size > sizeof(mach_msg_header_t) ? size - sizeof(mach_msg_header_t) : 0);
				if (id == 5011 || id == 5014)
					continue; /* async and stall act on the reply port: covered elsewhere */
				(void)serve();
			}
		}
	}
}
END_TEST

static Suite *mig_server_suite(void)
{
	Suite *s = suite_create("mig-server");
	TCase *tc = tcase_create("demux");

	tcase_add_test(tc, test_unknown_ids);
	tcase_add_test(tc, test_scalars_layout);
	tcase_add_test(tc, test_sizes);
	tcase_add_test(tc, test_descriptors);
	tcase_add_test(tc, test_dispositions);
	tcase_add_test(tc, test_counts);
	tcase_add_test(tc, test_strings);
	tcase_add_test(tc, test_out_of_line);
	tcase_add_test(tc, test_ool_ports);
	tcase_add_test(tc, test_inline_port_arrays);
	tcase_add_test(tc, test_poly_arrays);
	tcase_add_test(tc, test_samecount_request);
	tcase_add_test(tc, test_fixed_out_of_line);
	tcase_add_test(tc, test_pair_disposition);
	tcase_add_test(tc, test_trailer);
	tcase_add_test(tc, test_sweep);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(mig_server_suite(), NULL, 0, argc, argv);
}
