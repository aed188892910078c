/* SPDX-License-Identifier: MIT */
#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int process_start_time(pid_t pid, uint64_t *start)
{
	char path[64], buf[1024], *p;
	unsigned long long v;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	/* The command may hold spaces and parentheses: fields follow the last ')'. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d "
			 "%*d %*d %*d %*d %llu", &v) != 1)
		return -EIO;
	*start = v;
	return 0;
}

int process_pidfd_pid(int fd, pid_t *pid)
{
	char path[64], buf[1024], *line;
	ssize_t n;
	int info, v;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	info = open(path, O_RDONLY | O_CLOEXEC);
	if (info < 0)
		return -errno;
	n = read(info, buf, sizeof(buf) - 1);
	close(info);
	if (n < 0)
		return -EIO;
	buf[n] = '\0';
	/* Every fd's fdinfo starts with pos, flags, mnt_id and ino: "Pid:" follows. */
	line = strstr(buf, "\nPid:");
	if (!line || sscanf(line + 5, "%d", &v) != 1)
		return -EBADF;
	*pid = (pid_t)v;
	return 0;
}
