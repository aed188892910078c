/* SPDX-License-Identifier: MIT */
/*
 * check-jobdir-prefetch - a job directory read for loading: its names
 * sorted in two allocations (dir-names.c), its plists parsed ahead on a
 * thread (or, for few, when asked) and handed over in order
 * (jobdir-prefetch.c), a spec adopted by the loading thread
 * (job_spec_adopt()).
 */
#include "dir-names.h"
#include "job-plist.h"
#include "job-spec.h"
#include "jobdir-prefetch.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers/runner.h"

#define MANY 150                /* more than JOBDIR_PREFETCH_AHEAD: the ring wraps */
_Static_assert(MANY >= JOBDIR_PREFETCH_MIN, "MANY names are parsed on the thread");

static char dir[200];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "%.150s/prefetch.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void write_file(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* A job labelled @label; @extra goes into its dictionary. */
static void write_job(const char *name, const char *label, const char *extra)
{
	char text[1024];

	snprintf(text, sizeof(text),
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>"
		 "<key>Label</key><string>%s</string>"
		 "<key>ProgramArguments</key><array><string>/bin/true</string></array>%s"
		 "</dict></plist>\n", label, extra);
	write_file(name, text);
}

static bool plist_name(const char *name)
{
	size_t n = strlen(name);

	return n > 6 && strcmp(name + n - 6, ".plist") == 0;
}

START_TEST(test_names_sorted_and_filtered)
{
	static const char *const want[] = { ".hidden.plist", "A.plist", "a.plist", "b.plist" };
	struct dir_names names;

	write_file("b.plist", "");
	write_file("a.plist", "");
	write_file("A.plist", "");
	write_file(".hidden.plist", "");
	write_file("c.txt", "");
	ck_assert_int_eq(dir_names_read(dir, plist_name, &names), 0);
	ck_assert_uint_eq(names.n, 4);
	for (size_t i = 0; i < 4; i++)
		ck_assert_str_eq(dir_names_at(&names, i), want[i]);
	dir_names_deinit(&names);
	/* Without a filter, everything but "." and "..". */
	ck_assert_int_eq(dir_names_read(dir, NULL, &names), 0);
	ck_assert_uint_eq(names.n, 5);
	dir_names_deinit(&names);
}
END_TEST

/* Past the first capacities of both the text and the index. */
START_TEST(test_many_names)
{
	struct dir_names names;
	char name[128];

	for (int i = MANY * 2 - 1; i >= 0; i--) {
		snprintf(name, sizeof(name), "com.example.a-rather-long-job-name-%04d.plist", i);
		write_file(name, "");
	}
	ck_assert_int_eq(dir_names_read(dir, plist_name, &names), 0);
	ck_assert_uint_eq(names.n, MANY * 2);
	for (int i = 0; i < MANY * 2; i++) {
		snprintf(name, sizeof(name), "com.example.a-rather-long-job-name-%04d.plist", i);
		ck_assert_str_eq(dir_names_at(&names, (size_t)i), name);
	}
	dir_names_deinit(&names);
}
END_TEST

START_TEST(test_missing_directory)
{
	struct dir_names names;
	char missing[512];

	snprintf(missing, sizeof(missing), "%s/none", dir);
	ck_assert_int_eq(dir_names_read(missing, NULL, &names), -ENOENT);
	ck_assert_uint_eq(names.n, 0);
	dir_names_deinit(&names);
}
END_TEST

/*
 * @n jobs; every tenth has an unsupported key (a warning) and job 7 is not
 * a plist (an error).  write_many(): MANY of them, and "d.plist" is a
 * directory (not parsed); the names the loader marks are skipped.
 */
static void write_jobs(int n)
{
	char name[64], label[64];

	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "job%03d.plist", i);
		snprintf(label, sizeof(label), "org.test.job%03d", i);
		if (i == 7)
			write_file(name, "not a plist");
		else
			write_job(name, label, i % 10 == 0 ? "<key>NoSuchKey</key><true/>" : "");
	}
}

