/* SPDX-License-Identifier: MIT */
#include "fuzz-fds.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

static const size_t memfd_sizes[] = { 0, 16, 4096, 65536 };

static int make_memfd(unsigned int size_sel, int seals)
{
	static const char fill[64] = "<plist><dict><key>Label</key><string>x</string></dict></plist>";
	size_t size = memfd_sizes[size_sel & 3];
	int fd = memfd_create("fuzz", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0)
		return -errno;
	for (size_t off = 0; off < size; off += sizeof(fill)) {
		size_t n = size - off < sizeof(fill) ? size - off : sizeof(fill);

		if (pwrite(fd, fill, n, (off_t)off) != (ssize_t)n) {
			close(fd);
			return -EIO;
		}
	}
	if (seals && fcntl(fd, F_ADD_SEALS, seals) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

static int make_pair(struct fuzz_fds *f, int type)
{
	int sv[2];

	if (socketpair(AF_UNIX, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv) < 0)
		return -errno;
	f->peers[f->npeers++] = sv[1];
	return sv[0];
}

static int open_null(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static int dup_previous(struct fuzz_fds *f, bool peer)
{
	int fd;

	if (peer ? f->npeers == 0 : f->n == 0)
		return open_null();
	fd = fcntl(peer ? f->peers[f->npeers - 1] : f->fds[f->n - 1], F_DUPFD_CLOEXEC, 0);
	return fd < 0 ? -errno : fd;
}

static int make_one(struct fuzz_fds *f, uint8_t spec)
{
	int p[2];

	switch ((enum fuzz_fd_kind)(spec & 7)) {
	case FUZZ_FD_SEQPACKET:
		return make_pair(f, SOCK_SEQPACKET);
	case FUZZ_FD_MEMFD:
		return make_memfd(spec >> 3, 0);
	case FUZZ_FD_MEMFD_SHRINK:
		return make_memfd(spec >> 3, F_SEAL_SHRINK);
	case FUZZ_FD_MEMFD_FROZEN:
		return make_memfd(spec >> 3, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
	case FUZZ_FD_PIPE:
		if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
			return -errno;
		f->peers[f->npeers++] = p[1];
		return p[0];
	case FUZZ_FD_DEVNULL:
		return open_null();
	case FUZZ_FD_STREAM:
		return make_pair(f, SOCK_STREAM);
	case FUZZ_FD_DUP:
	default:
		return dup_previous(f, spec & 8);
	}
}

int fuzz_fds_make(struct fuzz_fds *f, const uint8_t *spec, size_t n)
{
	f->n = f->npeers = 0;
	if (n > FUZZ_FDS_MAX)
		n = FUZZ_FDS_MAX;
	for (size_t i = 0; i < n; i++) {
		int fd = make_one(f, spec[i]);

		if (fd < 0) {
			fuzz_fds_close(f);
			return fd;
		}
		f->fds[f->n++] = fd;
	}
	return 0;
}

void fuzz_fds_close(struct fuzz_fds *f)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->fds[i] >= 0)
			close(f->fds[i]);
	for (size_t i = 0; i < f->npeers; i++)
		close(f->peers[i]);
	f->n = f->npeers = 0;
}

int fuzz_fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		abort();
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;   /* the DIR's own */
}

static void dump_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	char path[PATH_MAX], target[PATH_MAX];

	if (!d)
		return;
	while ((e = readdir(d))) {
		ssize_t n;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		fprintf(stderr, "  fd %s -> %s\n", e->d_name, target);
	}
	closedir(d);
}

void fuzz_fd_check(int baseline)
{
	int now = fuzz_fd_count();

	if (now == baseline)
		return;
	fprintf(stderr, "fd leak: %d fds open, %d before the input\n", now, baseline);
	dump_fds();
	abort();
}
