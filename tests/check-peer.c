/* SPDX-License-Identifier: MIT */
/*
 * check-peer - rights and messages between processes: tests exec
 * helpers/port-peer and move send, send-once and receive rights to it and
 * back, drain queues after a receive right moved, run several senders at
 * once, and check the audit trailer and what a process's death does.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bsm/libbsm.h>
#include <mach/mach.h>
#include <mach/notify.h>

#include "helpers/fdcheck.h"
#include "helpers/peer.h"
#include "helpers/runner.h"

static void setup(void)
{
	peer_fd_mark(true);
}

static void teardown(void)
{
	peer_fd_check();
}

static void destroy(mach_port_t name)
{
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), name), KERN_SUCCESS);
}

static void stop(struct peer *p)
{
	int ws = peer_exit(p, 0);

	ck_assert_msg(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "peer status 0x%x", ws);
	peer_forget(p);
}

/* Send @n messages with ids @base + i to @dest with MAKE_SEND. */
static void queue_ids(mach_port_t dest, int n, int base)
{
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(peer_send_id(dest, MACH_MSG_TYPE_MAKE_SEND, base + i), MACH_MSG_SUCCESS);
}

/* ECHO @name (@disp) through the peer; return the reply. */
static void echo(struct peer *p, mach_port_t name, mach_msg_type_name_t disp, struct peer_rcv *rep)
{
	struct peer_msg req;

	peer_msg_init(&req, p->ctl, MACH_MSG_TYPE_COPY_SEND, PEER_ECHO, name, disp);
	req.count = 1;
	req.ids[0] = 4242;
	peer_call(p, &req, rep);
	ck_assert_int_eq(rep->msg.ids[0], 4242);
	ck_assert(MACH_MSGH_BITS_IS_COMPLEX(rep->msg.head.msgh_bits));
}

START_TEST(test_send_rights_round_trip)
{
	mach_port_t port = peer_port(), so;
	struct peer_rcv rep;
	struct peer p;

	peer_start(&p);
	/* Our receive right's send right comes back to its name. */
	echo(&p, port, MACH_MSG_TYPE_MAKE_SEND, &rep);
	ck_assert_uint_eq(rep.msg.port.name, port);
	ck_assert_uint_eq(rep.msg.port.disposition, MACH_MSG_TYPE_PORT_SEND);
	ck_assert_uint_eq(peer_type(port), MACH_PORT_TYPE_SEND_RECEIVE);
	ck_assert_uint_eq(peer_urefs(port, MACH_PORT_RIGHT_SEND), 1);
	echo(&p, port, MACH_MSG_TYPE_COPY_SEND, &rep);
	ck_assert_uint_eq(peer_urefs(port, MACH_PORT_RIGHT_SEND), 2);
	echo(&p, port, MACH_MSG_TYPE_MOVE_SEND, &rep);
	ck_assert_uint_eq(peer_urefs(port, MACH_PORT_RIGHT_SEND), 2);

	/* A send-once right survives two hops and still reaches its port. */
	echo(&p, port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &rep);
	so = rep.msg.port.name;
	ck_assert_uint_eq(rep.msg.port.disposition, MACH_MSG_TYPE_PORT_SEND_ONCE);
	ck_assert_uint_eq(peer_type(so), MACH_PORT_TYPE_SEND_ONCE);
	ck_assert_int_eq(peer_send_id(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 5), MACH_MSG_SUCCESS);
	ck_assert_int_eq(peer_recv(port, &rep, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_int_eq(rep.msg.head.msgh_id, 5);
	ck_assert_int_eq(MACH_MSGH_BITS_LOCAL(rep.msg.head.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);

	/* The same right received twice: one name, two references. */
	echo(&p, p.ctl, MACH_MSG_TYPE_COPY_SEND, &rep);
	ck_assert_uint_eq(rep.msg.port.name, p.ctl);
	echo(&p, p.ctl, MACH_MSG_TYPE_COPY_SEND, &rep);
	ck_assert_uint_eq(rep.msg.port.name, p.ctl);
	ck_assert_uint_eq(peer_urefs(p.ctl, MACH_PORT_RIGHT_SEND), 3);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), p.ctl, MACH_PORT_RIGHT_SEND, -2),
			 KERN_SUCCESS);
	stop(&p);
	destroy(port);
}
END_TEST

