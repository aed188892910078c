/* SPDX-License-Identifier: MIT */
/* tmpdir.h - private temporary directories for tests. */
#ifndef BOOTSTRAPD_TEST_TMPDIR_H
#define BOOTSTRAPD_TEST_TMPDIR_H

/**
 * tmpdir_new() - create a fresh directory under $TMPDIR (or /tmp).
 * Return: its malloc'd path; aborts the test on failure.
 */
char *tmpdir_new(const char *tag);

/**
 * tmpdir_remove() - remove a directory tree made by tmpdir_new() and
 * free the path.  NULL is a no-op.
 */
void tmpdir_remove(char *path);

/**
 * tmpdir_write() - write @content to @dir/@name with mode @mode.
 * Return: the malloc'd full path.
 */
char *tmpdir_write(const char *dir, const char *name, const char *content, int mode);

#endif
