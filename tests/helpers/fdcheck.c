/* SPDX-License-Identifier: MIT */
#include "fdcheck.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int fdcheck_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the DIR's own fd */
}

void fdcheck_dump(void)
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
		fprintf(stderr, "fd %s -> %s\n", e->d_name, target);
	}
	closedir(d);
}

int fdcheck_lowest_free(pid_t pid)
{
	char path[64];

	for (int fd = 0;; fd++) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
		if (access(path, F_OK) != 0)
			return fd;
	}
}