START_TEST(test_receive_right_round_trip)
{
	mach_port_t q = peer_port(), back;
	struct peer_rcv rep;
	struct peer p;

	peer_start(&p);
	queue_ids(q, 3, 300);
	echo(&p, q, MACH_MSG_TYPE_MOVE_RECEIVE, &rep);
	ck_assert_uint_eq(rep.msg.port.disposition, MACH_MSG_TYPE_PORT_RECEIVE);
	back = rep.msg.port.name;
	ck_assert_uint_eq(peer_type(back), MACH_PORT_TYPE_RECEIVE);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(peer_recv(back, &rep, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
		ck_assert_int_eq(rep.msg.head.msgh_id, 300 + i);
		/* Sent by us before the trip. */
		ck_assert_int_eq(audit_token_to_pid(peer_audit(&rep)), getpid());
	}
	ck_assert_int_eq(peer_recv(back, &rep, 0), MACH_RCV_TIMED_OUT);
	stop(&p);
	destroy(back);
}
END_TEST

/* Messages queued before a receive right moves, on R and a send-once queue, all reach the new holder. */
START_TEST(test_drain_after_move)
{
	mach_port_t q = peer_port(), tmp = peer_port(), so;
	struct peer_msg req;
	struct peer_rcv rep;
	struct peer p;
	int seen_so = 0, next = 100;

	peer_start(&p);
	queue_ids(q, 5, 100);
	/* A send-once right to q, used after q's other messages were queued. */
	peer_msg_init(&req, tmp, MACH_MSG_TYPE_MAKE_SEND, 1, q, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	peer_post(&req);
	ck_assert_int_eq(peer_recv(tmp, &rep, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	so = rep.msg.port.name;
	ck_assert_int_eq(peer_send_id(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 999), MACH_MSG_SUCCESS);

	peer_msg_init(&req, p.ctl, MACH_MSG_TYPE_COPY_SEND, PEER_DRAIN, q, MACH_MSG_TYPE_MOVE_RECEIVE);
	peer_call(&p, &req, &rep);
	ck_assert_int_eq(mach_port_type(mach_task_self(), q, &(mach_port_type_t){ 0 }),
			 KERN_INVALID_NAME);
	ck_assert_uint_eq(rep.msg.arg[1], MACH_PORT_TYPE_RECEIVE);
	ck_assert_uint_eq(rep.msg.arg[0], MACH_RCV_TIMED_OUT);
	ck_assert_uint_eq(rep.msg.count, 6);
	/* Per queue, in order (a send-once right has a queue of its own). */
	for (uint32_t i = 0; i < rep.msg.count; i++) {
		if (rep.msg.ids[i] == 999)
			seen_so++;
		else
			ck_assert_int_eq(rep.msg.ids[i], next++);
	}
	ck_assert_int_eq(seen_so, 1);
	ck_assert_int_eq(next, 105);
	stop(&p);
	destroy(tmp);
}
END_TEST

/* The peer makes a port, queues messages on it and gives us the receive right. */
START_TEST(test_receive_right_from_peer)
{
	struct peer_rcv rep;
	mach_port_t q;
	struct peer p;

	peer_start(&p);
	peer_cmd(&p, PEER_GIVE_RECEIVE, 4, 40, &rep);
	ck_assert_uint_eq(rep.msg.arg[0], MACH_MSG_SUCCESS);
	ck_assert_uint_eq(rep.msg.port.disposition, MACH_MSG_TYPE_PORT_RECEIVE);
	q = rep.msg.port.name;
	ck_assert_uint_eq(peer_type(q), MACH_PORT_TYPE_RECEIVE);
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(peer_recv(q, &rep, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
		ck_assert_int_eq(rep.msg.head.msgh_id, 40 + i);
		ck_assert_uint_eq(rep.msg.head.msgh_local_port, q);
		ck_assert_int_eq(audit_token_to_pid(peer_audit(&rep)), p.pid);
	}
	/* We can make send rights for it. */
	queue_ids(q, 1, 50);
	ck_assert_int_eq(peer_recv(q, &rep, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_int_eq(rep.msg.head.msgh_id, 50);
	stop(&p);
	destroy(q);
}
END_TEST

#define SENDERS 3
#define PER_SENDER 60

START_TEST(test_many_senders)
{
	mach_port_t port = peer_port();
	struct peer p[SENDERS];
	int next[SENDERS] = { 0 };
	struct peer_rcv rep;

	for (int k = 0; k < SENDERS; k++)
		peer_start(&p[k]);
	/* Start them all before receiving anything, so that they run at once. */
	for (int k = 0; k < SENDERS; k++) {
		struct peer_msg req;

		peer_msg_init(&req, p[k].ctl, MACH_MSG_TYPE_COPY_SEND, PEER_SEND, port,
			      MACH_MSG_TYPE_MAKE_SEND);
		req.head.msgh_bits |= MACH_MSGH_BITS(0, MACH_MSG_TYPE_MAKE_SEND_ONCE);
		req.head.msgh_local_port = p[k].home;
		req.arg[0] = PER_SENDER;
		req.arg[1] = (uint32_t)(k * 1000);
		peer_post(&req);
	}
	for (int i = 0; i < SENDERS * PER_SENDER; i++) {
		audit_token_t t;
		int k;

		ck_assert_int_eq(peer_recv(port, &rep, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
		k = rep.msg.head.msgh_id / 1000;
		ck_assert_int_lt(k, SENDERS);
		/* Each sender's messages in its order, and the kernel names the sender. */
		ck_assert_int_eq(rep.msg.head.msgh_id, k * 1000 + next[k]++);
		t = peer_audit(&rep);
		ck_assert_int_eq(audit_token_to_pid(t), p[k].pid);
		ck_assert_uint_eq(audit_token_to_euid(t), geteuid());
		ck_assert_uint_eq(audit_token_to_egid(t), getegid());
	}
	for (int k = 0; k < SENDERS; k++) {
		ck_assert_int_eq(next[k], PER_SENDER);
		ck_assert_int_eq(peer_recv(p[k].home, &rep, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
		ck_assert_int_eq(rep.msg.head.msgh_id, PEER_SEND + 100);
		ck_assert_uint_eq(rep.msg.arg[0], MACH_MSG_SUCCESS);
		stop(&p[k]);
	}
	ck_assert_int_eq(peer_recv(port, &rep, 0), MACH_RCV_TIMED_OUT);
	destroy(port);
}
END_TEST

START_TEST(test_send_to_dead_port)
{
	struct peer p;
	int ws;

	peer_start(&p);
	ck_assert_uint_eq(peer_type(p.ctl), MACH_PORT_TYPE_SEND);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), p.ctl, MACH_PORT_RIGHT_SEND, 1),
			 KERN_SUCCESS);
	ws = peer_exit(&p, 3);
	ck_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 3);
	ck_assert_int_eq(peer_send_id(p.ctl, MACH_MSG_TYPE_COPY_SEND, 1), MACH_SEND_INVALID_DEST);
	ck_assert_uint_eq(peer_type(p.ctl), MACH_PORT_TYPE_DEAD_NAME);
	/* Its send references became dead-name references. */
	ck_assert_uint_eq(peer_urefs(p.ctl, MACH_PORT_RIGHT_DEAD_NAME), 2);
	ck_assert_uint_eq(peer_urefs(p.ctl, MACH_PORT_RIGHT_SEND), 0);
	ck_assert_int_eq(peer_send_id(p.ctl, MACH_MSG_TYPE_COPY_SEND, 1), MACH_SEND_INVALID_DEST);
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), p.ctl, MACH_PORT_RIGHT_DEAD_NAME, -2),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_type(mach_task_self(), p.ctl, &(mach_port_type_t){ 0 }),
			 KERN_INVALID_NAME);
	p.ctl = MACH_PORT_NULL;
	peer_forget(&p);
}
END_TEST

/* A send-once right that dies unused tells its port: by release, by the holder's exit. */
START_TEST(test_send_once_dies_with_holder)
{
	mach_port_t n = peer_port();
	struct peer_msg req;
	struct peer_rcv rep;
	struct peer p;
	int ws;

	peer_start(&p);
	for (int i = 0; i < 2; i++) {
		peer_msg_init(&req, p.ctl, MACH_MSG_TYPE_COPY_SEND, PEER_HOLD, n,
			      MACH_MSG_TYPE_MAKE_SEND_ONCE);
		peer_call(&p, &req, &rep);
		ck_assert_uint_eq(rep.msg.count, 1);
		ck_assert_int_eq(peer_recv(n, &rep, 0), MACH_RCV_TIMED_OUT);
		if (i == 0) {
			peer_cmd(&p, PEER_RELEASE, 0, 0, &rep);
			ck_assert_int_eq(rep.msg.ids[0], KERN_SUCCESS);
		} else {
			ws = peer_exit(&p, 0);
			ck_assert(WIFEXITED(ws));
		}
		ck_assert_int_eq(peer_recv(n, &rep, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
		ck_assert_int_eq(rep.msg.head.msgh_id, MACH_NOTIFY_SEND_ONCE);
		ck_assert_uint_eq(rep.msg.head.msgh_size, sizeof(mach_msg_header_t));
		ck_assert_uint_eq(rep.msg.head.msgh_local_port, n);
		ck_assert_int_eq(MACH_MSGH_BITS_LOCAL(rep.msg.head.msgh_bits),
				 MACH_MSG_TYPE_PORT_SEND_ONCE);
		ck_assert_uint_eq(rep.msg.head.msgh_remote_port, MACH_PORT_NULL);
	}
	ck_assert_int_eq(peer_recv(n, &rep, 0), MACH_RCV_TIMED_OUT);
	peer_forget(&p);
	destroy(n);
}
END_TEST

START_TEST(test_dead_name_notification)
{
	mach_port_t n = peer_port(), prev = 1;
	mach_dead_name_notification_t *dn;
	struct peer_rcv rep;
	struct peer p;

	peer_start(&p);
	ck_assert_int_eq(mach_port_request_notification(mach_task_self(), p.ctl,
			 MACH_NOTIFY_DEAD_NAME, 0, n, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev),
			 KERN_SUCCESS);
	ck_assert_uint_eq(prev, MACH_PORT_NULL);
	ck_assert_int_eq(peer_recv(n, &rep, 0), MACH_RCV_TIMED_OUT);
	peer_exit(&p, 0);
	ck_assert_int_eq(peer_recv(n, &rep, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	dn = (mach_dead_name_notification_t *)&rep;
	ck_assert_int_eq(dn->not_header.msgh_id, MACH_NOTIFY_DEAD_NAME);
	ck_assert_uint_eq(dn->not_header.msgh_size, offsetof(mach_dead_name_notification_t, trailer));
	ck_assert_uint_eq(dn->not_header.msgh_local_port, n);
	ck_assert_uint_eq(dn->not_port, p.ctl);
	ck_assert_uint_eq(peer_type(p.ctl), MACH_PORT_TYPE_DEAD_NAME);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), p.ctl), KERN_SUCCESS);
	p.ctl = MACH_PORT_NULL;
	peer_forget(&p);
	destroy(n);
}
END_TEST

START_TEST(test_no_senders_notification)
{
	mach_port_t port = peer_port(), n = peer_port();
	mach_no_senders_notification_t *ns;
	struct peer_msg req;
	struct peer_rcv rep;
	struct peer p;

	peer_start(&p);
	peer_msg_init(&req, p.ctl, MACH_MSG_TYPE_COPY_SEND, PEER_HOLD, port, MACH_MSG_TYPE_MAKE_SEND);
	peer_call(&p, &req, &rep);
	ck_assert_int_eq(mach_port_request_notification(mach_task_self(), port,
			 MACH_NOTIFY_NO_SENDERS, 0, n, MACH_MSG_TYPE_MAKE_SEND_ONCE, NULL),
			 KERN_SUCCESS);
	ck_assert_int_eq(peer_recv(n, &rep, 0), MACH_RCV_TIMED_OUT);
	/* Its death leaves no sender. */
	peer_exit(&p, 0);
	ck_assert_int_eq(peer_recv(n, &rep, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ns = (mach_no_senders_notification_t *)&rep;
	ck_assert_int_eq(ns->not_header.msgh_id, MACH_NOTIFY_NO_SENDERS);
	ck_assert_uint_eq(ns->not_header.msgh_size, offsetof(mach_no_senders_notification_t, trailer));
	ck_assert_uint_eq(ns->not_header.msgh_local_port, n);
	/* The port lives on: new send rights work. */
	ck_assert_int_eq(peer_recv(port, &rep, 0), MACH_RCV_TIMED_OUT);
	queue_ids(port, 1, 62);
	ck_assert_int_eq(peer_recv(port, &rep, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_int_eq(rep.msg.head.msgh_id, 62);
	peer_forget(&p);
	destroy(port);
	destroy(n);
}
END_TEST

static Suite *peer_suite(void)
{
	Suite *s = suite_create("peer");
	TCase *rights = tcase_create("rights"), *death = tcase_create("death");

	tcase_add_test(rights, test_send_rights_round_trip);
	tcase_add_test(rights, test_receive_right_round_trip);
	tcase_add_test(rights, test_drain_after_move);
	tcase_add_test(rights, test_receive_right_from_peer);
	tcase_add_test(rights, test_many_senders);
	tcase_add_test(death, test_send_to_dead_port);
	tcase_add_test(death, test_send_once_dies_with_holder);
	tcase_add_test(death, test_dead_name_notification);
	tcase_add_test(death, test_no_senders_notification);
	tcase_add_checked_fixture(rights, setup, teardown);
	tcase_add_checked_fixture(death, setup, teardown);
	suite_add_tcase(s, rights);
	suite_add_tcase(s, death);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(peer_suite(), NULL, 0, argc, argv);
}
