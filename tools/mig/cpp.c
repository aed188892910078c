/* SPDX-License-Identifier: MIT */
/*
 * cpp.c - the preprocessor pass.  Like Apple's mig script it prepends
 * '#line 1 "file"' so positions name the user's file, defines __MACH30__,
 * searches the .defs file's directory, and reads the output back.
 */
#include "cpp.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config-bsmig.h"
#include "diag.h"

void cpp_add(struct cpp_args *a, const char *flag)
{
	a->flags = realloc(a->flags, (a->nflags + 1) * sizeof(*a->flags));
	if (!a->flags)
		diag_fatal("out of memory");
	a->flags[a->nflags++] = flag;
}

/* Split a command string on blanks (no quoting, as in make's $CPP). */
static void split_into(struct cpp_args *argv, const char *cmd)
{
	char *copy = xstrdup(cmd), *save = NULL;

	for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
		cpp_add(argv, w);
}

static void command(struct cpp_args *argv, const struct cpp_args *a)
{
	const char *cpp = getenv("CPP"), *migcc = getenv("MIGCC");

	if (cpp && *cpp) {
		split_into(argv, cpp);
	} else if (a->cc || (migcc && *migcc)) {
		split_into(argv, a->cc ? a->cc : migcc);
		cpp_add(argv, "-E");
	} else {
		split_into(argv, BSMIG_CPP);
	}
}

/* The input: a line marker naming @file, then @file itself. */
static char *write_input(const char *file)
{
	const char *dir = getenv("TMPDIR");
	char *path = xasprintf("%s/bsmig-XXXXXX.c", dir && *dir ? dir : "/tmp");
	FILE *in = fopen(file, "r"), *out;
	int fd, c;

	if (!in) {
		fprintf(stderr, "bsmig: cannot read %s: %s\n", file, strerror(errno));
		return NULL;
	}
	fd = mkstemps(path, 2);
	if (fd < 0 || !(out = fdopen(fd, "w")))
		diag_fatal("cannot create a temporary file: %s", strerror(errno));
	fprintf(out, "#line 1 \"%s\"\n", file);
	while ((c = getc(in)) != EOF)
		putc(c, out);
	fclose(in);
	if (fclose(out) != 0)
		diag_fatal("cannot write %s: %s", path, strerror(errno));
	return path;
}

static char *read_all(int fd)
{
	size_t len = 0, cap = 65536;
	char *buf = xcalloc(1, cap);
	ssize_t n;

	while ((n = read(fd, buf + len, cap - len - 1)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			diag_fatal("reading the preprocessor's output: %s", strerror(errno));
		len += (size_t)n;
		if (cap - len < 4096) {
			buf = realloc(buf, cap *= 2);
			if (!buf)
				diag_fatal("out of memory");
		}
	}
	buf[len] = '\0';
	return buf;
}

static char *run(const struct cpp_args *argv)
{
	int pipefd[2], status;
	char *out;
	pid_t pid;

	if (pipe(pipefd) < 0)
		diag_fatal("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		diag_fatal("fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		execvp(argv->flags[0], (char *const *)argv->flags);
		fprintf(stderr, "bsmig: cannot run %s: %s\n", argv->flags[0], strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	out = read_all(pipefd[0]);
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bsmig: the preprocessor (%s) failed\n", argv->flags[0]);
		free(out);
		return NULL;
	}
	return out;
}

char *cpp_run(const struct cpp_args *a, const char *file)
{
	struct cpp_args argv = { 0 };
	char *input = write_input(file), *dircopy, *out;

	if (!input)
		return NULL;
	dircopy = xstrdup(file);
	command(&argv, a);
	cpp_add(&argv, "-D__MACH30__");
	cpp_add(&argv, "-D__BSMIG__");
	for (size_t i = 0; i < a->nflags; i++)
		cpp_add(&argv, a->flags[i]);
	cpp_add(&argv, "-I");
	cpp_add(&argv, dirname(dircopy));
	cpp_add(&argv, "-I");
	cpp_add(&argv, BSMIG_DEFS_DIR);
	cpp_add(&argv, input);
	cpp_add(&argv, NULL);
	out = run(&argv);
	unlink(input);
	free(input);
	free(dircopy);
	free(argv.flags);
	return out;
}