static void write_many(void)
{
	char name[512];

	write_jobs(MANY);
	snprintf(name, sizeof(name), "%s/d.plist", dir);
	ck_assert_int_eq(mkdir(name, 0700), 0);
}

/* The result for job @i, checked, its spec adopted as the loader does. */
static void check_job(struct prefetched *r, int i, bool skipped)
{
	char label[64];
	struct job_spec *spec;

	snprintf(label, sizeof(label), "org.test.job%03d", i);
	ck_assert_int_eq(r->skipped, skipped);
	if (skipped) {
		ck_assert_ptr_null(r->spec);
		return;
	}
	ck_assert_ptr_nonnull(strstr(r->path, label + 9));
	ck_assert_int_eq(r->stat_err, 0);
	ck_assert_int_eq(r->trust, PLIST_TRUSTED);
	if (i == 7) {
		ck_assert_int_ne(r->rc, 0);
		ck_assert_ptr_nonnull(r->error);
		ck_assert_ptr_null(r->spec);
		return;
	}
	ck_assert_int_eq(r->rc, 0);
	ck_assert_ptr_null(r->error);
	ck_assert_int_eq(r->warnings != NULL, i % 10 == 0);
	if (r->warnings)
		ck_assert_ptr_nonnull(strstr(r->warnings, "unsupported key NoSuchKey\n"));
	spec = job_spec_adopt(r->spec);
	r->spec = NULL;
	ck_assert_str_eq(spec->label, label);
	ck_assert_ptr_nonnull(spec->block);     /* compacted by the adopting thread */
	ck_assert_str_eq(spec->argv[0], "/bin/true");
	job_spec_free(spec);
}

START_TEST(test_results_in_order)
{
	struct jobdir_prefetch pf;
	struct dir_names names;
	bool skip[MANY + 1] = { false };
	struct prefetched *r;

	write_many();
	ck_assert_int_eq(dir_names_read(dir, plist_name, &names), 0);
	ck_assert_uint_eq(names.n, MANY + 1);
	ck_assert_str_eq(dir_names_at(&names, 0), "d.plist");
	for (size_t i = 3; i <= MANY; i += 17)
		skip[i] = true;
	jobdir_prefetch_start(&pf, dir, &names, skip, false);
	ck_assert(pf.threaded);
	r = jobdir_prefetch_next(&pf);
	ck_assert_int_eq(r->trust, PLIST_NOT_REGULAR);
	ck_assert_int_eq(r->rc, 0);
	ck_assert_ptr_null(r->error);   /* not parsed */
	ck_assert_ptr_null(r->spec);
	jobdir_prefetch_done(&pf);
	for (size_t i = 1; i <= MANY; i++) {
		check_job(jobdir_prefetch_next(&pf), (int)i - 1, skip[i]);
		jobdir_prefetch_done(&pf);
	}
	jobdir_prefetch_stop(&pf);
	dir_names_deinit(&names);
}
END_TEST

/* A loader that stops early leaves nothing behind (ASan) and does not hang. */
START_TEST(test_stop_early)
{
	struct jobdir_prefetch pf;
	struct dir_names names;

	write_many();
	ck_assert_int_eq(dir_names_read(dir, plist_name, &names), 0);
	jobdir_prefetch_start(&pf, dir, &names, NULL, false);
	for (int i = 0; i < 3; i++) {
		ck_assert_ptr_nonnull(jobdir_prefetch_next(&pf));
		jobdir_prefetch_done(&pf);
	}
	jobdir_prefetch_stop(&pf);
	dir_names_deinit(&names);
}
END_TEST

#define FEW 20
_Static_assert(FEW < JOBDIR_PREFETCH_MIN, "FEW names are parsed inline");

