/* SPDX-License-Identifier: MIT */
#include "vm-maps.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

/* Above the user half of the address space (the legacy [vsyscall] page): not listed. */
#define USER_TOP ((uintptr_t)1 << 47)

static bool parse_line(const char *line, struct vm_mapping *m)
{
	unsigned long start, end;
	unsigned long long offset;
	char perms[5];

	if (sscanf(line, "%lx-%lx %4s %llx", &start, &end, perms, &offset) != 4)
		return false;
	m->start = start;
	m->end = end;
	m->offset = offset;
	m->prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) |
		  (perms[2] == 'x' ? PROT_EXEC : 0);
	m->shared = perms[3] == 's';
	return m->start < m->end && m->start < USER_TOP;
}

/*
 * Call @fn on each mapping in address order until it returns non-zero.
 * Return: what @fn returned last, or 1 if it never stopped, or a negative errno.
 */
static int maps_walk(int (*fn)(const struct vm_mapping *m, void *arg), void *arg)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char *line = NULL;
	size_t cap = 0;
	int ret = 1;

	if (!f)
		return -errno;
	while (ret == 1 && getline(&line, &cap, f) > 0) {
		struct vm_mapping m;

		if (parse_line(line, &m))
			ret = fn(&m, arg) ? 0 : 1;
	}
	free(line);
	fclose(f);
	return ret;
}

struct find_arg {
	uintptr_t addr;
	struct vm_mapping *out;
};

static int find_one(const struct vm_mapping *m, void *arg)
{
	struct find_arg *a = arg;

	if (m->end <= a->addr)
		return 0;
	*a->out = *m;
	return 1;
}

int vm_maps_find(uintptr_t addr, struct vm_mapping *out)
{
	struct find_arg a = { addr, out };
	int ret = maps_walk(find_one, &a);

	return ret == 0 ? 0 : ret == 1 ? -ENOENT : ret;
}

struct check_arg {
	uintptr_t at, end;      /* the part not yet seen mapped */
	int prot;
	int err;
};

static int check_one(const struct vm_mapping *m, void *arg)
{
	struct check_arg *a = arg;

	if (m->end <= a->at)
		return 0;
	if (m->start > a->at) {
		a->err = -EFAULT;       /* a hole */
		return 1;
	}
	if ((m->prot & a->prot) != a->prot) {
		a->err = -EACCES;       /* the first fault in address order, as XNU walks */
		return 1;
	}
	a->at = m->end;
	return a->at >= a->end;
}

int vm_maps_check(uintptr_t addr, size_t size, int prot)
{
	struct check_arg a = { addr, addr + size, prot, 0 };
	int ret;

	if (size == 0)
		return 0;
	if (a.end < addr)
		return -EFAULT;
	ret = maps_walk(check_one, &a);
	if (ret < 0)
		return ret;
	if (a.err)
		return a.err;
	return a.at < a.end ? -EFAULT : 0;
}

int vm_read_self(void *dst, const void *src, size_t size)
{
	struct iovec local = { dst, size }, remote = { (void *)src, size };
	ssize_t n;

	if (size == 0)
		return 0;
	if (!src)
		return -EFAULT;
	n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	if (n == (ssize_t)size)
		return 0;
	if (n < 0 && (errno == ENOSYS || errno == EPERM)) {
		/* Not allowed here (a seccomp filter): check the mappings, then copy. */
		if (vm_maps_check((uintptr_t)src, size, PROT_READ) < 0)
			return -EFAULT;
		memcpy(dst, src, size);
		return 0;
	}
	return -EFAULT;
}
