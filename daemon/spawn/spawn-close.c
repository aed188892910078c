/* SPDX-License-Identifier: MIT */
/*
 * spawn-close.c - close every fd of a child about to exec but those it
 * keeps; async-signal-safe (spawn.c calls it between fork and exec).
 */
#include "spawn-plan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/resource.h>
#include <unistd.h>

/* Parse a /proc/self/fd entry name without strtol() (locale, not AS-safe). */
static int fd_of_name(const char *name)
{
	int fd = 0;

	if (!*name)
		return -1;
	for (; *name; name++) {
		if (*name < '0' || *name > '9' || fd > (INT32_MAX - 9) / 10)
			return -1;
		fd = fd * 10 + (*name - '0');
	}
	return fd;
}

/*
 * For kernels without close_range() (before 5.9): walk /proc/self/fd
 * with getdents64(), which needs no malloc, or, without /proc, try every
 * fd below RLIMIT_NOFILE.
 */
static int close_fallback(int first, int keep)
{
	char buf[4096] __attribute__((aligned(8)));
	int dfd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct rlimit rl;
	ssize_t n;
	int fd;

	if (dfd < 0) {
		if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
			return -1;
		for (fd = first; (rlim_t)fd < rl.rlim_cur && fd < INT32_MAX; fd++)
			if (fd != keep)
				close(fd);
		return 0;
	}
	while ((n = getdents64(dfd, buf, sizeof(buf))) > 0) {
		ssize_t off = 0;

		while (off < n) {
			struct dirent64 *d = (struct dirent64 *)(void *)(buf + off);

			fd = fd_of_name(d->d_name);
			if (fd >= first && fd != keep && fd != dfd)
				close(fd);
			off += d->d_reclen;
		}
	}
	close(dfd);
	return n < 0 ? -1 : 0;
}

int spawn_close_from(int first, int keep)
{
	int r = 0;

	if (keep < first) {
		r = close_range((unsigned)first, ~0U, 0);
	} else {
		if (keep > first)
			r = close_range((unsigned)first, (unsigned)keep - 1, 0);
		if (r == 0)
			r = close_range((unsigned)keep + 1, ~0U, 0);
	}
	if (r < 0 && errno == ENOSYS)
		r = close_fallback(first, keep);
	return r;
}