/* FEW jobs' prefetch started: inline, no thread. */
static void start_few(struct jobdir_prefetch *pf, struct dir_names *names)
{
	write_jobs(FEW);
	ck_assert_int_eq(dir_names_read(dir, plist_name, names), 0);
	jobdir_prefetch_start(pf, dir, names, NULL, false);
	ck_assert(!pf->threaded);
}

/*
 * Fewer names than JOBDIR_PREFETCH_MIN: no thread (the process stays
 * single-threaded), each result made when asked for, in order.
 */
START_TEST(test_few_names_inline)
{
	struct jobdir_prefetch pf;
	struct dir_names names;

	start_few(&pf, &names);
	for (int i = 0; i < FEW; i++) {
		check_job(jobdir_prefetch_next(&pf), i, false);
		jobdir_prefetch_done(&pf);
	}
	jobdir_prefetch_stop(&pf);
	dir_names_deinit(&names);
}
END_TEST

/*
 * Stopped with a result taken and not handed back, inline: stop frees it
 * (LeakSanitizer, in the sanitizer build), as the threaded stop does.
 */
START_TEST(test_few_names_stop_early)
{
	struct jobdir_prefetch pf;
	struct dir_names names;

	start_few(&pf, &names);
	ck_assert_ptr_nonnull(jobdir_prefetch_next(&pf)->spec);
	jobdir_prefetch_stop(&pf);
	dir_names_deinit(&names);
}
END_TEST

/* One name: no thread, the result is made when asked for. */
START_TEST(test_one_name_inline)
{
	struct jobdir_prefetch pf;
	struct dir_names names;
	struct prefetched *r;

	write_job("job000.plist", "org.test.job000", "<key>NoSuchKey</key><true/>");
	ck_assert_int_eq(dir_names_read(dir, plist_name, &names), 0);
	jobdir_prefetch_start(&pf, dir, &names, NULL, false);
	ck_assert(!pf.threaded);
	r = jobdir_prefetch_next(&pf);
	check_job(r, 0, false);
	jobdir_prefetch_done(&pf);
	jobdir_prefetch_stop(&pf);
	dir_names_deinit(&names);
}
END_TEST

/* In the system domain a file writable by others, or not root's, is not parsed. */
START_TEST(test_untrusted_not_parsed)
{
	struct jobdir_prefetch pf;
	struct dir_names names;
	struct prefetched *r;
	char path[512];

	write_job("a.plist", "org.test.job000", "");
	write_job("b.plist", "org.test.job001", "");
	snprintf(path, sizeof(path), "%s/a.plist", dir);
	ck_assert_int_eq(chmod(path, 0666), 0);
	ck_assert_int_eq(dir_names_read(dir, plist_name, &names), 0);
	jobdir_prefetch_start(&pf, dir, &names, NULL, true);
	r = jobdir_prefetch_next(&pf);
	ck_assert_int_eq(r->trust, getuid() == 0 ? PLIST_WRITABLE : PLIST_NOT_ROOTS);
	ck_assert_ptr_null(r->spec);
	ck_assert_ptr_null(r->error);
	jobdir_prefetch_done(&pf);
	r = jobdir_prefetch_next(&pf);
	ck_assert_int_eq(r->trust, getuid() == 0 ? PLIST_TRUSTED : PLIST_NOT_ROOTS);
	jobdir_prefetch_done(&pf);
	jobdir_prefetch_stop(&pf);
	dir_names_deinit(&names);
}
END_TEST

