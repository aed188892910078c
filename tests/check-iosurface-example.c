/* SPDX-License-Identifier: MIT */
/*
 * check-iosurface-example - the README's IOSurface example end to end: a
 * real bootstrapd demand-launches surface-producer, surface-consumer
 * follows the seed and writes a PNG, and the PNG is the gradient the
 * producer draws (green from top to bottom, blue constant, red moving).
 */
#include <check.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers/daemon.h"

/* Read @path as 8-bit RGB rows into a new buffer. */
static uint8_t *read_png(const char *path, unsigned *w, unsigned *h)
{
	png_image img;
	uint8_t *buf;

	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	ck_assert_msg(png_image_begin_read_from_file(&img, path), "%s: %s", path, img.message);
	img.format = PNG_FORMAT_RGB;
	buf = malloc(PNG_IMAGE_SIZE(img));
	ck_assert_ptr_nonnull(buf);
	ck_assert(png_image_finish_read(&img, NULL, buf, 0, NULL));
	*w = img.width;
	*h = img.height;
	return buf;
}

static int run_consumer(const struct test_daemon *d, const char *out)
{
	pid_t pid = fork();
	int status;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		setenv("XDG_RUNTIME_DIR", d->dir, 1);
		execl(getenv("SURFACE_CONSUMER"), "surface-consumer", out, (char *)NULL);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return status;
}

START_TEST(producer_to_png)
{
	struct test_daemon d;
	char body[8192], out[4096], reg[4096];
	unsigned w, h;
	uint8_t *px;

	test_daemon_init(&d, "iosurface-example");
	snprintf(body, sizeof(body),
		 "<key>ProgramArguments</key><array><string>%s</string></array>"
		 "<key>MachServices</key><dict><key>com.example.surface</key><true/></dict>"
		 "<key>EnvironmentVariables</key><dict><key>XDG_RUNTIME_DIR</key><string>%s</string></dict>",
		 getenv("SURFACE_PRODUCER"), d.dir);
	test_daemon_add_job(&d, "com.example.surface", body);
	test_daemon_start(&d);
	snprintf(out, sizeof(out), "%s/frame.png", d.dir);
	ck_assert_int_eq(run_consumer(&d, out), 0);
	/* The producer's registry is the test's, through EnvironmentVariables. */
	snprintf(reg, sizeof(reg), "%s/iosurface", d.dir);
	ck_assert_int_eq(access(reg, F_OK), 0);
	px = read_png(out, &w, &h);
	ck_assert_uint_eq(w, 1280);
	ck_assert_uint_eq(h, 720);
	/* Green runs from 0 at the top to 255 at the bottom; blue is 160 everywhere. */
	ck_assert_uint_eq(px[1], 0);
	ck_assert_uint_eq(px[((h - 1) * w) * 3 + 1], 255);
	ck_assert_uint_eq(px[(h / 2 * w + w / 2) * 3 + 2], 160);
	/* Red grows along a row, modulo its motion. */
	ck_assert_uint_ne(px[0], px[(w / 4) * 3]);
	free(px);
	test_daemon_stop(&d);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("iosurface-example");
	TCase *tc = tcase_create("example");
	SRunner *r;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, producer_to_png);
	suite_add_tcase(s, tc);
	r = srunner_create(s);
	srunner_set_fork_status(r, CK_FORK);
	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
