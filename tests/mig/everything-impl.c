/* SPDX-License-Identifier: MIT */
/*
 * everything-impl.c - the server side of everything.defs: work routines
 * that answer from their arguments so the test can check every value,
 * right and piece of memory that crossed, and the translations.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bsm/libbsm.h>
#include <mach/mach.h>

#include "everythingServer.h"

#ifndef EVERYTHING_SERVER_IMPORTED
#error "simport did not reach the server header"
#endif
#ifdef EVERYTHING_USER_IMPORTED
#error "uimport reached the server header"
#endif

static int widgets_released;
static mach_port_t held_reply = MACH_PORT_NULL;
static int wback_buf[64];

widget_ref_t widget_from_int(int v)
{
	struct widget *w = calloc(1, sizeof(*w));

	if (!w)
		abort();
	w->value = v;
	return w;
}

int widget_to_int(widget_ref_t w)
{
	int v = w->value;

	free(w);
	return v;
}

void widget_release(widget_ref_t w)
{
	widgets_released++;
	free(w);
}

kern_return_t S_ping(mach_port_t server, int *version)
{
	(void)server;
	*version = 42;
	return KERN_SUCCESS;
}

kern_return_t S_scalars(mach_port_t server, int a, i64_t b, boolean_t c, s16_t d, i64_t *sum,
			boolean_t *neg, int *acc)
{
	(void)server;
	*sum = a + b + d;
	*neg = !c;
	*acc += a;
	return KERN_SUCCESS;
}

kern_return_t S_strings(mach_port_t server, name_t name, vname_t vname, name_t upper, vname_t vupper)
{
	(void)server;
	if (strcmp(name, "fail") == 0)
		return KERN_INVALID_ARGUMENT;
	for (size_t i = 0; i < sizeof(name_t); i++)
		upper[i] = (char)toupper((unsigned char)name[i]);
	for (size_t i = 0; i < 64 && (i == 0 || vname[i - 1]); i++)
		vupper[i] = (char)toupper((unsigned char)vname[i]);
	return KERN_SUCCESS;
}

kern_return_t S_arrays(mach_port_t server, fixed4_t fixed, ints_t ints, mach_msg_type_number_t intsCnt,
		       chars_t chars, mach_msg_type_number_t charsCnt, pair_t pair, ints_t rev,
		       mach_msg_type_number_t *revCnt, fixed4_t sum4, chars_t rchars,
		       mach_msg_type_number_t *rcharsCnt, pair_t *ipair)
{
	(void)server;
	if (*revCnt < intsCnt || *rcharsCnt < charsCnt)
		return KERN_NO_SPACE;
	for (mach_msg_type_number_t i = 0; i < intsCnt; i++)
		rev[i] = ints[intsCnt - 1 - i];
	*revCnt = intsCnt;
	for (int i = 0; i < 4; i++)
		sum4[i] = fixed[i] + pair.a;
	for (mach_msg_type_number_t i = 0; i < charsCnt; i++)
		rchars[i] = chars[charsCnt - 1 - i];
	*rcharsCnt = charsCnt;
	ipair->a += pair.a;
	ipair->b += pair.b;
	return KERN_SUCCESS;
}

kern_return_t S_ool(mach_port_t server, vm_offset_t data, mach_msg_type_number_t dataCnt,
		    boolean_t dataSCopy, words_ptr_t words, mach_msg_type_number_t wordsCnt,
		    bytes_ptr_t bounded, mach_msg_type_number_t boundedCnt, vm_offset_t *back,
		    mach_msg_type_number_t *backCnt, words_ptr_t *wback,
		    mach_msg_type_number_t *wbackCnt, boolean_t *copied)
{
	vm_address_t out = 0;
	const uint8_t *in = (const uint8_t *)data;

	(void)server;
	if (wordsCnt > 64 || vm_allocate(mach_task_self(), &out, dataCnt + boundedCnt + 1,
					 VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		return KERN_RESOURCE_SHORTAGE;
	for (mach_msg_type_number_t i = 0; i < dataCnt; i++)
		((uint8_t *)out)[i] = in[dataCnt - 1 - i];
	if (boundedCnt)
		memcpy((uint8_t *)out + dataCnt, bounded, boundedCnt);
	*back = out;
	*backCnt = dataCnt + boundedCnt;
	for (mach_msg_type_number_t i = 0; i < wordsCnt; i++)
		wback_buf[i] = words[i] * 2;
	*wback = wback_buf;
	*wbackCnt = wordsCnt;
	*copied = dataSCopy ? 1 : 2;
	mig_deallocate(data, dataCnt);
	mig_deallocate((vm_address_t)words, wordsCnt * sizeof(int));
	mig_deallocate((vm_address_t)bounded, boundedCnt);
	return KERN_SUCCESS;
}

/* Say @id on @port through the right we hold (consumed if send-once). */
static void poke(mach_port_t port, mach_msg_type_name_t disp, mach_msg_id_t id)
{
	mach_msg_header_t h = {
		.msgh_bits = MACH_MSGH_BITS(disp, 0),
		.msgh_size = sizeof(h),
		.msgh_remote_port = port,
		.msgh_id = id,
	};

	mach_msg(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

static int type_of(mach_port_t name)
{
	mach_port_type_t t = 0;

	if (mach_port_type(mach_task_self(), name, &t) != KERN_SUCCESS)
		return -1;
	return (int)t;
}

kern_return_t S_ports(mach_port_t server, mach_port_t make, mach_port_t copy, mach_port_t move,
		      mach_port_t once, mach_port_t moveonce, mach_port_t recv, mach_port_t sendr,
		      fixed4_t types, mach_port_t *back, mach_port_t *made, mach_port_t *sonce,
		      mach_msg_type_name_t *soncePoly)
{
	types[0] = type_of(make);
	types[1] = type_of(once);
	types[2] = type_of(recv);
	types[3] = type_of(moveonce);
	poke(make, MACH_MSG_TYPE_MOVE_SEND, 1);
	poke(copy, MACH_MSG_TYPE_MOVE_SEND, 2);
	poke(move, MACH_MSG_TYPE_MOVE_SEND, 3);
	poke(once, MACH_MSG_TYPE_MOVE_SEND_ONCE, 4);
	poke(moveonce, MACH_MSG_TYPE_MOVE_SEND_ONCE, 5);
	poke(sendr, MACH_MSG_TYPE_MOVE_SEND, 6);
	*back = recv;
	*made = server;
	/* mach_port_send_once_t: the sender names the disposition, here made from a receive right. */
	*sonce = server;
	*soncePoly = MACH_MSG_TYPE_MAKE_SEND_ONCE;
	return KERN_SUCCESS;
}

kern_return_t S_poly(mach_port_t server, mach_port_t p, mach_msg_type_name_t pPoly, int *seen,
		     mach_port_t *q, mach_msg_type_name_t *qPoly)
{
	(void)server;
	*seen = (int)pPoly;
	*q = p;
	*qPoly = pPoly == MACH_MSG_TYPE_PORT_RECEIVE ? MACH_MSG_TYPE_MOVE_RECEIVE :
		 MACH_MSG_TYPE_MOVE_SEND;
	return KERN_SUCCESS;
}

kern_return_t S_port_array(mach_port_t server, mach_port_array_t list, mach_msg_type_number_t listCnt,
			   int *count, mach_port_array_t *back, mach_msg_type_number_t *backCnt)
{
	(void)server;
	*count = (int)listCnt;
	*back = list;
	*backCnt = listCnt;
	return KERN_SUCCESS;
}

kern_return_t S_with_reply(mach_port_t server, mach_port_t rp, int x, int *y)
{
	(void)server;
	*y = MACH_PORT_VALID(rp) ? x * 2 : -1;
	return KERN_SUCCESS;
}

#pragma pack(push, 4)
struct later_reply {
	mach_msg_header_t head;
	int32_t value;
};
#pragma pack(pop)

kern_return_t S_async(mach_port_t server, mach_port_t rp, int x)
{
	struct later_reply m = {
		.head = {
			.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0),
			.msgh_size = sizeof(m),
			.msgh_remote_port = rp,
			.msgh_id = 7777,
		},
		.value = x + 1,
	};

	(void)server;
	/* Answered by hand: MIG_NO_REPLY tells mach_msg_server() the reply port is taken. */
	if (mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return KERN_FAILURE;
	return MIG_NO_REPLY;
}

kern_return_t S_whoami(mach_port_t server, mach_port_t rp, boolean_t *had)
{
	(void)server;
	*had = MACH_PORT_VALID(rp);
	return KERN_SUCCESS;
}

kern_return_t S_uwith(mach_port_t server, int x, int *y)
{
	(void)server;
	*y = x + 100;
	return KERN_SUCCESS;
}

kern_return_t S_tokens(mach_port_t server, audit_token_t audit, security_token_t sec, int *pid,
		       int *uid)
{
	(void)server;
	*pid = audit_token_to_pid(audit);
	*uid = (int)sec.val[0];
	return KERN_SUCCESS;
}

kern_return_t S_timed(mach_port_t server, int x, int *y)
{
	(void)server;
	*y = x + 1;
	return KERN_SUCCESS;
}

kern_return_t S_stall(mach_port_t server, mach_port_t rp)
{
	(void)server;
	/* Keep the reply right and never answer: the caller's WaitTime expires. */
	if (held_reply != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), held_reply);
	held_reply = rp;
	return MIG_NO_REPLY;
}

kern_return_t S_translated(mach_port_t server, widget_ref_t w, widget_ref_t *w2, int *released)
{
	(void)server;
	*w2 = widget_from_int(w->value * 3);
	*released = widgets_released;
	return KERN_SUCCESS;
}

kern_return_t S_quit(mach_port_t server, int code)
{
	(void)server;
	exit(code);
}

kern_return_t S_seqtokens(mach_port_t server, mach_port_seqno_t seq, int *pid)
{
	(void)server;
	(void)seq;
	*pid = getpid();
	return KERN_SUCCESS;
}

kern_return_t S_counted(mach_port_t server, ints_t vals, mach_msg_type_number_t *valsCnt)
{
	(void)server;
	/* CountInOut: *valsCnt arrives as the caller's capacity. */
	for (mach_msg_type_number_t i = 0; i < *valsCnt; i++)
		vals[i] = (int)i * 3;
	return KERN_SUCCESS;
}

kern_return_t S_retreply(mach_port_t rp, kern_return_t kr, int value)
{
	(void)rp;
	(void)kr;
	(void)value;
	return KERN_SUCCESS;
}

/* @r arrives as a send-once right whatever the caller sent: no disposition parameter. */
kern_return_t S_once_pair(mach_port_t server, mach_port_t r, int *rtype)
{
	mach_port_type_t type = 0;

	(void)server;
	if (mach_port_type(mach_task_self(), r, &type) != KERN_SUCCESS)
		return KERN_INVALID_RIGHT;
	*rtype = (int)type;
	mach_port_deallocate(mach_task_self(), r);
	return KERN_SUCCESS;
}

/* Each field doubled plus one, in fresh memory the reply deallocates. */
kern_return_t S_fixed_ool(mach_port_t server, triple_ptr_t tin, triple_ptr_t *tout)
{
	vm_address_t out = 0;
	triple_ptr_t t;

	(void)server;
	if (vm_allocate(mach_task_self(), &out, sizeof(*t), VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		return KERN_RESOURCE_SHORTAGE;
	t = (triple_ptr_t)out;
	t->a = tin->a * 2 + 1;
	t->b = tin->b * 2 + 1;
	t->c = tin->c * 2 + 1;
	*tout = t;
	mig_deallocate((vm_address_t)tin, sizeof(*tin));
	return KERN_SUCCESS;
}

/* The disposition the kernel says r arrived with. */
kern_return_t S_local_type(mach_port_t server, local_once_t r, mach_msg_type_name_t rPoly,
			   int *rdisp)
{
	(void)server;
	*rdisp = (int)rPoly;
	mach_port_deallocate(mach_task_self(), r);
	return KERN_SUCCESS;
}

/*
 * inline_ports: what arrived (the count, the right types), the send
 * rights straight back, and a send right made from each receive right,
 * which stays here.
 */
kern_return_t S_inline_ports(mach_port_t server, send_list_t sends, mach_msg_type_number_t sendsCnt,
			     recv_pair_t recvs, fixed4_t types, send_list_t back,
			     mach_msg_type_number_t *backCnt, made_pair_t made)
{
	(void)server;
	types[0] = (int)sendsCnt;
	types[1] = sendsCnt ? type_of(sends[sendsCnt - 1]) : 0;
	types[2] = type_of(recvs[0]);
	types[3] = type_of(recvs[1]);
	for (mach_msg_type_number_t i = 0; i < sendsCnt; i++)
		back[i] = sends[i];
	*backCnt = sendsCnt;
	made[0] = recvs[0];
	made[1] = recvs[1];
	return KERN_SUCCESS;
}

/*
 * samecount: one count for three arrays each way.  With none in, the
 * capacity it was given comes back as the one mask; more in than that
 * capacity is KERN_NO_SPACE.  A single -1 claims 5 results, within the
 * masks' and flavors' bounds but past the handlers' 4, for the stub to
 * refuse.
 */
kern_return_t S_samecount(mach_port_t server, masks_t ins, mach_msg_type_number_t insCnt,
			  flavors_t inflav, port8_t inports, masks_t masks,
			  mach_msg_type_number_t *masksCnt, send_list_t handlers, flavors_t flavors)
{
	(void)server;
	if (insCnt == 0) {
		masks[0] = (int)*masksCnt;
		handlers[0] = MACH_PORT_NULL;
		flavors[0] = 0;
		*masksCnt = 1;
		return KERN_SUCCESS;
	}
	if (insCnt > *masksCnt)
		return KERN_NO_SPACE;
	if (insCnt == 1 && ins[0] == -1) {
		*masksCnt = 5;
		return KERN_SUCCESS;
	}
	for (mach_msg_type_number_t i = 0; i < insCnt; i++) {
		masks[i] = ins[i] + inflav[i];
		handlers[i] = inports[i];
		flavors[i] = (s16_t)-inflav[i];
	}
	*masksCnt = insCnt;
	return KERN_SUCCESS;
}

/*
 * samecount_late: each array back as it came, the shorter first one
 * included; the shared count comes back once, as it went.
 */
kern_return_t S_samecount_late(mach_port_t server, masks_t lead, mach_msg_type_number_t leadCnt,
			       masks_t ins, mach_msg_type_number_t insCnt, masks_t same,
			       masks_t rlead, mach_msg_type_number_t *rleadCnt, masks_t rins,
			       mach_msg_type_number_t *rinsCnt, masks_t rsame)
{
	(void)server;
	memcpy(rlead, lead, leadCnt * sizeof(*lead));
	memcpy(rins, ins, insCnt * sizeof(*ins));
	memcpy(rsame, same, insCnt * sizeof(*same));
	*rleadCnt = leadCnt;
	*rinsCnt = insCnt;
	return KERN_SUCCESS;
}

/*
 * poly_arrays: what arrived (the right made from a receive right, the
 * disposition the polymorphic array came with, the rights moved and
 * copied), the moved rights moved back and the copied ones copied back.
 */
kern_return_t S_poly_arrays(mach_port_t server, send_pair_t sends, poly_list_t polys,
			    mach_msg_type_name_t polysPoly, mach_msg_type_number_t polysCnt,
			    send_ool_t list, mach_msg_type_number_t listCnt, fixed4_t types,
			    poly_list_t back, mach_msg_type_name_t *backPoly,
			    mach_msg_type_number_t *backCnt, send_ool_t *made,
			    mach_msg_type_name_t *madePoly, mach_msg_type_number_t *madeCnt)
{
	(void)server;
	types[0] = type_of(sends[1]);
	types[1] = (int)polysPoly;
	types[2] = polysCnt ? type_of(polys[0]) : 0;
	types[3] = listCnt ? type_of(list[listCnt - 1]) : 0;
	for (mach_msg_type_number_t i = 0; i < polysCnt; i++)
		back[i] = polys[i];
	*backCnt = polysCnt;
	*backPoly = MACH_MSG_TYPE_MOVE_SEND;
	*made = list;
	*madeCnt = listCnt;
	*madePoly = MACH_MSG_TYPE_COPY_SEND;
	return KERN_SUCCESS;
}

vm_address_t inout_arrays_kept;

/*
 * inout_arrays: the ints reversed, with their count appended while there
 * is room (a first value of -1 asks for a count past the bound, which the
 * stub must refuse; -2 for the same after all the work below); the bytes,
 * each plus one, in new memory one byte longer, ending in '!'.
 */
kern_return_t S_inout_arrays(mach_port_t server, ints_t vals, mach_msg_type_number_t *valsCnt,
			     vm_offset_t *blob, mach_msg_type_number_t *blobCnt)
{
	mach_msg_type_number_t n = *valsCnt;
	vm_address_t grown = 0;
	bool past_bound_after = n && vals[0] == -2;

	(void)server;
	if (n && vals[0] == -1) {
		*valsCnt = 33;
		return KERN_SUCCESS;
	}
	for (mach_msg_type_number_t i = 0; i < n / 2; i++) {
		int v = vals[i];

		vals[i] = vals[n - 1 - i];
		vals[n - 1 - i] = v;
	}
	if (n < 32)
		vals[(*valsCnt)++] = (int)n;
	if (vm_allocate(mach_task_self(), &grown, *blobCnt + 1, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		return KERN_RESOURCE_SHORTAGE;
	for (mach_msg_type_number_t i = 0; i < *blobCnt; i++)
		((uint8_t *)grown)[i] = (uint8_t)(((uint8_t *)*blob)[i] + 1);
	((uint8_t *)grown)[*blobCnt] = '!';
	vm_deallocate(mach_task_self(), *blob, *blobCnt);
	*blob = grown;
	(*blobCnt)++;
	if (past_bound_after) {
		inout_arrays_kept = grown;
		*valsCnt = 33;
	}
	return KERN_SUCCESS;
}

/* The rights come back as they came, in the same memory; @seen counts the valid ones. */
kern_return_t S_fixed_ool_ports(mach_port_t server, three_ports_t ports, three_ports_t *back, int *seen)
{
	(void)server;
	*seen = 0;
	for (int i = 0; i < 3; i++)
		*seen += MACH_PORT_VALID(ports[i]);
	*back = ports;
	return KERN_SUCCESS;
}

/*
 * inout_fixed_ool: each field plus ten, in the memory that came, which
 * goes back (the reply does not deallocate it, so this server keeps its
 * copy, as Apple's MIG leaves it); a first field of 0 asks for the
 * memory to be replaced by { 7, 8, 9 }, and the memory that came is
 * given up.
 */
kern_return_t S_inout_fixed_ool(mach_port_t server, triple_ptr_t *t)
{
	static triple_t replacement = { 7, 8, 9 };

	(void)server;
	if ((*t)->a == 0) {
		mig_deallocate((vm_address_t)*t, sizeof(**t));
		*t = &replacement;
		return KERN_SUCCESS;
	}
	(*t)->a += 10;
	(*t)->b += 10;
	(*t)->c += 10;
	return KERN_SUCCESS;
}