/* Whether this process may read @path (root, with its capabilities, may read mode 0). */
static bool readable(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* @r parsed into a job labelled @label. */
static void check_parsed(struct prefetched *r, const char *label)
{
	struct job_spec *spec;

	ck_assert_int_eq(r->stat_err, 0);
	ck_assert_int_eq(r->trust, PLIST_TRUSTED);
	ck_assert_int_eq(r->rc, 0);
	ck_assert_ptr_null(r->error);
	spec = job_spec_adopt(r->spec);
	r->spec = NULL;
	ck_assert_str_eq(spec->label, label);
	job_spec_free(spec);
}

/*
 * Names the directory does not call regular files: a link to a plist is
 * read through it, a dangling one and a FIFO are not read, and a file
 * we may not read says why, as a parse of it would.  (Whether a FIFO or
 * device is opened at all is not seen from here: what is judged is.)
 */
START_TEST(test_links_fifos_unreadable)
{
	struct jobdir_prefetch pf;
	struct dir_names names;
	struct prefetched *r;
	char path[512], target[512];

	write_job("target.job", "org.test.job000", "");
	write_job("d.plist", "org.test.job001", "");
	snprintf(target, sizeof(target), "%s/target.job", dir);
	snprintf(path, sizeof(path), "%s/a.plist", dir);
	ck_assert_int_eq(symlink(target, path), 0);
	snprintf(path, sizeof(path), "%s/b.plist", dir);
	ck_assert_int_eq(symlink("/nonexistent/x.plist", path), 0);
	snprintf(path, sizeof(path), "%s/c.plist", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	snprintf(path, sizeof(path), "%s/d.plist", dir);
	ck_assert_int_eq(chmod(path, 0), 0);
	ck_assert_int_eq(dir_names_read(dir, plist_name, &names), 0);
	ck_assert_uint_eq(names.n, 4);
	ck_assert(dir_names_type(&names, 0) == DT_LNK || dir_names_type(&names, 0) == DT_UNKNOWN);
	ck_assert(dir_names_type(&names, 3) == DT_REG || dir_names_type(&names, 3) == DT_UNKNOWN);
	jobdir_prefetch_start(&pf, dir, &names, NULL, false);
	r = jobdir_prefetch_next(&pf);          /* a.plist: the link's plist */
	check_parsed(r, "org.test.job000");
	jobdir_prefetch_done(&pf);
	r = jobdir_prefetch_next(&pf);          /* b.plist: dangling */
	ck_assert_int_eq(r->stat_err, ENOENT);
	ck_assert_ptr_null(r->spec);
	jobdir_prefetch_done(&pf);
	r = jobdir_prefetch_next(&pf);          /* c.plist: a FIFO */
	ck_assert_int_eq(r->stat_err, 0);
	ck_assert_int_eq(r->trust, PLIST_NOT_REGULAR);
	ck_assert_ptr_null(r->spec);
	ck_assert_ptr_null(r->error);
	jobdir_prefetch_done(&pf);
	r = jobdir_prefetch_next(&pf);          /* d.plist: mode 0 (read anyway with DAC override) */
	ck_assert_int_eq(r->trust, PLIST_TRUSTED);
	if (readable(path)) {
		check_parsed(r, "org.test.job001");
	} else {
		ck_assert_int_eq(r->rc, -EACCES);
		ck_assert_ptr_nonnull(r->error);
		ck_assert_ptr_nonnull(strstr(r->error, "d.plist"));
		ck_assert_ptr_nonnull(strstr(r->error, "cannot open: Permission denied"));
		ck_assert_ptr_null(r->spec);
	}
	jobdir_prefetch_done(&pf);
	jobdir_prefetch_stop(&pf);
	dir_names_deinit(&names);
}
END_TEST

static Suite *prefetch_suite(void)
{
	Suite *s = suite_create("jobdir-prefetch");
	TCase *tc = tcase_create("names");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_names_sorted_and_filtered);
	tcase_add_test(tc, test_many_names);
	tcase_add_test(tc, test_missing_directory);
	suite_add_tcase(s, tc);
	tc = tcase_create("prefetch");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_results_in_order);
	tcase_add_test(tc, test_stop_early);
	tcase_add_test(tc, test_one_name_inline);
	tcase_add_test(tc, test_few_names_inline);
	tcase_add_test(tc, test_few_names_stop_early);
	tcase_add_test(tc, test_untrusted_not_parsed);
	tcase_add_test(tc, test_links_fifos_unreadable);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(prefetch_suite(), NULL, 0, argc, argv);
}
