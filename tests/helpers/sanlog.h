/* SPDX-License-Identifier: MIT */
/*
 * sanlog.h - find sanitizer reports (UBSan's "runtime error", ASan's and
 * LeakSanitizer's "ERROR: ...") in the logs of the processes a test
 * started, and show them where CI prints a failed test's output.
 */
#ifndef BOOTSTRAPD_TEST_SANLOG_H
#define BOOTSTRAPD_TEST_SANLOG_H

#include <stddef.h>

/**
 * sanlog_report() - look for a sanitizer report in the file at @path (no
 * file: none).  If there is one, copy it (its lines from the first one on,
 * bounded) to stderr and write "@who: FIRST LINE" into @why (@len bytes).
 * Return: 1 if there is a report, else 0.
 */
int sanlog_report(const char *path, const char *who, char *why, size_t len);

/** sanlog_report_dir() - sanlog_report() over the files of @dir named *@suffix. */
int sanlog_report_dir(const char *dir, const char *suffix, char *why, size_t len);

/** sanlog_tail() - copy the last @lines lines of @path to stderr, headed by @who. */
void sanlog_tail(const char *path, const char *who, int lines);

/** sanlog_check() - fail the test with sanlog_report()'s line if @path has a report. */
void sanlog_check(const char *path, const char *who);

/** sanlog_check_text() - the same for a process's captured output @text. */
void sanlog_check_text(const char *text, const char *who);

#endif
