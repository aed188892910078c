/* SPDX-License-Identifier: MIT */
/*
 * bootstrapd-bench-surface - what passing a frame to another process
 * costs: an IOSurface's port (the receiver maps the same pages and reads
 * the first pixel), next to the same bytes as out-of-line memory in a
 * Mach message and as a plain socket write, at 1280x720 and 3840x2160
 * BGRA.  Each figure is the median of a round trip: send, the receiver
 * touches the first pixel (or reads every byte, for the socket), acks.
 *
 *   bootstrapd-bench-surface [--quick] [the driver's other options, ignored]
 *
 * Linked with the private library: the receiver is exec'd with a raw
 * send end inherited as an fd, as the tests' peers are.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <IOSurface/IOSurface.h>
#include <mach/mach.h>

#include "port.h"

enum { KIND_HELLO = 1, KIND_SURFACE, KIND_OOL, KIND_SOCKET, KIND_ACK, KIND_QUIT };

#pragma pack(push, 4)
struct frame_msg {
	mach_msg_header_t head;
	mach_msg_body_t body;
	union {
		mach_msg_port_descriptor_t port;
		mach_msg_ool_descriptor_t ool;
	} d;
	uint32_t value;
};
struct frame_rcv {
	struct frame_msg m;
	mach_msg_max_trailer_t trailer;
};
#pragma pack(pop)

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "bootstrapd-bench-surface: %s\n", what);
	exit(1);
}

static void send_msg(mach_port_t to, int kind, mach_port_t reply, struct frame_msg *m)
{
	m->head.msgh_bits |= MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, reply ? MACH_MSG_TYPE_MAKE_SEND : 0);
	m->head.msgh_size = sizeof(*m);
	m->head.msgh_remote_port = to;
	m->head.msgh_local_port = reply;
	m->head.msgh_id = kind;
	if (mach_msg(&m->head, MACH_SEND_MSG, sizeof(*m), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		die("send");
}

static void recv_msg(mach_port_t on, struct frame_rcv *r)
{
	memset(&r->m.head, 0, sizeof(r->m.head));
	if (mach_msg(&r->m.head, MACH_RCV_MSG, 0, sizeof(*r), on, MACH_MSG_TIMEOUT_NONE,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		die("receive");
}

/* The receiver: map what arrives, read its first pixel, ack. */
static int receiver(int fd, int sock)
{
	mach_port_t home = port_name_send_fd(fd), mine;
	struct frame_msg m;
	struct frame_rcv r;
	static char buf[1 << 20];

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &mine) != KERN_SUCCESS)
		die("port");
	memset(&m, 0, sizeof(m));
	send_msg(home, KIND_HELLO, mine, &m);
	for (;;) {
		uint32_t v = 0;

		recv_msg(mine, &r);
		if (r.m.head.msgh_id == KIND_QUIT)
			return 0;
		if (r.m.head.msgh_id == KIND_SURFACE) {
			IOSurfaceRef s = IOSurfaceLookupFromMachPort(r.m.d.port.name);

			mach_port_deallocate(mach_task_self(), r.m.d.port.name);
			if (!s)
				die("lookup");
			v = *(volatile uint32_t *)IOSurfaceGetBaseAddress(s);
			CFRelease(s);
		} else if (r.m.head.msgh_id == KIND_OOL) {
			v = *(volatile uint32_t *)r.m.d.ool.address;
			vm_deallocate(mach_task_self(), (vm_address_t)r.m.d.ool.address, r.m.d.ool.size);
		} else {        /* socket: read r.m.value bytes */
			size_t left = r.m.value;

			while (left > 0) {
				ssize_t n = read(sock, buf, left < sizeof(buf) ? left : sizeof(buf));

				if (n <= 0)
					die("read");
				if (left == r.m.value)
					memcpy(&v, buf, sizeof(v));
				left -= (size_t)n;
			}
		}
		memset(&m, 0, sizeof(m));
		m.value = v;
		send_msg(home, KIND_ACK, MACH_PORT_NULL, &m);
	}
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct ctx {
	mach_port_t home, peer;
	int sock;
	size_t w, h;
	IOSurfaceRef s;
	void *ool;
};

static void one(struct ctx *c, int kind)
{
	struct frame_msg m;
	struct frame_rcv r;
	size_t size = c->w * c->h * 4;

	memset(&m, 0, sizeof(m));
	if (kind == KIND_SURFACE) {
		m.head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
		m.body.msgh_descriptor_count = 1;
		m.d.port.type = MACH_MSG_PORT_DESCRIPTOR;
		m.d.port.name = IOSurfaceCreateMachPort(c->s);
		m.d.port.disposition = MACH_MSG_TYPE_MOVE_SEND;
	} else if (kind == KIND_OOL) {
		m.head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
		m.body.msgh_descriptor_count = 1;
		m.d.ool.type = MACH_MSG_OOL_DESCRIPTOR;
		m.d.ool.address = c->ool;
		m.d.ool.size = (mach_msg_size_t)size;
		m.d.ool.copy = MACH_MSG_VIRTUAL_COPY;
	} else {
		m.value = (uint32_t)size;
	}
	send_msg(c->peer, kind, MACH_PORT_NULL, &m);
	if (kind != KIND_SURFACE && kind != KIND_OOL) {
		for (size_t done = 0; done < size;) {
			ssize_t n = write(c->sock, (char *)c->ool + done, size - done);

			if (n <= 0)
				die("write");
			done += (size_t)n;
		}
	}
	recv_msg(c->home, &r);
	if (r.m.head.msgh_id != KIND_ACK || r.m.value != 0x11223344)
		die("wrong first pixel");
}

