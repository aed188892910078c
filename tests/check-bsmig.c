/* SPDX-License-Identifier: MIT */
/*
 * check-bsmig - the generator as a program: its output for
 * mig/golden/small.defs is byte-for-byte the golden files; every error
 * names file and line and leaves no output behind; real .defs with
 * constructs it does not support are refused the same way; the command
 * line is Apple's.
 */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers/runner.h"
#include "helpers/tmpdir.h"

#define MAX_ARGS 32

static char *tmp;

static void setup(void)
{
	tmp = tmpdir_new("bsmig");
}

static void teardown(void)
{
	tmpdir_remove(tmp);
}

static const char *env(const char *name)
{
	const char *v = getenv(name);

	ck_assert_msg(v && *v, "%s is not set (run the tests through meson)", name);
	return v;
}

/*
 * Run bsmig in @cwd with @args (NULL-terminated), the shipped .defs on the
 * include path after @first_inc (if not NULL); its stderr goes to @err.
 * Return: exit status.
 */
static int bsmig_inc(const char *cwd, const char *first_inc, const char *const *args, char *err,
		     size_t errlen)
{
	const char *argv[MAX_ARGS] = { "bsmig" };
	int pipefd[2], ws = -1, n = 1;
	ssize_t got, total = 0;
	pid_t pid;

	if (first_inc) {
		argv[n++] = "-I";
		argv[n++] = first_inc;
	}
	argv[n++] = "-I";
	argv[n++] = env("BSMIG_DEFS_DIR");
	for (int i = 0; args[i] && n < MAX_ARGS - 1; i++)
		argv[n++] = args[i];
	ck_assert_int_eq(pipe(pipefd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(pipefd[1], STDERR_FILENO);
		if (chdir(cwd) != 0)
			_exit(126);
		execv(env("BSMIG"), (char *const *)argv);
		_exit(127);
	}
	close(pipefd[1]);
	while ((got = read(pipefd[0], err + total, errlen - 1 - (size_t)total)) > 0)
		total += got;
	err[total] = '\0';
	close(pipefd[0]);
	ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
	ck_assert(WIFEXITED(ws));
	return WEXITSTATUS(ws);
}

static int bsmig(const char *cwd, const char *const *args, char *err, size_t errlen)
{
	return bsmig_inc(cwd, NULL, args, err, errlen);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void same_file(const char *golden_dir, const char *out_dir, const char *name)
{
	char a[8400], b[8400];
	size_t la, lb;
	char *ga, *gb;

	snprintf(a, sizeof(a), "%s/%s", golden_dir, name);
	snprintf(b, sizeof(b), "%s/%s", out_dir, name);
	ga = slurp(a, &la);
	gb = slurp(b, &lb);
	ck_assert_msg(la == lb && memcmp(ga, gb, la) == 0,
		      "%s differs from its golden copy (regenerate it if the change is intended)", name);
	free(ga);
	free(gb);
}

static const char *const golden_files[] = {
	"smallUser.c", "small.h", "smallServer.c", "smallServer.h", "smallInternal.h",
	"smallDefines.h",
};

START_TEST(test_golden)
{
	char dir[4096], out[6][4200], err[4096];
	const char *args[20];
	int n = 0;
	static const char *const flags[] = { "-user", "-header", "-server", "-sheader", "-iheader",
					     "-dheader" };

	snprintf(dir, sizeof(dir), "%s/golden", env("MIG_TEST_DATA"));
	for (int i = 0; i < 6; i++) {
		snprintf(out[i], sizeof(out[i]), "%s/%s", tmp, golden_files[i]);
		args[n++] = flags[i];
		args[n++] = out[i];
	}
	args[n++] = "small.defs";
	args[n] = NULL;
	ck_assert_int_eq(bsmig(dir, args, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
	for (int i = 0; i < 6; i++)
		same_file(dir, tmp, golden_files[i]);
}
END_TEST

struct bad_case {
	const char *dir;        /* under $MIG_TEST_DATA */
	const char *defs;
	const char *message;    /* expected in stderr */
};

static const struct bad_case bad_cases[] = {
	{ "errors", "syntax.defs", "syntax.defs:8: error: expected an argument name" },
	{ "errors", "unknown-type.defs", "unknown-type.defs:6: error: unknown type 'nosuch_t'" },
	{ "errors", "unsupported-flag.defs",
	  "unsupported-flag.defs:6: error: argument flag 'Overwrite' is not supported by bsmig" },
	{ "errors", "samecount.defs",
	  "samecount.defs:10: error: w: SameCount on strings and out-of-line arrays is not supported by bsmig" },
	{ "errors", "samecount.defs",
	  "samecount.defs:12: error: c: SameCount with CountInOut is not supported by bsmig" },
	/* Where Apple's MIG ignores SameCount, bsmig warns as it does. */
	{ "errors", "samecount.defs",
	  "samecount.defs:13: warning: d: SameCount is ignored - the argument is not variable" },
	{ "errors", "samecount.defs",
	  "samecount.defs:14: warning: e: SameCount is ignored - adjacent argument is not variable" },
	{ "errors", "samecount.defs",
	  "samecount.defs:15: warning: g: SameCount is ignored - inconsistencies with the adjacent argument" },
	{ "errors", "unsupported-kind.defs",
	  "unsupported-kind.defs:6: error: argument kind 'ServerContextToken' is not supported by bsmig" },
	{ "errors", "inout.defs",
	  "inout.defs:6: error: s: inout strings and arrays of ports are not supported by bsmig" },
	{ "errors", "inout.defs",
	  "inout.defs:7: error: p: inout strings and arrays of ports are not supported by bsmig" },
	{ "errors", "inout.defs",
	  "inout.defs:9: error: b: SameCount on an inout array is not supported by bsmig" },
	{ "errors", "include.defs", "included.defs.h:3: error: array size must be positive" },
	{ "errors", "request-port.defs",
	  "request-port.defs:5: error: x: the request port (first argument) must have a port type" },
	{ "errors", "no-subsystem.defs", "no-subsystem.defs:1: error: no subsystem statement" },
	{ "errors", "anonymous-element.defs",
	  "anonymous-element.defs:3: error: array elements need a named type" },
	{ "errors", "misplaced-flags.defs",
	  "misplaced-flags.defs:6: error: x: CountInOut applies to out counted in-line arrays only" },
	{ "errors", "misplaced-flags.defs",
	  "misplaced-flags.defs:7: error: y: RetCode applies to an 'in' 32-bit integer only" },
	{ "errors", "bad-pair.defs",
	  "bad-pair.defs:3: error: the two halves of an in|out IPC type are both ports or both data" },
	{ "errors", "bad-pair.defs",
	  "bad-pair.defs:4: error: the halves of an in|out IPC type differ in size (32 and 64 bits)" },
	{ "errors", "bad-pair.defs",
	  "bad-pair.defs:5: error: expected a MACH_MSG_TYPE_ name or polymorphic before '|'" },
	{ "errors", "bad-pointer.defs",
	  "bad-pointer.defs:3: error: ^ applies to arrays and fixed-size data only" },
	{ "errors", "bad-pointer.defs",
	  "bad-pointer.defs:6: error: ^ of fixed-size data needs a type name" },
	{ "errors", "local-type.defs",   /* an argument's own type is not declared for others */
	  "local-type.defs:8: error: unknown type 'once_t'" },
};

START_TEST(test_errors)
{
	const struct bad_case *c = &bad_cases[_i];
	char dir[4096], user[4200], header[4200], server[4200], err[8192];
	const char *args[] = { "-user", user, "-header", header, "-server", server, c->defs, NULL };
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/%s", env("MIG_TEST_DATA"), c->dir);
	snprintf(user, sizeof(user), "%s/u.c", tmp);
	snprintf(header, sizeof(header), "%s/u.h", tmp);
	snprintf(server, sizeof(server), "%s/s.c", tmp);
	ck_assert_int_eq(bsmig(dir, args, err, sizeof(err)), 1);
	ck_assert_msg(strstr(err, c->message) != NULL, "expected \"%s\" in:\n%s", c->message, err);
	/* Nothing is written when the input is wrong. */
	ck_assert_int_ne(stat(user, &st), 0);
	ck_assert_int_ne(stat(header, &st), 0);
	ck_assert_int_ne(stat(server, &st), 0);
}
END_TEST

START_TEST(test_command_line)
{
	char dir[4096], err[4096], out[4200];
	const char *version[] = { "-version", NULL };
	const char *refused[] = { "-i", "x", "small.defs", NULL };
	const char *missing[] = { "-user", out, "-header", out, "-server", out, "nosuch.defs", NULL };
	const char *two[] = { "a.defs", "b.defs", NULL };
	const char *apple[] = { "-user", out, "-header", "/dev/null", "-server", "/dev/null",
				"-maxonstack", "1024", "-novouchers", "-DNAME=1", "-UOTHER", "-q",
				"-arch", "x86_64", "small.defs", NULL };

	snprintf(dir, sizeof(dir), "%s/golden", env("MIG_TEST_DATA"));
	snprintf(out, sizeof(out), "%s/out.c", tmp);
	ck_assert_int_eq(bsmig(dir, version, err, sizeof(err)), 0);
	ck_assert_int_eq(bsmig(dir, refused, err, sizeof(err)), 1);
	ck_assert_ptr_nonnull(strstr(err, "-i is not supported"));
	ck_assert_int_eq(bsmig(dir, missing, err, sizeof(err)), 1);
	ck_assert_ptr_nonnull(strstr(err, "cannot read nosuch.defs"));
	ck_assert_int_eq(bsmig(dir, two, err, sizeof(err)), 1);
	ck_assert_int_eq(bsmig(dir, apple, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "-q has no effect"));
	ck_assert_ptr_nonnull(strstr(err, "-arch x86_64 has no effect"));
}
END_TEST

static void expect_in(const char *path, const char *text)
{
	size_t len;
	char *body = slurp(path, &len);

	ck_assert_msg(strstr(body, text) != NULL, "%s lacks \"%s\"", path, text);
	free(body);
}

/* Global WaitTime and MsgOption, (name, bits) types, outtran, physicalcopy, dealloc. */
START_TEST(test_options)
{
	char dir[4096], user[4200], server[4200], err[4096];
	const char *args[] = { "-user", user, "-header", "/dev/null", "-server", server,
			       "options.defs", NULL };

	snprintf(dir, sizeof(dir), "%s/golden", env("MIG_TEST_DATA"));
	snprintf(user, sizeof(user), "%s/u.c", tmp);
	snprintf(server, sizeof(server), "%s/s.c", tmp);
	ck_assert_int_eq(bsmig(dir, args, err, sizeof(err)), 0);
	expect_in(user, "MACH_SEND_MSG|MACH_RCV_MSG|MACH_SEND_TIMEOUT|MACH_RCV_TIMEOUT|"
			"MACH_SEND_INTERRUPT, msgh_size");
	expect_in(user, "InP->Head.msgh_reply_port, options_timeout, MACH_PORT_NULL);");
	expect_in(user, "__MachMsgErrorWithTimeout(msg_result);");
	expect_in(user, "\t\tquad_t q;\n");
	expect_in(user, "InP->data.deallocate = TRUE;");
	expect_in(user, "InP->data.copy = MACH_MSG_PHYSICAL_COPY;");
	expect_in(server, "OutP->right.name = port_out(rightTemp);");
	/* An array of strings is copied whole, not as one string. */
	expect_in(user, "(void)memcpy((char *) InP->names, (const char *) names, 48);");
	expect_in(server, "/* rcsid \"options.defs\" */");
}
END_TEST

/*
 * Apple's std_types.defs declares the exact-width integers and includes
 * machine_types.defs, which names int, short and unsigned after them and
 * defines the VM_*TYPE macros: either shipped file works with the other
 * written Apple's way, whichever an include path finds first.
 */
START_TEST(test_apple_split_std_types)
{
	char dir[4096], err[8192];
	const char *args[] = { "-user", "/dev/null", "-header", "/dev/null", "-server", "/dev/null",
			       "uses.defs", NULL };
	static const char *const first[] = { "std", "machine" };

	snprintf(dir, sizeof(dir), "%s/apple-split", env("MIG_TEST_DATA"));
	for (int i = 0; i < 2; i++) {
		ck_assert_msg(bsmig_inc(dir, first[i], args, err, sizeof(err)) == 0,
			      "with %s/ first:\n%s", first[i], err);
		ck_assert_str_eq(err, "");
	}
}
END_TEST

/* The user-space types of Apple's mach_types.defs that name C types this project declares. */
START_TEST(test_apple_user_types)
{
	char dir[4096], err[8192];
	const char *args[] = { "-user", "/dev/null", "-header", "/dev/null", "-server", "/dev/null",
			       "apple-types.defs", NULL };

	snprintf(dir, sizeof(dir), "%s", env("MIG_TEST_DATA"));
	ck_assert_msg(bsmig(dir, args, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(err, "");
}
END_TEST

/* $CPP, then $MIGCC, choose the preprocessor, as in Apple's mig script. */
START_TEST(test_preprocessor_choice)
{
	char dir[4096], err[4096];
	const char *args[] = { "-user", "/dev/null", "-header", "/dev/null", "-server", "/dev/null",
			       "small.defs", NULL };

	snprintf(dir, sizeof(dir), "%s/golden", env("MIG_TEST_DATA"));
	setenv("CPP", "false", 1);
	ck_assert_int_eq(bsmig(dir, args, err, sizeof(err)), 1);
	ck_assert_ptr_nonnull(strstr(err, "the preprocessor (false) failed"));
	setenv("CPP", "cc -E", 1);
	ck_assert_int_eq(bsmig(dir, args, err, sizeof(err)), 0);
	unsetenv("CPP");
	setenv("MIGCC", "false", 1);
	ck_assert_int_eq(bsmig(dir, args, err, sizeof(err)), 1);
	setenv("MIGCC", "cc", 1);
	ck_assert_int_eq(bsmig(dir, args, err, sizeof(err)), 0);
	unsetenv("MIGCC");
}
END_TEST

/* Words the mutations put in: the language's own, so the parser goes deep. */
static const char *const words[] = {
	"in", "out", "inout", "array", "[", "]", "*", ":", "^", "of", "c_string", "struct",
	"type", "routine", "simpleroutine", "skip", "(", ")", ";", ",", "=", "polymorphic",
	"MACH_MSG_TYPE_MOVE_SEND", "0", "4", "-1", "dealloc", "CountInOut", "RetCode",
	"replyport", "sreplyport", "WaitTime", "MsgOption", "ctype", "intran", "outtran",
	"destructor", "ServerAuditToken", "UserAuditToken", "msgseqno", "import", "<y.h>",
	"subsystem", "int", "mach_port_t", "name_t", "\"",
};

static unsigned next_random(unsigned *state)
{
	*state = *state * 1103515245u + 12345u;
	return (*state >> 16) & 0x7fff;
}

/* @src with a few words deleted, replaced or inserted, written to @path. */
static void mutate(const char *src, size_t len, unsigned *state, const char *path)
{
	FILE *f = fopen(path, "w");
	int edits = 1 + (int)(next_random(state) % 4);

	ck_assert_ptr_nonnull(f);
	for (size_t i = 0; i < len; i++) {
		bool boundary = i == 0 || src[i - 1] == ' ' || src[i - 1] == '\n' || src[i - 1] == '\t';

		if (boundary && edits > 0 && next_random(state) % 40 == 0) {
			unsigned op = next_random(state) % 3;

			edits--;
			if (op != 2)
				fprintf(f, " %s ", words[next_random(state) % (sizeof(words) / sizeof(words[0]))]);
			if (op != 0) {
				while (i < len && src[i] != ' ' && src[i] != '\n')
					i++;
			}
		}
		if (i < len)
			fputc(src[i], f);
	}
	ck_assert_int_eq(fclose(f), 0);
}

/* Mangled input is an error or a success, never a crash. */
START_TEST(test_mutations)
{
	char src_path[4096], path[4200], err[8192];
	const char *args[] = { "-user", "/dev/null", "-header", "/dev/null", "-server", "/dev/null",
			       "-sheader", "/dev/null", path, NULL };
	unsigned state = 12345;
	size_t len;
	char *src;

	snprintf(src_path, sizeof(src_path), "%s/everything.defs", env("MIG_TEST_DATA"));
	snprintf(path, sizeof(path), "%s/m.defs", tmp);
	src = slurp(src_path, &len);
	for (int i = 0; i < 300; i++) {
		int status;

		mutate(src, len, &state, path);
		status = bsmig(tmp, args, err, sizeof(err));
		ck_assert_msg(status == 0 || status == 1, "exit %d on mutation %d:\n%s", status, i, err);
		/* Under the sanitizers a finding also exits 1: look at what was said. */
		ck_assert_msg(strstr(err, "Sanitizer") == NULL && strstr(err, "runtime error") == NULL,
			      "mutation %d:\n%s", i, err);
	}
	free(src);
}
END_TEST

static Suite *bsmig_suite(void)
{
	Suite *s = suite_create("bsmig");
	TCase *tc = tcase_create("generator");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_golden);
	tcase_add_loop_test(tc, test_errors, 0, (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	tcase_add_test(tc, test_command_line);
	tcase_add_test(tc, test_options);
	tcase_add_test(tc, test_preprocessor_choice);
	tcase_add_test(tc, test_apple_split_std_types);
	tcase_add_test(tc, test_apple_user_types);
	tcase_add_test(tc, test_mutations);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(bsmig_suite(), NULL, 0, argc, argv);
}
