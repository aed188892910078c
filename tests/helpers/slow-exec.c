/* SPDX-License-Identifier: MIT */
/*
 * slow-exec - stands in for a binary, ARGV0, and runs ARGV0.real with the
 * same arguments a second later, its signal mask untouched: the re-exec
 * test's slow new image (a shell would clear the mask).
 */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char real[4096];

	(void)argc;
	if (snprintf(real, sizeof(real), "%s.real", argv[0]) >= (int)sizeof(real))
		return 127;
	sleep(1);
	execv(real, argv);
	return 127;
}
