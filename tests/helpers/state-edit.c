/* SPDX-License-Identifier: MIT */
#include "state-edit.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The state in memfd @fd, decoded into *@st; its version in *@version. */
static void read_state(int fd, struct state *st, uint32_t *version)
{
	struct stat sb;
	char *buf;

	ck_assert_int_eq(fstat(fd, &sb), 0);
	buf = malloc((size_t)sb.st_size + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(pread(fd, buf, (size_t)sb.st_size, 0), sb.st_size);
	ck_assert_int_eq(state_decode(buf, (size_t)sb.st_size, st), 0);
	memcpy(version, buf + 8, sizeof(*version));     /* after the magic */
	free(buf);
}

/* *@st (its generation kept) in @version into memfd @fd, in place of what it held. */
static void write_state(int fd, const struct state *st, uint32_t version)
{
	size_t len;
	char *buf;

	ck_assert_int_eq(state_encode_as(st, version, &buf, &len), 0);
	ck_assert_int_eq(pwrite(fd, buf, len, 0), (ssize_t)len);
	ck_assert_int_eq(ftruncate(fd, (off_t)len), 0);
	free(buf);
}

void state_edit(struct fake_fdstore *s, void (*edit)(struct state *st))
{
	int n = 0;

	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < s->n; i++) {
		struct state st;
		uint32_t version;

		if (strncmp(s->v[i].name, "state-", 6) != 0)
			continue;
		read_state(s->v[i].fd, &st, &version);
		edit(&st);
		write_state(s->v[i].fd, &st, version);
		state_free(&st);
		n++;
	}
	pthread_mutex_unlock(&s->lock);
	ck_assert_int_gt(n, 0);
}
