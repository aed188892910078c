/* SPDX-License-Identifier: MIT */
#include "sanlog.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPORT_LINES 80         /* of a report, copied to stderr */

static const char *const markers[] = {
	"runtime error",                /* UBSan */
	"ERROR: AddressSanitizer",
	"ERROR: LeakSanitizer",
	"WARNING: AddressSanitizer",
};

static int is_report(const char *line)
{
	for (size_t i = 0; i < sizeof(markers) / sizeof(markers[0]); i++)
		if (strstr(line, markers[i]))
			return 1;
	return 0;
}

/* Copy @f from its first report line on to stderr; Return: that line, or "". */
static void copy_report(FILE *f, const char *who, const char *path, char *first, size_t len)
{
	char line[4096];
	int shown = -1;

	*first = '\0';
	while (fgets(line, sizeof(line), f) && shown < REPORT_LINES) {
		if (shown < 0 && !is_report(line))
			continue;
		if (shown < 0) {
			fprintf(stderr, "--- sanitizer report of %s (%s) ---\n", who, path);
			snprintf(first, len, "%.*s", (int)strcspn(line, "\n"), line);
			shown = 0;
		}
		fputs(line, stderr);
		shown++;
	}
	if (shown >= 0)
		fprintf(stderr, "--- end of the report of %s ---\n", who);
}

int sanlog_report(const char *path, const char *who, char *why, size_t len)
{
	FILE *f = fopen(path, "r");
	char first[1024];

	if (!f)
		return 0;
	copy_report(f, who, path, first, sizeof(first));
	fclose(f);
	if (!*first)
		return 0;
	snprintf(why, len, "%s: %s", who, first);
	return 1;
}

static int has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);

	return n > s && strcmp(name + n - s, suffix) == 0;
}

int sanlog_report_dir(const char *dir, const char *suffix, char *why, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	int found = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (!has_suffix(e->d_name, suffix))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (sanlog_report(path, e->d_name, why, len))
			found = 1;
	}
	closedir(d);
	return found;
}

void sanlog_tail(const char *path, const char *who, int lines)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	long total = 0, n = 0;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		total++;
	rewind(f);
	fprintf(stderr, "--- last lines of %s (%s) ---\n", who, path);
	while (fgets(line, sizeof(line), f))
		if (++n > total - lines)
			fputs(line, stderr);
	fprintf(stderr, "--- end of %s ---\n", who);
	fclose(f);
}

void sanlog_check(const char *path, const char *who)
{
	char why[1200];

	if (sanlog_report(path, who, why, sizeof(why)))
		ck_abort_msg("sanitizer report: %s", why);
}

void sanlog_check_text(const char *text, const char *who)
{
	const char *p = text;

	while (p && *p) {
		size_t n = strcspn(p, "\n");
		char line[1024];

		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		if (is_report(line)) {
			fprintf(stderr, "--- sanitizer report of %s ---\n%s\n--- end ---\n", who, p);
			ck_abort_msg("sanitizer report: %s: %s", who, line);
		}
		p = p[n] ? p + n + 1 : NULL;
	}
}