static double median_us(struct ctx *c, int kind, unsigned n)
{
	uint64_t t[256];

	one(c, kind);   /* warm up */
	for (unsigned i = 0; i < n; i++) {
		uint64_t t0 = now_ns();

		one(c, kind);
		t[i] = now_ns() - t0;
	}
	qsort(t, n, sizeof(t[0]), cmp);
	return (double)t[n / 2] / 1000.0;
}

static IOSurfaceRef make_surface(size_t w, size_t h)
{
	CFMutableDictionaryRef d = CFDictionaryCreateMutable(NULL, 0, &kCFTypeDictionaryKeyCallBacks,
							     &kCFTypeDictionaryValueCallBacks);
	long v[3] = { (long)w, (long)h, 4 };
	CFStringRef k[3] = { kIOSurfaceWidth, kIOSurfaceHeight, kIOSurfaceBytesPerElement };
	IOSurfaceRef s;

	for (int i = 0; i < 3; i++) {
		CFNumberRef n = CFNumberCreate(NULL, kCFNumberLongType, &v[i]);

		CFDictionarySetValue(d, k[i], n);
		CFRelease(n);
	}
	s = IOSurfaceCreate(d);
	CFRelease(d);
	if (!s)
		die("IOSurfaceCreate");
	memset(IOSurfaceGetBaseAddress(s), 0x5a, w * h * 4);
	*(uint32_t *)IOSurfaceGetBaseAddress(s) = 0x11223344;
	return s;
}

static void measure(struct ctx *c, size_t w, size_t h, unsigned n)
{
	vm_address_t a = 0;
	size_t size = w * h * 4;
	double surf, ool, sock;

	c->w = w;
	c->h = h;
	c->s = make_surface(w, h);
	if (vm_allocate(mach_task_self(), &a, size, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		die("vm_allocate");
	c->ool = (void *)a;
	memset(c->ool, 0x5a, size);
	*(uint32_t *)c->ool = 0x11223344;
	surf = median_us(c, KIND_SURFACE, n);
	ool = median_us(c, KIND_OOL, n);
	sock = median_us(c, KIND_SOCKET, n);
	printf("%4zux%-4zu %6.1f MB   surface %8.1f us   ool %8.1f us (x%.0f)   socket %8.1f us (x%.0f)\n",
	       w, h, size / 1e6, surf, ool, ool / surf, sock, sock / surf);
	vm_deallocate(mach_task_self(), a, size);
	CFRelease(c->s);
}

static pid_t start_receiver(struct ctx *c, const char *self)
{
	int sv[2], s, inheritable, peer_sock;
	struct port *p;
	struct frame_rcv hello;
	pid_t pid;
	char a1[16], a2[16];

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &c->home) != KERN_SUCCESS ||
	    mach_port_insert_right(mach_task_self(), c->home, c->home, MACH_MSG_TYPE_MAKE_SEND) != KERN_SUCCESS ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		die("setup");
	space_lock();
	p = space_get(c->home);
	s = p ? p->send_fd : -1;
	inheritable = s >= 0 ? fcntl(s, F_DUPFD, 0) : -1;
	space_unlock();
	if (inheritable < 0)
		die("send fd");
	c->sock = sv[0];
	peer_sock = sv[1];
	pid = fork();
	if (pid == 0) {
		snprintf(a1, sizeof(a1), "%d", inheritable);
		snprintf(a2, sizeof(a2), "%d", peer_sock);
		execl(self, self, "--receiver", a1, a2, (char *)NULL);
		_exit(127);
	}
	close(inheritable);
	close(peer_sock);
	recv_msg(c->home, &hello);
	c->peer = hello.m.head.msgh_remote_port;
	return pid;
}

int main(int argc, char **argv)
{
	struct ctx c = { 0 };
	struct frame_msg m;
	unsigned n = 200;
	char self[4096];
	ssize_t len;
	pid_t pid;

	if (argc == 4 && strcmp(argv[1], "--receiver") == 0)
		return receiver(atoi(argv[2]), atoi(argv[3]));
	for (int i = 1; i < argc; i++)          /* the driver's options: only --quick matters here */
		if (strcmp(argv[i], "--quick") == 0)
			n = 20;
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0)
		die("readlink");
	self[len] = '\0';
	pid = start_receiver(&c, self);
	printf("passing a BGRA frame to another process and reading its first pixel (median of %u):\n", n);
	measure(&c, 1280, 720, n);
	measure(&c, 3840, 2160, n / 4 ? n / 4 : 1);
	memset(&m, 0, sizeof(m));
	send_msg(c.peer, KIND_QUIT, MACH_PORT_NULL, &m);
	waitpid(pid, NULL, 0);
	return 0;
}
