/* SPDX-License-Identifier: MIT */
/*
 * cmd-convert.c - print a plist (binary, or XML) as XML, as
 * `plutil -convert xml1 -o - FILE` does.  The file is read with the
 * daemon's own parser, so what convert prints is what bootstrapd sees.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bsctl.h"
#include "ctl-client.h"
#include "plist.h"
#include "plist-write.h"

static void put_base64(FILE *f, const unsigned char *d, size_t len)
{
	static const char sym[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < len; i += 3) {
		unsigned long v = (unsigned long)d[i] << 16;

		if (i + 1 < len)
			v |= (unsigned long)d[i + 1] << 8;
		if (i + 2 < len)
			v |= d[i + 2];
		fputc(sym[v >> 18 & 63], f);
		fputc(sym[v >> 12 & 63], f);
		fputc(i + 1 < len ? sym[v >> 6 & 63] : '=', f);
		fputc(i + 2 < len ? sym[v & 63] : '=', f);
	}
}

/* The shortest text that reads back as the same double. */
static void put_real(FILE *f, double d)
{
	char buf[64];

	if (isnan(d)) {
		fputs("nan", f);
		return;
	}
	if (isinf(d)) {
		fputs(d > 0 ? "+infinity" : "-infinity", f);
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	fputs(buf, f);
}

static int put_date(FILE *f, long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm))
		return -EOVERFLOW;
	fprintf(f, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return 0;
}

static void indent(FILE *f, unsigned int depth)
{
	while (depth--)
		fputc('\t', f);
}

static int put_value(FILE *f, const struct plist_node *n, unsigned int depth);

static int put_container(FILE *f, const struct plist_node *n, unsigned int depth)
{
	bool dict = n->type == PLIST_DICT;
	size_t count = dict ? n->dict.n : n->array.n;
	const char *tag = dict ? "dict" : "array";
	int rc = 0;

	if (count == 0) {
		fprintf(f, "<%s/>\n", tag);
		return 0;
	}
	fprintf(f, "<%s>\n", tag);
	for (size_t i = 0; i < count && !rc; i++) {
		if (dict) {
			const char *key = n->dict.entries[i].key;

			indent(f, depth + 1);
			fputs("<key>", f);
			plist_write_text(f, key, strlen(key));
			fputs("</key>\n", f);
		}
		indent(f, depth + 1);
		rc = put_value(f, dict ? n->dict.entries[i].value : n->array.items[i], depth + 1);
	}
	indent(f, depth);
	fprintf(f, "</%s>\n", tag);
	return rc;
}

/* Depth is bounded by the parser's PLIST_MAX_DEPTH, so is this recursion. */
static int put_value(FILE *f, const struct plist_node *n, unsigned int depth)
{
	int rc = 0;

	switch (n->type) {
	case PLIST_DICT:
	case PLIST_ARRAY:
		return put_container(f, n, depth);
	case PLIST_BOOL:
		fputs(n->boolean ? "<true/>\n" : "<false/>\n", f);
		return 0;
	case PLIST_STRING:
		fputs("<string>", f);
		plist_write_text(f, n->string.s, n->string.len);
		fputs("</string>\n", f);
		return 0;
	case PLIST_INTEGER:
		fprintf(f, "<integer>%lld</integer>\n", n->integer);
		return 0;
	case PLIST_REAL:
		fputs("<real>", f);
		put_real(f, n->real);
		fputs("</real>\n", f);
		return 0;
	case PLIST_DATE:
		fputs("<date>", f);
		rc = put_date(f, n->date);
		fputs("</date>\n", f);
		return rc;
	case PLIST_DATA:
		fputs("<data>", f);
		put_base64(f, n->data.bytes, n->data.len);
		fputs("</data>\n", f);
		return 0;
	}
	return -EINVAL;
}

int cmd_convert(int argc, char **argv, const struct bsctl_opts *o)
{
	struct plist_node *root = NULL;
	struct plist_error err;
	char buf[PLIST_ERROR_FORMAT_MAX];
	int rc;

	(void)o;
	if (argc != 2)
		return BSCTL_USAGE;
	if (plist_parse_file(argv[1], &root, &err) != 0) {
		fprintf(stderr, "%s\n", plist_error_format(&err, buf, sizeof(buf)));
		return BSCTL_FAILURE;
	}
	plist_write_head(stdout);
	rc = put_value(stdout, root, 0);
	plist_write_tail(stdout);
	plist_node_free(root);
	if (rc)
		fprintf(stderr, "%s: %s\n", argv[1], strerror(-rc));
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "bsctl: writing: %s\n", strerror(errno));
		return BSCTL_FAILURE;
	}
	return rc ? BSCTL_FAILURE : BSCTL_OK;
}
