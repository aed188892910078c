/* SPDX-License-Identifier: MIT */
/*
 * plist.c - the daemon's plist parser (plist_parse_file) on hostile input
 * next to its floor: a billion-laughs document (tests/data), refused at
 * its first entity declaration and never expanded, against a plain plist
 * of about the same size.  Alternating blocks, as every figure here.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bench-config.h"
#include "plist.h"

/* A plain plist (a dict of strings) at least @size bytes long, in @path. */
static int write_plain(const char *path, off_t size)
{
	FILE *f = fopen(path, "w");
	long len;

	if (!f)
		return -1;
	len = fprintf(f, "<?xml version=\"1.0\"?>\n<plist version=\"1.0\">\n<dict>\n");
	for (int i = 0; len < (long)size - 24; i++)
		len += fprintf(f, "<key>k%d</key><string>value %d</string>\n", i, i);
	fprintf(f, "</dict>\n</plist>\n");
	return fclose(f) == 0 ? 0 : -1;
}

/* One parse of @path: its time in @ns.  Return: plist_parse_file()'s result. */
static int parse_once(const char *path, uint64_t *ns)
{
	struct plist_node *root = NULL;
	struct plist_error err;
	uint64_t t0 = now_ns();
	int r = plist_parse_file(path, &root, &err);

	*ns = now_ns() - t0;
	plist_node_free(root);
	return r;
}

int plist_measure(const struct bench_cfg *cfg, struct lat *laughs, struct lat *plain)
{
	unsigned rounds = cfg->quick ? 4 : 10, per = cfg->quick ? 100 : 500, n = 0;
	uint64_t *a = calloc((size_t)rounds * per, sizeof(uint64_t)),
		 *b = calloc((size_t)rounds * per, sizeof(uint64_t));
	char path[4200];
	struct stat st;
	int ok = a && b && stat(BENCH_BILLION_LAUGHS, &st) == 0;

	snprintf(path, sizeof(path), "%s/plain.plist", cfg->tmp);
	ok = ok && write_plain(path, st.st_size) == 0;
	for (unsigned r = 0; ok && r < rounds; r++) {
		for (unsigned i = 0; ok && i < per; i++)
			ok = parse_once(BENCH_BILLION_LAUGHS, &a[n + i]) == PLIST_E_ENTITY;
		for (unsigned i = 0; ok && i < per; i++)
			ok = parse_once(path, &b[n + i]) == 0;
		n += per;
	}
	if (ok) {
		*laughs = lat_of(a, n);
		*plain = lat_of(b, n);
	}
	free(a);
	free(b);
	return ok ? 0 : -1;
}
