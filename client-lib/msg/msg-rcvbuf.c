/* SPDX-License-Identifier: MIT */
/* msg-rcvbuf.c - each thread's buffer for one whole received datagram (msg-rcvbuf.h). */
#include "msg-rcvbuf.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "wire.h"

/*
 * The calling thread's buffer for a whole datagram, taken for one receive
 * (NULL if it is in use, by a signal handler's receive, or cannot be had):
 * allocated at the thread's first receive, freed when the thread exits.
 * Initial-exec, as mig.c's reply port: taken at every receive.
 */
static __thread char *tls_buf __attribute__((tls_model("initial-exec")));
static __thread bool tls_buf_busy __attribute__((tls_model("initial-exec")));
static pthread_key_t tls_buf_key;
static bool tls_buf_key_ok;
static pthread_once_t tls_buf_once = PTHREAD_ONCE_INIT;

/*
 * At thread exit.  Another library's exit cleanup may still receive after
 * this one: it then gets a new buffer (freed in a later round), never this.
 */
static void tls_buf_free(void *buf)
{
	free(buf);
	tls_buf = NULL;
}

static void tls_buf_key_make(void)
{
	tls_buf_key_ok = pthread_key_create(&tls_buf_key, tls_buf_free) == 0;
}

char *rcv_buffer_take(void)
{
	if (tls_buf_busy)
		return NULL;
	if (!tls_buf) {
		pthread_once(&tls_buf_once, tls_buf_key_make);
		if (!tls_buf_key_ok || !(tls_buf = malloc(WIRE_MAX_DATAGRAM)))
			return NULL;
		pthread_setspecific(tls_buf_key, tls_buf);
	}
	tls_buf_busy = true;
	return tls_buf;
}

void rcv_buffer_give(void)
{
	tls_buf_busy = false;
}
