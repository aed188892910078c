/* SPDX-License-Identifier: MIT */
/*
 * vm-memfd.c - the memfds behind the library's memory: made with their
 * size sealed, opened again read-only, and filled from memory as sealed
 * snapshots.  No region table here (vm-region.c keeps it).
 */
#include "vm-region.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

int vm_reopen_ro(int fd)
{
	char path[64];
	int flags = fcntl(fd, F_GETFL), ro;

	if (flags < 0)
		return -errno;
	if ((flags & O_ACCMODE) == O_RDONLY)
		ro = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	else {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		ro = open(path, O_RDONLY | O_CLOEXEC);
	}
	return ro < 0 ? -errno : ro;
}

bool vm_fd_writable(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl >= 0 && (fl & O_ACCMODE) != O_RDONLY;
}

/*
 * The fd a shared map of @fd keeps: a read-only one when the map may never
 * be writable, so that the kernel itself refuses mprotect(PROT_WRITE) on
 * it.  Without /proc, a dup of @fd, and vm_protect()'s check alone.
 */
int vm_map_fd(int fd, int maxprot)
{
	int ro = (maxprot & PROT_WRITE) ? -1 : vm_reopen_ro(fd);

	if (ro >= 0)
		return ro;
	ro = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	return ro < 0 ? -errno : ro;
}

int vm_memfd(const char *name, size_t size, mode_t mode)
{
	int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING), err;

	if (fd < 0)
		return -errno;
	/*
	 * Its size is fixed for good: receivers check the seals, so that no
	 * holder of a memory entry can truncate it under another's mapping.
	 * F_SEAL_SEAL waits until a read-only entry adds F_SEAL_FUTURE_WRITE
	 * (memobj.c); adding seals takes a writable fd.
	 */
	if (ftruncate(fd, (off_t)size) < 0 || fchmod(fd, mode) < 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int vm_write_all(int fd, const char *p, size_t size)
{
	size_t done = 0;

	while (done < size) {
		ssize_t n = pwrite(fd, p + done, size - done, (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += (size_t)n;
	}
	return 0;
}

/* Move a private region's pages into a new memfd mapped shared in their place.  Lock held. */
int vm_sealed_copy(const void *addr, size_t size)
{
	int fd = memfd_create("bootstrap-ool", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	int err;

	if (fd < 0)
		return -errno;
	err = vm_write_all(fd, addr, size);
	/*
	 * The receiver maps it copy-on-write, which shows later writes to the
	 * file: sealed, it is a snapshot.  Receivers refuse it unsealed.
	 */
	if (!err && fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
		err = -errno;
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

/*
 * Whether @fd is a file of shared memory (memfd_create()'s own kind).  A
 * hugetlbfs memfd passes every other check a received memfd gets, but is
 * mapped in huge pages: a window of one small page would map (and unmap)
 * a whole huge one.
 */
bool vm_is_shmem(int fd)
{
	struct statfs sf;

	return fstatfs(fd, &sf) == 0 && sf.f_type == TMPFS_MAGIC;
}
